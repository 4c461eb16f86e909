"""The SERVICE policy and the federated runner, against the stand-in SPARQL endpoint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.sparql import prepareQuery
from wikidata_standin import StandIn

from alliance_kg.errors import QueryError, ServiceError
from alliance_kg.loading import load_project
from alliance_kg.named_queries import parse_named_query
from alliance_kg.wikidata.client import WikidataClient
from alliance_kg.wikidata.federation import (
    WIKIDATA_SPARQL,
    check_services,
    federated_query_files,
    run_federated,
    service_clauses,
    service_targets,
)

MakeClient = Callable[..., WikidataClient]
WD = "http://www.wikidata.org/entity/"
SIMPLE = "SELECT * WHERE { ?s ?p ?o }"
FEDERATED = f"SELECT * WHERE {{ SERVICE <{WIKIDATA_SPARQL}> {{ ?s ?p ?o }} }}"


def no_lookup(host: str) -> list[str]:
    raise AssertionError(f"looked up {host}")


@pytest.fixture(scope="module")
def facts() -> Graph:
    return load_project().facts


def local(query: str, standin: StandIn) -> str:
    """The query with the Wikidata endpoint replaced by the stand-in's."""
    return query.replace(WIKIDATA_SPARQL, standin.sparql_url)


# -- the policy -----------------------------------------------------------------------------------------------------


def test_queries_without_service_pass() -> None:
    assert check_services(SIMPLE) == []
    assert check_services(SIMPLE, allow=["wikidata"]) == []


def test_service_needs_explicit_permission() -> None:
    with pytest.raises(QueryError, match=r"is not allowed \(run it with --allow-service wikidata") as caught:
        check_services(FEDERATED, name="q")
    assert caught.value.query == "q"
    assert check_services(FEDERATED, allow=["wikidata"], resolve=lambda host: ["208.80.154.224"]) == [WIKIDATA_SPARQL]
    assert check_services(FEDERATED.replace("https://query", "HTTPS://QUERY"), allow=["wikidata"])


def test_other_targets_are_refused() -> None:
    other = FEDERATED.replace(WIKIDATA_SPARQL, "https://dbpedia.org/sparql")
    with pytest.raises(QueryError, match="not allowed"):
        check_services(other, allow=["wikidata"])
    assert check_services(other, allow=["https://dbpedia.org/sparql"]) == ["https://dbpedia.org/sparql"]
    with pytest.raises(QueryError, match="must be a fixed endpoint"):
        check_services("SELECT * WHERE { BIND(<http://x/> AS ?e) SERVICE ?e { ?s ?p ?o } }", allow=["wikidata"])
    with pytest.raises(QueryError, match="known name"):
        check_services(FEDERATED, allow=["dbpedia"])
    with pytest.raises(QueryError, match="not an http"):
        check_services(FEDERATED.replace(WIKIDATA_SPARQL, "ftp://example.org/sparql"), allow=["wikidata"])


@pytest.mark.parametrize(
    "endpoint", ["http://127.0.0.1:8890/sparql", "http://10.0.0.5/sparql", "http://[::1]/sparql", "http://localhost/q"]
)
def test_private_and_loopback_only_by_exact_url(endpoint: str) -> None:
    query = FEDERATED.replace(WIKIDATA_SPARQL, endpoint)
    with pytest.raises(QueryError, match="not allowed"):
        check_services(query, allow=["wikidata"])
    assert check_services(query, allow=[endpoint], resolve=no_lookup) == [endpoint]


def test_alias_resolving_to_a_private_address_is_refused() -> None:
    with pytest.raises(QueryError, match=r"non-public address \(127.0.0.1\)"):
        check_services(FEDERATED, allow=["wikidata"], resolve=lambda host: ["127.0.0.1"])
    with pytest.raises(QueryError, match="non-public"):
        check_services(FEDERATED, allow=["wikidata"], resolve=lambda host: ["192.168.1.20", "208.80.154.224"])
    # allowed by its exact URL, the endpoint may resolve anywhere
    assert check_services(FEDERATED, allow=[WIKIDATA_SPARQL], resolve=lambda host: ["127.0.0.1"])


