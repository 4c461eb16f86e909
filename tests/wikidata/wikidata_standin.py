"""A local stand-in for the Wikidata API and SPARQL endpoint, for the tests.

It listens on 127.0.0.1 (a free port) and serves, from the fixture graph ``fixtures/wikidata-fixture.ttl``:

* ``/w/api.php?action=wbsearchentities`` and ``action=wbgetentities``, answering in Wikidata's JSON shapes
  (``search`` list with ``id``/``concepturi``/``label``/``match``; ``entities`` with ``labels``, ``aliases`` and
  ``claims`` of ``mainsnak``/``datavalue``), including the ``maxlag`` error;
* ``/sparql`` (GET or POST ``query``): the query is run for real by rdflib over the fixture, with the prefixes
  the Wikidata Query Service predefines; SELECT/ASK answer SPARQL JSON results, CONSTRUCT/DESCRIBE Turtle.

Failure modes, switched by tests with :meth:`StandIn.fail`: ``429`` (with ``Retry-After``), ``503``, ``maxlag``,
``slow`` (answers after :attr:`StandIn.slow_seconds`), ``html`` (an HTML error page with status 200), ``html500``
and ``badjson`` (truncated JSON). Each applies to the next ``times`` requests, then the server behaves again.
Every request is recorded (path, parameters, headers) and the largest number of requests served at once is kept.

Run ``python tests/wikidata/wikidata_standin.py`` to try the commands by hand against it.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "wikidata-fixture.ttl"
ENTITY = "http://www.wikidata.org/entity/"
DIRECT = "http://www.wikidata.org/prop/direct/"
GEO_WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
SCHEMA_DESCRIPTION = URIRef("http://schema.org/description")

#: Prefixes the Wikidata Query Service declares for every query.
WDQS_PREFIXES = {
    "wd": ENTITY,
    "wdt": DIRECT,
    "wds": "http://www.wikidata.org/entity/statement/",
    "p": "http://www.wikidata.org/prop/",
    "ps": "http://www.wikidata.org/prop/statement/",
    "pq": "http://www.wikidata.org/prop/qualifier/",
    "wikibase": "http://wikiba.se/ontology#",
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "schema": "http://schema.org/",
    "geo": "http://www.opengis.net/ont/geosparql#",
}


@dataclass
class Recorded:
    """One request the stand-in received."""

    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class StandIn:
    """The running server's state: where it is, what it was asked, how it should misbehave."""

    graph: Graph
    base: str = ""
    requests: list[Recorded] = field(default_factory=list)
    mode: str | None = None
    times: int = 0
    retry_after: str = "1"
    slow_seconds: float = 1.0
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def api_url(self) -> str:
        return f"{self.base}/w/api.php"

    @property
    def sparql_url(self) -> str:
        return f"{self.base}/sparql"

    def fail(self, mode: str, times: int = 1, *, retry_after: str = "1") -> None:
        """Misbehave (``mode``) for the next ``times`` requests."""
        self.mode, self.times, self.retry_after = mode, times, retry_after

    def wait_idle(self, timeout: float = 3.0) -> None:
        """Wait until no request is being served (slow answers from an earlier test may still run)."""
        deadline = time.monotonic() + timeout
        while self.in_flight and time.monotonic() < deadline:
            time.sleep(0.01)

    def reset(self) -> None:
        self.wait_idle()
        self.requests.clear()
        self.mode, self.times, self.retry_after = None, 0, "1"
        self.max_in_flight = 0

    def take_failure(self) -> str | None:
        with self.lock:
            if self.mode and self.times > 0:
                self.times -= 1
                return self.mode
            return None


# -- Wikidata's JSON shapes ----------------------------------------------------------------------------------------


def _qid(node: object) -> str:
    return str(node)[len(ENTITY) :]


