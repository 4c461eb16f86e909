"""Files: every data format reads back to the same graph, opens in other tools' readers, and is written atomically."""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph

from alliance_kg.errors import InputError, ParameterError
from alliance_kg.export import DATA_FORMATS, FORMATS, read, to_networkx, write
from alliance_kg.export.formats import csv_paths
from alliance_kg.loading import ProjectGraphs
from alliance_kg.reasoning import reason

ID = "https://w3id.org/alliance-kg/id/"
GEXF = "{http://www.gexf.net/1.2draft}"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def views(project: ProjectGraphs) -> dict[str, nx.MultiDiGraph]:
    asserted = Graph()
    for part in (project.ontology, project.facts):
        for triple in part:
            asserted.add(triple)
    inferred = reason(asserted).inferred
    return {
        "rdf": to_networkx(asserted, "rdf"),
        "entities": to_networkx(asserted, "entities", inferred=inferred),
        "supply": to_networkx(asserted, "supply"),
        "footprint": to_networkx(asserted, "footprint"),
    }


def typed(graph: nx.MultiDiGraph) -> tuple[list[Any], list[Any]]:
    """Nodes and edges with every attribute value and its type, in a canonical order."""

    def items(data: dict[str, Any]) -> list[tuple[str, str, Any]]:
        return sorted((name, type(value).__name__, value) for name, value in data.items())

    nodes = sorted((node, items(data)) for node, data in graph.nodes(data=True))
    edges = sorted((u, v, key, items(data)) for u, v, key, data in graph.edges(keys=True, data=True))
    return nodes, edges


@pytest.mark.parametrize("format", DATA_FORMATS)
@pytest.mark.parametrize("view", ["rdf", "entities", "supply", "footprint"])
def test_round_trip(view: str, format: str, views: dict[str, nx.MultiDiGraph], tmp_path: Path) -> None:
    original = views[view]
    path = tmp_path / f"{view}.{format}"
    written = write(original, path, format)
    assert all(p.is_file() for p in written)
    again = read(path, format)
    assert typed(again) == typed(original)
    if format in {"graphml", "json", "cyjs"}:
        assert again.graph == original.graph


def test_round_trip_keeps_dates_and_booleans(views: dict[str, nx.MultiDiGraph], tmp_path: Path) -> None:
    for format in DATA_FORMATS:
        supply = read(write(views["supply"], tmp_path / f"s.{format}", format)[0].with_name(f"s.{format}"), format)
        edge = supply.edges[
            f"{ID}manufacturer/mitsubishi-motors", f"{ID}manufacturer/nissan", f"{ID}supply/navara-laem-chabang"
        ]
        # the reports' day, 20 December 2025, within the article's "fin décembre" (issue 10; was its 16 December)
        assert edge["production_start_earliest"] == dt.date(2025, 12, 20), format
        assert edge["sales_start_latest"] == dt.date(2026, 3, 31), format  # the end of Q1 2026: a window's end
        entities = read(write(views["entities"], tmp_path / f"e.{format}", format)[0].with_name(f"e.{format}"), format)
        assert {type(data["inferred"]) for _, _, data in entities.edges(data=True)} == {bool}, format


def test_files_hold_no_python_reprs(views: dict[str, nx.MultiDiGraph], tmp_path: Path) -> None:
    for view in ("rdf", "entities", "supply"):
        for format in DATA_FORMATS:
            for path in write(views[view], tmp_path / f"{view}.{format}", format):
                text = path.read_text(encoding="utf-8")
                for repr_start in ("URIRef(", "Literal(", "datetime.date(", "rdflib.term"):
                    assert repr_start not in text, (path.name, repr_start)


