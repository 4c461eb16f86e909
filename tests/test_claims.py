"""Claims of several sources reconciled into one value per fact, and their conflicts (alliance_kg/claims.py)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV

from alliance_kg.claims import Claim, reconciled, settle
from alliance_kg.loading import load_project, parse_files
from alliance_kg.namespaces import AKG, ID

ROOT = Path(__file__).resolve().parents[1]
SUPPLY = ID["supply/navara-laem-chabang"]
LEAF = ID["supply/leaf-derived-bev-north-america"]
ARTICLE = ID["source/mitsubishi-nissan-oem-2026"]


def claim(name: str, value: str, source: str, window: tuple[str, str] | None = None, prop: str = "p") -> Claim:
    low, high = (dt.date.fromisoformat(window[0]), dt.date.fromisoformat(window[1])) if window else (None, None)
    return Claim(f"c:{name}", "s", prop, value, source, low, high)


# ---------------------------------------------------------------------------------------------------------------
# the rules, on claims made up for them
# ---------------------------------------------------------------------------------------------------------------


def test_dates_take_the_narrowest_window_that_every_agreeing_source_allows() -> None:
    # "fin décembre 2025" (16-31 December) and "20 December 2025" agree: the day wins, both support it
    end_of_month = claim("a", "d:end", "s1", ("2025-12-16", "2025-12-31"))
    day = claim("b", "d:day", "s2", ("2025-12-20", "2025-12-20"))
    outcome = settle([end_of_month, day], functional=True)
    assert outcome.values == ("d:day",)
    assert outcome.window is None  # a claim's own date has the intersection: no date is minted
    assert set(outcome.supporting) == {end_of_month, day}
    assert outcome.disagreeing == ()
    assert outcome.conflicts == ()
    assert outcome.sources == ("s1", "s2")


def test_a_disjoint_window_disagrees_and_conflicts() -> None:
    q1 = claim("a", "d:q1", "s1", ("2026-01-01", "2026-03-31"))
    march = claim("b", "d:march", "s2", ("2026-03-01", "2026-03-31"))
    h2 = claim("c", "d:h2", "s3", ("2026-07-01", "2026-12-31"))
    outcome = settle([h2, q1, march], functional=True)
    assert outcome.values == ("d:march",)
    assert outcome.disagreeing == (h2,)
    assert {frozenset((a.iri, b.iri)) for a, b in outcome.conflicts} == {
        frozenset(("c:a", "c:c")),
        frozenset(("c:b", "c:c")),
    }


def test_windows_that_only_overlap_give_a_reconciled_date_of_their_intersection() -> None:
    outcome = settle(
        [claim("a", "d:a", "s1", ("2026-02-15", "2026-03-20")), claim("b", "d:b", "s2", ("2026-03-01", "2026-03-31"))],
        functional=True,
    )
    assert outcome.window == (dt.date(2026, 3, 1), dt.date(2026, 3, 20))
    assert outcome.values == (str(ID["date/s-p-reconciled"]),)


def test_narrowest_first_decides_which_disjoint_claims_are_kept() -> None:
    # the narrowest window goes first: the wide one overlaps it and is kept, the late one is not
    wide = claim("a", "d:year", "s1", ("2026-01-01", "2026-12-31"))
    narrow = claim("b", "d:jan", "s2", ("2026-01-10", "2026-01-20"))
    late = claim("c", "d:jun", "s3", ("2026-06-01", "2026-06-30"))
    outcome = settle([wide, late, narrow], functional=True)
    assert outcome.values == ("d:jan",)
    assert outcome.disagreeing == (late,)


def test_a_value_within_another_is_consistent_and_the_most_specific_is_kept() -> None:
    parents = {"m:mmth": frozenset({"m:mmc"})}
    outcome = settle(
        [claim("a", "m:mmc", "s1"), claim("b", "m:mmth", "s2"), claim("c", "m:mmth", "s3")],
        functional=True,
        parents=parents,
    )
    assert outcome.values == ("m:mmth",)
    assert outcome.conflicts == ()
    assert outcome.disagreeing == ()


def test_opposite_suppliers_conflict_and_the_majority_is_kept() -> None:
    outcome = settle(
        [claim("a", "m:nissan", "s1"), claim("b", "m:nissan", "s2"), claim("c", "m:mitsubishi", "s3")],
        functional=True,
    )
    assert outcome.values == ("m:nissan",)
    assert [c.iri for c in outcome.disagreeing] == ["c:c"]
    assert len(outcome.conflicts) == 2


def test_a_tie_leaves_the_fact_unsettled() -> None:
    outcome = settle([claim("a", "m:nissan", "s1"), claim("b", "m:mitsubishi", "s2")], functional=True)
    assert outcome.values == ()
    assert len(outcome.disagreeing) == 2
    assert len(outcome.conflicts) == 1


def test_several_valued_properties_keep_every_value() -> None:
    outcome = settle([claim("a", "r:oceania", "s1"), claim("b", "c:australia", "s2")], functional=False)
    assert outcome.values == ("c:australia", "r:oceania")
    assert outcome.conflicts == ()


def test_settle_needs_a_claim() -> None:
    with pytest.raises(ValueError, match="at least one claim"):
        settle([], functional=True)


# ---------------------------------------------------------------------------------------------------------------
# the project's sources
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def facts() -> Graph:
    return load_project().facts


def reconciliation(facts: Graph, subject: URIRef, prop: URIRef) -> URIRef:
    found = [
        node
        for node in facts.subjects(AKG.factSubject, subject)
        if (node, AKG.factProperty, prop) in facts and (node, RDF.type, AKG.Reconciliation) in facts
    ]
    assert len(found) == 1, (subject, prop, found)
    return URIRef(found[0])


def test_the_navara_started_on_20_december_and_the_article_agrees(facts: Graph) -> None:
    start = facts.value(SUPPLY, AKG.productionStart)
    assert facts.value(start, AKG.earliest).toPython() == dt.date(2025, 12, 20)
    assert facts.value(start, AKG.latest).toPython() == dt.date(2025, 12, 20)
    node = reconciliation(facts, SUPPLY, AKG.productionStart)
    supporting = set(facts.objects(node, AKG.supportingClaim))
    article = ID["claim/mitsubishi-nissan-oem-2026/supply/navara-laem-chabang/productionStart"]
    assert article in supporting  # "fin décembre 2025" agrees with "20 December 2025"
    assert not set(facts.objects(node, AKG.disagreeingClaim))
    assert int(facts.value(node, AKG.sourceCount)) == len(supporting) >= 6
    assert not any((c, AKG.conflictsWith, None) in facts for c in supporting)


def test_the_navara_sales_start_in_march_not_january(facts: Graph) -> None:
    start = facts.value(SUPPLY, AKG.salesStart)
    assert facts.value(start, AKG.earliest).toPython() == dt.date(2026, 3, 1)
    assert facts.value(start, AKG.latest).toPython() == dt.date(2026, 3, 31)


def test_the_leaf_derived_ev_supplier_is_disputed_by_one_report(facts: Graph) -> None:
    assert facts.value(LEAF, AKG.supplier) == ID["manufacturer/nissan"]
    node = reconciliation(facts, LEAF, AKG.supplier)
    disagreeing = list(facts.objects(node, AKG.disagreeingClaim))
    assert [facts.value(c, PROV.entity) for c in disagreeing] == [ID["source/babeindonesia-2026-01"]]
    assert facts.value(disagreeing[0], AKG.claimValue) == ID["manufacturer/mitsubishi-motors"]
    for other in facts.objects(node, AKG.supportingClaim):
        assert (disagreeing[0], AKG.conflictsWith, other) in facts
        assert (other, AKG.conflictsWith, disagreeing[0]) in facts


def test_only_the_leaf_supplier_is_in_conflict(facts: Graph) -> None:
    conflicting = {facts.value(c, AKG.claimSubject) for c, _, _ in facts.triples((None, AKG.conflictsWith, None))}
    properties = {facts.value(c, AKG.claimProperty) for c, _, _ in facts.triples((None, AKG.conflictsWith, None))}
    assert conflicting == {LEAF}
    assert properties == {AKG.supplier}


def test_laem_chabang_is_run_by_the_thai_subsidiary(facts: Graph) -> None:
    plant = ID["plant/laem-chabang"]
    mmth = facts.value(plant, AKG.operator)
    assert mmth == ID["manufacturer/mitsubishi-motors-thailand"]
    assert (mmth, AKG.subsidiaryOf, ID["manufacturer/mitsubishi-motors"]) in facts
    node = reconciliation(facts, plant, AKG.operator)
    # the article's "son usine" (Mitsubishi Motors) is consistent with the subsidiary: it supports, no conflict
    assert ID["claim/mitsubishi-nissan-oem-2026/plant/laem-chabang/operator"] in set(
        facts.objects(node, AKG.supportingClaim)
    )


def test_australia_is_a_market_of_the_navara_beside_oceania(facts: Graph) -> None:
    assert set(facts.objects(SUPPLY, AKG.market)) == {ID["region/oceania"], ID["country/australia"]}


def test_facts_resting_on_one_source_are_marked(facts: Graph) -> None:
    single = {
        (facts.value(n, AKG.factSubject), facts.value(n, AKG.factProperty))
        for n in facts.subjects(AKG.sourceCount, Literal(1))
    }
    assert (ID["supply/livina-jakarta"], AKG.supplier) in single
    assert (SUPPLY, AKG.productionStart) not in single


def test_every_source_of_a_claim_is_a_source_of_its_subject_after_reasoning() -> None:
    from alliance_kg.engine import check

    project = load_project()
    inferred = check(project.ontology, project.facts).inferred
    sources = set(inferred.objects(SUPPLY, PROV.wasDerivedFrom)) | set(
        project.facts.objects(SUPPLY, PROV.wasDerivedFrom)
    )
    assert len(sources) == 7  # the article and the six reports, by the chain qualifiedDerivation / entity


def test_a_value_stated_directly_wins_and_the_claims_stay_evidence() -> None:
    data = parse_files([*sorted((ROOT / "data").rglob("*.ttl"))])
    data.add((SUPPLY, AKG.productionStart, ID["date/navara-laem-chabang-production-start"]))
    before = len(data)
    added = reconciled(data)
    assert len(data) == before  # the caller's graph is not changed
    assert (SUPPLY, AKG.productionStart, None) not in added
    assert {added.value(n, AKG.factSubject) for n in added.subjects(AKG.factProperty, AKG.productionStart)} == {
        ID["supply/rogue-phev-okazaki"],
        LEAF,  # S5 dates the assembly it reports
    }
    assert (SUPPLY, AKG.salesStart, None) in added  # the other facts of the supply are still reconciled


def test_validate_reports_the_conflicts_as_warnings_and_accepts_the_data() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "alliance_kg", "validate", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["conforms"] is True
    severities = {result["severity"] for result in report["results"]}
    assert severities == {"Warning"}
    assert all("leaf-derived-bev-north-america" in result["focus"] for result in report["results"])
    assert any("babeindonesia" in result["message"] for result in report["results"])


def test_a_missing_bound_is_open_and_a_value_that_is_no_date_disagrees() -> None:
    end_of_month = claim("a", "d:end", "s1", ("2025-12-16", "2025-12-31"))
    day = claim("b", "d:day", "s2", ("2025-12-20", "2025-12-20"))
    from_december = Claim("c:c", "s", "p", "d:from", "s3", dt.date(2025, 12, 1), None)  # no latest day
    not_a_date = claim("d", "x:thing", "s4")
    outcome = settle([end_of_month, day, from_december, not_a_date], functional=True)
    assert outcome.values == ("d:day",)
    assert set(outcome.supporting) == {end_of_month, day, from_december}
    assert outcome.disagreeing == (not_a_date,)
    assert outcome.conflicts == ()  # dates that agree are not reported as disagreeing because of one odd claim


def test_equal_windows_go_to_the_first_report() -> None:
    late = Claim("c:a", "s", "p", "d:late", "s1", dt.date(2026, 1, 12), dt.date(2026, 1, 12), dt.date(2026, 1, 14))
    early = Claim("c:z", "s", "p", "d:early", "s2", dt.date(2026, 1, 12), dt.date(2026, 1, 12), dt.date(2026, 1, 12))
    unknown = Claim("c:0", "s", "p", "d:unknown", "s3", dt.date(2026, 1, 12), dt.date(2026, 1, 12))
    assert settle([late, unknown, early], functional=True).values == ("d:early",)


def test_a_reconciled_date_has_bounds_a_unit_labels_and_sources_but_no_words() -> None:
    from rdflib import RDFS
    from rdflib.namespace import TIME

    from alliance_kg.claims import Outcome, triples

    a = Claim(f"{ID}claim/s1/supply/x/productionStart", str(ID["supply/x"]), str(AKG.productionStart), "d:a", "s1",
              dt.date(2026, 2, 15), dt.date(2026, 3, 20))  # fmt: skip
    b = Claim(f"{ID}claim/s2/supply/x/productionStart", str(ID["supply/x"]), str(AKG.productionStart), "d:b", "s2",
              dt.date(2026, 3, 1), dt.date(2026, 3, 31))  # fmt: skip
    outcome = settle([a, b], functional=True)
    assert isinstance(outcome, Outcome)
    date = URIRef(outcome.values[0])
    assert date == ID["date/supply/x-production-start-reconciled"]
    graph = Graph()
    for triple in triples([(outcome, False)]):
        graph.add(triple)
    assert (date, RDF.type, AKG.ReconciledDate) in graph
    assert graph.value(date, AKG.earliest) == Literal(dt.date(2026, 3, 1))
    assert graph.value(date, AKG.latest) == Literal(dt.date(2026, 3, 20))
    assert graph.value(date, AKG.precision) == TIME.unitMonth
    assert {label.language for label in graph.objects(date, RDFS.label)} == {"en", "fr"}
    assert (date, AKG.statedAs, None) not in graph
    assert set(graph.objects(date, PROV.wasDerivedFrom)) == {URIRef("s1"), URIRef("s2")}


def test_reconciling_again_changes_nothing() -> None:
    once = load_project().facts
    again = reconciled(once)
    assert set(again) <= set(once)


def test_validate_reconciles_the_files_with_the_project_claims(tmp_path: Path) -> None:
    # a new source that puts the Navara's production one day later conflicts with the six that say 20 December,
    # and with the article's "fin décembre 2025" it agrees: validate sees it as the build would
    extra = tmp_path / "late.ttl"
    claim_iri = "<https://w3id.org/alliance-kg/id/claim/late-2026/supply/navara-laem-chabang/productionStart>"
    extra.write_text(
        f"""@prefix akg: <https://w3id.org/alliance-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix source: <https://w3id.org/alliance-kg/id/source/> .
