"""The semantic diff as GitHub-flavoured Markdown, for a terminal, a job summary or a PR comment.

The report quotes contributor text (row names, labels, answers), which comes from the pull
request under review, so it is printed as text, never as Markdown: the template's environment
escapes every value it prints (:func:`text`) unless a filter of this module wrote it as Markdown
on purpose (:class:`Markdown`). Nothing a contributor writes can become a link, an image, an
HTML tag, a table cell, a mention or a line of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sized
from dataclasses import dataclass, field
from typing import Any

import jinja2

from ..problems import Problem, printable
from .sizes import SizeChange

#: Longest contributor text quoted in the report, in characters.
QUOTE_MAX = 120
#: Longest report, in characters: a GitHub comment holds 65,536, and the workflow adds a few lines.
REPORT_MAX = 60_000
CUT = "\n…the report stops here; `scripts/diff` prints all of it.\n"
#: Characters that GitHub-flavoured Markdown interprets inside a line: escapes, code spans,
#: emphasis, links and images, HTML and autolinks, entities, table cells, strikethrough, math.
_SIGNIFICANT = re.compile(r"([\\`*_\[\]<>&|~$!])")


class Markdown(str):
    """Text a filter of this module wrote as Markdown: printed as it is."""


@dataclass(frozen=True)
class Side:
    """One side of the comparison as the report names it: ``name`` (the git ref given, or
    ``working tree``), ``commit`` (the abbreviated commit, if any) and ``problems`` (empty when
    the knowledge base loads)."""

    name: str
    commit: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def label(self) -> Markdown:
        """The side as the report names it: the ref and its commit, or the commit alone when the
        ref is one (a full commit id)."""
        if self.commit and self.name.startswith(self.commit):
            return code(self.commit)
        return Markdown(code(self.name) + (f" ({code(self.commit)})" if self.commit else ""))


def text(value: Any) -> str:
    """``value`` as Markdown text that reads as itself: on one line, every character Markdown
    would interpret backslash-escaped, ``@`` kept from mentioning anyone (``@&#8203;``, the
    zero-width space Renovate uses for the same purpose), and unprintable characters written
    as ``\\uXXXX``."""
    if isinstance(value, Markdown):
        return value
    plain = printable(" ".join(str(value).split()))
    return _SIGNIFICANT.sub(r"\\\1", plain).replace("@", "@&#8203;")


def code(value: Any) -> Markdown:
    """``value`` as a code span (ids, field paths, git refs), with a fence longer than any run of
    backticks it holds, and ``|`` escaped (GitHub splits table cells on it even there)."""
    plain = printable(" ".join(str(value).split()))
    fence = "`" * (max((len(run) for run in re.findall("`+", plain)), default=0) + 1)
    pad = " " if plain.startswith("`") or plain.endswith("`") else ""
    return Markdown(f"{fence}{pad}{plain.replace('|', chr(92) + '|')}{pad}{fence}")


def shorten(value: Any, size: int = QUOTE_MAX) -> str:
    """``value`` on one line, cut to ``size`` characters with an ellipsis."""
    plain = " ".join(str(value).split())
    return plain if len(plain) <= size else plain[: size - 1] + "…"


def problems(items: list[Problem], shown: int = 5) -> Markdown:
    """The first ``shown`` problems as a code block (each line starts with the file name, so
    no line can close the block)."""
    lines = [str(p) for p in items[:shown]]
    return Markdown("```text\n" + "\n".join(lines) + "\n```")


def more(items: Sized, limit: int) -> Markdown:
    """``…and N more.`` when ``items`` holds more than ``limit``, else nothing."""
    return Markdown(f"\n…and {len(items) - limit} more.") if len(items) > limit else Markdown("")


def size(value: int | None) -> Markdown:
    """Bytes as ``12.3 KB`` (1 KB = 1,000 bytes), or a dash for no page."""
    return Markdown("—" if value is None else f"{value / 1000:.1f} KB")


def change(page: SizeChange) -> Markdown:
    """A page's size change as ``+12 %``, or ``new page`` / ``removed``."""
    if page.before is None:
        return Markdown("new page")
    if page.after is None:
        return Markdown("removed")
    return Markdown(f"{(page.ratio or 0) * 100:+.0f} %")


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report: values escaped by :func:`text` unless a filter
    made them :class:`Markdown`; a typo in the template is an error (``StrictUndefined``)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("decision_guide", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=text,
    )
    env.filters.update(code=code, shorten=shorten, problems=problems, more=more, size=size, change=change)
    return env


def render(base: Side, head: Side, changes: Any, limit: int, size: int = REPORT_MAX) -> str:
    """The report: ``changes`` (a :class:`~decision_guide.diff.Changes`, or None when either side
    does not load) between ``base`` and ``head``, at most ``limit`` items per section, and at most
    ``size`` characters (cut at a line's end, saying so). Blank lines are folded, so the Markdown
    reads well in a terminal too."""
    out = environment().get_template("diff.md.j2").render(base=base, head=head, changes=changes, limit=limit)
    out = re.sub(r"\n{3,}", "\n\n", out).strip() + "\n"
    if len(out) > size:
        out = out[: out.rfind("\n", 0, size - len(CUT)) + 1] + CUT
    return out
