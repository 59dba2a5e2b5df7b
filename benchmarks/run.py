#!/usr/bin/env python3
"""Benchmarks of the guide's build and pages, paired in one run. Run from the project root after
scripts/test (which installs Chromium, Java and the npm tools):

    .venv/bin/python benchmarks/run.py [--quick] [--only build] [--json FILE]

Prints a Markdown report; each figure carries the machine's 1-minute load average when it was taken.
- Hook overhead at 1x (the real knowledge base), 10x and 100x (synthetic ones): the site built with
  the knowledge-base hook (A) against the same pages pre-rendered to Markdown and built without it
  (B: same pages, theme, plugins and extensions). Runs are interleaved A-cold, B, A-warm, each a new
  ``mkdocs build --strict`` process; A-cold starts with no ``.cache/`` (a fresh clone, as in CI), A-warm
  reuses the cache the cold run left. Ratios of medians, and peak resident memory.
- Scaling over dimensions only (400 to 6,400 at 2 subjects, FAQs and tree fixed): each phase of the
  hook's cache-miss path per dimension (``benchmarks/phases.py``, a new process per size).
- Per page: bytes transferred (gzip) and requests, and Lighthouse's mobile performance score (median
  of 3), beside a stock Material site built from the same pre-rendered pages (no overrides, no extra
  CSS or JavaScript, no hooks), in the same run, pages interleaved.
- The search index's size; ``mkdocs serve``: seconds from saving the YAML to the rebuilt page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))
# The 10x and 100x synthetic guides are far over the file size a contributor may submit
# (decision_guide.limits), which reads this variable when it is imported.
os.environ["DECISION_GUIDE_MAX_BYTES"] = str(64 * 1024 * 1024)

from decision_guide import load_knowledge_base  # noqa: E402
from decision_guide.registry import EVIDENCE_PAGES, SCHEMA_PATH  # noqa: E402
from decision_guide.site import render_site, write_site  # noqa: E402
from projects import KNOWLEDGE_BASE, make_project  # noqa: E402
from serving import serve  # noqa: E402
from synthetic import dump, synthetic_knowledge_base  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REAL = load_knowledge_base(KNOWLEDGE_BASE)
#: extra.repository of mkdocs.yml, as the hook passes it to the renderer.
REPOSITORY = "https://github.com/django-vs-flask-guide/guide"


def load() -> float:
    """The machine's 1-minute load average, printed beside each figure."""
    return round(os.getloadavg()[0], 2)


def build_seconds(project: Path, dest: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one ``mkdocs build --strict`` process."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode); "
        "sys.stderr.write(r.stderr if r.returncode else '')"
    )
    command = [
        sys.executable,
        "-c",
        probe,
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-q",
        "-f",
        str(project / "mkdocs.yml"),
        "-d",
        str(dest),
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=ENV, cwd=project, check=True)
    seconds, peak, code = result.stdout.split()
    if code != "0":
        raise SystemExit(f"build failed in {project}:\n{result.stderr}")
    return float(seconds), int(peak)


def copy_project(folder: Path, knowledge_base: str | None = None) -> Path:
    """The site's sources in ``folder``, with the real knowledge base unless another is given."""
    return make_project(
        folder, knowledge_base if knowledge_base is not None else KNOWLEDGE_BASE.read_text(encoding="utf-8")
    )


def plain_project(folder: Path, knowledge_base: str | None = None) -> Path:
    """The same site built without the knowledge-base hook (B): the sources with the output of
    ``python -m decision_guide render`` (``decision_guide.site``) laid over ``docs/``."""
    copy_project(folder, knowledge_base)
    output = render_site(folder / "content" / "comparisons.yaml", folder / SCHEMA_PATH, REPOSITORY)
    write_site(output, folder / "docs", folder / "rendered")
    shutil.copytree(folder / "rendered", folder / "docs", dirs_exist_ok=True)
    config = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    (folder / "mkdocs.yml").write_text(config.replace("  - hooks/knowledge_base.py\n", ""), encoding="utf-8")
    return folder


def stock_project(folder: Path) -> Path:
    """B's pages on a stock Material site: no overrides, extra CSS or JavaScript, and no hooks."""
    plain_project(folder)
    config = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  custom_dir: overrides\n", "")
    config = re.sub(r"^(extra_css|extra_javascript|hooks):\n((  - |    ).*\n)+", "", config, flags=re.MULTILINE)
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder


def synthetic_text(factor: int) -> str:
    """A synthetic knowledge base about ``factor`` times the real one (dimensions, FAQs, tree)."""
    scale = max(1, round(len(REAL.dimensions) * factor / 4))  # the synthetic base has 4 dimensions per scale
    return dump(synthetic_knowledge_base(scale=scale, subjects=2 + factor // 10))


def hook_overhead(tmp: Path, factor: int, runs: int) -> dict:
    """Paired A-cold, B, A-warm builds at ``factor`` times the real knowledge base (1: the real one)."""
    text = None if factor == 1 else synthetic_text(factor)
    hooked, plain = copy_project(tmp / f"hooked-{factor}", text), plain_project(tmp / f"plain-{factor}", text)
    runs_of: dict[str, list[tuple[float, int]]] = {"cold": [], "plain": [], "warm": []}
    loads = []
    for _ in range(runs):  # interleaved, so all three feel the same machine load
        loads.append(load())
        shutil.rmtree(hooked / ".cache", ignore_errors=True)
        runs_of["cold"].append(build_seconds(hooked, tmp / "site-a"))
        runs_of["plain"].append(build_seconds(plain, tmp / "site-b"))
        runs_of["warm"].append(build_seconds(hooked, tmp / "site-a"))
    seconds = {k: statistics.median(t for t, _ in v) for k, v in runs_of.items()}
    return {
        "factor": factor,
        "runs": runs,
        "load": loads,
        "yaml_kib": round(len((hooked / "content" / "comparisons.yaml").read_bytes()) / 1024),
        **{f"{k}_s": v for k, v in seconds.items()},
        **{f"{k}_peak_mib": round(max(p for _, p in v) / 1024) for k, v in runs_of.items()},
        "cold_ratio": seconds["cold"] / seconds["plain"],
        "warm_ratio": seconds["warm"] / seconds["plain"],
    }


def dimension_scaling(tmp: Path, counts: list[int]) -> list[dict]:
    """Per-phase cost of the hook's cache-miss path as dimensions grow (subjects, FAQs, tree fixed)."""
    fixed = synthetic_knowledge_base(scale=1, subjects=2)
    rows = []
    for count in counts:
        data = synthetic_knowledge_base(scale=count // 4, subjects=2)
        for key in ("faqs", "decision_tree", "decision_table"):
            data[key] = fixed[key]
        path = tmp / f"dimensions-{count}.yaml"
        path.write_text(dump(data), encoding="utf-8")
        before = load()
        result = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "phases.py"), str(path)],
            capture_output=True,
            text=True,
            env=ENV,
            check=True,
        )
        rows.append({"dimensions": len(data["dimensions"]), "load": before, **json.loads(result.stdout)})
    return rows


def pages_of(site: Path) -> list[str]:
    """The URL path of every page of a built site, e.g. ``/`` and ``/comparison/``."""
    return [
        "/" + html.relative_to(site).as_posix().removesuffix("index.html")
        for html in sorted(site.rglob("*.html"))
        if html.name == "index.html"
    ]


def page_weights(site: Path, paths: list[str]) -> dict[str, dict]:
    """Per page: requests and bytes transferred (gzip, headers included) until the network is idle."""
    from playwright.sync_api import sync_playwright

    rows = {}
    with serve(site) as server, sync_playwright() as playwright:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in paths:
            context = browser.new_context()
            page = context.new_page()
            responses: list = []
            page.on("requestfinished", lambda request, found=responses: found.append(request))
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            transferred = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in responses)
            elements = page.evaluate("document.querySelectorAll('*').length")
            rows[path] = {"requests": len(responses), "kib": round(transferred / 1024, 1), "elements": elements}
            context.close()
        browser.close()
    return rows


def diagram_weight(site: Path) -> dict | None:
    """Gzip bytes of the decision-tree diagram (inline SVG) and of the page that holds it."""
    for html_path in sorted(site.rglob("index.html")):
        html = html_path.read_text(encoding="utf-8")
        if '<figure class="tree-diagram' not in html:
            continue
        start = html.index('<figure class="tree-diagram')
        end = html.index("</figure>", start)
        return {
            "page": "/" + html_path.relative_to(site).as_posix().removesuffix("index.html"),
            "diagram_gzip_bytes": len(gzip.compress(html[start:end].encode())),
            "page_gzip_bytes": len(gzip.compress(html.encode())),
        }
    return None


