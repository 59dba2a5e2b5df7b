"""The check of the comparison rows' verdicts: a row that names a winner is not disputed.

A verdict (:class:`~decision_guide.schema.Verdict`) is shown first in a row, so it must agree
with the rest of the knowledge base: the subject it names is compared in the row's table, a
`depends` verdict says on what, and no row names a winner while a conflict on it is recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from .context import Context
from .problems import Problem, quote


def check_verdicts(ctx: Context) -> Iterator[Problem]:
    """Each verdict names a subject of its row's table, `depends` with a condition, or
    `disputed` with a recorded conflict; a row with a recorded conflict names no winner."""
    tables = {t.id: t for t in ctx.kb.tables}
    conflicts: dict[str, list[str]] = defaultdict(list)
    for conflict in ctx.kb.conflicts:
        conflicts[conflict.dimension].append(conflict.id)
    for i, d in enumerate(ctx.kb.dimensions):
        verdict = d.verdict
        if verdict is None:
            continue
        path = ("dimensions", i, "verdict")
        recorded = conflicts.get(d.id, [])
        if verdict.leans == "depends":
            if verdict.condition is None:
                yield ctx.sm.problem(
                    path,
                    "`depends` without a `condition`",
                    "`condition:` saying on what, e.g. `Django for one large app; Flask for many small services.`",
                )
            continue
        if verdict.condition is not None:
            yield ctx.sm.problem(
                (*path, "condition"),
                f"a `condition` with `leans: {verdict.leans}`",
                "no `condition`, or `leans: depends`",
            )
        if verdict.leans == "disputed":
            if not recorded:
                yield ctx.sm.problem(
                    (*path, "leans"),
                    "`disputed`, but no conflict on this row is recorded",
                    f"a `conflicts` entry with `dimension: {d.id}`, or another verdict",
                )
            continue
        table = tables.get(d.table)
        if table is not None and verdict.leans not in table.subjects:
            yield ctx.sm.problem(
                (*path, "leans"),
                f"{quote(verdict.leans)} is not compared in table `{table.id}`",
                f"one of {', '.join(table.subjects)}, `depends` or `disputed`",
            )
        elif recorded:
            yield ctx.sm.problem(
                (*path, "leans"),
                f"names {quote(verdict.leans)} as the better choice, but the "
                f"sources disagree on this row ({', '.join(quote(c) for c in recorded)})",
                "`disputed`, or `depends` with the condition under which each choice wins",
            )
