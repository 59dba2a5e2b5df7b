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
const results = {};
const chrome = await chromeLauncher.launch({chromePath, chromeFlags});
try {
  for (const url of urls) {
    const {lhr} = await lighthouse(url, {port: chrome.port, output: 'json', logLevel: 'error',
                                         onlyCategories: categories.split(',')});
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
