"""The storage contract, run against every Store implementation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef

from alliance_kg.store import MemoryStore, Store

EX = "http://example.org/"
G1 = "https://w3id.org/alliance-kg/graph/test-1"
G2 = "https://w3id.org/alliance-kg/graph/test-2"

IMPLEMENTATIONS: list[Callable[[], Store]] = [MemoryStore]


def sample(n: int) -> Graph:
    graph = Graph()
    for i in range(n):
        graph.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(i)))
    return graph


@pytest.fixture(params=IMPLEMENTATIONS, ids=lambda factory: factory.__name__)
def store(request: pytest.FixtureRequest) -> Store:
    factory: Callable[[], Store] = request.param
    return factory()


def test_is_a_store(store: Store) -> None:
    assert isinstance(store, Store)


def test_empty(store: Store) -> None:
    assert len(store) == 0
    assert store.graph_names() == []
    assert len(store.union()) == 0
    assert len(store.graph(G1)) == 0


def test_add_and_read_back(store: Store) -> None:
    store.add(G1, sample(3))
    store.add(G2, sample(2))
    assert store.graph_names() == [G1, G2]
    assert len(store) == 5
    assert len(store.graph(G1)) == 3
    assert len(store.union()) == 3  # the two graphs share two triples


def test_add_copies_and_graph_returns_copies(store: Store) -> None:
    triples = sample(2)
    store.add(G1, triples)
    triples.add((URIRef(f"{EX}late"), URIRef(f"{EX}p"), Literal("x")))
    assert len(store.graph(G1)) == 2
    copy = store.graph(G1)
    copy.remove((None, None, None))
    assert len(store.graph(G1)) == 2
    union = store.union()
    union.remove((None, None, None))
    assert len(store) == 2


def test_query_union_and_named_graph(store: Store) -> None:
    store.add(G1, sample(3))
    store.add(G2, sample(5))
    query = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"
    assert [int(row[0]) for row in store.query(query)] == [5]  # type: ignore[index]
    assert [int(row[0]) for row in store.query(query, graph=G1)] == [3]  # type: ignore[index]


def test_query_with_bindings(store: Store) -> None:
    store.add(G1, sample(3))
    rows = list(
        store.query(
            "SELECT ?o WHERE { ?s ?p ?o }",
            bindings={"s": URIRef(f"{EX}s1")},
        )
    )
    assert rows == [(Literal(1),)]


def test_query_named_graphs_by_name(store: Store) -> None:
    store.add(G1, sample(1))
    store.add(G2, sample(1))
    rows = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    assert [str(row[0]) for row in rows] == [G1, G2]  # type: ignore[index]
