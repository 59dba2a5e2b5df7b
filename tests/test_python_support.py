"""Python versions as release data (issue 17): CPython's series and their end of life are data
(``python``), the one hand-typed "needs Python X or later" (a quick start's ``python``) is a typed
field the check holds to that data and to the release it installs, and every Python the built
pages state is supported on the build date (prose names none: test_python_prose.py)."""

from __future__ import annotations

import datetime as dt
import re

from bs4 import BeautifulSoup

from conftest import KNOWLEDGE_BASE, Site
from decision_guide.python_support import check_python_support
from decision_guide.release_facts import python_floor, python_status
from knowledge_bases import context, messages

TODAY = dt.date(2026, 12, 4)


def kb_text() -> str:
    return KNOWLEDGE_BASE.read_text(encoding="utf-8")


def test_python_release_data_matches_the_release_cycle():
    """The dates python.org publishes (PEP 602: five years of support, ending in October)."""
    python = context(kb_text()).kb.python
    ends = {str(s.series): s.end_of_life.isoformat() for s in python.series}
    assert ends == {
        "3.9": "2025-10-31",
        "3.10": "2026-10-31",
        "3.11": "2027-10-31",
        "3.12": "2028-10-31",
        "3.13": "2029-10-31",
        "3.14": "2030-10-31",
    }
    status = {str(s.series): python_status(s, TODAY) for s in python.series}
    assert status["3.9"] == status["3.10"] == "end-of-life" and status["3.11"] == "supported"
    assert python_status(next(s for s in python.series if s.series == "3.11"), dt.date(2027, 8, 15)) == "ending"


def test_the_python_a_package_needs_is_the_oldest_supported_series_it_admits():
    python = context(kb_text()).kb.python
    assert python_floor(">=3.9", python, TODAY) == "3.11"  # Flask 3.1 accepts 3.9, past its end of life
    assert python_floor(">=3.13", python, TODAY) == "3.13"  # Quart 0.23
    assert python_floor(">=3.9", python, dt.date(2027, 11, 1)) == "3.12"  # moves on by itself
    assert python_floor("<4,>=3.10", python, TODAY) == "3.11"


def test_the_guide_states_only_supported_pythons():
    assert messages(check_python_support(context(kb_text()), TODAY)) == []


def test_a_quick_start_asking_for_an_ended_python_is_refused():
    text = kb_text().replace(
        '    python: "3.12"\n    cite: [flask-quickstart', '    python: "3.10"\n    cite: [flask-quickstart', 1
    )
    found = messages(check_python_support(context(text), TODAY))
    assert len(found) == 1, found
    assert re.search(
        r"quick_starts\[1\]\.python: Python 3\.10 reached its end of life on 2026-10-31; "
        r"expected a Python series that is still supported",
        found[0],
    ), found


def test_a_python_within_ninety_days_of_its_end_is_a_warning():
    text = kb_text().replace(
        '    python: "3.12"\n    cite: [flask-quickstart', '    python: "3.11"\n    cite: [flask-quickstart', 1
    )
    problems = list(check_python_support(context(text), dt.date(2027, 9, 1)))
    assert len(problems) == 1 and problems[0].severity == "warning"
    assert "reaches its end of life on 2027-10-31, within 90 days" in problems[0].message
    assert list(check_python_support(context(text), TODAY)) == []  # eleven months before: fine


def test_the_installed_release_must_accept_the_python_asked_for():
    text = kb_text().replace('python -m pip install "Django~=5.2.0"', 'python -m pip install "Django~=6.1.0"')
    text = text.replace(
        '    python: "3.12"\n    cite: [django-tutorial', '    python: "3.11"\n    cite: [django-tutorial', 1
    )
    found = messages(check_python_support(context(text), TODAY))
    assert len(found) == 1, found
    assert (
        "quick_starts[0].python: the quick start installs Django 6.1.3, which needs Python >=3.12, not 3.11" in found[0]
    )


def test_an_unknown_series_is_refused():
    text = kb_text().replace(
        '    python: "3.12"\n    cite: [flask-quickstart', '    python: "3.8"\n    cite: [flask-quickstart', 1
    )
    found = messages(check_python_support(context(text), TODAY))
    assert len(found) == 1 and "Python 3.8 is not in the `python` release data" in found[0], found


def test_every_python_the_pages_state_is_supported_on_the_build_date(real_site: Site, real_kb):
    series = {str(s.series): s for s in real_kb.python.series}
    today = dt.date.today()
    stated = 0
    for path in real_site.html_files():
        text = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        for found in re.finditer(r"Python(?: (?:series|versions?))?:? (3\.\d+) or later", text):
            assert python_status(series[found.group(1)], today) != "end-of-life", (path, found.group(0))
            stated += 1
    assert stated >= 10, stated


def test_where_quart_is_recommended_the_python_it_needs_is_said(real_site: Site):
    recommendation = real_site.page("decide").find(id="rec-flask-realtime")
    block = []
    for element in recommendation.find_next_siblings():
        if element.name == "h3":
            break
        block.append(element.get_text(" "))
    assert "Quart 0.23.1 (supported Python: 3.13 or later)" in " ".join(" ".join(block).split())
