"""``alliance-kg synth``: write a synthetic industry graph, for benchmarks."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

NAME = "synth"
HELP = "Write a synthetic industry graph of about N triples (for benchmarks), the same for the same seed."
DESCRIPTION = (
    "Write a deterministic, realistic and entirely invented industry graph in the alliance-kg ontology: "
    "manufacturers, alliances, plants in real countries, model lines with variants and derivatives, OEM supplies "
    "in both directions with production and sales dates at mixed precision, markets, statuses, and the news "
    "articles and publishers they come from. The facts sources can disagree on are claims of one to three sources "
    "each (some agreeing at different precisions, a few conflicting), which the build reconciles. Everything lives "
    "under https://w3id.org/alliance-kg/id/synth/ and is derived from a synthetic source document that says so; "
    "there are no Wikidata links. Reconciled, it conforms to the project's shapes and is consistent. The file "
    "(N-Triples for .nt, Turtle for .ttl) is written atomically. Exit 0 on success, 2 on error."
)

# Kept here (not imported from alliance_kg.synth) so that --help stays light; a test checks they agree.
MIN_TRIPLES = 1000
MAX_TRIPLES = 100_000_000
_SIZE = re.compile(r"(\d[\d_]*)([kKmM]?)")


def triple_count(text: str) -> int:
    """An argparse type: a number of triples such as ``20000``, ``20_000``, ``20k`` or ``1M``."""
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"not a number of triples: {text!r} (write e.g. 20000, 20k or 1M)")
    value = int(match.group(1).replace("_", "")) * {"": 1, "k": 1000, "m": 1_000_000}[match.group(2).lower()]
    if not MIN_TRIPLES <= value <= MAX_TRIPLES:
        raise argparse.ArgumentTypeError(f"give between {MIN_TRIPLES} and {MAX_TRIPLES} triples, not {text!r}")
    return value


def seed(text: str) -> int:
    """An argparse type: an integer seed, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"give a seed of 0 or more, not {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--triples",
        metavar="N",
        type=triple_count,
        required=True,
        help=f"about how many triples to write ({MIN_TRIPLES} to {MAX_TRIPLES}; 20k and 1M are understood)",
    )
    parser.add_argument("--seed", metavar="S", type=seed, default=0, help="random seed, 0 or more (default: 0)")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        required=True,
        help="file to write: .nt for N-Triples, .ttl for Turtle",
    )


def run(args: argparse.Namespace) -> int:
    from alliance_kg.cli import EXIT_OK
    from alliance_kg.errors import ParameterError
    from alliance_kg.synth import format_for, write_synth

    try:
        format_for(args.output)
    except ParameterError as error:
        raise ParameterError(f"-o/--output: {error.message}", parameter="output") from None
    result = write_synth(args.output, triples=args.triples, seed=args.seed)
    print(f"wrote {result.path}: {result.triples} triples, {result.bytes} bytes ({result.format}, seed {args.seed})")
    return EXIT_OK
