"""Audits of every built page: accessibility (axe-core), HTML validity (Nu Html Checker), links
(LinkChecker), privacy (no request leaves 127.0.0.1), Lighthouse scores and SEO basics.

They need Debian's Chromium, a Java runtime and the npm packages of package.json; scripts/test
installs all three. On a laptop without them the tests say what is missing and skip; under
CI=true a missing tool is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, Site

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
NODE_BIN = ROOT / "node_modules" / ".bin"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def require(condition: bool, what: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; scripts/test installs it", pytrace=False)
    pytest.skip(f"{what} is missing (run scripts/test to install it)")


def pages(site: Site) -> list[str]:
    """Every page of the site as a URL path, e.g. ``/faq/`` (the 404 page included)."""
    out = []
    for path in site.html_files():
        relative = path.relative_to(site.root).as_posix()
        out.append("/" + relative.removesuffix("index.html"))
    return out


@pytest.fixture(scope="module")
def browser():
    require(Path(CHROMIUM).exists(), "Debian's chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def axe():
    require(AXE.exists(), "axe-core from npm (node_modules/axe-core)")
    from axe_playwright_python.sync_playwright import Axe

    return Axe.from_file(AXE)


def open_search(page, query: str) -> None:
    """Open Material's search with its keyboard shortcut and wait for results."""
    page.wait_for_load_state("networkidle")  # the search index loads in a worker
    page.keyboard.press("s")
    page.keyboard.type(query, delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    settle(page)


def settle(page) -> None:
    """Wait until CSS transitions and animations finish, so colours are measured at rest."""
    page.evaluate("Promise.all(document.getAnimations().map(animation => animation.finished))")


def violations(axe, page) -> list[str]:
    result = axe.run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_axe_reports_no_violation_on_any_page(browser, axe, served_site, scheme, viewport):
    url, site = served_site
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in pages(site):
        page.goto(url + path)
        settle(page)
        if found_here := violations(axe, page):
            found[path] = found_here
    # The opened search dialog, with results.
    page.goto(url + "/")
    open_search(page, "async")
    if found_here := violations(axe, page):
        found["search dialog"] = found_here
    # The decision tree's states: a question part-way and a recommendation.
    for state in ("?path=0", "?path=0.1.1"):
        page.goto(url + "/decide/" + state)
        page.wait_for_selector("#tree-stepper:not([hidden])")
        settle(page)
        if found_here := violations(axe, page):
            found[f"decide {state}"] = found_here
    context.close()
    assert found == {}


def test_nu_html_checker_reports_no_error(served_site):
    require(shutil.which("java") is not None, "a Java runtime (apt-get install default-jre-headless)")
    require(VNU.exists(), "vnu-jar from npm (node_modules/vnu-jar)")
    _, site = served_site
    files = [str(path) for path in site.html_files()]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "gnu", *files],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr + result.stdout


def test_every_internal_link_and_fragment_resolves(served_site, tmp_path):
    url, _ = served_site
    config = tmp_path / "linkcheckerrc"
    config.write_text("[filtering]\ncheckextern=0\n[AnchorCheck]\n", encoding="utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "linkchecker"), "--config", str(config), "--no-status", "--no-warnings",
         "--threads", "4", url + "/"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 errors found" in result.stdout


def test_no_request_leaves_the_site_origin(browser, served_site):
    url, site = served_site
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    for path in pages(site):
        page.goto(url + path)
    page.goto(url + "/")
    open_search(page, "flask")
    page.keyboard.press("Escape")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.goto(url + "/decide/")
    page.locator("#tree-stepper button.tree-stepper__answer").first.click()
    page.wait_for_load_state("networkidle")
    context.close()
    foreign = sorted({r for r in requests if urlsplit(r).hostname not in ("127.0.0.1", None)
                      and not r.startswith(("data:", "blob:"))})
    assert foreign == []
    assert len(requests) > len(pages(site))


def lighthouse(url: str) -> dict:
    result = subprocess.run(
        [str(NODE_BIN / "lighthouse"), url, "--output=json", "--output-path=stdout", "--quiet",
         "--only-categories=accessibility,best-practices,seo",
         f"--chrome-flags=--headless=new {' '.join(CHROMIUM_ARGS)}"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_lighthouse_scores_100_for_accessibility_best_practices_and_seo(browser, served_site):
    require((NODE_BIN / "lighthouse").exists(), "lighthouse from npm (node_modules/.bin/lighthouse)")
    url, site = served_site
    below = {}
    for path in pages(site):
        if path == "/404.html":
            continue  # served with status 404, which Lighthouse's SEO category rightly penalises
        report = lighthouse(url + path)
        scores = {name: category["score"] for name, category in report["categories"].items()}
        if any(score != 1 for score in scores.values()):
            failing = [key for key, audit in report["audits"].items()
                       if audit.get("score") is not None and audit["score"] < 1
                       and audit.get("scoreDisplayMode") in ("binary", "numeric")]
            below[path] = (scores, failing)
    assert below == {}


def test_seo_basics_on_every_page(served_site, real_kb):
    url, site = served_site
    descriptions = {}
    for path in pages(site):
        if path == "/404.html":
            continue
        doc = BeautifulSoup((site.root / (path.lstrip("/") + "index.html")).read_text(encoding="utf-8"), "html.parser")
        description = doc.find("meta", attrs={"name": "description"})
        assert description and description["content"], path
        descriptions[path] = description["content"]
        canonical = doc.find("link", rel="canonical")
        assert canonical and canonical["href"] == url + path, path
        for prop in ("og:title", "og:description", "og:url", "og:type"):
            assert doc.find("meta", property=prop), (path, prop)
    assert len(set(descriptions.values())) == len(descriptions), "each page needs its own description"
    sitemap = (site.root / "sitemap.xml").read_text(encoding="utf-8")
    for path in descriptions:
        assert f"<loc>{url}{path}</loc>" in sitemap, path
    faq = BeautifulSoup((site.root / "faq" / "index.html").read_text(encoding="utf-8"), "html.parser")
    data = json.loads(faq.find("script", type="application/ld+json").string)
    assert data["@type"] == "FAQPage"
    assert [q["name"] for q in data["mainEntity"]] == [f.question for f in real_kb.faqs]
