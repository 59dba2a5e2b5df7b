"""Checks that need the whole knowledge base: references, uniqueness, the tree, dates.

Each ``check_*`` function takes a :class:`Context` (the validated knowledge base, possibly with
badly shaped entries left out, the ids defined anywhere in the file, and the source map) and
yields :class:`~decision_guide.problems.Problem` objects; :func:`run_checks` runs them all.
References and ids are checked by type, not by field name: every value whose type is a
:class:`~decision_guide.fieldtypes.Reference` must name an id of its ``collection``, and every
value of the ``Id`` type must be unique in its list. Every walk
here is iterative and every look-up indexed, so the work grows linearly with the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from .consistency import check_choose_when, check_decision_rows, check_distinct_answers
from .context import Check, Context
from .fieldtypes import Identifier, Reference
from .freshness import check_quick_start_pins, check_recommended_maintained, check_review_dates
from .limits import MAX_TREE_DEPTH
from .maintenance import check_maintenance_prose
from .model_walk import walk_model
from .need_outcomes import check_need_outcomes
from .problems import Path, Problem, quote
from .python_prose import check_python_in_prose
from .python_support import check_python_support
from .schema import KnowledgeBase, Node, Question
from .verdict_outcomes import check_verdict_outcomes
from .verdicts import check_verdicts
from .yaml_source import SourceMap


def collections(data: Any) -> dict[str, set[str]]:
    """The ids each collection defines in raw (unvalidated) data, skipping malformed entries."""

    def ids(items: Any, keep: Callable[[dict[str, Any]], bool] = lambda item: True) -> set[str]:
        if not isinstance(items, list):
            return set()
        return {
            item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str) and keep(item)
        }

    data = data if isinstance(data, dict) else {}
    tree = data.get("decision_tree")
    return {
        "sources": ids(data.get("sources")),
        "articles": ids(data.get("sources"), lambda item: item.get("kind") == "article"),
        "subjects": ids(data.get("subjects")),
        "tables": ids(data.get("tables")),
        "dimensions": ids(data.get("dimensions")),
        "tree nodes": ids(tree.get("nodes") if isinstance(tree, dict) else None),
        "needs": ids(data.get("needs")),
    }


def check_references(ctx: Context) -> Iterator[Problem]:
    """Every value of a :class:`~decision_guide.fieldtypes.Reference` type names an id of its
    collection (or one of its extra values, such as ``either``)."""
    for path, value, is_key in walk_model(ctx.kb):
        if isinstance(value, Reference):
            known = ctx.known[value.collection]
            if value not in known and value not in value.extra:
                what = value.collection.removesuffix("s")
                yield ctx.unknown(path, value, known | value.extra, what, value.expected, key=is_key)


def id_group(path: Path) -> str:
    """The list an id at ``path`` must be unique in: the path without its list indices and its
    last part, e.g. ``dimensions.claims`` for ``("dimensions", 3, "claims", 0, "id")`` (so a
    claim id is unique across every dimension)."""
    return ".".join(str(part) for part in path[:-1] if not isinstance(part, int))


def check_unique_ids(ctx: Context) -> Iterator[Problem]:
    """Every value of the :data:`~decision_guide.fieldtypes.Id` type (an
    :class:`~decision_guide.fieldtypes.Identifier` that is not a reference) is unique among the
    ids of its list (:func:`id_group`). Found by type, like references, so a section the schema
    gains is covered without naming it here."""
    first: dict[tuple[str, str], Path] = {}
    for path, value, is_key in walk_model(ctx.kb):
        if is_key or type(value) is not Identifier:
            continue
        group = id_group(path)
        if (group, value) in first:
            line = ctx.sm.locate(first[group, value])[0]
            yield ctx.sm.problem(
                path, f"duplicate id {quote(value)} in `{group}` (first used on line {line})", "a unique id"
            )
        else:
            first[group, value] = path


def check_table_positions(ctx: Context) -> Iterator[Problem]:
    """Every dimension has a position for every subject of its table (legacy ones included), and no other."""
    tables = {t.id: t for t in ctx.kb.tables}
    for i, d in enumerate(ctx.kb.dimensions):
        table = tables.get(d.table)
        if table is None:
            continue  # reported by check_references
        compared = [*table.subjects, *table.legacy]
        for subject in compared:
            if subject not in d.positions:
                yield ctx.sm.problem(
                    ("dimensions", i, "positions"),
                    f"no position for {quote(subject)}",
                    f"a position for each subject of table `{table.id}`: {', '.join(compared)}",
                )
        for subject in d.positions:
            if subject not in compared and subject in ctx.known["subjects"]:
                yield ctx.sm.problem(
                    ("dimensions", i, "positions", subject),
                    f"{quote(subject)} is not compared in table `{table.id}`",
                    f"one of {', '.join(compared)}",
                    key=True,
                )


def check_sources(ctx: Context) -> Iterator[Problem]:
    """Corrections rest on official pages, not articles; official pages have a URL."""
    kinds = {s.id: s.kind for s in ctx.kb.sources}
    for i, c in enumerate(ctx.kb.corrections):
        for j, ref in enumerate(c.cite):
            if kinds.get(ref) == "article":
                yield ctx.sm.problem(
                    ("corrections", i, "cite", j),
                    f"{quote(ref)} is an article; a correction must rest on official documentation",
                    "an `official-docs` or `package-index` source",
                )
    for i, s in enumerate(ctx.kb.sources):
        if s.kind != "article" and s.url is None:
            yield ctx.sm.problem(
                ("sources", i), f"official source {quote(s.id)} has no `url`", "a `url: https://...` field"
            )


def check_decision_tree(ctx: Context) -> Iterator[Problem]:
    """The tree starts at a question, has no cycle, every node is reachable from the start, and
    no path asks more than :data:`MAX_TREE_DEPTH` questions. (Leaves are recommendations by
    construction: a question needs at least two answers.) Iterative depth-first search."""
    tree, sm = ctx.kb.decision_tree, ctx.sm
    nodes: dict[str, Node] = {n.id: n for n in tree.nodes}
    index: dict[str, int] = {n.id: i for i, n in enumerate(tree.nodes)}
    base: Path = ("decision_tree", "nodes")
    if tree.start not in nodes:
        return  # an unknown start is reported by check_references
    if not isinstance(nodes[tree.start], Question):
        yield sm.problem(("decision_tree", "start"), f"{quote(tree.start)} is a recommendation", "the id of a question")
        return  # reachability from a leaf would only repeat this problem for every node
    state: dict[str, str] = {tree.start: "grey"}
    stack: list[tuple[str, int]] = [(tree.start, 0)]  # (node id, next answer to follow): the questions asked
    too_deep = False
    while stack:
        node_id, j = stack[-1]
        node = nodes[node_id]
        answers = node.answers if isinstance(node, Question) else []
        if j == len(answers):
            state[node_id] = "black"
            stack.pop()
            continue
        stack[-1] = (node_id, j + 1)
        target = answers[j].next
        path = (*base, index[node_id], "answers", j, "next")
        if target not in nodes:
            continue  # unknown (check_references) or a badly shaped node (reported already)
        if state.get(target) == "grey":
            yield sm.problem(path, f"answer leads back to {quote(target)}, making a cycle", "a node further down")
        elif target not in state:
            if len(stack) >= MAX_TREE_DEPTH and isinstance(nodes[target], Question) and not too_deep:
                too_deep = True  # reported once, where the path first gets too long; the walk goes on
                yield sm.problem(
                    path,
                    f"makes more than {MAX_TREE_DEPTH} questions in a row",
                    f"at most {MAX_TREE_DEPTH} questions on any path",
                )
            state[target] = "grey"
            stack.append((target, 0))
    for node in tree.nodes:
        if node.id not in state:
            yield sm.problem(
                (*base, index[node.id], "id"),
                f"tree node {quote(node.id)} cannot be reached from {quote(tree.start)}",
                "an answer leading here",
            )


def check_dates(ctx: Context, today: dt.date | None = None) -> Iterator[Problem]:
    """Publication and review dates are not in the future, and no source is reviewed before it was published."""
    today = today or dt.date.today()
    for i, s in enumerate(ctx.kb.sources):
        for name in ("published", "reviewed"):
            value = getattr(s, name)
            if value is not None and value > today:
                yield ctx.sm.problem(("sources", i, name), f"{value} is in the future", f"a date on or before {today}")
        if s.published and s.reviewed < s.published:
            yield ctx.sm.problem(
                ("sources", i, "reviewed"), "reviewed before it was published", f"{s.published} or later"
            )


#: Every check, in the order their problems are listed: the file's own integrity, then the
#: verdicts, the decision aids' consistency, and freshness. Each further module holds its checks.
CHECKS: tuple[Check, ...] = (
    check_unique_ids,
    check_references,
    check_table_positions,
    check_sources,
    check_decision_tree,
    check_dates,
    check_verdicts,
    check_decision_rows,
    check_choose_when,
    check_need_outcomes,
    check_verdict_outcomes,
    check_distinct_answers,
    check_review_dates,
    check_recommended_maintained,
    check_maintenance_prose,
    check_quick_start_pins,
    check_python_support,
    check_python_in_prose,
)


def run_checks(kb: KnowledgeBase, sm: SourceMap, known: dict[str, set[str]] | None = None) -> list[Problem]:
    """Run every check and return all problems found (an empty list when the file is sound).

    ``known``: the ids defined in the raw file (:func:`collections`); by default those of ``kb``.
    """
    if known is None:
        known = collections(kb.model_dump(mode="python"))
    ctx = Context(kb, known, sm)
    return [problem for check in CHECKS for problem in check(ctx)]
