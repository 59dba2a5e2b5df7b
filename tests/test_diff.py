"""The semantic diff (``python -m decision_guide diff``): pairs of synthetic knowledge bases, one
per kind of change a reader would see, compared and printed as Markdown; the Markdown parsed as
GitHub would (markdown-it with tables), so escaping is judged on what a reviewer sees; the
command on real git commits; and bounded work on the largest files the limits allow."""

from __future__ import annotations

import copy
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from pydantic import Field

from decision_guide.diff import LIMIT, Changes, compare
from decision_guide.diff.markdown import Side, render
from decision_guide.diff.tree import outcome
from decision_guide.fieldtypes import Id, PlainLine
from decision_guide.loader import validate
from decision_guide.schema import Entry, KnowledgeBase, Question, Recommendation
from decision_guide.yaml_source import load_yaml
from projects import ROOT
from synthetic import dump, set_verdict, synthetic_knowledge_base

Data = dict[str, Any]
#: Between the answers of a tree path.
SEP = "\u203a"


def base() -> Data:
    return synthetic_knowledge_base()


def kb_of(data: Data) -> KnowledgeBase:
    parsed, source_map = load_yaml(dump(data), "kb.yaml")
    return validate(parsed, source_map)


def diff(before: Data, after: Data) -> tuple[Changes, str]:
    """The changes from ``before`` to ``after``, and the report as Markdown."""
    changes = compare(kb_of(before), kb_of(after))
    return changes, render(Side("main", "abc1234"), Side("working tree"), changes, LIMIT)


def html(markdown: str) -> BeautifulSoup:
    """The report as GitHub would show it (CommonMark with GFM tables and strikethrough)."""
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return BeautifulSoup(parser.render(markdown), "html.parser")


def table(markdown: str, heading: str) -> list[list[str]]:
    """The rows of the table under ``heading``, as cell texts."""
    soup = html(markdown)
    found = soup.find(lambda tag: tag.name == "h3" and tag.get_text() == heading)
    assert found is not None, markdown
    rows = found.find_next("table").find("tbody").find_all("tr")  # type: ignore[union-attr]
    return [[cell.get_text() for cell in row.find_all("td")] for row in rows]


def items(markdown: str, section: str) -> list[str]:
    """The list items under the ``####`` heading of an entries section."""
    soup = html(markdown)
    found = soup.find(lambda tag: tag.name == "h4" and tag.get_text() == section)
    assert found is not None, markdown
    return [li.get_text() for li in found.find_next("ul").find_all("li")]  # type: ignore[union-attr]


def dimension(data: Data, id_: str) -> Data:
    return next(d for d in data["dimensions"] if d["id"] == id_)


def node(data: Data, id_: str) -> Data:
    return next(n for n in data["decision_tree"]["nodes"] if n["id"] == id_)


def with_verdict(leans: str, row: str = "dim-2") -> Data:
    return set_verdict(base(), row, leans)


# ---- Nothing, and each kind of change ---------------------------------------------------------


def test_no_change_says_so() -> None:
    changes, markdown = diff(base(), base())
    assert changes.empty
    assert "No change a reader would see." in markdown
    assert "###" not in markdown


def test_a_verdict_that_flips_is_listed_with_its_row_and_both_readings() -> None:
    changes, markdown = diff(with_verdict("fw0"), with_verdict("fw1"))
    assert table(markdown, "Verdicts changed") == [
        ["Dimension 2 zebracorn", "comparison/", "Framework 0 zebracorn", "Framework 1 zebracorn"]
    ]
    # The verdict is not listed twice; the needs that list the row follow it to a new outcome.
    assert {change.entry.section for change in changes.entries} == {"needs"}


def test_a_verdict_given_to_a_row_and_a_depends_condition_read_as_words() -> None:
    after = base()
    set_verdict(after, "dim-3", "depends", condition="fw0 for big *apps*")
    _, markdown = diff(base(), after)
    assert table(markdown, "Verdicts changed") == [
        ["Dimension 3 zebracorn", "comparison/", "No verdict", "Depends: fw0 for big *apps*"]
    ]


