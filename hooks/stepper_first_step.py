"""MkDocs hook: the Decide page's stepper arrives with its first question already in it.

The stepper (``#tree-stepper``) is written by the knowledge base's template with an empty body,
which ``docs/javascripts/decide.js`` fills from the tree in ``data-tree``. Filled after the first
paint, it pushed the rest of the page down by the height of a question and its answers: a layout
shift of about 0.3 on a phone (issue 13). This hook writes the first question into the built page,
exactly as ``Stepper.prototype.render`` in decide.js draws it, so the script's first render
replaces it with the same boxes and nothing moves. The stepper itself stays ``hidden``: the guide's
stylesheet shows it only where scripting is enabled (``@media (scripting: enabled)``), so a reader
without JavaScript still sees the note and the written-out questions instead.

The markup is decide.js's, in Python; tests/test_page_delivery.py checks that the script's render
matches it. A body the template already fills is left alone, so the template can take this over.
"""

from __future__ import annotations

import html
import json
import logging
import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.stepper_first_step")

STEPPER = re.compile(r"<div\b[^>]*\bid=\"tree-stepper\"[^>]*>")
TREE = re.compile(r"""\bdata-tree=(?:'(?P<single>[^']*)'|"(?P<double>[^"]*)")""")
EMPTY_BODY = re.compile(r'<div class="tree-stepper__body">\s*</div>')


def first_step(tree: dict[str, Any]) -> str:
    """The HTML decide.js renders for the start of ``tree`` (the stepper's ``data-tree``): the step
    label, the question as a heading, its help, the "pick the one" note and one button per answer.
    Returns "" if the start node is not a question (decide.js then shows a recommendation)."""
    node = tree["nodes"][tree["start"]]
    if node.get("kind") != "question":
        return ""
    text = html.escape(node["text"])
    parts = [
        '<p class="tree-stepper__step">Question 1</p>',
        f'<h2 class="tree-stepper__question" tabindex="-1">{text}</h2>',
    ]
    if node.get("help"):
        parts.append(f'<p class="tree-stepper__help">{html.escape(node["help"])}</p>')
    if node.get("pick_best"):
        parts.append('<p class="tree-stepper__pick">Pick the one that fits best.</p>')
    buttons = "".join(
        f'<button type="button" class="md-button tree-stepper__answer">{html.escape(answer["label"])}</button>'
        for answer in node["answers"]
    )
    parts.append(f'<div class="tree-stepper__answers" role="group" aria-label="{text}">{buttons}</div>')
    return "".join(parts)


def prerender(output: str) -> str:
    """``output`` (a page's HTML) with the first question written into an empty stepper body;
    pages without a stepper, or with a filled one, come back unchanged."""
    stepper = STEPPER.search(output)
    if stepper is None:
        return output
    tree = TREE.search(stepper[0])
    body = EMPTY_BODY.search(output, stepper.end())
    if tree is None or body is None:
        if tree is None or '<div class="tree-stepper__body">' not in output:
            log.warning("#tree-stepper has no data-tree or no .tree-stepper__body: first question not written")
        return output
    step = first_step(json.loads(html.unescape(tree["single"] or tree["double"] or "{}")))
    return f'{output[: body.start()]}<div class="tree-stepper__body">{step}</div>{output[body.end() :]}'


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Each built page, with the stepper's first question written in where it has a stepper."""
    return prerender(output)
