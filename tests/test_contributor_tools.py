"""The contributor's tools: the check command, the published schema, the generated field
reference and the JSON export."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import yaml

from conftest import KNOWLEDGE_BASE, ROOT, Site
from decision_guide import json_schema
from decision_guide.export import export_document
from decision_guide.reference import END, START, field_reference


def run_check(*args: str, cwd=ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "decision_guide", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_check_passes_on_the_real_file():
    result = run_check("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("content/comparisons.yaml: OK")


def test_check_lists_every_problem_and_exits_1(tmp_path):
    text = KNOWLEDGE_BASE.read_text(encoding="utf-8")
    text = text.replace("    publisher: Joseph Nilo's website\n", "    publsher: Joseph Nilo's website\n", 1)
    text = text.replace("cite: [nilo-2026, wf-series, agency-blog, innostax]", "cite: [nilo-2062, wf-series]", 1)
    broken = tmp_path / "comparisons.yaml"
    broken.write_text(text, encoding="utf-8")
    result = run_check("check", str(broken))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    # One run finds everything: the shape problems and, over the rest of the file, the bad citation.
    assert len(lines) == 3, lines
    assert any(
        line.endswith(
            "sources[nilo-2026]: missing required field `publisher`; expected a `publisher:` "
            "entry: one line of plain text, at most 300 characters, e.g. `Django REST framework`"
        )
        for line in lines
    )
    assert any(
        "sources[nilo-2026].publsher: unknown field `publsher`; did you mean `publisher`?" in line for line in lines
    )
    assert any("quick_answer.cite[0]: unknown source `nilo-2062`; did you mean `nilo-2026`?" in line for line in lines)
    assert all(line.startswith(f"{broken}:") for line in lines)
    assert "Traceback" not in result.stderr


def test_check_reports_reference_problems_with_suggestions(tmp_path):
    text = KNOWLEDGE_BASE.read_text(encoding="utf-8")
    text = text.replace("cite: [nilo-2026, wf-series, agency-blog, innostax]", "cite: [nilo-2062, wf-series]", 1)
    broken = tmp_path / "comparisons.yaml"
    broken.write_text(text, encoding="utf-8")
    result = run_check("check", str(broken))
    assert result.returncode == 1
    line = next(i for i, line in enumerate(text.splitlines(), 1) if "nilo-2062" in line)
    assert f"{broken}:{line}:" in result.stdout
    assert "unknown source `nilo-2062`; did you mean `nilo-2026`?" in result.stdout


def test_check_usage_errors_exit_2_and_missing_files_exit_1(tmp_path):
    assert run_check("chekc").returncode == 2
    missing = run_check("check", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 1 and "file not found" in missing.stdout
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = run_check("check", str(binary))
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_published_schema_is_generated_from_the_models():
    on_disk = json.loads((ROOT / "schema" / "comparisons.schema.json").read_text(encoding="utf-8"))
    assert on_disk == json_schema(), (
        "run: .venv/bin/python -m decision_guide schema --write schema/comparisons.schema.json"
    )


def test_real_file_satisfies_the_published_schema_and_declares_it():
    text = KNOWLEDGE_BASE.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/comparisons.schema.json\n")
    data = json.loads(json.dumps(yaml.safe_load(text), default=str))
    jsonschema.Draft202012Validator(json_schema()).validate(data)


def test_field_reference_in_contributing_is_up_to_date():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert section == field_reference().strip(), (
        "run: .venv/bin/python -m decision_guide reference --write CONTRIBUTING.md"
    )
    for name in ("Dimension", "Conflict", "Correction", "Recommendation"):
        assert f"### {name}" in section


def test_built_site_publishes_the_json_export_and_schema(real_site: Site, real_kb):
    export = json.loads((real_site.root / "api" / "v1" / "comparisons.json").read_text(encoding="utf-8"))
    assert export == json.loads(json.dumps(export_document(real_kb)))
    assert export["api_version"] == 1
    assert [d["id"] for d in export["data"]["dimensions"]] == [d.id for d in real_kb.dimensions]
    schema = json.loads((real_site.root / "schema" / "comparisons.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(export["data"])


def test_contributing_page_shows_the_field_reference(real_site: Site):
    page = real_site.page("contributing")
    assert page.find(id="dimension") is not None
    assert "Worked examples" in page.get_text()


def test_rows_and_faqs_have_prefilled_suggestion_links(real_site: Site, real_kb):
    comparison = real_site.page("comparison")
    for dimension in real_kb.dimensions:
        if dimension.table != "frameworks":
            continue
        row = comparison.find(id=dimension.id).find_parent(class_="dimension")
        link = row.select_one("a.suggest")
        assert link is not None and f"entry={dimension.id}" in link["href"]
        assert link["href"].startswith("https://github.com/")
    faq = real_site.page("faq")
    for item in real_kb.faqs:
        link = faq.find(id=item.id).select_one("a.suggest")
        assert f"entry={item.id}&" in link["href"]
