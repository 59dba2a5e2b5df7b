"""The built site, as a reader and a searcher meet it: every entry of the YAML on its page,
with its citations, and in Material's search index."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from conftest import ROOT, Site, build, make_project
from decision_guide.registry import EVIDENCE_PAGES, PAGES, REFERENCE_PAGES
from decision_guide.schema import Question, Recommendation
from synthetic import dump, synthetic_knowledge_base


def plain(markdown: str) -> str:
    """Text as it reads once rendered: Markdown emphasis, code marks and link targets dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return squash(re.sub(r"[*`]", "", text))


#: The maintenance flag the build adds after a package's name (see test_release_flags.py).
RELEASE_FLAG = re.compile(r"\s*\(no release since \d{4}-\d{2}-\d{2}\)")


def squash(text: str) -> str:
    """Whitespace folded, no space before punctuation (get_text(" ") pads inline elements), and
    the build's maintenance flags left out, so the text compares with the YAML it came from."""
    return re.sub(r"\s+([.,;:?!)])", r"\1", " ".join(RELEASE_FLAG.sub("", text).split()))


def cited(element) -> set[str]:
    """The source ids an element's citation links point at."""
    return {a["href"].split("#", 1)[1] for a in element.select("a.citation")}


def table_page(real_kb, table_id: str) -> str:
    return next(t.page for t in real_kb.tables if t.id == table_id)


def evidence_page(real_kb, dimension) -> str:
    """The built page that holds a row's evidence: ``<page>/<id>`` for a row of a page with an
    evidence family (the Comparison and API pages: its own page), else the row's table page."""
    from decision_guide.registry import EVIDENCE_PAGES

    page = table_page(real_kb, dimension.table)
    return f"{page}/{dimension.id}" if page in EVIDENCE_PAGES else page


def position_cells(anchor) -> list:
    """The one-line positions of the row whose address is ``anchor``: the paragraphs of a
    Comparison row (``div.dimension``), or the cells of a table row (the API page)."""
    row = anchor.find_parent("div", class_="dimension")
    if row is not None and row.find("tbody") is None:
        return row.select("p.dimension__position")
    return anchor.find_parent("tbody").select("tr.dimension__positions > td")


def test_every_dimension_is_a_table_row_with_positions_and_citations(real_site: Site, real_kb):
    for dimension in real_kb.dimensions:
        page = real_site.page(table_page(real_kb, dimension.table))
        anchor = page.find(id=dimension.id)
        assert anchor is not None, dimension.id
        cells = position_cells(anchor)
        table = next(t for t in real_kb.tables if t.id == dimension.table)
        assert len(cells) == len(table.subjects)
        for subject, cell in zip(table.subjects, cells, strict=False):
            position = dimension.positions[subject]
            assert plain(position.summary) in squash(cell.get_text(" ")), (dimension.id, subject)
            assert cited(cell) == set(position.cite), (dimension.id, subject)
        section = page.find(id=f"about-{dimension.id}")
        assert section is not None and section.name == "h3"
        # Each position's detail, with the same sources, on the page that holds the row's evidence.
        evidence = real_site.page(evidence_page(real_kb, dimension))
        text = squash(evidence.get_text(" "))
        for subject in table.subjects:
            assert plain(dimension.positions[subject].detail) in text, (dimension.id, subject)
            if evidence_page(real_kb, dimension) != table.page:
                heading = evidence.find(id=subject)
                assert heading.name == "h2" and cited(heading.find_next_sibling("p")) == set(
                    dimension.positions[subject].cite
                ), (dimension.id, subject)


def test_every_claim_appears_under_its_dimension(real_site: Site, real_kb):
    for dimension in real_kb.dimensions:
        text = squash(real_site.page(evidence_page(real_kb, dimension)).get_text(" "))
        for claim in dimension.claims:
            assert plain(claim.text) in text, claim.id


