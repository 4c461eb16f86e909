"""``alliance-kg validate``: check data against the shapes and for OWL-RL consistency."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from alliance_kg.cli._args import add_store_argument

if TYPE_CHECKING:
    from alliance_kg.reasoning import Inconsistency
    from alliance_kg.validation import ValidationReport

NAME = "validate"
HELP = "Check data against the SHACL shapes and for OWL-RL consistency."
DESCRIPTION = (
    "Validate Turtle files (default: the project's data) against the project's SHACL "
    "shapes, with the ontology as data, and check them for OWL-RL inconsistencies. "
    "Exit 0 if they conform and are consistent, 1 if not, 2 on error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        metavar="FILE",
        type=Path,
        nargs="*",
        help="Turtle or N-Triples files to validate instead of the project's data",
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
    from rdflib import Graph

    from alliance_kg import resources
    from alliance_kg.cli import EXIT_FAILED, EXIT_OK
    from alliance_kg.loading import load_project, parse_files
    from alliance_kg.reasoning import reason
    from alliance_kg.store import parse_store_spec
    from alliance_kg.validation import validate

    spec = parse_store_spec(args.store)
    if spec.kind != "memory":
        if args.files:
            from alliance_kg.errors import ParameterError

            raise ParameterError(f"give FILEs or --store {spec}, not both", parameter="store")
        return _validate_store(spec, args.format)
    if args.files:
        ontology = parse_files(resources.ontology_files())
        shapes = parse_files(resources.shape_files())
        facts = parse_files(args.files)
        if args.with_data:
            facts = Graph() + facts + load_project().facts
    else:
        project = load_project()
        ontology, shapes, facts = project.ontology, project.shapes, project.facts

    report = validate(facts, shapes=shapes, ontology=ontology)
    reasoning = reason(Graph() + ontology + facts)
    ok = report.conforms and not reasoning.inconsistencies

    _print(report, reasoning.inconsistencies, args.format)
    return EXIT_OK if ok else EXIT_FAILED


def _validate_store(spec: object, fmt: str) -> int:
    """Validate the facts a built store holds, with its ontology, against the project's shapes."""
    from alliance_kg import resources
    from alliance_kg.cli import EXIT_FAILED, EXIT_OK
    from alliance_kg.inference import inconsistencies
    from alliance_kg.loading import parse_files
    from alliance_kg.shacl_sparql import validate_store
    from alliance_kg.store import StoreSpec, open_store

    assert isinstance(spec, StoreSpec)
    shapes = parse_files(resources.shape_files())
    store = open_store(spec)
    try:
        report = validate_store(store, shapes)
        found = inconsistencies(store)
    finally:
        store.close()
    _print(report, found, fmt)
    return EXIT_OK if report.conforms and not found else EXIT_FAILED


def _print(report: ValidationReport, found: Sequence[Inconsistency], fmt: str) -> None:
    """The verdicts, for people (text) or machines (json)."""
    if fmt == "json":
        document = {
            "conforms": report.conforms,
            "consistent": not found,
            "results": [violation.as_dict() for violation in report.results],
            "inconsistencies": [
                {"kind": item.kind, "resources": list(item.resources), "message": item.message} for item in found
            ],
        }
        print(json.dumps(document, indent=2))
        return
    print(report.render())
    if found:
        print()
        print(f"Consistent: no ({len(found)} inconsistencies)")
        for item in found:
            print(f"Inconsistency: {item.message}")
    else:
        print("Consistent: yes")
