"""Projections: the RDF graph seen as a networkx ``MultiDiGraph``.

Each view is a small function that runs the SPARQL queries in ``views/*.rq``
(or reads every triple) and turns the rows into nodes and edges:

============  ==============================================================
``rdf``       every triple: subjects and objects are nodes, one edge per
              triple keyed by its predicate; literals are nodes whose id is
              their N-Triples form, so ``"Okazaki"@fr``, ``"Okazaki"@en`` and
              ``"Okazaki"`` stay three nodes (``value``, ``datatype``,
              ``lang`` attributes). Lossless: :func:`rdf_view_to_graph`
              gives the graph back.
``entities``  one node per entity (an IRI typed with an ``akg:`` class), one
              edge per object property between two entities, keyed by the
              property; with ``inferred``, the OWL-RL inferences too (edges
              marked ``inferred=True``). A subject whose claims conflict has
              ``conflict_count`` and ``conflicts``, a claim that conflicts
              ``conflict_count`` (the claims it conflicts with).
``supply``    manufacturers; one edge supplier → customer per OEM supply,
              keyed by the supply's IRI, carrying vehicle, plant, country,
              markets, production and sales start windows and the sources
              (``source_document``, ``source_count``: what it is derived
              from and the sources of its claims); where sources disagree
              (claims that ``akg:conflictsWith`` each other),
              ``conflict_count`` and ``conflicts`` (one conflicting pair a
              line, each claim with its source), and a window's
              ``*_disputed`` (the ISO 8601 intervals of the sources'
              windows that lie wholly outside the graph's) and
              ``*_disputed_by`` (those sources).
``footprint`` plants → markets they build for (one edge per plant and
              market, keyed ``market``) and plants → countries (keyed
              ``country``): who builds where for whom.
============  ==============================================================

Conventions shared by every view (and by :mod:`alliance_kg.export.formats`):

* node ids are strings: IRIs as they are, blank nodes ``_:label``, literals
  in N-Triples form; edge keys are strings;
* attribute values are ``str``, ``int``, ``float``, ``bool`` or
  :class:`datetime.date` only; an attribute that has no value is absent,
  never an empty string; several values are joined with ``" | "`` (labels)
  or ``" "`` (IRIs);
* every node has ``label`` (in the chosen language) and ``group`` (what
  pictures colour and filter by); every attribute name a view uses is listed
  with its type in :data:`ATTRIBUTE_TYPES`.

Where the triples come from: every view but ``rdf`` runs its queries on a
:class:`~alliance_kg.store.Store` (:func:`to_networkx_from_store`: an
on-disk Oxigraph store or a SPARQL server, nothing copied out of it), and
asks for the labels, classes, Wikidata ids and sources of its nodes in bulk
(one query for a few properties of :data:`BATCH` nodes, never one per
node). The queries have no ``ORDER BY`` (Oxigraph sorts slowly): the views
sort the rows themselves, the same way on every store, and a supply with
two values of a property is drawn from its first row (its ``source_document``
lists all its sources). :func:`to_networkx` puts an rdflib graph into a
:class:`~alliance_kg.store.MemoryStore` and takes the same path, so both give
the same projection of the same triples. The ``rdf`` view is every triple:
it reads the graphs whole.

Adding a view: write its queries under ``views/``, a function
``(source: ViewSource, lang) -> MultiDiGraph`` below, register it in
:data:`VIEWS` and list any new attribute in :data:`ATTRIBUTE_TYPES`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from alliance_kg.errors import ParameterError
from alliance_kg.namespaces import AKG, ASSERTED_GRAPHS, GRAPH_FACTS, GRAPH_INFERRED, WD, short
from alliance_kg.sparql_text import with_rows

if TYPE_CHECKING:
    from alliance_kg.store import Store

__all__ = [
    "ATTRIBUTE_TYPES",
    "LANGUAGES",
    "VIEWS",
    "View",
    "ViewSource",
    "rdf_view_to_graph",
    "to_networkx",
    "to_networkx_from_store",
]

#: Languages labels can be chosen in.
LANGUAGES: Final = ("en", "fr")

#: Every node, edge and graph attribute a view writes, and the type of its values.
ATTRIBUTE_TYPES: Final[Mapping[str, type]] = {
    # every view
    "label": str,
    "group": str,
    "view": str,
    "lang": str,
    # entities (and the nodes of the other views)
    "iri": str,
    "class": str,
    "label_en": str,
    "label_fr": str,
    "wikidata": str,
    "source_document": str,
    "source_sentence": str,
    "earliest": dt.date,
    "latest": dt.date,
    "stated_as": str,
    "predicate": str,
    "inferred": bool,
    # rdf
    "kind": str,
    "value": str,
    "datatype": str,
    # supply
    "supply": str,
    "supplier": str,
    "customer": str,
    "vehicle": str,
    "vehicle_label": str,
    "vehicle_class": str,
    "plant": str,
    "plant_label": str,
    "country": str,
    "country_label": str,
    "markets": str,
    "market_labels": str,
    "status": str,
    "production_start": str,
    "production_start_earliest": dt.date,
    "production_start_latest": dt.date,
    "sales_start": str,
    "sales_start_earliest": dt.date,
    "sales_start_latest": dt.date,
    # footprint
    "operator": str,
    "operator_label": str,
    "supplies": str,
    "supply_count": int,
    "vehicle_labels": str,
    "customer_labels": str,
    # claims: the facts sources disagree on (supply edges and entity nodes)
    "source_count": int,
    "conflict_count": int,
    "conflicts": str,
    "production_start_disputed": str,
    "production_start_disputed_by": str,
    "sales_start_disputed": str,
    "sales_start_disputed_by": str,
}

#: Attribute names the file formats reserve (GEXF, GraphML, CSV and Cytoscape.js use them for structure).
RESERVED_NAMES: Final = frozenset(
    {"id", "key", "source", "target", "spells", "start", "end", "weight", "type", "networkx_key", "name"}
)

#: How many nodes one lookup query asks about (in its ``VALUES`` block).
BATCH: Final = 1000

_LABEL_SEPARATOR: Final = " | "
_QUERIES: Final = resources.files("alliance_kg.export") / "views"


@dataclass(frozen=True)
class View:
    """A projection: its name, one line saying what it shows, and the function that builds it."""

    name: str
    description: str
    build: Callable[[ViewSource, str], nx.MultiDiGraph[str]]


@dataclass(frozen=True)
class ViewSource:
    """Where a view reads its triples: a store, the named graphs of the asserted triples (the ontology and the
    facts) and those of the OWL-RL inferences (empty: show no inferences)."""

    store: Store
    asserted: tuple[str, ...] = ASSERTED_GRAPHS
    inferred: tuple[str, ...] = ()


# -- helpers --------------------------------------------------------------------


@cache
def _query_text(name: str) -> str:
    return (_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _graph_argument(graphs: Sequence[str]) -> str | list[str]:
    return graphs[0] if len(graphs) == 1 else list(graphs)


def _term_key(term: Node | None) -> tuple[str, str, str, str]:
    """Terms in the order of their text (unbound first); two terms with the same text by kind, language, datatype."""
    if term is None:
        return ("", "", "", "")
    if isinstance(term, Literal):
        return (str(term), "Literal", term.language or "", str(term.datatype or ""))
    return (str(term), type(term).__name__, "", "")


def _sort_key(row: tuple[Node | None, ...]) -> tuple[tuple[str, str, str, str], ...]:
    """Rows in the order of their variables' values, the same on every store."""
    return tuple(_term_key(term) for term in row)


