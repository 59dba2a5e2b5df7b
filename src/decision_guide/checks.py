"""Checks that need the whole knowledge base: references, uniqueness, the tree, dates, markup.

Each ``check_*`` function takes the validated :class:`~decision_guide.schema.KnowledgeBase`
and the document's :class:`~decision_guide.yaml_source.SourceMap`, and yields
:class:`~decision_guide.problems.Problem` objects; :func:`run_checks` runs them all.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any, Callable, Iterable, Iterator

from .problems import Path, Problem
from .schema import KnowledgeBase, Question, Recommendation
from .yaml_source import SourceMap

Check = Callable[[KnowledgeBase, SourceMap], Iterator[Problem]]

# Raw HTML in a Markdown field would reach readers' browsers as markup, so it is refused.
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?=[\s/>])|<!--|<\?|<!\[CDATA\[|<![a-zA-Z]")
UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*(?:javascript|data|vbscript|file)\s*:|<\s*(?:javascript|data|vbscript)\s*:", re.I)
VERBATIM_FIELDS = {"code"}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``"; did you mean `x`?"`` for the closest of ``choices``, or an empty string."""
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean `{match[0]}`?" if match else ""


def _reference(sm: SourceMap, path: Path, value: str, known: Iterable[str], what: str) -> Problem:
    known = list(known)
    return sm.problem(path, f"unknown {what} `{value}`{did_you_mean(value, known)}", f"one of the {what} ids")


def check_unique_ids(kb: KnowledgeBase, sm: SourceMap) -> Iterator[Problem]:
    """Ids must be unique within sources, subjects, tables, dimensions, claims, conflicts,
    corrections, FAQs and tree nodes."""
    groups: dict[str, list[tuple[Path, str]]] = {
        "sources": [(("sources", i, "id"), s.id) for i, s in enumerate(kb.sources)],
        "subjects": [(("subjects", i, "id"), s.id) for i, s in enumerate(kb.subjects)],
        "tables": [(("tables", i, "id"), t.id) for i, t in enumerate(kb.tables)],
        "dimensions": [(("dimensions", i, "id"), d.id) for i, d in enumerate(kb.dimensions)],
        "claims": [
            (("dimensions", i, "claims", j, "id"), c.id)
            for i, d in enumerate(kb.dimensions)
            for j, c in enumerate(d.claims)
        ],
        "conflicts": [(("conflicts", i, "id"), c.id) for i, c in enumerate(kb.conflicts)],
        "corrections": [(("corrections", i, "id"), c.id) for i, c in enumerate(kb.corrections)],
        "faqs": [(("faqs", i, "id"), f.id) for i, f in enumerate(kb.faqs)],
        "tree nodes": [(("decision_tree", "nodes", i, "id"), n.id) for i, n in enumerate(kb.decision_tree.nodes)],
        "needs": [(("needs", i, "id"), n.id) for i, n in enumerate(kb.needs)],
    }
    for what, entries in groups.items():
        first: dict[str, Path] = {}
        for path, value in entries:
            if value in first:
                line = sm.locate(first[value])[0]
                yield sm.problem(path, f"duplicate {what} id `{value}` (first used on line {line})", "a unique id")
            else:
                first.setdefault(value, path)


def check_citations(kb: KnowledgeBase, sm: SourceMap) -> Iterator[Problem]:
    """Every ``cite`` and ``asked_by`` entry names a source; ``asked_by`` names articles."""
    source_ids = {s.id for s in kb.sources}
    articles = {s.id for s in kb.sources if s.kind == "article"}
    data = kb.model_dump(mode="python")
    for path, value in walk_data(data, ()):
        if path and path[-1] == "cite" and isinstance(value, list):
            for i, ref in enumerate(value):
                if ref not in source_ids:
                    yield _reference(sm, path + (i,), ref, source_ids, "source")
        elif path and path[-1] == "asked_by" and isinstance(value, list):
            for i, ref in enumerate(value):
                if ref not in articles:
                    yield _reference(sm, path + (i,), ref, articles, "article")


