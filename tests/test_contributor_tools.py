"""The contributor's tools: the check command, the published schema, the generated field
reference and the JSON export."""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import urljoin

import jsonschema
import yaml

from conftest import KNOWLEDGE_BASE, ROOT, Site
from decision_guide import json_schema
from decision_guide.export import export_document
from decision_guide.reference import field_reference, models
from decision_guide.registry import REFERENCE_PAGES


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


def test_reference_command_prints_every_model_and_field():
    result = run_check("reference")
    assert result.returncode == 0, result.stderr
    assert result.stdout == field_reference()
    for model in models():
        assert f"## {model['name']} {{ #{model['name'].lower()} }}" in result.stdout
        for field in model["fields"]:
            assert f"- `{field['name']}`: " in result.stdout, (model["name"], field["name"])
    assert "<dl" not in result.stdout  # a terminal gets plain Markdown lists


def test_built_site_publishes_the_json_export_and_schema(real_site: Site, real_kb):
    export = json.loads((real_site.root / "api" / "v1" / "comparisons.json").read_text(encoding="utf-8"))
    assert export == json.loads(json.dumps(export_document(real_kb)))
    assert export["api_version"] == 1
    assert [d["id"] for d in export["data"]["dimensions"]] == [d.id for d in real_kb.dimensions]
    schema = json.loads((real_site.root / "schema" / "comparisons.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(export["data"])


def test_contributing_page_links_to_every_page_of_the_field_reference(real_site: Site):
    page = real_site.page("contributing")
    assert "Worked examples" in page.get_text()
    links = {a["href"] for a in page.select("article a[href]")}
    for reference in REFERENCE_PAGES:
        assert "../" + reference.src_uri.removesuffix(".md") + "/" in links, reference.src_uri
    # The site's copy links to the local pages; only CONTRIBUTING.md on GitHub links to the published site.
    assert not any("github.io" in link for link in links)
    assert "github.io/guide/field-reference/" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_rows_and_faqs_have_prefilled_suggestion_links(real_site: Site, real_kb):
    comparison = real_site.page("comparison")
    for dimension in real_kb.dimensions:
        if dimension.table != "frameworks":
            continue
        # On the row itself, or on the row's evidence page, where the evidence is (issue 13).
        link = comparison.find(id=dimension.id).find_parent(class_="dimension").select_one("a.suggest")
        if link is None and (real_site.root / "comparison" / dimension.id / "index.html").exists():
            link = real_site.page(f"comparison/{dimension.id}").select_one("article a.suggest")
        assert link is not None and f"entry={dimension.id}" in link["href"]
        assert link["href"].startswith("https://github.com/")
    faq = real_site.page("faq")
    for item in real_kb.faqs:
        link = faq.find(id=item.id).select_one("a.suggest")
        assert f"entry={item.id}&" in link["href"]


def test_field_reference_pages_are_generated_from_the_schema_and_edited_there(real_site: Site):
    first = real_site.page(REFERENCE_PAGES[0].src_uri.removesuffix(".md"))
    # The first page is in the nav and links to the others, which are not.
    assert first.select_one(".md-nav--primary a.md-nav__link--active") is not None
    base = "/" + REFERENCE_PAGES[0].src_uri.removesuffix(".md") + "/"
    links = {urljoin(base, str(a["href"])) for a in first.select("article a[href]")}
    for page in REFERENCE_PAGES[1:]:
        assert "/" + page.src_uri.removesuffix(".md") + "/" in links, page.src_uri
    for page in REFERENCE_PAGES:
        edit = real_site.page(page.src_uri.removesuffix(".md")).select_one('a[title="Edit this page"]')
        assert edit["href"].endswith("/edit/main/src/decision_guide/schema.py"), page.src_uri
