"""A polite HTTP client for the Wikidata API (``/w/api.php``) and SPARQL endpoints.

It behaves as Wikimedia asks of clients (https://meta.wikimedia.org/wiki/User-Agent_policy,
https://www.mediawiki.org/wiki/API:Etiquette, https://www.mediawiki.org/wiki/Manual:Maxlag_parameter), through
the core client :class:`alliance_kg.http.HttpClient` (which ``sparql:URL`` stores and ``alliance-kg publish`` use
too):

* a descriptive ``User-Agent`` naming alliance-kg, its version and where to reach the project;
* one request at a time (a lock around every request; nothing runs in parallel);
* ``maxlag=5`` on API requests; a ``maxlag`` error is retried after the server's ``Retry-After``;
* HTTP 429, 502, 503 and 504, timeouts and refused connections are retried with exponential back-off, honouring
  ``Retry-After`` (seconds or an HTTP date); the total time spent waiting is bounded (``max_wait``), and a
  server that asks for more gets a clean :class:`~alliance_kg.errors.ServiceError` at once;
* every request has a timeout; redirects are not followed (an endpoint is asked only at the address given);
* answers are kept in an on-disk cache (one JSON file per request, written atomically, with a checksum), so a
  second run asks nothing. Only usable answers are cached, never errors. A damaged entry (truncated or
  overwritten by a crash, a full disk or a stray write) is reported in one line on stderr and asked again; the
  temporaries a killed run left in the cache are removed by the next one (:func:`alliance_kg.atomic.sweep_stale`).

An HTML page, broken JSON, a non-JSON content type or an API ``error`` object raise
:class:`~alliance_kg.errors.ServiceError`. Endpoints are configurable (``ALLIANCE_KG_WIKIDATA_API``,
``ALLIANCE_KG_WIKIDATA_SPARQL``, or arguments), so QLever or a private Wikibase works too.

Only the standard library is used (:mod:`urllib.request`): no extra dependency for a handful of GET/POST
requests, and tests can patch nothing but the server.
"""

from __future__ import annotations

import json
import os
import time
import urllib.parse
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Final, TypeVar

from alliance_kg.errors import ServiceError
from alliance_kg.http import HttpClient, Response, Retry, check_url, user_agent

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

_MAX_GET: Final = 2000  # longest URL-encoded query sent with GET
_T = TypeVar("_T")


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where answers are cached: ``$ALLIANCE_KG_CACHE_DIR``, else the user cache folder
    (:func:`alliance_kg.store_cache.user_cache_dir`) + ``wikidata``."""
    from alliance_kg.store_cache import user_cache_dir

    environ = os.environ if environ is None else environ
    if environ.get(ENV_CACHE_DIR):
        return Path(environ[ENV_CACHE_DIR])
    return user_cache_dir(environ) / "wikidata"


def resolve_endpoints(
    api: str | None = None, sparql: str | None = None, environ: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """The API and SPARQL URLs to use: the arguments, else the environment variables, else Wikidata's."""
    environ = os.environ if environ is None else environ
    api_url = api or environ.get(ENV_API) or DEFAULT_API
    sparql_url = sparql or environ.get(ENV_SPARQL) or DEFAULT_SPARQL
    return check_url(api_url, "Wikidata API"), check_url(sparql_url, "SPARQL endpoint")


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

    ``sleep`` can be replaced (tests do, to retry without waiting). ``requests_made`` counts the
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
        self._http = HttpClient(
            timeout=timeout,
            max_retries=max_retries,
            max_wait=max_wait,
            backoff=backoff,
            sleep=sleep,
            agent=self.user_agent,
            cache_dir=self.cache_dir,
            use_cache=use_cache,
            refresh=refresh,
            one_at_a_time=True,
        )

    @property
    def requests_made(self) -> int:
        """The requests that reached the network (cache hits are not counted)."""
        return self._http.requests_made

    @property
    def waited(self) -> float:
        """The seconds spent waiting between retries."""
        return self._http.waited

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
        url = check_url(endpoint, "SPARQL endpoint") if endpoint else self.sparql_url
        return self._call(_method(query), url, {"query": query}, "application/sparql-results+json", self._parse_results)

    def sparql_construct(self, query: str, *, endpoint: str | None = None) -> tuple[str, datetime]:
        """Run a CONSTRUCT query; the Turtle text of the answer and when it was retrieved."""
        url = check_url(endpoint, "SPARQL endpoint") if endpoint else self.sparql_url
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
                raise Retry(reason, after=response.retry_after, status=response.status)
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

    def _call(
        self,
        method: str,
        url: str,
        params: Mapping[str, str],
        accept: str,
        parse: Callable[[Response], _T],
    ) -> _T:
        return self._http.request(method, url, params=params, accept=accept, parse=parse, cache=True)
