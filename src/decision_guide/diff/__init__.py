"""What a change to the knowledge base changes for readers: the semantic diff of a pull request.

``python -m decision_guide diff BASE_REF [HEAD_REF]`` (``scripts/diff``) loads the knowledge base
as it stands in two git commits (or in one commit and the working tree), compares them with
:func:`compare`, and prints the result in Markdown (:mod:`.markdown`): verdicts changed
(:mod:`.rows`), decision-tree outcomes changed path by path (:mod:`.tree`), entries added,
removed or changed, the sections without ids, citations dropped (:mod:`.entries`: claims,
FAQs, conflicts, sources, release data and any section the schema gains, found by type) and
pages whose size changes by more than 10 % (:mod:`.sizes`, rendered by the core without MkDocs).

Exit status: 0 when the report is printed (a base that does not load is reported, not an
error), 1 when the new version does not load, 2 on wrong usage or a ref git does not know.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, replace

from ..loader import load_knowledge_base, validate
from ..problems import KnowledgeBaseError
from ..schema import KnowledgeBase
from ..yaml_source import load_yaml
from .entries import DroppedCitation, EntryChange, FieldChange, dropped_citations, entry_changes, section_changes
from .markdown import Side, render
from .refs import GitError, commit, read_at
from .rows import COVERS, VerdictChange, verdict_changes
from .sizes import SizeChange, size_changes
from .tree import OutcomeChange, TooManyPathsError, outcome_changes

#: Most items listed per section of the report (the counts stay exact); keeps a PR comment well
#: under GitHub's 65,536 characters.
LIMIT = 25


@dataclass(frozen=True)
class Changes:
    """Everything a reader would see change: see the module's docstring. ``outcomes`` lists at
    most the limit given to :func:`compare`; ``outcomes_total`` counts every changed path."""

    verdicts: list[VerdictChange]
    outcomes: list[OutcomeChange]
    outcomes_total: int
    tree_too_large: bool
    entries: list[EntryChange]
    sections_changed: list[FieldChange]
    citations: list[DroppedCitation]
    pages: list[SizeChange]

    @property
    def empty(self) -> bool:
        return not (
            self.verdicts
            or self.outcomes_total
            or self.tree_too_large
            or self.entries
            or self.sections_changed
            or self.citations
            or self.pages
        )

    @property
    def counts(self) -> Counter[str]:
        """How many entries were ``added``, ``removed`` and ``changed`` (by those keys)."""
        return Counter(str(change.kind) for change in self.entries)

    @property
    def sections(self) -> dict[str, list[EntryChange]]:
        """The entry changes by section (``faqs``, ``dimensions.claims`` ...), in order of appearance."""
        out: dict[str, list[EntryChange]] = {}
        for change in self.entries:
            out.setdefault(change.entry.section, []).append(change)
        return out


def _not_covered(changes: list[EntryChange], covers: tuple[str, str] = COVERS) -> list[EntryChange]:
    """The entry changes without the field changes another section reports (the verdicts)."""
    section, field = covers
    out = []
    for change in changes:
        fields = tuple(
            f
            for f in change.fields
            if change.entry.section != section or (f.field != field and not f.field.startswith(f"{field}."))
        )
        if change.kind != "changed" or fields:
            out.append(replace(change, fields=fields))
    return out


def compare(base: KnowledgeBase, head: KnowledgeBase, limit: int = LIMIT) -> Changes:
    """Compare two validated knowledge bases. Output: :class:`Changes`. Raises nothing."""
    try:
        outcomes, total = outcome_changes(base, head, limit)
        too_large = False
    except TooManyPathsError:
        outcomes, total, too_large = [], 0, True
    return Changes(
        verdict_changes(base, head),
        outcomes,
        total,
        too_large,
        _not_covered(entry_changes(base, head)),
        section_changes(base, head),
        dropped_citations(base, head),
        size_changes(base, head),
    )


def _load(ref: str | None, path: str) -> tuple[Side, KnowledgeBase | None]:
    """One side: the knowledge base at ``ref`` (the working tree's file for None), or its problems."""
    try:
        if ref is None:
            side = Side("working tree")
            kb = load_knowledge_base(path)
        else:
            side = Side(ref, commit(ref))
            data, source_map = load_yaml(read_at(ref, path), f"{ref}:{path}")
            kb = validate(data, source_map)
    except KnowledgeBaseError as error:
        return Side(side.name, side.commit, error.problems), None
    return side, kb


def main(base_ref: str, head_ref: str | None, path: str, limit: int = LIMIT) -> int:
    """Print the report comparing ``path`` at ``base_ref`` with ``head_ref`` (None: the working
    tree's file); return the exit status (see the module's docstring)."""
    try:
        base, base_kb = _load(base_ref, path)
        head, head_kb = _load(head_ref, path)
    except GitError as error:
        print(f"diff: {error}", file=sys.stderr)
        return 2
    changes = compare(base_kb, head_kb, limit) if base_kb is not None and head_kb is not None else None
    sys.stdout.write(render(base, head, changes, limit))
    return 1 if head_kb is None else 0
