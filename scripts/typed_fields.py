#!/usr/bin/env python3
"""Count the knowledge base's schema fields whose type strict mypy checks (not ``Any``).

    .venv/bin/python scripts/typed_fields.py [--list]

For every field of every model in ``decision_guide.schema``, writes ``reveal_type(model.field)``
into a scratch module, runs mypy on it, and counts the fields whose revealed type holds no
``Any`` (``Source.title`` revealed as ``PlainText`` counts; ``list[Any]`` does not). Prints
``N of M schema fields checked by mypy`` and, with ``--list``, each field with its type. Exit
status 1 when some field is ``Any``; ``tests/test_lint.py`` runs it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from decision_guide import schema  # noqa: E402


def fields() -> list[tuple[str, str]]:
    """``(model, field)`` for every field of every model defined in the schema module."""
    return [
        (name, field)
        for name, model in vars(schema).items()
        if isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == schema.__name__
        for field in model.model_fields
    ]


def revealed_types() -> dict[tuple[str, str], str]:
    """The type mypy reveals for each field of :func:`fields`. Raises SystemExit if mypy fails."""
    pairs = fields()
    lines = ["from decision_guide import schema", ""]
    lines += [
        f"def _{i}(value: schema.{model}) -> None:\n    reveal_type(value.{field})"
        for i, (model, field) in enumerate(pairs)
    ]
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "typed_fields_probe.py"
        probe.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-incremental", str(probe)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    found = {}
    for line in result.stdout.splitlines():
        if match := re.match(r".*typed_fields_probe\.py:(\d+): note: Revealed type is \"(.*)\"$", line):
            found[pairs[(int(match.group(1)) - 4) // 2]] = match.group(2)
    if len(found) != len(pairs):
        raise SystemExit(f"mypy revealed {len(found)} of {len(pairs)} fields:\n{result.stdout}{result.stderr}")
    return found


def main() -> int:
    types = revealed_types()
    unchecked = {pair: shown for pair, shown in types.items() if re.search(r"\bAny\b", shown)}
    if "--list" in sys.argv[1:]:
        for (model, field), shown in types.items():
            print(f"{'ANY ' if (model, field) in unchecked else '    '}{model}.{field}: {shown}")
    print(f"{len(types) - len(unchecked)} of {len(types)} schema fields checked by mypy")
    return 1 if unchecked else 0


if __name__ == "__main__":
    sys.exit(main())
