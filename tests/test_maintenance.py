"""The maintenance rule (issue 17): one rule, computed from the release data. A package without an
upload for 18 months is flagged "no release since <date>" by the build wherever the guide names
it, and the check refuses prose that calls such a package maintained, or that states a maintenance
fact by hand (which would age)."""

from __future__ import annotations

import datetime as dt
import re

from bs4 import BeautifulSoup

from conftest import KNOWLEDGE_BASE, Site
from decision_guide.maintenance import check_maintenance_prose
from decision_guide.pages import Views
from decision_guide.release_facts import STALE_AFTER_MONTHS, months_before, stale_names, stale_since
from knowledge_bases import context, messages, old_text

TODAY = dt.date(2026, 12, 4)
#: The packages the rule flags on TODAY, with their last upload (tests/data/pypi, refreshed 2026-11-22).
FLAGGED = {
    "Flask-RESTful": "2023-05-21",
    "Flask-JWT": "2015-11-03",
    "Flask-SQLAlchemy": "2023-09-11",
    "Flask-Login": "2023-10-30",
}


def test_the_threshold_is_eighteen_calendar_months():
    assert STALE_AFTER_MONTHS == 18
    assert months_before(dt.date(2026, 12, 4), 18) == dt.date(2025, 6, 4)
    assert months_before(dt.date(2026, 8, 31), 18) == dt.date(2025, 2, 28)  # no 31 February
    kb = context(KNOWLEDGE_BASE.read_text(encoding="utf-8")).kb
    restx = next(r for r in kb.releases if r.id == "flask-restx")  # last upload 2025-09-23
    assert stale_since(restx, TODAY) is None
    assert stale_since(restx, dt.date(2027, 3, 24)) == dt.date(2025, 9, 23)


def test_the_flags_the_rule_raises_today():
    kb = context(KNOWLEDGE_BASE.read_text(encoding="utf-8")).kb
    names = stale_names(kb, TODAY)
    assert {name: str(release.last_release) for name, release in names.items()} == FLAGGED


def test_the_guide_states_no_maintenance_by_hand_and_vouches_for_no_flagged_package():
    assert messages(check_maintenance_prose(context(KNOWLEDGE_BASE.read_text(encoding="utf-8")), TODAY)) == []


def test_the_old_guide_typed_maintenance_by_hand():
    found = messages(check_maintenance_prose(context(old_text()), TODAY))
    hand = [p for p in found if "states maintenance by hand" in p]
    for path in (
        "sources[pypi-flask-restful].contributed",
        "dimensions[api-development].positions.flask.detail",
        "corrections[correction-fastapi].fact",
        "faqs[faq-future-proof].answer",
        "decision_tree.nodes[rec-flask-api].caveats[0].text",
        "releases[flask-sqlalchemy].maintenance",
        "releases[flask-login].maintenance",
    ):
        assert any(f": {path}: states maintenance by hand" in p for p in hand), (path, hand)


def test_calling_a_flagged_package_maintained_or_regular_is_refused():
    # At 5cd012d the guide called Flask-RESTX "released regularly"; once its releases stop for 18
    # months (from 2025-09-23), that clause is refused, wherever it is.
    later = dt.date(2027, 4, 1)
    found = messages(check_maintenance_prose(context(old_text()), later))
    assert any(
        "dimensions[api-development].positions.flask.detail: calls `Flask-RESTX` `released regularly`" in p
        for p in found
    ), found
    text = KNOWLEDGE_BASE.read_text(encoding="utf-8").replace(
        "The guide names it only as an example of a login extension.",
        "The guide names it only as an example; Flask-Login is actively developed.",
    )
    found = messages(check_maintenance_prose(context(text), TODAY))
    assert len(found) == 1 and "releases[flask-login].maintenance: calls `Flask-Login` `actively`" in found[0], found


def test_a_clause_about_another_package_is_not_read_as_vouching():
    text = KNOWLEDGE_BASE.read_text(encoding="utf-8").replace(
        "maintenance: One article names it for API authentication; use Flask-JWT-Extended instead.",
        "maintenance: One article names it for API authentication; Flask-JWT-Extended is maintained.",
    )
    assert messages(check_maintenance_prose(context(text), TODAY)) == []


def test_the_flag_follows_the_first_mention_outside_links_and_code():
    kb = context(KNOWLEDGE_BASE.read_text(encoding="utf-8")).kb
    views = Views(kb, TODAY)
    html = (
        '<p><a href="https://example.org/">Flask-RESTful</a> and <code>Flask-RESTful</code> are kept; '
        "Flask-RESTful&#39;s docs, then Flask-RESTful again; Flask-JWT-Extended is not Flask-JWT.</p>"
    )
    assert views.flag(html) == (
        '<p><a href="https://example.org/">Flask-RESTful</a> and <code>Flask-RESTful</code> are kept; '
        'Flask-RESTful&#39;s <span class="release-flag">(no release since 2023-05-21)</span> docs, then '
        "Flask-RESTful again; Flask-JWT-Extended is not Flask-JWT "
        '<span class="release-flag">(no release since 2015-11-03)</span>.</p>'
    )
    # Text that names no flagged package is left as it is.
    assert views.flag("<p>Flask-JWT-Extended and flask-smorest</p>") == "<p>Flask-JWT-Extended and flask-smorest</p>"


def _own_text(element) -> str:
    """The text of an element without its links, code and nested blocks (what the flag annotates)."""
    copy = BeautifulSoup(str(element), "html.parser")
    for inner in copy.select("a, code, ul, ol, p p"):
        inner.decompose()
    return copy.get_text(" ")


def test_the_build_flags_a_flagged_package_wherever_the_guide_names_it(real_site: Site, real_kb):
    names = stale_names(real_kb, dt.date.today())
    assert names, "the guide names packages the rule flags"
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])", re.I)
    checked = 0
    for path in real_site.html_files():
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = page.select_one("article")
        if article is None:
            continue
        # Bibliographic entries (reference lists, the Sources page's list, the release table, whose
        # own column carries the flag) name a publisher or a package, not a claim about it; titles
        # are headings.
        skip = {
            id(e) for e in article.select(".source-list li, .release-table td, #references ~ ol li, .admonition-title")
        }
        for block in article.select("p, li, td"):
            if id(block) in skip:
                continue
            text = _own_text(block)
            for match in pattern.finditer(text):
                release = next(r for n, r in names.items() if n.casefold() == match.group(1).casefold())
                flag = f"(no release since {release.last_release.isoformat()})"
                assert flag in block.get_text(" "), (path.relative_to(real_site.root).as_posix(), text[:120])
                checked += 1
    assert checked >= 10, checked
