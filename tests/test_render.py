"""``python -m decision_guide render OUT_DIR``: the knowledge base's pages and files in a folder, from
which MkDocs builds the same site with no knowledge-base hook (issue 19)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import KNOWLEDGE_BASE, ROOT, Site, build, make_project
from decision_guide.cli import main
from decision_guide.registry import EXPORT_PATH, SCHEMA_PATH
from decision_guide.site import MARKER

HOOK_LINE = "  - hooks/knowledge_base.py\n"


def render(out_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The render command, run as a user runs it, from the project's root."""
    command = [sys.executable, "-m", "decision_guide", "render", str(out_dir), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def main_content(path: Path) -> str:
    """A page's main content (Material's ``article``), parsed and printed again, without its edit
    link: built without the hook, a generated page's "Edit this page" points at ``docs/<page>.md``
    instead of the YAML (README, "Building without the hooks")."""
    article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article.md-content__inner")
    assert article is not None, path
    for link in article.select("a[rel=edit]"):
        link.decompose()
    return article.decode()


def search_entries(site: Site) -> list[dict]:
    """The search index's entries, in one order (a hook's generated files come after the docs
    folder's own, so MkDocs indexes them in another order)."""
    return sorted(site.search_index["docs"], key=lambda doc: json.dumps(doc, sort_keys=True))


def test_the_site_built_from_the_rendered_folder_without_the_hook_is_the_hook_s_site(served_site, tmp_path):
    url, hooked = served_site
    out = tmp_path / "rendered"
    result = render(out)
    assert result.returncode == 0, result.stderr
    project = make_project(tmp_path / "project", KNOWLEDGE_BASE.read_text(encoding="utf-8"))
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert HOOK_LINE in config
    (project / "mkdocs.yml").write_text(config.replace(HOOK_LINE, ""), encoding="utf-8")
    shutil.copytree(out, project / "docs", dirs_exist_ok=True)
    result = build(project, tmp_path / "site", site_url=url + "/")
    assert result.returncode == 0, result.stderr
    plain = Site(tmp_path / "site")

    def files(site: Site) -> set[str]:
        return {path.relative_to(site.root).as_posix() for path in site.root.rglob("*") if path.is_file()}

    assert files(plain) == files(hooked)
    pages = [path.relative_to(hooked.root) for path in hooked.html_files()]
    assert len(pages) > 30
    differ = [str(page) for page in pages if main_content(hooked.root / page) != main_content(plain.root / page)]
    assert differ == []
    assert search_entries(plain) == search_entries(hooked)
    for path in (SCHEMA_PATH, EXPORT_PATH):
        assert (plain.root / path).read_bytes() == (hooked.root / path).read_bytes(), path
    # The home page's blocks, filled by render instead of the hook.
    home = plain.page("")
    assert home.select_one("#at-a-glance") is not None and home.select_one(".admonition.tip") is not None


def test_render_replaces_its_own_folder_and_refuses_any_other(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "rendered"
    assert main(["render", str(out)]) == 0
    assert (out / MARKER).exists() and (out / "faq.md").exists() and (out / "index.md").exists()
    (out / "comparison" / "removed-row.md").write_text("stale", encoding="utf-8")
    assert main(["render", str(out)]) == 0
    assert not (out / "comparison" / "removed-row.md").exists()  # a new render leaves nothing stale
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.md").write_text("keep me", encoding="utf-8")
    capsys.readouterr()
    assert main(["render", str(mine)]) == 2
    assert "was not written by `render`" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.md"]


def test_render_reports_problems_and_keeps_the_last_rendered_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "rendered"
    assert main(["render", str(out)]) == 0
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    broken = tmp_path / "broken.yaml"
    broken.write_text(KNOWLEDGE_BASE.read_text(encoding="utf-8").replace("kind: article", "kind: blog", 1))
    capsys.readouterr()
    assert main(["render", str(out), "--knowledge-base", str(broken)]) == 1
    printed = capsys.readouterr()
    assert f"{broken}:" in printed.out and "`blog` is not allowed" in printed.out
    assert "Traceback" not in printed.out + printed.err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before


def test_render_refuses_an_unknown_block(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n<!-- guide:no-such-block -->\n", encoding="utf-8")
    assert main(["render", str(tmp_path / "rendered"), "--docs", str(docs)]) == 1
    assert "unknown block <!-- guide:no-such-block -->" in capsys.readouterr().err
    assert not (tmp_path / "rendered").exists()
