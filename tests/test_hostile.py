"""Hostile contributor text, in every field type, through the real pipeline: every payload of
``tests/hostile_payloads.py`` is either refused with located problems or rendered harmless.

"Harmless" is judged on HTML parsed with BeautifulSoup (never regexes on HTML), see
:func:`leaks_in`: no script element of contributor origin, no event-handler attribute, no
``javascript:``/``vbscript:``/``data:`` URL, no resource from another origin, no style of
contributor origin, and no text from outside ``docs/`` and ``content/`` (an include of
``mkdocs.yml`` or ``.git/config`` would show their lines).

Three layers: (a) in process, every payload x one field of each type (the fast tier; four more
fields, other places plain lines and paragraphs are shown, run in the slow tier), converted with
Python-Markdown and the site's own ``markdown_extensions`` (snippets reading from the repository
root, so an include would really work); (b) one real ``mkdocs build --strict`` of a sample,
pages and search index checked the same way, then opened in Chromium (slow); (c) Hypothesis,
random text in every field type. Each field test prints a line, and the module a summary line
(corpus size x fields, leaks) when it ends.
"""

from __future__ import annotations

import functools
import html as html_lib
import json
import unicodedata
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from hostile_payloads import BY_NAME, PAYLOADS, Payload
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jinja2.utils import htmlsafe_json_dumps
from mkdocs.utils.meta import get_data

from decision_guide import KnowledgeBaseError, Renderer
from decision_guide.fieldtypes import TEXT_TYPES
from decision_guide.loader import validate
from decision_guide.pages import BLOCK_MARKER
from decision_guide.yaml_source import SourceMap, load_yaml
from projects import ROOT, build, make_project
from synthetic import dump, synthetic_knowledge_base

FILE = "content/comparisons.yaml"

# ---- The site's Markdown, exactly as mkdocs.yml configures it ------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """A safe loader for mkdocs.yml that reads ``!ENV [NAME, default]`` as its default."""


_ConfigLoader.add_constructor(
    "!ENV", lambda loader, node: loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None
)


@functools.cache
def mkdocs_config() -> dict[str, Any]:
    """mkdocs.yml of the repository, parsed safely."""
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)


def markdown_settings() -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The extensions and their configs a MkDocs build uses: MkDocs' built-ins (toc, tables,
    fenced_code) then mkdocs.yml's ``markdown_extensions``; pymdownx.snippets reads from the
    repository root, so an include of ``mkdocs.yml`` or ``.git/config`` would really work."""
    names = ["toc", "tables", "fenced_code"]
    configs: dict[str, dict[str, Any]] = {}
    for entry in mkdocs_config()["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        if name not in names:
            names.append(name)
        configs[name] = dict(options or {})
    assert "pymdownx.snippets" in configs, "mkdocs.yml no longer enables pymdownx.snippets: update this test"
    configs["pymdownx.snippets"]["base_path"] = [str(ROOT)]
    return names, configs


@functools.cache
def converter() -> markdown.Markdown:
    """One Python-Markdown instance with the site's extensions (reset before each use)."""
    names, configs = markdown_settings()
    return markdown.Markdown(extensions=names, extension_configs=configs)


def page_html(page_markdown: str) -> str:
    """A generated page (front matter + Markdown) as the HTML MkDocs and the theme would make of
    it: the content, the table of contents, and the front matter's JSON-LD written as the theme
    writes it (``<script type="application/ld+json">{{ structured_data | tojson }}</script>``)."""
    content, meta = get_data(page_markdown)
    md = converter()
    md.reset()
    body = md.convert(content)
    head = ""
    if meta.get("structured_data"):
        head = f'<script type="application/ld+json">{htmlsafe_json_dumps(meta["structured_data"])}</script>'
    return f"<html><head>{head}</head><body><nav>{getattr(md, 'toc', '')}</nav><article>{body}</article></body></html>"


# ---- What a leak is ---------------------------------------------------------------------------

#: Script types that hold data, not code: the only script elements contributor pages may hold.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
#: Attributes whose value is a URL the browser may follow or load.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "background",
    "srcset",
    "ping",
    "cite",
    "longdesc",
    "manifest",
    "codebase",
    "lowsrc",
    "dynsrc",
    "values",
    "to",
    "from",
    "by",
    "icon",
    "archive",
    "classid",
    "usemap",
    "imagesrcset",
}
#: Elements that load what these attributes name.
RESOURCE_ATTRIBUTES = {
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "object": ("data", "codebase"),
    "embed": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "script": ("src",),
    "input": ("src",),
    "link": ("href", "imagesrcset"),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
#: Elements contributor text must never produce, whatever their attributes.
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}


def _outside_markers() -> dict[str, str]:
    """Lines of files outside docs/ and content/ that an include would publish: text -> file."""
    markers = {
        "site_name: Django vs Flask decision guide": "mkdocs.yml",
        "markdown_extensions:": "mkdocs.yml",
        "repositoryformatversion": ".git/config",
        "[core]": ".git/config",
        "[build-system]": "pyproject.toml",
        "build-backend": "pyproject.toml",
        "root:x:0:0": "/etc/passwd",
        "def on_config(config: MkDocsConfig)": "hooks/knowledge_base.py",
    }
    for text, name in markers.items():
        path = Path(name) if name.startswith("/") else ROOT / name
        if path.is_dir() or not path.exists():
            continue
        assert text in path.read_text(encoding="utf-8", errors="replace"), f"{name} no longer holds {text!r}"
    return markers


