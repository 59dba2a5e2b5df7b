"""The versioned JSON export of the knowledge base, for other tools to reuse the data.

Published as ``api/v1/comparisons.json``. Version 1 is the document described by
``schema/comparisons.schema.json`` (the same fields and ids as the YAML), wrapped with the
export's own version so a consumer can tell a breaking change from an added field.
"""

from __future__ import annotations

import json
from typing import Any

from .registry import SCHEMA_PATH
from .schema import SCHEMA_VERSION, KnowledgeBase


def export_document(kb: KnowledgeBase) -> dict[str, Any]:
    """The export as a JSON-ready dict: ``{"api_version": 1, "schema": ..., "data": {...}}``.

    Dates are ISO 8601 strings; ids are the stable ids of the YAML. Raises nothing.
    """
    return {
        "api_version": SCHEMA_VERSION,
        "schema": f"../../{SCHEMA_PATH}",
        "data": kb.model_dump(mode="json"),
    }


def export_json(kb: KnowledgeBase) -> str:
    """:func:`export_document` serialised with sorted keys, so unchanged data gives identical bytes.

    Compact (no indentation), so the standard library's C encoder does the work; pipe it through
    ``python -m json.tool`` to read it."""
    return json.dumps(export_document(kb), sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
