"""Which folders an on-disk store built by ``alliance-kg build --store oxigraph:PATH`` may replace, and whether
one is damaged.

:mod:`alliance_kg.pipeline` fills the store in a new folder beside ``PATH`` and swaps it in whole
(:func:`alliance_kg.atomic.replacing_folder`): a reader never opens a half-filled store, and a failed or
interrupted build leaves the previous one as it was. A folder is replaced only when it is empty or holds a
store alliance-kg wrote (it then holds :data:`MARKER`), so ``--store oxigraph:.`` can never wipe a folder of
other files. A damaged store of alliance-kg's (its marker overwritten, but nothing in the folder other than the
marker and RocksDB's own files) may be replaced too, so that the rebuild the error message advises works.

The store keeps each named graph apart (ontology, facts, inferred, and the Wikidata enrichment when there is
one); ``alliance-kg query``, ``export``, ``serve`` and ``validate --store oxigraph:PATH`` open it read-only,
with nothing parsed or reasoned again. Before that, :func:`check_store` looks for the damage a crash, a full disk
or a stray write leaves (a marker that is not one, RocksDB's ``CURRENT`` file missing), and
:func:`damaged_store` turns what RocksDB itself finds (a checksum that does not match, a file of the wrong
size) into one clear message naming the folder and how to rebuild it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final

from alliance_kg.errors import BuildError, InputError, QueryError

__all__ = [
    "MARKER",
    "check_replaceable",
    "check_store",
    "damaged_store",
    "failed_query",
    "is_store_folder",
    "marker_problem",
    "read_marker",
    "rebuild_advice",
]

#: The file alliance-kg writes into every store folder it fills (what the store holds, by which version).
MARKER: Final = "alliance-kg-store.json"

#: The names of the files RocksDB (Oxigraph's storage) keeps in a store folder.
_ROCKSDB_FILE: Final = re.compile(
    r"^(CURRENT|IDENTITY|LOCK|LOG(\.old\.[0-9]+)?|MANIFEST-[0-9]+|OPTIONS-[0-9]+|[0-9]+\.(sst|log|blob))$"
)


def read_marker(path: Path) -> dict[str, Any] | None:
    """The marker of store folder ``path`` as a mapping; None when it is absent, unreadable or not a marker."""
    try:
        document = json.loads((path / MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if isinstance(document, dict) and document.get("format") == "oxigraph":
        return document
    return None


def marker_problem(path: Path) -> str | None:
    """What is wrong with the marker of store folder ``path``: None when it is a marker or there is none."""
    marker = path / MARKER
    if not marker.exists() and not marker.is_symlink():
        return None
    try:
        document = json.loads(marker.read_text(encoding="utf-8"))
    except OSError as error:
        return f"{MARKER} cannot be read ({error.strerror or error})"
    except (UnicodeDecodeError, ValueError):
        return f"{MARKER} is not the JSON alliance-kg wrote"
    if not isinstance(document, dict) or document.get("format") != "oxigraph":
        return f"{MARKER} does not describe an Oxigraph store"
    return None


def is_store_folder(path: Path) -> bool:
    """Whether ``path`` is a store folder that alliance-kg wrote (it may then be replaced by a new build)."""
    return read_marker(path) is not None


def _is_damaged_store(path: Path) -> bool:
    """A store alliance-kg wrote whose marker is damaged: the marker file and RocksDB's files, nothing else."""
    try:
        names = [entry.name for entry in path.iterdir()]
    except OSError:
        return False
    return MARKER in names and "CURRENT" in names and all(n == MARKER or _ROCKSDB_FILE.match(n) for n in names)


def check_replaceable(path: Path) -> None:
    """Raise :class:`~alliance_kg.errors.BuildError` unless ``path`` is missing, empty or a store alliance-kg wrote
    (damaged or not)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise BuildError(f"{path} exists and is not a folder; not replacing it with a store")
    if path.is_dir() and any(path.iterdir()) and not is_store_folder(path) and not _is_damaged_store(path):
        raise BuildError(
            f"{path} is not a store alliance-kg built (no {MARKER}); a build replaces its store folder as a "
            "whole, so give a new or empty folder, or a previous store"
        )


def rebuild_advice(path: Path) -> str:
    """How to get a sound store at ``path`` again: a cached store is deleted (and rebuilt by the next run), a
    user's store is built again."""
    from alliance_kg.store_cache import store_cache_dir

    try:
        cached = path.absolute().parent == store_cache_dir().absolute()
    except OSError:
        cached = False
    if cached:
        return f"delete it (rm -r {path}): it is a cached store, rebuilt by the next run"
    return f"rebuild it with: alliance-kg build --store oxigraph:{path}"


def damaged_store(path: Path, reason: object) -> InputError:
    """The error for the store at ``path`` that RocksDB (or :func:`check_store`) found damaged: one line, naming
    the folder, what is wrong and how to rebuild it."""
    detail = " ".join(str(reason).split())
    if len(detail) > 300:
        detail = detail[:299] + "…"
    return InputError(f"the Oxigraph store is damaged ({detail}); {rebuild_advice(path)}", path=path)


def check_store(path: Path) -> None:
    """Raise :func:`damaged_store`'s error when the store folder ``path`` is visibly damaged: its marker is not
    one, or RocksDB's ``CURRENT`` file (which names the store's current state) is missing or empty. A folder that
    is not a store at all is left to the caller."""
    problem = marker_problem(path)
    if problem is not None:
        raise damaged_store(path, problem)
    current = path / "CURRENT"
    try:
        if current.stat().st_size == 0:
            raise damaged_store(path, "RocksDB's CURRENT file is empty")
    except FileNotFoundError:
        try:
            rocksdb = any(_ROCKSDB_FILE.match(entry.name) for entry in path.iterdir())
        except OSError:
            return
        if rocksdb or (path / MARKER).exists():
            raise damaged_store(path, "RocksDB's CURRENT file is missing") from None
    except OSError:
        return


def failed_query(error: Exception) -> QueryError:
    """The error of a query that Oxigraph could not run: RocksDB's ``Corruption`` (a :class:`RuntimeError`, found
    when a damaged block is read) says the store is damaged and how to get a sound one again."""
    message = " ".join(str(error).split())
    if isinstance(error, RuntimeError) or "Corruption" in message:
        return QueryError(
            f"query failed: the Oxigraph store is damaged ({message}); rebuild it with alliance-kg build --store "
            "oxigraph:PATH (a cached store: delete it, the next run rebuilds it)"
        )
    return QueryError(f"query failed: {message}")
