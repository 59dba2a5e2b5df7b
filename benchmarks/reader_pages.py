"""Measure the reader pages in Chromium: page heights, visible citation links, tables that
scroll sideways on a phone, DOM sizes, and screenshots (light, dark, print).

    .venv/bin/python benchmarks/reader_pages.py [--site DIR] [--shots DIR]

Builds the site (unless --site is given), serves it on 127.0.0.1 and prints one line per figure.
Screenshots go to --shots (default /tmp/reader-shots): PAGE-WIDTH-SCHEME.png and PAGE-print.pdf.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from serving import serve  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = [
    "",
    "comparison/",
    "comparison/admin/",
    "decide/",
    "decide/tree/",
    "api/",
    "faq/",
    "getting-started/",
    "sources/",
    "contributing/",
]
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
SHOTS = {
    "": "home",
    "comparison/": "comparison",
    "api/": "api",
    "faq/": "faq",
    "decide/": "decide",
    "decide/tree/": "decide-tree",
    "comparison/admin/": "comparison-admin",
    "getting-started/": "getting-started",
    "sources/": "sources",
}

#: Tables wider than their box (the box scrolls sideways, or the page does).
SIDEWAYS = """() => [...document.querySelectorAll('article table')].filter(t => {
  const box = t.closest('.md-typeset__scrollwrap') || t.parentElement;
  return t.scrollWidth > box.clientWidth + 1 || t.getBoundingClientRect().right > innerWidth + 1;
}).length"""
#: Citation links a reader sees without opening anything.
VISIBLE_CITATIONS = "() => [...document.querySelectorAll('a.citation')].filter(a => a.checkVisibility()).length"


def measure(base: str, shots: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, (width, height) in VIEWPORTS.items():
            for scheme in ("light", "dark"):
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
                page = context.new_page()
                for path in PAGES:
                    page.goto(base + path, wait_until="load")
                    if scheme == "light":
                        tall = page.evaluate("document.documentElement.scrollHeight")
                        sideways = page.evaluate(SIDEWAYS)
                        page_wide = page.evaluate("document.documentElement.scrollWidth > innerWidth")
                        cites = page.evaluate(VISIBLE_CITATIONS)
                        dom = page.evaluate("document.getElementsByTagName('*').length")
                        print(
                            f"{name:7} /{path:17} height {tall:6} px  sideways tables {sideways}  "
                            f"page scrolls sideways {page_wide}  visible citation links {cites:4}  DOM {dom}"
                        )
                    if path in SHOTS:
                        page.screenshot(path=str(shots / f"{SHOTS[path]}-{width}-{scheme}.png"))
                context.close()
        context = browser.new_context()
        page = context.new_page()
        for path in ("comparison/", "faq/", "decide/", "decide/tree/"):
            page.goto(base + path, wait_until="load")
            page.emulate_media(media="print")
            pdf = shots / f"{SHOTS[path]}-print.pdf"
            page.pdf(path=str(pdf), format="A4", print_background=True)
            pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            count = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
            print(f"print   /{path:17} {count} A4 pages")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--shots", type=Path, default=Path("/tmp/reader-shots"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            subprocess.run(
                [str(ROOT / ".venv/bin/mkdocs"), "build", "--strict", "-q", "-d", str(site)],
                cwd=ROOT,
                env=env,
                check=True,
            )
        with serve(site) as server:
            measure(f"http://127.0.0.1:{server.server_address[1]}/", args.shots)


if __name__ == "__main__":
    main()
