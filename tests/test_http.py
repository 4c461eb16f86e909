"""The core HTTP client (alliance_kg.http) against a stand-in server on 127.0.0.1: retries, redirects, the
server's message, Basic credentials answered only when challenged, timeouts, the cache."""

from __future__ import annotations

import base64
import contextlib
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from alliance_kg.errors import ParameterError, ServiceError
from alliance_kg.http import Credentials, HttpClient, HttpTimeout, server_message


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, str, str | None, bytes]]] = []
    busy: ClassVar[int] = 0

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        type(self).seen.append((self.command, self.path, self.headers.get("Authorization"), body))
        path = self.path.split("?")[0]
        if path == "/busy" and type(self).busy > 0:
            type(self).busy -= 1
            self._send(503, b"<html><title>Busy</title><body>try later</body></html>", {"Retry-After": "2"})
        elif path == "/moved":
            self._send(301, b"", {"Location": "http://elsewhere.example/"})
        elif path == "/bad":
            self._send(400, b"syntax error at 'SELEC'\n\nSPARQL query:\n" + b"x" * 2000, {})
        elif path == "/slow":
            time.sleep(0.5)
            self._send(200, b"late", {})
        elif path == "/secret":
            expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()
            if self.headers.get("Authorization") != expected:
                self._send(401, b"who are you", {"WWW-Authenticate": 'Basic realm="test"'})
            else:
                self._send(201, b"", {})
        else:
            self._send(200, body or b"ok", {"Content-Type": "text/plain"})

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle(self) -> None:
        with contextlib.suppress(OSError):  # a client that gave up (the timeout tests)
            super().handle()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def base() -> Iterator[str]:
    _Handler.seen = []
    _Handler.busy = 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_retry_after_then_success(base: str) -> None:
    sleeps: list[float] = []
    _Handler.busy = 2
    client = HttpClient(sleep=sleeps.append)
    assert client.request("GET", base + "/busy").body == b"ok"
    assert sleeps == [2.0, 2.0]
    assert client.requests_made == 3
    assert _Handler.seen[0][2] is None


def test_error_carries_url_status_and_the_servers_words(base: str) -> None:
    with pytest.raises(ServiceError) as caught:
        HttpClient().request("POST", base + "/bad", params={"query": "SELEC"})
    assert caught.value.status == 400
    assert caught.value.url == base + "/bad"
    assert "syntax error at 'SELEC'" in str(caught.value)
    assert len(caught.value.message) < 400  # truncated
    assert server_message(b"<html><head><title>x</title></head><body><p>Nope &amp; no</p></body></html>") == "Nope & no"


def test_redirects_are_not_followed(base: str) -> None:
    with pytest.raises(ServiceError, match=r"HTTP 301.*redirects to http://elsewhere\.example/ are not followed"):
        HttpClient().request("GET", base + "/moved")


def test_params_repeat_and_put_bodies(base: str) -> None:
    client = HttpClient()
    client.request("POST", base + "/q", params=[("default-graph-uri", "urn:a"), ("default-graph-uri", "urn:b")])
    client.request("PUT", base + "/store", params={"graph": "urn:g"}, data=b"<a> <b> <c> .", content_type="x/y")
    (post, put) = _Handler.seen
    assert post[3] == b"default-graph-uri=urn%3Aa&default-graph-uri=urn%3Ab"
    assert put[:2] == ("PUT", "/store?graph=urn%3Ag")
    assert put[3] == b"<a> <b> <c> ."


def test_basic_credentials_only_when_challenged_and_never_shown(base: str) -> None:
    credentials = Credentials.from_environment("U", "P", {"U": "alice", "P": "s3cret"})
    assert "s3cret" not in repr(credentials)
    client = HttpClient(credentials=credentials)
    assert "s3cret" not in repr(client)
    client.request("PUT", base + "/secret", data=b"data", content_type="application/n-triples")
    first, second = _Handler.seen
    assert first[2] is None  # nothing sent before the server asks
    assert second[2] is not None
    assert second[2].startswith("Basic ")
    assert second[3] == b"data"
    wrong = HttpClient(credentials=Credentials("alice", "nope"))
    with pytest.raises(ServiceError, match="the ones given were refused") as caught:
        wrong.request("PUT", base + "/secret", data=b"data")
    assert "nope" not in str(caught.value)
    with pytest.raises(ParameterError, match="environment variable P is not set"):
        Credentials.from_environment("U", "P", {"U": "alice"})
    with pytest.raises(ParameterError, match="not an environment variable name"):
        Credentials.from_environment("U", "s3cret password", {"U": "alice"})


def test_timeouts(base: str) -> None:
    sleeps: list[float] = []
    client = HttpClient(timeout=0.1, max_retries=1, sleep=sleeps.append)
    with pytest.raises(HttpTimeout, match=r"gave up after 2 attempts: no answer within 0\.1 s"):
        client.request("GET", base + "/slow")
    with pytest.raises(HttpTimeout, match=r"no answer within 0\.1 s"):
        client.request("GET", base + "/slow", retry_timeouts=False)
    assert len(sleeps) == 1


def test_cache(base: str, tmp_path: Path) -> None:
    client = HttpClient(cache_dir=tmp_path)
    assert client.request("GET", base + "/x", params={"a": "1"}, cache=True).body == b"ok"
    again = HttpClient(cache_dir=tmp_path).request("GET", base + "/x", params={"a": "1"}, cache=True)
    assert again.from_cache
    assert len(_Handler.seen) == 1
