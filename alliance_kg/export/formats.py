"""Write projections to files (and read the data formats back).

================  ===========================================================
``graphml``       GraphML for Gephi, Cytoscape, yEd and networkx
``gexf``          GEXF 1.2 for Gephi, dynamic: supply edges carry time spells
``json``          networkx node-link JSON (``edges`` key)
``cyjs``          Cytoscape.js / Cytoscape desktop JSON (``elements``)
``csv``           two tables, ``NAME-nodes.csv`` and ``NAME-edges.csv``
``png``, ``svg``  a static drawing (:mod:`alliance_kg.export.drawing`)
``html``          an interactive viewer in one file (:mod:`alliance_kg.export.html`)
================  ===========================================================

Types on the way out and back in. Strings, integers, floats and booleans are
declared with their own types (GraphML ``attr.type``, GEXF ``type``, JSON
values). Dates (:class:`datetime.date`) are written as ISO 8601 strings
``YYYY-MM-DD`` declared ``string``: GraphML has no date type and GEXF 1.2
none for attribute values, and Gephi, Cytoscape and yEd all sort ISO strings
correctly and can convert the column. The date attributes are the ones
:data:`~alliance_kg.export.projections.ATTRIBUTE_TYPES` declares as dates;
:func:`read` turns them back into :class:`datetime.date` (and CSV cells into
their declared types), so reading an export gives the same nodes, edges,
attribute values and types.

Structure that a format needs is added on the way out and removed on the way
in: unique edge ids (``e0``, ``e1``, ...; the networkx key is kept as the
``key`` attribute), a node ``name`` for Cytoscape, and in GEXF the time spells
of each supply edge (from the first day its production or sales can have
started, open-ended) with the dynamic attributes ``production_phase`` and
``sales_phase`` (``starting`` over the start window, ``started`` after it),
so Gephi's timeline plays the supplies as they begin.

Every file is written atomically: into a temporary file in the same folder,
then renamed over the target; on any error no file (and no half-written file)
is left behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final, TypeAlias

import networkx as nx

from alliance_kg.atomic import write_atomic
from alliance_kg.errors import InputError, ParameterError
from alliance_kg.export.projections import ATTRIBUTE_TYPES

__all__ = ["DATA_FORMATS", "FORMATS", "PICTURE_FORMATS", "atomic_write", "csv_paths", "read", "write"]

#: Formats :func:`read` reads back.
DATA_FORMATS: Final = ("graphml", "gexf", "json", "cyjs", "csv")
#: Formats that are pictures (written only).
PICTURE_FORMATS: Final = ("png", "svg", "html")
#: Every format :func:`write` writes.
FORMATS: Final = DATA_FORMATS + PICTURE_FORMATS

_GEXF_DERIVED: Final = ("spells", "production_phase", "sales_phase")
_WINDOWS: Final = ("production_start", "sales_start")

Graph: TypeAlias = "nx.MultiDiGraph[str]"  # the one graph type of this module
Scalar = str | int | float | bool


# -- atomic files -----------------------------------------------------------------


def atomic_write(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` atomically with :func:`alliance_kg.atomic.write_atomic`.

    Raises :class:`InputError` naming ``path`` when it cannot be written; the
    temporary file is removed on any error. A symbolic link is followed (the
    file it points to is replaced, not the link), and a target that is not a
    regular file (``/dev/stdout``, a FIFO) is written through, not replaced.
    """
    return write_atomic(path, content)


# -- values -----------------------------------------------------------------------


def _plain(value: Any, where: str) -> Scalar:
    """A value as a file stores it: dates become ISO strings; anything but str/int/float/bool/date is refused."""
    if isinstance(value, dt.datetime):
        raise ParameterError(f"{where}: datetime values are not supported, use datetime.date", parameter=where)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str | bool | int | float):
        return value
    raise ParameterError(
        f"{where}: value of type {type(value).__name__} cannot be exported (use str, int, float, bool or date)",
        parameter=where,
    )


def _plain_attributes(data: Mapping[str, Any], where: str) -> dict[str, Scalar]:
    return {str(name): _plain(value, f"{where} attribute {name!r}") for name, value in data.items()}


_PARSERS: Final[Mapping[type, Callable[[str], Any]]] = {
    dt.date: dt.date.fromisoformat,
    int: int,
    float: float,
    bool: lambda text: text.strip().lower() in {"true", "1"},
    str: str,
}


