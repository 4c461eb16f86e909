"""``alliance-kg synth`` and :mod:`alliance_kg.synth`: a deterministic synthetic industry graph that conforms to the
shapes, is consistent, never passes for real data, and is written atomically. Its disputable facts are claims of
several sources (some agreeing at different precisions, a few conflicting), which the build reconciles
(:mod:`alliance_kg.claims`): the shapes, the reasoner and the checks at scale read the graph so reconciled."""

from __future__ import annotations

import errno
import itertools
import stat
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, TIME
from rdflib.term import Node

import alliance_kg.cli.synth as synth_command
from alliance_kg import synth
from alliance_kg.atomic import default_mode
from alliance_kg.claims import reconciled
from alliance_kg.cli import main
from alliance_kg.dates import parse_date
from alliance_kg.errors import InputError, ParameterError
from alliance_kg.loading import ProjectGraphs
from alliance_kg.namespaces import AKG, short
from alliance_kg.reasoning import reason
from alliance_kg.synth import SOURCE_IRI, SYNTH_NAMESPACE, ntriples_lines, synth_triples, turtle_chunks, write_synth
from alliance_kg.validation import validate

#: The size that pySHACL validates (it takes about 15 s: pySHACL is slow) and OWL-RL reasons over.
SMALL = synth.MIN_TRIPLES
SOURCE = URIRef(SOURCE_IRI)


def parse_nt(triples: Iterable[synth.Triple]) -> Graph:
    return Graph().parse(data="".join(ntriples_lines(triples)), format="nt")


def with_reconciled(graph: Graph, project: ProjectGraphs) -> Graph:
    """``graph`` and what the build computes from its claims (direct values, reconciliations, conflicts)."""
    return graph + reconciled(graph, project.ontology)


@pytest.fixture(scope="module")
def small_asserted() -> Graph:
    """The smallest graph as written: claims, no direct triple for the disputable facts."""
    return parse_nt(synth_triples(SMALL, seed=11))


@pytest.fixture(scope="module")
def small(small_asserted: Graph, project: ProjectGraphs) -> Graph:
    """The smallest graph as the build holds it: with its claims reconciled."""
    return with_reconciled(small_asserted, project)


@pytest.fixture(scope="module")
def medium_asserted() -> Graph:
    return parse_nt(synth_triples(20_000, seed=5))


@pytest.fixture(scope="module")
def medium(medium_asserted: Graph, project: ProjectGraphs) -> Graph:
    return with_reconciled(medium_asserted, project)


# -- determinism and size ------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".nt", ".ttl"])
def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path, suffix: str) -> None:
    first, again, other = (tmp_path / f"{name}{suffix}" for name in ("first", "again", "other"))
    write_synth(first, triples=3000, seed=42)
    write_synth(again, triples=3000, seed=42)
    write_synth(other, triples=3000, seed=43)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()


@pytest.mark.parametrize(("size", "seed"), [(1000, 0), (2000, 1), (2000, 2), (20_000, 3), (20_000, 4), (100_000, 5)])
def test_size_within_five_percent(size: int, seed: int) -> None:
    count = sum(1 for _ in synth_triples(size, seed=seed))
    assert abs(count - size) <= 0.05 * size, count


def test_triples_are_distinct(medium_asserted: Graph) -> None:
    assert len(medium_asserted) == sum(1 for _ in synth_triples(20_000, seed=5))


def test_streams_without_building_the_graph_first() -> None:
    """The first triples of the largest graph come at once: nothing is generated ahead of what is read."""
    first = list(itertools.islice(synth_triples(synth.MAX_TRIPLES, seed=0), 50))
    assert len(first) == 50
    assert first[0] == (f"<{SOURCE_IRI}>", f"<{RDF.type}>", f"<{AKG.SourceDocument}>")


# -- parses back ---------------------------------------------------------------------------------------------


