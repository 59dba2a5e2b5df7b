"""The contributors' field reference, generated from the JSON Schema.

Like choosealicense.com's ``_data/meta.yml``, the list of fields is both schema and
documentation: :func:`reference_pages` renders every model of
:func:`~decision_guide.schema.json_schema` (its fields, types, whether they are required, their
limits and descriptions) as the site's field reference, the pages of
:data:`~decision_guide.registry.REFERENCE_PAGES`, so the reference can never drift from what the
check command enforces. :func:`field_reference` gives the same text as one Markdown document,
for the command line.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable
from typing import Any

from .fieldtypes import TEXT_TYPES
from .pages import environment, front_matter
from .registry import REFERENCE_PAGES, ReferencePage
from .schema import json_schema

#: The name under which the schema's root model is listed.
ROOT = "KnowledgeBase"


def _count(n: int) -> str:
    return f"{n:,}"


def _option(spec: dict[str, Any]) -> dict[str, Any]:
    """The non-null option of an optional field (``anyOf: [X, null]``), or the spec itself."""
    options = [option for option in spec.get("anyOf", []) if option.get("type") != "null"]
    return options[0] if len(options) == 1 else spec


def _type(spec: dict[str, Any], link: Callable[[str], str]) -> str:
    """A reader's description of a JSON Schema type as Markdown, e.g. ``list of [Claim](…)``.

    ``link`` gives the address of a model's section (by the model's name), or of a field type's
    entry (``type-<kind>``).
    """
    if "x-guide-type" in spec:
        kind = spec["x-guide-type"]
        return f"[{kind}]({link('type-' + kind)})" if kind != "date" else "date (YYYY-MM-DD)"
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        return f"[{name}]({link(name)})"
    if "const" in spec:
        return f"`{spec['const']}`"
    if "enum" in spec:
        return "one of " + ", ".join(f"`{value}`" for value in spec["enum"])
    for key in ("anyOf", "oneOf"):
        if key in spec:
            options = [_type(option, link) for option in spec[key] if option.get("type") != "null"]
            return " or ".join(options)
    kind = spec.get("type")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}), link)}"
    if kind == "object":
        values = spec.get("additionalProperties") or next(iter(spec.get("patternProperties", {}).values()), None)
        if isinstance(values, dict):
            return f"mapping of id to {_type(values, link)}"
    if kind == "string":
        if spec.get("format") == "date":
            return "date (YYYY-MM-DD)"
        return "text"
    return str(kind or "any")


def _range(low: int | None, high: int | None, unit: str) -> str | None:
    """``1\N{EN DASH}50 items``, ``up to 64 characters``, ``at least 2 items``; None without limits."""
    low = low or None  # a minimum of 0 says nothing
    if low is not None and high is not None:
        return f"{_count(low)}\N{EN DASH}{_count(high)} {unit}" if low != high else f"exactly {_count(low)} {unit}"
    if high is not None:
        return f"up to {_count(high)} {unit}"
    if low is not None:
        return f"at least {_count(low)} {unit}"
    return None


def limits(spec: dict[str, Any]) -> str:
    """The limits the schema sets on a field, in words (``1\N{EN DASH}50 items, each up to 64 characters``).

    Lists give their number of items and, when they hold text, each item's length; text gives
    its length. Empty when the schema sets none.
    """
    spec = _option(spec)
    parts = []
    if spec.get("type") == "array":
        parts.append(_range(spec.get("minItems"), spec.get("maxItems"), "items"))
        item = _option(spec.get("items", {}))
        if "maxLength" in item:
            length = _range(item.get("minLength"), item.get("maxLength"), "characters")
            parts.append(f"each {length}" if length else None)
    else:
        parts.append(_range(spec.get("minLength"), spec.get("maxLength"), "characters"))
    return ", ".join(part for part in parts if part)


def _description(text: str) -> str:
    return " ".join(text.split()).replace("``", "`")


def models(schema: dict[str, Any] | None = None, link: Callable[[str], str] | None = None) -> list[dict[str, Any]]:
    """The schema's models as ``[{"name", "description", "fields": [{"name", "type", "required",
    "limits", "default", "description"}]}]``: the root model first, then the others in the order
    a reader of the file meets them (each after the first model that uses it).

    ``link`` gives the address of a model or of the field types (default: ``#name`` in lower
    case, for one document).
    """
    schema = schema or json_schema()
    link = link or (lambda name: f"#{name.lower()}")
    out = []
    for name in model_order(schema):
        spec = schema if name == ROOT else schema["$defs"][name]
        required = set(spec.get("required", []))
        fields = []
        for field, field_spec in spec.get("properties", {}).items():
            default = field_spec.get("default")
            fields.append(
                {
                    "name": field,
                    "type": _type(field_spec, link),
                    "required": field in required,
                    "limits": limits(field_spec),
                    "default": None if default in (None, [], {}) else default,
                    "description": _description(field_spec.get("description", "")),
                }
            )
        out.append({"name": name, "description": _description(spec.get("description", "")), "fields": fields})
    return out


def _refs(spec: Any) -> list[str]:
    """The names of the models a schema fragment refers to, in document order."""
    if isinstance(spec, dict):
        found = [spec["$ref"].rsplit("/", 1)[-1]] if "$ref" in spec else []
        for key, value in spec.items():
            if key != "$ref":
                found += _refs(value)
        return found
    if isinstance(spec, list):
        return [name for value in spec for name in _refs(value)]
    return []


def model_order(schema: dict[str, Any]) -> list[str]:
    """Every model's name, the root first, then breadth first through the root's fields (the
    order of the YAML file's sections); models no field reaches come last, by name."""
    order = [ROOT]
    queue = [ROOT]
    while queue:
        spec = schema if queue[0] == ROOT else schema["$defs"][queue[0]]
        queue.pop(0)
        for name in _refs(spec.get("properties", {})):
            if name not in order:
                order.append(name)
                queue.append(name)
    return order + sorted(set(schema.get("$defs", {})) - set(order))


def page_of_models(schema: dict[str, Any]) -> dict[str, ReferencePage]:
    """Which reference page documents each model: the first page (in :data:`REFERENCE_PAGES`
    order) whose sections (fields of the root model) reach it. The root and any model that no
    page's sections reach go on the first page."""
    assigned: dict[str, ReferencePage] = {}
    for page in REFERENCE_PAGES:
        queue = [name for section in page.sections for name in _refs(schema.get("properties", {}).get(section, {}))]
        while queue:
            name = queue.pop(0)
            if name not in assigned:
                assigned[name] = page
                queue += _refs(schema["$defs"][name].get("properties", {}))
    return {name: assigned.get(name, REFERENCE_PAGES[0]) for name in model_order(schema)}


def field_types() -> list[dict[str, str]]:
    """The text types, as ``[{"kind", "description", "expected"}]``, for the reference's first table."""
    return [
        {"kind": kind, "description": " ".join((cls.__doc__ or "").split()), "expected": cls.expected}
        for kind, cls in TEXT_TYPES.items()
    ]


def _relative(page: ReferencePage, src_uri: str) -> str:
    """The link from ``page`` to the Markdown file ``src_uri`` (both relative to the docs folder)."""
    return posixpath.relpath(src_uri, posixpath.dirname(page.src_uri) or ".")


def _render(page: ReferencePage | None, schema: dict[str, Any], pages: dict[str, ReferencePage]) -> str:
    """One reference page's Markdown body (``page`` None: the whole reference as one document)."""

    def link(name: str) -> str:
        target = REFERENCE_PAGES[0] if name.startswith("type-") else pages[name]
        if page is None:  # one document: the types are one list, without an anchor each
            return "#field-types" if name.startswith("type-") else f"#{name.lower()}"
        if target is page:
            return f"#{name.lower()}"
        return f"{_relative(page, target.src_uri)}#{name.lower()}"

    shown = [m for m in models(schema, link) if page is None or pages[m["name"]] is page]
    template = environment(trusted=True).get_template("field-reference.md.j2")
    return template.render(
        page=page,
        pages=REFERENCE_PAGES,
        hrefs={target.src_uri: _relative(page, target.src_uri) if page else "" for target in REFERENCE_PAGES},
        root="../" * page.src_uri.count("/") if page else "",
        models=shown,
        reviewed=dt.date.fromisoformat(schema["x-guide-reviewed"]) if "x-guide-reviewed" in schema else None,
        types=field_types() if page is None or page is REFERENCE_PAGES[0] else [],
    )


def reference_pages(schema: dict[str, Any] | None = None) -> dict[str, str]:
    """Every page of the field reference, as ``{src_uri: markdown}`` with front matter, like
    :meth:`~decision_guide.pages.Renderer.pages`."""
    schema = schema or json_schema()
    pages = page_of_models(schema)
    return {page.src_uri: front_matter(page) + _render(page, schema, pages).strip() + "\n" for page in REFERENCE_PAGES}


def field_reference() -> str:
    """The whole field reference as one Markdown document (the field types, then one section
    per model with its fields), for ``python -m decision_guide reference``."""
    schema = json_schema()
    return _render(None, schema, page_of_models(schema)).strip() + "\n"
