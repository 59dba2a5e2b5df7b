"""Load ``content/comparisons.yaml``: parse, validate the shape, run the cross-checks.

:func:`load_knowledge_base` is the one entry point the hook, the ``check`` command and the
tests use, so all three report the same problems in the same words. One run finds everything:
when some entries have the wrong shape, they are reported, left out, and the cross-checks run
over the rest (see :func:`validate`).
"""

from __future__ import annotations

import copy
import datetime as dt
import types
import typing
from pathlib import Path as FsPath
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import schema
from .checks import collections, run_checks
from .context import did_you_mean
from .fieldtypes import DATE_EXPECTED, GuideText
from .problems import KnowledgeBaseError, Path, Problem, quote
from .schema import KnowledgeBase
from .yaml_source import SourceMap, read_yaml_file

#: Every field name the schema knows, for "did you mean" hints on unknown keys.
FIELD_NAMES = {
    name
    for model in vars(schema).values()
    if isinstance(model, type) and issubclass(model, BaseModel)
    for name in model.model_fields
}

#: Rounds of "leave out the badly shaped entries and validate again" before giving up.
MAX_PRUNE_ROUNDS = 8


def _resolve(data: Any, loc: tuple[Any, ...]) -> Path:
    """Map a pydantic error location to a document path, dropping the tags pydantic inserts
    (a tagged union's tag, ``[key]`` for a mapping key)."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(current, dict) and part not in current and part == current.get("kind"):
            continue  # the discriminator tag pydantic adds for a tagged union
        in_mapping = isinstance(current, dict) and part in current
        if in_mapping or (isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)):
            current = current[part]
        elif isinstance(current, dict) and not isinstance(part, int):
            path.append(part)  # a missing or unknown key: keep it, then stop descending
            current = None
            continue
        else:
            continue
        path.append(part)
    return tuple(path)


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """Split ``Annotated[T, *meta]`` and ``T | None`` into ``(T, meta)``."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = typing.get_args(annotation)
            metadata.extend(extra)
        elif origin in (Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                return annotation, metadata
            annotation = options[0]
        else:
            return annotation, metadata


def _field_type(loc: tuple[Any, ...]) -> tuple[Any, list[Any]]:
    """The annotation (and its metadata) of the value at a pydantic error location."""
    current: Any = KnowledgeBase
    for part in loc:
        current, _ = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part) if isinstance(part, str) else None
            if info is None:
                return None, []
            current = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        elif origin is list and isinstance(part, int):
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[0 if part == "[key]" else 1]
        elif origin is Union:  # a tagged union: the part is the tag
            members = [
                m
                for m in typing.get_args(current)
                if isinstance(m, type)
                and issubclass(m, BaseModel)
                and part in typing.get_args(m.model_fields["kind"].annotation)
            ]
            if not members:
                return None, []
            current = members[0]
        elif part != "[key]":
            return None, []
    return _unwrap(current)


def expected_for(loc: tuple[Any, ...]) -> str | None:
    """What the field at ``loc`` expects, in words with an example, from its type."""
    annotation, _ = _field_type(loc)
    if isinstance(annotation, type) and issubclass(annotation, GuideText):
        return annotation.expected
    if annotation is dt.date:
        return DATE_EXPECTED
    if typing.get_origin(annotation) is Literal:
        return "one of " + ", ".join(f"`{value}`" for value in typing.get_args(annotation))
    if typing.get_origin(annotation) is list:
        return "a YAML list (lines starting with `- `)"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"a mapping with the fields of {annotation.__name__} (see CONTRIBUTING.md)"
    return None


