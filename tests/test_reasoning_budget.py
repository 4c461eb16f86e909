"""Reasoning that cannot run away: cycles finish, and a graph that grows too much stops at a budget.

On the SPARQL-rule engine (:func:`alliance_kg.inference.materialise`), on an Oxigraph store and, where rdflib is
fast enough, on the in-memory store, and on the owlrl reference (:func:`alliance_kg.reasoning.reason`) for the
cheap cases:

* a cyclic ``rdfs:subClassOf`` (A ⊑ B ⊑ C ⊑ A) finishes with every class of the loop on every member;
* a self-referential chain (``p owl:propertyChainAxiom (p p)``, so p is transitive) finishes with the
  transitive closure, on a path and on a cycle;
* a 300-member ``owl:sameAs`` clique (89,700 triples) finishes at once: the rules derive nothing from
  ``owl:sameAs`` (no ``eq-*`` rules, on purpose: see the module docstring of ``alliance_kg.inference``); stated
  ``owl:sameAs`` between the project's individuals is no inconsistency, a merge they only imply is;
* an ontology that makes ``owl:sameAs`` symmetric and transitive (prp-symp, prp-trp: what eq-sym and eq-trans
  would do) turns a 300-member star into the 89,700-triple clique: it stops at a size budget with a
  :class:`~alliance_kg.errors.BuildError` naming it; a time budget stops the rdflib store likewise.

owlrl runs the ``eq-*`` rules and has no budget: a 60-member ``owl:sameAs`` star takes it about 20 s (the time
grows with the cube of the members), so only a 12-member clique is run through it here.
"""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Callable

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from alliance_kg.errors import BuildError, InputError
from alliance_kg.inference import (
    DEFAULT_MAX_ROUNDS,
    DEFAULT_MAX_SECONDS,
    DEFAULT_MAX_TRIPLES,
    SCRATCH_GRAPHS,
    inconsistencies,
    materialise,
)
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY, ID
from alliance_kg.reasoning import reason
from alliance_kg.store import MemoryStore, Store
from alliance_kg.store_oxigraph import OxigraphStore

EX = Namespace("http://example.org/")
MEMBER = Namespace(f"{ID}manufacturer/")  # the project's own individuals: a merge of two is reported

STORES: dict[str, Callable[[], Store]] = {"oxigraph": OxigraphStore, "memory": MemoryStore}


def fill(store: Store, ontology: Graph, facts: Graph) -> Store:
    store.add(GRAPH_ONTOLOGY, ontology)
    store.add(GRAPH_FACTS, facts)
    return store


def turtle(text: str) -> Graph:
    prefixes = (
        "@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . "
        "@prefix ex: <http://example.org/> .\n"
    )
    return Graph().parse(data=prefixes + text, format="turtle")


def objects(graph: Graph, subject: URIRef, predicate: URIRef) -> set[URIRef]:
    return {o for o in graph.objects(subject, predicate) if isinstance(o, URIRef)}


# -- cyclic rdfs:subClassOf -------------------------------------------------------------------------------------------

CYCLE = turtle(
    "ex:A a owl:Class ; rdfs:subClassOf ex:B . ex:B a owl:Class ; rdfs:subClassOf ex:C . "
    "ex:C a owl:Class ; rdfs:subClassOf ex:A ."
)
CYCLE_FACTS = turtle("ex:x a ex:A . ex:y a ex:B . ex:z a ex:C .")


@pytest.mark.parametrize("kind", STORES)
def test_a_cyclic_subclass_finishes_with_the_closure(kind: str) -> None:
    store = fill(STORES[kind](), CYCLE, CYCLE_FACTS)
    report = materialise(store, max_seconds=60)
    assert report.added[-1] == 0
    assert report.rounds <= 3
    inferred = store.graph(GRAPH_INFERRED)
    for individual in (EX.x, EX.y, EX.z):
        assert objects(inferred, individual, RDF.type) | objects(CYCLE_FACTS, individual, RDF.type) == {
            EX.A,
            EX.B,
            EX.C,
        }
    # the schema closure: every class of the loop is a sub-class of the other two
    for sub in (EX.A, EX.B, EX.C):
        assert objects(inferred, sub, RDFS.subClassOf) | objects(CYCLE, sub, RDFS.subClassOf) >= {EX.A, EX.B, EX.C} - {
            sub
        }
    assert set(store.graph_names()).isdisjoint(SCRATCH_GRAPHS)


def test_a_cyclic_subclass_on_the_owlrl_reference() -> None:
    inferred = reason(CYCLE + CYCLE_FACTS).inferred
    for individual in (EX.x, EX.y, EX.z):
        assert objects(inferred, individual, RDF.type) | objects(CYCLE_FACTS, individual, RDF.type) >= {
            EX.A,
            EX.B,
            EX.C,
        }


