"""Worker processes that answer SPARQL queries over an Oxigraph store, and can be killed at a time limit.

A native Oxigraph call cannot be interrupted from Python, so a query that must stop at its time limit runs in
a worker process (``python -c``, importing only this module and pyoxigraph, so it starts fast) that opens the
store itself: an on-disk store read-only, or a copy of the data given as an N-Quads file. :class:`_Pool` keeps
a few of them; a query past its limit gets its worker killed and replaced. The SPARQL endpoint
(:mod:`alliance_kg.endpoint`) serves its queries through a pool, and so does
:class:`~alliance_kg.store_oxigraph.OxigraphStore` for timed queries on an on-disk store.

Requests and answers travel as :class:`multiprocessing.connection.Connection` messages; answers are HTTP-shaped
(status, media type, body) with the body in the format the request's ``Accept`` negotiates (:func:`negotiate`).
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final

from alliance_kg.errors import EndpointError

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "negotiate"]

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
    from alliance_kg.sparql_text import has_dataset_clause

    options: dict[str, Any] = {"prefixes": dict(prefixes)}
    if request.default_graphs:
        options["default_graph"] = [ox.NamedNode(iri) for iri in request.default_graphs]
    elif not has_dataset_clause(request.query):  # a FROM clause chooses the dataset itself
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
            [sys.executable, "-c", "from alliance_kg.query_workers import _worker_main; _worker_main()"],
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
