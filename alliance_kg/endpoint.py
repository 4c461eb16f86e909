"""A read-only SPARQL 1.1 Protocol endpoint over the knowledge graph, evaluated by Oxigraph (pyoxigraph).

Dataset layout (what a client sees)
-----------------------------------
Three named graphs, :data:`~alliance_kg.namespaces.GRAPH_ONTOLOGY`, :data:`~alliance_kg.namespaces.GRAPH_FACTS`
(the asserted facts) and :data:`~alliance_kg.namespaces.GRAPH_INFERRED` (what OWL-RL reasoning adds). **The
default graph is the union of the three**, so plain queries see everything; ``GRAPH <...> { }`` (or the
protocol's ``default-graph-uri`` / ``named-graph-uri``) selects one. The prefixes of the data files
(``akg:``, ``plant:``, ``manufacturer:``...) may be used without ``PREFIX`` lines.

Protocol
--------
``GET /query?query=...`` and ``POST /query`` (form-encoded ``query=...`` or a ``application/sparql-query``
body); ``/sparql`` is the same. Results by content negotiation (``Accept``): SELECT and ASK as SPARQL JSON
(default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle (default), N-Triples, JSON-LD or RDF/XML; 406
when nothing acceptable is offered. CORS: every answer allows any origin (``--no-cors`` turns it off), and
``OPTIONS`` answers preflight requests. Updates are refused with 403 (``/update``, ``update=``, a
``application/sparql-update`` body, an update sent as a query) and PUT/DELETE/PATCH with 405: the data is
never changed. Malformed queries get 400 with the parser's message.

Federated queries are refused (403): Oxigraph would send a ``SERVICE`` clause's request itself, which would let
anyone who can reach the endpoint (any web page, with CORS) make this machine call other hosts. The check is
deliberately coarse: after undoing ``\\uXXXX`` escapes (as SPARQL parsers do), any query with the word
``SERVICE`` outside a variable or prefixed name is refused, even inside a string; use ``alliance-kg query
--allow-service`` for federation.

A new graph swapped in while serving
------------------------------------
Serving an on-disk store (``alliance-kg serve --store oxigraph:PATH``), the endpoint follows the builds that
swap a new store in at ``PATH`` (``alliance-kg build --store oxigraph:PATH``) without a restart and without an
error: each worker holds one *generation* of the store (the folder ``PATH`` named when it opened it, held by a
directory descriptor), moves to the new folder before its next query, and idle workers move within a second
(:mod:`alliance_kg.query_workers`). So every answer is the answer of exactly one graph, the old or the new,
never a mix of both, and a query that starts after the swap is answered from the new graph. The old folder,
deleted by the build, keeps its disk space until the last worker lets go of it. :meth:`Endpoint.switch`
points the endpoint at another store folder (``alliance-kg serve`` without ``--store`` does so when the data
files change and the default store is rebuilt).

Why not ``oxigraph serve-read-only``
------------------------------------
Oxigraph's own server (PyPI ``oxigraph`` 0.5.13) was the first choice. Measured against it: with
``--timeout-s 2``, a cross-product query with ``ORDER BY`` kept running at 100 % CPU (3.3 GB after 40 s)
long after the timeout, and a query cancelled while streaming answered ``200 OK`` with a truncated body
ending in "The SPARQL operation has been cancelled". The issue asks for a timeout that really stops the
query and a clear error, so queries are evaluated by the same engine (pyoxigraph, the Python binding of
Oxigraph) in a small pool of worker *processes*, behind a small threaded HTTP front end: a query that
outlives its timeout has its worker process killed (which certainly stops it and frees its memory),
answers ``503`` with a plain message, and a fresh worker takes its place while the other workers go on
answering other clients. A query still running after a second has its worker's CPU priority lowered (``nice``
19) until it answers, so that a few runaway queries slow the short ones down little while they run
(``benchmarks/README.md``, *Load*).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from alliance_kg.errors import EndpointError
from alliance_kg.named_queries import is_update, mentions_service
from alliance_kg.query_workers import _Pool, _Request, _Response, _text, negotiate

if TYPE_CHECKING:
    from alliance_kg.knowledge_graph import KnowledgeGraph

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "Endpoint",
    "mentions_service",
    "negotiate",
    "running",
    "write_dataset",
]

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 7878
#: Seconds a query may run before its worker is killed.
DEFAULT_TIMEOUT: Final = 30.0
#: Address space each worker process may use (MiB): a runaway query fails instead of exhausting memory.
DEFAULT_MEMORY_LIMIT_MB: Final = 2048
#: Largest request body accepted (bytes).
MAX_BODY: Final = 1_000_000
#: The named graphs of the store (``GRAPH ?g {}`` reads Oxigraph's list of graphs: no scan of the triples).
_GRAPH_NAMES: Final = "SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"


def write_dataset(kg: KnowledgeGraph, folder: Path) -> Path:
    """Write the knowledge graph's named graphs as one N-Quads file in ``folder`` (the store's own
    serialiser); return its path."""
    path = folder / "alliance-kg.nq"
    with path.open("wb") as out:
        kg.store.dump(None, "nquads", out)
    return path


def _on_disk(kg: KnowledgeGraph) -> Path | None:
    """The folder of the on-disk Oxigraph store ``kg`` reads, which workers can open read-only themselves."""
    path = getattr(kg.store, "path", None)
    if kg.store.kind == "oxigraph" and isinstance(path, Path) and path.is_dir():
        return path
    return None


# -- worker processes -------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "alliance-kg-sparql"

    # -- plumbing -----------------------------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.endpoint.log:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def _send(self, status: int, content_type: str, body: bytes, extra: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept, Origin")
        if self.server.endpoint.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", "Content-Type, Content-Length")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _plain(self, status: int, message: str, extra: Mapping[str, str] | None = None) -> None:
        self._send(status, *_text(status, message)[1:], extra=extra)

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding"):
            self._plain(411, "a request body needs a Content-Length (chunked transfer is not supported)")
            self.close_connection = True
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self._plain(400, "Content-Length is not a whole number of bytes")
            self.close_connection = True
            return None
        if length > MAX_BODY:
            self._plain(413, f"request body larger than {MAX_BODY} bytes")
            self.close_connection = True
            return None
        return self.rfile.read(length) if length > 0 else b""

    # -- methods --------------------------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:
        extra = {"Allow": "GET, POST, HEAD, OPTIONS"}
        if self.server.endpoint.cors:
            extra |= {
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, Accept",
                "Access-Control-Max-Age": "86400",
            }
        self._send(204, "text/plain", b"", extra)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        fields = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", "") and "query" not in fields:
            self._plain(200, self.server.endpoint.about())
            return
        if url.path not in ("/", "/query", "/sparql"):
            if url.path == "/update":
                self._refuse_update()
            else:
                self._plain(404, f"no such resource {url.path!r}; the SPARQL endpoint is /query")
            return
        self._answer(fields)

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        body = self._read_body()
        if body is None:
            return
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if url.path == "/update" or content_type == "application/sparql-update":
            self._refuse_update()
            return
        if url.path not in ("/", "/query", "/sparql"):
            self._plain(404, f"no such resource {url.path!r}; the SPARQL endpoint is /query")
            return
        fields = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if content_type == "application/sparql-query":
            try:
                fields["query"] = [body.decode("utf-8")]
            except UnicodeDecodeError:
                self._plain(400, "the query is not valid UTF-8")
                return
        elif content_type in ("application/x-www-form-urlencoded", ""):
            try:
                form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                self._plain(400, "the form is not valid UTF-8")
                return
            for key, values in form.items():
                fields.setdefault(key, []).extend(values)
        else:
            self._plain(415, f"unsupported Content-Type {content_type!r}: use application/sparql-query or a form")
            return
        self._answer(fields)

    def do_PUT(self) -> None:
        self._plain(405, "this SPARQL endpoint is read-only: nothing can be changed", {"Allow": "GET, POST, HEAD"})

    do_DELETE = do_PUT
    do_PATCH = do_PUT

    def _refuse_update(self) -> None:
        self._plain(403, "SPARQL updates are refused: this endpoint is read-only and the data was not changed")

    def _answer(self, fields: Mapping[str, list[str]]) -> None:
        if "update" in fields:
            self._refuse_update()
            return
        queries = fields.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._plain(400, "give exactly one non-empty 'query' parameter (SPARQL 1.1 Protocol)")
            return
        text = queries[0]
        if is_update(text):
            self._refuse_update()
            return
        if mentions_service(text):
            self._plain(403, "SERVICE (federated queries) is refused by this endpoint: it never calls other hosts")
            return
        request = _Request(
            query=text,
            accept=self.headers.get("Accept"),
            default_graphs=tuple(fields.get("default-graph-uri", [])),
            named_graphs=tuple(fields.get("named-graph-uri", [])),
        )
        self._send(*self.server.endpoint.execute(request))


# -- the endpoint ------------------------------------------------------------------------------------------------


class Endpoint:
    """A read-only SPARQL endpoint over a knowledge graph; see the module docstring for what it serves.

    ::

        with Endpoint(kg, port=0) as endpoint:   # port 0: any free port
            print(endpoint.url)                  # http://127.0.0.1:PORT/query

    ``timeout`` (seconds) bounds each query, ``workers`` is the number of queries evaluated at once,
    ``memory_limit_mb`` caps each worker's address space (None or 0: no cap; a query that needs more fails
    with 500 and its worker is replaced), ``cors`` allows browser pages from any origin, ``log`` writes one
    line per request to stderr.
    The data is copied into a fresh temporary folder at :meth:`start` and removed at :meth:`stop`.
    """

    def __init__(
        self,
        kg: KnowledgeGraph | None = None,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        timeout: float = DEFAULT_TIMEOUT,
        workers: int | None = None,
        memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB,
        cors: bool = True,
        log: bool = False,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self._kg = kg
        self.host = host
        self.port = port
        self.timeout = float(timeout)
        self.workers = workers or max(2, min(4, os.cpu_count() or 2))
        self.cors = cors
        self.log = log
        self.memory_limit_mb = memory_limit_mb or None
        self._folder: Path | None = None
        self._pool: _Pool | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._graphs: Sequence[str] = ()

    @property
    def url(self) -> str:
        """The query URL, ``http://HOST:PORT/query``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/query"

    def about(self) -> str:
        """The text served at ``/``: what the endpoint serves and how to ask it."""
        graphs = "\n".join(f"  <{name}>" for name in self.graph_names())
        return (
            "alliance-kg read-only SPARQL 1.1 endpoint\n\n"
            f"Query URL: {self.url} (GET ?query=... or POST)\n"
            "Default graph: the union of the named graphs below; GRAPH <...> selects one.\n"
            f"Named graphs:\n{graphs}\n"
            f"Per-query timeout: {self.timeout:g} s. Updates are refused (403).\n"
        )

    def graph_names(self) -> Sequence[str]:
        """The named graphs served now (asked of the store, which a build may have replaced since the start)."""
        if self._pool is None or not self._pool.data_path.is_dir():
            return self._graphs
        status, _, body = self._pool.run(_Request(_GRAPH_NAMES, "text/tab-separated-values"), self.timeout)
        if status != 200:
            return self._graphs
        rows = body.decode("utf-8").splitlines()[1:]
        return [row.strip()[1:-1] for row in rows if row.startswith("<")]

    @property
    def data_path(self) -> Path | None:
        """The store folder (or N-Quads copy) the workers answer from; None when the endpoint is not running."""
        return self._pool.data_path if self._pool is not None else None

    def switch(self, store: Path) -> None:
        """Serve the on-disk Oxigraph store in the folder ``store`` from now on: queries that start after this
        returns are answered from it (each worker moves before its next query, idle ones at once); queries
        running go on with the store they started on."""
        if self._pool is None:
            raise EndpointError("the endpoint is not running")
        if not store.is_dir():
            raise EndpointError(f"no Oxigraph store at {store}")
        self._pool.switch(store)

    def execute(self, request: _Request) -> _Response:
        """Answer one protocol request (used by the HTTP handler)."""
        if self._pool is None:
            return _text(503, "the endpoint is not running")
        return self._pool.run(request, self.timeout)

    def start(self) -> Endpoint:
        """Copy the data, start the workers and the HTTP server (in a background thread); return ``self``."""
        from alliance_kg.knowledge_graph import load

        kg = self._kg if self._kg is not None else load()
        self._folder = Path(tempfile.mkdtemp(prefix="alliance-kg-endpoint-"))
        try:
            data = _on_disk(kg) or write_dataset(kg, self._folder)
            prefixes = kg.prefixes()
            limit = self.memory_limit_mb * 1024 * 1024 if self.memory_limit_mb else None
            self._pool = _Pool(data, self.workers, prefixes, limit)
            self._graphs = self.graph_names() if data.is_dir() else kg.store.graph_names()
            self._server = _Server((self.host, self.port), self)
        except BaseException:
            self.stop()
            raise
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, name="alliance-kg-endpoint", daemon=True)
        self._thread.start()
        return self

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C raises KeyboardInterrupt here)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def stop(self) -> None:
        """Stop the HTTP server and the workers, and remove the data copy."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    @property
    def restarts(self) -> int:
        """How many workers were replaced (after a timeout or a crash)."""
        return self._pool.restarts if self._pool is not None else 0

    def __enter__(self) -> Endpoint:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._server is not None else "stopped"
        return f"<Endpoint {self.url} ({state}, timeout {self.timeout:g} s, {self.workers} workers)>"


@contextlib.contextmanager
def running(kg: KnowledgeGraph | None = None, **options: Any) -> Iterator[Endpoint]:
    """``with running(kg, port=0) as endpoint:`` a started :class:`Endpoint`, stopped on exit."""
    endpoint = Endpoint(kg, **options).start()
    try:
        yield endpoint
    finally:
        endpoint.stop()
