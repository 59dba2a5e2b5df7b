#!/usr/bin/env python3
"""Benchmarks of the guide's build and pages. Run from the project root after scripts/test
(which installs Chromium, Java and the npm tools):

    .venv/bin/python benchmarks/run.py [--quick]

Prints a Markdown report. Figures:
- cold ``mkdocs build --strict`` wall time, median of 5 runs (each a new process);
- hook overhead: the site built with the knowledge-base hook against the same pages pre-rendered
  to Markdown and built without it, runs interleaved in one session, ratio of medians;
- scaling: synthetic knowledge bases about 1x, 10x and 100x the real one, build time and peak memory;
- per page: bytes transferred (gzip), requests, and the search index size;
- ``mkdocs serve``: seconds from saving content/comparisons.yaml to the rebuilt page being served;
- Lighthouse performance score per page (mobile), median of 3.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from decision_guide import Renderer, load_knowledge_base  # noqa: E402
from decision_guide.export import export_json  # noqa: E402
from decision_guide.registry import EXPORT_PATH, SCHEMA_PATH  # noqa: E402
from decision_guide.schema import json_schema  # noqa: E402
from projects import KNOWLEDGE_BASE, make_project  # noqa: E402
from serving import serve  # noqa: E402
from synthetic import dump, synthetic_knowledge_base  # noqa: E402

# The 100x synthetic guide is far over the file size a contributor may submit (decision_guide.limits).
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DECISION_GUIDE_MAX_BYTES": str(64 * 1024 * 1024)}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


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


def plain_project(folder: Path) -> Path:
    """The same site with the generated pages written out as Markdown and the hook removed."""
    copy_project(folder)
    kb = load_knowledge_base(folder / "content" / "comparisons.yaml")
    renderer = Renderer(kb, repository="https://github.com/django-vs-flask-guide/guide")
    for src_uri, markdown in renderer.pages().items():
        (folder / "docs" / src_uri).write_text(markdown, encoding="utf-8")
    index = folder / "docs" / "index.md"
    index.write_text(renderer.embed_blocks(index.read_text(encoding="utf-8")), encoding="utf-8")
    for path, content in ((SCHEMA_PATH, json.dumps(json_schema(), indent=2) + "\n"), (EXPORT_PATH, export_json(kb))):
        (folder / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / "docs" / path).write_text(content, encoding="utf-8")
    config = (folder / "mkdocs.yml").read_text(encoding="utf-8").replace("  - hooks/knowledge_base.py\n", "")
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder


def cold_build(tmp: Path, runs: int) -> dict:
    project = copy_project(tmp / "cold")
    times = [build_seconds(project, tmp / f"cold-site-{i}")[0] for i in range(runs)]
    return {"runs": runs, "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}


def hook_overhead(tmp: Path, runs: int) -> dict:
    hooked, plain = copy_project(tmp / "hooked"), plain_project(tmp / "plain")
    with_hook, without = [], []
    for i in range(runs):  # interleaved, so both feel the same machine load
        with_hook.append(build_seconds(hooked, tmp / f"h-{i}")[0])
        without.append(build_seconds(plain, tmp / f"p-{i}")[0])
    return {
        "runs": runs,
        "with_hook_s": statistics.median(with_hook),
        "without_hook_s": statistics.median(without),
        "ratio": statistics.median(with_hook) / statistics.median(without),
    }


def scaling(tmp: Path, factors: list[int]) -> list[dict]:
    real = load_knowledge_base(ROOT / "content" / "comparisons.yaml")
    out = []
    for factor in factors:
        scale = max(1, round(len(real.dimensions) * factor / 4))  # the synthetic base has 4 dimensions per scale
        data = synthetic_knowledge_base(scale=scale, subjects=2 + factor // 10)
        text = dump(data)
        project = copy_project(tmp / f"scale-{factor}", text)
        seconds, peak = build_seconds(project, tmp / f"scale-site-{factor}")
        out.append(
            {
                "factor": factor,
                "dimensions": len(data["dimensions"]),
                "faqs": len(data["faqs"]),
                "tree_nodes": len(data["decision_tree"]["nodes"]),
                "subjects": len(data["subjects"]),
                "yaml_kib": len(text.encode()) // 1024,
                "build_s": seconds,
                "peak_mib": peak // 1024,
            }
        )
    return out


def page_weights(site: Path) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(site) as server, sync_playwright() as playwright:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for html in sorted(site.rglob("index.html")):
            path = "/" + html.relative_to(site).as_posix().removesuffix("index.html")
            context = browser.new_context()
            page = context.new_page()
            responses: list = []
            page.on("requestfinished", lambda request, found=responses: found.append(request))
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            transferred = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in responses)
            rows.append({"page": path, "requests": len(responses), "transferred_kib": round(transferred / 1024, 1)})
            context.close()
        browser.close()
    return rows


def diagram_weight(site: Path) -> dict:
    html = (site / "decide" / "index.html").read_text(encoding="utf-8")
    start, end = (
        html.index('<figure class="tree-diagram">'),
        html.index("</figure>", html.index('<figure class="tree-diagram">')),
    )
    svg = html[start:end].encode()
    return {
        "diagram_bytes": len(svg),
        "diagram_gzip_bytes": len(gzip.compress(svg)),
        "page_gzip_bytes": len(gzip.compress(html.encode())),
        "page_gzip_bytes_without_diagram": len(gzip.compress((html[:start] + html[end:]).encode())),
    }


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


def lighthouse_performance(site: Path, runs: int) -> list[dict]:
    rows = []
    with serve(site) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        for html in sorted(site.rglob("index.html")):
            path = "/" + html.relative_to(site).as_posix().removesuffix("index.html")
            scores = []
            for _ in range(runs):
                result = subprocess.run(
                    [
                        str(ROOT / "node_modules" / ".bin" / "lighthouse"),
                        url + path,
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
                scores.append(json.loads(result.stdout)["categories"]["performance"]["score"] * 100)
            rows.append({"page": path, "median": statistics.median(scores), "runs": scores})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and no 100x scale (a smoke run)")
    parser.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    report: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        report["cold_build"] = cold_build(tmp, runs)
        report["hook_overhead"] = hook_overhead(tmp, runs)
        report["scaling"] = scaling(tmp, [1, 10] if args.quick else [1, 10, 100])
        site = tmp / "served-site"
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=ROOT, env=ENV, check=True
        )
        report["pages"] = page_weights(site)
        report["search_index_kib"] = round((site / "search" / "search_index.json").stat().st_size / 1024, 1)
        report["search_index_gzip_kib"] = round(
            len(gzip.compress((site / "search" / "search_index.json").read_bytes())) / 1024, 1
        )
        report["diagram"] = diagram_weight(site)
        report["serve_rebuild"] = serve_rebuild(tmp, 3)
        report["lighthouse_performance"] = lighthouse_performance(site, 1 if args.quick else 3)
    print(render(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


def render(r: dict) -> str:
    lines = ["## Benchmark results", ""]
    c, h = r["cold_build"], r["hook_overhead"]
    lines += [
        f"- Cold `mkdocs build --strict`: median {c['median_s']:.2f} s over {c['runs']} runs "
        f"(min {c['min_s']:.2f}, max {c['max_s']:.2f}).",
        f"- Hook overhead: {h['with_hook_s']:.2f} s with the hook, {h['without_hook_s']:.2f} s for the same "
        f"pages pre-rendered without it: ratio **{h['ratio']:.3f}** (medians of {h['runs']} interleaved runs).",
        f"- `mkdocs serve`: {r['serve_rebuild']['median_s']:.2f} s median from saving the YAML to the rebuilt "
        f"page being served (max {r['serve_rebuild']['max_s']:.2f} s, {r['serve_rebuild']['runs']} edits).",
        f"- Search index: {r['search_index_kib']} KiB ({r['search_index_gzip_kib']} KiB gzip).",
        f"- Decision-tree diagram (inline SVG, no script): {r['diagram']['diagram_gzip_bytes']} bytes gzip; "
        f"Decide page HTML {r['diagram']['page_gzip_bytes']} bytes gzip with it, "
        f"{r['diagram']['page_gzip_bytes_without_diagram']} without.",
        "",
        "| Scale | Subjects | Dimensions | FAQs | Tree nodes | YAML KiB | Build s | Peak MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in r["scaling"]:
        lines.append(
            f"| {s['factor']}x | {s['subjects']} | {s['dimensions']} | {s['faqs']} | {s['tree_nodes']} | "
            f"{s['yaml_kib']} | {s['build_s']:.2f} | {s['peak_mib']} |"
        )
    lines += [
        "",
        "| Page | Requests | Transferred KiB (gzip) | Lighthouse performance (mobile, median) |",
        "|---|---|---|---|",
    ]
    performance = {row["page"]: row for row in r["lighthouse_performance"]}
    for p in r["pages"]:
        lines.append(
            f"| `{p['page']}` | {p['requests']} | {p['transferred_kib']} | {performance[p['page']]['median']:.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