def test_a_recommendation_that_changes_changes_the_outcome_of_its_paths() -> None:
    after = base()
    node(after, "rec-5")["recommend"] = ["fw0"]  # rec-3 and rec-4 are the outcomes the decision aids name
    changes, markdown = diff(base(), after)
    assert changes.outcomes_total == 1
    assert table(markdown, "Decision-tree outcomes changed") == [
        [
            f"zebracorn answer 2 {SEP} zebracorn answer 5",
            "zebracorn outcome 5 (Framework 1 zebracorn)",
            "zebracorn outcome 5 (Framework 0 zebracorn)",
        ]
    ]


def test_an_answer_redirected_to_a_question_removes_one_path_and_adds_its_new_ones() -> None:
    after = base()
    node(after, "q-1")["answers"][0]["next"] = "q-2"  # answer 3 now asks q-2
    node(after, "q-2")["answers"].append({"label": "zebracorn answer 7", "next": "rec-3"})
    changes, markdown = diff(base(), after)
    rows = table(markdown, "Decision-tree outcomes changed")
    assert rows == [
        [f"zebracorn answer 1 {SEP} zebracorn answer 3", "zebracorn outcome 3 (Framework 1 zebracorn)", "—"],
        [
            f"zebracorn answer 1 {SEP} zebracorn answer 3 {SEP} zebracorn answer 5",
            "—",
            "zebracorn outcome 5 (Framework 1 zebracorn)",
        ],
        [
            f"zebracorn answer 1 {SEP} zebracorn answer 3 {SEP} zebracorn answer 6",
            "—",
            "zebracorn outcome 6 (Framework 0 zebracorn)",
        ],
        [
            f"zebracorn answer 1 {SEP} zebracorn answer 3 {SEP} zebracorn answer 7",
            "—",
            "zebracorn outcome 3 (Framework 1 zebracorn)",
        ],
        [f"zebracorn answer 2 {SEP} zebracorn answer 7", "—", "zebracorn outcome 3 (Framework 1 zebracorn)"],
    ]
    assert changes.outcomes_total == 5
    assert items(markdown, "decision_tree.nodes") == [
        "changed decision_tree.nodes[q-1]: zebracorn tree question 1? — answers[zebracorn answer 3].next: rec-3 → q-2",
        "changed decision_tree.nodes[q-2]: zebracorn tree question 2? — answers[zebracorn answer 7] added",
    ]


def all_paths(kb: KnowledgeBase) -> dict[tuple[str, ...], str]:
    """Every root-to-leaf path of the tree and its outcome, by brute force."""
    nodes: dict[str, Question | Recommendation] = {str(n.id): n for n in kb.decision_tree.nodes}
    names = {str(s.id): str(s.name) for s in kb.subjects}
    out: dict[tuple[str, ...], str] = {}
    stack: list[tuple[str, tuple[str, ...]]] = [(kb.decision_tree.start, ())]
    while stack:
        node_id, path = stack.pop()
        current = nodes[node_id]
        if isinstance(current, Recommendation):
            out[path] = outcome(current, names)
        else:
            assert isinstance(current, Question)
            stack += [(a.next, (*path, str(a.label))) for a in current.answers]
    return out


