"""Broken internal links and anchors stop the build: `mkdocs build --strict` with mkdocs.yml's
`validation.links` warns on both, and strict turns the warnings into a failure. So the suite needs
no link checker of its own for internal links; the weekly workflow checks the sources' URLs."""

from __future__ import annotations

import pytest

from conftest import KNOWLEDGE_BASE, build, make_project

pytestmark = pytest.mark.slow


def test_a_broken_link_or_anchor_fails_the_strict_build(tmp_path):
    project = make_project(tmp_path / "project", KNOWLEDGE_BASE.read_text(encoding="utf-8"))
    home = project / "docs" / "index.md"
    home.write_text(
        home.read_text(encoding="utf-8")
        + "\n[a missing page](no-such-page.md) and [a missing anchor](comparison.md#no-such-anchor)\n",
        encoding="utf-8",
    )
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "no-such-page.md" in result.stderr and "not found" in result.stderr
    assert "#no-such-anchor" in result.stderr and "does not contain an anchor" in result.stderr
