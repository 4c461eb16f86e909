"""Which folders an on-disk store built by ``alliance-kg build --store oxigraph:PATH`` may replace.

:mod:`alliance_kg.pipeline` fills the store in a new folder beside ``PATH`` and swaps it in whole
(:func:`alliance_kg.atomic.replacing_folder`): a reader never opens a half-filled store, and a failed or
interrupted build leaves the previous one as it was. A folder is replaced only when it is empty or holds a
store alliance-kg wrote (it then holds :data:`MARKER`), so ``--store oxigraph:.`` can never wipe a folder of
other files.

The store keeps each named graph apart (ontology, facts, inferred, and the Wikidata enrichment when there is
one); ``alliance-kg query``, ``export``, ``serve`` and ``validate --store oxigraph:PATH`` open it read-only,
with nothing parsed or reasoned again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from alliance_kg.errors import BuildError

__all__ = ["MARKER", "check_replaceable", "is_store_folder"]

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


def check_replaceable(path: Path) -> None:
    """Raise :class:`~alliance_kg.errors.BuildError` unless ``path`` is missing, empty or a store alliance-kg wrote."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise BuildError(f"{path} exists and is not a folder; not replacing it with a store")
    if path.is_dir() and any(path.iterdir()) and not is_store_folder(path):
        raise BuildError(
            f"{path} is not a store alliance-kg built (no {MARKER}); a build replaces its store folder as a "
            "whole, so give a new or empty folder, or a previous store"
        )