def _typed(name: str, value: Any) -> Any:
    """A value read from a file, as the type :data:`ATTRIBUTE_TYPES` declares for ``name``."""
    declared = ATTRIBUTE_TYPES.get(name)
    if declared is None or (isinstance(value, declared) and not (declared is int and isinstance(value, bool))):
        return value
    if isinstance(value, str):
        return _PARSERS[declared](value)
    if declared is float and isinstance(value, int):
        return float(value)
    return value


def _typed_attributes(data: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _typed(name, value) for name, value in data.items()}


def _rebuild(
    graph_attributes: Mapping[str, Any],
    nodes: Iterable[tuple[str, Mapping[str, Any]]],
    edges: Iterable[tuple[str, str, str, Mapping[str, Any]]],
) -> Graph:
    """A MultiDiGraph from file rows, attribute values back to their declared types."""
    graph: Graph = nx.MultiDiGraph()
    graph.graph.update(_typed_attributes(graph_attributes))
    for node, data in nodes:
        graph.add_node(str(node), **_typed_attributes(data))
    for source, target, key, data in edges:
        graph.add_edge(str(source), str(target), key=str(key), **_typed_attributes(data))
    return graph


def _edge_rows(graph: Graph) -> list[tuple[str, str, str, dict[str, Scalar]]]:
    rows = []
    for source, target, key, data in graph.edges(keys=True, data=True):
        rows.append((str(source), str(target), str(key), _plain_attributes(data, f"edge {source} -> {target}")))
    return rows


def _node_rows(graph: Graph) -> list[tuple[str, dict[str, Scalar]]]:
    return [(str(node), _plain_attributes(data, f"node {node}")) for node, data in graph.nodes(data=True)]


def _check_names(graph: Graph) -> None:
    from alliance_kg.export.projections import RESERVED_NAMES

    for _, data in graph.nodes(data=True):
        clash = RESERVED_NAMES & set(data)
        if clash:
            raise ParameterError(f"node attribute names reserved by the file formats: {sorted(clash)}")
    for _, _, data in graph.edges(data=True):
        clash = (RESERVED_NAMES | set(_GEXF_DERIVED)) & set(data)
        if clash:
            raise ParameterError(f"edge attribute names reserved by the file formats: {sorted(clash)}")


# -- GraphML ------------------------------------------------------------------------


def _graphml(graph: Graph) -> bytes:
    out: Graph = nx.MultiDiGraph()
    out.graph.update(_plain_attributes(graph.graph, "graph"))
    for node, data in _node_rows(graph):
        out.add_node(node, **data)
    for index, (source, target, key, data) in enumerate(_edge_rows(graph)):
        out.add_edge(source, target, f"e{index}")
        out.edges[source, target, f"e{index}"].update({"id": f"e{index}", "key": key, **data})
    buffer = io.BytesIO()
    nx.write_graphml(out, buffer, encoding="utf-8", prettyprint=True, edge_id_from_attribute="id")
    return buffer.getvalue()


def _read_graphml(path: Path) -> Graph:
    raw = nx.read_graphml(path, force_multigraph=True)
    edges = []
    for source, target, data in raw.edges(data=True):
        data = dict(data)
        data.pop("id", None)
        key = data.pop("key")
        edges.append((source, target, key, data))
    graph_attributes = {k: v for k, v in raw.graph.items() if k not in {"node_default", "edge_default"}}
    return _rebuild(graph_attributes, [(str(n), d) for n, d in raw.nodes(data=True)], edges)


# -- GEXF -----------------------------------------------------------------------------


def _phase(earliest: dt.date | None, latest: dt.date | None) -> list[tuple[str, str | None, str | None]]:
    """A dynamic attribute: ``starting`` over [earliest, latest], ``started`` from the day after."""
    if earliest is None or latest is None:
        return []
    return [
        ("starting", earliest.isoformat(), latest.isoformat()),
        ("started", (latest + dt.timedelta(days=1)).isoformat(), None),
    ]


