"""A :class:`~alliance_kg.store.Store` evaluated by Oxigraph (pyoxigraph): in memory, or on disk for big graphs.

::

    from alliance_kg.store_oxigraph import OxigraphStore

    store = OxigraphStore()                               # in memory
    store = OxigraphStore(path="var/kg")                  # on disk (created if missing), kept after close()
    store = OxigraphStore(path="var/kg", read_only=True)  # an existing store, opened read-only
    store = open_store("oxigraph:var/kg")                 # the same, from a store spec

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

Bindings are written as a ``VALUES`` block in the query's ``WHERE`` group
(:func:`alliance_kg.sparql_text.with_values`), as on every store, never pasted in as text; Oxigraph parses
the query itself. A ``timeout`` is checked between rows (a native Oxigraph call cannot be interrupted from
Python): a query that takes long to produce its *first* row runs to it; ``alliance-kg serve`` runs queries in
worker processes that it kills instead.

Like rdflib, Oxigraph calls the endpoint of a ``SERVICE`` clause itself: run such queries through
:class:`~alliance_kg.knowledge_graph.KnowledgeGraph`, which applies the federation policy first.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from alliance_kg.errors import InputError, QueryError, RDFSyntaxError

if TYPE_CHECKING:
    from alliance_kg.query_workers import _Pool
from alliance_kg.loading import check_input_file
from alliance_kg.namespaces import bind_prefixes
from alliance_kg.service_policy import refuse_services
from alliance_kg.sparql_text import has_dataset_clause, with_values
from alliance_kg.store import RDF_FORMATS, QueryAnswer, StoreBase, check_timeout, format_for
from alliance_kg.store_release import check_store, damaged_store, failed_query

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


# -- the store ----------------------------------------------------------------------------------------------


_OX_FORMATS: Final = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
}

_WORKER_ACCEPT: Final = "application/sparql-results+json, application/n-triples"
_GRAPH_NAMES: Final = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?g)) } ORDER BY ?g"


class OxigraphStore(StoreBase):
    """A :class:`~alliance_kg.store.Store` kept by Oxigraph: in memory, or on disk under ``path``.

    ``path`` is a folder (created if missing) that keeps the data after :meth:`close`; ``read_only=True``
    opens an existing store without changing it (loading and updates are then refused). Raises
    :class:`~alliance_kg.errors.InputError` when ``path`` cannot be opened as an Oxigraph store.
    """

    kind = "oxigraph"

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        self._pool: _Pool | None = None  # the worker process of timed queries (an on-disk store read-only)
        if read_only and self.path is None:
            raise ValueError("a read-only OxigraphStore needs the path of an existing store")
        self._store: ox.Store | None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                if not self.path.is_dir():
                    raise InputError(
                        "no Oxigraph store at this path (fill one with: alliance-kg build --store oxigraph:PATH)",
                        path=self.path,
                    )
                check_store(self.path)
                self._store = ox.Store.read_only(str(self.path))
            else:
                if self.path.exists() and not self.path.is_dir():
                    raise InputError("not a folder: an Oxigraph store is a folder", path=self.path)
                self._store = ox.Store(str(self.path))
        except OSError as error:
            raise InputError(f"cannot open the Oxigraph store: {error}", path=self.path) from None
        except RuntimeError as error:  # RocksDB's "Corruption: ...": a checksum or a file size does not match
            raise damaged_store(self.path or Path(), error) from None

    def __repr__(self) -> str:
        where = "in memory" if self.path is None else str(self.path) + (" (read-only)" if self.read_only else "")
        if self._store is None:
            return f"<OxigraphStore {where}: closed>"
        return f"<OxigraphStore {where}: {len(self.graph_names())} graphs, {self.count()} triples>"

    # -- the Store interface --

    def graph_names(self) -> list[str]:
        answer = self._open().query(_GRAPH_NAMES)
        try:
            assert isinstance(answer, ox.QuerySolutions)
            return [row[0].value for row in answer if row[0] is not None]
        finally:
            del answer  # see _UNSENDABLE

    def load(
        self,
        source: str | os.PathLike[str] | bytes | IO[bytes],
        graph: str,
        *,
        format: str | None = None,
        max_bytes: int | None = None,
    ) -> None:
        """Parse RDF into ``graph`` with Oxigraph's parser (a big file with the bulk loader).

        Every format of :data:`~alliance_kg.store.RDF_FORMATS`: the quads of N-Quads, TriG and JSON-LD all go
        into ``graph`` (their graph names are dropped, as :class:`~alliance_kg.store.MemoryStore` does). The input
        is checked first as :func:`alliance_kg.loading.read_input` says: at most ``max_bytes`` (else
        ``$ALLIANCE_KG_MAX_INPUT_BYTES``, else 2 GiB), a byte order mark dropped, RDF/XML without dangerous
        entities. Blank nodes get fresh ids on every load: two files that both say ``_:b0`` give two blank nodes.
        Nothing reaches the network: Oxigraph loads no remote JSON-LD context, XML entity or import, and the load
        runs in a guarded section (:mod:`alliance_kg.guard`).
        """
        from alliance_kg.guard import guarded
        from alliance_kg.loading import OXIGRAPH_MAX_BYTES, check_bytes, max_input_bytes, read_input

        store = self._writable()
        path = Path(source) if isinstance(source, str | os.PathLike) else None
        name = format_for(path, format) if path is not None or format is not None else "turtle"
        limit = max_input_bytes(OXIGRAPH_MAX_BYTES) if max_bytes is None else max_bytes
        data: bytes | None = None
        base: str | None = None
        if path is not None:
            check_input_file(path, limit)
            base = path.resolve().as_uri()
            if name == "xml" or _starts_with_bom(path):
                data = read_input(path, format=name, max_bytes=limit)
        else:
            raw = source if isinstance(source, bytes) else source.read(limit + 1)  # type: ignore[union-attr]
            if len(raw) > limit:
                raise InputError(f"more than the limit of {limit} bytes", path=Path("<stream>"))
            data = check_bytes(raw, name, Path("<stream>"))
        try:
            with guarded(f"loading {name}", path=path):
                _parse_into(store, ox.NamedNode(graph), name, path, data, base)
        except SyntaxError as error:
            line, column = error.lineno, error.offset
            if line is None and data is not None and name == "xml":  # Oxigraph's RDF/XML parser names no line
                from alliance_kg.loading import xml_error_line

                line, column = xml_error_line(data) or (None, None)
            raise RDFSyntaxError(
                f"{name} syntax error: {_syntax_message(error)}", path=path, line=line, column=column
            ) from None
        except MemoryError as error:  # "Reached the buffer maximal size of 16777216": one huge term
            raise InputError(
                f"cannot load into the Oxigraph store: {error} (a single literal or IRI must stay under 16 MiB)",
                path=path,
            ) from None
        except (OSError, ValueError) as error:
            raise InputError(f"cannot load into the Oxigraph store: {error}", path=path) from None

    def add(self, graph: str, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        store = self._writable()
        name = ox.NamedNode(graph)
        quads = list(self._quads(triples, name))
        if len(quads) >= BULK_THRESHOLD:
            store.bulk_extend(quads)
        else:
            store.extend(quads)

    def dump(self, graph: str | None, format: str, output: IO[bytes] | None = None) -> bytes | None:
        store = self._open()
        name = format_for(None, format)
        if graph is None:
            if not RDF_FORMATS[name][1]:
                raise InputError(f"all the graphs together need a format with named graphs (nquads, trig), not {name}")
            data = store.dump(format=_OX_FORMATS[name], prefixes=_default_prefixes())
        else:
            if RDF_FORMATS[name][1]:
                raise InputError(f"{format} holds named graphs: dump one graph as turtle, nt or xml")
            options: dict[str, object] = {"from_graph": ox.NamedNode(graph)}
            if name in ("turtle", "xml"):
                options["prefixes"] = _default_prefixes()
            data = store.dump(format=_OX_FORMATS[name], **options)  # type: ignore[arg-type]
        assert isinstance(data, bytes)
        if output is None:
            return data
        output.write(data)
        return None

    def graph(self, graph: str) -> Graph:
        copy = bind_prefixes(Graph(identifier=URIRef(graph)))
        _fill(copy, self._open(), ox.NamedNode(graph))
        return copy

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        graph: str | Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> QueryAnswer:
        store = self._open()
        text = with_values(sparql, bindings)
        refuse_services(text)  # Oxigraph would call the endpoint itself
        options: dict[str, object] = {"prefixes": _default_prefixes()}
        if isinstance(graph, str):
            options["default_graph"] = ox.NamedNode(graph)
        elif graph is not None:
            options["default_graph"] = [ox.NamedNode(name) for name in graph]
        elif not has_dataset_clause(text):  # a FROM clause chooses the dataset itself, as on every store
            options["use_default_graph_as_union"] = True
        if timeout is not None and self.read_only and self.path is not None:
            return self._in_worker(text, graph, check_timeout(timeout))
        deadline = None if timeout is None else time.monotonic() + check_timeout(timeout)
        try:
            answer = store.query(text, **options)  # type: ignore[arg-type]
        except SyntaxError as error:
            raise _query_syntax_error(error) from None
        except (OSError, RuntimeError) as error:  # RuntimeError: RocksDB found the store damaged
            raise failed_query(error) from None
        if isinstance(answer, ox.QueryBoolean):
            return QueryAnswer("ASK", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            items = _triples(answer, deadline, timeout)
            if _is_describe(sparql):
                return QueryAnswer("DESCRIBE", items=items)
            return QueryAnswer("CONSTRUCT", items=items)
        variables = [variable.value for variable in answer.variables]
        return QueryAnswer("SELECT", variables=variables, items=_solutions(answer, deadline, timeout))

    def _in_worker(self, text: str, graph: str | Sequence[str] | None, timeout: float) -> QueryAnswer:
        """Run a query with a time limit in a worker process that opens this store read-only, and kill the
        worker when the limit passes: a native Oxigraph call cannot be stopped from Python, a process can.
        The worker (the endpoint's, :mod:`alliance_kg.endpoint`) is started once and reused."""
        from alliance_kg.query_workers import _Pool, _Request

        if self._pool is None:
            import weakref

            assert self.path is not None
            self._pool = _Pool(self.path, 1, _default_prefixes())
            weakref.finalize(self, self._pool.close)  # the worker ends with the store, closed or dropped
        defaults = () if graph is None else (graph,) if isinstance(graph, str) else tuple(graph)
        request = _Request(text, _WORKER_ACCEPT, default_graphs=defaults)
        status, media, body = self._pool.run(request, timeout)
        message = body.decode("utf-8", errors="replace").strip()
        if status == 503 and "timed out" in message:
            raise QueryError(f"query stopped after the {timeout:g} s timeout")
        if status == 400 and message.startswith("malformed SPARQL query: "):
            raise _query_syntax_error(SyntaxError(message.removeprefix("malformed SPARQL query: ")))
        if status != 200:
            raise QueryError(message)
        if media.startswith("application/n-triples"):
            triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
            items = [(from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)) for t in triples]
            del triples  # see _UNSENDABLE
            return QueryAnswer("DESCRIBE" if _is_describe(text) else "CONSTRUCT", items=items)
        answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if isinstance(answer, ox.QueryBoolean):
            return QueryAnswer("ASK", boolean=bool(answer))
        variables = [variable.value for variable in answer.variables]
        return QueryAnswer("SELECT", variables=variables, items=list(_solutions(answer, None, None)))

    def update(self, sparql: str) -> None:
        try:
            self._writable().update(sparql, prefixes=_default_prefixes())
        except SyntaxError as error:
            raise QueryError(f"SPARQL Update syntax error: {error}") from None
        except OSError as error:
            raise QueryError(f"update failed: {error}") from None

    def clear(self, graph: str) -> None:
        self._writable().remove_graph(ox.NamedNode(graph))

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?g)) }"
            answer = self._open().query(query)
        else:
            answer = self._open().query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=ox.NamedNode(graph))
        try:
            assert isinstance(answer, ox.QuerySolutions)
            count = next(answer)[0]
        finally:
            del answer  # see _UNSENDABLE
        return int(count.value) if isinstance(count, ox.Literal) else 0

    def close(self) -> None:
        """Write everything to disk and let go of the store (its folder can then be opened again)."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self._store is not None:
            if not self.read_only and self.path is not None:
                self._store.flush()
            self._store = None

    # -- beyond the interface --

    def load_file(self, graph_name: str, path: str | os.PathLike[str], *, format: str = "nt") -> None:
        """Load an RDF file into ``graph_name`` (the same as :meth:`load`, kept for older callers)."""
        self.load(path, graph_name, format=format)

    def copy_into(self, target: OxigraphStore) -> None:
        """Add every quad of this store to ``target`` with the bulk loader (an in-memory store to disk, say)."""
        quads = self._open().quads_for_pattern(None, None, None, None)
        try:
            target._writable().bulk_extend(quads)
        finally:
            del quads  # see _UNSENDABLE

    def optimize(self) -> None:
        """Compact the on-disk store after a big load (faster reads afterwards)."""
        self._writable().optimize()

    # -- internals --

    def _open(self) -> ox.Store:
        if self._store is None:
            raise ValueError("this OxigraphStore is closed")
        return self._store

    def _writable(self) -> ox.Store:
        store = self._open()
        if self.read_only:
            raise InputError("this Oxigraph store was opened read-only: nothing can be changed", path=self.path)
        return store

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


def _starts_with_bom(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(3) == b"\xef\xbb\xbf"


def _parse_into(
    store: ox.Store, target: ox.NamedNode, name: str, path: Path | None, data: bytes | None, base: str | None
) -> None:
    """Load ``data`` (else the file at ``path``) into the graph ``target``; a quad format all or nothing."""
    rdf_format = _OX_FORMATS[name]
    if RDF_FORMATS[name][1]:
        if data is not None:
            parsed = ox.parse(data, format=rdf_format, base_iri=base, rename_blank_nodes=True)
        else:
            parsed = ox.parse(path=str(path), format=rdf_format, base_iri=base, rename_blank_nodes=True)
        try:
            quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed]
        finally:
            del parsed  # see _UNSENDABLE (a syntax error's traceback would keep the frame)
        if len(quads) >= BULK_THRESHOLD:
            store.bulk_extend(quads)
        else:
            store.extend(quads)
    elif data is not None:
        store.load(data, format=rdf_format, to_graph=target, base_iri=base)
    elif path is not None and path.stat().st_size >= BULK_THRESHOLD * 100:
        store.bulk_load(path=str(path), format=rdf_format, to_graph=target, base_iri=base)
    else:
        store.load(path=str(path), format=rdf_format, to_graph=target, base_iri=base)


# _UNSENDABLE: pyoxigraph's iterators (QuerySolutions, QueryTriples, QuadIter, GraphNameIter) must be dropped
# by the thread that made them, or PyO3 raises "is unsendable, but is being dropped on another thread" from
# the garbage collector. A frame kept alive by an exception would keep its locals, so every local holding one
# is deleted before its function returns.


def _expired(deadline: float | None, timeout: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise QueryError(f"query stopped after the {timeout:g} s timeout")


class _Converter:
    """:func:`from_oxigraph` with a memory of the terms one answer repeats (its IRIs, labels and dates): making an
    rdflib literal costs ~12 µs, finding it again 0.1 µs. Bounded, so that a huge answer does not keep them all."""

    LIMIT: Final = 100_000

    def __init__(self) -> None:
        self._seen: dict[object, Identifier] = {}

    def __call__(self, term: object) -> Identifier | None:
        return None if term is None else self.term(term)

    def term(self, term: object) -> Identifier:
        found = self._seen.get(term)
        if found is None:
            if len(self._seen) >= self.LIMIT:
                self._seen.clear()
            found = self._seen[term] = from_oxigraph(term)
        return found


def _solutions(
    answer: ox.QuerySolutions, deadline: float | None, timeout: float | None
) -> Iterator[tuple[Identifier | None, ...]]:
    convert = _Converter()
    try:
        width = len(answer.variables)
        for solution in answer:
            _expired(deadline, timeout)
            yield tuple(convert(solution[i]) for i in range(width))
    except (OSError, RuntimeError) as error:  # RuntimeError: RocksDB found the store damaged
        raise failed_query(error) from None
    finally:
        del answer  # see _UNSENDABLE


def _triples(
    answer: ox.QueryTriples, deadline: float | None, timeout: float | None
) -> Iterator[tuple[Identifier, Identifier, Identifier]]:
    try:
        convert = _Converter()
        for triple in answer:
            _expired(deadline, timeout)
            yield convert.term(triple.subject), convert.term(triple.predicate), convert.term(triple.object)
    except (OSError, RuntimeError) as error:  # RuntimeError: RocksDB found the store damaged
        raise failed_query(error) from None
    finally:
        del answer  # see _UNSENDABLE


def _is_describe(sparql: str) -> bool:
    from alliance_kg.named_queries import query_form

    return query_form(sparql) == "DESCRIBE"


def _query_syntax_error(error: SyntaxError) -> QueryError:
    """Oxigraph's "error at LINE:COLUMN: ..." as a QueryError with line and column."""
    message = str(error.msg if error.msg else error)
    where = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if where is None:
        return QueryError(f"SPARQL syntax error: {message}")
    return QueryError(f"SPARQL syntax error: {where[3]}", line=int(where[1]), column=int(where[2]))


def _syntax_message(error: SyntaxError) -> str:
    return str(error.msg if error.msg else error)


def _fill(graph: Graph, store: ox.Store, name: ox.NamedNode) -> None:
    quads = store.quads_for_pattern(None, None, None, name)
    try:
        for quad in quads:
            graph.add((from_oxigraph(quad.subject), from_oxigraph(quad.predicate), from_oxigraph(quad.object)))
    finally:
        del quads  # see _UNSENDABLE
