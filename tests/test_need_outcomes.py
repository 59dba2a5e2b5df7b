"""The needs filter against the tree (issue 17): a need names the tree node a reader with it
reaches; which way each of its rows leans is read from the row's verdict, so the filter and the
badge come from one field; and the check reports a need whose rows lean elsewhere than its
outcome unless it records why, with sources."""

from __future__ import annotations

import yaml

from conftest import KNOWLEDGE_BASE
from decision_guide.need_outcomes import check_need_outcomes
from decision_guide.outcomes import leaning
from decision_guide.pages import Views
from knowledge_bases import context, messages, old_text


def kb_text() -> str:
    return KNOWLEDGE_BASE.read_text(encoding="utf-8")


def test_the_needs_agree_with_the_tree_or_say_why():
    ctx = context(kb_text())
    assert messages(check_need_outcomes(ctx)) == []
    assert all(need.outcome for need in ctx.kb.needs)


def test_the_filter_reads_each_leaning_from_the_row_verdict(real_kb):
    """One field: the filter's leaning is the verdict's subject, or its `for_needs` entry."""
    verdicts = {d.id: d.verdict for d in real_kb.dimensions}
    names = {s.id: s.name for s in real_kb.subjects}
    for need in Views(real_kb).needs_data:
        for row in need["rows"]:
            verdict = verdicts[row["dimension"]]
            subject = leaning(verdict, need["id"])
            assert row["leans"] == (subject or "either"), (need["id"], row)
            assert row["favours"] == (names[subject] if subject else "Either")
            if verdict.leans not in ("depends", "disputed"):
                assert row["leans"] == verdict.leans  # a ✔ row leans its badge's way for every need


def test_a_need_whose_rows_lean_elsewhere_than_its_outcome_is_reported():
    text = kb_text().replace(
        "    label: A microservice with one job\n    outcome: rec-flask-service\n",
        "    label: A microservice with one job\n    outcome: rec-django-team\n",
    )
    found = messages(check_need_outcomes(context(text)))
    assert len(found) == 1, found
    assert "needs[microservice].outcome: the need's row `scalability` says `flask`, but `rec-django-team`" in found[0]
    assert "row `startup-time` says `flask`" in found[0]


def test_a_needless_differs_because_is_reported():
    text = kb_text().replace(
        "    label: A microservice with one job\n    outcome: rec-flask-service\n",
        "    label: A microservice with one job\n    outcome: rec-flask-service\n"
        "    differs_because: {text: Nothing differs., cite: [innostax]}\n",
    )
    found = messages(check_need_outcomes(context(text)))
    assert len(found) == 1 and "agrees with its outcome `rec-flask-service`" in found[0], found


def test_the_old_needs_copied_a_leaning_that_disagreed_with_the_badges():
    """At 5cd012d each need row carried its own `favours`, a second copy of the leaning that
    disagreed with the row's badge on built-in features, switching cost and deployment. The schema
    now refuses that copy, with the place of each one."""
    data = yaml.safe_load(old_text())
    verdicts = {d["id"]: d.get("verdict", {}).get("leans") for d in data["dimensions"]}
    disagreements = {
        (need["id"], row["dimension"], row["favours"], verdicts[row["dimension"]])
        for need in data["needs"]
        for row in need["rows"]
        if row["favours"] != "either" and row["favours"] != verdicts[row["dimension"]]
    }
    assert {(n, d) for n, d, _, _ in disagreements} >= {
        ("json-api-only", "built-in-features"),
        ("long-lived", "switching-cost"),
        ("microservice", "deployment"),
    }
    from decision_guide import KnowledgeBaseError
    from decision_guide.loader import validate
    from decision_guide.yaml_source import load_yaml

    try:
        validate(*load_yaml(old_text(), "content/comparisons.yaml"))
    except KnowledgeBaseError as error:
        found = [str(p) for p in error.problems]
    assert any("needs[json-api-only].rows[1]: got a mapping" in p for p in found), found
    assert any("needs[json-api-only]: missing required field `outcome`" in p for p in found), found
