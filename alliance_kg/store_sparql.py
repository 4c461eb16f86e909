"""A remote SPARQL 1.1 server as a read-only :class:`~alliance_kg.store.Store` (the ``sparql:URL`` store spec).

This is how a graph that outgrows one machine lives on an existing server (Virtuoso, GraphDB, Apache Jena Fuseki,
QLever, Oxigraph server): build it locally, ``alliance-kg publish`` it (SPARQL 1.1 Graph Store HTTP Protocol,
:mod:`alliance_kg.publish`), query it here. :class:`SparqlStore` never writes: ``load``, ``add``, ``update`` and
``clear`` raise :class:`~alliance_kg.errors.InputError` saying to publish instead.

How each part of the :class:`~alliance_kg.store.Store` contract is kept over the SPARQL 1.1 Protocol:

* **queries** are POSTed form-encoded (``query=`` plus the dataset parameters), with ``Accept:
  application/sparql-results+json`` for SELECT and ASK and ``application/n-triples`` for CONSTRUCT and DESCRIBE.
  The text sent is the caller's own, parsed by the server's engine; alliance-kg only puts the ``bindings`` in a
  ``VALUES`` block (:func:`alliance_kg.sparql_text.with_values`) and prepends ``PREFIX`` lines for the alliance-kg
  prefixes the query uses without declaring them.
* **the union of the named graphs** is the default graph, given portably with one ``default-graph-uri``
  parameter per graph of the knowledge graph, and the same graphs as ``named-graph-uri`` (so that ``GRAPH ?g``
  sees them, and only them). Both are needed on Virtuoso, whose default graph is otherwise every graph it holds,
  its own system graphs included, and whose ``GRAPH ?g`` otherwise sees them too. The graphs of the knowledge
  graph are those given as ``graphs``, else the ones on the server under ``https://w3id.org/alliance-kg/graph/``
  together with the project's four (:data:`PROJECT_GRAPHS`), listed once with
  ``SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }``. ``graph=`` gives one ``default-graph-uri``.
  Servers take the default graph as the graphs' *union with repeats*: a triple held by two graphs answers twice
  (an rdflib or Oxigraph store answers it once). A release never holds a triple in two graphs.
* **answers** are parsed into rdflib terms (typed literals, language tags, blank nodes; ``xsd:string`` literals
  as plain literals, as rdflib and Oxigraph give them; Virtuoso's ``typed-literal`` and ``nodeID://`` blank
  nodes are understood). CONSTRUCT and DESCRIBE answers are streamed (parsed by Oxigraph's N-Triples parser as
  they arrive); SELECT answers are read whole, then turned into rows as they are iterated.
* **timeouts** hold on every server: the HTTP timeout (no answer within ``timeout`` seconds, and no row after
  it, is a :class:`~alliance_kg.errors.QueryError`); on Virtuoso also its own ``timeout`` parameter (in
  milliseconds), whose partial answers (``X-SQL-State: S1TAT``) are refused, not returned as if complete.
  Oxigraph server has no timeout parameter per request (only ``oxigraph serve --timeout-s``, for the whole
  server); other servers get only the HTTP timeout.
* **errors**: an HTTP error is a :class:`~alliance_kg.errors.ServiceError` with the URL, the status and the
  server's own message (truncated); a 400 answer to a query (the server could not parse it) is a
  :class:`~alliance_kg.errors.QueryError` with the server's message.
* :meth:`SparqlStore.graph`, :meth:`SparqlStore.dump` and :meth:`SparqlStore.count` ask ``CONSTRUCT``/``COUNT``
  queries (``dump`` uses a Graph Store ``GET`` when ``graph_store_url`` is given: no result-size limit applies
  there, while Virtuoso cuts query answers at its ``ResultSetMaxRows``).
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Final, cast

from alliance_kg.errors import InputError, QueryError, ServiceError
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_NAMESPACE, GRAPH_ONTOLOGY, GRAPH_WIKIDATA
from alliance_kg.store import RDF_FORMATS, QueryAnswer, StoreBase, check_timeout, format_for

if TYPE_CHECKING:
    import os
    from http.client import HTTPResponse

    from rdflib import Graph
    from rdflib.term import Identifier, Node

    from alliance_kg.http import HttpClient

__all__ = ["GRAPH_NAMESPACE", "PROJECT_GRAPHS", "SparqlStore"]

#: The named graphs of a release (ontology, facts, inferred, Wikidata enrichment).
PROJECT_GRAPHS: Final = (GRAPH_ONTOLOGY, GRAPH_FACTS, GRAPH_INFERRED, GRAPH_WIKIDATA)

_RESULTS_JSON: Final = "application/sparql-results+json"
_TRIPLES: Final = "application/n-triples, text/turtle;q=0.5"
_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_LIST_GRAPHS: Final = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_READ_ONLY: Final = (
    "a sparql: store is read-only: write the server with 'alliance-kg publish RELEASE_DIR --graph-store URL' "
    "(SPARQL 1.1 Graph Store Protocol)"
)
_CHUNK: Final = 1 << 16


class SparqlStore(StoreBase):
    """A :class:`~alliance_kg.store.Store` read from a SPARQL 1.1 query endpoint at ``url`` (see the module).

    ``graph_store_url`` is the server's Graph Store Protocol endpoint (Oxigraph: ``/store``, Virtuoso:
    ``/sparql-graph-crud``), used to read whole graphs by :meth:`dump`. ``graphs`` fixes the named graphs that
    make up the knowledge graph (default: listed from the server, see the module). ``timeout`` (seconds) bounds
    every request whose caller gives none. ``client`` is the :class:`~alliance_kg.http.HttpClient` to send
    requests with (default: one with this timeout, two retries, requests in parallel).
    """

    kind = "sparql"

    def __init__(
        self,
        url: str,
        *,
        graph_store_url: str | None = None,
        graphs: Iterable[str] | None = None,
        timeout: float = 60.0,
        client: HttpClient | None = None,
    ) -> None:
        from alliance_kg.http import HttpClient, check_url

        self.url = check_url(url, "SPARQL endpoint")
        self.graph_store_url = None if graph_store_url is None else check_url(graph_store_url, "Graph Store endpoint")
        self.timeout = check_timeout(timeout)
        self._fixed_graphs = None if graphs is None else sorted(set(graphs))
        self._union: list[str] | None = None
        self._server: str | None = None
        self._client = client or HttpClient(timeout=timeout, max_retries=2, max_wait=30.0, one_at_a_time=False)

    def __repr__(self) -> str:
        return f"<SparqlStore {self.url}>"

    @property
    def server(self) -> str:
        """The server software as its ``Server`` header names it (``Virtuoso/07.20...``), once it has answered."""
        self._graphs()
        return self._server or ""

    # -- the Store interface --

    def graph_names(self) -> list[str]:
        listed = self._list_graphs()
        if self._fixed_graphs is not None:
            return [name for name in listed if name in self._fixed_graphs]
        return [name for name in listed if name.startswith(GRAPH_NAMESPACE)]

    def load(
        self, source: str | os.PathLike[str] | bytes | IO[bytes], graph: str, *, format: str | None = None
    ) -> None:
        raise InputError(_READ_ONLY)

    def add(self, graph: str, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        raise InputError(_READ_ONLY)

    def update(self, sparql: str) -> None:
        raise InputError(_READ_ONLY)

    def clear(self, graph: str) -> None:
        raise InputError(_READ_ONLY)

    def close(self) -> None:
        """Nothing to let go of: every request has its own connection."""

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        graph: str | Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> QueryAnswer:
        from alliance_kg.named_queries import is_update, query_form
        from alliance_kg.sparql_text import with_values

        if is_update(sparql):
            raise QueryError(_READ_ONLY)
        text = _with_prefixes(with_values(sparql, bindings))
        form = query_form(sparql)
        if form is None:
            raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
        wait = self.timeout if timeout is None else check_timeout(timeout)
        deadline = None if timeout is None else time.monotonic() + wait
        params = [("query", text), *self._dataset(graph), *self._timeout_params(timeout)]
        if form in ("SELECT", "ASK"):
            data = self._ask_json(params, wait, timeout is not None)
            if form == "ASK" or "boolean" in data:
                boolean = data.get("boolean")
                if not isinstance(boolean, bool):
                    raise ServiceError("answered an ASK query without a boolean", url=self.url)
                return QueryAnswer("ASK", boolean=boolean)
            variables, bindings_list = _results(data, self.url)
            return QueryAnswer("SELECT", variables=variables, items=_rows(variables, bindings_list, deadline, wait))
        return QueryAnswer(form, items=self._triples(params, wait, deadline, timeout is not None))  # type: ignore[arg-type]

    def graph(self, graph: str) -> Graph:
        from rdflib import Graph, URIRef

        from alliance_kg.namespaces import bind_prefixes

        copy = bind_prefixes(Graph(identifier=URIRef(graph)))
        for triple in self._graph_triples(graph):
            copy.add(triple)
        return copy

    def dump(self, graph: str | None, format: str, output: IO[bytes] | None = None) -> bytes | None:
        import pyoxigraph as ox

        from alliance_kg.store_oxigraph import _OX_FORMATS, _default_prefixes, to_oxigraph

        name = format_for(None, format)
        if graph is None:
            if not RDF_FORMATS[name][1]:
                raise InputError(f"all the graphs together need a format with named graphs (nquads, trig), not {name}")
            quads = (
                ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(graph_name))  # type: ignore[arg-type]
                for graph_name in self.graph_names()
                for s, p, o in self._graph_triples(graph_name)
            )
            data = ox.serialize(quads, format=_OX_FORMATS[name], prefixes=_default_prefixes())
        else:
            if RDF_FORMATS[name][1]:
                raise InputError(f"{format} holds named graphs: dump one graph as turtle, nt or xml")
            triples = (
                ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
                for s, p, o in self._graph_triples(graph)
            )
            options: dict[str, Any] = {"prefixes": _default_prefixes()} if name in ("turtle", "xml") else {}
            data = ox.serialize(triples, format=_OX_FORMATS[name], **options)
        assert isinstance(data, bytes)
        if output is None:
            return data
        output.write(data)
        return None

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            names = self.graph_names()
            if not names:
                return 0
            query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
            params = [("query", query), *(("named-graph-uri", name) for name in names)]
        else:
            params = [("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), ("default-graph-uri", graph)]
        _, rows = _results(self._ask_json(params, self.timeout, False), self.url)
        if len(rows) != 1 or "n" not in rows[0]:
            raise ServiceError("answered a COUNT query without one count", url=self.url)
        value = rows[0]["n"].get("value", "")
        try:
            return int(str(value))
        except ValueError:
            raise ServiceError(f"answered a count that is not a number: {value!r}", url=self.url) from None

    # -- internals --

    def _list_graphs(self) -> list[str]:
        from alliance_kg.http import Response

        response: Response = self._client.request(
            "POST", self.url, params={"query": _LIST_GRAPHS}, accept=_RESULTS_JSON, timeout=self.timeout
        )
        self._server = response.headers.get("Server", "")
        _, rows = _results(_json(response.body, response.content_type, self.url), self.url)
        return sorted({row["g"]["value"] for row in rows if row.get("g", {}).get("type") == "uri"})

    def _graphs(self) -> list[str]:
        """The graphs whose union is the default graph: listed once, with the project's four."""
        if self._union is None:
            if self._fixed_graphs is not None:
                self._list_graphs()  # learn the server's name
                self._union = list(self._fixed_graphs)
            else:
                self._union = sorted({*PROJECT_GRAPHS, *self.graph_names()})
        return self._union

    def _dataset(self, graph: str | Sequence[str] | None) -> list[tuple[str, str]]:
        union = self._graphs()
        defaults = union if graph is None else [graph] if isinstance(graph, str) else list(graph)
        return [("default-graph-uri", name) for name in defaults] + [("named-graph-uri", name) for name in union]

    def _timeout_params(self, timeout: float | None) -> list[tuple[str, str]]:
        if timeout is not None and (self._server or "").startswith("Virtuoso"):
            return [("timeout", str(max(1, round(timeout * 1000))))]
        return []

    def _post(self, params: Sequence[tuple[str, str]], accept: str, wait: float, limited: bool) -> Any:
        """Open the answer to a query (a context manager); errors as the module says."""
        return self._client.stream(
            "POST", self.url, params=params, accept=accept, timeout=wait, retry_timeouts=not limited
        )

    def _ask_json(self, params: Sequence[tuple[str, str]], wait: float, limited: bool) -> dict[str, Any]:
        try:
            with self._post(params, _RESULTS_JSON, wait, limited) as answer:
                _check_complete(answer, wait, self.url)
                body = _read(answer, wait, self.url)
                content_type = answer.headers.get("Content-Type", "")
        except ServiceError as error:
            raise _query_error(error, wait) from None
        return _json(body, content_type, self.url)

    def _triples(
        self, params: Sequence[tuple[str, str]], wait: float, deadline: float | None, limited: bool
    ) -> Iterator[tuple[Identifier, Identifier, Identifier]]:
        """Open the answer now (so that errors are raised by ``query``), parse it as it is iterated."""
        try:
            stream = self._post(params, _TRIPLES, wait, limited)
            answer = stream.__enter__()
        except ServiceError as error:
            raise _query_error(error, wait) from None
        try:
            _check_complete(answer, wait, self.url)
        except BaseException:
            stream.__exit__(None, None, None)
            raise
        return _parse_triples(stream, answer, deadline, wait, self.url)

    def _graph_triples(self, graph: str) -> Iterator[tuple[Identifier, Identifier, Identifier]]:
        if self.graph_store_url is not None:
            from alliance_kg.http import HttpTimeout

            try:
                stream = self._client.stream(
                    "GET", self.graph_store_url, params={"graph": graph}, accept=_TRIPLES, timeout=self.timeout
                )
                answer = stream.__enter__()
            except HttpTimeout as error:
                raise _query_error(error, self.timeout) from None
            except ServiceError as error:
                if error.status == 404:  # no such graph: empty
                    return iter(())
                raise
            return _parse_triples(stream, answer, None, self.timeout, self.graph_store_url)
        params = [("query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"), ("default-graph-uri", graph)]
        return self._triples(params, self.timeout, None, False)


