"""The exports a release carries, written by ``alliance-kg build`` into ``exports/`` of the release folder."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import networkx as nx
from rdflib import Graph

from alliance_kg.export.formats import atomic_write, write
from alliance_kg.export.projections import to_networkx
from alliance_kg.export.timeline import draw_timeline

__all__ = ["STANDARD_EXPORTS", "write_standard_exports", "write_timeline"]

#: (view, format, with inferences) of each standard export; files are named ``alliance-kg-VIEW.EXT``.
STANDARD_EXPORTS: Final = (
    ("supply", "graphml", False),
    ("supply", "gexf", False),
    ("supply", "json", False),
    ("supply", "cyjs", False),
    ("supply", "csv", False),
    ("supply", "png", False),
    ("supply", "svg", False),
    ("footprint", "graphml", False),
    ("footprint", "gexf", False),
    ("footprint", "png", False),
    ("entities", "graphml", True),
    ("entities", "gexf", True),
    ("entities", "json", True),
    ("entities", "html", False),
    ("entities", "png", False),
)


def write_timeline(asserted: Graph, path: str | Path, *, format: str = "png", lang: str = "en") -> Path:
    """Draw the supplies' production and sales windows (``png`` or ``svg``) into ``path``, atomically."""
    return atomic_write(Path(path), draw_timeline(to_networkx(asserted, "supply", lang=lang), format=format))


def write_standard_exports(asserted: Graph, inferred: Graph, out_dir: str | Path) -> list[Path]:
    """Write the standard exports (:data:`STANDARD_EXPORTS` and the timeline) into ``out_dir``; return the files.

    ``asserted`` is the ontology and the facts, ``inferred`` the OWL-RL
    inferences (the ``entities`` data exports include them, marked
    ``inferred``). ``out_dir`` is created if needed; neither graph changes.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    views: dict[tuple[str, bool], nx.MultiDiGraph[str]] = {}
    for view, format, with_inferred in STANDARD_EXPORTS:
        if (view, with_inferred) not in views:
            views[(view, with_inferred)] = to_networkx(asserted, view, inferred=inferred if with_inferred else None)
        projection = views[(view, with_inferred)]
        extension = "json" if format == "json" else format
        written += write(projection, out_dir / f"alliance-kg-{view}.{extension}", format)
    for format in ("png", "svg"):
        written.append(write_timeline(asserted, out_dir / f"alliance-kg-timeline.{format}", format=format))
    return written
