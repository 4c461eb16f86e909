"""``sparql:URL`` stores against two real servers: every named query and export view answers as ``memory`` does.

A release is built once (``alliance_kg.build.build``), published to Oxigraph server and to OpenLink Virtuoso 7
(``alliance-kg publish``, SPARQL 1.1 Graph Store Protocol), then read back through :class:`SparqlStore` over the
SPARQL 1.1 Protocol. The baseline is a :class:`MemoryStore` holding the same release (its TriG, parsed by rdflib).
Answers are compared as multisets of rows of rdflib terms (blank nodes, whose labels are the server's, compared
as "a blank node"). Differences known and explained are listed in :data:`KNOWN_DIFFERENCES`; a listed
difference that disappears fails too, so the list stays true.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from servers import SERVER_NAMES, Server, shared_release, shared_server

from alliance_kg.errors import InputError, QueryError, ServiceError
from alliance_kg.knowledge_graph import KnowledgeGraph
from alliance_kg.named_queries import NamedQuery, named_queries
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY
from alliance_kg.publish import publish
from alliance_kg.store import MemoryStore, QueryAnswer, open_store, quiet_dataset_warnings
from alliance_kg.store_sparql import SparqlStore

#: (server, query) -> why its answer differs from memory's (rdflib), checked to still differ.
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {
    ("virtuoso", "timeline"): (
        "Virtuoso 7.2 does not see a variable bound by the top-level VALUES block (?lang) inside a FILTER of an "
        "OPTIONAL, so langMatches(lang(?dateLabel), ?lang) is never true and ?dateLabel stays unbound; SPARQL 1.1 "
        "(LeftJoin, whose condition sees both sides) and rdflib/Oxigraph bind it. With the language written "
        "into the query instead, Virtuoso answers as memory does."
    ),
    **{
        ("virtuoso", name): (
            "Virtuoso 7.2 answers a boolean the query computes (BIND(EXISTS {...} AS ?x), or a comparison of "
            "counts) as an xsd:integer, 0 or 1, where SPARQL 1.1 and rdflib/Oxigraph give xsd:boolean; the rows "
            "are otherwise the same."
        )
        for name in ("reconciled-timeline", "single-source-facts", "source-claims")
    },
    ("virtuoso", "describe-entity"): (
        "Virtuoso 7.2 does not see ?entity, bound by the top-level VALUES block, inside the NOT EXISTS of the "
        "group's FILTER, so the types implied by a narrower type (prov:Entity) are not filtered out: rows more. "
        "With the entity written into the query instead, Virtuoso answers as memory does."
    ),
}

XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")

#: (server, datatype) -> how the server rewrites literals of that datatype (checked to happen). Graph copies are
#: compared after the same rewriting of memory's literals; query answers are compared as they are.
LITERAL_NORMALISATIONS: dict[tuple[str, URIRef], str] = {
    ("oxigraph", XSD_DECIMAL): "stores xsd:decimal values, answered in canonical form: '1.0' comes back as '1'",
    ("virtuoso", XSD_DECIMAL): "stores xsd:decimal values, answered in canonical form: '1.0' comes back as '1'",
}


def normalised(term: Any, server: str) -> Any:
    """``term`` as ``server`` gives it back (see :data:`LITERAL_NORMALISATIONS`)."""
    if isinstance(term, Literal) and (server, term.datatype) in LITERAL_NORMALISATIONS:
        value = Decimal(str(term)).normalize()
        return Literal(format(value, "f"), datatype=term.datatype)
    return term


def normalised_graph(graph: Graph, server: str) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(tuple(normalised(term, server) for term in triple))  # type: ignore[arg-type]
    return copy


LIBRARY = {name: query for name, query in sorted(named_queries().items()) if not query.federated}
FEDERATED = sorted(name for name, query in named_queries().items() if query.federated)


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_release(tmp_path_factory)


@pytest.fixture(scope="module")
def memory(release: Path) -> MemoryStore:
    """The baseline: the release's named graphs in a MemoryStore (read with rdflib, not with the publisher)."""
    dataset = Dataset()
    with quiet_dataset_warnings():
        dataset.parse(release / "alliance-kg.trig", format="trig")
        store = MemoryStore()
        for context in dataset.graphs():
            if isinstance(context.identifier, URIRef) and len(context):
                store.add(str(context.identifier), context)
    return store


