"""Many sources, one graph: the claims of several sources reconciled into one value per fact, and their conflicts.

A fact that sources can disagree on (a supply's dates, plant, markets, direction and status; a vehicle's
derivation; a plant's operator; where a place lies) is held in the data as one ``akg:Claim`` per source: the
subject, the property, the value, the source (``prov:entity``) and the source's words. :func:`reconcile` reads
the claims of a store and computes, for each fact, what the graph answers with:

* **Dates** (values with ``akg:earliest`` or ``akg:latest``; a missing bound is open, and a claim whose value is
  no date disagrees): the claims' windows are taken narrowest first
  (ties: the earlier first day, then the first report: the earliest day its source was or can have been
  published, then the claim's IRI); each next window that overlaps the running intersection
  narrows it, the others disagree. The value is the stated date of a supporting claim whose window is the
  intersection (the first in that order), else a new ``akg:ReconciledDate`` with the intersection's bounds.
* **Functional properties** (a supplier, a customer, a plant, a status, an operator): a value is consistent
  with another when they are equal or one lies within the other (``akg:locatedIn``, ``akg:country``,
  ``akg:subsidiaryOf``); the value kept is the one the most sources are consistent with, the most specific among
  those (a unique most specific one, else no value: the fact stays unsettled); the claims it is not consistent
  with disagree.
* **Other properties** (markets, derivations, places, owners): every value a source states; none disagrees.

Two claims **conflict** when no single value satisfies both: disjoint date windows, or, for a functional
property, values neither of which lies within the other.

What is computed goes to the facts graph: the direct triple (subject property value) that every query reads,
an ``akg:Reconciliation`` (the value, the supporting and disagreeing claims, how many sources support it),
``akg:conflictsWith`` between conflicting claims, and ``prov:wasDerivedFrom`` from each subject to the sources of
its claims (which OWL-RL also derives, by the chain ``prov:qualifiedDerivation`` / ``prov:entity``). A fact that
the data also states directly keeps that value (the claims are then evidence only, and their conflicts are still
computed). Nothing here changes a caller's graph: :func:`reconciled` works on copies.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Final

from alliance_kg.namespaces import AKG, ID

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    Triple = tuple[Node, Node, Node]

    from alliance_kg.store import Store

__all__ = ["Claim", "Outcome", "reconcile", "reconciled", "settle"]

_QUERIES: Final = Path(__file__).resolve().parent / "rules" / "claims"
RECONCILIATION: Final = ID["reconciliation/"]
DATE: Final = ID["date/"]


@dataclass(frozen=True, order=True)
class Claim:
    """One claim as :func:`reconcile` reads it: IRIs as strings, a date window as two ``date`` or None."""

    iri: str
    subject: str
    predicate: str
    value: str
    source: str
    earliest: dt.date | None = None
    latest: dt.date | None = None
    #: the day the source was published, or the earliest it can have been (None when not known)
    published: dt.date | None = None

    @property
    def window(self) -> tuple[dt.date, dt.date] | None:
        """The days the value can be, for a date (a missing bound is open); None for a value that is no date."""
        if self.earliest is None and self.latest is None:
            return None
        return self.earliest or dt.date.min, self.latest or dt.date.max


@dataclass(frozen=True)
class Outcome:
    """What the claims of one fact come to: the values kept (empty when unsettled), a window when they are
    dates and no claim's date has it, the claims that support and disagree, and the conflicting pairs."""

    subject: str
    predicate: str
    values: tuple[str, ...]
    supporting: tuple[Claim, ...]
    disagreeing: tuple[Claim, ...]
    conflicts: tuple[tuple[Claim, Claim], ...]
    window: tuple[dt.date, dt.date] | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({claim.source for claim in self.supporting}))


def _overlap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _within(part: str, whole: str, parents: Mapping[str, frozenset[str]]) -> bool:
    """Whether ``part`` lies within ``whole`` (or is it), following ``parents`` transitively."""
    seen: set[str] = set()
    todo = [part]
    while todo:
        current = todo.pop()
        if current == whole:
            return True
        if current in seen:
            continue
        seen.add(current)
        todo.extend(parents.get(current, ()))
    return False


def _conflicts(
    claims: list[Claim], functional: bool, parents: Mapping[str, frozenset[str]]
) -> list[tuple[Claim, Claim]]:
    pairs = []
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if a.window is not None and b.window is not None:
                if not _overlap(a.window, b.window):
                    pairs.append((a, b))
            elif functional and not (_within(a.value, b.value, parents) or _within(b.value, a.value, parents)):
                pairs.append((a, b))
    return pairs


