"""``alliance-kg publish``: a release replaces its named graphs on real servers (Graph Store Protocol), with
credentials from the environment (never shown), verification by counting, and a clear report when it fails
part of the way."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import Server, shared_release, shared_server

from alliance_kg.cli import main
from alliance_kg.errors import InputError, ServiceError
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY
from alliance_kg.publish import publish, read_release
from alliance_kg.store_sparql import SparqlStore
from alliance_kg.wikidata.enrich import GRAPH_WIKIDATA


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_release(tmp_path_factory)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with shared_server("oxigraph", tmp_path_factory) as server:
        yield server


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with shared_server("virtuoso", tmp_path_factory) as server:
        yield server


def test_read_release(release: Path, tmp_path: Path) -> None:
    content = read_release(release)
    assert list(content.graphs)[:3] == [GRAPH_ONTOLOGY, GRAPH_FACTS, GRAPH_INFERRED]
    triples = content.summary["triples"]
    assert isinstance(triples, dict)
    assert content.counts[GRAPH_FACTS] == triples["facts"]
    assert content.shared_blank_nodes() == 0
    with pytest.raises(InputError, match="not a release folder"):
        read_release(tmp_path)
    with pytest.raises(InputError, match="no such release folder"):
        read_release(tmp_path / "missing")
    broken = tmp_path / "broken"
    shutil.copytree(release, broken, ignore=shutil.ignore_patterns("exports"))
    (broken / "alliance-kg.trig").write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(InputError, match="TriG syntax error"):
        read_release(broken)


def test_publish_to_oxigraph_replaces_each_graph(
    oxigraph: Server, release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SparqlStore(oxigraph.query_url)
    # a stale graph of the project (an enrichment the release no longer has) and a graph that is not ours
    from alliance_kg.http import HttpClient

    client = HttpClient()
    stale = b"<urn:x> <urn:y> <urn:z> .\n"
    for graph in (GRAPH_WIKIDATA, "urn:other", GRAPH_FACTS):
        client.request(
            "PUT", oxigraph.graph_store_url, params={"graph": graph}, data=stale, content_type="application/n-triples"
        )
    argv = ["publish", str(release), "--graph-store", oxigraph.graph_store_url, "--query-url", oxigraph.query_url]
    assert main(argv) == 0
    out = capsys.readouterr().out
    counts = read_release(release).counts
    for graph, count in counts.items():
        assert f"replaced {graph}: {count} triples" in out
        assert f"verified {graph}: {count} triples on the server" in out
        assert store.count(graph) == count  # replaced, not added to: the stale facts triple is gone
    assert f"deleted {GRAPH_WIKIDATA}" in out
    assert store.graph_names() == sorted(counts)
    other = store.query("ASK { GRAPH <urn:other> { ?s ?p ?o } }")  # named-graph-uri: only ours are visible
    assert other.boolean is False
    assert SparqlStore(oxigraph.query_url, graphs=["urn:other"]).count("urn:other") == 1  # left alone


def test_publish_without_verification_says_so(
    oxigraph: Server, release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["publish", str(release), "--graph-store", oxigraph.graph_store_url]) == 0
    assert "not verified: give --query-url" in capsys.readouterr().out


def test_publish_to_virtuoso_with_digest_credentials_from_the_environment(
    virtuoso: Server, release: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert virtuoso.password is not None
    monkeypatch.setenv("AKG_TEST_USER", virtuoso.user or "")
    monkeypatch.setenv("AKG_TEST_PASSWORD", virtuoso.password)
    argv = [
        "publish",
        str(release),
        "--graph-store",
        virtuoso.graph_store_url,
        "--query-url",
        virtuoso.query_url,
        "--user-env",
        "AKG_TEST_USER",
        "--password-env",
        "AKG_TEST_PASSWORD",
    ]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert virtuoso.password not in out + err
    assert "verified https://w3id.org/alliance-kg/graph/facts" in out
    store = SparqlStore(virtuoso.query_url)
    assert store.count() == sum(read_release(release).counts.values())

    monkeypatch.setenv("AKG_TEST_PASSWORD", "wrong-" + virtuoso.password)
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert "HTTP 401" in err
    assert "credentials" in err
    assert "Nothing was changed" in err
    assert virtuoso.password not in out + err

    monkeypatch.delenv("AKG_TEST_PASSWORD")
    assert main(argv) == 2
    assert "AKG_TEST_PASSWORD is not set" in capsys.readouterr().err
    assert main(argv[:-2]) == 2
    assert "--password-env is needed too" in capsys.readouterr().err


def test_no_credentials_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["publish", "x", "--graph-store", "http://127.0.0.1:9/store", "--password", "secret"]) == 2
    assert "unrecognized arguments" in capsys.readouterr().err


class _FailsOnSecondPut(http.server.BaseHTTPRequestHandler):
    puts = 0

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        type(self).puts += 1
        if type(self).puts == 1:
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"disk full"
        self.send_response(500)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_failure_halfway_names_what_was_replaced(release: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FailsOnSecondPut)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/store"
        with pytest.raises(ServiceError) as caught:
            publish(release, url)
        message = str(caught.value)
        assert caught.value.status == 500
        assert f"while replacing {GRAPH_FACTS}: HTTP 500 Internal Server Error: disk full" in message
        assert f"Already replaced: {GRAPH_ONTOLOGY}" in message
        assert f"Not done: {GRAPH_INFERRED}" in message
        _FailsOnSecondPut.puts = 0
        assert main(["publish", str(release), "--graph-store", url]) == 2
        out, err = capsys.readouterr()
        assert f"replaced {GRAPH_ONTOLOGY}" in out
        assert "publishing failed" in err
        assert "Traceback" not in err
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
