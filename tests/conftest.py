"""Shared fixtures: the project root, site builds in temporary folders, parsed pages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_BASE = ROOT / "content" / "comparisons.yaml"


def build(project: Path, dest: Path, site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` for ``project`` into ``dest``, as a user would."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(dest)],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )


def make_project(folder: Path, knowledge_base: str) -> Path:
    """A copy of the site's sources in ``folder`` with ``knowledge_base`` as its YAML."""
    for name in ("docs", "hooks", "overrides", "schema"):
        shutil.copytree(ROOT / name, folder / name)
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, folder / name)
    (folder / "src").symlink_to(ROOT / "src")
    (folder / "content").mkdir()
    (folder / "content" / "comparisons.yaml").write_text(knowledge_base, encoding="utf-8")
    return folder


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
