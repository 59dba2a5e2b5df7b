"""The pull-request workflow shows reviewers what readers would see change: the semantic diff in
the job summary and in one comment, updated on every push, and a preview of the built site. The
comment is written by a job that runs no code of the pull request, and only for branches of this
repository (a fork's pull request gets the job summary). Its shell steps are run here, the
comment step against a stand-in for ``gh`` that records the calls it gets."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pull-request.yml"
MARKER = "<!-- decision-guide: what readers will see change -->"


def jobs() -> dict[str, Any]:
    workflow = yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    found: dict[str, Any] = workflow["jobs"]
    return found


def step(job: str, name: str) -> dict[str, Any]:
    return next(s for s in jobs()[job]["steps"] if s.get("name") == name)


def test_the_preview_job_compares_with_the_base_builds_and_uploads_the_site_with_read_access_only() -> None:
    preview = jobs()["preview"]
    assert preview["permissions"] == {"contents": "read"}
    compare = step("preview", "Compare with the base branch")
    assert compare["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert compare["run"].startswith('scripts/diff "$BASE_SHA" HEAD > report.md')
    build = step("preview", "Build the site")
    assert build["run"] == "scripts/site build --site-dir site"
    upload = next(s for s in preview["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "site" and upload["with"]["path"] == "site/"
    # The preview is built for the address the summary tells reviewers to serve it on.
    assert build["env"]["SITE_URL"] == "http://127.0.0.1:8000/"
    assert "python3 -m http.server 8000" in step("preview", "Write the job summary")["run"]


def test_the_comment_job_runs_no_pull_request_code_and_only_for_this_repositorys_branches() -> None:
    comment = jobs()["comment"]
    assert comment["permissions"] == {"pull-requests": "write"}
    assert comment["needs"] == "preview"
    assert "github.event.pull_request.head.repo.full_name == github.repository" in comment["if"]
    assert all("uses" not in s for s in comment["steps"]), "no checkout, no action: nothing of the pull request runs"
    assert "scripts/" not in str(comment["steps"])


def run_step(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-c", script], cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, timeout=60
    )


REPORT = "## What readers will see change\n\n| a | b |\n| --- | --- |\n| `x` | EOF $HOME |\n"


def test_the_summary_step_writes_the_report_and_how_to_open_the_preview(tmp_path: Path) -> None:
    (tmp_path / "report.md").write_text(REPORT, encoding="utf-8")
    url = "https://github.com/owner/repo/actions/runs/1/artifacts/2"
    result = run_step(
        step("preview", "Write the job summary")["run"],
        tmp_path,
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
        GITHUB_OUTPUT=str(tmp_path / "output"),
        ARTIFACT_URL=url,
    )
    assert result.returncode == 0, result.stderr
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith(REPORT)  # the report's text is not expanded by the shell
    assert f"[`site` artifact]({url})" in summary
    assert "```shell\nunzip site.zip -d site && cd site && python3 -m http.server 8000\n```" in summary
    assert "<http://127.0.0.1:8000/>" in summary
    (output,) = (tmp_path / "output").read_text(encoding="utf-8").splitlines()
    assert base64.b64decode(output.removeprefix("report=")).decode() == summary


# A stand-in for gh: records its arguments, answers `--jq EXPR` by running EXPR (with jq) over
# the comments in comments.json, and keeps the body it is given.
FAKE_GH = """#!/usr/bin/env bash
echo "$*" >> "$LOG"
args=("$@")
for i in "${!args[@]}"; do
  if [ "${args[$i]}" = --jq ]; then exec jq -r "${args[$((i + 1))]}" comments.json; fi
  case "${args[$i]}" in body=@*) cp "${args[$i]#body=@}" posted.md ;; esac
done
"""


@pytest.mark.parametrize("existing", [False, True], ids=["first push", "later push"])
def test_the_comment_step_creates_one_comment_then_updates_it(tmp_path: Path, existing: bool) -> None:
    if not shutil.which("jq"):
        pytest.skip("jq is missing (apt-get install jq); GitHub's gh has it built in")
    fake = tmp_path / "bin" / "gh"
    fake.parent.mkdir()
    fake.write_text(FAKE_GH, encoding="utf-8")
    fake.chmod(0o755)
    comments = [{"id": 5, "user": {"login": "someone"}, "body": MARKER + "\nforged by a person"}]
    if existing:
        comments.append({"id": 7, "user": {"login": "github-actions[bot]"}, "body": MARKER + "\nold report"})
    (tmp_path / "comments.json").write_text(json.dumps(comments), encoding="utf-8")
    result = run_step(
        step("comment", "Create or update the report comment")["run"],
        tmp_path,
        PATH=f"{fake.parent}:{os.environ['PATH']}",
        LOG=str(tmp_path / "gh.log"),
        GH_TOKEN="token",
        REPOSITORY="owner/repo",
        NUMBER="12",
        REPORT=base64.b64encode(REPORT.encode()).decode(),
    )
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()
    assert calls[0].startswith("api --paginate repos/owner/repo/issues/12/comments --jq ")
    if existing:
        assert calls[1:] == ["api --method PATCH repos/owner/repo/issues/comments/7 -F body=@comment.md"]
    else:
        assert calls[1:] == ["api --method POST repos/owner/repo/issues/12/comments -F body=@comment.md"]
    assert (tmp_path / "posted.md").read_text(encoding="utf-8") == f"{MARKER}\n{REPORT}"
