"""The ontology and the facts themselves: completeness against the article, provenance, labels, Wikidata links."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef

from alliance_kg import resources
from alliance_kg.loading import load_project, parse_files
from alliance_kg.reasoning import reason

AKG = Namespace("https://w3id.org/alliance-kg/ontology#")
ID = Namespace("https://w3id.org/alliance-kg/id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
TIME = Namespace("http://www.w3.org/2006/time#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"
ARTICLE = ID["source/mitsubishi-nissan-oem-2026"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse_files(resources.ontology_files())


@pytest.fixture(scope="module")
def facts() -> Graph:
    """The packaged facts: data/**/*.ttl and the Wikidata links compiled from data/mappings/."""
    return load_project().facts


@pytest.fixture(scope="module")
def merged(ontology: Graph, facts: Graph) -> Graph:
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    for triple in facts:
        graph.add(triple)
    return graph


def ask(graph: Graph, pattern: str) -> bool:
    prefixes = """
        PREFIX akg: <https://w3id.org/alliance-kg/ontology#>
        PREFIX time: <http://www.w3.org/2006/time#>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        PREFIX manufacturer: <https://w3id.org/alliance-kg/id/manufacturer/>
        PREFIX plant: <https://w3id.org/alliance-kg/id/plant/>
        PREFIX vehicle: <https://w3id.org/alliance-kg/id/vehicle/>
        PREFIX region: <https://w3id.org/alliance-kg/id/region/>
        PREFIX country: <https://w3id.org/alliance-kg/id/country/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX source: <https://w3id.org/alliance-kg/id/source/>
    """
    return bool(graph.query(prefixes + "ASK {" + pattern + "}").askAnswer)


# Each fact of the article, as a graph pattern that must match.
ARTICLE_FACTS = {
    "Rogue PHEV built at Okazaki from 12 January 2026 for North America, sales from Q1 2026": """
        ?s akg:supplier manufacturer:mitsubishi-motors ; akg:customer manufacturer:nissan ;
           akg:vehicle vehicle:nissan-rogue-plug-in-hybrid ; akg:producedAt plant:okazaki ;
           akg:market region:north-america ; akg:status akg:Ongoing ;
           akg:productionStart [ akg:earliest "2026-01-12"^^xsd:date ; akg:latest "2026-01-12"^^xsd:date ;
                                 akg:precision time:unitDay ] ;
           akg:salesStart [ akg:earliest "2026-01-01"^^xsd:date ; akg:latest "2026-03-31"^^xsd:date ;
                            akg:precision akg:unitQuarter ] .
        vehicle:nissan-rogue-plug-in-hybrid a akg:SUV , akg:PlugInHybridVehicle .
        plant:okazaki akg:country country:japan ; akg:operator manufacturer:mitsubishi-motors .""",
    "Navara at Laem Chabang from end of December 2025 for Oceania, sales from end of Q1 2026": """
        ?s akg:supplier manufacturer:mitsubishi-motors ; akg:customer manufacturer:nissan ;
           akg:vehicle vehicle:nissan-navara ; akg:producedAt plant:laem-chabang ; akg:market region:oceania ;
           prov:qualifiedDerivation [ a akg:Claim ; prov:entity source:mitsubishi-nissan-oem-2026 ;
               akg:claimProperty akg:productionStart ;
               akg:claimValue [ akg:earliest "2025-12-16"^^xsd:date ; akg:latest "2025-12-31"^^xsd:date ;
                                akg:precision time:unitMonth ; akg:qualifier akg:EndOf ] ] ;
           akg:salesStart [ akg:earliest "2026-03-01"^^xsd:date ; akg:latest "2026-03-31"^^xsd:date ;
                            akg:precision akg:unitQuarter ; akg:qualifier akg:EndOf ] .
        vehicle:nissan-navara a akg:Pickup .
        plant:laem-chabang akg:country country:thailand .""",
    # The article states OEM supply agreements "avec Nissan" on kei and light commercial vehicles in Japan without
    # saying who supplies whom (issue 10): each is an agreement between the two parties with no direction, never a
    # supply with a supplier and a customer (the graph used to read Mitsubishi Motors as the supplier).
    "kei vehicles: an OEM supply agreement with Nissan in Japan, direction not stated": """
        ?s a akg:OEMSupplyAgreement ; akg:party manufacturer:mitsubishi-motors , manufacturer:nissan ;
           akg:vehicle [ a akg:KeiVehicle ] ; akg:market country:japan ; akg:status akg:Ongoing .
        FILTER NOT EXISTS { ?s a akg:OEMSupply }
        FILTER NOT EXISTS { ?s akg:supplier|akg:customer ?anyone }""",
    "light commercial vehicles: an OEM supply agreement with Nissan in Japan, direction not stated": """
        ?s a akg:OEMSupplyAgreement ; akg:party manufacturer:mitsubishi-motors , manufacturer:nissan ;
           akg:vehicle [ a akg:LightCommercialVehicle ] ; akg:market country:japan ; akg:status akg:Ongoing .
        FILTER NOT EXISTS { ?s a akg:OEMSupply }
        FILTER NOT EXISTS { ?s akg:supplier|akg:customer ?anyone }""",
    "Livina built at Jakarta for Southeast Asia": """
        ?s akg:supplier manufacturer:mitsubishi-motors ; akg:customer manufacturer:nissan ;
           akg:vehicle vehicle:nissan-livina ; akg:producedAt plant:jakarta ; akg:market region:southeast-asia .
        plant:jakarta akg:country country:indonesia .""",
    "BEV derived from the new Leaf, Nissan to Mitsubishi, North America from H2 2026": """
        ?s akg:supplier manufacturer:nissan ; akg:customer manufacturer:mitsubishi-motors ;
           akg:vehicle ?v ; akg:market region:north-america ; akg:status akg:Planned ;
           akg:salesStart [ akg:earliest "2026-07-01"^^xsd:date ; akg:latest "2026-12-31"^^xsd:date ;
                            akg:precision akg:unitHalfYear ] .
        ?v a akg:BatteryElectricVehicle ; akg:derivedFrom vehicle:nissan-leaf-new .
        vehicle:nissan-leaf-new akg:variantOf vehicle:nissan-leaf .""",
    "the alliance unites both manufacturers": """
        manufacturer:mitsubishi-motors akg:memberOf ?a . manufacturer:nissan akg:memberOf ?a .
        ?a a akg:Alliance .""",
    "cooperation areas: pickups, powertrain electrification, global expansion": """
        ?c a akg:Cooperation ; akg:participant manufacturer:mitsubishi-motors , manufacturer:nissan ;
           akg:cooperationArea <https://w3id.org/alliance-kg/id/cooperation-area/pickup-development> ,
               <https://w3id.org/alliance-kg/id/cooperation-area/powertrain-electrification> ,
               <https://w3id.org/alliance-kg/id/cooperation-area/global-expansion> .""",
    "the two new supplies are a result of the cooperation, with mutual benefits": """
        ?r akg:vehicle vehicle:nissan-rogue-plug-in-hybrid ; akg:resultOf ?c ;
           akg:statedBenefit [ akg:beneficiary manufacturer:nissan ] ,
                             [ akg:beneficiary manufacturer:mitsubishi-motors ] .
        ?n akg:vehicle vehicle:nissan-navara ; akg:resultOf ?c .""",
    "Mitsubishi's objectives: operations, portfolio, profitability": """
        ?o1 akg:pursuedBy manufacturer:mitsubishi-motors . ?o2 akg:pursuedBy manufacturer:mitsubishi-motors .
        ?o3 akg:pursuedBy manufacturer:mitsubishi-motors .
        FILTER(?o1 != ?o2 && ?o2 != ?o3 && ?o1 != ?o3)""",
}


