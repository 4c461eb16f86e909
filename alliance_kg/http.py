"""The polite HTTP client every network call of alliance-kg goes through.

:class:`HttpClient` is used by the Wikidata client (:mod:`alliance_kg.wikidata.client`), the remote SPARQL store
(:mod:`alliance_kg.store_sparql`) and ``alliance-kg publish`` (:mod:`alliance_kg.publish`). It behaves as public
services ask of clients (https://meta.wikimedia.org/wiki/User-Agent_policy):

* a descriptive ``User-Agent`` naming alliance-kg, its version and where to reach the project (:func:`user_agent`);
* optionally one request at a time (a lock around every request);
* HTTP 429, 502, 503 and 504, timeouts and refused connections are retried with exponential back-off, honouring
  ``Retry-After`` (seconds or an HTTP date); the total time spent waiting is bounded (``max_wait``), and a server
  that asks for more gets a clean :class:`~alliance_kg.errors.ServiceError` at once. A parser may ask for a retry
  too, by raising :class:`Retry` (the Wikidata API's ``maxlag`` error does);
* every request has a timeout; redirects are not followed (a server is asked only at the address given: a 3xx
  answer is a :class:`~alliance_kg.errors.ServiceError` naming where it points);
* an optional on-disk cache of answers (one JSON file per request, written atomically, with a SHA-256 of the
  answer); only usable answers are cached, never errors. A damaged entry (truncated, overwritten, not the answer
  to its request, a checksum that does not match, an answer the parser refuses) is reported in one line on the
  ``alliance_kg`` logger (stderr, for the command line), removed, and asked again;
* GET, POST (form-encoded or a body of any type), PUT and DELETE, so that the SPARQL 1.1 Protocol and the Graph
  Store HTTP Protocol both go through it;
* :class:`Credentials` for servers that ask for them (HTTP Basic or Digest, answered only when the server
  challenges; the password never appears in a message, a ``repr`` or a log line).

Every failure is a :class:`~alliance_kg.errors.ServiceError` carrying the URL asked, the HTTP status (None when
there was no answer) and, for an error status, the server's own message (truncated).

Only the standard library is used (:mod:`urllib.request`), imported when this module is: keep imports of this
module inside functions of command modules, so that ``alliance-kg --help`` stays fast.
"""

from __future__ import annotations

import email.utils
import hashlib
import html
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPResponse
from pathlib import Path
from typing import Any, Final, TypeVar

from alliance_kg.errors import InputError, ParameterError, ServiceError

__all__ = [
    "RETRY_STATUSES",
    "Credentials",
    "HttpClient",
    "HttpTimeout",
    "Params",
    "Response",
    "Retry",
    "check_url",
    "retry_after",
    "server_message",
    "user_agent",
]

#: The HTTP statuses that are retried (after ``Retry-After`` when the server gives one).
RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
_MAX_BACKOFF: Final = 60.0
_MESSAGE_LENGTH: Final = 300
_T = TypeVar("_T")
_R = TypeVar("_R")

#: Request parameters: a mapping, or pairs when a name repeats (``default-graph-uri`` in SPARQL).
Params = Mapping[str, str] | Sequence[tuple[str, str]]


def user_agent() -> str:
    """The User-Agent sent with every request (Wikimedia's policy asks for a name, version and contact)."""
    from alliance_kg import __version__

    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return (
        f"alliance-kg/{__version__} (https://w3id.org/alliance-kg; knowledge graph of automotive OEM supply) "
        f"Python-urllib/{python}"
    )


def check_url(url: str, what: str) -> str:
    """``url`` if it is an http(s) URL with a host; else :class:`~alliance_kg.errors.InputError` naming ``what``."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InputError(f"the {what} must be an http(s) URL with a host, not {url!r}")
    return url


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date; a past date is 0), else None."""
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


