"""Where advice leads in the decision tree: the shared rule of the consistency checks.

Each piece of short-form advice (a decision-table row, a "choose X when" bullet, a need of the
needs filter, a comparison row's ✔ verdict) names the tree node it corresponds to, its
``outcome``. A recommendation stands for itself; a question stands for every recommendation a
reader can reach from it. Advice for a subject agrees with its outcome when *every* one of those
recommendations includes the subject: a question that can still end elsewhere is a difference,
which the YAML must explain (``differs_because``). Advice for ``either`` agrees when the outcome
still leaves more than one framework open.

Not a check itself: :mod:`decision_guide.consistency`, :mod:`decision_guide.need_outcomes` and
:mod:`decision_guide.verdict_outcomes` use it. The walk is iterative and visits each node once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .context import Context
from .problems import Path, Problem, quote
from .schema import CitedItem, KnowledgeBase, Question, Recommendation, Verdict


@dataclass(frozen=True)
class Outcome:
    """The recommendations reachable from one tree node (itself, for a recommendation), in the order
    a depth-first walk over the answers meets them."""

    node: Question | Recommendation
    recommendations: tuple[Recommendation, ...]

    def missing(self, subject: str) -> list[Recommendation]:
        """The reachable recommendations that do not include ``subject`` (empty: the advice agrees)."""
        return [r for r in self.recommendations if subject not in r.recommend]

    def describe_missing(self, subject: str) -> str:
        """In words, where the outcome leads instead of ``subject``: ```x` recommends `a`, `b```."""
        parts = [f"{quote(r.id)} recommends {', '.join(quote(s) for s in r.recommend)}" for r in self.missing(subject)]
        where = "" if isinstance(self.node, Recommendation) else f"after {quote(self.node.id)}, "
        return where + "; ".join(parts)


class Tree:
    """The decision tree of one knowledge base, indexed once: ``outcome(node id)`` for any node."""

    def __init__(self, kb: KnowledgeBase):
        self.nodes: dict[str, Question | Recommendation] = {n.id: n for n in kb.decision_tree.nodes}
        self._roots = {s.id: s.builds_on or s.id for s in kb.subjects}
        self._cache: dict[str, Outcome] = {}

    def outcome(self, node_id: str) -> Outcome | None:
        """The :class:`Outcome` of ``node_id``, or None for an unknown id (reported by the reference check)."""
        if node_id not in self.nodes:
            return None
        if node_id not in self._cache:
            self._cache[node_id] = Outcome(self.nodes[node_id], tuple(self._walk(node_id)))
        return self._cache[node_id]

    def _walk(self, start: str) -> Iterable[Recommendation]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            node_id = stack.pop()
            if node_id in seen or node_id not in self.nodes:
                continue
            seen.add(node_id)
            node = self.nodes[node_id]
            if isinstance(node, Recommendation):
                yield node
            else:
                stack.extend(answer.next for answer in reversed(node.answers))

    def frameworks(self, outcome: Outcome) -> set[str]:
        """The frameworks an outcome leaves open: each recommended subject, counted as the subject it
        builds on (Django REST framework counts as Django)."""
        return {self._roots.get(s, s) for r in outcome.recommendations for s in r.recommend}


def differs(tree: Tree, outcome: Outcome, advice: str) -> str | None:
    """Why ``advice`` (a subject id, or ``either``) differs from ``outcome``, in words, or None when
    it agrees: a subject must be in every reachable recommendation; ``either`` must leave more than
    one framework open."""
    if advice == "either":
        open_ = tree.frameworks(outcome)
        if len(open_) > 1:
            return None
        return f"says `either`, but {quote(outcome.node.id)} leads only to {', '.join(quote(s) for s in sorted(open_))}"
    if not outcome.missing(advice):
        return None
    return f"says {quote(advice)}, but {outcome.describe_missing(advice)}"


def explained(
    ctx: Context, path: Path, difference: str | None, because: CitedItem | None, what: str, node: str
) -> Iterator[Problem]:
    """Advice that differs from its outcome must say why (``differs_because``); advice that agrees must not."""
    if difference is not None and because is None:
        yield ctx.sm.problem(
            (*path, "outcome"),
            f"the {what} {difference}",
            "an `outcome` that leads to the same advice, or a `differs_because` (text and cite) saying why not",
        )
    elif difference is None and because is not None:
        yield ctx.sm.problem(
            (*path, "differs_because"),
            f"the {what} agrees with its outcome {quote(node)}",
            "no `differs_because` (it explains a difference)",
        )


def leaning(verdict: Verdict | None, need_id: str) -> str | None:
    """The subject a comparison row favours for the need ``need_id``: the verdict's subject, or, on a
    ``depends`` row, its ``for_needs`` entry for the need; None when the row favours neither (no
    verdict, ``disputed``, or ``depends`` without an entry). The needs filter and the check both read
    the leaning here, so the row's badge and the filter come from one field."""
    if verdict is None or verdict.leans == "disputed":
        return None
    if verdict.leans == "depends":
        return next((str(subject) for need, subject in verdict.for_needs.items() if need == need_id), None)
    return str(verdict.leans)
