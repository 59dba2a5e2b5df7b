"""Entries, sections and citations of two knowledge bases, found by type and compared.

An entry is a model with a field of the ``Id`` type (:class:`~decision_guide.fieldtypes.Identifier`,
not a reference): a source, a claim, a FAQ, a tree node, a release and whatever section the
schema gains. Entries are matched by their list (:func:`~decision_guide.checks.id_group`, the
same grouping the uniqueness check uses) and id, and compared field by field, nested entries
apart (a claim is its own entry, not a change of its dimension); what lies outside every entry
is compared from the root the same way. A citation is a value of the
:class:`~decision_guide.fieldtypes.SourceId` type; a statement is the list that holds it.
Nothing here names a section or a field, so new schema fields are compared as they come.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from ..checks import id_group
from ..fieldtypes import GuideText, Identifier, SourceId
from ..model_walk import walk_model
from ..problems import Path

#: Longest value shown as it is in a field change; a longer one is only said to have changed.
SHORT = 80


@dataclass(frozen=True)
class Entry:
    """An entry of a knowledge base: ``section`` (its list, e.g. ``dimensions.claims``), ``id``,
    ``where`` (its place, e.g. ``dimensions[admin].claims[admin-claim]``), ``label`` (its first
    text field, or its id) and ``model``."""

    section: str
    id: str
    where: str
    label: str
    model: BaseModel


@dataclass(frozen=True)
class FieldChange:
    """One changed field of an entry: ``field`` (a path inside the entry, e.g. ``lts.version``),
    and ``before`` / ``after``, the values when short enough to show (None: absent); or, for a
    value too long or nested to show, only a ``note``: ``added``, ``removed`` or ``reworded``."""

    field: str
    before: str | None = None
    after: str | None = None
    note: Literal["", "added", "removed", "reworded"] = ""


@dataclass(frozen=True)
class EntryChange:
    """An entry ``added``, ``removed`` or ``changed`` (with its :class:`FieldChange` list); an
    entry added or removed shows its fields with a fixed set of values (:func:`choices`)."""

    kind: Literal["added", "removed", "changed"]
    entry: Entry
    fields: tuple[FieldChange, ...] = ()

    @property
    def choices(self) -> dict[str, str]:
        return choices(self.entry.model)


@dataclass(frozen=True)
class DroppedCitation:
    """A statement (``where``, e.g. ``faqs[faq-admin].cite``) present in both versions that no
    longer cites ``source``; ``cited_nowhere`` when no statement of the head cites it any more."""

    where: str
    source: str
    cited_nowhere: bool


def entry_id(model: BaseModel) -> str | None:
    """The value of the model's ``Id``-typed field, or None when it has none (not an entry)."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if type(value) is Identifier:
            return str(value)
    return None


def label(model: BaseModel) -> str | None:
    """The model's first text field that is not an id (a name, title, question ...), as plain text."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, GuideText) and not isinstance(value, Identifier):
            return " ".join(str(value).split())
    return None


def choices(model: BaseModel) -> dict[str, str]:
    """The model's fields whose type is a fixed set of values (a ``Literal``: a claim's
    ``status``, a source's ``kind``), as ``{name: value}``: what an added entry is, at a glance."""
    return {
        name: str(getattr(model, name))
        for name, info in type(model).model_fields.items()
        if typing.get_origin(info.annotation) is Literal and getattr(model, name) is not None
    }


