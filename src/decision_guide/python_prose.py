"""The check that keeps Python versions out of the prose.

"Needs Python 3.10 or later" ages: the series reaches its end of life and the sentence starts to
send readers to an unsupported Python. So the guide states Python versions only through typed
fields that the check holds to CPython's release data (a quick start's ``python``, a FAQ's
``about``, which shows each package's release facts, computed on the build date; see
:mod:`decision_guide.python_support` and :mod:`decision_guide.release_facts`). This check reports
any prose that names a Python version by hand ("Python 3.9", "Python >=3.10").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context import Context
from .problems import Problem, quote
from .prose import prose_fields

#: A Python version in prose: "Python 3.12", "Python >= 3.10", "Python 3.9+".
PYTHON_VERSION = re.compile(r"\bPython\s*(?:[<>=~!]=?|≥|≤)?\s*3\.\d+", re.IGNORECASE)


def check_python_in_prose(ctx: Context) -> Iterator[Problem]:
    """No text field names a Python version: typed fields state them, checked against the release data."""
    for path, text in prose_fields(ctx.kb):
        found = PYTHON_VERSION.search(text)
        if found:
            yield ctx.sm.problem(
                path,
                f"names a Python version by hand ({quote(found.group(0))})",
                "no Python version in the text: a quick start's `python:` field, or `about:` on a FAQ, which shows "
                "each package's release facts and the Python it needs on the build date",
            )
