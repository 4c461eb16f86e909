"""What the Wikidata commands read from our graph, asked of the store that holds it.

``link`` and ``enrich`` need the entities to reconcile (with their names, country and makers), the Wikidata
links they already have and the values Wikidata may contradict. They ask any
:class:`~alliance_kg.store.Store` with the SELECT queries of ``sparql/`` (data files, like the query library),
over the asserted graphs: an in-memory store of the project's files, a built ``oxigraph:PATH`` store of a
million triples or a ``sparql:URL`` server alike; nothing is copied out of the store but the rows.
:func:`store_of` puts rdflib graphs in a scratch store for callers that hold graphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from alliance_kg.store import Store

__all__ = ["QUERIES", "checked_values", "editorial_notes", "linkable_rows", "links", "open_graph", "store_of"]

#: The folder of the queries this module runs.
QUERIES: Final = Path(__file__).resolve().parent / "sparql"

_WIKIDATA_ITEM: Final = "http://www.wikidata.org/entity/Q"


def _text(name: str) -> str:
    return (QUERIES / name).read_text(encoding="utf-8")


def _asserted() -> Sequence[str]:
    from alliance_kg.namespaces import ASSERTED_GRAPHS

    return ASSERTED_GRAPHS


def store_of(facts: Graph, ontology: Graph | None = None) -> Store:
    """A new in-memory store with ``facts`` (and ``ontology``) in the asserted named graphs; close it after use."""
    from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_ONTOLOGY
    from alliance_kg.store_oxigraph import OxigraphStore

    store = OxigraphStore()
    store.add(GRAPH_FACTS, facts)
    if ontology is not None:
        store.add(GRAPH_ONTOLOGY, ontology)
    return store


def open_graph(store: str | None, data: Sequence[Path] | None = None) -> Store:
    """The graph ``link`` and ``enrich`` read: the built store ``store`` names (``oxigraph:PATH``,
    ``sparql:URL``; ``None`` takes ``$ALLIANCE_KG_STORE``), opened read-only, or for ``memory`` the project's
    ontology and data files (or ``data``) in a scratch store. Close it after use."""
    from alliance_kg.errors import ParameterError
    from alliance_kg.store import open_store, parse_store_spec

    spec = parse_store_spec(store)
    if spec.kind == "memory":
        from alliance_kg.loading import load_project

        project = load_project(data_paths=data)
        return store_of(project.facts, project.ontology)
    if data:
        raise ParameterError(
            f"--data and --store {spec} exclude each other: a built store is read as it is", parameter="data"
        )
    return open_store(spec)


def links(store: Store, extra: Graph | None = None) -> dict[str, str]:
    """Entity IRI -> the IRI of the Wikidata item it links to (``skos:exactMatch``), from the store's asserted
    graphs and from ``extra`` (say, the compiled SSSOM links when the store does not hold them)."""
    from rdflib import URIRef
    from rdflib.namespace import SKOS

    found: dict[str, str] = {}
    for entity, item in store.query(_text("wikidata-links.rq"), graph=_asserted()).rows():
        found[str(entity)] = str(item)
    if extra is not None:
        for entity, item in extra.subject_objects(SKOS.exactMatch):
            if isinstance(entity, URIRef) and isinstance(item, URIRef) and str(item).startswith(_WIKIDATA_ITEM):
                found[str(entity)] = str(item)
    return found


def linkable_rows(store: Store, roots: Iterable[str]) -> Iterator[tuple[str, str, str | None, Node | None]]:
    """(entity, class, property, value) for the entities typed with each of ``roots`` or a sub-class of it.

    ``property`` is ``label``, ``altLabel``, ``country`` or ``maker`` (None, with no value, for an entity that
    has none of them).
    """
    from rdflib import URIRef

    text = _text("linkable-entities.rq")
    for root in roots:
        for entity, cls, prop, value in store.query(text, bindings={"root": URIRef(root)}, graph=_asserted()).rows():
            yield str(entity), str(cls), None if prop is None else str(prop), value


def checked_values(store: Store) -> Mapping[str, list[tuple[str, str]]]:
    """``country`` / ``manufacturer`` -> the (entity, value) IRI pairs of our facts that Wikidata can
    contradict, sorted."""
    found: dict[str, list[tuple[str, str]]] = {"country": [], "manufacturer": []}
    for entity, prop, value in store.query(_text("checked-values.rq"), graph=_asserted()).rows():
        found[str(prop)].append((str(entity), str(value)))
    return {name: sorted(pairs) for name, pairs in found.items()}


def editorial_notes(store: Store) -> Mapping[str, list[str]]:
    """Entity IRI -> its ``skos:editorialNote`` texts, sorted."""
    found: dict[str, list[str]] = {}
    for entity, note in store.query(_text("editorial-notes.rq"), graph=_asserted()).rows():
        found.setdefault(str(entity), []).append(str(note))
    return {entity: sorted(notes) for entity, notes in found.items()}