def test_the_changed_paths_are_exactly_those_a_brute_force_walk_finds() -> None:
    def insert_question(data: Data) -> None:
        question = copy.deepcopy(node(data, "q-2"))
        question.update(
            id="q-9", answers=[{"label": "deeper a", "next": "rec-4"}, {"label": "deeper b", "next": "rec-5"}]
        )
        data["decision_tree"]["nodes"].insert(3, question)
        node(data, "q-1")["answers"][1]["next"] = "q-9"

    def swap(data: Data) -> None:
        answers = node(data, "q-1")["answers"]
        answers[0]["next"], answers[1]["next"] = answers[1]["next"], answers[0]["next"]

    edits: dict[str, Callable[[Data], object]] = {
        "extra answer": lambda d: node(d, "q-2")["answers"].append({"label": "zebracorn answer 8", "next": "rec-3"}),
        "relabel": lambda d: node(d, "q-0")["answers"][0].update(label="zebracorn renamed"),
        "insert question": insert_question,
        "swap": swap,
        "recommend": lambda d: node(d, "rec-6").update(recommend=["fw1"]),
    }
    for names in [*((name,) for name in edits), *combinations(edits, 2)]:
        after = base()
        for name in names:
            edits[name](after)
        before_kb, after_kb = kb_of(base()), kb_of(after)
        old, new = all_paths(before_kb), all_paths(after_kb)
        expected = {p for p in {**old, **new} if old.get(p) != new.get(p)}
        changes = compare(before_kb, after_kb, limit=100)
        assert {o.answers for o in changes.outcomes} == expected, names
        assert changes.outcomes_total == len(expected), names
        for o in changes.outcomes:
            assert (o.before, o.after) == (old.get(o.answers), new.get(o.answers)), (names, o)


def chain(questions: int, last: str) -> Data:
    """A tree of ``questions`` questions in a row, both answers of each leading to the next, so
    2**questions paths lead to the recommendation (recommending ``last``)."""
    data = base()
    nodes: list[Data] = [
        {
            "kind": "question",
            "id": f"q-{i}",
            "text": f"Question {i}?",
            "answers": [{"label": "yes", "next": f"q-{i + 1}"}, {"label": "no", "next": f"q-{i + 1}"}],
        }
        for i in range(questions)
    ]
    nodes[-1]["answers"] = [{"label": "yes", "next": "rec"}, {"label": "no", "next": "rec"}]
    reasons = [{"text": "because", "cite": ["docs"]}]
    # Both frameworks, the other one second, so the decision aids keep agreeing with the tree.
    recommend = [last, "fw1" if last == "fw0" else "fw0"]
    nodes.append({"kind": "recommendation", "id": "rec", "title": "End", "recommend": recommend, "reasons": reasons})
    data["decision_tree"] = {"start": "q-0", "nodes": nodes}
    for item in [*data["decision_table"], *(i for g in data["guidance"].values() for i in g["choose_when"])]:
        item["outcome"] = "rec"
    return data


def test_a_tree_with_a_trillion_paths_is_compared_at_once_and_listed_to_the_limit() -> None:
    start = time.process_time()
    changes, markdown = diff(chain(40, "fw0"), chain(40, "fw1"))
    assert time.process_time() - start < 30  # a hang guard: the work is linear in the nodes
    assert changes.outcomes_total == 2**40
    assert len(changes.outcomes) == LIMIT
    assert f"…and {2**40 - LIMIT} more." in markdown


# ---- Entries: claims, FAQs, conflicts, sources, releases, and sections the schema gains -------


def test_claims_added_removed_and_restatused() -> None:
    after = base()
    dim = dimension(after, "dim-1")
    dim["claims"][0]["status"] = "opinion"
    dim["claims"].append({**copy.deepcopy(dim["claims"][0]), "id": "claim-new", "text": "zebracorn new claim"})
    dimension(after, "dim-2")["claims"] = []
    _, markdown = diff(base(), after)
    assert items(markdown, "dimensions.claims") == [
        "changed dimensions[dim-1].claims[claim-1]: zebracorn claim 1 — status: checked → opinion",
        "added dimensions[dim-1].claims[claim-new]: zebracorn new claim — status: opinion",
        "removed dimensions[dim-2].claims[claim-2]: zebracorn claim 2 — status: checked",
    ]


def test_faqs_conflicts_and_sources_added_and_removed() -> None:
    after = base()
    after["faqs"].append({"id": "faq-new", "question": "zebracorn new FAQ?", "answer": "Yes.", "cite": ["docs"]})
    del after["faqs"][0]
    after["conflicts"].pop()
    after["sources"].append({**copy.deepcopy(after["sources"][2]), "id": "docs-2", "short": "Docs 2"})
    after["faqs"][0]["cite"] = ["docs-2"]
    _, markdown = diff(base(), after)
    assert items(markdown, "faqs") == [
        "changed faqs[faq-1]: zebracorn FAQ 1? — cite: article-a → docs-2",
        "added faqs[faq-new]: zebracorn new FAQ?",
        "removed faqs[faq-0]: zebracorn FAQ 0?",
    ]
    assert items(markdown, "conflicts") == ["removed conflicts[conflict-1]: zebracorn disagreement 1"]
    assert items(markdown, "sources") == ["added sources[docs-2]: Docs 2 — kind: official-docs"]