def test_graphml_declares_types_and_labels(views: dict[str, nx.MultiDiGraph], tmp_path: Path) -> None:
    path = write(views["entities"], tmp_path / "entities.graphml", "graphml")[0]
    root = ET.parse(path).getroot()
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.iter(f"{GRAPHML}key")}
    assert keys[("node", "label")] == "string"
    assert keys[("edge", "inferred")] == "boolean"
    assert keys[("node", "earliest")] == "string"  # dates: ISO 8601 strings (GraphML has no date type)
    edge_ids = [edge.get("id") for edge in root.iter(f"{GRAPHML}edge")]
    assert len(edge_ids) == len(set(edge_ids)), "edge ids are unique (Gephi drops duplicates)"
    # networkx's own reader (as other tools do) sees the labels and ISO dates
    plain = nx.read_graphml(path)
    assert plain.nodes[f"{ID}manufacturer/nissan"]["label"] == "Nissan"
    assert plain.nodes[f"{ID}date/navara-laem-chabang-production-start"]["earliest"] == "2025-12-16"


def test_gexf_is_dynamic_with_spells(views: dict[str, nx.MultiDiGraph], tmp_path: Path) -> None:
    path = write(views["supply"], tmp_path / "supply.gexf", "gexf")[0]
    root = ET.parse(path).getroot()
    graph = root.find(f"{GEXF}graph")
    assert graph is not None
    assert graph.get("mode") == "dynamic"
    assert graph.get("timeformat") == "date"
    spells: dict[str, list[tuple[str | None, str | None]]] = {}
    labels: dict[str, str | None] = {}
    for edge in root.iter(f"{GEXF}edge"):
        values = [v.get("value", "") for v in edge.iter(f"{GEXF}attvalue")]
        supply = next(value for value in values if value.startswith(f"{ID}supply/"))
        assert supply is not None
        spells[supply] = [(s.get("start"), s.get("end")) for s in edge.iter(f"{GEXF}spell")]
        labels[supply] = edge.get("label")
    # 20 December 2025, the reports' day, within the article's "fin décembre" (issue 10; was from 16 December)
    assert spells[f"{ID}supply/navara-laem-chabang"] == [("2025-12-20", None)]
    assert spells[f"{ID}supply/rogue-phev-okazaki"] == [("2026-01-01", None)]
    assert spells[f"{ID}supply/leaf-derived-bev-north-america"] == [("2026-07-01", None)]
    assert spells[f"{ID}supply/livina-jakarta"] == []  # no date stated: present throughout
    assert f"{ID}supply/kei-vehicles-japan" not in spells  # direction not stated (issue 10): no supply edge
    assert labels[f"{ID}supply/livina-jakarta"] == "Livina built by Mitsubishi Motors for Nissan at Jakarta"
    # the start windows as dynamic attribute values
    phases = [
        (v.get("value"), v.get("start"), v.get("end"))
        for edge in root.iter(f"{GEXF}edge")
        for v in edge.iter(f"{GEXF}attvalue")
        if v.get("start") is not None
    ]
    # the Navara's production start is a day now (issue 10): starting on that day, started from the next
    assert ("starting", "2025-12-20", "2025-12-20") in phases
    assert ("started", "2025-12-21", None) in phases
    assert ("starting", "2026-03-01", "2026-03-31") in phases  # its sales start, the end of Q1 2026: a window
    assert ("started", "2026-04-01", None) in phases
    node_labels = {node.get("label") for node in root.iter(f"{GEXF}node")}
    # every manufacturer, Laem Chabang's operator MMTh (Mitsubishi Motors' Thai subsidiary) too (issue 10)
    assert node_labels == {"Mitsubishi Motors", "Mitsubishi Motors (Thailand) Co., Ltd.", "Nissan"}
    assert nx.read_gexf(path).number_of_edges() == 4  # networkx's reader agrees (4 supplies, issue 10)


def test_same_graph_same_bytes(views: dict[str, nx.MultiDiGraph], tmp_path: Path) -> None:
    for format in (*DATA_FORMATS, "svg", "html"):
        first = write(views["supply"], tmp_path / f"a.{format}", format)
        second = write(views["supply"], tmp_path / f"b.{format}", format)
        for one, two in zip(first, second, strict=True):
            assert one.read_bytes() == two.read_bytes(), format