@pytest.fixture(scope="module", params=SERVER_NAMES)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, release: Path) -> Iterator[Server]:
    """Each server in turn, holding the release (published again at the start of this module)."""
    from alliance_kg.http import Credentials

    with shared_server(request.param, tmp_path_factory) as running:
        credentials = Credentials(running.user, running.password or "") if running.user else None
        publish(release, running.graph_store_url, query_url=running.query_url, credentials=credentials)
        yield running


@pytest.fixture(scope="module")
def remote(server: Server) -> SparqlStore:
    return SparqlStore(server.query_url, graph_store_url=server.graph_store_url.replace("-auth", ""))


@pytest.fixture(scope="module")
def entities(memory: MemoryStore) -> KnowledgeGraph:
    return KnowledgeGraph(memory)


def canonical(term: object) -> object:
    """A term as compared: blank nodes are all alike (their labels belong to whoever answered)."""
    return "_:" if isinstance(term, BNode) else term


def answer_key(answer: QueryAnswer) -> tuple[str, Any]:
    """What two answers must share: the form, and the variables with a multiset of rows (or the boolean)."""
    if answer.form == "ASK":
        return "ASK", answer.boolean
    if answer.form == "SELECT":
        variables = answer.variables
        rows = Counter(
            frozenset((name, canonical(term)) for name, term in zip(variables, row, strict=True) if term is not None)
            for row in answer
        )
        return "SELECT", (frozenset(variables), rows)
    return answer.form, Counter(tuple(canonical(term) for term in triple) for triple in set(answer))


def difference(got: tuple[str, Any], expected: tuple[str, Any]) -> str:
    """The first rows one answer has and the other lacks, for a failure message."""
    if got[0] != "SELECT" or expected[0] != "SELECT":
        return f"{got} != {expected}"
    more, fewer = got[1][1] - expected[1][1], expected[1][1] - got[1][1]
    return f"rows more: {sorted(map(sorted, more), key=str)[:3]}; rows fewer: {sorted(map(sorted, fewer), key=str)[:3]}"


def run(store: Any, kg: KnowledgeGraph, query: NamedQuery) -> QueryAnswer:
    answer: QueryAnswer = store.query(kg.prologue() + query.text, bindings=query.bindings(entities=kg.entities))
    return answer


def test_the_library_is_all_there() -> None:
    assert len(LIBRARY) >= 15
    # the federated queries call Wikidata (the network): they are not run here, on any store
    assert all(named_queries()[name].text.upper().count("SERVICE") for name in FEDERATED)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_named_query_answers_as_memory_does(
    name: str, server: Server, remote: SparqlStore, memory: MemoryStore, entities: KnowledgeGraph
) -> None:
    query = LIBRARY[name]
    expected = answer_key(run(memory, entities, query))
    got = answer_key(run(remote, entities, query))
    known = KNOWN_DIFFERENCES.get((server.name, name))
    if known is None:
        assert got == expected, f"{server.name} answers {name} differently: {difference(got, expected)}"
    else:
        assert got != expected, f"{server.name} now answers {name} as memory does: drop it from KNOWN_DIFFERENCES"


def test_no_stale_known_differences() -> None:
    for server_name, query_name in KNOWN_DIFFERENCES:
        assert server_name in SERVER_NAMES
        assert query_name in LIBRARY
    assert {server_name for server_name, _ in LITERAL_NORMALISATIONS} <= set(SERVER_NAMES)


