"""The projections read from a store: the same networkx graph from an rdflib graph, a MemoryStore and Oxigraph."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.term import Node

from alliance_kg.claims import reconciled
from alliance_kg.cli import main
from alliance_kg.errors import ParameterError
from alliance_kg.export import VIEWS, read, to_networkx
from alliance_kg.export.projections import BATCH, to_networkx_from_store
from alliance_kg.loading import ProjectGraphs, parse_bytes, parse_files
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY
from alliance_kg.reasoning import reason
from alliance_kg.resources import ontology_files
from alliance_kg.store import MemoryStore, QueryAnswer, Store
from alliance_kg.store_oxigraph import OxigraphStore
from alliance_kg.synth import write_synth

ID = "https://w3id.org/alliance-kg/id/"
STORES = ("memory", "oxigraph")


def assert_same(got: nx.MultiDiGraph, expected: nx.MultiDiGraph) -> None:
    """The same nodes, edges (with keys) and attributes, in the same order (the files follow that order)."""
    assert got.graph == expected.graph
    assert list(got.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(got.edges(keys=True, data=True)) == list(expected.edges(keys=True, data=True))


def union(*graphs: Graph) -> Graph:
    merged = Graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged


def fill(kind: str, ontology: Graph, facts: Graph, inferred: Graph | None) -> Store:
    store: Store = MemoryStore() if kind == "memory" else OxigraphStore()
    store.add(GRAPH_ONTOLOGY, ontology)
    store.add(GRAPH_FACTS, facts)
    if inferred is not None:
        store.add(GRAPH_INFERRED, inferred)
    return store


class CountingStore:
    """A store that counts what it is asked (and refuses to hand out copies of its graphs)."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.kind = inner.kind
        self.queries = 0

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        graph: str | Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> QueryAnswer:
        self.queries += 1
        return self.inner.query(sparql, bindings=bindings, graph=graph, timeout=timeout)

    def graph(self, graph: str) -> Graph:
        raise AssertionError("the view copied a graph out of the store")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


# -- the article ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def article(project: ProjectGraphs) -> tuple[Graph, Graph, Graph]:
    """The article's ontology, facts and inferences."""
    asserted = union(project.ontology, project.facts)
    return project.ontology, project.facts, reason(asserted).inferred


@pytest.fixture(scope="module")
def article_views(article: tuple[Graph, Graph, Graph]) -> dict[tuple[str, bool, str], nx.MultiDiGraph]:
    """``to_networkx`` of the article's rdflib graph: every view, with and without the inferences, en and fr."""
    ontology, facts, inferred = article
    asserted = union(ontology, facts)
    return {
        (view, with_inferred, lang): to_networkx(
            asserted, view, inferred=inferred if with_inferred else None, lang=lang
        )
        for view in VIEWS
        for with_inferred in (False, True)
        for lang in ("en", "fr")
        if lang == "en" or not with_inferred
    }


@pytest.fixture(scope="module", params=STORES)
def article_store(request: pytest.FixtureRequest, article: tuple[Graph, Graph, Graph]) -> Iterator[Store]:
    store = fill(request.param, *article)
    yield store
    store.close()


@pytest.mark.parametrize(
    ("view", "with_inferred", "lang"),
    [(v, i, lang) for v in VIEWS for i, lang in ((False, "en"), (True, "en"), (False, "fr"))],
)
def test_the_article_projects_the_same_from_a_store(
    article_store: Store,
    article_views: dict[tuple[str, bool, str], nx.MultiDiGraph],
    view: str,
    with_inferred: bool,
    lang: str,
) -> None:
    got = to_networkx_from_store(article_store, view, inferred=with_inferred, lang=lang)
    assert got.number_of_nodes() > 0
    if view == "rdf" and article_store.kind == "oxigraph":
        # Oxigraph keeps a decimal's value, not its lexical form ("1.0" comes back "1"): compare with its triples
        asserted = union(article_store.graph(GRAPH_ONTOLOGY), article_store.graph(GRAPH_FACTS))
        inferred = article_store.graph(GRAPH_INFERRED) if with_inferred else None
        assert_same(got, to_networkx(asserted, view, inferred=inferred, lang=lang))
    else:
        assert_same(got, article_views[(view, with_inferred, lang)])


def test_the_rdf_view_alone_reads_the_graphs_whole(article: tuple[Graph, Graph, Graph]) -> None:
    store = CountingStore(fill("oxigraph", *article))
    for view in ("entities", "supply", "footprint"):
        to_networkx_from_store(store, view, inferred=True)  # type: ignore[arg-type]
    with pytest.raises(AssertionError, match="copied"):
        to_networkx_from_store(store, "rdf")  # type: ignore[arg-type]


def test_unknown_view_or_language(article_store: Store) -> None:
    with pytest.raises(ParameterError, match="unknown view"):
        to_networkx_from_store(article_store, "plants")
    with pytest.raises(ParameterError, match="unknown language"):
        to_networkx_from_store(article_store, "supply", lang="de")


# -- a synthetic graph ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Graph]:
    """The ontology and a 20 000-triple synthetic industry graph (seed 1), reconciled as every load does: the
    generator writes each fact as its sources' claims, without the direct triples the views read (issue 10)."""
    path = tmp_path_factory.mktemp("synth") / "synth.nt"
    write_synth(path, triples=20_000, seed=1)
    ontology, facts = parse_files(ontology_files()), parse_files([path])
    added = reconciled(facts, ontology)
    assert len(added) > 0
    for triple in added:
        facts.add(triple)
    return ontology, facts