def test_csv_tables(views: dict[str, nx.MultiDiGraph], tmp_path: Path) -> None:
    written = write(views["supply"], tmp_path / "supply.csv", "csv")
    assert written == list(csv_paths(tmp_path / "supply.csv"))
    assert [p.name for p in written] == ["supply-nodes.csv", "supply-edges.csv"]
    nodes_head = written[0].read_text(encoding="utf-8").splitlines()[0].split(",")
    edges_head = written[1].read_text(encoding="utf-8").splitlines()[0].split(",")
    assert nodes_head[:2] == ["id", "iri"]
    assert "label" in nodes_head
    assert edges_head[:3] == ["source", "target", "key"]


def test_cyjs_document(views: dict[str, nx.MultiDiGraph], tmp_path: Path) -> None:
    import json

    path = write(views["supply"], tmp_path / "supply.cyjs", "cyjs")[0]
    document = json.loads(path.read_text(encoding="utf-8"))
    nodes, edges = document["elements"]["nodes"], document["elements"]["edges"]
    # every manufacturer, Laem Chabang's operator MMTh (Mitsubishi Motors' Thai subsidiary) too (issue 10)
    manufacturers = {"Mitsubishi Motors", "Mitsubishi Motors (Thailand) Co., Ltd.", "Nissan"}
    assert {n["data"]["name"] for n in nodes} == manufacturers
    # the 4 supplies; the 2 agreements in Japan have no direction (issue 10)
    assert len({e["data"]["id"] for e in edges}) == 4
    assert all(e["data"]["key"].startswith(f"{ID}supply/") for e in edges)


def test_unknown_format(views: dict[str, nx.MultiDiGraph], tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="unknown format 'dot'"):
        write(views["supply"], tmp_path / "x.dot", "dot")
    with pytest.raises(ParameterError, match="unknown format 'png'"):
        read(tmp_path / "x.png", "png")
    assert set(FORMATS) == {"graphml", "gexf", "json", "cyjs", "csv", "png", "svg", "html"}


def test_values_that_cannot_be_exported(tmp_path: Path) -> None:
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    graph.add_node("a", label="a", group="x", when=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(ParameterError, match="datetime"):
        write(graph, tmp_path / "x.graphml", "graphml")
    graph.nodes["a"]["when"] = ["a", "list"]
    with pytest.raises(ParameterError, match="type list"):
        write(graph, tmp_path / "x.json", "json")
    graph.nodes["a"].pop("when")
    graph.add_edge("a", "a", key="k", source="oops")
    with pytest.raises(ParameterError, match="reserved"):
        write(graph, tmp_path / "x.gexf", "gexf")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_path(views: dict[str, nx.MultiDiGraph], tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write") as caught:
        write(views["supply"], tmp_path / "missing" / "supply.gexf", "gexf")
    assert caught.value.path == tmp_path / "missing" / "supply.gexf"


def test_failed_write_leaves_the_old_file(
    views: dict[str, nx.MultiDiGraph], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "supply.graphml"
    target.write_text("previous", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="No space left"):
        write(views["supply"], target, "graphml")
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["supply.graphml"], "no temporary file left behind"


def test_written_files_have_the_usual_mode(views: dict[str, nx.MultiDiGraph], tmp_path: Path) -> None:
    mask = os.umask(0o022)
    os.umask(mask)
    path = write(views["footprint"], tmp_path / "f.json", "json")[0]
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_read_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "missing.graphml", "graphml")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        read(bad, "json")
    bad_xml = tmp_path / "bad.gexf"
    bad_xml.write_text("<gexf", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read as gexf"):
        read(bad_xml, "gexf")


def test_write_follows_links_and_writes_through_fifos(tmp_path: Path) -> None:
    """`-o /dev/stdout` or a link must not be replaced by a regular file (as os.replace would do)."""
    import os
    import threading

    from alliance_kg.export.formats import atomic_write

    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    atomic_write(fifo, b"through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert not fifo.is_file()  # still a FIFO
