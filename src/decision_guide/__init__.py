"""The Django vs Flask decision guide's knowledge base: load, validate and render it.

The package is independent of MkDocs: :func:`load_knowledge_base` returns a validated
:class:`KnowledgeBase` (or raises :class:`KnowledgeBaseError` listing every problem with its
line and column), and :class:`Renderer` turns it into Markdown pages. ``hooks/`` in the
repository adapts both to MkDocs events.

The names below are imported on first use (PEP 562), so that importing a light module such as
:mod:`decision_guide.build_cache` or :mod:`decision_guide.registry` does not load pydantic; the
same imports under ``TYPE_CHECKING`` give mypy (and any tool that maps the imports) their types.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what __getattr__ returns, for mypy and for tools that map the imports
    from .loader import load_knowledge_base as load_knowledge_base
    from .pages import Renderer as Renderer
    from .problems import KnowledgeBaseError as KnowledgeBaseError
    from .problems import Problem as Problem
    from .registry import PAGES as PAGES
    from .registry import UnknownBlockError as UnknownBlockError
    from .schema import KnowledgeBase as KnowledgeBase
    from .schema import json_schema as json_schema

_EXPORTS = {
    "PAGES": "registry",
    "KnowledgeBase": "schema",
    "KnowledgeBaseError": "problems",
    "Problem": "problems",
    "Renderer": "pages",
    "UnknownBlockError": "registry",
    "json_schema": "schema",
    "load_knowledge_base": "loader",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'decision_guide' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