def _shorten(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _walk(kb: BaseModel) -> Iterator[tuple[Path, str, Any]]:
    """Every value nested in ``kb``, models included: ``(path, where, value)``, where ``where``
    names each list item by its id, or else its label (so a statement keeps its name when items
    are inserted before it), or else its position. Iterative, depth first."""
    stack: list[tuple[Path, str, Any]] = [((), "", kb)]
    while stack:
        path, where, value = stack.pop()
        yield path, where, value
        if isinstance(value, BaseModel):
            for name in reversed(type(value).model_fields):
                stack.append(((*path, name), f"{where}.{name}" if where else name, getattr(value, name)))
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                stack.append(((*path, key), f"{where}.{key}", item))
        elif isinstance(value, (list, tuple)):
            for i, item in reversed(list(enumerate(value))):
                name = str(i)
                if isinstance(item, BaseModel):
                    name = entry_id(item) or _shorten(label(item) or name)
                stack.append(((*path, i), f"{where}[{name}]", item))


def entries(kb: BaseModel) -> dict[tuple[str, str], Entry]:
    """Every entry of ``kb``, by ``(section, id)``."""
    out: dict[tuple[str, str], Entry] = {}
    for path, where, value in _walk(kb):
        if isinstance(value, BaseModel) and (id_ := entry_id(value)) is not None:
            section = id_group((*path, "id"))
            out[section, id_] = Entry(section, id_, where, label(value) or id_, value)
    return out


def _short(value: Any) -> str | None:
    """``value`` as text when it is short enough to show, else None."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float, bool, dt.date)) for v in value):
        text = ", ".join(map(str, value))
    elif isinstance(value, (str, int, float, bool, dt.date)):
        text = str(value)
    else:
        return None
    text = " ".join(text.split())
    return text if len(text) <= SHORT else None


def _by_label(items: Any) -> dict[str, BaseModel] | None:
    """``{shortened label: item}`` of a list of models, or None when an item has no label or two
    share one (then items are matched by position)."""
    if not isinstance(items, (list, tuple)):
        return None
    out: dict[str, BaseModel] = {}
    for item in items:
        text = label(item) if isinstance(item, BaseModel) else None
        if text is None or _shorten(text) in out:
            return None
        out[_shorten(text)] = item
    return out


def _count(value: Any) -> str | None:
    return None if value is None else f"{len(value)} items"


def _is_entry_or_entries(value: Any) -> bool:
    """Whether ``value`` is an entry, or a list or mapping of entries."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return any(isinstance(v, BaseModel) and entry_id(v) is not None for v in value)
    return isinstance(value, BaseModel) and entry_id(value) is not None


def field_changes(before: Any, after: Any, field: str = "") -> list[FieldChange]:
    """The differences between two values of one field (or two entries, ``field`` empty), nested
    entries left out: each as a :class:`FieldChange` at the deepest field that tells what changed
    (``positions.flask.summary``), or a count when a list of models changed length. None is an
    absent value."""
    if before == after:
        return []
    if isinstance(before, BaseModel) and isinstance(after, BaseModel) and type(before) is not type(after):
        return [FieldChange(f"{field}.type" if field else "type", type(before).__name__, type(after).__name__)]
    if isinstance(before, BaseModel) and isinstance(after, BaseModel):
        out: list[FieldChange] = []
        for name in type(before).model_fields:
            old, new = getattr(before, name), getattr(after, name)
            if _is_entry_or_entries(old) or _is_entry_or_entries(new):
                continue  # a nested entry is compared as an entry of its own
            out += field_changes(old, new, f"{field}.{name}" if field else name)
        return out
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in [*before, *(k for k in after if k not in before)]:
            out += field_changes(before.get(key), after.get(key), f"{field}.{key}")
        return out
    models = [v for v in (before, after) if isinstance(v, (list, tuple)) and any(isinstance(m, BaseModel) for m in v)]
    if models:
        olds, news = _by_label(before), _by_label(after)
        if olds is not None and news is not None:  # items matched by their text: insertions read as such
            out = []
            for key in [*news, *(k for k in olds if k not in news)]:
                if key not in olds or key not in news:
                    out.append(FieldChange(f"{field}[{key}]", note="added" if key in news else "removed"))
                else:
                    out += field_changes(olds[key], news[key], f"{field}[{key}]")
            return out
        if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)) and len(before) == len(after):
            out = []
            for i, (old, new) in enumerate(zip(before, after, strict=True)):
                out += field_changes(old, new, f"{field}[{i}]")
            return out
        return [FieldChange(field, _count(before), _count(after))]
    old, new = _short(before), _short(after)
    if (before is None or old is not None) and (after is None or new is not None):
        return [FieldChange(field, old, new)]
    return [FieldChange(field, note="added" if before is None else "removed" if after is None else "reworded")]


def entry_changes(base: BaseModel, head: BaseModel) -> list[EntryChange]:
    """Entries added, removed or changed from ``base`` to ``head``, in the head's order (removed
    entries after, in the base's order)."""
    old, new = entries(base), entries(head)
    out: list[EntryChange] = []
    for key, entry in new.items():
        if key not in old:
            out.append(EntryChange("added", entry))
        elif changes := field_changes(old[key].model, entry.model):
            out.append(EntryChange("changed", entry, tuple(changes)))
    out += [EntryChange("removed", entry) for key, entry in old.items() if key not in new]
    return out


def section_changes(base: BaseModel, head: BaseModel) -> list[FieldChange]:
    """The changes outside any entry: sections without ids (the quick answer, the decision
    table, the guidance, the quick starts) and the fields of a section beside its entries (the
    decision tree's ``start``), as :class:`FieldChange` paths from the root."""
    return field_changes(base, head)


def statements(kb: BaseModel) -> dict[str, set[str]]:
    """``{statement: cited source ids}``: every list of source references, named by its place."""
    out: dict[str, set[str]] = {}
    for path, where, value in _walk(kb):
        if isinstance(value, SourceId) and isinstance(path[-1], int):
            out.setdefault(where.rsplit("[", 1)[0], set()).add(str(value))
    return out


def dropped_citations(base: BaseModel, head: BaseModel) -> list[DroppedCitation]:
    """Citations that a statement of both versions no longer makes, in the head's order."""
    old, new = statements(base), statements(head)
    cited = Counter(str(v) for _, v, _ in walk_model(head) if isinstance(v, SourceId))
    return [
        DroppedCitation(where, source, cited[source] == 0)
        for where, sources in new.items()
        if where in old
        for source in sorted(old[where] - sources)
    ]
