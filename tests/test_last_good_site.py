"""The last good site survives a failed build: under ``mkdocs serve --strict`` a rebuild that fails
keeps the last good site served (no hang), and a failed ``mkdocs build`` (or ``scripts/site
build``) leaves the previous output byte-identical."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from projects import KNOWLEDGE_BASE, ROOT, build, make_project
from serving import dev_server, fetch, wait_for
from synthetic import dump, synthetic_knowledge_base

pytestmark = pytest.mark.slow

MISSING_PAGE_LINK = "\n\nSee [the missing page](missing-page.md).\n"


def tree_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative path."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def synthetic_text() -> str:
    """A small valid knowledge base (fast to build)."""
    data = synthetic_knowledge_base()
    for dimension in data["dimensions"]:
        for claim in dimension.get("claims", []):
            claim.setdefault("status", "opinion")
    return dump(data)


# ---- (a) mkdocs serve: a rebuild that fails keeps the last good site ---------------------------


@contextlib.contextmanager
def mkdocs_serve(tmp_path: Path) -> Iterator[tuple[Path, str, Path, Path]]:
    """``mkdocs serve --strict`` of a copy of the real site: ``(project, url, log, temp dir)``,
    with a temporary folder of its own; stopped with Ctrl+C and waited for (``dev_server``)."""
    project = make_project(tmp_path / "project", KNOWLEDGE_BASE.read_text(encoding="utf-8"))
    temp = tmp_path / "temp"
    temp.mkdir()
    log_path = tmp_path / "serve.log"
    with dev_server(project, log_path, "mkdocs", "--strict", env={"TMPDIR": str(temp)}) as url:
        assert wait_for(lambda: "This guide helps a developer" in fetch(f"{url}/")), log_path.read_text()
        yield project, url, log_path, temp


def page_content(html: str) -> str:
    """A served page without the live-reload script mkdocs serve injects (it holds a timestamp)."""
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        if "livereload" in script.get_text():
            script.decompose()
    return str(soup)


def break_strict_build(project: Path, log_path: Path) -> None:
    """Edit docs/index.md so that ``check`` passes but the strict build fails (a link to a missing
    page); wait until the server reports the failed rebuild."""
    index = project / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + MISSING_PAGE_LINK, encoding="utf-8")
    check = subprocess.run(
        [sys.executable, "-m", "decision_guide", "check", "content/comparisons.yaml"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr  # the edit passes the check ...
    assert wait_for(lambda: "The rebuild failed" in log_path.read_text(encoding="utf-8")), log_path.read_text()
    assert "missing-page.md" in log_path.read_text(encoding="utf-8")  # ... not the build, which says why


def test_serve_answers_at_once_after_a_failed_rebuild_and_serves_a_later_good_edit(tmp_path):
    with mkdocs_serve(tmp_path) as (project, url, log_path, _):
        original = (project / "docs" / "index.md").read_text(encoding="utf-8")
        break_strict_build(project, log_path)
        for page in ("", "faq/", "comparison/", "decide/", "no-such-page/"):
            started = time.monotonic()
            try:
                html = fetch(f"{url}/{page}", timeout=5)  # answered, not held until the file is fixed
            except urllib.error.HTTPError as error:
                assert error.code == 404 and page == "no-such-page/"
                continue
            assert time.monotonic() - started < 5
            assert "</html>" in html
        assert "Traceback" not in log_path.read_text(encoding="utf-8")
        (project / "docs" / "index.md").write_text(
            original.replace("This guide helps a developer", "This guide helps every developer", 1), encoding="utf-8"
        )
        assert wait_for(lambda: "This guide helps every developer" in fetch(f"{url}/")), log_path.read_text()


def test_serve_keeps_serving_the_last_good_content_after_a_strict_failure(tmp_path):
    with mkdocs_serve(tmp_path) as (project, url, log_path, _):
        good = {page: page_content(fetch(f"{url}/{page}")) for page in ("", "faq/")}
        break_strict_build(project, log_path)
        assert "the missing page" not in fetch(f"{url}/")
        assert {page: page_content(fetch(f"{url}/{page}")) for page in good} == good


def test_serve_cleans_up_after_a_failed_rebuild(tmp_path):
    """After Ctrl+C, neither MkDocs' build folder nor the hook's copy of the last good site is left."""
    with mkdocs_serve(tmp_path) as (project, _, log_path, temp):
        index = project / "docs" / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + MISSING_PAGE_LINK, encoding="utf-8")
        assert wait_for(lambda: "The rebuild failed" in log_path.read_text(encoding="utf-8")), log_path.read_text()
        assert [p.name for p in temp.iterdir() if p.name.startswith("last-good-site-")], "no copy of the last good site"
    left = [p.name for p in temp.iterdir() if p.name.startswith(("mkdocs_", "last-good-site-"))]
    assert left == [], "mkdocs serve left folders behind"  # (the package's Jinja bytecode cache may stay)


# ---- (b) mkdocs build into a folder that holds a previous good build --------------------------


@pytest.fixture(scope="module")
def good_build(tmp_path_factory) -> tuple[Path, Path]:
    """A project of the synthetic knowledge base and a good strict build of it: ``(project, site)``."""
    root = tmp_path_factory.mktemp("last-good")
    project = make_project(root / "project", synthetic_text())
    site = root / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return project, site


def _unknown_citation(project: Path) -> str:
    path = project / "content" / "comparisons.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- article-a\n", "- nonexistent-article\n", 1))
    return "unknown source `nonexistent-article`"


def _yaml_syntax_error(project: Path) -> str:
    path = project / "content" / "comparisons.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("version: 1\n", "version: [1\n", 1))
    return "YAML syntax error"


def _alias(project: Path) -> str:
    path = project / "content" / "comparisons.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "extra: &a [1, *a]\n")
    return "not allowed"


def _unknown_block(project: Path) -> str:
    path = project / "docs" / "index.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n<!-- guide:no-such-block -->\n")
    return "no-such-block"


BREAKAGES = {
    "unknown citation": _unknown_citation,
    "YAML syntax error": _yaml_syntax_error,
    "recursive alias": _alias,
    "unknown block in a page": _unknown_block,
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_a_failed_build_leaves_the_previous_output_byte_identical(good_build, breakage, tmp_path):
    source, good_site = good_build
    project = tmp_path / "project"
    shutil.copytree(source, project, symlinks=True)
    site = tmp_path / "site"
    shutil.copytree(good_site, site)
    before = tree_hashes(site)
    assert "index.html" in before and "search/search_index.json" in before
    message = BREAKAGES[breakage](project)
    result = build(project, site)  # mkdocs build --strict -d SITE
    assert result.returncode != 0
    assert message in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "Cleaning site directory" not in result.stderr  # the problem stopped it first
    assert tree_hashes(site) == before


# ---- (c) scripts/site build: build aside, swap in only on success -----------------------------

GUARDED_PYTHON = """#!/bin/sh
# The test's copy must never install anything: refuse pip, ensurepip and venv.
for arg in "$@"; do
  case "$arg" in pip|ensurepip|venv) echo "test project: refusing to install ($*)" >&2; exit 97 ;; esac
