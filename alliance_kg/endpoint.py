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
answering other clients.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from alliance_kg.errors import EndpointError
from alliance_kg.named_queries import is_update, mentions_service

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

#: media type -> format name, for SELECT/ASK results and for CONSTRUCT/DESCRIBE graphs.
RESULT_TYPES: Final = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
    "application/xml": "XML",
    "text/xml": "XML",
}
GRAPH_TYPES: Final = {
    "text/turtle": "TURTLE",
    "application/turtle": "TURTLE",
    "application/x-turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
    "application/xml": "RDF_XML",
    "text/xml": "RDF_XML",
}
_DEFAULT_TYPE: Final = {"results": "application/sparql-results+json", "graph": "text/turtle"}


def negotiate(accept: str | None, kind: str) -> str | None:
    """The media type to answer with, for ``kind`` ``"results"`` (SELECT/ASK) or ``"graph"``, None if none fits.

    ``accept`` is an HTTP ``Accept`` header: preferences by ``q`` value, then by order; wildcards allowed.
    """
    offered = RESULT_TYPES if kind == "results" else GRAPH_TYPES
    if not accept or not accept.strip():
        return _DEFAULT_TYPE[kind]
    ranges: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        parts = [part.strip() for part in item.split(";")]
        media = parts[0].lower()
        quality = 1.0
        for parameter in parts[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, position, media))
    for _, _, media in sorted(ranges):
        if media in offered:
            return media
        if media == "*/*":
            return _DEFAULT_TYPE[kind]
        if media.endswith("/*"):
            family = media[:-1]
            if _DEFAULT_TYPE[kind].startswith(family):
                return _DEFAULT_TYPE[kind]
            for candidate in offered:
                if candidate.startswith(family):
                    return candidate
    return None


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


@dataclass(frozen=True)
class _Request:
    query: str
    accept: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


_Response = tuple[int, str, bytes]


def _text(status: int, message: str) -> _Response:
    return status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8")


def _worker_main() -> None:  # pragma: no cover - runs in the worker processes
    """A worker process: read its data, then answer queries until its stdin closes.

    Requests come on stdin and answers go on the original stdout, both as :class:`Connection` messages;
    anything else printed goes to stderr. Started as ``python -c`` (never with multiprocessing's spawn, which
    would re-run the caller's ``__main__`` script in each worker).
    """
    import pyoxigraph as ox

    requests = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # stray output must not corrupt the answers
    data_path, prefixes, memory_limit = requests.recv()
    if memory_limit:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    if Path(data_path).is_dir():  # an on-disk Oxigraph store: opened read-only, shared by every worker
        store = ox.Store.read_only(data_path)
    else:
        store = ox.Store()
        store.bulk_load(path=data_path, format=ox.RdfFormat.N_QUADS)
    answers.send("ready")
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):
            return
        try:
            response = _execute(ox, store, request, prefixes)
        except Exception as error:  # never let a worker die on a bad query
            response = _text(500, f"query failed: {type(error).__name__}: {error}")
        try:
            answers.send(response)
        except (EOFError, OSError):
            return


