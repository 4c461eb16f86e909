"""The storage interface: the only way the rest of alliance-kg reaches stored triples.

Three kinds of store implement :class:`Store`, chosen by a *store spec* (:func:`open_store`, the ``--store``
option of every command, or the ``ALLIANCE_KG_STORE`` environment variable):

==================  =====================================================================================
``memory``          :class:`MemoryStore`, an rdflib dataset in memory: the default, right for small graphs
``oxigraph:PATH``   :class:`~alliance_kg.store_oxigraph.OxigraphStore`, a persistent Oxigraph store on disk
                    (filled by ``alliance-kg build``, then opened in well under a second)
``sparql:URL``      :class:`~alliance_kg.store_sparql.SparqlStore`, any SPARQL 1.1 server read over the
                    SPARQL 1.1 Protocol (written only by ``alliance-kg publish``)
==================  =====================================================================================

Rules every implementation keeps:

* graphs are named by IRI strings (:data:`alliance_kg.namespaces.GRAPH_FACTS`...); asserted, inferred and
  external triples live in separate named graphs;
* :meth:`Store.query` queries the union of the named graphs unless ``graph`` names one, and returns a
  :class:`QueryAnswer` (the project's own result type: typed RDF terms, streamed, no engine object);
* parameters are ``bindings`` (typed terms) that :func:`alliance_kg.sparql_text.with_values` writes as a
  ``VALUES`` block in N-Triples syntax, with the same meaning on every backend, never pasted text;
* the query is parsed by the engine that runs it (rdflib, Oxigraph or the server), not by another one;
* :meth:`Store.graph` hands out a copy: changing it never changes the store.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, Literal, Protocol, Self, runtime_checkable

from alliance_kg.errors import InputError, ParameterError, QueryError

if TYPE_CHECKING:
    import ctypes

    from rdflib import Graph
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.term import Node

__all__ = [
    "ENV_STORE",
    "RDF_FORMATS",
    "MemoryStore",
    "QueryAnswer",
    "Store",
    "StoreBase",
    "StoreSpec",
    "check_timeout",
    "format_for",
    "open_store",
    "parse_store_spec",
    "quiet_dataset_warnings",
    "rdflib_parse",
    "union_graph",
]

#: The environment variable that chooses the store when no ``--store`` is given.
ENV_STORE: Final = "ALLIANCE_KG_STORE"

#: RDF formats by short name: (file suffixes, whether the format holds named graphs).
RDF_FORMATS: Final[Mapping[str, tuple[tuple[str, ...], bool]]] = {
    "turtle": ((".ttl", ".turtle"), False),
    "nt": ((".nt", ".ntriples"), False),
    "nquads": ((".nq", ".nquads"), True),
    "trig": ((".trig",), True),
    "xml": ((".rdf", ".owl", ".xml"), False),
    "json-ld": ((".jsonld", ".json"), True),
}
_FORMAT_ALIASES: Final = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "nq": "nquads", "rdfxml": "xml"}

_RDFLIB_DATASET_WARNING = r"(Dataset\.(contexts|default_context)|ConjunctiveGraph) is deprecated"

Form = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]


@contextmanager
def quiet_dataset_warnings() -> Iterator[None]:
    """Silence the deprecation warnings rdflib 7.6 raises from its *own* Dataset code, inside the block only."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", _RDFLIB_DATASET_WARNING, DeprecationWarning)
        yield


def format_for(path: str | os.PathLike[str] | None, format: str | None = None) -> str:
    """The short name of an RDF format (:data:`RDF_FORMATS`), from ``format`` or else ``path``'s suffix."""
    if format is not None:
        name = _FORMAT_ALIASES.get(format.lower(), format.lower())
        if name not in RDF_FORMATS:
            known = ", ".join(RDF_FORMATS)
            raise InputError(f"unsupported RDF format {format!r} (use one of {known})")
        return name
    suffix = Path(path).suffix.lower() if path is not None else ""
    for name, (suffixes, _) in RDF_FORMATS.items():
        if suffix in suffixes:
            return name
    known = ", ".join(s for suffixes, _ in RDF_FORMATS.values() for s in suffixes)
    raise InputError(
        f"cannot tell the RDF format from the file name (expected {known}, or give a format)",
        path=None if path is None else Path(path),
    )


