"""A content-addressed cache of what a build needs from the knowledge base.

Validating and rendering the knowledge base costs a build more than MkDocs' own work on the
same pages, mostly importing pydantic and building its validators. The result depends only on
the YAML file, this package's code and templates, the versions of the libraries that shape the
output, a few settings, and today's date (dates are checked against it). :func:`cache_key`
hashes all of them, so an entry can never be stale: any change gives a new key, and a miss
rebuilds. Entries live under ``.cache/decision-guide/`` in the project (safe to delete).

This module imports nothing heavy, so a build that hits the cache never loads pydantic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

#: The package's own files (code and templates), all part of the key.
PACKAGE = Path(__file__).resolve().parent
#: Libraries whose version can change the output (Markdown rendering, sanitizing, highlighting, validation).
LIBRARIES = ("markdown-it-py", "nh3", "pygments", "jinja2", "markupsafe", "pydantic", "pyyaml")
#: Bumped when the shape of a cache entry changes.
FORMAT = 2


def _versions() -> list[str]:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}==?")
    return versions


def cache_key(knowledge_base: Path, settings: dict[str, Any], today: dt.date | None = None) -> str:
    """The SHA-256 hex digest of everything a build's knowledge-base output depends on.

    Input: the YAML file and the settings that reach the output (e.g. the repository URL).
    Output: 64 hex characters. Raises :class:`OSError` when the file cannot be read.
    """
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("format", str(FORMAT).encode())
    add("yaml", knowledge_base.read_bytes())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2"):
            add(path.relative_to(PACKAGE).as_posix(), path.read_bytes())
    add("settings", json.dumps(settings, sort_keys=True).encode())
    add("today", (today or dt.date.today()).isoformat().encode())
    add("python", sys.version.encode())
    add("libraries", "\n".join(_versions()).encode())
    return digest.hexdigest()


def load(folder: Path, key: str) -> dict[str, Any] | None:
    """The entry stored under ``key``, or None when there is none (or it cannot be read)."""
    try:
        entry = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and entry.get("key") == key else None


def store(folder: Path, key: str, entry: dict[str, Any], keep: int = 8) -> None:
    """Write ``entry`` under ``key`` atomically, keeping the ``keep`` newest entries.

    Failing to write (a read-only checkout) is not an error: the next build misses again.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False) as file:
            json.dump({**entry, "key": key}, file, ensure_ascii=False, separators=(",", ":"))
        os.replace(file.name, folder / f"{key}.json")
        entries = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        return
