"""The verdicts' own rules (issues 11 and 17): every ✔ cites the sources it rests on, a `depends`
row where the articles agree (no recorded conflict) records why it names no winner, the needs
filter's leaning (`for_needs`) sits only on `depends` rows and names needs that list the row, and
no verdict names a table's legacy subject."""

from __future__ import annotations

from conftest import KNOWLEDGE_BASE
from decision_guide.verdicts import check_verdicts
from knowledge_bases import context, messages, old_text


def kb_text() -> str:
    return KNOWLEDGE_BASE.read_text(encoding="utf-8")


def test_the_guide_verdicts_are_sound_and_every_depends_says_why():
    ctx = context(kb_text())
    assert messages(check_verdicts(ctx)) == []
    conflicted = {c.dimension for c in ctx.kb.conflicts}
    for d in ctx.kb.dimensions:
        if d.verdict.leans == "depends" and d.id not in conflicted:
            assert d.verdict.why_depends and d.verdict.cite, d.id
        elif d.verdict.leans not in ("depends", "disputed"):
            assert d.verdict.cite, d.id


def test_the_old_verdicts_were_uncited_and_unexplained():
    found = messages(check_verdicts(context(old_text())))
    uncited = [p for p in found if "as the better choice without sources" in p]
    unexplained = [p for p in found if "without saying why no subject wins" in p]
    assert len(uncited) == 10, uncited  # 6 ✔ Django, 1 ✔ FastAPI, 3 ✔ DRF
    assert any("dimensions[startup-time].verdict" in p for p in unexplained), unexplained
    assert any("dimensions[switching-cost].verdict" in p for p in unexplained), unexplained


def test_a_tick_without_sources_is_refused():
    text = kb_text().replace(
        "      leans: flask\n      outcome: rec-flask-service\n"
        "      cite: [agency-blog, flask-installation, pypi-flask]\n",
        "      leans: flask\n      outcome: rec-flask-service\n",
    )
    found = messages(check_verdicts(context(text)))
    assert (
        len(found) == 1
        and "dimensions[startup-time].verdict: names `flask` as the better choice without sources" in found[0]
    )


def test_for_needs_only_on_depends_rows_and_for_needs_that_list_the_row():
    text = kb_text().replace(
        "      for_needs: {senior-team: flask}\n", "      for_needs: {senior-team: flask, learning: flask}\n"
    )
    found = messages(check_verdicts(context(text)))
    assert len(found) == 1 and "for_needs.learning: the need `learning` does not list the row" in found[0], found


def test_a_legacy_subject_cannot_win_a_row():
    text = kb_text().replace(
        "    verdict:\n      leans: drf\n      outcome: rec-django-drf\n      cite: [drf-auth, agency-blog]\n",
        "    verdict:\n      leans: flask-restful\n      outcome: rec-django-drf\n"
        "      cite: [drf-auth, agency-blog]\n",
    )
    found = messages(check_verdicts(context(text)))
    assert len(found) == 1 and "`flask-restful` is listed as legacy in table `api`" in found[0], found