def _select(store: Store, graphs: Sequence[str], name: str) -> list[dict[str, Node]]:
    """Run ``views/NAME.rq`` on the merge of ``graphs``; each distinct row as a dict of its bound variables.

    A triple held by two of the graphs answers once (as it does in their merge), and the rows come sorted by
    their values in the order of the query's variables (so ties of its ``ORDER BY`` too), whatever the store.
    """
    answer = store.query(_query_text(name), graph=_graph_argument(graphs))
    variables = answer.variables
    rows = sorted(set(answer), key=_sort_key)
    return [{name: term for name, term in zip(variables, row, strict=True) if term is not None} for row in rows]


class _Lookup:
    """The objects of a few properties for many subjects, asked of the store in bulk and kept.

    :meth:`fetch` asks for the objects of some properties, one query per :data:`BATCH` subjects (bound in a
    ``VALUES`` block); :meth:`objects` then answers from what was fetched. Blank nodes cannot be bound in
    ``VALUES``: theirs come from one query over every blank subject of the properties (their labels are the
    store's own, so this holds on a store that keeps blank node labels from one query to the next: memory and
    Oxigraph).
    """

    def __init__(self, store: Store, graphs: Sequence[str]) -> None:
        self._store = store
        self._graph = _graph_argument(graphs)
        self._found: dict[Node, dict[Node, list[Node]]] = defaultdict(dict)
        self._literals: dict[tuple[Node, Node], list[Literal]] = {}

    def fetch(self, subjects: Iterable[Node], *predicates: URIRef) -> None:
        """Ask for the objects of ``predicates`` for those of ``subjects`` not asked about yet."""
        missing: set[Node] = set()
        wanted = set(subjects)
        for predicate in predicates:
            known = self._found[predicate]
            missing.update(subject for subject in wanted if subject not in known)
        if not missing:
            return
        for predicate in predicates:
            for subject in missing:
                self._found[predicate].setdefault(subject, [])
        # one branch per property, each with its own object variable: a pattern with a bound subject and
        # predicate is an index lookup on every store (rdflib evaluates a FILTER on ?p triple by triple)
        variables = " ".join(f"?o{i}" for i in range(len(predicates)))
        union = " UNION ".join(f"{{ ?s {p.n3()} ?o{i} }}" for i, p in enumerate(predicates))
        text = f"SELECT ?s {variables} WHERE {{ {union} }}"
        iris = sorted((subject for subject in missing if isinstance(subject, URIRef)), key=str)
        for start in range(0, len(iris), BATCH):
            query = with_rows(text, ["s"], [[iri] for iri in iris[start : start + BATCH]])
            self._keep(predicates, self._store.query(query, graph=self._graph))
        if any(isinstance(subject, BNode) for subject in missing):
            blank = f"SELECT ?s {variables} WHERE {{ {{ {union} }} FILTER(isBlank(?s)) }}"
            self._keep(predicates, self._store.query(blank, graph=self._graph), missing)

    def _keep(
        self, predicates: Sequence[URIRef], rows: Iterable[tuple[Node | None, ...]], only: set[Node] | None = None
    ) -> None:
        for subject, *objects in rows:
            if subject is None or (only is not None and subject not in only):
                continue
            for predicate, obj in zip(predicates, objects, strict=True):
                if obj is not None:
                    found = self._found[predicate].get(subject)
                    if found is not None and obj not in found:  # a triple in two of the graphs answers twice
                        found.append(obj)

    def objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        """The objects fetched for ``subject`` (:meth:`fetch` must have been asked about it)."""
        return self._found[predicate][subject]

    def literals(self, subject: Node, predicate: URIRef) -> list[Literal]:
        """The literal objects fetched for ``subject``, in the order of their N-Triples form."""
        key = (subject, predicate)
        found = self._literals.get(key)
        if found is None:
            objects = self.objects(subject, predicate)
            found = self._literals[key] = sorted((o for o in objects if isinstance(o, Literal)), key=Literal.n3)
        return found

    def first(self, subject: Node, predicate: URIRef) -> Node | None:
        found = sorted(self.objects(subject, predicate), key=lambda o: o.n3())
        return found[0] if found else None