def check_subject_references(kb: KnowledgeBase, sm: SourceMap) -> Iterator[Problem]:
    """Tables, positions, guidance, quick starts, decisions and recommendations name known subjects,
    and every dimension has a position for every subject of its table, and no other."""
    subjects = {s.id for s in kb.subjects}
    tables = {t.id: t for t in kb.tables}

    def refs(path: Path, values: Iterable[str]) -> Iterator[Problem]:
        for i, value in enumerate(values):
            if value not in subjects:
                yield _reference(sm, path + (i,), value, subjects, "subject")

    for i, s in enumerate(kb.subjects):
        if s.builds_on is not None and s.builds_on not in subjects:
            yield _reference(sm, ("subjects", i, "builds_on"), s.builds_on, subjects, "subject")
    for i, t in enumerate(kb.tables):
        yield from refs(("tables", i, "subjects"), t.subjects)
    for i, d in enumerate(kb.dimensions):
        table = tables.get(d.table)
        if table is None:
            yield _reference(sm, ("dimensions", i, "table"), d.table, tables, "table")
            continue
        for subject in table.subjects:
            if subject not in d.positions:
                yield sm.problem(
                    ("dimensions", i, "positions"),
                    f"no position for `{subject}`",
                    f"a position for each subject of table `{table.id}`: {', '.join(table.subjects)}",
                )
        for subject in d.positions:
            if subject not in table.subjects:
                yield sm.problem(
                    ("dimensions", i, "positions", subject),
                    f"`{subject}` is not compared in table `{table.id}`{did_you_mean(subject, table.subjects)}",
                    f"one of {', '.join(table.subjects)}",
                    key=True,
                )
        for j, claim in enumerate(d.claims):
            yield from refs(("dimensions", i, "claims", j, "about"), claim.about)
    for i, row in enumerate(kb.decision_table):
        if row.choose != "either" and row.choose not in subjects:
            yield _reference(sm, ("decision_table", i, "choose"), row.choose, subjects | {"either"}, "subject")
    for subject in kb.guidance:
        if subject not in subjects:
            yield _reference(sm, ("guidance", subject), subject, subjects, "subject")
    for i, q in enumerate(kb.quick_starts):
        if q.subject not in subjects:
            yield _reference(sm, ("quick_starts", i, "subject"), q.subject, subjects, "subject")
    for i, node in enumerate(kb.decision_tree.nodes):
        if isinstance(node, Recommendation):
            yield from refs(("decision_tree", "nodes", i, "recommend"), node.recommend)


def check_entry_references(kb: KnowledgeBase, sm: SourceMap) -> Iterator[Problem]:
    """Conflicts, corrections and needs name known dimensions (and needs known subjects);
    corrections name the article they correct and cite official pages; official pages have a URL."""
    dimensions = {d.id for d in kb.dimensions}
    sources = {s.id: s for s in kb.sources}
    articles = {s.id for s in kb.sources if s.kind == "article"}
    for i, c in enumerate(kb.conflicts):
        if c.dimension not in dimensions:
            yield _reference(sm, ("conflicts", i, "dimension"), c.dimension, dimensions, "dimension")
    subjects = {s.id for s in kb.subjects} | {"either"}
    for i, need in enumerate(kb.needs):
        for j, row in enumerate(need.rows):
            if row.dimension not in dimensions:
                yield _reference(sm, ("needs", i, "rows", j, "dimension"), row.dimension, dimensions, "dimension")
            if row.favours not in subjects:
                yield _reference(sm, ("needs", i, "rows", j, "favours"), row.favours, subjects, "subject")
    for i, c in enumerate(kb.corrections):
        if c.dimension is not None and c.dimension not in dimensions:
            yield _reference(sm, ("corrections", i, "dimension"), c.dimension, dimensions, "dimension")
        if c.source not in articles:
            yield _reference(sm, ("corrections", i, "source"), c.source, articles, "article")
        for j, ref in enumerate(c.cite):
            if ref in sources and sources[ref].kind == "article":
                yield sm.problem(
                    ("corrections", i, "cite", j),
                    f"`{ref}` is an article; a correction must rest on official documentation",
                    "an `official-docs` or `package-index` source",
                )
    for i, s in enumerate(kb.sources):
        if s.kind != "article" and s.url is None:
            yield sm.problem(("sources", i), f"official source `{s.id}` has no `url`", "a `url: https://...` field")


