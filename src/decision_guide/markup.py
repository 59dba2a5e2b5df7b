"""Contributor text to safe HTML: one rendering path for every text field of the knowledge base.

Every value in ``content/comparisons.yaml`` arrives through a pull request, so it is treated like
form input. The field's type (see :mod:`decision_guide.fieldtypes`) decides which function below
renders it, and each one works the same way:

1. **A restricted dialect.** markdown-it-py parses only what the guide needs (paragraphs and
   lists for block text; emphasis, code spans and links inline). Raw HTML, images, headings,
   reference-style link definitions, attribute lists and includes are not part of the dialect,
   so they come out as literal text.
2. **An allow-list sanitizer.** The HTML goes through nh3 (the binding to Rust's ammonia): only
   the tags, attributes and URL schemes of :data:`ALLOWED_TAGS`, :data:`ALLOWED_ATTRIBUTES` and
   :data:`URL_SCHEMES` survive; relative URLs are dropped, so a link can only leave the site.
3. **Armour for the page's own Markdown.** The generated page is Markdown that MkDocs converts
   with the site's extensions (snippets, attr_list, tables, keys …). :func:`armour` writes the
   characters those extensions react to as numeric character references, and every line break
   as ``&#10;``, so the site's Markdown sees nothing but opaque text and inline tags, while a
   browser shows the same characters.

The result is an HTML string that is safe by construction wherever a template puts it.
"""

from __future__ import annotations

import functools
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import escape
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

#: Tags contributor Markdown may produce (everything else is removed, its text kept).
ALLOWED_TAGS = frozenset({"p", "em", "strong", "code", "a", "ul", "ol", "li", "br"})
#: Attributes kept per tag (``"*"``: on every tag, here none, which drops ammonia's default
#: ``title`` and ``lang``); ammonia adds ``rel`` to links itself.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"*": set(), "a": {"href"}, "ol": {"start"}}
#: URL schemes a contributor's link may use; relative URLs are removed (``url_relative="deny"``).
URL_SCHEMES = frozenset({"https", "http", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

_INLINE_RULES = ["emphasis", "backticks", "link", "autolink", "escape", "entity", "newline"]
_BLOCK_RULES = ["list", *_INLINE_RULES]

#: Characters that Python-Markdown or one of the site's extensions gives a meaning inside a line:
#: escapes, code spans, emphasis, attribute lists, links, ATX heading closers, keys (``++``),
#: table cells, link titles; line breaks and tabs could end a table row or a list item.
#: ``<`` and ``>`` are escaped already (``&lt;``), which also defeats snippets' ``--8<--``.
_MARKDOWN_SIGNIFICANT = '\\`*_{}[]#+|"\n\t'
_ARMOUR = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|[" + re.escape(_MARKDOWN_SIGNIFICANT) + "]")
_TAG_OR_TEXT = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")  # a tag, quoted values may hold ">"


def _parser(rules: list[str]) -> MarkdownIt:
    # "zero" starts with every rule off; html=False keeps raw HTML as text even if a rule asks.
    return MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(rules)


_inline_parser = _parser(_INLINE_RULES)
_block_parser = _parser(_BLOCK_RULES)


def sanitize(html: str) -> str:
    """Pass ``html`` through nh3 with the guide's allow-list.

    Input: an HTML fragment. Output: the fragment with only :data:`ALLOWED_TAGS`,
    :data:`ALLOWED_ATTRIBUTES` and absolute :data:`URL_SCHEMES` links left, comments removed.
    Raises nothing.
    """
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )


def armour(html: str) -> str:
    """Write the characters Markdown reacts to as numeric references, outside tags.

    Input: sanitized HTML, in which every ``<`` of text is already ``&lt;`` (so splitting at
    ``<…>`` finds exactly the tags). Output: the same HTML on one line, with
    :data:`_MARKDOWN_SIGNIFICANT` characters of the text written as ``&#N;``; existing
    entities are kept. Tags are left alone: Python-Markdown stores inline tags whole.
    """
    parts = _TAG_OR_TEXT.split(html)
    for index in range(0, len(parts), 2):  # even indexes are text, odd ones tags
        parts[index] = _ARMOUR.sub(_reference, parts[index])
    return "".join(parts).replace("\r", "")


def _reference(match: re.Match[str]) -> str:
    text = match.group(0)
    return text if text.startswith("&") else f"&#{ord(text)};"


@functools.lru_cache(maxsize=8192)
def render_inline(text: str) -> str:
    """Render one paragraph's worth of inline Markdown (emphasis, code spans, links) to safe HTML.

    Input: contributor text. Output: armoured, sanitized HTML without a wrapping ``<p>``.
    Raises nothing: anything outside the dialect is shown as literal text.
    """
    return armour(sanitize(_inline_parser.renderInline(text)).strip())


@functools.lru_cache(maxsize=4096)
def render_block(text: str) -> str:
    """Render block Markdown (paragraphs and lists of inline Markdown) to safe HTML.

    Input: contributor text. Output: armoured, sanitized HTML, one line, starting with a tag.
    Raises nothing.
    """
    return armour(sanitize(_block_parser.render(text)).strip())


def render_plain(text: str) -> str:
    """Escape plain text for HTML and armour it: ``<``, ``&`` and quotes escaped, no markup."""
    return armour(str(escape(str(text))))


@functools.lru_cache(maxsize=1024)
def highlight(code: str, language: str = "text") -> str:
    """Verbatim code as a highlighted block, in the markup Material styles and adds copy buttons to.

    Input: the code and a Pygments lexer name (unknown names fall back to plain text). Output:
    ``<div class="language-X highlight"><pre><span></span><code>…</code></pre></div>`` on one
    line; Pygments escapes every character of the code, so no content can end the block.
    """
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    html = pygments_highlight(code.strip("\n"), lexer, HtmlFormatter(wrapcode=True))
    html = html.replace('<div class="highlight">', f'<div class="language-{escape(language)} highlight">', 1)
    return armour(html.strip())
