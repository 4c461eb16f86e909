"""A :class:`~alliance_kg.store.Store` evaluated by Oxigraph (pyoxigraph): in memory, or on disk for big graphs.

::

    from alliance_kg.store_oxigraph import OxigraphStore

    store = OxigraphStore()                               # in memory
    store = OxigraphStore(path="var/kg")                  # on disk (created if missing), kept after close()
    store = OxigraphStore(path="var/kg", read_only=True)  # an existing store, opened read-only
    kg = akg.load(store=store)

:class:`OxigraphStore` keeps the rules of :class:`~alliance_kg.store.Store` exactly as
:class:`~alliance_kg.store.MemoryStore` does: graphs named by IRI strings, copies in and out, queries over the
union of the named graphs unless ``graph`` names one, parameters as typed terms (``bindings``), and the
alliance-kg prefixes (and rdflib's usual ones) usable without ``PREFIX`` lines.

Terms go between rdflib and Oxigraph unchanged (IRIs, blank nodes, literals with their datatype or language:
``"Okazaki"@fr``, ``"2026-01-12"^^xsd:date``, ``42``, ``2.5``, ``true``...), except where Oxigraph (0.5) stores a
literal by its value rather than by its text (see ``KNOWN_CHANGES`` in ``tests/test_store.py``):

* a plain literal and the same text typed ``xsd:string`` are the same RDF 1.1 term; both come back plain;
* a language tag comes back in lower case (``"Okazaki"@en-GB`` as ``"Okazaki"@en-gb``);
* an ``xsd:decimal`` comes back without trailing zeros (``"12.0"`` as ``"12"``, ``"1.50"`` as ``"1.5"``);
* the integer types derived from ``xsd:integer`` (``xsd:int``, ``xsd:long``, ``xsd:short``,
  ``xsd:nonNegativeInteger``...) come back as ``xsd:integer``.

Values compare equal in SPARQL either way; only the text of the literal changes. ``ORDER BY`` between terms
SPARQL does not order (literals of different languages, say) may give another order than rdflib.

Bindings are given to Oxigraph as typed terms (its ``substitutions``, SPARQL SEP-0007), never pasted into
the query. Oxigraph substitutes only variables of the top-level projection, so a bound variable the
``SELECT`` does not project is added to the projection (its *name* only, which is checked to be a SPARQL
variable name) and its column is removed from the result again. A ``SELECT`` that aggregates at top level
cannot project an extra variable: binding a variable it does not project is refused with
:class:`~alliance_kg.errors.QueryError` (project the variable, or group by it).

Like rdflib, Oxigraph calls the endpoint of a ``SERVICE`` clause itself: run such queries through
:class:`~alliance_kg.knowledge_graph.KnowledgeGraph`, which applies the federation policy first.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Identifier, Node

from alliance_kg.errors import InputError, QueryError
from alliance_kg.namespaces import bind_prefixes

__all__ = ["OxigraphStore", "from_oxigraph", "to_oxigraph"]

#: Graphs with at least this many triples are added with Oxigraph's bulk loader (not transactional, faster).
BULK_THRESHOLD: Final = 10_000

_XSD_STRING: Final = str(XSD.string)
_VARNAME: Final = re.compile(r"^[A-Za-z_\u00c0-\ufffd][A-Za-z0-9_\u00b7\u00c0-\ufffd]*$")
# The prologue (comments, BASE and PREFIX declarations) then the top-level SELECT [DISTINCT|REDUCED].
_SELECT_HEAD: Final = re.compile(
    r"\A(?:\s+|#[^\n]*(?:\n|\Z)|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>)*SELECT(?:\s+(?:DISTINCT|REDUCED)\b)?",
    re.IGNORECASE,
)
_BLANK_LABEL: Final = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


# -- terms --------------------------------------------------------------------------------------------------


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib IRI, blank node or literal (``ValueError`` for anything else)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        label = str(term)
        if not _BLANK_LABEL.match(label) or label.endswith("."):
            label = "x" + label.encode("utf-8").hex()  # a valid label made from the original
        return ox.BlankNode(label)
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise ValueError(f"cannot store {term!r} in Oxigraph: only IRIs, blank nodes and literals")


def from_oxigraph(term: object) -> Identifier:
    """The rdflib term for a pyoxigraph IRI, blank node or literal (``ValueError`` for RDF-star triples)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise ValueError(f"cannot turn {term!r} into an rdflib term")


@functools.cache
def _default_prefixes() -> dict[str, str]:
    """The prefixes a MemoryStore query may use undeclared: rdflib's usual ones and the alliance-kg ones."""
    return {prefix: str(namespace) for prefix, namespace in bind_prefixes(Graph()).namespaces() if prefix}


