"""Graph exports and pictures: networkx projections, lossless files, a timeline and an interactive viewer.

::

    from alliance_kg.export import to_networkx, write, read
    supply = to_networkx(graph, "supply")            # a networkx MultiDiGraph
    write(supply, "supply.gexf", "gexf")             # Gephi, with time spells
    assert read("supply.gexf", "gexf").edges == supply.edges

* :func:`to_networkx` projects an rdflib graph onto one of :data:`VIEWS`
  (``rdf``, ``entities``, ``supply``, ``footprint``; see
  :mod:`alliance_kg.export.projections`);
* :func:`write` / :func:`read` handle :data:`FORMATS` (``graphml``, ``gexf``,
  ``json``, ``cyjs``, ``csv``, and the pictures ``png``, ``svg``, ``html``);
  reading an export back gives the same nodes, edges and attribute types
  (:mod:`alliance_kg.export.formats`);
* :func:`draw_timeline` draws every supply's production and sales windows;
* :func:`write_standard_exports` writes the exports of a release.

Nothing here changes the graphs it is given, and every file is written
atomically. networkx, rdflib and matplotlib are imported on first use.
"""

import importlib as _importlib
import typing as _typing

__all__ = [
    "ATTRIBUTE_TYPES",
    "DATA_FORMATS",
    "FORMATS",
    "STANDARD_EXPORTS",
    "VIEWS",
    "draw_timeline",
    "read",
    "to_networkx",
    "write",
    "write_standard_exports",
    "write_timeline",
]

_LAZY: dict[str, str] = {
    "ATTRIBUTE_TYPES": "alliance_kg.export.projections",
    "VIEWS": "alliance_kg.export.projections",
    "to_networkx": "alliance_kg.export.projections",
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
    from alliance_kg.export.projections import ATTRIBUTE_TYPES, VIEWS, to_networkx
    from alliance_kg.export.standard import STANDARD_EXPORTS, write_standard_exports, write_timeline
    from alliance_kg.export.timeline import draw_timeline


def __getattr__(name: str) -> _typing.Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'alliance_kg.export' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
