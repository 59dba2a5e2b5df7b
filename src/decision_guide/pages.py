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
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import Any, TypeVar

import jinja2
import yaml
from markupsafe import Markup
from markupsafe import escape as markupsafe_escape

from . import markup, record, tree
from .diagram import Diagram, layout
from .fieldtypes import BlockMarkdown, InlineMarkdown, SourceId
from .model_walk import walk_model
from .outcomes import leaning
from .registry import (
    BLOCK_MARKER,
    BLOCKS,
    BY_SRC_URI,
    EVIDENCE_PAGES,
    PAGES,
    TABLE_PAGES,
    GeneratedPage,
    UnknownBlockError,
)
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

#: Month names for :func:`long_date` (``strftime("%B")`` would follow the process's locale).
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

T = TypeVar("T")


def _grouped(items: Iterable[T], key: Callable[[T], Any], keys: Iterable[str]) -> dict[str, list[T]]:
    """``{k: the items whose key(item) is k, in file order}`` for every ``k`` of ``keys`` (empty
    lists included): one pass, so looking up a group later costs nothing."""
    groups: dict[str, list[T]] = {k: [] for k in keys}
    for item in items:
        groups.setdefault(str(key(item)), []).append(item)
    return groups


#: A tag, or the text between tags, in rendered contributor HTML (attribute values may hold ">").
_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")


