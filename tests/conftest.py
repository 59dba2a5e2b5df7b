"""Shared fixtures: the project root, site builds in temporary folders, parsed pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from projects import KNOWLEDGE_BASE, ROOT, build, make_project  # noqa: F401 - re-exported for the tests


class Site:
    """A built site: pages parsed with BeautifulSoup, and the search index."""

    def __init__(self, root: Path):
        self.root = root
        self.search_index = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))

    def page(self, name: str) -> BeautifulSoup:
        path = self.root / (f"{name}/index.html" if name else "index.html")
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    dest = tmp_path_factory.mktemp("site")
    result = build(ROOT, dest)
    assert result.returncode == 0, result.stderr
    return Site(dest)


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory):
    """The real site built for, and served gzip-compressed from, http://127.0.0.1:PORT/."""
    from serving import serve

    dest = tmp_path_factory.mktemp("served")
    with serve(dest) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        result = build(ROOT, dest, site_url=url + "/")
        assert result.returncode == 0, result.stderr
        yield url, Site(dest)


@pytest.fixture(scope="session")
def real_kb():
    from decision_guide import load_knowledge_base

    return load_knowledge_base(KNOWLEDGE_BASE)