def check_decision_tree(kb: KnowledgeBase, sm: SourceMap) -> Iterator[Problem]:
    """The tree starts at a question, every answer leads to a known node, there is no cycle,
    and every node is reachable from the start. (Leaves are recommendations by construction:
    a question needs at least two answers.)"""
    tree = kb.decision_tree
    nodes = {n.id: n for n in tree.nodes}
    index = {n.id: i for i, n in enumerate(tree.nodes)}
    base: Path = ("decision_tree", "nodes")
    if tree.start not in nodes:
        yield _reference(sm, ("decision_tree", "start"), tree.start, nodes, "tree node")
        return
    if not isinstance(nodes[tree.start], Question):
        yield sm.problem(("decision_tree", "start"), f"`{tree.start}` is a recommendation", "the id of a question")
    for node in tree.nodes:
        if isinstance(node, Question):
            for j, answer in enumerate(node.answers):
                if answer.next not in nodes:
                    path = base + (index[node.id], "answers", j, "next")
                    yield _reference(sm, path, answer.next, nodes, "tree node")
    # Depth-first search from the start: a grey node met again closes a cycle.
    state: dict[str, str] = {}

    def visit(node_id: str) -> Iterator[Problem]:
        state[node_id] = "grey"
        node = nodes[node_id]
        if isinstance(node, Question):
            for j, answer in enumerate(node.answers):
                if answer.next not in nodes:
                    continue
                if state.get(answer.next) == "grey":
                    path = base + (index[node_id], "answers", j, "next")
                    yield sm.problem(path, f"answer leads back to `{answer.next}`, making a cycle", "a node further down")
                elif answer.next not in state:
                    yield from visit(answer.next)
        state[node_id] = "black"

    yield from visit(tree.start)
    for node in tree.nodes:
        if node.id not in state:
            path = base + (index[node.id], "id")
            yield sm.problem(path, f"tree node `{node.id}` cannot be reached from `{tree.start}`", "an answer leading here")


def check_dates(kb: KnowledgeBase, sm: SourceMap, today: dt.date | None = None) -> Iterator[Problem]:
    """Publication and review dates are not in the future, and no source is reviewed before it was published."""
    today = today or dt.date.today()
    for i, s in enumerate(kb.sources):
        for name in ("published", "reviewed"):
            value = getattr(s, name)
            if value is not None and value > today:
                yield sm.problem(("sources", i, name), f"{value} is in the future", f"a date on or before {today}")
        if s.published and s.reviewed < s.published:
            yield sm.problem(("sources", i, "reviewed"), "reviewed before it was published", f"{s.published} or later")


def check_markup(kb: KnowledgeBase, sm: SourceMap) -> Iterator[Problem]:
    """Text fields are Markdown without raw HTML or script-bearing links (``javascript:``,
    ``data:``, ``vbscript:``, ``file:``), so nothing a contributor writes runs in a reader's browser."""
    for path, value in walk_data(kb.model_dump(mode="python"), ()):
        if not isinstance(value, str) or (path and path[-1] in VERBATIM_FIELDS):
            continue
        if HTML_TAG.search(value):
            tag = HTML_TAG.search(value).group(0).strip()
            yield sm.problem(path, f"raw HTML `{tag}` is not allowed", "Markdown only (write `&lt;` for a literal `<`)")
        if UNSAFE_LINK.search(value):
            yield sm.problem(path, "a `javascript:`, `data:`, `vbscript:` or `file:` link is not allowed", "an https link")


def walk_data(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Yield ``(path, value)`` for ``value`` and everything nested in it, depth first."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk_data(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk_data(item, path + (i,))


CHECKS: tuple[Check, ...] = (
    check_unique_ids,
    check_citations,
    check_subject_references,
    check_entry_references,
    check_decision_tree,
    check_dates,
    check_markup,
)


def run_checks(kb: KnowledgeBase, sm: SourceMap) -> list[Problem]:
    """Run every check and return all problems found (an empty list when the file is sound)."""
    return [problem for check in CHECKS for problem in check(kb, sm)]
