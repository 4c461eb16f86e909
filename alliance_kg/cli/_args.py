"""Arguments several commands share, declared once so that they read and check the same everywhere."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from alliance_kg.knowledge_graph import KnowledgeGraph

__all__ = ["add_data_argument", "add_project_argument", "add_store_argument", "load_graph", "positive_seconds"]


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
    """``--data FILE [FILE ...]``: RDF files (any format of :data:`alliance_kg.store.RDF_FORMATS`, by extension)
    to use instead of the project's ``data/`` files.

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


def add_store_argument(parser: argparse.ArgumentParser, help: str, *, cached: bool = False) -> None:
    """``--store STORE``: ``memory``, ``oxigraph:PATH`` or ``sparql:URL`` (default: ``$ALLIANCE_KG_STORE``, else
    ``memory``, or with ``cached`` a store built once from the data files and reused: see :func:`load_graph`)."""
    default = "a store built once from the data files and reused" if cached else "memory"
    parser.add_argument(
        "--store",
        metavar="STORE",
        default=None,
        help=help + f" (memory, oxigraph:PATH or sparql:URL; default: $ALLIANCE_KG_STORE, else {default})",
    )


def load_graph(store: str | None, data: list[Path] | None, *, lang: str = "en") -> KnowledgeGraph:
    """The knowledge graph a read-only command runs on: the ``--store`` given (or ``$ALLIANCE_KG_STORE``), else
    an on-disk store built from the data files on the first run and reused while they are unchanged
    (:func:`alliance_kg.store_cache.cached_store`), so a cold query does not parse and reason again."""
    import os

    from alliance_kg.knowledge_graph import load
    from alliance_kg.store import ENV_STORE, parse_store_spec

    if store is None and not os.environ.get(ENV_STORE):
        from alliance_kg.store_cache import cached_store

        return load(store=f"oxigraph:{cached_store(data)}", lang=lang)
    return load(data, lang=lang, store=str(parse_store_spec(store)))


def add_project_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """``--project DIR``: the project folder to work on, instead of the current directory (see
    :mod:`alliance_kg.project`)."""
    parser.add_argument(
        "--project",
        metavar="DIR",
        type=Path,
        default=None,
        help=help + " (default: the current directory when it holds data/ and ontology/ or alliance-kg.toml)",
    )


def data_source(store: str | None, data: Sequence[Path] | None = None, files: Sequence[Path] = ()) -> str:
    """Where a read-only command's graph comes from, for its summary line: the files or the store given, else
    the project folder in use or the packaged data (:func:`alliance_kg.resources.data_source`)."""
    import os

    from alliance_kg import resources
    from alliance_kg.store import ENV_STORE

    given = [*files, *(data or ())]
    if given:
        names = ", ".join(str(path) for path in given[:3]) + (", ..." if len(given) > 3 else "")
        return f"the files given ({names})" + (f" with {resources.data_source()}" if files and data else "")
    spec = store if store is not None else os.environ.get(ENV_STORE)
    if spec and spec.strip() != "memory":
        return f"the store {spec.strip()}"
    return resources.data_source()


def add_data_source_note(parser: argparse.ArgumentParser) -> None:
    """Say in ``--help`` which data a read-only command reads when given no --data, FILE or --store."""
    from alliance_kg import resources

    note = (
        "Data: the project in the current folder (a folder with data/ and ontology/, or alliance-kg.toml) when "
        f"there is one, else the packaged data; here: {resources.data_source()}."
    )
    parser.epilog = f"{parser.epilog}\n\n{note}" if parser.epilog else note
