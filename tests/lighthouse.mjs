// Lighthouse on several pages from one Node process and one Debian Chromium, one page after the
// other (Lighthouse runs one audit at a time per process), so that Node and Chromium start once
// for all the pages instead of once per page.
//
//   node tests/lighthouse.mjs CHROMIUM CATEGORIES URL...
//
// Prints one JSON object: for each URL, the score of each category and the audits below 1.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const [chromePath, categories, ...urls] = process.argv.slice(2);
const chromeFlags = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
// Lighthouse's defaults wait a second after first paint and after load, and for a second of network
// and CPU quiet, for pages that keep loading third-party scripts; these pages are static and served
// from loopback, so a quarter second each. The full-page screenshot is for reports, not scores.
const settings = {pauseAfterFcpMs: 250, pauseAfterLoadMs: 250, networkQuietThresholdMs: 250,
                  cpuQuietThresholdMs: 250, disableFullPageScreenshot: true};
// The back/forward-cache audit navigates away and back (about 5 s a page). What makes a page
// ineligible (an unload handler, Cache-Control: no-store, an open connection) comes from the
// theme's and the guide's scripts and the server, which every page shares: it runs on the first
// page each process checks.
const everyPageSkips = ['bf-cache'];
const results = {};
const chrome = await chromeLauncher.launch({chromePath, chromeFlags});
try {
  for (const url of urls) {
    const {lhr} = await lighthouse(url, {port: chrome.port, output: 'json', logLevel: 'error', ...settings,
                                         onlyCategories: categories.split(','),
                                         skipAudits: url === urls[0] ? [] : everyPageSkips});
    if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    results[url] = {
      scores: Object.fromEntries(Object.entries(lhr.categories).map(([name, c]) => [name, c.score])),
      failing: Object.entries(lhr.audits)
        .filter(([, a]) => a.score !== null && a.score < 1 && ['binary', 'numeric'].includes(a.scoreDisplayMode))
        .map(([id, a]) => `${id}: ${a.title}`),
    };
  }
} finally {
  chrome.kill();
}
process.stdout.write(JSON.stringify(results));