def search_entities(graph: Graph, text: str, language: str, limit: int) -> list[dict[str, Any]]:
    """``wbsearchentities``: items whose label or alias in ``language`` starts with ``text`` (case-insensitive)."""
    found: dict[str, dict[str, Any]] = {}
    needle = text.casefold()
    for predicate, match_type in ((RDFS.label, "label"), (SKOS.altLabel, "alias")):
        for item, value in sorted(graph.subject_objects(predicate)):
            if not (isinstance(value, Literal) and value.language == language):
                continue
            if not str(value).casefold().startswith(needle) or not str(item).startswith(ENTITY + "Q"):
                continue
            qid = _qid(item)
            if qid in found:
                continue
            label = next(
                (str(v) for v in graph.objects(item, RDFS.label) if getattr(v, "language", None) == language), qid
            )
            description = next(
                (str(v) for v in graph.objects(item, SCHEMA_DESCRIPTION) if getattr(v, "language", None) == language),
                None,
            )
            entry: dict[str, Any] = {
                "id": qid,
                "title": qid,
                "pageid": int(qid[1:]) % 100000,
                "concepturi": f"{ENTITY}{qid}",
                "repository": "wikidata",
                "url": f"//www.wikidata.org/wiki/{qid}",
                "display": {"label": {"value": label, "language": language}},
                "label": label,
                "match": {"type": match_type, "language": language, "text": str(value)},
            }
            if description:
                entry["description"] = description
                entry["display"]["description"] = {"value": description, "language": language}
            if match_type == "alias":
                entry["aliases"] = [str(value)]
            found[qid] = entry
    exact_first = sorted(found.values(), key=lambda e: (e["match"]["text"].casefold() != needle, int(e["id"][1:])))
    return exact_first[:limit]


def _datavalue(value: object) -> tuple[dict[str, Any], str]:
    if isinstance(value, URIRef) and str(value).startswith(ENTITY + "Q"):
        qid = _qid(value)
        return (
            {"value": {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid}, "type": "wikibase-entityid"},
            "wikibase-item",
        )
    if isinstance(value, Literal) and str(value.datatype) == GEO_WKT:
        longitude, latitude = str(value).removeprefix("Point(").rstrip(")").split()
        coordinate = {
            "latitude": float(latitude),
            "longitude": float(longitude),
            "altitude": None,
            "precision": 0.01,
            "globe": f"{ENTITY}Q2",
        }
        return {"value": coordinate, "type": "globecoordinate"}, "globe-coordinate"
    return {"value": str(value), "type": "string"}, "string"


def get_entities(graph: Graph, ids: list[str], languages: list[str]) -> dict[str, Any]:
    """``wbgetentities`` (``props=labels|aliases|claims``): the entities in Wikidata's JSON (format version 1)."""
    entities: dict[str, Any] = {}
    for qid in ids:
        item = URIRef(ENTITY + qid)
        if (item, None, None) not in graph:
            entities[qid] = {"id": qid, "missing": ""}
            continue
        labels = {
            v.language: {"language": v.language, "value": str(v)}
            for v in graph.objects(item, RDFS.label)
            if isinstance(v, Literal) and v.language in languages
        }
        aliases: dict[str, list[dict[str, str]]] = {}
        for v in graph.objects(item, SKOS.altLabel):
            if isinstance(v, Literal) and v.language in languages:
                aliases.setdefault(v.language, []).append({"language": v.language, "value": str(v)})
        claims: dict[str, list[dict[str, Any]]] = {}
        for predicate, value in sorted(graph.predicate_objects(item)):
            if not str(predicate).startswith(DIRECT):
                continue
            prop = str(predicate)[len(DIRECT) :]
            datavalue, datatype = _datavalue(value)
            number = len(claims.get(prop, []))
            claims.setdefault(prop, []).append(
                {
                    "mainsnak": {"snaktype": "value", "property": prop, "datavalue": datavalue, "datatype": datatype},
                    "type": "statement",
                    "id": f"{qid}${prop}-{number}",
                    "rank": "normal",
                }
            )
        entities[qid] = {
            "type": "item",
            "id": qid,
            "labels": labels,
            "aliases": aliases,
            "claims": claims,
            "lastrevid": 1,
        }
    return {"entities": entities, "success": 1}


