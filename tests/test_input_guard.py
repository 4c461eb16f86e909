"""No network or file access the user did not ask for, while a load or query runs (alliance_kg/guard.py).

Each hostile input points somewhere a parser or query engine would go on its own: a JSON-LD ``@context`` at the
cloud metadata address or at ``file:///etc/passwd``, ``owl:imports`` at both, ``SERVICE`` at loopback, a private
address, an IPv4-mapped IPv6 loopback and a local server that redirects. Every one is refused before a connection
is attempted: a real listening socket on 127.0.0.1 stands where the request would go and must see nothing, and an
audit hook of the test counts the network events (``socket.connect``, ``socket.getaddrinfo``) that ran.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import sys
import threading
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from alliance_kg.errors import InputError, QueryError
from alliance_kg.guard import WATCHED_EVENTS, AccessRefused, guarded
from alliance_kg.store import MemoryStore, Store
from alliance_kg.store_oxigraph import OxigraphStore

G = "http://example.org/graph/g"
STORES: dict[str, Callable[[], Store]] = {"memory": MemoryStore, "oxigraph": OxigraphStore}
METADATA = "http://169.254.169.254/latest/meta-data/"
SECRET_MARKER = "s3cr3t-do-not-leak"

# -- what the process does: an audit hook of the test's own ------------------------------------------------------

_seen: Counter[str] | None = None


def _record(event: str, args: tuple[object, ...]) -> None:
    if _seen is None or event not in WATCHED_EVENTS:
        return
    if event == "open":
        name = str(args[0]) if args else ""
        if "passwd" not in name and "secret" not in name:
            return  # Python reading its own modules
    _seen[event] += 1
    if event == "socket.connect" and isinstance(args[1], tuple) and not str(args[1][0]).endswith("127.0.0.1"):
        raise RuntimeError(f"test safety net: a connection to {args[1]!r} (the guard failed)")


sys.addaudithook(_record)  # cannot be removed: it records only while a test's `audit` fixture runs


@pytest.fixture
def audit() -> Iterator[Counter[str]]:
    global _seen
    _seen = Counter()
    try:
        yield _seen
    finally:
        _seen = None


NETWORK = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "http.client.connect")


def network_events(seen: Counter[str]) -> int:
    return sum(seen[name] for name in NETWORK)


# -- a listening socket that must see nothing, and a server that redirects to it ---------------------------------


class Sink:
    """A TCP socket listening on 127.0.0.1: :meth:`connections` says how many connections reached it."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.setblocking(False)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"

    def connections(self) -> int:
        count = 0
        while True:
            try:
                connection, _ = self.socket.accept()
            except BlockingIOError:
                return count
            connection.close()
            count += 1


@pytest.fixture
def sink() -> Iterator[Sink]:
    listening = Sink()
    try:
        yield listening
    finally:
        listening.socket.close()


class Redirector:
    """An HTTP server on 127.0.0.1 that answers every request with a redirect to ``target``."""

    def __init__(self, target: str) -> None:
        self.hits = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits += 1
                self.send_response(302)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_GET

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def redirector(sink: Sink) -> Iterator[Redirector]:
    server = Redirector(sink.url)
    try:
        yield server
    finally:
        server.close()


def test_the_detectors_work(sink: Sink, redirector: Redirector, audit: Counter[str]) -> None:
    """Outside a guarded section the network is not touched by the guard: the redirect is followed to the sink
    (so the tests below, where the sink sees nothing, can fail), and the audit hook counts the connections."""
    with pytest.raises(OSError, match="timed out"):  # the sink accepts and never answers
        urllib.request.urlopen(redirector.url, timeout=0.5)
    assert redirector.hits == 1
    assert sink.connections() == 1
    assert audit["socket.connect"] >= 2


# -- JSON-LD @context ----------------------------------------------------------------------------------------------


def jsonld(context: str) -> str:
    return f'{{"@context": "{context}", "@id": "http://example.org/a", "name": "x"}}'


@pytest.mark.parametrize("kind", STORES)
def test_a_remote_jsonld_context_is_refused(
    tmp_path: Path, kind: str, sink: Sink, redirector: Redirector, audit: Counter[str]
) -> None:
    for context in (METADATA, sink.url, redirector.url):
        path = tmp_path / "remote-context.jsonld"
        path.write_text(jsonld(context), encoding="utf-8")
        store = STORES[kind]()
        with pytest.raises(InputError) as caught:
            store.load(path, G)
        assert caught.value.path == path
        assert store.count() == 0
    assert network_events(audit) == 0
    assert sink.connections() == 0
    assert redirector.hits == 0


