"""Enrichment: what Wikidata says about the items our entities link to, kept apart from the curated facts.

:func:`fetch_enrichment` sends ``sparql/construct-enrichment.rq`` (a CONSTRUCT) to the SPARQL endpoint for the
linked items, in batches of 50, and returns a graph of statements *about Wikidata items* (``wd:Q3630
wdt:P625 "Point(106.8 -6.2)"^^geo:wktLiteral``, labels, ``wdt:P17``, ``wdt:P749`` ...), never about our
entities: the curated ``skos:exactMatch`` links are the only bridge. The graph carries its provenance on
:data:`GRAPH_WIKIDATA`: ``prov:wasDerivedFrom`` the endpoint, ``prov:generatedAtTime`` the retrieval time
(the original one when answers came from the cache) and Wikidata's licence (CC0).

:func:`write_enrichment` writes it as a separate Turtle file (the project's ``enrichment/wikidata.ttl`` by
default, outside ``data/`` so that it is never loaded as facts); :func:`load_enrichment` reads it back for
``build``, which includes it only when present, and :func:`disagreements` lists where Wikidata and our facts
differ (a plant's or a city's country, a vehicle's manufacturer), for ``build`` to print as warnings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

from alliance_kg.atomic import write_atomic
from alliance_kg.errors import ServiceError
from alliance_kg.namespaces import GRAPH_WIKIDATA  # the named graph (and provenance subject) of the enrichment

if TYPE_CHECKING:
    from rdflib import Graph

    from alliance_kg.store import Store
    from alliance_kg.wikidata.client import WikidataClient

__all__ = [
    "DEFAULT_ENRICHMENT_FILE",
    "ENRICHMENT_QUERY",
    "GRAPH_WIKIDATA",
    "BuildEnrichment",
    "Disagreement",
    "Enrichment",
    "disagreements",
    "enrichment_file",
    "enrichment_query",
    "fetch_enrichment",
    "for_build",
    "linked_items",
    "load_enrichment",
    "write_enrichment",
]

#: Where ``enrich`` writes and ``build`` looks by default, relative to the project folder (see
#: :func:`enrichment_file`).
DEFAULT_ENRICHMENT_FILE: Final = Path("enrichment") / "wikidata.ttl"
ENRICHMENT_QUERY: Final = Path(__file__).resolve().parent / "sparql" / "construct-enrichment.rq"

_AKG: Final = "https://w3id.org/alliance-kg/ontology#"
_WD: Final = "http://www.wikidata.org/entity/"
_WDT: Final = "http://www.wikidata.org/prop/direct/"
_QID: Final = re.compile(r"^Q[1-9][0-9]*$")
_EMPTY_VALUES: Final = "VALUES ?item { }"
_CC0: Final = "http://creativecommons.org/publicdomain/zero/1.0/"


@dataclass(frozen=True)
class Enrichment:
    """The fetched graph (provenance included), the endpoint it came from and when it was retrieved."""

    graph: Graph
    endpoint: str
    retrieved: datetime
    items: tuple[str, ...]


@dataclass(frozen=True, order=True)
class Disagreement:
    """Our fact and Wikidata's differ: ``entity``'s ``property`` is ``ours`` here and ``theirs`` there."""

    entity: str
    property: str
    ours: str
    theirs: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return self.message


def linked_items(store: Store, links: Graph | None = None) -> list[str]:
    """The Wikidata Q ids our entities link to (``skos:exactMatch`` in ``store``'s asserted graphs and in
    ``links``), sorted by number."""
    from alliance_kg.wikidata.graph_reads import links as links_of

    found = {item[len(_WD) :] for item in links_of(store, links).values()}
    return sorted((qid for qid in found if _QID.match(qid)), key=lambda q: int(q[1:]))


def enrichment_query(qids: Sequence[str]) -> str:
    """The enrichment CONSTRUCT for these items: the query file with its ``VALUES ?item`` block filled.

    Only well-formed Q ids are accepted (ValueError otherwise), and each is written as an IRI term, so
    nothing but item IRIs can reach the query text.
    """
    bad = [qid for qid in qids if not _QID.match(qid)]
    if bad:
        raise ValueError(f"not Wikidata item ids: {bad}")
    text = ENRICHMENT_QUERY.read_text(encoding="utf-8")
    if text.count(_EMPTY_VALUES) != 1:  # pragma: no cover - the shipped file has it once (tested)
        raise ValueError(f"{ENRICHMENT_QUERY} must contain {_EMPTY_VALUES!r} once")
    terms = " ".join(f"<{_WD}{qid}>" for qid in qids)
    return text.replace(_EMPTY_VALUES, f"VALUES ?item {{ {terms} }}")


def _provenance(graph: Graph, endpoint: str, retrieved: datetime, items: Sequence[str]) -> None:
    from rdflib import RDF, RDFS, XSD, Literal, URIRef
    from rdflib.namespace import DCTERMS, PROV

    from alliance_kg import __version__

    node = URIRef(GRAPH_WIKIDATA)
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, PROV.wasDerivedFrom, URIRef(endpoint)))
    graph.add((node, PROV.generatedAtTime, Literal(retrieved.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    graph.add((node, DCTERMS.license, URIRef(_CC0)))
    graph.add((node, PROV.wasAttributedTo, Literal(f"alliance-kg {__version__} enrich")))
    graph.add(
        (
            node,
            RDFS.comment,
            Literal(
                f"What the SPARQL endpoint said about the {len(items)} Wikidata items that alliance-kg entities "
                "link to (skos:exactMatch). Not curated: never mixed into the facts.",
                lang="en",
            ),
        )
    )


def fetch_enrichment(qids: Sequence[str], client: WikidataClient, *, batch: int = 50) -> Enrichment:
    """Ask the client's SPARQL endpoint for the enrichment of ``qids``; the graph with its provenance.

    Raises :class:`ServiceError` when the endpoint fails or answers something that is not Turtle.
    """
    from rdflib import Graph

    from alliance_kg.namespaces import bind_prefixes

    graph = bind_prefixes(Graph(identifier=GRAPH_WIKIDATA))
    graph.bind("wdt", _WDT)
    graph.bind("geo", "http://www.opengis.net/ont/geosparql#")
    times: list[datetime] = []
    for start in range(0, len(qids), batch):
        turtle, retrieved = client.sparql_construct(enrichment_query(qids[start : start + batch]))
        times.append(retrieved)
        try:
            graph.parse(data=turtle, format="turtle")
        except Exception as error:  # checked by the client already; a second line of defence
            raise ServiceError(f"answered broken Turtle ({error})", url=client.sparql_url) from None
    retrieved_at = min(times) if times else datetime.now(UTC)
    _provenance(graph, client.sparql_url, retrieved_at, qids)
    return Enrichment(graph=graph, endpoint=client.sparql_url, retrieved=retrieved_at, items=tuple(qids))


def enrichment_file() -> Path | None:
    """The default enrichment file: the active project's ``enrichment/wikidata.ttl`` (the current directory's
    project, or the one selected with ``--project``), or None outside a project (the packaged, read-only data
    has no enrichment)."""
    from alliance_kg.resources import active_project

    project = active_project()
    return None if project is None else project.root / DEFAULT_ENRICHMENT_FILE


def write_enrichment(enrichment: Enrichment, path: str | Path | None = None) -> Path:
    """Write the enrichment as Turtle to ``path`` atomically (the previous file stays until it is complete).

    ``path`` defaults to the project's ``enrichment/wikidata.ttl``; outside a project that is an
    :class:`~alliance_kg.errors.InputError` saying how to make one, as is a path inside the installed package.
    """
    from alliance_kg.project import check_writable, require_project

    if path is None:
        path = require_project(command="enrich").root / DEFAULT_ENRICHMENT_FILE
    path = check_writable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# Wikidata enrichment, written by `alliance-kg enrich`: statements about Wikidata items, not curated\n"
        f"# facts. Source: {enrichment.endpoint} at {enrichment.retrieved.isoformat(timespec='seconds')}.\n"
        "# Wikidata data is CC0. Regenerate with `alliance-kg enrich`; `alliance-kg build` includes it if present.\n"
    )
    body = enrichment.graph.serialize(format="turtle")
    write_atomic(path, header + body)
    return path


def load_enrichment(path: str | Path | None = None) -> Graph | None:
    """The enrichment graph from ``path`` (default :func:`enrichment_file`), or None when there is none.

    For ``build``: include the graph (as the named graph :data:`GRAPH_WIKIDATA`) only when this returns one.
    Reads the local file only (through :func:`alliance_kg.loading.parse_file`); raises its errors for a
    malformed file.
    """
    from rdflib import Graph

    from alliance_kg.loading import parse_file
    from alliance_kg.namespaces import bind_prefixes

    path = enrichment_file() if path is None else Path(path)
    if path is None or not path.is_file():
        return None
    return parse_file(path, into=bind_prefixes(Graph(identifier=GRAPH_WIKIDATA)))


@dataclass(frozen=True)
class BuildEnrichment:
    """What ``build`` needs: the enrichment graph (None when there is no file) and the disagreements to warn of.

    ``path`` is the file looked for (None outside a project when none was given)."""

    graph: Graph | None
    warnings: tuple[Disagreement, ...]
    path: Path | None


def for_build(store: Store, path: str | Path | None = None, *, links: Graph | None = None) -> BuildEnrichment:
    """Load the enrichment file if present and compare it with ``facts``; offline, nothing is fetched.

    ``path`` defaults to :func:`enrichment_file` (the project's ``enrichment/wikidata.ttl``; none outside a
    project).

    ``build`` adds ``graph`` (when not None) as the named graph :data:`GRAPH_WIKIDATA` of the release, apart
    from the facts, and prints each of ``warnings`` (``str(item)`` is a sentence). ``links`` are extra
    ``skos:exactMatch`` triples (the compiled SSSOM links) when ``facts`` does not hold them.
    """
    target = enrichment_file() if path is None else Path(path)
    graph = None if target is None else load_enrichment(target)
    found = () if graph is None else tuple(disagreements(store, graph, links=links))
    return BuildEnrichment(graph=graph, warnings=found, path=target)


def _label(graph: Graph, node: object) -> str:
    from rdflib import RDFS, Literal, URIRef

    if not isinstance(node, URIRef):
        return str(node)
    labels = {v.language: str(v) for v in graph.objects(node, RDFS.label) if isinstance(v, Literal)}
    return labels.get("en") or next(iter(labels.values()), "")


def disagreements(store: Store, enrichment: Graph, *, links: Graph | None = None) -> list[Disagreement]:
    """Where our facts (in ``store``) and Wikidata's differ, for linked entities (``links`` adds compiled SSSOM
    links).

    Checks an entity's ``akg:country`` against its item's ``P17`` (countries themselves excepted) and a
    vehicle's ``akg:brand`` against ``P176``/``P1716``. A check is made only when both sides have a value and
    our value is linked too; an absent value is not a disagreement. Sorted by entity; nothing is changed.
    """
    from rdflib import URIRef

    from alliance_kg.namespaces import short
    from alliance_kg.wikidata.graph_reads import checked_values
    from alliance_kg.wikidata.graph_reads import links as links_of

    link_of = links_of(store, links)
    values_of = checked_values(store)
    checks = (("country", ("P17",)), ("manufacturer", ("P176", "P1716")))
    found: list[Disagreement] = []
    for name, properties in checks:
        for entity, ours in values_of[name]:
            if entity == ours or entity not in link_of or ours not in link_of:
                continue
            item = URIRef(link_of[entity])
            values = [v for p in properties for v in enrichment.objects(item, URIRef(_WDT + p))]
            theirs = sorted({str(v) for v in values if isinstance(v, URIRef)})
            if not theirs or link_of[ours] in theirs:
                continue
            said = ", ".join(
                f"wd:{t[len(_WD) :]}" + (f" ({label})" if (label := _label(enrichment, URIRef(t))) else "")
                for t in theirs
            )
            found.append(
                Disagreement(
                    entity=entity,
                    property=name,
                    ours=ours,
                    theirs=tuple(theirs),
                    message=(
                        f"{short(URIRef(entity))}: {name} is {short(URIRef(ours))} (wd:{link_of[ours][len(_WD) :]}) "
                        "here, "
                        f"but Wikidata's {short(item)} says {said}"
                    ),
                )
            )
    return sorted(found)