# -- prefixes ------------------------------------------------------------------------------------------------------


@functools.cache
def _known_prefixes() -> dict[str, str]:
    """The prefixes a query may use undeclared: those of every other store (see ``store_oxigraph``)."""
    from alliance_kg.store_oxigraph import _default_prefixes

    return _default_prefixes()


def _with_prefixes(text: str) -> str:
    """``text`` with ``PREFIX`` lines for the known prefixes it uses without declaring them."""
    from alliance_kg.sparql_text import undeclared_prefixes

    known = _known_prefixes()
    missing = sorted(prefix for prefix in undeclared_prefixes(text) if prefix in known)
    if not missing:
        return text
    return "".join(f"PREFIX {prefix}: <{known[prefix]}>\n" for prefix in missing) + text


# -- answers -------------------------------------------------------------------------------------------------------


def _query_error(error: ServiceError, wait: float) -> Exception:
    """A 400 (the server could not parse the query) and a timeout are the query's fault: QueryError."""
    from alliance_kg.http import HttpTimeout

    if isinstance(error, HttpTimeout):
        return QueryError(f"query stopped after the {wait:g} s timeout (no answer from {error.url})")
    if error.status == 400:
        return QueryError(f"the server refused the query: {error.message}")
    return error


def _check_complete(answer: HTTPResponse, wait: float, url: str) -> None:
    """Virtuoso answers a query that ran out of time with what it found so far: refuse such an answer."""
    if answer.headers.get("X-SQL-State", "").strip() == "S1TAT":
        message = answer.headers.get("X-SQL-Message", "").strip()
        raise QueryError(f"query stopped after the {wait:g} s timeout ({url}: {message[:120] or 'incomplete answer'})")


