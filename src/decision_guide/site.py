"""The knowledge base's part of the site, rendered once, for the MkDocs hook or for a folder.

:func:`render_site` loads and validates the knowledge base and renders everything the site takes
from it: the generated pages (Markdown with front matter, :mod:`decision_guide.registry`), the
blocks that hand-written pages embed with a ``<!-- guide:NAME -->`` line, and the static files
(the published JSON Schema and the JSON export). ``hooks/knowledge_base.py`` feeds that output to
MkDocs through its events; ``python -m decision_guide render OUT_DIR`` writes it to a folder
(:func:`write_site`), with the hand-written pages that embed blocks written out filled, so that
any MkDocs-compatible generator can build the site from ``docs/`` plus that folder, with no hook of
this project's.

Nothing here imports MkDocs, and nothing heavy is imported until a render is needed: a build that
finds its output in the cache (:func:`cached_render_site`) never loads pydantic.
"""

from __future__ import annotations

import gc
import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from . import build_cache
from .registry import BLOCK_MARKER, BLOCKS, EXPORT_PATH, SCHEMA_PATH, UnknownBlockError

#: The knowledge base and the cache, relative to the project's root.
KNOWLEDGE_BASE = "content/comparisons.yaml"
CACHE = ".cache/decision-guide"
#: The file :func:`write_site` leaves in its folder, so a later render may replace that folder.
MARKER = ".decision-guide-render"


def render_site(knowledge_base: Path, schema_file: Path, repository: str | None = None) -> dict[str, Any]:
    """Load, validate and render the knowledge base at ``knowledge_base``.

    ``schema_file`` is the committed JSON Schema (``schema/comparisons.schema.json``, which a test
    keeps equal to :func:`~decision_guide.schema.json_schema`): it is published as it is, and the
    field reference pages are rendered from it. ``repository``: the GitHub repository's https
    URL, for "suggest a correction" links (none without it).

    Output, JSON-ready (the build cache stores it as it is)::

        {"pages": {src_uri: markdown}, "blocks": {name: markdown},
         "files": {site path: text}, "summary": "N dimensions, ..."}

    Raises :class:`~decision_guide.problems.KnowledgeBaseError` listing every problem of the file,
    and :class:`OSError` if ``schema_file`` cannot be read.
    """
    from .export import export_json
    from .loader import load_knowledge_base
    from .pages import Renderer
    from .reference import reference_pages

    schema = schema_file.read_text(encoding="utf-8")
    # The loader builds many small objects and frees none of them: garbage collection would only
    # walk them (and everything the caller loaded) again and again, so it waits until the end.
    gc.disable()
    try:
        kb = load_knowledge_base(knowledge_base)
        renderer = Renderer(kb, repository=repository)
        return {
            "pages": {**renderer.pages(), **reference_pages(json.loads(schema))},
            "blocks": renderer.blocks(),
            "files": {SCHEMA_PATH: schema, EXPORT_PATH: export_json(kb)},
            "summary": f"{len(kb.dimensions)} dimensions, {len(kb.conflicts)} conflicts, "
            f"{len(kb.corrections)} corrections, {len(kb.faqs)} FAQs",
        }
    finally:
        gc.enable()


def cached_render_site(
    knowledge_base: Path, schema_file: Path, repository: str | None, cache: Path
) -> tuple[dict[str, Any], bool]:
    """:func:`render_site`'s output and whether it came from the cache in folder ``cache`` (see
    :mod:`decision_guide.build_cache`: the key covers the YAML, this package's code and templates,
    the schema file, ``repository``, the libraries' versions and today's date). A miss renders
    and stores the result; an unreadable input is left to :func:`render_site` to report."""
    try:
        schema = hashlib.sha256(schema_file.read_bytes()).hexdigest()
        key: str | None = build_cache.cache_key(knowledge_base, {"repository": repository, "schema": schema})
    except OSError:
        key = None
    cached = build_cache.load(cache, key) if key else None
    if cached is not None:
        return cached, True
    output = render_site(knowledge_base, schema_file, repository)
    if key:
        build_cache.store(cache, key, output)
    return output, False


def fill_blocks(markdown: str, blocks: dict[str, str], page: str = "") -> str:
    """``markdown`` with each ``<!-- guide:NAME -->`` line replaced by ``blocks[NAME]``.
    Raises :class:`UnknownBlockError` (naming ``page``) for a name ``blocks`` lacks."""

    def block(match: Any) -> str:
        name = match.group(1)
        if name not in blocks:
            raise UnknownBlockError(name, page)
        return blocks[name]

    return BLOCK_MARKER.sub(block, markdown)


def filled_pages(docs_dir: Path, blocks: dict[str, str]) -> dict[str, str]:
    """``{src_uri: markdown}`` of the hand-written pages under ``docs_dir`` that embed a block,
    with their blocks filled in (front matter and all). Raises :class:`UnknownBlockError` for a
    marker that names no block of :data:`~decision_guide.registry.BLOCKS`."""
    known = {name: blocks[name] for name in BLOCKS if name in blocks}
    out = {}
    for path in sorted(docs_dir.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if BLOCK_MARKER.search(text):
            out[path.relative_to(docs_dir).as_posix()] = fill_blocks(text, known, str(path))
    return out


def write_site(output: dict[str, Any], docs_dir: Path, out_dir: Path) -> list[str]:
    """Write :func:`render_site`'s ``output`` into ``out_dir``: every generated page and static
    file at its path under the docs folder, and the hand-written pages of ``docs_dir`` that embed
    blocks, filled (they replace the originals when the folder is laid over ``docs/``). Returns the
    paths written, relative to ``out_dir``, sorted.

    The folder is written aside and swapped in when complete. An existing ``out_dir`` is replaced
    only if an earlier render wrote it (it holds :data:`MARKER`) or it is empty; otherwise
    :class:`FileExistsError`. Raises :class:`UnknownBlockError` as :func:`filled_pages` does,
    leaving ``out_dir`` as it was.
    """
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise FileExistsError(f"{out_dir} is not empty and was not written by `render`; choose another folder")
    contents = {**output["pages"], **output["files"], **filled_pages(docs_dir, output["blocks"])}
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for relative, text in contents.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (staging / MARKER).write_text("Written by `python -m decision_guide render`; replaced by the next render.\n")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(contents)
