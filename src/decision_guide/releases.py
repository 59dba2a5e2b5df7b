"""Keep the ``releases`` section of the knowledge base current from PyPI, as endoflife.date does.

``python -m decision_guide releases --refresh [PATH]`` asks PyPI's JSON API
(``https://pypi.org/pypi/NAME/json``) about every package listed under ``releases``, updates
the figures that changed (current version and its upload date, supported Python versions, the
newest upload of any version, the newest release of the LTS series) and prints one line per
change. It also reads CPython's release cycle (``https://peps.python.org/api/release-cycle.json``,
the data behind the devguide's "Status of Python versions") and updates the ``python`` section:
each series' first release and end of life, and any newer series released since. The file is
edited with ruamel.yaml's round-trip mode, so comments, key order, quoting and folded text stay
as they were; nothing is written when nothing changed.

Library use: :func:`refresh` (``fetch`` is injectable, so tests run offline on recorded
responses, see :func:`recorded`), :func:`facts` (the figures one PyPI response gives),
:func:`python_series` (the series one release-cycle document gives) and :func:`main_refresh`
(the command line).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

#: PyPI's JSON API for one project.
PYPI_URL = "https://pypi.org/pypi/{name}/json"
#: CPython's release cycle, as the PEPs site publishes it for the devguide.
RELEASE_CYCLE_URL = "https://peps.python.org/api/release-cycle.json"
#: The release-cycle statuses of a series that has had its first final release.
RELEASED_STATUSES = ("bugfix", "security", "end-of-life")
DEFAULT_PATH = "content/comparisons.yaml"
USER_AGENT = "decision-guide-releases-refresh (+https://github.com/)"

Fetch = Callable[[str], dict[str, Any]]
FetchCycle = Callable[[], dict[str, Any]]


class RefreshError(Exception):
    """A package could not be looked up, or its answer lacks what the refresh needs."""


def _get_json(url: str, what: str, timeout: float) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: dict[str, Any] = json.load(response)
            return data
    except (OSError, ValueError) as error:
        raise RefreshError(f"{what}: could not read {url}: {error}") from error


def fetch_pypi(name: str, timeout: float = 30.0) -> dict[str, Any]:
    """Return PyPI's JSON document for the project ``name``.

    Raises :class:`RefreshError` when PyPI cannot be reached or does not know the name.
    """
    return _get_json(PYPI_URL.format(name=urllib.parse.quote(name, safe="")), name, timeout)


def fetch_release_cycle(timeout: float = 30.0) -> dict[str, Any]:
    """Return CPython's release-cycle document (``{"3.14": {"status": ..., "first_release": ...,
    "end_of_life": ...}, ...}``). Raises :class:`RefreshError` when it cannot be read."""
    return _get_json(RELEASE_CYCLE_URL, "python", timeout)


def _read_recorded(path: Path, what: str) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError) as error:
        raise RefreshError(f"{what}: no recorded response {path}: {error}") from error


class Recorded:
    """A ``fetch`` that reads ``DIRECTORY/<name lower-cased>.json`` (recorded responses), for tests
    and offline runs, and :meth:`release_cycle` from ``DIRECTORY/release-cycle.json``. A missing
    file raises :class:`RefreshError`, as an unknown name would."""

    def __init__(self, directory: str | Path):
        self.base = Path(directory)

    def __call__(self, name: str) -> dict[str, Any]:
        return _read_recorded(self.base / f"{name.lower()}.json", name)

    def release_cycle(self) -> dict[str, Any]:
        return _read_recorded(self.base / "release-cycle.json", "python")


def recorded(directory: str | Path) -> Recorded:
    """The recorded responses of ``directory`` (see :class:`Recorded`)."""
    return Recorded(directory)


def _upload_date(files: Iterable[dict[str, Any]]) -> dt.date | None:
    """The date of the first upload among a release's files (ignoring yanked files)."""
    times = [f["upload_time"] for f in files if not f.get("yanked") and f.get("upload_time")]
    return dt.datetime.fromisoformat(min(times)).date() if times else None


