"""Lay out the decision tree as a diagram, drawn at build time as inline SVG.

Drawing at build time keeps the Decide page free of a diagram library and of any request to
another origin. The layout is the classic layered tree drawing: a node's column is its depth
from the start, leaves take consecutive rows in depth-first order, and a question sits at the
middle of its children (after Reingold and Tilford's tidy-tree idea, simplified for a small
tree whose nodes are each reached once; a node reached again is drawn once, at its first place).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from .schema import DecisionTree, Question

BOX_WIDTH = 210  # px
COLUMN_GAP = 150  # px between boxes, room for the answer labels
LINE_HEIGHT = 15  # px
PADDING = 10  # px inside a box
ROW_GAP = 18  # px between boxes of one column
BOX_CHARS = 30  # characters per line inside a box
LABEL_CHARS = 22  # characters per line of an answer label


@dataclass
class Box:
    """A node's box: top-left corner, size, and its text wrapped into lines (px, px, px, px)."""

    id: str
    kind: str
    x: float
    y: float
    width: float
    height: float
    lines: list[str]


@dataclass
class Edge:
    """A connector from a question to the node an answer leads to, with the answer's label."""

    source: str
    target: str
    x1: float
    y1: float
    x2: float
    y2: float
    label: list[str] = field(default_factory=list)


@dataclass
class Diagram:
    """The laid-out tree: boxes, edges and the overall size in px."""

    boxes: list[Box]
    edges: list[Edge]
    width: float
    height: float


def _height(lines: list[str]) -> float:
    return len(lines) * LINE_HEIGHT + 2 * PADDING


def layout(tree: DecisionTree) -> Diagram:
    """Lay out ``tree`` left to right.

    Input: a validated tree (a start question, nodes reachable and acyclic). Output: a
    :class:`Diagram` whose coordinates are pixels from the top-left corner. Raises nothing.
    """
    nodes = {n.id: n for n in tree.nodes}
    boxes: dict[str, Box] = {}
    edges: list[tuple[str, str, str]] = []
    next_y = [0.0]

    def place(node_id: str, depth: int) -> Box:
        node = nodes[node_id]
        text = node.text if isinstance(node, Question) else f"{node.title}"
        lines = textwrap.wrap(text, BOX_CHARS)
        height = _height(lines)
        children = []
        if isinstance(node, Question):
            for answer in node.answers:
                edges.append((node_id, answer.next, answer.label))
                if answer.next not in boxes:
                    children.append(place(answer.next, depth + 1))
        x = depth * (BOX_WIDTH + COLUMN_GAP)
        if children:
            middle = (children[0].y + children[-1].y + children[-1].height) / 2
            y = max(middle - height / 2, 0.0)
        else:
            y = next_y[0]
            next_y[0] += height + ROW_GAP
        box = Box(node_id, node.kind, x, y, BOX_WIDTH, height, lines)
        boxes[node_id] = box
        return box

    place(tree.start, 0)
    drawn_edges = []
    for source, target, label in edges:
        a, b = boxes[source], boxes[target]
        drawn_edges.append(Edge(source, target, a.x + a.width, a.y + a.height / 2, b.x, b.y + b.height / 2,
                                textwrap.wrap(label, LABEL_CHARS)))
    width = max(b.x + b.width for b in boxes.values())
    height = max(b.y + b.height for b in boxes.values())
    return Diagram(list(boxes.values()), drawn_edges, width, height)
