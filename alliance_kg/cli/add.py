"""``alliance-kg add SHEET``: compile a fact sheet (one source and its claims, in YAML) into the project's data."""

from __future__ import annotations

import argparse
from pathlib import Path

from alliance_kg.cli._args import add_project_argument

NAME = "add"
HELP = "Add a source and its claims from a YAML fact sheet to the project's data (data/claims/<source-id>.ttl)."
DESCRIPTION = """\
Read a fact sheet (YAML: the source's metadata, the entities it brings, its claims; the format is the JSON Schema
alliance_kg/sheets/fact-sheet.schema.json and the README's "Adding a source without writing Turtle"), check it
against the schema, resolve every name to the graph's entities (labels and aliases in any language, or prefixed
names such as supply:navara-laem-chabang), mint IRIs for the new entities, read the date expressions as written,
and compile it to data/claims/<source-id>.ttl. The project's data with the new file (and the claims reconciled)
is validated against the shapes and checked for consistency before anything is written; the file is written
atomically. The same sheet always gives the same bytes.

Exit status: 0 added (or, with --dry-run, would be added), 1 the shapes reject the data with the sheet or it
makes the data inconsistent (nothing written), 2 an error: the sheet is malformed or names an entity the graph
does not hold, or several (the message names the sheet, the line and the field)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("sheet", metavar="SHEET", type=Path, help="the fact sheet (YAML)")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check and compile, print the Turtle, write nothing",
    )
    add_project_argument(parser, "the project whose data/claims/ to write")


def run(args: argparse.Namespace) -> int:
    import sys

    from alliance_kg.cli import EXIT_FAILED, EXIT_OK
    from alliance_kg.named_queries import display_name
    from alliance_kg.project import require_project
    from alliance_kg.sheets import add_sheet

    project = require_project(explicit=args.project, command="add")
    added = add_sheet(args.sheet, project=project, dry_run=args.dry_run)
    compiled = added.compiled
    try:
        shown = added.target.relative_to(project.root)
    except ValueError:
        shown = added.target
    if not added.conforms:
        print(
            f"alliance-kg add: {args.sheet}: the data with this sheet does not conform or is inconsistent; "
            f"nothing written",
            file=sys.stderr,
        )
        for where, problem in added.located():
            text = problem.render() if hasattr(problem, "render") else f"inconsistency: {problem}"
            print(f"{where}:\n  " + text.replace("\n", "\n  "), file=sys.stderr)
        return EXIT_FAILED
    if args.dry_run:
        sys.stdout.write(compiled.turtle.decode("utf-8"))
    entities = ", ".join(f"{display_name(iri)} ({label})" for iri, label in compiled.new_entities) or "none"
    verb = "would write" if args.dry_run else ("unchanged" if added.unchanged else "wrote")
    summary = (
        f"{verb} {shown}: source:{compiled.source_id}, {len(compiled.claims)} claims, "
        f"{len(compiled.new_entities)} new entities: {entities}"
    )
    print(summary, file=sys.stderr if args.dry_run else sys.stdout)
    return EXIT_OK
