"""Paraphrase, never copy (issue 17): no run of eight words shared with the source articles, in
the knowledge base or in what the build makes of it. The search index matters most: Material
joins a table's cells and a list's items into one text, so two paraphrased cells side by side can
rebuild an article's sentence (at 5cd012d the decision table did, across two rows). The articles'
words are not kept here, only fingerprints of their runs (tests/article_shingles.py)."""

from __future__ import annotations

import yaml

from article_shingles import RUN, load, shared_runs
from conftest import KNOWLEDGE_BASE, Site
from knowledge_bases import old_text


def titles(real_kb) -> list[str]:
    """The articles' titles, which a citation may quote whole."""
    return [str(s.title) for s in real_kb.sources if s.kind == "article"]


def test_the_fingerprints_find_the_copied_run_of_the_old_decision_table():
    """Two cells of 5cd012d's decision table (a reason, then the next row's need), joined as the
    search index joined them, rebuild a run of nine of an article's words; either cell alone does not."""
    rows = yaml.safe_load(old_text())["decision_table"]
    reason, need = rows[4]["reason"], rows[5]["need"]
    assert shared_runs(reason, load()) == [] and shared_runs(need, load()) == []
    found = shared_runs(f"{reason} {need}", load())
    assert len(found) == 1 and len(found[0].split()) == RUN + 1, found


def test_the_knowledge_base_shares_no_run_with_the_articles(real_kb):
    assert shared_runs(KNOWLEDGE_BASE.read_text(encoding="utf-8"), load(), titles(real_kb)) == []


def test_the_search_index_joins_no_cells_into_a_copied_run(real_site: Site, real_kb):
    known, quoted = load(), titles(real_kb)
    copied = {}
    for doc in real_site.search_index["docs"]:
        found = shared_runs(f"{doc['title']} {doc['text']}", known, quoted)
        if found:
            copied[doc["location"]] = found
    assert not copied, copied
    assert len(real_site.search_index["docs"]) > 100  # the whole index was read
