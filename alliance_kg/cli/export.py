"""``alliance-kg export``: write a projection of the graph as a file for Gephi, Cytoscape, a browser or a slide."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from alliance_kg.cli._args import add_data_argument, add_data_source_note, add_store_argument, data_source

if TYPE_CHECKING:
    import networkx as nx

NAME = "export"
HELP = "Write a view of the graph as GraphML, GEXF, JSON, CSV, a picture, a timeline or an HTML viewer."
DESCRIPTION = (
    "Project the graph onto a view and write it to a file, atomically. Views: rdf (every triple, lossless), "
    "entities (things and the links between them), supply (manufacturers, one edge per OEM supply), footprint "
    "(plants -> markets and countries). Formats: graphml, gexf (with time spells for Gephi's timeline), json "
    "(networkx node-link), cyjs (Cytoscape.js), csv (FILE-nodes.csv and FILE-edges.csv), png, svg, html (an "
    "interactive viewer in one file), and timeline (the supplies' production and sales windows; png or svg "
    "from the file name). Exit 0 on success, 2 on error."
)

# Kept here (not imported from alliance_kg.export) so that --help imports nothing heavy; a test checks they agree.
VIEW_NAMES = ("rdf", "entities", "supply", "footprint")
FORMAT_NAMES = ("graphml", "gexf", "json", "cyjs", "csv", "png", "svg", "html", "timeline")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_source_note(parser)
    parser.add_argument("--view", default="supply", help=f"one of {', '.join(VIEW_NAMES)} (default: supply)")
    parser.add_argument(
        "--format",
        default=None,
        help=f"one of {', '.join(FORMAT_NAMES)} (default: from the file name's extension)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, required=True, help="file to write")
    parser.add_argument(
        "--inferred",
        action="store_true",
        help="include the OWL-RL inferences (entities and rdf views; edges marked inferred=true)",
    )
    parser.add_argument("--lang", default="en", help="language of the labels: en (default) or fr")
    add_data_argument(
        parser,
        "RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML or JSON-LD, by extension) "
        "to use instead of the project's data/ files (the ontology is still loaded)",
    )
    add_store_argument(parser, "the store to export from (a built on-disk store or a SPARQL server: nothing is parsed)")


def _format(args: argparse.Namespace) -> str:
    from alliance_kg.errors import ParameterError

    if args.format is not None:
        chosen = str(args.format)
    else:
        suffix = args.output.suffix.lower().lstrip(".")
        chosen = {"xml": "graphml", "htm": "html"}.get(suffix, suffix)
        if not chosen:
            raise ParameterError("cannot tell the format from the file name: give --format", parameter="format")
    if chosen not in FORMAT_NAMES:
        raise ParameterError(f"unknown format {chosen!r} (use one of {', '.join(FORMAT_NAMES)})", parameter="format")
    return chosen


def run(args: argparse.Namespace) -> int:
    from rdflib import Graph

    from alliance_kg.cli import EXIT_OK
    from alliance_kg.errors import InputError, ParameterError
    from alliance_kg.export.projections import LANGUAGES, to_networkx, to_networkx_from_store
    from alliance_kg.loading import load_project
    from alliance_kg.store import parse_store_spec

    format = _format(args)
    if args.view not in VIEW_NAMES:
        raise ParameterError(f"unknown view {args.view!r} (use one of {', '.join(VIEW_NAMES)})", parameter="view")
    if args.lang not in LANGUAGES:
        raise ParameterError(f"unknown language {args.lang!r} (use one of {', '.join(LANGUAGES)})", parameter="lang")
    output: Path = args.output
    if output.is_dir():
        raise InputError("is a directory; give a file name", path=output)
    if not output.parent.is_dir():
        raise InputError("the folder to write into does not exist", path=output.parent)
    if format == "timeline":
        picture = output.suffix.lower().lstrip(".") or "png"
        if picture not in {"png", "svg"}:
            raise ParameterError("a timeline is a .png or .svg file", parameter="format")
        if args.view != "supply":
            raise ParameterError("the timeline shows the supply view; drop --view", parameter="view")

    spec = parse_store_spec(args.store)
    view = "supply" if format == "timeline" else args.view
    if spec.kind != "memory":
        if args.data:
            raise ParameterError(f"--data cannot be used with the built store {spec}", parameter="data")
        from alliance_kg.store import open_store

        store = open_store(spec)
        try:  # the view's queries run in the store: nothing is copied out of it (but for the rdf view)
            projection = to_networkx_from_store(store, view, inferred=args.inferred, lang=args.lang)
        finally:
            store.close()
    else:
        project = load_project(data_paths=args.data)
        asserted = Graph()
        for part in (project.ontology, project.facts):
            for triple in part:
                asserted.add(triple)
        inferred = None
        if args.inferred and view in ("entities", "rdf"):  # the other views show what is stated
            from alliance_kg.engine import check

            inferred = check(project.ontology, project.facts).inferred
        projection = to_networkx(asserted, view, inferred=inferred, lang=args.lang)

    for path in _write(projection, output, format):
        print(f"wrote {path}")
    print(f"data: {data_source(args.store, args.data)}")
    return EXIT_OK


def _write(projection: nx.MultiDiGraph[str], output: Path, format: str) -> list[Path]:
    """Write ``projection`` (a timeline: the supply view drawn as a png or svg) and say what was written."""
    from alliance_kg.export.formats import atomic_write, write

    if format == "timeline":
        from alliance_kg.export.timeline import draw_timeline

        picture = output.suffix.lower().lstrip(".") or "png"
        return [atomic_write(output, draw_timeline(projection, format=picture))]
    written = write(projection, output, format)
    view = projection.graph.get("view", "")
    print(f"{view} view: {projection.number_of_nodes()} nodes, {projection.number_of_edges()} edges")
    return written