def _requires_python(value: Any) -> str | None:
    value = (value or "").strip() if isinstance(value, str) else None
    return value or None


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def facts(data: dict[str, Any], lts_series: str | None = None) -> dict[str, Any]:
    """The release figures of one PyPI JSON document.

    Returns ``version``, ``released``, ``requires_python``, ``last_release`` and, when
    ``lts_series`` (e.g. ``"5.2"``) is given, ``lts``: the newest final release of that series
    with its ``version``, ``released`` and ``requires_python`` (``None`` if the series has no
    release). Raises :class:`RefreshError` when the document lacks the current release.
    """
    try:
        info, releases = data["info"], data["releases"]
        version = info["version"]
    except (KeyError, TypeError) as error:
        raise RefreshError(f"unexpected answer, missing {error}") from error
    released = _upload_date(releases.get(version) or [])
    if released is None:
        raise RefreshError(f"no uploaded file for the current version {version}")
    uploads = [_upload_date(files) for files in releases.values()]
    last = max((d for d in uploads if d is not None), default=released)
    # The newest upload of any file, so a late file of an older release counts too.
    times = [
        f["upload_time"] for files in releases.values() for f in files if not f.get("yanked") and f.get("upload_time")
    ]
    if times:
        last = max(last, dt.datetime.fromisoformat(max(times)).date())
    result: dict[str, Any] = {
        "version": version,
        "released": released,
        "requires_python": _requires_python(info.get("requires_python")),
        "last_release": last,
    }
    if lts_series is not None:
        result["lts"] = _series_facts(releases, lts_series)
    return result


def _series_facts(releases: dict[str, list[dict[str, Any]]], series: str) -> dict[str, Any] | None:
    wanted = _version(series)
    if wanted is None:
        raise RefreshError(f"LTS series {series!r} is not a version number")
    size = len(wanted.release)
    candidates = []
    for text, files in releases.items():
        parsed = _version(text)
        live = [f for f in files if not f.get("yanked")]
        if parsed is None or parsed.is_prerelease or parsed.is_devrelease or not live:
            continue
        if parsed.release[:size] == wanted.release:
            candidates.append((parsed, text, live))
    if not candidates:
        return None
    _, text, files = max(candidates)
    return {
        "version": text,
        "released": _upload_date(files),
        "requires_python": _requires_python(files[0].get("requires_python")),
    }


def _end_of_life(text: str) -> dt.date:
    """A release-cycle end of life: ``2025-10-31``, or ``2026-10`` (scheduled, month only), which
    is recorded as the month's last day."""
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:])
        return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date.fromisoformat(text)


def python_series(data: dict[str, Any], today: dt.date) -> dict[str, dict[str, dt.date]]:
    """The feature series of a release-cycle document that have had their first final release by
    ``today``: ``{"3.12": {"released": date, "end_of_life": date}}``. Raises :class:`RefreshError`
    when an entry lacks its dates."""
    out: dict[str, dict[str, dt.date]] = {}
    for series, info in data.items():
        if not isinstance(info, dict) or info.get("status") not in RELEASED_STATUSES:
            continue
        try:
            released = dt.date.fromisoformat(str(info["first_release"]))
            end = _end_of_life(str(info["end_of_life"]))
        except (KeyError, ValueError) as error:
            raise RefreshError(f"python {series}: unexpected release-cycle entry: {error}") from error
        if released <= today:
            out[str(series)] = {"released": released, "end_of_life": end}
    return out


def _series_key(series: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in series.split("."))
    except ValueError:
        return ()


def _refresh_python(section: Any, fetch_cycle: FetchCycle, today: dt.date, changes: list[str]) -> bool:
    """Update the ``python`` section from the release cycle: the listed series' dates, and series
    newer than the newest listed. Returns whether anything changed."""
    try:
        found = python_series(fetch_cycle(), today)
    except RefreshError as error:
        changes.append(f"error: python: {error}")
        return False
    entries = section.get("series") or []
    changed = False
    listed = set()
    for entry in entries:
        series = str(entry.get("series"))
        listed.add(series)
        if series in found:
            for key in ("released", "end_of_life"):
                changed |= _update(entry, key, found[series][key], f"python {series}", changes)
    newest = max((_series_key(s) for s in listed), default=())
    for series in sorted(found, key=_series_key):
        if series not in listed and _series_key(series) > newest:
            from ruamel.yaml.comments import CommentedMap
            from ruamel.yaml.scalarstring import DoubleQuotedScalarString

            entry = CommentedMap(series=DoubleQuotedScalarString(series), **found[series])
            entry.fa.set_flow_style()
            entries.append(entry)
            changes.append(
                f"python {series}: added (released {found[series]['released']}, "
                f"end of life {found[series]['end_of_life']})"
            )
            changed = True
    return changed