@functools.lru_cache(maxsize=256)
def _projected(sparql: str, bound: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """``sparql`` with the bound variables its top-level SELECT does not project added to the projection.

    Returns the text to run and the names added (their columns are dropped from the result).
    """
    from rdflib.plugins.sparql import prepareQuery

    head = _SELECT_HEAD.match(sparql)
    if head is None or not bound:
        return sparql, ()
    rest = sparql[head.end() :].lstrip()
    if rest.startswith("*"):
        return sparql, ()
    try:
        algebra = prepareQuery(sparql, initNs=_default_prefixes()).algebra
    except Exception:  # rdflib cannot read it: let Oxigraph run it as it is (and report what is wrong)
        return sparql, ()
    projected = {str(variable) for variable in (algebra.get("PV") or [])}
    missing = tuple(sorted(bound - projected))
    if not missing:
        return sparql, ()
    if _aggregates(algebra):
        raise QueryError(
            "OxigraphStore cannot bind variables that an aggregating SELECT does not project: "
            + ", ".join(f"?{name}" for name in missing)
            + " (project them, or group by them)"
        )
    added = " ".join(f"?{name}" for name in missing)
    return f"{sparql[: head.end()]} {added} {sparql[head.end() :]}", missing


def _aggregates(algebra: object) -> bool:
    """Whether the top-level SELECT of a translated query groups its solutions (GROUP BY or an aggregate)."""
    node = getattr(algebra, "p", None)
    while getattr(node, "name", None) in _ABOVE_GROUPING:
        node = getattr(node, "p", None)
    return getattr(node, "name", None) == "AggregateJoin"


_ABOVE_GROUPING: Final = frozenset(
    {"Slice", "Distinct", "Reduced", "OrderBy", "Project", "Extend", "Filter", "ToMultiSet"}
)


# -- the store ----------------------------------------------------------------------------------------------


class OxigraphStore:
    """A :class:`~alliance_kg.store.Store` kept by Oxigraph: in memory, or on disk under ``path``.

    ``path`` is a folder (created if missing) that keeps the data after :meth:`close`; ``read_only=True``
    opens an existing store without changing it (``add`` is then refused). Raises
    :class:`~alliance_kg.errors.InputError` when ``path`` cannot be opened as an Oxigraph store.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        if read_only and self.path is None:
            raise ValueError("a read-only OxigraphStore needs the path of an existing store")
        self._store: ox.Store | None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                if not self.path.is_dir():
                    raise InputError("no Oxigraph store at this path", path=self.path)
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._store = ox.Store(str(self.path))
        except OSError as error:
            raise InputError(f"cannot open the Oxigraph store: {error}", path=self.path) from None

    def __repr__(self) -> str:
        where = "in memory" if self.path is None else str(self.path) + (" (read-only)" if self.read_only else "")
        if self._store is None:
            return f"<OxigraphStore {where}: closed>"
        return f"<OxigraphStore {where}: {len(self.graph_names())} graphs, {len(self)} triples>"

    # -- the Store interface --

    def add(self, graph_name: str, triples: Graph) -> None:
        store = self._open()
        if self.read_only:
            raise InputError("this Oxigraph store was opened read-only: nothing can be added", path=self.path)
        name = ox.NamedNode(graph_name)
        quads = self._quads(triples, name)
        if len(triples) >= BULK_THRESHOLD:
            store.bulk_extend(quads)
        else:
            store.extend(quads)

    def graph(self, graph_name: str) -> Graph:
        copy = bind_prefixes(Graph(identifier=URIRef(graph_name)))
        _fill(copy, self._open(), ox.NamedNode(graph_name))
        return copy

    def graph_names(self) -> list[str]:
        store = self._open()
        names = list(store.named_graphs())
        return sorted(name.value for name in names if isinstance(name, ox.NamedNode) and _has_triples(store, name))

    def union(self) -> Graph:
        copy = bind_prefixes(Graph())
        store = self._open()
        for name in self.graph_names():
            _fill(copy, store, ox.NamedNode(name))
        return copy

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        graph: str | None = None,
    ) -> Result:
        store = self._open()
        bound = dict(bindings or {})
        for key in bound:
            if not _VARNAME.match(key):
                raise QueryError(f"not a SPARQL variable name: {key!r}")
        text, added = _projected(sparql, frozenset(bound))
        options: dict[str, object] = {"prefixes": _default_prefixes()}
        if graph is None:
            options["use_default_graph_as_union"] = True
        else:
            options["default_graph"] = ox.NamedNode(graph)
        if bound:
            options["substitutions"] = {ox.Variable(key): to_oxigraph(term) for key, term in bound.items()}
        answer = store.query(text, **options)  # type: ignore[arg-type]
        try:
            return _result(answer, hidden=set(added))
        finally:
            del answer  # see _UNSENDABLE

    def __len__(self) -> int:
        answer = self._open().query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?g)) }")
        try:
            assert isinstance(answer, ox.QuerySolutions)
            count = next(answer)[0]
        finally:
            del answer  # see _UNSENDABLE
        return int(count.value) if isinstance(count, ox.Literal) else 0

    # -- beyond the interface --

    def load_file(self, graph_name: str, path: str | os.PathLike[str], *, format: str = "nt") -> None:
        """Load an N-Triples (``nt``) or Turtle (``ttl``) file into ``graph_name`` with Oxigraph's bulk loader.

        Much faster than parsing with rdflib and calling :meth:`add`, for files of millions of triples.
        """
        store = self._open()
        if self.read_only:
            raise InputError("this Oxigraph store was opened read-only: nothing can be added", path=self.path)
        formats = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}
        if format not in formats:
            raise ValueError(f"format must be one of {', '.join(formats)}, not {format!r}")
        try:
            store.bulk_load(path=str(path), format=formats[format], to_graph=ox.NamedNode(graph_name))
        except (OSError, SyntaxError) as error:
            raise InputError(f"cannot load into the Oxigraph store: {error}", path=Path(path)) from None

    def close(self) -> None:
        """Write everything to disk and let go of the store (its folder can then be opened again)."""
        if self._store is not None:
            if not self.read_only:
                self._store.flush()
            self._store = None

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals --

    def _open(self) -> ox.Store:
        if self._store is None:
            raise ValueError("this OxigraphStore is closed")
        return self._store

    @staticmethod
    def _quads(triples: Iterable[tuple[Node, Node, Node]], name: ox.NamedNode) -> Iterator[ox.Quad]:
        iris: dict[Node, ox.NamedNode] = {}  # predicates and classes repeat: convert each IRI once
        for s, p, o in triples:
            subject = to_oxigraph(s)
            predicate = iris.get(p)
            if predicate is None:
                predicate = iris[p] = ox.NamedNode(str(p))
            obj: ox.NamedNode | ox.BlankNode | ox.Literal
            if isinstance(o, URIRef):
                cached = iris.get(o)
                if cached is None:
                    cached = ox.NamedNode(str(o))
                    if len(iris) < 100_000:
                        iris[o] = cached
                obj = cached
            else:
                obj = to_oxigraph(o)
            if isinstance(subject, ox.Literal):
                raise ValueError(f"a literal cannot be a subject: {s!r}")
            yield ox.Quad(subject, predicate, obj, name)


# _UNSENDABLE: pyoxigraph's iterators (QuerySolutions, QueryTriples, QuadIter, GraphNameIter) must be dropped
# by the thread that made them, or PyO3 raises "is unsendable, but is being dropped on another thread" from
# the garbage collector. A frame kept alive by an exception (rdflib's and pyparsing's parsers keep some) would
# keep its locals, so every local holding one is deleted before its function returns.


def _has_triples(store: ox.Store, name: ox.NamedNode) -> bool:
    quads = store.quads_for_pattern(None, None, None, name)
    try:
        return next(quads, None) is not None
    finally:
        del quads  # see _UNSENDABLE


def _fill(graph: Graph, store: ox.Store, name: ox.NamedNode) -> None:
    quads = store.quads_for_pattern(None, None, None, name)
    try:
        for quad in quads:
            graph.add((from_oxigraph(quad.subject), from_oxigraph(quad.predicate), from_oxigraph(quad.object)))
    finally:
        del quads  # see _UNSENDABLE


def _result(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, *, hidden: set[str]) -> Result:
    """Oxigraph's answer as an evaluated rdflib :class:`~rdflib.query.Result` (as MemoryStore returns)."""
    try:
        if isinstance(answer, ox.QueryBoolean):
            result = Result("ASK")
            result.askAnswer = bool(answer)
            return result
        if isinstance(answer, ox.QueryTriples):
            result = Result("CONSTRUCT")
            graph = bind_prefixes(Graph())
            for triple in answer:
                graph.add(
                    (from_oxigraph(triple.subject), from_oxigraph(triple.predicate), from_oxigraph(triple.object))
                )
            result.graph = graph
            return result
        columns = [(index, Variable(variable.value)) for index, variable in enumerate(answer.variables)]
        columns = [(index, variable) for index, variable in columns if str(variable) not in hidden]
        rows: list[Mapping[Variable, Identifier]] = []
        for solution in answer:
            row: dict[Variable, Identifier] = {}
            for index, variable in columns:
                value = solution[index]
                if value is not None:
                    row[variable] = from_oxigraph(value)
            rows.append(row)
        result = Result("SELECT")
        result.vars = [variable for _, variable in columns]
        result.bindings = rows
        return result
    finally:
        del answer  # see _UNSENDABLE