def settle(
    claims: Iterable[Claim], *, functional: bool, parents: Mapping[str, frozenset[str]] | None = None
) -> Outcome:
    """The outcome of the claims of one fact (one subject, one property), by the rules of the module's doc."""
    ordered = sorted(claims)
    if not ordered:
        raise ValueError("settle needs at least one claim")
    parents = parents or {}
    subject, prop = ordered[0].subject, ordered[0].predicate
    dated = [claim for claim in ordered if claim.window is not None]
    if dated:
        # a date fact: the claims whose value is no date cannot be weighed against the others and disagree
        undated = tuple(claim for claim in ordered if claim.window is None)
        outcome = _settle_dates(dated, tuple(_conflicts(dated, functional, parents)))
        return replace(outcome, disagreeing=outcome.disagreeing + undated) if undated else outcome
    conflicts = tuple(_conflicts(ordered, functional, parents))
    if not functional:
        values = tuple(sorted({claim.value for claim in ordered}))
        return Outcome(subject, prop, values, tuple(ordered), (), conflicts)
    candidates = sorted({claim.value for claim in ordered})

    def consistent(value: str, claim: Claim) -> bool:
        return _within(value, claim.value, parents) or _within(claim.value, value, parents)

    support = {value: len({c.source for c in ordered if consistent(value, c)}) for value in candidates}
    best = max(support.values())
    tied = [value for value in candidates if support[value] == best]
    specific = [v for v in tied if all(_within(v, other, parents) for other in tied)]
    if len(specific) != 1:
        return Outcome(subject, prop, (), (), tuple(ordered), conflicts)
    value = specific[0]
    keep = tuple(c for c in ordered if consistent(value, c))
    drop = tuple(c for c in ordered if not consistent(value, c))
    return Outcome(subject, prop, (value,), keep, drop, conflicts)


def _settle_dates(ordered: list[Claim], conflicts: tuple[tuple[Claim, Claim], ...]) -> Outcome:
    def width(claim: Claim) -> tuple[int, dt.date, dt.date, str]:
        assert claim.window is not None
        published = claim.published or dt.date.max
        return ((claim.window[1] - claim.window[0]).days, claim.window[0], published, claim.iri)

    narrowest = sorted(ordered, key=width)
    first = narrowest[0].window
    assert first is not None
    low, high = first
    keep, drop = [narrowest[0]], []
    for claim in narrowest[1:]:
        assert claim.window is not None
        if _overlap((low, high), claim.window):
            low, high = max(low, claim.window[0]), min(high, claim.window[1])
            keep.append(claim)
        else:
            drop.append(claim)
    same = [claim for claim in keep if claim.window == (low, high)]
    subject, prop = ordered[0].subject, ordered[0].predicate
    if same:
        return Outcome(subject, prop, (same[0].value,), tuple(keep), tuple(drop), conflicts)
    minted = str(DATE) + f"{folder_and_name(subject)}-{kebab(last_segment(prop))}-reconciled"
    return Outcome(subject, prop, (minted,), tuple(keep), tuple(drop), conflicts, window=(low, high))