def _execute(ox: Any, store: Any, request: _Request, prefixes: Mapping[str, str]) -> _Response:  # pragma: no cover
    options: dict[str, Any] = {"prefixes": dict(prefixes)}
    if request.default_graphs:
        options["default_graph"] = [ox.NamedNode(iri) for iri in request.default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if request.named_graphs:
        options["named_graphs"] = [ox.NamedNode(iri) for iri in request.named_graphs]
    try:
        result = store.query(request.query, **options)
    except SyntaxError as error:
        return _text(400, f"malformed SPARQL query: {error}")
    except ValueError as error:
        return _text(400, f"bad request: {error}")
    if isinstance(result, ox.QueryTriples):
        media = negotiate(request.accept, "graph")
        if media is None:
            return _text(406, "CONSTRUCT/DESCRIBE answers are offered as " + ", ".join(GRAPH_TYPES))
        body = result.serialize(format=getattr(ox.RdfFormat, GRAPH_TYPES[media]))
    else:
        media = negotiate(request.accept, "results")
        if media is None:
            return _text(406, "SELECT/ASK answers are offered as " + ", ".join(RESULT_TYPES))
        body = result.serialize(format=getattr(ox.QueryResultsFormat, RESULT_TYPES[media]))
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return 200, media + charset, bytes(body or b"")


class _Worker:
    """One worker process (``python -c``), talked to through its stdin and stdout."""

    def __init__(self, data_path: Path, prefixes: Mapping[str, str], memory_limit: int | None) -> None:
        import alliance_kg

        env = dict(os.environ)
        package_root = str(Path(alliance_kg.__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from alliance_kg.endpoint import _worker_main; _worker_main()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        if self.process.stdin is None or self.process.stdout is None:  # pragma: no cover - PIPE always gives both
            raise RuntimeError("a SPARQL worker process has no pipes")
        self._to = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.conn = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        try:
            self._to.send((str(data_path), dict(prefixes), memory_limit))
            ready = self.conn.poll(120) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise RuntimeError("a SPARQL worker process did not start")

    def send(self, request: _Request) -> None:
        self._to.send(request)

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.wait(5)
        for connection in (self._to, self.conn) if hasattr(self, "conn") else ():
            with contextlib.suppress(Exception):
                connection.close()


class _Pool:
    """Worker processes, each with its own pyoxigraph store; one query at a time per worker."""

    def __init__(
        self, data_path: Path, size: int, prefixes: Mapping[str, str], memory_limit: int | None = None
    ) -> None:
        self._data_path = data_path
        self._prefixes = dict(prefixes)
        self._memory_limit = memory_limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        threads = [threading.Thread(target=self._add) for _ in range(size)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if self._idle.qsize() != size:
            self.close()
            raise EndpointError(
                "the SPARQL worker processes did not start (is --memory-limit large enough to load the graph?)"
            )
        self.restarts = 0

    def _add(self) -> None:
        try:
            worker = _Worker(self._data_path, self._prefixes, self._memory_limit)
        except RuntimeError:
            return
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.restarts += 1
        if not self._closed:
            threading.Thread(target=self._add, daemon=True).start()

    def run(self, request: _Request, timeout: float) -> _Response:
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return _text(503, f"the endpoint is busy: no worker became free within {timeout:g} s; try again")
        remaining = max(0.1, timeout - (time.monotonic() - started))
        try:
            worker.send(request)
            if worker.conn.poll(remaining):
                response: _Response = worker.conn.recv()
                self._idle.put(worker)
                return response
        except (EOFError, OSError) as error:
            self._replace(worker)
            return _text(
                500,
                f"the query's worker process failed ({type(error).__name__}), most likely because the query "
                "needed more than the endpoint's memory limit; nothing was changed",
            )
        self._replace(worker)
        return _text(
            503,
            f"query timed out: it ran longer than the endpoint's {timeout:g} s limit and was stopped; "
            "nothing was changed",
        )

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()


# -- HTTP front end -------------------------------------------------------------------------------------------


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
        graphs = "\n".join(f"  <{name}>" for name in self._graphs)
        return (
            "alliance-kg read-only SPARQL 1.1 endpoint\n\n"
            f"Query URL: {self.url} (GET ?query=... or POST)\n"
            "Default graph: the union of the named graphs below; GRAPH <...> selects one.\n"
            f"Named graphs:\n{graphs}\n"
            f"Per-query timeout: {self.timeout:g} s. Updates are refused (403).\n"
        )

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
            self._graphs = kg.store.graph_names()
            prefixes = kg.prefixes()
            limit = self.memory_limit_mb * 1024 * 1024 if self.memory_limit_mb else None
            self._pool = _Pool(data, self.workers, prefixes, limit)
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
