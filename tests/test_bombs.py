"""Resource bombs and forged output: every hostile file gets a clean, located answer from
``python -m decision_guide check`` within 5 s of CPU time and 500 MB, and no message can forge
lines, terminal output or GitHub Actions workflow commands.

The limits are on the work the child process does, not on how long a shared machine takes to
let it: its CPU time (user plus system, from the ``rusage`` that ``os.wait4`` returns for it) and
its memory (``RLIMIT_AS`` on its address space; its peak resident set, ``ru_maxrss``, is checked
too). The kernel enforces both (``RLIMIT_CPU`` stops a child that runs past the CPU limit).
Wall-clock time only guards against a hang, generously: a loaded machine is slow, not stuck.

Each bomb runs in its own process; its CPU time, wall time and peak memory are printed in a
summary line, so they can be reported.
"""

from __future__ import annotations

import math
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from decision_guide.limits import MAX_BYTES
from projects import ROOT
from synthetic import dump, synthetic_knowledge_base

MEMORY_LIMIT = 500 * 2**20  # bytes of address space for the child
CPU_LIMIT = 5.0  # seconds of CPU time (user + system) for the child, Python's start-up included
HANG_GUARD = 120.0  # seconds of wall-clock time after which the child is taken to hang


def _limit_resources() -> None:
    """preexec_fn: cap the child's address space at :data:`MEMORY_LIMIT`, and its CPU time a
    second above :data:`CPU_LIMIT` (the kernel sends SIGXCPU there; the test reports the limit
    from the measured time, so the margin only stops a runaway)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    cpu = math.ceil(CPU_LIMIT) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


@dataclass
class Run:
    """One finished ``check`` process: exit status, output, CPU and wall time, peak memory."""

    status: int
    stdout: str
    stderr: str
    cpu_seconds: float
    seconds: float
    peak_mb: float


def run_check(path: Path, *options: str) -> Run:
    """Run ``python -m decision_guide check [options] path`` under the memory and CPU limits, and
    fail if it has not finished after :data:`HANG_GUARD` seconds. Output goes to files, so a
    child that writes a lot never blocks; ``os.wait4`` gives this child's own resource usage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "decision_guide", "check", *options, str(path)],
            stdout=out,
            stderr=err,
            preexec_fn=_limit_resources,
            cwd=ROOT,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > HANG_GUARD:
                process.kill()
                os.wait4(process.pid, 0)
                process.returncode = -9
                pytest.fail(f"check {path.name} hangs: no answer after {HANG_GUARD} s")
            time.sleep(0.005)
        seconds = time.monotonic() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        err.seek(0)
        return Run(
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            usage.ru_utime + usage.ru_stime,
            seconds,
            usage.ru_maxrss / 1024,
        )


def assert_within_limits(run: Run, path: Path) -> None:
    """The child stayed under :data:`CPU_LIMIT` seconds of CPU time and :data:`MEMORY_LIMIT`."""
    assert run.status != -signal.SIGXCPU, f"check {path.name} ran past the CPU time limit"
    assert run.cpu_seconds <= CPU_LIMIT, f"check {path.name} used {run.cpu_seconds:.2f} s of CPU time"
    assert run.peak_mb <= MEMORY_LIMIT / 2**20, f"check {path.name} used {run.peak_mb:.0f} MB"


# ---- The bombs --------------------------------------------------------------------------------


def base() -> dict[str, Any]:
    """A valid synthetic knowledge base to build a bomb on."""
    data = synthetic_knowledge_base()
    for dimension in data["dimensions"]:
        for claim in dimension.get("claims", []):
            claim.setdefault("status", "opinion")
    return data


