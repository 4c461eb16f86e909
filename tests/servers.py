"""Real SPARQL servers for the tests, on 127.0.0.1 and free ports, with their data in a temporary folder.

* Oxigraph server: ``oxigraph serve --location DIR --bind 127.0.0.1:PORT`` (the ``oxigraph`` package on PyPI
  installs the command beside this venv's Python); query endpoint ``/query``, Graph Store endpoint ``/store``.
* OpenLink Virtuoso 7 (Debian's ``virtuoso-opensource-7-bin``): ``virtuoso-t -f -c virtuoso.ini`` with an INI
  written here (database, log and transaction files in the folder; the SQL and HTTP ports free ports on
  127.0.0.1; ``DirsAllowed`` the folder only), then the ``dba`` password is changed to a random one with
  ``isql-vt``. Query endpoint ``/sparql``; Graph Store endpoint ``/sparql-graph-crud-auth`` (HTTP Digest, user
  ``dba``). It answers SPARQL a few seconds after it starts.

:func:`shared_server` starts each server once for the whole session, however many test modules ask, and stops
it when the last one is done. A missing binary skips the tests that need it, saying which, except under
``CI=true``, where it fails them (CI installs both: ``.ci/run``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

__all__ = [
    "SERVER_NAMES",
    "Server",
    "free_port",
    "require_binary",
    "shared_release",
    "shared_server",
    "start_oxigraph",
    "start_virtuoso",
]

SERVER_NAMES = ("oxigraph", "virtuoso")
_START_TIMEOUT = 90.0


@dataclass
class Server:
    """A running server: its endpoints, the credentials of its Graph Store endpoint, its process and log."""

    name: str
    query_url: str
    graph_store_url: str
    process: subprocess.Popen[bytes]
    log: Path
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop the process this helper started (by its own handle: nothing else is touched)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def require_binary(name: str, *, package: str) -> str:
    """The path of the command ``name``: this venv's bin folder first, then ``PATH``.

    Missing: fails the test under ``CI=true`` (CI installs it), else skips it naming ``package``.
    """
    beside = Path(sys.executable).parent / name
    path = str(beside) if beside.is_file() and os.access(beside, os.X_OK) else shutil.which(name)
    if path is None:
        message = f"{name} is not installed (install {package})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI must install it (.ci/run)", pytrace=False)
        pytest.skip(message)
    return path


def _answers_sparql(url: str) -> bool:
    data = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Accept": "application/sparql-results+json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as answer:
            return bool(answer.status == 200 and b"boolean" in answer.read())
    except (OSError, urllib.error.URLError):
        return False


def _wait_until_up(server: Server, timeout: float = _START_TIMEOUT) -> Server:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}")
        if _answers_sparql(server.query_url):
            return server
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"{server.name} did not answer SPARQL within {timeout:g} s:\n{server.log_tail()}")


def start_oxigraph(folder: Path) -> Server:
    """``oxigraph serve`` on a free port of 127.0.0.1 with its store in ``folder``."""
    binary = require_binary("oxigraph", package="the oxigraph package from PyPI: pip install oxigraph")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            # --timeout-s: Oxigraph server has no timeout per request; this stops a runaway query on its side
            [binary, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}", "--timeout-s", "10"],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    base = f"http://127.0.0.1:{port}"
    server = Server("oxigraph", f"{base}/query", f"{base}/store", process, log)
    return _wait_until_up(server)


def virtuoso_ini(folder: Path, http_port: int, sql_port: int) -> str:
    """A Virtuoso 7 configuration with every file in ``folder`` and both ports on 127.0.0.1."""
    return f"""\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
VADInstallDir = {folder}/vad

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/www
ServerThreads = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
Charset = UTF-8

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
"""


def start_virtuoso(folder: Path) -> Server:
    """``virtuoso-t -f -c virtuoso.ini`` with a fresh database in ``folder``; ``dba`` gets a random password."""
    binary = require_binary("virtuoso-t", package="Debian's virtuoso-opensource-7-bin")
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("www", "vad"):
        (folder / sub).mkdir(exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(folder, http_port, sql_port), encoding="utf-8")
    log = folder / "virtuoso-t.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "-f", "-c", str(ini)], cwd=folder, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    base = f"http://127.0.0.1:{http_port}"
    server = Server(
        "virtuoso", f"{base}/sparql", f"{base}/sparql-graph-crud-auth", process, log, user="dba", password="dba"
    )
    _wait_until_up(server)
    isql = shutil.which("isql-vt")
    if isql is not None:  # the same Debian package: a password of its own, not the well-known default
        password = secrets.token_hex(12)
        result = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec=USER_SET_PASSWORD('dba', '{password}');"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        if result.returncode == 0:
            server.password = password
    return server


_STARTERS: dict[str, Callable[[Path], Server]] = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}
_RUNNING: dict[str, Server] = {}
_USERS: dict[str, int] = {}
_RELEASE: list[Path] = []


@contextlib.contextmanager
def shared_server(name: str, factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The server ``name`` (see :data:`SERVER_NAMES`), started once for every test module that asks."""
    if name not in _RUNNING:
        _RUNNING[name] = _STARTERS[name](factory.mktemp(f"{name}-server"))
    _USERS[name] = _USERS.get(name, 0) + 1
    try:
        yield _RUNNING[name]
    finally:
        _USERS[name] -= 1
        if _USERS[name] == 0:
            _RUNNING.pop(name).stop()


def shared_release(factory: pytest.TempPathFactory) -> Path:
    """A release folder built once per session by ``alliance_kg.build.build`` (about 8 s)."""
    if not _RELEASE:
        from alliance_kg.build import build

        _RELEASE.append(build(factory.mktemp("release") / "dist").out_dir)
    return _RELEASE[0]