def _gexf(graph: Graph) -> bytes:
    out: Graph = nx.MultiDiGraph()
    out.graph.update(mode="static", name=f"alliance-kg {graph.graph.get('view', '')}".strip())
    for node, data in _node_rows(graph):
        out.add_node(node, **data)
    for index, (source, target, key, data) in enumerate(_edge_rows(graph)):
        original = graph.edges[source, target, key]
        dynamic: dict[str, Any] = {}
        starts = [original[f"{w}_earliest"] for w in _WINDOWS if isinstance(original.get(f"{w}_earliest"), dt.date)]
        if starts:
            dynamic["spells"] = [(min(starts).isoformat(), None)]
        for window, name in zip(_WINDOWS, ("production_phase", "sales_phase"), strict=True):
            phase = _phase(original.get(f"{window}_earliest"), original.get(f"{window}_latest"))
            if phase:
                dynamic[name] = phase
        out.add_edge(source, target, key=key, id=f"e{index}", **data, **dynamic)
    buffer = io.BytesIO()
    nx.write_gexf(out, buffer, encoding="utf-8", prettyprint=True)
    # the writer stamps today's date: drop it so that the same graph gives the same file
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buffer.getvalue(), count=1)


class _MultiGEXFReader(nx.readwrite.gexf.GEXFReader):
    """networkx's GEXF reader, always returning a multigraph (it keeps edge keys only then)."""

    def add_edge(self, G: Any, edge_element: Any, edge_attr: Any) -> None:
        super().add_edge(G, edge_element, edge_attr)
        self.simple_graph = False


def _read_gexf(path: Path) -> Graph:
    with path.open("rb") as handle:
        raw = _MultiGEXFReader()(handle)
    nodes = []
    for node, data in raw.nodes(data=True):
        nodes.append((node, {k: v for k, v in data.items() if k not in {"spells", "start", "end"}}))
    edges = []
    for source, target, key, data in raw.edges(keys=True, data=True):
        data = dict(data)
        data.pop("id", None)
        for name in _GEXF_DERIVED:
            data.pop(name, None)
        edges.append((source, target, key, data))
    return _rebuild({}, nodes, edges)


# -- node-link JSON ---------------------------------------------------------------------


def _json_bytes(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _node_link(graph: Graph) -> bytes:
    out: Graph = nx.MultiDiGraph()
    out.graph.update(_plain_attributes(graph.graph, "graph"))
    for node, data in _node_rows(graph):
        out.add_node(node, **data)
    for source, target, key, data in _edge_rows(graph):
        out.add_edge(source, target, key=key, **data)
    return _json_bytes(nx.node_link_data(out, edges="edges"))


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=path) from error
    except ValueError as error:
        raise InputError(f"not valid JSON: {error}", path=path) from error


def _read_node_link(path: Path) -> Graph:
    raw = nx.node_link_graph(_load_json(path), directed=True, multigraph=True, edges="edges")
    assert isinstance(raw, nx.MultiDiGraph)
    edges = [(str(u), str(v), str(k), d) for u, v, k, d in raw.edges(keys=True, data=True)]
    return _rebuild(raw.graph, [(str(n), d) for n, d in raw.nodes(data=True)], edges)


# -- Cytoscape.js JSON ------------------------------------------------------------------


def cytoscape_elements(graph: Graph) -> dict[str, Any]:
    """The graph as a Cytoscape.js document: ``{"data": ..., "elements": {"nodes": [...], "edges": [...]}}``."""
    nodes = [{"data": {"id": node, "name": data.get("label", node), **data}} for node, data in _node_rows(graph)]
    edges = [
        {"data": {"id": f"e{index}", "source": source, "target": target, "key": key, **data}}
        for index, (source, target, key, data) in enumerate(_edge_rows(graph))
    ]
    return {
        "format_version": "1.0",
        "generated_by": "alliance-kg",
        "target_cytoscapejs_version": "~3",
        "data": _plain_attributes(graph.graph, "graph"),
        "elements": {"nodes": nodes, "edges": edges},
    }


def _cyjs(graph: Graph) -> bytes:
    return _json_bytes(cytoscape_elements(graph))


def _read_cyjs(path: Path) -> Graph:
    document = _load_json(path)
    try:
        elements = document["elements"]
        nodes = []
        for element in elements["nodes"]:
            data = dict(element["data"])
            node = data.pop("id")
            data.pop("name", None)
            nodes.append((node, data))
        edges = []
        for element in elements["edges"]:
            data = dict(element["data"])
            data.pop("id", None)
            edges.append((data.pop("source"), data.pop("target"), data.pop("key"), data))
    except (KeyError, TypeError) as error:
        raise InputError(f"not a Cytoscape.js document: missing {error}", path=path) from error
    return _rebuild(document.get("data", {}), nodes, edges)


