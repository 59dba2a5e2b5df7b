"""The shape of the knowledge base, defined once.

These pydantic models are the single source of truth for ``content/comparisons.yaml``:
the loader validates against them, the published JSON Schema is generated from them
(:func:`json_schema`), and every ``description`` below is the field's documentation.
Cross-references between entries (a citation naming a source id, a tree answer naming a
node id) are checked separately in :mod:`decision_guide.checks`, because they need the
whole file at once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .fieldtypes import (
    ArticleRef,
    BlockText,
    CodeText,
    Date,
    DimensionRef,
    HttpsUrl,
    Id,
    InlineLine,
    InlineText,
    NeedRef,
    NodeRef,
    PlainLine,
    SourceRef,
    SubjectOrEither,
    SubjectRef,
    TableRef,
)
from .limits import MAX_ENTRIES, MAX_ITEMS
from .registry import TABLE_PAGES

SCHEMA_VERSION = 1
#: The date a maintainer last read every field's description and limits against what the check
#: enforces: set it to the day of the change whenever a model below changes. The field reference
#: shows it as its review date (the reference is generated, so it cannot drift from the models;
#: what can age is the advice in the descriptions).
SCHEMA_REVIEWED = dt.date(2026, 12, 4)

if TYPE_CHECKING:
    TablePage = str  # mypy cannot read a Literal built from the registry's names; pydantic can
else:
    TablePage = Literal[TABLE_PAGES]


#: A CPython feature series, e.g. ``3.12``: how the guide states "needs Python X or later".
PythonSeries = Annotated[
    str,
    StringConstraints(pattern=r"^3\.[0-9]{1,2}$"),
    Field(description="A CPython feature series such as `3.12`.", examples=["3.12"]),
]

Citations = Annotated[
    list[SourceRef],
    Field(
        min_length=1,
        max_length=MAX_ITEMS,
        description="Ids of the sources that make or support this statement (see `sources`).",
    ),
]


class Entry(BaseModel):
    """Common settings: unknown keys are errors, so a misspelt field never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Entry):
    """An article the guide is normalised from, or an official page facts are checked against."""

    id: Id = Field(description="The id citations use, e.g. `nilo-2026`.")
    short: PlainLine = Field(
        max_length=40, description="A short label used in citation links, e.g. `Nilo 2026` or `Django docs: admin`."
    )
    title: PlainLine = Field(description="The title as the source gives it.")
    publisher: PlainLine = Field(description="Who publishes it: a blog, a company, a project.")
    author: PlainLine | None = Field(default=None, description="The author, when the source names one.")
    kind: Literal["article", "official-docs", "package-index"] = Field(
        description="`article`: an opinion or tutorial piece the guide summarises; `official-docs`: a framework's own "
        "documentation, used to check facts; `package-index`: a package's page on PyPI."
    )
    published: Date | None = Field(default=None, description="The date the source gives (YYYY-MM-DD), if any.")
    reviewed: Date = Field(description="The date a maintainer last read the source for this guide (YYYY-MM-DD).")
    url: HttpsUrl | None = Field(default=None, description="Where to read it. Required for official documentation.")
    contributed: InlineText = Field(description="What this source contributes to the guide, in a sentence or two.")


class Subject(Entry):
    """A framework or toolkit the guide compares."""

    id: Id
    name: PlainLine
    kind: Literal["framework", "toolkit", "extension"] = Field(
        description="`framework`: a web framework of its own; `toolkit`: a library built on a framework "
        "(Django REST framework); `extension`: a plug-in for a framework (Flask-RESTful)."
    )
    builds_on: SubjectRef | None = Field(default=None, description="The subject this one extends, if any.")
    homepage: HttpsUrl
    summary: InlineLine = Field(description="What it is, in one line.")


