"""Lighthouse scores 100 for accessibility, best practices and SEO on every page.

In a file of its own, next to test_audits.py, so that the two pytest-xdist workers start on the
two long audits at once (scripts/test hands out files in file-name order).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import CHROMIUM, NODE_BIN, ROOT, page_sample, require

pytestmark = pytest.mark.audit

# Lighthouse runs in this many Node processes side by side, each with its own Chromium and a share
# of the pages (tests/lighthouse.mjs), instead of one Node and one Chromium per page.
LIGHTHOUSE_PROCESSES = 2
CATEGORIES = ["accessibility", "best-practices", "seo"]


def test_lighthouse_scores_100_for_accessibility_best_practices_and_seo(served_site):
    require((NODE_BIN / "lighthouse").exists(), "lighthouse from npm (node_modules/.bin/lighthouse)")
    require(Path(CHROMIUM).exists(), f"Debian's chromium ({CHROMIUM})")
    url, site = served_site
    # The 404 page is served with status 404, which Lighthouse's SEO category rightly penalises.
    urls = [url + path for path in page_sample(site) if path != "/404.html"]
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
