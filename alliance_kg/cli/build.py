"""``alliance-kg build``: validate, reason and write a release folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alliance_kg.cli._args import add_data_argument, add_store_argument

NAME = "build"
HELP = "Validate, reason and write the release files into a folder."
DESCRIPTION = (
    "Validate the project's data, reason over it and write the release files "
    "(Turtle, N-Triples, TriG, validation report, summary.json) into a folder, "
    "replacing it as a whole. Data that does not conform or is inconsistent is not "
    "released and the previous folder is kept."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=Path("dist"),
        help="release folder to (re)place (default: dist/ in the current directory)",
    )
    add_data_argument(
        parser,
        "RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML or JSON-LD, by extension) "
        "to use instead of the project's data/ files",
    )
    parser.add_argument(
        "--enrichment",
        metavar="FILE",
        type=Path,
        default=None,
        help="the Wikidata enrichment written by 'alliance-kg enrich', included when present "
        "(default: enrichment/wikidata.ttl)",
    )
    add_store_argument(
        parser,
        "also write the release's named graphs into this store: oxigraph:PATH, an on-disk store that "
        "query, export, serve and validate then open in well under a second",
    )


def run(args: argparse.Namespace) -> int:
    from alliance_kg.build import build
    from alliance_kg.cli import EXIT_FAILED, EXIT_OK
    from alliance_kg.errors import RejectedBuildError

    try:
        result = build(args.out, data_paths=args.data, enrichment_path=args.enrichment, store=args.store)
    except RejectedBuildError as error:
        if error.report is not None and not error.report.conforms:
            print(error.report.render())
        for item in error.inconsistencies:
            print(f"Inconsistency: {item.message}")
        print(f"alliance-kg build: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(result.summary_text())
    if result.store is not None:
        print(f"store: {result.store}")
    for warning in result.warnings:
        print(f"alliance-kg build: warning: {warning}", file=sys.stderr)
    return EXIT_OK