#: The properties :func:`_describe` reads.
_DESCRIPTION: Final = (RDFS.label, SKOS.exactMatch, PROV.wasDerivedFrom, AKG.sourceSentence)


def _label_in(lookup: _Lookup, subject: Node, lang: str) -> str | None:
    labels = [str(o) for o in lookup.literals(subject, RDFS.label) if o.language == lang]
    return labels[0] if labels else None


def _label(lookup: _Lookup, subject: Node, lang: str) -> str:
    """The label of ``subject`` in ``lang``, else one without a language, else in another language, else its name."""
    found = _label_in(lookup, subject, lang)
    if found is not None:
        return found
    labels = lookup.literals(subject, RDFS.label)
    plain = [str(o) for o in labels if not o.language]
    if plain:
        return plain[0]
    if labels:
        return str(labels[0])
    return short(subject)


def _local(iri: Node) -> str:
    return str(iri).removeprefix(str(AKG))


class _Classes:
    """Most specific ``akg:`` classes and top-level ``akg:`` class (the group) of an entity."""

    def __init__(self, superclasses: Mapping[Node, Iterable[Node]]) -> None:
        self._superclasses = superclasses
        self._ancestors: dict[Node, frozenset[Node]] = {}

    def ancestors(self, cls: Node) -> frozenset[Node]:
        if cls not in self._ancestors:
            found: set[Node] = set()
            todo = [cls]
            while todo:
                for parent in self._superclasses.get(todo.pop(), ()):
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            found.discard(cls)
            self._ancestors[cls] = frozenset(found)
        return self._ancestors[cls]

    def most_specific(self, classes: Iterable[Node]) -> list[Node]:
        classes = set(classes)
        below = {ancestor for cls in classes for ancestor in self.ancestors(cls)}
        return sorted((c for c in classes if c not in below), key=str)

    def group(self, classes: Iterable[Node]) -> str:
        """The top-level akg class (no akg superclass) above the most specific classes, e.g. ``Vehicle``."""
        roots: set[Node] = set()
        for cls in self.most_specific(classes):
            lineage = [cls, *self.ancestors(cls)]
            roots.update(c for c in lineage if _is_akg(c) and not any(_is_akg(a) for a in self.ancestors(c)))
        return _local(sorted(roots, key=str)[0]) if roots else ""


def _is_akg(term: Node) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(AKG))


def _labels(lookup: _Lookup, iri: Node, lang: str) -> dict[str, str]:
    """``label`` (in ``lang``, see :func:`_label`) and ``label_en``, ``label_fr`` when there is one."""
    labels = {"label": _label(lookup, iri, lang)}
    for language in LANGUAGES:
        found = _label_in(lookup, iri, language)
        if found is not None:
            labels[f"label_{language}"] = found
    return labels


