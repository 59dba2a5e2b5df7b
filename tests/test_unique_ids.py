"""Id uniqueness comes from the model's types: a section the schema gains, with ids of the ``Id``
type, is checked without editing the check (``decision_guide.checks.check_unique_ids``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from decision_guide.checks import check_unique_ids, collections
from decision_guide.context import Context
from decision_guide.fieldtypes import Id, PlainLine
from decision_guide.schema import Entry, KnowledgeBase
from decision_guide.yaml_source import load_yaml
from synthetic import dump, synthetic_knowledge_base


class Part(Entry):
    id: Id
    name: PlainLine


class Widget(Entry):
    id: Id
    name: PlainLine
    parts: list[Part] = Field(default_factory=list)


class WidgetKnowledgeBase(KnowledgeBase):
    """The knowledge base with a section the real schema does not have."""

    widgets: list[Widget] = Field(default_factory=list)


def problems(widgets: list[dict[str, Any]]) -> list[str]:
    data = {**synthetic_knowledge_base(), "widgets": widgets}
    text = dump(data)
    parsed, sm = load_yaml(text, "kb.yaml")
    kb = WidgetKnowledgeBase.model_validate(parsed)
    return [str(p) for p in check_unique_ids(Context(kb, collections(parsed), sm))]


def part(i: str) -> dict[str, str]:
    return {"id": i, "name": f"Part {i}"}


def test_a_new_section_with_unique_ids_passes() -> None:
    assert problems([{"id": "a", "name": "A", "parts": [part("p")]}, {"id": "b", "name": "B"}]) == []


def test_a_duplicate_id_in_a_new_section_is_refused_where_it_stands() -> None:
    found = problems([{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "a", "name": "A again"}])
    assert len(found) == 1, found
    assert found[0].startswith("kb.yaml:")
    assert "widgets[a].id: duplicate id `a` in `widgets` (first used on line " in found[0]
    line = int(found[0].split(":")[1])
    first = int(found[0].split("first used on line ")[1].split(")")[0])
    assert line > first


def test_ids_of_a_nested_list_are_unique_across_its_parents() -> None:
    found = problems([{"id": "a", "name": "A", "parts": [part("p")]}, {"id": "b", "name": "B", "parts": [part("p")]}])
    assert len(found) == 1 and "duplicate id `p` in `widgets.parts`" in found[0], found


def test_the_same_id_in_two_sections_is_allowed() -> None:
    assert problems([{"id": "fw0", "name": "Same id as a subject", "parts": [part("faq-0")]}]) == []
