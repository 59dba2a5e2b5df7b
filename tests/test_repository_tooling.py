"""The pull-request workflows and the YAML files pass the linters the project relies on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_there_is_a_pull_request_workflow_and_a_pages_deploy():
    triggers = {path.name: yaml.load(path.read_text(), Loader=yaml.BaseLoader)["on"] for path in WORKFLOWS}
    assert any("pull_request" in on for on in triggers.values())
    assert any("push" in on and "workflow_dispatch" in on for on in triggers.values())


def test_workflows_are_least_privilege_and_never_pull_request_target():
    for path in WORKFLOWS:
        workflow = yaml.load(path.read_text(), Loader=yaml.BaseLoader)
        assert "pull_request_target" not in workflow["on"], path.name
        assert workflow["permissions"] == {}, f"{path.name}: set top-level `permissions: {{}}`"
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} must declare its permissions"


def test_actionlint_reports_nothing():
    result = run(str(BIN / "actionlint"), *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_zizmor_reports_nothing():
    result = run(str(BIN / "zizmor"), "--offline", "--no-progress", ".github/workflows")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_yamllint_passes_strictly():
    result = run(str(BIN / "yamllint"), "--strict", ".")
    assert result.returncode == 0, result.stdout