class Table(Entry):
    """A comparison table: which subjects its dimensions compare, and on which page it appears."""

    id: Id
    title: PlainLine
    page: TablePage = Field(description="The generated page that shows this table.")
    subjects: list[SubjectRef] = Field(
        min_length=2, max_length=50, description="The subjects compared, in column order."
    )
    legacy: list[SubjectRef] = Field(
        default_factory=list,
        max_length=10,
        description="Subjects the articles compare that the guide no longer recommends: each row still gives "
        "their position (in its evidence, marked legacy), but they get no column and no verdict may name them.",
    )


class Position(Entry):
    """One subject's position on one dimension."""

    summary: InlineLine = Field(description="The one-line position shown in the table cell.")
    detail: InlineText = Field(description="A short explanation shown below the table.")
    cite: Citations


class Claim(Entry):
    """One statement an article makes, paraphrased, with every source that makes it."""

    id: Id
    about: list[SubjectRef] = Field(min_length=1, max_length=50, description="The subjects the claim is about.")
    text: InlineText = Field(description="The claim in the guide's own words.")
    cite: Citations
    status: Literal["checked", "opinion", "disputed", "corrected", "outdated"] = Field(
        description="Required, so the page never vouches for a claim by default. `checked`: the official "
        "documentation confirms it; `opinion`: a judgement no documentation can settle, shown as the article's; "
        "`disputed`: sources disagree (see `conflicts`); `corrected`: an official page contradicts it (see "
        "`corrections`); `outdated`: true once, no longer (say since when in the text).",
    )


class CitedItem(Entry):
    """A short statement with its sources."""

    text: InlineLine
    cite: Citations


class Verdict(Entry):
    """Which way a comparison row leans for a decision. The check holds it to the conflicts, to the
    decision tree (`outcome`) and to its evidence (`cite`); the needs filter reads its leaning from
    here (`leans`, or `for_needs` on a `depends` row), so the badge and the filter cannot disagree."""

    leans: Literal["depends", "disputed"] | SubjectRef = Field(
        union_mode="left_to_right",
        description="A subject id of the row's table (it is the better choice on this point), `depends` (say on "
        "what in `condition`) or `disputed` (the sources disagree: record the `conflicts` entry). A row with a "
        "recorded conflict may not name a subject.",
    )
    condition: InlineLine | None = Field(
        default=None,
        max_length=160,
        description="With `depends` only: what it depends on, in one line, e.g. `Django for one large app; Flask "
        "for many small services.`",
    )
    why_depends: InlineLine | None = Field(
        default=None,
        description="With `depends` on a row without a recorded conflict (the articles agree): why the row names "
        "no winner all the same, cited in `cite`.",
    )
    for_needs: dict[NeedRef, SubjectRef] = Field(
        default_factory=dict,
        max_length=50,
        description="With `depends` only: the subject this row favours for a need of the needs filter that lists "
        "the row, keyed by need id, e.g. `{microservice: flask}`. A need without an entry shows the row as "
        "favouring neither.",
    )
    outcome: NodeRef | None = Field(
        default=None,
        description="The decision-tree node this verdict corresponds to. Required when `leans` names a subject: a "
        "recommendation of it, or a question after which every recommendation includes it; otherwise "
        "`differs_because` says why not.",
    )
    differs_because: CitedItem | None = Field(
        default=None, description="Why the verdict's subject differs from its `outcome`'s recommendation, with sources."
    )
    cite: list[SourceRef] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="The sources the verdict rests on. Required when `leans` names a subject (every ✔ is cited) "
        "and with `why_depends`.",
    )


class Dimension(Entry):
    """One row of a comparison table: a point on which the subjects differ."""

    id: Id
    name: PlainLine
    table: TableRef = Field(description="The id of the table this row belongs to (see `tables`).")
    question: PlainLine = Field(description="What the row answers, e.g. `Does it ship an admin interface?`.")
    verdict: Verdict | None = Field(default=None, description="Which way the row leans, shown first in the row.")
    positions: dict[SubjectRef, Position] = Field(
        description="One position per subject of the table, keyed by subject id."
    )
    claims: list[Claim] = Field(
        default_factory=list, max_length=100, description="The articles' statements on this dimension."
    )


class Stance(Entry):
    """One side of a disagreement between sources."""

    says: InlineText
    cite: Citations