def test_written_files_parse_back_to_the_same_graph(tmp_path: Path) -> None:
    nt, ttl = tmp_path / "graph.nt", tmp_path / "graph.ttl"
    written_nt = write_synth(nt, triples=2000, seed=9)
    written_ttl = write_synth(ttl, triples=2000, seed=9)
    assert (written_nt.format, written_ttl.format) == ("nt", "turtle")
    assert written_nt.triples == written_ttl.triples
    assert written_nt.bytes == nt.stat().st_size
    from_nt = Graph().parse(nt, format="nt")
    from_ttl = Graph().parse(ttl, format="turtle")
    assert len(from_nt) == written_nt.triples
    assert set(from_nt) == set(from_ttl)
    # Oxigraph's strict parsers agree.
    assert len(list(pyoxigraph.parse(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES))) == written_nt.triples
    assert len(list(pyoxigraph.parse(path=str(ttl), format=pyoxigraph.RdfFormat.TURTLE))) == written_nt.triples


def test_literals_are_escaped() -> None:
    triples = [
        ("<urn:x:a>", f"<{RDFS.comment}>", synth._text('say "hi"\\ \n twice\r', "en")),
        ("<urn:x:a>", f"<{RDFS.label}>", synth._text("Thaïlande d\u2019abord", "fr")),
    ]
    for text, rdf_format in (("".join(ntriples_lines(triples)), "nt"), ("".join(turtle_chunks(triples)), "turtle")):
        graph = Graph().parse(data=text, format=rdf_format)
        assert set(graph.objects(URIRef("urn:x:a"), None)) == {
            Literal('say "hi"\\ \n twice\r', lang="en"),
            Literal("Thaïlande d\u2019abord", lang="fr"),
        }


# -- never mistaken for real data -----------------------------------------------------------------------------


def iris(graph: Graph) -> Iterator[URIRef]:
    for triple in graph:
        yield from (term for term in triple if isinstance(term, URIRef))


def test_every_minted_iri_is_under_synth(medium_asserted: Graph, project: ProjectGraphs) -> None:
    """Every IRI is either minted under id/synth/ (web addresses of publishers and articles too) or a term the
    ontology declares (classes, properties, units) or a property the project's data uses (skos:altLabel)."""
    known = {term for triple in project.ontology for term in triple if isinstance(term, URIRef)} | {RDF.type}
    known |= set(project.facts.predicates()) - {SKOS.exactMatch}  # properties the project's data uses too
    outside = {iri for iri in iris(medium_asserted) if not iri.startswith(SYNTH_NAMESPACE)} - known
    assert outside == set()
    assert not any(iri.startswith("https://w3id.org/alliance-kg/id/") for iri in known)


def test_no_wikidata_link(tmp_path: Path, medium_asserted: Graph) -> None:
    medium = medium_asserted
    assert not set(medium.subject_objects(SKOS.exactMatch)) | set(medium.subject_objects(SKOS.closeMatch))
    path = tmp_path / "graph.ttl"
    write_synth(path, triples=20_000, seed=5)
    assert b"wikidata.org" not in path.read_bytes().lower()


def test_everything_derives_from_the_synthetic_source(medium_asserted: Graph) -> None:
    """Everything derives from the synthetic source: directly, or (a claim) from a synthetic article that does."""
    medium = medium_asserted
    assert (SOURCE, RDF.type, AKG.SourceDocument) in medium
    comment = str(medium.value(SOURCE, RDFS.comment))
    assert "SYNTHETIC DATA, NOT REAL" in comment
    assert "seed 5" in comment
    assert "Synthetic" in str(medium.value(SOURCE, SKOS.editorialNote))
    claims = set(medium.subjects(RDF.type, AKG.Claim))
    subjects = set(medium.subjects()) - {SOURCE} - claims
    assert len(subjects) > 500
    assert {s for s in subjects if (s, PROV.wasDerivedFrom, SOURCE) not in medium} == set()
    assert len(claims) > 1000
    for claim in claims:
        source = medium.value(claim, PROV.entity)
        assert set(medium.objects(claim, PROV.wasDerivedFrom)) == {source}
        assert (source, RDF.type, AKG.SourceDocument) in medium
        assert (source, PROV.wasDerivedFrom, SOURCE) in medium


