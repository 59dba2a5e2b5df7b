"""Synthetic knowledge bases: made-up frameworks and text, so a test can prove that the pages
come from the data and not from hand-written prose, and a benchmark can scale the data up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml


def synthetic_knowledge_base(
    scale: int = 1, marker: str = "zebracorn", subjects: int | None = None, verdicts: bool = False
) -> dict[str, Any]:
    """A valid knowledge base of made-up frameworks, ``scale`` times the base size.

    Every text contains ``marker`` plus a running number, so tests can look for each one.
    The base size is 4 dimensions, 3 FAQs, 2 conflicts, 1 correction and a tree of
    1 + 2 * scale questions and 2 + 2 * scale recommendations; ``subjects`` frameworks
    (default ``1 + scale``) are compared in every dimension. With ``verdicts``, every row has
    one, of each kind: ``disputed`` where a conflict is recorded, then alternately the first
    subject and ``depends``.
    """
    today = dt.date(2026, 1, 1)
    sources = [
        {
            "id": "article-a",
            "short": "Article A",
            "title": f"{marker} article A",
            "publisher": "Example blog",
            "kind": "article",
            "reviewed": today,
            "contributed": f"{marker} contribution A",
        },
        {
            "id": "article-b",
            "short": "Article B",
            "title": f"{marker} article B",
            "publisher": "Example blog",
            "kind": "article",
            "reviewed": today,
            "contributed": f"{marker} contribution B",
        },
        {
            "id": "docs",
            "short": "Docs",
            "title": f"{marker} docs",
            "publisher": "Example project",
            "kind": "official-docs",
            "url": "https://example.org/docs/",
            "reviewed": today,
            "contributed": f"{marker} facts",
        },
    ]
    frameworks = [
        {
            "id": f"fw{i}",
            "name": f"Framework {i} {marker}",
            "kind": "framework",
            "homepage": f"https://example.org/fw{i}/",
            "summary": f"{marker} framework {i}",
        }
        for i in range(subjects or 1 + scale)
    ]
    subject_ids = [s["id"] for s in frameworks]
    dimensions = [
        {
            "id": f"dim-{i}",
            "name": f"Dimension {i} {marker}",
            "table": "main",
            "question": f"{marker} question {i}?",
            "positions": {
                s: {
                    "summary": f"{marker} position {i} {s}",
                    "detail": f"{marker} detail {i} {s}",
                    "cite": ["article-a"] if i % 2 else ["article-b", "docs"],
                }
                for s in subject_ids
            },
            "claims": [
                {
                    "id": f"claim-{i}",
                    "about": [subject_ids[0]],
                    "text": f"{marker} claim {i}",
                    "cite": ["article-a", "article-b"],
                    "status": "checked",
                }
            ],
        }
        for i in range(4 * scale)
    ]
    questions, recommendations = [], []
    for i in range(1 + 2 * scale):
        left, right = 2 * i + 1, 2 * i + 2
        target = lambda n: f"q-{n}" if n < 1 + 2 * scale else f"rec-{n}"  # noqa: E731
        questions.append(
            {
                "kind": "question",
                "id": f"q-{i}",
                "text": f"{marker} tree question {i}?",
                "answers": [
                    {"label": f"{marker} answer {left}", "next": target(left)},
                    {"label": f"{marker} answer {right}", "next": target(right)},
                ],
            }
        )
    for n in range(1 + 2 * scale, 3 + 4 * scale):
        recommendations.append(
            {
                "kind": "recommendation",
                "id": f"rec-{n}",
                "title": f"{marker} outcome {n}",
                "recommend": [subject_ids[n % len(subject_ids)]],
                "reasons": [{"text": f"{marker} reason {n}", "cite": ["docs"]}],
            }
        )
    item = lambda text: {"text": text, "cite": ["article-a"]}  # noqa: E731
    # The tree recommendation of each subject, so the decision aids name an outcome that agrees.
    outcome_of: dict[str, str] = {}
    for rec in recommendations:
        outcome_of.setdefault(rec["recommend"][0], rec["id"])
    data: dict[str, Any] = {
        "version": 1,
        "quick_answer": {"text": f"{marker} quick answer", "cite": ["article-a"]},
        "sources": sources,
        "subjects": frameworks,
        "tables": [
            {"id": "main", "title": f"{marker} table", "page": "comparison", "subjects": subject_ids},
            {"id": "api", "title": f"{marker} api table", "page": "api", "subjects": subject_ids[:2]},
        ],
        "dimensions": [
            *dimensions,
            {
                "id": "api-dim",
                "name": f"API dimension {marker}",
                "table": "api",
                "question": f"{marker} api?",
                "positions": {
                    s: {"summary": f"{marker} api {s}", "detail": f"{marker} api detail {s}", "cite": ["docs"]}
                    for s in subject_ids[:2]
                },
            },
        ],
        "conflicts": [
            {
                "id": f"conflict-{i}",
                "dimension": f"dim-{i}",
                "topic": f"{marker} disagreement {i}",
                "stances": [
                    {"says": f"{marker} stance {i} one", "cite": ["article-a"]},
                    {"says": f"{marker} stance {i} two", "cite": ["article-b"]},
                ],
                "evidence": f"{marker} evidence {i}",
                "cite": ["docs"],
            }
            for i in range(2 * scale)
        ],
        "corrections": [
            {
                "id": f"correction-{i}",
                "topic": f"{marker} correction {i}",
                "source": "article-b",
                "dimension": f"dim-{i}",
                "claimed": f"{marker} wrong {i}",
                "fact": f"{marker} right {i}",
                "cite": ["docs"],
            }
            for i in range(scale)
        ],
        "decision_table": [
            {
                "need": f"{marker} need {i}",
                "outcome": outcome_of[subject_ids[i % 2]],
                "choose": subject_ids[i % 2],
                "reason": f"{marker} why {i}",
                "cite": ["article-a"],
            }
            for i in range(2 * scale)
        ],
        "guidance": {
            s: {
                "choose_when": [{**item(f"{marker} when {s}"), "outcome": outcome_of[s]}],
                "pros": [item(f"{marker} pro {s}")],
                "cons": [item(f"{marker} con {s}")],
                "examples": [item(f"{marker} example {s}")],
            }
            for s in subject_ids[:2]
        },
        "faqs": [
            {
                "id": f"faq-{i}",
                "question": f"{marker} FAQ {i}?",
                "answer": f"{marker} answer text {i}",
                "cite": ["article-a"],
                "asked_by": ["article-b"],
            }
            for i in range(3 * scale)
        ],
        "quick_starts": [
            {
                "subject": subject_ids[0],
                "intro": f"{marker} intro",
                "cite": ["docs"],
                "steps": [{"text": f"{marker} step", "code": "echo hello"}],
            }
        ],
        "decision_tree": {"start": "q-0", "nodes": questions + recommendations},
        # Release data dated today, so the "recommends an unmaintained package" check never fires.
        "releases": [
            {
                "id": s,
                "package": f"{s}-package",
                "subject": s,
                "version": "1.0.0",
                "released": dt.date.today(),
                "last_release": dt.date.today(),
                "checked": dt.date.today(),
                "cite": ["docs"],
            }
            for s in subject_ids
        ],
        "needs": [
            {
                "id": f"need-{i}",
                "label": f"{marker} need label {i}",
                "outcome": "q-0",
                "rows": [f"dim-{i}", f"dim-{i + 1}"],
            }
            for i in range(min(3, 4 * scale - 1))
        ],
    }
    if verdicts:
        for i, dimension in enumerate(dimensions):
            if i < 2 * scale:  # the rows the conflicts above are about
                set_verdict(data, dimension["id"], "disputed")
            elif i % 2:
                set_verdict(data, dimension["id"], "depends", condition=f"{marker} condition {i}")
            else:
                set_verdict(data, dimension["id"], subject_ids[0])
        set_verdict(data, "api-dim", subject_ids[1])
    return data


def set_verdict(data: dict[str, Any], row: str, leans: str, **fields: Any) -> dict[str, Any]:
    """Give row ``row`` of ``data`` the verdict ``leans`` (plus ``fields``), with what the check asks
    of it, and keep the needs that list the row consistent with it: a subject's verdict rests on a
    source and names the tree recommendation of that subject; a ``depends`` verdict on a row
    without a recorded conflict says (with a source) why no subject wins; each need's ``outcome``
    is the recommendation of the subject its rows lean to (the first question when they lean to
    none, or to several). Returns ``data``, changed in place."""
    recommendations = [n for n in data["decision_tree"]["nodes"] if n["kind"] == "recommendation"]
    outcome_of: dict[str, str] = {}
    for rec in recommendations:
        outcome_of.setdefault(rec["recommend"][0], rec["id"])
    verdict: dict[str, Any] = {"leans": leans, **fields}
    disputed_rows = {c["dimension"] for c in data["conflicts"]}
    if leans not in ("depends", "disputed"):
        verdict.setdefault("outcome", outcome_of[leans])
        verdict.setdefault("cite", ["docs"])
    elif leans == "depends":
        verdict.setdefault("condition", "it depends on the project")
        if row not in disputed_rows:
            verdict.setdefault("why_depends", "Each side wins for some projects.")
            verdict.setdefault("cite", ["docs"])
    next(d for d in data["dimensions"] if d["id"] == row)["verdict"] = verdict
    leanings = {
        d["id"]: d["verdict"]["leans"]
        for d in data["dimensions"]
        if d.get("verdict") and d["verdict"]["leans"] not in ("depends", "disputed")
    }
    for need in data.get("needs", []):
        subjects = {leanings[r] for r in need["rows"] if r in leanings}
        need["outcome"] = outcome_of[subjects.pop()] if len(subjects) == 1 else data["decision_tree"]["start"]
    return data


class _NoAliasDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: dict[str, Any]) -> str:
    """The knowledge base as YAML text (no anchors, keys in the order given)."""
    return yaml.dump(data, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True)
