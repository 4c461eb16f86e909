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

A cached store is the product's, not the user's, so damage is repaired, not reported as an error: its marker
records the size and modification time of every file the store was built with, and a store whose files no longer
match (truncated, overwritten, deleted), whose marker is not one, or that RocksDB refuses to open, is reported in
one line on stderr (the ``alliance_kg`` logger) and built again. The temporaries a killed build left behind are
removed by the next run (:func:`alliance_kg.atomic.sweep_stale`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from alliance_kg.errors import InputError

__all__ = ["ENV_STORE_CACHE", "KEEP", "cached_store", "damage", "fingerprint", "store_cache_dir", "user_cache_dir"]

#: The environment variable that names the folder of the cached stores.
ENV_STORE_CACHE: Final = "ALLIANCE_KG_STORE_CACHE"

#: How many cached stores are kept (the most recently used).
KEEP: Final = 4

_log = logging.getLogger("alliance_kg")

#: Files of a store folder that change when it is only opened, or are not the store's data.
_UNSTABLE: Final = ("LOCK", "LOG")


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
    from alliance_kg.store_release import MARKER

    ontology_files = None if ontology_paths is None else [Path(p) for p in ontology_paths]
    data_files = None if paths is None else [Path(p) for p in paths]
    key = _input_key(ontology_files, data_files, reasoning=True)
    digest = hashlib.sha256(json.dumps([__version__, key]).encode("utf-8")).hexdigest()[:20]
    root = store_cache_dir()
    path = root / digest
    if root.is_dir():
        from alliance_kg.atomic import sweep_stale

        sweep_stale(root)
    if path.exists() or path.is_symlink():
        problem = damage(path)
        if problem is None:
            path.touch()  # most recently used
            return path
        _log.warning("alliance-kg: the cached store %s is damaged (%s); building it again", path, problem)
        if path.is_symlink() or not path.is_dir():
            path.unlink(missing_ok=True)  # a folder is swapped over below
    built = _build(ontology_files, data_files, True)
    try:
        with replacing_folder(path) as temp:
            with OxigraphStore(temp) as store:
                for name, graph in (
                    (GRAPH_ONTOLOGY, built.ontology),
                    (GRAPH_FACTS, built.facts),
                    (GRAPH_INFERRED, built.inferred),
                ):
                    store.add(name, graph)
            document = {"format": "oxigraph", "version": __version__, "cache_key": key, "files": fingerprint(temp)}
            (temp / MARKER).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except (OSError, RuntimeError) as error:  # RuntimeError: RocksDB's own write errors
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise InputError(
            f"cannot write the cached store ({reason}); free some space, set {ENV_STORE_CACHE} to another folder, "
            "or use --store memory",
            path=path,
        ) from None
    _prune(root, keep=path)
    return path


def fingerprint(folder: Path) -> dict[str, list[int]]:
    """The size and modification time (ns) of each file of the store in ``folder`` (not the marker, the lock or
    RocksDB's own log, which an open may touch)."""
    from alliance_kg.store_release import MARKER

    found: dict[str, list[int]] = {}
    for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
        if entry.name == MARKER or entry.name.startswith(_UNSTABLE) or not entry.is_file(follow_symlinks=False):
            continue
        status = entry.stat(follow_symlinks=False)
        found[entry.name] = [status.st_size, status.st_mtime_ns]
    return found


def damage(path: Path) -> str | None:
    """What is wrong with the cached store ``path`` (None when nothing is): a marker that is not one, files that
    changed since the build (truncated, overwritten, deleted), or, for a store without the files' fingerprint in
    its marker, a store RocksDB refuses to open. It costs a few ``stat`` calls, not an open."""
    import pyoxigraph as ox

    from alliance_kg.store_release import MARKER, marker_problem, read_marker

    if path.is_symlink() or not path.is_dir():
        return "not a folder"
    document: dict[str, Any] | None = read_marker(path)
    if document is None:
        return marker_problem(path) or f"no {MARKER}"
    expected = document.get("files")
    if expected is not None:
        try:
            actual = fingerprint(path)
        except OSError as error:
            return f"cannot be read: {error.strerror or error}"
        if actual != expected:
            changed = sorted(set(actual).symmetric_difference(expected)) or sorted(
                name for name in actual if actual[name] != expected.get(name)
            )
            shown = ", ".join(changed[:3]) + (", ..." if len(changed) > 3 else "")
            return f"files changed since it was built: {shown}"
        return None  # a damaged block the files' sizes and times do not show: RocksDB says so when it reads it
    try:  # a store cached by an earlier version, without the files' fingerprint
        store = ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as error:
        detail = " ".join(str(error).split())
        return detail if len(detail) <= 200 else detail[:199] + "…"
    del store
    return None


def _prune(root: Path, *, keep: Path) -> None:
    """Delete all but the :data:`KEEP` most recently used stores (only folders alliance-kg wrote)."""
    from alliance_kg.store_release import is_store_folder

    stores = sorted(
        (p for p in root.iterdir() if p != keep and is_store_folder(p)), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in stores[KEEP - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
