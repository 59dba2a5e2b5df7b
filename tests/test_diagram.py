"""The decision tree's diagram: the layout on synthetic trees (no overlaps, no backward edges,
shared children drawn once below every parent, long labels, the column width, thousands of
nodes), the SVG the template makes of it, and the real Decide page's diagram in Chromium."""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from decision_guide.diagram import (
    LABEL_FONT_SIZE,
    MIN_BOX_WIDTH,
    PADDING,
    TARGET_WIDTH,
    Diagram,
    layout,
    plain,
    text_width,
    wrap,
)
from decision_guide.schema import DecisionTree

LONG = (
    "Will the people who maintain this application after launch need to change the data model often, "
    "add screens for staff, and keep the public pages fast while they do it"
)


# ---- Synthetic trees -------------------------------------------------------------------------


def question(node_id: str, *answers: tuple[str, str], text: str | None = None) -> dict[str, Any]:
    return {
        "kind": "question",
        "id": node_id,
        "text": text or f"Question {node_id}?",
        "answers": [{"label": label, "next": target} for label, target in answers],
    }


def recommendation(node_id: str, *recommend: str, title: str | None = None) -> dict[str, Any]:
    return {
        "kind": "recommendation",
        "id": node_id,
        "title": title or f"Outcome {node_id}",
        "recommend": list(recommend or ["django"]),
        "reasons": [{"text": "A reason.", "cite": ["a-source"]}],
    }


def tree(*nodes: dict[str, Any], start: str | None = None) -> DecisionTree:
    return DecisionTree.model_validate({"start": start or nodes[0]["id"], "nodes": list(nodes)})


def binary_tree(depth: int, label: str = "Answer") -> DecisionTree:
    """A full binary tree of questions ``depth`` levels deep with recommendations as leaves."""
    nodes = []
    for level in range(depth):
        for i in range(2**level):
            child = "q" if level + 1 < depth else "r"
            nodes.append(
                question(
                    f"q{level}-{i}",
                    (f"{label} {i}a", f"{child}{level + 1}-{2 * i}"),
                    (f"{label} {i}b", f"{child}{level + 1}-{2 * i + 1}"),
                )
            )
    nodes += [recommendation(f"r{depth}-{i}") for i in range(2**depth)]
    return tree(*nodes)


def big_dag(size: int) -> DecisionTree:
    """About ``size`` nodes: questions with three answers, each leading to a new question or a
    recommendation, and every fifth question with a fourth answer that leads where the
    previous question's second answer does (a node with two parents)."""
    nodes: list[dict[str, Any]] = []
    questions = size // 3

    def target(c: int) -> str:
        return f"q{c}" if c < questions else f"r{c}"

    for i in range(questions):
        targets = [target(3 * i + k) for k in (1, 2, 3)]
        if i % 5 == 4:
            targets.append(target(3 * (i - 1) + 2))
        nodes.append(question(f"q{i}", *((f"Answer {i}.{k}", t) for k, t in enumerate(targets))))
    used = {a["next"] for n in nodes for a in n["answers"]}
    nodes += [recommendation(t) for t in sorted(used) if t.startswith("r")]
    return tree(*nodes)


class Subject:
    def __init__(self, name: str, kind: str = "framework", builds_on: str | None = None):
        self.name, self.kind, self.builds_on = name, kind, builds_on


SUBJECTS = {
    "django": Subject("Django"),
    "flask": Subject("Flask"),
    "fastapi": Subject("FastAPI"),
    "quart": Subject("Quart"),
    "drf": Subject("Django REST framework", "toolkit", "django"),
    "socketio": Subject("Flask-SocketIO", "extension", "flask"),
}


# ---- Invariants --------------------------------------------------------------------------------

Rect = tuple[float, float, float, float]  # x, y, width, height


def overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def colliding_pairs(rects: list[tuple[str, Rect]], cell: float = 200.0) -> list[tuple[str, str]]:
    """Pairs of overlapping rectangles, found through a grid so big drawings stay fast."""
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    found = set()
    for index, (_, (x, y, w, h)) in enumerate(rects):
        for gx in range(int(x // cell), int((x + w) // cell) + 1):
            for gy in range(int(y // cell), int((y + h) // cell) + 1):
                for other in grid[gx, gy]:
                    if overlap(rects[other][1], rects[index][1]):
                        found.add((rects[other][0], rects[index][0]))
                grid[gx, gy].append(index)
    return sorted(found)


def assert_well_drawn(d: Diagram, t: DecisionTree) -> None:
    """Every property a readable drawing needs, checked on the layout's own geometry."""
    ids = [n.id for n in t.nodes]
    assert [b.id for b in d.boxes] == ids  # one box per node, in the tree's order: never empty
    boxes = {b.id: b for b in d.boxes}
    answers = sum(len(n.answers) for n in t.nodes if n.kind == "question")
    assert len(d.edges) == answers
    box_rects = [(b.id, (b.x, b.y, b.width, b.height)) for b in d.boxes]
    assert colliding_pairs(box_rects) == [], "boxes overlap"
    for b in d.boxes:
        assert b.x >= 0 and b.x + b.width <= d.width and b.y >= 0 and b.y + b.height <= d.height, b.id
        assert b.lines, b.id
        for line, bold in [(line, True) for line in b.heading] + [(line, False) for line in b.lines]:
            assert text_width(line, bold=bold) <= b.width - 2 * PADDING + 0.01, (b.id, line)
        for _, y, _, _ in b.text_rows:
            assert b.y < y < b.y + b.height, b.id
    label_rects = []
    for i, e in enumerate(d.edges):
        source, target = boxes[e.source], boxes[e.target]
        # Downward: the child starts below the bottom of the question, and no segment goes up.
        assert target.y >= source.y + source.height, (e.source, e.target)
        ys = [y for _, y in e.points]
        assert ys == sorted(ys), (e.source, e.target, e.points)
        assert e.points[0] == (e.x1, e.y1) and e.points[-1] == (e.x2, e.y2)
        assert source.x <= e.x1 <= source.x + source.width and e.y1 == pytest.approx(source.y + source.height)
        assert (target.x <= e.x2 <= target.x + target.width and e.y2 == pytest.approx(target.y)) or (
            e.x2 == pytest.approx(target.x) and target.y <= e.y2 <= target.y + target.height
        ), (e.target, e.points)
        for (x1, y1), (x2, y2) in zip(e.points, e.points[1:], strict=False):
            assert x1 == x2 or y1 == y2, e.points  # orthogonal
        assert e.label, (e.source, e.target)
        for line in e.label:
            assert text_width(line, LABEL_FONT_SIZE) <= e.label_width + 0.01, line
        assert e.label_height >= len(e.label) * 14
        label_rects.append((f"label {i}", (e.label_x, e.label_y, e.label_width, e.label_height)))
    # Labels overlap no box (they belong to edges, not boxes) and no other label.
    assert colliding_pairs(box_rects + label_rects) == [], "a label overlaps a box or another label"
    # No edge runs through a box other than its own ends (boxes shrunk by 0.5 px: touching is fine).
    cell = 200.0
    grid: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for b in d.boxes:
        for gx in range(int(b.x // cell), int((b.x + b.width) // cell) + 1):
            for gy in range(int(b.y // cell), int((b.y + b.height) // cell) + 1):
                grid[gx, gy].append(b)
    for e in d.edges:
        for (x1, y1), (x2, y2) in zip(e.points, e.points[1:], strict=False):
            segment = (min(x1, x2), min(y1, y2), abs(x2 - x1) or 0.001, abs(y2 - y1) or 0.001)
            for gx in range(int(segment[0] // cell), int((segment[0] + segment[2]) // cell) + 1):
                for gy in range(int(segment[1] // cell), int((segment[1] + segment[3]) // cell) + 1):
                    for b in grid[gx, gy]:
                        if b.id not in (e.source, e.target):
                            inner = (b.x + 0.5, b.y + 0.5, b.width - 1, b.height - 1)
                            assert not overlap(segment, inner), (e.source, e.target, b.id)


# ---- Layout -------------------------------------------------------------------------------------


def test_the_real_tree_fits_the_column_at_full_size(real_kb: Any) -> None:
    subjects = {s.id: s for s in real_kb.subjects}
    d = layout(real_kb.decision_tree, subjects)
    assert_well_drawn(d, real_kb.decision_tree)
    assert d.fits and d.width == TARGET_WIDTH
    assert min(b.width for b in d.boxes) >= MIN_BOX_WIDTH - 20  # stacked leaves are indented a little
    for node in real_kb.decision_tree.nodes:
        if node.kind == "recommendation":
            box = next(b for b in d.boxes if b.id == node.id)
            first = subjects[node.recommend[0]]
            assert first.name.replace(" ", "") in "".join(box.heading).replace(" ", ""), node.id  # name, in text
            assert box.tone in ("django", "flask", "fastapi", "multi", "other")


def test_small_trees_keep_their_answer_order_and_have_no_crossing() -> None:
    t = binary_tree(3)
    d = layout(t)
    assert_well_drawn(d, t)
    assert d.fits
    boxes = {b.id: b for b in d.boxes}
    assert boxes["q1-0"].x < boxes["q1-1"].x  # first answer on the left
    assert boxes["q2-0"].x < boxes["q2-1"].x < boxes["q2-2"].x < boxes["q2-3"].x


def test_long_sibling_questions_and_labels_do_not_overlap() -> None:
    t = tree(
        question("start", *((f"{LONG} ({i})", f"q{i}") for i in range(4)), text=LONG),
        *(question(f"q{i}", (LONG, f"r{i}a"), (f"{LONG}!", f"r{i}b"), text=f"{LONG} {i}") for i in range(4)),
        *(recommendation(f"r{i}{s}", title=LONG) for i in range(4) for s in "ab"),
    )
    d = layout(t)
    assert_well_drawn(d, t)
    assert d.fits


def test_a_node_with_two_parents_is_drawn_once_below_both() -> None:
    t = tree(
        question("start", ("Left", "left"), ("Right", "right")),
        question("left", ("Shared from the left", "shared"), ("Own", "r-left")),
        question("right", ("Own", "r-right"), ("Shared from the right", "shared")),
        question("shared", ("One", "r1"), ("Two", "r2")),
        *(recommendation(r) for r in ("r-left", "r-right", "r1", "r2")),
    )
    d = layout(t)
    assert_well_drawn(d, t)
    boxes = {b.id: b for b in d.boxes}
    assert [b.id for b in d.boxes].count("shared") == 1
    for parent in ("left", "right"):
        assert boxes["shared"].y >= boxes[parent].y + boxes[parent].height
    into_shared = [e for e in d.edges if e.target == "shared"]
    assert len(into_shared) == 2 and into_shared[0].x2 != into_shared[1].x2  # one port each


def test_an_answer_that_skips_layers_runs_down_past_them() -> None:
    t = tree(
        question("a", ("Deep", "b"), ("Straight to the end", "end")),
        question("b", ("On", "c"), ("Out", "r1")),
        question("c", ("On", "end"), ("Out", "r2")),
        question("end", ("Yes", "r3"), ("No", "r4")),
        *(recommendation(r) for r in ("r1", "r2", "r3", "r4")),
    )
    d = layout(t)
    assert_well_drawn(d, t)
    boxes = {b.id: b for b in d.boxes}
    assert boxes["end"].y > boxes["c"].y + boxes["c"].height  # below its lowest parent


def test_a_shared_leaf_gets_a_column_and_two_labels() -> None:
    t = tree(
        question("a", ("One", "b"), ("Two", "c"), ("Three", "r1")),
        question("b", ("Left answer with a long label", "leaf"), ("Other", "r2")),
        question("c", ("Right answer with a long label", "leaf"), ("Other", "r3")),
        *(recommendation(r) for r in ("leaf", "r1", "r2", "r3")),
    )
    d = layout(t)
    assert_well_drawn(d, t)
    assert not next(b for b in d.boxes if b.id == "leaf").stacked


def test_a_tree_too_wide_for_the_column_is_marked_for_the_overview() -> None:
    t = tree(
        question("start", *((f"Answer {i}", f"q{i}") for i in range(12))),
        *(question(f"q{i}", ("Yes", f"y{i}"), ("No", f"n{i}")) for i in range(12)),
        *(recommendation(f"{s}{i}") for i in range(12) for s in "yn"),
    )
    d = layout(t)
    assert_well_drawn(d, t)
    assert not d.fits and d.width > TARGET_WIDTH
    assert all(b.width >= MIN_BOX_WIDTH - 20 for b in d.boxes)  # legible when shown full size


def test_thousands_of_nodes_lay_out_in_near_linear_time() -> None:
    timings = {}
    for size in (300, 3000):
        t = big_dag(size)
        started = time.perf_counter()
        d = layout(t)
        timings[size] = time.perf_counter() - started
        assert len(d.boxes) == len(t.nodes)
    assert_well_drawn(d, t)
    print(f"layout time: {timings}")  # the figure the report quotes (pytest -s)


def random_dag(seed: int) -> DecisionTree:
    """A random tree with shared children, answers that skip layers and labels of any length."""
    rng = random.Random(seed)
    size = rng.randint(4, 40)
    kinds = (
        ["question"] + [rng.choice(["question", "recommendation"]) for _ in range(size - 3)] + ["recommendation"] * 2
    )
    words = LONG.split()
    nodes = []
    for i, kind in enumerate(kinds):
        if kind == "recommendation":
            nodes.append(
                recommendation(
                    f"n{i}", rng.choice(["django", "flask", "fastapi"]), title=" ".join(words[: rng.randint(1, 20)])
                )
            )
            continue
        later = list(range(i + 1, size))
        targets = rng.sample(later, min(len(later), rng.randint(2, 4)))
        if len(targets) < 2:
            targets = [size - 2, size - 1]
        nodes.append(
            question(
                f"n{i}",
                *((" ".join(rng.sample(words, rng.randint(1, 12))), f"n{t}") for t in targets),
                text=" ".join(words[: rng.randint(2, 25)]),
            )
        )
    return tree(*nodes)


@pytest.mark.parametrize("seed", range(40))
def test_random_trees_are_well_drawn(seed: int) -> None:
    t = random_dag(seed)
    assert_well_drawn(layout(t), t)


def test_recommendations_name_their_frameworks_and_get_a_tone() -> None:
    t = tree(
        question("q", ("A", "a"), ("B", "b"), ("C", "c"), ("D", "d"), ("E", "e"), ("F", "f")),
        recommendation("a", "django", "drf"),
        recommendation("b", "django", "flask"),
        recommendation("c", "fastapi"),
        recommendation("d", "bottle"),
        recommendation("e", "either"),
        recommendation("f", "socketio", "quart"),
    )
    boxes = {b.id: b for b in layout(t, SUBJECTS).boxes}
    assert (" ".join(boxes["a"].heading), boxes["a"].tone) == ("Django, Django REST framework", "django")
    assert (" ".join(boxes["b"].heading), boxes["b"].tone) == ("Django, Flask", "multi")
    assert (" ".join(boxes["c"].heading), boxes["c"].tone) == ("FastAPI", "fastapi")
    assert boxes["d"].tone == "other" and boxes["d"].heading == ["bottle"]  # no subject known: its id
    assert boxes["e"].tone == "multi"
    assert (" ".join(boxes["f"].heading), boxes["f"].tone) == ("Flask-SocketIO, Quart", "multi")
    assert boxes["q"].tone is None and boxes["q"].heading == []
    only_socketio = tree(question("q", ("A", "a"), ("B", "c")), recommendation("a", "socketio"), recommendation("c"))
    assert next(b for b in layout(only_socketio, SUBJECTS).boxes if b.id == "a").tone == "flask"  # builds on Flask


def test_wrong_trees_are_refused() -> None:
    with pytest.raises(ValueError, match="not a node"):
        layout(tree(question("a", ("x", "b"), ("y", "missing")), recommendation("b")))
    with pytest.raises(ValueError, match="cycle"):
        layout(tree(question("a", ("x", "b"), ("y", "r")), question("b", ("x", "a"), ("y", "r")), recommendation("r")))
    with pytest.raises(ValueError, match="not a node"):
        layout(tree(question("a", ("x", "r"), ("y", "r")), recommendation("r"), start="nowhere"))


def test_wrapping_and_plain_text() -> None:
    text = LONG + " supercalifragilisticexpialidocious-and-more"
    for width in (40, 90, 200):
        lines = wrap(text, width)
        assert all(text_width(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert wrap("   ", 100) == []
    assert (
        plain("Use **Django** with `manage.py` and [the admin](https://example.org)")
        == "Use Django with manage.py and the admin"
    )
    assert type(plain(type("Marked", (str,), {"__html__": lambda self: "<b>x</b>"})("x"))) is str


# ---- The SVG -----------------------------------------------------------------------------------


def render(d: Diagram) -> BeautifulSoup:
    from decision_guide.pages import environment

    return BeautifulSoup(environment().get_template("tree-diagram.svg.j2").render(d=d), "html.parser")


def test_the_svg_has_every_node_a_title_a_description_and_escaped_text() -> None:
    t = tree(
        question("start", ("Fast & <small>", "r1"), ('Big "one"', "r2"), text="Which <script>x</script>?"),
        recommendation("r1", "flask", title="Flask & friends"),
        recommendation("r2", "django"),
    )
    d = layout(t, SUBJECTS)
    html = render(d)
    svg, figure = html.select_one("figure.tree-diagram svg"), html.select_one("figure.tree-diagram")
    assert svg is not None and figure is not None
    title, desc = svg.find("title"), svg.find("desc")
    assert svg.get("role") == "img" and title is not None and desc is not None
    assert title.get_text() and desc.get_text()
    assert set(str(svg.get("aria-labelledby")).split()) == {title.get("id"), desc.get("id")}
    assert len(svg.select("g.tree-node")) == len(t.nodes) and len(svg.select("g.tree-edge")) == 2
    assert len(svg.select("g.tree-node--flask")) == 1 and len(svg.select("g.tree-node--django")) == 1
    assert not svg.select("script") and "Which <script>x</script>?" in svg.get_text()
    assert "Fast & <small>" in svg.get_text() and "Flask & friends" in svg.get_text()
    assert svg.get("viewbox") == f"0 0 {math.ceil(d.width)} {math.ceil(d.height)}"  # html.parser lowercases
    assert "tree-diagram--wide" not in figure.get_attribute_list("class")
    assert "| e" not in template_source()  # escaped once, by autoescaping


def template_source() -> str:
    return (
        Path(__file__).resolve().parent.parent / "src" / "decision_guide" / "templates" / "tree-diagram.svg.j2"
    ).read_text(encoding="utf-8")


def test_a_wide_svg_is_marked_for_the_overview() -> None:
    t = tree(
        question("start", *((f"Answer {i}", f"q{i}") for i in range(12))),
        *(question(f"q{i}", ("Yes", f"y{i}"), ("No", f"n{i}")) for i in range(12)),
        *(recommendation(f"{s}{i}") for i in range(12) for s in "yn"),
    )
    figure = render(layout(t)).select_one("figure.tree-diagram")
    assert figure is not None and "tree-diagram--wide" in figure.get_attribute_list("class")


# ---- In the browser ----------------------------------------------------------------------------

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

MEASURE = """() => {
  const fig = document.querySelector('figure.tree-diagram');
  const area = fig.querySelector('.tree-diagram__scroll').getBoundingClientRect();
  const svg = fig.querySelector('svg');
  let shown = 0, total = 0;
  for (const rect of fig.querySelectorAll('.tree-node--recommendation > rect:not(.tree-node__bar)')) {
    const b = rect.getBoundingClientRect();
    const w = Math.max(0, Math.min(b.right, area.right) - Math.max(b.left, area.left));
    const h = Math.max(0, Math.min(b.bottom, area.bottom) - Math.max(b.top, area.top));
    shown += w * h; total += b.width * b.height;
  }
  const outside = [];
  for (const g of fig.querySelectorAll('.tree-node')) {
    const r = g.querySelector('rect').getBBox();
    for (const t of g.querySelectorAll('text')) {
      const b = t.getBBox();
      if (b.x < r.x || b.x + b.width > r.x + r.width || b.y < r.y || b.y + b.height > r.y + r.height)
        outside.push(t.textContent);
    }
  }
  const rects = [...fig.querySelectorAll('.tree-node > rect:not(.tree-node__bar)')].map(r => r.getBBox());
  const onBoxes = [];
  for (const t of fig.querySelectorAll('.tree-edge text')) {
    const b = t.getBBox();
    if (rects.some(r => b.x < r.x + r.width && r.x < b.x + b.width && b.y < r.y + r.height && r.y < b.y + b.height))
      onBoxes.push(t.textContent);
  }
  return {share: total ? shown / total : 0, scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
          leaves: fig.querySelectorAll('.tree-node--recommendation').length, outside, onBoxes,
          zoom: fig.querySelector('.tree-diagram__zoom').checkVisibility()};
}"""


@pytest.mark.browser
def test_the_tree_page_shows_every_recommendation_of_the_diagram(
    browser: Any, served_site: Any, real_kb: Any, record_property: Any
) -> None:
    base_url, _ = served_site
    leaves = sum(1 for n in real_kb.decision_tree.nodes if n.kind == "recommendation")
    subjects = {s.id: s for s in real_kb.subjects}
    for name, viewport in VIEWPORTS.items():
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport=viewport, color_scheme=scheme)
            page = context.new_page()
            page.goto(f"{base_url}/decide/tree/")
            found = page.evaluate(MEASURE)
            record_property(f"visible_share_{name}_{scheme}", found["share"])
            assert found["leaves"] == leaves
            assert found["share"] == pytest.approx(1.0), (name, found)  # every leaf in view
            assert found["outside"] == [] and found["onBoxes"] == [], (name, found)
            for node in real_kb.decision_tree.nodes:  # each leaf names its framework, in text
                if node.kind == "recommendation":
                    names = page.locator(f"[data-node='{node.id}'] .tree-node__name").all_text_contents()
                    assert subjects[node.recommend[0]].name.replace(" ", "") in "".join(names).replace(" ", ""), (
                        node.id,
                        names,
                    )
            if name == "desktop":
                assert found["scale"] == pytest.approx(1.0)  # full size, not an overview
                assert not found["zoom"]  # nothing to zoom
            else:
                assert found["scale"] < 1 and found["zoom"]  # an overview, with full size on demand
                page.locator(".tree-diagram__zoom input").check()
                assert page.evaluate(MEASURE)["scale"] == pytest.approx(1.0)
            context.close()
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(f"{base_url}/decide/tree/")
    page.emulate_media(media="print")
    found = page.evaluate(MEASURE)
    assert found["share"] == pytest.approx(1.0) and found["outside"] == [], found
    figure = page.locator("figure.tree-diagram svg").bounding_box()
    body = page.locator(".md-content").bounding_box()
    assert figure and body and figure["x"] + figure["width"] <= body["x"] + body["width"] + 1
    context.close()
