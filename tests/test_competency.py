"""The competency questions: each named query in ``queries/`` run on the project graph, with its exact answer.

The graph queried is what users get: ontology + facts + OWL-RL inferences. Each query is also run on the
asserted triples alone, where it must give the same answer (the queries do not depend on reasoning).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from alliance_kg import resources
from alliance_kg.errors import ParameterError, QueryError
from alliance_kg.loading import parse_files
from alliance_kg.named_queries import NamedQuery, named_queries, parse_named_query
from alliance_kg.reasoning import reason

ID = "https://w3id.org/alliance-kg/id/"
QUERIES = Path(__file__).resolve().parents[1] / "queries"

Row = dict[str, object]


@pytest.fixture(scope="module")
def asserted() -> Graph:
    """The ontology and the facts as stated, with what the claims of the sources reconcile to (no reasoning)."""
    from alliance_kg.claims import reconciled

    graph = parse_files([*resources.ontology_files(), *resources.data_files()])
    for triple in reconciled(graph):
        graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def full(asserted: Graph) -> Graph:
    graph = Graph()
    for triple in asserted:
        graph.add(triple)
    for triple in reason(asserted).inferred:
        graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def library() -> dict[str, NamedQuery]:
    return named_queries(sorted(QUERIES.glob("*.rq")))


def run(graph: Graph, query: NamedQuery, params: Mapping[str, object] | None = None) -> list[Row]:
    """The answer as rows of Python values: one row per solution (SELECT), one row ``{"answer": bool}`` (ASK),
    or one row per triple, sorted (CONSTRUCT)."""
    result = graph.query(query.text, initBindings=query.bindings(params))
    if result.type == "ASK":
        return [{"answer": bool(result.askAnswer)}]
    if result.type == "CONSTRUCT":
        return [{"s": str(s), "p": str(p), "o": str(o)} for s, p, o in sorted(result)]
    rows: list[Row] = []
    for row in result:
        values: Row = {}
        for name, value in row.asdict().items():
            if name in {p.name for p in query.parameters}:
                continue
            values[name] = value.toPython() if isinstance(value, Literal) else str(value)
        rows.append(values)
    return rows


def column(rows: list[Row], name: str) -> list[object]:
    return [row.get(name) for row in rows]


def test_every_query_file_parses_and_has_a_header(library: dict[str, NamedQuery]) -> None:
    files = sorted(QUERIES.glob("*.rq"))
    assert len(library) == len(files) >= 8
    for query in library.values():
        prepareQuery(query.text)  # raises on a syntax error
        assert query.title
        assert query.description.endswith("?") or query.description.endswith(".")


@pytest.mark.parametrize("name", sorted(p.stem for p in QUERIES.glob("*.rq")))
def test_query_gives_same_answer_without_reasoning(
    name: str, library: dict[str, NamedQuery], asserted: Graph, full: Graph
) -> None:
    query = library[name]
    with_inference = run(full, query)
    assert with_inference, f"{name} answers nothing"
    assert run(asserted, query) == with_inference


def test_mitsubishi_builds_for_nissan(library: dict[str, NamedQuery], full: Graph) -> None:
    rows = run(full, library["mitsubishi-builds-for-nissan"])
    by_vehicle = {row["vehicle"]: row for row in rows}
    # Three, no longer five: the kei and light-commercial-vehicle agreements in Japan have no stated direction
    # (issue 10), so the graph does not say that Mitsubishi Motors builds them for Nissan.
    assert set(by_vehicle) == {
        ID + "vehicle/nissan-rogue-plug-in-hybrid",
        ID + "vehicle/nissan-navara",
        ID + "vehicle/nissan-livina",
    }
    assert len(rows) == 3
    rogue = by_vehicle[ID + "vehicle/nissan-rogue-plug-in-hybrid"]
    assert rogue["plant"] == ID + "plant/okazaki"
    assert rogue["countryLabel"] == "Japan"
    assert rogue["productionEarliest"] == rogue["productionLatest"] == dt.date(2026, 1, 12)
    assert rogue["productionPrecision"] == "http://www.w3.org/2006/time#unitDay"
    assert rogue["productionStatedAs"] == "le 12 janvier 2026"
    navara = by_vehicle[ID + "vehicle/nissan-navara"]
    assert (navara["plantLabel"], navara["countryLabel"]) == ("Laem Chabang plant", "Thailand")
    # The article's "à la fin décembre 2025" (16-31 December: the end of a month is its second half) and the six
    # reports' "20 December 2025" agree; the reconciled value is the narrowest window, the day (README, "Many
    # sources, one graph"), in the words of the first report that gives it.
    assert navara["productionEarliest"] == navara["productionLatest"] == dt.date(2025, 12, 20)
    assert navara["productionStatedAs"] == "sejak 20 Desember 2025"
    livina = by_vehicle[ID + "vehicle/nissan-livina"]
    assert (livina["plantLabel"], livina["countryLabel"]) == ("Jakarta plant", "Indonesia")
    assert "productionEarliest" not in livina


def test_nissan_supplies_to_mitsubishi(library: dict[str, NamedQuery], full: Graph) -> None:
    rows = run(full, library["nissan-supplies-to-mitsubishi"])
    assert rows == [
        {
            "supply": ID + "supply/leaf-derived-bev-north-america",
            "vehicle": ID + "vehicle/leaf-derived-bev-for-mitsubishi",
            "vehicleLabel": "Battery EV derived from the new Nissan Leaf, for Mitsubishi Motors",
            "derivedFrom": ID + "vehicle/nissan-leaf-new",
            "derivedFromLabel": "New Nissan Leaf",
            "market": ID + "region/north-america",
            "marketLabel": "North America",
            "salesEarliest": dt.date(2026, 7, 1),
            "salesLatest": dt.date(2026, 12, 31),
            "salesStatedAs": "à partir du second semestre 2026",
            "status": "https://w3id.org/alliance-kg/ontology#Planned",
        }
    ]


# The kei and light-commercial-vehicle agreements in Japan: the article gives no direction (issue 10).
AGREEMENTS = {ID + "supply/kei-vehicles-japan", ID + "supply/light-commercial-vehicles-japan"}
MANUFACTURERS = {ID + "manufacturer/mitsubishi-motors", ID + "manufacturer/nissan"}
AGREEMENT_VEHICLES = {
    ID + "vehicle/kei-vehicles-japan-agreement",
    ID + "vehicle/light-commercial-vehicles-japan-agreement",
}


def test_agreements_between_lists_every_agreement_with_its_direction(
    library: dict[str, NamedQuery], full: Graph
) -> None:
    rows = run(full, library["agreements-between"])  # default: Mitsubishi Motors and Nissan
    direction = {row["agreement"]: row["direction"] for row in rows}
    assert direction == {
        ID + "supply/kei-vehicles-japan": "not stated",
        ID + "supply/light-commercial-vehicles-japan": "not stated",
        ID + "supply/livina-jakarta": "Mitsubishi Motors to Nissan",
        ID + "supply/navara-laem-chabang": "Mitsubishi Motors to Nissan",
        ID + "supply/rogue-phev-okazaki": "Mitsubishi Motors to Nissan",
        ID + "supply/leaf-derived-bev-north-america": "Nissan to Mitsubishi Motors",
    }
    assert len(rows) == 7  # one market each, but the Navara has two: Oceania and, in one report, Australia
    for row in rows:
        if row["agreement"] in AGREEMENTS:
            assert "supplier" not in row
            assert "customer" not in row
            assert row["vehicle"] in AGREEMENT_VEHICLES
            assert row["market"] == ID + "country/japan"
            assert row["status"] == "https://w3id.org/alliance-kg/ontology#Ongoing"
        else:
            assert {row["supplier"], row["customer"]} == MANUFACTURERS
    # The two manufacturers in either order give the same rows.
    swapped = {"first": ID + "manufacturer/nissan", "second": ID + "manufacturer/mitsubishi-motors"}
    assert run(full, library["agreements-between"], swapped) == rows
    # A manufacturer is not in an agreement with itself.
    itself = {"first": ID + "manufacturer/nissan", "second": ID + "manufacturer/nissan"}
    assert run(full, library["agreements-between"], itself) == []


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("mitsubishi-builds-for-nissan", None),
        ("nissan-supplies-to-mitsubishi", None),
        ("supplies-by-supplier", {"supplier": ID + "manufacturer/mitsubishi-motors"}),
        ("supplies-by-supplier", {"supplier": ID + "manufacturer/nissan"}),
        ("supplies-by-customer", {"customer": ID + "manufacturer/nissan"}),
        ("supplies-by-customer", {"customer": ID + "manufacturer/mitsubishi-motors"}),
        ("supplies-by-market", {"market": ID + "country/japan"}),
        ("timeline", None),
        ("alliance-gains", {"manufacturer": ID + "manufacturer/mitsubishi-motors"}),
        ("alliance-gains", {"manufacturer": ID + "manufacturer/nissan"}),
        ("plants-and-what-they-build", None),
        ("construct-shortcuts", None),
    ],
)
def test_an_agreement_without_direction_is_no_supply_in_either_direction(
    library: dict[str, NamedQuery], full: Graph, name: str, params: Mapping[str, object] | None
) -> None:
    """What Mitsubishi builds for Nissan, what Nissan supplies to Mitsubishi, and every query that follows a
    supplier or a customer leave out the kei and light-commercial-vehicle agreements and their vehicles."""
    rows = run(full, library[name], params)
    values = {value for row in rows for value in row.values()}
    assert not values & (AGREEMENTS | AGREEMENT_VEHICLES)
    if name == "supplies-by-market":
        assert rows == []  # all that is sold in Japan is under the two agreements


def test_agreements_are_kept_apart_in_the_graph(full: Graph) -> None:
    """With reasoning, a directed supply is also an agreement with its supplier and customer as parties, and an
    agreement without direction gains neither a supplier nor a customer nor the akg:OEMSupply type."""
    akg = "https://w3id.org/alliance-kg/ontology#"
    rogue = URIRef(ID + "supply/rogue-phev-okazaki")
    assert (rogue, URIRef(akg + "party"), URIRef(ID + "manufacturer/nissan")) in full
    assert (rogue, RDF.type, URIRef(akg + "OEMSupplyAgreement")) in full
    for agreement in map(URIRef, AGREEMENTS):
        assert (agreement, RDF.type, URIRef(akg + "OEMSupply")) not in full
        assert not any(full.objects(agreement, URIRef(akg + "supplier")))
        assert not any(full.objects(agreement, URIRef(akg + "customer")))
        assert not any(full.subjects(URIRef(akg + "supplies"), agreement))


def test_plants_building_for_others(library: dict[str, NamedQuery], full: Graph) -> None:
    rows = run(full, library["plants-building-for-others"])
    assert [(r["plantLabel"], r["operatorLabel"], r["customerLabel"], r["countryLabel"]) for r in rows] == [
        ("Jakarta plant", "Mitsubishi Motors", "Nissan", "Indonesia"),
        # the reports name the operator, Mitsubishi Motors' Thai subsidiary, where the article says "son usine"
        ("Laem Chabang plant", "Mitsubishi Motors (Thailand) Co., Ltd.", "Nissan", "Thailand"),
        ("Okazaki plant", "Mitsubishi Motors", "Nissan", "Japan"),
    ]


def test_supplies_to_north_america(library: dict[str, NamedQuery], full: Graph) -> None:
    rows = run(full, library["supplies-to-north-america"])
    assert [
        (
            r["vehicleLabel"],
            r["sellerLabel"],
            r["supplierLabel"],
            r["salesEarliest"],
            r["salesLatest"],
        )
        for r in rows
    ] == [
        (
            "Nissan Rogue Plug-in Hybrid",
            "Nissan",
            "Mitsubishi Motors",
            dt.date(2026, 1, 1),
            dt.date(2026, 3, 31),
        ),
        (
            "Battery EV derived from the new Nissan Leaf, for Mitsubishi Motors",
            "Mitsubishi Motors",
            "Nissan",
            dt.date(2026, 7, 1),
            dt.date(2026, 12, 31),
        ),
    ]
    assert column(rows, "salesPrecision") == [
        "https://w3id.org/alliance-kg/ontology#unitQuarter",
        "https://w3id.org/alliance-kg/ontology#unitHalfYear",
    ]


def test_productions_certainly_started_before_2026(library: dict[str, NamedQuery], full: Graph) -> None:
    query = library["productions-started-before"]
    assert column(run(full, query), "vehicle") == [ID + "vehicle/nissan-navara"]
    # The Rogue's production started on 12 January 2026: certainly before 13 January, not before the 12th.
    assert len(run(full, query, {"before": "2026-01-13"})) == 2
    assert len(run(full, query, {"before": dt.date(2026, 1, 12)})) == 1
    # The Navara started on 20 December 2025 (six reports; the article's "end of December 2025" agrees).
    assert column(run(full, query, {"before": "2025-12-21"}), "vehicle") == [ID + "vehicle/nissan-navara"]
    assert run(full, query, {"before": "2025-12-20"}) == []


def test_sales_certainly_and_possibly_before(library: dict[str, NamedQuery], full: Graph) -> None:
    certainly = library["sales-certainly-before"]
    possibly = library["sales-possibly-before"]
    rogue_and_navara = [ID + "vehicle/nissan-navara", ID + "vehicle/nissan-rogue-plug-in-hybrid"]
    assert sorted(column(run(full, certainly), "vehicle")) == rogue_and_navara  # default: 2026-04-01
    assert sorted(column(run(full, possibly), "vehicle")) == rogue_and_navara
    # "à partir de la fin du premier trimestre 2026" is March 2026: the Navara's sales cannot have started in
    # January or February (issue 10), the Rogue's ("à partir du premier trimestre 2026") can.
    rogue = [ID + "vehicle/nissan-rogue-plug-in-hybrid"]
    assert column(run(full, possibly, {"before": "2026-02-01"}), "vehicle") == rogue
    assert sorted(column(run(full, possibly, {"before": "2026-03-02"}), "vehicle")) == rogue_and_navara
    # Mid-March: sales possibly but not certainly started.
    assert run(full, certainly, {"before": "2026-03-15"}) == []
    assert sorted(column(run(full, possibly, {"before": "2026-03-15"}), "vehicle")) == rogue_and_navara
    # The Leaf-derived BEV sells from H2 2026: possibly before August, certainly only in 2027.
    leaf = ID + "vehicle/leaf-derived-bev-for-mitsubishi"
    assert leaf in column(run(full, possibly, {"before": "2026-08-01"}), "vehicle")
    assert leaf not in column(run(full, certainly, {"before": "2026-12-31"}), "vehicle")
    assert leaf in column(run(full, certainly, {"before": "2027-01-01"}), "vehicle")


def test_supply_provenance(library: dict[str, NamedQuery], full: Graph) -> None:
    rows = run(full, library["supply-provenance"])
    supplies = {r["supply"] for r in rows}
    assert len(supplies) == 6  # the four supplies and the two agreements whose direction is not stated
    assert {ID + "supply/kei-vehicles-japan", ID + "supply/light-commercial-vehicles-japan"} <= supplies
    assert {r["source"] for r in rows} == {ID + "source/mitsubishi-nissan-oem-2026"}
    assert {r["sourceTitle"] for r in rows} == {"Deux mises en production confirmées au Japon et en Thaïlande"}
    navara = [r["sentence"] for r in rows if r["supply"] == ID + "supply/navara-laem-chabang"]
    assert (
        "Mitsubishi a également lancé la production du pick-up Nissan Navara dans son usine de Laem Chabang, "
        "en Thaïlande, à la fin décembre 2025." in navara
    )


def test_ask_plant_builds_for_another(library: dict[str, NamedQuery], full: Graph) -> None:
    query = library["plant-builds-for-another"]
    assert run(full, query) == [{"answer": True}]  # default: the Okazaki plant
    assert run(full, query, {"plant": ID + "plant/laem-chabang"}) == [{"answer": True}]
    # a plant no supply is produced at builds for nobody
    assert run(full, query, {"plant": ID + "plant/nowhere"}) == [{"answer": False}]


def test_construct_shortcuts_equal_the_reasoners_chains(library: dict[str, NamedQuery], full: Graph) -> None:
    constructed = {(r["s"], r["p"], r["o"]) for r in run(full, library["construct-shortcuts"])}
    akg = "https://w3id.org/alliance-kg/ontology#"
    chains = {
        (str(s), str(p), str(o))
        for p in (URIRef(akg + "builds"), URIRef(akg + "buildsFor"), URIRef(akg + "sellsIn"))
        for s, o in full.subject_objects(p)
    }
    assert constructed == chains
    assert (ID + "plant/okazaki", akg + "builds", ID + "vehicle/nissan-rogue-plug-in-hybrid") in constructed
    # Not "Nissan sells in Japan": that came only from the kei and light-commercial-vehicle agreements, whose
    # customer no source names (issue 10). "Nissan sells in Australia" comes from a report (netdenjd.com).
    assert (ID + "manufacturer/nissan", akg + "sellsIn", ID + "country/japan") not in constructed
    assert (ID + "manufacturer/nissan", akg + "sellsIn", ID + "country/australia") in constructed
    assert len(constructed) == 11


def test_parameters_are_typed_terms_and_checked(library: dict[str, NamedQuery]) -> None:
    query = library["sales-certainly-before"]
    assert query.bindings() == {"before": Literal(dt.date(2026, 4, 1))}
    with pytest.raises(ParameterError, match="'before' takes a day as YYYY-MM-DD"):
        query.bindings({"before": 'x" } ; DROP ALL #'})
    with pytest.raises(ParameterError, match="has no parameter 'after'; its parameters: before"):
        query.bindings({"after": "2026-01-01"})
    assert library["plants-building-for-others"].bindings() == {}
    assert isinstance(library["supplies-to-north-america"].text, str)
    assert not isinstance(query.bindings()["before"], URIRef)


def test_query_header_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: Bad\n# param: when xsd:datetime = 2026\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(QueryError, match=r"bad\.rq:2: unknown parameter type 'xsd:datetime'"):
        parse_named_query(bad)
    untitled = tmp_path / "untitled.rq"
    untitled.write_text("SELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(QueryError, match="no '# title:' header"):
        parse_named_query(untitled)
