"""One walk over a validated model, shared by the checks, the pages and the diff.

Checks and renderers find values by their type (a :class:`~decision_guide.fieldtypes.Reference`,
an ``Id``, a ``SourceId``), never by field name, so they all need every value nested in the model
with its path. The walk is iterative: a deep tree cannot exhaust Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .problems import Path


def walk_model(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any, bool]]:
    """Yield ``(path, value, is_key)`` for every value nested in a model, depth first, iteratively.

    Mapping keys are yielded too (``is_key`` True), so a reference used as a key is checked.
    """
    stack: list[tuple[Path, Any]] = [(path, value)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, BaseModel):
            fields = [(name, getattr(value, name)) for name in type(value).model_fields]
            stack.extend(((*path, name), item) for name, item in reversed(fields))
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                yield (*path, key), key, True
                stack.append(((*path, key), item))
        elif isinstance(value, (list, tuple)):
            stack.extend(((*path, i), item) for i, item in reversed(list(enumerate(value))))
        else:
            yield path, value, False
