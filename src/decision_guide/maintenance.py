"""The check of what the prose says about maintenance: one rule, computed from the release data.

Whether a package is still released is a fact that ages, so the guide never states it by hand:
the build flags a package with no upload for 18 months ("no release since <date>", see
:mod:`decision_guide.release_facts`) wherever the guide names it. This check keeps the prose out
of the way of that rule. It reports:

- a clause that names a flagged package and calls it maintained, active or regularly released
  ("Flask-RESTX is released regularly" after its releases stopped);
- a clause that states a maintenance fact by hand ("no release since May 2023", "no longer
  released", "unmaintained"), about any package: the flag says it, from the data, and stays
  true when the data changes.

``today`` is a parameter for tests; by default the check runs on the build date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from .context import Context
from .problems import Problem, quote
from .prose import clauses, prose_fields
from .release_facts import STALE_AFTER_MONTHS, name_pattern, stale_names, stale_since

#: Words that call a package maintained (``unmaintained`` and "no longer maintained" do not match).
VOUCHES = re.compile(
    r"(?<!no longer )(?<!not )\b(?:maintained|actively|active|released regularly|regularly released|"
    r"still released|released often|still maintained)\b",
    re.IGNORECASE,
)
#: A maintenance fact typed by hand.
HAND_TYPED = re.compile(
    r"\b(?:no (?:new )?releases? since|not released since|no longer (?:released|maintained)|unmaintained|"
    r"last release (?:is|was|came))\b",
    re.IGNORECASE,
)


def check_maintenance_prose(ctx: Context, today: dt.date | None = None) -> Iterator[Problem]:
    """No clause calls a flagged package maintained, and no clause states a maintenance fact by hand."""
    today = today or dt.date.today()
    flagged = stale_names(ctx.kb, today)
    names = name_pattern(flagged)
    for path, text in prose_fields(ctx.kb):
        for clause in clauses(text):
            typed = HAND_TYPED.search(clause)
            if typed:
                yield ctx.sm.problem(
                    path,
                    f"states maintenance by hand ({quote(typed.group(0))})",
                    'the package\'s name only: the build adds "no release since <date>" from `releases` to every '
                    f"package without an upload for {STALE_AFTER_MONTHS} months",
                )
                break
            named = names.search(clause) if names else None
            vouch = VOUCHES.search(clause)
            if named and vouch:
                release = flagged[next(n for n in flagged if n.casefold() == named.group(0).casefold())]
                yield ctx.sm.problem(
                    path,
                    f"calls {quote(named.group(0))} {quote(vouch.group(0))}, but it has had no release since "
                    f"{stale_since(release, today)} (more than {STALE_AFTER_MONTHS} months)",
                    "no claim of maintenance for a flagged package; the build flags it where it is named",
                )
                break