@pytest.mark.parametrize("kind", STORES)
def test_a_file_jsonld_context_is_refused(tmp_path: Path, kind: str, audit: Counter[str]) -> None:
    secret = tmp_path / "secret-context.jsonld"  # a real context: were it read, "name" would map to the marker
    secret.write_text(f'{{"@context": {{"name": "http://example.org/{SECRET_MARKER}"}}}}', encoding="utf-8")
    audit.clear()
    for context, name in (("file:///etc/passwd", "/etc/passwd"), (secret.as_uri(), str(secret))):
        path = tmp_path / "file-context.jsonld"
        path.write_text(jsonld(context), encoding="utf-8")
        store = STORES[kind]()
        with pytest.raises(InputError) as caught:
            store.load(path, G)
        assert caught.value.path == path
        assert SECRET_MARKER not in str(caught.value)
        assert "root:" not in str(caught.value)
        assert store.count() == 0
        if kind == "memory":  # rdflib tried to open the context: the guard stopped it
            assert isinstance(caught.value, AccessRefused)
            assert f"the file {name} (open)" in str(caught.value)
    if kind == "oxigraph":  # Oxigraph loads no remote context: it did not even try
        assert audit["open"] == 0


def test_the_memory_store_refusal_comes_from_the_guard(tmp_path: Path) -> None:
    path = tmp_path / "context.jsonld"
    path.write_text(jsonld("file:///etc/passwd"), encoding="utf-8")
    with pytest.raises(AccessRefused, match=r"refused to reach the file /etc/passwd") as caught:
        MemoryStore().load(path, G)
    assert caught.value.path == path


# -- owl:imports is never followed ---------------------------------------------------------------------------------

IMPORTS_TURTLE = (
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    f"<http://example.org/onto> a owl:Ontology ; owl:imports <{METADATA}> , <file:///etc/passwd> , <SINK> .\n"
)
IMPORTS_XML = (
    '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    ' xmlns:owl="http://www.w3.org/2002/07/owl#">\n'
    '<owl:Ontology rdf:about="http://example.org/onto">\n'
    f'<owl:imports rdf:resource="{METADATA}"/>\n<owl:imports rdf:resource="file:///etc/passwd"/>\n'
    '<owl:imports rdf:resource="SINK"/>\n</owl:Ontology>\n</rdf:RDF>\n'
)
IMPORTS_JSONLD = (
    '{"@id": "http://example.org/onto", "@type": "http://www.w3.org/2002/07/owl#Ontology",'
    f' "http://www.w3.org/2002/07/owl#imports": [{{"@id": "{METADATA}"}}, {{"@id": "file:///etc/passwd"}},'
    ' {"@id": "SINK"}]}'
)


@pytest.mark.parametrize("kind", STORES)
@pytest.mark.parametrize(
    ("suffix", "text"), [(".ttl", IMPORTS_TURTLE), (".rdf", IMPORTS_XML), (".jsonld", IMPORTS_JSONLD)]
)
def test_owl_imports_are_names_not_fetched(
    tmp_path: Path, kind: str, suffix: str, text: str, sink: Sink, audit: Counter[str]
) -> None:
    path = tmp_path / ("imports" + suffix)
    path.write_text(text.replace("SINK", sink.url), encoding="utf-8")
    store = STORES[kind]()
    store.load(path, G)
    assert store.count(G) == 4  # the ontology's type and its three imports, nothing imported
    answer = store.query("SELECT ?o WHERE { ?s <http://www.w3.org/2002/07/owl#imports> ?o }")
    assert sorted(str(row[0]) for row in answer) == sorted([METADATA, "file:///etc/passwd", sink.url])
    assert network_events(audit) == 0
    assert audit["open"] == 0
    assert sink.connections() == 0


# -- SERVICE -------------------------------------------------------------------------------------------------------


def service_targets(sink: Sink, redirector: Redirector) -> list[str]:
    return [
        sink.url,  # loopback
        "http://10.1.2.3/sparql",  # a private address
        f"http://[::ffff:127.0.0.1]:{sink.port}/sparql",  # loopback written as an IPv4-mapped IPv6 address
        redirector.url,  # a local server that would redirect (to the sink)
    ]


def service_query(endpoint: str) -> str:
    return f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("kind", STORES)