def test_citations_dropped_name_the_statement_and_a_source_cited_nowhere() -> None:
    after = base()
    dimension(after, "dim-1")["positions"]["fw0"]["cite"] = ["docs"]  # drops article-a, cited elsewhere
    # article-b: out of every statement that cites it (positions, claims, a conflict's stances).
    for d in after["dimensions"]:
        for position in d["positions"].values():
            position["cite"] = [c for c in position["cite"] if c != "article-b"]
        for claim in d.get("claims", []):
            claim["cite"] = ["article-a"]
    for conflict in after["conflicts"]:
        conflict["stances"][1]["cite"] = ["docs"]
    _, markdown = diff(base(), after)
    rows = table(markdown, "Citations dropped")
    assert ["dimensions[dim-1].positions.fw0.cite", "article-a"] in rows
    assert ["dimensions[dim-0].positions.fw0.cite", "article-b (now cited nowhere)"] in rows
    assert ["dimensions[dim-0].claims[claim-0].cite", "article-b (now cited nowhere)"] in rows
    assert ["conflicts[conflict-0].stances[zebracorn stance 0 two].cite", "article-b (now cited nowhere)"] in rows
    assert len(rows) == 1 + 4 + 4 + 2  # dim-1, positions of dim-0 and dim-2 (two subjects each), claims, stances


def test_release_data_changes_show_their_values() -> None:
    after = base()
    release = after["releases"][0]
    release["version"] = "1.0.1"
    release["lts"] = {"series": "0.9", "version": "0.9.8", "released": "2026-01-01"}
    _, markdown = diff(base(), after)
    assert items(markdown, "releases") == ["changed releases[fw0]: fw0-package — version: 1.0.0 → 1.0.1; lts added"]
    after["releases"][1]["released"] = after["releases"][1]["last_release"] = "2026-01-02"
    _, markdown = diff(base(), after)
    assert items(markdown, "releases")[1] == (
        "changed releases[fw1]: fw1-package — released: 2026-12-04 → 2026-01-02; last_release: 2026-12-04 → 2026-01-02"
    )


def test_a_tree_node_that_becomes_a_recommendation_says_so() -> None:
    after = base()
    nodes = after["decision_tree"]["nodes"]
    nodes[:] = [n for n in nodes if n["id"] not in ("rec-5", "rec-6")]
    reasons = [{"text": "zebracorn reason", "cite": ["docs"]}]
    q2 = nodes.index(node(after, "q-2"))
    nodes[q2] = {
        "kind": "recommendation",
        "id": "q-2",
        "title": "Now an outcome",
        "recommend": ["fw0"],
        "reasons": reasons,
    }
    changes, markdown = diff(base(), after)
    assert "changed decision_tree.nodes[q-2]: Now an outcome — type: Question → Recommendation" in items(
        markdown, "decision_tree.nodes"
    )
    assert changes.outcomes_total == 3  # two paths removed, one shorter path added


class Widget(Entry):
    id: Id
    name: PlainLine
    kind: PlainLine


class WidgetKnowledgeBase(KnowledgeBase):
    """The knowledge base with a section the real schema does not have."""

    widgets: list[Widget] = Field(default_factory=list)


