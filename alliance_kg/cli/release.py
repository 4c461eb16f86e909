"""``alliance-kg release VERSION``: a versioned, citable release folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alliance_kg.cli._args import add_data_argument, add_project_argument

NAME = "release"
HELP = "Write a versioned release: the graph in four formats, VoID/DCAT, ontology docs and a changelog."
DESCRIPTION = """\
Build the project (as `alliance-kg build` does) and write release VERSION into releases/VERSION/ of the project
(or --out DIR): the graph in Turtle, N-Triples, TriG and JSON-LD, the exports, a VoID and DCAT description
(void.ttl: licence, sources, version, date, triple and entity counts per class, every file with its size and
SHA-256), the ontology's documentation (ontology.html, with the model diagram) and the facts added, changed and
removed since the previous release (CHANGELOG.md, changes.json). The previous release is the folder beside it
with the highest lower version, or --previous DIR. The release date is --date, else the day of
$SOURCE_DATE_EPOCH, else today (UTC); the same inputs, version and date give the same bytes. An existing release
of VERSION is replaced only with --force; the folder is written whole or not at all. Exit status: 0 released,
1 the data does not conform or is inconsistent (nothing written), 2 error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("version", metavar="VERSION", help="the release version, such as 1.0.0 or 2026.1")
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=None,
        help="the release folder (default: releases/VERSION in the project; required outside a project)",
    )
    parser.add_argument(
        "--date", metavar="YYYY-MM-DD", default=None, help="the release date (default: $SOURCE_DATE_EPOCH, else today)"
    )
    parser.add_argument(
        "--previous",
        metavar="DIR",
        type=Path,
        default=None,
        help="the release to compare with (default: the folder beside the release with the highest lower version)",
    )
    parser.add_argument("--force", action="store_true", help="replace an existing release of the same version")
    add_project_argument(parser, "the project to release")
    add_data_argument(
        parser,
        "RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML or JSON-LD, by extension) to use instead of the "
        "project's data/ files",
    )


def run(args: argparse.Namespace) -> int:
    from alliance_kg.cli import EXIT_FAILED, EXIT_OK
    from alliance_kg.errors import RejectedBuildError
    from alliance_kg.project import find_project
    from alliance_kg.release import release

    project = find_project(explicit=args.project)
    try:
        result = release(
            args.version,
            out_dir=args.out,
            project=project,
            date=args.date,
            previous=args.previous,
            force=args.force,
            data_paths=args.data,
        )
    except RejectedBuildError as error:
        if error.report is not None and not error.report.conforms:
            print(error.report.render())
        for item in error.inconsistencies:
            print(f"Inconsistency: {item.message}")
        print(f"alliance-kg release: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(result.summary_text())
    for warning in result.build.warnings:
        print(f"alliance-kg release: warning: {warning}", file=sys.stderr)
    return EXIT_OK