def _read(answer: HTTPResponse, wait: float, url: str) -> bytes:
    try:
        return answer.read()
    except TimeoutError:
        raise QueryError(f"query stopped after the {wait:g} s timeout (the answer from {url} stalled)") from None
    except OSError as error:
        raise ServiceError(f"the answer broke off: {error}", url=url) from None


def _json(body: bytes, content_type: str, url: str) -> dict[str, Any]:
    import json

    if "html" in content_type or body.lstrip()[:1] == b"<":
        raise ServiceError(f"answered {content_type or 'a page'}, not SPARQL JSON results", url=url)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ServiceError(f"answered broken JSON ({error})", url=url) from None
    if not isinstance(data, dict) or "head" not in data or not ("results" in data or "boolean" in data):
        raise ServiceError("answered JSON that is not SPARQL results (no head/results)", url=url)
    return data


def _results(data: Mapping[str, Any], url: str) -> tuple[list[str], list[dict[str, Any]]]:
    head = data.get("head") or {}
    results = data.get("results") or {}
    variables = head.get("vars", []) if isinstance(head, dict) else []
    rows = results.get("bindings", []) if isinstance(results, dict) else []
    if not isinstance(variables, list) or not isinstance(rows, list):
        raise ServiceError("answered SPARQL JSON results of the wrong shape", url=url)
    return [str(name) for name in variables], rows


