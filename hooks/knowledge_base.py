"""MkDocs hook: a thin adapter between MkDocs events and ``decision_guide.site``.

- ``on_config`` renders the knowledge base (``decision_guide.site.cached_render_site``: load,
  validate, render every generated page, block and file, or reuse the cached output when nothing
  it depends on changed) and checks the hand-written pages' ``<!-- guide:NAME -->`` markers, so a
  bad edit aborts the build with a ``PluginError`` before MkDocs cleans the output folder.
- ``on_files`` adds the generated pages (``File.generated``; ``not_in_nav`` in ``mkdocs.yml``
  keeps those the nav does not list out of it), the published JSON Schema and the JSON export.
- ``on_page_markdown`` fills ``<!-- guide:NAME -->`` markers in hand-written pages.

``python -m decision_guide render OUT_DIR`` writes the same output to a folder, for a build
without this hook (README, "Building without the hooks"). Without this hook and without that
folder, the site has none of its generated pages and ``mkdocs build --strict`` fails on the nav's
links to them; built from the folder instead, the site is the same but for three things this hook
does as the build runs: a bad edit of the YAML fails ``render`` rather than the build,
``mkdocs serve`` does not show an edit of the YAML until ``render`` runs again, and the "Edit this
page" link of a generated page points at ``docs/<page>.md`` rather than at the YAML it comes from.

Under ``mkdocs serve``, a failed rebuild is handled by ``hooks/last_good_site.py``.
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from decision_guide.registry import REFERENCE_PAGES, SCHEMA_PATH, UnknownBlockError
from decision_guide.site import CACHE, KNOWLEDGE_BASE, cached_render_site, fill_blocks, filled_pages

log = logging.getLogger("mkdocs.hooks.knowledge_base")

#: Where the field reference pages come from (their "Edit this page" link).
SCHEMA_MODELS = "src/decision_guide/schema.py"
REFERENCE_SRC_URIS = frozenset(page.src_uri for page in REFERENCE_PAGES)

_output: dict[str, Any] = {"pages": {}, "blocks": {}, "files": {}}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _output
    from decision_guide.problems import KnowledgeBaseError

    project = Path(config.config_file_path).parent
    path = project / KNOWLEDGE_BASE
    if path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())  # messages then read content/comparisons.yaml:LINE:COL
    try:
        _output, cached = cached_render_site(
            path, project / SCHEMA_PATH, config.extra.get("repository"), project / CACHE
        )
        filled_pages(Path(config.docs_dir), _output["blocks"])  # refuses an unknown block
    except KnowledgeBaseError as error:
        raise PluginError(f"{len(error.problems)} problem(s) in {KNOWLEDGE_BASE}:\n{error}") from None
    except (UnknownBlockError, OSError) as error:
        raise PluginError(str(error)) from None
    log.info("knowledge base%s: %s", " (cached)" if cached else "", _output["summary"])
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for src_uri, markdown in _output["pages"].items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"docs/{src_uri} exists, but that page is generated from {KNOWLEDGE_BASE}: remove it")
        file = File.generated(config, src_uri, content=markdown)
        # Relative to edit_uri, which points at docs/; the field reference is edited in the schema.
        file.edit_uri = f"../{SCHEMA_MODELS if src_uri in REFERENCE_SRC_URIS else KNOWLEDGE_BASE}"
        files.append(file)
    for path, content in _output["files"].items():
        files.append(File.generated(config, path, content=content))
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
    return fill_blocks(markdown, _output["blocks"], page.file.src_uri)  # unknown blocks: refused in on_config
