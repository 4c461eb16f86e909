"""``alliance-kg queries``: list the named queries, with what they answer and their parameters."""

from __future__ import annotations

import argparse
import json
import textwrap

NAME = "queries"
HELP = "List the named queries, with what they answer and their parameters."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default) or json for machines",
    )


def run(args: argparse.Namespace) -> int:
    from alliance_kg.cli import EXIT_OK
    from alliance_kg.knowledge_graph import queries

    library = queries()
    if args.format == "json":
        document = [
            {
                "name": query.name,
                "title": query.title,
                "description": query.description,
                "form": query.form,
                "federated": query.federated,
                "parameters": [
                    {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                    for p in query.parameters
                ],
            }
            for query in library.values()
        ]
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return EXIT_OK
    for query in library.values():
        federated = ", federated: needs --allow-service" if query.federated else ""
        print(f"{query.name}  ({query.form}{federated})")
        print(f"  {query.title}")
        for line in textwrap.wrap(query.description, width=96):
            print(f"    {line}")
        for p in query.parameters:
            default = f" = {p.default}" if p.default is not None else " (required)"
            about = f"  -- {p.description}" if p.description else ""
            print(f"    --param {p.name}=<{p.type}>{default}{about}")
        print()
    print(f"{len(library)} queries. Run one with: alliance-kg query NAME [--param NAME=VALUE ...]")
    return EXIT_OK