# -- realistic: what the real data has, the synthetic graph has -----------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_has_every_kind_of_node_and_property_of_the_real_data(seed: int, project: ProjectGraphs) -> None:
    """The project's facts (its data with its claims reconciled, as load_project gives them) have no predicate,
    class or enumerated value that the synthetic graph, reconciled the same way, lacks."""
    graph = with_reconciled(parse_nt(synth_triples(SMALL, seed=seed)), project)
    not_synthetic = {SKOS.exactMatch, SKOS.closeMatch}  # Wikidata links: never in the synthetic graph
    web_pages = {SDO.url}  # real web addresses: the synthetic ones are under id/synth/

    def kinds(g: Graph) -> set[object]:
        predicates = set(g.predicates()) - not_synthetic
        classes = {("class", o) for o in g.objects(None, RDF.type)}
        # enumerations the facts point at (statuses, precisions, qualifiers, properties not captured, the
        # properties claims are about)
        values = {
            ("value", o)
            for p, o in g.predicate_objects()
            if isinstance(o, URIRef)
            and p not in not_synthetic | web_pages
            and not o.startswith("https://w3id.org/alliance-kg/id/")
        }
        return predicates | classes | values

    missing = kinds(project.facts) - kinds(graph)
    assert missing == set()
    precisions = set(graph.objects(None, AKG.precision))
    assert precisions == {TIME.unitDay, TIME.unitMonth, AKG.unitQuarter, AKG.unitHalfYear, TIME.unitYear}
    assert set(graph.objects(None, AKG.qualifier)) == {AKG.EndOf, AKG.BeginningOf, AKG.By}
    assert set(graph.objects(None, AKG.status)) == {AKG.Ongoing, AKG.Planned}


def test_supplies_in_both_directions(small: Graph) -> None:
    pairs = {
        (small.value(s, AKG.supplier), small.value(s, AKG.customer)) for s in small.subjects(RDF.type, AKG.OEMSupply)
    }
    assert any((customer, supplier) in pairs for supplier, customer in pairs)


# -- many sources per fact: claims, agreements, conflicts ----------------------------------------------------------

#: The facts held as claims only (README, "Many sources, one graph"; the claims contract).
DISPUTABLE = {
    AKG.supplier,
    AKG.customer,
    AKG.producedAt,
    AKG.market,
    AKG.productionStart,
    AKG.salesStart,
    AKG.status,
    AKG.derivedFrom,
    AKG.operator,
    AKG.locatedIn,
    AKG.subsidiaryOf,
}
SEVERAL_VALUED = {AKG.market, AKG.derivedFrom, AKG.locatedIn}