def _sources(lookup: _Lookup, iri: Node) -> str | None:
    """The source documents (``prov:wasDerivedFrom``) of ``iri``, sorted, or None."""
    return " ".join(sorted(str(o) for o in lookup.objects(iri, PROV.wasDerivedFrom))) or None


def _sentences(lookup: _Lookup, iri: Node) -> str | None:
    """The source sentences of ``iri``, one a line, or None."""
    return "\n".join(str(o) for o in lookup.literals(iri, AKG.sourceSentence)) or None


def _describe(lookup: _Lookup, iri: Node, lang: str) -> dict[str, Any]:
    """The attributes every view gives an entity node: labels, Wikidata id, source document and sentences.

    Needs the properties of :data:`_DESCRIPTION` fetched for ``iri``.
    """
    attributes: dict[str, Any] = {"iri": str(iri), **_labels(lookup, iri, lang)}
    wikidata = sorted(
        str(o).removeprefix(str(WD)) for o in lookup.objects(iri, SKOS.exactMatch) if str(o).startswith(str(WD))
    )
    if wikidata:
        attributes["wikidata"] = " ".join(wikidata)
    sources = _sources(lookup, iri)
    if sources is not None:
        attributes["source_document"] = sources
    sentences = _sentences(lookup, iri)
    if sentences is not None:
        attributes["source_sentence"] = sentences
    return attributes


def _new_graph(view: str, lang: str) -> nx.MultiDiGraph[str]:
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    graph.graph.update(view=view, lang=lang)
    return graph


def _date(term: Node | None) -> dt.date | None:
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
    return None


def _union(*graphs: Graph | None) -> Graph:
    """A new graph holding the triples of ``graphs`` (the inputs are left as they are)."""
    union = Graph()
    for graph in graphs:
        if graph is not None:
            for triple in graph:
                union.add(triple)
    return union


# -- claims -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Claim:
    """One row of ``views/claims.rq``: what one source states about one fact."""

    iri: Node
    subject: Node
    prop: Node
    value: Node
    source: Node
    earliest: dt.date | None
    latest: dt.date | None

    @property
    def window(self) -> tuple[dt.date, dt.date] | None:
        return (self.earliest, self.latest) if self.earliest is not None and self.latest is not None else None


class _Claims:
    """The claims of the graph by subject, and which claims conflict (``akg:conflictsWith``, computed by the build).

    :meth:`fetch` asks the lookup for what the conflict texts name (sources and their publishers, values,
    properties); the other methods answer from the rows.
    """

    def __init__(self, store: Store, graphs: Sequence[str]) -> None:
        self._by_subject: dict[Node, list[_Claim]] = defaultdict(list)
        self._conflicts: dict[Node, set[Node]] = defaultdict(set)
        self._claims: dict[Node, _Claim] = {}
        for row in _select(store, graphs, "claims"):
            claim = row["claim"]
            if claim not in self._claims:
                found = _Claim(
                    claim,
                    row["subject"],
                    row["property"],
                    row["value"],
                    row["source"],
                    _date(row.get("earliest")),
                    _date(row.get("latest")),
                )
                self._claims[claim] = found
                self._by_subject[found.subject].append(found)
            if "other" in row:
                self._conflicts[claim].add(row["other"])
                self._conflicts[row["other"]].add(claim)  # symmetric, whether or not both ways are stated

    def __bool__(self) -> bool:
        return bool(self._claims)

    def fetch(self, lookup: _Lookup, subjects: Iterable[Node]) -> None:
        claims = [claim for subject in subjects for claim in self._by_subject.get(subject, ())]
        sources = {claim.source for claim in claims}
        lookup.fetch(sources, RDFS.label, DCTERMS.publisher)
        publishers = {p for source in sources for p in lookup.objects(source, DCTERMS.publisher)}
        lookup.fetch(publishers | {c.value for c in claims} | {c.prop for c in claims}, RDFS.label)

    def sources(self, subject: Node) -> set[Node]:
        """The source documents of the claims about ``subject``."""
        return {claim.source for claim in self._by_subject.get(subject, ())}

    def conflicting(self, claim: Node) -> int:
        """How many claims ``claim`` conflicts with."""
        return len(self._conflicts.get(claim, ()))

    def pairs(self, subject: Node) -> list[tuple[_Claim, _Claim]]:
        """The conflicting pairs of claims about ``subject``, each once, in the order of property and claim IRIs."""
        found = []
        for claim in self._by_subject.get(subject, ()):
            for other in self._conflicts.get(claim.iri, ()):
                if other in self._claims and str(claim.iri) < str(other):
                    found.append((claim, self._claims[other]))
        return sorted(found, key=lambda pair: (str(pair[0].prop), str(pair[0].iri), str(pair[1].iri)))

    def disputed(self, subject: Node, prop: Node, window: tuple[dt.date, dt.date] | None) -> list[_Claim]:
        """The claims about ``subject``'s ``prop`` whose date window lies wholly outside ``window`` (the graph's):
        the windows of sources the graph's value does not agree with."""
        if window is None:
            return []
        return sorted(
            (
                claim
                for claim in self._by_subject.get(subject, ())
                if claim.prop == prop
                and claim.window is not None
                and (claim.window[1] < window[0] or window[1] < claim.window[0])
            ),
            key=lambda claim: (claim.window, str(claim.iri)),
        )


