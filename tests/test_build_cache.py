"""The build cache: a second build with nothing changed reuses the rendered knowledge base without
loading the validator; changing any input (the YAML, the package's code or templates, a setting,
the date, a library version) gives a new key, so the cache is never stale."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest

from conftest import build, make_project
from decision_guide import build_cache
from synthetic import dump, synthetic_knowledge_base

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    copy = tmp_path / "package"
    shutil.copytree(build_cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build_cache, "PACKAGE", copy)
    return copy


def test_every_input_changes_the_key(tmp_path, package_copy, monkeypatch):
    yaml_file = tmp_path / "comparisons.yaml"
    yaml_file.write_text("version: 1\n", encoding="utf-8")
    base = build_cache.cache_key(yaml_file, {"repository": "https://github.com/a/b"}, TODAY)
    assert base == build_cache.cache_key(yaml_file, {"repository": "https://github.com/a/b"}, TODAY)
    keys = {base}

    yaml_file.write_text("version: 2\n", encoding="utf-8")
    keys.add(build_cache.cache_key(yaml_file, {"repository": "https://github.com/a/b"}, TODAY))
    keys.add(build_cache.cache_key(yaml_file, {"repository": "https://github.com/a/c"}, TODAY))
    keys.add(build_cache.cache_key(yaml_file, {"repository": "https://github.com/a/c"}, TODAY + dt.timedelta(1)))
    template = package_copy / "templates" / "faq.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    keys.add(build_cache.cache_key(yaml_file, {"repository": "https://github.com/a/c"}, TODAY + dt.timedelta(1)))
    (package_copy / "markup.py").write_text("# changed\n", encoding="utf-8")
    keys.add(build_cache.cache_key(yaml_file, {"repository": "https://github.com/a/c"}, TODAY + dt.timedelta(1)))
    monkeypatch.setattr(build_cache, "_versions", lambda: ["nh3==9.9.9"])
    keys.add(build_cache.cache_key(yaml_file, {"repository": "https://github.com/a/c"}, TODAY + dt.timedelta(1)))
    assert len(keys) == 7


def test_a_damaged_or_foreign_entry_is_a_miss(tmp_path):
    build_cache.store(tmp_path, "a" * 64, {"pages": {}})
    assert build_cache.load(tmp_path, "a" * 64) == {"pages": {}, "key": "a" * 64}
    (tmp_path / f"{'b' * 64}.json").write_text("{not json", encoding="utf-8")
    assert build_cache.load(tmp_path, "b" * 64) is None
    (tmp_path / f"{'c' * 64}.json").write_text('{"key": "other"}', encoding="utf-8")
    assert build_cache.load(tmp_path, "c" * 64) is None


BUILD_AND_REPORT = """
import logging, sys
logging.basicConfig(level=logging.INFO)
from mkdocs.commands.build import build
from mkdocs.config import load_config
build(load_config("mkdocs.yml", site_dir=sys.argv[1], strict=True))
print("pydantic loaded:", "pydantic" in sys.modules)
"""


def test_a_second_build_reuses_the_output_and_an_edit_rebuilds(tmp_path):
    project = make_project(tmp_path / "project", dump(synthetic_knowledge_base()))

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", BUILD_AND_REPORT, str(tmp_path / "site")],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )

    first = run()
    assert first.returncode == 0, first.stderr
    assert "knowledge base:" in first.stderr and "pydantic loaded: True" in first.stdout
    second = run()
    assert "knowledge base (cached):" in second.stderr and "pydantic loaded: False" in second.stdout
    yaml_file = project / "content" / "comparisons.yaml"
    yaml_file.write_text(
        yaml_file.read_text(encoding="utf-8").replace("question: zebracorn FAQ 0?", "question: zebracorn FAQ zero?"),
        encoding="utf-8",
    )
    third = run()
    assert "knowledge base:" in third.stderr and "pydantic loaded: True" in third.stdout
    assert "zebracorn FAQ zero?" in (tmp_path / "site" / "faq" / "index.html").read_text(encoding="utf-8")
    # A broken edit is still refused: the cache never stands in for the check.
    yaml_file.write_text(
        yaml_file.read_text(encoding="utf-8").replace("kind: article", "kind: blog", 1), encoding="utf-8"
    )
    result = build(project, tmp_path / "site-2")
    assert result.returncode != 0 and "`blog` is not allowed" in result.stderr
