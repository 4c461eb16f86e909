"""An on-disk Oxigraph store written by ``alliance-kg build --store oxigraph:PATH``, replaced as a whole.

The store is filled in a new folder beside ``PATH`` (the same file system), flushed, closed and then renamed
into place, the previous store renamed aside first and deleted last: a reader never opens a half-filled store,
and a failed or interrupted build leaves the previous one as it was. A folder is replaced only when it is
empty or holds a store alliance-kg wrote (it then holds :data:`MARKER`), so ``--store oxigraph:.`` can never
wipe a folder of other files.

The store keeps each named graph apart (ontology, facts, inferred, and the Wikidata enrichment when there is
one); ``alliance-kg query``, ``export``, ``serve`` and ``validate --store oxigraph:PATH`` open it read-only,
with nothing parsed or reasoned again.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from alliance_kg.errors import BuildError

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = ["MARKER", "is_store_folder", "write_store"]

#: The file alliance-kg writes into every store folder it fills (what the store holds, by which version).
MARKER: Final = "alliance-kg-store.json"


def is_store_folder(path: Path) -> bool:
    """Whether ``path`` is a store folder that alliance-kg wrote (it may then be replaced by a new build)."""
    marker = path / MARKER
    try:
        document = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(document, dict) and document.get("format") == "oxigraph"


def _check_replaceable(path: Path) -> None:
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise BuildError(f"{path} exists and is not a folder; not replacing it with a store")
    if path.is_dir() and any(path.iterdir()) and not is_store_folder(path):
        raise BuildError(
            f"{path} is not a store alliance-kg built (no {MARKER}); a build replaces its store folder as a "
            "whole, so give a new or empty folder, or a previous store"
        )


def write_store(
    path: str | Path,
    graphs: Mapping[str, Iterable[tuple[Node, Node, Node]]],
    *,
    about: Mapping[str, Any] | None = None,
) -> Path:
    """Fill a new on-disk Oxigraph store with ``graphs`` (name -> triples) and put it at ``path``.

    ``about`` is recorded in the store's :data:`MARKER` file (with the number of triples of each graph).
    Raises :class:`~alliance_kg.errors.BuildError` when ``path`` is something else than a previous store or
    cannot be written; the previous store is then left as it was.
    """
    from alliance_kg.build import _swap_in, _umasked
    from alliance_kg.store_oxigraph import OxigraphStore

    target = Path(path).absolute()
    _check_replaceable(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    except OSError as error:
        raise BuildError(f"cannot write the store to {target}: {error}") from error
    try:
        temp.chmod(_umasked(0o755))
        counts: dict[str, int] = {}
        with OxigraphStore(temp) as store:
            for name, triples in graphs.items():
                store.add(name, triples)
                counts[name] = store.count(name)
            store.optimize()
        document = {"format": "oxigraph", **dict(about or {}), "graphs": counts}
        (temp / MARKER).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        _swap_in(temp, target)
    except OSError as error:
        raise BuildError(f"cannot write the store to {target}: {error}") from error
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
    return target
