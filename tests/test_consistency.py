"""Consistency as data (issues 10 and 17): the decision table and the "choose X when" lists name the
tree outcome they correspond to, and the check reports where they lead to different
recommendations unless the YAML says why, with sources (`differs_because`).

The rule (decision_guide.outcomes.differs): advice for a subject agrees with a recommendation that
includes it, or with a question after which every recommendation includes it; `either` agrees
with an outcome that leaves more than one framework open. The tests run it on the guide as it is,
on edits of it, and on the guide as it was at 5cd012d (issue 17), whose contradictions it reports.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import KNOWLEDGE_BASE, ROOT
from decision_guide import KnowledgeBaseError, load_knowledge_base
from decision_guide.outcomes import Tree, differs
from decision_guide.schema import Question

#: The commit issue 17 measured: its advice contradicted itself in ways the old check let through.
OLD_COMMIT = "5cd012d"


@pytest.fixture(scope="module")
def text() -> str:
    return KNOWLEDGE_BASE.read_text(encoding="utf-8")


def problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "comparisons.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_knowledge_base(path)
    except KnowledgeBaseError as error:
        return [str(p) for p in error.problems]
    return []


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def old_text() -> str:
    """content/comparisons.yaml as it was at :data:`OLD_COMMIT` (skips in a checkout without it)."""
    result = subprocess.run(
        ["git", "show", f"{OLD_COMMIT}:content/comparisons.yaml"], cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.skip(f"commit {OLD_COMMIT} is not in this checkout")
    return result.stdout


def test_every_row_and_choose_when_bullet_names_its_tree_outcome(real_kb):
    nodes = {n.id: n for n in real_kb.decision_tree.nodes}
    for row in real_kb.decision_table:
        assert row.outcome in nodes, row.need
    for _subject, guidance in real_kb.guidance.items():
        for item in guidance.choose_when:
            assert item.outcome in nodes, item.text


def test_every_difference_the_guide_keeps_is_explained_with_sources(real_kb):
    tree = Tree(real_kb)
    explained = 0
    advice = [(row.choose, row.outcome, row.differs_because) for row in real_kb.decision_table]
    advice += [(s, i.outcome, i.differs_because) for s, g in real_kb.guidance.items() for i in g.choose_when]
    for subject, node, because in advice:
        outcome = tree.outcome(node)
        assert outcome is not None
        if differs(tree, outcome, subject) is not None:
            assert because is not None and because.cite, (subject, node)
            explained += 1
    assert explained >= 2  # the prototype that may grow, the senior team that picks its own libraries


def test_the_prototype_question_shows_both_outcomes_and_their_condition(real_kb):
    """Where the sources split (a prototype that may grow), "not sure" leads to a recommendation
    naming both frameworks, not to one of them picked silently."""
    nodes = {n.id: n for n in real_kb.decision_tree.nodes}
    question = nodes["q-prototype-future"]
    unsure = next(a for a in question.answers if a.label == "Not sure yet")
    both = nodes[unsure.next]
    assert set(both.recommend) == {"flask", "django"}
    assert {nodes[a.next].recommend[0] for a in question.answers} == {"flask", "django"}


def test_the_tree_offers_a_not_sure_answer_and_marks_overlapping_answers(real_kb):
    questions = [n for n in real_kb.decision_tree.nodes if isinstance(n, Question)]
    assert any(a.label == "Not sure yet" for q in questions for a in q.answers)
    start = next(q for q in questions if q.id == real_kb.decision_tree.start)
    assert start.pick_best  # its answers can overlap (an API back end with accounts is also an app)


def test_a_row_whose_default_differs_from_its_outcome_is_reported(tmp_path, text):
    changed = replace_once(
        text,
        "  - need: An internal admin tool\n    outcome: rec-django-admin\n",
        "  - need: An internal admin tool\n    outcome: rec-flask-service\n",
    )
    found = problems(tmp_path, changed)
    assert len(found) == 1, found
    assert re.search(
        r"decision_table\[2\]\.outcome: the row says `django`, but `rec-flask-service` "
        r"recommends `flask`; expected .*`differs_because`",
        found[0],
    ), found


def test_a_question_outcome_must_lead_only_to_the_advice(tmp_path, text):
    """A question stands for every recommendation after it: one that can still end elsewhere differs."""
    changed = replace_once(
        text,
        "  - need: An internal admin tool\n    outcome: rec-django-admin\n",
        "  - need: An internal admin tool\n    outcome: q-team\n",
    )
    found = problems(tmp_path, changed)
    assert len(found) == 1 and "after `q-team`, `rec-flask-assembled` recommends `flask`" in found[0], found


def test_either_must_leave_more_than_one_framework_open(tmp_path, text):
    changed = replace_once(
        text,
        "  - need: Learning Python web development\n    outcome: q-learning\n",
        "  - need: Learning Python web development\n    outcome: rec-learn-flask\n",
    )
    found = problems(tmp_path, changed)
    assert len(found) == 1 and "says `either`, but `rec-learn-flask` leads only to `flask`" in found[0], found


def test_differs_because_explains_a_difference_and_is_refused_without_one(tmp_path, text):
    differing = replace_once(
        text,
        "  - need: An internal admin tool\n    outcome: rec-django-admin\n",
        "  - need: An internal admin tool\n    outcome: rec-flask-service\n"
        "    differs_because: {text: The tree asks about the back office first., cite: [nilo-2026]}\n",
    )
    assert problems(tmp_path, differing) == []
    uncited = replace_once(
        text,
        "  - need: An internal admin tool\n    outcome: rec-django-admin\n",
        "  - need: An internal admin tool\n    outcome: rec-flask-service\n"
        "    differs_because: {text: The tree asks about the back office first.}\n",
    )
    assert any("differs_because: missing required field `cite`" in p for p in problems(tmp_path, uncited))
    needless = replace_once(
        text,
        "  - need: An internal admin tool\n    outcome: rec-django-admin\n",
        "  - need: An internal admin tool\n    outcome: rec-django-admin\n"
        "    differs_because: {text: Nothing differs., cite: [nilo-2026]}\n",
    )
    found = problems(tmp_path, needless)
    assert len(found) == 1 and "agrees with its outcome `rec-django-admin`" in found[0], found


def test_a_choose_when_bullet_must_lead_to_its_framework(tmp_path, text):
    changed = replace_once(
        text,
        "        outcome: rec-flask-assembled\n        cite: [innostax]\n",
        "        outcome: rec-django-growth\n        cite: [innostax]\n",
    )
    found = problems(tmp_path, changed)
    assert len(found) == 1, found
    assert "guidance.flask.choose_when[2].outcome: the bullet says `flask`, but `rec-django-growth`" in found[0]


def test_an_unknown_outcome_is_reported_once_with_a_hint(tmp_path, text):
    changed = replace_once(
        text,
        "  - need: An internal admin tool\n    outcome: rec-django-admin\n",
        "  - need: An internal admin tool\n    outcome: rec-django-admn\n",
    )
    found = problems(tmp_path, changed)
    assert len(found) == 1 and "unknown tree node `rec-django-admn`; did you mean `rec-django-admin`?" in found[0], (
        found
    )


def test_a_question_may_not_offer_the_same_answer_twice(tmp_path, text):
    changed = replace_once(
        text,
        "        - label: Not sure yet\n          next: rec-prototype-either\n",
        '        - label: "No; it will be thrown away or stay  small"\n          next: rec-prototype-either\n',
    )
    found = problems(tmp_path, changed)
    assert len(found) == 1 and "the same answer as answer 2 of `q-prototype-future`" in found[0], found


# ---- The guide at 5cd012d: the contradictions issue 17 found, reported by the rule ------------


def test_the_old_prototype_advice_contradicts_the_tree(tmp_path):
    """At 5cd012d the decision table and the choose-when list sent a proof of concept to Flask while
    the tree's prototype path ended at Django when unsure. Pointed at the tree path they describe
    (the prototype question), the old rows are reported."""
    text = old_text()
    text = replace_once(
        text,
        "  - need: A small API or proof of concept\n    outcome: rec-flask-api\n",
        "  - need: A small API or proof of concept\n    outcome: q-prototype-future\n",
    )
    text = replace_once(text, "        outcome: rec-flask-prototype\n", "        outcome: q-prototype-future\n")
    found = [p for p in problems(tmp_path, text) if ".outcome: the " in p]
    assert any(
        "decision_table[0].outcome: the row says `flask`, but after `q-prototype-future`, "
        "`rec-django-growth` recommends `django`" in p
        for p in found
    ), found
    assert any("guidance.flask.choose_when[4].outcome: the bullet says `flask`" in p for p in found), found


def test_the_old_row_explanations_are_refused_without_sources(tmp_path):
    """The old `why_different` had no citation; the field is now `differs_because` with `cite`."""
    text = old_text()
    text = replace_once(
        text,
        "  - need: An internal admin tool\n    outcome: rec-django-admin\n",
        "  - need: An internal admin tool\n    outcome: rec-django-admin\n"
        "    why_different: The tree asks about the back office first.\n",
    )
    assert any("decision_table[2].why_different: unknown field" in p for p in problems(tmp_path, text))
