"""Checks that the Decide page's advice agrees with itself: consistency as data.

The decision table and the "choose X when" lists repeat, in short form, what the decision tree
recommends. Each row and bullet names the tree ``outcome`` it corresponds to, and these checks
report where the short form and the tree disagree, unless the YAML says why (``why_different``):

- a decision-table row whose ``choose`` is not among its outcome recommendation's subjects (a row
  with ``choose: either`` names the question that settles it, or a recommendation of either
  framework);
- a "choose X when" bullet whose outcome does not recommend X;
- an outcome that names a question where a recommendation is expected;
- a ``why_different`` with no difference to explain;
- a question that offers the same answer twice (answers must be told apart; answers that may
  overlap are allowed when the question says ``pick_best: true``).

Registered in :data:`decision_guide.checks.CHECKS`; each generator takes a
:class:`~decision_guide.checks.Context` and yields located problems.
"""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context
from .problems import Path, Problem, quote
from .schema import Question, Recommendation


def _nodes(ctx: Context) -> dict[str, Question | Recommendation]:
    return {node.id: node for node in ctx.kb.decision_tree.nodes}


def _explained(
    ctx: Context, path: Path, differs: bool, why_different: object, detail: str, expected: str, what: str, node: str
) -> Iterator[Problem]:
    """A row or bullet that differs from its outcome must say why; one that agrees must not."""
    if differs and why_different is None:
        yield ctx.sm.problem((*path, "outcome"), detail, expected)
    elif not differs and why_different is not None:
        yield ctx.sm.problem(
            (*path, "why_different"),
            f"the {what} agrees with its outcome {quote(node)}",
            "no `why_different` (it explains a difference)",
        )


def check_decision_rows(ctx: Context) -> Iterator[Problem]:
    """Each decision-table row agrees with the tree outcome it names, or says why not."""
    nodes = _nodes(ctx)
    for i, row in enumerate(ctx.kb.decision_table):
        if row.outcome is None or row.outcome not in nodes:
            continue  # no outcome, or an unknown one (reported by check_references)
        node = nodes[row.outcome]
        path = ("decision_table", i)
        if isinstance(node, Question):
            differs = row.choose != "either"
            detail = f"names the question {quote(node.id)}, but the row chooses {quote(row.choose)}"
        else:
            differs = row.choose != "either" and str(row.choose) not in node.recommend
            detail = (
                f"chooses {quote(row.choose)}, but its outcome {quote(node.id)} recommends "
                f"{', '.join(quote(s) for s in node.recommend)}"
            )
        expected = "an outcome that recommends the row's choice, or a `why_different` that says why the row differs"
        yield from _explained(ctx, path, differs, row.why_different, detail, expected, "row", node.id)


def check_choose_when(ctx: Context) -> Iterator[Problem]:
    """Each "choose X when" bullet's outcome is a recommendation of X, or the bullet says why not."""
    nodes = _nodes(ctx)
    for subject, guidance in ctx.kb.guidance.items():
        for j, item in enumerate(guidance.choose_when):
            if item.outcome is None or item.outcome not in nodes:
                continue
            node = nodes[item.outcome]
            path = ("guidance", subject, "choose_when", j)
            if isinstance(node, Question):
                yield ctx.sm.problem(
                    (*path, "outcome"),
                    f"{quote(node.id)} is a question",
                    "the id of a recommendation of the decision tree",
                )
                continue
            detail = (
                f"the bullet is about {quote(subject)}, but {quote(node.id)} recommends "
                f"{', '.join(quote(s) for s in node.recommend)}"
            )
            expected = f"a recommendation of {quote(subject)}, or a `why_different` that says why"
            differs = subject not in node.recommend
            yield from _explained(ctx, path, differs, item.why_different, detail, expected, "bullet", node.id)


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
