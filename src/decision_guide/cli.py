"""Command line: ``python -m decision_guide check [PATH]``, ``schema``, ``reference``, ``render OUT_DIR``
and ``diff BASE_REF [HEAD_REF]``.

``check`` prints every problem of the knowledge base, one per line, as
``FILE:LINE:COLUMN: FIELD PATH: MESSAGE; expected WHAT`` (or, with ``--format github``, as
GitHub Actions ``::error`` annotations). Exit status: 0 when the file is
sound, 1 when it has problems, 2 on wrong usage (argparse's convention).

``render OUT_DIR`` writes what the knowledge base adds to the site into ``OUT_DIR`` (see
:func:`decision_guide.site.write_site`), for a build without ``hooks/knowledge_base.py``; it
reports problems as ``check`` does, with the same exit statuses.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .loader import load_knowledge_base
from .problems import KnowledgeBaseError, Problem
from .reference import field_reference
from .registry import SCHEMA_PATH, UnknownBlockError
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
    add_render_parser(commands)
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
    if args.command == "render":
        return render(args)
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


def add_render_parser(commands: Any) -> None:
    """The ``render`` subcommand's arguments, on argparse's subparsers action ``commands``."""
    render = commands.add_parser(
        "render",
        help="write the generated pages, the JSON files and the hand-written pages with their blocks filled "
        "into OUT_DIR, to lay over docs/ for a build without hooks/knowledge_base.py",
    )
    render.add_argument("out_dir", metavar="OUT_DIR", help="the folder to write (replaced if a render wrote it)")
    render.add_argument("--knowledge-base", default=DEFAULT_PATH, help=f"the YAML file (default: {DEFAULT_PATH})")
    render.add_argument("--docs", default="docs", help="the hand-written pages' folder (default: docs)")
    render.add_argument("--schema", default=SCHEMA_PATH, help=f"the committed JSON Schema (default: {SCHEMA_PATH})")
    render.add_argument(
        "--repository",
        help="the GitHub repository's https URL, for 'suggest a correction' links "
        "(default: extra.repository of mkdocs.yml, if there is one)",
    )


def render(args: argparse.Namespace) -> int:
    """``render``: render the knowledge base and write it into ``args.out_dir``; the exit status."""
    from .site import render_site, write_site

    repository = args.repository if args.repository is not None else _mkdocs_repository(Path("mkdocs.yml"))
    try:
        output = render_site(Path(args.knowledge_base), Path(args.schema), repository)
        written = write_site(output, Path(args.docs), Path(args.out_dir))
    except KnowledgeBaseError as error:
        for problem in error.problems:
            print(problem)
        print(f"{len(error.problems)} problem(s) found; {args.out_dir} left as it was", file=sys.stderr)
        return 1
    except (UnknownBlockError, OSError) as error:
        print(f"render: {error}", file=sys.stderr)
        return 2 if isinstance(error, FileExistsError) else 1
    print(f"{args.out_dir}: {len(written)} files ({output['summary']})")
    return 0


def _mkdocs_repository(config: Path) -> str | None:
    """``extra.repository`` of an ``mkdocs.yml`` (its ``!ENV`` and other tags read as null), or None."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=Loader)  # a SafeLoader
    except (OSError, yaml.YAMLError):
        return None
    extra = data.get("extra") if isinstance(data, dict) else None
    repository = extra.get("repository") if isinstance(extra, dict) else None
    return repository if isinstance(repository, str) else None
