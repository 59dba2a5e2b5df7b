"""MkDocs hook: under ``mkdocs serve``, a failed rebuild keeps the last good site served.

MkDocs 1.6 empties the output folder early in every build, and when a rebuild then fails, its
development server holds every request until a later build succeeds ("the server will appear
stuck"). For a contributor editing ``content/comparisons.yaml`` that means a page that never
loads. This hook copies the output folder aside after each good build (``on_post_build``) and
wraps the server's builder (``on_serve``): when a rebuild fails, the problems are logged, the
last good copy is put back, and the server carries on serving it. ``mkdocs build`` is untouched:
``scripts/site build`` builds into a new folder and swaps it in only on success.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.hooks.last_good_site")

_serving = False
_copy: Path | None = None
_site_dir: Path | None = None


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_post_build(config: MkDocsConfig) -> None:
    global _copy, _site_dir
    if not _serving:
        return
    _site_dir = Path(config.site_dir)
    if _copy is None:
        _copy = Path(tempfile.mkdtemp(prefix="last-good-site-"))
    shutil.rmtree(_copy)
    shutil.copytree(_site_dir, _copy)


def _restore() -> None:
    if _copy is None or _site_dir is None:
        return
    shutil.rmtree(_site_dir, ignore_errors=True)
    shutil.copytree(_copy, _site_dir)


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
    def build_or_keep_last_good(*args: Any, **kwargs: Any) -> None:
        try:
            builder(*args, **kwargs)
        except (Exception, SystemExit) as error:  # MkDocs aborts a failed build with click's Abort
            _restore()
            log.error("The rebuild failed (%s); serving the last good site until the problem is fixed.",
                      str(error) or type(error).__name__)

    server.builder = build_or_keep_last_good
    return server


def on_shutdown() -> None:
    if _copy is not None:
        shutil.rmtree(_copy, ignore_errors=True)
