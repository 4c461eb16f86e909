"""The named queries over claims (issue 10): what a source says, where sources disagree, facts on one source, the
reconciled timeline and the sources of each supply.

They run on a small fixture (``tests/fixtures/claims/three-sources.ttl``: three sources, three supplies and a
vehicle, with the reconciliations and conflicts the build computes written out), on memory and Oxigraph, with and
without reasoning; and on the project's own claims once ``data/claims/`` holds them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from testpaths import FIXTURES, REPO

import alliance_kg as akg
from alliance_kg.errors import ParameterError
from alliance_kg.knowledge_graph import KnowledgeGraph
from alliance_kg.results import QueryResult

ID = "https://w3id.org/alliance-kg/id/"
AKG = "https://w3id.org/alliance-kg/ontology#"
FIXTURE = FIXTURES / "claims" / "three-sources.ttl"
QUERIES = ("source-claims", "source-conflicts", "single-source-facts", "reconciled-timeline", "supply-sources")

DAILY, WIRE, BLOG = (f"{ID}source/{name}-2026-01" for name in ("daily", "wire", "blog"))
PICKUP, BEV, SUV = (f"{ID}supply/{name}" for name in ("pickup-plant-one", "bev-north-america", "suv-plant-two"))


def claim(source: str, path: str) -> str:
    return f"{ID}claim/{source}-2026-01/{path}"


@pytest.fixture(scope="module", params=[False, True], ids=["asserted", "reasoned"])
def kg(request: pytest.FixtureRequest) -> KnowledgeGraph:
    """The fixture on the memory store, without and with OWL-RL reasoning: the answers must be the same."""
    return akg.load(paths=[FIXTURE], reasoning=request.param)


@pytest.fixture(scope="module")
def oxigraph() -> KnowledgeGraph:
    return akg.load(paths=[FIXTURE], store="oxigraph")


def rows(kg: KnowledgeGraph, name: str, params: dict[str, object] | None = None) -> list[dict[str, object]]:
    result = kg.query(name, params or {})
    assert isinstance(result, QueryResult)
    return result.rows


def test_the_queries_are_in_the_library_with_their_parameters() -> None:
    library = akg.queries()
    for name in QUERIES:
        assert name in library
        assert library[name].form == "SELECT"
        assert library[name].description.endswith((".", "?"))
        assert "ORDER BY" in library[name].text, f"{name}: rows in a fixed order"
    [source] = library["source-claims"].parameters
    assert (source.name, source.base_type) == ("source", "entity")
    assert source.default == "source:mitsubishi-nissan-oem-2026"
    assert all(not library[name].parameters for name in QUERIES[1:])


def test_the_fixture_is_what_the_build_computes() -> None:
    """The reconciliations and conflicts written in the fixture are those alliance_kg.claims computes from its
    claims: take them out, compute them again, and nothing is missing or extra."""
    claims = pytest.importorskip("alliance_kg.claims")
    from alliance_kg import resources
    from alliance_kg.loading import parse_files

    fixture = Graph().parse(FIXTURE)
    reconciliations = set(fixture.subjects(RDF.type, URIRef(AKG + "Reconciliation")))
    direct = {
        (fixture.value(r, URIRef(AKG + "factSubject")), fixture.value(r, URIRef(AKG + "factProperty")), value)
        for r in reconciliations
        for value in fixture.objects(r, URIRef(AKG + "reconciledValue"))
    }
    computed, stated = Graph(), Graph()
    for triple in fixture:
        is_computed = triple[0] in reconciliations or triple[1] == URIRef(AKG + "conflictsWith") or triple in direct
        (computed if is_computed else stated).add(triple)
    again = claims.reconciled(stated, parse_files(resources.ontology_files()))
    # the subject-to-source derivations the build adds are written in the fixture too (as any source's would be)
    assert set(again) - set(stated) == set(computed)
    assert set(again) <= set(fixture)


# -- source-claims --------------------------------------------------------------------------------------------------


def test_source_claims_of_the_blog(kg: KnowledgeGraph) -> None:
    found = rows(kg, "source-claims", {"source": "source:blog-2026-01"})
    assert [(r["claim"], r["standing"], r["conflicting"]) for r in found] == [
        (claim("blog", "supply/bev-north-america/salesStart"), "disagrees", True),
        (claim("blog", "supply/bev-north-america/supplier"), "disagrees", True),
        (claim("blog", "supply/suv-plant-two/productionStart"), "supports", False),
        (claim("blog", "vehicle/bev/derivedFrom/bev-base"), "supports", False),
    ]
    sales = found[0]
    assert sales["subject"] == BEV
    assert sales["property"] == AKG + "salesStart"
    assert (sales["earliest"], sales["latest"]) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert sales["quotation"] == "pada tahun 2027"
    assert sales["statedAs"] == "pada tahun 2027"
    assert sales["propertyLabel"] == "sales start"
    supplier = found[1]
    assert supplier["value"] == f"{ID}manufacturer/maker-a"
    assert supplier["valueLabel"] == "Maker A"
    assert supplier["paraphrase"] == "Maker A builds the battery EV itself."
    assert "quotation" not in supplier or supplier["quotation"] is None


@pytest.mark.parametrize("name", ["blog.example.id", "publisher:blog-example-id", "blog-2026-01", BLOG])
def test_a_source_by_name_iri_or_publisher(kg: KnowledgeGraph, name: str) -> None:
    found = rows(kg, "source-claims", {"source": name})
    assert {r["document"] for r in found} == {BLOG}
    assert len(found) == 4


def test_source_claims_of_the_daily(kg: KnowledgeGraph) -> None:
    found = rows(kg, "source-claims", {"source": DAILY})
    assert len(found) == 10
    by_claim = {r["claim"]: r for r in found}
    end_of_december = by_claim[claim("daily", "supply/pickup-plant-one/productionStart")]
    # "fin décembre 2025" (16-31 December) holds the wire's 20 December: it supports the reconciled day
    assert end_of_december["standing"] == "supports"
    assert end_of_december["conflicting"] is False
    assert (end_of_december["earliest"], end_of_december["latest"]) == (dt.date(2025, 12, 16), dt.date(2025, 12, 31))
    supplier = by_claim[claim("daily", "supply/bev-north-america/supplier")]
    assert (supplier["standing"], supplier["conflicting"]) == ("supports", True)  # the blog's claim conflicts with it


def test_an_unknown_source_is_an_error_naming_the_parameter(kg: KnowledgeGraph) -> None:
    with pytest.raises(ParameterError, match="'source'"):
        kg.query("source-claims", {"source": "no such newspaper"})


# -- source-conflicts -----------------------------------------------------------------------------------------------


def test_each_conflicting_pair_once(kg: KnowledgeGraph) -> None:
    found = rows(kg, "source-conflicts")
    assert [(r["property"], r["source"], r["otherSource"]) for r in found] == [
        (AKG + "salesStart", BLOG, DAILY),
        (AKG + "supplier", BLOG, DAILY),
        (AKG + "supplier", BLOG, WIRE),
    ]
    assert {r["subject"] for r in found} == {BEV}
    sales = found[0]
    assert (sales["earliest"], sales["latest"]) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert (sales["otherEarliest"], sales["otherLatest"]) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert (sales["standing"], sales["otherStanding"]) == ("disagrees", "supports")
    supplier = found[1]
    assert (supplier["value"], supplier["otherValue"]) == (f"{ID}manufacturer/maker-a", f"{ID}manufacturer/maker-b")
    assert supplier["earliest"] is None
    # agreeing windows are no conflict: the pickup's end of December and 20 December, the SUV's January and 12 January
    assert not {PICKUP, SUV} & {r["subject"] for r in found}


# -- single-source-facts --------------------------------------------------------------------------------------------


def test_facts_on_one_source(kg: KnowledgeGraph) -> None:
    found = rows(kg, "single-source-facts")
    assert [(r["subject"], r["property"], r["source"], r["contested"]) for r in found] == [
        (BEV, AKG + "customer", DAILY, False),
        (BEV, AKG + "salesStart", DAILY, True),  # the blog's 2027 disagrees: still one source for H2 2026
        (PICKUP, AKG + "customer", DAILY, False),
        (PICKUP, AKG + "salesStart", DAILY, False),
        (SUV, AKG + "customer", WIRE, False),
        (SUV, AKG + "supplier", WIRE, False),
    ]
    assert (found[1]["earliest"], found[1]["latest"]) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))


# -- reconciled-timeline --------------------------------------------------------------------------------------------


def test_reconciled_timeline(kg: KnowledgeGraph) -> None:
    found = {str(r["supply"]): r for r in rows(kg, "reconciled-timeline")}
    assert list(found) == [BEV, PICKUP, SUV]  # in the order of the supplies' IRIs
    pickup = found[PICKUP]
    # the narrower of the agreeing windows: 20 December, which "fin décembre 2025" holds; two sources, no conflict
    assert (pickup["productionEarliest"], pickup["productionLatest"]) == (dt.date(2025, 12, 20), dt.date(2025, 12, 20))
    assert (pickup["productionSources"], pickup["productionConflict"]) == (2, False)
    assert (pickup["salesEarliest"], pickup["salesSources"], pickup["salesConflict"]) == (dt.date(2026, 3, 1), 1, False)
    assert pickup["conflicting"] is False
    bev = found[BEV]
    assert bev["productionEarliest"] is None
    assert bev["productionConflict"] is False
    assert (bev["salesEarliest"], bev["salesLatest"]) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert bev["salesStatedAs"] == "à partir du second semestre 2026"
    assert (bev["salesSources"], bev["salesConflict"], bev["conflicting"]) == (1, True, True)
    suv = found[SUV]
    assert (suv["productionSources"], suv["productionConflict"], suv["conflicting"]) == (2, False, False)
    assert suv["salesEarliest"] is None


# -- supply-sources -------------------------------------------------------------------------------------------------


def test_supply_sources(kg: KnowledgeGraph) -> None:
    found = rows(kg, "supply-sources")
    assert [(r["supply"], r["sourceCount"], r["source"]) for r in found] == [
        (BEV, 3, BLOG),
        (BEV, 3, DAILY),
        (BEV, 3, WIRE),
        (PICKUP, 2, DAILY),
        (PICKUP, 2, WIRE),
        (SUV, 2, BLOG),
        (SUV, 2, WIRE),
    ]
    assert found[0]["publisherLabel"] == "blog.example.id"
    assert found[0]["sourceLabel"] == "Blog post of January 2026"


# -- the same answers on every store --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", QUERIES)
def test_oxigraph_answers_as_memory_does(name: str, oxigraph: KnowledgeGraph) -> None:
    memory = akg.load(paths=[FIXTURE])
    params = {"source": BLOG} if name == "source-claims" else {}
    expected, got = memory.query(name, params), oxigraph.query(name, params)
    assert isinstance(expected, QueryResult)
    assert isinstance(got, QueryResult)
    assert got.vars == expected.vars
    assert got.rows == expected.rows
    assert expected.rows


# -- the project's own claims ---------------------------------------------------------------------------------------

PROJECT_CLAIMS = REPO / "data" / "claims"
ARTICLE_CLAIMS = PROJECT_CLAIMS / "mitsubishi-nissan-oem-2026.ttl"
needs_claims = pytest.mark.skipif(
    not (REPO / "alliance_kg" / "claims.py").is_file() or not ARTICLE_CLAIMS.is_file(),
    reason="the project's claims (alliance_kg/claims.py, data/claims/mitsubishi-nissan-oem-2026.ttl) are not there",
)
#: The sources the sibling reports add (data/claims/<report>.ttl), among them S5, babeindonesia.com.
OTHER_SOURCES = sorted(path for path in PROJECT_CLAIMS.glob("*.ttl") if path != ARTICLE_CLAIMS)


@pytest.fixture(scope="module")
def project() -> KnowledgeGraph:
    return akg.load()


def _reconciled(project: KnowledgeGraph) -> bool:
    found = project.sparql("ASK { ?r a akg:Reconciliation }")
    return isinstance(found, QueryResult) and bool(found.boolean)


@needs_claims
def test_the_article_states_its_facts_as_claims(project: KnowledgeGraph) -> None:
    found = rows(project, "source-claims")  # default: the article
    assert found
    assert {r["document"] for r in found} == {f"{ID}source/mitsubishi-nissan-oem-2026"}
    assert all(r["quotation"] for r in found), "the article's claims quote its words"
    navara = [r for r in found if str(r["claim"]).endswith("/supply/navara-laem-chabang/productionStart")]
    assert [(r["earliest"], r["latest"]) for r in navara] == [(dt.date(2025, 12, 16), dt.date(2025, 12, 31))]
    if _reconciled(project):
        assert {r["standing"] for r in found} <= {"supports", "disagrees"}


@needs_claims
def test_the_navara_production_start_conflicts_nowhere(project: KnowledgeGraph) -> None:
    """The article's "fin décembre 2025" (16-31 December) holds the 20 December other reports give: no conflict."""
    navara = f"{ID}supply/navara-laem-chabang"
    conflicts = rows(project, "source-conflicts")
    assert not [r for r in conflicts if r["subject"] == navara and r["property"] == AKG + "productionStart"]
    [timeline] = [r for r in rows(project, "reconciled-timeline") if r["supply"] == navara]
    assert timeline["productionConflict"] is False
    earliest, latest = timeline["productionEarliest"], timeline["productionLatest"]
    assert isinstance(earliest, dt.date)
    assert isinstance(latest, dt.date)
    assert dt.date(2025, 12, 16) <= earliest <= latest <= dt.date(2025, 12, 31)
    if OTHER_SOURCES and _reconciled(project):
        # the reports' 20 December lies in the article's window: the reconciled day is the 20th, on several sources
        assert timeline["productionEarliest"] == timeline["productionLatest"] == dt.date(2025, 12, 20)
        assert isinstance(timeline["productionSources"], int)
        assert timeline["productionSources"] >= 2


