"""Copies of the site's sources and builds of them, for tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_BASE = ROOT / "content" / "comparisons.yaml"


def build(
    project: Path, dest: Path, site_url: str | None = None, tool: str = "mkdocs"
) -> subprocess.CompletedProcess[str]:
    """Run ``TOOL build --strict`` for ``project`` into ``dest``, as a user would (``tool``:
    ``mkdocs``, or ``properdocs``, its continuation)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", tool, "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(dest)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
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