def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar (any character, escaped)."""
    return (
        yaml.dump(text, Dumper=yaml.SafeDumper, default_style='"', allow_unicode=True, width=float("inf"))
        .rstrip("\n")
        .removesuffix("\n...")
    )


def merge_key_bomb() -> str:
    """About 655 bytes: each level merges the one below twice, so the fully merged document doubles
    at every level (2**20 copies of the leaf)."""
    lines = ["l0: &l0 {a: xxxxxxxx, b: xxxxxxxx}"]
    for i in range(1, 21):
        lines.append(f"l{i}: &l{i} {{<<: [*l{i - 1}], x{i}: *l{i - 1}}}")
    return "\n".join(lines) + "\n"


def merge_key_without_alias() -> str:
    """A merge key alone (no anchor to refuse first): it must be refused as a merge key."""
    return dump(base()).replace("version: 1\n", "version: 1\n<<: {extra: 1}\n", 1)


def billion_laughs() -> str:
    """The classic: ten levels of ten aliases each, 10**9 strings when expanded."""
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, 10):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def aliased_answer(size: int = 1_000_000) -> Callable[[], str]:
    """An answer of ``size`` bytes written once and aliased 14,000 times (12 GiB once expanded
    for 1 MB; a smaller one fits under the size limit, so the alias itself must be refused)."""

    def make() -> str:
        text = dump(base())
        big = "Django " * (size // 7)
        first = f"- id: faq-big\n  question: Big?\n  answer: &big {big}\n  cite: [docs]\n"
        faqs = first + "".join(f"- {{id: a{i},question: q,answer: *big,cite: [docs]}}\n" for i in range(14_000))
        return text.replace("faqs:\n", "faqs:\n" + faqs, 1)

    return make


def recursive_alias() -> str:
    """``extra: &a [1, *a]``: a list that contains itself."""
    return dump(base()) + "extra: &a [1, *a]\n"


def deep_lists() -> str:
    """Lists nested 500 deep."""
    return dump(base()) + "extra: " + "[" * 500 + "]" * 500 + "\n"


def deep_mappings() -> str:
    """Mappings nested 500 deep (flow style)."""
    return dump(base()) + "extra: " + "{a: " * 500 + "1" + "}" * 500 + "\n"


def deep_block_mappings() -> str:
    """Mappings nested 500 deep (block style, one more indent per level)."""
    return dump(base()) + "extra:\n" + "".join(" " * i + "a:\n" for i in range(1, 500)) + " " * 500 + "a: 1\n"


def question_chain() -> str:
    """A decision tree of 250 questions in a row (valid in every other way)."""
    data = base()
    n = 250
    nodes: list[dict[str, Any]] = []
    for i in range(n):
        following = f"q-{i + 1}" if i + 1 < n else "rec-end"
        nodes.append(
            {
                "kind": "question",
                "id": f"q-{i}",
                "text": f"Question {i}?",
                "answers": [{"label": "yes", "next": following}, {"label": "no", "next": f"rec-{i % 2}"}],
            }
        )
    for rec in ("rec-0", "rec-1", "rec-end"):
        nodes.append(
            {
                "kind": "recommendation",
                "id": rec,
                "title": f"Outcome {rec}",
                "recommend": ["fw0"],
                "reasons": [{"text": "because", "cite": ["docs"]}],
            }
        )
    data["decision_tree"] = {"start": "q-0", "nodes": nodes}
    return dump(data)


def unknown_citations() -> str:
    """5,000 citations of 5,000 distinct unknown sources, each close to one of 1,000 real ids, so
    "did you mean" has real work."""
    data = base()
    data["sources"] += [
        {
            "id": f"source-{i}",
            "short": f"S{i}",
            "title": f"Source {i}",
            "publisher": "P",
            "kind": "article",
            "reviewed": data["sources"][0]["reviewed"],
            "contributed": "x",
        }
        for i in range(1_000)
    ]
    outcome = next(row["outcome"] for row in data["decision_table"] if row["choose"] == "fw0")
    data["decision_table"] = [
        {"need": f"need {i}", "outcome": outcome, "choose": "fw0", "reason": "r", "cite": [f"sourse-{i}"]}
        for i in range(5_000)
    ]
    return dump(data)


def oversized_file() -> str:
    """One byte over the size limit (a valid file padded with a comment)."""
    text = dump(base())
    return text + "#" + "x" * (MAX_BYTES - len(text.encode("utf-8")) - 1) + "\n"


def megabyte_name() -> str:
    """A 1 MB subject name (a one-line field)."""
    data = base()
    data["subjects"][0]["name"] = "Django" * (1_000_000 // 6)
    return dump(data)


def too_many_entries() -> str:
    """20,001 FAQs: one more than a list may hold."""
    text = dump(base())
    faqs = "".join(f"- {{id: f{i},question: q,answer: a,cite: [docs]}}\n" for i in range(20_001))
    start = text.index("faqs:\n") + len("faqs:\n")
    end = text.index("quick_starts:")
    return text[:start] + faqs + text[end:]


def huge_unbounded_list() -> str:
    """A list of ids without a length limit (``asked_by``) filling the file up to the size limit
    (about 90,000 entries)."""
    text = dump(base())
    count = (MAX_BYTES - len(text.encode("utf-8")) - 100) // len("article-b,")
    return text.replace("  asked_by:\n  - article-b\n", "  asked_by: [" + "article-b," * count + "article-b]\n", 1)


def binary_tag() -> str:
    """A ``!!binary`` value: base64 of ``--8<-- "mkdocs.yml"``, hidden from reviewers."""
    return dump(base()).replace("answer: zebracorn answer text 0", "answer: !!binary LS04PC0tICJta2RvY3MueW1sIg==", 1)


def in_key(key: str) -> Callable[[], str]:
    """A file with an extra key ``key`` in the first source."""

    def make() -> str:
        return dump(base()).replace("- id: article-a\n", f"- id: article-a\n  {quoted(key)}: x\n", 1)

    return make


def in_value(value: str) -> Callable[[], str]:
    """A file whose first subject is named ``value``."""

    def make() -> str:
        data = base()
        data["subjects"][0]["name"] = value
        return dump(data)

    return make


def raw_in_file(char: str) -> Callable[[], str]:
    """A file with ``char`` written raw (not escaped) inside a key."""

    def make() -> str:
        return dump(base()).replace("  short: Article A\n", f"  sh{char}ort: Article A\n", 1)

    return make


FORGED_OK = "\x1b[2K\r\x1b[32mcontent/comparisons.yaml: OK\x1b[0m"
FORGED_COMMAND = "\n::error file=README.md,line=1::forged annotation"


@dataclass(frozen=True)
class Bomb:
    """A hostile file: ``make`` writes it; ``expect``: words of which the answer must hold one
    (several when more than one limit applies, e.g. the size limit before the alias guard);
    ``forgery``: the file tries to forge output lines (checked strictly, and in GitHub format)."""

    name: str
    make: Callable[[], str]
    expect: tuple[str, ...]
    forgery: bool = False


BOMBS = [
    Bomb("merge-key bomb", merge_key_bomb, ("not allowed",)),
    Bomb("merge key without alias", merge_key_without_alias, ("merge keys",)),
    Bomb("billion laughs", billion_laughs, ("not allowed",)),
    Bomb("1 MB answer aliased 14,000 times", aliased_answer(), ("not allowed", "bytes")),
    Bomb("200 KB answer aliased 14,000 times", aliased_answer(200_000), ("not allowed",)),
    Bomb("recursive alias", recursive_alias, ("not allowed",)),
    Bomb("500-deep lists", deep_lists, ("nesting deeper",)),
    Bomb("500-deep mappings", deep_mappings, ("nesting deeper",)),
    Bomb("500-deep block mappings", deep_block_mappings, ("nesting deeper",)),
    Bomb("250-question chain", question_chain, ("questions in a row",)),
    Bomb("5,000 unknown citations", unknown_citations, ("unknown source",)),
    Bomb("file over the size limit", oversized_file, ("bytes",)),
    Bomb("1 MB one-line field", megabyte_name, ("characters",)),
    Bomb("20,001 list entries", too_many_entries, ("items", "bytes")),
    Bomb("unbounded list filling the file", huge_unbounded_list, ("",)),
    Bomb("!!binary tag", binary_tag, ("explicit tags",)),
    Bomb("NUL in a key", in_key("ver\x00sion"), ("unknown field",), forgery=True),
    Bomb("ESC in a key", in_key(FORGED_OK), ("unknown field",), forgery=True),
    Bomb("bidi override in a key", in_key("\u202eeltit"), ("unknown field",), forgery=True),
    Bomb("NUL in a value", in_value("Django\x00"), ("U+0000",), forgery=True),
    Bomb("ESC in a value", in_value(FORGED_OK), ("U+001B",), forgery=True),
    Bomb("bidi override in a value", in_value("\u202eognajD"), ("U+202E",), forgery=True),
    Bomb("newline in a key", in_key("x" + FORGED_COMMAND), ("unknown field",), forgery=True),
    Bomb("CR in a key", in_key("x\r::warning::forged"), ("unknown field",), forgery=True),
    Bomb("newline in a one-line value", in_value("Django" + FORGED_COMMAND), ("line break",), forgery=True),
    Bomb("raw ESC in the file", raw_in_file("\x1b"), ("",), forgery=True),
    Bomb("raw NUL in the file", raw_in_file("\x00"), ("",), forgery=True),
]

LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): ")


def write(tmp_path: Path, bomb: Bomb) -> Path:
    """Write the bomb's file; a forgery's file name holds ``,`` and ``:``, which a GitHub
    annotation's ``file=`` property must escape."""
    name = re.sub(r"[^a-z0-9]+", "-", bomb.name.lower()).strip("-")
    path = tmp_path / (f"{name},x:y.yaml" if bomb.forgery else f"{name}.yaml")
    path.write_text(bomb.make(), encoding="utf-8", errors="surrogatepass")
    return path