@pytest.fixture(scope="module")
def synthetic_views(synthetic: tuple[Graph, Graph]) -> dict[str, nx.MultiDiGraph]:
    asserted = union(*synthetic)
    return {view: to_networkx(asserted, view) for view in ("entities", "supply", "footprint")}


@pytest.mark.parametrize("kind", STORES)
@pytest.mark.parametrize("view", ["entities", "supply", "footprint"])
def test_a_synthetic_graph_projects_the_same_from_a_store(
    synthetic: tuple[Graph, Graph], synthetic_views: dict[str, nx.MultiDiGraph], kind: str, view: str
) -> None:
    store = CountingStore(fill(kind, *synthetic, None))
    got = to_networkx_from_store(store, view)  # type: ignore[arg-type]
    expected = synthetic_views[view]
    assert expected.number_of_edges() > 100
    if view == "supply":  # the generator's conflicting claims (issue 10): their attributes are compared too
        assert any("conflict_count" in data for _, _, data in expected.edges(data=True))
    assert_same(got, expected)
    # labels, classes and sources are asked for in bulk: a few queries per BATCH nodes, never one per node
    assert store.queries <= 12 + 4 * (got.number_of_nodes() + got.number_of_edges()) // BATCH


def test_synthetic_supplies_keep_every_source_and_count_once(synthetic_views: dict[str, nx.MultiDiGraph]) -> None:
    """Synthetic supplies cite two sources: the supply answers twice, its edge names both, its plant counts it once."""
    edges = list(synthetic_views["supply"].edges(data=True))
    assert any(len(data["source_document"].split()) > 1 for _, _, data in edges)
    for _, _, key, data in synthetic_views["footprint"].edges(keys=True, data=True):
        if key == "market":
            supplies = data["supplies"].split()
            assert len(supplies) == len(set(supplies)) == data["supply_count"]


# -- small graphs: repeats, blank nodes -----------------------------------------------------------

SMALL = b"""
@prefix akg: <https://w3id.org/alliance-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a a akg:Manufacturer ; rdfs:label "A"@en, "A fr"@fr .
ex:b a akg:Manufacturer ; rdfs:label "B" .
ex:s1 a akg:OEMSupply ; akg:supplier ex:a ; akg:customer ex:b ; akg:market ex:m1, ex:m2 ;
      akg:producedAt ex:p ; akg:vehicle _:v ; prov:wasDerivedFrom ex:doc2, ex:doc1 ;
      akg:productionStart [ rdfs:label "mid-2024"@en ; akg:earliest "2024-04-01"^^xsd:date ] .
_:v a akg:Vehicle ; rdfs:label "a blank vehicle"@en .
ex:p a akg:Plant ; akg:country ex:m1 ; rdfs:label "P"@en .
ex:m1 a akg:Country ; rdfs:label "M1"@en .
ex:m2 a akg:Market ; rdfs:label "M2"@en .
"""


@pytest.mark.parametrize("kind", STORES)
def test_a_triple_in_two_graphs_counts_once_and_blank_nodes_are_looked_up(kind: str) -> None:
    graph = parse_bytes(SMALL, format="turtle")
    store = fill(kind, graph, graph, None)  # every triple in the ontology graph and in the facts graph
    for view in ("entities", "supply", "footprint"):
        got = to_networkx_from_store(store, view)
        expected = to_networkx(graph, view)
        if view == "supply":  # the blank vehicle's label is the store's own; its rdfs:label is the same
            for projection in (got, expected):
                for _, _, data in projection.edges(data=True):
                    del data["vehicle"]
        assert_same(got, expected)
    [(_, _, supply)] = to_networkx_from_store(store, "supply").edges(data=True)
    assert supply["markets"] == "http://example.org/m1 http://example.org/m2"
    assert supply["source_document"] == "http://example.org/doc1 http://example.org/doc2"
    assert supply["vehicle_label"] == "a blank vehicle"
    assert supply["production_start"] == "mid-2024"
    assert str(supply["production_start_earliest"]) == "2024-04-01"
    footprint = to_networkx_from_store(store, "footprint")
    assert footprint.nodes["http://example.org/m1"]["group"] == "Market"  # a country that is also a market
    assert [d["supply_count"] for _, _, k, d in footprint.edges(keys=True, data=True) if k == "market"] == [1, 1]


# -- the command ----------------------------------------------------------------------------------


def test_export_from_an_oxigraph_store_writes_what_the_memory_path_writes(
    article: tuple[Graph, Graph, Graph], tmp_path: Path
) -> None:
    folder = tmp_path / "store"
    store = fill("oxigraph", *article)
    assert isinstance(store, OxigraphStore)
    on_disk = OxigraphStore(folder)
    for name in (GRAPH_ONTOLOGY, GRAPH_FACTS, GRAPH_INFERRED):
        on_disk.add(name, store.graph(name))
    on_disk.close()
    for view, extension in (("supply", "graphml"), ("footprint", "json"), ("entities", "gexf")):
        from_store, from_memory = tmp_path / f"store.{extension}", tmp_path / f"memory.{extension}"
        assert main(["export", "--view", view, "-o", str(from_store), "--store", f"oxigraph:{folder}"]) == 0
        assert main(["export", "--view", view, "-o", str(from_memory), "--store", "memory"]) == 0
        assert from_store.read_bytes() == from_memory.read_bytes(), view
    timeline = tmp_path / "timeline.svg"
    assert main(["export", "--format", "timeline", "-o", str(timeline), "--store", f"oxigraph:{folder}"]) == 0
    assert timeline.read_bytes().lstrip().startswith((b"<?xml", b"<svg"))
    assert read(tmp_path / "store.graphml", "graphml").number_of_edges() > 0