class Conflict(Entry):
    """A point on which the sources disagree, shown as such rather than silently resolved."""

    id: Id
    dimension: DimensionRef = Field(description="The dimension the disagreement is about.")
    topic: PlainLine
    stances: list[Stance] = Field(
        min_length=2, max_length=10, description="Each side of the disagreement, with its sources."
    )
    evidence: InlineText = Field(description="What the official documentation or other evidence says.")
    cite: Citations = Field(description="The sources of the evidence.")


class Correction(Entry):
    """A statement of an article that official documentation contradicts."""

    id: Id
    topic: PlainLine = Field(description="A short heading for the correction.")
    source: ArticleRef = Field(description="The article that makes the statement.")
    dimension: DimensionRef | None = Field(default=None, description="The dimension it concerns, if any.")
    claimed: InlineText = Field(description="What the article says, paraphrased.")
    fact: InlineText = Field(description="What is correct.")
    cite: Citations = Field(description="The official pages that establish the fact.")


class DecisionRow(Entry):
    """One row of the decision table."""

    need: InlineLine
    choose: SubjectOrEither = Field(description="A subject id, or `either`.")
    reason: InlineLine
    cite: Citations
    outcome: NodeRef = Field(
        description="The decision-tree node this row corresponds to: a recommendation that includes `choose`, a "
        "question after which every recommendation includes it, or, for `choose: either`, the question that "
        "settles it. The check reports any other outcome unless `differs_because` says why.",
    )
    differs_because: CitedItem | None = Field(
        default=None,
        description="Why the row's default differs from where its `outcome` leads, with sources; shown beside the "
        "row. Without it the check reports the difference.",
    )


class ChooseWhen(CitedItem):
    """A situation in which to choose a framework, and the tree outcome that says the same."""

    outcome: NodeRef = Field(
        description="The decision-tree node this situation leads to: a recommendation of the framework, or a "
        "question after which every recommendation includes it. The check reports any other outcome unless "
        "`differs_because` says why.",
    )
    differs_because: CitedItem | None = Field(
        default=None, description="Why the bullet's framework differs from where its `outcome` leads, with sources."
    )


class Guidance(Entry):
    """Per-framework advice: when to choose it, its pros and cons, and typical projects."""

    choose_when: list[ChooseWhen] = Field(
        min_length=1, max_length=MAX_ITEMS, description="Situations in which to choose it."
    )
    pros: list[CitedItem] = Field(min_length=1, max_length=MAX_ITEMS, description="Its strengths.")
    cons: list[CitedItem] = Field(min_length=1, max_length=MAX_ITEMS, description="Its weaknesses.")
    examples: list[CitedItem] = Field(min_length=1, max_length=MAX_ITEMS, description="Kinds of project it suits.")


class Faq(Entry):
    """A question a reader asks, answered from the knowledge base."""

    id: Id
    question: PlainLine
    answer: BlockText
    cite: Citations
    asked_by: list[ArticleRef] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="The articles that ask or answer this question."
    )
    about: list[SubjectRef] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="Subjects whose release facts (newest version, the Python it needs, long-term support, a "
        "maintenance flag) the build shows under the answer, from `releases`; the answer itself states none.",
    )


class Step(Entry):
    """One quick-start step."""

    text: InlineText
    code: CodeText | None = Field(default=None, description="Commands or code for the step, shown verbatim.")
    language: Literal["shell", "python", "html", "text"] = Field(
        default="shell", description="How to highlight `code`."
    )


class QuickStart(Entry):
    """A first-project walkthrough for one framework."""

    subject: SubjectRef
    intro: InlineText
    python: PythonSeries | None = Field(
        default=None,
        description='The oldest Python the quick start asks for ("needs Python X or later"), e.g. `3.12`. The check '
        "holds it to the `python` release data (not past end of life; a warning 90 days before) and to the "
        "`requires_python` of the release its pip command installs.",
    )
    steps: list[Step] = Field(min_length=1, max_length=MAX_ITEMS, description="The steps, in order.")
    cite: Citations


