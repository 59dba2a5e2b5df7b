"""Render the knowledge base into Markdown pages and embeddable blocks, through Jinja2 templates.

Nothing here knows about MkDocs: the output is Markdown (with the ``attr_list``,
``md_in_html``, ``admonition`` and ``pymdownx.details`` syntax Material for MkDocs
understands), so the same functions can feed another site generator later.

Contributor text reaches a page only through its type's ``__html__`` (see
:mod:`decision_guide.fieldtypes`): the environment autoescapes, so a template that prints a
field gets the field's safe, armoured HTML, and anything else it prints is escaped.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any, TypeVar

import jinja2
import yaml
from markupsafe import Markup
from markupsafe import escape as markupsafe_escape

from . import markup
from .checks import walk_model
from .diagram import Diagram, layout
from .fieldtypes import BlockMarkdown, InlineMarkdown, SourceId
from .outcomes import leaning
from .registry import BLOCK_MARKER, BLOCKS, BY_SRC_URI, EVIDENCE_PAGES, PAGES, GeneratedPage
from .release_facts import name_pattern, python_floor, python_status, stale_names, stale_since
from .schema import (
    Conflict,
    Correction,
    Dimension,
    KnowledgeBase,
    PythonRelease,
    Question,
    Recommendation,
    Release,
    Source,
    Subject,
    Table,
)

T = TypeVar("T")
K = TypeVar("K")


class UnknownBlockError(KeyError):
    """A page asks for a block that :data:`BLOCKS` does not define."""


def _grouped(items: Iterable[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    """``items`` grouped by ``key``, each group in file order: one pass, so looking up a group
    later costs nothing (the pages ask once per row)."""
    groups: dict[K, list[T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


#: A tag, or the text between tags, in rendered contributor HTML (attribute values may hold ">").
_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")


class Views:
    """Look-ups the templates need, each indexed once per knowledge base (no per-row scans).

    ``today`` is the build date: the facts computed from the release data (maintenance flags, the
    Python a package needs) are computed for it (see :mod:`decision_guide.release_facts`).
    """

    def __init__(self, kb: KnowledgeBase, today: dt.date | None = None):
        self.kb = kb
        self.today = today or dt.date.today()

    @cached_property
    def sources(self) -> dict[str, Source]:
        """``{source id: Source}``."""
        return {s.id: s for s in self.kb.sources}

    @cached_property
    def subjects(self) -> dict[str, Subject]:
        """``{subject id: Subject}``."""
        return {s.id: s for s in self.kb.subjects}

    @cached_property
    def nodes(self) -> dict[str, Question | Recommendation]:
        """``{tree node id: Question or Recommendation}``."""
        return {n.id: n for n in self.kb.decision_tree.nodes}

    @cached_property
    def _conflicts(self) -> dict[str, list[Conflict]]:
        return _grouped(self.kb.conflicts, lambda c: c.dimension)

    @cached_property
    def _corrections(self) -> dict[str | None, list[Correction]]:
        return _grouped(self.kb.corrections, lambda c: c.dimension)

    @cached_property
    def _dimensions(self) -> dict[str, list[Dimension]]:
        return _grouped(self.kb.dimensions, lambda d: d.table)

    def conflicts_of(self, dimension_id: str) -> list[Conflict]:
        """The conflicts recorded on one dimension, in file order."""
        return self._conflicts.get(dimension_id, [])

    def corrections_of(self, dimension_id: str) -> list[Correction]:
        """The corrections concerning one dimension, in file order."""
        return self._corrections.get(dimension_id, [])

    def dimensions_of(self, table_id: str) -> list[Dimension]:
        """The rows of one table, in file order."""
        return self._dimensions.get(table_id, [])

    def tables_on(self, page: str) -> list[Table]:
        """The tables shown on a generated page (``comparison`` or ``api``)."""
        return [t for t in self.kb.tables if t.page == page]

    @cached_property
    def _tables(self) -> dict[str, Table]:
        return {t.id: t for t in self.kb.tables}

    def table_of(self, dimension: Dimension) -> Table:
        """The table a dimension is a row of."""
        return self._tables[dimension.table]

    def evidence_page(self, dimension: Dimension) -> str | None:
        """The Markdown path of the page holding a row's evidence (``comparison/admin.md``), or
        None when its table's page keeps the evidence inline (see :data:`EVIDENCE_PAGES`)."""
        family = EVIDENCE_PAGES.get(self.table_of(dimension).page)
        return family.src_uri(dimension.id) if family else None

    @cached_property
    def evidence_dimensions(self) -> list[Dimension]:
        """The rows that have an evidence page of their own, in file order."""
        return [d for d in self.kb.dimensions if self.table_of(d).page in EVIDENCE_PAGES]

    @cached_property
    def citation_counts(self) -> Counter[str]:
        """How many statements cite each source id (every value of type source reference)."""
        return Counter(str(value) for _, value, _ in walk_model(self.kb) if isinstance(value, SourceId))

    @cached_property
    def diagram(self) -> Diagram:
        """The decision tree laid out for the SVG diagram (see :mod:`decision_guide.diagram`)."""
        return layout(self.kb.decision_tree, self.subjects)

    @cached_property
    def tree_data(self) -> dict[str, Any]:
        """The tree's graph for the interactive stepper (texts and answers; the reasons and
        citations are read from the page's own sections, so they are rendered once). Texts are
        plain strings: the script shows them with ``textContent``."""
        nodes: dict[str, Any] = {}
        for node in self.kb.decision_tree.nodes:
            if isinstance(node, Question):
                nodes[node.id] = {
                    "kind": "question",
                    "text": str(node.text),
                    "help": _text(node.help),
                    "pick_best": node.pick_best,
                    "answers": [{"label": str(a.label), "next": str(a.next)} for a in node.answers],
                }
            else:
                nodes[node.id] = {
                    "kind": "recommendation",
                    "title": str(node.title),
                    "recommend": [str(self.subjects[s].name) for s in node.recommend],
                    "use": self.recommendation_phrase(node.recommend),
                }
        # The guide's version and the newest source review, for the decision record (issue 10).
        reviewed = max((s.reviewed for s in self.kb.sources), default=None)
        try:
            version = importlib.metadata.version("decision-guide")
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        guide = {"version": version, "reviewed": reviewed.isoformat() if reviewed else ""}
        return {"start": str(self.kb.decision_tree.start), "nodes": nodes, "guide": guide}

    @cached_property
    def needs_data(self) -> list[dict[str, Any]]:
        """The needs filter's data: each need with the rows it highlights and whom they favour for
        it, read from each row's verdict (:func:`decision_guide.outcomes.leaning`), so the filter and
        the row's badge come from one field."""
        verdicts = {d.id: d.verdict for d in self.kb.dimensions}
        out = []
        for need in self.kb.needs:
            rows = []
            for dimension in need.rows:
                subject = leaning(verdicts.get(dimension), need.id)
                conflicts = self.conflicts_of(dimension)
                rows.append(
                    {
                        "dimension": str(dimension),
                        "favours": "Either" if subject is None else str(self.subjects[subject].name),
                        "leans": subject or "either",
                        # A recorded conflict on the row: the filter counts it as "sources disagree", never a win.
                        "conflict": str(conflicts[0].id) if conflicts else "",
                    }
                )
            out.append({"id": str(need.id), "label": str(need.label), "rows": rows})
        return out

    @cached_property
    def faq_structured_data(self) -> dict[str, Any]:
        """schema.org ``FAQPage`` JSON-LD for the FAQ page (answers as the page's sanitized HTML)."""
        return {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": str(faq.question),
                    "acceptedAnswer": {"@type": "Answer", "text": faq.answer.__html__()},
                }
                for faq in self.kb.faqs
            ],
        }

    @cached_property
    def releases_by_subject(self) -> dict[str, Release]:
        """``{subject id: Release}`` for the packages that are subjects of the guide."""
        return {str(r.subject): r for r in self.kb.releases if r.subject is not None}

    def stale_since(self, release: Release) -> dt.date | None:
        """The date of a flagged package's last upload (the maintenance rule), else None."""
        return stale_since(release, self.today)

    def python_floor(self, requires_python: str | None) -> str | None:
        """The oldest Python still supported on the build date that ``requires_python`` admits."""
        return python_floor(requires_python, self.kb.python, self.today)

    @cached_property
    def python_series(self) -> dict[str, PythonRelease]:
        """``{series: PythonRelease}`` of the ``python`` release data (empty without it)."""
        return {str(s.series): s for s in self.kb.python.series} if self.kb.python is not None else {}

    def python_status(self, series: PythonRelease) -> str:
        """``supported``, ``ending`` (within the warning period) or ``end-of-life`` on the build date."""
        return python_status(series, self.today)

    @cached_property
    def _flags(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        names = stale_names(self.kb, self.today)
        flags = {name.casefold(): str(stale_since(release, self.today)) for name, release in names.items()}
        base = name_pattern(names)
        if base is None:
            return None, flags
        # A possessive stays with its name: "Flask-RESTful's docs (no release since …)".
        return re.compile(rf"(?P<name>{base.pattern})(?P<s>(?:&#39;|'|\u2019)s\b)?", base.flags), flags

    def flag(self, html: str) -> str:
        """Rendered contributor HTML with "(no release since <date>)" after the first mention of each
        package the maintenance rule flags, outside links and code. Input and output: safe HTML."""
        pattern, flags = self._flags
        if pattern is None:
            return html
        done: set[str] = set()
        depth = 0
        parts = _TAG.split(html)
        for index, part in enumerate(parts):
            if index % 2:  # a tag
                name = part[1:].split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
                if name in ("a", "code"):
                    depth += 1
                elif name in ("/a", "/code"):
                    depth = max(0, depth - 1)
                continue
            if depth:
                continue
            parts[index] = pattern.sub(lambda match: self._flagged(match, flags, done), part)
        return "".join(parts)

    @staticmethod
    def _flagged(match: re.Match[str], flags: dict[str, str], done: set[str]) -> str:
        key = match.group("name").casefold()
        if key in done:
            return match.group(0)
        done.add(key)
        return f'{match.group(0)} <span class="release-flag">(no release since {flags[key]})</span>'

    def recommendation_phrase(self, ids: list[str]) -> str:
        """What a recommendation says to use, in words: the first subject, "with" the ones that
        build on it, "or" between alternatives. ``[flask, flask-smorest, apiflask]`` reads
        "Flask with flask-smorest or APIFlask"; ``[flask-socketio, quart]`` reads
        "Flask-SocketIO or Quart". Plain text (the template escapes it)."""
        first, *rest = (self.subjects[i] for i in ids)
        add_ons = [str(s.name) for s in rest if s.builds_on == first.id]
        others = [str(s.name) for s in rest if s.builds_on != first.id]
        phrase = str(first.name) + (" with " + " or ".join(add_ons) if add_ons else "")
        return " or ".join([phrase, *others])

    def articles_in(self, ids: list[str]) -> list[Source]:
        """The articles among the sources ``ids`` names, in that order (to attribute an opinion)."""
        return [self.sources[i] for i in ids if self.sources[i].kind == "article"]

    def node_label(self, node_id: str) -> Any:
        """A tree node's text as a link label: the question, or the recommendation's title."""
        node = self.nodes[node_id]
        return node.text if isinstance(node, Question) else node.title


def _text(value: Any) -> str:
    """Contributor Markdown as the plain text a script may show (the rendered HTML's text)."""
    return "" if value is None else str(value)


def _finalize(value: Any) -> Any:
    """Every printed value that is not already safe HTML is escaped *and* armoured, so a filter
    that turns a field back into a plain ``str`` (``trim``, ``replace`` …) still cannot hand the
    page's Markdown anything it would interpret."""
    if hasattr(value, "__html__"):
        return value
    return Markup(markup.render_plain(str(value)))


def _annotating(annotate: Callable[[str], str]) -> Callable[[Any], Any]:
    """:func:`_finalize`, then ``annotate`` on the HTML of every Markdown text field (the prose a
    reader reads), e.g. :meth:`Views.flag`."""

    def finalize(value: Any) -> Any:
        if isinstance(value, (InlineMarkdown, BlockMarkdown)):
            return Markup(annotate(value.__html__()))
        return _finalize(value)

    return finalize


def environment(*, trusted: bool = False, annotate: Callable[[str], str] | None = None) -> jinja2.Environment:
    """The Jinja2 environment for the package's templates.

    For pages (the default), ``autoescape`` is on: a field prints through its type's
    ``__html__`` (sanitized, armoured HTML) and any other value is escaped and armoured by
    :func:`_finalize`, so no template can pass contributor text to the page's Markdown
    unprocessed. ``trusted=True`` turns both off, for Markdown written by the project itself
    (the field reference, generated from the schema). ``annotate`` (pages only) rewrites the safe
    HTML of every Markdown text field, e.g. to add the release data's maintenance flags.
    ``StrictUndefined`` turns a typo in a template into an error instead of an empty string.
    Compiled templates are kept in Jinja's bytecode cache (in the system's temporary folder,
    checked against each template's source).
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("decision_guide", "templates"),
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=not trusted,
        finalize=None if trusted else _annotating(annotate) if annotate else _finalize,
    )
    env.filters["highlight"] = lambda code, language: Markup(markup.highlight(code, language))
    env.tests["question"] = lambda node: isinstance(node, Question)
    env.tests["recommendation"] = lambda node: isinstance(node, Recommendation)
    return env


def front_matter(page: GeneratedPage, **extra: Any) -> str:
    """The YAML front matter of a generated page: title, description and search boost from the
    registry (``page``), and ``extra`` (for example ``structured_data``, which the theme writes
    into ``<head>``).

    Material writes a page's front-matter ``title`` and ``description`` into the HTML as they are
    (the header, ``<title>``, ``<meta content="...">``), and an evidence page's title and
    description carry a contributor's text: both are HTML-escaped here, quotes included.

    Written by PyYAML's libyaml dumper when it is there (the pure-Python one costs a visible share
    of a build: the FAQ's structured data is large). A YAML dumper, not JSON: MkDocs reads front
    matter with PyYAML, and text it cannot read (JSON's surrogate-pair escapes, for one) would
    turn the front matter into the page's Markdown, raw HTML included.
    """
    meta: dict[str, Any] = {
        "title": str(markupsafe_escape(page.title)),
        "description": str(markupsafe_escape(page.description)),
        **extra,
    }
    if page.search_boost is not None:
        meta["search"] = {"boost": page.search_boost}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return "---\n" + yaml.dump(meta, Dumper=dumper, sort_keys=False, allow_unicode=True, width=10_000) + "---\n"


class Renderer:
    """Renders pages and blocks for one knowledge base.

    Input: a validated :class:`~decision_guide.schema.KnowledgeBase`. Methods return Markdown
    strings; :class:`jinja2.TemplateError` signals a defect in a template, never in the data.
    """

    def __init__(self, kb: KnowledgeBase, repository: str | None = None, today: dt.date | None = None):
        """``repository``: the https URL of the GitHub repository, for "suggest a correction"
        links (pre-filled issue forms); without it, no such links are rendered. ``today``: the
        build date the release facts are computed for (default: today)."""
        self.kb = kb
        self.views = Views(kb, today)
        self.env = environment(annotate=self.views.flag)
        self.context = {
            "kb": kb,
            "views": self.views,
            "repository": repository.rstrip("/") if repository else None,
            "root": "",
            "src_uri": "",
        }

    @cached_property
    def _evidence(self) -> dict[str, Dimension]:
        """``{src_uri: dimension}`` of the rows' evidence pages, in file order."""
        out: dict[str, Dimension] = {}
        for dimension in self.views.evidence_dimensions:
            src_uri = self.views.evidence_page(dimension)
            if src_uri is not None:
                out[src_uri] = dimension
        return out

    def src_uris(self) -> list[str]:
        """Every generated page's Markdown path: the registered pages (:data:`PAGES`), then each
        row's evidence page (:data:`EVIDENCE_PAGES`), which depend on the knowledge base."""
        return [page.src_uri for page in PAGES] + list(self._evidence)

    def page(self, src_uri: str) -> str:
        """The Markdown of the generated page ``src_uri`` (e.g. ``faq.md`` or
        ``comparison/admin.md``; see :meth:`src_uris`). Raises KeyError for any other path.

        ``root`` in the template's context is the way back to the docs folder (``../`` for
        ``decide/tree.md``), which the templates put before their links to other pages.
        """
        if src_uri in self._evidence:
            return self.evidence_page(self._evidence[src_uri])
        page = BY_SRC_URI[src_uri]
        extra = {"structured_data": self.views.faq_structured_data} if page.name == "faq" else {}
        context = {**self.context, "root": "../" * src_uri.count("/"), "src_uri": src_uri}
        return front_matter(page, **extra) + self.env.get_template(page.template).render(context)

    def evidence_page(self, dimension: Dimension) -> str:
        """The Markdown of a row's evidence page (see :data:`EVIDENCE_PAGES`): its front matter
        filled from the row's name and question, then the family's template with ``d``, the row,
        ``table``, its table, and ``title``, the page's title."""
        src_uri = self.views.evidence_page(dimension)
        if src_uri is None:
            raise ValueError(f"dimension {dimension.id} has no evidence page")
        family = EVIDENCE_PAGES[self.views.table_of(dimension).page]
        fields = {"name": str(dimension.name), "question": str(dimension.question)}
        page = GeneratedPage(
            dimension.id,
            None,
            family.title.format(**fields),
            family.description.format(**fields),
            search_boost=family.search_boost,
            path=src_uri,
        )
        context = {
            **self.context,
            "root": "../" * src_uri.count("/"),
            "src_uri": src_uri,
            "d": dimension,
            "table": self.views.table_of(dimension),
            "title": page.title,
        }
        return front_matter(page) + self.env.get_template(family.template).render(context)

    def pages(self) -> dict[str, str]:
        """Every generated page, as ``{src_uri: markdown}`` (see :meth:`src_uris`)."""
        return {src_uri: self.page(src_uri) for src_uri in self.src_uris()}

    def blocks(self) -> dict[str, str]:
        """Every block, as ``{name: markdown}``."""
        return {name: self.block(name) for name in BLOCKS}

    def block(self, name: str) -> str:
        """The Markdown of block ``name``. Raises :class:`UnknownBlockError` for an unknown name."""
        if name not in BLOCKS:
            raise UnknownBlockError(name)
        return self.env.get_template(BLOCKS[name]).render(self.context).strip("\n")

    def embed_blocks(self, markdown: str) -> str:
        """Replace each ``<!-- guide:NAME -->`` line of ``markdown`` by block ``NAME``.

        Raises :class:`UnknownBlockError` naming the first unknown block.
        """
        return BLOCK_MARKER.sub(lambda match: self.block(match.group(1)), markdown)
