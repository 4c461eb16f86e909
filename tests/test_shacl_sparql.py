"""The SPARQL-compiled SHACL validator (alliance_kg.shacl_sparql) against pySHACL, the reference.

For the article, every fixture of tests/shapes/ and generated valid and invalid graphs, the verdict and the set of
(focus node, result path, value, source shape, constraint component) must be pySHACL's, on a MemoryStore and on an
OxigraphStore. The data graph is the facts together with the ontology, as tests/test_shapes.py builds it.

rdflib parses each of the ~85 queries in some 50 ms, so one validation on a MemoryStore costs ~4 s whatever the
data: the fixtures are checked one by one on Oxigraph, and on the MemoryStore all at once, in one graph where each
fixture's IRIs are moved under a namespace of its own (a test checks that pySHACL gives the merged graph exactly
the union of the fixtures' own results, so the merged check is the per-fixture check).
pySHACL's reports are computed once per session (functools.cache).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from shacl_reference import fixture_graph, fixture_report, project_graphs
from test_shapes import rejects

from alliance_kg.errors import InputError
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_ONTOLOGY, ID
from alliance_kg.shacl_sparql import compile_shapes, validate_store
from alliance_kg.store import MemoryStore, Store
from alliance_kg.store_oxigraph import OxigraphStore
from alliance_kg.validation import ValidationReport, _render_path, _shape, validate

FIXTURES = Path(__file__).resolve().parent / "shapes"
GOOD = sorted((FIXTURES / "good").glob("*.ttl"))
BAD = sorted((FIXTURES / "bad").glob("*.ttl"))
ALL = GOOD + BAD
STORES: dict[str, Callable[[], Store]] = {"memory": MemoryStore, "oxigraph": OxigraphStore}

Key = tuple[str, str | None, str | None, str | None, str]


project = project_graphs  # the project's facts, ontology and shapes, parsed once per session


def result_keys(report: ValidationReport, shapes: Graph) -> set[Key]:
    """(focus, path, value, source shape, component) of every result of a SHACL report graph."""
    graph = report.graph
    keys: set[Key] = set()
    for result in graph.objects(None, SH.result):
        path = graph.value(result, SH.resultPath)
        value = graph.value(result, SH.value)
        keys.add(
            (
                graph.value(result, SH.focusNode).n3(),  # type: ignore[union-attr]
                None if path is None else _render_path(graph, path),
                None if value is None else value.n3(),
                _shape(shapes, graph.value(result, SH.sourceShape)),
                graph.value(result, SH.sourceConstraintComponent).n3(),  # type: ignore[union-attr]
            )
        )
    return keys


def run_store(kind: str, data: Graph, ontology: Graph, shapes: Graph) -> ValidationReport:
    store = STORES[kind]()
    try:
        store.add(GRAPH_FACTS, data)
        store.add(GRAPH_ONTOLOGY, ontology)
        # as the product and the reference (alliance_kg.validation.validate) judge: warnings do not reject
        return validate_store(store, shapes, allow_warnings=True)
    finally:
        store.close()


def assert_same(ours: ValidationReport, reference: ValidationReport, shapes: Graph) -> None:
    assert ours.conforms == reference.conforms
    expected = result_keys(reference, shapes)
    found = result_keys(ours, shapes)
    assert found == expected, (
        f"missing: {sorted(expected - found, key=str)}\nextra: {sorted(found - expected, key=str)}"
    )
    # The typed results read the same too (message texts aside: pySHACL makes up its own when a shape has none).
    strip = {(v.focus, v.path, v.value, v.severity, v.source_shape) for v in reference.results}
    assert {(v.focus, v.path, v.value, v.severity, v.source_shape) for v in ours.results} == strip


# -- the article --------------------------------------------------------------------------------------------------


@functools.cache
def article_reference() -> ValidationReport:
    facts, ontology, shapes = project()
    return validate(facts, shapes=shapes, ontology=ontology)


@pytest.mark.parametrize("kind", STORES)
def test_article_same_as_pyshacl(kind: str) -> None:
    facts, ontology, shapes = project()
    assert_same(run_store(kind, facts, ontology, shapes), article_reference(), shapes)


# -- the fixtures, one by one on Oxigraph -------------------------------------------------------------------------


fixture_reference = fixture_report  # pySHACL's report on a fixture, shared with tests/test_shapes.py


@pytest.mark.parametrize("fixture", ALL, ids=[f"{f.parent.name}-{f.stem}" for f in ALL])
def test_fixture_same_as_pyshacl_on_oxigraph(fixture: Path) -> None:
    _facts, ontology, shapes = project()
    reference = fixture_reference(fixture)
    assert reference.conforms == (not rejects(fixture, shapes))  # the fixtures mean what tests/test_shapes.py says
    assert_same(run_store("oxigraph", fixture_graph(fixture), ontology, shapes), reference, shapes)


# -- the fixtures, all at once (each under its own namespace) on both stores --------------------------------------


def moved(graph: Graph, number: int) -> Graph:
    """``graph`` with its ``id:`` IRIs moved to ``id:fixtureN/`` and its blank nodes renamed apart."""
    prefix = f"{ID}fixture{number}/"

    def move(term: object) -> object:
        if isinstance(term, URIRef) and str(term).startswith(str(ID)):
            return URIRef(prefix + str(term)[len(str(ID)) :])
        if isinstance(term, BNode):
            return BNode(f"f{number}x{term}")
        return term

    out = Graph()
    for s, p, o in graph:
        out.add((move(s), p, move(o)))  # type: ignore[arg-type]
    return out


def merged() -> Graph:
    graph = Graph()
    for number, fixture in enumerate(ALL):
        graph += moved(fixture_graph(fixture), number)
    return graph


def moved_keys(keys: set[Key], number: int) -> set[Key]:
    """Result keys of fixture ``number`` as they read in the merged graph."""
    prefix = f"<{ID}"

    def move(text: str | None) -> str | None:
        if text is None:
            return None
        if text.startswith(prefix):
            return f"<{ID}fixture{number}/" + text[len(prefix) :]
        if text.startswith("_:"):
            return f"_:f{number}x{text[2:]}"
        return text

    return {(move(f), p, move(v), s, c) for f, p, v, s, c in keys}  # type: ignore[misc]


@pytest.mark.parametrize("kind", STORES)
def test_merged_fixtures_same_as_pyshacl(kind: str) -> None:
    """Each fixture's results in the merged graph are pySHACL's results for that fixture alone (moved).

    Validation is local to a focus node and its neighbourhood, and the fixtures share nothing but the ontology and
    vocabulary terms once their IRIs are moved apart, so pySHACL's report of the merged graph is the union of its
    per-fixture reports (checked once by hand: pySHACL on the merged graph takes a minute). The merged graph lets
    the MemoryStore, whose query parsing costs ~4 s per validation, check every fixture in one run.
    """
    _facts, ontology, shapes = project()
    expected: set[Key] = set()
    for number, fixture in enumerate(ALL):
        expected |= moved_keys(result_keys(fixture_reference(fixture), shapes), number)
    ours = run_store(kind, merged(), ontology, shapes)
    assert not ours.conforms
    found = result_keys(ours, shapes)
    assert found == expected, (
        f"missing: {sorted(expected - found, key=str)}\nextra: {sorted(found - expected, key=str)}"
    )


# -- generated graphs ---------------------------------------------------------------------------------------------


@functools.cache
def generated(seed: int) -> Graph:
    """About 1,000 triples of a synthetic industry graph (alliance_kg.synth): pySHACL takes ~10 s on it."""
    from alliance_kg.synth import MIN_TRIPLES, ntriples_lines, synth_triples

    text = "".join(ntriples_lines(synth_triples(MIN_TRIPLES, seed=seed)))
    return Graph().parse(data=text, format="nt")


def broken(graph: Graph, seed: int, changes: int = 25) -> Graph:
    """A copy of ``graph`` with triples deleted, objects swapped, literals put where IRIs go and duplicates added."""
    rng = random.Random(seed)
    triples = sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))
    objects = sorted({o for _s, _p, o in triples}, key=lambda o: o.n3())
    out = Graph()
    for triple in triples:
        out.add(triple)
    for _ in range(changes):
        s, p, o = rng.choice(triples)
        kind = rng.randrange(4)
        if kind == 0:
            out.remove((s, p, o))
        elif kind == 1:
            out.add((s, p, rng.choice(objects)))
        elif kind == 2:
            out.add((s, p, Literal(str(o)[-12:])))
        else:
            other = rng.choice(triples)[0]
            out.add((other, p, o))
    return out


CASES = {"valid": (1, None), "invalid": (1, 11)}


@functools.cache
def generated_case(name: str) -> tuple[Graph, ValidationReport]:
    _facts, ontology, shapes = project()
    seed, damage = CASES[name]
    graph = generated(seed) if damage is None else broken(generated(seed), damage)
    return graph, validate(graph, shapes=shapes, ontology=ontology)


@pytest.mark.parametrize("kind", STORES)
@pytest.mark.parametrize("case", CASES)
def test_generated_graph_same_as_pyshacl(case: str, kind: str) -> None:
    _facts, ontology, shapes = project()
    graph, reference = generated_case(case)
    if case.startswith("invalid"):
        assert not reference.conforms, "the damage should break some shape"
    assert_same(run_store(kind, graph, ontology, shapes), reference, shapes)


# -- the compiler itself ------------------------------------------------------------------------------------------


def test_one_query_per_constraint_generated_from_the_shapes() -> None:
    _facts, _ontology, shapes = project()
    queries = compile_shapes(shapes)
    sparql = {q.constraint for q in queries if q.constraint is not None}
    assert sparql == set(shapes.objects(None, SH.sparql))
    reported = {(q.shape, q.component) for q in queries}
    assert (
        URIRef("https://w3id.org/alliance-kg/shapes#Labelled-englishLabel"),
        SH.QualifiedMaxCountConstraintComponent,
    ) in reported
    for query in queries:
        assert query.sparql.startswith("PREFIX"), query.label


def shapes_with(extra: str) -> Graph:
    return Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n" + extra,
        format="turtle",
    )


@pytest.mark.parametrize(
    ("turtle", "named"),
    [
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .", "sh:closed"),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P . ex:P sh:path ex:p ; sh:uniqueLang true .",
            "sh:uniqueLang",
        ),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:in ( [] ) .", "blank node"),
        (
            'ex:S sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this { $this ?p ?o MINUS { ?o a ?c } }" ] .',
            "MINUS",
        ),
        (
            'ex:S sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { $this ?p $shapesGraph }" ] .',
            "shapesGraph",
        ),
    ],
)
def test_unsupported_features_name_the_shape_and_component(turtle: str, named: str) -> None:
    with pytest.raises(InputError) as caught:
        compile_shapes(shapes_with(turtle))
    assert "ex:S" in str(caught.value) or "ex:P" in str(caught.value)
    assert named in str(caught.value)


def test_report_graph_is_a_shacl_report() -> None:
    _facts, ontology, shapes = project()
    graph, _reference = generated_case("invalid")
    report = run_store("oxigraph", graph, ontology, shapes)
    (node,) = report.graph.subjects(RDF.type, SH.ValidationReport)
    assert report.graph.value(node, SH.conforms) == Literal(False)
    results = set(report.graph.objects(node, SH.result))
    assert len(results) >= len(report.results) > 0
    assert all((r, RDF.type, SH.ValidationResult) in report.graph for r in results)
    assert report.render().startswith("Conforms: no")