def test_a_section_the_schema_gains_is_compared_without_naming_it() -> None:
    def kb(widgets: list[Data]) -> WidgetKnowledgeBase:
        parsed, _ = load_yaml(dump({**base(), "widgets": widgets}), "kb.yaml")
        return WidgetKnowledgeBase.model_validate(parsed)

    changes = compare(
        kb([{"id": "w1", "name": "Widget one", "kind": "small"}, {"id": "w2", "name": "Widget two", "kind": "big"}]),
        kb([{"id": "w1", "name": "Widget one", "kind": "large"}, {"id": "w3", "name": "Widget three", "kind": "big"}]),
    )
    markdown = render(Side("main"), Side("head"), changes, LIMIT)
    assert items(markdown, "widgets") == [
        "changed widgets[w1]: Widget one — kind: small → large",
        "added widgets[w3]: Widget three",
        "removed widgets[w2]: Widget two",
    ]


def test_sections_without_ids_are_compared_from_the_root() -> None:
    after = base()
    after["quick_answer"]["text"] = "zebracorn quick answer, reworded"
    after["decision_table"][1]["reason"] = "zebracorn another reason"
    after["guidance"]["fw0"]["pros"].append({"text": "zebracorn new pro", "cite": ["docs"]})
    after["decision_tree"]["start"] = "q-1"
    after["decision_tree"]["nodes"] = [n for n in after["decision_tree"]["nodes"] if n["id"] not in ("q-0", "q-2")]
    after["decision_tree"]["nodes"] = [n for n in after["decision_tree"]["nodes"] if n["id"] not in ("rec-5", "rec-6")]
    for need in after["needs"]:
        need["outcome"] = "q-1"
    _, markdown = diff(base(), after)
    soup = html(markdown)
    heading = soup.find(lambda tag: tag.name == "h3" and tag.get_text() == "Other changes")
    assert heading is not None
    assert [li.get_text() for li in heading.find_next("ul").find_all("li")] == [  # type: ignore[union-attr]
        "quick_answer.text: zebracorn quick answer → zebracorn quick answer, reworded",
        "decision_table[zebracorn need 1].reason: zebracorn why 1 → zebracorn another reason",
        "guidance.fw0.pros[zebracorn new pro] added",
        "decision_tree.start: q-0 → q-1",
    ]


# ---- Pages --------------------------------------------------------------------------------------


def test_pages_that_grow_by_more_than_a_tenth_are_listed_and_small_changes_are_not() -> None:
    after = base()
    dim = dimension(after, "dim-1")
    for i in range(6):
        dim["claims"].append({**copy.deepcopy(dim["claims"][0]), "id": f"claim-more-{i}", "text": f"more {i} " * 20})
    after["faqs"][0]["answer"] += " A few words more."
    after["dimensions"].append({**copy.deepcopy(dimension(after, "dim-3")), "id": "dim-new", "claims": []})
    _, markdown = diff(base(), after)
    rows = table(markdown, "Pages whose size changes by more than 10 %")
    pages = {row[0]: row[3] for row in rows}
    assert re.fullmatch(r"\+\d+ %", pages["comparison/dim-1/"]) and int(pages["comparison/dim-1/"][1:-2]) > 10
    assert pages["comparison/dim-new/"] == "new page"
    assert "faq/" not in pages


# ---- Untrusted text ---------------------------------------------------------------------------

HOSTILE = "Evil | cell [link](https://evil.example/) ![img](https://evil.example/x.png) <b>bold</b> @octocat `x` $x$"


def test_contributor_text_reads_as_text_never_as_markdown() -> None:
    before, after = with_verdict("fw0"), with_verdict("fw1")
    for data in (before, after):
        dimension(data, "dim-2")["name"] = HOSTILE
        data["subjects"][1]["name"] = "Framework *one* <script>alert(1)</script>"
    _, markdown = diff(before, after)
    soup = html(markdown)
    assert soup.find_all(["a", "img", "b", "script", "em", "code"]) == soup.find_all("code")
    rows = table(markdown, "Verdicts changed")
    assert rows[0][0] == HOSTILE.replace("@", "@\u200b")
    assert rows[0][3] == "Framework *one* <script>alert(1)</script>"
    assert "@octocat" not in soup.get_text()


