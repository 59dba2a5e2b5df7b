"""The Django vs Flask decision guide's knowledge base: load, validate and render it.

The package is independent of MkDocs: :func:`load_knowledge_base` returns a validated
:class:`KnowledgeBase` (or raises :class:`KnowledgeBaseError` listing every problem with its
line and column), and :class:`Renderer` turns it into Markdown pages. ``hooks/`` in the
repository adapts both to MkDocs events.
"""

from .loader import load_knowledge_base
from .pages import Renderer, UnknownBlockError
from .registry import PAGES
from .problems import KnowledgeBaseError, Problem
from .schema import KnowledgeBase, json_schema

__all__ = [
    "PAGES",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Problem",
    "Renderer",
    "UnknownBlockError",
    "json_schema",
    "load_knowledge_base",
]
