"""The field types of the knowledge base: what a field may hold decides how it is checked and shown.

Each text type is a ``str`` subclass whose ``__html__`` renders it safely (Jinja's autoescape
calls ``__html__``), so a template cannot show a field the wrong way, and nothing depends on a
field's name. The schema names them through the aliases below, ``Annotated[<class>,
TextRules(...)]``: pydantic reads the limits, the validators and the JSON Schema from
:class:`TextRules` and returns an instance of the class, and strict mypy sees the class (a
``Source.title`` is a :class:`PlainText`). ``expected`` holds the words the check command uses
when a value does not fit.

=====================  ===========================================  ==========================
type                   holds                                        rendered as
=====================  ===========================================  ==========================
:data:`PlainLine`      one line of text, no markup                  escaped text
:data:`InlineLine`     one line of inline Markdown                  ``<em>``, ``<code>``, links
:data:`InlineText`     a paragraph of inline Markdown               the same, line breaks folded
:data:`BlockText`      paragraphs and lists of inline Markdown      ``<p>``, ``<ul>``, ``<ol>``
:data:`CodeText`       verbatim commands or code                    an escaped code block
:data:`HttpsUrl`       an absolute https URL                        an ``href``
:data:`Id`             a stable id                                  the id
references             the id of another entry (:class:`Reference`) the id
=====================  ===========================================  ==========================
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from pydantic import AfterValidator, Field, GetCoreSchemaHandler, StringConstraints
from pydantic_core import CoreSchema, PydanticCustomError

from . import markup
from .limits import BLOCK_MAX, CODE_MAX, ID_MAX, LINE_MAX, PARAGRAPH_MAX, URL_MAX

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
URL_PATTERN = r"^https://[^\s\"'()<>\\^`{|}]+$"


# Unicode categories never allowed in text: controls, format characters (bidirectional
# overrides, zero-width joiners), private use, surrogates, and line/paragraph separators.
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}


def describe_character(char: str) -> str:
    """Name a character for a message: ``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"


def _check_characters(value: str, allowed: str) -> str:
    for char in value:
        if char not in allowed and unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            where = "a line break" if char in "\r\n" else describe_character(char)
            raise PydanticCustomError(
                "guide_character", "contains {what}, which this field does not allow", {"what": where}
            )
    return value


class GuideText(str):
    """Base of the text types: ``kind`` names the type in the schema, ``expected`` says what fits."""

    kind: ClassVar[str] = "text"
    expected: ClassVar[str] = "text"

    def __html__(self) -> str:
        return markup.render_plain(self)


class PlainText(GuideText):
    """One line of plain text: names, titles, labels. Markup characters are shown as typed."""

    kind = "plain-line"
    expected = f"one line of plain text, at most {LINE_MAX} characters, e.g. `Django REST framework`"


class InlineMarkdown(GuideText):
    """Inline Markdown: ``*emphasis*``, ``**strong**``, `` `code` `` and ``[links](https://…)``."""

    kind = "inline-markdown"
    expected = "inline Markdown (emphasis, `code`, `[links](https://...)`), e.g. `Ships **an admin** site.`"

    def __html__(self) -> str:
        return markup.render_inline(self)


class InlineParagraph(InlineMarkdown):
    """A paragraph of inline Markdown; YAML's folded style (``>-``) keeps it readable in the file."""

    kind = "inline-paragraph"


class BlockMarkdown(GuideText):
    """Paragraphs and lists of inline Markdown."""

    kind = "block-markdown"
    expected = "Markdown paragraphs and lists, with emphasis, `code` and `[links](https://...)`"

    def __html__(self) -> str:
        return markup.render_block(self)


class Code(GuideText):
    """Commands or source code shown verbatim, never interpreted."""

    kind = "code"
    expected = "verbatim code (a YAML block scalar `|` keeps its lines)"

    def __html__(self) -> str:
        return markup.highlight(self, "text")


class Url(GuideText):
    """An absolute https URL."""

    kind = "https-url"
    expected = "an absolute https:// URL without spaces, quotes or parentheses, e.g. `https://docs.djangoproject.com/`"


class Identifier(GuideText):
    """A stable id: lower-case letters, digits and single hyphens. Safe in HTML and URLs as it is."""

    kind = "id"
    expected = "an id of lower-case letters, digits and single hyphens, e.g. `async-support`"

    def __html__(self) -> str:
        return str(self)


class Reference(Identifier):
    """The id of another entry. ``collection`` names where it must be defined (see ``checks``)."""

    kind = "reference"
    collection: ClassVar[str] = ""
    extra: ClassVar[frozenset[str]] = frozenset()  # values allowed besides the collection's ids


class SourceId(Reference):
    collection = "sources"
    expected = "the id of an entry of `sources`, e.g. `django-admin`"


class ArticleId(Reference):
    collection = "articles"
    expected = "the id of a `sources` entry with `kind: article`, e.g. `nilo-2026`"


class SubjectId(Reference):
    collection = "subjects"
    expected = "the id of an entry of `subjects`, e.g. `django`"


class SubjectChoice(Reference):
    collection = "subjects"
    extra = frozenset({"either"})
    expected = "the id of an entry of `subjects`, or `either`"


class TableId(Reference):
    collection = "tables"
    expected = "the id of an entry of `tables`, e.g. `frameworks`"


