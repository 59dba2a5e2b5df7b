"""The check of every Python version the guide states against CPython's release data.

A quick start says which Python it needs (``python: "3.12"``: "needs Python 3.12 or later").
The check holds that field to the ``python`` section (CPython's feature series and their end of
life, kept current by ``releases --refresh``) and to the package the quick start installs:

- the series is one the ``python`` data lists (and the data is there at all);
- it is not past its end of life on the build date (an error), nor within
  :data:`~decision_guide.release_facts.EOL_WARNING_DAYS` days of it (a warning, so a maintainer
  moves on before readers are sent to an unsupported Python);
- the release the quick start's ``pip install`` pins (the current or the LTS version of
  ``releases``) admits it, by its ``requires_python``.

``today`` is a parameter for tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import NormalizedName, canonicalize_name

from .context import Context
from .pip_commands import requirements
from .problems import Problem
from .release_facts import EOL_WARNING_DAYS, admits, python_status
from .schema import QuickStart, Release


def _installed(quick_start: QuickStart, releases: dict[NormalizedName, Release]) -> list[tuple[str, str | None]]:
    """``(what, requires_python)`` of each release the quick start's pip commands pin: the LTS
    series when the pin admits its version, else the current release."""
    found: list[tuple[str, str | None]] = []
    for step in quick_start.steps:
        for argument in requirements(step.code or ""):
            try:
                requirement = Requirement(argument)
            except InvalidRequirement:
                continue  # reported by check_quick_start_pins
            release = releases.get(canonicalize_name(requirement.name))
            if release is None:
                continue
            if release.lts is not None and requirement.specifier.contains(release.lts.version, prereleases=True):
                found.append((f"{release.package} {release.lts.version}", release.lts.requires_python))
            else:
                found.append((f"{release.package} {release.version}", release.requires_python))
    return found


def check_python_support(ctx: Context, today: dt.date | None = None) -> Iterator[Problem]:
    """Each quick start's ``python`` is a known series, supported on ``today`` (a warning near its
    end of life), and admitted by the release its pip command installs."""
    today = today or dt.date.today()
    python = ctx.kb.python
    series = {str(s.series): s for s in python.series} if python is not None else {}
    releases = {canonicalize_name(r.package): r for r in ctx.kb.releases}
    for i, quick_start in enumerate(ctx.kb.quick_starts):
        if quick_start.python is None:
            continue
        path = ("quick_starts", i, "python")
        wanted = str(quick_start.python)
        known = series.get(wanted)
        if known is None:
            yield ctx.sm.problem(
                path,
                f"Python {wanted} is not in the `python` release data",
                "a series listed under `python.series`"
                + (f": {', '.join(series)}" if series else " (add the section; `releases --refresh` fills it)"),
            )
            continue
        status = python_status(known, today)
        if status == "end-of-life":
            yield ctx.sm.problem(
                path,
                f"Python {wanted} reached its end of life on {known.end_of_life}",
                "a Python series that is still supported",
            )
        elif status == "ending":
            yield replace(
                ctx.sm.problem(
                    path,
                    f"Python {wanted} reaches its end of life on {known.end_of_life}, within {EOL_WARNING_DAYS} days",
                    "the next supported Python series",
                ),
                severity="warning",
            )
        for what, requires in _installed(quick_start, releases):
            if not admits(requires, wanted):
                yield ctx.sm.problem(
                    path,
                    f"the quick start installs {what}, which needs Python {requires}, not {wanted}",
                    f"a Python series that `{requires}` admits",
                )