def test_conflicts_are_flagged_in_the_row_and_show_every_side(real_site: Site, real_kb):
    assert real_kb.conflicts
    for conflict in real_kb.conflicts:
        dimension = next(d for d in real_kb.dimensions if d.id == conflict.dimension)
        page = real_site.page(table_page(real_kb, dimension.table))
        holder = evidence_page(real_kb, dimension)
        if holder == table_page(real_kb, dimension.table):
            row, href = page.find(id=dimension.id).find_parent("tr"), f"#{conflict.id}"
            box = page.find(id=conflict.id)
            title = box.select_one(".admonition-title")
        else:  # a Comparison row flags it, linking to its heading in a warning on the evidence page
            row, href = (
                page.find(id=dimension.id).find_parent("div", class_="dimension"),
                f"{dimension.id}/#{conflict.id}",
            )
            heading = real_site.page(holder).find(id=conflict.id)
            box, title = heading.find_parent("div", class_="admonition"), heading
            assert "warning" in box["class"] and "admonition-title" in heading["class"], conflict.id
        assert row.select_one(f'a.conflict-flag[href="{href}"]') is not None, conflict.id
        assert box is not None and "Sources disagree" in title.get_text()
        block = [box]
        text = squash(box.get_text(" "))
        for stance in conflict.stances:
            assert plain(stance.says) in text, conflict.id
        assert plain(conflict.evidence) in text
        assert set(conflict.cite) <= set().union(*(cited(el) for el in block))


def test_every_correction_is_on_the_sources_page_with_official_links(real_site: Site, real_kb):
    page = real_site.page("sources")
    sources = {s.id: s for s in real_kb.sources}
    for correction in real_kb.corrections:
        heading = page.find(id=correction.id)
        assert heading is not None, correction.id
        details = heading.find_next_sibling("ul")
        text = squash(details.get_text(" "))
        assert plain(correction.claimed) in text and plain(correction.fact) in text
        links = {a["href"] for a in details.find_all("a")}
        assert {sources[ref].url for ref in correction.cite} <= links


def test_every_source_has_an_anchor_that_citations_reach(real_site: Site, real_kb):
    page = real_site.page("sources")
    for source in real_kb.sources:
        assert page.find(id=source.id) is not None, source.id
    article_text = squash(page.get_text(" "))
    for source in real_kb.sources:
        assert f"Reviewed for this guide: {source.reviewed.isoformat()}" in article_text or source.kind != "article"


def test_every_faq_is_a_heading_with_its_answer_a_permalink_and_citations(real_site: Site, real_kb):
    page = real_site.page("faq")
    for faq in real_kb.faqs:
        block = page.find("div", id=faq.id)
        assert block is not None, faq.id
        heading = block.find("h2")
        assert plain(faq.question) in heading.get_text()
        assert heading.select_one(f'a.headerlink[href="#{heading["id"]}"]') is not None
        assert plain(faq.answer) in squash(block.get_text(" "))
        assert cited(block) == set(faq.cite)


def test_every_tree_node_is_on_the_decide_page_and_answers_link_onward(real_site: Site, real_kb):
    decide, tree = real_site.page("decide"), real_site.page("decide/tree")
    questions = {n.id for n in real_kb.decision_tree.nodes if isinstance(n, Question)}
    for node in real_kb.decision_tree.nodes:
        # Questions on the tree page (the way through without JavaScript), recommendations on the
        # Decide page (where the stepper shows them, with their decision records).
        page = tree if node.id in questions else decide
        assert (decide if node.id in questions else tree).find(id=node.id) is None, node.id
        heading = page.find(id=node.id)
        assert heading is not None, node.id
        section = []
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h2", "h3", "h4"):
                break
            section.append(sibling)
        if isinstance(node, Question):
            assert plain(node.text) in heading.get_text()
            for answer in node.answers:
                href = f"#{answer.next}" if answer.next in questions else f"../#{answer.next}"
                links = [a for el in section for a in el.select(f'a[href="{href}"]')]
                assert links, (node.id, answer.next)
                assert any(plain(answer.label) in squash(el.get_text(" ")) for el in section)
        else:
            assert isinstance(node, Recommendation)
            assert plain(node.title) in heading.get_text()
            text = squash(" ".join(el.get_text(" ") for el in section))
            for reason in node.reasons:
                assert plain(reason.text) in text
            assert {ref for r in node.reasons for ref in r.cite} <= set().union(*(cited(el) for el in section))


def test_decision_table_and_guidance_lists(real_site: Site, real_kb):
    page = real_site.page("decide")
    text = squash(page.get_text(" "))
    for row in real_kb.decision_table:
        assert plain(row.need) in text and plain(row.reason) in text
    for subject, guidance in real_kb.guidance.items():
        assert page.find(id=f"choose-{subject}") is not None
        for item in guidance.choose_when + guidance.pros + guidance.cons + guidance.examples:
            assert plain(item.text) in text


