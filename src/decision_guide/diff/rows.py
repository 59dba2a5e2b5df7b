"""The comparison rows' verdicts, compared: the first thing a reader sees in each row."""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import Dimension, KnowledgeBase

#: The field this module reports, as ``(section, field)``: the entries' list leaves it out.
COVERS = ("dimensions", "verdict")


@dataclass(frozen=True)
class VerdictChange:
    """A row (``row``: its name; ``id``: the dimension id; ``page``: the site path of the page that
    shows it) whose verdict reads ``before`` and now ``after`` (None: the row is not there)."""

    id: str
    row: str
    page: str
    before: str | None
    after: str | None


def verdict_text(dimension: Dimension, names: dict[str, str]) -> str:
    """A row's verdict in words: the subject it leans to, ``Depends: <condition>``, ``Disputed``,
    or ``No verdict``."""
    verdict = dimension.verdict
    if verdict is None:
        return "No verdict"
    if verdict.leans == "depends":
        return f"Depends: {verdict.condition}" if verdict.condition else "Depends"
    if verdict.leans == "disputed":
        return "Disputed"
    return names.get(str(verdict.leans), str(verdict.leans))


def _rows(kb: KnowledgeBase) -> dict[str, tuple[str, str, str]]:
    """``{dimension id: (name, page, verdict)}``; ``page`` is the site path of the row's table page."""
    names = {str(s.id): " ".join(str(s.name).split()) for s in kb.subjects}
    pages = {t.id: f"{t.page}/" for t in kb.tables}
    return {
        d.id: (" ".join(str(d.name).split()), pages.get(d.table, ""), verdict_text(d, names)) for d in kb.dimensions
    }


def verdict_changes(base: KnowledgeBase, head: KnowledgeBase) -> list[VerdictChange]:
    """Rows whose verdict reads differently, in the head's order (removed rows after); a row added
    or removed counts when it has a verdict."""
    old, new = _rows(base), _rows(head)
    out = []
    for key in [*new, *(k for k in old if k not in new)]:
        before, after = old.get(key), new.get(key)
        shown_before, shown_after = (None if r is None else r[2] for r in (before, after))
        if shown_before == shown_after or {shown_before, shown_after} <= {None, "No verdict"}:
            continue
        name, page = (after or before)[:2]  # type: ignore[index]
        out.append(VerdictChange(key, name, page, shown_before, shown_after))
    return out
