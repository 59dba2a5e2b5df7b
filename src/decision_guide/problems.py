"""Problems found in a knowledge base, and how they are reported.

Every check in the package reports :class:`Problem` objects rather than raising at the first
one, so a contributor sees every mistake in one run. The text form is the one compilers use,
``FILE:LINE:COLUMN: FIELD PATH: MESSAGE``, so editors and CI annotations can jump to the place.
Messages quote contributor text, so every report passes through :func:`printable`: no key or
value can start a new line, forge a CI annotation or send a terminal escape sequence.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

Path = tuple[str | int, ...]

# Controls, format characters (bidirectional overrides, zero-width), separators, private use.
_UNPRINTABLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def printable(text: str) -> str:
    """``text`` with every control, format or invisible character written as ``\\uXXXX``.

    Input: any string. Output: a string that prints on one line exactly as it reads (a newline
    becomes ``\\n``; ESC becomes ``\\u001b``; a bidi override ``\\u202e``). Raises nothing.
    """
    out = []
    for char in text:
        if char == "\n":
            out.append("\\n")
        elif char == "\\" or unicodedata.category(char) not in _UNPRINTABLE:
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return "".join(out)


def quote(value: Any) -> str:
    """``value`` in backticks for a message, made :func:`printable`."""
    return f"`{printable(str(value))}`"


def format_path(path: tuple[Any, ...]) -> str:
    """Render a field path as ``dimensions[async-support].positions.django.summary``.

    Input: a tuple of mapping keys and list positions; an int is a position, a str inside a
    list position is an item id (see ``SourceMap.labels``). Output: a string; ``<root>`` for
    the empty path.
    """
    out = ""
    for index, part in enumerate(path):
        if isinstance(part, int) or (index and isinstance(part, str) and part.startswith("[")):
            out += f"[{part}]" if isinstance(part, int) else part
        else:
            out += f".{part}" if out else str(part)
    return out or "<root>"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base.

    ``line`` and ``column`` are 1-based, as editors count them; ``path`` is the field path
    inside the document (list positions as ints); ``expected`` (optional) says what would be
    right; ``labels`` is the path as shown, list positions replaced by item ids. A ``warning``
    is advice (a stale review date): it is reported, but the file is still usable.
    """

    file: str
    line: int
    column: int
    path: Path
    message: str
    expected: str | None = None
    labels: tuple[Any, ...] | None = None
    severity: Literal["error", "warning"] = "error"

    def shown_path(self) -> str:
        """The field path as the report shows it, e.g. ``sources[django-admin].url``."""
        labels = self.labels if self.labels is not None else self.path
        return format_path(
            tuple(
                f"[{part}]" if isinstance(part, str) and isinstance(original, int) else part
                for part, original in zip(labels, self.path, strict=False)
            )
        )

    def __str__(self) -> str:
        kind = "warning: " if self.severity == "warning" else ""
        text = f"{self.file}:{self.line}:{self.column}: {self.shown_path()}: {kind}{self.message}"
        return printable(f"{text}; expected {self.expected}" if self.expected else text)

    def github(self) -> str:
        """The problem as a GitHub Actions ``::error`` (or ``::warning``) workflow command, escaped as GitHub's
        toolkit escapes them (``%``, CR and LF in data; also ``:`` and ``,`` in properties),
        so it annotates the changed line and cannot start another command."""
        message = f"{self.shown_path()}: {self.message}" + (f"; expected {self.expected}" if self.expected else "")
        properties = f"file={_escape_property(self.file)},line={self.line},col={self.column}"
        return f"::{self.severity} {properties}::{_escape_data(printable(message))}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(printable(text)).replace(":", "%3A").replace(",", "%2C")


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be used. ``problems`` lists every reason, in file order."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.column, str(p)))
        super().__init__("\n".join(map(str, self.problems)))