def test_quick_starts_show_every_step(real_site: Site, real_kb):
    page = real_site.page("getting-started")
    text = squash(page.get_text(" "))
    code = [block.get_text().strip() for block in page.select("pre code")]
    for quick_start in real_kb.quick_starts:
        assert page.find(id=f"{quick_start.subject}-quick-start") is not None
        for step in quick_start.steps:
            assert plain(step.text) in text
            if step.code:
                assert step.code.strip() in code


def test_home_page_embeds_the_quick_answer(real_site: Site, real_kb):
    page = real_site.page("")
    assert plain(real_kb.quick_answer.text) in squash(page.get_text(" "))
    assert "<!-- guide:" not in str(page)


def test_search_index_contains_every_generated_entry(real_site: Site, real_kb):
    text = squash(" ".join(f"{doc['title']} {doc['text']}" for doc in real_site.search_index["docs"]))
    expected = [d.name for d in real_kb.dimensions]
    tables = {t.id: t for t in real_kb.tables}
    expected += [d.positions[s].summary for d in real_kb.dimensions for s in tables[d.table].subjects]
    expected += [c.topic for c in real_kb.conflicts] + [c.topic for c in real_kb.corrections]
    expected += [f.question for f in real_kb.faqs] + [plain(f.answer) for f in real_kb.faqs]
    expected += [n.text if isinstance(n, Question) else n.title for n in real_kb.decision_tree.nodes]
    missing = [entry for entry in expected if plain(entry) not in text]
    assert not missing


def test_generated_pages_edit_link_points_at_the_knowledge_base(real_site: Site, real_kb):
    tables = {t.id: t.page for t in real_kb.tables}
    evidence = [
        EVIDENCE_PAGES[tables[d.table]].src_uri(d.id) for d in real_kb.dimensions if tables[d.table] in EVIDENCE_PAGES
    ]
    edited_in = {
        **dict.fromkeys((*(page.src_uri for page in PAGES), *evidence), "content/comparisons.yaml"),
        **{page.src_uri: "src/decision_guide/schema.py" for page in REFERENCE_PAGES},
    }
    for src_uri, source in edited_in.items():
        edit = real_site.page(src_uri.removesuffix(".md")).select_one('a[title="Edit this page"]')
        assert edit is not None and edit["href"].endswith(f"/edit/main/{source}"), src_uri
    edit = real_site.page("contributing").select_one('a[title="Edit this page"]')
    assert edit["href"].endswith("/edit/main/docs/contributing.md")


def test_pages_load_nothing_from_another_origin(real_site: Site):
    loaded_by_browser = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}
    for path in real_site.html_files():
        html = path.read_text(encoding="utf-8")
        doc = BeautifulSoup(html, "html.parser")
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in doc.find_all(tag):
                url = element.get(attribute)
                if not url or (tag == "link" and not loaded_by_browser & set(element.get("rel", []))):
                    continue
                assert not urlsplit(url).netloc, f"{path}: {tag} loads {url}"
        assert "fonts.googleapis.com" not in html and "api.github.com" not in html, path


def test_schema_is_published(real_site: Site):
    schema = json.loads((real_site.root / "schema" / "comparisons.schema.json").read_text())
    assert schema["title"] and "dimensions" in schema["properties"]


# ---- Pages come from the data, and bad data stops the build ---------------------------


def test_a_synthetic_knowledge_base_builds_its_own_pages(tmp_path):
    data = synthetic_knowledge_base(marker="zebracorn")
    project = make_project(tmp_path / "project", dump(data))
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    site = Site(tmp_path / "site")
    comparison = squash(site.page("comparison").get_text(" "))
    for dimension in data["dimensions"][:-1]:
        assert dimension["name"] in comparison
    assert "Flask-RESTful" not in squash(site.page("api").get_text(" "))
    faq = site.page("faq")
    assert [d["id"] for d in faq.select("div.faq")] == [f["id"] for f in data["faqs"]]
    decide, tree = site.page("decide"), site.page("decide/tree")
    for node in data["decision_tree"]["nodes"]:
        assert (tree if "answers" in node else decide).find(id=node["id"]) is not None
    for dimension in data["dimensions"]:
        table = next(t for t in data["tables"] if t["id"] == dimension["table"])
        if table["page"] == "comparison":
            assert site.page(f"comparison/{dimension['id']}").find("h1").get_text().startswith(dimension["name"])


def test_a_broken_knowledge_base_fails_the_build_cleanly_and_writes_nothing(tmp_path):
    data = synthetic_knowledge_base()
    data["dimensions"][1]["positions"]["fw0"]["cite"] = ["article-z"]
    text = dump(data)
    line = next(i for i, line in enumerate(text.splitlines(), 1) if "article-z" in line)
    project = make_project(tmp_path / "project", text)
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"content/comparisons.yaml:{line}:" in result.stderr
    assert "unknown source `article-z`" in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"]


