"""Load ``content/comparisons.yaml``: parse, validate the shape, run the cross-checks.

:func:`load_knowledge_base` is the one entry point the hook, the ``check`` command and the
tests use, so all three report the same problems in the same words.
"""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from . import schema
from .checks import did_you_mean, run_checks
from .problems import KnowledgeBaseError, Path, Problem
from .schema import KnowledgeBase
from .yaml_source import SourceMap, read_yaml_file

# Friendlier words for the schema's patterns than the regular expressions themselves.
PATTERN_NAMES = {
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": "an id of lower-case letters, digits and single hyphens, e.g. `async-support`",
    r"^[^\n|]+$": "one line of text without `|`",
    r"^https://[^\s<>\"']+$": "an absolute https:// URL",
    r"^[^\n|\[\]]+$": "a short label without line breaks, `|`, `[` or `]`",
}


#: Every field name the schema knows, for "did you mean" hints on unknown keys.
FIELD_NAMES = {
    name
    for model in vars(schema).values()
    if isinstance(model, type) and issubclass(model, BaseModel)
    for name in model.model_fields
}


def _resolve(data: Any, loc: tuple[Any, ...]) -> Path:
    """Map a pydantic error location to a document path, dropping the union tags pydantic inserts."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part not in current and part == current.get("kind"):
            continue  # the discriminator tag pydantic adds for a tagged union
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif isinstance(current, dict) and not isinstance(part, int):
            path.append(part)  # a missing or unknown key: keep it, then stop descending
            current = None
            continue
        else:
            continue
        path.append(part)
    return tuple(path)


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def problems_from_validation(error: ValidationError, data: Any, sm: SourceMap) -> list[Problem]:
    """Turn pydantic's errors into located, readable problems (one per error)."""
    problems = []
    for item in error.errors(include_url=False):
        path = _resolve(data, item["loc"])
        kind, ctx, value = item["type"], item.get("ctx", {}), item.get("input")
        if kind == "missing":
            name = item["loc"][-1]
            problems.append(sm.problem(path[:-1], f"missing required field `{name}`", f"a `{name}:` entry"))
        elif kind == "extra_forbidden":
            name = str(path[-1]) if path else "?"
            hint = did_you_mean(name, FIELD_NAMES)
            problems.append(sm.problem(path, f"unknown field `{name}`{hint}", "only the fields the schema lists", key=True))
        elif kind == "string_pattern_mismatch":
            wanted = PATTERN_NAMES.get(ctx.get("pattern", ""), f"text matching {ctx.get('pattern')}")
            problems.append(sm.problem(path, f"{_describe(value)} does not fit", wanted))
        elif kind in ("literal_error", "enum"):
            problems.append(sm.problem(path, f"{_describe(value)} is not allowed", str(ctx.get("expected", ""))))
        elif kind == "union_tag_invalid":
            problems.append(sm.problem(path, f"unknown node kind {_describe(ctx.get('tag'))}", ctx.get("expected_tags")))
        elif kind == "union_tag_not_found":
            problems.append(sm.problem(path, "missing required field `kind`", "`kind: question` or `kind: recommendation`"))
        elif kind == "string_type" and isinstance(value, bool):
            problems.append(
                sm.problem(path, f"YAML read this as the boolean {value}", "text: put it in quotes, e.g. \"Yes\"")
            )
        else:
            problems.append(sm.problem(path, f"{item['msg']} (got {_describe(value)})"))
    return problems


def validate(data: Any, sm: SourceMap) -> KnowledgeBase:
    """Validate parsed YAML ``data`` located by ``sm``.

    Output: the :class:`~decision_guide.schema.KnowledgeBase`. Raises
    :class:`~decision_guide.problems.KnowledgeBaseError` with every shape problem, or, when
    the shape is right, every cross-check problem.
    """
    if not isinstance(data, dict):
        raise KnowledgeBaseError([sm.problem((), f"the document is a {type(data).__name__}", "a YAML mapping")])
    try:
        kb = KnowledgeBase.model_validate(data)
    except ValidationError as error:
        raise KnowledgeBaseError(problems_from_validation(error, data, sm)) from None
    problems = run_checks(kb, sm)
    if problems:
        raise KnowledgeBaseError(problems)
    return kb


def load_knowledge_base(path: str | FsPath) -> KnowledgeBase:
    """Read, parse and validate the knowledge base at ``path``.

    Output: a validated, immutable :class:`~decision_guide.schema.KnowledgeBase`.
    Raises :class:`~decision_guide.problems.KnowledgeBaseError` whose ``problems`` list
    every problem found, each with file, 1-based line and column, field path and message.
    """
    data, sm = read_yaml_file(FsPath(path))
    return validate(data, sm)


class LastGood:
    """The last knowledge base that loaded cleanly from each path, for the life of the process.

    ``mkdocs serve`` rebuilds in one process; when an edit breaks the file, the hook reports the
    problems and keeps rendering the last good knowledge base, so the server keeps serving the
    last good site. A one-off ``mkdocs build`` has no earlier load, so it fails as it should.
    """

    def __init__(self) -> None:
        self._by_path: dict[str, KnowledgeBase] = {}

    def load(self, path: str | FsPath) -> tuple[KnowledgeBase, KnowledgeBaseError | None]:
        """Load ``path``; return ``(kb, None)``, or ``(last good kb, error)`` when it has problems.

        Raises :class:`KnowledgeBaseError` when there are problems and no earlier good load.
        """
        key = str(FsPath(path).resolve())
        try:
            kb = load_knowledge_base(path)
        except KnowledgeBaseError as error:
            if key not in self._by_path:
                raise
            return self._by_path[key], error
        self._by_path[key] = kb
        return kb, None


#: The process-wide record used by the MkDocs hook (hook modules are re-imported on every rebuild).
LAST_GOOD = LastGood()
