"""The generated pages and blocks, each defined once: path, title, description, template, nav entry.

Nothing here imports the schema or a third-party library, so the MkDocs hook can read it
without loading the validator (see :mod:`decision_guide.build_cache`).

The renderer writes each page's front matter from here, the schema takes the names of the
pages that can show a comparison table from here, and a test proves that ``mkdocs.yml``'s nav
lists these pages in this order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class GeneratedPage:
    """One page generated from the knowledge base.

    ``name``: the page's key (``comparison``); ``src_uri``: the Markdown path MkDocs gives it
    (``<name>.md``, or ``path`` for a page under another page's address);
    ``nav_title``: its label in the navigation, or None for a page reached only from its parent
    page (not in the nav); ``title`` and ``description``: its front matter
    (the HTML title and the meta description); ``template``: the Jinja template under
    ``templates/``; ``shows_tables``: whether a table of ``tables`` may name it as its page;
    ``search_boost``: its weight in Material's search (below 1 ranks it under the content pages).
    """

    name: str
    nav_title: str | None
    title: str
    description: str
    shows_tables: bool = False
    search_boost: float | None = None
    path: str | None = None

    @property
    def src_uri(self) -> str:
        return self.path or f"{self.name}.md"

    @property
    def in_nav(self) -> bool:
        return self.nav_title is not None

    @property
    def template(self) -> str:
        return f"{self.name}.md.j2"


PAGES: tuple[GeneratedPage, ...] = (
    GeneratedPage(
        "comparison",
        "Comparison",
        "Comparison",
        "Django and Flask compared dimension by dimension, each claim linked to its sources, with the "
        "points where the sources disagree marked.",
        shows_tables=True,
    ),
    GeneratedPage(
        "decide",
        "Decide",
        "Decide",
        "A decision table, when-to-choose lists, pros and cons and a step-by-step decision tree for "
        "choosing between Django and Flask.",
    ),
    GeneratedPage(
        "decide-tree",
        None,
        "The decision tree",
        "Every question of the Django or Flask decision tree with its answers, as a diagram and as "
        "linked lists that lead to a recommendation, without JavaScript.",
        path="decide/tree.md",
    ),
    GeneratedPage(
        "api",
        "API development",
        "API development",
        "Django REST framework, Django Ninja, flask-smorest, APIFlask and FastAPI compared for building "
        "web APIs, with Flask-RESTful as the legacy option, their releases and sources.",
        shows_tables=True,
    ),
    GeneratedPage(
        "faq",
        "FAQ",
        "FAQ",
        "Answers to the questions people ask when choosing between Django and Flask, each with its sources.",
    ),
    GeneratedPage(
        "getting-started",
        "Getting started",
        "Getting started",
        "A first project in Django and in Flask, step by step, checked against each framework's official tutorial.",
    ),
    GeneratedPage(
        "sources",
        "Sources",
        "Sources",
        "The articles this guide is normalised from, the official documentation every fact is checked "
        "against, and the corrections made to the articles.",
        search_boost=0.2,
    ),
)

#: Pages by name, and by Markdown path.
BY_NAME = {page.name: page for page in PAGES}
BY_SRC_URI = {page.src_uri: page for page in PAGES}


@dataclass(frozen=True)
class EvidencePages:
    """A family of generated pages: one per row of the comparison tables a page shows, holding
    that row's evidence (positions in detail, disagreements, corrections, the articles' claims),
    so the page itself stays short and each row's evidence is one link away.

    ``page``: the name of the page whose tables' rows get one (``comparison``); the pages live
    under its address (``comparison/<dimension id>.md``), outside the nav. ``title`` and
    ``description``: front-matter patterns, filled with the row's ``name`` and ``question``;
    ``template``: the Jinja template; ``search_boost``: below 1, so a query that matches both a
    row and its evidence lands on the row (the answer) first.
    """

    page: str
    title: str
    description: str
    template: str = "dimension.md.j2"
    search_boost: float | None = None

    def src_uri(self, dimension_id: str) -> str:
        """The Markdown path of the evidence page of dimension ``dimension_id``."""
        return f"{self.page}/{dimension_id}.md"


#: The evidence page families, by the name of the page whose rows they detail.
EVIDENCE_PAGES: dict[str, EvidencePages] = {
    family.page: family
    for family in (
        EvidencePages(
            "comparison",
            "{name}: the evidence",
            "{question} Django's and Flask's positions in detail, what the articles say, where they "
            "disagree and what the official documentation corrects, with sources.",
            search_boost=0.2,
        ),
        EvidencePages(
            "api",
            "{name} of the API tools: the evidence",
            "{question} The API tools' positions in detail (Django REST framework, Django Ninja, "
            "flask-smorest, APIFlask, FastAPI and the legacy Flask-RESTful), what the articles say "
            "and what the official documentation corrects, with sources.",
            search_boost=0.2,
        ),
    )
}


@dataclass(frozen=True)
class ReferencePage(GeneratedPage):
    """One page of the contributors' field reference, generated from the JSON Schema (not from
    the knowledge base) by :func:`decision_guide.reference.reference_pages`.

    ``sections``: the top-level fields of the YAML file whose models the page documents (each
    model on the first page that reaches it; the first page also lists the field types, the
    root model and any model no page reaches). The first page is in the nav, after Contributing;
    the others live under its address and are linked from it.
    """

    sections: tuple[str, ...] = ()

    @property
    def template(self) -> str:
        return "field-reference.md.j2"


#: The field reference, split so that each page stays small (every element of a page counts);
#: ranked in search like Contributing (0.3), under the pages that answer a reader's question.
REFERENCE_PAGES: tuple[ReferencePage, ...] = (
    ReferencePage(
        "field-reference",
        "Field reference",
        "Field reference",
        "Every field of the knowledge base's YAML file with its type, whether it is required, its "
        "limits and description: the field types, the top-level sections, sources, subjects and releases.",
        search_boost=0.3,
        sections=("quick_answer", "sources", "subjects", "tables", "releases"),
    ),
    ReferencePage(
        "field-reference-rows",
        None,
        "Field reference: comparison rows",
        "The fields of the comparison rows (dimensions), their claims, conflicts and corrections, and "
        "the needs filter, each with its type, whether it is required, its limits and description.",
        search_boost=0.3,
        path="field-reference/rows.md",
        sections=("dimensions", "conflicts", "corrections", "needs"),
    ),
    ReferencePage(
        "field-reference-decisions",
        None,
        "Field reference: decisions and answers",
        "The fields of the decision table, the per-framework guidance, the decision tree, the FAQs and "
        "the quick starts, each with its type, whether it is required, its limits and description.",
        search_boost=0.3,
        path="field-reference/decisions.md",
        sections=("decision_table", "guidance", "decision_tree", "faqs", "quick_starts"),
    ),
)

#: Markdown paths of the generated pages the nav lists (every other generated page is NOT_IN_NAV).
NAV_SRC_URIS = frozenset(page.src_uri for page in (*PAGES, *REFERENCE_PAGES) if page.in_nav)
#: Names of the pages a comparison table can be shown on (the schema's ``Table.page``).
TABLE_PAGES = tuple(page.name for page in PAGES if page.shows_tables)

#: Blocks a hand-written page can embed with a ``<!-- guide:NAME -->`` line, and their templates.
BLOCKS: dict[str, str] = {
    "quick-answer": "blocks/quick-answer.md.j2",
    "at-a-glance": "blocks/at-a-glance.md.j2",
}
BLOCK_MARKER = re.compile(r"^<!--\s*guide:([a-z0-9-]+)\s*-->[ \t]*$", re.M)

#: The versioned JSON export and the published schema, as paths in the built site.
EXPORT_PATH = "api/v1/comparisons.json"
SCHEMA_PATH = "schema/comparisons.schema.json"


class UnknownBlockError(KeyError):
    """A page asks for a block that :data:`BLOCKS` does not define: ``name``, and the ``page``
    that asks for it when known."""

    def __init__(self, name: str, page: str = "") -> None:
        super().__init__(name, page)
        self.name = name
        self.page = page

    def __str__(self) -> str:
        return f"{self.page + ': ' if self.page else ''}unknown block <!-- guide:{self.name} -->"
