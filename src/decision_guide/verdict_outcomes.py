"""The check of the comparison rows' ✔ verdicts against the decision tree.

A verdict that names a subject (✔ Django, ✔ Django REST framework) is advice like a row of the
decision table, so it names the tree ``outcome`` it corresponds to: a recommendation of that
subject, or a question after which every recommendation includes it. This check reports a ✔
verdict without an outcome, and one whose outcome leads elsewhere unless ``differs_because``
says why (with sources); the rule is :func:`decision_guide.outcomes.differs`. A ``depends`` or
``disputed`` verdict may name an outcome (a question) but is not held to one.
"""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context
from .outcomes import Tree, differs, explained
from .problems import Problem, quote


def check_verdict_outcomes(ctx: Context) -> Iterator[Problem]:
    """Each ✔ verdict names an outcome that leads to its subject, or says why not."""
    tree = Tree(ctx.kb)
    for i, d in enumerate(ctx.kb.dimensions):
        verdict = d.verdict
        if verdict is None or verdict.leans in ("depends", "disputed"):
            continue
        path = ("dimensions", i, "verdict")
        if verdict.outcome is None:
            yield ctx.sm.problem(
                path,
                f"names {quote(verdict.leans)} as the better choice, but not the decision-tree node that says so",
                f"`outcome:` the id of a recommendation of {quote(verdict.leans)} (or a question after which every "
                "recommendation includes it)",
            )
            continue
        outcome = tree.outcome(verdict.outcome)
        if outcome is None:
            continue
        difference = differs(tree, outcome, str(verdict.leans))
        yield from explained(ctx, path, difference, verdict.differs_because, "verdict", verdict.outcome)