OUTSIDE_MARKERS = _outside_markers()


def _clean_url(value: str) -> str:
    """A URL as a browser reads its scheme: entities decoded (once more, to be strict), and every
    control, space and invisible character removed, lower case."""
    value = html_lib.unescape(value)
    invisible = ("Cc", "Cf", "Zs", "Zl", "Zp")
    kept = (c for c in value if ord(c) > 0x20 and c != "\x7f" and unicodedata.category(c) not in invisible)
    return "".join(kept).lower()


def _bad_scheme(value: str) -> str | None:
    """The forbidden scheme ``value`` starts with (also after percent-decoding), or None."""
    for candidate in (_clean_url(value), _clean_url(unquote(value))):
        for scheme in BAD_SCHEMES:
            if candidate.startswith(scheme):
                return scheme
    return None


def _urls(attribute: str, value: str) -> list[str]:
    """The URLs an attribute value names (``srcset`` lists several)."""
    if attribute.endswith("srcset"):
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    return [value]


def _css_urls(css: str) -> list[str]:
    """The targets of ``url(...)`` and ``@import "..."`` in CSS text (a small tokenizer, no regex)."""
    text = _clean_url(css.replace("\\", ""))
    out = []
    for opener in ("url(", "@import"):
        start = 0
        while (index := text.find(opener, start)) >= 0:
            rest = text[index + len(opener) :].lstrip("(")
            end = min((i for i in (rest.find(")"), rest.find(";")) if i >= 0), default=len(rest))
            out.append(rest[:end].strip("'\""))
            start = index + len(opener)
    return out


def _foreign(url: str, own_host: str | None) -> bool:
    """Whether ``url`` points at another origin than ``own_host`` (None: every host is another)."""
    cleaned = _clean_url(url)
    if cleaned.startswith(("//", "\\\\", "/\\", "\\/")):
        cleaned = "https:" + cleaned.replace("\\", "/")
    parts = urlsplit(cleaned)
    if not parts.netloc and parts.scheme in ("", "data", "javascript", "vbscript", "about", "blob", "mailto"):
        return False  # relative, or a scheme reported separately
    return own_host is None or parts.hostname != own_host


@dataclass
class Baseline:
    """What a page of the site holds before any contributor text: the scripts and styles the theme
    and the templates write, and what the checks would report on it (``known``: the theme's own
    ``href="javascript:void(0)"`` search-share button, for example). Anything beyond is of
    contributor origin."""

    scripts: Counter[tuple[str, ...]] = field(default_factory=Counter)
    styles: Counter[tuple[str, str]] = field(default_factory=Counter)
    known: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, html: str, own_host: str | None = None) -> Baseline:
        """The baseline of a page without contributor text."""
        soup = BeautifulSoup(html, "html.parser")
        baseline = cls(Counter(_script_signature(s) for s in soup.find_all("script")), Counter(_style_signatures(soup)))
        baseline.known = Counter(_leaks(soup, own_host, baseline))
        return baseline


def _script_signature(script: Any) -> tuple[str, ...]:
    kind = (script.get("type") or "").strip().lower()
    text = "" if kind in DATA_SCRIPT_TYPES else script.get_text()
    return (kind, script.get("src") or "", script.get("id") or "", text)


def _style_signatures(soup: BeautifulSoup) -> Iterator[tuple[str, str]]:
    for element in soup.find_all(True):
        if element.name == "style":
            yield ("element", element.get_text())
        if element.has_attr("style"):
            yield (f"attribute of <{element.name}>", str(element["style"]))


def leaks_in(html: str, *, own_host: str | None = None, baseline: Baseline | None = None) -> list[str]:
    """Every harmful thing in ``html``, described in a line each (an empty list when safe).

    ``own_host``: the site's host (resources from it are fine); None: any absolute URL is another
    origin. ``baseline``: the scripts and styles the page holds without contributor text, so any
    other one is of contributor origin; None (for pages without contributor text): data scripts
    (JSON, JSON-LD) and script files of the site only, and no style at all.
    """
    leaks = _leaks(BeautifulSoup(html, "html.parser"), own_host, baseline)
    return list((Counter(leaks) - baseline.known).elements()) if baseline else leaks


