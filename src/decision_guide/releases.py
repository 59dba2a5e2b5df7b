"""Keep the ``releases`` section of the knowledge base current from PyPI, as endoflife.date does.

``python -m decision_guide releases --refresh [PATH]`` asks PyPI's JSON API
(``https://pypi.org/pypi/NAME/json``) about every package listed under ``releases``, updates
the figures that changed (current version and its upload date, supported Python versions, the
newest upload of any version, the newest release of the LTS series) and prints one line per
change. The file is edited with ruamel.yaml's round-trip mode, so comments, key order, quoting
and folded text stay as they were; nothing is written when nothing changed.

Library use: :func:`refresh` (``fetch`` is injectable, so tests run offline on recorded
responses, see :func:`recorded`), :func:`facts` (the figures one PyPI response gives) and
:func:`main_refresh` (the command line).
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
DEFAULT_PATH = "content/comparisons.yaml"
USER_AGENT = "decision-guide-releases-refresh (+https://github.com/)"

Fetch = Callable[[str], dict[str, Any]]


class RefreshError(Exception):
    """A package could not be looked up, or its answer lacks what the refresh needs."""


def fetch_pypi(name: str, timeout: float = 30.0) -> dict[str, Any]:
    """Return PyPI's JSON document for the project ``name``.

    Raises :class:`RefreshError` when PyPI cannot be reached or does not know the name.
    """
    url = PYPI_URL.format(name=urllib.parse.quote(name, safe=""))
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: dict[str, Any] = json.load(response)
            return data
    except (OSError, ValueError) as error:
        raise RefreshError(f"{name}: could not read {url}: {error}") from error


def recorded(directory: str | Path) -> Fetch:
    """A ``fetch`` that reads ``DIRECTORY/<name lower-cased>.json`` (recorded responses), for tests
    and offline runs. A missing file raises :class:`RefreshError`, as an unknown name would."""
    base = Path(directory)

    def fetch(name: str) -> dict[str, Any]:
        path = base / f"{name.lower()}.json"
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return data
        except (OSError, ValueError) as error:
            raise RefreshError(f"{name}: no recorded response {path}: {error}") from error

    return fetch


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
    path: str | Path = DEFAULT_PATH, fetch: Fetch = fetch_pypi, today: dt.date | None = None, *, write: bool = True
) -> list[str]:
    """Update the ``releases`` section of the YAML file ``path`` from the package index.

    ``fetch(name)`` returns a PyPI JSON document (default: :func:`fetch_pypi`). Returns one
    human-readable line per change, e.g. ``django: version 6.1.2 -> 6.1.3``; a package that cannot
    be looked up gives a line starting with ``error:`` and is left unchanged. When something
    changed, the entry's ``checked`` date becomes ``today`` and (if ``write``) the file is
    rewritten, keeping its comments and formatting. An unchanged file is not touched.
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
    if write and any(not line.startswith(("error:", "note:")) for line in changes):
        with path.open("w", encoding="utf-8") as stream:
            yaml.dump(document, stream)
    return changes


def main_refresh(argv: list[str] | None = None) -> int:
    """``releases --refresh`` as a command: print the changes; exit 1 if a package could not be read."""
    parser = argparse.ArgumentParser(
        prog="python -m decision_guide releases", description="update the releases section from PyPI's JSON API"
    )
    parser.add_argument(
        "--refresh", action="store_true", required=True, help="look up every package and update the file"
    )
    parser.add_argument("path", nargs="?", default=DEFAULT_PATH, help=f"the YAML file (default: {DEFAULT_PATH})")
    parser.add_argument("--recorded", metavar="DIR", help="read DIR/<name>.json instead of asking PyPI (offline)")
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
