"""``alliance-kg publish``: replace the named graphs of a SPARQL server with those of a release."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alliance_kg.cli._args import positive_seconds

NAME = "publish"
HELP = "Replace a SPARQL server's named graphs with a release's (SPARQL 1.1 Graph Store Protocol)."
DESCRIPTION = (
    "Read a release folder written by 'alliance-kg build' and replace each of its named graphs (ontology, facts, "
    "inferred, Wikidata enrichment) on a SPARQL server, with one HTTP PUT per graph to the server's Graph Store "
    "endpoint (Oxigraph server: http://HOST:PORT/store; Virtuoso: http://HOST:PORT/sparql-graph-crud-auth; "
    "Fuseki: http://HOST:PORT/DATASET/data). Project graphs the release does not hold are deleted; other graphs "
    "are left alone. With --query-url each graph is counted on the server afterwards. Credentials are read from "
    "the environment variables named by --user-env and --password-env (never from the command line) and are "
    "never printed. Then query the server with --store sparql:QUERY_URL. Exit 0 when every graph was replaced "
    "(and verified), 2 on any error, naming the graphs already replaced when it failed part of the way."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.allow_abbrev = False  # '--password SECRET' must be refused, not read as '--password-env SECRET'
    parser.add_argument("release", metavar="RELEASE_DIR", type=Path, help="the release folder (alliance-kg build)")
    parser.add_argument(
        "--graph-store",
        metavar="URL",
        required=True,
        help="the server's SPARQL 1.1 Graph Store endpoint (graphs are sent to URL?graph=IRI)",
    )
    parser.add_argument(
        "--query-url",
        metavar="URL",
        help="the server's SPARQL query endpoint, to count each graph afterwards (no check without it)",
    )
    parser.add_argument("--user-env", metavar="NAME", help="the environment variable that holds the user name")
    parser.add_argument("--password-env", metavar="NAME", help="the environment variable that holds the password")
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=positive_seconds,
        default=60.0,
        help="give up on a request that gets no answer for this long (default 60)",
    )


def run(args: argparse.Namespace) -> int:
    from alliance_kg.cli import EXIT_OK
    from alliance_kg.errors import ParameterError
    from alliance_kg.http import Credentials
    from alliance_kg.publish import publish

    credentials = None
    if (args.user_env is None) != (args.password_env is None):
        missing = "--password-env" if args.password_env is None else "--user-env"
        raise ParameterError(f"{missing} is needed too: give both --user-env and --password-env", parameter=missing)
    if args.user_env is not None:
        credentials = Credentials.from_environment(args.user_env, args.password_env)

    def progress(line: str) -> None:
        print(line, flush=True)

    result = publish(
        args.release,
        args.graph_store,
        query_url=args.query_url,
        credentials=credentials,
        timeout=args.timeout,
        progress=progress,
    )
    if result.verified:
        for graph in result.graphs:
            if graph.counted is not None:
                print(f"verified {graph.iri}: {graph.counted} triples on the server")
    else:
        print("not verified: give --query-url to count each graph on the server afterwards")
    for warning in result.warnings:
        print(f"alliance-kg publish: warning: {warning}", file=sys.stderr)
    return EXIT_OK