def _leaks(soup: BeautifulSoup, own_host: str | None, baseline: Baseline | None) -> list[str]:
    leaks = []
    scripts = Counter(_script_signature(s) for s in soup.find_all("script"))
    if baseline is None:  # data scripts, and the site's own script files (no inline code)
        extra = Counter(
            {
                sig: n
                for sig, n in scripts.items()
                if not (sig[0] in DATA_SCRIPT_TYPES and not sig[1])
                and not (sig[1] and not sig[3].strip() and not _foreign(sig[1], own_host) and not _bad_scheme(sig[1]))
            }
        )
    else:
        extra = scripts - baseline.scripts
    leaks += [f"script element {sig!r}" for sig in extra]
    styles = Counter(_style_signatures(soup))
    extra_styles = styles - (baseline.styles if baseline else Counter())
    leaks += [f"style {where}: {css[:80]!r}" for where, css in extra_styles]
    for element in soup.find_all(True):
        name = element.name.lower()
        if name in FORBIDDEN_ELEMENTS:
            leaks.append(f"<{name}> element")
        equiv = (element.get("http-equiv") or "").lower() if name == "meta" else ""
        if equiv not in ("", "content-security-policy", "x-ua-compatible"):
            leaks.append(f"<meta http-equiv={element.get('http-equiv')!r}>")
        for attribute, value in element.attrs.items():
            attribute = attribute.lower()
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.startswith("on"):
                leaks.append(f"event handler <{name} {attribute}={value[:60]!r}>")
            if attribute in URL_ATTRIBUTES or attribute.endswith(("href", "src")):
                for url in _urls(attribute, value):
                    if scheme := _bad_scheme(url):
                        leaks.append(f"{scheme} URL <{name} {attribute}={value[:80]!r}>")
            if attribute == "style":
                for url in _css_urls(value):
                    if _bad_scheme(url) or _foreign(url, own_host):
                        leaks.append(f"style url() <{name} style={value[:80]!r}>")
                if "expression(" in _clean_url(value):
                    leaks.append(f"style expression() <{name} style={value[:80]!r}>")
        resource_attributes = [*list(RESOURCE_ATTRIBUTES.get(name, ())), "background"]
        if name == "link" and set(element.get("rel") or []) & {"canonical", "alternate", "author", "license"}:
            resource_attributes.remove("href")  # a link to a page, not a resource
        for attribute in resource_attributes:
            if element.has_attr(attribute):
                for url in _urls(attribute, str(element[attribute])):
                    if _foreign(url, own_host):
                        leaks.append(f"resource from another origin <{name} {attribute}={url[:80]!r}>")
        if name == "style":
            for url in _css_urls(element.get_text()):
                if _bad_scheme(url) or _foreign(url, own_host):
                    leaks.append(f"style element loads {url[:80]!r}")
    leaks += outside_content(
        soup.get_text(" ")
        + " "
        + " ".join(
            " ".join(v) if isinstance(v, list) else str(v) for el in soup.find_all(True) for v in el.attrs.values()
        )
    )
    return leaks


def outside_content(text: str) -> list[str]:
    """A line per file outside docs/ and content/ whose text shows in ``text``."""
    return [f"text of {name} ({marker!r})" for marker, name in OUTSIDE_MARKERS.items() if marker in text]


# ---- The knowledge base the payloads go into --------------------------------------------------

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Field:
    """A field of the synthetic knowledge base standing for its type: ``kind`` is the type's name
    (``TEXT_TYPES``), ``paths[0]`` the field the in-process test injects into, the others more
    fields of the same type for the sample build."""

    kind: str
    label: str
    paths: tuple[Path_, ...]
    primary: bool = True  # the one field of its type the fast tier runs the corpus through

    @property
    def path(self) -> Path_:
        return self.paths[0]


FIELDS: tuple[Field, ...] = (
    Field(
        "plain-line", "dimension name (heading, table cell, TOC)", tuple(("dimensions", i, "name") for i in range(4))
    ),
    Field(
        "plain-line",
        "conflict topic (heading, link title)",
        (("conflicts", 0, "topic"), ("conflicts", 1, "topic")),
        primary=False,
    ),
    Field(
        "plain-line",
        "tree answer label (SVG, data-tree JSON)",
        tuple(("decision_tree", "nodes", i, "answers", 0, "label") for i in range(3)),
        primary=False,
    ),
    Field(
        "plain-line", "FAQ question (summary, JSON-LD)", tuple(("faqs", i, "question") for i in range(3)), primary=False
    ),
    Field(
        "inline-markdown",
        "position summary (table cell)",
        tuple(("dimensions", i, "positions", "fw0", "summary") for i in range(4)),
    ),
    Field(
        "inline-paragraph",
        "conflict stance (list item)",
        (
            ("conflicts", 0, "stances", 0, "says"),
            ("conflicts", 0, "stances", 1, "says"),
            ("conflicts", 1, "stances", 0, "says"),
        ),
    ),
    Field("inline-paragraph", "quick answer (admonition in docs/index.md)", (("quick_answer", "text"),), primary=False),
    Field("block-markdown", "FAQ answer (details, JSON-LD)", tuple(("faqs", i, "answer") for i in range(3))),
    Field(
        "code", "quick-start step code (code block)", tuple(("quick_starts", 0, "steps", i, "code") for i in range(3))
    ),
    Field("https-url", "source url (autolink, links)", (("sources", 2, "url"), ("subjects", 0, "homepage"))),
    Field("id", "FAQ id (element id, anchors)", (("faqs", 0, "id"),)),
    Field("reference", "citation (source reference)", (("quick_answer", "cite", 0),)),
)
SLOT = "zzpayloadslotzz"


