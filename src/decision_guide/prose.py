"""The prose of a knowledge base, for the checks that read what it says.

Not a check itself: :mod:`decision_guide.maintenance` and :mod:`decision_guide.python_prose` use
:func:`prose_fields` to read every text a reader sees (plain and Markdown text, not ids, URLs or
verbatim code) and :func:`clauses` to judge a statement one clause at a time, so a clause about one
package is not read as being about another named in the same sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .fieldtypes import Code, GuideText, Identifier, Url
from .model_walk import walk_model
from .problems import Path
from .schema import KnowledgeBase

#: Where a clause ends: sentence punctuation, a semicolon or colon, or a dash between words.
_CLAUSE_END = re.compile(r"[.;:!?](?:\s|$)|\s[\u2014\u2013]\s|\n\s*\n")  # em and en dashes


#: The last knowledge base read and its prose: the checks that read prose share one walk.
_last: tuple[KnowledgeBase, list[tuple[Path, str]]] | None = None


def prose_fields(kb: KnowledgeBase) -> Iterator[tuple[Path, str]]:
    """``(path, text)`` for every field of ``kb`` a reader sees as text, in file order. The walk
    over the whole model is done once per knowledge base (its result kept for the next check)."""
    global _last
    if _last is None or _last[0] is not kb:
        found = [
            (path, str(value))
            for path, value, _is_key in walk_model(kb)
            if isinstance(value, GuideText) and not isinstance(value, (Identifier, Url, Code))
        ]
        _last = (kb, found)
    yield from _last[1]


def clauses(text: str) -> list[str]:
    """``text`` cut into clauses (see :data:`_CLAUSE_END`), each stripped, empty ones dropped."""
    return [part.strip() for part in _CLAUSE_END.split(text) if part.strip()]
