"""``alliance-kg validate``: check data against the shapes and for OWL-RL consistency."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from alliance_kg.cli._args import add_data_source_note, add_store_argument, data_source

if TYPE_CHECKING:
    from alliance_kg.reasoning import Inconsistency
    from alliance_kg.store import Store
    from alliance_kg.validation import ValidationReport

NAME = "validate"
HELP = "Check data against the SHACL shapes and for OWL-RL consistency."
DESCRIPTION = (
    "Validate RDF files (default: the project's data), or what a built store holds (--store), against the "
    "project's SHACL shapes, with the ontology as data, and check them for OWL-RL inconsistencies. The shapes "
    "run as one SPARQL query per constraint on an Oxigraph store (the same results as pySHACL, much faster). "
    "Exit 0 if they conform and are consistent, 1 if not, 2 on error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_source_note(parser)
    parser.add_argument(
        "files",
        metavar="FILE",
        type=Path,
        nargs="*",
        help="RDF files to validate instead of the project's data (Turtle, N-Triples, N-Quads, TriG, RDF/XML or "
        "JSON-LD, by extension: .ttl, .nt, .nq, .trig, "
        ".rdf/.owl/.xml, .jsonld/.json; named graphs are merged)",
    )
    parser.add_argument(
        "--with-data",
        action="store_true",
        help="validate the FILEs together with the project's data, so that they can refer to its entities "
        "(e.g. id:manufacturer/nissan)",
    )
    add_store_argument(parser, "validate what a built store holds (oxigraph:PATH or sparql:URL) instead of files")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default) or json for machines",
    )


def run(args: argparse.Namespace) -> int:
    from alliance_kg import resources
    from alliance_kg.cli import EXIT_FAILED, EXIT_OK
    from alliance_kg.inference import inconsistencies
    from alliance_kg.loading import parse_files
    from alliance_kg.namespaces import ASSERTED_GRAPHS
    from alliance_kg.shacl_sparql import validate_store
    from alliance_kg.store import open_store, parse_store_spec

    spec = parse_store_spec(args.store)
    if spec.kind != "memory" and args.files:
        from alliance_kg.errors import ParameterError

        raise ParameterError(f"give FILEs or --store {spec}, not both", parameter="store")
    shapes = parse_files(resources.shape_files())
    store = open_store(spec) if spec.kind != "memory" else _scratch_store(args.files, args.with_data)
    try:
        report = validate_store(store, shapes, graph=ASSERTED_GRAPHS, allow_warnings=True)
        found = inconsistencies(store)
    finally:
        store.close()
    source = data_source(args.store, files=args.files)
    if args.files and args.with_data:
        source += f" with {resources.data_source()}"
    _print(report, found, args.format, source)
    return EXIT_OK if report.conforms and not found else EXIT_FAILED


def _scratch_store(files: list[Path], with_data: bool) -> Store:
    """An in-memory Oxigraph store of the ontology and the facts to validate (the FILEs, the project's data or
    both), with the OWL-RL inferences the consistency checks read."""
    from alliance_kg.claims import reconcile
    from alliance_kg.inference import materialise
    from alliance_kg.loading import load_project
    from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_ONTOLOGY
    from alliance_kg.store_oxigraph import OxigraphStore

    store = OxigraphStore()
    project = load_project(reconcile=False)  # the claims of the project and of the FILEs are reconciled together
    store.add(GRAPH_ONTOLOGY, project.ontology)
    if not files or with_data:
        store.add(GRAPH_FACTS, project.facts)
    for path in files:
        store.load(path, GRAPH_FACTS)
    reconcile(store)
    materialise(store)
    return store


def _print(report: ValidationReport, found: Sequence[Inconsistency], fmt: str, source: str) -> None:
    """The verdicts, for people (text) or machines (json), and what was validated (``source``)."""
    if fmt == "json":
        document = {
            "data": source,
            "conforms": report.conforms,
            "consistent": not found,
            "results": [violation.as_dict() for violation in report.results],
            "inconsistencies": [
                {"kind": item.kind, "resources": list(item.resources), "message": item.message} for item in found
            ],
        }
        print(json.dumps(document, indent=2))
        return
    print(f"Data: {source}")
    print(report.render())
    if found:
        print()
        print(f"Consistent: no ({len(found)} inconsistencies)")
        for item in found:
            print(f"Inconsistency: {item.message}")
    else:
        print("Consistent: yes")