class Answer(Entry):
    """An answer to a tree question, leading to another node."""

    label: PlainLine
    next: NodeRef = Field(description="The id of the node this answer leads to.")


class Question(Entry):
    """A node of the decision tree that asks something."""

    kind: Literal["question"] = Field(description="Always `question` for a question node.")
    id: Id
    text: PlainLine
    help: InlineText | None = Field(default=None, description="A sentence that helps the reader answer.")
    answers: list[Answer] = Field(
        min_length=2, max_length=MAX_ITEMS, description="Two or more answers, each leading to a node."
    )
    pick_best: bool = Field(
        default=False,
        description="`true` when the answers may overlap (a project can fit two): the page then asks the reader to "
        "pick the one that fits best. Leave it out when the answers are mutually exclusive.",
    )


class Recommendation(Entry):
    """A leaf of the decision tree: what to use, and why."""

    kind: Literal["recommendation"] = Field(description="Always `recommendation` for a leaf.")
    id: Id
    title: PlainLine
    recommend: list[SubjectRef] = Field(min_length=1, max_length=50, description="Subject ids, in order of importance.")
    reasons: list[CitedItem] = Field(min_length=1, max_length=MAX_ITEMS, description="Why, with sources.")
    caveats: list[CitedItem] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="What to watch out for, with sources."
    )
    would_change: list[InlineLine] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="What would change this recommendation."
    )


Node = Annotated[Question | Recommendation, Field(discriminator="kind")]


class DecisionTree(Entry):
    """Questions whose answers lead to further questions or to a recommendation."""

    start: NodeRef = Field(description="The id of the first question.")
    nodes: list[Node] = Field(
        min_length=1, max_length=MAX_ENTRIES, description="Questions and recommendations, each with a unique id."
    )


class Need(Entry):
    """Something a reader may care about, linked to the table rows that bear on it. Which way each row
    leans for the need is read from the row's verdict (its subject, or `for_needs` on a `depends` row)."""

    id: Id = Field(description="Used in the Comparison page's URL, e.g. `?needs=admin-screens`.")
    label: PlainLine = Field(description="The checkbox label.")
    outcome: NodeRef = Field(
        description="The decision-tree node a reader with this need reaches. The check reports a row that leans "
        "to a subject that node does not recommend (a question: every recommendation after it) unless "
        "`differs_because` says why."
    )
    rows: list[DimensionRef] = Field(
        min_length=1, max_length=MAX_ITEMS, description="The ids of the rows (dimensions) that bear on this need."
    )
    differs_because: CitedItem | None = Field(
        default=None, description="Why a row of this need leans elsewhere than its `outcome`, with sources."
    )


class QuickAnswer(Entry):
    """The one-paragraph answer shown on the home page."""

    text: InlineText
    cite: Citations


class LtsRelease(Entry):
    """A long-term support series of a package and its newest release."""

    series: PlainLine = Field(
        description="The supported series, e.g. `5.2`; `releases --refresh` finds its newest release."
    )
    version: PlainLine = Field(description="The newest release of the series on the package index, e.g. `5.2.19`.")
    released: Date = Field(description="When that release was uploaded (YYYY-MM-DD).")
    requires_python: PlainLine | None = Field(
        default=None,
        description="The series' supported Python versions as the package index states them, e.g. `>=3.10`.",
    )
    supported_until: Date | None = Field(
        default=None,
        description="The last day of security support the project announces; a month-only date is "
        "recorded as that month's last day.",
    )