def serve_rebuild(tmp: Path, runs: int) -> dict:
    project = copy_project(tmp / "serve")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env={**ENV, "SITE_URL": f"http://127.0.0.1:{port}/"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def page() -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/faq/", timeout=5) as response:
                return response.read().decode()
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 60
        while "Is Flask easier" not in page() and time.monotonic() < deadline:
            time.sleep(0.2)
        yaml_file = project / "content" / "comparisons.yaml"
        original = yaml_file.read_text(encoding="utf-8")
        times = []
        for i in range(runs):
            marker = f"Is Flask easier than Django (edit {i})?"
            start = time.perf_counter()
            yaml_file.write_text(original.replace("question: Is Flask easier than Django?", f"question: {marker}"))
            while marker not in page():
                time.sleep(0.05)
                if time.perf_counter() - start > 60:
                    raise SystemExit("mkdocs serve did not rebuild within 60 s")
            times.append(time.perf_counter() - start)
        return {"runs": runs, "median_s": statistics.median(times), "max_s": max(times)}
    finally:
        process.terminate()
        process.wait(timeout=20)


def lighthouse(url: str) -> float:
    """Lighthouse's mobile performance score (0-100) for one URL, with Debian's Chromium."""
    result = subprocess.run(
        [
            str(ROOT / "node_modules" / ".bin" / "lighthouse"),
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            "--only-categories=performance",
            f"--chrome-flags=--headless=new {' '.join(CHROMIUM_ARGS)}",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
    )
    return float(json.loads(result.stdout)["categories"]["performance"]["score"] * 100)


def lighthouse_paired(ours: Path, stock: Path, paths: list[str], runs: int) -> dict[str, dict]:
    """Per page, Lighthouse medians for our site and the stock one, runs interleaved page by page."""
    rows: dict[str, dict] = {}
    with serve(ours) as a, serve(stock) as b:
        urls = {"ours": f"http://127.0.0.1:{a.server_address[1]}", "stock": f"http://127.0.0.1:{b.server_address[1]}"}
        for path in paths:
            scores: dict[str, list[float]] = {"ours": [], "stock": []}
            loads = []
            for _ in range(runs):
                loads.append(load())
                for name, url in urls.items():
                    if name == "stock" and not (stock / path.lstrip("/") / "index.html").exists():
                        continue
                    scores[name].append(lighthouse(url + path))
            rows[path] = {
                "ours": statistics.median(scores["ours"]),
                "ours_runs": scores["ours"],
                "stock": statistics.median(scores["stock"]) if scores["stock"] else None,
                "stock_runs": scores["stock"],
                "load": loads,
            }
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, no 100x, one Lighthouse round")
    parser.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    parser.add_argument(
        "--only", choices=["build"], help="build: the hook overhead table alone (about 15 minutes, no browser)"
    )
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    report: dict = {}

    def keep(key: str, value: Any) -> None:
        """Record a figure, and write the figures so far to --json (a late failure loses nothing)."""
        report[key] = value
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")

    factors = [1, 10] if args.quick else [1, 10, 100]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.only == "build":
            keep("hook_overhead", [hook_overhead(tmp, factor, runs if factor < 100 else 3) for factor in factors])
            print(render(report))
            return 0
        # The two sites the pages are measured on, first: a failure here should come early.
        site, stock = tmp / "served-site", tmp / "stock-site"
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=ROOT, env=ENV, check=True
        )
        stock_source = stock_project(tmp / "stock")
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(stock)], cwd=stock_source, env=ENV, check=True
        )
        paths = pages_of(site)
        keep("pages", page_weights(site, paths))
        in_stock = [p for p in paths if (stock / p.lstrip("/") / "index.html").exists()]
        keep("stock_pages", page_weights(stock, in_stock))
        index = site / "search" / "search_index.json"
        keep(
            "search_index",
            {
                "kib": round(index.stat().st_size / 1024, 1),
                "gzip_kib": round(len(gzip.compress(index.read_bytes())) / 1024, 1),
                "entries": len(json.loads(index.read_text(encoding="utf-8"))["docs"]),
            },
        )
        keep("diagram", diagram_weight(site))
        # Lighthouse on every page but the evidence pages, of which two (one template, one page per
        # row); with --quick, on the top-level pages only.
        families = tuple(f"/{page}/" for page in EVIDENCE_PAGES)
        evidence = [p for p in paths if p.startswith(families) and p not in families]
        sampled = [p for p in paths if p not in evidence[2:]]
        if args.quick:
            sampled = [p for p in sampled if p.count("/") <= 2]
        keep("lighthouse", lighthouse_paired(site, stock, sampled, 1 if args.quick else 3))
        keep("hook_overhead", [hook_overhead(tmp, factor, runs if factor < 100 else 3) for factor in factors])
        keep("dimension_scaling", dimension_scaling(tmp, [400, 800, 1600, 3200, 6400]))
        keep("serve_rebuild", serve_rebuild(tmp, 3))
    print(render(report))
    return 0