@prefix date: <https://w3id.org/alliance-kg/id/date/> .
source:late-2026 a akg:SourceDocument ; rdfs:label "A late report"@en , "Un article tardif"@fr ;
    dcterms:title "A late report"@en ; dcterms:language "en" .
date:navara-late a akg:StatedDate ; rdfs:label "21 December 2025"@en , "21 décembre 2025"@fr ;
    akg:earliest "2025-12-21"^^xsd:date ; akg:latest "2025-12-21"^^xsd:date ; akg:precision time:unitDay ;
    akg:statedAs "on 21 December 2025"@en ; prov:wasDerivedFrom source:late-2026 .
{claim_iri} a akg:Claim ; rdfs:label "late: Navara production start"@en ;
    akg:claimSubject <https://w3id.org/alliance-kg/id/supply/navara-laem-chabang> ;
    akg:claimProperty akg:productionStart ; akg:claimValue date:navara-late ;
    prov:entity source:late-2026 ; prov:wasDerivedFrom source:late-2026 ; akg:quotation "on 21 December 2025"@en .
<https://w3id.org/alliance-kg/id/supply/navara-laem-chabang> prov:qualifiedDerivation {claim_iri} .
""",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "alliance_kg", "validate", str(extra), "--with-data", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr  # warnings only, and consistent: one value kept
    report = json.loads(done.stdout)
    assert report["consistent"] is True
    late = [r for r in report["results"] if "late-2026" in r["focus"] + (r["value"] or "")]
    assert late
    assert {r["severity"] for r in late} == {"Warning"}
    assert all("production start" in r["message"] for r in late)
