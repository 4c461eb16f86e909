"""``alliance-kg query``: run a named query, or a SPARQL file, on the knowledge graph."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from alliance_kg.cli._args import (
    add_data_argument,
    add_data_source_note,
    add_store_argument,
    data_source,
    load_graph,
    positive_seconds,
)

NAME = "query"
HELP = "Run a named query (or a .rq file) on the knowledge graph and print the answer."
DESCRIPTION = (
    "Run a named query of the library (see 'alliance-kg queries') or a SPARQL file on the knowledge graph "
    "(ontology + facts + OWL-RL inferences, queried as one union). SELECT answers print as a table, CSV, TSV "
    "or SPARQL JSON results, with a label column in the chosen language beside each IRI column; ASK prints "
    "yes/no (or JSON); CONSTRUCT and DESCRIBE print Turtle (table), JSON-LD (json) or N-Triples (csv, tsv). "
    "Exit 0 on success, 2 on any error (unknown query or parameter, malformed SPARQL with line and column)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_source_note(parser)
    parser.add_argument("name", metavar="NAME", nargs="?", help="the named query to run (see 'alliance-kg queries')")
    parser.add_argument("--file", "-f", metavar="FILE", type=Path, help="run the SPARQL query in FILE instead")
    parser.add_argument(
        "--param",
        "-p",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="a parameter of the query (repeatable); entities by IRI, prefixed name or label",
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv", "tsv", "json"),
        default="table",
        help="table for people (default); csv, tsv or json (SPARQL 1.1 results formats) for machines",
    )
    parser.add_argument("--lang", default="en", help="language of the labels: en (default) or fr")
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=positive_seconds,
        default=30.0,
        help="stop a query that runs longer than this (default 30)",
    )
    parser.add_argument(
        "--allow-service",
        metavar="ENDPOINT",
        action="append",
        default=[],
        help="let SERVICE clauses call this endpoint: 'wikidata' or a full URL (repeatable; none by default)",
    )
    add_data_argument(
        parser,
        "RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML or JSON-LD, by extension) "
        "to query instead of the project's data/ files",
    )
    add_store_argument(
        parser, "the store to query: a built on-disk store or a SPARQL server is opened as it is", cached=True
    )


def _params(pairs: list[str]) -> dict[str, str]:
    from alliance_kg.errors import ParameterError

    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError(f"--param takes NAME=VALUE, not {pair!r}")
        if name in values:
            raise ParameterError(f"parameter {name!r} given twice", parameter=name)
        values[name] = value
    return values


def run(args: argparse.Namespace) -> int:
    from rdflib import Graph

    from alliance_kg.cli import EXIT_ERROR, EXIT_OK
    from alliance_kg.errors import QueryError
    from alliance_kg.store import quiet_dataset_warnings

    if (args.name is None) == (args.file is None):
        print("alliance-kg query: error: give a query NAME or --file FILE (not both)", file=sys.stderr)
        return EXIT_ERROR

    params = _params(args.param)
    if args.file is not None:
        if not args.file.is_file():
            raise QueryError("no such query file", query=args.file.stem, path=args.file)
        query: str | Path = args.file
    else:
        query = args.name
    with load_graph(args.store, args.data, lang=args.lang) as kg:
        result = kg.query(query, params, lang=args.lang, timeout=args.timeout, allow_service=args.allow_service)
    if isinstance(result, Graph):
        fmt = {"table": "turtle", "json": "json-ld", "csv": "nt", "tsv": "nt"}[args.format]
        with quiet_dataset_warnings():
            sys.stdout.write(result.serialize(format=fmt))
        return EXIT_OK
    if args.format == "json":
        print(result.to_json(indent=2))
    elif args.format == "csv":
        sys.stdout.write(result.to_csv())
    elif args.format == "tsv":
        sys.stdout.write(result.to_tsv())
    else:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        print(result.to_table(width=width))
        if result.boolean is None:  # a table's summary: what was read (an ASK answer stays a bare yes/no)
            print(f"data: {data_source(args.store, args.data)}")
    return EXIT_OK