def test_a_long_report_is_cut_to_the_limit_per_section_and_fits_a_comment() -> None:
    after = base()
    for i in range(200):
        after["faqs"].append({"id": f"faq-x{i}", "question": "Q? " + "x" * 250, "answer": "A.", "cite": ["docs"]})
    changes, markdown = diff(base(), after)
    assert changes.counts["added"] == 200
    assert len(items(markdown, "faqs")) == LIMIT
    assert f"…and {200 - LIMIT} more." in markdown
    assert len(markdown) < 65_536


# ---- The command, on git commits --------------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def run_diff(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "decision_guide", "diff", *args], cwd=repo, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose first commit holds the synthetic knowledge base (tagged ``base``)."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "comparisons.yaml").write_text(dump(with_verdict("fw0")), encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    git(tmp_path, "tag", "base")
    return tmp_path


def test_diff_compares_a_commit_with_the_working_tree_and_with_another_commit(repo: Path) -> None:
    (repo / "content" / "comparisons.yaml").write_text(dump(with_verdict("fw1")), encoding="utf-8")
    result = run_diff(repo, "base")
    assert result.returncode == 0, result.stderr
    assert "Comparing `base` (`" in result.stdout and "with `working tree`" in result.stdout
    assert table(result.stdout, "Verdicts changed")[0][2:] == ["Framework 0 zebracorn", "Framework 1 zebracorn"]
    git(repo, "commit", "-qam", "head")
    result = run_diff(repo, "base", "HEAD")
    assert result.returncode == 0 and table(result.stdout, "Verdicts changed")[0][3] == "Framework 1 zebracorn"


def test_a_base_that_does_not_load_is_reported_not_a_crash(repo: Path) -> None:
    (repo / "content" / "comparisons.yaml").write_text("version: [", encoding="utf-8")
    git(repo, "commit", "-qam", "broken")
    git(repo, "tag", "broken")
    (repo / "content" / "comparisons.yaml").write_text(dump(with_verdict("fw1")), encoding="utf-8")
    result = run_diff(repo, "broken")
    assert result.returncode == 0, result.stderr
    assert "**The base does not load** (1 problem(s))" in result.stdout
    assert "broken:content/comparisons.yaml:2:1: <root>:" in result.stdout and "YAML syntax error" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_head_that_does_not_load_exits_1_and_says_why(repo: Path) -> None:
    (repo / "content" / "comparisons.yaml").write_text(
        dump(with_verdict("fw0")).replace("- article-b", "- article-c", 1), encoding="utf-8"
    )
    result = run_diff(repo, "base")
    assert result.returncode == 1
    assert "**This version does not load**" in result.stdout and "unknown source `article-c`" in result.stdout


def test_a_missing_file_and_an_unknown_ref(repo: Path) -> None:
    result = run_diff(repo, "base", "--file", "content/other.yaml")
    assert "base:content/other.yaml:1:1: <root>: the file is not in this commit" in result.stdout
    result = run_diff(repo, "no-such-ref")
    assert result.returncode == 2
    assert result.stdout == "" and result.stderr == "diff: 'no-such-ref' names no commit of this repository\n"


