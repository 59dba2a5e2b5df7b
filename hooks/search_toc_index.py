"""MkDocs hook: an indexed table-of-contents look-up for Material's search plugin.

Material 9.8's search plugin finds each section's TOC entry with ``_find_toc_by_id``, a linear
recursive scan of the page's TOC, once per section: quadratic in the number of headings on a
page, which the generated pages have many of (2.3 s of a build at 100 times today's knowledge
base). ``on_pre_build`` replaces that method on the plugin's index with one that builds a
``{id: entry}`` map once per TOC and answers from it. The result is the same: the first entry in
depth-first order with that id, or None. Upstream fix: the same map, built in
``SearchIndex.add_entry_from_context`` before the loop over sections.
"""

from __future__ import annotations

import logging
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.hooks.search_toc_index")


def toc_index(toc: Any) -> dict[str, Any]:
    """``{anchor id: TOC entry}`` for a TOC (a list of entries with ``id`` and ``children``),
    the first entry in depth-first order winning, as in Material's own search."""
    index: dict[str, Any] = {}
    stack = list(reversed(list(toc)))
    while stack:
        item = stack.pop()
        index.setdefault(item.id, item)
        stack.extend(reversed(list(item.children)))
    return index


def on_pre_build(config: MkDocsConfig) -> None:
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    search_index = getattr(plugin, "search_index", None)
    if search_index is None or not hasattr(search_index, "_find_toc_by_id"):
        log.debug("Material's search index not found; its TOC look-up is left as it is")
        return
    last: list[Any] = [None, {}]  # the TOC seen last and its index (sections come page by page)

    def find_toc_by_id(toc: Any, anchor: str) -> Any:
        if last[0] is not toc:
            last[:] = [toc, toc_index(toc)]
        return last[1].get(anchor)

    search_index._find_toc_by_id = find_toc_by_id