class QueryAnswer:
    """The answer to a SPARQL query, whatever store gave it.

    ``form`` is ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``. A SELECT answer iterates over its rows,
    tuples of rdflib terms (``None`` where a variable is unbound) in the order of ``variables``; a CONSTRUCT or
    DESCRIBE answer over triples; an ASK answer has ``boolean``. Rows are streamed from the store as they
    are read: iterate once (:meth:`rows`, :meth:`dicts` and :meth:`graph` read them all).
    """

    __slots__ = ("_items", "_used", "boolean", "form", "variables")

    def __init__(
        self,
        form: Form,
        *,
        variables: Iterable[str] = (),
        items: Iterable[tuple[Node | None, ...]] = (),
        boolean: bool | None = None,
    ) -> None:
        self.form: Form = form
        self.variables: tuple[str, ...] = tuple(variables)
        self.boolean = boolean
        self._items: Iterator[tuple[Node | None, ...]] = iter(items)
        self._used = False

    def __repr__(self) -> str:
        if self.form == "ASK":
            return f"<QueryAnswer ASK {self.boolean}>"
        return f"<QueryAnswer {self.form} ({', '.join(self.variables)})>"

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        if self._used:
            raise QueryError("this answer was already read (a QueryAnswer streams its rows: read it once)")
        self._used = True
        return self._items

    def rows(self) -> list[tuple[Node | None, ...]]:
        """All rows (or triples), read now."""
        return list(self)

    def dicts(self) -> list[dict[str, Node]]:
        """All SELECT rows as ``{variable: term}`` without the unbound variables."""
        return [
            {name: term for name, term in zip(self.variables, row, strict=True) if term is not None} for row in self
        ]

    def graph(self) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE answer, as a new rdflib graph."""
        from rdflib import Graph

        from alliance_kg.namespaces import bind_prefixes

        if self.form not in ("CONSTRUCT", "DESCRIBE"):
            raise QueryError(f"a {self.form} answer has no triples")
        graph = bind_prefixes(Graph())
        for triple in self:
            graph.add(triple)  # type: ignore[arg-type]
        return graph


@runtime_checkable
class Store(Protocol):
    """Named graphs of triples that can be loaded, dumped and queried with SPARQL."""

    #: ``memory``, ``oxigraph`` or ``sparql``.
    kind: str

    def graph_names(self) -> list[str]:
        """The names of the non-empty named graphs, sorted."""
        ...

    def load(
        self, source: str | os.PathLike[str] | bytes | IO[bytes], graph: str, *, format: str | None = None
    ) -> None:
        """Parse a file (path), bytes or binary stream of RDF into the named graph ``graph``.

        ``format`` is a name of :data:`RDF_FORMATS` (else the file suffix tells). Raises
        :class:`~alliance_kg.errors.RDFSyntaxError` (file, line, column) for malformed RDF; nothing is loaded then.
        """
        ...

    def add(self, graph: str, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Add triples (an rdflib graph, say) to the named graph ``graph``."""
        ...

    def dump(self, graph: str | None, format: str, output: IO[bytes] | None = None) -> bytes | None:
        """Serialise one named graph (or, with ``graph=None``, every named graph: ``nquads`` or ``trig``).

        Writes to ``output`` and returns None, or returns the bytes when ``output`` is None.
        """
        ...

    def graph(self, graph: str) -> Graph:
        """A copy of the named graph as an rdflib graph (empty if there is none): for small graphs."""
        ...

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        graph: str | Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> QueryAnswer:
        """Run a SPARQL 1.1 query over the union of the named graphs (or over ``graph``: one name, or several
        whose merge is then the default graph).

        ``timeout`` (seconds) stops a query that runs longer with a
        :class:`~alliance_kg.errors.QueryError`, in any thread.
        """
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (local stores only; a remote store refuses)."""
        ...

    def clear(self, graph: str) -> None:
        """Remove every triple of the named graph ``graph``."""
        ...

    def count(self, graph: str | None = None) -> int:
        """The number of triples in ``graph``, or over all named graphs (a triple in two graphs counts twice)."""
        ...

    def close(self) -> None:
        """Let go of the store (an on-disk store is flushed first)."""
        ...


# -- the store spec ------------------------------------------------------------------------------------------------


class StoreSpec:
    """A parsed store spec: ``kind`` (``memory``, ``oxigraph``, ``sparql``) and ``location`` (a path or URL)."""

    __slots__ = ("kind", "location")

    def __init__(self, kind: str, location: str | None = None) -> None:
        self.kind = kind
        self.location = location

    def __str__(self) -> str:
        return self.kind if self.location is None else f"{self.kind}:{self.location}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StoreSpec) and (self.kind, self.location) == (other.kind, other.location)

    def __hash__(self) -> int:
        return hash((self.kind, self.location))


def parse_store_spec(text: str | None, *, environ: Mapping[str, str] | None = None) -> StoreSpec:
    """The store a spec names: ``memory``, ``oxigraph:PATH`` or ``sparql:URL``.

    ``None`` takes :data:`ENV_STORE` from the environment, else ``memory``. Raises
    :class:`~alliance_kg.errors.ParameterError` (parameter ``store``) for anything else.
    """
    env = os.environ if environ is None else environ
    source = "--store"
    if text is None:
        text = env.get(ENV_STORE) or "memory"
        source = ENV_STORE if env.get(ENV_STORE) else "--store"
    text = text.strip()
    kind, sep, location = text.partition(":")
    kind = kind.lower()
    if kind == "memory" and not sep:
        return StoreSpec("memory")
    if kind == "oxigraph" and sep and location:
        return StoreSpec("oxigraph", location)
    if kind == "sparql" and sep and location:
        if not location.startswith(("http://", "https://")):
            raise ParameterError(f"{source}: a sparql store needs an http(s) URL, not {location!r}", parameter="store")
        return StoreSpec("sparql", location)
    raise ParameterError(
        f"{source}: not a store: {text!r} (use memory, oxigraph:PATH or sparql:URL)", parameter="store"
    )


def open_store(
    spec: str | StoreSpec | None = None,
    *,
    read_only: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Store:
    """Open the store a spec names (see :func:`parse_store_spec`).

    An ``oxigraph:PATH`` store is opened read-only unless ``read_only=False`` (then it is created if missing);
    opening a read-only one that does not exist is an :class:`~alliance_kg.errors.InputError` saying how to
    build it. A ``sparql:URL`` store is always read-only.
    """
    parsed = spec if isinstance(spec, StoreSpec) else parse_store_spec(spec, environ=environ)
    if parsed.kind == "memory":
        return MemoryStore()
    assert parsed.location is not None
    if parsed.kind == "oxigraph":
        from alliance_kg.store_oxigraph import OxigraphStore

        return OxigraphStore(parsed.location, read_only=read_only)
    from alliance_kg.store_sparql import SparqlStore

    store: Store = SparqlStore(parsed.location)
    return store


# -- the in-memory store -------------------------------------------------------------------------------------------


class StoreBase:
    """What every store class shares beyond the :class:`Store` protocol: ``len(store)`` (every triple of
    every named graph) and ``with store:`` closing it at the end."""

    def count(self, graph: str | None = None) -> int:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __len__(self) -> int:
        return self.count()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: The longest query timeout, in seconds (a year).
MAX_TIMEOUT: Final = 365 * 24 * 3600.0


def check_timeout(seconds: float) -> float:
    """``seconds`` if it is a number above zero and at most :data:`MAX_TIMEOUT` (a year), else a
    :class:`~alliance_kg.errors.QueryError`. (A timer cannot wait longer than ``threading.TIMEOUT_MAX``: 1e300
    seconds used to kill the watchdog and leave the query with no limit.)"""
    if not 0 < seconds <= MAX_TIMEOUT:  # also refuses NaN and infinity
        raise QueryError(f"a query timeout must be a positive number of seconds up to {MAX_TIMEOUT:g}, not {seconds!r}")
    return float(seconds)


class MemoryStore(StoreBase):
    """A :class:`Store` held in memory by an :class:`rdflib.Dataset`."""

    kind = "memory"

    def __init__(self) -> None:
        import rdflib.plugins.sparql
        from rdflib import Dataset

        from alliance_kg.namespaces import bind_prefixes

        # rdflib fetches the graphs a FROM, FROM NAMED or USING clause names over the network unless told not to:
        # never (process-wide, as rdflib only has the global switch); a named graph the store holds is used.
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
        self._dataset = Dataset(default_union=True)
        bind_prefixes(self._dataset)

    def __repr__(self) -> str:
        return f"<MemoryStore: {len(self.graph_names())} graphs, {self.count()} triples>"

    def graph_names(self) -> list[str]:
        from rdflib import URIRef
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        return sorted(
            str(context.identifier)
            for context in self._dataset.graphs()
            if isinstance(context.identifier, URIRef)
            and context.identifier != DATASET_DEFAULT_GRAPH_ID
            and len(context) > 0
        )

    def load(
        self, source: str | os.PathLike[str] | bytes | IO[bytes], graph: str, *, format: str | None = None
    ) -> None:
        """Parse with rdflib (:func:`alliance_kg.loading.parse_file`: any format of :data:`RDF_FORMATS`, the named
        graphs of a quad format merged into ``graph``, checked and guarded as that module says)."""
        from alliance_kg.loading import max_input_bytes, parse_bytes, parse_file

        if isinstance(source, str | os.PathLike):
            parsed = parse_file(Path(source), format=format)
        else:
            data = source if isinstance(source, bytes) else source.read(max_input_bytes() + 1)
            parsed = parse_bytes(data, format=format_for(None, format or "turtle"))
        self.add(graph, parsed)

    def add(self, graph: str, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        from rdflib import URIRef

        target = self._dataset.graph(URIRef(graph))
        for triple in triples:
            target.add(triple)

    def dump(self, graph: str | None, format: str, output: IO[bytes] | None = None) -> bytes | None:
        name = format_for(None, format)
        if graph is None:
            data = self._dump_dataset(name)
        else:
            if RDF_FORMATS[name][1] and name != "json-ld":
                raise InputError(f"{format} holds named graphs: dump one graph as turtle, nt or xml")
            with quiet_dataset_warnings():
                data = self.graph(graph).serialize(format=name, encoding="utf-8")
        if output is None:
            return data
        output.write(data)
        return None

    def _dump_dataset(self, name: str) -> bytes:
        from rdflib import Dataset, URIRef

        from alliance_kg.namespaces import bind_prefixes

        if name not in ("nquads", "trig", "json-ld"):
            raise InputError(f"all the graphs together need a format with named graphs (nquads, trig), not {name}")
        copy = Dataset()
        bind_prefixes(copy)
        for graph_name in self.graph_names():
            target = copy.graph(URIRef(graph_name))
            for triple in self._dataset.graph(URIRef(graph_name)):
                target.add(triple)
        with quiet_dataset_warnings():
            return copy.serialize(format=name, encoding="utf-8")

    def graph(self, graph: str) -> Graph:
        from rdflib import Graph, URIRef

        from alliance_kg.namespaces import bind_prefixes

        copy = bind_prefixes(Graph(identifier=URIRef(graph)))
        for triple in self._dataset.graph(URIRef(graph)):  # a graph not there is empty (graph_names skips it)
            copy.add(triple)
        return copy

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        graph: str | Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> QueryAnswer:
        from rdflib import URIRef

        from alliance_kg.service_policy import refuse_services
        from alliance_kg.sparql_text import with_values

        text = with_values(sparql, bindings)
        target: Graph
        if graph is None:
            target = self._dataset
        elif isinstance(graph, str):
            target = self._dataset.graph(URIRef(graph))
        else:
            from rdflib.graph import ReadOnlyGraphAggregate

            target = ReadOnlyGraphAggregate([self._dataset.graph(URIRef(name)) for name in graph])
        from alliance_kg.guard import guarded

        prepared = self._parse(text)
        refuse_services(text)
        # rdflib's evaluation may try to load a FROM graph or call a SERVICE: the guard refuses any file or
        # network access while it runs (the service policy above is the first line)
        with quiet_dataset_warnings(), guarded("a query"), _deadline(timeout):
            result = target.query(prepared)
            if result.type == "ASK":
                return QueryAnswer("ASK", boolean=bool(result.askAnswer))
            items = [tuple(item) for item in result]  # type: ignore[arg-type]  # evaluated now, inside the deadline
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                return QueryAnswer("CONSTRUCT" if result.type == "CONSTRUCT" else "DESCRIBE", items=items)
            variables = [str(v) for v in (result.vars or [])]
        return QueryAnswer("SELECT", variables=variables, items=items)

    def _parse(self, text: str) -> Query:
        """rdflib's parse of a query, its errors as :class:`~alliance_kg.errors.QueryError` with line and column."""
        return rdflib_parse(text, {prefix: str(iri) for prefix, iri in self._dataset.namespaces()})

    def update(self, sparql: str) -> None:
        with quiet_dataset_warnings():
            self._dataset.update(sparql)

    def clear(self, graph: str) -> None:
        from rdflib import URIRef

        self._dataset.remove_graph(self._dataset.graph(URIRef(graph)))

    def count(self, graph: str | None = None) -> int:
        from rdflib import URIRef

        names = self.graph_names() if graph is None else [graph]
        return sum(len(self._dataset.graph(URIRef(name))) for name in names)  # a graph not there is empty

    def close(self) -> None:
        """Nothing to let go of: the triples stay until the store is dropped."""


