#!/usr/bin/env python3
"""Check that every external URL of the knowledge base still answers: each source's `url` and each
subject's `homepage` in content/comparisons.yaml (or the files given). Needs the network, so it runs
in the weekly `Source links` workflow, not in the offline test suite.

    .venv/bin/python scripts/check_source_urls.py [FILE ...]

Prints one line per URL that fails and exits 1 if any did, else 0.
"""

from __future__ import annotations

import concurrent.futures
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
HEADERS = {"User-Agent": "django-vs-flask-guide link check (+https://github.com/django-vs-flask-guide/guide)"}


def urls(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (where, URL) pair of `url:` and `homepage:` fields, at any depth."""
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if key in ("url", "homepage") and isinstance(value, str):
                yield where, value
            else:
                yield from urls(value, where)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            label = item.get("id", i) if isinstance(item, dict) else i
            yield from urls(item, f"{path}[{label}]")


def problem(url: str) -> str | None:
    """None when the URL answers with a success status, else what went wrong."""
    for method in ("HEAD", "GET"):  # some servers refuse HEAD
        request = urllib.request.Request(url, method=method, headers=HEADERS)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status < 400:
                    return None
        except urllib.error.HTTPError as error:
            if method == "GET" or error.code not in (403, 405, 501):
                return f"HTTP {error.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            return f"{type(error).__name__}: {getattr(error, 'reason', error)}"
    return "no answer"


def main(argv: list[str]) -> int:
    files = [Path(name) for name in argv] or [ROOT / "content" / "comparisons.yaml"]
    found = [(f"{file}: {where}", url) for file in files for where, url in urls(yaml.safe_load(file.read_text()))]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda pair: problem(pair[1]), found))
    failures = [f"{where}: {url}: {result}" for (where, url), result in zip(found, results, strict=True) if result]
    print("\n".join(failures) if failures else f"all {len(found)} URLs answer")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
