"""Render the knowledge base into Markdown pages and embeddable blocks, through Jinja2 templates.

Nothing here knows about MkDocs: the output is Markdown (with the ``attr_list``,
``md_in_html``, ``admonition`` and ``pymdownx.details`` syntax Material for MkDocs
understands), so the same functions can feed another site generator later.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import jinja2
import markdown

from .checks import walk_data
from .diagram import Diagram, layout

from .schema import KnowledgeBase, Question, Recommendation

#: Generated pages: the source path each one pretends to have, and its template.
PAGES: dict[str, str] = {
    "comparison.md": "comparison.md.j2",
    "decide.md": "decide.md.j2",
    "api.md": "api.md.j2",
    "faq.md": "faq.md.j2",
    "getting-started.md": "getting-started.md.j2",
    "sources.md": "sources.md.j2",
}

#: Blocks a hand-written page can embed with a ``<!-- guide:NAME -->`` line.
BLOCKS: dict[str, str] = {
    "quick-answer": "blocks/quick-answer.md.j2",
    "at-a-glance": "blocks/at-a-glance.md.j2",
}

BLOCK_MARKER = re.compile(r"^<!--\s*guide:([a-z0-9-]+)\s*-->[ \t]*$", re.M)


class UnknownBlockError(KeyError):
    """A page asks for a block that :data:`BLOCKS` does not define."""


@dataclass(frozen=True)
class Views:
    """Look-ups the templates need, computed once per knowledge base."""

    kb: KnowledgeBase

    @cached_property
    def sources(self):
        """``{source id: Source}``."""
        return {s.id: s for s in self.kb.sources}

    @cached_property
    def subjects(self):
        """``{subject id: Subject}``."""
        return {s.id: s for s in self.kb.subjects}

    @cached_property
    def nodes(self):
        """``{tree node id: Question or Recommendation}``."""
        return {n.id: n for n in self.kb.decision_tree.nodes}

    def conflicts_of(self, dimension_id: str):
        """The conflicts recorded on one dimension, in file order."""
        return [c for c in self.kb.conflicts if c.dimension == dimension_id]

    def corrections_of(self, dimension_id: str):
        """The corrections concerning one dimension, in file order."""
        return [c for c in self.kb.corrections if c.dimension == dimension_id]

    def dimensions_of(self, table_id: str):
        """The rows of one table, in file order."""
        return [d for d in self.kb.dimensions if d.table == table_id]

    def tables_on(self, page: str):
        """The tables shown on a generated page (``comparison`` or ``api``)."""
        return [t for t in self.kb.tables if t.page == page]

    @cached_property
    def citation_counts(self) -> Counter[str]:
        """How many statements cite each source id."""
        return Counter(
            ref for path, value in walk_data(self.kb.model_dump()) if path and path[-1] == "cite" for ref in value
        )

    @cached_property
    def diagram(self) -> Diagram:
        """The decision tree laid out for the SVG diagram (see :mod:`decision_guide.diagram`)."""
        return layout(self.kb.decision_tree)

    @cached_property
    def tree_data(self) -> dict:
        """The tree's graph for the interactive stepper (texts and answers; the reasons and
        citations are read from the page's own sections, so they are rendered once)."""
        nodes = {}
        for node in self.kb.decision_tree.nodes:
            if isinstance(node, Question):
                nodes[node.id] = {"kind": "question", "text": node.text, "help": node.help or "",
                                  "answers": [{"label": a.label, "next": a.next} for a in node.answers]}
            else:
                nodes[node.id] = {"kind": "recommendation", "title": node.title,
                                  "recommend": [self.subjects[s].name for s in node.recommend]}
        return {"start": self.kb.decision_tree.start, "nodes": nodes}

    @cached_property
    def needs_data(self) -> list[dict]:
        """The needs filter's data: each need with the rows it highlights and whom they favour."""
        return [
            {"id": need.id, "label": need.label,
             "rows": [{"dimension": r.dimension,
                       "favours": "Either" if r.favours == "either" else self.subjects[r.favours].name}
                      for r in need.rows]}
            for need in self.kb.needs
        ]

    @cached_property
    def faq_structured_data(self) -> dict:
        """schema.org ``FAQPage`` JSON-LD for the FAQ page (answers as HTML, which it allows)."""
        to_html = markdown.Markdown()
        return {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": [
                {"@type": "Question", "name": faq.question,
                 "acceptedAnswer": {"@type": "Answer", "text": to_html.reset().convert(faq.answer)}}
                for faq in self.kb.faqs
            ],
        }

    def node_label(self, node_id: str) -> str:
        """A tree node's text as a link label: the question, or the recommendation's title."""
        node = self.nodes[node_id]
        return node.text if isinstance(node, Question) else node.title


def _link_title(text: str) -> str:
    """Make ``text`` safe inside a Markdown link title ``"..."``."""
    return text.replace("\\", "\\\\").replace('"', "&quot;")


def environment() -> jinja2.Environment:
    """The Jinja2 environment for the package's templates.

    ``StrictUndefined`` turns a typo in a template into an error instead of an empty string.
    Autoescaping is off because the output is Markdown, not HTML; text fields reach it only
    after :func:`decision_guide.checks.check_markup` has refused raw HTML. Compiled templates
    are kept in Jinja's bytecode cache (in the system's temporary folder, checked against each
    template's source), so builds after the first skip compiling them.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("decision_guide", "templates"),
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["link_title"] = _link_title
    env.tests["question"] = lambda node: isinstance(node, Question)
    env.tests["recommendation"] = lambda node: isinstance(node, Recommendation)
    return env


class Renderer:
    """Renders pages and blocks for one knowledge base.

    Input: a validated :class:`~decision_guide.schema.KnowledgeBase`. Methods return Markdown
    strings; :class:`jinja2.TemplateError` signals a defect in a template, never in the data.
    """

    def __init__(self, kb: KnowledgeBase, repository: str | None = None):
        """``repository``: the https URL of the GitHub repository, for "suggest a correction"
        links (pre-filled issue forms); without it, no such links are rendered."""
        self.kb = kb
        self.env = environment()
        self.context = {"kb": kb, "views": Views(kb), "repository": repository.rstrip("/") if repository else None}

    def page(self, src_uri: str) -> str:
        """The Markdown of the generated page ``src_uri`` (a key of :data:`PAGES`)."""
        return self.env.get_template(PAGES[src_uri]).render(self.context)

    def pages(self) -> dict[str, str]:
        """Every generated page, as ``{src_uri: markdown}``."""
        return {src_uri: self.page(src_uri) for src_uri in PAGES}

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
