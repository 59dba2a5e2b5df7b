"""Walks of the decision tree that the Decide pages show: the first path to each recommendation and
the tree as an outline. Each walk is iterative (an explicit stack, so a deep tree cannot exhaust
Python's recursion limit) and visits each question once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .schema import Answer, DecisionTree, Question, Recommendation

Node = Question | Recommendation


def first_paths(tree: DecisionTree, nodes: dict[str, Node]) -> dict[str, list[tuple[Question, Answer]]]:
    """``{recommendation id: [(question, answer), ...]}``: for each recommendation reachable from
    ``tree.start``, the answers of the first path that reaches it, depth first, answers in file
    order. ``nodes`` maps every node id to its node (the validator guarantees every ``next``
    resolves). Recommendations no path reaches are absent."""
    paths: dict[str, list[tuple[Question, Answer]]] = {}
    seen: set[str] = set()
    stack: list[tuple[str, list[tuple[Question, Answer]]]] = [(str(tree.start), [])]
    while stack:
        node_id, trail = stack.pop()
        node = nodes[node_id]
        if isinstance(node, Recommendation):
            paths.setdefault(node_id, trail)
        elif node_id not in seen:
            seen.add(node_id)
            stack.extend((str(a.next), [*trail, (node, a)]) for a in reversed(node.answers))
    return paths


@dataclass(frozen=True)
class OutlineLine:
    """One answer in the tree's outline: ``depth`` levels below the first question's answers,
    the ``answer`` and the id of the node it leads to (``next``)."""

    depth: int
    answer: Answer
    next: str


def outline(tree: DecisionTree, nodes: dict[str, Node]) -> list[OutlineLine]:
    """The tree as nested lists, in reading order: the first question's answers at depth 0, each
    followed by the answers of the question it leads to, one level deeper. A question reached a
    second time is listed as a target but not expanded again."""
    start = nodes[str(tree.start)]
    if not isinstance(start, Question):
        return []
    lines: list[OutlineLine] = []
    seen = {str(tree.start)}
    stack = [(iter(start.answers), 0)]
    while stack:
        answers, depth = stack[-1]
        answer = next(answers, None)
        if answer is None:
            stack.pop()
            continue
        lines.append(OutlineLine(depth, answer, str(answer.next)))
        target = nodes[str(answer.next)]
        if isinstance(target, Question) and str(answer.next) not in seen:
            seen.add(str(answer.next))
            stack.append((iter(target.answers), depth + 1))
    return lines


def api_questions(tree: DecisionTree, nodes: dict[str, Node], api_subjects: set[str]) -> list[Question]:
    """The tree's "API questions", in file order: the questions with an answer that leads straight to
    a recommendation of one of ``api_subjects`` (the tools the API page compares)."""
    out = []
    for node in tree.nodes:
        if not isinstance(node, Question):
            continue
        targets = [nodes[str(a.next)] for a in node.answers]
        if any(isinstance(t, Recommendation) and api_subjects.intersection(map(str, t.recommend)) for t in targets):
            out.append(node)
    return out


def api_results(tree: DecisionTree, nodes: dict[str, Node], api_subjects: set[str]) -> set[str]:
    """The ids of the nodes an API question (:func:`api_questions`) leads to: every answer of such a
    question leads to an API result."""
    return {str(a.next) for node in api_questions(tree, nodes, api_subjects) for a in node.answers}