@needs_claims
@pytest.mark.skipif(not OTHER_SOURCES, reason="the other sources' claims (data/claims/<report>.ttl) are not there")
def test_the_leaf_derived_evs_supplier_has_a_conflict_with_babeindonesia(project: KnowledgeGraph) -> None:
    leaf = f"{ID}supply/leaf-derived-bev-north-america"
    conflicts = [r for r in rows(project, "source-conflicts") if r["subject"] == leaf]
    supplier = [r for r in conflicts if r["property"] == AKG + "supplier"]
    assert supplier, "a source disagrees on who supplies the Leaf-derived EV"
    publishers = rows(project, "supply-sources")
    named = {r["source"]: r.get("publisherLabel") for r in publishers if r["supply"] == leaf}
    involved = {named.get(r["source"]) for r in supplier} | {named.get(r["otherSource"]) for r in supplier}
    assert "babeindonesia.com" in involved
    [timeline] = [r for r in rows(project, "reconciled-timeline") if r["supply"] == leaf]
    assert timeline["conflicting"] is True


@needs_claims
def test_every_claims_query_runs_on_the_project(project: KnowledgeGraph) -> None:
    for name in QUERIES:
        result = project.query(name)
        assert isinstance(result, QueryResult), name
    sources = rows(project, "supply-sources")
    assert {r["supply"] for r in sources} >= {f"{ID}supply/navara-laem-chabang", f"{ID}supply/kei-vehicles-japan"}
    assert all(isinstance(r["sourceCount"], int) and r["sourceCount"] >= 1 for r in sources)


def test_fixture_path_is_from_this_file() -> None:
    assert Path(__file__).resolve().parent / "fixtures" / "claims" / "three-sources.ttl" == FIXTURE
    assert FIXTURE.is_file()
