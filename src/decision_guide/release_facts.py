"""Facts computed from the release data on a given day: maintenance flags and Python support.

The guide never types an ageing fact by hand. What it says about maintenance and Python
versions is computed here from ``releases`` (PyPI's figures) and ``python`` (CPython's release
cycle) for the build date, and both the pages and the checks read it from here:

- **The maintenance rule.** A package whose newest upload is more than
  :data:`STALE_AFTER_MONTHS` months old on the build date is flagged "no release since <date>"
  wherever the guide names it (:func:`stale_since`, :func:`stale_names`). Eighteen months is
  the span in which a maintained Python package normally ships at least once: CPython's own
  feature releases come every 12 months (PEP 602), so a package that has not released for 18
  months has usually missed a whole Python release, a point by which maintained packages ship
  support for it.
- **Python support.** A Python feature series is supported until its end of life
  (:func:`python_status`); the guide warns :data:`EOL_WARNING_DAYS` days ahead. The Python a
  package *needs* on the build date (:func:`python_floor`) is the oldest supported series its
  ``requires_python`` admits, so the guide never sends a reader to a Python past its end of life,
  even when the package still accepts one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Literal

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from .schema import KnowledgeBase, PythonRelease, PythonReleases, Release

#: Months without an upload after which a package is flagged as unmaintained.
STALE_AFTER_MONTHS = 18
#: Days before a Python series' end of life from which the check warns about stating it.
EOL_WARNING_DAYS = 90

PythonStatus = Literal["supported", "ending", "end-of-life"]


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` moved back by ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def stale_since(release: Release, today: dt.date) -> dt.date | None:
    """The date of ``release``'s newest upload when it is more than :data:`STALE_AFTER_MONTHS` months
    before ``today`` (the package is flagged), else None."""
    return release.last_release if release.last_release < months_before(today, STALE_AFTER_MONTHS) else None


def stale_names(kb: KnowledgeBase, today: dt.date) -> dict[str, Release]:
    """``{name: release}`` of every flagged package, under each name prose may use for it: its
    distribution name and, when it is a subject of the guide, the subject's name."""
    subjects = {s.id: str(s.name) for s in kb.subjects}
    names: dict[str, Release] = {}
    for release in kb.releases:
        if stale_since(release, today) is None:
            continue
        names[str(release.package)] = release
        if release.subject is not None and release.subject in subjects:
            names[subjects[release.subject]] = release
    return names


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern matching any of ``names`` as a whole name: not inside a longer
    name (``Flask-JWT`` does not match in ``Flask-JWT-Extended``). None when there is no name."""
    ordered = sorted(set(names), key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in ordered) + r")(?![\w-])", re.IGNORECASE)


def python_status(series: PythonRelease, today: dt.date) -> PythonStatus:
    """``end-of-life`` after its end of life, ``ending`` within :data:`EOL_WARNING_DAYS` days of it,
    else ``supported``."""
    if today > series.end_of_life:
        return "end-of-life"
    if today > series.end_of_life - dt.timedelta(days=EOL_WARNING_DAYS):
        return "ending"
    return "supported"


def _key(series: str) -> tuple[int, ...]:
    return tuple(int(part) for part in series.split("."))


def admits(requires_python: str | None, series: str) -> bool:
    """Whether a ``requires_python`` specifier (``>=3.10``) admits the feature series ``series``
    (``3.12``, taken as ``3.12.0``). No specifier, or one that cannot be read, admits everything."""
    if not requires_python:
        return True
    try:
        return SpecifierSet(requires_python).contains(f"{series}.0", prereleases=True)
    except InvalidSpecifier:
        return True


def python_floor(requires_python: str | None, python: PythonReleases | None, today: dt.date) -> str | None:
    """The oldest Python series not past its end of life on ``today`` that ``requires_python``
    admits: what the guide says a package needs. None without release data or when no series fits."""
    if python is None:
        return None
    for series in sorted(python.series, key=lambda s: _key(str(s.series))):
        if python_status(series, today) != "end-of-life" and admits(requires_python, str(series.series)):
            return str(series.series)
    return None
