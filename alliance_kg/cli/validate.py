"""``alliance-kg validate``: check data against the shapes and for OWL-RL consistency."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

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
    from alliance_kg.validation import validate

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

    if args.format == "json":
        document = {
            "conforms": report.conforms,
            "consistent": not reasoning.inconsistencies,
            "results": [violation.as_dict() for violation in report.results],
            "inconsistencies": [
                {"kind": item.kind, "resources": list(item.resources), "message": item.message}
                for item in reasoning.inconsistencies
            ],
        }
        print(json.dumps(document, indent=2))
    else:
        print(report.render())
        if reasoning.inconsistencies:
            print()
            print(f"Consistent: no ({len(reasoning.inconsistencies)} inconsistencies)")
            for item in reasoning.inconsistencies:
                print(f"Inconsistency: {item.message}")
        else:
            print("Consistent: yes")
    return EXIT_OK if ok else EXIT_FAILED
