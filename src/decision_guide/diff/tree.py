"""The decision tree's outcomes, compared path by path.

A path is the sequence of answer labels a reader clicks from the first question to a
recommendation. Two trees are walked side by side, answers matched by label (compared without
case and spacing, as ``check_distinct_answers`` tells answers apart), so every root-to-leaf path
of either tree is compared: one that now ends at another recommendation, one that no longer
exists (its answer was removed or now leads to a further question), and one that is new.

Bounded work: the number of changed paths under each pair of nodes is counted once
(memoised), so subtrees that did not change are never walked path by path, and at most
``limit`` changed paths are listed; the total is still exact. A tree is a directed acyclic graph
(nodes may be shared) of at most :data:`~decision_guide.limits.MAX_TREE_DEPTH` questions per path,
so recursion is that deep at most; :data:`MAX_PAIRS` bounds the pairs of nodes compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from ..schema import DecisionTree, KnowledgeBase, Question, Recommendation

Node = Question | Recommendation
#: Most pairs of (base node, head node) compared before the comparison gives up.
MAX_PAIRS = 200_000


class TooManyPathsError(Exception):
    """The two trees pair up more than :data:`MAX_PAIRS` nodes."""


@dataclass(frozen=True)
class OutcomeChange:
    """A root-to-leaf path (``answers``, the labels clicked) and what it ends at before and after:
    a recommendation in words, or None where the path does not end there (no such path, or it
    now goes on to a further question)."""

    answers: tuple[str, ...]
    before: str | None
    after: str | None


def _key(label: str) -> str:
    return " ".join(label.casefold().split())


def outcome(node: Recommendation, names: dict[str, str]) -> str:
    """A recommendation as a reader reads it: its title and the subjects it recommends."""
    return f"{' '.join(str(node.title).split())} ({', '.join(names.get(s, s) for s in node.recommend)})"


class _Side:
    """One tree: its nodes by id, each question's answers by label, and the subjects' names."""

    def __init__(self, kb: KnowledgeBase):
        tree: DecisionTree = kb.decision_tree
        self.start = tree.start
        self.nodes: dict[str, Node] = {n.id: n for n in tree.nodes}
        self.names: dict[str, str] = {str(s.id): " ".join(str(s.name).split()) for s in kb.subjects}

    def answers(self, node_id: str) -> dict[str, tuple[str, str]]:
        """``{label key: (label, next node id)}`` of a question."""
        node = self.nodes[node_id]
        assert isinstance(node, Question)
        return {_key(a.label): (" ".join(str(a.label).split()), a.next) for a in node.answers}

    def leaves(self, node_id: str) -> Iterator[tuple[tuple[str, ...], str]]:
        """Every path below ``node_id`` to a recommendation: ``(labels, outcome)``."""
        node = self.nodes[node_id]
        if isinstance(node, Recommendation):
            yield (), outcome(node, self.names)
            return
        for label, target in self.answers(node_id).values():
            for rest, result in self.leaves(target):
                yield (label, *rest), result


def outcome_changes(base: KnowledgeBase, head: KnowledgeBase, limit: int = 50) -> tuple[list[OutcomeChange], int]:
    """The changed root-to-leaf paths from ``base`` to ``head``: at most ``limit`` of them, in
    the head's answer order, and how many there are in all. Raises :class:`TooManyPathsError`."""
    old, new = _Side(base), _Side(head)

    @cache
    def leaf_count(side: _Side, node_id: str) -> int:
        node = side.nodes[node_id]
        if isinstance(node, Recommendation):
            return 1
        return sum(leaf_count(side, target) for _, target in side.answers(node_id).values())

    @cache
    def changed(b: str | None, h: str | None) -> int:
        if changed.cache_info().currsize > MAX_PAIRS:
            raise TooManyPathsError
        if b is None or h is None:
            return leaf_count(new, h) if b is None and h is not None else leaf_count(old, b) if b else 0
        before, after = old.nodes[b], new.nodes[h]
        if isinstance(before, Recommendation) and isinstance(after, Recommendation):
            return int(outcome(before, old.names) != outcome(after, new.names))
        if isinstance(before, Recommendation):
            return 1 + leaf_count(new, h)
        if isinstance(after, Recommendation):
            return leaf_count(old, b) + 1
        olds, news = old.answers(b), new.answers(h)
        return sum(changed(olds.get(k, ("", None))[1], news.get(k, ("", None))[1]) for k in {**news, **olds})

    def listed(b: str | None, h: str | None, path: tuple[str, ...]) -> Iterator[OutcomeChange]:
        if not changed(b, h):
            return
        if b is None and h is not None:  # a path only the head has
            for rest, result in new.leaves(h):
                yield OutcomeChange((*path, *rest), None, result)
            return
        if h is None and b is not None:  # a path only the base had
            for rest, result in old.leaves(b):
                yield OutcomeChange((*path, *rest), result, None)
            return
        assert b is not None and h is not None
        before, after = old.nodes[b], new.nodes[h]
        if isinstance(before, Recommendation) and isinstance(after, Recommendation):
            yield OutcomeChange(path, outcome(before, old.names), outcome(after, new.names))
            return
        if isinstance(before, Recommendation):  # the path used to end here; now a question follows
            yield OutcomeChange(path, outcome(before, old.names), None)
            yield from listed(None, h, path)
            return
        if isinstance(after, Recommendation):  # the path went on; now it ends here
            yield from listed(b, None, path)
            yield OutcomeChange(path, None, outcome(after, new.names))
            return
        olds, news = old.answers(b), new.answers(h)
        for k in {**news, **olds}:
            label = (news.get(k) or olds[k])[0]
            yield from listed(olds.get(k, ("", None))[1], news.get(k, ("", None))[1], (*path, label))

    total = changed(old.start, new.start)
    out: list[OutcomeChange] = []
    for change in listed(old.start, new.start, ()):
        if len(out) == limit:
            break
        out.append(change)
    return out, total