def test_claims_follow_the_contract(medium_asserted: Graph) -> None:
    """Each claim as the contract writes one: its IRI, subject (and the subject's qualified derivation), property,
    value, source, and the source's words (a quotation in its language) or an English paraphrase."""
    g = medium_asserted
    assert {(s, p) for s, p, _o in g if p in DISPUTABLE} == set()  # no direct triple: the build computes them
    claims = set(g.subjects(RDF.type, AKG.Claim))
    properties: set[Node] = set()
    paraphrased = quoted = 0
    for claim in claims:
        subject, prop, value = (g.value(claim, p) for p in (AKG.claimSubject, AKG.claimProperty, AKG.claimValue))
        source = g.value(claim, PROV.entity)
        assert isinstance(subject, URIRef)
        assert isinstance(prop, URIRef)
        assert isinstance(value, URIRef)
        assert isinstance(source, URIRef)
        properties.add(prop)
        for p in (AKG.claimSubject, AKG.claimProperty, AKG.claimValue, PROV.entity, PROV.wasDerivedFrom):
            assert len(set(g.objects(claim, p))) == 1, (claim, p)
        assert (subject, PROV.qualifiedDerivation, claim) in g
        source_id = source.rsplit("/", 1)[1]
        expected = f"{SYNTH_NAMESPACE}claim/{source_id}/{subject[len(SYNTH_NAMESPACE) :]}/{short(prop)[4:]}"
        if prop in SEVERAL_VALUED:
            expected += "/" + value.rsplit("/", 1)[1]
        assert str(claim) == expected
        [label] = g.objects(claim, RDFS.label)
        assert isinstance(label, Literal)
        assert label.language == "en"
        language = str(g.value(source, DCTERMS.language))
        for quotation in g.objects(claim, AKG.quotation):
            assert isinstance(quotation, Literal)
            assert quotation.language == language
            quoted += 1
        for paraphrase in g.objects(claim, AKG.paraphrase):
            assert isinstance(paraphrase, Literal)
            assert paraphrase.language == "en"
            paraphrased += 1
        assert (claim, AKG.quotation, None) in g or (claim, AKG.paraphrase, None) in g
        if prop in {AKG.productionStart, AKG.salesStart}:
            kebab = "production-start" if prop == AKG.productionStart else "sales-start"
            assert str(value) == f"{SYNTH_NAMESPACE}date/{subject.rsplit('/', 1)[1]}-{kebab}-{source_id}"
            assert (value, RDF.type, AKG.StatedDate) in g
            assert (value, PROV.wasDerivedFrom, source) in g
    assert properties == DISPUTABLE
    assert quoted > 1000
    assert paraphrased > 100
    # sources: news articles with a publisher, a web address, a language, an issue day or a day not before
    articles = set(g.subjects(RDF.type, SDO.NewsArticle))
    assert len(articles) > 20
    publishers = set(g.subjects(RDF.type, AKG.Publisher))
    assert len(publishers) >= 2
    for article in articles:
        assert (article, RDF.type, AKG.SourceDocument) in g
        assert g.value(article, DCTERMS.language) == g.value(article, SDO.inLanguage)
        assert (g.value(article, DCTERMS.issued) is None) != (g.value(article, AKG.publishedNotBefore) is None)
        publisher = g.value(article, DCTERMS.publisher)
        assert publisher is None or publisher in publishers
        assert (publisher is None) == (g.value(article, SDO.url) is None)
    assert {g.value(a, DCTERMS.language) for a in articles} == {Literal("fr"), Literal("en")}
    assert set(g.subjects(RDF.type, AKG.AdministrativeArea))
    owned = [
        (g.value(c, AKG.claimSubject), g.value(c, AKG.claimValue))
        for c in g.subjects(AKG.claimProperty, AKG.subsidiaryOf)
    ]
    assert owned
    for subsidiary, owner in owned:
        assert subsidiary != owner
        assert {(subsidiary, RDF.type, AKG.Manufacturer), (owner, RDF.type, AKG.Manufacturer)} <= set(g)


#: Per fact (subject, property): how many sources state it, and for dates whether two of them agree at a day and
#: at the half of its month, or state disjoint windows.
FACTS = """
PREFIX akg: <https://w3id.org/alliance-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#>
SELECT ?subject ?property (COUNT(DISTINCT ?source) AS ?sources) (COUNT(DISTINCT ?value) AS ?values)
       (MAX(?agree) AS ?agreement) (MAX(?disjoint) AS ?conflict)
WHERE {
    ?claim a akg:Claim ; akg:claimSubject ?subject ; akg:claimProperty ?property ; akg:claimValue ?value ;
        prov:entity ?source .
    OPTIONAL {
        ?value akg:earliest ?earliest ; akg:latest ?latest .
        ?other a akg:Claim ; akg:claimSubject ?subject ; akg:claimProperty ?property ; akg:claimValue ?date ;
            prov:entity ?elsewhere .
        ?date akg:earliest ?e ; akg:latest ?l .
        FILTER (?elsewhere != ?source)
        OPTIONAL {
            ?value akg:precision time:unitDay .
            ?date akg:precision time:unitMonth ; akg:qualifier akg:EndOf .
            FILTER (?e <= ?earliest && ?earliest <= ?l)
            BIND (1 AS ?day_in_half)
        }
        BIND (COALESCE(?day_in_half, 0) AS ?agree)
        BIND (IF(?l < ?earliest || ?latest < ?e, 1, 0) AS ?disjoint)
    }
}
GROUP BY ?subject ?property
"""