# -- CSV ----------------------------------------------------------------------------------


def csv_paths(path: str | Path) -> tuple[Path, Path]:
    """The node and edge tables for ``path``: ``NAME-nodes.csv`` and ``NAME-edges.csv`` (``.csv`` dropped)."""
    path = Path(path)
    stem = path.name.removesuffix(".csv")
    return path.with_name(f"{stem}-nodes.csv"), path.with_name(f"{stem}-edges.csv")


def _cell(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _table(head: list[str], rows: Iterable[Mapping[str, Scalar]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head)
    for row in rows:
        writer.writerow([_cell(row[name]) if name in row else "" for name in head])
    return buffer.getvalue().encode("utf-8")


def _columns(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)


def _csv(graph: Graph, path: Path) -> list[Path]:
    nodes_path, edges_path = csv_paths(path)
    node_rows = [{"id": node, **data} for node, data in _node_rows(graph)]
    edge_rows = [{"source": u, "target": v, "key": k, **data} for u, v, k, data in _edge_rows(graph)]
    node_head = ["id", *[c for c in _columns(node_rows) if c != "id"]]
    edge_head = ["source", "target", "key", *[c for c in _columns(edge_rows) if c not in {"source", "target", "key"}]]
    nodes_bytes, edges_bytes = _table(node_head, node_rows), _table(edge_head, edge_rows)
    return [atomic_write(nodes_path, nodes_bytes), atomic_write(edges_path, edges_bytes)]


def _read_table(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(handle)]
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=path) from error


def _read_csv(path: Path) -> Graph:
    nodes_path, edges_path = csv_paths(path)
    nodes = []
    for row in _read_table(nodes_path):
        node = row.pop("id")
        nodes.append((node, row))
    edges = []
    for row in _read_table(edges_path):
        edges.append((row.pop("source"), row.pop("target"), row.pop("key"), row))
    return _rebuild({}, nodes, edges)


# -- front doors ----------------------------------------------------------------------------

_WRITERS: Final[Mapping[str, Callable[[Graph], bytes]]] = {
    "graphml": _graphml,
    "gexf": _gexf,
    "json": _node_link,
    "cyjs": _cyjs,
}
_READERS: Final[Mapping[str, Callable[[Path], Graph]]] = {
    "graphml": _read_graphml,
    "gexf": _read_gexf,
    "json": _read_node_link,
    "cyjs": _read_cyjs,
    "csv": _read_csv,
}


def _check_format(format: str, known: Iterable[str]) -> None:
    known = tuple(known)
    if format not in known:
        raise ParameterError(f"unknown format {format!r} (use one of {', '.join(known)})", parameter="format")


def write(graph: Graph, path: str | Path, format: str, *, title: str | None = None) -> list[Path]:
    """Write ``graph`` (a projection) to ``path`` in ``format``; return the files written.

    ``csv`` writes two files (see :func:`csv_paths`), every other format one.
    ``title`` is shown by the pictures (``png``, ``svg``, ``html``). Raises
    :class:`ParameterError` for an unknown format or a value that cannot be
    exported and :class:`InputError` when ``path`` cannot be written.
    """
    _check_format(format, FORMATS)
    path = Path(path)
    if format in PICTURE_FORMATS:
        if format == "html":
            from alliance_kg.export.html import html_page

            return [atomic_write(path, html_page(graph, title=title))]
        from alliance_kg.export.drawing import draw

        return [atomic_write(path, draw(graph, format=format, title=title))]
    _check_names(graph)
    if format == "csv":
        return _csv(graph, path)
    return [atomic_write(path, _WRITERS[format](graph))]


def read(path: str | Path, format: str) -> Graph:
    """Read a ``graphml``, ``gexf``, ``json``, ``cyjs`` or ``csv`` export back into a MultiDiGraph.

    Attribute values come back with the types :func:`write` was given
    (dates as :class:`datetime.date`). For ``csv`` pass the path given to
    :func:`write`.
    """
    _check_format(format, DATA_FORMATS)
    path = Path(path)
    if format != "csv" and not path.is_file():
        raise InputError("no such file", path=path)
    try:
        return _READERS[format](path)
    except InputError:
        raise
    except Exception as error:  # a reader's parse error is still the file's fault
        raise InputError(f"cannot read as {format}: {type(error).__name__}: {error}", path=path) from error
