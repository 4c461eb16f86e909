"""Built stores kept between runs: ``alliance-kg query`` opens one instead of parsing and reasoning every time.

With no ``--store`` (and no ``ALLIANCE_KG_STORE``), the commands that only read the graph (``query``, ``serve``)
run on an on-disk Oxigraph store built from the same files, the same way the in-memory graph is built
(:func:`alliance_kg.knowledge_graph.load`: the same parse and the same OWL-RL inferences). The store is built on
the first run and reused as long as the files are unchanged (their paths, sizes and modification times, and
the alliance-kg version, make its key), so a cold query costs an open and a query, not a parse and a reasoning.

The stores live in ``$ALLIANCE_KG_STORE_CACHE``, else in the user cache folder (``~/.cache/alliance-kg/stores``
on Linux); each is written beside its final place and swapped in whole (:func:`alliance_kg.atomic.replacing_folder`),
so a reader never opens a half-built one, and only the most recent few are kept. Delete the folder at any time:
it is rebuilt when needed. ``--store memory`` skips it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

__all__ = ["ENV_STORE_CACHE", "KEEP", "cached_store", "store_cache_dir", "user_cache_dir"]

#: The environment variable that names the folder of the cached stores.
ENV_STORE_CACHE: Final = "ALLIANCE_KG_STORE_CACHE"

#: How many cached stores are kept (the most recently used).
KEEP: Final = 4


def user_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The user's cache folder + ``alliance-kg``: ``$XDG_CACHE_HOME`` or ``~/.cache`` (Linux and others),
    ``~/Library/Caches`` (macOS) or ``%LOCALAPPDATA%`` (Windows)."""
    environ = os.environ if environ is None else environ
    if sys.platform == "win32" and environ.get("LOCALAPPDATA"):
        base = Path(environ["LOCALAPPDATA"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "alliance-kg"


def store_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the built stores are kept: ``$ALLIANCE_KG_STORE_CACHE``, else :func:`user_cache_dir` + ``stores``."""
    environ = os.environ if environ is None else environ
    if environ.get(ENV_STORE_CACHE):
        return Path(environ[ENV_STORE_CACHE])
    return user_cache_dir(environ) / "stores"


def cached_store(
    paths: Iterable[str | Path] | None = None, *, ontology_paths: Iterable[str | Path] | None = None
) -> Path:
    """The folder of a built on-disk store of these files (the packaged ones when None), built if needed."""
    from alliance_kg import __version__
    from alliance_kg.atomic import replacing_folder
    from alliance_kg.knowledge_graph import _build, _input_key
    from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY
    from alliance_kg.store_oxigraph import OxigraphStore
    from alliance_kg.store_release import MARKER, is_store_folder

    ontology_files = None if ontology_paths is None else [Path(p) for p in ontology_paths]
    data_files = None if paths is None else [Path(p) for p in paths]
    key = _input_key(ontology_files, data_files, reasoning=True)
    digest = hashlib.sha256(json.dumps([__version__, key]).encode("utf-8")).hexdigest()[:20]
    root = store_cache_dir()
    path = root / digest
    if is_store_folder(path):
        path.touch()  # most recently used
        return path
    built = _build(ontology_files, data_files, True)
    with replacing_folder(path) as temp:
        with OxigraphStore(temp) as store:
            for name, graph in (
                (GRAPH_ONTOLOGY, built.ontology),
                (GRAPH_FACTS, built.facts),
                (GRAPH_INFERRED, built.inferred),
            ):
                store.add(name, graph)
        document = {"format": "oxigraph", "version": __version__, "cache_key": key}
        (temp / MARKER).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    _prune(root, keep=path)
    return path


def _prune(root: Path, *, keep: Path) -> None:
    """Delete all but the :data:`KEEP` most recently used stores (only folders alliance-kg wrote)."""
    from alliance_kg.store_release import is_store_folder

    stores = sorted(
        (p for p in root.iterdir() if p != keep and is_store_folder(p)), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in stores[KEEP - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
