"""MkDocs hook: a thin adapter between MkDocs events and the ``decision_guide`` package.

- ``on_config`` loads and validates ``content/comparisons.yaml`` once per build, renders every
  generated page and block up front, and checks the hand-written pages' ``<!-- guide:NAME -->``
  markers, so a bad edit aborts the build with a ``PluginError`` before MkDocs cleans the output
  folder. The output is kept in a content-addressed cache (``decision_guide.build_cache``): when
  nothing it depends on changed, the build reuses it without loading the validator.
- ``on_files`` adds the generated pages (``File.generated``; those the nav does not list as
  ``NOT_IN_NAV``), the published JSON Schema and the versioned JSON export.
- ``on_page_markdown`` fills ``<!-- guide:NAME -->`` markers in hand-written pages.

Under ``mkdocs serve``, a failed rebuild is handled by ``hooks/last_good_site.py``.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from decision_guide import build_cache
from decision_guide.registry import (
    BLOCK_MARKER,
    EXPORT_PATH,
    NAV_SRC_URIS,
    REFERENCE_PAGES,
    SCHEMA_PATH,
    unknown_blocks,
)

log = logging.getLogger("mkdocs.hooks.knowledge_base")

KNOWLEDGE_BASE = "content/comparisons.yaml"
#: Where the field reference pages come from (their "Edit this page" link).
SCHEMA_MODELS = "src/decision_guide/schema.py"
REFERENCE_SRC_URIS = frozenset(page.src_uri for page in REFERENCE_PAGES)
CACHE = ".cache/decision-guide"

_output: dict[str, Any] = {"pages": {}, "blocks": {}, "export": ""}


def _render(path: Path, repository: str | None, schema_file: Path) -> dict[str, Any]:
    """Load, validate and render the knowledge base (the cache-miss path). Raises PluginError.

    The field reference is rendered from the committed JSON Schema (``schema_file``), which a test
    keeps identical to ``json_schema()``: generating the schema again would cost about 50 ms."""
    from decision_guide import KnowledgeBaseError, Renderer, load_knowledge_base
    from decision_guide.export import export_json
    from decision_guide.reference import reference_pages

    # The loader builds many small objects and frees none of them: garbage collection would
    # only walk them (and everything MkDocs loaded) again and again, so it waits until the end.
    gc.disable()
    try:
        kb = load_knowledge_base(path)
        renderer = Renderer(kb, repository=repository)
        return {
            # The field reference comes from the schema, not the YAML; it is cached with the rest.
            "pages": {**renderer.pages(), **reference_pages(json.loads(schema_file.read_text(encoding="utf-8")))},
            "blocks": renderer.blocks(),
            "export": export_json(kb),
            "summary": f"{len(kb.dimensions)} dimensions, {len(kb.conflicts)} conflicts, "
            f"{len(kb.corrections)} corrections, {len(kb.faqs)} FAQs",
        }
    except KnowledgeBaseError as error:
        raise PluginError(f"{len(error.problems)} problem(s) in {KNOWLEDGE_BASE}:\n{error}") from None
    finally:
        gc.enable()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _output
    project = Path(config.config_file_path).parent
    path = project / KNOWLEDGE_BASE
    if path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())  # messages then read content/comparisons.yaml:LINE:COL
    for page in sorted(Path(config.docs_dir).rglob("*.md")):
        if names := unknown_blocks(page.read_text(encoding="utf-8")):
            raise PluginError(f"{page}: unknown block <!-- guide:{names[0]} -->")
    repository = config.extra.get("repository")
    try:
        schema = hashlib.sha256((project / SCHEMA_PATH).read_bytes()).hexdigest()
        key = build_cache.cache_key(path, {"repository": repository, "schema": schema})
    except OSError:
        key = None  # a missing file: the loader reports it
    cached = build_cache.load(project / CACHE, key) if key else None
    _output = cached or _render(path, repository, project / SCHEMA_PATH)
    if cached is None and key:
        build_cache.store(project / CACHE, key, _output)
    log.info("knowledge base%s: %s", " (cached)" if cached else "", _output["summary"])
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for src_uri, markdown in _output["pages"].items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"docs/{src_uri} exists, but that page is generated from {KNOWLEDGE_BASE}: remove it")
        # Pages the nav does not list (a row's evidence, the decision tree) are reached from
        # their parent page: NOT_IN_NAV keeps `validation.nav.omitted_files` quiet about them.
        inclusion = InclusionLevel.UNDEFINED if src_uri in NAV_SRC_URIS else InclusionLevel.NOT_IN_NAV
        file = File.generated(config, src_uri, content=markdown, inclusion=inclusion)
        # Relative to edit_uri, which points at docs/; the field reference is edited in the schema.
        file.edit_uri = f"../{SCHEMA_MODELS if src_uri in REFERENCE_SRC_URIS else KNOWLEDGE_BASE}"
        files.append(file)
    # The committed schema file, which a test keeps identical to json_schema() (generating it
    # again here would cost a noticeable share of the hook's time).
    schema = Path(config.config_file_path).parent / SCHEMA_PATH
    files.append(File.generated(config, SCHEMA_PATH, abs_src_path=str(schema)))
    files.append(File.generated(config, EXPORT_PATH, content=_output["export"]))
    return files


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    if page.file.generated_by is None or not page.edit_url:
        return context
    # edit_uri points at docs/; resolve the "../content/..." of generated pages into a clean URL.
    url = urlsplit(page.edit_url)
    page.edit_url = urlunsplit(url._replace(path=posixpath.normpath(url.path)))
    return context


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "<!-- guide:" not in markdown:
        return markdown
    # Unknown markers were refused in on_config.
    return BLOCK_MARKER.sub(lambda match: _output["blocks"][match.group(1)], markdown)
