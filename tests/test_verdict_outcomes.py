"""The ✔ verdicts against the tree (issue 17): a verdict that names a subject names the tree node
that recommends it, and the check reports one whose node leads elsewhere unless it says why."""

from __future__ import annotations

from conftest import KNOWLEDGE_BASE
from decision_guide.verdict_outcomes import check_verdict_outcomes
from knowledge_bases import context, messages, old_text


def kb_text() -> str:
    return KNOWLEDGE_BASE.read_text(encoding="utf-8")


def test_every_tick_names_a_tree_node_that_recommends_it():
    ctx = context(kb_text())
    assert messages(check_verdict_outcomes(ctx)) == []
    ticks = [d for d in ctx.kb.dimensions if d.verdict and d.verdict.leans not in ("depends", "disputed")]
    assert ticks and all(d.verdict.outcome for d in ticks)


def test_a_tick_whose_node_recommends_another_subject_is_reported():
    text = kb_text().replace(
        "    verdict:\n      leans: flask\n      outcome: rec-flask-service\n",
        "    verdict:\n      leans: flask\n      outcome: rec-django-team\n",
    )
    found = messages(check_verdict_outcomes(context(text)))
    assert len(found) == 1, found
    assert (
        "dimensions[startup-time].verdict.outcome: the verdict says `flask`, but `rec-django-team` recommends `django`"
        in (found[0])
    )


def test_the_old_ticks_named_no_tree_node():
    found = messages(check_verdict_outcomes(context(old_text())))
    for row in ("built-in-features", "orm-and-migrations", "admin", "authentication", "security-defaults", "forms"):
        assert any(
            f"dimensions[{row}].verdict: names `django` as the better choice, but not the decision-tree" in p
            for p in found
        ), row
    assert any("dimensions[api-setup].verdict: names `fastapi`" in p for p in found), found


def test_the_old_api_setup_tick_contradicts_the_tree():
    """At 5cd012d the API page gave FastAPI a ✔ for setup, while the tree sends a small, quick API
    to Flask. Pointed at that node, the old verdict is reported."""
    text = old_text().replace(
        "    question: How much is needed before the first endpoint works?\n    verdict: {leans: fastapi}\n",
        "    question: How much is needed before the first endpoint works?\n"
        "    verdict: {leans: fastapi, outcome: rec-flask-api, cite: [fastapi-features]}\n",
    )
    found = messages(check_verdict_outcomes(context(text)))
    assert any(
        "dimensions[api-setup].verdict.outcome: the verdict says `fastapi`, but `rec-flask-api` recommends "
        "`flask`, `flask-smorest`, `apiflask`" in p
        for p in found
    ), found