@pytest.mark.parametrize("fact", sorted(ARTICLE_FACTS))
def test_article_fact_is_in_the_graph(fact: str, merged: Graph) -> None:
    assert ask(merged, ARTICLE_FACTS[fact]), fact


def test_four_oem_supplies_and_two_agreements_without_direction(facts: Graph) -> None:
    # Six arrangements as before, but the kei and light-commercial-vehicle agreements in Japan are no longer
    # supplies: the article does not say which manufacturer supplies the other (issue 10).
    supplies = set(facts.subjects(RDF.type, AKG.OEMSupply))
    agreements = set(facts.subjects(RDF.type, AKG.OEMSupplyAgreement))
    assert len(supplies) == 4
    assert agreements == {
        URIRef("https://w3id.org/alliance-kg/id/supply/kei-vehicles-japan"),
        URIRef("https://w3id.org/alliance-kg/id/supply/light-commercial-vehicles-japan"),
    }
    assert not supplies & agreements  # asserted types: an undirected agreement is typed only the agreement
    for agreement in agreements:
        assert not set(facts.objects(agreement, AKG.supplier)) | set(facts.objects(agreement, AKG.customer))
        assert len(set(facts.objects(agreement, AKG.party))) == 2


def test_source_sentences_are_verbatim_from_the_article(facts: Graph) -> None:
    article = (SOURCES / "mitsubishi-nissan-oem-2026.fr.txt").read_text(encoding="utf-8")
    sentences = list(facts.objects(None, AKG.sourceSentence))
    assert len(sentences) > 20
    for sentence in sentences:
        assert isinstance(sentence, Literal)
        assert sentence.language == "fr"
        assert str(sentence) in article, sentence
    stated = {str(s) for s in sentences}
    # every sentence of the article's body that states a fact is used at least once
    body = [line for line in article.splitlines()[1:] if line.strip() and line != "Commentaires"]
    headings = {line for line in body if not line.rstrip().endswith(".")}
    for paragraph in set(body) - headings:
        for sentence in paragraph.replace(". ", ".\n").splitlines():
            assert sentence in stated, f"article sentence not modelled: {sentence}"


