"""Entities looked up in the store, a few at a time: labels for result columns, names for entity parameters.

The store is asked only about the entities a query needs: the labels of the IRIs in an answer (one query per
few hundred IRIs), and, to resolve an entity parameter given as a name, the entities whose label or IRI
contains a word of that name. The candidates found are then judged by
:meth:`alliance_kg.named_queries.EntityIndex.resolve`, the one resolver of the project, so a name means the
same whatever the size of the graph; nothing pulls every label of a million-triple graph into memory.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Final

from alliance_kg.named_queries import EntityIndex, Parameter, _fold, expand_name

if TYPE_CHECKING:
    from rdflib.term import Node

    from alliance_kg.store import Store

__all__ = ["StoreEntities"]

_BATCH: Final = 400
#: How many entities of a class an error message may draw its hints from.
_HINT_POOL: Final = 500

#: The classes of statements about facts (README, "Many sources, one graph"), which names do not resolve to.
_STATEMENTS: Final = frozenset(
    {"https://w3id.org/alliance-kg/ontology#Claim", "https://w3id.org/alliance-kg/ontology#Reconciliation"}
)
_PREFIXES: Final = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)
_LABELS: Final = (
    _PREFIXES + "SELECT ?s ?label WHERE { ?s rdfs:label|skos:prefLabel ?label . FILTER(isLiteral(?label)) }"
)
_TYPES: Final = "SELECT ?s ?type WHERE { ?s a ?type . FILTER(isIRI(?type)) }"
_BY_WORD: Final = (
    _PREFIXES
    + "SELECT DISTINCT ?s WHERE { { ?s rdfs:label|skos:prefLabel ?label . "
    + "FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?label)), ?word)) } UNION "
    + "{ ?s a ?type . FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?s)), ?iriword)) } }"
)
_EXACT: Final = _PREFIXES + "SELECT DISTINCT ?s WHERE { ?s rdfs:label|skos:prefLabel ?label . FILTER(isIRI(?s)) }"
# The hint pools are the first entities in the store's own order, not sorted: sorting every labelled entity of a
# million-triple graph to pick hints took seconds (the engine's order is stable for a given store).
_POOL: Final = "SELECT DISTINCT ?s WHERE { ?s a ?class . FILTER(isIRI(?s)) } LIMIT " + str(_HINT_POOL)
_FOLDER_POOL: Final = (
    "SELECT DISTINCT ?s WHERE { ?s a ?class . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?folder)) } LIMIT "
    + str(_HINT_POOL)
)
_ANY_POOL: Final = (
    _PREFIXES + "SELECT DISTINCT ?s WHERE { ?s rdfs:label ?l . FILTER(isIRI(?s)) } LIMIT " + str(_HINT_POOL)
)


class StoreEntities:
    """Labels and types of the store's entities, asked for when needed and kept once asked (thread-safe)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._labels: dict[str, dict[str, str]] = {}
        self._types: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    # -- labels --

    def labels(self, iris: Iterable[str]) -> Mapping[str, Mapping[str, str]]:
        """``{iri: {language: label}}`` for the given IRIs (an IRI without labels maps to ``{}``)."""
        self._fill(iris, self._labels, self._fetch_labels)
        with self._lock:
            return {iri: self._labels[iri] for iri in set(iris)}

    def types(self, iris: Iterable[str]) -> Mapping[str, frozenset[str]]:
        """``{iri: classes}`` (asserted and inferred) for the given IRIs."""
        self._fill(iris, self._types, self._fetch_types)
        with self._lock:
            return {iri: self._types[iri] for iri in set(iris)}

    def _fill(self, iris: Iterable[str], cache: Mapping[str, object], fetch: Callable[[list[str]], None]) -> None:
        """Ask the store, a batch at a time, about the IRIs ``cache`` does not hold yet."""
        with self._lock:
            missing = sorted({iri for iri in iris if iri not in cache})
        for start in range(0, len(missing), _BATCH):
            fetch(missing[start : start + _BATCH])

    def index(self, iris: Iterable[str]) -> EntityIndex:
        """An :class:`~alliance_kg.named_queries.EntityIndex` of just these entities."""
        wanted = sorted(set(iris))
        labels = self.labels(wanted)
        types = self.types(wanted)
        return EntityIndex(
            labels={iri: labels[iri] for iri in wanted if labels[iri]},
            types={iri: types[iri] for iri in wanted if types[iri]},
        )

    # -- names --

    def resolve(self, text: str, parameter: Parameter) -> str:
        """The IRI that ``text`` (an IRI, a prefixed name or a label) names; see :meth:`EntityIndex.resolve`.

        Raises :class:`~alliance_kg.errors.ParameterError` listing candidates for an unknown or ambiguous name.
        """
        from alliance_kg.errors import ParameterError

        iri = expand_name(text)
        candidates = {iri} if iri is not None and self.types([iri])[iri] else set()
        # Cheap questions first (the IRI, labels written as given: index lookups); only when they settle nothing,
        # the entities whose label or IRI contains the name's longest word (a scan of every label).
        for more in (self._labelled, self._containing):
            candidates.update(self._not_statements(more(text)))
            if candidates:
                with contextlib.suppress(ParameterError):
                    return self.index(candidates).resolve(text, parameter)
        try:
            return self.index(candidates | ({iri} if iri else set())).resolve(text, parameter)
        except ParameterError:
            # hints: for an IRI or a prefixed name, the entities of its folder (id:plant/...) when there are any
            pool = self._same_folder(iri) if iri is not None else []
            pool = self._not_statements(pool or self._pool(parameter.entity_class))
            return self.index(candidates | set(pool)).resolve(text, parameter)  # raises, with hints from the pool

    def _not_statements(self, iris: list[str]) -> list[str]:
        """``iris`` without the claims and reconciliations: statements about facts, which a name does not mean
        (their labels repeat the names of what they are about); an IRI or a prefixed name still names them."""
        if not iris:
            return iris
        types = self.types(iris)
        return [iri for iri in iris if not types.get(iri, frozenset()) & _STATEMENTS]

    def _labelled(self, text: str) -> list[str]:
        """The entities with a label that is ``text`` as written (in English, French or without a language)."""
        from rdflib import Literal

        from alliance_kg.sparql_text import with_rows

        name = " ".join(text.split())
        forms = dict.fromkeys([name, name.lower(), name.title(), name[:1].upper() + name[1:]])
        labels = [[Literal(form, lang=lang)] for form in forms if form for lang in ("en", "fr", None)]
        if not labels:
            return []
        answer = self._store.query(with_rows(_EXACT, ["label"], labels))
        return [str(row[0]) for row in answer if row[0] is not None]

    def _containing(self, text: str) -> list[str]:
        from rdflib import Literal

        words = sorted(_fold(text).split(), key=len, reverse=True)
        if not words:
            return []
        word = words[0]
        iri_word = word.replace(" ", "-")
        answer = self._store.query(_BY_WORD, bindings={"word": Literal(word), "iriword": Literal(iri_word)})
        return [str(row[0]) for row in answer if row[0] is not None]

    def _same_folder(self, iri: str) -> list[str]:
        from rdflib import Literal

        folder = iri.rsplit("/", 1)[0] + "/"
        if "/id/" not in folder:
            return []
        answer = self._store.query(_FOLDER_POOL, bindings={"folder": Literal(folder)})
        return [str(row[0]) for row in answer if row[0] is not None]

    def _pool(self, cls: str | None) -> list[str]:
        from rdflib import URIRef

        if cls is None:
            answer = self._store.query(_ANY_POOL)
        else:
            answer = self._store.query(_POOL, bindings={"class": URIRef(cls)})
        return [str(row[0]) for row in answer if row[0] is not None]

    def _rows(self, query: str, iris: list[str]) -> Iterator[tuple[str, Node | None]]:
        from rdflib import URIRef

        from alliance_kg.sparql_text import with_rows

        for subject, value in self._store.query(with_rows(query, ["s"], [[URIRef(iri)] for iri in iris])):
            yield str(subject), value

    def _fetch_labels(self, iris: list[str]) -> None:
        from rdflib import Literal

        labels: dict[str, dict[str, str]] = {iri: {} for iri in iris}
        for subject, value in self._rows(_LABELS, iris):
            if subject in labels and isinstance(value, Literal):
                lang = value.language or ""
                by_lang = labels[subject]
                if lang not in by_lang or str(value) < by_lang[lang]:  # one label per language, the same each time
                    by_lang[lang] = str(value)
        with self._lock:
            self._labels.update(labels)

    def _fetch_types(self, iris: list[str]) -> None:
        types: dict[str, set[str]] = {iri: set() for iri in iris}
        for subject, value in self._rows(_TYPES, iris):
            if subject in types and value is not None:
                types[subject].add(str(value))
        with self._lock:
            self._types.update({iri: frozenset(classes) for iri, classes in types.items()})