def test_service_is_refused_by_every_store(kind: str, sink: Sink, redirector: Redirector, audit: Counter[str]) -> None:
    store = STORES[kind]()
    store.load(b"<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n", G, format="nt")
    for endpoint in service_targets(sink, redirector):
        with pytest.raises(QueryError, match="SERVICE"):
            store.query(service_query(endpoint)).rows()
    assert network_events(audit) == 0
    assert sink.connections() == 0
    assert redirector.hits == 0


def test_the_guard_refuses_service_when_the_policy_is_bypassed(
    sink: Sink, redirector: Redirector, audit: Counter[str]
) -> None:
    """The second line: rdflib evaluating SERVICE itself (no alliance-kg policy in front) inside a guarded
    section is stopped at ``urllib.Request``, before any name lookup or connection."""
    graph = Graph()
    for endpoint in service_targets(sink, redirector):
        with pytest.raises(AccessRefused) as caught, guarded("a query") as section:
            list(graph.query(service_query(endpoint)))
        assert "refused to reach" in str(caught.value)
        assert section.refused, endpoint
        assert section.refused[0].endswith("(urllib.Request)")
        assert all(section.events.get(name, 0) == 0 for name in NETWORK)
    assert network_events(audit) == 0
    assert sink.connections() == 0
    assert redirector.hits == 0


def test_an_allowed_host_is_reached_and_a_redirect_elsewhere_is_not(
    sink: Sink, redirector: Redirector, audit: Counter[str]
) -> None:
    """A section may allow the exact host the user named: the request reaches it, but its redirect to another
    host (a private address) is refused before connecting."""
    far = Redirector("http://10.1.2.3/sparql")
    try:
        with pytest.raises(AccessRefused, match=r"10\.1\.2\.3"), guarded("a query", hosts=["127.0.0.1"]) as section:
            urllib.request.urlopen(far.url, timeout=2)
        assert far.hits == 1  # the allowed host was reached
        assert section.refused == ["10.1.2.3 (urllib.Request)"]
    finally:
        far.close()
    assert audit["socket.connect"] == 1  # to the allowed host only
    assert sink.connections() == 0
    assert redirector.hits == 0


def test_a_host_allowed_by_name_is_reached_at_its_address(sink: Sink) -> None:
    """A connection names an address: a host allowed by name (``localhost``) is reached at the address it
    resolves to, and nothing else is."""
    far = Redirector("http://10.1.2.3/sparql")
    port = far.server.server_address[1]
    try:
        with pytest.raises(AccessRefused, match=r"10\.1\.2\.3"), guarded("a query", hosts=["localhost"]):
            urllib.request.urlopen(f"http://localhost:{port}/sparql", timeout=2)
        assert far.hits == 1
        with pytest.raises(AccessRefused, match=r"127\.0\.0\.1"), guarded("a query", hosts=["10.9.9.9"]):
            urllib.request.urlopen(far.url, timeout=2)
        assert far.hits == 1
    finally:
        far.close()
    assert sink.connections() == 0


def test_a_file_that_is_not_an_input_is_refused_and_an_input_is_not(tmp_path: Path) -> None:
    mine = tmp_path / "input.ttl"
    mine.write_text("# nothing\n", encoding="utf-8")
    other = tmp_path / "secret.txt"
    other.write_text(SECRET_MARKER, encoding="utf-8")
    with guarded("parsing", path=mine):
        assert mine.read_text(encoding="utf-8") == "# nothing\n"
    with pytest.raises(AccessRefused, match=r"secret\.txt") as caught, guarded("parsing", path=mine):
        other.read_text(encoding="utf-8")
    assert SECRET_MARKER not in str(caught.value)
    with pytest.raises(AccessRefused), guarded("parsing", path=mine):
        mine.write_text("changed", encoding="utf-8")  # an input is read, never written
    assert mine.read_text(encoding="utf-8") == "# nothing\n"


def test_a_swallowed_refusal_is_raised_at_the_end_of_the_section(tmp_path: Path) -> None:
    def swallowing_library() -> None:
        with contextlib.suppress(Exception):
            (tmp_path / "secret.txt").read_text(encoding="utf-8")

    with pytest.raises(AccessRefused, match="secret"), guarded("parsing"):
        swallowing_library()


def test_outside_a_section_nothing_is_refused(sink: Sink) -> None:
    """The explicit network commands (link, enrich, publish, sparql:URL stores, allowed SERVICE) run outside any
    guarded section: the hook lets them through."""
    with socket.create_connection(("127.0.0.1", sink.port), timeout=2):
        pass
    assert sink.connections() == 1