# -- timeouts in any thread ----------------------------------------------------------------------------------------


class _Expired(BaseException):  # not an Exception, so that no `except Exception` in a parser swallows it
    pass


@contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Stop Python code running in *this* thread after ``seconds`` with a QueryError, whichever thread it is.

    A watchdog thread waits for the limit, then raises :class:`_Expired` in the query's thread (CPython's
    ``PyThreadState_SetAsyncExc``: delivered at the next bytecode the thread runs) and raises it again every half
    second until the block ends, should some code swallow it. Nothing runs on the query's own path (no trace
    function). An exception still pending when the block ends is cleared.
    """
    if seconds is None:
        yield
        return
    check_timeout(seconds)
    import ctypes

    _ignore_expired_when_unraisable()
    target = ctypes.c_ulong(threading.get_ident())
    done = threading.Event()

    def watchdog() -> None:
        wait = seconds
        while not done.wait(wait):
            ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(_Expired))
            wait = 0.5

    guard = threading.Thread(target=watchdog, name="alliance-kg-query-deadline", daemon=True)
    guard.start()
    try:
        yield
    except _Expired:
        raise QueryError(f"query stopped after the {seconds:g} s timeout") from None
    finally:
        _stop_watchdog(done, guard, target)


_UNRAISABLE_FILTER_LOCK = threading.Lock()
_unraisable_filter_installed = False


def _ignore_expired_when_unraisable() -> None:
    """Let the watchdog's :class:`_Expired` land quietly where Python cannot raise it: delivered while the query's
    thread runs a finaliser or a garbage-collector callback, it is "ignored" (``sys.unraisablehook``, which prints
    it) and the watchdog raises it again half a second later. Other unraisable exceptions go to the hook that was
    there; installed once per process."""
    global _unraisable_filter_installed
    with _UNRAISABLE_FILTER_LOCK:
        if _unraisable_filter_installed:
            return
        import sys

        previous = sys.unraisablehook

        def hook(unraisable: sys.UnraisableHookArgs) -> None:
            if unraisable.exc_type is _Expired:
                return
            (sys.__unraisablehook__ if previous is hook else previous)(unraisable)

        sys.unraisablehook = hook
        _unraisable_filter_installed = True


def _stop_watchdog(done: threading.Event, guard: threading.Thread, target: ctypes.c_ulong) -> None:
    """Stop the watchdog, then clear an exception it may have left pending (one that arrives meanwhile is caught:
    the block has ended, so it no longer concerns anyone)."""
    import ctypes

    while True:
        try:
            done.set()
            guard.join()
            ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)
            return
        except _Expired:
            continue


def rdflib_parse(text: str, prefixes: Mapping[str, str]) -> Query:
    """rdflib's parse of a query (``prefixes`` usable undeclared); its errors as
    :class:`~alliance_kg.errors.QueryError`, with line and column for a syntax error."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text, initNs=dict(prefixes))
    except ParseException as error:
        found = f", found {error.line[error.col - 1 : error.col + 19]!r}" if error.line else ""
        raise QueryError(
            f"SPARQL syntax error: {error.msg}{found}", line=int(error.lineno), column=max(int(error.col), 1)
        ) from None
    except Exception as error:  # rdflib raises plain Exceptions for unknown prefixes and the like
        raise QueryError(f"malformed SPARQL query: {error}") from None


def union_graph(store: Store) -> Graph:
    """Every named graph of ``store`` together, as one new rdflib graph (for small graphs)."""
    from rdflib import Graph

    from alliance_kg.namespaces import bind_prefixes

    union = bind_prefixes(Graph())
    for name in store.graph_names():
        for triple in store.graph(name):
            union.add(triple)
    return union
