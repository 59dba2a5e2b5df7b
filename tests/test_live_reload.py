"""Live reload under ``serve``: a page open in Chromium while a contributor saves the YAML reloads
by itself and shows the new text, with MkDocs and with ProperDocs, the Content-Security-Policy in
force (``hooks/content_security_policy.py`` lets the development server's live-reload script
run), and no policy violation reported. The built site keeps the strict policy (``test_csp.py``).

Each run prints the seconds from the save to the reloaded page, for the record (the issue asks
for 3 s; the test bounds it, generously, only to catch a page that never reloads)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import KNOWLEDGE_BASE, make_project
from serving import dev_server, fetch

pytestmark = pytest.mark.slow

OLD, NEW = "Is Flask easier than Django?", "Is Flask simpler than Django?"
#: A page that never reloads fails the test after this many seconds (a hang guard, not a budget).
HANG_GUARD = 60.0

# Records every policy violation the page reports, from the first script on (an init script).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", event => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def reload_after_save(page: Any, save: Callable[[], object]) -> tuple[float, list[str]]:
    """Call ``save()``, then wait for the open page to load again showing :data:`NEW`; return the
    seconds from the save to that page's DOMContentLoaded, and the violations it reported."""
    loaded: list[float] = []
    page.on("domcontentloaded", lambda _: loaded.append(time.monotonic()))
    origin = page.evaluate("performance.timeOrigin")
    start = time.monotonic()
    save()
    while time.monotonic() - start < HANG_GUARD:
        page.wait_for_timeout(50)
        if not loaded:
            continue
        try:
            if NEW in page.content() and page.evaluate("performance.timeOrigin") != origin:
                violations: list[str] = page.evaluate("window.__violations")
                return loaded[-1] - start, violations
        except Exception:  # Playwright: the page is between two documents; look again
            continue
    pytest.fail(f"the open page did not reload with the new text within {HANG_GUARD} s")


@pytest.mark.parametrize("tool", ["mkdocs", "properdocs"])
def test_the_open_page_reloads_with_the_new_text_after_a_yaml_save(
    tool: str, browser: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if tool == "properdocs":
        pytest.importorskip("properdocs", reason="ProperDocs is in the test lock: run scripts/test")
    project = make_project(tmp_path / "project", KNOWLEDGE_BASE.read_text(encoding="utf-8"))
    yaml_file = project / "content" / "comparisons.yaml"
    with dev_server(project, tmp_path / "serve.log", tool) as url:
        # The served page carries the policy, relaxed for the live-reload script only.
        html = fetch(f"{url}/faq/")
        meta = BeautifulSoup(html, "html.parser").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None and "script-src 'self' 'unsafe-inline';" in meta["content"]
        assert "default-src 'self'" in meta["content"] and "connect-src 'self'" in meta["content"]

        context = browser.new_context()
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        page.goto(f"{url}/faq/")
        assert OLD in page.content()
        page.wait_for_timeout(500)  # the live-reload script has made its first request

        text = yaml_file.read_text(encoding="utf-8")
        seconds, violations = reload_after_save(
            page, lambda: yaml_file.write_text(text.replace(f"question: {OLD}", f"question: {NEW}"), encoding="utf-8")
        )
        context.close()
    with capsys.disabled():
        print(f"\nlive reload with {tool}: the page showed the new text {seconds:.2f} s after the save")
    assert violations == []
