"""No Python version typed in prose (issue 17): "needs Python 3.9 or later" ages into advice to use
an unsupported Python, so the check refuses it and the guide states Python versions through typed
fields and release data (test_python_support.py)."""

from __future__ import annotations

from conftest import KNOWLEDGE_BASE
from decision_guide.python_prose import check_python_in_prose
from knowledge_bases import context, messages, old_text


def test_the_guide_names_no_python_version_in_prose():
    assert messages(check_python_in_prose(context(KNOWLEDGE_BASE.read_text(encoding="utf-8")))) == []


def test_any_spelling_of_a_python_version_is_found():
    text = KNOWLEDGE_BASE.read_text(encoding="utf-8").replace(
        "A first Flask application on Flask 3.1, following the official quickstart.",
        "A first Flask application on Flask 3.1 (Python >= 3.10), following the official quickstart.",
    )
    found = messages(check_python_in_prose(context(text)))
    assert len(found) == 1 and "quick_starts[1].intro: names a Python version by hand (`Python >= 3.10`)" in found[0]


def test_the_old_guide_typed_python_versions_in_prose():
    found = messages(check_python_in_prose(context(old_text())))
    for path in (
        "sources[django-60-notes].contributed",
        "sources[django-61-notes].contributed",
        "faqs[faq-versions].answer",
        "quick_starts[0].intro",
        "quick_starts[1].intro",
    ):
        assert any(f": {path}: names a Python version by hand" in p for p in found), (path, found)
