"""ProperDocs 1.6.7, the continuation of MkDocs 1.6, builds the same site from the same sources:
strictly, with the same pages, the same HTML once the generator's name is set aside, and the same
search index. MkDocs stays the default; README.md says how to switch."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, Site, build

pytestmark = pytest.mark.slow

# Where the two builds may differ: the generator's name and version in each page's <meta>.
GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


@pytest.fixture(scope="module")
def properdocs_site(served_site: tuple[str, Site], tmp_path_factory: pytest.TempPathFactory) -> Site:
    pytest.importorskip("properdocs", reason="ProperDocs is in the test lock: run scripts/test")
    url, _ = served_site
    dest = tmp_path_factory.mktemp("properdocs")
    result = build(ROOT, dest, site_url=url + "/", tool="properdocs")
    assert result.returncode == 0, result.stderr
    return Site(dest)


def files(site: Site) -> set[str]:
    return {p.relative_to(site.root).as_posix() for p in site.root.rglob("*") if p.is_file()}


def test_properdocs_builds_the_same_files(properdocs_site: Site, real_site: Site):
    assert files(properdocs_site) == files(real_site)


def test_properdocs_builds_the_same_pages(properdocs_site: Site, real_site: Site):
    different = []
    for path in real_site.html_files():
        relative = path.relative_to(real_site.root)
        ours = GENERATOR.sub("", path.read_text(encoding="utf-8"))
        theirs = GENERATOR.sub("", (properdocs_site.root / relative).read_text(encoding="utf-8"))
        if ours != theirs:
            different.append(relative.as_posix())
    assert different == []
    generator = GENERATOR.search((properdocs_site.root / "index.html").read_text(encoding="utf-8"))
    assert generator and "ProperDocs 1.6.7" in generator.group()


def test_properdocs_builds_the_same_search_index(properdocs_site: Site, real_site: Site):
    assert properdocs_site.search_index["docs"] == real_site.search_index["docs"]
    assert json.dumps(properdocs_site.search_index, sort_keys=True) == json.dumps(
        real_site.search_index, sort_keys=True
    )