class Views:
    """What the templates show beyond the knowledge base itself, computed once per knowledge base:
    look-ups by id (``{id: ...}`` dicts with every id present, so a template indexes instead of
    calling a method) and derived data (paths through the tree, decision records, the facts
    computed from the release data). Templates call no Python method; everything here is data.

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

    def _latest_review(self, items: Iterable[Any]) -> dt.date | None:
        """The latest ``reviewed`` date among the sources that ``items`` (anything with a ``cite``
        list) cite, or None when they cite none."""
        return max((self.sources[i].reviewed for item in items for i in item.cite if i in self.sources), default=None)

    @cached_property
    def tree_reviewed(self) -> dt.date | None:
        """When the sources of the tree's recommendations (reasons and caveats) were last reviewed:
        the "Last reviewed" date of the decision tree page, whose questions cite nothing."""
        recommendations = [n for n in self.kb.decision_tree.nodes if isinstance(n, Recommendation)]
        return self._latest_review(item for n in recommendations for item in (*n.reasons, *n.caveats))

    @cached_property
    def decide_reviewed(self) -> dt.date | None:
        """When the sources of the Decide page's advice were last reviewed: the decision table, the
        per-framework guidance and the tree's recommendations."""
        guidance = [item for g in self.kb.guidance.values() for item in (*g.choose_when, *g.pros, *g.cons, *g.examples)]
        latest = self._latest_review([*self.kb.decision_table, *guidance])
        return max(filter(None, (latest, self.tree_reviewed)), default=None)

    @cached_property
    def article_ids(self) -> list[str]:
        """The ids of the sources that are articles, in file order (to attribute an opinion)."""
        return [s.id for s in self.kb.sources if s.kind == "article"]

    @cached_property
    def subjects(self) -> dict[str, Subject]:
        """``{subject id: Subject}``."""
        return {s.id: s for s in self.kb.subjects}

    @cached_property
    def nodes(self) -> dict[str, Question | Recommendation]:
        """``{tree node id: Question or Recommendation}``."""
        return {n.id: n for n in self.kb.decision_tree.nodes}

    @cached_property
    def node_labels(self) -> dict[str, str]:
        """``{tree node id: its text as a link label}``: the question, or the recommendation's title."""
        return {n.id: n.text if isinstance(n, Question) else n.title for n in self.kb.decision_tree.nodes}

    @cached_property
    def conflicts(self) -> dict[str, list[Conflict]]:
        """``{dimension id: the conflicts recorded on it, in file order}`` (every dimension)."""
        return _grouped(self.kb.conflicts, lambda c: c.dimension, (d.id for d in self.kb.dimensions))

    @cached_property
    def corrections(self) -> dict[str, list[Correction]]:
        """``{dimension id: the corrections concerning it, in file order}`` (every dimension)."""
        return _grouped(self.kb.corrections, lambda c: c.dimension, (d.id for d in self.kb.dimensions))

    @cached_property
    def rows(self) -> dict[str, list[Dimension]]:
        """``{table id: its rows (dimensions), in file order}`` (every table)."""
        return _grouped(self.kb.dimensions, lambda d: d.table, (t.id for t in self.kb.tables))

    @cached_property
    def tables_by_page(self) -> dict[str, list[Table]]:
        """``{page name: the tables shown on it}`` for every page that can show tables
        (``comparison``, ``api``: :data:`~decision_guide.registry.TABLE_PAGES`)."""
        return {page: [t for t in self.kb.tables if t.page == page] for page in TABLE_PAGES}

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
    def evidence_pages(self) -> dict[str, str | None]:
        """``{dimension id: :meth:`evidence_page`}`` (every dimension)."""
        return {d.id: self.evidence_page(d) for d in self.kb.dimensions}

    @cached_property
    def evidence_dimensions(self) -> list[Dimension]:
        """The rows that have an evidence page of their own, in file order."""
        return [d for d in self.kb.dimensions if self.evidence_pages[d.id] is not None]

    @cached_property
    def citation_counts(self) -> Counter[str]:
        """How many statements cite each source id (every value of type source reference)."""
        return Counter(str(value) for _, value, _ in walk_model(self.kb) if isinstance(value, SourceId))

    @cached_property
    def diagram(self) -> Diagram:
        """The decision tree laid out for the SVG diagram (see :mod:`decision_guide.diagram`)."""
        return layout(self.kb.decision_tree, self.subjects)

    @cached_property
    def outline(self) -> list[tree.OutlineLine]:
        """The tree as nested lists (see :func:`decision_guide.tree.outline`)."""
        return tree.outline(self.kb.decision_tree, self.nodes)

    @cached_property
    def uses(self) -> dict[str, str]:
        """``{recommendation id: what it says to use, in words}`` (:meth:`recommendation_phrase`)."""
        return {
            n.id: self.recommendation_phrase(n.recommend)
            for n in self.kb.decision_tree.nodes
            if isinstance(n, Recommendation)
        }

    @cached_property
    def next_steps(self) -> dict[str, dict[str, Any]]:
        """``{recommendation id: {"quick_starts": [subject id, ...], "api": bool}}``: the
        recommended subjects that have a quick start, in the recommendation's order, and whether
        it is an API result (see :func:`decision_guide.tree.api_results`), which links to the API page."""
        starts = {str(q.subject) for q in self.kb.quick_starts}
        api_results = tree.api_results(self.kb.decision_tree, self.nodes, self._api_subjects)
        return {
            node.id: {"quick_starts": [s for s in node.recommend if s in starts], "api": node.id in api_results}
            for node in self.kb.decision_tree.nodes
            if isinstance(node, Recommendation)
        }

    @cached_property
    def _api_subjects(self) -> set[str]:
        return {str(s) for t in self.tables_by_page.get("api", []) for s in t.subjects}

    @cached_property
    def api_questions(self) -> list[Question]:
        """The decision tree's questions that choose between the API page's tools (see
        :func:`decision_guide.tree.api_questions`): the API page answers "which one" with them, so
        its short answer is the tree's."""
        return tree.api_questions(self.kb.decision_tree, self.nodes, self._api_subjects)

    @cached_property
    def records(self) -> dict[str, list[record.Part]]:
        """``{recommendation id: its decision record as parts}`` (see :mod:`decision_guide.record`),
        with the first path to it as the answers, the guide's version and the newest source review."""
        paths = tree.first_paths(self.kb.decision_tree, self.nodes)
        reviewed = max((s.reviewed for s in self.kb.sources), default=None)
        try:
            version = importlib.metadata.version("decision-guide")
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        return {
            node.id: record.record_parts(
                node,
                paths.get(node.id, []),
                use=self.uses[node.id],
                sources=self.sources,
                version=version,
                reviewed=reviewed.isoformat() if reviewed else "",
            )
            for node in self.kb.decision_tree.nodes
            if isinstance(node, Recommendation)
        }

    @cached_property
    def record_texts(self) -> dict[str, str]:
        """``{recommendation id: its decision record as the page shows it}``."""
        return {node_id: record.record_text(parts) for node_id, parts in self.records.items()}

    @cached_property
    def tree_data(self) -> dict[str, Any]:
        """The tree's graph for the interactive stepper (texts and answers; the reasons and
        citations are read from the page's own sections, so they are rendered once) and each
        recommendation's decision record (parts: see :mod:`decision_guide.record`). Texts are
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
                    "use": self.uses[node.id],
                    "record": self.records[node.id],
                }
        return {"start": str(self.kb.decision_tree.start), "nodes": nodes}

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
                conflicts = self.conflicts[dimension]
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

    @cached_property
    def stale_since(self) -> dict[str, dt.date | None]:
        """``{release id: the date of its last upload}`` for the packages the maintenance rule flags
        on the build date, None for the others (see :func:`decision_guide.release_facts.stale_since`)."""
        return {str(r.id): stale_since(r, self.today) for r in self.kb.releases}

    @cached_property
    def python_floor(self) -> dict[str, str | None]:
        """``{requires_python: the oldest Python still supported on the build date that it admits}``
        for every ``requires_python`` of the release data (current and LTS releases)."""
        requirements = {r.requires_python for r in self.kb.releases} | {
            r.lts.requires_python for r in self.kb.releases if r.lts is not None
        }
        return {str(s): python_floor(s, self.kb.python, self.today) for s in requirements if s is not None}

    @cached_property
    def python_series(self) -> dict[str, PythonRelease]:
        """``{series: PythonRelease}`` of the ``python`` release data (empty without it)."""
        return {str(s.series): s for s in self.kb.python.series} if self.kb.python is not None else {}

    @cached_property
    def python_status(self) -> dict[str, str]:
        """``{series: supported, ending (within the warning period) or end-of-life}`` on the build date."""
        return {series: python_status(p, self.today) for series, p in self.python_series.items()}

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

    def recommendation_phrase(self, ids: Sequence[str]) -> str:
        """What a recommendation says to use, in words: the first subject, "with" the ones that
        build on it, "or" between alternatives. ``[flask, flask-smorest, apiflask]`` reads
        "Flask with flask-smorest or APIFlask"; ``[flask-socketio, quart]`` reads
        "Flask-SocketIO or Quart". Plain text (the template escapes it)."""
        first, *rest = (self.subjects[i] for i in ids)
        add_ons = [str(s.name) for s in rest if s.builds_on == first.id]
        others = [str(s.name) for s in rest if s.builds_on != first.id]
        phrase = str(first.name) + (" with " + " or ".join(add_ons) if add_ons else "")
        return " or ".join([phrase, *others])


def long_date(day: dt.date) -> str:
    """A date in words, as the pages print it: ``22 November 2026`` (English month names)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


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
    env.filters["long_date"] = long_date
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
