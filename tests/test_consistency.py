"""Consistency as data (issue 10): the decision table and the "choose X when" lists name the tree
outcome they correspond to, and the check reports where they disagree unless the YAML says why."""

from __future__ import annotations

import re

import pytest

from conftest import KNOWLEDGE_BASE
from decision_guide import KnowledgeBaseError, load_knowledge_base
from decision_guide.schema import Question


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


def test_every_row_and_choose_when_bullet_names_its_tree_outcome(real_kb):
    nodes = {n.id: n for n in real_kb.decision_tree.nodes}
    for row in real_kb.decision_table:
        assert row.outcome in nodes, row.need
    for _subject, guidance in real_kb.guidance.items():
        for item in guidance.choose_when:
            assert item.outcome in nodes and not isinstance(nodes[item.outcome], Question), item.text


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
        r"decision_table\[2\]\.outcome: chooses `django`, but its outcome `rec-flask-service` "
        r"recommends `flask`; expected .*`why_different`",
        found[0],
    ), found


def test_why_different_explains_a_difference_and_is_refused_without_one(tmp_path, text):
    differing = replace_once(
        text,
        "  - need: An internal admin tool\n    outcome: rec-django-admin\n",
        "  - need: An internal admin tool\n    outcome: rec-flask-service\n"
        "    why_different: The tree asks about the back office first.\n",
    )
    assert problems(tmp_path, differing) == []
    needless = replace_once(
        text,
        "  - need: An internal admin tool\n    outcome: rec-django-admin\n",
        "  - need: An internal admin tool\n    outcome: rec-django-admin\n    why_different: Nothing differs.\n",
    )
    found = problems(tmp_path, needless)
    assert len(found) == 1 and "agrees with its outcome `rec-django-admin`" in found[0], found


def test_a_choose_when_bullet_must_lead_to_a_recommendation_of_its_framework(tmp_path, text):
    changed = replace_once(text, "        outcome: rec-flask-prototype\n", "        outcome: rec-django-growth\n")
    found = problems(tmp_path, changed)
    assert len(found) == 1, found
    assert "guidance.flask.choose_when[4].outcome: the bullet is about `flask`, but `rec-django-growth`" in found[0]
    question = replace_once(text, "        outcome: rec-flask-prototype\n", "        outcome: q-prototype-future\n")
    found = problems(tmp_path, question)
    assert len(found) == 1 and "`q-prototype-future` is a question" in found[0], found


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
        "        - label: Not sure yet\n          next: rec-django-growth\n",
        '        - label: "No; it will be thrown away or stay  small"\n          next: rec-django-growth\n',
    )
    found = problems(tmp_path, changed)
    assert len(found) == 1 and "the same answer as answer 2 of `q-prototype-future`" in found[0], found