def summary(bomb: Bomb, path: Path, run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    """Print the bomb's size, answer, CPU and wall time and peak memory on one line."""
    problems = len(run.stdout.splitlines())
    with capsys.disabled():
        print(
            f"\nbomb {bomb.name!r} ({path.stat().st_size:,} bytes): exit {run.status}, {problems} line(s), "
            f"{run.cpu_seconds:.2f} s CPU, {run.seconds:.2f} s wall, peak {run.peak_mb:.0f} MB"
        )


def assert_clean(run: Run, path: Path) -> list[str]:
    """A clean located answer: exit 1, no traceback, every output line ``FILE:LINE:COLUMN: ...``
    with LINE and COLUMN >= 1, one line per problem (or warning) counted. Returns the lines."""
    assert "Traceback" not in run.stdout + run.stderr, run.stderr[-3000:]
    assert run.status == 1, (run.status, run.stdout[-2000:], run.stderr[-2000:])
    lines = run.stdout.splitlines()
    assert lines, run.stderr
    for line in lines:
        match = LOCATED.match(line)
        assert match, f"not a located problem: {line[:300]!r}"
        assert match["file"] == str(path)
        assert int(match["line"]) >= 1 and int(match["column"]) >= 1, line[:300]
    counted = re.search(r"(\d+) problem\(s\)(?: and (\d+) warning\(s\))? found", run.stderr)
    assert counted, run.stderr[-500:]
    assert int(counted[1]) + int(counted[2] or 0) == len(lines), (run.stderr[-500:], len(lines))
    return lines


@pytest.mark.parametrize("bomb", BOMBS, ids=[b.name for b in BOMBS])
def test_each_bomb_gets_a_clean_located_answer_in_time_and_memory(bomb, tmp_path, capsys):
    path = write(tmp_path, bomb)
    run = run_check(path)
    summary(bomb, path, run, capsys)
    assert_within_limits(run, path)
    if bomb.name == "unbounded list filling the file" and run.status == 0:
        return  # accepted within the limits: a clean answer too
    lines = assert_clean(run, path)
    assert any(word in line for line in lines for word in bomb.expect), lines[:5]
    if bomb.name == "1 MB answer aliased 14,000 times":
        assert len(run.stdout) < 10_000, "the answer quotes the huge value"


FORGERIES = [b for b in BOMBS if b.forgery]


@pytest.mark.parametrize("bomb", FORGERIES, ids=[b.name for b in FORGERIES])
def test_messages_cannot_forge_lines_terminal_output_or_annotations(bomb, tmp_path):
    path = write(tmp_path, bomb)
    run = run_check(path)
    assert_within_limits(run, path)
    lines = assert_clean(run, path)
    for stream in (run.stdout, run.stderr):
        assert "\x1b" not in stream and "\r" not in stream and "\x00" not in stream, repr(stream[-500:])
        assert "\u202e" not in stream, repr(stream[-500:])
        assert not [line for line in stream.splitlines() if line.startswith("::")], stream[-500:]
    assert all(line.startswith(str(path)) for line in lines)


GITHUB_LINE = re.compile(r"^::error file=(?P<file>[^,:]*),line=(?P<line>\d+),col=(?P<column>\d+)::(?P<message>.*)$")


@pytest.mark.parametrize("bomb", FORGERIES, ids=[b.name for b in FORGERIES])
def test_github_format_prints_escaped_annotations_only(bomb, tmp_path):
    path = write(tmp_path, bomb)
    run = run_check(path, "--format", "github")
    assert_within_limits(run, path)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr[-3000:]
    assert run.status == 1, (run.status, run.stdout[-1000:], run.stderr[-1000:])
    lines = run.stdout.splitlines()
    assert lines
    for line in lines:
        match = GITHUB_LINE.match(line)
        assert match, f"not one escaped ::error command: {line[:300]!r}"
        assert int(match["line"]) >= 1 and int(match["column"]) >= 1
        assert match["file"] == str(path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
        message = match["message"]
        assert "\r" not in message and "\x1b" not in message
        percents = [message[i : i + 3] for i in range(len(message)) if message[i] == "%"]
        assert all(p in ("%25", "%0A", "%0D") for p in percents), percents
    assert not [line for line in run.stderr.splitlines() if line.startswith("::")], run.stderr[-500:]
    assert "\r" not in run.stdout + run.stderr and "\x1b" not in run.stdout + run.stderr


def test_a_too_deep_chain_is_one_problem_at_the_answer_that_goes_too_deep():
    from decision_guide import KnowledgeBaseError
    from decision_guide.loader import validate
    from decision_guide.yaml_source import load_yaml

    data, sm = load_yaml(question_chain(), "tree.yaml")
    with pytest.raises(KnowledgeBaseError) as error:
        validate(data, sm)
    messages = [str(p) for p in error.value.problems]
    assert [m for m in messages if "cannot be reached" in m] == [], messages[:5]
    assert len([m for m in messages if "questions in a row" in m]) == 1, messages[:5]
