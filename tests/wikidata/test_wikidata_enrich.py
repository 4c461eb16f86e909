"""Enrichment from the stand-in SPARQL endpoint: separate file, provenance, cache, disagreements."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.plugins.sparql import prepareQuery
from wikidata_standin import StandIn

from alliance_kg.cli import main
from alliance_kg.loading import load_project
from alliance_kg.store import Store
from alliance_kg.wikidata import enrich, sssom
from alliance_kg.wikidata.client import WikidataClient
from alliance_kg.wikidata.graph_reads import store_of

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
ID = "https://w3id.org/alliance-kg/id/"
MakeClient = Callable[..., WikidataClient]


@pytest.fixture(scope="module")
def facts() -> Iterator[Store]:
    """The project's facts, in the kind of store ``enrich`` reads them from."""
    store = store_of(load_project().facts)
    yield store
    store.close()


def test_query_file_parses_and_takes_only_item_ids() -> None:
    prepareQuery(enrich.ENRICHMENT_QUERY.read_text(encoding="utf-8"))
    query = enrich.enrichment_query(["Q17", "Q3630"])
    assert "VALUES ?item { <http://www.wikidata.org/entity/Q17> <http://www.wikidata.org/entity/Q3630> }" in query
    prepareQuery(query)
    with pytest.raises(ValueError, match="not Wikidata item ids"):
        enrich.enrichment_query(["Q17 } ; DROP ALL ; {"])


def test_linked_items(facts: Store) -> None:
    assert enrich.linked_items(facts, sssom.links_graph()) == [
        "Q17", "Q49", "Q252", "Q869", "Q3630", "Q11708", "Q20165", "Q36033", "Q911323", "Q1477864", "Q1993748",
        "Q1993846",
    ]  # fmt: skip


def test_fetch_keeps_wikidata_statements_apart_with_provenance(
    standin: StandIn, make_client: MakeClient, facts: Store
) -> None:
    result = enrich.fetch_enrichment(enrich.linked_items(facts), make_client())
    graph = result.graph
    jakarta = URIRef(WD + "Q3630")
    assert (jakarta, URIRef(WDT + "P625"), None) in graph
    assert (jakarta, URIRef(WDT + "P17"), URIRef(WD + "Q252")) in graph
    assert Literal("ジャカルタ", lang="ja") in set(graph.objects(jakarta, None))
    assert (URIRef(WD + "Q36033"), URIRef(WDT + "P749"), URIRef(WD + "Q99990010")) in graph
    assert not [s for s in graph.subjects() if str(s).startswith(ID)]  # nothing said about our entities
    node = URIRef(enrich.GRAPH_WIKIDATA)
    assert graph.value(node, PROV.wasDerivedFrom) == URIRef(standin.sparql_url)
    assert graph.value(node, PROV.generatedAtTime) is not None
    assert len(standin.requests) == 1
    assert "VALUES ?item" in standin.requests[0].params["query"]


def test_write_load_and_second_run_from_cache(
    standin: StandIn, make_client: MakeClient, facts: Store, tmp_path: Path
) -> None:
    assert enrich.load_enrichment(tmp_path / "absent.ttl") is None
    first = enrich.fetch_enrichment(enrich.linked_items(facts), make_client())
    path = enrich.write_enrichment(first, tmp_path / "enrichment" / "wikidata.ttl")
    loaded = enrich.load_enrichment(path)
    assert loaded is not None
    assert len(loaded) == len(first.graph)
    client = make_client()
    second = enrich.fetch_enrichment(enrich.linked_items(facts), client)
    assert client.requests_made == 0
    assert second.retrieved == first.retrieved  # the provenance keeps the original retrieval time
    assert len(standin.requests) == 1


def test_no_disagreement_today_and_one_when_wikidata_differs(make_client: MakeClient, facts: Store) -> None:
    links = sssom.links_graph()
    graph = enrich.fetch_enrichment(enrich.linked_items(facts, links), make_client()).graph
    assert enrich.disagreements(facts, graph, links=links) == []

    altered = Graph()
    for triple in graph:
        altered.add(triple)
    altered.remove((URIRef(WD + "Q3630"), URIRef(WDT + "P17"), None))
    altered.add((URIRef(WD + "Q3630"), URIRef(WDT + "P17"), URIRef(WD + "Q869")))
    altered.remove((URIRef(WD + "Q1993846"), URIRef(WDT + "P176"), None))
    altered.add((URIRef(WD + "Q1993846"), URIRef(WDT + "P176"), URIRef(WD + "Q36033")))
    found = enrich.disagreements(facts, altered, links=links)
    assert [(d.entity[len(ID) :], d.property) for d in found] == [
        ("city/jakarta", "country"),
        ("vehicle/nissan-rogue", "manufacturer"),
    ]
    assert found[0].message == (
        "id:city/jakarta: country is id:country/indonesia (wd:Q252) here, but Wikidata's wd:Q3630 says "
        "wd:Q869 (Thailand)"
    )


def test_enrich_command(standin: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "wikidata.ttl"
    argv = ["enrich", "--out", str(out), "--wikidata-sparql", standin.sparql_url, "--cache-dir", str(tmp_path / "c")]
    assert main(argv) == 0
    assert "about 12 linked Wikidata items" in capsys.readouterr().out
    written = out.read_text(encoding="utf-8")
    assert written.startswith("# Wikidata enrichment")

    standin.fail("html", times=10)
    assert main([*argv, "--refresh"]) == 2
    assert "answered an HTML page" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == written  # the previous file is kept


def test_for_build(make_client: MakeClient, facts: Store, tmp_path: Path) -> None:
    absent = enrich.for_build(facts, tmp_path / "none.ttl")
    assert absent.graph is None
    assert absent.warnings == ()
    result = enrich.fetch_enrichment(enrich.linked_items(facts), make_client())
    result.graph.set((URIRef(WD + "Q3630"), URIRef(WDT + "P17"), URIRef(WD + "Q17")))
    path = enrich.write_enrichment(result, tmp_path / "wikidata.ttl")
    present = enrich.for_build(facts, path)
    assert present.graph is not None
    assert present.graph.identifier == URIRef(enrich.GRAPH_WIKIDATA)
    assert [str(w) for w in present.warnings] == [
        "id:city/jakarta: country is id:country/indonesia (wd:Q252) here, but Wikidata's wd:Q3630 says wd:Q17 (Japan)"
    ]