def test_scripts_diff_runs_the_command() -> None:
    script = ROOT / "scripts" / "diff"
    assert os.access(script, os.X_OK)
    result = subprocess.run([str(script), "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    assert result.stdout.startswith("## What readers will see change")


# ---- Bounded work -----------------------------------------------------------------------------

CPU_LIMIT = 20.0  # seconds of CPU time for a diff of two files at the size limit (about 7 s measured)
MEMORY_LIMIT = 2**30  # bytes of address space
HANG_GUARD = 300.0  # seconds of wall-clock time


@pytest.mark.slow
def test_the_diff_of_two_files_at_the_size_limit_finishes_in_seconds(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = synthetic_knowledge_base(scale=240, subjects=2)
    text = dump(big)
    assert 900_000 < len(text.encode()) <= 1024 * 1024
    (repo / "content" / "comparisons.yaml").write_text(text, encoding="utf-8")
    git(repo, "commit", "-qam", "big")
    for d in big["dimensions"][::50]:
        set_verdict(big, d["id"], "depends", condition="it depends")
        d["claims"][0]["status"] = "opinion"
    big["faqs"] = big["faqs"][10:]
    node(big, "rec-483")["recommend"] = ["fw0"]  # rec-481 is fw1's outcome in the decision aids
    (repo / "content" / "comparisons.yaml").write_text(dump(big), encoding="utf-8")
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "decision_guide", "diff", "HEAD"],
            cwd=repo,
            stdout=out,
            stderr=err,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT)),
        )
        while not (reaped := os.wait4(process.pid, os.WNOHANG))[0]:
            if time.monotonic() - start > HANG_GUARD:
                process.kill()
                os.wait4(process.pid, 0)
                pytest.fail(f"the diff hangs: no answer after {HANG_GUARD} s")
            time.sleep(0.01)
        _, status, usage = reaped
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        err.seek(0)
        markdown, stderr = out.read().decode(), err.read().decode()
    cpu = usage.ru_utime + usage.ru_stime
    with capsys.disabled():
        print(
            f"\ndiff of two {len(text.encode()):,}-byte files: {cpu:.1f} s CPU, {time.monotonic() - start:.1f} s wall, "
            f"peak {usage.ru_maxrss / 1024:.0f} MB"
        )
    assert process.returncode == 0, stderr[-2000:]
    assert cpu <= CPU_LIMIT
    assert len(table(markdown, "Verdicts changed")) == 20
    # 20 claims and a recommendation changed; 10 of the rows given `depends` (with its reason) grow by over 10 %.
    assert "| 20 | 1 | 0 | 10 | 21 | 0 | 0 | 10 |" in markdown


def test_a_report_over_the_size_limit_is_cut_at_the_end_of_a_line_and_says_so() -> None:
    after = base()
    for i in range(200):
        after["faqs"].append({"id": f"faq-x{i}", "question": f"Question {i}?", "answer": "A.", "cite": ["docs"]})
    changes = compare(kb_of(base()), kb_of(after))
    markdown = render(Side("main"), Side("head"), changes, limit=1000, size=3000)
    assert len(markdown) <= 3000
    assert markdown.endswith("\n\n…the report stops here; `scripts/diff` prints all of it.\n")
    assert markdown.count("- **added**") == len(re.findall(r"^- \*\*added\*\* .*\?$", markdown, re.M))


# ---- CONTRIBUTING.md's example is the command's real output -----------------------------------


def test_contributing_shows_the_real_output_of_its_example_edit(tmp_path: Path) -> None:
    """The example applies the nodes of "Add a branch to the decision tree" to the real file: the
    new answer after the senior engineers' answer of ``q-team``, the recommendation after it."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    shown = re.search(
        r"## See what readers will see change\n.*?```text \{ data-search-exclude \}\n(.*?)```\n", text, re.S
    )
    branch = re.search(r"### Add a branch to the decision tree\n.*?```yaml[^\n]*\n(.*?)```\n", text, re.S)
    assert shown and branch
    question, recommendation = yaml.safe_load(branch[1])
    answer = next(a for a in question["answers"] if a["next"] == recommendation["id"])

    data = yaml.safe_load((ROOT / "content" / "comparisons.yaml").read_text(encoding="utf-8"))
    nodes = data["decision_tree"]["nodes"]
    team = next(n for n in nodes if n["id"] == "q-team")
    senior = next(i for i, a in enumerate(team["answers"]) if a["next"] == "rec-flask-assembled")
    team["answers"].insert(senior + 1, answer)
    nodes.insert(nodes.index(team) + 1, recommendation)

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "comparisons.yaml").write_text(
        (ROOT / "content" / "comparisons.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    (tmp_path / "content" / "comparisons.yaml").write_text(dump(data), encoding="utf-8")
    result = run_diff(tmp_path, "main")
    assert result.returncode == 0, result.stdout + result.stderr
    output = re.sub(r"\(`[0-9a-f]{7,}`\)", "(`COMMIT`)", result.stdout)
    assert output == re.sub(r"\(`[0-9a-f]{7,}`\)", "(`COMMIT`)", shown[1]), (
        "CONTRIBUTING.md's example output is out of date; the command now prints:\n" + result.stdout
    )
