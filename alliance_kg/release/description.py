"""The VoID and DCAT description of a release (``void.ttl``), made as an rdflib graph.

One node, ``https://w3id.org/alliance-kg/release/VERSION``, is both a ``void:Dataset`` and a ``dcat:Dataset``
(a version of ``https://w3id.org/alliance-kg/dataset``), describing the asserted graph of the release (ontology and
facts, the content of ``alliance-kg.ttl``):

* ``dcterms:title``, ``dcterms:description`` (the ontology's), ``dcterms:license`` (the licence the ontology header
  declares; a release without one is refused), ``dcterms:issued`` (the release date), ``owl:versionInfo`` and
  ``dcat:version`` (the release version), ``dcat:previousVersion`` and ``prov:wasRevisionOf`` (the previous
  release, when there is one), ``dcterms:conformsTo`` the ontology;
* counts: ``void:triples``; ``void:entities``, the IRIs under ``void:uriSpace`` (``https://w3id.org/alliance-kg/id/``)
  that are the subject of a triple; ``void:classes``, ``void:properties``, ``void:distinctSubjects``,
  ``void:distinctObjects``; a ``void:classPartition`` per class with instances (``void:class``, ``void:entities``:
  its instances, ``void:triples``: the triples about them) and a ``void:propertyPartition`` per predicate
  (``void:property``, ``void:triples``);
* ``dcterms:source`` and ``prov:wasDerivedFrom`` every ``akg:SourceDocument`` of the graph (with its label, title,
  language, URL, publisher and date when the graph has them);
* a ``dcat:distribution`` per RDF file (``dcterms:title``, ``dcat:downloadURL``, ``dcat:mediaType`` as an IANA
  media-type IRI, ``dcat:byteSize`` and an ``spdx:checksum`` (SHA-256)); ``void:dataDump`` the N-Triples and
  Turtle files.

The description has no blank nodes (partitions, distributions and checksums are IRIs under the release's IRI), so
rdflib's Turtle serialiser writes it in one order only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD
from rdflib.term import Node

from alliance_kg.errors import BuildError
from alliance_kg.namespaces import AKG, ID, ONTOLOGY_IRI, PREFIXES, SCHEMA

__all__ = ["DATASET_IRI", "MEDIA_TYPES", "RELEASE_NAMESPACE", "Distribution", "describe", "release_iri"]

#: The dataset every release is a version of.
DATASET_IRI: Final = URIRef("https://w3id.org/alliance-kg/dataset")
#: Releases are named ``RELEASE_NAMESPACE + VERSION``; their files ``.../VERSION/FILE``.
RELEASE_NAMESPACE: Final = "https://w3id.org/alliance-kg/release/"

SPDX: Final = Namespace("http://spdx.org/rdf/terms#")
#: DCAT 3 (rdflib's ``DCAT`` is DCAT 2, without ``dcat:version`` and ``dcat:previousVersion``)
DCAT: Final = Namespace("http://www.w3.org/ns/dcat#")
_IANA: Final = "https://www.iana.org/assignments/media-types/"

#: File suffix -> IANA media type.
MEDIA_TYPES: Final[Mapping[str, str]] = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".html": "text/html",
    ".md": "text/markdown",
    ".json": "application/json",
}

#: What the sources' own description copies into the release description, when the graph has it.
_SOURCE_PROPERTIES: Final = (
    RDFS.label,
    DCTERMS.title,
    DCTERMS.language,
    DCTERMS.publisher,
    DCTERMS.issued,
    SCHEMA.url,
    AKG.publishedNotBefore,
)


@dataclass(frozen=True)
class Distribution:
    """A file of the release to describe: its name, what it holds (for its title) and its bytes."""

    name: str
    what: str
    content: bytes
    #: whether the file is a dump of the described graph (``void:dataDump``)
    dump: bool = False


def release_iri(version: str) -> URIRef:
    """The IRI of release ``version``."""
    return URIRef(RELEASE_NAMESPACE + version)


def _slug(term: URIRef) -> str:
    text = str(term)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        base = str(namespace)
        if text.startswith(base) and len(text) > len(base):
            return f"{prefix}-{quote(text[len(base) :], safe='')}"
    return quote(text, safe="")


def _licence(ontology: Graph) -> Node:
    for header in sorted(ontology.subjects(RDF.type, OWL.Ontology), key=str):
        licence = ontology.value(header, DCTERMS.license)
        if licence is not None:
            return licence
    raise BuildError(
        "the ontology declares no licence (dcterms:license on its owl:Ontology header); a release says under "
        "which licence it may be used"
    )


def _ontology_literal(ontology: Graph, predicate: URIRef) -> Literal | None:
    header = URIRef(ONTOLOGY_IRI)
    values = sorted((v for v in ontology.objects(header, predicate) if isinstance(v, Literal)), key=lambda v: v.n3())
    english = [value for value in values if value.language == "en"]
    chosen = english or values
    return chosen[0] if chosen else None


def sources(graph: Graph) -> list[URIRef]:
    """The ``akg:SourceDocument``s of ``graph`` (instances of it or of a subclass), sorted."""
    classes = {AKG.SourceDocument, *graph.transitive_subjects(RDFS.subClassOf, AKG.SourceDocument)}
    found = {s for cls in classes for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)}
    return sorted(found, key=str)


def describe(
    *,
    version: str,
    date: dt.date,
    asserted: Graph,
    ontology: Graph,
    distributions: list[Distribution],
    previous: str | None = None,
) -> Graph:
    """The VoID and DCAT description of release ``version`` (see the module docstring)."""
    g = Graph(bind_namespaces="none")
    for prefix, namespace in (
        ("akg", AKG),
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("owl", OWL),
        ("prov", PROV),
        ("rdf", RDF),
        ("rdfs", RDFS),
        ("schema", SCHEMA),
        ("spdx", SPDX),
        ("void", VOID),
        ("xsd", XSD),
    ):
        g.bind(prefix, namespace)
    dataset = release_iri(version)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.isVersionOf, DATASET_IRI))
    g.add((dataset, DCTERMS.title, Literal(f"alliance-kg {version}", lang="en")))
    description = _ontology_literal(ontology, DCTERMS.description)
    if description is not None:
        g.add((dataset, DCTERMS.description, description))
    g.add((dataset, DCTERMS.license, _licence(ontology)))
    g.add((dataset, DCTERMS.issued, Literal(date.isoformat(), datatype=XSD.date)))
    g.add((dataset, OWL.versionInfo, Literal(version)))
    g.add((dataset, DCAT.version, Literal(version)))
    g.add((dataset, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    g.add((dataset, VOID.vocabulary, URIRef(str(AKG))))
    g.add((dataset, VOID.uriSpace, Literal(str(ID))))
    if previous is not None:
        g.add((dataset, DCAT.previousVersion, release_iri(previous)))
        g.add((dataset, PROV.wasRevisionOf, release_iri(previous)))

    # counts
    per_subject = Counter(s for s, _, _ in asserted)
    per_predicate = Counter(p for _, p, _ in asserted)
    instances: dict[Node, set[Node]] = defaultdict(set)
    for s, _, cls in asserted.triples((None, RDF.type, None)):
        instances[cls].add(s)
    entities = {s for s in per_subject if isinstance(s, URIRef) and str(s).startswith(str(ID))}
    g.add((dataset, VOID.triples, Literal(len(asserted))))
    g.add((dataset, VOID.entities, Literal(len(entities))))
    g.add((dataset, VOID.classes, Literal(len(instances))))
    g.add((dataset, VOID.properties, Literal(len(per_predicate))))
    g.add((dataset, VOID.distinctSubjects, Literal(len(per_subject))))
    g.add((dataset, VOID.distinctObjects, Literal(len({o for _, _, o in asserted}))))
    for cls, members in instances.items():
        if not isinstance(cls, URIRef):
            continue
        partition = URIRef(f"{dataset}/class/{_slug(cls)}")
        g.add((dataset, VOID.classPartition, partition))
        g.add((partition, VOID["class"], cls))
        g.add((partition, VOID.entities, Literal(len(members))))
        g.add((partition, VOID.triples, Literal(sum(per_subject[member] for member in members))))
    for predicate, count in per_predicate.items():
        partition = URIRef(f"{dataset}/property/{_slug(URIRef(str(predicate)))}")
        g.add((dataset, VOID.propertyPartition, partition))
        g.add((partition, VOID.property, predicate))
        g.add((partition, VOID.triples, Literal(count)))

    # sources
    for source in sources(asserted):
        g.add((dataset, DCTERMS.source, source))
        g.add((dataset, PROV.wasDerivedFrom, source))
        g.add((source, RDF.type, AKG.SourceDocument))
        for predicate in _SOURCE_PROPERTIES:
            for value in asserted.objects(source, predicate):
                g.add((source, predicate, value))

    # files
    for item in distributions:
        suffix = item.name[item.name.rfind(".") :] if "." in item.name else ""
        media_type = MEDIA_TYPES.get(suffix, "application/octet-stream")
        file = URIRef(f"{dataset}/{quote(item.name)}")
        g.add((dataset, DCAT.distribution, file))
        g.add((file, RDF.type, DCAT.Distribution))
        g.add((file, DCTERMS.title, Literal(f"alliance-kg {version}: {item.what}", lang="en")))
        g.add((file, DCAT.downloadURL, file))
        g.add((file, DCAT.mediaType, URIRef(_IANA + media_type)))
        g.add((file, DCAT.byteSize, Literal(len(item.content), datatype=XSD.nonNegativeInteger)))
        checksum = URIRef(f"{file}#sha256")
        g.add((file, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(item.content).hexdigest(), datatype=XSD.hexBinary)))
        if item.dump:
            g.add((dataset, VOID.dataDump, file))
    return g
