"""The packages a quick start installs: the requirement arguments of its ``pip install`` commands.

Not a check itself: :mod:`decision_guide.freshness` holds each requirement to the release data,
and :mod:`decision_guide.python_support` finds the release whose Python support a quick start
relies on.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

_PIP_INSTALL = re.compile(r"\bpip3?\s+install\b(?P<args>.*)")
#: pip options that take a value, whose value is not a requirement.
_OPTIONS_WITH_VALUE = {
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--python-version",
}


def requirements(code: str) -> Iterator[str]:
    """The requirement arguments (``"Django~=5.2.0"``) of every ``pip install`` command in ``code``,
    in order; options and their values, comments and shell operators are skipped."""
    for line in code.splitlines():
        match = _PIP_INSTALL.search(line.split("#", 1)[0])
        if not match:
            continue
        try:
            words = shlex.split(match.group("args"))
        except ValueError:
            words = match.group("args").split()
        skip = False
        for word in words:
            if skip:
                skip = False
            elif word in _OPTIONS_WITH_VALUE:
                skip = True
            elif word.startswith("-") or word in ("&&", "||", ";", "|"):
                continue
            else:
                yield word