def base_data(small: bool = False) -> dict[str, Any]:
    """The synthetic knowledge base the payloads go into. Full: three quick-start steps, so the
    sample build has a code field per payload. ``small``: trimmed to what every field type needs
    (two dimensions and the API one, one conflict, one FAQ, one question with two outcomes), so
    the thousands of in-process runs stay fast."""
    data = synthetic_knowledge_base()
    for dimension in data["dimensions"]:
        for claim in dimension.get("claims", []):
            claim.setdefault("status", "opinion")
    steps = data["quick_starts"][0]["steps"]
    steps += [{"text": f"zebracorn step {i}", "code": f"echo step {i}"} for i in range(1, 3)]
    if not small:
        return data
    keep = {"dim-0", "dim-1", "api-dim"}
    data["dimensions"] = [d for d in data["dimensions"] if d["id"] in keep]
    data["conflicts"] = [c for c in data["conflicts"] if c["dimension"] in keep][:1]
    data["corrections"] = [c for c in data["corrections"] if c.get("dimension") in keep][:1]
    data["needs"] = [n for n in data["needs"] if all(r in keep for r in n["rows"])]
    data["faqs"] = data["faqs"][:1]
    del steps[1:]
    nodes = data["decision_tree"]["nodes"]
    start = next(n for n in nodes if n["id"] == data["decision_tree"]["start"])
    outcomes = [n for n in nodes if n["kind"] == "recommendation"][:2]
    for answer, outcome in zip(start["answers"], outcomes, strict=False):
        answer["next"] = outcome["id"]
    data["decision_tree"]["nodes"] = [start, *outcomes]
    return data


def _set(data: Any, path: Path_, value: Any) -> Any:
    """Set the value at ``path``; return the value it replaces."""
    for part in path[:-1]:
        data = data[part]
    old, data[path[-1]] = data[path[-1]], value
    return old


def yaml_scalar(text: str) -> str:
    """``text`` as one double-quoted YAML scalar on one line: every character, control characters
    and lone surrogates included, written so that the loader reads back exactly ``text``."""
    return (
        yaml.dump(text, Dumper=yaml.SafeDumper, default_style='"', allow_unicode=True, width=float("inf"))
        .rstrip("\n")
        .removesuffix("\n...")
    )


@functools.cache
def template(paths: tuple[Path_, ...], small: bool) -> tuple[str, tuple[int, ...]]:
    """The base file with a slot at each of ``paths``: ``(text, line of each slot)``."""
    data = base_data(small)
    for i, path in enumerate(paths):
        _set(data, path, f"{SLOT}{i}x")
    text = dump(data)
    lines = []
    for i in range(len(paths)):
        assert text.count(f"{SLOT}{i}x") == 1
        lines.append(text.count("\n", 0, text.index(f"{SLOT}{i}x")) + 1)
    return text, tuple(lines)


def inject(values: dict[Path_, str], small: bool = False) -> tuple[str, set[int]]:
    """The base file with ``values`` (path -> text) written in: ``(yaml text, their lines)``."""
    paths = tuple(values)
    text, lines = template(paths, small)
    for i, path in enumerate(paths):
        text = text.replace(f"{SLOT}{i}x", yaml_scalar(values[path]), 1)
    return text, set(lines)


