"""The check of the comparison rows' verdicts: each one says what it rests on.

A verdict (:class:`~decision_guide.schema.Verdict`) is shown first in a row, so it must agree
with the rest of the knowledge base:

- a ✔ verdict names a subject compared in the row's table (not one it lists as legacy), cites
  the sources it rests on, and is not given while a conflict on the row is recorded;
- a ``depends`` verdict says on what (``condition``); where no conflict is recorded (the
  articles agree), it also says why it names no winner all the same (``why_depends``, cited);
- ``for_needs`` (the leaning for a need of the needs filter) appears only on a ``depends`` row,
  keyed by needs that list the row, naming subjects of the row's table;
- a ``disputed`` verdict has a recorded conflict.

Whether a ✔ verdict agrees with the decision tree is :mod:`decision_guide.verdict_outcomes`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from .context import Context
from .problems import Path, Problem, quote
from .schema import Dimension, Table


def check_verdicts(ctx: Context) -> Iterator[Problem]:
    """Each verdict names a compared subject with its sources, `depends` with a condition (and a cited
    reason where the articles agree), or `disputed` with a recorded conflict."""
    tables = {t.id: t for t in ctx.kb.tables}
    conflicts: dict[str, list[str]] = defaultdict(list)
    for conflict in ctx.kb.conflicts:
        conflicts[conflict.dimension].append(conflict.id)
    listed: dict[str, set[str]] = defaultdict(set)  # dimension id -> ids of the needs that list it
    for need in ctx.kb.needs:
        for dimension in need.rows:
            listed[dimension].add(need.id)
    for i, d in enumerate(ctx.kb.dimensions):
        verdict = d.verdict
        if verdict is None:
            continue
        path: Path = ("dimensions", i, "verdict")
        recorded = conflicts.get(d.id, [])
        table = tables.get(d.table)
        if verdict.leans != "depends":
            for field in ("condition", "why_depends"):
                if getattr(verdict, field) is not None:
                    yield ctx.sm.problem(
                        (*path, field),
                        f"a `{field}` with `leans: {verdict.leans}`",
                        f"no `{field}`, or `leans: depends`",
                    )
            if verdict.for_needs:
                yield ctx.sm.problem(
                    (*path, "for_needs"),
                    f"`for_needs` with `leans: {verdict.leans}`: the row leans the same way for every need",
                    "no `for_needs`, or `leans: depends`",
                )
        if verdict.leans == "depends":
            yield from _depends(ctx, path, d, recorded, listed.get(d.id, set()), table)
        elif verdict.leans == "disputed":
            if not recorded:
                yield ctx.sm.problem(
                    (*path, "leans"),
                    "`disputed`, but no conflict on this row is recorded",
                    f"a `conflicts` entry with `dimension: {d.id}`, or another verdict",
                )
        else:
            yield from _named(ctx, path, str(verdict.leans), recorded, table, bool(verdict.cite))


def _named(
    ctx: Context, path: Path, subject: str, recorded: list[str], table: Table | None, cited: bool
) -> Iterator[Problem]:
    """A ✔ verdict: a subject of the table (not a legacy one), cited, on a row without a conflict."""
    if table is not None and subject not in table.subjects:
        yield ctx.sm.problem(
            (*path, "leans"),
            f"{quote(subject)} is {'listed as legacy' if subject in table.legacy else 'not compared'} "
            f"in table `{table.id}`",
            f"one of {', '.join(table.subjects)}, `depends` or `disputed`",
        )
    elif recorded:
        yield ctx.sm.problem(
            (*path, "leans"),
            f"names {quote(subject)} as the better choice, but the "
            f"sources disagree on this row ({', '.join(quote(c) for c in recorded)})",
            "`disputed`, or `depends` with the condition under which each choice wins",
        )
    if not cited:
        yield ctx.sm.problem(
            path,
            f"names {quote(subject)} as the better choice without sources",
            "`cite:` the ids of the sources the ✔ rests on",
        )


def _depends(
    ctx: Context, path: Path, d: Dimension, recorded: list[str], needs: set[str], table: Table | None
) -> Iterator[Problem]:
    verdict = d.verdict
    assert verdict is not None
    if verdict.condition is None:
        yield ctx.sm.problem(
            path,
            "`depends` without a `condition`",
            "`condition:` saying on what, e.g. `Django for one large app; Flask for many small services.`",
        )
    if not recorded and verdict.why_depends is None:
        yield ctx.sm.problem(
            path,
            "`depends` on a row where no disagreement is recorded, without saying why no subject wins",
            "`why_depends:` why the row names no winner, with its sources in `cite`, or a ✔ verdict",
        )
    if verdict.why_depends is not None and not verdict.cite:
        yield ctx.sm.problem(
            (*path, "why_depends"), "a reason without sources", "`cite:` the ids of the sources it rests on"
        )
    for need, subject in verdict.for_needs.items():
        if need in ctx.known["needs"] and need not in needs:
            yield ctx.sm.problem(
                (*path, "for_needs", need),
                f"the need {quote(need)} does not list the row {quote(d.id)}",
                f"a need whose `rows` include `{d.id}`",
                key=True,
            )
        if table is not None and subject in ctx.known["subjects"] and subject not in table.subjects:
            yield ctx.sm.problem(
                (*path, "for_needs", need),
                f"{quote(subject)} is not compared in table `{table.id}`",
                f"one of {', '.join(table.subjects)}",
            )
