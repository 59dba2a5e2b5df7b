"""How pages reach a reader on a phone (issue 13): one render-blocking stylesheet per page holding
Material's rules and the guide's, page scripts only on the pages that use them, the search index
fetched only once the reader opens search, and nothing moving while a page loads."""

from __future__ import annotations

import hashlib
import re
import sys

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, Site, build, make_project, page_sample
from synthetic import dump, synthetic_knowledge_base

sys.path.insert(0, str(ROOT / "hooks"))
from stylesheet_bundle import rebase_urls

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SEARCH_INDEX = "/search/search_index.json"

# The scripts only some pages use, and what a page must contain to load each.
PAGE_SCRIPTS = {
    "decide.js": "#tree-stepper",
    "needs.js": "#needs-filter",
    "disclosure.js": ".md-content details",
}

# Every layout shift from the first paint on, whatever its cause (an init script, so nothing is missed).
RECORD_SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    window.__shifts.push({
      value: entry.value,
      nodes: entry.sources.map(s => s.node && s.node.nodeType === 1 ? s.node.outerHTML.slice(0, 80) : String(s.node)),
    });
  }
}).observe({ type: "layout-shift", buffered: true });
"""


def theme_css(site: Site, name: str) -> str:
    """Material's stylesheet ``name`` (main or palette) as the theme ships it, without its
    ``@charset`` and source-map comment."""
    (path,) = (site.root / "assets" / "stylesheets").glob(f"{name}.*.min.css")
    css = path.read_text(encoding="utf-8")
    css = re.sub(r'^@charset "[^"]*";', "", css)
    return re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css).strip()


# ---- One stylesheet ------------------------------------------------------------------------


def test_every_page_links_one_stylesheet_holding_material_s_rules_and_the_guide_s(real_site: Site):
    bundles = set()
    for path in real_site.html_files():
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        sheets = page.find_all("link", rel="stylesheet")
        assert len(sheets) == 1 and sheets[0].find_parent("head") is not None, (path, sheets)
        assert page.find("style") is None, path  # the policy allows no inline style
        bundles.add(sheets[0]["href"].rsplit("/", 1)[-1])
    (name,) = bundles
    css = (real_site.root / "assets" / "stylesheets" / name).read_text(encoding="utf-8")
    # Named by its content, so a host can cache it for ever.
    assert name.split(".")[1] == hashlib.sha256(css.encode("utf-8")).hexdigest()[:8]
    guide = (real_site.root / "stylesheets" / "guide.css").read_text(encoding="utf-8").strip()
    guide = rebase_urls(guide, "stylesheets/guide.css", "assets/stylesheets")
    parts = [theme_css(real_site, "main"), theme_css(real_site, "palette"), guide]
    where = [css.find(part) for part in parts]
    assert all(i >= 0 for i in where), where  # each sheet whole
    assert where == sorted(where), "the cascade order of base.html: main, palette, then extra_css"
    assert css.count("@charset") == 1 and css.startswith("@charset") and "sourceMappingURL" not in css


def test_relative_urls_point_at_the_same_files_from_the_bundle_s_folder():
    css = (
        ".a{background:url(../images/x.png)} .b{background:url('fonts/f.woff2')} "
        '.c{mask:url("data:image/svg+xml;charset=utf-8,<svg/>")} .d{background:url(/abs.png)} '
        ".e{background:url(https://example.org/x.png)} .f{fill:url(#grad)}"
    )
    out = rebase_urls(css, "stylesheets/guide.css", "assets/stylesheets")
    assert 'url("../../images/x.png")' in out and 'url("../../stylesheets/fonts/f.woff2")' in out
    for kept in ('url("data:image/svg+xml;charset=utf-8,<svg/>")', "url(/abs.png)", "url(https://", "url(#grad)"):
        assert kept in out, kept


# ---- The Decide page's first question, written by the template ------------------------------


def test_the_build_writes_the_stepper_s_first_question_into_the_page(real_site: Site):
    stepper = real_site.page("decide").select_one("#tree-stepper")
    assert stepper is not None and stepper.has_attr("hidden")  # shown by CSS where scripting is on
    body = stepper.select_one(".tree-stepper__body")
    assert body.select_one("h2.tree-stepper__question") is not None
    assert len(body.select("button.tree-stepper__answer")) >= 2


def test_the_first_question_shows_its_text_as_typed(tmp_path):
    data = synthetic_knowledge_base()
    question = data["decision_tree"]["nodes"][0]
    question.update(text='Which *one* & "why" <b>x</b>?', help="Use `code` & *this*", pick_best=True)
    question["answers"][0]["label"] = "A <u>|</u> {: .x }"
    result = build(make_project(tmp_path / "project", dump(data)), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    body = Site(tmp_path / "site").page("decide").select_one("#tree-stepper .tree-stepper__body")
    assert body.select_one("h2.tree-stepper__question").get_text() == question["text"]
    assert body.select_one(".tree-stepper__answers")["aria-label"] == question["text"]
    assert body.select_one(".tree-stepper__help").get_text() == question["help"]
    assert not body.select_one(".tree-stepper__pick").has_attr("hidden")
    assert body.select_one("button").get_text() == "A <u>|</u> {: .x }"
    assert body.find(["b", "u", "code", "em"]) is None


def test_decide_js_draws_the_first_question_exactly_as_the_build_wrote_it(browser, served_site):
    # The build's markup and the script's must give the same boxes, or the page moves when the
    # script draws the step: after an answer and "Start again" the script has drawn it itself.
    url, site = served_site
    built = site.page("decide").select_one("#tree-stepper .tree-stepper__body")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{url}/decide/")
    page.wait_for_selector("#tree-stepper[data-ready]")
    page.locator(".tree-stepper__answer").first.click()
    page.locator("[data-tree-action='restart']").click()
    page.wait_for_selector(".tree-stepper__step:text('Question 1')")
    same = page.evaluate(
        """built => {
            const template = document.createElement("template");
            template.innerHTML = built;
            return template.content.firstElementChild.isEqualNode(document.querySelector(".tree-stepper__body"));
        }""",
        str(built),
    )
    assert same, built
    context.close()


# ---- Scripts only where they are used ------------------------------------------------------


def test_pages_load_only_the_page_scripts_they_use(browser, served_site):
    url, site = served_site
    context = browser.new_context(viewport=PHONE)
    loaded: list[str] = []
    context.on("request", lambda request: loaded.append(request.url.rsplit("/", 1)[-1]))
    page = context.new_page()
    for path in page_sample(site):
        loaded.clear()
        page.goto(url + path)  # the scripts guide.js adds hold back the "load" event
        for script, selector in PAGE_SCRIPTS.items():
            used = page.locator(selector).count() > 0
            assert (script in loaded) == used, (path, script, used)
    context.close()


# ---- The search index on demand -------------------------------------------------------------


def index_requests(requests: list[str]) -> int:
    return sum(1 for request in requests if request.endswith(SEARCH_INDEX))


def test_no_page_requests_the_search_index_as_it_loads(browser, served_site):
    url, site = served_site
    context = browser.new_context(viewport=PHONE)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    for path in page_sample(site):
        page.goto(url + path)  # Material asks for the index as the document is parsed, before "load"
        page.wait_for_timeout(100)
        assert index_requests(requests) == 0, path
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_opening_search_fetches_the_index_once_and_search_answers(browser, served_site, viewport):
    url, _ = served_site
    context = browser.new_context(viewport=viewport)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()

    def search(query: str) -> None:
        if viewport is PHONE:
            page.locator("label.md-header__button[for='__search']").click()  # the magnifier
        else:
            page.keyboard.press("s")  # Material's shortcut, which focuses the search box
        page.keyboard.press("Control+A")
        page.keyboard.type(query, delay=20)
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        page.keyboard.press("Escape")

    page.goto(url + "/")
    page.wait_for_load_state("networkidle")
    assert index_requests(requests) == 0
    search("csrf")
    assert index_requests(requests) == 1
    # After instant navigation (no new document), search answers from the index already fetched.
    heading = page.locator(".md-content article h1").element_handle()
    page.evaluate("document.querySelector(\"a[href$='faq/']\").click()")
    page.wait_for_function("heading => !heading.isConnected", arg=heading)  # the FAQ's content swapped in
    page.wait_for_timeout(300)  # Material closes search 125 ms after a navigation
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    search("admin")
    assert index_requests(requests) == 1
    context.close()


#: How search-on-demand.js names what opens search in Material 9.8.1 (its OPENERS).
SHIM = ROOT / "docs" / "javascripts" / "search-on-demand.js"
SEARCH_COMPONENT = """'[data-md-component="search"]'"""


def test_search_works_when_what_the_shim_waits_for_is_gone(browser, served_site):
    # As if an upgrade of Material renamed its search component: the focus on the search box then
    # no longer releases the index, so the shim fails open once the page has loaded, and says so.
    url, _ = served_site
    shim = SHIM.read_text(encoding="utf-8")
    assert shim.count(SEARCH_COMPONENT) == 1
    renamed = shim.replace(SEARCH_COMPONENT, "'[data-md-component=\"renamed-by-an-upgrade\"]'")
    context = browser.new_context(viewport=DESKTOP)
    context.route(
        "**/javascripts/search-on-demand.js",
        lambda route: route.fulfill(body=renamed, content_type="text/javascript"),
    )
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    warnings: list[str] = []
    page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    page.goto(url + "/")
    page.keyboard.press("s")  # Material's shortcut: focus on the search box, inside the renamed component
    page.keyboard.type("csrf", delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert index_requests(requests) == 1
    assert any("renamed-by-an-upgrade" in warning for warning in warnings), warnings
    context.close()


def test_a_shared_search_address_searches_at_once(browser, served_site):
    url, _ = served_site
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{url}/faq/?q=async")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    context.close()


# ---- No layout shift -------------------------------------------------------------------------


def test_no_page_moves_while_it_loads_on_a_phone(browser, served_site):
    url, site = served_site
    context = browser.new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
    context.add_init_script(RECORD_SHIFTS)
    page = context.new_page()
    moved = {}
    for path in page_sample(site):
        page.goto(url + path)  # the widget scripts guide.js adds hold back the "load" event
        page.wait_for_timeout(300)  # their first frames
        shifts = page.evaluate("window.__shifts")
        score = sum(shift["value"] for shift in shifts)
        if score >= 0.01:
            moved[path] = (round(score, 3), [node for shift in shifts for node in shift["nodes"]][:3])
    context.close()
    assert moved == {}


def test_without_javascript_the_widgets_stay_hidden(browser, served_site):
    url, _ = served_site
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{url}/decide/")
    assert not page.locator("#tree-stepper").is_visible() and page.locator(".tree-nojs").is_visible()
    page.goto(f"{url}/comparison/")
    assert not page.locator("#needs-filter").is_visible()
    context.close()
