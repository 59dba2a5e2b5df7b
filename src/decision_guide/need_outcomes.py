"""The check of the needs filter against the decision tree.

A need of the Comparison page's filter ("A microservice with one job") names the tree ``outcome``
a reader with that need reaches. Each row the need lists leans the way its verdict says (the
row's subject, or ``for_needs`` on a ``depends`` row: :func:`decision_guide.outcomes.leaning`),
so the filter can only disagree with the tree, never with the row's badge. This check reports a
need whose rows lean to a subject its outcome does not lead to, unless the need records why
(``differs_because``, with sources), and a ``differs_because`` with nothing to explain.
"""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context
from .outcomes import Tree, differs, explained, leaning
from .problems import Problem, quote


def check_need_outcomes(ctx: Context) -> Iterator[Problem]:
    """Every row of a need leans to a subject the need's outcome leads to, or the need says why not."""
    tree = Tree(ctx.kb)
    verdicts = {d.id: d.verdict for d in ctx.kb.dimensions}
    for i, need in enumerate(ctx.kb.needs):
        outcome = tree.outcome(need.outcome)
        if outcome is None:
            continue  # an unknown outcome (reported by check_references)
        differences = []
        for dimension in need.rows:
            subject = leaning(verdicts.get(dimension), need.id)
            difference = None if subject is None else differs(tree, outcome, subject)
            if difference is not None:
                differences.append(f"row {quote(dimension)} {difference}")
        summary = "; ".join(differences) if differences else None
        yield from explained(ctx, ("needs", i), summary, need.differs_because, "need's", need.outcome)
