"""The releases refresh (offline, on recorded PyPI responses) and the freshness checks.

``tests/data/pypi/<name>.json`` are PyPI JSON API answers recorded on 2026-11-22, trimmed to the
fields and releases the refresh reads (``info.version``, ``info.requires_python`` and each
release's files with ``upload_time``, ``requires_python`` and ``yanked``);
``tests/data/pypi/release-cycle.json`` is CPython's release cycle in the format of
peps.python.org's ``release-cycle.json`` (see its ``_note``). CI never reaches PyPI or python.org.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from decision_guide import releases
from decision_guide.checks import collections
from decision_guide.context import Context
from decision_guide.freshness import check_quick_start_pins, check_recommended_maintained, check_review_dates
from decision_guide.schema import KnowledgeBase
from decision_guide.yaml_source import read_yaml_file
from projects import KNOWLEDGE_BASE

RECORDED = Path(__file__).parent / "data" / "pypi"
TODAY = dt.date(2026, 11, 22)

OLD_SECTION = """\
version: 1
# A comment above the section stays.
releases:
  - id: django   # the web framework
    package: Django
    version: 6.1.2
    released: 2026-10-06
    requires_python: ">=3.12"
    last_release: 2026-10-06
    lts:
      series: "5.2"
      version: 5.2.18
      released: 2026-10-06
      requires_python: ">=3.10"
      supported_until: 2028-04-30
    checked: 2026-10-07
    cite: [pypi-django]
  - id: flask
    package: Flask
    version: 3.1.3
    released: 2026-02-19
    requires_python: ">=3.9"
    last_release: 2026-02-19
    checked: 2026-03-01
    cite: [pypi-flask]
  - id: fastapi
    package: fastapi
    version: 0.163.2
    released: 2026-11-17
    last_release: 2026-11-17
    # a comment inside an entry stays too
    checked: 2026-11-17
    cite: [pypi-fastapi]
