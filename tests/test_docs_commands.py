"""Every command that README.md and CONTRIBUTING.md give in a ```shell block works as written
from a fresh clone: its program is in the repository (scripts/...), or in .venv once an earlier
command has installed it, or is a read-only check that is cheap enough to run here."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess

import pytest

from conftest import ROOT

DOCUMENTS = ["README.md", "CONTRIBUTING.md"]
# Entry points that install the project into .venv before doing their work.
INSTALLERS = {"scripts/install", "scripts/site", "scripts/check", "scripts/test"}
# Commands cheap and harmless enough to run as written.
RUN = {"scripts/check"}


def commands(document: str) -> list[str]:
    """The commands of the document's ```shell blocks, comments and blank lines dropped."""
    text = (ROOT / document).read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"^```shell\n(.*?)^```", text, re.S | re.M):
        for line in block.splitlines():
            command = line.split(" #", 1)[0].strip()
            if command and not command.startswith("#"):
                out.append(command)
    return out


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_documented_command_can_run_from_a_fresh_clone(document):
    found = commands(document)
    assert found, f"{document} has no ```shell block"
    installed = False
    for command in found:
        program = shlex.split(command)[0]
        assert not program.startswith(("python", "pip", "mkdocs")), f"{document}: `{command}` needs .venv's Python"
        if program.startswith(".venv/"):
            assert installed, f"{document}: `{command}` comes before any command that installs .venv"
            assert (ROOT / program).exists(), f"{document}: `{command}`: {program} is not installed"
        else:
            path = ROOT / program
            assert path.is_file() and os.access(path, os.X_OK), f"{document}: `{command}`: no executable {program}"
            syntax = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
            assert syntax.returncode == 0, syntax.stderr
        installed = installed or program in INSTALLERS


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_cheap_documented_commands_succeed(document):
    for command in commands(document):
        if shlex.split(command)[0] in RUN:
            result = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, f"{document}: `{command}`\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("command", [[], ["serve"]])
def test_site_on_a_busy_port_says_so_in_one_line(command):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        result = subprocess.run(
            [str(ROOT / "scripts" / "site"), *command, "--dev-addr", address],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert address in result.stderr and "--dev-addr" in result.stderr


def test_site_refuses_an_unknown_command():
    result = subprocess.run([str(ROOT / "scripts" / "site"), "deploy"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "usage: scripts/site" in result.stderr