@pytest.fixture(scope="module")
def facts_100k() -> list[dict[str, object]]:
    """The facts of a 100k-triple graph (held in Oxigraph, which answers in a second)."""
    store = pyoxigraph.Store()
    store.load(input="".join(ntriples_lines(synth_triples(100_000, seed=5))), format=pyoxigraph.RdfFormat.N_TRIPLES)
    rows = []
    for solution in store.query(FACTS):  # type: ignore[union-attr]
        row = {name: solution[name] for name in ("subject", "property", "sources", "values", "agreement", "conflict")}
        rows.append(
            {
                k: (int(v.value) if isinstance(v, pyoxigraph.Literal) else v.value if v is not None else None)
                for k, v in row.items()
            }
        )
    return rows


def test_one_to_three_sources_per_fact_in_the_seeded_shares(facts_100k: list[dict[str, object]]) -> None:
    """Every fact has one to three sources; two agree at different precisions (a day, and the end of its month)
    on the expected share of the dates, disjoint windows conflict on a small share, and a small share of the
    suppliers are named otherwise by a third source."""
    akg = str(AKG)
    sources = Counter(row["sources"] for row in facts_100k)
    assert set(sources) <= {1, 2, 3}
    assert sources[2] > 0.1 * len(facts_100k)
    assert sources[3] > 0
    dates = [row for row in facts_100k if row["property"] in {akg + "productionStart", akg + "salesStart"}]
    assert len(dates) > 500
    agreements = sum(1 for row in dates if row["agreement"] == 1)
    conflicts = sum(1 for row in dates if row["conflict"] == 1)
    assert abs(agreements / len(dates) - synth.DATE_AGREEMENT_SHARE) < 0.3 * synth.DATE_AGREEMENT_SHARE, agreements
    assert abs(conflicts / len(dates) - synth.DATE_CONFLICT_SHARE) < 0.4 * synth.DATE_CONFLICT_SHARE, conflicts
    suppliers = [row for row in facts_100k if row["property"] == akg + "supplier"]
    disputed = [row for row in suppliers if row["values"] == 2]
    assert {row["values"] for row in suppliers} <= {1, 2}
    assert all(row["sources"] == 3 for row in disputed)  # two agree, the third names another
    share = len(disputed) / len(suppliers)
    assert abs(share - synth.SUPPLIER_CONFLICT_SHARE) < 0.5 * synth.SUPPLIER_CONFLICT_SHARE, len(disputed)
    # nothing else disagrees: the other several-source facts state the same value (or nested windows)
    others = [row for row in facts_100k if row not in dates and row not in suppliers]
    assert all(row["values"] == 1 or row["property"] in {str(p) for p in SEVERAL_VALUED} for row in others)


def test_the_build_reconciles_every_fact(medium_asserted: Graph, medium: Graph) -> None:
    """Reconciled, every fact has its value: the agreeing sources narrow a date to its day, the conflicting ones
    disagree (and conflict with the claim kept), and no fact stays unsettled."""
    g = medium
    conflicting = set(g.subject_objects(AKG.conflictsWith))
    assert conflicting
    assert all((b, AKG.conflictsWith, a) in g for a, b in conflicting)
    disagreeing = set(g.objects(None, AKG.disagreeingClaim))
    assert disagreeing == {a for pair in conflicting for a in pair} - set(g.objects(None, AKG.supportingClaim))
    assert set(g.subjects(RDF.type, AKG.ReconciledDate)) == set()  # agreeing windows nest: one of them is the value
    counts = Counter(int(n) for n in g.objects(None, AKG.sourceCount))  # type: ignore[call-overload]
    assert counts[1] > counts[2] > counts[3] > 0
    facts = {(g.value(c, AKG.claimSubject), g.value(c, AKG.claimProperty)) for c in g.subjects(RDF.type, AKG.Claim)}
    reconciliations = {
        (g.value(r, AKG.factSubject), g.value(r, AKG.factProperty)) for r in g.subjects(RDF.type, AKG.Reconciliation)
    }
    assert facts == reconciliations
    for subject, prop in facts:
        assert (subject, prop, None) in g, (subject, prop)
    assert len(g) > len(medium_asserted)


# -- conforms and is consistent ---------------------------------------------------------------------------------


def test_conforms_to_every_shape(small: Graph, project: ProjectGraphs) -> None:
    report = validate(small, shapes=project.shapes, ontology=project.ontology)
    assert report.conforms, report.render()