def _source_name(lookup: _Lookup, source: Node, lang: str) -> str:
    """A source as people name it: its publisher's label (``babeindonesia.com``), else its own label."""
    publishers = sorted(lookup.objects(source, DCTERMS.publisher), key=str)
    return _label(lookup, publishers[0], lang) if publishers else _label(lookup, source, lang)


def _claim_text(lookup: _Lookup, claim: _Claim, lang: str) -> str:
    """What a claim states, for people: ``blog.example.id: 2027 (2027-01-01/2027-12-31)``."""
    value = _label(lookup, claim.value, lang)
    window = claim.window
    if window is not None:
        days = window[0].isoformat() if window[0] == window[1] else f"{window[0]}/{window[1]}"
        value = f"{value} ({days})"
    return f"{_source_name(lookup, claim.source, lang)}: {value}"


def _conflict_attributes(claims: _Claims, lookup: _Lookup, subject: Node, lang: str) -> dict[str, Any]:
    """``conflict_count`` and ``conflicts`` (one line per conflicting pair of claims) of ``subject``, if any."""
    pairs = claims.pairs(subject)
    if not pairs:
        return {}
    lines = [
        f"{_label(lookup, a.prop, lang)}: {_claim_text(lookup, a, lang)} vs {_claim_text(lookup, b, lang)}"
        for a, b in pairs
    ]
    return {"conflict_count": len(pairs), "conflicts": "\n".join(lines)}


# -- the views ------------------------------------------------------------------


def _rdf_node_id(term: Node) -> str:
    if isinstance(term, Literal):
        return term.n3()  # N-Triples form: lexical form, then @lang or ^^<datatype>
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _rdf_node_attributes(term: Node) -> dict[str, Any]:
    if isinstance(term, Literal):
        attributes: dict[str, Any] = {"kind": "literal", "group": "literal", "value": str(term)}
        if term.datatype is not None:
            attributes["datatype"] = str(term.datatype)
        if term.language:
            attributes["lang"] = term.language
        attributes["label"] = str(term) if str(term) else term.n3()
        return attributes
    if isinstance(term, BNode):
        return {"kind": "blank", "group": "blank node", "label": f"_:{term}"}
    return {"kind": "iri", "group": "IRI", "iri": str(term), "label": short(term)}


def rdf_view(asserted: Graph, inferred: Graph | None, lang: str) -> nx.MultiDiGraph[str]:
    """Every triple as an edge keyed by its predicate; blank nodes get content-derived labels."""
    from rdflib.compare import to_canonical_graph

    result = _new_graph("rdf", lang)
    parts = [(asserted, False)] + ([(inferred, True)] if inferred is not None else [])
    canonical = to_canonical_graph(_union(*(graph for graph, _ in parts)))
    asserted_canonical = to_canonical_graph(asserted) if inferred is not None else canonical
    for subject, predicate, obj in sorted(canonical, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3())):
        for term in (subject, obj):
            node = _rdf_node_id(term)
            if node not in result:
                result.add_node(node, **_rdf_node_attributes(term))
        attributes: dict[str, Any] = {"predicate": str(predicate), "label": short(predicate)}
        if inferred is not None:
            attributes["inferred"] = (subject, predicate, obj) not in asserted_canonical
        result.add_edge(_rdf_node_id(subject), _rdf_node_id(obj), key=str(predicate), **attributes)
    return result


def _rdf_view_of(source: ViewSource, lang: str) -> nx.MultiDiGraph[str]:
    """The ``rdf`` view of the store's graphs: every triple, so the graphs are read whole."""

    def read(names: Sequence[str]) -> Graph:
        graph = Graph()
        for name in names:
            for triple in source.store.graph(name):
                graph.add(triple)
        return graph

    return rdf_view(read(source.asserted), read(source.inferred) if source.inferred else None, lang)


def rdf_view_to_graph(view: nx.MultiDiGraph[str]) -> Graph:
    """The RDF graph an ``rdf`` view was made from (blank nodes keep their labels)."""

    def term(node: str) -> Node:
        data = view.nodes[node]
        if data["kind"] == "literal":
            datatype = data.get("datatype")
            return Literal(data["value"], lang=data.get("lang"), datatype=URIRef(datatype) if datatype else None)
        if data["kind"] == "blank":
            return BNode(node.removeprefix("_:"))
        return URIRef(node)

    graph = Graph()
    for subject, obj, data in view.edges(data=True):
        graph.add((term(subject), URIRef(data["predicate"]), term(obj)))
    return graph


