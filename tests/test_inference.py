"""The SPARQL-rule OWL-RL engine (alliance_kg.inference) against owlrl, the reference.

What is compared (``restrict``): owlrl derives more than our rules on purpose (axiomatic triples about
``owl:Thing``, ``rdfs:Resource`` and datatypes, reflexive ``owl:sameAs``, the schema closure's
``owl:equivalentClass`` noise, types of literals). Both inferred graphs are cut down to what the rules are for,
the consequences for the *individuals*:

* ``(s rdf:type C)`` where ``s`` is not a literal and not a class or property declared in the ontology, and
  ``C`` is not in the RDF, RDFS, OWL or XSD vocabularies;
* ``(s p o)`` for any other ``p`` outside those vocabularies (so not ``owl:sameAs``), ``s`` again not a
  class or property of the ontology.

Within that, the two must be equal, on the article graph and on generated graphs (several seeds).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS, XSD
from testpaths import FIXTURES, REPO

from alliance_kg.errors import BuildError, InputError
from alliance_kg.inference import RULES, SCRATCH_GRAPHS, inconsistencies, materialise, rule_files
from alliance_kg.loading import load_project, parse_files
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY
from alliance_kg.reasoning import reason
from alliance_kg.store import MemoryStore, Store
from alliance_kg.store_oxigraph import OxigraphStore

INFERENCE = FIXTURES / "inference"
VOCABULARIES = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
DECLARATIONS = {
    OWL.Class,
    RDFS.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
}
Triple = tuple[object, object, object]


def restrict(triples: Iterable[Triple], ontology: Graph) -> set[Triple]:
    schema = {s for s, o in ontology.subject_objects(RDF.type) if o in DECLARATIONS}
    kept = set()
    for s, p, o in triples:
        if isinstance(s, Literal) or s in schema or (str(p).startswith(VOCABULARIES) and p != RDF.type):
            continue
        if p == RDF.type and (isinstance(o, Literal) or str(o).startswith(VOCABULARIES)):
            continue
        kept.add((s, p, o))
    return kept


def fill(store: Store, ontology: Graph, facts: Graph) -> Store:
    store.add(GRAPH_ONTOLOGY, ontology)
    store.add(GRAPH_FACTS, facts)
    return store


def owlrl_closure(ontology: Graph, facts: Graph) -> set[Triple]:
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    for triple in facts:
        graph.add(triple)
    return restrict(reason(graph).inferred, ontology)


def generated(size: int, seed: int) -> Graph:
    """A synthetic graph shaped like the project's data: ``alliance-kg synth``'s (the benchmark's before it)."""
    try:
        from alliance_kg.synth import ntriples_lines, synth_triples
    except ImportError:  # pragma: no cover - the generator came later than this test
        sys.path.insert(0, str(REPO / "benchmarks"))
        from store_bench import generate, to_rdflib  # type: ignore[import-not-found]

        graph: Graph = to_rdflib(generate(size, seed))
        return graph
    return Graph().parse(data="".join(ntriples_lines(synth_triples(size, seed=seed))), format="nt")


@pytest.fixture(scope="module")
def article() -> tuple[Graph, Graph]:
    project = load_project()
    return project.ontology, project.facts


@pytest.fixture(params=["memory", "oxigraph"])
def new_store(request: pytest.FixtureRequest) -> Store:
    return MemoryStore() if request.param == "memory" else OxigraphStore()


@pytest.fixture
def ox_store() -> Store:
    """Oxigraph only: rdflib runs the rules over the whole project ontology in about 12 s (many small updates)."""
    return OxigraphStore()


def test_rule_files_parse_and_ship_in_the_package() -> None:
    from rdflib.plugins.sparql import prepareQuery, prepareUpdate

    assert RULES.parent.name == "alliance_kg"  # under the package: hatch puts it in the wheel
    for kind in ("schema", "instance", "steps"):
        for path in rule_files(kind):
            prepareUpdate(path.read_text(encoding="utf-8"))
    for path in rule_files("checks"):
        prepareQuery(path.read_text(encoding="utf-8"))
        assert path.read_text(encoding="utf-8").startswith("# "), path  # says what it answers


def test_article_graph_equals_owlrl(new_store: Store, article: tuple[Graph, Graph]) -> None:
    ontology, facts = article
    store = fill(new_store, ontology, facts)
    report = materialise(store)
    assert report.added[-1] == 0
    assert report.total == store.count(GRAPH_INFERRED) > 0
    mine = restrict(store.graph(GRAPH_INFERRED), ontology)
    assert mine == owlrl_closure(ontology, facts)
    assert inconsistencies(store) == ()
    assert set(store.graph_names()).isdisjoint(SCRATCH_GRAPHS)


@pytest.mark.parametrize(("size", "seed"), [pytest.param(10_000, 1, marks=pytest.mark.slow), (3_000, 2), (3_000, 3)])
def test_generated_graphs_equal_owlrl(size: int, seed: int, article: tuple[Graph, Graph]) -> None:
    """owlrl takes most of the time (about 20 s at 10k triples): one 10k graph, two smaller ones."""
    ontology, _ = article
    facts = generated(size, seed)
    store = fill(OxigraphStore(), ontology, facts)
    report = materialise(store)
    assert report.rounds >= 2
    mine = restrict(store.graph(GRAPH_INFERRED), ontology)
    assert mine == owlrl_closure(ontology, facts)


def test_asserted_graphs_are_never_changed(ox_store: Store, article: tuple[Graph, Graph]) -> None:
    ontology, facts = article
    store = fill(ox_store, ontology, facts)
    store.add(GRAPH_INFERRED, [(URIRef("http://example.org/stale"), RDF.type, OWL.Thing)])
    before = {name: to_isomorphic(store.graph(name)) for name in (GRAPH_ONTOLOGY, GRAPH_FACTS)}
    materialise(store)
    for name, graph in before.items():
        assert to_isomorphic(store.graph(name)) == graph
    inferred = store.graph(GRAPH_INFERRED)
    assert (URIRef("http://example.org/stale"), RDF.type, OWL.Thing) not in inferred  # emptied first
    assert not any(triple in facts or triple in ontology for triple in inferred)


def project_ontology() -> Graph:
    from alliance_kg import resources

    return parse_files(resources.ontology_files())


@pytest.mark.parametrize("fixture", ["cyclic-subclass.ttl", "self-chain.ttl"])
def test_cycles_terminate_and_equal_owlrl(new_store: Store, fixture: str) -> None:
    ontology = parse_files([INFERENCE / fixture])
    store = fill(new_store, ontology, Graph())
    report = materialise(store, max_rounds=10)
    assert report.added[-1] == 0
    mine = restrict(store.graph(GRAPH_INFERRED), Graph())
    assert mine == owlrl_closure(ontology, Graph())
    assert mine  # something was derived, and compared


def test_cyclic_subclass_types_every_class_of_the_loop(new_store: Store) -> None:
    store = fill(new_store, parse_files([INFERENCE / "cyclic-subclass.ttl"]), Graph())
    materialise(store)
    x = URIRef("http://example.org/x")
    types = set(store.graph(GRAPH_INFERRED).objects(x, RDF.type))
    assert {URIRef(f"http://example.org/{c}") for c in "BDE"} <= types


def test_round_budget_is_a_build_error(ox_store: Store, article: tuple[Graph, Graph]) -> None:
    store = fill(ox_store, *article)
    with pytest.raises(BuildError, match="within 1 rounds"):
        materialise(store, max_rounds=1)
    assert set(store.graph_names()).isdisjoint(SCRATCH_GRAPHS)  # scratch graphs cleaned up anyway


def test_longer_chains_are_refused() -> None:
    ontology = Graph().parse(
        data="""@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix ex: <http://example.org/> .
        ex:p owl:propertyChainAxiom ( ex:a ex:b ex:c ) .""",
        format="turtle",
    )
    store = fill(OxigraphStore(), ontology, Graph())
    with pytest.raises(InputError, match=r"property chains"):
        materialise(store)


def check(store: Store, ontology: Graph, facts: Graph) -> tuple[object, ...]:
    fill(store, ontology, facts)
    materialise(store)
    return inconsistencies(store)


def test_disjoint_fixture_as_reasoning_reports_it(new_store: Store) -> None:
    ontology = parse_files([FIXTURES / "ontology-mini.ttl"])
    facts = parse_files([FIXTURES / "facts-disjoint.ttl"])
    graph = parse_files([FIXTURES / "ontology-mini.ttl", FIXTURES / "facts-disjoint.ttl"])
    assert check(new_store, ontology, facts) == reason(graph).inconsistencies
    [item] = inconsistencies(new_store)
    assert item.kind == "disjoint-classes"


def test_functional_clash_is_merged_individuals_as_reasoning_reports_it(ox_store: Store) -> None:
    ontology = project_ontology()
    facts = parse_files([INFERENCE / "functional-clash.ttl"])
    graph = parse_files([INFERENCE / "functional-clash.ttl"])
    for triple in ontology:
        graph.add(triple)
    expected = tuple(i for i in reason(graph).inconsistencies if i.kind == "merged-individuals")
    found = check(ox_store, ontology, facts)
    assert found == expected
    assert "id:plant/p akg:operator both" in str(found[0])


def test_irreflexive_property_used_reflexively(ox_store: Store) -> None:
    [item] = check(ox_store, project_ontology(), parse_files([INFERENCE / "irreflexive.ttl"]))
    assert item.kind == "owl-rl"
    assert item.message == (
        "OWL-RL: Irreflexive property used on https://w3id.org/alliance-kg/id/vehicle/v with "
        "https://w3id.org/alliance-kg/ontology#derivedFrom"
    )


def test_status_clash_between_different_individuals(ox_store: Store) -> None:
    """owlrl misses this one (it does not apply owl:AllDifferent here); the rules report it."""
    items = check(ox_store, project_ontology(), parse_files([INFERENCE / "status-clash.ttl"]))
    assert [(i.kind, i.resources) for i in items] == [  # type: ignore[attr-defined]
        (
            "same-and-different",
            ("https://w3id.org/alliance-kg/ontology#Ongoing", "https://w3id.org/alliance-kg/ontology#Planned"),
        )
    ]


def test_nothing_is_reported(new_store: Store) -> None:
    x = URIRef("https://w3id.org/alliance-kg/id/plant/x")
    facts = Graph()
    facts.add((x, RDF.type, OWL.Nothing))
    items = check(new_store, Graph(), facts)
    assert [(i.kind, i.resources) for i in items] == [("nothing", (str(x),))]  # type: ignore[attr-defined]


def test_fixture_folder_is_ours() -> None:
    assert sorted(p.name for p in INFERENCE.glob("*.ttl")) == [
        "cyclic-subclass.ttl",
        "functional-clash.ttl",
        "irreflexive.ttl",
        "self-chain.ttl",
        "status-clash.ttl",
    ]
    assert isinstance(INFERENCE, Path)
