#!/usr/bin/env python3
"""Time each phase of the knowledge-base hook's cache-miss path on one YAML file, in a new process.

    .venv/bin/python benchmarks/phases.py FILE

Prints one JSON object: wall milliseconds of ``read`` (YAML events to data and source map),
``validate`` (the pydantic models), ``checks`` (the cross-checks), ``render`` (every generated page
and block), ``export`` (the JSON export) and ``collect`` (one full garbage collection afterwards),
plus ``gc_ms``, the time the collector ran in all (measured with :data:`gc.callbacks`). As in
``hooks/knowledge_base.py``, automatic collection is off during the phases; ``--gc`` leaves it on,
to show what it would cost. Imports are done before the first phase, so the figures are the work
that grows with the data. ``benchmarks/run.py`` calls this once per file.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from decision_guide.checks import collections, run_checks
from decision_guide.export import export_json
from decision_guide.pages import Renderer
from decision_guide.schema import KnowledgeBase
from decision_guide.yaml_source import read_yaml_file


def main() -> int:
    path = Path(sys.argv[1])
    if "--gc" not in sys.argv[2:]:
        gc.disable()
    gc_seconds = [0.0]
    started: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            gc_seconds[0] += time.perf_counter() - started.pop()

    gc.callbacks.append(on_gc)
    times: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = round((now - clock) * 1000, 1)
        clock = now

    data, source_map = read_yaml_file(path)
    lap("read")
    known = collections(data)
    kb = KnowledgeBase.model_validate(data)
    lap("validate")
    problems = [p for p in run_checks(kb, source_map, known) if p.severity == "error"]
    lap("checks")
    renderer = Renderer(kb, repository="https://github.com/example/guide")
    renderer.pages()
    renderer.blocks()
    lap("render")
    export_json(kb)
    lap("export")
    gc.collect()
    lap("collect")
    times["gc_ms"] = round(gc_seconds[0] * 1000, 1)
    times["errors"] = len(problems)
    print(json.dumps(times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
