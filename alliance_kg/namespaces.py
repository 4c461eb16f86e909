"""IRIs and prefixes of alliance-kg.

``AKG`` is the ontology's namespace, ``ID`` the namespace of the things the
graph describes (``id:plant/...``, ``id:manufacturer/...``). The three
named-graph IRIs name the parts of a release: the ontology, the asserted
facts and the triples inferred by OWL-RL reasoning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from rdflib import Graph, Namespace
from rdflib.namespace import (
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    TIME,
    XSD,
    NamespaceManager,
)
from rdflib.term import BNode, Literal, Node, URIRef

__all__ = [
    "AKG",
    "ASSERTED_GRAPHS",
    "GRAPH_FACTS",
    "GRAPH_INFERRED",
    "GRAPH_NAMESPACE",
    "GRAPH_ONTOLOGY",
    "GRAPH_WIKIDATA",
    "ID",
    "NAMED_GRAPHS",
    "ONTOLOGY_IRI",
    "PREFIXES",
    "SCHEMA",
    "WD",
    "bind_prefixes",
    "short",
]

ONTOLOGY_IRI: Final = "https://w3id.org/alliance-kg/ontology"
AKG: Final = Namespace("https://w3id.org/alliance-kg/ontology#")
ID: Final = Namespace("https://w3id.org/alliance-kg/id/")

#: The namespace of the knowledge graph's named graphs.
GRAPH_NAMESPACE: Final = "https://w3id.org/alliance-kg/graph/"
GRAPH_ONTOLOGY: Final = GRAPH_NAMESPACE + "ontology"
GRAPH_FACTS: Final = GRAPH_NAMESPACE + "facts"
GRAPH_INFERRED: Final = GRAPH_NAMESPACE + "inferred"
#: What ``alliance-kg enrich`` fetched from Wikidata, kept apart from the facts.
GRAPH_WIKIDATA: Final = GRAPH_NAMESPACE + "wikidata-enrichment"

#: The graphs of what is stated (the ontology and the facts): SHACL validates these, never the inferences.
ASSERTED_GRAPHS: Final = (GRAPH_ONTOLOGY, GRAPH_FACTS)

#: The short names of the named graphs (as ``graph=`` arguments take them) and their IRIs.
NAMED_GRAPHS: Final[Mapping[str, str]] = {"ontology": GRAPH_ONTOLOGY, "facts": GRAPH_FACTS, "inferred": GRAPH_INFERRED}

SCHEMA: Final = Namespace("https://schema.org/")
WD: Final = Namespace("http://www.wikidata.org/entity/")

#: prefix -> namespace, as bound on every graph alliance-kg writes.
PREFIXES: Final[Mapping[str, Namespace]] = {
    "akg": AKG,
    "id": ID,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "sh": Namespace(str(SH)),
    "schema": SCHEMA,
    "org": Namespace(str(ORG)),
    "prov": Namespace(str(PROV)),
    "time": Namespace(str(TIME)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "wd": WD,
}

# Longest namespace first, so that ``short`` picks the most specific prefix.
_BY_LENGTH: Final = sorted(PREFIXES.items(), key=lambda item: -len(str(item[1])))


_NAMESPACES: Final = NamespaceManager(Graph(), bind_namespaces="none")
for _prefix, _namespace in PREFIXES.items():
    _NAMESPACES.bind(_prefix, _namespace, override=True, replace=True)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the alliance-kg prefixes on ``graph`` (replacing clashing ones) and return it.

    Only the graph's namespace manager changes, never its triples.
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def short(term: Node | str | None) -> str:
    """A term as people read it: ``id:plant/x``, ``akg:Plant``, ``"text"``, ``_:b0``.

    IRIs under a known namespace become prefixed names (the local part is
    shown as it is, even where Turtle would need escapes); other IRIs are
    written ``<...>``.
    """
    if term is None:
        return ""
    if isinstance(term, Literal):
        return term.n3(_NAMESPACES)
    if isinstance(term, BNode):
        return f"_:{term}"
    text = str(term)
    for prefix, namespace in _BY_LENGTH:
        base = str(namespace)
        if text.startswith(base) and len(text) > len(base):
            return f"{prefix}:{text[len(base) :]}"
    if isinstance(term, URIRef) or "://" in text:
        return f"<{text}>"
    return text
