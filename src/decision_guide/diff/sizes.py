"""The generated pages' sizes, compared: which pages grow or shrink by more than a tenth.

Each page is rendered by the core (:meth:`decision_guide.Renderer.pages`, and the blocks that
hand-written pages embed), without MkDocs; its size is the UTF-8 bytes of its Markdown, which
track what a reader scrolls through.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..pages import Renderer
from ..schema import KnowledgeBase

#: A page is listed when its size changes by more than this share.
THRESHOLD = 0.10


@dataclass(frozen=True)
class SizeChange:
    """A page (``page``: its site path, e.g. ``comparison/admin/``; a block: ``block <name>``)
    of ``before`` and ``after`` bytes (None: no such page)."""

    page: str
    before: int | None
    after: int | None

    @property
    def ratio(self) -> float | None:
        """The change as a share of the old size (0.25 for a quarter more), None for a new page."""
        if self.before is None or self.after is None or self.before == 0:
            return None
        return (self.after - self.before) / self.before


def site_path(src_uri: str) -> str:
    """The address of a generated page below the site root: ``comparison/admin.md`` -> ``comparison/admin/``."""
    return src_uri.removesuffix(".md") + "/"


def page_sizes(kb: KnowledgeBase) -> dict[str, int]:
    """``{page: bytes of Markdown}`` for every generated page and embedded block of ``kb``."""
    renderer = Renderer(kb)
    sizes = {site_path(src_uri): len(text.encode("utf-8")) for src_uri, text in renderer.pages().items()}
    sizes.update({f"block {name}": len(text.encode("utf-8")) for name, text in renderer.blocks().items()})
    return sizes


def size_changes(base: KnowledgeBase, head: KnowledgeBase, threshold: float = THRESHOLD) -> list[SizeChange]:
    """Pages added, removed, or whose size changes by more than ``threshold``, in the head's order."""
    if base == head:
        return []
    old, new = page_sizes(base), page_sizes(head)
    out = []
    for page in [*new, *(p for p in old if p not in new)]:
        change = SizeChange(page, old.get(page), new.get(page))
        if (change.ratio is None and change.before != change.after) or abs(change.ratio or 0) > threshold:
            out.append(change)
    return out
