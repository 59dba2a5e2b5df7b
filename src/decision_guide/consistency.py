"""Checks that the Decide page's advice agrees with the decision tree: consistency as data.

The decision table and the "choose X when" lists repeat, in short form, what the decision tree
recommends. Each row and bullet names the tree ``outcome`` it corresponds to, and these checks
report where the short form and the tree lead to different recommendations, unless the YAML
says why with a cited ``differs_because`` (the rule is :func:`decision_guide.outcomes.differs`:
a subject must be in every recommendation the outcome can still reach; ``either`` must leave
more than one framework open):

- a decision-table row whose ``choose`` its outcome does not lead to;
- a "choose X when" bullet whose outcome does not lead to X;
- a ``differs_because`` with no difference to explain;
- a question that offers the same answer twice (answers must be told apart; answers that may
  overlap are allowed when the question says ``pick_best: true``).

The needs filter and the verdicts have their own modules (:mod:`decision_guide.need_outcomes`,
:mod:`decision_guide.verdict_outcomes`). Registered in :data:`decision_guide.checks.CHECKS`; each
generator takes a :class:`~decision_guide.context.Context` and yields located problems.
"""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context
from .outcomes import Tree, differs, explained
from .problems import Problem, quote
from .schema import Question


def check_decision_rows(ctx: Context) -> Iterator[Problem]:
    """Each decision-table row leads where its tree outcome leads, or says why not."""
    tree = Tree(ctx.kb)
    for i, row in enumerate(ctx.kb.decision_table):
        outcome = tree.outcome(row.outcome)
        if outcome is None:
            continue  # an unknown outcome (reported by check_references)
        difference = differs(tree, outcome, row.choose)
        yield from explained(ctx, ("decision_table", i), difference, row.differs_because, "row", row.outcome)


def check_choose_when(ctx: Context) -> Iterator[Problem]:
    """Each "choose X when" bullet's outcome leads to X, or the bullet says why not."""
    tree = Tree(ctx.kb)
    for subject, guidance in ctx.kb.guidance.items():
        for j, item in enumerate(guidance.choose_when):
            outcome = tree.outcome(item.outcome)
            if outcome is None:
                continue
            difference = differs(tree, outcome, subject)
            path = ("guidance", subject, "choose_when", j)
            yield from explained(ctx, path, difference, item.differs_because, "bullet", item.outcome)


def check_distinct_answers(ctx: Context) -> Iterator[Problem]:
    """No question offers two answers with the same label (compared without case and spacing)."""
    for i, node in enumerate(ctx.kb.decision_tree.nodes):
        if not isinstance(node, Question):
            continue
        seen: dict[str, int] = {}
        for j, answer in enumerate(node.answers):
            key = " ".join(str(answer.label).casefold().split())
            if key in seen:
                yield ctx.sm.problem(
                    ("decision_tree", "nodes", i, "answers", j, "label"),
                    f"the same answer as answer {seen[key] + 1} of {quote(node.id)}",
                    "answers a reader can tell apart",
                )
            else:
                seen[key] = j
