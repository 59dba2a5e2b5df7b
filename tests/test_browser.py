"""The Decide page's stepper and the Comparison page's needs filter in a real browser (Debian's
Chromium through Playwright), against the built site served on 127.0.0.1, at a phone and a desktop
viewport: what a reader notices (issue 10)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from decision_guide.schema import Question

# The browser is conftest's session-wide Debian Chromium: without it these tests skip, saying what is
# missing (under CI=true they fail).
pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def base_url(served_site) -> str:
    return served_site[0]


def watch(page, context) -> None:
    page.errors = []
    page.requests = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    context.on("request", lambda req: page.requests.append(req.url))


def check_clean(page) -> None:
    assert page.errors == [], page.errors
    foreign = [
        url
        for url in page.requests
        if urlsplit(url).hostname not in ("127.0.0.1", None) and not url.startswith(("data:", "blob:", "about:"))
    ]
    assert foreign == [], foreign


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser):
    """A page at the phone or desktop viewport that records console errors and every request."""
    context = browser.new_context(viewport=VIEWPORTS[request.param], accept_downloads=True)
    page = context.new_page()
    page.viewport = request.param
    watch(page, context)
    yield page
    check_clean(page)
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
            walk(answer.next, [*indexes, i], [*labels, answer.label])

    walk(kb.decision_tree.start, [], [])
    return out


def node(kb, node_id):
    return next(n for n in kb.decision_tree.nodes if n.id == node_id)


def stepper(page):
    return page.locator("#tree-stepper")


def heading_text(page) -> str:
    return stepper(page).locator("h2").inner_text()


def query_path(url: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get("path")
    return values[0] if values else None


def cited_in(locator) -> set[str]:
    hrefs = locator.locator("a.citation").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return {href.split("#", 1)[1] for href in hrefs}


def open_decide(page, base_url, query=""):
    page.goto(f"{base_url}/decide/{query}")
    page.wait_for_selector("#tree-stepper:not([hidden]) .tree-stepper__body h2")


# ---- Tree first ------------------------------------------------------------------------------


def test_the_page_opens_on_the_first_question_above_the_fold_a_few_tabs_after_the_skip_link(page, base_url, real_kb):
    open_decide(page, base_url)
    start = node(real_kb, real_kb.decision_tree.start)
    assert heading_text(page) == start.text
    height = VIEWPORTS[page.viewport]["height"]
    first = stepper(page).get_by_role("button", name=start.answers[0].label, exact=True)
    box = first.bounding_box()
    assert box["y"] + box["height"] <= height, box  # the whole first answer is on the first screen
    # Keyboard: Tab to the skip link, follow it, then Tab until the first answer has focus.
    page.keyboard.press("Tab")
    assert (
        "skip" in page.evaluate("document.activeElement.className + ' ' + document.activeElement.textContent").lower()
    )
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash !== ''")  # Material follows the skip link by script
    page.wait_for_timeout(300)  # as a reader would, before the next key
    presses = 0
    while page.evaluate("document.activeElement.textContent.trim()") != start.answers[0].label:
        presses += 1
        assert presses <= 4, "the first answer is more than 4 Tab presses after the skip link"
        page.keyboard.press("Tab")


# ---- Every path, the result and its recap -----------------------------------------------------


def test_every_path_through_the_tree_reaches_its_recommendation_with_a_recap(page, base_url, real_kb):
    paths = tree_paths(real_kb)
    open_decide(page, base_url)
    for indexes, labels, leaf in paths:
        page.get_by_role("button", name="Start again").click()
        for label in labels:
            stepper(page).get_by_role("button", name=label, exact=True).click()
        recommendation = node(real_kb, leaf)
        assert heading_text(page) == f"Recommendation: {recommendation.title}"
        expected = {ref for item in recommendation.reasons + recommendation.caveats for ref in item.cite}
        assert cited_in(stepper(page).locator(".tree-stepper__body")) == expected, leaf
        assert query_path(page.url) == ".".join(map(str, indexes))
        recap = stepper(page).locator(".tree-stepper__recap li")
        assert recap.count() == len(labels)
        for i, label in enumerate(labels):
            assert label in recap.nth(i).inner_text()
        assert stepper(page).get_by_role("button", name=re.compile("^Change your answer")).count() == len(labels)


def test_each_answer_of_the_recap_can_be_changed(page, base_url, real_kb):
    indexes, _labels, _leaf = max(tree_paths(real_kb), key=lambda p: len(p[0]))
    open_decide(page, base_url, "?path=" + ".".join(map(str, indexes)))
    nodes = {n.id: n for n in real_kb.decision_tree.nodes}
    # The second answer's "Change" goes back to the second question, keeping the first answer.
    second = nodes[nodes[real_kb.decision_tree.start].answers[indexes[0]].next]
    stepper(page).get_by_role("button", name=f"Change your answer to: {second.text}").click()
    assert heading_text(page) == second.text
    assert query_path(page.url) == str(indexes[0])
    assert page.evaluate("document.activeElement.textContent") == second.text


# The links are the same markup at every size; the walk over every result runs once, on a desktop.
@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_results_link_their_next_steps(page, base_url, real_kb):
    quick_starts = {qs.subject for qs in real_kb.quick_starts}
    api_subjects = {s for t in real_kb.tables if t.page == "api" for s in t.subjects}
    seen_api = False
    for indexes, _, leaf in tree_paths(real_kb):
        recommendation = node(real_kb, leaf)
        open_decide(page, base_url, "?path=" + ".".join(map(str, indexes)))
        hrefs = stepper(page).locator("a").evaluate_all("links => links.map(a => a.href)")
        for subject in set(recommendation.recommend) & quick_starts:
            assert f"{base_url}/getting-started/#{subject}-quick-start" in hrefs, (leaf, hrefs)
        if set(recommendation.recommend) & api_subjects:
            seen_api = True
            assert f"{base_url}/api/" in hrefs, leaf
    assert seen_api
    # A quick-start link lands on the quick start.
    indexes, _, leaf = next(p for p in tree_paths(real_kb) if node(real_kb, p[2]).recommend == ["django"])
    open_decide(page, base_url, "?path=" + ".".join(map(str, indexes)))
    stepper(page).get_by_role("link", name="Django quick start").click()
    page.wait_for_url(re.compile(r"/getting-started/#django-quick-start$"))
    page.locator("#django-quick-start").wait_for(state="visible", timeout=10_000)  # instant navigation swaps it in


# ---- History that behaves ---------------------------------------------------------------------


def test_back_undoes_one_answer_and_forward_redoes_it(page, base_url, real_kb):
    indexes, labels, leaf = max(tree_paths(real_kb), key=lambda p: len(p[0]))
    page.goto(f"{base_url}/")
    page.goto(f"{base_url}/decide/")
    page.wait_for_selector("#tree-stepper:not([hidden])")
    titles = []
    for label in labels:
        titles.append(heading_text(page))
        stepper(page).get_by_role("button", name=label, exact=True).click()
    result = heading_text(page)
    assert result == f"Recommendation: {node(real_kb, leaf).title}"
    for depth in range(len(labels) - 1, -1, -1):
        page.go_back()
        page.wait_for_function(
            "text => document.querySelector('#tree-stepper h2').textContent === text", arg=titles[depth]
        )
        assert query_path(page.url) == (".".join(map(str, indexes[:depth])) or None)
        assert "/decide/" in page.url
    page.go_forward()
    page.wait_for_function("text => document.querySelector('#tree-stepper h2').textContent === text", arg=titles[1])
    assert query_path(page.url) == str(indexes[0])
    page.go_back()
    page.go_back()  # one more Back leaves the page for the one before
    page.wait_for_url(f"{base_url}/")


def test_previous_question_and_start_again(page, base_url, real_kb):
    indexes, labels, leaf = tree_paths(real_kb)[1]
    open_decide(page, base_url, "?path=" + ".".join(map(str, indexes)))
    page.reload()
    assert heading_text(page) == f"Recommendation: {node(real_kb, leaf).title}"
    page.get_by_role("button", name="Previous question").click()
    assert stepper(page).get_by_role("button", name=labels[-1], exact=True).is_visible()
    assert query_path(page.url) == ".".join(map(str, indexes[:-1]))
    page.get_by_role("button", name="Start again").click()
    assert heading_text(page) == node(real_kb, real_kb.decision_tree.start).text
    assert query_path(page.url) is None
    assert page.get_by_role("button", name="Previous question").is_disabled()


def test_a_shared_link_opens_with_its_step_in_view_and_focused_even_with_a_stale_hash(page, base_url, real_kb):
    indexes, _, leaf = tree_paths(real_kb)[1]
    path = ".".join(map(str, indexes))
    # The hash Material's section tracking used to leave in copied links.
    open_decide(page, base_url, f"?path={path}#tree-nodes")
    heading = stepper(page).locator("h2")
    assert heading.inner_text() == f"Recommendation: {node(real_kb, leaf).title}"
    assert page.evaluate("document.activeElement === document.querySelector('#tree-stepper h2')")
    box = heading.bounding_box()
    assert 0 <= box["y"] < VIEWPORTS[page.viewport]["height"] - box["height"], box
    assert urlsplit(page.url).fragment == ""
    assert query_path(page.url) == path


def test_a_link_copied_after_scrolling_reopens_the_step(page, base_url, real_kb):
    # Material's navigation.tracking writes the section in view into the address bar; a reader who
    # scrolls down and then copies the address must still get a link to the step.
    indexes, _, leaf = tree_paths(real_kb)[1]
    path = ".".join(map(str, indexes))
    open_decide(page, base_url, f"?path={path}")
    for section in ("decision-table", "choose-flask", "tree-nodes"):
        page.locator(f"[id='{section}']").scroll_into_view_if_needed()
        page.mouse.wheel(0, 200)
        page.wait_for_timeout(700)  # Material's tracking writes the hash 250 ms after scrolling stops
        assert query_path(page.url) == path, page.url
    copied = page.url
    assert urlsplit(copied).fragment, copied  # the section in view
    page.goto("about:blank")
    page.goto(copied)
    page.wait_for_selector("#tree-stepper[data-ready]")
    assert heading_text(page) == f"Recommendation: {node(real_kb, leaf).title}"
    assert page.evaluate("document.activeElement === document.querySelector('#tree-stepper h2')")
    assert urlsplit(page.url).fragment == "" and query_path(page.url) == path


def test_the_tree_can_be_used_with_the_keyboard_alone(page, base_url, real_kb):
    _indexes, labels, _leaf = tree_paths(real_kb)[0]
    open_decide(page, base_url)
    for label in labels:
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == label:
                break
        else:
            pytest.fail(f"Tab never reached the answer {label!r}")
        page.keyboard.press("Enter")
        active_class = page.evaluate("document.activeElement.className")
        assert "tree-stepper__question" in active_class or "tree-stepper__result" in active_class
    status = stepper(page).locator(".tree-stepper__status")
    assert status.get_attribute("aria-live") == "polite"
    assert status.inner_text().startswith("Recommendation:")


# ---- The decision record ----------------------------------------------------------------------


def expected_record_parts(kb, leaf, labels):
    recommendation = node(kb, leaf)
    sources = {s.id: s for s in kb.sources}
    parts = [
        "# Use ",
        "- Status: proposed",
        "## Context",
        "## Decision",
        "## Consequences",
        "## Sources",
        f'"{recommendation.title}"',
    ]
    parts += [f"**{label}**" for label in labels]
    parts += [str(r.text) for r in recommendation.reasons]
    parts += [str(c.text) for c in recommendation.caveats]
    parts += [str(w) for w in recommendation.would_change]
    cited = {ref for item in recommendation.reasons + recommendation.caveats for ref in item.cite}
    for ref in cited:
        url = sources[ref].url
        parts.append(f"]({url})" if url else f"/sources/#{ref})")
    return parts


def test_the_decision_record_downloads_and_copies_with_the_answers_given(page, base_url, real_kb):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    indexes, labels, leaf = tree_paths(real_kb)[1]
    open_decide(page, base_url, "?path=" + ".".join(map(str, indexes)))
    with page.expect_download() as info:
        stepper(page).get_by_role("button", name="Download it (.md)").click()
    download = info.value
    assert download.suggested_filename == f"decision-record-{leaf}.md"
    text = Path(download.path()).read_text(encoding="utf-8")
    for part in expected_record_parts(real_kb, leaf, labels):
        assert part in text, part
    assert re.search(r"^- Date: \d{4}-\d{2}-\d{2}$", text, re.M)
    reviewed = max(s.reviewed for s in real_kb.sources).isoformat()
    assert re.search(rf"version \d+\.\d+\.\d+\S*, sources reviewed up to {reviewed}", text)
    assert "](../" not in text  # every link absolute, so the file works in another repository
    assert f"{base_url}/decide/?path=" in text
    stepper(page).get_by_role("button", name="Copy the decision record").click()
    # The clipboard answers asynchronously: until it does, the status still tells of the download.
    page.wait_for_function(
        "() => document.querySelector('#tree-stepper .tree-stepper__record-status').textContent"
        " === 'Copied the decision record.'"
    )
    assert page.evaluate("navigator.clipboard.readText()") == text


def test_a_not_sure_path_puts_its_own_answers_in_the_record(page, base_url, real_kb):
    not_sure = [(i, labels, leaf) for i, labels, leaf in tree_paths(real_kb) if labels[-1] == "Not sure yet"]
    assert not_sure, "the tree offers a 'not sure' answer"
    indexes, labels, leaf = not_sure[0]
    open_decide(page, base_url, "?path=" + ".".join(map(str, indexes)))
    text = stepper(page).locator(".tree-stepper__record-text pre").text_content()
    assert "**Not sure yet**" in text
    for part in expected_record_parts(real_kb, leaf, labels):
        assert part in text, part


def test_without_javascript_every_node_and_each_result_s_record_is_there(browser, base_url, real_kb):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    # The questions are on the tree page, each answer a link onward; every path ends at a
    # recommendation on the Decide page. A reader follows one path by its links alone.
    questions = {n.id for n in real_kb.decision_tree.nodes if isinstance(n, Question)}
    page.goto(f"{base_url}/decide/tree/")
    for tree_node in real_kb.decision_tree.nodes:
        if tree_node.id in questions:
            assert page.locator(f"[id='{tree_node.id}']").is_visible(), tree_node.id
            href = f"#{tree_node.id}"
        else:
            href = f"../#{tree_node.id}"
        assert page.locator(f"a[href='{href}']").count() >= 1, tree_node.id
    assert page.locator("#tree-overview ~ figure svg").is_visible()
    page.goto(f"{base_url}/decide/")
    assert not page.locator("#tree-stepper").is_visible()
    assert page.locator(".tree-nojs").is_visible()
    page.locator(".tree-nojs a").click()
    page.wait_for_url(f"**/decide/tree/#{real_kb.decision_tree.start}")
    _indexes, labels, leaf = tree_paths(real_kb)[0]
    for label in labels:
        current = urlsplit(page.url).fragment
        section = page.locator(f"[id='{current}'] ~ ul").first
        section.locator("li", has_text=label).first.locator("a").click()
    page.wait_for_url(f"**/decide/#{leaf}")
    assert page.locator(f"[id='{leaf}']").is_visible()
    for tree_node in real_kb.decision_tree.nodes:
        if tree_node.id not in questions:
            assert page.locator(f"[id='{tree_node.id}']").is_visible(), tree_node.id
    for leaf in dict.fromkeys(p[2] for p in tree_paths(real_kb)):
        record = page.locator(f"[id='record-{leaf}']")
        record.locator("summary").click()
        text = record.locator("pre").inner_text()
        first_path = next(p for p in tree_paths(real_kb) if p[2] == leaf)
        for part in expected_record_parts(real_kb, leaf, first_path[1]):
            assert part in text, (leaf, part)
    page.goto(f"{base_url}/comparison/")
    assert not page.locator("#needs-filter").is_visible()
    for dimension in real_kb.dimensions:
        if dimension.table == "frameworks":
            assert page.locator(f"[id='{dimension.id}']").is_visible()
    context.close()


# ---- The needs filter -------------------------------------------------------------------------


def expected_tally(kb, chosen: list[str]) -> dict[str, str]:
    """{dimension: verdict} as the filter must count it: a recorded conflict is `disputed`, never a win."""
    from decision_guide.outcomes import leaning

    conflicted = {c.dimension for c in kb.conflicts}
    names = {s.id: s.name for s in kb.subjects}
    verdicts = {d.id: d.verdict for d in kb.dimensions}
    leans: dict[str, set[str]] = {}
    for need in kb.needs:
        if need.id in chosen:
            for dimension in need.rows:  # the leaning is read from the row's verdict
                subject = leaning(verdicts[dimension], need.id)
                leans.setdefault(dimension, set()).add(names[subject] if subject else "Either")
    return {d: "disputed" if d in conflicted else ("mixed" if len(v) > 1 else next(iter(v))) for d, v in leans.items()}


def marked_rows(page) -> set[str]:
    return set(page.locator(".need-match a.dimension-link").evaluate_all("links => links.map(a => a.id)"))


def test_the_needs_filter_answers_with_a_tally_that_never_counts_a_disagreement_as_a_win(page, base_url, real_kb):
    conflicted = {c.dimension for c in real_kb.conflicts}
    # Three needs, among them one whose rows include a recorded disagreement.
    chosen = [n.id for n in real_kb.needs if any(r in conflicted for r in n.rows)][:1]
    chosen += [n.id for n in real_kb.needs if n.id not in chosen][: 3 - len(chosen)]
    page.goto(f"{base_url}/comparison/")
    page.wait_for_selector("#needs-filter:not([hidden])")
    assert page.locator(".need-match").count() == 0
    for need_id in chosen:
        page.get_by_label(next(n.label for n in real_kb.needs if n.id == need_id), exact=True).check()
    tally = expected_tally(real_kb, chosen)
    assert marked_rows(page) == set(tally)
    summary = page.locator(".needs-filter__summary").inner_text()
    assert summary.startswith(f"{len(chosen)} needs: ")
    disputed = sum(1 for v in tally.values() if v == "disputed")
    assert disputed and f"{disputed} where sources disagree" in summary, summary
    for subject in {v for v in tally.values() if v not in ("disputed", "mixed", "Either")}:
        count = sum(1 for v in tally.values() if v == subject)
        assert re.search(rf"\b{count} rows? leans? {subject}\b", summary), (subject, summary)
    for dimension, verdict in tally.items():
        note = page.locator(f"[id='{dimension}']").locator("xpath=ancestor::*[contains(@class, 'need-match')][1]")
        note = note.locator(".need-note")
        if verdict == "disputed":
            assert "sources disagree" in note.inner_text() and "favours" not in note.inner_text(), dimension
    assert parse_qs(urlsplit(page.url).query)["needs"] == [",".join(n.id for n in real_kb.needs if n.id in chosen)]
    # Show only these rows, kept in the URL and restored on reload.
    page.get_by_label("Show only these rows").check()
    visible = set(page.locator("a.dimension-link:visible").evaluate_all("links => links.map(a => a.id)"))
    table_rows = {d.id for d in real_kb.dimensions if d.table == "frameworks"}
    assert visible == set(tally) & table_rows
    hidden = next(d.id for d in real_kb.dimensions if d.table == "frameworks" and d.id not in tally)
    assert not page.locator(f"[id='about-{hidden}']").is_visible()  # the whole block goes, heading included
    assert "only=1" in page.url
    page.reload()
    page.wait_for_selector("#needs-filter:not([hidden])")
    assert page.get_by_label("Show only these rows").is_checked()
    assert marked_rows(page) == set(tally)
    # Clear: every row back, nothing marked, the URL clean.
    page.locator("#needs-filter").get_by_role("button", name="Clear").click()
    assert page.locator(".need-match").count() == 0
    assert page.locator("a.dimension-link:visible").count() == len(table_rows)
    assert page.locator(f"[id='about-{hidden}']").is_visible()
    assert "needs=" not in page.url and "only=" not in page.url


def relative_luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_needs_highlight_is_visible_in_both_palettes(browser, base_url, real_kb, scheme):
    context = browser.new_context(color_scheme=scheme, viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    watch(page, context)
    need = real_kb.needs[0]
    page.goto(f"{base_url}/comparison/?needs={need.id}")
    page.wait_for_selector(".need-match")
    row = page.locator(".need-match").first  # the dimension's block: a bar down its side, its verdict line tinted
    marked = row.locator(".dimension__head").first.evaluate("el => getComputedStyle(el).backgroundColor")
    plain = page.evaluate("getComputedStyle(document.body).backgroundColor")
    ratio = (max(relative_luminance(marked), relative_luminance(plain)) + 0.05) / (
        min(relative_luminance(marked), relative_luminance(plain)) + 0.05
    )
    assert ratio >= 1.25, (marked, plain, ratio)  # a tint a reader sees, not a faint wash
    bar = row.evaluate("el => getComputedStyle(el).boxShadow")
    assert "inset" in bar, bar  # and a bar at the block's edge
    assert row.locator(".need-note").first.is_visible()  # and said in text, not by colour alone
    check_clean(page)
    context.close()


# ---- Palettes and print -----------------------------------------------------------------------


def test_dark_palette_applies_to_the_stepper(browser, base_url):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(f"{base_url}/decide/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    color = page.locator(".tree-stepper__question").evaluate("el => getComputedStyle(el).color")
    assert relative_luminance(color) > 0.4, color  # light text on the dark background
    context.close()


def test_print_shows_every_answer_and_the_whole_tree_without_javascript(browser, base_url, real_kb):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(f"{base_url}/faq/")
    for faq in real_kb.faqs:
        assert page.locator(f"[id='{faq.id}'] > p").first.is_visible(), faq.id  # closed answers print too
    questions = {n.id for n in real_kb.decision_tree.nodes if isinstance(n, Question)}
    page.goto(f"{base_url}/decide/")
    assert not page.locator("#tree-stepper").is_visible()
    for tree_node in real_kb.decision_tree.nodes:
        if tree_node.id not in questions:
            assert page.locator(f"[id='{tree_node.id}']").is_visible(), tree_node.id
    page.goto(f"{base_url}/decide/tree/")
    assert page.locator("#tree-overview").is_visible() and page.locator("#tree-overview ~ figure svg").is_visible()
    for question in questions:
        assert page.locator(f"[id='{question}']").is_visible(), question
    context.close()