def entities_view(source: ViewSource, lang: str) -> nx.MultiDiGraph[str]:
    """Entities with labels, classes, Wikidata ids and sources; object properties between them as edges."""
    store, graphs = source.store, source.asserted + source.inferred
    superclasses: dict[Node, list[Node]] = defaultdict(list)
    for row in _select(store, graphs, "subclasses"):
        superclasses[row["class"]].append(row["superclass"])
    classes = _Classes(superclasses)
    types: dict[Node, set[Node]] = defaultdict(set)
    for row in _select(store, graphs, "entities"):
        types[row["entity"]].add(row["class"])
    entities = sorted(types, key=str)
    lookup = _Lookup(store, graphs)
    lookup.fetch(entities, *_DESCRIPTION, AKG.earliest, AKG.latest, AKG.statedAs)
    claims = _Claims(store, graphs)
    if claims:
        claims.fetch(lookup, entities)

    result = _new_graph("entities", lang)
    for entity in entities:
        attributes = _describe(lookup, entity, lang)
        attributes.update(_conflict_attributes(claims, lookup, entity, lang))
        if claims.conflicting(entity):  # a claim that conflicts with claims of other sources
            attributes["conflict_count"] = claims.conflicting(entity)
        attributes["class"] = " ".join(_local(c) for c in classes.most_specific(types[entity]))
        attributes["group"] = classes.group(types[entity])
        earliest = _date(lookup.first(entity, AKG.earliest))
        latest = _date(lookup.first(entity, AKG.latest))
        if earliest is not None:
            attributes["earliest"] = earliest
        if latest is not None:
            attributes["latest"] = latest
        stated_as = lookup.literals(entity, AKG.statedAs)
        if stated_as:
            attributes["stated_as"] = str(stated_as[0])
        result.add_node(str(entity), **attributes)

    # one triple pattern: its answer on the merged graphs is the union of its answers on each
    asserted = _links(store, source.asserted, types)
    inferred = _links(store, source.inferred, types) - asserted if source.inferred else set()
    links = sorted(asserted | inferred, key=_sort_key)
    lookup.fetch({predicate for _, predicate, _ in links}, RDFS.label)
    for subject, predicate, obj in links:
        attributes = {"predicate": str(predicate), "label": _label(lookup, predicate, lang)}
        if source.inferred:
            attributes["inferred"] = (subject, predicate, obj) in inferred
        result.add_edge(str(subject), str(obj), key=str(predicate), **attributes)
    return result


def _links(store: Store, graphs: Sequence[str], entities: Container[Node]) -> set[tuple[Node, Node, Node]]:
    """The triples of ``views/entity-links.rq`` between two ``entities``."""
    return {
        (row["subject"], row["predicate"], row["object"])
        for row in _select(store, graphs, "entity-links")
        if row["subject"] in entities and row["object"] in entities
    }


def _markets(store: Store, graphs: Sequence[str]) -> dict[Node, list[Node]]:
    markets: dict[Node, list[Node]] = defaultdict(list)
    for row in _select(store, graphs, "supply-markets"):
        markets[row["supply"]].append(row["market"])
    return markets


def _entity_node(lookup: _Lookup, iri: Node, group: str, lang: str) -> dict[str, Any]:
    """Needs the properties of :data:`_DESCRIPTION` and ``rdf:type`` fetched for ``iri``."""
    attributes = _describe(lookup, iri, lang)
    classes = sorted(_local(c) for c in lookup.objects(iri, RDF.type) if _is_akg(c))
    if classes:
        attributes["class"] = " ".join(classes)
    attributes["group"] = group
    return attributes


def _column(rows: Iterable[Mapping[str, Node]], *names: str) -> set[Node]:
    """The values of the variables ``names`` in ``rows``."""
    return {row[name] for row in rows for name in names if name in row}