def test_is_consistent_under_owl_rl(small: Graph, project: ProjectGraphs) -> None:
    result = reason(Graph() + project.ontology + small)
    assert result.inconsistencies == ()
    # reasoning did run: the property chains give plants what they build
    assert set(result.inferred.subject_objects(AKG.builds))


def day(graph: Graph, node: Node | None, prop: URIRef) -> date:
    value = graph.value(node, prop)
    assert isinstance(value, Literal)
    result = value.toPython()
    assert isinstance(result, date)
    return result


def test_dates_and_functional_properties_hold_at_scale(medium: Graph) -> None:
    """What the shapes and OWL-RL check at the small size, checked in Python on a graph too big for pySHACL."""
    functional = [AKG.supplier, AKG.customer, AKG.vehicle, AKG.producedAt, AKG.productionStart, AKG.salesStart]
    functional += [AKG.status, AKG.operator, AKG.country, AKG.earliest, AKG.latest, AKG.precision, AKG.qualifier]
    values: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    for s, p, o in medium:
        if p in functional:
            values[(s, p)].add(o)
    assert {key for key, found in values.items() if len(found) > 1} == set()

    reconciled_dates = set(medium.subjects(RDF.type, AKG.ReconciledDate))
    for node in set(medium.subjects(RDF.type, AKG.StatedDate)) - reconciled_dates:
        earliest, latest = day(medium, node, AKG.earliest), day(medium, node, AKG.latest)
        precision = medium.value(node, AKG.precision)
        months = {TIME.unitMonth: 1, AKG.unitQuarter: 3, AKG.unitHalfYear: 6, TIME.unitYear: 12}.get(precision)  # type: ignore[call-overload]
        stated = medium.value(node, AKG.statedAs)
        assert isinstance(stated, Literal)
        assert stated.language in {"fr", "en"}
        # the window is what the normaliser reads in the stated words, in their language (README: "Dates as
        # sources write them"); a qualifier narrows it
        read = parse_date(str(stated), earliest, stated.language)
        assert (read.earliest, read.latest) == (earliest, latest), node
        assert read.precision == short(precision)
        if medium.value(node, AKG.qualifier) is not None:
            assert read.qualifier == short(medium.value(node, AKG.qualifier))
        elif precision == TIME.unitDay:
            assert earliest == latest
        else:
            assert months is not None
            assert earliest.day == 1
            assert (earliest.month - 1) % months == 0
            end_month = earliest.month + months - 1
            assert latest == date(earliest.year + end_month // 12, end_month % 12 + 1, 1) - timedelta(days=1)
        assert len(set(medium.objects(node, RDFS.label))) == 2
        assert medium.value(node, AKG.statedAs) is not None

    # one English and at least one French label each: two things minted with one IRI would have two (claims and
    # reconciliations have one English label, publishers their name)
    labelled_once = {AKG.Claim, AKG.Reconciliation, AKG.Publisher}
    for node in {s for s, o in medium.subject_objects(RDF.type) if o not in labelled_once}:
        languages = sorted(label.language or "" for label in medium.objects(node, RDFS.label))  # type: ignore[attr-defined]
        assert languages[:1] == ["en"]
        assert languages.count("en") == 1
        assert "fr" in languages

    supplies = list(medium.subjects(RDF.type, AKG.OEMSupply))
    assert len(supplies) > 100
    # agreements whose direction the (synthetic) source does not state: two parties, never a supplier
    agreements = set(medium.subjects(RDF.type, AKG.OEMSupplyAgreement)) - set(supplies)
    assert len(agreements) > 5
    for agreement in agreements:
        assert len(set(medium.objects(agreement, AKG.party))) == 2
        assert medium.value(agreement, AKG.supplier) is None
        assert medium.value(agreement, AKG.customer) is None
        assert medium.value(agreement, AKG.productionStart) is None
    for supply in supplies:
        supplier, customer = medium.value(supply, AKG.supplier), medium.value(supply, AKG.customer)
        assert supplier is not None
        assert customer is not None
        assert supplier != customer
        plant = medium.value(supply, AKG.producedAt)
        if plant is not None:
            assert medium.value(plant, AKG.operator) == supplier
        production, sales = medium.value(supply, AKG.productionStart), medium.value(supply, AKG.salesStart)
        if production is not None and sales is not None:
            assert day(medium, sales, AKG.latest) >= day(medium, production, AKG.earliest)
        vehicle = medium.value(supply, AKG.vehicle)
        assert (vehicle, AKG.derivedFrom, vehicle) not in medium
        assert (vehicle, AKG.variantOf, vehicle) not in medium
    for vehicle in medium.subjects(RDF.type, AKG.PlugInHybridVehicle):
        assert (vehicle, RDF.type, AKG.BatteryElectricVehicle) not in medium
    for vehicle in medium.subjects(RDF.type, AKG.SUV):
        assert (vehicle, RDF.type, AKG.Pickup) not in medium


# -- the API's errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("triples", "seed", "parameter"),
    [(999, 0, "triples"), (synth.MAX_TRIPLES + 1, 0, "triples"), (True, 0, "triples"), (2000, -1, "seed")],
)
def test_bad_parameters(triples: int, seed: int, parameter: str) -> None:
    with pytest.raises(ParameterError) as raised:
        synth_triples(triples, seed=seed)
    assert raised.value.parameter == parameter


