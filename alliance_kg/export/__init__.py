"""Graph exports and pictures: networkx projections, lossless files, a timeline and an interactive viewer.

::

    from alliance_kg.export import to_networkx, write, read
    supply = to_networkx(graph, "supply")            # a networkx MultiDiGraph
    write(supply, "supply.gexf", "gexf")             # Gephi, with time spells
    assert read("supply.gexf", "gexf").edges == supply.edges

* :func:`to_networkx` projects an rdflib graph onto one of :data:`VIEWS`
  (``rdf``, ``entities``, ``supply``, ``footprint``; see
  :mod:`alliance_kg.export.projections`), and :func:`to_networkx_from_store`
  does the same from a store (its queries run on the store, a thousand nodes
  at a time: no copy of a big graph);
* :func:`write` / :func:`read` handle :data:`FORMATS` (``graphml``, ``gexf``,
  ``json``, ``cyjs``, ``csv``, and the pictures ``png``, ``svg``, ``html``);
  reading an export back gives the same nodes, edges and attribute types
  (:mod:`alliance_kg.export.formats`);
* :func:`draw_timeline` draws every supply's production and sales windows;
* :func:`write_standard_exports` writes the exports of a release.

Nothing here changes the graphs it is given, and every file is written
atomically. networkx, rdflib and matplotlib are imported on first use.
"""

import typing as _typing

from alliance_kg._lazy import lazy_exports as _lazy_exports

__all__ = [
    "ATTRIBUTE_TYPES",
    "DATA_FORMATS",
    "FORMATS",
    "STANDARD_EXPORTS",
    "VIEWS",
    "draw_timeline",
    "read",
    "to_networkx",
    "to_networkx_from_store",
    "write",
    "write_standard_exports",
    "write_timeline",
]

_LAZY: dict[str, str] = {
    "ATTRIBUTE_TYPES": "alliance_kg.export.projections",
    "VIEWS": "alliance_kg.export.projections",
    "to_networkx": "alliance_kg.export.projections",
    "to_networkx_from_store": "alliance_kg.export.projections",
    "DATA_FORMATS": "alliance_kg.export.formats",
    "FORMATS": "alliance_kg.export.formats",
    "read": "alliance_kg.export.formats",
    "write": "alliance_kg.export.formats",
    "draw_timeline": "alliance_kg.export.timeline",
    "STANDARD_EXPORTS": "alliance_kg.export.standard",
    "write_standard_exports": "alliance_kg.export.standard",
    "write_timeline": "alliance_kg.export.standard",
}

if _typing.TYPE_CHECKING:
    from alliance_kg.export.formats import DATA_FORMATS, FORMATS, read, write
    from alliance_kg.export.projections import ATTRIBUTE_TYPES, VIEWS, to_networkx, to_networkx_from_store
    from alliance_kg.export.standard import STANDARD_EXPORTS, write_standard_exports, write_timeline
    from alliance_kg.export.timeline import draw_timeline


__getattr__, __dir__ = _lazy_exports(__name__, _LAZY, globals())
