"""Checks that keep the guide current: review dates, maintained recommendations, pinned quick starts.

Each ``check_*`` function takes the :class:`~decision_guide.checks.Context` of
:mod:`decision_guide.checks` and yields :class:`~decision_guide.problems.Problem` objects, like
the checks there (register them in ``checks.CHECKS``). ``today`` is a parameter for tests.

- :func:`check_review_dates`: a source read, or a release figure compared, more than 12 months
  ago. This one is advice, not an error: its problems are warnings.
- :func:`check_recommended_maintained`: the guide recommends (a decision-tree ``recommend``, a
  decision-table ``choose``, a ``guidance`` key, a ✔ verdict) a subject the maintenance rule
  flags (no upload for 18 months, :mod:`decision_guide.release_facts`); or a recommended subject
  has no release entry at all.
- :func:`check_quick_start_pins`: a quick-start step runs ``pip install`` for a package that the
  ``releases`` data does not list, or without a version pin that admits the current or LTS
  version recorded there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from .context import Context
from .pip_commands import requirements
from .problems import Path, Problem, quote
from .release_facts import STALE_AFTER_MONTHS, stale_since
from .schema import Recommendation, Release

#: How old a review may be before the check asks for a new one.
REVIEW_MAX_AGE = dt.timedelta(days=365)
#: Specifier operators that bound a requirement from above, so later major releases are not installed.
PINNING_OPERATORS = {"==", "~=", "===", "<", "<="}


def check_review_dates(ctx: Context, today: dt.date | None = None) -> Iterator[Problem]:
    """A source's ``reviewed`` date, or a release's ``checked`` date, is more than 12 months old.
    Advice, not an error: the reviewer should re-read the source and update the date."""
    today = today or dt.date.today()
    limit = today - REVIEW_MAX_AGE
    for i, source in enumerate(ctx.kb.sources):
        if source.reviewed < limit:
            yield replace(
                ctx.sm.problem(
                    ("sources", i, "reviewed"),
                    f"{quote(source.id)} was last reviewed on {source.reviewed}, more than 12 months ago; re-read it, "
                    "check what the guide takes from it, and update the date",
                    f"a review date after {limit}",
                ),
                severity="warning",
            )
    python = ctx.kb.python
    # A section left out is an empty model in the best-effort knowledge base (loader._empty): no date.
    if python is not None and python.checked is not None and python.checked < limit:
        yield replace(
            ctx.sm.problem(
                ("python", "checked"),
                f"Python release figures were last checked on {python.checked}; run "
                "`.venv/bin/python -m decision_guide releases --refresh`",
                f"a check date after {limit}",
            ),
            severity="warning",
        )
    for i, release in enumerate(ctx.kb.releases):
        if release.checked < limit:
            yield replace(
                ctx.sm.problem(
                    ("releases", i, "checked"),
                    f"release figures of {quote(release.id)} were last checked on {release.checked}; run "
                    "`.venv/bin/python -m decision_guide releases --refresh`",
                    f"a check date after {limit}",
                ),
                severity="warning",
            )


def _recommendations(ctx: Context) -> Iterator[tuple[Path, str]]:
    """Every place the guide recommends a subject: ``(path of the recommendation, subject id)``."""
    for i, node in enumerate(ctx.kb.decision_tree.nodes):
        if isinstance(node, Recommendation):
            for j, subject in enumerate(node.recommend):
                yield ("decision_tree", "nodes", i, "recommend", j), subject
    for i, row in enumerate(ctx.kb.decision_table):
        if row.choose != "either":
            yield ("decision_table", i, "choose"), row.choose
    for subject in ctx.kb.guidance:
        yield ("guidance", subject), subject
    for i, d in enumerate(ctx.kb.dimensions):
        if d.verdict is not None and d.verdict.leans not in ("depends", "disputed"):
            yield ("dimensions", i, "verdict", "leans"), str(d.verdict.leans)


def check_recommended_maintained(ctx: Context, today: dt.date | None = None) -> Iterator[Problem]:
    """A recommended subject has a release entry, and the maintenance rule does not flag it (no
    upload for :data:`~decision_guide.release_facts.STALE_AFTER_MONTHS` months): the guide names
    such a package, flagged, but recommends something else."""
    today = today or dt.date.today()
    by_subject: dict[str, Release] = {}
    for entry in ctx.kb.releases:
        if entry.subject is not None:
            by_subject.setdefault(entry.subject, entry)
    reported: set[str] = set()
    for path, subject in _recommendations(ctx):
        if subject not in ctx.known["subjects"]:
            continue  # an unknown subject is reported by check_references
        release = by_subject.get(subject)
        if release is None:
            if subject not in reported:
                reported.add(subject)
                yield ctx.sm.problem(
                    path,
                    f"the guide recommends {quote(subject)}, but `releases` has no entry for it",
                    "a `releases` entry with `subject: " + subject + "`",
                    key=path[0] == "guidance",
                )
            continue
        since = stale_since(release, today)
        if since is not None:
            yield ctx.sm.problem(
                path,
                f"the guide recommends {quote(subject)}, which has had no release since {since} "
                f"({release.version}; more than {STALE_AFTER_MONTHS} months)",
                "a maintained alternative: the guide names a flagged package, but does not recommend it",
                key=path[0] == "guidance",
            )


def check_quick_start_pins(ctx: Context) -> Iterator[Problem]:
    """Every package a quick start installs with pip is listed in ``releases`` and pinned (``==``,
    ``~=`` or an upper bound) to a range that admits the current or LTS version recorded there."""
    releases = {canonicalize_name(r.package): r for r in ctx.kb.releases}
    for i, quick_start in enumerate(ctx.kb.quick_starts):
        for j, step in enumerate(quick_start.steps):
            if step.code is None:
                continue
            path: Path = ("quick_starts", i, "steps", j, "code")
            for argument in requirements(step.code):
                try:
                    requirement = Requirement(argument)
                except InvalidRequirement:
                    yield ctx.sm.problem(
                        path,
                        f"cannot read the pip requirement {quote(argument)}",
                        'a requirement such as `"Flask~=3.1.0"`',
                    )
                    continue
                release = releases.get(canonicalize_name(requirement.name))
                if release is None:
                    yield ctx.sm.problem(
                        path,
                        f"installs {quote(requirement.name)}, which `releases` does not list",
                        "a `releases` entry for the package, so its version is dated data",
                    )
                    continue
                known = [release.version] + ([release.lts.version] if release.lts else [])
                wanted = f'"{release.package}~={".".join(known[-1].split(".")[:2])}.0"'
                operators = {spec.operator for spec in requirement.specifier}
                if not operators & PINNING_OPERATORS:
                    yield ctx.sm.problem(
                        path,
                        f"installs {quote(argument)} without pinning a version",
                        f"a pin to the version `releases` records ({' or '.join(known)}), e.g. {wanted}",
                    )
                elif not any(requirement.specifier.contains(version, prereleases=True) for version in known):
                    yield ctx.sm.problem(
                        path,
                        f"pins {quote(argument)}, which admits neither version `releases` "
                        f"records ({' nor '.join(known)})",
                        f"a pin such as {wanted}",
                    )
