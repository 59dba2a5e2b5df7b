"""MkDocs hook: mend markup defects of Material for MkDocs 9.8.1 that no template block reaches.

``base.html`` writes its drawer and search toggles as ``<input type="checkbox" autocomplete="off">``,
but HTML allows ``autocomplete`` on checkboxes not at all (the Nu Html Checker reports an error
on every page). The two inputs sit outside any Jinja block, so the only template override would
be a full copy of ``base.html``; removing the attribute from those two inputs is the smaller fix.
Firefox may then restore a toggle's state on back navigation, which only reopens the drawer.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

TOGGLE = re.compile(
    r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)")'
    r' autocomplete="off">'
)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return TOGGLE.sub(r"\1>", output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return TOGGLE.sub(r"\1>", output_content)  # 404.html is a theme template, not a page
