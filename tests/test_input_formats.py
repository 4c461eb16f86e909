"""Every RDF format users bring, in every local store: the same graph, and malformed input named by file and line.

The six formats of :data:`alliance_kg.store.RDF_FORMATS` (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD) are
written by rdflib's serialisers from one graph, loaded into a ``MemoryStore`` (rdflib's parsers) and an
``OxigraphStore`` (Oxigraph's), by suffix and by an explicit format, and compared with
:func:`rdflib.compare.isomorphic` (blank nodes included).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from testpaths import FIXTURES, MINI_ONTOLOGY, MINI_SHAPES

from alliance_kg import resources
from alliance_kg.cli import main
from alliance_kg.errors import InputError, RDFSyntaxError
from alliance_kg.loading import parse_file, parse_files
from alliance_kg.store import RDF_FORMATS, MemoryStore, Store, format_for, quiet_dataset_warnings
from alliance_kg.store_oxigraph import OxigraphStore

G = "http://example.org/graph/g"
EX = "http://example.org/"

STORES: dict[str, Callable[[], Store]] = {"memory": MemoryStore, "oxigraph": OxigraphStore}
SUFFIX = {"turtle": ".ttl", "nt": ".nt", "nquads": ".nq", "trig": ".trig", "xml": ".rdf", "json-ld": ".jsonld"}


def sample() -> Graph:
    """A small graph with what formats disagree on: language tags, typed literals, a blank node, non-ASCII text."""
    graph = Graph()
    a, b, p, q, r = (URIRef(EX + name) for name in ("a", "b", "p", "q", "r"))
    node = BNode()
    graph.add((a, p, Literal("Usine d'Okazaki", lang="fr")))
    graph.add((a, p, Literal("岡崎製作所", lang="ja")))
    graph.add((a, p, Literal(42)))
    graph.add((a, p, Literal("2026-01-12", datatype=XSD.date)))
    graph.add((a, q, node))
    graph.add((node, r, b))
    graph.add((node, r, Literal('multi\nline "quoted"')))
    return graph


def serialise(graph: Graph, rdf_format: str) -> str:
    if RDF_FORMATS[rdf_format][1] and rdf_format != "json-ld":
        dataset = Dataset()
        named = dataset.graph(URIRef(G))  # a named graph in the file: merged into the graph loaded into
        for triple in graph:
            named.add(triple)
        with quiet_dataset_warnings():
            return dataset.serialize(format=rdf_format)
    return graph.serialize(format=rdf_format)


def test_every_suffix_tells_its_format() -> None:
    assert set(SUFFIX) == set(RDF_FORMATS)
    for name, (suffixes, _) in RDF_FORMATS.items():
        for suffix in suffixes:
            assert format_for(Path("x" + suffix)) == name
    with pytest.raises(InputError, match="cannot tell the RDF format"):
        format_for(Path("data.txt"))


@pytest.mark.parametrize("kind", STORES)
@pytest.mark.parametrize("rdf_format", list(SUFFIX))
def test_every_format_in_every_store_gives_the_same_graph(tmp_path: Path, kind: str, rdf_format: str) -> None:
    expected = sample()
    path = tmp_path / ("data" + SUFFIX[rdf_format])
    path.write_text(serialise(expected, rdf_format), encoding="utf-8")
    store = STORES[kind]()
    store.load(path, G)
    loaded = store.graph(G)
    assert len(loaded) == len(expected)
    assert isomorphic(loaded, expected), f"{rdf_format} in the {kind} store"
    assert store.graph_names() == [G]  # the file's own named graph was merged into G, not kept


@pytest.mark.parametrize("kind", STORES)
@pytest.mark.parametrize("rdf_format", list(SUFFIX))
def test_an_explicit_format_where_the_suffix_does_not_tell(tmp_path: Path, kind: str, rdf_format: str) -> None:
    path = tmp_path / "export.data"  # no suffix of any format
    path.write_text(serialise(sample(), rdf_format), encoding="utf-8")
    store = STORES[kind]()
    with pytest.raises(InputError, match="cannot tell the RDF format") as caught:
        store.load(path, G)
    assert caught.value.path == path
    store.load(path, G, format=rdf_format)
    assert isomorphic(store.graph(G), sample())


@pytest.mark.parametrize("kind", STORES)
@pytest.mark.parametrize("rdf_format", list(SUFFIX))
def test_bytes_and_streams_in_every_format(kind: str, rdf_format: str) -> None:
    import io

    data = serialise(sample(), rdf_format).encode("utf-8")
    for source in (data, io.BytesIO(data)):
        store = STORES[kind]()
        store.load(source, G, format=rdf_format)
        assert isomorphic(store.graph(G), sample())


def test_parse_files_merges_quad_formats_into_one_graph(tmp_path: Path) -> None:
    """The rdflib path (``parse_files``, what ``build --data`` and ``export --data`` use) accepts all six."""
    paths = []
    for rdf_format, suffix in SUFFIX.items():
        path = tmp_path / f"part-{rdf_format}{suffix}"
        path.write_text(serialise(sample(), rdf_format), encoding="utf-8")
        paths.append(path)
    merged = parse_files(paths)
    # each file's blank node is its own: six copies of the three blank-node triples, one of the other four
    assert len(merged) == 4 + 6 * 3
    assert len(set(merged.subjects(URIRef(EX + "r"), None))) == 6


# -- malformed input: file and line --------------------------------------------------------------------------------

MALFORMED = {
    # format: (text, the line of the error)
    "turtle": ("@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\nex:a ex:p .\n", 3),
    "nt": ('<http://example.org/a> <http://example.org/p> "x" .\n<http://example.org/a> <http://example.org/p> .\n', 2),
    "nquads": (
        '<http://example.org/a> <http://example.org/p> "x" <http://example.org/g> .\n'
        "<http://example.org/a> <http://example.org/p> .\n",
        2,
    ),
    "trig": ("<http://example.org/g> {\n<http://example.org/a> <http://example.org/p> .\n}\n", 2),
    "xml": (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="http://example.org/a">\n</rdf:RDF>\n',
        4,
    ),
    "json-ld": ('{\n  "@id": "http://example.org/a",\n  "http://example.org/p": \n}\n', 4),
}


@pytest.mark.parametrize("kind", STORES)
@pytest.mark.parametrize("rdf_format", list(MALFORMED))
def test_malformed_input_names_file_and_line(tmp_path: Path, kind: str, rdf_format: str) -> None:
    text, line = MALFORMED[rdf_format]
    path = tmp_path / ("bad" + SUFFIX[rdf_format])
    path.write_text(text, encoding="utf-8")
    store = STORES[kind]()
    store.load(  # something already there stays as it was
        b"<http://example.org/keep> <http://example.org/p> <http://example.org/o> .\n", G, format="nt"
    )
    with pytest.raises(RDFSyntaxError) as caught:
        store.load(path, G)
    error = caught.value
    assert error.path == path
    assert error.line == line, str(error)
    assert str(error).startswith(f"{path}:{line}")
    assert store.count(G) == 1


def test_the_cli_validates_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``validate FILE`` takes each format by its suffix (here a plant in JSON-LD, RDF/XML and N-Quads)."""
    monkeypatch.setattr(resources, "ontology_files", lambda: [MINI_ONTOLOGY])  # the small fixture project
    monkeypatch.setattr(resources, "shape_files", lambda: [MINI_SHAPES])
    monkeypatch.setattr(resources, "data_files", lambda: [FIXTURES / "facts-good.ttl"])
    plant = Graph()
    akg = "https://w3id.org/alliance-kg/ontology#"
    iri = URIRef("https://w3id.org/alliance-kg/id/plant/test-plant")
    plant.add((iri, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(akg + "Plant")))
    plant.add((iri, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Test plant", lang="en")))
    statuses = {}
    for rdf_format in ("json-ld", "xml", "nquads"):
        path = tmp_path / ("plant" + SUFFIX[rdf_format])
        path.write_text(serialise(plant, rdf_format), encoding="utf-8")
        statuses[rdf_format] = main(["validate", str(path), "--format", "json"])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        assert '"results"' in captured.out  # it ran the shapes on the file's content
    bad = tmp_path / "bad.jsonld"
    bad.write_text(MALFORMED["json-ld"][0], encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:4" in err
    assert "Traceback" not in err
    assert set(statuses.values()) <= {0, 1}


def test_parse_file_reads_json_and_xml_suffixes(tmp_path: Path) -> None:
    """``.json`` is JSON-LD and ``.xml``/``.owl`` are RDF/XML (the formats' registered suffixes)."""
    for suffix, rdf_format in ((".json", "json-ld"), (".xml", "xml"), (".owl", "xml")):
        path = tmp_path / ("data" + suffix)
        path.write_text(serialise(sample(), rdf_format), encoding="utf-8")
        assert isomorphic(parse_file(path), sample())


@pytest.mark.parametrize("kind", STORES)
def test_relative_iris_resolve_against_the_file_in_every_store(tmp_path: Path, kind: str) -> None:
    """rdflib and Oxigraph both take the file's own ``file:`` URI as the base (Oxigraph alone would refuse)."""
    path = tmp_path / "relative.ttl"
    path.write_text("<a> <http://example.org/p> <sub/b> .\n", encoding="utf-8")
    store = STORES[kind]()
    store.load(path, G)
    base = tmp_path.resolve().as_uri()
    assert list(store.graph(G)) == [(URIRef(base + "/a"), URIRef(EX + "p"), URIRef(base + "/sub/b"))]
