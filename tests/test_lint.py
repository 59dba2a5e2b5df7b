"""The linters are clean: ruff (lint and format) and mypy over the project's Python, and
`node --check` over the guide's JavaScript. The same tools run in pre-commit."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent

# The Python that ruff and mypy check (mypy strictly for src/, as pyproject.toml says).
LINT_PATHS = ["src", "hooks", "tests", "benchmarks", "scripts/check_source_urls.py", "scripts/typed_fields.py"]
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


def test_mypy_checks_every_field_of_the_schema():
    # A field typed through an alias that mypy reads as Any (as `_typed(...)` once returned) is a
    # field whose misuse strict mypy cannot see.
    result = run(sys.executable, "scripts/typed_fields.py", "--list")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_declares_for_mypy_every_name_it_imports_on_first_use():
    # decision_guide/__init__.py imports its names on first use (__getattr__), and again under
    # TYPE_CHECKING so that mypy sees their types: the two lists must name the same things.
    tree = ast.parse((ROOT / "src" / "decision_guide" / "__init__.py").read_text(encoding="utf-8"))
    guarded = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    declared = {
        (alias.name, node.module) for node in guarded.body if isinstance(node, ast.ImportFrom) for alias in node.names
    }
    exports = next(
        node for node in tree.body if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "_EXPORTS"
    )
    assert declared == {(name, module) for name, module in ast.literal_eval(exports.value).items()}
