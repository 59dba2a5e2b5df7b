"""Page and search-index budgets (issue 13): the pages of the guide stay small enough for a phone
(Lighthouse's mobile performance of 100 needs well under 800 DOM elements per page, Material's
header, nav and table of contents included), and the search index stays small enough to fetch
on a slow connection, without losing the searches that land on an answer.

Material's search gives each heading with an id one entry (the heading's title, and the text up to
the next heading), and leaves out whatever carries ``data-search-exclude``. The pages keep the
index small by excluding repeated or secondary text (a field's type line, citation markers, code,
the release table), never the text that answers a question.
"""

from __future__ import annotations

import gzip
import html
import re

from bs4 import BeautifulSoup

from conftest import ROOT, Site
from decision_guide.reference import models, page_of_models
from decision_guide.registry import PAGES, REFERENCE_PAGES
from decision_guide.schema import json_schema

#: Most elements a page may have (``len(soup.find_all(True))``, the whole document).
ELEMENT_BUDGET = 800
#: Largest search index, gzip-compressed at level 6 (a web server's usual level), in bytes. Raised
#: from 30 KiB when the API page went from three tools to five, each row with an evidence page
#: (issue 17): about 33 KiB then.
SEARCH_INDEX_BUDGET = 35 * 1024


def elements(site: Site, name: str) -> int:
    return len(site.page(name).find_all(True))