done
exec {python} "$@"
"""


def site_script_project(folder: Path) -> Path:
    """A project copy that can run ``scripts/site build``: scripts, lock files and a stand-in
    ``.venv`` whose python is the test's (guarded so it can install nothing) and whose install
    stamp is current, so ``scripts/install`` has nothing to do."""
    project = make_project(folder, synthetic_text())
    for name in ("scripts", "requirements"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    bin_dir = project / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text(GUARDED_PYTHON.format(python=sys.executable), encoding="utf-8")
    mkdocs = bin_dir / "mkdocs"
    mkdocs.write_text(f'#!/bin/sh\nexec {sys.executable} -m mkdocs "$@"\n', encoding="utf-8")
    for path in (python, mkdocs):
        path.chmod(0o755)
    digest = hashlib.sha256(
        (project / "requirements" / "site.txt").read_bytes() + (project / "pyproject.toml").read_bytes()
    ).hexdigest()
    (project / ".venv" / ".installed").write_text(f"site {digest}\n", encoding="utf-8")
    return project


def site_build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``scripts/site build --site-dir SITE`` in ``project``."""
    return subprocess.run(
        [str(project / "scripts" / "site"), "build", "--site-dir", str(site)],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_scripts_site_build_keeps_the_previous_site_when_the_build_fails(tmp_path):
    if not (ROOT / "scripts" / "site").exists():
        pytest.skip("no scripts/site")
    project = site_script_project(tmp_path / "project")
    site = tmp_path / "site"
    result = site_build(project, site)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "refusing to install" not in result.stderr
    before = tree_hashes(site)
    assert "index.html" in before
    index = project / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + MISSING_PAGE_LINK, encoding="utf-8")
    result = site_build(project, site)
    assert result.returncode != 0
    assert "missing-page.md" in result.stderr, result.stderr[-3000:]
    assert tree_hashes(site) == before
