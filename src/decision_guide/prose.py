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
from .problems import Path
from .schema import KnowledgeBase

#: Where a clause ends: sentence punctuation, a semicolon or colon, or a dash between words.
_CLAUSE_END = re.compile(r"[.;:!?](?:\s|$)|\s[\u2014\u2013]\s|\n\s*\n")  # em and en dashes


def prose_fields(kb: KnowledgeBase) -> Iterator[tuple[Path, str]]:
    """``(path, text)`` for every field of ``kb`` a reader sees as text, in file order."""
    from .checks import walk_model  # here, not at the top: checks imports the check modules

    for path, value, _is_key in walk_model(kb):
        if isinstance(value, GuideText) and not isinstance(value, (Identifier, Url, Code)):
            yield path, str(value)


def clauses(text: str) -> list[str]:
    """``text`` cut into clauses (see :data:`_CLAUSE_END`), each stripped, empty ones dropped."""
    return [part.strip() for part in _CLAUSE_END.split(text) if part.strip()]
