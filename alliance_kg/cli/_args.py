"""Arguments several commands share, declared once so that they read and check the same everywhere."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

__all__ = ["add_data_argument", "add_store_argument", "positive_seconds"]


def positive_seconds(text: str) -> float:
    """An argparse type: a finite number of seconds above zero (``nan`` and ``inf`` are refused)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"give a number of seconds above zero, not {text!r}")
    return value


def add_data_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """``--data FILE [FILE ...]``: Turtle files to use instead of the project's ``data/`` files.

    It takes every following word until the next option, so a positional argument goes before it.
    """
    parser.add_argument(
        "--data",
        metavar="FILE",
        type=Path,
        nargs="+",
        default=None,
        help=help + " (takes every file up to the next option: put a query NAME before it)",
    )


def add_store_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """``--store STORE``: ``memory``, ``oxigraph:PATH`` or ``sparql:URL`` (default: ``$ALLIANCE_KG_STORE``, else
    ``memory``)."""
    parser.add_argument(
        "--store",
        metavar="STORE",
        default=None,
        help=help + " (memory, oxigraph:PATH or sparql:URL; default: $ALLIANCE_KG_STORE, else memory)",
    )
