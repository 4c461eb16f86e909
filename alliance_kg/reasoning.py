"""OWL-RL reasoning that keeps asserted and inferred triples apart.

:func:`reason` computes the OWL 2 RL closure of a *copy* of the given graph
with owlrl and returns the triples that reasoning added, in a graph of their
own, together with the contradictions it found.

How owlrl reports contradictions (owlrl 7, ``Closure.Core.closure``): rules
call ``add_error(message)``, which collects plain-text messages; at the end
each message is written into the closure as a blank node typed
``err:ErrorMessage`` with an ``err:error`` literal
(``err:`` = ``http://www.daml.org/2002/03/agents/agent-ont#``). owlrl does not
type the offending individual ``owl:Nothing``. So this module:

* finds the common contradictions itself in the closure, where it can name
  the resources and explain them in plain words (disjoint classes, an
  individual typed ``owl:Nothing``, ``owl:sameAs`` with ``owl:differentFrom``,
  complementary classes, and two of the project's individuals merged into one
  by an inferred ``owl:sameAs``);
* keeps every other owlrl message as an :class:`Inconsistency` of kind
  ``"owl-rl"`` with owlrl's text;
* removes the ``err:`` triples from the inferred graph.

The inferred graph keeps owlrl's axiomatic triples (about datatypes, for
example); it drops only reflexive ``owl:sameAs`` triples and triples that are
not valid RDF (a literal as subject, a non-IRI as predicate).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from alliance_kg.errors import InconsistencyError
from alliance_kg.namespaces import ID, bind_prefixes, short

__all__ = ["Inconsistency", "ReasoningResult", "reason"]

#: The namespace owlrl writes its error messages in.
OWLRL_ERRORS: Final = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")

# Prefixes of owlrl messages about contradictions this module finds itself.
_HANDLED_MESSAGES: Final = (
    "Disjoint classes ",
    "'sameAs' and 'differentFrom' ",
    "Violation of complementarity ",
)
_NOTHING_MESSAGE_SUFFIX: Final = " is defined of type 'Nothing'"


@dataclass(frozen=True, order=True)
class Inconsistency:
    """One contradiction found by reasoning.

    ``kind`` is a short tag (``disjoint-classes``, ``nothing``,
    ``same-and-different``, ``complement``, ``merged-individuals``, ``owl-rl``), ``resources`` the IRIs
    (or blank-node labels) involved, ``message`` a sentence for people.
    """

    kind: str
    resources: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ReasoningResult:
    """What :func:`reason` returns.

    ``inferred`` holds only the triples reasoning added (never the asserted
    ones); ``inconsistencies`` is empty when the graph is consistent.
    """

    inferred: Graph = field(repr=False)
    inconsistencies: tuple[Inconsistency, ...]

    @property
    def consistent(self) -> bool:
        """True when reasoning found no contradiction."""
        return not self.inconsistencies

    def check(self) -> ReasoningResult:
        """Return ``self``, or raise :class:`InconsistencyError` if there are contradictions."""
        if self.inconsistencies:
            raise InconsistencyError(self.inconsistencies)
        return self


def _list_members(graph: Graph, head: Node | None) -> list[Node]:
    if not isinstance(head, BNode | URIRef):
        return []
    return list(Collection(graph, head))


def _disjoint_pairs(graph: Graph) -> Iterator[tuple[Node, Node]]:
    for c1, c2 in graph.subject_objects(OWL.disjointWith):
        yield c1, c2
    for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = _list_members(graph, graph.value(group, OWL.members))
        for i, c1 in enumerate(members):
            for c2 in members[i + 1 :]:
                yield c1, c2


def _in_both(
    closure: Graph, pairs: Iterable[tuple[Node, Node]], *, kind: str, declared: str, seen: set[frozenset[object]]
) -> Iterator[Inconsistency]:
    """Individuals typed with both classes of a pair that the ontology says cannot share members."""
    for c1, c2 in pairs:
        if c1 == c2:
            continue
        for individual in closure.subjects(RDF.type, c1):
            key = frozenset((kind, individual, c1, c2))
            if (individual, RDF.type, c2) in closure and key not in seen:
                seen.add(key)
                yield Inconsistency(
                    kind=kind,
                    resources=(str(individual), str(c1), str(c2)),
                    message=(
                        f"{short(individual)} is both {short(c1)} and {short(c2)}, "
                        f"which the ontology declares {declared}"
                    ),
                )


def _find_inconsistencies(closure: Graph) -> Iterator[Inconsistency]:
    seen: set[frozenset[object]] = set()
    disjoint = ((min(c1, c2, key=str), max(c1, c2, key=str)) for c1, c2 in _disjoint_pairs(closure))
    yield from _in_both(closure, disjoint, kind="disjoint-classes", declared="disjoint", seen=seen)

    for individual in closure.subjects(RDF.type, OWL.Nothing):
        yield Inconsistency(
            kind="nothing",
            resources=(str(individual),),
            message=(f"{short(individual)} is an instance of owl:Nothing (the empty class), which nothing can be"),
        )

    complements = closure.subject_objects(OWL.complementOf)
    yield from _in_both(closure, complements, kind="complement", declared="complementary", seen=seen)

    for a, b in closure.subject_objects(OWL.sameAs):
        if a == b:
            continue
        key = frozenset(("same-different", a, b))
        different = (a, OWL.differentFrom, b) in closure or (b, OWL.differentFrom, a) in closure
        if different and key not in seen:
            seen.add(key)
            first, second = sorted((a, b), key=str)
            yield Inconsistency(
                kind="same-and-different",
                resources=(str(first), str(second)),
                message=(
                    f"{short(first)} and {short(second)} are stated (or inferred) to be "
                    "the same individual (owl:sameAs) and different individuals "
                    "(owl:differentFrom)"
                ),
            )


def _merged_individuals(graph: Graph, closure: Graph) -> Iterator[Inconsistency]:
    """Distinct individuals of the project (under ``ID``) that reasoning makes one (an inferred ``owl:sameAs``).

    OWL has no unique name assumption, so two values of a functional property merge their individuals rather
    than contradict. The project's IRIs each name a different thing, so such a merge is a mistake in the data
    (for example a plant given a second operator) and is reported, with the property values that caused it.
    """
    pairs = {
        tuple(sorted((a, b), key=str))
        for a, b in closure.subject_objects(OWL.sameAs)
        if a != b
        and isinstance(a, URIRef)
        and isinstance(b, URIRef)
        and str(a).startswith(str(ID))
        and str(b).startswith(str(ID))
        and (a, OWL.sameAs, b) not in graph
        and (b, OWL.sameAs, a) not in graph
    }
    functional = set(closure.subjects(RDF.type, OWL.FunctionalProperty))
    inverse_functional = set(closure.subjects(RDF.type, OWL.InverseFunctionalProperty))
    for first, second in sorted(pairs):
        causes = sorted(
            {
                f"{short(s)} {short(p)} both"
                for p in functional
                for s in graph.subjects(p, first)
                if (s, p, second) in graph
            }
            | {
                f"both {short(p)} {short(o)}"
                for p in inverse_functional
                for o in graph.objects(first, p)
                if (second, p, o) in graph
            }
        )
        why = f" ({'; '.join(causes)}, and that property takes one value)" if causes else ""
        yield Inconsistency(
            kind="merged-individuals",
            resources=(str(first), str(second)),
            message=(
                f"{short(first)} and {short(second)} would be one and the same individual{why}: "
                "the graph names them as different things"
            ),
        )


def _owlrl_messages(closure: Graph) -> list[str]:
    return sorted(str(m) for m in closure.objects(None, OWLRL_ERRORS.error))


def _other_owlrl_inconsistencies(messages: Iterable[str]) -> Iterator[Inconsistency]:
    for message in messages:
        if message.startswith(_HANDLED_MESSAGES) or message.endswith(_NOTHING_MESSAGE_SUFFIX):
            continue
        yield Inconsistency(kind="owl-rl", resources=(), message=f"OWL-RL: {message}")


def _is_error_triple(closure: Graph, triple: tuple[Node, Node, Node]) -> bool:
    s, p, o = triple
    if p == OWLRL_ERRORS.error or o == OWLRL_ERRORS.ErrorMessage:
        return True
    return isinstance(s, BNode) and (s, RDF.type, OWLRL_ERRORS.ErrorMessage) in closure


def _keep(triple: tuple[Node, Node, Node]) -> bool:
    s, p, o = triple
    if isinstance(s, Literal) or not isinstance(p, URIRef):
        return False
    return not (p == OWL.sameAs and s == o)


def reason(graph: Graph) -> ReasoningResult:
    """Compute the OWL-RL closure of ``graph`` without changing it.

    Returns the inferred triples only (closure minus asserted, see the module
    docstring for what is dropped) and the inconsistencies found, sorted.
    """
    from owlrl import DeductiveClosure, OWLRL_Semantics

    closure = Graph()
    for triple in graph:
        closure.add(triple)
    DeductiveClosure(OWLRL_Semantics).expand(closure)

    inconsistencies = set(_find_inconsistencies(closure))
    inconsistencies.update(_merged_individuals(graph, closure))
    inconsistencies.update(_other_owlrl_inconsistencies(_owlrl_messages(closure)))

    inferred = bind_prefixes(Graph())
    for triple in closure:
        if triple in graph or not _keep(triple) or _is_error_triple(closure, triple):
            continue
        inferred.add(triple)
    return ReasoningResult(inferred=inferred, inconsistencies=tuple(sorted(inconsistencies)))