def supply_view(source: ViewSource, lang: str) -> nx.MultiDiGraph[str]:
    """Manufacturers; one edge supplier → customer per OEM supply, with its vehicle, plant, markets and dates."""
    store, graphs = source.store, source.asserted
    manufacturers = sorted(_column(_select(store, graphs, "manufacturers"), "manufacturer"), key=str)
    markets = _markets(store, graphs)
    rows: list[dict[str, Node]] = []
    for row in _select(store, graphs, "supplies"):
        if not rows or rows[-1]["supply"] != row["supply"]:  # a part with two values: the first (in their order)
            rows.append(row)

    lookup = _Lookup(store, graphs)
    lookup.fetch([*manufacturers, *_column(rows, "supplier", "customer")], *_DESCRIPTION, RDF.type)
    lookup.fetch(_column(rows, "supply"), RDFS.label, PROV.wasDerivedFrom, AKG.sourceSentence)
    lookup.fetch(_column(rows, "vehicle"), RDFS.label, RDF.type)
    named = _column(rows, "plant", "country", "status", "production_start", "sales_start")
    lookup.fetch(named | {market for found in markets.values() for market in found}, RDFS.label)
    claims = _Claims(store, graphs)
    if claims:
        claims.fetch(lookup, _column(rows, "supply"))

    result = _new_graph("supply", lang)
    for manufacturer in manufacturers:
        result.add_node(str(manufacturer), **_entity_node(lookup, manufacturer, "Manufacturer", lang))
    for row in rows:
        supply = row["supply"]
        supplier, customer = row["supplier"], row["customer"]
        for manufacturer in (supplier, customer):
            if str(manufacturer) not in result:
                result.add_node(str(manufacturer), **_entity_node(lookup, manufacturer, "Manufacturer", lang))
        labels = _labels(lookup, supply, lang)
        edge: dict[str, Any] = {
            "supply": str(supply),
            "label": labels["label"],
            "supplier": str(supplier),
            "customer": str(customer),
        }
        for name in ("label_en", "label_fr"):
            if name in labels:
                edge[name] = labels[name]
        sentences = _sentences(lookup, supply)
        if sentences is not None:
            edge["source_sentence"] = sentences
        for part in ("vehicle", "plant", "country"):
            if part in row:
                edge[part] = str(row[part])
                edge[f"{part}_label"] = _label(lookup, row[part], lang)
        if "vehicle" in row:
            vehicle_classes = sorted(_local(c) for c in lookup.objects(row["vehicle"], RDF.type) if _is_akg(c))
            if vehicle_classes:
                edge["vehicle_class"] = " ".join(vehicle_classes)
        if markets.get(supply):
            edge["markets"] = " ".join(str(m) for m in markets[supply])
            edge["market_labels"] = _LABEL_SEPARATOR.join(_label(lookup, m, lang) for m in markets[supply])
        if "status" in row:
            edge["status"] = _label(lookup, row["status"], lang)
        # every source of the supply: what it is derived from, and the sources of its claims (the ontology's
        # chain prov:qualifiedDerivation/prov:entity, which the asserted triples leave to the reasoner)
        sources = set(lookup.objects(supply, PROV.wasDerivedFrom)) | claims.sources(supply)
        if sources:
            edge["source_document"] = " ".join(sorted(str(source) for source in sources))
            edge["source_count"] = len(sources)
        edge.update(_conflict_attributes(claims, lookup, supply, lang))
        for window, prop in (("production_start", AKG.productionStart), ("sales_start", AKG.salesStart)):
            if window in row:
                edge[window] = _label(lookup, row[window], lang)
            for bound in ("earliest", "latest"):
                value = _date(row.get(f"{window}_{bound}"))
                if value is not None:
                    edge[f"{window}_{bound}"] = value
            earliest, latest = edge.get(f"{window}_earliest"), edge.get(f"{window}_latest")
            disputed = claims.disputed(supply, prop, (earliest, latest) if earliest and latest else None)
            if disputed:  # ISO 8601 intervals, one per claim, and the sources that state them
                edge[f"{window}_disputed"] = " ".join(f"{c.earliest}/{c.latest}" for c in disputed)
                edge[f"{window}_disputed_by"] = _LABEL_SEPARATOR.join(
                    _source_name(lookup, c.source, lang) for c in disputed
                )
        result.add_edge(str(supplier), str(customer), key=str(supply), **edge)
    return result