# -- the HTTP server -------------------------------------------------------------------------------------------------


def _handler(state: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

        def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                self.wfile.write(body)

        def _json(self, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
            self._send(status, json.dumps(data).encode(), "application/json; charset=utf-8", headers)

        def _handle(self, method: str) -> None:
            with state.lock:
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                self._answer(method)
            finally:
                with state.lock:
                    state.in_flight -= 1

        def _answer(self, method: str) -> None:
            parts = urllib.parse.urlsplit(self.path)
            params = dict(urllib.parse.parse_qsl(parts.query))
            if method == "POST":
                length = int(self.headers.get("Content-Length", "0"))
                params.update(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            state.requests.append(Recorded(method, parts.path, params, dict(self.headers.items())))
            failure = state.take_failure()
            if failure == "429":
                self._send(429, b"Too many requests", "text/plain", {"Retry-After": state.retry_after})
                return
            if failure == "503":
                page = b"<html><body><h1>503 Service Unavailable</h1></body></html>"
                self._send(503, page, "text/html; charset=utf-8", {"Retry-After": state.retry_after})
                return
            if failure == "html":
                page = b"<!DOCTYPE html><html><head><title>Wikimedia Error</title></head><body>Error</body></html>"
                self._send(200, page, "text/html; charset=utf-8")
                return
            if failure == "html500":
                self._send(500, b"<html><body>Internal error</body></html>", "text/html")
                return
            if failure == "badjson":
                self._send(200, b'{"entities": {"Q1": {"id": "Q1", ', "application/json")
                return
            if failure == "slow":
                time.sleep(state.slow_seconds)
            if parts.path == "/w/api.php":
                self._api(params, failure == "maxlag")
            elif parts.path == "/sparql":
                self._sparql(params)
            else:
                self._send(404, b"not found", "text/plain")

        def _api(self, params: dict[str, str], lagged: bool) -> None:
            if lagged:
                error = {"code": "maxlag", "info": "Waiting for a database server: 7 seconds lagged.", "lag": 7}
                self._json({"error": error, "servedby": "standin"}, headers={"Retry-After": state.retry_after})
                return
            action = params.get("action")
            if action == "wbsearchentities":
                limit = int(params.get("limit", "7"))
                results = search_entities(state.graph, params.get("search", ""), params.get("language", "en"), limit)
                self._json({"searchinfo": {"search": params.get("search", "")}, "search": results, "success": 1})
            elif action == "wbgetentities":
                ids = [i for i in params.get("ids", "").split("|") if i]
                languages = params.get("languages", "en").split("|")
                self._json(get_entities(state.graph, ids, languages))
            else:
                self._json(
                    {"error": {"code": "badvalue", "info": f"Unrecognized value for parameter action: {action}"}}
                )

        def _sparql(self, params: dict[str, str]) -> None:
            query = params.get("query", "")
            try:
                result = state.graph.query(query, initNs=WDQS_PREFIXES)
            except Exception as error:  # a bad query: WDQS answers 400 with a text message
                self._send(400, f"MalformedQueryException: {error}".encode(), "text/plain")
                return
            if result.type in ("SELECT", "ASK"):
                body = result.serialize(format="json")
                self._send(200, body or b"", "application/sparql-results+json")
            else:
                graph = result.graph
                assert graph is not None
                self._send(200, graph.serialize(format="turtle", encoding="utf-8"), "text/turtle; charset=utf-8")

    return Handler


def start(fixture: Path = FIXTURE) -> tuple[StandIn, ThreadingHTTPServer, threading.Thread]:
    """Start the stand-in on 127.0.0.1 (a free port) in a daemon thread."""
    state = StandIn(graph=Graph().parse(fixture, format="turtle"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="wikidata-standin", daemon=True)
    thread.start()
    return state, server, thread


if __name__ == "__main__":
    standin, httpd, _ = start()
    print(f"export ALLIANCE_KG_WIKIDATA_API={standin.api_url}")
    print(f"export ALLIANCE_KG_WIKIDATA_SPARQL={standin.sparql_url}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        httpd.shutdown()
