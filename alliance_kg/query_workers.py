"""Worker processes that answer SPARQL queries over an Oxigraph store, and can be killed at a time limit.

A native Oxigraph call cannot be interrupted from Python, so a query that must stop at its time limit runs in
a worker process (``python -c``, importing only this module and pyoxigraph, so it starts fast) that opens the
store itself: an on-disk store read-only, or a copy of the data given as an N-Quads file. :class:`_Pool` keeps
a few of them; a query past its limit gets its worker killed and replaced. The SPARQL endpoint
(:mod:`alliance_kg.endpoint`) serves its queries through a pool, and so does
:class:`~alliance_kg.store_oxigraph.OxigraphStore` for timed queries on an on-disk store.

Requests and answers travel as :class:`multiprocessing.connection.Connection` messages; answers are HTTP-shaped
(status, media type, body) with the body in the format the request's ``Accept`` negotiates (:func:`negotiate`).

A new store swapped in while the workers run
--------------------------------------------
``alliance-kg build --store oxigraph:PATH`` fills a new folder beside ``PATH``, renames the old folder aside,
renames the new one to ``PATH`` and deletes the old one (:func:`alliance_kg.atomic.swap_folder`). A worker
opens a store *generation*: it opens the folder ``PATH`` names as a directory descriptor, and RocksDB through
``/proc/self/fd/N``, so every file it ever opens comes from that one directory, whatever ``PATH`` names later
(opened by its path, a file RocksDB opens lazily after a swap would come from the new folder: the SST file
numbers of two builds coincide). Before each query the worker compares ``PATH``'s (device, inode) with the
folder it holds (one ``stat``; the inode cannot be reused while the worker holds it open) and, when a new
folder is there, opens it and closes the old one, so each query runs on exactly one generation, the newest at
the time it starts. The old folder's files stay readable after the build deletes them (POSIX: an unlinked
file lives while a descriptor is open; a store alliance-kg wrote has about one table file per column family,
and every one of them was open as soon as the store was, measured with pyoxigraph 0.5.13 at 10k and 1M
triples: 9 and 13 files), and if a query still fails after its generation was replaced, it is run again, whole,
on the new one. :class:`_Pool` also
looks at ``PATH`` every second and moves idle workers to a new generation, so a deleted generation's disk
space is given back within about a second even when no query comes. :meth:`_Pool.switch` points the workers
at another folder (the default store, rebuilt into a new cache folder when the data files change).
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


class _Generation:  # pragma: no cover - runs in the worker processes
    """The data a worker answers from: one generation of an on-disk store (see the module docstring), or a
    copy of an N-Quads file loaded in memory."""

    def __init__(self, ox: Any, path: str) -> None:
        self.ox = ox
        self.path = path
        self.fd: int | None = None
        self.identity: tuple[int, int] | None = None
        if Path(path).is_dir():
            self.store = self._open_folder(path)
        else:
            self.store = ox.Store()
            self.store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)

    def _open_folder(self, path: str) -> Any:
        """Open the folder ``path`` names now, read-only, through a descriptor of it; it becomes the one held."""
        for _ in range(50):
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
            try:
                status = os.fstat(fd)
                through = f"/proc/self/fd/{fd}"
                pinned = Path(through).is_dir() and os.path.samestat(Path(through).stat(), status)
                store = self.ox.Store.read_only(through if pinned else path)
                if not pinned and _identity(path) != (status.st_dev, status.st_ino):
                    del store  # opened by its path (no /proc) while a swap went on: it may mix two folders
                    os.close(fd)
                    time.sleep(0.01)
                    continue
            except BaseException:
                os.close(fd)
                raise
            old, self.fd = self.fd, fd
            self.path, self.identity = path, (status.st_dev, status.st_ino)
            if old is not None:
                os.close(old)
            return store
        raise OSError(f"{path} kept changing while it was opened")

    def stale(self) -> bool:
        """Whether the store's path now names another folder than the generation held (False while it is
        missing, as between the two renames of a swap: the generation held is then still the newest there is)."""
        if self.identity is None:
            return False
        now = _identity(self.path)
        return now is not None and now != self.identity

    def refresh(self, path: str | None = None) -> None:
        """Hold the newest generation at ``path`` (default: the path held); when it cannot be opened keep the
        one held (it stays readable) and say why on stderr."""
        target = self.path if path is None else path
        if target == self.path and not self.stale():
            return
        if self.identity is None and target == self.path:
            return  # a copy of an N-Quads file: nothing to follow
        try:
            store = self._open_folder(target)
        except Exception as error:
            print(f"alliance-kg worker: kept the store it holds, cannot open {target}: {error}", file=sys.stderr)
            return
        self.store = store  # the previous generation's store is dropped (closed) here


def _identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of the folder ``path`` names now, None when nothing is there."""
    try:
        status = Path(path).stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _worker_main() -> None:  # pragma: no cover - runs in the worker processes
    """A worker process: read its data, then answer queries until its stdin closes.

    Requests come on stdin and answers go on the original stdout, both as :class:`Connection` messages;
    anything else printed goes to stderr. Started as ``python -c`` (never with multiprocessing's spawn, which
    would re-run the caller's ``__main__`` script in each worker). A request is a :class:`_Request` (answered
    with ``(response, identity)``) or ``("refresh", path)`` (answered with ``("refreshed", identity)``); the identity
    is the (device, inode) of the generation held, which no other folder can have while the worker holds it.
    """
    import pyoxigraph as ox

    requests = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # stray output must not corrupt the answers
    data_path, prefixes, memory_limit = requests.recv()
    if memory_limit:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    data = _Generation(ox, data_path)  # an on-disk store is opened read-only, shared by every worker
    answers.send(("ready", data.identity))
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):
            return
        if isinstance(request, tuple):
            data.refresh(request[1])
            response: Any = ("refreshed", data.identity)
        else:
            data.refresh()
            response = (_answer(ox, data, request, prefixes), data.identity)
        try:
            answers.send(response)
        except (EOFError, OSError):
            return