@dataclass
class Outcome:
    """What the pipeline made of one injection: refused (``problems``) or rendered (``pages``
    converted, ``leaks`` found); ``failures`` lists what went wrong besides leaks (a traceback,
    an unlocated problem)."""

    refused: bool = False
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    leaks: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def hand_written_pages() -> dict[str, str]:
    """The hand-written pages that embed ``<!-- guide:NAME -->`` blocks: name -> Markdown."""
    pages = {}
    for path in sorted((ROOT / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if BLOCK_MARKER.search(text):
            pages[path.relative_to(ROOT / "docs").as_posix()] = text
    return pages


def render(kb: Any, names: frozenset[str] | None = None) -> dict[str, str]:
    """The generated pages and the hand-written pages with blocks (all, or ``names``), as Markdown,
    rendered as the hook renders them."""
    renderer = Renderer(kb, repository=mkdocs_config()["extra"]["repository"])
    pages = {uri: renderer.page(uri) for uri in renderer.src_uris() if names is None or uri in names}
    for name, text in hand_written_pages().items():
        if names is None or name in names:
            pages[name] = renderer.embed_blocks(text)
    return pages


@dataclass
class Base:
    """A parsed, validated base knowledge base and its rendered pages, cached: ``data`` and ``sm``
    from load_yaml, ``pages`` (name -> Markdown)."""

    data: dict[str, Any]
    sm: SourceMap
    pages: dict[str, str]


@functools.cache
def base(small: bool = True) -> Base:
    """The base knowledge base, parsed once (see :func:`base_data`)."""
    data, sm = load_yaml(dump(base_data(small)), FILE)
    return Base(data, sm, render(validate(data, sm)))


def _probe(target: Field) -> str:
    if target.kind == "https-url":
        return "https://probe.example/zebra"
    if target.kind in ("id", "reference"):
        return "article-b" if target.kind == "reference" else "probe-id"
    return "probe zebra text"


@functools.cache
def affected_pages(target: Field) -> frozenset[str]:
    """The pages ``target``'s text shows on: those that change when it does (at least one)."""
    outcome_pages = run_file({target.path: _probe(target)}, small=True, keep_pages=True)
    assert outcome_pages, f"{target.label} shows on no page"
    return frozenset(outcome_pages)


def _check_refusal(outcome: Outcome, error: KnowledgeBaseError, lines: set[int]) -> None:
    outcome.refused = True
    outcome.problems = [str(p) for p in error.problems]
    if not error.problems:
        outcome.failures.append("refused without a problem")
    for problem in error.problems:
        if problem.line < 1 or problem.column < 1 or "\n" in str(problem) or "\r" in str(problem):
            outcome.failures.append(f"badly located or multi-line problem: {problem!r}")
    if not any(p.line in lines for p in error.problems):
        outcome.failures.append(
            f"no problem on the line of the injected value ({sorted(lines)}): {outcome.problems[:3]}"
        )


@functools.cache
def baseline_of(page_markdown: str) -> Baseline:
    """The scripts and styles of a base page, converted once."""
    return Baseline.of(page_html(page_markdown))


def _check_pages(outcome: Outcome, pages: dict[str, str], base_pages: dict[str, str]) -> list[str]:
    changed = []
    for name, page_markdown in pages.items():
        if page_markdown == base_pages.get(name):
            continue  # identical to a base page, checked once by test_the_base_pages_are_clean
        changed.append(name)
        outcome.pages += 1
        try:
            html = page_html(page_markdown)
        except Exception as error:
            outcome.failures.append(f"{name}: Python-Markdown raised {type(error).__name__}: {error}")
            continue
        outcome.leaks += [f"{name}: {leak}" for leak in leaks_in(html, baseline=baseline_of(base_pages[name]))]
    return changed


def run_file(values: dict[Path_, str], small: bool = False, keep_pages: bool = False) -> Any:
    """Write ``values`` into the base file and take the whole file through the real pipeline:
    load_yaml, validate, Renderer (every page), Python-Markdown with the site's extensions; check
    the result. Returns the :class:`Outcome` (or, with ``keep_pages``, the names of the changed
    pages)."""
    text, lines = inject(values, small)
    outcome = Outcome()
    try:
        data, sm = load_yaml(text, FILE)
        kb = validate(data, sm)
    except KnowledgeBaseError as error:
        _check_refusal(outcome, error, lines)
        return outcome
    except Exception as error:
        outcome.failures.append(f"load/validate raised {type(error).__name__}: {error}")
        return outcome
    try:
        pages = render(kb)
    except Exception as error:
        outcome.failures.append(f"Renderer raised {type(error).__name__}: {error}")
        return outcome
    changed = _check_pages(outcome, pages, base(small).pages if small else full_base_pages())
    return changed if keep_pages else outcome


@functools.cache
def full_base_pages() -> dict[str, str]:
    """The pages of the full base knowledge base, as Markdown."""
    return base(small=False).pages


def run(target: Field, text: str) -> Outcome:
    """``text`` in ``target``'s field of the cached small base, through the real steps: the value
    read by load_yaml (as a double-quoted scalar), the whole knowledge base validated (problems
    located with the base's source map), the pages the field shows on rendered, converted with
    the site's Markdown and checked. Equivalent to :func:`run_file` for one field, without
    parsing the whole file again for each of thousands of runs."""
    cached = base()
    outcome = Outcome()
    line = cached.sm.locate(target.path)[0]
    try:
        value, _ = load_yaml(f"value: {yaml_scalar(text)}\n", FILE)
        old = _set(cached.data, target.path, value["value"])
        try:
            kb = validate(cached.data, cached.sm)
        finally:
            _set(cached.data, target.path, old)
    except KnowledgeBaseError as error:
        _check_refusal(outcome, error, {line})
        return outcome
    except Exception as error:
        outcome.failures.append(f"load/validate raised {type(error).__name__}: {error}")
        return outcome
    try:
        pages = render(kb, affected_pages(target))
    except Exception as error:
        outcome.failures.append(f"Renderer raised {type(error).__name__}: {error}")
        return outcome
    _check_pages(outcome, pages, cached.pages)
    return outcome


def describe(payload: Payload | str, target: Field, outcome: Outcome) -> str:
    """One finding in full: the payload, the field and what went wrong."""
    text = payload.text if isinstance(payload, Payload) else payload
    name = payload.name if isinstance(payload, Payload) else "random text"
    return f"{name} {text!r} in {target.kind} {target.label} ({'.'.join(map(str, target.path))}): " + "; ".join(
        outcome.failures + outcome.leaks
    )


# ---- (a) in process: every payload in every field type ----------------------------------------


def test_the_corpus_covers_what_the_issue_lists():
    families = Counter(p.family for p in PAYLOADS)
    assert len(PAYLOADS) >= 150
    assert set(families) >= {
        "raw-html",
        "svg-mathml",
        "markdown-link",
        "control-in-scheme",
        "reference-link",
        "fence-breakout",
        "attr-list",
        "include",
        "image",
        "css",
        "html-comment",
        "bidi-invisible",
        "site-extension",
        "template-syntax",
        "encoding",
        "long",
    }
    for payload in PAYLOADS:
        assert not outside_content(payload.text), f"{payload.name} holds a marker of outside content"


@pytest.mark.parametrize("small", [True, False], ids=["small base", "full base"])
def test_the_fields_stand_for_every_field_type(small):
    data, sm = load_yaml(dump(base_data(small)), FILE)
    model = validate(data, sm)
    assert {f.kind for f in FIELDS} == set(TEXT_TYPES)
    for target in FIELDS:
        for path in target.paths[:1] if small else target.paths:
            value: Any = model
            for part in path:
                value = value[part] if isinstance(part, int) or isinstance(value, dict) else getattr(value, part)
            assert type(value) is TEXT_TYPES[target.kind] or (
                target.kind == "reference" and isinstance(value, TEXT_TYPES["reference"])
            ), (target, type(value))
        if small:
            assert affected_pages(target)  # the field shows on a page


def test_the_checks_catch_what_they_look_for():
    """The detector itself, on known-bad HTML, and the converter, on a real include: a check that
    cannot fail proves nothing."""
    bad = {
        "<script>alert(1)</script>": "script element",
        "<img src=x onerror=alert(1)>": "event handler",
        '<a href="java&#9;script:alert(1)">x</a>': "javascript: URL",
        '<a href=" JaVaScRiPt&colon;alert(1)">x</a>': "javascript: URL",
        '<a href="%6A%61vascript:alert(1)">x</a>': "javascript: URL",
        '<form><button formaction="javascript:alert(1)">x</button></form>': "javascript: URL",
        '<svg><a xlink:href="data:text/html,x">x</a></svg>': "data: URL",
        '<img src="https://other.example/p.png">': "resource from another origin",
        '<img srcset="a.png 1x, //other.example/p.png 2x">': "resource from another origin",
        '<p style="color:red">x</p>': "style attribute",
        '<div style="background:url(https://other.example/x)">x</div>': "style url()",
        "<style>@import 'https://other.example/x.css';</style>": "style element loads",
        "<iframe></iframe>": "<iframe> element",
        '<meta http-equiv="refresh" content="0;url=https://other.example/">': "<meta http-equiv='refresh'>",
        "<p>site_name: Django vs Flask decision guide</p>": "text of mkdocs.yml",
    }
    for html, what in bad.items():
        assert any(what in leak for leak in leaks_in(html)), (html, leaks_in(html))
    assert leaks_in('<a href="https://other.example/">x</a><img src="/assets/x.png">') == []
    assert leaks_in('<script type="application/ld+json">{"a": 1}</script>') == []
    included = page_html('---\ntitle: x\n---\n--8<-- "mkdocs.yml"\n')
    assert "text of mkdocs.yml" in " ".join(leaks_in(included)), "the converter does not read includes"


@pytest.mark.parametrize("small", [True, False], ids=["small base", "full base"])
def test_the_base_pages_are_clean(small):
    pages = base(small).pages
    assert {"faq.md", "getting-started.md", "index.md"} <= set(pages)
    for name, page_markdown in pages.items():
        assert leaks_in(page_html(page_markdown)) == [], name


def test_the_cached_run_matches_a_whole_file_run():
    """:func:`run` (cached base) and :func:`run_file` (the whole file parsed again) agree."""
    for name in ("fence-close-script", "snippet-mkdocs-yml", "link-scheme-u0009", "script", "url-markdown-emphasis"):
        for target in FIELDS:
            cached, whole = run(target, BY_NAME[name].text), run_file({target.path: BY_NAME[name].text}, small=True)
            assert (cached.refused, cached.leaks, cached.failures) == (whole.refused, whole.leaks, whole.failures)
            assert cached.pages == whole.pages, (name, target.label)


@pytest.fixture(scope="module")
def corpus_totals(request) -> Iterator[Counter[str]]:
    """Totals over the field tests run in this process, printed as one summary line at the end."""
    totals: Counter[str] = Counter()
    yield totals
    if totals["fields"]:
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print(
                f"\nhostile corpus: {len(PAYLOADS)} payloads x {totals['fields']} fields "
                f"({len({f.kind for f in FIELDS})} field types) = {totals['runs']} injections: {totals['refused']} "
                f"refused with located problems, {totals['accepted']} accepted ({totals['pages']} changed pages "
                f"converted and parsed); leaks: {totals['leaks']}, other failures: {totals['failures']}"
            )


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(f, id=f"{f.kind}: {f.label.split(' (')[0]}", marks=() if f.primary else pytest.mark.slow)
        for f in FIELDS
    ],
)
def test_every_payload_in_this_field_is_refused_or_harmless(target, corpus_totals, capsys):
    findings = []
    counts: Counter[str] = Counter()
    for payload in PAYLOADS:
        outcome = run(target, payload.text)
        counts["refused" if outcome.refused else "accepted"] += 1
        counts["pages"] += outcome.pages
        counts["leaks"] += len(outcome.leaks)
        counts["failures"] += len(outcome.failures)
        if outcome.failures or outcome.leaks:
            findings.append(describe(payload, target, outcome))
    corpus_totals.update(counts + Counter(fields=1, runs=len(PAYLOADS)))
    with capsys.disabled():
        print(
            f"\n{target.kind} {target.label}: {len(PAYLOADS)} payloads, {counts['refused']} refused, "
            f"{counts['accepted']} accepted, {counts['leaks']} leaks, {counts['failures']} other failures"
        )
    assert findings == [], "\n".join(findings)