def test_entity_index_over_the_server_is_the_same(remote: SparqlStore, memory: MemoryStore) -> None:
    """Labels and types (how entity parameters are resolved) read over the protocol equal memory's."""
    from alliance_kg.named_queries import Parameter

    iris = [str(row[0]) for row in memory.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")]
    over_http, local = KnowledgeGraph(remote).entities, KnowledgeGraph(memory).entities
    assert over_http.labels(iris) == local.labels(iris)
    assert over_http.types(iris) == local.types(iris)
    plant = Parameter(name="plant", type="entity(akg:Plant)")
    assert over_http.resolve("Okazaki", plant) == local.resolve("Okazaki", plant)


def test_graphs_counts_and_copies(server: Server, remote: SparqlStore, memory: MemoryStore) -> None:
    assert remote.graph_names() == memory.graph_names() == sorted([GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY])
    assert remote.count() == memory.count() == len(remote)
    rewritten: set[URIRef] = set()
    for name in memory.graph_names():
        assert remote.count(name) == memory.count(name)
        copy = Counter(tuple(map(canonical, t)) for t in remote.graph(name))
        baseline = Counter(tuple(map(canonical, t)) for t in memory.graph(name))
        for triple in (copy - baseline) + (baseline - copy):  # only the listed rewritings, nothing else
            literal = triple[2]
            assert isinstance(literal, Literal), triple
            assert (server.name, literal.datatype) in LITERAL_NORMALISATIONS, triple
            rewritten.add(literal.datatype)  # type: ignore[arg-type]
        same = Counter(tuple(canonical(normalised(x, server.name)) for x in t) for t in memory.graph(name))
        assert copy == same
    assert rewritten == {datatype for (name, datatype) in LITERAL_NORMALISATIONS if name == server.name}
    assert remote.count("https://w3id.org/alliance-kg/graph/none") == 0
    assert len(remote.graph("https://w3id.org/alliance-kg/graph/none")) == 0


def test_dump_round_trips(server: Server, remote: SparqlStore, memory: MemoryStore) -> None:
    from rdflib.compare import isomorphic

    for name in memory.graph_names():
        data = remote.dump(name, "turtle")
        assert isinstance(data, bytes)
        assert isomorphic(Graph().parse(data=data, format="turtle"), normalised_graph(memory.graph(name), server.name))
    everything = Dataset()
    with quiet_dataset_warnings():
        everything.parse(data=remote.dump(None, "nquads"), format="nquads")
        assert sum(len(everything.graph(URIRef(name))) for name in memory.graph_names()) == memory.count()
    with pytest.raises(InputError, match="named graphs"):
        remote.dump(None, "turtle")


def test_export_views_are_the_same(server: Server, remote: SparqlStore, memory: MemoryStore) -> None:
    """The export layer takes rdflib graphs: the same views from copies of the server's graphs as from memory's."""
    from alliance_kg.export import VIEWS, to_networkx

    def views(store: Any) -> dict[str, Any]:
        def copy(name: str) -> Graph:
            return normalised_graph(store.graph(name), server.name)

        asserted = copy(GRAPH_ONTOLOGY) + copy(GRAPH_FACTS)
        inferred = copy(GRAPH_INFERRED)
        out: dict[str, Any] = {}
        for view in VIEWS:
            network = to_networkx(asserted, view, inferred=inferred)
            out[view] = (
                sorted((node, sorted(data.items())) for node, data in network.nodes(data=True)),
                sorted((u, v, k, sorted(data.items())) for u, v, k, data in network.edges(keys=True, data=True)),
            )
        return out

    assert views(remote) == views(memory)


def test_union_default_graph_is_only_the_knowledge_graph(server: Server, remote: SparqlStore) -> None:
    """Virtuoso's own default graph is every graph it holds, its system graphs too: the store never sees them."""
    types = remote.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows()
    assert sorted(str(row[0]) for row in types) == remote.graph_names()
    virtrdf = remote.query("ASK { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'http://www.openlinksw.com/')) }")
    assert virtrdf.boolean is False
    if server.name == "virtuoso":
        assert remote.server.startswith("Virtuoso")


def test_bindings_terms_and_one_graph(remote: SparqlStore, memory: MemoryStore) -> None:
    akg = "https://w3id.org/alliance-kg/ontology#"
    query = "SELECT ?plant ?label WHERE { ?plant a ?cls ; rdfs:label ?label }"  # rdfs:, not declared: prepended
    bindings = {"cls": URIRef(akg + "Plant"), "label": Literal("Okazaki plant", lang="en")}
    rows = remote.query(query, bindings=bindings).rows()
    assert rows == memory.query(query, bindings=bindings).rows()
    assert len(rows) == 1
    assert rows[0][1] == Literal("Okazaki plant", lang="en")
    typed = remote.query("SELECT ?d WHERE { ?x akg:earliest ?d } ORDER BY ?d LIMIT 1").rows()
    assert typed[0][0].datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")  # type: ignore[union-attr]
    ontology_only = "SELECT (COUNT(*) AS ?n) WHERE { ?s a akg:Plant }"
    assert remote.query(ontology_only, graph=GRAPH_ONTOLOGY).rows()[0][0] == Literal(0)
    assert (
        remote.query(ontology_only, graph=GRAPH_FACTS).rows() == memory.query(ontology_only, graph=GRAPH_FACTS).rows()
    )


def test_server_errors(remote: SparqlStore) -> None:
    with pytest.raises(QueryError, match="the server refused the query"):
        remote.query("SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(QueryError, match="read-only"):
        remote.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    for write in (
        lambda: remote.update("CLEAR ALL"),
        lambda: remote.clear(GRAPH_FACTS),
        lambda: remote.add(GRAPH_FACTS, []),
        lambda: remote.load(b"", GRAPH_FACTS),
    ):
        with pytest.raises(InputError, match="alliance-kg publish"):
            write()
    broken = SparqlStore(remote.url.rsplit("/", 1)[0] + "/no-such-endpoint")
    with pytest.raises(ServiceError) as caught:
        broken.count()
    assert caught.value.status is not None
    assert caught.value.status >= 400


def test_timeout_holds(server: Server, remote: SparqlStore) -> None:
    """A query past its timeout is a QueryError: from the HTTP timeout, or Virtuoso's own (partial answers refused)."""
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 1750³ rows to count
    with pytest.raises(QueryError, match="timeout"):
        remote.query(slow, timeout=0.5).rows()
    assert remote.query("ASK { ?s ?p ?o }", timeout=10).boolean is True  # the server still answers


def test_open_store_spec(server: Server) -> None:
    store = open_store(f"sparql:{server.query_url}")
    assert isinstance(store, SparqlStore)
    assert store.kind == "sparql"
    assert store.count(GRAPH_FACTS) > 0


def test_the_query_layer_and_the_cli_over_the_server(
    server: Server, memory: MemoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a user runs: ``akg.load(store="sparql:URL")`` and ``alliance-kg query --store sparql:URL``."""
    import json

    import alliance_kg as akg
    from alliance_kg.cli import main
    from alliance_kg.results import QueryResult

    spec = f"sparql:{server.query_url}"
    remote_kg = akg.load(store=spec)
    assert remote_kg.store.kind == "sparql"
    local_kg = KnowledgeGraph(memory)
    for name in ("supplies-by-market", "plants-building-for-others", "mitsubishi-builds-for-nissan"):
        got = remote_kg.query(name, market="North America") if name == "supplies-by-market" else remote_kg.query(name)
        expected = (
            local_kg.query(name, market="North America") if name == "supplies-by-market" else local_kg.query(name)
        )
        assert isinstance(got, QueryResult)
        assert isinstance(expected, QueryResult)
        assert got.vars == expected.vars, name
        assert sorted(map(str, got.terms)) == sorted(map(str, expected.terms)), name
    assert (
        main(["query", "supplies-by-plant", "--param", "plant=Okazaki plant", "--format", "json", "--store", spec]) == 0
    )
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert {row["supply"]["value"] for row in rows} == {
        str(row[0])
        for row in local_kg.store.query(
            "SELECT ?s WHERE { ?s <https://w3id.org/alliance-kg/ontology#producedAt> "
            "<https://w3id.org/alliance-kg/id/plant/okazaki> }"
        )
    }
