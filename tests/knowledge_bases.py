"""Knowledge bases for the check tests: the guide as it is, as it was at a commit, and a check
context for any text, so a rule can be run on its own with a chosen date.

The old text is read with ``git show``; a checkout without that commit (a shallow clone) skips
the tests that need it. A text whose shape the current schema refuses (an older file) still gets
a context: its badly shaped entries are left out, as ``scripts/check`` does before its
cross-checks (``decision_guide.loader``'s best-effort reading).
"""

from __future__ import annotations

import subprocess

import pytest

from decision_guide.checks import collections
from decision_guide.context import Context
from decision_guide.loader import _best_effort
from decision_guide.yaml_source import load_yaml
from projects import ROOT

#: The commit issue 17 measured: its advice contradicted itself and aged facts were typed by hand.
OLD_COMMIT = "5cd012d"
FILE = "content/comparisons.yaml"


def old_text(commit: str = OLD_COMMIT) -> str:
    """``content/comparisons.yaml`` as it was at ``commit`` (skips when the checkout lacks it)."""
    result = subprocess.run(["git", "show", f"{commit}:{FILE}"], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"commit {commit} is not in this checkout")
    return result.stdout


def context(text: str) -> Context:
    """The check context of a YAML text (its well-shaped entries), located as ``FILE``."""
    data, sm = load_yaml(text, FILE)
    return Context(_best_effort(data), collections(data), sm)


def messages(problems) -> list[str]:
    """Problems as their report lines."""
    return [str(p) for p in problems]
