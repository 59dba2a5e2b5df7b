"""The linters are clean: ruff (lint and format) and mypy over the project's Python, and
`node --check` over the guide's JavaScript. The same tools run in pre-commit."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent

# The Python that ruff and mypy check (mypy strictly for src/, as pyproject.toml says).
LINT_PATHS = ["src", "hooks", "tests", "benchmarks", "scripts/check_source_urls.py"]
JAVASCRIPT = sorted((ROOT / "docs" / "javascripts").glob("*.js"))


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    result = run(str(BIN / "ruff"), "check", "--no-cache", *LINT_PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_changes_nothing():
    result = run(str(BIN / "ruff"), "format", "--check", "--no-cache", *LINT_PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    # Imported modules outside LINT_PATHS are read for their types, not reported on.
    result = run(str(BIN / "mypy"), "--follow-imports=silent", "--no-incremental", *LINT_PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_javascript_parses():
    if not shutil.which("node"):
        pytest.skip("node is missing")
    assert JAVASCRIPT, "docs/javascripts/*.js"
    for path in JAVASCRIPT:
        result = run("node", "--check", str(path))
        assert result.returncode == 0, result.stderr


def test_every_lint_path_exists():
    missing = [path for path in LINT_PATHS if not (ROOT / path).exists()]
    assert missing == []