class DimensionId(Reference):
    collection = "dimensions"
    expected = "the id of an entry of `dimensions`, e.g. `async-support`"


class NodeId(Reference):
    collection = "tree nodes"
    expected = "the id of a node of `decision_tree.nodes`"


class NeedId(Reference):
    collection = "needs"
    expected = "the id of an entry of `needs`, e.g. `microservice`"


# ---- Markdown: the dialect's limits, reported to the contributor ------------------------------
# The renderer is safe whatever the text holds (see markup.py); these checks only tell the
# contributor early that raw HTML, images and unsafe links will not work.

_DETECTOR = MarkdownIt("commonmark", {"html": True}).disable(["reference"])
_DETECTOR.validateLink = lambda url: True  # type: ignore[method-assign] # see every link, so an unsafe one is reported, not dropped


def _check_markdown(value: str) -> str:
    stack = list(reversed(_DETECTOR.parse(value)))
    while stack:  # document order, so the first offending token is the one reported
        token = stack.pop()
        stack.extend(reversed(token.children or []))
        if token.type in ("html_inline", "html_block"):
            raise PydanticCustomError(
                "guide_markdown", "raw HTML `{html}` is not allowed", {"html": token.content.strip()[:40]}
            )
        if token.type == "image":
            raise PydanticCustomError("guide_markdown", "images are not allowed", {})
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            if urlsplit(href).scheme.lower() not in markup.URL_SCHEMES:
                raise PydanticCustomError(
                    "guide_markdown",
                    "the link `{href}` is not allowed: links must be absolute https, http or mailto URLs",
                    {"href": href[:60]},
                )
    return value


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or "." not in parts.hostname:
        raise PydanticCustomError("guide_url", "is not an absolute https URL with a host name", {})
    if parts.username is not None or parts.password is not None:
        raise PydanticCustomError("guide_url", "carries credentials (user:password@), which are not allowed", {})
    return value


@dataclass(frozen=True)
class TextRules:
    """How a text type is read: pydantic metadata for ``Annotated[<GuideText subclass>, TextRules(...)]``.

    The value is validated as a ``str`` with ``constraints``, then checked for characters outside
    ``allowed`` (see :data:`_FORBIDDEN_CATEGORIES`), then by each of ``checks`` in turn, and comes
    out as an instance of the annotated class; its JSON Schema is the string's, with
    ``x-guide-type`` (the class's ``kind``) and ``example``. Mypy sees the annotated class.
    """

    constraints: StringConstraints
    allowed: str = ""
    checks: tuple[Callable[[str], str], ...] = ()
    example: str | None = None

    def __get_pydantic_core_schema__(self, source: type[GuideText], handler: GetCoreSchemaHandler) -> CoreSchema:
        schema_extra: Any = {"x-guide-type": source.kind}
        return handler(
            Annotated[
                str,
                self.constraints,
                AfterValidator(functools.partial(_check_characters, allowed=self.allowed)),
                *(AfterValidator(check) for check in self.checks),
                AfterValidator(source),
                Field(json_schema_extra=schema_extra, examples=[self.example] if self.example else None),
            ]
        )


_LINE = StringConstraints(min_length=1, max_length=LINE_MAX, strip_whitespace=True)
_ID = TextRules(StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX))

PlainLine = Annotated[PlainText, TextRules(_LINE)]
InlineLine = Annotated[InlineMarkdown, TextRules(_LINE, checks=(_check_markdown,))]
InlineText = Annotated[
    InlineParagraph,
    TextRules(
        StringConstraints(min_length=1, max_length=PARAGRAPH_MAX, strip_whitespace=True), "\n", (_check_markdown,)
    ),
]
BlockText = Annotated[
    BlockMarkdown,
    TextRules(StringConstraints(min_length=1, max_length=BLOCK_MAX, strip_whitespace=True), "\n", (_check_markdown,)),
]
CodeText = Annotated[Code, TextRules(StringConstraints(min_length=1, max_length=CODE_MAX), "\n\t")]
HttpsUrl = Annotated[
    Url,
    TextRules(
        StringConstraints(max_length=URL_MAX, pattern=URL_PATTERN),
        checks=(_check_url,),
        example="https://docs.djangoproject.com/en/stable/",
    ),
]
Id = Annotated[Identifier, _ID]
SourceRef = Annotated[SourceId, _ID]
ArticleRef = Annotated[ArticleId, _ID]
SubjectRef = Annotated[SubjectId, _ID]
SubjectOrEither = Annotated[SubjectChoice, _ID]
TableRef = Annotated[TableId, _ID]
DimensionRef = Annotated[DimensionId, _ID]
NodeRef = Annotated[NodeId, _ID]
NeedRef = Annotated[NeedId, _ID]

#: What a date field expects, for messages and the field reference.
DATE_EXPECTED = "a date as YYYY-MM-DD, e.g. 2026-11-21"
Date = Annotated[dt.date, Field(json_schema_extra={"x-guide-type": "date"})]

#: Every text type, for the field reference and the tests (kind -> class).
TEXT_TYPES: dict[str, type[GuideText]] = {
    cls.kind: cls
    for cls in (PlainText, InlineMarkdown, InlineParagraph, BlockMarkdown, Code, Url, Identifier, Reference)
}
