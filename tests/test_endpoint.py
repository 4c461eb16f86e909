"""The read-only SPARQL endpoint: ``alliance-kg serve`` started once on 127.0.0.1, asked by real clients."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

import alliance_kg as akg
from alliance_kg.endpoint import mentions_service, negotiate, running
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY
from alliance_kg.results import QueryResult
from alliance_kg.store import quiet_dataset_warnings

ID = "https://w3id.org/alliance-kg/id/"
TIMEOUT = 3  # the endpoint's per-query limit in these tests (seconds)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
#: ~5e9 solutions counted in constant memory: minutes of work, stopped by the timeout.
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: The same cross product sorted: it needs memory fast, so it meets the memory limit first.
HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i"
PLANTS = "SELECT ?plant WHERE { ?plant a akg:Plant } ORDER BY ?plant"


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("endpoint") / "stderr.txt"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "alliance_kg", "serve", "--port", "0", "--timeout", str(TIMEOUT), "--quiet"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    assert process.stdout is not None
    try:
        line = process.stdout.readline()  # printed once the server listens
        assert "SPARQL endpoint" in line, log.read_text()
        url = line.split()[-1]
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/query")
        yield Server(url, process)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if the server hangs
            process.kill()
            process.wait()
        process.stdout.close()
    assert process.returncode == 0, log.read_text()


def http(
    url: str,
    *,
    query: str | None = None,
    method: str = "GET",
    accept: str | None = None,
    data: bytes | None = None,
    content_type: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    target = url
    if query is not None and method == "GET":
        target = f"{url}?{urllib.parse.urlencode({'query': query})}"
    elif query is not None:
        data = urllib.parse.urlencode({"query": query}).encode()
        content_type = "application/x-www-form-urlencoded"
    request = urllib.request.Request(target, data=data, method=method)
    if accept:
        request.add_header("Accept", accept)
    if content_type:
        request.add_header("Content-Type", content_type)
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def triples(server: Server) -> int:
    status, _, body = http(server.url, query=COUNT)
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# -- dataset layout and protocol ------------------------------------------------------------------------------------


def test_three_named_graphs_and_the_union_as_default_graph(server: Server) -> None:
    status, headers, body = http(
        server.url, query="SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    assert status == 200
    assert headers["Content-Type"] == "application/sparql-results+json"
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(body)["results"]["bindings"]}
    kg = akg.load()
    assert counts == {name: len(kg.store.graph(name)) for name in (GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY)}
    # the default graph is the union: an inferred triple (a property chain) is there without GRAPH
    builds = "ASK { plant:okazaki akg:builds vehicle:nissan-rogue-plug-in-hybrid }"
    assert json.loads(http(server.url, query=builds)[2]) == {"head": {}, "boolean": True}
    only_facts = urllib.parse.urlencode({"query": builds, "default-graph-uri": GRAPH_FACTS})
    assert json.loads(http(f"{server.url}?{only_facts}")[2])["boolean"] is False


def test_answers_match_the_python_api(server: Server) -> None:
    text = akg.queries()["supplies-to-north-america"].text
    status, _, body = http(server.url, query=text, method="POST")
    assert status == 200
    remote = [b["supply"]["value"] for b in json.loads(body)["results"]["bindings"]]
    local = akg.load().query("supplies-to-north-america")
    assert isinstance(local, QueryResult)
    assert remote == local.column("supply")


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("text/html;q=0.9, text/csv;q=0.5, */*;q=0.1", "text/csv; charset=utf-8"),
    ],
)
def test_select_results_by_content_negotiation(server: Server, accept: str | None, content_type: str) -> None:
    for method in ("GET", "POST"):
        status, headers, body = http(server.url, query=PLANTS, accept=accept, method=method)
        assert status == 200
        assert headers["Content-Type"] == content_type
        text = body.decode()
        if "json" in content_type:
            values = [b["plant"]["value"] for b in json.loads(text)["results"]["bindings"]]
        elif "xml" in content_type:
            ns = {"r": "http://www.w3.org/2005/sparql-results#"}
            values = [e.text or "" for e in ET.fromstring(text).findall(".//r:binding/r:uri", ns)]
        elif "csv" in content_type:
            values = [row["plant"] for row in csv.DictReader(io.StringIO(text))]
        else:
            values = [line.strip("<>") for line in text.splitlines()[1:]]
        assert values == [ID + "plant/jakarta", ID + "plant/laem-chabang", ID + "plant/okazaki"]


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_and_describe_as_rdf(server: Server, accept: str, rdf_format: str) -> None:
    construct = "CONSTRUCT { ?p akg:operator ?o } WHERE { ?p akg:operator ?o }"
    status, headers, body = http(server.url, query=construct, accept=accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == accept
    with quiet_dataset_warnings():
        assert len(Graph().parse(data=body.decode(), format=rdf_format)) == 3
    status, _, body = http(server.url, query="DESCRIBE plant:okazaki", accept=accept)
    assert status == 200
    with quiet_dataset_warnings():
        assert len(Graph().parse(data=body.decode(), format=rdf_format)) > 5


def test_sparql_query_body_and_unacceptable_types(server: Server) -> None:
    status, _, body = http(
        server.url, method="POST", data=PLANTS.encode(), content_type="application/sparql-query", accept="text/csv"
    )
    assert status == 200
    assert body.decode().splitlines()[0] == "plant"
    status, _, body = http(server.url, query=PLANTS, accept="image/png")
    assert status == 406
    assert b"offered as" in body
    assert http(server.url)[0] == 400  # no query
    assert http(server.url.replace("/query", "/nothing-here"), query=PLANTS)[0] == 404


def test_cors(server: Server) -> None:
    _, headers, _ = http(server.url, query=PLANTS, headers={"Origin": "http://localhost:8888"})
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = http(
        server.url,
        method="OPTIONS",
        headers={"Origin": "http://localhost:8888", "Access-Control-Request-Method": "POST"},
    )
    assert status == 204
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]


def test_negotiation_rules() -> None:
    assert negotiate(None, "results") == "application/sparql-results+json"
    assert negotiate("*/*", "graph") == "text/turtle"
    assert negotiate("application/json", "graph") == "application/json"  # JSON-LD is JSON
    assert negotiate("text/*", "results") == "text/csv"
    assert negotiate("text/csv;q=0, application/xml", "results") == "application/xml"
    assert negotiate("image/png", "results") is None


# -- real clients ---------------------------------------------------------------------------------------------------


def test_sparqlwrapper(server: Server) -> None:
    client = SPARQLWrapper(server.url)
    client.setQuery(PLANTS)
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]  # type: ignore[index, call-overload]
    assert [b["plant"]["value"] for b in bindings][-1] == ID + "plant/okazaki"
    client.setMethod(POST)
    client.setQuery("ASK { plant:okazaki akg:operator manufacturer:mitsubishi-motors }")
    assert client.query().convert()["boolean"] is True  # type: ignore[index, call-overload]
    client.setQuery("CONSTRUCT { ?p a akg:Plant } WHERE { ?p a akg:Plant }")
    client.setReturnFormat(TURTLE)
    turtle = client.query().convert()
    assert isinstance(turtle, bytes)
    assert len(Graph().parse(data=turtle.decode(), format="turtle")) == 3


def test_rdflib_sparqlstore(server: Server) -> None:
    graph = Graph(store=SPARQLStore(server.url, returnFormat="json"))
    rows = list(
        graph.query(
            PLANTS.replace("akg:", "<https://w3id.org/alliance-kg/ontology#>").replace(
                "a <https://w3id.org/alliance-kg/ontology#>Plant", "a <https://w3id.org/alliance-kg/ontology#Plant>"
            )
        )
    )
    assert [str(row[0]) for row in rows] == [ID + "plant/jakarta", ID + "plant/laem-chabang", ID + "plant/okazaki"]
    xml_store = Graph(store=SPARQLStore(server.url))  # rdflib's default: SPARQL XML results
    assert len(list(xml_store.query("SELECT ?s WHERE { ?s a <https://w3id.org/alliance-kg/ontology#Plant> }"))) == 3


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed on this machine")
def test_curl(server: Server) -> None:
    done = subprocess.run(
        ["curl", "-s", "-H", "Accept: text/csv", "--data-urlencode", f"query={PLANTS}", server.url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.splitlines()[0] == "plant"
    assert len(done.stdout.splitlines()) == 4


# -- bad input --------------------------------------------------------------------------------------------------------


def test_updates_are_refused_and_nothing_changes(server: Server) -> None:
    before = triples(server)
    update = "DROP ALL"
    attempts = [
        http(
            server.url.replace("/query", "/update"),
            method="POST",
            data=update.encode(),
            content_type="application/sparql-update",
        ),
        http(server.url, method="POST", data=update.encode(), content_type="application/sparql-update"),
        http(
            server.url,
            method="POST",
            data=urllib.parse.urlencode({"update": update}).encode(),
            content_type="application/x-www-form-urlencoded",
        ),
        http(server.url, query=update),
        http(server.url, query="INSERT DATA { <http://a> <http://b> <http://c> }", method="POST"),
    ]
    for status, _, body in attempts:
        assert status == 403, body
        assert b"read-only" in body
    assert http(server.url, method="PUT", data=b"<http://a> <http://b> <http://c> .")[0] == 405
    assert http(server.url, method="DELETE")[0] == 405
    store = SPARQLUpdateStore(query_endpoint=server.url, update_endpoint=server.url.replace("/query", "/update"))
    with pytest.raises(urllib.error.HTTPError, match=r"403|Forbidden"):
        store.update("DROP ALL")
    assert triples(server) == before


def test_malformed_query_is_a_400_with_the_parser_message(server: Server) -> None:
    status, _, body = http(server.url, query="SELECT * WHERE {\n  ?s ?p ?o\n  FILTER(?o = )\n}")
    assert status == 400
    assert re.match(r"malformed SPARQL query: error at \d+:\d+: expected one of", body.decode())


def test_injection_attempt_is_just_text(server: Server) -> None:
    before = triples(server)
    status, _, _body = http(server.url, query='x" } ; DROP ALL #')
    assert status in (400, 403)
    assert triples(server) == before


def test_a_query_that_would_run_forever_is_stopped_and_others_are_served(server: Server) -> None:
    answers: list[tuple[int, float]] = []

    def forever() -> None:
        started = time.perf_counter()
        status, _, _ = http(server.url, query=FOREVER)
        answers.append((status, time.perf_counter() - started))

    thread = threading.Thread(target=forever)
    thread.start()
    time.sleep(0.5)
    started = time.perf_counter()
    assert http(server.url, query=PLANTS)[0] == 200  # another worker answers meanwhile, long before the timeout
    assert time.perf_counter() - started < TIMEOUT - 0.5
    thread.join(60)
    [(status, elapsed)] = answers
    assert status == 503
    assert TIMEOUT - 0.5 < elapsed < TIMEOUT + 3
    status, _, body = http(server.url, query=FOREVER, accept="text/csv")
    assert status == 503
    assert b"timed out" in body
    assert b"stopped" in body
    # the killed workers were replaced: the server still answers, with the same data
    for _ in range(5):
        assert http(server.url, query=PLANTS)[0] == 200


# -- concurrency ------------------------------------------------------------------------------------------------------

CONCURRENT_QUERIES = [
    PLANTS,
    COUNT,
    "SELECT ?s ?label WHERE { ?s a akg:OEMSupply ; rdfs:label ?label } ORDER BY ?s ?label",
    "ASK { plant:okazaki akg:builds vehicle:nissan-rogue-plug-in-hybrid }",
    "SELECT ?v (COUNT(?s) AS ?n) WHERE { ?s akg:vehicle ?v } GROUP BY ?v ORDER BY ?v",
]


def test_many_concurrent_clients_get_the_serial_answers(server: Server) -> None:
    def ask(query: str) -> tuple[int, bytes]:
        status, _, body = http(server.url, query=query, method="POST", accept="text/csv")
        return status, body

    serial = [ask(query) for query in CONCURRENT_QUERIES]
    assert all(status == 200 for status, _ in serial)
    jobs = [CONCURRENT_QUERIES[i % len(CONCURRENT_QUERIES)] for i in range(8 * 20)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ask, jobs))
    for index, answer in enumerate(answers):
        assert answer == serial[index % len(CONCURRENT_QUERIES)]


def test_service_clauses_are_refused_and_no_host_is_called(server: Server) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1.0)
    target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        for text in (
            f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ service silent <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        ):
            status, _, body = http(server.url, query=text, method="POST")
            assert status == 403, body
            assert b"SERVICE" in body
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody called
    finally:
        listener.close()


def test_service_check_is_coarse_but_not_fooled_by_names() -> None:
    assert mentions_service("SELECT * { SERVICE <http://x> { ?s ?p ?o } }")
    assert mentions_service("SELECT * { \\u0073ervice <http://x> { ?s ?p ?o } }")
    assert not mentions_service("SELECT ?service WHERE { ?service a akg:Plant ; ex:service ?x }")


def test_endpoint_from_a_script_without_main_guard(tmp_path: Path) -> None:
    # Regression: workers started with multiprocessing's "spawn" re-ran the caller's script (and failed from stdin).
    script = tmp_path / "script.py"
    script.write_text(
        "import json, urllib.parse, urllib.request\n"
        "from alliance_kg.endpoint import Endpoint\n"
        "endpoint = Endpoint(port=0).start()\n"
        "url = endpoint.url + '?' + urllib.parse.urlencode({'query': 'ASK { plant:okazaki a akg:Plant }'})\n"
        "print(json.load(urllib.request.urlopen(url))['boolean'])\n"
        "endpoint.stop()\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def test_a_query_past_the_memory_limit_fails_and_the_endpoint_recovers() -> None:
    with running(port=0, timeout=30, memory_limit_mb=256, workers=1) as endpoint:
        started = time.perf_counter()
        status, _, body = http(endpoint.url, query=HUNGRY)
        assert status == 500, body
        assert b"memory limit" in body
        assert time.perf_counter() - started < 20
        status, _, body = http(endpoint.url, query=PLANTS, accept="text/csv")
        assert status == 200
        assert endpoint.restarts == 1


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        (b"Content-Length: abc\r\n", b"400"),
        (b"Transfer-Encoding: chunked\r\n", b"411"),
    ],
)
def test_malformed_request_bodies_get_a_clear_status(server: Server, headers: bytes, status: bytes) -> None:
    import socket

    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            + headers
            + b"\r\n5\r\nASK{}\r\n0\r\n\r\n"
        )
        assert connection.recv(64).split(b" ")[1] == status
    assert http(server.url, query=PLANTS)[0] == 200  # and the server goes on


def test_workers_that_cannot_start_are_a_clear_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "alliance_kg", "serve", "--port", "0", "--memory-limit", "1", "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "alliance-kg serve: error: the SPARQL worker processes did not start" in done.stderr
    assert "Traceback" not in done.stderr
