"""Lighthouse scores 100 for accessibility, best practices and SEO on one page per set of page scripts.

Lighthouse takes seconds a page, and most of what it checks is checked on every page elsewhere:
its accessibility audits are axe-core's (test_audits.py runs axe on every page at two sizes, and
colour contrast in the dark scheme on one page per template), HTML validity is the Nu Html
Checker's, and the SEO basics (title, description, canonical link, language) are test_audits.py's
too. What only Lighthouse judges, the best-practices
audits (errors in the console, deprecated APIs, the back/forward cache) and the rest of SEO
(crawlable links), follows from the scripts a page runs: guide.js loads decide.js, needs.js and
disclosure.js only on pages with their widgets. So Lighthouse runs on the home page and on one page
for each other combination of those widgets.

In a file of its own, next to test_audits.py, so that the two pytest-xdist workers start on the
two long audits at once (scripts/test hands out files in file-name order).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import CHROMIUM, NODE_BIN, ROOT, Site, pages, require

pytestmark = pytest.mark.audit

# Lighthouse runs in this many Node processes side by side, each with its own Chromium and a share
# of the pages (tests/lighthouse.mjs), instead of one Node and one Chromium per page.
LIGHTHOUSE_PROCESSES = 2
CATEGORIES = ["accessibility", "best-practices", "seo"]
#: The widgets for which guide.js loads a script of its own (docs/javascripts/guide.js).
WIDGETS = ("#tree-stepper", "#needs-filter", ".md-content details")


def script_sample(site: Site) -> list[str]:
    """The home page, then the first page (in path order) of each other combination of
    :data:`WIDGETS`, as URL paths; the 404 page is left out (served with status 404, which
    Lighthouse's SEO category rightly penalises)."""
    seen: set[tuple[bool, ...]] = set()
    out = []
    for path in sorted(pages(site), key=lambda p: (p != "/", p)):
        if path == "/404.html":
            continue
        html = BeautifulSoup((site.root / (path.lstrip("/") + "index.html")).read_text(encoding="utf-8"), "html.parser")
        widgets = tuple(html.select_one(selector) is not None for selector in WIDGETS)
        if widgets not in seen:
            seen.add(widgets)
            out.append(path)
    return out


def test_lighthouse_scores_100_for_accessibility_best_practices_and_seo(served_site):
    require((NODE_BIN / "lighthouse").exists(), "lighthouse from npm (node_modules/.bin/lighthouse)")
    require(Path(CHROMIUM).exists(), f"Debian's chromium ({CHROMIUM})")
    url, site = served_site
    urls = [url + path for path in script_sample(site)]
    assert len(urls) >= 3, urls  # the home page, and the Decide and Comparison pages with their widgets
    processes = [
        subprocess.Popen(
            [
                "node",
                str(ROOT / "tests" / "lighthouse.mjs"),
                CHROMIUM,
                ",".join(CATEGORIES),
                *urls[i::LIGHTHOUSE_PROCESSES],
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(LIGHTHOUSE_PROCESSES)
    ]
    reports = {}
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-3000:]
        reports.update(json.loads(out))
    assert sorted(reports) == sorted(urls)
    assert all(sorted(report["scores"]) == CATEGORIES for report in reports.values())
    below = {page: report for page, report in reports.items() if any(s != 1 for s in report["scores"].values())}
    assert below == {}
