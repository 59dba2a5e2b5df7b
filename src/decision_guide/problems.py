"""Problems found in a knowledge base, and how they are reported.

Every check in the package reports :class:`Problem` objects rather than raising at the first
one, so a contributor sees every mistake in one run. The text form is the one compilers use,
``FILE:LINE:COLUMN: FIELD PATH: MESSAGE``, so editors and CI annotations can jump to the place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """Render a field path as ``dimensions[3].positions.django.summary``.

    Input: a tuple of mapping keys (str) and list indexes (int). Output: a string; ``<root>``
    for the empty path.
    """
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base.

    ``line`` and ``column`` are 1-based, as editors count them; ``path`` is the field path
    inside the document; ``expected`` (optional) says what would be right.
    """

    file: str
    line: int
    column: int
    path: Path
    message: str
    expected: str | None = None

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {format_path(self.path)}: {self.message}"
        return f"{text}; expected {self.expected}" if self.expected else text


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be used. ``problems`` lists every reason, in file order."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.column, str(p)))
        super().__init__("\n".join(map(str, self.problems)))