def test_targets_come_from_the_algebra_not_from_text() -> None:
    tricky = f"""
    # SERVICE <http://evil.example/sparql> {{ ?x ?y ?z }} in a comment
    SELECT * WHERE {{
      ?s <http://x/p> "SERVICE <http://evil.example/sparql> {{ }}" .
      OPTIONAL {{ SERVICE SILENT <{WIKIDATA_SPARQL}> {{ ?s <http://x/q> "}}" }} }}
    }}"""
    assert service_targets(tricky) == [WIKIDATA_SPARQL]
    (clause,) = service_clauses(tricky)
    assert clause.silent
    assert clause.target == WIKIDATA_SPARQL
    assert clause.body.strip() == '?s <http://x/q> "}"'


def test_malformed_query() -> None:
    with pytest.raises(QueryError, match="cannot parse"):
        check_services("SELECT * WHERE { SERVICE }", allow=["wikidata"])


# -- the shipped federated queries ----------------------------------------------------------------------------------


def test_federated_queries_parse_and_have_headers() -> None:
    files = federated_query_files()
    assert len(files) >= 3
    for path in files:
        named = parse_named_query(path)
        assert named.title
        assert "--allow-service wikidata" in named.description
        prepareQuery(named.text)
        assert service_targets(named.text) == [WIKIDATA_SPARQL]
        with pytest.raises(QueryError, match="not allowed"):
            check_services(named.text, name=named.name)


def _run(standin: StandIn, make_client: MakeClient, facts: Graph, name: str) -> list[dict[str, str]]:
    (path,) = [p for p in federated_query_files() if p.stem == name]
    result = run_federated(
        facts, local(path.read_text(encoding="utf-8"), standin), allow=[standin.sparql_url], client=make_client()
    )
    return [{str(k): str(v) for k, v in row.asdict().items()} for row in result]  # type: ignore[union-attr]


def test_vehicle_manufacturers(standin: StandIn, make_client: MakeClient, facts: Graph) -> None:
    rows = _run(standin, make_client, facts, "wikidata-vehicle-manufacturers")
    assert [(r["vehicleLabel"], r["manufacturerLabel"], r["countryLabel"]) for r in rows] == [
        ("Nissan Leaf", "Nissan", "Japan"),
        ("Nissan Livina", "Nissan", "Japan"),
        ("Nissan Rogue", "Nissan", "Japan"),
    ]
    assert all(r["manufacturer"] == WD + "Q20165" for r in rows)
    first = standin.requests[0]
    assert first.headers["User-Agent"].startswith("alliance-kg/")
    assert "VALUES (?item)" in first.params["query"]


def test_place_countries_and_manufacturer_parents(standin: StandIn, make_client: MakeClient, facts: Graph) -> None:
    (jakarta,) = _run(standin, make_client, facts, "wikidata-place-countries")
    assert jakarta["wikidataCountry"] == jakarta["ourCountryItem"] == WD + "Q252"
    assert jakarta["coordinates"] == "Point(106.8 -6.2)"
    parents = _run(standin, make_client, facts, "wikidata-manufacturer-parents")
    assert [(r["manufacturerLabel"], r["countryLabel"], r.get("parentLabel")) for r in parents] == [
        ("Mitsubishi Motors", "Japan", "Example Holding (test fixture)"),
        ("Nissan", "Japan", None),
    ]