def _answer(
    ox: Any, data: _Generation, request: _Request, prefixes: Mapping[str, str]
) -> _Response:  # pragma: no cover
    """:func:`_execute` on the generation held; a failure after that generation was replaced (and maybe
    deleted) runs the query again, whole, on the new one. A worker never dies on a bad query."""
    try:
        return _execute(ox, data.store, request, prefixes)
    except Exception as error:
        if not data.stale():
            return _text(500, f"query failed: {type(error).__name__}: {error}")
    data.refresh()
    try:
        return _execute(ox, data.store, request, prefixes)
    except Exception as error:
        return _text(500, f"query failed: {type(error).__name__}: {error}")


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

        #: The folder (or file) the worker was last pointed at, and the (device, inode) of the generation it holds.
        self.path = data_path
        self.identity: tuple[int, int] | None = None
        self.demoted = False
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
            ready = self.conn.poll(120) and self.conn.recv()
        except (EOFError, OSError):
            ready = None
        if not (isinstance(ready, tuple) and ready[0] == "ready"):
            self.kill()
            raise RuntimeError("a SPARQL worker process did not start")
        self.identity = ready[1]

    def send(self, request: _Request) -> None:
        self._to.send(request)

    def refresh(self, path: Path, timeout: float = 120.0) -> bool:
        """Have the worker open the newest generation at ``path`` (it keeps the one it holds when it cannot);
        False when the worker did not answer (it should then be replaced)."""
        try:
            self._to.send(("refresh", str(path)))
            answer = self.conn.recv() if self.conn.poll(timeout) else None
        except (EOFError, OSError):
            return False
        if not (isinstance(answer, tuple) and answer[0] == "refreshed"):
            return False
        self.path, self.identity = path, answer[1]
        return True

    def demote(self) -> None:
        """Lower the worker's CPU priority (``nice`` 19), so that a long query takes only the CPU time the
        short queries of the other workers leave."""
        if hasattr(os, "setpriority") and not self.demoted:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)
                self.demoted = True

    def promote(self) -> bool:
        """Give a demoted worker its priority back; False when that is not allowed (raising a priority needs a
        privilege on most systems)."""
        if not self.demoted:
            return True
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, os.getpriority(os.PRIO_PROCESS, 0))
        except OSError:
            return False
        self.demoted = False
        return True

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.wait(5)
        for connection in (self._to, self.conn) if hasattr(self, "conn") else ():
            with contextlib.suppress(Exception):
                connection.close()


def _folder_identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino) if path.is_dir() else None


#: Seconds after which a query still running has its worker's CPU priority lowered (see :meth:`_Pool.run`).
DEMOTE_AFTER: Final = 1.0


