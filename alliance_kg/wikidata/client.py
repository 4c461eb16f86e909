"""A polite HTTP client for the Wikidata API (``/w/api.php``) and SPARQL endpoints.

It behaves as Wikimedia asks of clients (https://meta.wikimedia.org/wiki/User-Agent_policy,
https://www.mediawiki.org/wiki/API:Etiquette, https://www.mediawiki.org/wiki/Manual:Maxlag_parameter):

* a descriptive ``User-Agent`` naming alliance-kg, its version and where to reach the project;
* one request at a time (a lock around every request; nothing runs in parallel);
* ``maxlag=5`` on API requests; a ``maxlag`` error is retried after the server's ``Retry-After``;
* HTTP 429, 502, 503 and 504, timeouts and refused connections are retried with exponential back-off, honouring
  ``Retry-After`` (seconds or an HTTP date); the total time spent waiting is bounded (``max_wait``), and a
  server that asks for more gets a clean :class:`~alliance_kg.errors.ServiceError` at once;
* every request has a timeout; redirects are not followed (an endpoint is asked only at the address given);
* answers are kept in an on-disk cache (one JSON file per request, written atomically), so a second run asks
  nothing. Only usable answers are cached, never errors.

An HTML page, broken JSON, a non-JSON content type or an API ``error`` object raise
:class:`~alliance_kg.errors.ServiceError`. Endpoints are configurable (``ALLIANCE_KG_WIKIDATA_API``,
``ALLIANCE_KG_WIKIDATA_SPARQL``, or arguments), so QLever or a private Wikibase works too.

Only the standard library is used (:mod:`urllib.request`): no extra dependency for a handful of GET/POST
requests, and tests can patch nothing but the server.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, TypeVar

from alliance_kg.errors import InputError, ServiceError

__all__ = [
    "DEFAULT_API",
    "DEFAULT_SPARQL",
    "ENV_API",
    "ENV_CACHE_DIR",
    "ENV_SPARQL",
    "Response",
    "WikidataClient",
    "default_cache_dir",
    "parse_json",
    "resolve_endpoints",
    "user_agent",
]

DEFAULT_API: Final = "https://www.wikidata.org/w/api.php"
DEFAULT_SPARQL: Final = "https://query.wikidata.org/sparql"
ENV_API: Final = "ALLIANCE_KG_WIKIDATA_API"
ENV_SPARQL: Final = "ALLIANCE_KG_WIKIDATA_SPARQL"
ENV_CACHE_DIR: Final = "ALLIANCE_KG_CACHE_DIR"

_RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
_MAX_BACKOFF: Final = 60.0
_MAX_GET: Final = 2000  # longest URL-encoded query sent with GET
_T = TypeVar("_T")


def user_agent() -> str:
    """The User-Agent sent with every request (Wikimedia's policy asks for a name, version and contact)."""
    from alliance_kg import __version__

    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return (
        f"alliance-kg/{__version__} (https://w3id.org/alliance-kg; knowledge graph of automotive OEM supply) "
        f"Python-urllib/{python}"
    )


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where answers are cached: ``$ALLIANCE_KG_CACHE_DIR``, else the user cache dir + ``alliance-kg/wikidata``.

    The user cache dir is ``$XDG_CACHE_HOME`` or ``~/.cache`` (Linux and others), ``~/Library/Caches`` (macOS)
    or ``%LOCALAPPDATA%`` (Windows).
    """
    environ = os.environ if environ is None else environ
    if environ.get(ENV_CACHE_DIR):
        return Path(environ[ENV_CACHE_DIR])
    if sys.platform == "win32" and environ.get("LOCALAPPDATA"):
        base = Path(environ["LOCALAPPDATA"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "alliance-kg" / "wikidata"


def _check_url(url: str, what: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InputError(f"the {what} must be an http(s) URL with a host, not {url!r}")
    return url


def resolve_endpoints(
    api: str | None = None, sparql: str | None = None, environ: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """The API and SPARQL URLs to use: the arguments, else the environment variables, else Wikidata's."""
    environ = os.environ if environ is None else environ
    api_url = api or environ.get(ENV_API) or DEFAULT_API
    sparql_url = sparql or environ.get(ENV_SPARQL) or DEFAULT_SPARQL
    return _check_url(api_url, "Wikidata API"), _check_url(sparql_url, "SPARQL endpoint")


@dataclass(frozen=True)
class Response:
    """An answer: where it came from, its status, type and body, when it was fetched and whether from cache."""

    url: str
    status: int
    content_type: str
    body: bytes
    retrieved: datetime
    from_cache: bool = False
    retry_after: float | None = None

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _Retry(Exception):
    """Internal: this answer may be retried (after ``after`` seconds when the server said)."""

    def __init__(self, reason: str, after: float | None = None, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after
        self.status = status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _retry_after(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _method(query: str) -> str:
    """GET for short queries (the Wikidata Query Service caches those), POST for long ones."""
    return "GET" if len(urllib.parse.quote(query)) <= _MAX_GET else "POST"


def _looks_like_html(response: Response) -> bool:
    return "html" in response.content_type or response.body.lstrip()[:1] == b"<"


def parse_json(response: Response) -> Any:
    """The JSON of an answer; ServiceError for HTML or broken JSON."""
    if _looks_like_html(response):
        raise ServiceError(
            f"answered an HTML page (HTTP {response.status}, {response.content_type or 'no content type'}), not JSON",
            url=response.url,
            status=response.status,
        )
    try:
        return json.loads(response.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ServiceError(f"answered broken JSON ({error})", url=response.url, status=response.status) from None


class WikidataClient:
    """Talks to a Wikibase API and a SPARQL endpoint politely (see the module docstring).

    ``sleep`` and ``clock`` can be replaced (tests do, to retry without waiting). ``requests_made`` counts the
    requests that reached the network (cache hits are not counted). ``cache_dir=None`` uses
    :func:`default_cache_dir`; ``use_cache=False`` neither reads nor writes it, ``refresh=True`` writes it
    without reading.
    """

    def __init__(
        self,
        *,
        api_url: str | None = None,
        sparql_url: str | None = None,
        cache_dir: str | Path | None = None,
        use_cache: bool = True,
        refresh: bool = False,
        timeout: float = 30.0,
        max_retries: int = 4,
        max_wait: float = 120.0,
        backoff: float = 1.0,
        maxlag: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        agent: str | None = None,
    ) -> None:
        self.api_url, self.sparql_url = resolve_endpoints(api_url, sparql_url)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.use_cache = use_cache
        self.refresh = refresh
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.backoff = backoff
        self.maxlag = maxlag
        self.sleep = sleep
        self.user_agent = agent or user_agent()
        self.requests_made = 0
        self.waited = 0.0
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(_NoRedirect())

    def __repr__(self) -> str:
        return f"<WikidataClient api={self.api_url} sparql={self.sparql_url} cache={self.cache_dir}>"

    # -- the public calls ---------------------------------------------------------------------------------

    def api(self, params: Mapping[str, str]) -> dict[str, Any]:
        """GET the API with ``params`` (``format=json`` and ``maxlag`` added); the answer's JSON object.

        Raises :class:`ServiceError` for an API ``error`` (other than ``maxlag``, which is retried), HTML,
        broken JSON or a service that stays unavailable.
        """
        query = {**params, "format": "json", "maxlag": str(self.maxlag)}
        return self._call("GET", self.api_url, query, "application/json", self._parse_api)

    def sparql_select(self, query: str, *, endpoint: str | None = None) -> dict[str, Any]:
        """Run a SELECT (or ASK) query; the SPARQL 1.1 JSON results (``head``, ``results``/``boolean``)."""
        url = _check_url(endpoint, "SPARQL endpoint") if endpoint else self.sparql_url
        return self._call(_method(query), url, {"query": query}, "application/sparql-results+json", self._parse_results)

    def sparql_construct(self, query: str, *, endpoint: str | None = None) -> tuple[str, datetime]:
        """Run a CONSTRUCT query; the Turtle text of the answer and when it was retrieved."""
        url = _check_url(endpoint, "SPARQL endpoint") if endpoint else self.sparql_url
        return self._call(_method(query), url, {"query": query}, "text/turtle", self._parse_turtle)

    # -- answers --------------------------------------------------------------------------------------------

    @staticmethod
    def _parse_api(response: Response) -> dict[str, Any]:
        data = parse_json(response)
        if not isinstance(data, dict):
            raise ServiceError("answered JSON that is not an object", url=response.url, status=response.status)
        error = data.get("error")
        if isinstance(error, dict):
            if error.get("code") == "maxlag":
                reason = f"database lag ({error.get('info', 'maxlag')})"
                raise _Retry(reason, after=response.retry_after, status=response.status)
            raise ServiceError(
                f"API error {error.get('code')!r}: {error.get('info', '')}", url=response.url, status=response.status
            )
        return data

    @staticmethod
    def _parse_results(response: Response) -> dict[str, Any]:
        data = parse_json(response)
        if not isinstance(data, dict) or "head" not in data or not ("results" in data or "boolean" in data):
            raise ServiceError(
                "answered JSON that is not SPARQL results (no head/results)", url=response.url, status=response.status
            )
        return data

    @staticmethod
    def _parse_turtle(response: Response) -> tuple[str, datetime]:
        if _looks_like_html(response):
            raise ServiceError(
                f"answered an HTML page (HTTP {response.status}), not Turtle", url=response.url, status=response.status
            )
        from rdflib import Graph

        text = response.text()
        try:
            Graph().parse(data=text, format="turtle")
        except Exception as error:
            raise ServiceError(f"answered broken Turtle ({type(error).__name__})", url=response.url) from None
        return text, response.retrieved

    # -- the machinery --------------------------------------------------------------------------------------

    def _cache_file(self, method: str, url: str, params: Mapping[str, str], accept: str) -> Path:
        key = json.dumps([method, url, sorted(params.items()), accept], ensure_ascii=False)
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}.json"

    def _read_cache(self, path: Path) -> Response | None:
        if not self.use_cache or self.refresh:
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            return Response(
                url=entry["url"],
                status=int(entry["status"]),
                content_type=entry["content_type"],
                body=entry["body"].encode("utf-8"),
                retrieved=datetime.fromisoformat(entry["retrieved"]),
                from_cache=True,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or damaged: ask again

    def _write_cache(self, path: Path, response: Response, params: Mapping[str, str]) -> None:
        if not self.use_cache:
            return
        entry = {
            "url": response.url,
            "params": dict(params),
            "status": response.status,
            "content_type": response.content_type,
            "retrieved": response.retrieved.isoformat(),
            "body": response.text(),
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(entry, handle, ensure_ascii=False)
                Path(temp).replace(path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a cache that cannot be written only costs a request next time

    def _call(
        self,
        method: str,
        url: str,
        params: Mapping[str, str],
        accept: str,
        parse: Callable[[Response], _T],
    ) -> _T:
        cache_file = self._cache_file(method, url, params, accept)
        cached = self._read_cache(cache_file)
        if cached is not None:
            try:
                return parse(cached)
            except (ServiceError, _Retry):
                pass  # an unusable cached answer is asked again
        with self._lock:  # one request at a time
            response, value = self._with_retries(method, url, params, accept, parse)
        self._write_cache(cache_file, response, params)
        return value

    def _with_retries(
        self,
        method: str,
        url: str,
        params: Mapping[str, str],
        accept: str,
        parse: Callable[[Response], _T],
    ) -> tuple[Response, _T]:
        attempt = 0
        while True:
            try:
                response = self._send(method, url, params, accept)
                return response, parse(response)
            except _Retry as retry:
                if attempt >= self.max_retries:
                    raise ServiceError(
                        f"gave up after {attempt + 1} attempts: {retry.reason}", url=url, status=retry.status
                    ) from None
                delay = retry.after if retry.after is not None else min(_MAX_BACKOFF, self.backoff * 2**attempt)
                if self.waited + delay > self.max_wait:
                    raise ServiceError(
                        f"{retry.reason}; waiting {delay:g} s more would exceed the {self.max_wait:g} s budget",
                        url=url,
                        status=retry.status,
                    ) from None
                self.sleep(delay)
                self.waited += delay
                attempt += 1

    def _send(self, method: str, url: str, params: Mapping[str, str], accept: str) -> Response:
        encoded = urllib.parse.urlencode(params)
        headers = {"User-Agent": self.user_agent, "Accept": accept, "Accept-Encoding": "identity"}
        if method == "GET":
            request = urllib.request.Request(f"{url}?{encoded}", headers=headers, method="GET")  # noqa: S310
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            request = urllib.request.Request(url, data=encoded.encode(), headers=headers, method="POST")  # noqa: S310
        self.requests_made += 1
        now = datetime.now(UTC)
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                body = answer.read()
                return Response(
                    url=url,
                    status=answer.status,
                    content_type=answer.headers.get("Content-Type", ""),
                    body=body,
                    retrieved=now,
                    retry_after=_retry_after(answer.headers.get("Retry-After"), now),
                )
        except urllib.error.HTTPError as error:
            status = error.code
            after = _retry_after(error.headers.get("Retry-After") if error.headers else None, now)
            error.close()
            if status in _RETRY_STATUSES:
                raise _Retry(f"HTTP {status} {error.reason}", after=after, status=status) from None
            raise ServiceError(f"HTTP {status} {error.reason}", url=url, status=status) from None
        except TimeoutError:
            raise _Retry(f"no answer within {self.timeout:g} s") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                raise _Retry(f"no answer within {self.timeout:g} s") from None
            raise _Retry(f"cannot connect ({reason})") from None
        except (ConnectionError, OSError) as error:
            raise _Retry(f"connection failed ({error})") from None
