"""Shared fixtures: the project root, one site build per session (served on 127.0.0.1), one Chromium
browser per session, and the markers that sort the suite into tiers.

Tiers: ``scripts/test --fast`` deselects the tests marked ``slow``, ``browser`` or ``audit``; plain
``scripts/test`` runs everything, on two pytest-xdist workers that take whole files
(``--dist loadfile``). Session fixtures live once per worker: each worker that needs the site
builds it once (about a second) and serves that one build for every test, and launches at most one
Chromium. (``--dist loadgroup`` would keep them on one worker, but pytest-xdist 3.8.0 cannot set
groups under pytest 9.2, whose node ids are no longer plain strings.)
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from projects import KNOWLEDGE_BASE, ROOT, build, make_project

# Debian's Chromium, never a downloaded browser, for Playwright and Lighthouse.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The audit tools of package.json (scripts/test runs `npm ci`).
NODE_BIN = ROOT / "node_modules" / ".bin"

# The tiers: `scripts/test --fast` deselects the tests marked slow, browser or audit. Test files mark
# themselves (`pytestmark = pytest.mark.audit`) or their tests; here, tests that use the `browser`
# fixture are marked browser, and these tests, in files that do not mark them, slow:
TIERS = ("slow", "browser", "audit")
SLOW_TESTS = {
    "test_properties.py::test_mutated_site_build_is_complete_or_absent",
}


def require(condition: bool, what: str) -> None:
    """Skip the test saying what is missing, or fail it under CI=true, where scripts/test installs it."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; scripts/test installs it", pytrace=False)
    pytest.skip(f"{what} is missing (run scripts/test to install it)")


class Site:
    """A built site: pages parsed with BeautifulSoup, and the search index."""

    def __init__(self, root: Path):
        self.root = root
        self.search_index = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))

    def page(self, name: str) -> BeautifulSoup:
        path = self.root / (f"{name}/index.html" if name else "index.html")
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


def pages(site: Site) -> list[str]:
    """Every page of the site as a URL path, e.g. ``/faq/`` (the 404 page included)."""
    out = []
    for path in site.html_files():
        relative = path.relative_to(site.root).as_posix()
        out.append("/" + relative.removesuffix("index.html"))
    return out


def page_sample(site: Site) -> list[str]:
    """One page of each template: every page of :func:`pages`, but of each family of evidence pages
    (one template, one page per comparison row: ``decision_guide.registry.EVIDENCE_PAGES``) only
    the first, in path order. Audits that take a second or more per page in a browser run on this
    sample; axe-core and the Nu Html Checker run on every page (test_audits.py)."""
    from decision_guide.registry import EVIDENCE_PAGES

    families = tuple(f"/{page}/" for page in EVIDENCE_PAGES)
    out, seen = [], set()
    for path in pages(site):
        family = next((f for f in families if path.startswith(f) and path != f), None)
        if family is not None:
            if family in seen:
                continue
            seen.add(family)
        out.append(path)
    return out


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Site]]:
    """The real site, built once per session with ``mkdocs build --strict`` for, and served
    gzip-compressed from, http://127.0.0.1:PORT/: ``(url, site)``."""
    from serving import serve

    dest = tmp_path_factory.mktemp("site")
    with serve(dest) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        result = build(ROOT, dest, site_url=url + "/")
        assert result.returncode == 0, result.stderr
        yield url, Site(dest)


@pytest.fixture(scope="session")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Site]:
    """A site built once per session from the synthetic knowledge base (``tests/synthetic.py``,
    with a verdict on every row): ``(kb, site)``. Tests of how the pages render the data use it,
    so that they hold whatever the real content says."""
    from decision_guide import load_knowledge_base
    from synthetic import dump, synthetic_knowledge_base

    project = make_project(tmp_path_factory.mktemp("synthetic"), dump(synthetic_knowledge_base(verdicts=True)))
    result = build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return load_knowledge_base(project / "content" / "comparisons.yaml"), Site(project / "site")


@pytest.fixture(scope="session")
def real_site(served_site: tuple[str, Site]) -> Site:
    """The real site (the same build as ``served_site``)."""
    return served_site[1]


@pytest.fixture(scope="session")
def real_kb() -> Any:
    from decision_guide import load_knowledge_base

    return load_knowledge_base(KNOWLEDGE_BASE)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole session, driven by Playwright."""
    require(Path(CHROMIUM).exists(), f"Debian's chromium ({CHROMIUM}; apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# ---- Tiers, grouping and progress ------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if f"{item.path.name}::{getattr(item, 'originalname', item.name)}" in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


class Progress:
    """Progress lines, so that a long run is never silent: each slow test (marked slow, browser or
    audit) as its set-up ends and its body starts, with the seconds since the session began, and,
    under pytest-xdist (whose controller runs this and prints only dots), each test file as its
    first test starts."""

    def __init__(self, config: pytest.Config):
        self.config = config
        self.start = time.monotonic()
        self.files: set[str] = set()
        self.distributed = bool(config.getoption("numprocesses", default=None))

    def line(self, text: str) -> None:
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(f"[{time.monotonic() - self.start:4.0f} s] {text}")
            reporter.currentfspath = None  # without xdist: name the file again before the next dot

    @pytest.hookimpl(tryfirst=True)  # before the terminal reporter names the file
    def pytest_runtest_logstart(self, nodeid: str, location: tuple[str, int | None, str]) -> None:
        path = nodeid.split("::")[0]
        if self.distributed and path not in self.files:
            self.files.add(path)
            self.line(f"{path} started")

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "setup" and report.passed and (kinds := [k for k in TIERS if k in report.keywords]):
            self.line(f"  {'/'.join(kinds)}: {report.nodeid.split('::', 1)[1]} started")


def pytest_configure(config: pytest.Config) -> None:
    # Progress lines in the controller (or a run without xdist); workers' output is not shown.
    if not hasattr(config, "workerinput") and config.getoption("verbose") >= 0:
        config.pluginmanager.register(Progress(config), "decision-guide-progress")
