"""Projections: the RDF graph seen as a networkx ``MultiDiGraph``.

Each view is a small function that runs the SPARQL queries in ``views/*.rq``
(or walks the rdflib graph) and turns the rows into nodes and edges:

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
              marked ``inferred=True``).
``supply``    manufacturers; one edge supplier → customer per OEM supply,
              keyed by the supply's IRI, carrying vehicle, plant, country,
              markets, production and sales start windows and the source.
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

Adding a view: write its queries under ``views/``, a function
``(asserted, inferred, lang) -> MultiDiGraph`` below, register it in
:data:`VIEWS` and list any new attribute in :data:`ATTRIBUTE_TYPES`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.query import ResultRow
from rdflib.term import Node

from alliance_kg.errors import ParameterError
from alliance_kg.namespaces import AKG, WD, short

__all__ = [
    "ATTRIBUTE_TYPES",
    "LANGUAGES",
    "VIEWS",
    "View",
    "rdf_view_to_graph",
    "to_networkx",
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
}

#: Attribute names the file formats reserve (GEXF, GraphML, CSV and Cytoscape.js use them for structure).
RESERVED_NAMES: Final = frozenset(
    {"id", "key", "source", "target", "spells", "start", "end", "weight", "type", "networkx_key", "name"}
)

_LABEL_SEPARATOR: Final = " | "
_QUERIES: Final = resources.files("alliance_kg.export") / "views"


@dataclass(frozen=True)
class View:
    """A projection: its name, one line saying what it shows, and the function that builds it."""

    name: str
    description: str
    build: Callable[[Graph, Graph | None, str], nx.MultiDiGraph[str]]


# -- helpers --------------------------------------------------------------------


@cache
def _query_text(name: str) -> str:
    return (_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _select(graph: Graph, name: str) -> list[dict[str, Node]]:
    """Run ``views/NAME.rq`` on ``graph``; each row as a dict of its bound variables."""
    rows: list[dict[str, Node]] = []
    for row in graph.query(_query_text(name)):
        assert isinstance(row, ResultRow)
        rows.append({str(var): value for var, value in row.asdict().items() if value is not None})
    return rows


def _union(*graphs: Graph | None) -> Graph:
    """A new graph holding the triples of ``graphs`` (the inputs are left as they are)."""
    union = Graph()
    for graph in graphs:
        if graph is not None:
            for triple in graph:
                union.add(triple)
    return union


def _literals(graph: Graph, subject: Node, predicate: URIRef) -> list[Literal]:
    return sorted((o for o in graph.objects(subject, predicate) if isinstance(o, Literal)), key=lambda o: o.n3())


def _label_in(graph: Graph, subject: Node, lang: str) -> str | None:
    labels = [str(o) for o in _literals(graph, subject, RDFS.label) if o.language == lang]
    return labels[0] if labels else None


def _label(graph: Graph, subject: Node, lang: str) -> str:
    """The label of ``subject`` in ``lang``, else one without a language, else in another language, else its name."""
    found = _label_in(graph, subject, lang)
    if found is not None:
        return found
    labels = _literals(graph, subject, RDFS.label)
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

    def __init__(self, graph: Graph) -> None:
        self._graph = graph
        self._ancestors: dict[Node, frozenset[Node]] = {}

    def ancestors(self, cls: Node) -> frozenset[Node]:
        if cls not in self._ancestors:
            found = {c for c in self._graph.transitive_objects(cls, RDFS.subClassOf) if c is not None and c != cls}
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


def _describe(graph: Graph, iri: Node, lang: str) -> dict[str, Any]:
    """The attributes every view gives an entity node: labels, Wikidata id, source document and sentences."""
    attributes: dict[str, Any] = {"iri": str(iri), "label": _label(graph, iri, lang)}
    for language in LANGUAGES:
        found = _label_in(graph, iri, language)
        if found is not None:
            attributes[f"label_{language}"] = found
    wikidata = sorted(
        str(o).removeprefix(str(WD)) for o in graph.objects(iri, SKOS.exactMatch) if str(o).startswith(str(WD))
    )
    if wikidata:
        attributes["wikidata"] = " ".join(wikidata)
    sources = sorted(str(o) for o in graph.objects(iri, PROV.wasDerivedFrom))
    if sources:
        attributes["source_document"] = " ".join(sources)
    sentences = [str(o) for o in _literals(graph, iri, AKG.sourceSentence)]
    if sentences:
        attributes["source_sentence"] = "\n".join(sentences)
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


def entities_view(asserted: Graph, inferred: Graph | None, lang: str) -> nx.MultiDiGraph[str]:
    """Entities with labels, classes, Wikidata ids and sources; object properties between them as edges."""
    graph = _union(asserted, inferred) if inferred is not None else asserted
    classes = _Classes(graph)
    types: dict[Node, set[Node]] = defaultdict(set)
    for row in _select(graph, "entities"):
        types[row["entity"]].add(row["class"])

    result = _new_graph("entities", lang)
    for entity in sorted(types, key=str):
        attributes = _describe(graph, entity, lang)
        attributes["class"] = " ".join(_local(c) for c in classes.most_specific(types[entity]))
        attributes["group"] = classes.group(types[entity])
        earliest, latest = _date(graph.value(entity, AKG.earliest)), _date(graph.value(entity, AKG.latest))
        if earliest is not None:
            attributes["earliest"] = earliest
        if latest is not None:
            attributes["latest"] = latest
        stated_as = _literals(graph, entity, AKG.statedAs)
        if stated_as:
            attributes["stated_as"] = str(stated_as[0])
        result.add_node(str(entity), **attributes)

    for row in _select(graph, "entity-links"):
        subject, predicate, obj = row["subject"], row["predicate"], row["object"]
        if subject not in types or obj not in types:
            continue
        attributes = {"predicate": str(predicate), "label": _label(graph, predicate, lang)}
        if inferred is not None:
            attributes["inferred"] = (subject, predicate, obj) not in asserted
        result.add_edge(str(subject), str(obj), key=str(predicate), **attributes)
    return result


def _markets(graph: Graph) -> dict[Node, list[Node]]:
    markets: dict[Node, list[Node]] = defaultdict(list)
    for row in _select(graph, "supply-markets"):
        markets[row["supply"]].append(row["market"])
    return markets


def _entity_node(graph: Graph, iri: Node, group: str, lang: str) -> dict[str, Any]:
    attributes = _describe(graph, iri, lang)
    classes = sorted(_local(c) for c in graph.objects(iri, RDF.type) if _is_akg(c))
    if classes:
        attributes["class"] = " ".join(classes)
    attributes["group"] = group
    return attributes


def supply_view(asserted: Graph, inferred: Graph | None, lang: str) -> nx.MultiDiGraph[str]:
    """Manufacturers; one edge supplier → customer per OEM supply, with its vehicle, plant, markets and dates."""
    graph = asserted
    result = _new_graph("supply", lang)
    for manufacturer in sorted(set(graph.subjects(RDF.type, AKG.Manufacturer)), key=str):
        result.add_node(str(manufacturer), **_entity_node(graph, manufacturer, "Manufacturer", lang))
    markets = _markets(graph)
    seen: set[Node] = set()
    for row in _select(graph, "supplies"):
        supply = row["supply"]
        if supply in seen:  # a supply stated twice with two values of a functional property
            continue
        seen.add(supply)
        supplier, customer = row["supplier"], row["customer"]
        for manufacturer in (supplier, customer):
            if str(manufacturer) not in result:
                result.add_node(str(manufacturer), **_entity_node(graph, manufacturer, "Manufacturer", lang))
        described = _describe(graph, supply, lang)
        edge: dict[str, Any] = {
            "supply": str(supply),
            "label": described["label"],
            "supplier": str(supplier),
            "customer": str(customer),
        }
        for name in ("label_en", "label_fr", "source_sentence"):
            if name in described:
                edge[name] = described[name]
        for part in ("vehicle", "plant", "country"):
            if part in row:
                edge[part] = str(row[part])
                edge[f"{part}_label"] = _label(graph, row[part], lang)
        if "vehicle" in row:
            vehicle_classes = sorted(_local(c) for c in graph.objects(row["vehicle"], RDF.type) if _is_akg(c))
            if vehicle_classes:
                edge["vehicle_class"] = " ".join(vehicle_classes)
        if markets.get(supply):
            edge["markets"] = " ".join(str(m) for m in markets[supply])
            edge["market_labels"] = _LABEL_SEPARATOR.join(_label(graph, m, lang) for m in markets[supply])
        if "status" in row:
            edge["status"] = _label(graph, row["status"], lang)
        if "source_document" in row:
            edge["source_document"] = str(row["source_document"])
        for window in ("production_start", "sales_start"):
            if window in row:
                edge[window] = _label(graph, row[window], lang)
            for bound in ("earliest", "latest"):
                value = _date(row.get(f"{window}_{bound}"))
                if value is not None:
                    edge[f"{window}_{bound}"] = value
        result.add_edge(str(supplier), str(customer), key=str(supply), **edge)
    return result


def footprint_view(asserted: Graph, inferred: Graph | None, lang: str) -> nx.MultiDiGraph[str]:
    """Plants → the markets they build for and plants → their countries: who builds where for whom."""
    graph = asserted
    result = _new_graph("footprint", lang)
    for row in _select(graph, "plants"):
        plant = row["plant"]
        attributes = _entity_node(graph, plant, "Plant", lang)
        if "operator" in row:
            attributes["operator"] = str(row["operator"])
            attributes["operator_label"] = _label(graph, row["operator"], lang)
        result.add_node(str(plant), **attributes)
        if "country" in row:
            country = row["country"]
            if str(country) not in result:
                result.add_node(str(country), **_entity_node(graph, country, "Country", lang))
            result.add_edge(str(plant), str(country), key="country", label=_label(graph, AKG.country, lang))

    markets = _markets(graph)
    by_pair: dict[tuple[Node, Node], list[dict[str, Node]]] = defaultdict(list)
    for row in _select(graph, "supplies"):
        if "plant" in row:
            for market in markets.get(row["supply"], []):
                by_pair[(row["plant"], market)].append(row)
    for (plant, market), rows in sorted(by_pair.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))):
        node = str(market)
        if node in result and result.nodes[node]["group"] == "Country":
            result.nodes[node]["group"] = "Market"  # a country that is also a market is drawn as a market
        elif node not in result:
            result.add_node(node, **_entity_node(graph, market, "Market", lang))
        vehicles = [row["vehicle"] for row in rows if "vehicle" in row]
        customers = sorted({row["customer"] for row in rows}, key=str)
        edge: dict[str, Any] = {
            "label": _label(graph, AKG.market, lang),
            "supplies": " ".join(str(row["supply"]) for row in rows),
            "supply_count": len(rows),
            "customer_labels": _LABEL_SEPARATOR.join(_label(graph, c, lang) for c in customers),
        }
        if vehicles:
            edge["vehicle_labels"] = _LABEL_SEPARATOR.join(_label(graph, v, lang) for v in vehicles)
        result.add_edge(str(plant), node, key="market", **edge)
    return result


#: The views, by name.
VIEWS: Final[Mapping[str, View]] = {
    view.name: view
    for view in (
        View("rdf", "every triple, literals as typed nodes (lossless)", rdf_view),
        View("entities", "entities and the object properties between them", entities_view),
        View("supply", "manufacturers, one edge supplier → customer per OEM supply", supply_view),
        View("footprint", "plants → markets and plants → countries", footprint_view),
    )
}


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
    language of ``label``. Neither graph is changed. Raises
    :class:`~alliance_kg.errors.ParameterError` for an unknown view or
    language.
    """
    if view not in VIEWS:
        raise ParameterError(f"unknown view {view!r} (use one of {', '.join(VIEWS)})", parameter="view")
    if lang not in LANGUAGES:
        raise ParameterError(f"unknown language {lang!r} (use one of {', '.join(LANGUAGES)})", parameter="lang")
    return VIEWS[view].build(graph, inferred, lang)