"""


def _context(path: Path) -> Context:
    data, sm = read_yaml_file(path)
    return Context(KnowledgeBase.model_validate(data), collections(data), sm)


def test_facts_from_a_recorded_response():
    data = json.loads((RECORDED / "django.json").read_text(encoding="utf-8"))
    found = releases.facts(data, "5.2")
    assert found["version"] == "6.1.3"
    assert found["released"] == dt.date(2026, 11, 3)
    assert found["requires_python"] == ">=3.12"
    assert found["last_release"] == dt.date(2026, 11, 3)
    assert found["lts"] == {"version": "5.2.19", "released": dt.date(2026, 11, 3), "requires_python": ">=3.10"}


def test_facts_skip_pre_releases_and_yanked_files_in_the_lts_series():
    data = {
        "info": {"version": "2.0", "requires_python": ""},
        "releases": {
            "1.4": [{"upload_time": "2026-01-01T00:00:00"}],
            "1.5rc1": [{"upload_time": "2026-05-01T00:00:00"}],
            "1.5": [{"upload_time": "2026-06-01T00:00:00", "yanked": True}],
            "2.0": [{"upload_time": "2026-03-01T00:00:00"}],
        },
    }
    found = releases.facts(data, "1")
    assert found["requires_python"] is None
    assert found["lts"]["version"] == "1.4"
    assert found["last_release"] == dt.date(2026, 5, 1)  # the pre-release is the newest upload


def test_refresh_reports_changes_and_keeps_comments(tmp_path):
    path = tmp_path / "kb.yaml"
    path.write_text(OLD_SECTION, encoding="utf-8")
    changes = releases.refresh(path, releases.recorded(RECORDED), TODAY)
    assert changes == [
        "django: version 6.1.2 -> 6.1.3",
        "django: released 2026-10-06 -> 2026-11-03",
        "django: last_release 2026-10-06 -> 2026-11-03",
        "django LTS 5.2: version 5.2.18 -> 5.2.19",
        "django LTS 5.2: released 2026-10-06 -> 2026-11-03",
        "fastapi: version 0.163.2 -> 0.165.0",
        "fastapi: released 2026-11-17 -> 2026-11-18",
        "fastapi: requires_python (none) -> >=3.10",
        "fastapi: last_release 2026-11-17 -> 2026-11-18",
    ]
    text = path.read_text(encoding="utf-8")
    assert "# A comment above the section stays." in text
    assert "  - id: django   # the web framework" in text
    assert "    # a comment inside an entry stays too" in text
    assert '    requires_python: ">=3.10"\n    checked: 2026-11-22\n    cite: [pypi-fastapi]' in text  # new key, quoted
    assert "*id" not in text and "&id" not in text  # no anchors or aliases
    assert "    version: 6.1.3\n" in text and "      version: 5.2.19\n" in text
    assert "    checked: 2026-11-22\n    cite: [pypi-django]" in text
    assert "    checked: 2026-03-01\n" in text  # Flask did not change, so its check date stays
    # A second run finds nothing and leaves the file byte for byte.
    assert releases.refresh(path, releases.recorded(RECORDED), TODAY) == []
    assert path.read_text(encoding="utf-8") == text


def test_refresh_of_the_knowledge_base_touches_only_the_releases_section(tmp_path):
    original = KNOWLEDGE_BASE.read_text(encoding="utf-8")
    path = tmp_path / "comparisons.yaml"
    path.write_text(original, encoding="utf-8")
    lines = releases.refresh(path, releases.recorded(RECORDED), TODAY)
    assert not [line for line in lines if line.startswith("error:")]
    after = path.read_text(encoding="utf-8")
    head = original.split("\nreleases:\n", 1)[0]
    assert after.startswith(head + "\nreleases:\n")
    _context(path)  # still a valid knowledge base


def test_unreadable_package_is_an_error_line_and_nothing_is_written(tmp_path):
    path = tmp_path / "kb.yaml"
    path.write_text(OLD_SECTION.replace("package: Flask", "package: No-Such-Package"), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    changes = releases.refresh(path, releases.recorded(RECORDED), TODAY, write=False)
    assert any(line.startswith("error: flask: No-Such-Package: no recorded response") for line in changes)
    assert path.read_text(encoding="utf-8") == before


def test_ended_lts_support_is_noted(tmp_path):
    path = tmp_path / "kb.yaml"
    path.write_text(OLD_SECTION, encoding="utf-8")
    changes = releases.refresh(path, releases.recorded(RECORDED), dt.date(2028, 5, 2), write=False)
    assert "note: django: LTS 5.2 support ended on 2028-04-30; choose the next LTS series" in changes


def test_command_line_offline_dry_run(tmp_path, capsys):
    path = tmp_path / "kb.yaml"
    path.write_text(OLD_SECTION, encoding="utf-8")
    status = releases.main_refresh(
        ["--refresh", str(path), "--recorded", str(RECORDED), "--dry-run", "--today", "2026-11-22"]
    )
    assert status == 0
    assert "django: version 6.1.2 -> 6.1.3" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == OLD_SECTION


PYTHON_SECTION = """\
version: 1
python:
  series:
    - {series: "3.12", released: 2023-10-02, end_of_life: 2028-10-01}  # a placeholder day
    - {series: "3.14", released: 2025-10-07, end_of_life: 2030-10-31}
  checked: 2026-11-01
  cite: [python-versions]
