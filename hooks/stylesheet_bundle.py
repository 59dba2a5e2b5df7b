"""MkDocs hook: one render-blocking stylesheet per page instead of three.

Material 9.8.1's ``base.html`` links ``main.*.min.css`` and ``palette.*.min.css`` in its ``styles``
block, then one ``<link>`` per ``extra_css`` entry: three requests on the critical path of every
page, each of which holds back the first paint. This hook concatenates them at build time, in that
order, into one file named by its content (``assets/stylesheets/bundle.<sha256 prefix>.min.css``,
so a host may cache it for ever), and the ``styles`` block of ``overrides/main.html`` links that
file alone. Everything else stays where it was: ``extra_css`` in ``mkdocs.yml`` still lists the
guide's own stylesheets (this hook takes them over and empties the list, so ``base.html`` links
none of them), the source files are still copied into the site, and each sheet's media queries
(dark palette, print) come along unchanged.

Relative ``url()``s are rewritten for the bundle's folder; ``@import`` is refused (it would have to
come first in the bundle). The names of Material's stylesheets carry the theme's version hash, so
they are looked up among the theme's files and checked against ``base.html``: an upgrade that
renames or drops them fails the build instead of shipping a page without styles.

Without this hook ``overrides/main.html`` falls back to Material's own ``styles`` block: the same
rules in the same order, in three render-blocking stylesheets, so the first paint waits for three
requests instead of one.
"""

from __future__ import annotations

import hashlib
import posixpath
import re

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

#: The bundle's folder in the site, beside Material's own stylesheets.
FOLDER = "assets/stylesheets"
#: Material's stylesheets as ``base.html`` links them: the main one, then the palette's.
THEME_SHEETS = (
    re.compile(r"assets/stylesheets/main\.[0-9a-f]+\.min\.css"),
    re.compile(r"assets/stylesheets/palette\.[0-9a-f]+\.min\.css"),
)

URL = re.compile(r"""url\(\s*(?P<quote>["']?)(?P<target>[^"')]*)(?P=quote)\s*\)""")
NOT_RELATIVE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", re.IGNORECASE)  # data:, https:, /x, #id
CHARSET = re.compile(r'^\s*@charset\s+"[^"]*";', re.IGNORECASE)
SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")
IMPORT = re.compile(r"@import\b", re.IGNORECASE)

# This build's bundle and the sheets in it (site paths), from on_files to on_env.
_build: dict[str, str] = {}
_bundled: list[str] = []


def rebase_urls(css: str, source: str, target_folder: str) -> str:
    """Rewrite the relative ``url()``s of ``css``, a stylesheet at site path ``source``, so that
    they point at the same files from a stylesheet in ``target_folder``. ``data:``, absolute and
    fragment URLs are kept as they are."""

    def rebase(match: re.Match[str]) -> str:
        target = match["target"].strip()
        if not target or NOT_RELATIVE.match(target):
            return match[0]
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
        return f'url("{posixpath.relpath(resolved, target_folder)}")'

    return URL.sub(rebase, css)


def bundle(sheets: list[tuple[str, str]], target_folder: str = FOLDER) -> str:
    """One stylesheet from ``sheets``, a list of ``(site path, CSS text)`` in cascade order: each
    sheet's ``@charset`` and source-map comment dropped and its relative ``url()``s rebased onto
    ``target_folder``. Raises ``PluginError`` on ``@import``, which cannot follow other rules."""
    parts = ['@charset "UTF-8";']
    for path, css in sheets:
        if IMPORT.search(css):
            raise PluginError(f"stylesheet_bundle: {path} uses @import; list the imported sheet in extra_css instead")
        css = SOURCE_MAP.sub("", CHARSET.sub("", css, count=1))
        parts.append(f"/* {path} */\n" + rebase_urls(css.strip(), path, target_folder))
    return "\n".join(parts) + "\n"


def theme_sheets(files: Files, config: MkDocsConfig) -> list[File]:
    """Material's stylesheets among ``files`` that ``base.html`` links: the main one, and the
    palette's when ``theme.palette`` is set."""
    wanted = THEME_SHEETS if config.theme.get("palette") else THEME_SHEETS[:1]
    found = []
    for pattern in wanted:
        matches = [file for file in files if pattern.fullmatch(file.src_uri)]
        if len(matches) != 1:
            raise PluginError(
                f"stylesheet_bundle: expected one theme file matching {pattern.pattern}, found {len(matches)}"
            )
        found.append(matches[0])
    return found


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the bundle of Material's stylesheets and ``extra_css`` to ``files`` and empty
    ``extra_css``, so that each page links the bundle alone (through ``overrides/main.html``)."""
    sheets = theme_sheets(files, config)
    for path in config.extra_css:
        file = files.get_file_from_path(path)
        if file is None:
            raise PluginError(f"stylesheet_bundle: extra_css lists {path}, which is not in the docs folder")
        sheets.append(file)
    css = bundle([(file.src_uri, file.content_string) for file in sheets])
    digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:8]
    name = f"{FOLDER}/bundle.{digest}.min.css"
    files.append(File.generated(config, name, content=css))
    _build["bundle"] = name
    _bundled[:] = [file.src_uri for file in sheets]
    config["extra_css"] = []  # bundled: base.html links none of them on its own
    return files


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """Give the templates the bundle's site path as ``stylesheet_bundle``, after checking that
    ``base.html`` still links the theme stylesheets the bundle replaces."""
    source = env.loader.get_source(env, "base.html")[0] if env.loader else ""
    missing = [path for path in _bundled if path.startswith(FOLDER + "/") and path not in source]
    if missing:
        raise PluginError(f"stylesheet_bundle: base.html no longer links {', '.join(missing)}; update this hook")
    env.globals["stylesheet_bundle"] = _build["bundle"]  # read by the styles block of overrides/main.html
    return env
