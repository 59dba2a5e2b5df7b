"""MkDocs hook: under ``mkdocs serve``, a failed rebuild keeps the last good site served.

MkDocs 1.6 empties the output folder early in every build, and when a rebuild then fails, its
development server holds every request until a later build succeeds ("the server will appear
stuck"). For a contributor editing ``content/comparisons.yaml`` that means a page that never
loads. This hook wraps the server's builder (``on_serve``): it copies the output folder aside
after each build that succeeds, and when a rebuild fails, it logs why, puts the last good copy
back, and lets the server carry on serving it. ``mkdocs build`` is untouched:
``scripts/site build`` builds into a new folder and swaps it in only on success.

Without this hook, a rebuild that fails under ``mkdocs serve`` leaves every request waiting until
an edit fixes the problem; builds are unaffected.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.hooks.last_good_site")

_copy: Path | None = None
_site_dir: Path | None = None


def _keep(site_dir: Path) -> None:
    """Copy the output folder aside, after a build that succeeded."""
    global _copy, _site_dir
    _site_dir = site_dir
    if _copy is None:
        _copy = Path(tempfile.mkdtemp(prefix="last-good-site-"))
    shutil.rmtree(_copy)
    shutil.copytree(site_dir, _copy)


def _restore() -> None:
    if _copy is None or _site_dir is None:
        return
    shutil.rmtree(_site_dir, ignore_errors=True)
    shutil.copytree(_copy, _site_dir)


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
    # The first build has succeeded by now (mkdocs serve stops if it fails). Copies are taken
    # only once a build returns: MkDocs runs on_post_build before it aborts a strict build.
    _keep(Path(config.site_dir))

    def build_or_keep_last_good(*args: Any, **kwargs: Any) -> None:
        try:
            builder(*args, **kwargs)
        except (Exception, SystemExit) as error:  # MkDocs aborts a failed build with click's Abort
            _restore()
            log.error(
                "The rebuild failed (%s); serving the last good site until the problem is fixed.",
                str(error) or type(error).__name__,
            )
            return
        if _site_dir is not None:
            _keep(_site_dir)

    server.builder = build_or_keep_last_good
    return server


def on_shutdown() -> None:
    if _copy is not None:
        shutil.rmtree(_copy, ignore_errors=True)