"""


def test_python_series_from_the_release_cycle():
    cycle = json.loads((RECORDED / "release-cycle.json").read_text(encoding="utf-8"))
    found = releases.python_series(cycle, dt.date(2026, 12, 4))
    assert found["3.9"] == {"released": dt.date(2020, 10, 5), "end_of_life": dt.date(2025, 10, 31)}
    # A scheduled end of life is a month: recorded as its last day.
    assert found["3.10"]["end_of_life"] == dt.date(2026, 10, 31)
    assert "3.15" not in found and "3.16" not in found  # not released (prerelease, feature)


def test_refresh_updates_python_dates_and_adds_a_new_series(tmp_path):
    path = tmp_path / "kb.yaml"
    path.write_text(PYTHON_SECTION, encoding="utf-8")
    cycle = json.loads((RECORDED / "release-cycle.json").read_text(encoding="utf-8"))
    cycle["3.15"]["status"] = "bugfix"  # as it will read once 3.15.0 is out
    changes = releases.refresh(path, releases.recorded(RECORDED), dt.date(2026, 12, 4), fetch_cycle=lambda: cycle)
    assert changes == [
        "python 3.12: end_of_life 2028-10-01 -> 2028-10-31",
        "python 3.15: added (released 2026-10-01, end of life 2031-10-31)",
    ]
    text = path.read_text(encoding="utf-8")
    assert '- {series: "3.12", released: 2023-10-02, end_of_life: 2028-10-31}  # a placeholder day' in text
    assert '- {series: "3.15", released: 2026-10-01, end_of_life: 2031-10-31}' in text
    assert "checked: 2026-12-04" in text
    # The recorded cycle (3.15 still a prerelease there) changes nothing more.
    assert releases.refresh(path, releases.recorded(RECORDED), dt.date(2026, 12, 4)) == []


def test_an_unreadable_release_cycle_is_an_error_line(tmp_path):
    path = tmp_path / "kb.yaml"
    path.write_text(PYTHON_SECTION, encoding="utf-8")
    changes = releases.refresh(path, releases.recorded(tmp_path), dt.date(2026, 12, 4), write=False)
    assert len(changes) == 1 and changes[0].startswith("error: python: python: no recorded response")


def test_fetch_pypi_reports_unreachable_index(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("offline")

    monkeypatch.setattr(releases.urllib.request, "urlopen", refuse)
    with pytest.raises(releases.RefreshError, match=r"could not read https://pypi\.org/pypi/Flask/json"):
        releases.fetch_pypi("Flask")


# ---- freshness checks ---------------------------------------------------------------------------


def test_the_knowledge_base_is_fresh_today():
    ctx = _context(KNOWLEDGE_BASE)
    assert list(check_review_dates(ctx, dt.date(2026, 12, 4))) == []
    assert list(check_recommended_maintained(ctx, TODAY)) == []
    assert list(check_quick_start_pins(ctx)) == []


def test_old_reviews_are_warned_about():
    problems = list(check_review_dates(_context(KNOWLEDGE_BASE), dt.date(2027, 12, 1)))
    assert problems and all(problem.severity == "warning" for problem in problems)
    assert any("`nilo-2026` was last reviewed on 2026-11-21" in problem.message for problem in problems)


def test_recommending_a_flagged_package_fails(tmp_path):
    """The maintenance rule (no upload for 18 months) forbids recommending a package: the guide names
    Flask-RESTful, flagged, but recommends maintained tools; a `maintenance` note does not excuse it."""
    text = KNOWLEDGE_BASE.read_text(encoding="utf-8")
    path = tmp_path / "kb.yaml"
    path.write_text(text.replace("recommend: [flask, flask-smorest, apiflask]", "recommend: [flask, flask-restful]"))
    problems = list(check_recommended_maintained(_context(path), TODAY))
    assert [p.shown_path() for p in problems] == ["decision_tree.nodes[rec-flask-api].recommend[1]"]
    assert "`flask-restful`, which has had no release since 2023-05-21 (0.3.10; more than 18 months)" in (
        problems[0].message
    )
    # Seventeen months after its last upload, the same recommendation would still pass.
    assert list(check_recommended_maintained(_context(path), dt.date(2024, 10, 20))) == []


def test_a_recommended_subject_needs_a_release_entry(tmp_path):
    text = KNOWLEDGE_BASE.read_text(encoding="utf-8").replace("    subject: quart\n", "")
    path = tmp_path / "kb.yaml"
    path.write_text(text, encoding="utf-8")
    problems = list(check_recommended_maintained(_context(path), TODAY))
    assert len(problems) == 1 and "`releases` has no entry for it" in problems[0].message


@pytest.mark.parametrize(
    ("install", "message"),
    [
        ("python -m pip install Django", "without pinning a version"),
        ('python -m pip install "Django>=5.2"', "without pinning a version"),
        ('python -m pip install "Django~=4.2.0"', "admits neither version"),
        ('python -m pip install "Django~=5.2.0" django-extensions', "which `releases` does not list"),
    ],
)
def test_quick_start_installs_must_be_pinned_to_the_releases_data(tmp_path, install, message):
    text = KNOWLEDGE_BASE.read_text(encoding="utf-8").replace('python -m pip install "Django~=5.2.0"', install)
    path = tmp_path / "kb.yaml"
    path.write_text(text, encoding="utf-8")
    problems = list(check_quick_start_pins(_context(path)))
    assert len(problems) == 1 and message in problems[0].message
    assert problems[0].shown_path().endswith(".code")


def test_pins_to_the_current_version_pass(tmp_path):
    text = KNOWLEDGE_BASE.read_text(encoding="utf-8").replace(
        'python -m pip install "Django~=5.2.0"', "python -m pip install -U 'Django==6.1.3'"
    )
    path = tmp_path / "kb.yaml"
    path.write_text(text, encoding="utf-8")
    assert list(check_quick_start_pins(_context(path))) == []
