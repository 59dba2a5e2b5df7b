"""The decision record of a recommendation: an Architecture Decision Record in Markdown, built once.

A record is a list of parts, JSON-ready: a string is Markdown as it stands; a dict is a slot,
``{"slot": NAME, "text": TEXT}``, whose ``text`` is what the page shows before a reader has
answered anything, and which the Decide page's script (``docs/javascripts/decide.js``) fills in
for the reader when it copies or downloads the record:

- ``date``: ``YYYY-MM-DD`` on the page, today's date in the reader's copy;
- ``answers``: the answers of the first path to the recommendation, one ``line`` each (the
  slot's ``line`` pattern, with ``{question}`` and ``{answer}``); the reader's own answers;
- ``here``: the recommendation on the Decide page (``../decide/#ID``); the reader's path there;
- ``link``: a link relative to the Decide page (``../sources/#ID``); made absolute.

The page shows :func:`record_text` of the parts (the Decide page without JavaScript keeps a
record per recommendation); the script joins the same parts with its own fills, so neither edits
the other's output. Contributor values appear as typed (their Markdown source): the record is
Markdown to paste into a repository.
"""

from __future__ import annotations

from typing import Any

from .schema import Answer, Question, Recommendation, Source

#: How the record lists each answer given.
ANSWER_LINE = "- {question} **{answer}**\n"
#: What an article's entry in the record's sources adds, since the record cannot link to its text.
ARTICLE_NOTE = " (an article, summarised in the guide's Sources page)"

Part = str | dict[str, str]


def record_parts(
    node: Recommendation,
    trail: list[tuple[Question, Answer]],
    *,
    use: str,
    sources: dict[str, Source],
    version: str,
    reviewed: str,
) -> list[Part]:
    """The record of ``node`` as parts (see the module's docstring).

    Input: the recommendation, the first path to it (``trail``: ``(question, answer)`` pairs,
    for the page's copy), ``use`` (what it says to use, in words), the sources by id, the guide's
    version and the date of the newest source review (ISO 8601). Raises KeyError for a citation
    of an unknown source (the validator refuses those).
    """
    parts: list[Part] = []

    def text(value: str) -> None:
        if parts and isinstance(parts[-1], str):
            parts[-1] += value
        else:
            parts.append(value)

    def cites(ids: list[Any]) -> str:
        return "(" + "; ".join(str(sources[str(i)].short) for i in ids) + ")"

    text(f"# Use {use}\n\n- Status: proposed\n- Date: ")
    parts.append({"slot": "date", "text": "YYYY-MM-DD"})
    text("\n- Decision guide: [Django vs Flask decision guide](")
    parts.append({"slot": "here", "text": f"../decide/#{node.id}"})
    text(f"), version {version}, sources reviewed up to {reviewed}\n\n")
    text("## Context\n\nWe need to choose a Python web framework for this project. ")
    text("We answered the decision guide's questions:\n\n")
    answers = "".join(ANSWER_LINE.format(question=q.text, answer=a.label) for q, a in trail)
    parts.append({"slot": "answers", "line": ANSWER_LINE, "text": answers})
    text(f'\n## Decision\n\nWe will use {use}, following the guide\'s recommendation "{node.title}", ')
    text("for these reasons:\n\n")
    for item in node.reasons:
        text(f"- {item.text} {cites(item.cite)}\n")
    text("\n## Consequences\n\n")
    for item in node.caveats:
        text(f"- {item.text} {cites(item.cite)}\n")
    if not node.caveats:
        text("- The guide records no caveat for this recommendation.\n")
    if node.would_change:
        text("\nWe will revisit this decision if:\n\n")
        for change in node.would_change:
            text(f"- {change}\n")
    text("\n## Sources\n\n")
    cited = dict.fromkeys(str(i) for item in [*node.reasons, *node.caveats] for i in item.cite)
    for source_id in cited:
        source = sources[source_id]
        text(f"- {source.short}: [{source.title}](")
        if source.url:
            text(str(source.url))
        else:
            parts.append({"slot": "link", "text": f"../sources/#{source_id}"})
        text(f"), {source.publisher}{ARTICLE_NOTE if source.kind == 'article' else ''}\n")
    return parts


def record_text(parts: list[Part]) -> str:
    """The record as the page shows it: every slot with its ``text``."""
    return "".join(part if isinstance(part, str) else part["text"] for part in parts)
