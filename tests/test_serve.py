"""`mkdocs serve` while a contributor edits the YAML: a good edit is rebuilt and served, a broken
one prints the problem and the last good build stays up."""

from __future__ import annotations

import pytest

from conftest import KNOWLEDGE_BASE, make_project
from serving import dev_server, fetch, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path):
    project = make_project(tmp_path / "project", KNOWLEDGE_BASE.read_text(encoding="utf-8"))
    # MkDocs builds into a mkdocs_* folder of the temporary directory: give it one of its own, to see
    # that it cleans up.
    temp = tmp_path / "temp"
    temp.mkdir()
    with dev_server(project, tmp_path / "serve.log", env={"TMPDIR": str(temp)}) as url:
        assert wait_for(lambda: "Is Flask easier than Django?" in fetch(f"{url}/faq/")), "server did not start"
        assert [p.name for p in temp.iterdir() if p.name.startswith("mkdocs_")], "mkdocs serve builds elsewhere"
        yield project, url, tmp_path / "serve.log"
    assert [p.name for p in temp.iterdir() if p.name.startswith("mkdocs_")] == [], "mkdocs serve left its build folder"


def test_serve_rebuilds_on_yaml_change_and_keeps_the_last_good_build(server):
    project, url, log = server
    yaml_file = project / "content" / "comparisons.yaml"
    original = yaml_file.read_text(encoding="utf-8")

    yaml_file.write_text(
        original.replace("cite: [nilo-2026, wf-series, agency-blog, innostax]", "cite: [nilo-2062]", 1)
    )
    assert wait_for(lambda: "unknown source `nilo-2062`" in log.read_text(encoding="utf-8"))
    assert "Is Flask easier than Django?" in fetch(f"{url}/faq/")  # the last good build is still served
    assert "Traceback" not in log.read_text(encoding="utf-8")

    yaml_file.write_text(
        original.replace("question: Is Flask easier than Django?", "question: Is Flask simpler than Django?")
    )
    assert wait_for(lambda: "Is Flask simpler than Django?" in fetch(f"{url}/faq/"))