def _rows(
    variables: list[str], rows: list[dict[str, Any]], deadline: float | None, wait: float
) -> Iterator[tuple[Identifier | None, ...]]:
    for row in rows:
        if deadline is not None and time.monotonic() > deadline:
            raise QueryError(f"query stopped after the {wait:g} s timeout")
        yield tuple(_term(row[name]) if name in row else None for name in variables)


_BNODE_LABEL: Final = re.compile(r"[^A-Za-z0-9_]")


def _term(value: Mapping[str, Any]) -> Identifier:
    """The rdflib term of one SPARQL JSON results value (SPARQL 1.1, and Virtuoso's ``typed-literal``)."""
    from rdflib import BNode, Literal, URIRef

    kind = value.get("type")
    text = str(value.get("value", ""))
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        label = text.removeprefix("nodeID://")
        return BNode(_BNODE_LABEL.sub("_", label) or "b")
    if kind in ("literal", "typed-literal"):
        language = value.get("xml:lang")
        if language:
            return Literal(text, lang=str(language))
        datatype = value.get("datatype")
        if datatype and datatype not in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(text, datatype=URIRef(str(datatype)))
        return Literal(text)
    raise QueryError(f"cannot read a SPARQL results value of type {kind!r} (RDF-star triples are not supported)")