def _same_style(old: Any, new: Any) -> Any:
    """``new`` in the quoting style of ``old`` (ruamel keeps the style of scalar subclasses)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if isinstance(new, str):
        if isinstance(old, DoubleQuotedScalarString):
            return DoubleQuotedScalarString(new)
        if isinstance(old, SingleQuotedScalarString):
            return SingleQuotedScalarString(new)
        if old is None and new[:1] in "<>=!~":
            return DoubleQuotedScalarString(new)
    return new


def _update(entry: Any, key: str, new: Any, label: str, changes: list[str]) -> bool:
    old = entry.get(key)
    if old == new or (old is None and new is None):
        return False
    if new is None:
        del entry[key]
        changes.append(f"{label}: {key} {old} -> (none)")
        return True
    if key in entry:
        entry[key] = _same_style(old, new)
    else:
        # Insert before `checked`/`cite` so new keys land among the figures, not after the sources.
        keys = list(entry.keys())
        position = next((i for i, k in enumerate(keys) if k in ("maintenance", "checked", "cite")), len(keys))
        entry.insert(position, key, _same_style(old, new))
    changes.append(f"{label}: {key} {old if old is not None else '(none)'} -> {new}")
    return True


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    # The knowledge base refuses anchors and aliases; equal dates must be written out in full.
    yaml.representer.ignore_aliases = lambda data: True
    return yaml


def refresh(
    path: str | Path = DEFAULT_PATH,
    fetch: Fetch = fetch_pypi,
    today: dt.date | None = None,
    *,
    write: bool = True,
    fetch_cycle: FetchCycle | None = None,
) -> list[str]:
    """Update the ``releases`` and ``python`` sections of the YAML file ``path``.

    ``fetch(name)`` returns a PyPI JSON document (default: :func:`fetch_pypi`); ``fetch_cycle()``
    CPython's release cycle (default: the ``release_cycle`` of a :class:`Recorded` ``fetch``, else
    :func:`fetch_release_cycle`), read only when the file has a ``python`` section. Returns one
    human-readable line per change, e.g. ``django: version 6.1.2 -> 6.1.3``; a package that cannot
    be looked up gives a line starting with ``error:`` and is left unchanged. When something
    changed, the entry's (or the ``python`` section's) ``checked`` date becomes ``today`` and (if
    ``write``) the file is rewritten, keeping its comments and formatting. An unchanged file is
    not touched.
    """
    today = today or dt.date.today()
    path = Path(path)
    yaml = _yaml()
    text = path.read_text(encoding="utf-8")
    document = yaml.load(text)
    entries = document.get("releases") or [] if hasattr(document, "get") else []
    changes: list[str] = []
    for entry in entries:
        label = str(entry.get("id") or entry.get("package"))
        package = entry.get("package")
        if not package:
            changes.append(f"error: {label}: no `package` to look up")
            continue
        lts = entry.get("lts")
        series = str(lts.get("series")) if lts is not None and lts.get("series") is not None else None
        try:
            found = facts(fetch(str(package)), series)
        except RefreshError as error:
            changes.append(f"error: {label}: {error}")
            continue
        changed = False
        for key in ("version", "released", "requires_python", "last_release"):
            changed |= _update(entry, key, found[key], label, changes)
        if series is not None:
            newest = found["lts"]
            if newest is None:
                changes.append(f"error: {label}: the package index has no release of LTS series {series}")
            else:
                for key in ("version", "released", "requires_python"):
                    changed |= _update(lts, key, newest[key], f"{label} LTS {series}", changes)
                until = lts.get("supported_until")
                if until is not None and until < today:
                    changes.append(f"note: {label}: LTS {series} support ended on {until}; choose the next LTS series")
        if changed:
            _update(entry, "checked", today, label, [])
    python = document.get("python") if hasattr(document, "get") else None
    if python is not None:
        cycle = fetch_cycle or (fetch.release_cycle if isinstance(fetch, Recorded) else fetch_release_cycle)
        if _refresh_python(python, cycle, today, changes):
            _update(python, "checked", today, "python", [])
    if write and any(not line.startswith(("error:", "note:")) for line in changes):
        with path.open("w", encoding="utf-8") as stream:
            yaml.dump(document, stream)
    return changes


def main_refresh(argv: list[str] | None = None) -> int:
    """``releases --refresh`` as a command: print the changes; exit 1 if a package could not be read."""
    parser = argparse.ArgumentParser(
        prog="python -m decision_guide releases",
        description="update the releases section from PyPI's JSON API, and the python section from CPython's "
        "release cycle",
    )
    parser.add_argument(
        "--refresh", action="store_true", required=True, help="look up every package and update the file"
    )
    parser.add_argument("path", nargs="?", default=DEFAULT_PATH, help=f"the YAML file (default: {DEFAULT_PATH})")
    parser.add_argument(
        "--recorded", metavar="DIR", help="read DIR/<name>.json and DIR/release-cycle.json instead of asking (offline)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the changes without writing the file")
    parser.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    fetch = recorded(args.recorded) if args.recorded else fetch_pypi
    lines = refresh(args.path, fetch, args.today, write=not args.dry_run)
    for line in lines:
        print(line)
    if not lines:
        print(f"{args.path}: releases already up to date")
    return 1 if any(line.startswith("error:") for line in lines) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main_refresh())
