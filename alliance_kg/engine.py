"""Reasoning and validation of graphs held in memory, by the product's own engines.

The product reasons with the OWL-RL rules of :mod:`alliance_kg.inference` and validates with the shapes
compiled to SPARQL by :mod:`alliance_kg.shacl_sparql`, whatever the size of the graph: here they run in a
scratch in-memory Oxigraph store filled with copies of the caller's graphs (which are never changed), so that
the in-memory build, :func:`alliance_kg.load` and ``alliance-kg build --store`` derive the same inferred graph
and judge the data by the same rules. owlrl (:func:`alliance_kg.reasoning.reason`) and pySHACL
(:func:`alliance_kg.validation.validate`) are the references the tests compare these engines with; the
product does not run them.

What the rules derive is the closure restricted to the axioms of our ontology: owlrl's axiomatic triples
(``x a owl:Thing``, reflexive ``rdfs:subClassOf``, the datatypes of XSD) are not in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

    from alliance_kg.inference import InferenceReport
    from alliance_kg.reasoning import Inconsistency
    from alliance_kg.validation import ValidationReport

__all__ = ["Checked", "check"]


@dataclass(frozen=True)
class Checked:
    """What :func:`check` found: the inferred triples, the validation report and the contradictions."""

    #: the triples the OWL-RL rules derive that are in neither input graph (blank nodes keep their labels)
    inferred: Graph = field(repr=False)
    #: the SHACL report of the facts (with the ontology as data), or None when no shapes were given
    report: ValidationReport | None = field(repr=False)
    inconsistencies: tuple[Inconsistency, ...] = ()
    inference: InferenceReport | None = field(default=None, repr=False)


def check(
    ontology: Graph,
    facts: Graph,
    *,
    shapes: Graph | None = None,
    reasoning: bool = True,
) -> Checked:
    """Reason over ``ontology`` + ``facts`` and, with ``shapes``, validate them; the graphs are not changed.

    With ``reasoning=False`` nothing is inferred and no contradiction is looked for (the report still comes
    when ``shapes`` are given). The materialisation runs within the default budgets of
    :func:`alliance_kg.inference.materialise`, which raises :class:`~alliance_kg.errors.BuildError` past them.
    """
    from rdflib import Graph

    from alliance_kg.inference import inconsistencies, materialise
    from alliance_kg.namespaces import ASSERTED_GRAPHS, GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY, bind_prefixes
    from alliance_kg.shacl_sparql import validate_store
    from alliance_kg.store_oxigraph import OxigraphStore

    with OxigraphStore() as store:
        store.add(GRAPH_ONTOLOGY, ontology)
        store.add(GRAPH_FACTS, facts)
        inference = None
        found: tuple[Inconsistency, ...] = ()
        if reasoning:
            inference = materialise(store)
            found = tuple(inconsistencies(store))
        report = None if shapes is None else validate_store(store, shapes, graph=ASSERTED_GRAPHS, allow_warnings=True)
        inferred = bind_prefixes(Graph())
        if reasoning:
            for triple in store.graph(GRAPH_INFERRED):
                inferred.add(triple)
    return Checked(inferred=inferred, report=report, inconsistencies=found, inference=inference)
