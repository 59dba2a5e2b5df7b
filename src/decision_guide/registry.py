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

    ``name``: the page's key (``comparison``); ``src_uri``: the Markdown path MkDocs gives it;
    ``nav_title``: its label in the navigation; ``title`` and ``description``: its front matter
    (the HTML title and the meta description); ``template``: the Jinja template under
    ``templates/``; ``shows_tables``: whether a table of ``tables`` may name it as its page;
    ``search_boost``: its weight in Material's search (below 1 ranks it under the content pages).
    """

    name: str
    nav_title: str
    title: str
    description: str
    shows_tables: bool = False
    search_boost: float | None = None

    @property
    def src_uri(self) -> str:
        return f"{self.name}.md"

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
        "api",
        "API development",
        "API development",
        "Django REST framework, Flask-RESTful and FastAPI compared for building web APIs, with sources "
        "and corrections.",
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

#: Pages by name.
BY_NAME = {page.name: page for page in PAGES}
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


def unknown_blocks(markdown: str) -> list[str]:
    """The names of the ``<!-- guide:NAME -->`` markers in ``markdown`` that :data:`BLOCKS` lacks."""
    return [name for name in BLOCK_MARKER.findall(markdown) if name not in BLOCKS]
