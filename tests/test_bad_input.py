"""Bad knowledge bases, one per row: each must be refused with a problem at the exact line and
column of the mistake and a message that says what is wrong and what was expected."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from decision_guide import KnowledgeBaseError
from decision_guide.loader import validate
from decision_guide.yaml_source import load_yaml
from synthetic import dump, synthetic_knowledge_base

BASE = dump(synthetic_knowledge_base())
FILE = "content/comparisons.yaml"


@dataclass(frozen=True)
class Case:
    """Replace the first ``old`` in the base file by ``new``; expect ``message`` at the first
    (or ``nth``) place ``where`` stands in the result, or at the explicit ``at`` position.
    A ``▸`` in ``where`` marks the exact character (``"- id: ▸dim-0"``: the value, not the dash)."""

    name: str
    old: str
    new: str
    message: str
    where: str | None = None
    nth: int = 1
    at: tuple[int, int] | None = None

    def text(self) -> str:
        assert self.old in BASE, f"{self.name}: {self.old!r} is not in the base file"
        return BASE.replace(self.old, self.new, 1)

    def position(self, text: str) -> tuple[int, int]:
        if self.at:
            return self.at
        prefix, _, rest = self.where.rpartition("▸")
        start = -1
        for _ in range(self.nth):
            start = text.index(prefix + rest, start + 1)
        start += len(prefix)
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        return line, column


def problems_of(text: str) -> list[str]:
    try:
        data, source_map = load_yaml(text, FILE)
        validate(data, source_map)
    except KnowledgeBaseError as error:
        return [str(p) for p in error.problems]
    return []


CASES = [
    # -- YAML itself
    Case(
        "syntax error",
        "quick_answer:\n  text: zebracorn quick answer",
        "quick_answer:\n  text: [unclosed",
        "YAML syntax error: while parsing a flow sequence: did not find expected ',' or ']'",
        where="cite▸:",
    ),
    Case(
        "bad indentation",
        "  title: zebracorn article A\n",
        "  title: zebracorn article A\n bad: indent\n",
        "YAML syntax error",
        at=(10, 2),
    ),
    Case("tab indentation", "  short: Article A\n", "\tshort: Article A\n", "YAML syntax error", at=(8, 1)),
    Case(
        "duplicate key",
        "  short: Article A\n",
        "  short: Article A\n  short: Again\n",
        "sources[article-a].short: duplicate key `short` (first written on line 8); YAML would keep only the last",
        where="short: Again",
    ),
    Case(
        "non-scalar key", "version: 1\n", "version: 1\n? [a, b]\n: c\n", "a key must be a plain scalar", where="[a, b]"
    ),
    Case(
        "impossible date",
        "  reviewed: 2026-01-01\n",
        "  reviewed: 2026-13-45\n",
        "sources[article-a].reviewed: unreadable value: month must be in 1..12",
        where="2026-13-45",
    ),
    Case(
        "not a mapping",
        BASE,
        "- just\n- a list\n",
        "<root>: the document is a list; expected a YAML mapping",
        at=(1, 1),
    ),
    Case("empty file", BASE, "\n", "<root>: the file is empty; expected a YAML mapping", at=(1, 1)),
    # -- shape
    Case(
        "missing field",
        "  title: zebracorn article A\n",
        "",
        "sources[article-a]: missing required field `title`; expected a `title:` entry: one line of plain text",
        where="id: article-a",
    ),
    Case(
        "unknown field with suggestion",
        "  publisher: Example blog\n",
        "  publisher: Example blog\n  publsher: x\n",
        "sources[article-a].publsher: unknown field `publsher`; did you mean `publisher`?",
        where="publsher",
    ),
    Case(
        "bad id",
        "- id: dim-0",
        "- id: Dim_0",
        "dimensions[Dim_0].id: `Dim_0` does not fit; expected an id of lower-case letters",
        where="Dim_0",
    ),
    Case(
        "bad literal",
        "  kind: article\n",
        "  kind: blog\n",
        "sources[article-a].kind: `blog` is not allowed; expected one of `article`, `official-docs`, `package-index`",
        where="kind: ▸blog",
    ),
    Case(
        "http url",
        "url: https://example.org/docs/",
        "url: http://example.org/docs/",
        "sources[docs].url: `http://example.org/docs/` does not fit; expected an absolute https:// URL",
        where="http://",
    ),
    Case(
        "javascript homepage",
        "homepage: https://example.org/fw0/",
        "homepage: javascript:alert(1)",
        "subjects[fw0].homepage: `javascript:alert(1)` does not fit; expected an absolute https:// URL",
        where="javascript",
    ),
    Case(
        "line field with a newline",
        "  name: Framework 0 zebracorn\n",
        '  name: "Framework\\n0"\n',
        "subjects[fw0].name: contains a line break, which this field does not allow; expected one line of plain text",
        where='"Framework',
    ),
    Case(
        "list where text belongs",
        "  title: zebracorn table\n",
        "  title: [a, b]\n",
        "tables[main].title: got a list `['a', 'b']`; expected one line of plain text",
        where="[a, b]",
    ),
    Case(
        "yes read as boolean",
        "  - label: zebracorn answer 1\n",
        "  - label: yes\n",
        "decision_tree.nodes[q-0].answers[0].label: YAML read this as the boolean True; expected text: put it in quotes",
        where="yes",
    ),
    Case(
        "wrong schema version",
        "version: 1",
        "version: 2",
        "version: `2` is not allowed; expected one of `1`",
        where="2",
    ),
    Case(
        "claim without a source",
        "    text: zebracorn claim 0\n    cite:\n    - article-a\n    - article-b\n",
        "    text: zebracorn claim 0\n    cite: []\n",
        "dimensions[dim-0].claims[claim-0].cite: 0 item(s); expected at least 1 item(s)",
        where="[]",
    ),
    Case(
        "conflict with one stance",
        "  - says: zebracorn stance 0 two\n    cite:\n    - article-b\n",
        "",
        "conflicts[conflict-0].stances: 1 item(s); expected at least 2 item(s)",
        where="- says: zebracorn stance 0 one",
    ),
    Case(
        "unknown tree node kind",
        "  - kind: question\n    id: q-1",
        "  - kind: quiz\n    id: q-1",
        "decision_tree.nodes[q-1]: unknown node kind `quiz`; expected `kind: question` or `kind: recommendation`",
        where="kind: quiz",
    ),
    Case(
        "tree node without kind",
        "  - kind: question\n    id: q-1",
        "  - id: q-1",
        "decision_tree.nodes[q-1]: missing required field `kind`",
        where="id: q-1",
    ),
    Case(
        "question with one answer",
        "    - label: zebracorn answer 2\n      next: q-2\n",
        "",
        "decision_tree.nodes[q-0].answers: 1 item(s); expected at least 2 item(s)",
        where="- label: zebracorn answer 1",
    ),
    Case(
        "recommendation without reasons",
        "    reasons:\n    - text: zebracorn reason 3\n      cite:\n      - docs\n",
        "",
        "decision_tree.nodes[rec-3]: missing required field `reasons`",
        where="kind: recommendation",
    ),
    # -- cross-references
    Case(
        "unknown source",
        "    cite:\n    - article-a\n    - article-b\n",
        "    cite:\n    - article-a\n    - artikel-b\n",
        "dimensions[dim-0].claims[claim-0].cite[1]: unknown source `artikel-b`; did you mean `article-b`?; expected the id of an entry of `sources`",
        where="artikel-b",
    ),
    Case(
        "duplicate source id",
        "- id: article-b",
        "- id: article-a",
        "sources[article-a].id: duplicate id `article-a` in `sources` (first used on line 7); expected a unique id",
        where="- id: ▸article-a",
        nth=2,
    ),
    Case(
        "duplicate dimension id",
        "- id: dim-1",
        "- id: dim-0",
        "dimensions[dim-0].id: duplicate id `dim-0` in `dimensions`",
        where="- id: ▸dim-0",
        nth=2,
    ),
    Case(
        "duplicate claim id",
        "- id: claim-1",
        "- id: claim-0",
        "dimensions[dim-1].claims[claim-0].id: duplicate id `claim-0` in `dimensions.claims`",
        where="- id: ▸claim-0",
        nth=2,
    ),
    Case(
        "duplicate faq id",
        "- id: faq-1",
        "- id: faq-0",
        "faqs[faq-0].id: duplicate id `faq-0` in `faqs`",
        where="- id: ▸faq-0",
        nth=2,
    ),
    Case(
        "duplicate tree node id",
        "    id: q-2\n",
        "    id: q-1\n",
        "decision_tree.nodes[q-1].id: duplicate id `q-1` in `decision_tree.nodes`",
        where="id: ▸q-1\n    text: zebracorn tree question 2",
    ),
    Case(
        "unknown table",
        "  table: main\n",
        "  table: mian\n",
        "dimensions[dim-0].table: unknown table `mian`; did you mean `main`?",
        where="mian",
    ),
    Case(
        "missing position",
        "    fw1:\n      summary: zebracorn position 0 fw1\n      detail: zebracorn detail 0 fw1\n      cite:\n      - article-b\n      - docs\n",
        "",
        "dimensions[dim-0].positions: no position for `fw1`; expected a position for each subject of table `main`: fw0, fw1",
        where="fw0:\n      summary: zebracorn position 0",
    ),
    Case(
        "position for a subject not in the table",
        "    fw1:\n      summary: zebracorn position 0 fw1",
        "    fw9:\n      summary: zebracorn position 0 fw1",
        "dimensions[dim-0].positions.fw9: unknown subject `fw9`",
        where="fw9",
    ),
    Case(
        "claim about an unknown subject",
        "    - fw0\n    text: zebracorn claim 0",
        "    - fx0\n    text: zebracorn claim 0",
        "dimensions[dim-0].claims[claim-0].about[0]: unknown subject `fx0`; did you mean `fw0`?",
        where="fx0",
    ),
    Case(
        "table with an unknown subject",
        "  subjects:\n  - fw0\n  - fw1\n- id: api",
        "  subjects:\n  - fw0\n  - fw2\n- id: api",
        "tables[main].subjects[1]: unknown subject `fw2`",
        where="fw2",
    ),
    Case(
        "conflict on an unknown dimension",
        "  dimension: dim-0\n  topic:",
        "  dimension: dim-9\n  topic:",
        "conflicts[conflict-0].dimension: unknown dimension `dim-9`",
        where="dim-9",
    ),
    Case(
        "correction of a non-article",
        "  source: article-b\n",
        "  source: docs\n",
        "corrections[correction-0].source: unknown article `docs`",
        where="source: ▸docs",
    ),
    Case(
        "correction resting on an article",
        "  fact: zebracorn right 0\n  cite:\n  - docs",
        "  fact: zebracorn right 0\n  cite:\n  - article-a",
        "corrections[correction-0].cite[0]: `article-a` is an article; a correction must rest on official documentation",
        where="article-a\ndecision_table",
    ),
    Case(
        "decision row for an unknown subject",
        "  choose: fw0\n",
        "  choose: fw5\n",
        "decision_table[0].choose: unknown subject `fw5`",
        where="fw5",
    ),
    Case(
        "guidance for an unknown subject",
        "guidance:\n  fw0:",
        "guidance:\n  fwx:",
        "guidance.fwx: unknown subject `fwx`",
        where="  ▸fwx:",
    ),
    Case(
        "asked_by names a non-article",
        "  asked_by:\n  - article-b\n- id: faq-1",
        "  asked_by:\n  - docs\n- id: faq-1",
        "faqs[faq-0].asked_by[0]: unknown article `docs`",
        where="docs\n- id: faq-1",
    ),
    Case(
        "quick start for an unknown subject",
        "- subject: fw0",
        "- subject: django",
        "quick_starts[0].subject: unknown subject `django`",
        where="django",
    ),
    Case(
        "official source without url",
        "  url: https://example.org/docs/\n",
        "",
        "sources[docs]: official source `docs` has no `url`; expected a `url: https://...` field",
        where="id: docs",
    ),
    Case(
        "future review date",
        "  reviewed: 2026-01-01\n  contributed: zebracorn contribution A",
        "  reviewed: 2999-01-01\n  contributed: zebracorn contribution A",
        "sources[article-a].reviewed: 2999-01-01 is in the future",
        where="2999-01-01",
    ),
    Case(
        "reviewed before published",
        "  kind: article\n  reviewed: 2026-01-01\n",
        "  kind: article\n  published: 2026-06-01\n  reviewed: 2026-01-01\n",
        "sources[article-a].reviewed: reviewed before it was published; expected 2026-06-01 or later",
        where="2026-01-01",
    ),
    # -- decision tree
    Case(
        "unknown tree start",
        "  start: q-0",
        "  start: q-00",
        "decision_tree.start: unknown tree node `q-00`",
        where="q-00",
    ),
    Case(
        "tree starting at a recommendation",
        "  start: q-0",
        "  start: rec-3",
        "decision_tree.start: `rec-3` is a recommendation; expected the id of a question",
        where="start: ▸rec-3",
    ),
    Case(
        "answer to an unknown node",
        "      next: rec-3\n",
        "      next: rec-33\n",
        "decision_tree.nodes[q-1].answers[0].next: unknown tree node `rec-33`",
        where="rec-33",
    ),
    Case(
        "cycle in the tree",
        "      next: rec-3\n",
        "      next: q-0\n",
        "decision_tree.nodes[q-1].answers[0].next: answer leads back to `q-0`, making a cycle",
        where="next: ▸q-0",
    ),
    Case(
        "unreachable node",
        "      next: rec-6\n",
        "      next: rec-5\n",
        "decision_tree.nodes[rec-6].id: tree node `rec-6` cannot be reached from `q-0`",
        where="id: ▸rec-6",
    ),
    Case(
        "recommendation of an unknown subject",
        "    recommend:\n    - fw1",
        "    recommend:\n    - fw3",
        "decision_tree.nodes[rec-3].recommend[0]: unknown subject `fw3`",
        where="fw3",
    ),
    # -- needs filter
    Case(
        "need for an unknown dimension",
        "  rows:\n  - dim-0\n",
        "  rows:\n  - dim-00\n",
        "needs[need-0].rows[0]: unknown dimension `dim-00`",
        where="dim-00",
    ),
    Case(
        "need leading to an unknown tree node",
        "  outcome: q-0\n  rows:\n  - dim-0\n",
        "  outcome: q-00\n  rows:\n  - dim-0\n",
        "needs[need-0].outcome: unknown tree node `q-00`",
        where="q-00",
    ),
    Case(
        "duplicate need id",
        "- id: need-1",
        "- id: need-0",
        "needs[need-0].id: duplicate id `need-0` in `needs`",
        where="- id: ▸need-0",
        nth=2,
    ),
    Case(
        "duplicate release id",
        "- id: fw1\n  package: fw1-package",
        "- id: fw0\n  package: fw1-package",
        "releases[fw0].id: duplicate id `fw0` in `releases`",
        where="- id: ▸fw0\n  package: fw1-package",
    ),
    # -- markup that would reach readers' browsers
    Case(
        "script tag",
        "  text: zebracorn quick answer",
        "  text: zebracorn <script>alert(1)</script>",
        "quick_answer.text: raw HTML `<script>` is not allowed",
        where="zebracorn <script>",
    ),
    Case(
        "img onerror",
        "  answer: zebracorn answer text 0",
        "  answer: '<img src=x onerror=alert(1)>'",
        "faqs[faq-0].answer: raw HTML `<img src=x onerror=alert(1)>` is not allowed",
        where="'<img",
    ),
    Case(
        "html comment",
        "  detail: zebracorn detail 0 fw0",
        "  detail: 'a <!-- hidden -->'",
        "dimensions[dim-0].positions.fw0.detail: raw HTML `<!-- hidden -->` is not allowed",
        where="'a <!--",
    ),
    Case(
        "javascript link",
        "  evidence: zebracorn evidence 0",
        "  evidence: '[click](javascript:alert(1))'",
        "conflicts[conflict-0].evidence: the link `javascript:alert(1)` is not allowed: links must be absolute https, http or mailto URLs",
        where="'[click]",
    ),
    Case(
        "data link",
        "  fact: zebracorn right 0",
        "  fact: '[x](data:text/html;base64,PHNjcmlwdD4=)'",
        "corrections[correction-0].fact: the link `data:text/html;base64,PHNjcmlwdD4=` is not allowed",
        where="'[x]",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_knowledge_base_is_refused_at_the_right_place(case: Case):
    text = case.text()
    line, column = case.position(text)
    problems = problems_of(text)
    assert any(p.startswith(f"{FILE}:{line}:{column}: ") and case.message in p for p in problems), (
        f"expected {FILE}:{line}:{column}: ...{case.message}...\n got:\n" + "\n".join(problems)
    )


def test_the_base_file_is_valid():
    assert problems_of(BASE) == []


def test_every_problem_is_reported_at_once():
    text = BASE
    names = ("unknown source", "unknown table", "script tag")
    for case in (c for c in CASES if c.name in names):
        text = text.replace(case.old, case.new, 1)
    problems = problems_of(text)
    assert len(problems) == 3, problems


def test_alias_bomb_is_refused_quickly():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    problems = problems_of("\n".join(lines) + "\n")
    assert problems == [f"{FILE}:1:5: <root>: anchors (`&a0`) are not allowed; expected the value written out in full"]


def test_a_large_file_without_aliases_is_not_mistaken_for_an_alias_bomb():
    text = dump(synthetic_knowledge_base(scale=40))
    assert problems_of(text) == []
