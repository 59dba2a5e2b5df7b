"""What every check reads, and how it reports an unknown id: the context shared by the check
modules (``checks``, ``verdicts``, ``consistency``, ``freshness``), kept apart so that none of
them imports another."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .limits import MAX_HINTS
from .problems import Path, Problem, quote
from .schema import KnowledgeBase
from .yaml_source import SourceMap


@dataclass
class Context:
    """What the checks read: ``kb`` (valid entries), ``known`` (collection -> ids defined in the
    file, including entries whose shape is wrong, so a reference to them is not reported twice),
    and ``sm``, the source map for locations."""

    kb: KnowledgeBase
    known: dict[str, set[str]]
    sm: SourceMap
    hints_left: int = MAX_HINTS

    def unknown(
        self, path: Path, value: str, known: Iterable[str], what: str, expected: str, *, key: bool = False
    ) -> Problem:
        """A located "unknown X" problem, with a "did you mean" hint while hints last."""
        hint = ""
        if self.hints_left > 0:
            self.hints_left -= 1
            hint = did_you_mean(value, known)
        return self.sm.problem(path, f"unknown {what} {quote(value)}{hint}", expected, key=key)


Check = Callable[[Context], Iterator[Problem]]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``"; did you mean `x`?"`` for the closest of ``choices``, or an empty string.

    Uses rapidfuzz's normalised Indel similarity (the measure of difflib's ratio), cut off at 60,
    in C: one call over 5,000 choices takes well under a millisecond. Imported here, as only a
    file with problems needs it (a clean build then saves the import).
    """
    from rapidfuzz import fuzz, process

    match = process.extractOne(str(word), list(choices), scorer=fuzz.ratio, score_cutoff=60)
    return f"; did you mean {quote(match[0])}?" if match else ""