def _parse_triples(
    stream: Any, answer: HTTPResponse, deadline: float | None, wait: float, url: str
) -> Iterator[tuple[Identifier, Identifier, Identifier]]:
    """Triples parsed by Oxigraph from the open answer as they arrive; the answer is closed at the end."""
    import pyoxigraph as ox

    from alliance_kg.store_oxigraph import from_oxigraph

    content_type = answer.headers.get("Content-Type", "").split(";")[0].strip().lower()
    formats = {
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
        "text/plain": ox.RdfFormat.N_TRIPLES,
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
    }
    try:
        rdf_format = formats.get(content_type)
        if rdf_format is None:
            raise ServiceError(f"answered {content_type or 'no content type'}, not N-Triples or Turtle", url=url)
        parsed = ox.parse(cast("IO[bytes]", _Reader(answer, wait, url)), format=rdf_format)
        try:
            for triple in parsed:
                if deadline is not None and time.monotonic() > deadline:
                    raise QueryError(f"query stopped after the {wait:g} s timeout")
                yield from_oxigraph(triple.subject), from_oxigraph(triple.predicate), from_oxigraph(triple.object)
        except SyntaxError as error:
            raise ServiceError(f"answered malformed RDF ({error})", url=url) from None
        finally:
            del parsed  # pyoxigraph iterators must be dropped by the thread that made them
    finally:
        stream.__exit__(None, None, None)


class _Reader:
    """A binary file over an HTTP answer whose stalls are reported as query timeouts (for Oxigraph's parser)."""

    def __init__(self, answer: HTTPResponse, wait: float, url: str) -> None:
        self._answer = answer
        self._wait = wait
        self._url = url

    def read(self, size: int = -1) -> bytes:
        try:
            return self._answer.read(size if size is not None and size >= 0 else _CHUNK)
        except TimeoutError:
            raise QueryError(f"query stopped after the {self._wait:g} s timeout (the answer stalled)") from None
        except OSError as error:
            raise ServiceError(f"the answer broke off: {error}", url=self._url) from None

    def readable(self) -> bool:
        return True
