"""Lay out the decision tree as a top-down diagram, drawn at build time as inline SVG.

Drawing at build time keeps the Decide page free of a diagram library and of any request to
another origin. The layout is a layered ("Sugiyama") drawing, after K. Sugiyama, S. Tagawa and
M. Toda, "Methods for visual understanding of hierarchical system structures", IEEE Trans.
SMC 11(2), 1981, in its usual four steps:

1. **Layers** by longest path from the sources (a node sits one layer below its lowest
   parent), so a node reached by two answers is drawn once, below both, and every edge points
   down. An edge that spans several layers passes through one dummy node per layer it crosses.
2. **Order** within layers: depth-first order of the answers first (no crossing at all for a
   tree), then barycentre sweeps down and up (Sugiyama et al. 1981, section IV), keeping the
   order with the fewest crossings, counted by inversions (W. Barth, M. Jünger, P. Mutzel,
   "Simple and efficient bilayer cross counting", Graph Drawing 2002).
3. **Coordinates**: each layer is placed where its nodes' neighbours pull it (the mean of their
   ports), with overlaps resolved by isotonic regression, "pool adjacent violators"
   (M. Ayer et al. 1955), which moves the nodes of a layer as little as possible, in squared
   distance, while keeping their order and spacing; every layer is clamped to the target width
   when the widest layer fits in it.
4. **Heights and edges.** Each layer is placed below what is already drawn across each box's
   width (a skyline kept in a segment tree), so a short column does not wait for a long one
   beside it. Edges are orthogonal: down from the parent's port (on its left side), along a
   bus just below whatever the bus spans (buses that overlap stack one below the other), and
   down into the child, with the answer's label beside that last segment, above the child.

One step is added for narrow columns, as organisation charts do with their leaves: a
recommendation reached by a single answer is stacked under its question, indented, rather than
given a column of its own in the next layer. The Decide page's tree, whose widest layer would
otherwise hold nine boxes, so fits the 688 px content column with every label at full size.

Text is wrapped to measured widths using the advance widths of DejaVu Sans (wider than Arial,
Helvetica, Roboto or the system UI faces, and the one Debian's browsers fall back to), so text
fits its box in the common fonts. Every step is linear or ``n log n`` in the number of nodes and edges,
dummy nodes included.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .schema import DecisionTree, Question

TARGET_WIDTH = 688  # px: the content column of Material for MkDocs at a 1280 px viewport
MARGIN = 4  # px around the drawing
MIN_BOX_WIDTH = 120  # px: narrower boxes hold too few words a line; past this the drawing is wider than the target
MAX_BOX_WIDTH = 230  # px
LABEL_MIN_WIDTH = 110  # px per incoming answer label, for a node that several answers lead to
GAP = 10  # px between neighbouring columns
DUMMY_WIDTH = 8  # px: the slot of an edge passing through a layer
INDENT = 18  # px: stacked leaves sit this far right of their question; the port is at half of it
PADDING = 8  # px inside a box
FONT_SIZE = 13  # px, text in boxes
LINE_HEIGHT = 17  # px
LABEL_FONT_SIZE = 12  # px, answer labels
LABEL_LINE_HEIGHT = 15  # px
BASELINE = 13  # px from the top of a line of box text to its baseline
LABEL_BASELINE = 12  # px, the same for a line of an answer label
LABEL_GAP = 6  # px between a label and the box below it, and between a port line and its label
STACK_GAP = 8  # px above each stacked leaf's label
BUS_PAD = 10  # px between the lowest box of a layer and its first bus
SWEEPS = 4  # rounds of barycentre ordering (down and up)
PLACEMENTS = 4  # rounds of coordinate placement (down and up)

# Advance widths of ASCII 32..126 in DejaVu Sans, per 100 px of font size (regular, bold).
_REGULAR = (
    "32 40 46 84 64 95 78 27 39 39 50 84 32 36 32 34 64 64 64 64 64 64 64 64 64 64 34 34 84 84 84 53 100 68 69 "
    "70 77 63 58 77 75 29 29 66 56 86 75 79 60 79 69 63 61 73 68 99 69 61 69 39 34 39 84 50 50 61 63 55 63 62 35 "
    "63 63 28 28 58 28 97 63 61 63 63 41 52 39 63 59 82 59 59 52 64 34 64 84"
)
_BOLD = (
    "35 46 52 84 70 100 87 31 46 46 52 84 38 42 38 37 70 70 70 70 70 70 70 70 70 70 40 40 84 84 84 58 100 77 76 "
    "73 83 68 68 82 84 37 37 77 64 100 84 85 73 85 77 72 68 81 77 110 77 72 73 46 37 46 84 50 50 67 72 59 72 68 "
    "44 72 71 34 34 67 34 104 71 69 72 72 49 60 48 71 65 92 65 65 58 71 37 71 84"
)
_WIDTHS = {False: [int(w) / 100 for w in _REGULAR.split()], True: [int(w) / 100 for w in _BOLD.split()]}
_WIDE = 1.0  # em, for characters outside ASCII: wider than any DejaVu Sans letter but a few

#: Colour keys of recommendations: the first recommended subject, when it has a palette.
TONES = ("django", "flask", "fastapi")


@dataclass
class Box:
    """A node's box, in px from the drawing's top-left corner.

    ``heading``: bold lines (a recommendation's subject names); ``lines``: the question or the
    recommendation title, wrapped. ``tone``: for a recommendation, the key its colour comes
    from (``django``, ``flask``, ``fastapi``, ``multi`` when its subjects build on two
    frameworks or more, ``other``); ``None`` for a question. ``stacked``: drawn under its question.
    """

    id: str
    kind: str
    x: float
    y: float
    width: float
    height: float
    lines: list[str]
    heading: list[str] = field(default_factory=list)
    tone: str | None = None
    stacked: bool = False

    @property
    def text_rows(self) -> list[tuple[float, float, str, bool]]:
        """Every line as ``(x, baseline y, text, bold)``, in drawing order (px)."""
        rows = [(line, True) for line in self.heading] + [(line, False) for line in self.lines]
        return [
            (self.x + PADDING, self.y + PADDING + i * LINE_HEIGHT + BASELINE, text, bold)
            for i, (text, bold) in enumerate(rows)
        ]


@dataclass
class Edge:
    """A connector from a question to the node one of its answers leads to.

    ``points``: the orthogonal polyline, from the question's port to the child, in px; every
    segment runs down or sideways, never up. ``x1, y1, x2, y2``: its first and last points.
    ``label``: the answer, wrapped; its block's top-left corner is ``(label_x, label_y)``, its
    size ``label_width`` by ``label_height``, beside the edge's last segment, above the child.
    """

    source: str
    target: str
    x1: float
    y1: float
    x2: float
    y2: float
    label: list[str] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)
    label_x: float = 0.0
    label_y: float = 0.0
    label_width: float = 0.0
    label_height: float = 0.0

    @property
    def label_rows(self) -> list[tuple[float, float, str]]:
        """Every line of the label as ``(x, baseline y, text)`` (px)."""
        return [
            (self.label_x, self.label_y + i * LABEL_LINE_HEIGHT + LABEL_BASELINE, text)
            for i, text in enumerate(self.label)
        ]

    @property
    def path(self) -> str:
        """The SVG path data of :attr:`points` (``M x y V y H x ...``)."""
        (x, y), *rest = self.points
        out = [f"M{_num(x)} {_num(y)}"]
        for nx, ny in rest:
            out.append(f"V{_num(ny)}" if nx == x else f"H{_num(nx)}" if ny == y else f"L{_num(nx)} {_num(ny)}")
            x, y = nx, ny
        return " ".join(out)


@dataclass
class Diagram:
    """The laid-out tree: one box per node, one edge per answer, and the size in px.

    ``fits``: ``width`` is at most ``target_width``, so the drawing can be shown at full size
    in the content column; otherwise the page shows it scaled down as an overview.
    """

    boxes: list[Box]
    edges: list[Edge]
    width: float
    height: float
    target_width: float = TARGET_WIDTH

    @property
    def fits(self) -> bool:
        """Whether the drawing fits :attr:`target_width` at full size."""
        return self.width <= self.target_width


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """The width in px of one line of ``text`` at ``size`` px in DejaVu Sans (bold or not).

    An upper bound for the common sans-serif faces; characters outside ASCII count 1 em.
    """
    table = _WIDTHS[bold]
    return size * sum(table[ord(c) - 32] if 32 <= ord(c) < 127 else _WIDE for c in text)


def wrap(text: str, width: float, size: float = FONT_SIZE, bold: bool = False) -> list[str]:
    """Wrap ``text`` into lines at most ``width`` px wide (see :func:`text_width`).

    Breaks at spaces; a word wider than a line is broken after a hyphen, else anywhere.
    Returns at least one line for non-empty text; ``[]`` for blank text.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while text_width(word, size, bold) > width:
            cut = _cut(word, width, size, bold)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _cut(word: str, width: float, size: float, bold: bool) -> int:
    fit = 1
    while fit < len(word) and text_width(word[: fit + 1], size, bold) <= width:
        fit += 1
    hyphen = word.rfind("-", 0, fit)
    return hyphen + 1 if hyphen > 0 else fit


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def plain(text: str) -> str:
    """``text`` (one line of Markdown) as plain text: links keep their text, and the marks of
    emphasis and code are dropped. Always returns a plain :class:`str` (never a subclass that
    carries its own HTML), so that the template's autoescaping escapes it."""
    return str.__str__(_EMPHASIS.sub("", _LINK.sub(r"\1", str.__str__(text))))


def _subject_line(recommend: list[str], subjects: Mapping[str, Any] | None) -> tuple[str, str]:
    """(names as shown, tone) for a recommendation's ``recommend`` list: the names in order,
    comma-separated; the tone of the framework they build on (following ``builds_on``), or
    ``multi`` when they build on two frameworks or more (alternatives), or ``other``."""
    known = subjects or {}

    def root(subject_id: str) -> str:
        seen = {subject_id}
        while (parent := getattr(known.get(subject_id), "builds_on", None)) and parent not in seen:
            seen.add(parent)
            subject_id = parent
        return subject_id

    names = ", ".join(plain(getattr(known.get(s), "name", None) or s) for s in recommend)
    roots = list(dict.fromkeys(root(s) for s in recommend))
    if len(roots) > 1 or roots[0] == "either":
        return names, "multi"
    return names, roots[0] if roots[0] in TONES else "other"


class _Slot:
    """A node of the layered graph: a real node (with its stack) or a dummy on a long edge."""

    __slots__ = ("dummy", "id", "ins", "order", "outs", "rank", "stack", "width", "x")

    def __init__(self, id: str, rank: int, dummy: bool = False):
        self.id = id
        self.rank = rank
        self.dummy = dummy
        self.width = float(DUMMY_WIDTH)
        self.x = 0.0
        self.order = 0.0
        self.ins: list[_Link] = []
        self.outs: list[_Link] = []
        self.stack: list[tuple[str, int]] = []  # (leaf id, answer index)

    def out_x(self) -> float:
        """Where edges leave: the middle of a dummy, else the port on the box's left side."""
        return self.x + (self.width / 2 if self.dummy else INDENT / 2)

    def in_x(self, link: _Link) -> float:
        """Where ``link`` arrives: the middle of a dummy, else one port per incoming edge."""
        if self.dummy:
            return self.x + self.width / 2
        return self.x + INDENT / 2 + link.port * self.width / len(self.ins)


class _Link:
    """One segment of an edge, between adjacent layers."""

    __slots__ = ("a", "b", "bus", "edge", "port")

    def __init__(self, a: _Slot, b: _Slot, edge: int):
        self.a, self.b, self.edge = a, b, edge
        self.port = 0
        self.bus = 0.0


def layout(
    tree: DecisionTree, subjects: Mapping[str, Any] | None = None, target_width: float = TARGET_WIDTH
) -> Diagram:
    """Lay out ``tree`` top down (see the module's docstring for the algorithm and sources).

    Input: ``tree``, a :class:`~decision_guide.schema.DecisionTree`; ``subjects``, optionally
    ``{subject id: Subject}`` (anything with ``name`` and ``kind``), for the names a
    recommendation's box shows in bold (without it, the subject ids); ``target_width``, the
    column width in px the drawing should fit.

    Output: a :class:`Diagram` in px from the top-left corner: one :class:`Box` per node, in
    the tree's order (a recommendation reached by a single answer is stacked under its
    question), and one :class:`Edge` per answer. Boxes never overlap, labels overlap no box,
    and every edge ends below the bottom of the box it starts from. The drawing is at most
    ``target_width`` wide whenever its widest layer fits at :data:`MIN_BOX_WIDTH`; otherwise it
    is as narrow as that allows and :attr:`Diagram.fits` is false.

    Raises :class:`ValueError` when the start or an answer names no node, when two nodes
    share an id, or when the answers form a cycle.
    """
    nodes: dict[str, Any] = {}
    for node in tree.nodes:
        if node.id in nodes:
            raise ValueError(f"two nodes of the decision tree have the id {node.id!r}")
        nodes[node.id] = node
    if tree.start not in nodes:
        raise ValueError(f"the decision tree starts at {tree.start!r}, which is not a node")
    answers: list[tuple[str, str, str]] = []  # (source, target, label), in file order
    outs: dict[str, list[int]] = {n: [] for n in nodes}
    indegree = dict.fromkeys(nodes, 0)
    for node in nodes.values():
        if isinstance(node, Question):
            for answer in node.answers:
                if answer.next not in nodes:
                    raise ValueError(f"an answer of {node.id!r} leads to {answer.next!r}, which is not a node")
                outs[node.id].append(len(answers))
                indegree[answer.next] += 1
                answers.append((node.id, answer.next, plain(answer.label)))

    # 1. Layers: longest path from the sources, in topological order (Kahn's algorithm).
    rank = dict.fromkeys(nodes, 0)
    pending = dict(indegree)
    queue = [n for n in nodes if pending[n] == 0]
    seen = 0
    while queue:
        node_id = queue.pop()
        seen += 1
        for i in outs[node_id]:
            target = answers[i][1]
            rank[target] = max(rank[target], rank[node_id] + 1)
            pending[target] -= 1
            if pending[target] == 0:
                queue.append(target)
    if seen < len(nodes):
        raise ValueError("the answers of the decision tree form a cycle")

    # Leaves reached by a single answer are stacked under their question, in answer order.
    stacked = {
        answers[i][1]: i for n in nodes for i in outs[n] if indegree[answers[i][1]] == 1 and not outs[answers[i][1]]
    }
    slots = {n: _Slot(n, rank[n]) for n in nodes if n not in stacked}
    layers: list[list[_Slot]] = [[] for _ in range(max(s.rank for s in slots.values()) + 1)]
    for slot in slots.values():
        layers[slot.rank].append(slot)
    edge_links: list[list[_Link]] = [[] for _ in answers]
    for i, (source, target, _) in enumerate(answers):
        if target in stacked:
            slots[source].stack.append((target, i))
            continue
        previous = slots[source]
        for r in range(rank[source] + 1, rank[target] + 1):
            slot = slots[target] if r == rank[target] else _Slot(f"{i}@{r}", r, dummy=True)
            if slot.dummy:
                layers[r].append(slot)
            link = _Link(previous, slot, i)
            previous.outs.append(link)
            slot.ins.append(link)
            edge_links[i].append(link)
            previous = slot

    _order(layers, slots, tree.start)
    width = _widths(layers, target_width)
    _coordinates(layers, width)

    # Heights, layer by layer: each bus and each box goes just below whatever is already drawn
    # across its width (a skyline), so a short column does not wait for a long one beside it.
    boxes: dict[str, Box] = {}
    edges: list[Edge | None] = [None] * len(answers)
    points_x = sorted(
        {
            x
            for layer in layers
            for slot in layer
            for x in (slot.x, slot.x + slot.width, slot.out_x(), *(slot.in_x(link) for link in slot.ins))
        }
    )
    sky = _Skyline(points_x, float(MARGIN) - BUS_PAD)
    for r, layer in enumerate(layers):
        if r:
            spans = []
            for slot in layers[r - 1]:
                if slot.outs:
                    xs = [slot.out_x()] + [link.b.in_x(link) for link in slot.outs]
                    spans.append((min(xs), max(xs), slot))
            spans.sort(key=lambda span: (span[0], span[1]))
            for low, high, slot in spans:
                bus = sky.highest(low, high) + BUS_PAD
                sky.raise_to(low, high, bus)
                for link in slot.outs:
                    link.bus = bus
        for slot in layer:
            if slot.dummy:
                continue
            band = max(
                (
                    len(wrap(answers[link.edge][2], _label_width(slot), LABEL_FONT_SIZE)) * LABEL_LINE_HEIGHT
                    for link in slot.ins
                ),
                default=0,
            )
            top = sky.highest(slot.x, slot.x + slot.width) + (LABEL_GAP + band + LABEL_GAP if slot.ins else BUS_PAD)
            box = boxes[slot.id] = _box(nodes[slot.id], slot.x, top, slot.width, subjects)
            below = box.y + box.height
            for leaf, i in slot.stack:
                label_width = slot.width - INDENT - 2
                lines = wrap(answers[i][2], label_width, LABEL_FONT_SIZE)
                label_top = below + STACK_GAP
                leaf_top = label_top + len(lines) * LABEL_LINE_HEIGHT + LABEL_GAP
                leaf_box = boxes[leaf] = _box(nodes[leaf], slot.x + INDENT, leaf_top, slot.width - INDENT, subjects)
                leaf_box.stacked = True
                middle = leaf_box.y + min(leaf_box.height / 2, PADDING + LINE_HEIGHT / 2)
                points = [(slot.out_x(), box.y + box.height), (slot.out_x(), middle), (leaf_box.x, middle)]
                edges[i] = Edge(
                    slot.id,
                    leaf,
                    *points[0],
                    *points[-1],
                    lines,
                    points,
                    leaf_box.x + 2,
                    label_top,
                    label_width,
                    len(lines) * LABEL_LINE_HEIGHT,
                )
                below = leaf_box.y + leaf_box.height
            sky.raise_to(slot.x, slot.x + slot.width, below)

    # Edges between layers: down the parent's port, along its bus, down into the child.
    for i, links in enumerate(edge_links):
        if not links:
            continue
        head, tail = links[0].a, links[-1].b
        source_box, target_box = boxes[head.id], boxes[tail.id]
        start = (head.out_x(), source_box.y + source_box.height)
        points = [start]
        for link in links:
            points += [(link.a.out_x(), link.bus), (link.b.in_x(link), link.bus)]
        end = (tail.in_x(links[-1]), target_box.y)
        points.append(end)
        label_width = _label_width(tail)
        lines = wrap(answers[i][2], label_width, LABEL_FONT_SIZE)
        label_height = len(lines) * LABEL_LINE_HEIGHT
        edges[i] = Edge(
            head.id,
            tail.id,
            *start,
            *end,
            lines,
            _simplify(points),
            end[0] + LABEL_GAP,
            target_box.y - LABEL_GAP - label_height,
            label_width,
            label_height,
        )

    ordered = [boxes[n] for n in nodes]
    height = max(b.y + b.height for b in ordered) + MARGIN
    return Diagram(ordered, [e for e in edges if e is not None], width, height, target_width)


def _label_width(slot: _Slot) -> float:
    """The width of an answer label beside an incoming edge of ``slot``: its share of the box,
    right of the port line."""
    return slot.width / len(slot.ins) - INDENT / 2 - LABEL_GAP - 4


def _box(node: Any, x: float, y: float, width: float, subjects: Mapping[str, Any] | None) -> Box:
    inner = width - 2 * PADDING
    if isinstance(node, Question):
        heading, lines, tone = [], wrap(plain(node.text), inner), None
    else:
        names, tone = _subject_line(list(node.recommend), subjects)
        heading, lines = wrap(names, inner, bold=True), wrap(plain(node.title), inner)
    height = 2 * PADDING + (len(heading) + len(lines)) * LINE_HEIGHT
    return Box(node.id, node.kind, round(x, 1), round(y, 1), round(width, 1), height, lines, heading, tone)


def _number(layer: list[_Slot]) -> None:
    for index, slot in enumerate(layer):
        slot.order = index


def _order(layers: list[list[_Slot]], slots: dict[str, _Slot], start: str) -> None:
    """Order each layer in place: depth-first order of the answers from ``start`` (then from
    any other source), improved by barycentre sweeps while they remove crossings."""
    counter = 0
    visited: set[str] = set()
    for root in [start, *(s.id for s in layers[0]), *slots]:
        if root in visited:
            continue
        visited.add(root)
        slots[root].order = counter
        counter += 1
        pending = [iter(slots[root].outs)]
        while pending:
            link = next(pending[-1], None)
            if link is None:
                pending.pop()
                continue
            while link.b.dummy:
                link.b.order = counter
                link = link.b.outs[0]
            counter += 1
            if link.b.id not in visited:
                visited.add(link.b.id)
                link.b.order = counter
                counter += 1
                pending.append(iter(link.b.outs))
    for layer in layers:
        layer.sort(key=lambda s: s.order)
        _number(layer)
    best = [list(layer) for layer in layers]
    fewest = _crossings(layers)
    for _ in range(SWEEPS):
        if fewest == 0:
            break
        for downward in (True, False):
            for layer in layers[1:] if downward else layers[-2::-1]:
                for slot in layer:
                    neighbours = [link.a for link in slot.ins] if downward else [link.b for link in slot.outs]
                    if neighbours:
                        slot.order = sum(n.order for n in neighbours) / len(neighbours)
                layer.sort(key=lambda s: s.order)
                _number(layer)
            crossings = _crossings(layers)
            if crossings < fewest:
                fewest, best = crossings, [list(layer) for layer in layers]
    layers[:] = best
    for layer in layers:
        _number(layer)
    for layer in layers:
        for slot in layer:  # ports in the order of the parents, so that incoming edges do not cross
            slot.ins.sort(key=lambda link: link.a.order)
            for port, link in enumerate(slot.ins):
                link.port = port


def _crossings(layers: list[list[_Slot]]) -> int:
    """The number of edge crossings between adjacent layers: for each pair, the inversions of
    the lower ends when the links are sorted by their upper ends (Barth et al. 2002), counted
    with a Fenwick tree in ``O(E log V)``."""
    total = 0
    for layer in layers[:-1]:
        pairs = sorted((int(link.a.order), int(link.b.order)) for slot in layer for link in slot.outs)
        if not pairs:
            continue
        size = max(b for _, b in pairs) + 2
        tree = [0] * (size + 1)
        for count, (_, b) in enumerate(pairs):
            # links already seen whose lower end is right of b cross this one
            index, below = b + 1, 0
            while index > 0:
                below += tree[index]
                index -= index & -index
            total += count - below
            index = b + 1
            while index <= size:
                tree[index] += 1
                index += index & -index
    return total


def _widths(layers: list[list[_Slot]], target_width: float) -> float:
    """Set each real slot's width from the widest box width in [MIN_BOX_WIDTH, MAX_BOX_WIDTH]
    at which every layer fits ``target_width`` (found by bisection); return the drawing's width."""

    def widest(box: float) -> float:
        return max(
            sum(DUMMY_WIDTH if s.dummy else max(box, len(s.ins) * LABEL_MIN_WIDTH) for s in layer)
            + GAP * (len(layer) - 1)
            for layer in layers
        )

    usable = target_width - 2 * MARGIN
    low, high = MIN_BOX_WIDTH, MAX_BOX_WIDTH
    if widest(high) <= usable:
        low = high
    elif widest(low) <= usable:
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if widest(middle) <= usable else (low, middle)
    box_width = float(low)
    for layer in layers:
        for slot in layer:
            if not slot.dummy:
                slot.width = max(box_width, len(slot.ins) * LABEL_MIN_WIDTH)
    return max(float(target_width), widest(box_width) + 2 * MARGIN)


def _coordinates(layers: list[list[_Slot]], width: float) -> None:
    """Set each slot's ``x``: packed first, then pulled towards its neighbours' ports in
    alternate down and up sweeps (each layer placed by :func:`_place`)."""
    for layer in layers:
        _place(layer, [None] * len(layer), width)
    for _ in range(PLACEMENTS):
        for downward in (True, False):
            for layer in layers[1:] if downward else layers[-2::-1]:
                wanted: list[float | None] = []
                for slot in layer:
                    if downward and slot.ins:
                        pulls = [link.a.out_x() - (slot.in_x(link) - slot.x) for link in slot.ins]
                    elif not downward and slot.outs:
                        pulls = [link.b.in_x(link) - (slot.out_x() - slot.x) for link in slot.outs]
                    else:
                        pulls = []
                    wanted.append(sum(pulls) / len(pulls) if pulls else None)
                _place(layer, wanted, width)
    for layer in layers:
        for slot in layer:
            slot.x = round(slot.x, 1)


def _place(layer: list[_Slot], wanted: list[float | None], width: float) -> None:
    """Set the ``x`` of a layer's slots as near as possible (least squares) to ``wanted``
    (``None``: where the slot is), keeping their order, a gap of :data:`GAP` between them and
    the whole layer within ``[MARGIN, width - MARGIN]``.

    With ``offset[i]`` the packed position of slot ``i``, the constraints become ``y[i] <= y[i+1]``
    for ``y = x - offset``: an isotonic regression, solved by pool adjacent violators in
    ``O(n)``, then clamped to the bounds (exact for bounds that only bind the ends).
    """
    offsets, total = [], 0.0
    for slot in layer:
        offsets.append(total)
        total += slot.width + GAP
    blocks: list[list[float]] = []  # [mean, weight, number of slots]
    for slot, want, offset in zip(layer, wanted, offsets, strict=True):
        weight = 1.0 if want is not None else 0.001
        value = (want if want is not None else slot.x) - offset
        blocks.append([value, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            value, weight, count = blocks.pop()
            previous = blocks[-1]
            merged = previous[1] + weight
            previous[0] = (previous[0] * previous[1] + value * weight) / merged
            previous[1] = merged
            previous[2] += count
    low, high = MARGIN, width - MARGIN - (total - GAP)
    index = 0
    for value, _, count in blocks:
        clamped = min(max(value, low), max(low, high))
        for _ in range(int(count)):
            layer[index].x = clamped + offsets[index]
            index += 1


class _Skyline:
    """The lowest drawn y over each of a fixed set of x coordinates: raise a range to at least
    a value, or ask for the highest value over a range, each in ``O(log n)`` (a segment tree
    whose nodes keep the value raised over their whole range and the highest below them)."""

    def __init__(self, xs: list[float], floor: float):
        self.xs = xs
        self.size = max(1, len(xs))
        self.tag = [floor] * (4 * self.size)
        self.top = [floor] * (4 * self.size)

    def _range(self, low: float, high: float) -> tuple[int, int]:
        return bisect.bisect_left(self.xs, low - 1e-6), bisect.bisect_right(self.xs, high + 1e-6) - 1

    def highest(self, low: float, high: float) -> float:
        """The highest value over the coordinates in ``[low, high]``."""
        first, last = self._range(low, high)
        return self._highest(1, 0, self.size - 1, first, last)

    def raise_to(self, low: float, high: float, value: float) -> None:
        """Raise every coordinate in ``[low, high]`` to at least ``value``."""
        first, last = self._range(low, high)
        self._raise(1, 0, self.size - 1, first, last, value)

    def _highest(self, node: int, left: int, right: int, first: int, last: int) -> float:
        if first > right or last < left or first > last:
            return float("-inf")
        if first <= left and right <= last:
            return self.top[node]
        middle = (left + right) // 2
        return max(
            self.tag[node],
            self._highest(2 * node, left, middle, first, last),
            self._highest(2 * node + 1, middle + 1, right, first, last),
        )

    def _raise(self, node: int, left: int, right: int, first: int, last: int, value: float) -> None:
        if first > right or last < left or first > last:
            return
        if first <= left and right <= last:
            self.tag[node] = max(self.tag[node], value)
            self.top[node] = max(self.top[node], value)
            return
        middle = (left + right) // 2
        self._raise(2 * node, left, middle, first, last, value)
        self._raise(2 * node + 1, middle + 1, right, first, last, value)
        self.top[node] = max(self.tag[node], self.top[2 * node], self.top[2 * node + 1])


def _simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop repeated points and the middle one of three on a line."""
    out: list[tuple[float, float]] = []
    for point in points:
        point = (round(point[0], 1), round(point[1], 1))
        if out and point == out[-1]:
            continue
        if len(out) >= 2 and (out[-2][0] == out[-1][0] == point[0] or out[-2][1] == out[-1][1] == point[1]):
            out[-1] = point
            continue
        out.append(point)
    return out