class Release(Entry):
    """Dated release data for one package the guide relies on, kept current by `releases --refresh`."""

    id: Id = Field(description="The id of this entry, usually the subject id or the package name, e.g. `django`.")
    package: PlainLine = Field(
        description="The distribution name on PyPI, e.g. `Django`; the refresh command looks it up."
    )
    subject: SubjectRef | None = Field(
        default=None, description="The subject this package is, if the guide compares it."
    )
    version: PlainLine = Field(description="The newest release on the package index, e.g. `6.1.3`.")
    released: Date = Field(description="When that release was uploaded (YYYY-MM-DD).")
    requires_python: PlainLine | None = Field(
        default=None, description="The Python versions the newest release supports, as the package index states them."
    )
    last_release: Date = Field(
        description="The newest upload of any version (a maintenance release of an older series counts)."
    )
    lts: LtsRelease | None = Field(default=None, description="The long-term support series, where the project has one.")
    maintenance: InlineText | None = Field(
        default=None,
        description="Why the guide still names the package, or what to use instead. The build itself flags a "
        "package with no release for 18 months (`no release since DATE`) wherever the guide names it, so the "
        "note states no dates.",
    )
    checked: Date = Field(description="When these figures were last compared with the package index (YYYY-MM-DD).")
    cite: Citations


class PythonRelease(Entry):
    """One CPython feature series: when it was first released and when its support ends."""

    series: PythonSeries
    released: Date = Field(description="The date of its first final release (x.y.0).")
    end_of_life: Date = Field(
        description="The last day of support the Python release cycle gives; a month-only date is recorded as that "
        "month's last day."
    )


class PythonReleases(Entry):
    """CPython's release cycle, kept current by `releases --refresh` from the release-cycle data python.org
    publishes; the check holds every Python version the guide states to it."""

    series: list[PythonRelease] = Field(min_length=1, max_length=100, description="The feature series, oldest first.")
    checked: Date = Field(description="When these figures were last compared with the release cycle (YYYY-MM-DD).")
    cite: Citations


class KnowledgeBase(Entry):
    """The whole knowledge base: ``content/comparisons.yaml``."""

    version: Literal[1] = Field(description="The schema version this file follows.")
    quick_answer: QuickAnswer = Field(description="The answer shown first on the home page.")
    sources: list[Source] = Field(
        max_length=MAX_ENTRIES, min_length=1, description="Articles and official pages, cited by id."
    )
    subjects: list[Subject] = Field(
        max_length=MAX_ENTRIES, min_length=2, description="The frameworks and tools compared."
    )
    tables: list[Table] = Field(
        max_length=MAX_ENTRIES, min_length=1, description="The comparison tables and the subjects they compare."
    )
    dimensions: list[Dimension] = Field(
        max_length=MAX_ENTRIES, min_length=1, description="The rows of the comparison tables."
    )
    conflicts: list[Conflict] = Field(
        max_length=MAX_ENTRIES, default_factory=list, description="Points on which the sources disagree."
    )
    corrections: list[Correction] = Field(
        max_length=MAX_ENTRIES, default_factory=list, description="Article statements official docs contradict."
    )
    decision_table: list[DecisionRow] = Field(
        max_length=MAX_ENTRIES, min_length=1, description="Project needs and the better default for each."
    )
    guidance: dict[SubjectRef, Guidance] = Field(description="Advice per framework, keyed by subject id.")
    faqs: list[Faq] = Field(max_length=MAX_ENTRIES, min_length=1, description="Questions and answers for the FAQ page.")
    quick_starts: list[QuickStart] = Field(
        max_length=MAX_ENTRIES, default_factory=list, description="First steps for each framework."
    )
    decision_tree: DecisionTree = Field(description="The step-by-step decision tree on the Decide page.")
    needs: list[Need] = Field(
        max_length=MAX_ENTRIES,
        default_factory=list,
        description="The 'what matters to you' filter of the Comparison page.",
    )
    releases: list[Release] = Field(
        max_length=MAX_ENTRIES,
        default_factory=list,
        description="Current, LTS and last release dates of the packages the guide relies on.",
    )
    python: PythonReleases | None = Field(
        default=None, description="CPython's feature series and their end of life, for every Python version stated."
    )


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the knowledge base, generated from the models.

    Output: a JSON-serialisable dict, the document published as
    ``schema/comparisons.schema.json``. Raises nothing.
    """
    schema = KnowledgeBase.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Django vs Flask decision guide knowledge base"
    schema["x-guide-reviewed"] = SCHEMA_REVIEWED.isoformat()
    return schema