def test_each_service_clause_sends_its_own_text(standin: StandIn, make_client: MakeClient) -> None:
    """rdflib 7.6 sends the first clause's text to every SERVICE; the runner does not."""
    other = standin.sparql_url.replace("127.0.0.1", "localhost")
    query = f"""PREFIX wd: <{WD}> PREFIX wdt: <http://www.wikidata.org/prop/direct/>
    SELECT ?country ?class WHERE {{
      SERVICE <{standin.sparql_url}> {{ wd:Q3630 wdt:P17 ?country }}
      SERVICE <{other}> {{ ?country wdt:P31 ?class }}
    }}"""
    result = run_federated(Graph(), query, allow=[standin.sparql_url, other], client=make_client())
    assert [(str(r[0]), str(r[1])) for r in result] == [(WD + "Q252", WD + "Q6256")]  # type: ignore[index]
    bodies = [r.params["query"] for r in standin.requests]
    assert "wd:Q3630 wdt:P17 ?country" in bodies[0]
    assert "?country wdt:P31 ?class" in bodies[1]
    assert "VALUES (?country)" in bodies[1]


def test_refused_query_sends_nothing(standin: StandIn, make_client: MakeClient, facts: Graph) -> None:
    (path,) = [p for p in federated_query_files() if p.stem == "wikidata-vehicle-manufacturers"]
    with pytest.raises(QueryError, match="not allowed"):
        run_federated(facts, local(path.read_text(encoding="utf-8"), standin), allow=[], client=make_client())
    with pytest.raises(QueryError, match="not allowed"):
        run_federated(facts, local(path.read_text(encoding="utf-8"), standin), allow=["wikidata"], client=make_client())
    assert standin.requests == []


def test_failing_service(standin: StandIn, make_client: MakeClient) -> None:
    query = local(FEDERATED, standin)
    standin.fail("badjson", times=5)
    with pytest.raises(ServiceError, match="broken JSON"):
        run_federated(Graph(), query, allow=[standin.sparql_url], client=make_client())
    standin.fail("html", times=5)
    silent = query.replace("SERVICE", "SERVICE SILENT")
    assert len(run_federated(Graph(), silent, allow=[standin.sparql_url], client=make_client())) == 1


def test_slow_service_times_out(standin: StandIn, make_client: MakeClient) -> None:
    standin.slow_seconds = 0.3
    standin.fail("slow", times=5)
    with pytest.raises(ServiceError, match=r"no answer within 0\.1 s"):
        run_federated(
            Graph(),
            local(FEDERATED, standin),
            allow=[standin.sparql_url],
            client=make_client(timeout=0.1, max_retries=0),
        )


def test_store_and_bindings(standin: StandIn, make_client: MakeClient, tmp_path: Path) -> None:
    from alliance_kg.store import MemoryStore

    store = MemoryStore()
    graph = Graph()
    graph.add((URIRef("https://w3id.org/alliance-kg/id/city/jakarta"), URIRef("http://x/link"), URIRef(WD + "Q3630")))
    store.add("https://example.org/g", graph)
    query = local(
        "SELECT ?c WHERE { ?e <http://x/link> ?item . "
        f"SERVICE <{WIKIDATA_SPARQL}> {{ ?item <http://www.wikidata.org/prop/direct/P17> ?c }} }}",
        standin,
    )
    bindings = {"e": URIRef("https://w3id.org/alliance-kg/id/city/jakarta")}
    result = run_federated(store, query, allow=[standin.sparql_url], client=make_client(), bindings=bindings)
    assert [str(r[0]) for r in result] == [WD + "Q252"]  # type: ignore[index]


def test_through_the_query_layer(standin: StandIn, tmp_path: Path) -> None:
    """The query layer applies the policy and runs allowed SERVICE clauses through run_federated."""
    from alliance_kg.knowledge_graph import load

    (path,) = [p for p in federated_query_files() if p.stem == "wikidata-place-countries"]
    copy = tmp_path / path.name
    copy.write_text(local(path.read_text(encoding="utf-8"), standin), encoding="utf-8")
    kg = load()
    with pytest.raises(QueryError, match="not allowed"):
        kg.query(copy)
    assert standin.requests == []
    result = kg.query(copy, allow_service=[standin.sparql_url])
    assert len(standin.requests) == 1
    assert "Point(106.8 -6.2)" in str(result.to_json())  # type: ignore[union-attr]
