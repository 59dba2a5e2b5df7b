"""Property-based tests: mutate the real knowledge base at random and check that the result is
either a clean build or a clean, located error, never a traceback or a partly written site."""

from __future__ import annotations

import copy
from typing import Any

import markdown
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from conftest import KNOWLEDGE_BASE, build, make_project
from decision_guide import KnowledgeBaseError, Renderer
from decision_guide.loader import validate
from decision_guide.yaml_source import load_yaml
from synthetic import dump


def walk_data(value: Any, path: tuple = ()):
    """Yield ``(path, value)`` for ``value`` and everything nested in it (plain YAML data)."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk_data(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk_data(item, (*path, i))


REAL_TEXT = KNOWLEDGE_BASE.read_text(encoding="utf-8")
REAL_DATA = yaml.safe_load(REAL_TEXT)
PATHS = [path for path, _ in walk_data(REAL_DATA) if path]
IDS = sorted({value for path, value in walk_data(REAL_DATA) if path and path[-1] == "id"})

MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "<a href='https://example.org' onclick='alert(1)'>x</a>",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    "<svg/onload=alert(1)>",
]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(MARKUP),
    st.sampled_from(IDS),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _parent(data: Any, path: tuple) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated_documents(draw) -> str:
    """The real knowledge base with one to three random mutations, as YAML text."""
    data = copy.deepcopy(REAL_DATA)
    for _ in range(draw(st.integers(1, 3))):
        paths = [path for path, _ in walk_data(data) if path]
        path = draw(st.sampled_from(paths))
        parent, key = _parent(data, path), path[-1]
        operation = draw(st.sampled_from(["drop", "replace", "markup", "duplicate-id"]))
        if operation == "drop":
            del parent[key]
        elif operation == "replace":
            parent[key] = draw(VALUES)
        elif operation == "markup" and isinstance(parent[key], str):
            parent[key] = parent[key] + " " + draw(st.sampled_from(MARKUP))
        elif operation == "duplicate-id" and isinstance(parent, dict) and "id" in parent:
            parent["id"] = draw(st.sampled_from(IDS))
    return dump(data)


def outcome(text: str) -> str:
    """``"ok"`` when the text loads and renders with no active content, ``"refused"`` when it fails
    with located problems; anything else (a traceback, an unlocated problem) fails the test."""
    try:
        data, source_map = load_yaml(text, "content/comparisons.yaml")
        kb = validate(data, source_map)
    except KnowledgeBaseError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message
        return "refused"
    for src_uri, page in Renderer(kb).pages().items():
        content, _ = get_data(page)  # MkDocs reads the front matter as data, not as Markdown
        assert_no_active_content(markdown.markdown(content, extensions=MARKDOWN_EXTENSIONS), src_uri)
    return "ok"


# The Markdown extensions of mkdocs.yml (less snippets, which reads files).
MARKDOWN_EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.keys",
]
DATA_SCRIPTS = {"application/json", "application/ld+json"}


def assert_no_active_content(html: str, where: str) -> None:
    """No script (other than the build's own JSON data), event handler or script URL in ``html``."""
    doc = BeautifulSoup(html, "html.parser")
    for script in doc.find_all("script"):
        assert script.get("type") in DATA_SCRIPTS, (where, str(script)[:200])
    for element in doc.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), (where, str(element)[:200])
            if attribute in ("href", "src", "action", "formaction"):
                assert not str(value).strip().lower().startswith(("javascript:", "data:", "vbscript:")), (where, value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_mutated_knowledge_base_loads_or_is_refused_cleanly(text: str):
    outcome(text)  # asserts: located problems, or pages without active content


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(REAL_TEXT) - 1))
def test_truncated_knowledge_base_is_refused_cleanly(cut: int):
    result = outcome(REAL_TEXT[:cut])
    if cut < REAL_TEXT.index("\ndecision_tree:"):  # the last required section is cut off
        assert result == "refused"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_is_refused_cleanly(text: str):
    assert outcome(text) == "refused"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated_documents())
def test_mutated_site_build_is_complete_or_absent(tmp_path_factory, text: str):
    folder = tmp_path_factory.mktemp("mutant")
    project = make_project(folder / "project", text)
    result = build(project, folder / "site")
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        assert (folder / "site" / "comparison" / "index.html").exists()
        assert (folder / "site" / "sitemap.xml").exists()
    else:
        assert "content/comparisons.yaml:" in result.stderr
        assert not (folder / "site").exists() or not any((folder / "site").iterdir())