def _describe(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return quote(text if len(text) <= 60 else text[:57] + "...")


_KIND_NAMES = {dict: "a mapping", list: "a list", str: "text", bool: "a boolean", int: "a number", float: "a number"}


def _problem(item: Any, data: Any, sm: SourceMap) -> Problem:
    """One pydantic error as a located, readable problem."""
    loc = item["loc"]
    path = _resolve(data, loc)
    kind, ctx, value = item["type"], item.get("ctx", {}), item.get("input")
    expected = expected_for(loc)
    if kind == "missing":
        name = loc[-1]
        return sm.problem(
            path[:-1], f"missing required field `{name}`", f"a `{name}:` entry" + (f": {expected}" if expected else "")
        )
    if kind == "extra_forbidden":
        name = str(path[-1]) if path else "?"
        return sm.problem(
            path,
            f"unknown field {quote(name)}{did_you_mean(name, FIELD_NAMES)}",
            "only the fields the schema lists",
            key=True,
        )
    if kind.startswith("guide_"):
        return sm.problem(path, item["msg"], expected)
    if kind == "string_pattern_mismatch":
        return sm.problem(path, f"{_describe(value)} does not fit", expected)
    # A field's own limit on a text type (``Field(max_length=40)``) is checked on the text type's
    # value, which pydantic reports as ``too_long``, as it does for a list.
    if kind in ("string_too_long", "string_too_short") or (
        kind in ("too_long", "too_short") and isinstance(value, str)
    ):
        size = len(value) if isinstance(value, str) else 0
        limit = f"at most {ctx.get('max_length')} characters" if kind.endswith("too_long") else "some text"
        return sm.problem(
            path, f"{size} characters" if size else "empty text", f"{limit}; {expected}" if expected else limit
        )
    if kind in ("too_long", "too_short"):
        size = len(value) if isinstance(value, (list, dict)) else 0
        limit = f"at most {ctx.get('max_length')}" if kind == "too_long" else f"at least {ctx.get('min_length')}"
        return sm.problem(path, f"{size} item(s)", f"{limit} item(s)")
    if kind in ("literal_error", "enum"):
        return sm.problem(path, f"{_describe(value)} is not allowed", expected)
    if kind == "union_tag_invalid":
        return sm.problem(
            path, f"unknown node kind {_describe(ctx.get('tag'))}", "`kind: question` or `kind: recommendation`"
        )
    if kind == "union_tag_not_found":
        return sm.problem(path, "missing required field `kind`", "`kind: question` or `kind: recommendation`")
    if kind == "string_type" and isinstance(value, bool):
        return sm.problem(path, f"YAML read this as the boolean {value}", 'text: put it in quotes, e.g. "Yes"')
    if kind.startswith("date"):
        return sm.problem(path, f"{_describe(value)} is not a date", DATE_EXPECTED)
    got = _KIND_NAMES.get(type(value), type(value).__name__)
    return sm.problem(path, f"got {got} {_describe(value)}", expected or item["msg"])


def problems_from_validation(error: ValidationError, data: Any, sm: SourceMap) -> list[Problem]:
    """Turn pydantic's errors into located, readable problems (one per error)."""
    return [_problem(item, data, sm) for item in error.errors(include_url=False)]


def _prune(data: Any, error: ValidationError) -> bool:
    """Remove from ``data``, in place, the innermost list item holding each error. False when an
    error is not inside any list item, so nothing can be left out."""
    doomed: dict[int, tuple[list[Any], set[int]]] = {}
    for item in error.errors(include_url=False):
        current, holder = data, None
        for part in item["loc"]:
            if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
                holder = (current, part)
                current = current[part]
            elif isinstance(current, dict) and part in current:
                current = current[part]
        if holder is None:
            return False
        entry = doomed.setdefault(id(holder[0]), (holder[0], set()))
        entry[1].add(holder[1])
    for items, positions in doomed.values():
        for position in sorted(positions, reverse=True):
            del items[position]
    return True


def _best_effort(data: dict[str, Any]) -> KnowledgeBase:
    """The knowledge base without its badly shaped parts, for the cross-checks: each top-level
    field is validated on its own, badly shaped list items are left out (:func:`_prune`), and a
    field that still fails is left empty (:func:`_empty`)."""
    fields: dict[str, Any] = {}
    for name, info in KnowledgeBase.model_fields.items():
        if name not in data:
            continue
        annotation: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        value = copy.deepcopy(data[name])
        for _ in range(MAX_PRUNE_ROUNDS):
            try:
                fields[name] = adapter.validate_python(value)
                break
            except ValidationError as error:
                if not _prune(value, error):
                    break
    for name, info in KnowledgeBase.model_fields.items():
        if name not in fields:
            fields[name] = _empty(info.annotation)
    return KnowledgeBase.model_construct(**fields)


def _empty(annotation: Any) -> Any:
    """An empty value of a field's type, for a section left out: a list or mapping without items,
    a model whose fields are all empty, or None; so every check can read any section."""
    annotation = _unwrap(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin is list:
        return []
    if origin is dict:
        return {}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.model_construct(
            **{name: _empty(info.annotation) for name, info in annotation.model_fields.items()}
        )
    return None


def _raise_errors(problems: list[Problem], warnings: list[Problem] | None) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if warnings is not None:
        warnings.extend(p for p in problems if p.severity == "warning")
    if errors:
        raise KnowledgeBaseError(errors)


def validate(data: Any, sm: SourceMap, warnings: list[Problem] | None = None) -> KnowledgeBase:
    """Validate parsed YAML ``data`` located by ``sm``.

    Output: the :class:`~decision_guide.schema.KnowledgeBase`. Raises
    :class:`~decision_guide.problems.KnowledgeBaseError` with every shape problem and every
    cross-check problem; when some entries have the wrong shape, the cross-checks run over the
    others, with the ids of all entries counted as defined. Warnings (advice that does not make
    the file unusable) are appended to ``warnings`` when a list is given, else dropped.
    """
    if not isinstance(data, dict):
        raise KnowledgeBaseError(
            [sm.problem((), f"the document is {_KIND_NAMES.get(type(data), 'a value')}", "a YAML mapping")]
        )
    known = collections(data)
    try:
        kb = KnowledgeBase.model_validate(data)
    except ValidationError as error:
        problems = problems_from_validation(error, data, sm) + run_checks(_best_effort(data), sm, known)
        _raise_errors(problems, warnings)
        raise AssertionError("unreachable: a validation error is an error") from None
    _raise_errors(run_checks(kb, sm, known), warnings)
    return kb


def load_knowledge_base(path: str | FsPath, warnings: list[Problem] | None = None) -> KnowledgeBase:
    """Read, parse and validate the knowledge base at ``path``.

    Output: a validated, immutable :class:`~decision_guide.schema.KnowledgeBase`; warnings are
    appended to ``warnings`` when a list is given.
    Raises :class:`~decision_guide.problems.KnowledgeBaseError` whose ``problems`` list
    every problem found, each with file, 1-based line and column, field path and message.
    """
    data, sm = read_yaml_file(FsPath(path))
    return validate(data, sm, warnings)
