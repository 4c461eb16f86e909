"""``alliance-kg enrich``: fetch what Wikidata says about our linked items into a separate file."""

from __future__ import annotations

import argparse
import sys
from contextlib import closing
from pathlib import Path

from alliance_kg.cli._args import add_data_argument, add_project_argument, add_store_argument
from alliance_kg.cli.link import add_service_arguments, make_client

NAME = "enrich"
HELP = "Fetch labels, coordinates, countries and parents of linked items from Wikidata (network)."
DESCRIPTION = """\
For the Wikidata items our entities link to, ask the SPARQL endpoint (a CONSTRUCT) for their labels in more
languages, coordinates (P625), country (P17), parent organisation (P749), classes (P31), manufacturer (P176) and
location (P131), and write them with their provenance (endpoint, retrieval time) to a separate Turtle file
(default: the project's enrichment/wikidata.ttl), never into the curated facts. `alliance-kg build` run in the
project includes the file when it is there. Disagreements with our facts (a country, a manufacturer) are printed
as warnings. Answers are cached on disk; the previous file is kept if the endpoint fails.

The project is the current directory when it holds data/ and ontology/ (or alliance-kg.toml), or --project DIR;
outside one, enrich stops and says how to make one (`alliance-kg init DIR`) unless --out is given. Nothing is
written into the installed package. Exit status: 0 ok, 2 error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        default=None,
        help="the enrichment file to (re)write (default: the project's enrichment/wikidata.ttl)",
    )
    parser.add_argument("--links", metavar="FILE", type=Path, default=None, help="the SSSOM links file")
    add_data_argument(
        parser,
        "RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML or JSON-LD, by extension) whose links to read "
        "instead of the project's data/ files",
    )
    add_store_argument(parser, "read the links from this built store instead of the data files")
    add_project_argument(parser, "the project whose data to read and whose enrichment/ to write")
    add_service_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from alliance_kg import resources
    from alliance_kg.project import check_writable, find_project, require_project
    from alliance_kg.wikidata import enrich

    home = find_project(explicit=args.project)
    if args.out is not None:
        out = check_writable(args.out)
    else:
        home = home or require_project(command="enrich")
        out = home.root / enrich.DEFAULT_ENRICHMENT_FILE
    with resources.use_project(home):
        return _run(args, out)


def _run(args: argparse.Namespace, out: Path) -> int:
    from alliance_kg.cli import EXIT_OK
    from alliance_kg.wikidata import enrich, sssom
    from alliance_kg.wikidata.graph_reads import open_graph

    links = sssom.links_graph(args.links)
    with closing(open_graph(args.store, args.data)) as graph:
        qids = enrich.linked_items(graph, links)
        client = make_client(args)
        result = enrich.fetch_enrichment(qids, client)
        found = enrich.disagreements(graph, result.graph, links=links)
    path = enrich.write_enrichment(result, out)
    print(
        f"{len(result.graph)} triples about {len(qids)} linked Wikidata items from {result.endpoint} "
        f"(retrieved {result.retrieved.isoformat(timespec='seconds')}) written to {path}; "
        f"{client.requests_made} request(s) sent"
    )
    for item in found:
        print(f"warning: {item.message}", file=sys.stderr)
    return EXIT_OK