# ---- (c) Hypothesis: random text in every field type ------------------------------------------

#: Pieces of syntax that random text rarely hits by chance.
FRAGMENTS = sorted(
    {
        "[",
        "]",
        "(",
        ")",
        "](",
        "![",
        "<",
        ">",
        "</",
        "javascript:",
        "data:",
        "&#",
        ";",
        "&#58;",
        "\n",
        "\r",
        "\t",
        "\x00",
        "\u202e",
        "--8<--",
        '"mkdocs.yml"',
        "{:",
        "}",
        "{",
        "*",
        "_",
        "`",
        "```",
        "~~~",
        "|",
        "#",
        "++",
        "*[",
        "]:",
        "<!--",
        "-->",
        "<script>",
        "onerror=",
        "https://other.example/",
        "    ",
        "\n\n",
        "- ",
        "1. ",
        "\\",
        "'",
        '"',
        "{{",
        "}}",
        "{%",
        "%}",
        'markdown="1"',
    }
    | {p.text for p in PAYLOADS[::7]}
)

RANDOM_TEXT = st.one_of(
    st.text(st.characters(), max_size=120),
    st.lists(st.one_of(st.text(st.characters(), max_size=12), st.sampled_from(FRAGMENTS)), max_size=12).map("".join),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(FIELDS), text=RANDOM_TEXT)
