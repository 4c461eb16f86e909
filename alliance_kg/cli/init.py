"""``alliance-kg init DIR``: make a project folder, a copy of the packaged files for the user to own and edit."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "init"
HELP = "Make a project folder: a copy of the packaged ontology, data, mappings and queries to work on."
DESCRIPTION = """\
Copy the packaged ontology/, data/ (with data/mappings/ and data/sources/) and queries/ into DIR, a new or empty
folder, and mark it with alliance-kg.toml. The commands that change curated files (link, link --accept, enrich)
work only on such a project: run them inside DIR or pass --project DIR. The copy inside the installed package
stays read-only reference data. The folder is made beside DIR and renamed into place once complete, so a failure
leaves nothing behind. Exit status: 0 made, 2 error (DIR not empty, not a folder, cannot be written)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("folder", metavar="DIR", type=Path, help="the project folder to make (new or empty)")


def run(args: argparse.Namespace) -> int:
    from alliance_kg import resources
    from alliance_kg.cli import EXIT_OK
    from alliance_kg.project import init_project

    source = resources.packaged_root("data").parent
    project, counts = init_project(args.folder)
    copied = ", ".join(f"{kind}/ {count} file(s)" for kind, count in counts.items())
    print(f"made the project {project.root} from the packaged data ({source}): {copied}")
    print(f"work on it inside that folder, or give --project {args.folder} to link and enrich")
    return EXIT_OK
