"""The decision tree and the needs filter in a real browser (Debian's Chromium through Playwright),
against the built site served on 127.0.0.1, at a phone and a desktop viewport."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from decision_guide.schema import Question

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
    if os.environ.get("CI"):
        pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install Debian's chromium", pytrace=False)
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium); browser tests skipped",
                allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url(served_site) -> str:
    return served_site[0]


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser):
    """A page at the phone or desktop viewport that records console errors and every request."""
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.errors = []
    page.requests = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    context.on("request", lambda req: page.requests.append(req.url))
    yield page
    assert page.errors == [], page.errors
    foreign = [url for url in page.requests if urlsplit(url).hostname not in ("127.0.0.1", None)
               and not url.startswith(("data:", "blob:", "about:"))]
    assert foreign == [], foreign
    context.close()


def tree_paths(kb) -> list[tuple[list[int], list[str], str]]:
    """Every root-to-leaf path: (answer indexes, answer labels, recommendation id)."""
    nodes = {n.id: n for n in kb.decision_tree.nodes}
    out = []

    def walk(node_id, indexes, labels):
        node = nodes[node_id]
        if not isinstance(node, Question):
            out.append((indexes, labels, node_id))
            return
        for i, answer in enumerate(node.answers):
            walk(answer.next, indexes + [i], labels + [answer.label])

    walk(kb.decision_tree.start, [], [])
    return out


def stepper(page):
    return page.locator("#tree-stepper")


def cited_in(locator) -> set[str]:
    hrefs = locator.locator("a.citation").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return {href.split("#", 1)[1] for href in hrefs}


def test_every_path_through_the_tree_reaches_its_recommendation(page, base_url, real_kb):
    nodes = {n.id: n for n in real_kb.decision_tree.nodes}
    paths = tree_paths(real_kb)
    assert len(paths) == sum(1 for n in real_kb.decision_tree.nodes if n.kind == "recommendation")
    page.goto(f"{base_url}/decide/")
    for indexes, labels, leaf in paths:
        page.get_by_role("button", name="Start again").click()
        for label in labels:
            stepper(page).get_by_role("button", name=label, exact=True).click()
        recommendation = nodes[leaf]
        result = stepper(page).locator(".tree-stepper__result")
        assert result.inner_text() == f"Recommendation: {recommendation.title}"
        expected = {ref for item in recommendation.reasons + recommendation.caveats for ref in item.cite}
        assert cited_in(stepper(page)) == expected, leaf
        assert f"path={'.'.join(map(str, indexes))}" in page.url


def test_a_permalink_restores_the_state_and_back_and_restart_work(page, base_url, real_kb):
    indexes, labels, leaf = tree_paths(real_kb)[1]
    title = next(n.title for n in real_kb.decision_tree.nodes if n.id == leaf)
    page.goto(f"{base_url}/decide/?path={'.'.join(map(str, indexes))}")
    assert stepper(page).locator(".tree-stepper__result").inner_text() == f"Recommendation: {title}"
    page.reload()
    assert stepper(page).locator(".tree-stepper__result").inner_text() == f"Recommendation: {title}"
    page.get_by_role("button", name="Previous question").click()
    assert stepper(page).get_by_role("button", name=labels[-1], exact=True).is_visible()
    assert f"path={'.'.join(map(str, indexes[:-1]))}" in page.url
    page.get_by_role("button", name="Start again").click()
    start = next(n for n in real_kb.decision_tree.nodes if n.id == real_kb.decision_tree.start)
    assert stepper(page).locator(".tree-stepper__question").inner_text() == start.text
    assert "path=" not in page.url
    assert page.get_by_role("button", name="Previous question").is_disabled()


def test_the_tree_can_be_used_with_the_keyboard_alone(page, base_url, real_kb):
    indexes, labels, leaf = tree_paths(real_kb)[0]
    page.goto(f"{base_url}/decide/")
    for label in labels:
        for _ in range(400):
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.textContent.trim()")
            if focused == label:
                break
        else:
            pytest.fail(f"Tab never reached the answer {label!r}")
        page.keyboard.press("Enter")
        active_class = page.evaluate("document.activeElement.className")
        assert "tree-stepper__question" in active_class or "tree-stepper__result" in active_class
    status = stepper(page).locator("[role=status]")
    assert status.get_attribute("aria-live") == "polite"
    assert status.inner_text().startswith("Recommendation:")


def test_without_javascript_every_node_and_recommendation_is_there(browser, base_url, real_kb):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}/decide/")
    assert not page.locator("#tree-stepper").is_visible()
    for node in real_kb.decision_tree.nodes:
        heading = page.locator(f"[id='{node.id}']")
        assert heading.is_visible(), node.id
        assert page.locator(f"a[href='#{node.id}']").count() >= (0 if node.id == real_kb.decision_tree.start else 1)
    page.goto(f"{base_url}/comparison/")
    assert not page.locator("#needs-filter").is_visible()
    for dimension in real_kb.dimensions:
        if dimension.table == "frameworks":
            assert page.locator(f"[id='{dimension.id}']").is_visible()
    context.close()


def test_needs_filter_highlights_rows_and_restores_from_the_url(page, base_url, real_kb):
    need = real_kb.needs[0]
    page.goto(f"{base_url}/comparison/")
    assert page.locator("tr.need-match").count() == 0
    page.get_by_label(need.label).check()
    expected = {row.dimension for row in need.rows}
    highlighted = set(page.locator("tr.need-match a.dimension-link").evaluate_all("links => links.map(a => a.id)"))
    assert highlighted == expected
    assert f"needs={need.id}" in page.url
    page.reload()
    assert page.get_by_label(need.label).is_checked()
    highlighted = set(page.locator("tr.need-match a.dimension-link").evaluate_all("links => links.map(a => a.id)"))
    assert highlighted == expected
    first = page.locator(f"[id='{need.rows[0].dimension}']").locator("xpath=ancestor::tr")
    assert need.label in first.inner_text()
    page.get_by_label(need.label).uncheck()
    assert page.locator("tr.need-match").count() == 0


def test_dark_palette_applies_to_the_stepper(browser, base_url):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(f"{base_url}/decide/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    color = page.locator(".tree-stepper__question").evaluate("el => getComputedStyle(el).color")
    red, green, blue = (int(v) for v in color[color.index("(") + 1:color.index(")")].split(",")[:3])
    assert (red + green + blue) / 3 > 128, color  # light text on the dark background
    context.close()


def test_print_shows_every_answer_and_the_whole_tree_without_javascript(browser, base_url, real_kb):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(f"{base_url}/faq/")
    for faq in real_kb.faqs:
        assert page.locator(f"[id='{faq.id}'] > p").first.is_visible(), faq.id  # closed answers print too
    page.goto(f"{base_url}/decide/")
    assert not page.locator("#tree-stepper").is_visible()
    assert page.locator("#tree-overview").is_visible()
    for node in real_kb.decision_tree.nodes:
        assert page.locator(f"[id='{node.id}']").is_visible(), node.id
    context.close()