def test_random_text_in_any_field_is_refused_or_harmless(target, text):
    try:  # filtered as YAML allows: what a double-quoted scalar reads back as written
        assume(yaml.safe_load(yaml_scalar(text)) == text)
    except yaml.YAMLError:
        assume(False)
    outcome = run_file({target.path: text}, small=True)
    assert not outcome.failures and not outcome.leaks, describe(text, target, outcome)


# ---- (b) one real build of a sample, checked page by page and in Chromium ---------------------

#: Payloads tried first for the sample build, in order; each field takes the first ones it accepts.
SAMPLE_PREFERENCE = [
    "fence-close-script",
    "snippet-mkdocs-yml",
    "snippet-git-config",
    "attr-after-paragraph",
    "attr-emphasis-handler",
    "attr-link-href",
    "attr-style-url",
    "colon-tag-autofocus",
    "underscore-tag",
    "reference-cr",
    "link-entity-colon",
    "link-scheme-u0009",
    "image-other-origin",
    "svg-onload",
    "mathml-mglyph-style",
    "comment-empty-close",
    "abbr-script",
    "keys-script",
    "table-rows",
    "heading-clobber-stepper",
    "md-in-html",
    "jinja-expression",
    "right-to-left-override",
    "autolink-javascript",
    "url-markdown-emphasis",
    "url-brackets",
    "url-entity-javascript",
    "quote-tag-breakout",
    "svg-breakout",
    "details-breakout",
]
SAMPLE_SIZE = 24


@functools.cache
def sample() -> dict[Path_, tuple[str, Field]]:
    """About 20 accepted (payload, field) pairs spread over the field types, each payload once and
    each in a field of its own: path -> (payload name, field). Fields take turns."""
    chosen: dict[Path_, tuple[str, Field]] = {}
    free = {target: list(target.paths) for target in FIELDS}
    names = (SAMPLE_PREFERENCE + [p.name for p in PAYLOADS if p.name not in SAMPLE_PREFERENCE])[:80]
    used: set[str] = set()
    exhausted: set[Field] = set()
    while len(chosen) < SAMPLE_SIZE and len(exhausted) < len(FIELDS):
        for target in FIELDS:
            if target in exhausted or len(chosen) >= SAMPLE_SIZE:
                continue
            accepted = (name for name in names if name not in used and not run(target, BY_NAME[name].text).refused)
            name = next(accepted, None) if free[target] else None
            if name is None:
                exhausted.add(target)
                continue
            chosen[free[target].pop(0)] = (name, target)
            used.add(name)
    return chosen


@dataclass
class BuiltSample:
    """The sample site and a build of the same project without payloads, and where it is served."""

    site: Path
    baseline: Path
    url: str
    pairs: dict[Path_, tuple[str, Field]]


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory) -> Iterator[BuiltSample]:
    """Build the sample project and the payload-free one (in parallel), serve the sample."""
    from serving import serve

    pairs = sample()
    values = {path: BY_NAME[name].text for path, (name, _) in pairs.items()}
    text, _ = inject(values)
    data, sm = load_yaml(text, FILE)
    validate(data, sm)  # the sample as a whole is accepted
    root = tmp_path_factory.mktemp("hostile")
    project = make_project(root / "project", text)
    clean = make_project(root / "clean", dump(base_data()))
    site, baseline = root / "site", root / "baseline"
    site.mkdir()
    with serve(site) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with ThreadPoolExecutor(2) as pool:
            results = list(
                pool.map(lambda job: build(job[0], job[1], site_url=url + "/"), [(project, site), (clean, baseline)])
            )
        for result in results:
            assert result.returncode == 0, result.stderr[-4000:]
        yield BuiltSample(site, baseline, url, pairs)


