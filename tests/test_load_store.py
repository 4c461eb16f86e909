"""``akg.load(store=...)``: the knowledge graph on either store answers every named query the same way."""

from __future__ import annotations

import pytest

import alliance_kg as akg
from alliance_kg.errors import ParameterError
from alliance_kg.knowledge_graph import KnowledgeGraph
from alliance_kg.results import QueryResult
from alliance_kg.store import MemoryStore
from alliance_kg.store_oxigraph import OxigraphStore

#: query name -> why its rows are compared as a multiset, not in order.
UNORDERED = {
    "describe-entity": "ORDER BY ?value ties between labels in different languages: SPARQL leaves their order open",
}


@pytest.fixture(scope="module")
def memory() -> KnowledgeGraph:
    return akg.load()


@pytest.fixture(scope="module")
def oxigraph() -> KnowledgeGraph:
    return akg.load(store="oxigraph")


def test_store_by_name(memory: KnowledgeGraph, oxigraph: KnowledgeGraph) -> None:
    assert isinstance(memory.store, MemoryStore)
    assert isinstance(akg.load(store="memory").store, MemoryStore)
    assert isinstance(oxigraph.store, OxigraphStore)
    assert oxigraph.store.graph_names() == memory.store.graph_names()
    assert len(oxigraph.store) == len(memory.store)


def test_store_instance_is_filled() -> None:
    store = OxigraphStore()
    kg = akg.load(store=store, reasoning=False)
    assert kg.store is store
    assert len(store) > 0


def test_unknown_store_name() -> None:
    with pytest.raises(ParameterError, match="oxigraph"):
        akg.load(store="postgres")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(n for n, q in akg.queries().items() if q.path.parent.name != "federated"))
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_named_queries_agree(memory: KnowledgeGraph, oxigraph: KnowledgeGraph, name: str, lang: str) -> None:
    expected = memory.query(name, lang=lang)
    got = oxigraph.query(name, lang=lang)
    if not isinstance(expected, QueryResult):
        assert not isinstance(got, QueryResult)
        assert set(got) == set(expected)
        return
    assert isinstance(got, QueryResult)
    assert got.vars == expected.vars
    if name in UNORDERED:
        assert sorted(map(repr, got.rows)) == sorted(map(repr, expected.rows))
    else:
        assert got.rows == expected.rows


def test_sparql_with_bindings_agrees(memory: KnowledgeGraph, oxigraph: KnowledgeGraph) -> None:
    import datetime as dt

    text = (
        "SELECT ?supply ?latest WHERE { ?supply akg:salesStart ?start . ?start akg:latest ?latest "
        "FILTER(?latest < ?before) } ORDER BY ?latest ?supply"
    )
    expected = memory.sparql(text, before=dt.date(2026, 4, 1))
    got = oxigraph.sparql(text, before=dt.date(2026, 4, 1))
    assert isinstance(expected, QueryResult)
    assert isinstance(got, QueryResult)
    assert got.rows == expected.rows
    assert expected.rows