class _Pool:
    """Worker processes, each with its own pyoxigraph store; one query at a time per worker.

    A query still running after :data:`DEMOTE_AFTER` seconds has its worker's CPU priority lowered, so that a
    few runaway queries (stopped at their timeout) do not slow the short ones down while they run; the worker
    gets its priority back when it answers, or is replaced by a fresh one when the system does not allow that.

    On an on-disk store, a thread looks at the folder every ``watch`` seconds and moves idle workers to a new
    generation (see the module docstring); busy workers move before their next query.
    """

    def __init__(
        self,
        data_path: Path,
        size: int,
        prefixes: Mapping[str, str],
        memory_limit: int | None = None,
        *,
        watch: float = 1.0,
    ) -> None:
        self._data_path = data_path
        self._prefixes = dict(prefixes)
        self._memory_limit = memory_limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._stopped = threading.Event()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.restarts = 0
        self._started = False  # after the first workers, a worker that cannot start is tried again for a while
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
        self._started = True
        if watch > 0 and data_path.is_dir():
            threading.Thread(target=self._watch, args=(watch,), name="alliance-kg-store-watch", daemon=True).start()

    @property
    def data_path(self) -> Path:
        """The store folder (or N-Quads file) the workers answer from."""
        return self._data_path

    def switch(self, data_path: Path) -> None:
        """Answer every query that starts from now on from the store at ``data_path`` (workers move to it before
        their next query; idle ones at once)."""
        with self._lock:
            self._data_path = data_path
        self._move_idle()

    def _add(self) -> None:
        delay, waited = 0.05, 0.0
        while True:
            try:
                worker = _Worker(self._data_path, self._prefixes, self._memory_limit)
                break
            except RuntimeError:
                # e.g. between the two renames of a swap nothing is at the store's path: try again shortly (for
                # half a minute), but not for the first workers, whose failure __init__ reports
                if not self._started or waited > 30 or self._stopped.wait(delay):
                    return
                waited += delay
                delay = min(2.0, delay * 2)
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker, *, restart: bool = True) -> None:
        """Kill ``worker`` and start another; ``restart``: count it in :attr:`restarts` (after a timeout or
        a crash)."""
        with contextlib.suppress(Exception):
            worker.process.kill()  # at once; waiting for it to end (and free its memory) is left to a thread
        with self._lock:
            self._all.discard(worker)
            self.restarts += restart

        def replace() -> None:
            worker.kill()
            if not self._closed:
                self._add()

        threading.Thread(target=replace, daemon=True).start()

    def _current(self, worker: _Worker) -> bool:
        """Whether ``worker`` holds the newest generation of the pool's store (by a ``stat``, no message)."""
        return worker.path == self._data_path and (
            worker.identity is None or worker.identity == _folder_identity(self._data_path)
        )

    def _move_idle(self) -> None:
        """Move the idle workers that hold an older generation to the newest, one at a time."""
        for _ in range(len(self._all)):
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            if not self._current(worker) and not worker.refresh(self._data_path):
                self._replace(worker)
                continue
            self._idle.put(worker)

    def _watch(self, every: float) -> None:
        # Compared with what each worker holds, not with what this thread saw last: a folder deleted once no
        # worker holds it may give its inode number to the next one, but never while a worker holds it.
        while not self._stopped.wait(every):
            now = _folder_identity(self._data_path)
            with self._lock:
                workers = list(self._all)
            if now is not None and any(worker.identity not in (None, now) for worker in workers):
                self._move_idle()

    def run(self, request: _Request, timeout: float) -> _Response:
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return _text(503, f"the endpoint is busy: no worker became free within {timeout:g} s; try again")
        remaining = max(0.1, timeout - (time.monotonic() - started))
        try:
            if worker.path != self._data_path and not worker.refresh(self._data_path, remaining):
                raise OSError("the worker did not move to the new store")
            worker.send(request)
            answered = worker.conn.poll(min(remaining, DEMOTE_AFTER))
            if not answered and remaining > DEMOTE_AFTER:
                worker.demote()  # a long query yields the CPU to the short ones of the other workers
                answered = worker.conn.poll(remaining - DEMOTE_AFTER)
            if answered:
                response: _Response
                response, worker.identity = worker.conn.recv()
                if worker.promote():
                    self._idle.put(worker)
                else:  # its priority cannot be raised again (no privilege): a fresh worker takes its place
                    self._replace(worker, restart=False)
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
        self._stopped.set()
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()


# -- HTTP front end -------------------------------------------------------------------------------------------