def server_message(body: bytes, content_type: str = "", limit: int = _MESSAGE_LENGTH) -> str:
    """The server's own words from an error answer: text on one line, tags of an HTML page dropped, truncated."""
    text = body[: limit * 20].decode("utf-8", errors="replace")
    if "html" in content_type or text.lstrip()[:1] == "<":
        text = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"(?s)<[^>]*>", " ", text))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pairs(params: Params | None) -> list[tuple[str, str]]:
    if not params:
        return []
    if isinstance(params, Mapping):
        return list(params.items())
    return list(params)


def _with_query(url: str, pairs: Sequence[tuple[str, str]]) -> str:
    if not pairs:
        return url
    return url + ("&" if urllib.parse.urlsplit(url).query else "?") + urllib.parse.urlencode(pairs)


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
    headers: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class HttpTimeout(ServiceError):
    """A :class:`~alliance_kg.errors.ServiceError`: the server gave no answer within the timeout."""


class Retry(Exception):
    """This answer may be retried (after ``after`` seconds when the server said): raised by the client itself for
    the statuses of :data:`RETRY_STATUSES`, timeouts and refused connections, and by a parser that recognises a
    "try again later" answer."""

    def __init__(
        self,
        reason: str,
        after: float | None = None,
        status: int | None = None,
        url: str | None = None,
        *,
        timed_out: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after
        self.status = status
        self.url = url
        self.timed_out = timed_out


@dataclass(frozen=True)
class Credentials:
    """A user name and password for a server that asks for them (HTTP Basic or Digest).

    Read them from the environment with :meth:`from_environment`, never from command-line arguments (which other
    users of the machine can see). The password is left out of ``repr`` and of every message.
    """

    user: str
    password: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password=***)"

    @classmethod
    def from_environment(
        cls, user_variable: str, password_variable: str, environ: Mapping[str, str] | None = None
    ) -> Credentials:
        """The credentials held by two environment variables, named by the caller.

        Raises :class:`~alliance_kg.errors.ParameterError` naming a variable that is not set (or is empty);
        the values themselves are never shown.
        """
        env = os.environ if environ is None else environ
        values: list[str] = []
        for option, name in (("--user-env", user_variable), ("--password-env", password_variable)):
            if not name or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise ParameterError(f"{option}: not an environment variable name: {name!r}", parameter=option)
            value = env.get(name)
            if not value:
                raise ParameterError(
                    f"{option}: the environment variable {name} is not set (or is empty)", parameter=option
                )
            values.append(value)
        return cls(values[0], values[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _closing_challenge(handler: type[Any]) -> type[Any]:
    """``handler`` closing the 401 answer it answers (urllib leaves it open: a socket left to the collector)."""

    class Closing(handler):  # type: ignore[misc]
        def http_error_401(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
            answered = False
            try:
                result = super().http_error_401(req, fp, code, msg, headers)
                answered = result is not None
                return result
            except BaseException:
                answered = True  # the error raised is the retried request's own
                raise
            finally:
                if answered and fp is not None:
                    fp.close()

    Closing.__name__ = handler.__name__
    return Closing


_DigestAuth = _closing_challenge(urllib.request.HTTPDigestAuthHandler)
_BasicAuth = _closing_challenge(urllib.request.HTTPBasicAuthHandler)


class HttpClient:
    """Sends requests politely (see the module docstring).

    ``timeout`` (seconds) bounds every wait for the network (connecting, and each read); ``max_retries`` retries
    after the first attempt, waiting ``backoff * 2**attempt`` seconds (at most 60) unless the server says how
    long; ``max_wait`` bounds the total waiting over the client's life. ``sleep`` can be replaced (tests do, to
    retry without waiting). ``cache_dir`` keeps answers of requests made with ``cache=True`` (``use_cache=False``
    neither reads nor writes it, ``refresh=True`` writes it without reading). ``one_at_a_time`` serialises the
    requests of this client. ``requests_made`` counts the requests that reached the network (cache hits are not
    counted); ``waited`` the seconds spent waiting between retries.
    """

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        max_retries: int = 4,
        max_wait: float = 120.0,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        agent: str | None = None,
        cache_dir: str | Path | None = None,
        use_cache: bool = True,
        refresh: bool = False,
        credentials: Credentials | None = None,
        one_at_a_time: bool = True,
    ) -> None:
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.backoff = backoff
        self.sleep = sleep
        self.user_agent = agent or user_agent()
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.use_cache = use_cache
        self.refresh = refresh
        self.requests_made = 0
        self.waited = 0.0
        self._lock: threading.Lock | None = threading.Lock() if one_at_a_time else None
        handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
        self._credentials = credentials
        self._has_credentials = credentials is not None
        self._passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        if credentials is not None:
            # answered only when the server challenges (401 with WWW-Authenticate), in the scheme it asks for
            handlers.append(_DigestAuth(self._passwords))
            handlers.append(_BasicAuth(self._passwords))
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        auth = ", with credentials" if self._has_credentials else ""
        return f"<HttpClient timeout={self.timeout:g}s retries={self.max_retries}{auth}>"

    # -- the calls -----------------------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Params | None = None,
        data: bytes | None = None,
        content_type: str | None = None,
        accept: str = "*/*",
        parse: Callable[[Response], _T] | None = None,
        cache: bool = False,
        timeout: float | None = None,
        headers: Mapping[str, str] | None = None,
        retry_timeouts: bool = True,
    ) -> _T:
        """Send one request (with retries) and return ``parse(response)`` (the :class:`Response` without ``parse``).

        ``params`` go in the URL's query string, except for a POST without ``data``, where they are the
        form-encoded body. ``data`` is a body of type ``content_type``. ``cache=True`` reads and writes the
        on-disk cache (when the client has one). ``retry_timeouts=False`` gives up at the first timeout with
        :class:`HttpTimeout` (a query that ran out of time would only run out of time again). A ``parse`` that
        raises :class:`Retry` asks for a retry; one that raises :class:`~alliance_kg.errors.ServiceError` ends
        the call (and nothing is cached).
        """
        parser: Callable[[Response], Any] = parse if parse is not None else _identity
        pairs = _pairs(params)
        cache_file = self._cache_file(method, url, pairs, accept) if cache and data is None else None
        if cache_file is not None:
            cached = self._read_cache(cache_file, url)
            if cached is not None:
                try:
                    return parser(cached)  # type: ignore[no-any-return]
                except (ServiceError, Retry) as error:  # a damaged or unusable cached answer is asked again
                    reason = error.message if isinstance(error, ServiceError) else error.reason
                    self._drop_cache(cache_file, f"the cached answer is not usable: {reason}")
        with self._serial():
            response, value = self._with_retries(
                url,
                lambda: self._send(method, url, pairs, data, content_type, accept, timeout, headers),
                parser,
                retry_timeouts,
            )
        if cache_file is not None:
            self._write_cache(cache_file, response, pairs)
        return value  # type: ignore[no-any-return]

    @contextmanager
    def stream(
        self,
        method: str,
        url: str,
        *,
        params: Params | None = None,
        data: bytes | None = None,
        content_type: str | None = None,
        accept: str = "*/*",
        timeout: float | None = None,
        headers: Mapping[str, str] | None = None,
        retry_timeouts: bool = True,
    ) -> Iterator[HTTPResponse]:
        """Like :meth:`request`, but yields the open answer (a 2xx) to be read as it arrives; closed afterwards.

        Retries happen until the server answers; once the body is being read nothing is retried.
        """
        pairs = _pairs(params)
        with self._serial():
            answer, _ = self._with_retries(
                url,
                lambda: self._open(method, url, pairs, data, content_type, accept, timeout, headers),
                _identity,
                retry_timeouts,
            )
        try:
            yield answer
        finally:
            answer.close()

    # -- the machinery -------------------------------------------------------------------------------------------

    @contextmanager
    def _serial(self) -> Iterator[None]:
        if self._lock is None:
            yield
            return
        with self._lock:
            yield

    def _with_retries(
        self, url: str, send: Callable[[], _R], parse: Callable[[_R], Any], retry_timeouts: bool = True
    ) -> tuple[_R, Any]:
        attempt = 0
        while True:
            try:
                response = send()
                return response, parse(response)
            except Retry as retry:
                where = retry.url or url
                if retry.timed_out and not retry_timeouts:
                    raise HttpTimeout(retry.reason, url=where) from None
                if attempt >= self.max_retries:
                    kind = HttpTimeout if retry.timed_out else ServiceError
                    raise kind(
                        f"gave up after {attempt + 1} attempts: {retry.reason}", url=where, status=retry.status
                    ) from None
                delay = retry.after if retry.after is not None else min(_MAX_BACKOFF, self.backoff * 2**attempt)
                if self.waited + delay > self.max_wait:
                    raise ServiceError(
                        f"{retry.reason}; waiting {delay:g} s more would exceed the {self.max_wait:g} s budget",
                        url=where,
                        status=retry.status,
                    ) from None
                self.sleep(delay)
                self.waited += delay
                attempt += 1

    def _request(
        self,
        method: str,
        url: str,
        pairs: Sequence[tuple[str, str]],
        data: bytes | None,
        content_type: str | None,
        accept: str,
        headers: Mapping[str, str] | None,
    ) -> urllib.request.Request:
        sent = {"User-Agent": self.user_agent, "Accept": accept, "Accept-Encoding": "identity", **(headers or {})}
        if method == "POST" and data is None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(pairs).encode()
            return urllib.request.Request(url, data=body, headers=sent, method="POST")  # noqa: S310
        if data is not None:
            sent["Content-Type"] = content_type or "application/octet-stream"
        return urllib.request.Request(_with_query(url, pairs), data=data, headers=sent, method=method)  # noqa: S310

    def _open(
        self,
        method: str,
        url: str,
        pairs: Sequence[tuple[str, str]],
        data: bytes | None,
        content_type: str | None,
        accept: str,
        timeout: float | None,
        headers: Mapping[str, str] | None,
    ) -> HTTPResponse:
        """One attempt: the open answer (a 2xx); :class:`Retry` or :class:`ServiceError` otherwise."""
        request = self._request(method, url, pairs, data, content_type, accept, headers)
        if self._credentials is not None:  # for this server only (redirects are not followed)
            parts = urllib.parse.urlsplit(url)
            self._passwords.add_password(
                None,
                f"{parts.scheme}://{parts.netloc}/",
                self._credentials.user,
                self._credentials.password,
            )
        wait = self.timeout if timeout is None else timeout
        self.requests_made += 1
        now = datetime.now(UTC)
        try:
            answer: HTTPResponse = self._opener.open(request, timeout=wait)
            return answer
        except urllib.error.HTTPError as error:
            status = error.code
            after = retry_after(error.headers.get("Retry-After") if error.headers else None, now)
            try:
                body = error.read(_MESSAGE_LENGTH * 20)
            except (OSError, ValueError):
                body = b""
            content = error.headers.get("Content-Type", "") if error.headers else ""
            location = error.headers.get("Location") if error.headers else None
            error.close()
            said = server_message(body, content)
            reason = f"HTTP {status} {error.reason}" + (f": {said}" if said else "")
            if status in RETRY_STATUSES:
                raise _retry(reason, after, status, url) from None
            if 300 <= status < 400:
                where = f" to {location}" if location else ""
                reason = f"HTTP {status} {error.reason}: redirects{where} are not followed (use the address it names)"
            elif status == 401:
                reason += " (the server asks for credentials" + (
                    ": the ones given were refused)" if self._has_credentials else ")"
                )
            raise ServiceError(reason, url=url, status=status) from None
        except TimeoutError:
            raise _timed_out(wait, url) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise _timed_out(wait, url) from None
            raise _retry(f"cannot connect ({error.reason})", None, None, url) from None
        except ValueError as error:  # urllib's digest handler for a challenge it cannot answer, and the like
            raise ServiceError(f"cannot send the request: {error}", url=url) from None
        except OSError as error:
            raise _retry(f"connection failed ({error})", None, None, url) from None

    def _send(
        self,
        method: str,
        url: str,
        pairs: Sequence[tuple[str, str]],
        data: bytes | None,
        content_type: str | None,
        accept: str,
        timeout: float | None,
        headers: Mapping[str, str] | None,
    ) -> Response:
        """One attempt, read to the end."""
        now = datetime.now(UTC)
        answer = self._open(method, url, pairs, data, content_type, accept, timeout, headers)
        wait = self.timeout if timeout is None else timeout
        try:
            with answer:
                body = answer.read()
                return Response(
                    url=url,
                    status=answer.status,
                    content_type=answer.headers.get("Content-Type", ""),
                    body=body,
                    retrieved=now,
                    retry_after=retry_after(answer.headers.get("Retry-After"), now),
                    headers=dict(answer.headers.items()),
                )
        except TimeoutError:
            raise _timed_out(wait, url) from None
        except OSError as error:
            raise _retry(f"connection failed ({error})", None, None, url) from None

    def _cache_file(self, method: str, url: str, pairs: Sequence[tuple[str, str]], accept: str) -> Path | None:
        if self.cache_dir is None:
            return None
        key = json.dumps([method, url, sorted(pairs), accept], ensure_ascii=False)
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}.json"

    def _read_cache(self, path: Path, url: str) -> Response | None:
        """The cached answer in ``path``; None when there is none, or when it is damaged (truncated, overwritten,
        not the answer to ``url``): that is reported in one line (the ``alliance_kg`` logger), the entry removed,
        and the request asked again (the answer then replaces it)."""
        if not self.use_cache or self.refresh:
            return None
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError:
            self._drop_cache(path, "not UTF-8 text (overwritten)")
            return None
        except OSError as error:
            self._drop_cache(path, f"cannot be read ({error.strerror or error})")
            return None
        try:
            entry = json.loads(text)
            response = Response(
                url=entry["url"],
                status=int(entry["status"]),
                content_type=entry["content_type"],
                body=entry["body"].encode("utf-8"),
                retrieved=datetime.fromisoformat(entry["retrieved"]),
                from_cache=True,
            )
            checksum = entry.get("sha256")
        except json.JSONDecodeError as error:
            self._drop_cache(path, f"not the JSON alliance-kg wrote (truncated or overwritten: {error.msg})")
            return None
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            self._drop_cache(path, f"not a cached answer ({type(error).__name__}: {error})")
            return None
        if response.url != url:
            self._drop_cache(path, f"the answer of another request ({response.url})")
            return None
        if checksum != hashlib.sha256(response.body).hexdigest():
            what = (
                "no checksum (written by an older alliance-kg)" if checksum is None else "its checksum does not match"
            )
            self._drop_cache(path, f"the answer is not the one received: {what}")
            return None
        return response

    @staticmethod
    def _drop_cache(path: Path, reason: str) -> None:
        """Report a damaged cache entry in one line and remove it (it is written again with the new answer)."""
        import logging

        logging.getLogger("alliance_kg").warning(
            "alliance-kg: damaged cache entry %s: %s; asking the service again", path, " ".join(reason.split())[:200]
        )
        with suppress(OSError):  # the new answer replaces it (atomically) anyway
            path.unlink(missing_ok=True)

    def _write_cache(self, path: Path, response: Response, pairs: Sequence[tuple[str, str]]) -> None:
        if not self.use_cache:
            return
        from alliance_kg.atomic import write_atomic

        entry = {
            "url": response.url,
            "params": dict(pairs),
            "status": response.status,
            "content_type": response.content_type,
            "retrieved": response.retrieved.isoformat(),
            "body": response.text(),
            "sha256": hashlib.sha256(response.text().encode("utf-8")).hexdigest(),  # of the body as read back
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps(entry, ensure_ascii=False))
        except (OSError, InputError):
            pass  # a cache that cannot be written only costs a request next time


def _identity(value: _R) -> _R:
    return value


def _retry(reason: str, after: float | None, status: int | None, url: str) -> Retry:
    return Retry(reason, after=after, status=status, url=url)


def _timed_out(wait: float, url: str) -> Retry:
    return Retry(f"no answer within {wait:g} s", url=url, timed_out=True)