def footprint_view(source: ViewSource, lang: str) -> nx.MultiDiGraph[str]:
    """Plants → the markets they build for and plants → their countries: who builds where for whom."""
    store, graphs = source.store, source.asserted
    plants = _select(store, graphs, "plants")
    markets = _markets(store, graphs)
    by_pair: dict[tuple[Node, Node], list[dict[str, Node]]] = defaultdict(list)
    seen: set[tuple[Node, Node]] = set()
    for row in _select(store, graphs, "supplies"):
        # each supply once per plant it is produced at (its first row: it answers once per value of each property)
        if "plant" in row and (row["supply"], row["plant"]) not in seen:
            seen.add((row["supply"], row["plant"]))
            for market in markets.get(row["supply"], []):
                by_pair[(row["plant"], market)].append(row)
    pairs = sorted(by_pair.items(), key=lambda item: (str(item[0][0]), str(item[0][1])))

    lookup = _Lookup(store, graphs)
    entities = _column(plants, "plant", "country") | {market for _, market in by_pair}
    lookup.fetch(entities, *_DESCRIPTION, RDF.type)
    supplies = [row for _, rows in pairs for row in rows]
    named = _column(plants, "operator") | _column(supplies, "customer", "vehicle") | {AKG.country, AKG.market}
    lookup.fetch(named, RDFS.label)

    result = _new_graph("footprint", lang)
    for row in plants:
        plant = row["plant"]
        attributes = _entity_node(lookup, plant, "Plant", lang)
        if "operator" in row:
            attributes["operator"] = str(row["operator"])
            attributes["operator_label"] = _label(lookup, row["operator"], lang)
        result.add_node(str(plant), **attributes)
        if "country" in row:
            country = row["country"]
            if str(country) not in result:
                result.add_node(str(country), **_entity_node(lookup, country, "Country", lang))
            result.add_edge(str(plant), str(country), key="country", label=_label(lookup, AKG.country, lang))

    for (plant, market), rows in pairs:
        node = str(market)
        if node in result and result.nodes[node]["group"] == "Country":
            result.nodes[node]["group"] = "Market"  # a country that is also a market is drawn as a market
        elif node not in result:
            result.add_node(node, **_entity_node(lookup, market, "Market", lang))
        vehicles = [row["vehicle"] for row in rows if "vehicle" in row]
        customers = sorted({row["customer"] for row in rows}, key=str)
        edge: dict[str, Any] = {
            "label": _label(lookup, AKG.market, lang),
            "supplies": " ".join(str(row["supply"]) for row in rows),
            "supply_count": len(rows),
            "customer_labels": _LABEL_SEPARATOR.join(_label(lookup, c, lang) for c in customers),
        }
        if vehicles:
            edge["vehicle_labels"] = _LABEL_SEPARATOR.join(_label(lookup, v, lang) for v in vehicles)
        result.add_edge(str(plant), node, key="market", **edge)
    return result


#: The views, by name.
VIEWS: Final[Mapping[str, View]] = {
    view.name: view
    for view in (
        View("rdf", "every triple, literals as typed nodes (lossless)", _rdf_view_of),
        View("entities", "entities and the object properties between them", entities_view),
        View("supply", "manufacturers, one edge supplier → customer per OEM supply", supply_view),
        View("footprint", "plants → markets and plants → countries", footprint_view),
    )
}


def _check(view: str, lang: str) -> None:
    if view not in VIEWS:
        raise ParameterError(f"unknown view {view!r} (use one of {', '.join(VIEWS)})", parameter="view")
    if lang not in LANGUAGES:
        raise ParameterError(f"unknown language {lang!r} (use one of {', '.join(LANGUAGES)})", parameter="lang")


def to_networkx(
    graph: Graph,
    view: str = "supply",
    *,
    inferred: Graph | None = None,
    lang: str = "en",
) -> nx.MultiDiGraph[str]:
    """Project ``graph`` (asserted triples) onto a networkx ``MultiDiGraph`` (see the module docstring).

    ``inferred`` (the OWL-RL inferences, e.g. ``reason(graph).inferred``) is
    used by the ``entities`` and ``rdf`` views, whose edges then carry
    ``inferred``; the other views show what is stated. ``lang`` picks the
    language of ``label``. Neither graph is changed (the views other than
    ``rdf`` read a copy in a :class:`~alliance_kg.store.MemoryStore`, as
    :func:`to_networkx_from_store` reads any store). Raises
    :class:`~alliance_kg.errors.ParameterError` for an unknown view or
    language.
    """
    _check(view, lang)
    if view == "rdf":
        return rdf_view(graph, inferred, lang)
    from alliance_kg.store import MemoryStore

    store = MemoryStore()
    store.add(GRAPH_FACTS, graph)
    if inferred is not None:
        store.add(GRAPH_INFERRED, inferred)
    source = ViewSource(store, (GRAPH_FACTS,), (GRAPH_INFERRED,) if inferred is not None else ())
    return VIEWS[view].build(source, lang)


def to_networkx_from_store(
    store: Store,
    view: str = "supply",
    *,
    inferred: bool = False,
    lang: str = "en",
) -> nx.MultiDiGraph[str]:
    """Project the graph in ``store`` onto a networkx ``MultiDiGraph``: :func:`to_networkx` of its asserted
    graphs (``…/graph/ontology`` and ``…/graph/facts``), with ``…/graph/inferred`` as the inferences when
    ``inferred`` is true.

    The views run their queries on the store (any :class:`~alliance_kg.store.Store`: memory, Oxigraph, a
    SPARQL server) and fetch their nodes' labels, classes and sources in bulk; nothing is copied out of it but
    for the ``rdf`` view, which is every triple. The same triples give the same projection as
    :func:`to_networkx`. The store is left open. Raises :class:`~alliance_kg.errors.ParameterError` for an
    unknown view or language.
    """
    _check(view, lang)
    source = ViewSource(store, ASSERTED_GRAPHS, (GRAPH_INFERRED,) if inferred else ())
    return VIEWS[view].build(source, lang)