def test_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match=r"\.nt .*\.ttl") as raised:
        write_synth(tmp_path / "graph.xml", triples=2000)
    assert raised.value.parameter == "output"
    assert list(tmp_path.iterdir()) == []


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        write_synth(tmp_path / "missing" / "graph.nt", triples=2000)


def test_command_limits_match_the_module() -> None:
    assert (synth_command.MIN_TRIPLES, synth_command.MAX_TRIPLES) == (synth.MIN_TRIPLES, synth.MAX_TRIPLES)


# -- the command ----------------------------------------------------------------------------------------------


def test_cli_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "graph.ttl"
    assert main(["synth", "--triples", "2k", "--seed", "3", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"wrote {out}: ")
    assert "(turtle, seed 3)" in printed
    reference = tmp_path / "reference.ttl"
    write_synth(reference, triples=2000, seed=3)
    assert out.read_bytes() == reference.read_bytes()
    assert stat.S_IMODE(out.stat().st_mode) == default_mode()  # 0o644 under the usual umask, never mkstemp's 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--triples", "5"], "--triples"),
        (["--triples", "lots"], "--triples"),
        (["--triples", "2000", "--seed", "-1"], "--seed"),
        (["--triples", "2000", "--seed", "x"], "--seed"),
        ([], "--triples"),
    ],
)
def test_cli_bad_argument(argv: list[str], named: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["synth", *argv, "-o", str(tmp_path / "graph.nt")]) == 2
    err = capsys.readouterr().err
    assert named in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_cli_bad_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["synth", "--triples", "2000", "-o", str(tmp_path / "graph.json")]) == 2
    assert "-o/--output" in capsys.readouterr().err
    assert main(["synth", "--triples", "2000", "-o", str(tmp_path / "no" / "graph.nt")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def failing_after(count: int, error: BaseException) -> object:
    """A stand-in for ``ntriples_lines`` that writes ``count`` lines, then fails with ``error``."""

    def lines(triples: Iterable[synth.Triple]) -> Iterator[str]:
        for number, line in enumerate(ntriples_lines(triples)):
            if number == count:
                raise error
            yield line

    return lines


@pytest.mark.parametrize(
    ("error", "status"),
    [(OSError(errno.ENOSPC, "No space left on device"), 2), (KeyboardInterrupt(), 130)],
)
def test_failed_write_leaves_no_file(
    error: BaseException,
    status: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(synth, "ntriples_lines", failing_after(10_000, error))
    new, old = tmp_path / "new.nt", tmp_path / "old.nt"
    old.write_bytes(b"previous\n")
    assert main(["synth", "--triples", "20000", "-o", str(new)]) == status
    assert main(["synth", "--triples", "20000", "-o", str(old)]) == status
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if status == 2:
        assert f"{new}: cannot write: No space left on device" in err
    assert not new.exists()
    assert old.read_bytes() == b"previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.nt"]  # no temporary file left behind
