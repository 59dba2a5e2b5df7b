"""MkDocs hook: a Content-Security-Policy on every page, as defence in depth.

Contributor text is rendered safe by construction (``decision_guide.markup``); this policy is
the second wall. It lets a page load scripts, styles, images, fonts, workers and data only from
its own origin, forbids frames, plugins and form posts elsewhere, and runs no inline script but
the ones the build wrote: Material's own small inline scripts, allowed by their SHA-256 hashes
(CSP Level 2, "hash-source"). A static host cannot be relied on to send headers, so the policy
travels in the page as ``<meta http-equiv="Content-Security-Policy">``, right after
``<meta charset>`` and before any script.

Material's inline scripts differ from page to page (each holds the page's path to the site
root), and its instant navigation keeps the first page's policy while it loads others, so each
page carries the hashes of every page's inline scripts: ``on_post_build`` collects them all,
then writes the policy into every HTML file of the site, the 404 page included.

Under ``mkdocs serve`` (and ``properdocs serve``), the development server adds one more inline
script to every page it serves, the live-reload poller, which reloads the page when a rebuild
finishes. Its hash cannot be allowed in advance: the server writes a fresh request id into it for
every response (``livereload(epoch, request_id)``). So under ``serve``, which MkDocs reports in
``on_startup``, the policy lets inline scripts run (``'unsafe-inline'`` in place of the hashes,
which a browser would otherwise let override it) and keeps every other directive, so the page a
contributor previews loads exactly what a reader's does. Without this the saved YAML is rebuilt
but the open page never reloads. ``mkdocs build`` always writes the strict policy (and so does
``mkdocs serve --clean``, which MkDocs reports as a build).

Without this hook the pages carry no policy: they look and work the same, but a script that got
into a page despite the sanitizer would run.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.hooks.content_security_policy")

#: Script types a browser executes (an empty type means JavaScript).
EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}

#: The policy; ``{scripts}`` is the inline scripts' hash-sources (or ``'unsafe-inline'`` under serve).
POLICY = (
    "default-src 'self'; script-src 'self' {scripts}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; frame-src 'none'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)


class InlineScripts(HTMLParser):
    """Collects the text of every inline, executable ``<script>`` of a document, byte-exact."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and (attributes.get("type") or "").lower() in EXECUTABLE:
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def script_hashes(html: str) -> set[str]:
    """The CSP hash-sources (``'sha256-…'``) of the inline scripts of ``html``."""
    parser = InlineScripts()
    parser.feed(html)
    parser.close()
    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'" for s in parser.scripts
    }


#: The command MkDocs runs (``on_startup``): ``serve`` relaxes ``script-src`` for the live-reload script.
_command = "build"


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    global _command
    _command = command


def on_post_build(config: MkDocsConfig) -> None:
    pages = sorted(Path(config.site_dir).rglob("*.html"))
    texts = {path: path.read_text(encoding="utf-8") for path in pages}
    if _command == "serve":
        scripts = "'unsafe-inline'"  # the live-reload script the server adds to each response
    else:
        scripts = " ".join(sorted(set().union(*(script_hashes(text) for text in texts.values())) if texts else set()))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(scripts=scripts)}">'
    for path, text in texts.items():
        anchor = next((tag for tag in ('<meta charset="utf-8">', "<head>") if tag in text), None)
        if anchor is None:
            log.warning("%s has no <head>: no Content-Security-Policy written", path)
            continue
        path.write_text(text.replace(anchor, f"{anchor}\n    {meta}", 1), encoding="utf-8")
