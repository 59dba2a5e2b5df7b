"""MkDocs hook: a thin adapter between MkDocs events and the ``decision_guide`` package.

- ``on_config`` loads and validates ``content/comparisons.yaml`` once per build, renders every
  generated page up front, and checks the hand-written pages' ``<!-- guide:NAME -->`` markers,
  so a bad edit aborts the build with a ``PluginError`` before MkDocs cleans the output folder.
- ``on_files`` adds the generated pages (``File.generated``), the published JSON Schema and
  the versioned JSON export.
- ``on_page_markdown`` fills ``<!-- guide:NAME -->`` markers in hand-written pages.

Under ``mkdocs serve``, a failed rebuild is handled by ``hooks/last_good_site.py``.
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from decision_guide import KnowledgeBaseError, Renderer, load_knowledge_base
from decision_guide.export import EXPORT_PATH, SCHEMA_PATH, export_json
from decision_guide.pages import unknown_blocks

log = logging.getLogger("mkdocs.hooks.knowledge_base")

KNOWLEDGE_BASE = "content/comparisons.yaml"

_renderer: Renderer | None = None
_pages: dict[str, str] = {}
_export = ""


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _renderer, _pages, _export
    path = Path(config.config_file_path).parent / KNOWLEDGE_BASE
    if path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())  # messages then read content/comparisons.yaml:LINE:COL
    try:
        kb = load_knowledge_base(path)
    except KnowledgeBaseError as error:
        raise PluginError(f"{len(error.problems)} problem(s) in {KNOWLEDGE_BASE}:\n{error}") from None
    for page in sorted(Path(config.docs_dir).rglob("*.md")):
        if names := unknown_blocks(page.read_text(encoding="utf-8")):
            raise PluginError(f"{page}: unknown block <!-- guide:{names[0]} -->")
    _renderer = Renderer(kb, repository=config.extra.get("repository"))
    _pages = _renderer.pages()
    _export = export_json(kb)
    log.info(
        "knowledge base: %d dimensions, %d conflicts, %d corrections, %d FAQs",
        len(kb.dimensions), len(kb.conflicts), len(kb.corrections), len(kb.faqs),
    )
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for src_uri, markdown in _pages.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"docs/{src_uri} exists, but that page is generated from {KNOWLEDGE_BASE}: remove it")
        file = File.generated(config, src_uri, content=markdown)
        file.edit_uri = f"../{KNOWLEDGE_BASE}"  # relative to edit_uri, which points at docs/
        files.append(file)
    # The committed schema file, which a test keeps identical to json_schema() (generating it
    # again here would cost a noticeable share of the hook's time).
    schema = Path(config.config_file_path).parent / SCHEMA_PATH
    files.append(File.generated(config, SCHEMA_PATH, abs_src_path=str(schema)))
    files.append(File.generated(config, EXPORT_PATH, content=_export))
    return files


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    if page.file.generated_by is None or not page.edit_url:
        return context
    # edit_uri points at docs/; resolve the "../content/..." of generated pages into a clean URL.
    url = urlsplit(page.edit_url)
    page.edit_url = urlunsplit(url._replace(path=posixpath.normpath(url.path)))
    return context


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "<!-- guide:" not in markdown or _renderer is None:
        return markdown
    return _renderer.embed_blocks(markdown)  # unknown markers were refused in on_config