def words(text: str) -> set[str]:
    """The terms Material's search finds in an entry's text: tags dropped, split as its
    ``separator`` (``[\\s\\-]+``) splits, lower case."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text)).lower()
    return {word.strip(".,:;()[]'\"") for word in re.split(r"[\s\-]+", plain)} - {""}


def entries(site: Site, prefix: str) -> list[dict]:
    """The search entries of the page at ``prefix`` (``faq/``), its sections included."""
    return [doc for doc in site.search_index["docs"] if doc["location"].split("#")[0] == prefix]


def landing(site: Site, query: str) -> set[str]:
    """The pages (``faq/``) of the entries that hold every word of ``query``, in title or text."""
    terms = words(query)
    return {
        doc["location"].split("#")[0]
        for doc in site.search_index["docs"]
        if terms <= words(doc["title"]) | words(doc["text"])
    }


# ---- Elements --------------------------------------------------------------------------------


def test_every_page_stays_under_the_element_budget(real_site: Site):
    sizes = {}
    for path in real_site.html_files():
        name = path.relative_to(real_site.root).parent.as_posix()
        sizes[name] = len(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all(True))
    # Every built page is counted: those the registry generates among them.
    assert {page.src_uri.removesuffix(".md") for page in (*PAGES, *REFERENCE_PAGES)} <= set(sizes)
    over = {name: size for name, size in sizes.items() if size > ELEMENT_BUDGET}
    assert over == {}, f"pages over {ELEMENT_BUDGET} elements: {over}"


def test_the_element_count_is_of_the_whole_document(real_site: Site):
    # The budget would mean nothing if the count missed Material's header, nav and table of contents.
    page = real_site.page("sources")
    chrome = len(page.select_one("header").find_all(True)) + len(page.select_one("nav.md-nav--primary").find_all(True))
    assert elements(real_site, "sources") > chrome + len(page.select_one("article").find_all(True))


def test_sources_draws_no_table_of_contents_entry_per_source_or_correction(synthetic_site):
    kb, site = synthetic_site
    page = site.page("sources")
    toc = {a["href"] for a in page.select(".md-nav--secondary a.md-nav__link")}
    official = [s.id for s in kb.sources if s.kind != "article"]
    assert not toc & {f"#{id}" for id in official + [c.id for c in kb.corrections]}
    # Each still has the anchor citations and "Details" links reach, and each correction a heading.
    for id in official:
        assert page.find(id=id).name == "li", id
    for correction in kb.corrections:
        heading = page.find(id=correction.id)
        assert heading.name == "h3" and heading.select_one("a.headerlink")["href"] == f"#{correction.id}"


# ---- Search index ----------------------------------------------------------------------------


def test_search_index_stays_under_its_budget(real_site: Site):
    data = (real_site.root / "search" / "search_index.json").read_bytes()
    size = len(gzip.compress(data, compresslevel=6))
    per_page: dict[str, int] = {}
    for doc in real_site.search_index["docs"]:
        page = doc["location"].split("#")[0] or "(home)"
        per_page[page] = per_page.get(page, 0) + len(doc["title"]) + len(doc["text"])
    largest = sorted(per_page.items(), key=lambda item: -item[1])[:5]
    assert size < SEARCH_INDEX_BUDGET, (
        f"search index: {size / 1024:.1f} KiB gzip (budget {SEARCH_INDEX_BUDGET / 1024:.0f} KiB); "
        f"largest pages (characters of title and text): {largest}"
    )


def test_every_field_is_found_on_its_page_of_the_field_reference(real_site: Site):
    schema = json_schema()
    pages = page_of_models(schema)
    for model in models(schema):
        location = pages[model["name"]].src_uri.removesuffix(".md") + "/"
        entry = next(doc for doc in entries(real_site, location) if doc["title"] == model["name"])
        assert entry["location"] == f"{location}#{model['name'].lower()}"
        for field in model["fields"]:
            assert field["name"].lower() in words(entry["text"]), (model["name"], field["name"])


def test_a_field_name_lands_on_the_field_reference(real_site: Site):
    assert any(page.startswith("field-reference") for page in landing(real_site, "cite"))
    assert "field-reference/decisions/" in landing(real_site, "differs_because")
    assert "field-reference/" in landing(real_site, "inline-paragraph")


def test_the_field_reference_keeps_type_lines_out_of_the_index(real_site: Site):
    # A field's type, whether it is required and its limits are on the page, not in the index.
    for page in REFERENCE_PAGES:
        location = page.src_uri.removesuffix(".md") + "/"
        for doc in entries(real_site, location):
            assert "·" not in doc["text"] and "1\N{EN DASH}300 characters" not in doc["text"], doc["location"]


def test_field_reference_pages_show_type_required_limits_and_description(real_site: Site):
    schema = json_schema()
    pages = page_of_models(schema)
    for model in models(schema):
        page = real_site.page(pages[model["name"]].src_uri.removesuffix(".md"))
        assert page.find("h2", id=model["name"].lower()) is not None, model["name"]
        for field in model["fields"]:
            term = page.find("dt", id=f"{model['name'].lower()}-{field['name']}")
            assert term is not None and term.get_text() == field["name"], (model["name"], field["name"])
            about = " ".join(term.find_next_sibling("dd").get_text().split())
            assert ("· required" if field["required"] else "· optional") in about, (model["name"], field["name"])
            if field["limits"]:
                assert field["limits"] in about, (model["name"], field["name"])
            if field["description"]:
                assert field["description"].replace("`", "")[:40] in about, (model["name"], field["name"])


def test_article_titles_land_on_sources(synthetic_site):
    kb, site = synthetic_site
    for source in kb.sources:
        if source.kind == "article":
            entry = next(doc for doc in entries(site, "sources/") if doc["location"].endswith(f"#{source.id}"))
            assert entry["title"] == str(source.title)
            assert "sources/" in landing(site, str(source.title))


def test_every_faq_answer_and_quick_start_step_stays_findable(synthetic_site):
    kb, site = synthetic_site
    faq = {doc["location"]: doc for doc in entries(site, "faq/")}
    for item in kb.faqs:
        entry = faq[f"faq/#{item.id}-answer"]
        assert entry["title"] == str(item.question)
        assert re.sub(r"\[\d+\]", "", entry["text"]) == entry["text"], "citation markers are out of the index"
    steps = " ".join(doc["text"] for doc in entries(site, "getting-started/"))
    for quick_start in kb.quick_starts:
        for step in quick_start.steps:
            assert words(step.text.__html__()) <= words(steps), step.text


def test_secondary_text_stays_out_of_the_index(real_site: Site, real_kb):
    text = " ".join(doc["text"] for doc in real_site.search_index["docs"])
    # The release table (the FAQ and quick starts answer "which version"), the worked examples'
    # YAML, the quick starts' Python and HTML code.
    assert not any(f"{r.version} ({r.released.isoformat()})" in text for r in real_kb.releases)
    assert "short: &quot;Flask docs: testing&quot;" not in text and 'short: "Flask docs: testing"' not in text
    assert "urlpatterns" not in text
    # Commands stay findable.
    assert "startproject" in words(" ".join(doc["text"] for doc in entries(real_site, "getting-started/")))


def test_contributing_markdown_marks_its_examples_out_of_search():
    # CONTRIBUTING.md is also read on GitHub, which takes the fence's first word as the language.
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    fences = re.findall(r"^```(yaml|text)(.*)$", text, re.M)
    assert fences and all(rest == " { data-search-exclude }" for _, rest in fences)