def test_every_stated_fact_links_to_a_source(facts: Graph) -> None:
    # Every resource the graph states comes from a source document: the article's entities from the article, the
    # other reports' new entities, claims and publishers from their reports, a reconciliation from the sources
    # that support it.
    sources = set(facts.subjects(RDF.type, AKG.SourceDocument))
    assert ARTICLE in sources
    subjects = {s for s in facts.subjects(RDF.type, None) if isinstance(s, URIRef)}
    for subject in subjects - sources:
        assert set(facts.objects(subject, PROV.wasDerivedFrom)) & sources, subject
    assert (ARTICLE, RDF.type, PROV.Entity) in reason(facts + parse_files(resources.ontology_files())).inferred


def test_article_entities_derive_from_the_article(facts: Graph) -> None:
    for kind in (AKG.OEMSupplyAgreement, AKG.OEMSupply, AKG.Plant, AKG.Cooperation):
        for subject in facts.subjects(RDF.type, kind):
            assert (subject, PROV.wasDerivedFrom, ARTICLE) in facts, subject


def test_source_document_says_what_is_known_and_unknown(facts: Graph) -> None:
    assert (ARTICLE, DCTERMS.language, Literal("fr")) in facts
    # publisher and URL were found after the article was captured (shared/sources/README.md); the date was not
    assert set(facts.objects(ARTICLE, AKG.notCaptured)) == {DCTERMS.issued}
    assert facts.value(ARTICLE, URIRef("https://schema.org/url")) == URIRef(
        "https://moteur-actu.fr/news/mitsubishi-demarre-la-production-de-deux-modeles-nissan-pour-2026-12743"
    )
    publisher = facts.value(ARTICLE, DCTERMS.publisher)
    assert (publisher, RDF.type, AKG.Publisher) in facts
    assert str(facts.value(publisher, RDFS.label)) == "moteur-actu.fr"
    assert facts.value(ARTICLE, AKG.publishedNotBefore).toPython() == dt.date(2026, 1, 12)


#: Statements about facts (claims, reconciliations) and publishers are labelled in English only.
ENGLISH_ONLY = {AKG.Claim, AKG.Reconciliation, AKG.Publisher}


def test_every_individual_has_english_and_french_labels(facts: Graph) -> None:
    for subject in {s for s in facts.subjects(RDF.type, None) if isinstance(s, URIRef)}:
        languages = sorted(label.language for label in facts.objects(subject, RDFS.label))
        assert languages.count("en") == 1, subject
        if not set(facts.objects(subject, RDF.type)) & ENGLISH_ONLY:
            assert "fr" in languages, subject  # and others where a source gives them (Japanese for a report's)


def test_every_term_has_labels_and_a_comment(ontology: Graph) -> None:
    terms = {
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and s.startswith(str(AKG))
    }
    assert len(terms) > 50
    for term in terms:
        languages = {label.language for label in ontology.objects(term, RDFS.label)}
        assert {"en", "fr"} <= languages, term
        assert ontology.value(term, RDFS.comment) is not None, term


def test_ontology_header(ontology: Graph) -> None:
    iri = URIRef("https://w3id.org/alliance-kg/ontology")
    assert (iri, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(iri, OWL.versionIRI) == URIRef("https://w3id.org/alliance-kg/ontology/0.1.0")
    assert ontology.value(iri, DCTERMS.license) is not None
    for cls in ("Manufacturer", "Plant", "Vehicle", "Market", "OEMSupply"):
        assert (AKG[cls], RDF.type, OWL.Class) in ontology


def test_wikidata_links_use_only_confirmed_ids(facts: Graph) -> None:
    with (SOURCES / "wikidata-known-ids.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    confirmed = {row["wikidata_id"] for row in rows if row["status"] == "confirmed"}
    not_confirmed = {row["wikidata_id"] for row in rows if row["status"] != "confirmed" and row["wikidata_id"]}
    links = {str(o).rsplit("/", 1)[1] for o in facts.objects(None, SKOS.exactMatch)}
    assert links <= confirmed
    assert not links & not_confirmed
    assert {"Q36033", "Q20165", "Q1477864", "Q17", "Q869", "Q252", "Q49", "Q11708"} <= links
    assert not list(facts.subject_objects(OWL.sameAs))


def test_reasoning_infers_what_the_axioms_promise(merged: Graph) -> None:
    result = reason(merged)
    assert result.inconsistencies == ()
    inferred = result.inferred
    assert (ID["plant/okazaki"], AKG.builds, ID["vehicle/nissan-rogue-plug-in-hybrid"]) in inferred
    assert (ID["plant/okazaki"], AKG.buildsFor, ID["manufacturer/nissan"]) in inferred
    assert (ID["manufacturer/mitsubishi-motors"], AKG.operates, ID["plant/jakarta"]) in inferred
    assert (ID["manufacturer/mitsubishi-motors"], AKG.sellsIn, ID["region/north-america"]) in inferred
    assert (ID["alliance/renault-nissan-mitsubishi"], AKG.hasMember, ID["manufacturer/nissan"]) in inferred
    assert (ID["plant/laem-chabang"], AKG.locatedIn, ID["country/thailand"]) in inferred
    assert (ID["vehicle/nissan-navara"], RDF.type, AKG.Vehicle) in inferred
    # asserted triples are not repeated among the inferred ones
    assert not set(inferred) & set(merged)
