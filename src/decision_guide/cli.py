"""Command line: ``python -m decision_guide check [PATH]``, ``schema``, ``reference`` and ``diff``.

``check`` prints every problem of the knowledge base, one per line, as
``FILE:LINE:COLUMN: FIELD PATH: MESSAGE; expected WHAT`` (or, with ``--format github``, as
GitHub Actions ``::error`` annotations). Exit status: 0 when the file is
sound, 1 when it has problems, 2 on wrong usage (argparse's convention).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .loader import load_knowledge_base
from .problems import KnowledgeBaseError, Problem
from .reference import field_reference
from .schema import json_schema

DEFAULT_PATH = "content/comparisons.yaml"


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m decision_guide", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate the knowledge base and list every problem")
    check.add_argument("path", nargs="?", default=DEFAULT_PATH, help=f"the YAML file (default: {DEFAULT_PATH})")
    check.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text: FILE:LINE:COLUMN: FIELD: MESSAGE lines (default); github: GitHub Actions "
        "::error annotations on the lines a pull request changed",
    )
    schema = commands.add_parser("schema", help="print the knowledge base's JSON Schema")
    schema.add_argument("--write", metavar="FILE", help="write it to FILE instead (schema/comparisons.schema.json)")
    commands.add_parser("releases", add_help=False, help="update the `releases` section from the package index")
    commands.add_parser("reference", help="print the field reference generated from the schema (the site shows it too)")
    diff = commands.add_parser("diff", help="print in Markdown what readers would see change between two versions")
    diff.add_argument("base", metavar="BASE_REF", help="the git commit, branch or tag to compare from, e.g. main")
    diff.add_argument("head", metavar="HEAD_REF", nargs="?", help="the commit to compare (default: the working tree)")
    diff.add_argument("--file", default=DEFAULT_PATH, help=f"the YAML file's path (default: {DEFAULT_PATH})")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["releases"]:  # its own options (see releases.main_refresh)
        from .releases import main_refresh

        return main_refresh(argv[1:])
    args = parser.parse_args(argv)

    if args.command == "schema":
        text = json.dumps(json_schema(), indent=2) + "\n"
        if args.write:
            Path(args.write).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    if args.command == "reference":
        sys.stdout.write(field_reference())
        return 0
    if args.command == "diff":
        from .diff import main as main_diff

        return main_diff(args.base, args.head, args.file)
    warnings: list[Problem] = []

    def report(problems: list[Problem]) -> None:
        for problem in problems:
            print(problem.github() if args.format == "github" else problem)

    try:
        kb = load_knowledge_base(args.path, warnings)
    except KnowledgeBaseError as error:
        report(sorted(error.problems + warnings, key=lambda p: (p.line, p.column)))
        print(f"{len(error.problems)} problem(s) and {len(warnings)} warning(s) found", file=sys.stderr)
        return 1
    report(warnings)
    print(
        f"{args.path}: OK ({len(kb.dimensions)} dimensions, {len(kb.faqs)} FAQs, "
        f"{len(kb.decision_tree.nodes)} tree nodes)"
    )
    return 0