# -- a self-referential property chain ------------------------------------------------------------------------------

CHAIN = turtle("ex:next a owl:ObjectProperty ; owl:propertyChainAxiom ( ex:next ex:next ) .")


def path(length: int) -> Graph:
    facts = Graph()
    for i in range(length):
        facts.add((EX[f"n{i}"], EX.next, EX[f"n{i + 1}"]))
    return facts


def closure_pairs(facts: Graph) -> set[tuple[URIRef, URIRef]]:
    """The transitive closure of ``ex:next``, computed here by hand."""
    step: dict[URIRef, set[URIRef]] = {}
    for s, o in facts.subject_objects(EX.next):
        assert isinstance(s, URIRef)
        assert isinstance(o, URIRef)
        step.setdefault(s, set()).add(o)
    pairs = set()
    for start in step:
        seen: set[URIRef] = set()
        todo = list(step[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(step.get(node, ()))
        pairs.update((start, end) for end in seen)
    return pairs


def next_pairs(graph: Graph) -> set[tuple[URIRef, URIRef]]:
    return {(s, o) for s, o in graph.subject_objects(EX.next) if isinstance(s, URIRef) and isinstance(o, URIRef)}


@pytest.mark.parametrize(("kind", "length"), [("oxigraph", 40), ("memory", 6)])
def test_a_self_referential_chain_finishes_with_the_transitive_closure(kind: str, length: int) -> None:
    facts = path(length)
    store = fill(STORES[kind](), CHAIN, facts)
    report = materialise(store, max_seconds=120)
    assert report.added[-1] == 0
    expected = closure_pairs(facts)
    assert len(expected) == length * (length + 1) // 2
    assert next_pairs(store.graph(GRAPH_INFERRED)) | next_pairs(facts) == expected
    assert report.total == len(expected) - length
    assert report.rounds <= math.ceil(math.log2(length)) + 2  # the path doubles each round


@pytest.mark.parametrize("kind", STORES)
def test_a_self_referential_chain_on_a_cycle(kind: str) -> None:
    facts = turtle("ex:a ex:next ex:b . ex:b ex:next ex:c . ex:c ex:next ex:d . ex:d ex:next ex:a .")
    store = fill(STORES[kind](), CHAIN, facts)
    materialise(store, max_seconds=120)
    nodes = [EX.a, EX.b, EX.c, EX.d]
    assert next_pairs(store.graph(GRAPH_INFERRED)) | next_pairs(facts) == {(s, o) for s in nodes for o in nodes}


def test_a_self_referential_chain_agrees_with_owlrl() -> None:
    facts = path(12)
    store = fill(OxigraphStore(), CHAIN, facts)
    materialise(store)
    assert next_pairs(store.graph(GRAPH_INFERRED)) == next_pairs(reason(CHAIN + facts).inferred)


def test_the_size_budget_stops_a_chain_that_grows_and_names_the_budget() -> None:
    store = fill(OxigraphStore(), CHAIN, path(60))  # 1,830 pairs in the closure
    with pytest.raises(BuildError, match=r"size budget \(max_triples=200\)") as info:
        materialise(store, max_triples=200)
    assert "before a fixpoint" in str(info.value)
    assert set(store.graph_names()).isdisjoint(SCRATCH_GRAPHS)  # scratch graphs cleaned up anyway
    assert store.count(GRAPH_INFERRED) < 1_830 - 60  # it stopped: the closure is not all there


def test_the_time_budget_stops_a_slow_run_and_names_the_budget() -> None:
    """rdflib's store takes seconds to minutes over the closure of a 40-node path: the time budget stops it."""
    store = fill(MemoryStore(), CHAIN, path(40))
    began = time.perf_counter()
    with pytest.raises(BuildError, match=r"time budget \(max_seconds=0\.5\)"):
        materialise(store, max_seconds=0.5)
    assert time.perf_counter() - began < 15  # checked between two updates: overshot by one update at most
    assert set(store.graph_names()).isdisjoint(SCRATCH_GRAPHS)


# -- owl:sameAs ------------------------------------------------------------------------------------------------------


def clique(members: int, namespace: Namespace = MEMBER) -> Graph:
    facts = Graph()
    names = [namespace[f"m{i}"] for i in range(members)]
    for a in names:
        facts.add((a, RDF.type, EX.Thing))
        for b in names:
            if a != b:
                facts.add((a, OWL.sameAs, b))
    return facts


@pytest.mark.parametrize(("kind", "members"), [("oxigraph", 300), ("memory", 40)])
def test_a_large_sameas_clique_finishes_at_once_as_the_rules_leave_sameas_alone(kind: str, members: int) -> None:
    facts = clique(members)
    assert len(facts) == members * members  # n - 1 sameAs and one type for each member
    store = fill(STORES[kind](), Graph(), facts)
    began = time.perf_counter()
    report = materialise(store, max_seconds=60)
    assert report.added == (0, 0)  # no eq-* rules: nothing is copied from one member to another
    assert inconsistencies(store) == ()  # sameAs stated between the project's individuals: no merge reported
    assert time.perf_counter() - began < 60


def test_sameas_only_implied_between_the_project_individuals_is_reported() -> None:
    """A star (m0 = each other member) implies m1 = m2 = ...: each such pair is a merged-individuals
    inconsistency, as on the owlrl reference, where it is an inferred owl:sameAs."""
    facts = Graph()
    for i in range(1, 5):
        facts.add((MEMBER.m0, OWL.sameAs, MEMBER[f"m{i}"]))
    store = fill(OxigraphStore(), Graph(), facts)
    materialise(store)
    found = inconsistencies(store)
    assert {item.kind for item in found} == {"merged-individuals"}
    assert len(found) == 6  # the pairs of m1..m4
    assert {item.resources for item in found} == {item.resources for item in reason(facts).inconsistencies}


def test_a_sameas_clique_on_the_owlrl_reference() -> None:
    """owlrl runs eq-sym, eq-trans and eq-rep-*: a 12-member clique finishes, every member gets every type."""
    facts = clique(12, EX)
    facts.add((EX.m0, RDF.type, EX.Special))
    result = reason(facts)
    assert all((EX[f"m{i}"], RDF.type, EX.Special) in result.inferred for i in range(1, 12))


SAMEAS_AS_RULES = Graph()
SAMEAS_AS_RULES.add((OWL.sameAs, RDF.type, OWL.SymmetricProperty))
SAMEAS_AS_RULES.add((OWL.sameAs, RDF.type, OWL.TransitiveProperty))


def star(members: int) -> Graph:
    facts = Graph()
    for i in range(1, members):
        facts.add((EX.m0, OWL.sameAs, EX[f"m{i}"]))
    return facts


def test_sameas_made_transitive_by_the_ontology_stops_at_the_size_budget() -> None:
    """An ontology that declares owl:sameAs symmetric and transitive makes the rules build the clique: a star of
    300 becomes 89,701 triples in one round, past a budget of 5,000."""
    store = fill(OxigraphStore(), SAMEAS_AS_RULES, star(300))
    began = time.perf_counter()
    with pytest.raises(BuildError, match=r"size budget \(max_triples=5,000\): 89,701 triples"):
        materialise(store, max_triples=5_000)
    assert time.perf_counter() - began < 30
    assert set(store.graph_names()).isdisjoint(SCRATCH_GRAPHS)


def test_sameas_made_transitive_by_the_ontology_finishes_on_a_small_star() -> None:
    store = fill(OxigraphStore(), SAMEAS_AS_RULES, star(20))
    report = materialise(store, max_seconds=60)
    assert report.added[-1] == 0
    assert store.count(GRAPH_INFERRED) == 20 * 20 - 19  # every ordered pair, reflexive ones included


# -- the budgets themselves ------------------------------------------------------------------------------------------


def test_the_budgets_are_keyword_only_with_generous_documented_defaults() -> None:
    parameters = inspect.signature(materialise).parameters
    for name, default in (
        ("max_rounds", DEFAULT_MAX_ROUNDS),
        ("max_seconds", DEFAULT_MAX_SECONDS),
        ("max_triples", DEFAULT_MAX_TRIPLES),
    ):
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert parameters[name].default == default
    assert DEFAULT_MAX_SECONDS >= 600
    assert DEFAULT_MAX_TRIPLES >= 1_000_000
    assert DEFAULT_MAX_ROUNDS >= 20


@pytest.mark.parametrize(
    "budget",
    [
        {"max_seconds": 0},
        {"max_seconds": -1.0},
        {"max_seconds": float("nan")},
        {"max_seconds": float("inf")},
        {"max_seconds": "10"},
        {"max_seconds": True},
        {"max_triples": -1},
        {"max_triples": 1.5},
        {"max_triples": "many"},
        {"max_rounds": 0},
        {"max_rounds": 2.5},
    ],
    ids=repr,
)
def test_a_budget_that_is_not_a_positive_number_is_an_input_error(budget: dict[str, object]) -> None:
    store = fill(OxigraphStore(), CYCLE, CYCLE_FACTS)
    with pytest.raises(InputError, match=next(iter(budget))):
        materialise(store, **budget)  # type: ignore[arg-type]
    assert store.count(GRAPH_INFERRED) == 0


def test_no_limit_when_a_budget_is_none() -> None:
    store = fill(OxigraphStore(), CHAIN, path(10))
    report = materialise(store, max_seconds=None, max_triples=None)
    assert report.total == 55 - 10
