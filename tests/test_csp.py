"""The Content-Security-Policy on every page, and every page still working under it in Chromium:
Material's search, palette toggle and instant navigation, the guide's own scripts."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import page_sample

pytestmark = pytest.mark.browser

# Records every policy violation the page reports, from the first script on (an init script).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", event => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def policy_of(html: str) -> str:
    meta = BeautifulSoup(html, "html.parser").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None
    return meta["content"]


def test_every_page_carries_a_policy_that_forbids_other_origins_and_inline_scripts(served_site):
    _, site = served_site
    for path in site.html_files():
        directives = dict(d.strip().split(" ", 1) for d in policy_of(path.read_text(encoding="utf-8")).split(";"))
        assert directives["default-src"] == "'self'", path
        assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
        assert directives["frame-src"] == "'none'" and directives["object-src"] == "'none'"
        for name in ("script-src", "style-src", "img-src", "connect-src"):
            assert "http" not in directives[name] and "*" not in directives[name], (path, name)


def test_pages_work_under_the_policy(browser, served_site):
    url, site = served_site
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: message.type == "error" and "404" not in message.text and errors.append(message.text)
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    violations: list[str] = []
    for path in page_sample(site):
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        violations += page.evaluate("window.__violations")
    # Material's search (a web worker fetching the index), the palette toggle, instant navigation.
    page.goto(url + "/")
    page.keyboard.press("s")
    page.keyboard.type("csrf", delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    page.keyboard.press("Escape")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.locator("nav a[href$='decide/']").first.click()  # instant navigation: no full load
    page.wait_for_selector("#tree-stepper:not([hidden])")
    page.locator("#tree-stepper button").first.click()
    violations += page.evaluate("window.__violations")
    context.close()
    assert violations == [] and errors == []