def last_segment(iri: str) -> str:
    """The last segment of an IRI: ``supply:rogue-phev-okazaki`` → ``rogue-phev-okazaki``, ``akg:market`` →
    ``market``."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def folder_and_name(iri: str) -> str:
    """``https://w3id.org/alliance-kg/id/supply/x`` → ``supply/x``; another IRI → its last segment. Claims,
    reconciliations and minted dates are named with it (here and in :mod:`alliance_kg.sheets`)."""
    return iri[len(str(ID)) :] if iri.startswith(str(ID)) else last_segment(iri)


def kebab(name: str) -> str:
    """``productionStart`` → ``production-start``."""
    return "".join("-" + ch.lower() if ch.isupper() else ch for ch in name).lstrip("-")


def _date(node: Node | None) -> dt.date | None:
    from rdflib import Literal

    if not isinstance(node, Literal):
        return None
    value = node.toPython()
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def _read(
    store: Store, graph: str | list[str] | None
) -> tuple[list[Claim], set[tuple[str, str]], set[str], dict[str, frozenset[str]]]:
    def text(name: str) -> str:
        return (_QUERIES / name).read_text(encoding="utf-8")

    claims = [
        Claim(str(c), str(s), str(p), str(v), str(src), _date(e), _date(la), _date(pub))
        for c, s, p, v, src, e, la, pub in store.query(text("claims.rq"), graph=graph)
    ]
    if not claims:
        return [], set(), set(), {}
    asserted = {(str(s), str(p)) for s, p in store.query(text("asserted.rq"), graph=graph)}
    functional = {str(row[0]) for row in store.query(text("functional.rq"))}
    parents: dict[str, set[str]] = defaultdict(set)
    for part, whole in store.query(text("within.rq"), graph=graph):
        parents[str(part)].add(str(whole))
    return claims, asserted, functional, {k: frozenset(v) for k, v in parents.items()}


def outcomes(store: Store, *, graph: str | list[str] | None = None) -> list[tuple[Outcome, bool]]:
    """The outcome of every fact that has claims in ``store`` (in ``graph``), each with whether the data states
    it directly (then its value is kept), in a stable order."""
    claims, asserted, functional, parents = _read(store, graph)
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[(claim.subject, claim.predicate)].append(claim)
    return [
        (settle(group, functional=key[1] in functional, parents=parents), key in asserted)
        for key, group in sorted(groups.items())
    ]


def triples(results: Iterable[tuple[Outcome, bool]]) -> set[Triple]:
    """The triples that :func:`reconcile` adds for ``results``: direct values, reconciliations, conflicts."""
    from rdflib import RDF, RDFS, XSD, Literal, URIRef
    from rdflib.namespace import PROV

    out: set[Triple] = set()
    add = out.add
    for outcome, stated in results:
        for claim in (*outcome.supporting, *outcome.disagreeing):
            # what the chain qualifiedDerivation / entity gives with reasoning, so that no query depends on it
            add((URIRef(claim.subject), PROV.wasDerivedFrom, URIRef(claim.source)))
        for a, b in outcome.conflicts:
            add((URIRef(a.iri), AKG.conflictsWith, URIRef(b.iri)))
            add((URIRef(b.iri), AKG.conflictsWith, URIRef(a.iri)))
        if stated or not outcome.values:
            continue
        subject, prop = URIRef(outcome.subject), URIRef(outcome.predicate)
        node = URIRef(str(RECONCILIATION) + f"{folder_and_name(outcome.subject)}/{last_segment(outcome.predicate)}")
        add((node, RDF.type, AKG.Reconciliation))
        add(
            (
                node,
                RDFS.label,
                Literal(f"{last_segment(outcome.subject)}: {last_segment(outcome.predicate)}, reconciled", lang="en"),
            )
        )
        add((node, AKG.factSubject, subject))
        add((node, AKG.factProperty, prop))
        for value in outcome.values:
            add((subject, prop, URIRef(value)))
            add((node, AKG.reconciledValue, URIRef(value)))
        for claim in outcome.supporting:
            add((node, AKG.supportingClaim, URIRef(claim.iri)))
        for claim in outcome.disagreeing:
            add((node, AKG.disagreeingClaim, URIRef(claim.iri)))
        for source in outcome.sources:
            add((node, PROV.wasDerivedFrom, URIRef(source)))
        add((node, AKG.sourceCount, Literal(len(outcome.sources), datatype=XSD.integer)))
        if outcome.window is not None:
            out.update(_minted_date(URIRef(outcome.values[0]), outcome))
    return out


def _minted_date(date: Node, outcome: Outcome) -> list[Triple]:
    """The triples of a new akg:ReconciledDate for the window of ``outcome``."""
    from rdflib import RDF, RDFS, XSD, Literal, URIRef
    from rdflib.namespace import PROV

    assert outcome.window is not None
    low, high = outcome.window
    span = f"{low.isoformat()}" if low == high else f"between {low.isoformat()} and {high.isoformat()}"
    french = f"{low.isoformat()}" if low == high else f"entre le {low.isoformat()} et le {high.isoformat()}"
    return [
        (date, RDF.type, AKG.ReconciledDate),
        (date, RDF.type, AKG.StatedDate),
        (date, AKG.earliest, Literal(low.isoformat(), datatype=XSD.date)),
        (date, AKG.latest, Literal(high.isoformat(), datatype=XSD.date)),
        (date, RDFS.label, Literal(f"{span} (reconciled)", lang="en")),
        (date, RDFS.label, Literal(f"{french} (réconcilié)", lang="fr")),
        (date, AKG.precision, _enclosing_unit(low, high)),
        *((date, PROV.wasDerivedFrom, URIRef(source)) for source in outcome.sources),
    ]


def _enclosing_unit(low: dt.date, high: dt.date) -> Node:
    """The smallest unit (day, month, quarter, half-year, year) one period of which holds ``low``..``high``."""
    from rdflib.namespace import TIME

    if low == high:
        return TIME.unitDay
    for unit, months in ((TIME.unitMonth, 1), (AKG.unitQuarter, 3), (AKG.unitHalfYear, 6), (TIME.unitYear, 12)):
        if low.year == high.year and (low.month - 1) // months == (high.month - 1) // months:
            return unit
    return TIME.unitYear


def reconcile(store: Store, *, graph: str | None = None) -> int:
    """Reconcile the claims of ``store``'s facts ``graph`` (the project's facts graph by default) and add what is
    computed to that graph; returns the number of triples added. A local store only (it writes)."""
    from alliance_kg.namespaces import GRAPH_FACTS

    target = GRAPH_FACTS if graph is None else graph
    before = store.count(target)
    added = triples(outcomes(store, graph=target))
    if added:
        store.add(target, added)
    return store.count(target) - before


def reconciled(facts: Graph, ontology: Graph | None = None) -> Graph:
    """The triples :func:`reconcile` would add to ``facts`` (with ``ontology``'s functional properties: the
    packaged ontology's when None), as a new graph; the given graphs are not changed."""
    from rdflib import Graph

    from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_ONTOLOGY, bind_prefixes
    from alliance_kg.store_oxigraph import OxigraphStore

    if ontology is None:
        from alliance_kg import resources
        from alliance_kg.loading import parse_files

        ontology = parse_files(resources.ontology_files())
    with OxigraphStore() as store:
        store.add(GRAPH_ONTOLOGY, ontology)
        store.add(GRAPH_FACTS, facts)
        graph = bind_prefixes(Graph())
        for triple in triples(outcomes(store, graph=GRAPH_FACTS)):
            graph.add(triple)
        return graph