@pytest.mark.slow
def test_a_built_site_with_a_sample_of_payloads_has_no_leak(built_sample, capsys):
    pairs = built_sample.pairs
    assert len(pairs) >= 18, pairs
    assert {t.kind for _, t in pairs.values()} >= {
        "plain-line",
        "inline-markdown",
        "inline-paragraph",
        "block-markdown",
        "code",
        "https-url",
    }
    findings = []
    pages = sorted(built_sample.site.rglob("*.html"))
    assert {p.relative_to(built_sample.site) for p in pages} == {
        p.relative_to(built_sample.baseline) for p in built_sample.baseline.rglob("*.html")
    }
    for page in pages:
        relative = page.relative_to(built_sample.site)
        baseline = Baseline.of((built_sample.baseline / relative).read_text(encoding="utf-8"), own_host="127.0.0.1")
        theme = [leak for leak in baseline.known if leak != "javascript: URL <a href='javascript:void(0)'>"]
        assert theme == [], f"{relative} without payloads: {theme}"  # only Material's search-share button
        findings += [
            f"{relative}: {leak}"
            for leak in leaks_in(page.read_text(encoding="utf-8"), own_host="127.0.0.1", baseline=baseline)
        ]
    index = json.loads((built_sample.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            findings += [
                f"search index {doc['location']} {key}: {leak}"
                for leak in leaks_in(doc.get(key) or "", own_host="127.0.0.1")
            ]
    with capsys.disabled():
        print(
            f"\nsample build: {len(pairs)} payloads in {len({t for _, t in pairs.values()})} fields, "
            f"{len(pages)} pages and {len(index['docs'])} search entries parsed; leaks: {len(findings)}"
        )
        print("sample: " + ", ".join(f"{name} in {'.'.join(map(str, path))}" for path, (name, _) in pairs.items()))
    assert findings == [], "\n".join(findings)


INIT_SCRIPT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def visit(browser: Any, url: str) -> list[str]:
    """Open ``url`` in a fresh Chromium context, open its ``<details>``, press Tab and move the
    mouse (so focus, toggle and hover handlers would fire), and return what went wrong: dialogs,
    requests off 127.0.0.1, console errors, page errors and Content-Security-Policy violations."""
    context = browser.new_context()
    page = context.new_page()
    events: list[str] = []
    page.add_init_script(INIT_SCRIPT)
    page.on("dialog", lambda dialog: (events.append(f"dialog {dialog.type}: {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda message: message.type == "error" and events.append(f"console error: {message.text}"))
    page.on(
        "console",
        lambda message: (
            message.type != "error"
            and "Content Security Policy" in message.text
            and events.append(f"CSP: {message.text}")
        ),
    )
    page.on("pageerror", lambda error: events.append(f"page error: {error}"))
    context.on(
        "request",
        lambda request: (
            urlsplit(request.url).hostname not in ("127.0.0.1", None)
            and not request.url.startswith(("data:", "blob:", "about:"))
            and events.append(f"request off 127.0.0.1: {request.url}")
        ),
    )
    try:
        page.goto(url, wait_until="load")
        for summary in page.locator("details > summary").all()[:6]:  # opening fires ontoggle
            summary.click()
        for _ in range(5):  # focusing fires onfocus
            page.keyboard.press("Tab")
        page.mouse.move(200, 300)
        page.wait_for_timeout(300)
        events += [f"CSP violation: {v}" for v in page.evaluate("window.__violations")]
    finally:
        context.close()
    return list(dict.fromkeys(events))


@pytest.mark.slow
@pytest.mark.browser
def test_the_browser_probe_sees_what_it_looks_for(browser, tmp_path):
    """A canary page without a policy runs its script and calls another origin; one with the site's
    kind of policy is blocked: the probe must see both, or its silence on the site proves nothing."""
    from serving import serve

    (tmp_path / "open.html").write_text(
        '<!doctype html><title>x</title><script>alert(1)</script><img src="https://other.example/p.png" alt="">'
    )
    (tmp_path / "locked.html").write_text(
        '<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
        "<title>x</title><script>alert(2)</script>"
    )
    with serve(tmp_path) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        opened = " ".join(visit(browser, f"{url}/open.html"))
        locked = " ".join(visit(browser, f"{url}/locked.html"))
    assert "dialog alert: 1" in opened and "request off 127.0.0.1: https://other.example/p.png" in opened, opened
    assert "CSP violation: script-src" in locked and "dialog" not in locked, locked


@pytest.mark.slow
@pytest.mark.browser
def test_the_sample_site_runs_no_payload_in_chromium(built_sample, browser):
    findings = []
    for file in sorted(built_sample.site.rglob("*.html")):
        relative = file.relative_to(built_sample.site).as_posix()
        url = f"{built_sample.url}/{relative.removesuffix('index.html')}"
        findings += [f"{relative}: {event}" for event in visit(browser, url)]
    assert findings == [], "\n".join(findings)