def test_markup_in_a_text_field_never_reaches_the_site(tmp_path):
    for i, payload in enumerate(PAYLOADS):
        data = synthetic_knowledge_base()
        data["faqs"][0]["answer"] += " " + payload
        data["dimensions"][0]["positions"]["fw0"]["detail"] += " " + payload
        project = make_project(tmp_path / f"project-{i}", dump(data))
        result = build(project, tmp_path / f"site-{i}")
        assert result.returncode != 0 and "is not allowed" in result.stderr, payload
        assert not (tmp_path / f"site-{i}" / "faq").exists()


def test_markup_in_a_code_field_is_shown_as_text(tmp_path):
    data = synthetic_knowledge_base()
    data["quick_starts"][0]["steps"][0]["code"] = PAYLOADS[0] + "\n" + PAYLOADS[1]
    project = make_project(tmp_path / "project", dump(data))
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = Site(tmp_path / "site").page("getting-started")
    assert PAYLOADS[0] in page.select_one("pre code").get_text()
    assert not any("alert(1)" in (script.string or "") for script in page.find_all("script"))
    assert not page.find("img", onerror=True)


def test_the_nav_lists_the_registered_pages_in_order():
    import yaml as pyyaml

    from decision_guide.registry import PAGES

    class Loader(pyyaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = pyyaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    nav = [(title, path) for item in config["nav"] for title, path in item.items()]
    generated = [(title, path) for title, path in nav if path in {p.src_uri for p in PAGES}]
    assert generated == [(p.nav_title, p.src_uri) for p in PAGES if p.in_nav]
    assert [p.src_uri for p in PAGES if not p.in_nav] == ["decide/tree.md"]  # reached from Decide


def test_not_in_nav_names_exactly_the_generated_pages_the_nav_leaves_out(real_kb):
    # MkDocs keeps a page out of the nav by `not_in_nav` in mkdocs.yml, with the hook or without it
    # (a build from `render`'s folder); the registry says which pages those are.
    import pathspec
    import yaml as pyyaml

    from decision_guide.pages import Renderer
    from decision_guide.registry import NAV_SRC_URIS, REFERENCE_PAGES

    class Loader(pyyaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = pyyaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    spec = pathspec.GitIgnoreSpec.from_lines(config["not_in_nav"].splitlines())
    generated = [*Renderer(real_kb).src_uris(), *(p.src_uri for p in REFERENCE_PAGES)]
    assert len(generated) > 30
    assert {uri for uri in generated if spec.match_file(uri)} == set(generated) - NAV_SRC_URIS


def test_a_pipe_or_attribute_list_in_a_cell_stays_text_in_its_cell(tmp_path):
    data = synthetic_knowledge_base()
    data["dimensions"][0]["positions"]["fw0"]["summary"] = 'left | right {: onclick="x" } *kept*'
    data["subjects"][0]["name"] = "Name {#forged} ###"
    project = make_project(tmp_path / "project", dump(data))
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = Site(tmp_path / "site").page("comparison")
    cells = position_cells(page.find(id="dim-0"))
    assert len(cells) == 2
    assert 'left | right {: onclick="x" } kept' in squash(cells[0].get_text(" "))
    assert cells[0].find("em").get_text() == "kept"
    assert not page.find(attrs={"onclick": True}) and page.find(id="forged") is None
    assert "Name {#forged} ###:" in cells[0].find("strong").get_text()
    evidence = Site(tmp_path / "site").page("comparison/dim-0")
    assert not evidence.find(attrs={"onclick": True}) and evidence.find(id="forged") is None
    assert "Name {#forged} ###" in evidence.find("h2").get_text()


def test_release_data_is_shown_from_the_knowledge_base(real_site: Site, real_kb):
    sources = real_site.page("sources")
    table = sources.find(id="releases").find_next("table")
    rows = {
        squash(tr.find("td").get_text(" ")).split(" [")[0]: squash(tr.get_text(" ")) for tr in table.select("tbody tr")
    }
    for release in real_kb.releases:
        assert release.version in rows[release.package] and release.last_release.isoformat() in rows[release.package]
    getting_started = squash(real_site.page("getting-started").get_text(" "))
    for quick_start in real_kb.quick_starts:
        release = next(r for r in real_kb.releases if r.subject == quick_start.subject)
        assert f"{release.package} {release.version}" in getting_started


def test_a_recommendation_says_what_builds_on_what(real_kb):
    from decision_guide.pages import Views

    views = Views(real_kb)
    assert views.recommendation_phrase(["django", "drf"]) == "Django with Django REST framework"
    assert views.recommendation_phrase(["flask", "flask-smorest", "apiflask"]) == "Flask with flask-smorest or APIFlask"
    assert views.recommendation_phrase(["flask-socketio", "quart"]) == "Flask-SocketIO or Quart"


def test_a_legacy_tool_is_flagged_before_the_rows(real_site: Site, real_kb):
    """A tool the articles compare but the guide no longer recommends (a table's `legacy`) is named
    once before the rows, with its maintenance note and the build's "no release since" flag."""
    releases = {r.subject: r for r in real_kb.releases if r.subject}
    flagged = [(t, s) for t in real_kb.tables for s in t.legacy if s in releases and releases[s].maintenance]
    assert flagged, "the real guide compares Flask-RESTful as its legacy API option"
    for table, subject in flagged:
        page = real_site.page(table.page)
        warnings = " ".join(" ".join(w.get_text(" ").split()) for w in page.select(".admonition.warning"))
        assert plain(releases[subject].maintenance) in squash(warnings), subject
        assert f"(no release since {releases[subject].last_release.isoformat()})" in warnings, subject


def test_templates_call_no_python_method():
    # Templates print data and call macros; anything computed (look-ups, paths through the tree,
    # decision records, dates in words) comes from decision_guide.pages.Views or a filter. A call
    # is allowed only to a macro (the template's own, or one of a template it imports) or to
    # Jinja's own `namespace`.
    from jinja2 import nodes

    from decision_guide.pages import environment

    env = environment()
    calls = []
    for name in env.list_templates():
        tree = env.parse(env.loader.get_source(env, name)[0])
        modules = {node.target for node in tree.find_all(nodes.Import)}
        macros = {node.name for node in tree.find_all(nodes.Macro)} | {"namespace"}
        for call in tree.find_all(nodes.Call):
            callee = call.node
            if isinstance(callee, nodes.Name) and callee.name in macros:
                continue
            imported = isinstance(callee, nodes.Getattr) and isinstance(callee.node, nodes.Name)
            if imported and callee.node.name in modules:
                continue
            calls.append(f"{name}:{call.lineno}: {callee}")
    assert len(env.list_templates()) > 10 and calls == []


def test_the_tree_s_walks_expand_a_shared_question_once_and_follow_the_first_path():
    from decision_guide.schema import DecisionTree
    from decision_guide.tree import first_paths, outline

    def question(node_id: str, *answers: tuple[str, str]) -> dict:
        return {"kind": "question", "id": node_id, "text": f"{node_id}?", "answers": [
            {"label": label, "next": target} for label, target in answers
        ]}  # fmt: skip

    def recommendation(node_id: str) -> dict:
        return {"kind": "recommendation", "id": node_id, "title": node_id, "recommend": ["django"],
                "reasons": [{"text": "A reason.", "cite": ["a-source"]}]}  # fmt: skip

    t = DecisionTree.model_validate(
        {
            "start": "start",
            "nodes": [
                question("start", ("left", "left"), ("right", "right")),
                question("left", ("to shared", "shared"), ("own", "r-left")),
                question("right", ("to shared", "shared"), ("own", "r-right")),
                question("shared", ("one", "r1"), ("two", "r2")),
                *(recommendation(r) for r in ("r-left", "r-right", "r1", "r2", "unreached")),
            ],
        }
    )
    nodes = {n.id: n for n in t.nodes}
    lines = [(line.depth, line.answer.label, line.next) for line in outline(t, nodes)]
    assert lines == [
        (0, "left", "left"),
        (1, "to shared", "shared"),
        (2, "one", "r1"),
        (2, "two", "r2"),
        (1, "own", "r-left"),
        (0, "right", "right"),
        (1, "to shared", "shared"),  # listed again, not expanded again
        (1, "own", "r-right"),
    ]
    paths = {leaf: [(q.id, a.label) for q, a in trail] for leaf, trail in first_paths(t, nodes).items()}
    assert paths == {
        "r1": [("start", "left"), ("left", "to shared"), ("shared", "one")],
        "r2": [("start", "left"), ("left", "to shared"), ("shared", "two")],
        "r-left": [("start", "left"), ("left", "own")],
        "r-right": [("start", "right"), ("right", "own")],
    }