def render(r: dict) -> str:
    """The report as Markdown."""
    lines = ["## Benchmark results", "", "### Hook overhead (A: with the hook; B: pre-rendered, without it)", ""]
    lines += [
        "| Scale | YAML KiB | A cold s | A warm s | B s | cold A/B | warm A/B | peak MiB A cold / warm / B | load |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for h in r["hook_overhead"]:
        lines.append(
            f"| {h['factor']}x | {h['yaml_kib']} | {h['cold_s']:.2f} | {h['warm_s']:.2f} | {h['plain_s']:.2f} | "
            f"**{h['cold_ratio']:.2f}** | **{h['warm_ratio']:.2f}** | {h['cold_peak_mib']} / {h['warm_peak_mib']} / "
            f"{h['plain_peak_mib']} | {', '.join(map(str, h['load']))} |"
        )
    if "pages" not in r:  # --only build
        return "\n".join(lines)
    phases = ("read", "validate", "checks", "render", "export", "collect")
    lines += [
        "",
        "### Cache-miss path per dimension (ms per dimension; 2 subjects, FAQs and tree fixed)",
        "",
        "| Dimensions | " + " | ".join(phases) + " | load |",
        "|---" * (len(phases) + 2) + "|",
    ]
    for row in r["dimension_scaling"]:
        per_item = " | ".join(f"{row[p] / row['dimensions']:.3f}" for p in phases)
        lines.append(f"| {row['dimensions']} | {per_item} | {row['load']} |")
    spread = {
        p: max(row[p] / row["dimensions"] for row in r["dimension_scaling"])
        / min(row[p] / row["dimensions"] for row in r["dimension_scaling"])
        for p in phases
    }
    lines.append("| max/min | " + " | ".join(f"{spread[p]:.2f}" for p in phases) + " | |")
    i = r["search_index"]
    lines += [
        "",
        f"- Search index: {i['kib']} KiB ({i['gzip_kib']} KiB gzip), {i['entries']} entries.",
        f"- `mkdocs serve`: {r['serve_rebuild']['median_s']:.2f} s median from saving the YAML to the rebuilt "
        f"page being served (max {r['serve_rebuild']['max_s']:.2f} s, {r['serve_rebuild']['runs']} edits).",
    ]
    if r["diagram"]:
        d = r["diagram"]
        lines.append(
            f"- Decision-tree diagram (inline SVG, no script) on `{d['page']}`: {d['diagram_gzip_bytes']} bytes "
            f"gzip, in a page of {d['page_gzip_bytes']} bytes gzip."
        )
    lines += [
        "",
        "### Pages: ours beside stock Material with the same text",
        "",
        "| Page | Elements | Requests | KiB (gzip) | Stock KiB | Bytes vs stock | Lighthouse | Stock Lighthouse |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for path, p in r["pages"].items():
        stock, lh = r["stock_pages"].get(path), r["lighthouse"].get(path)
        cells = [f"`{path}`", str(p["elements"]), str(p["requests"]), str(p["kib"])]
        cells += [str(stock["kib"]), f"{p['kib'] / stock['kib']:.2f}"] if stock else ["-", "-"]
        cells.append(f"{lh['ours']:.0f}" if lh else "-")
        cells.append(f"{lh['stock']:.0f}" if lh and lh["stock"] is not None else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
