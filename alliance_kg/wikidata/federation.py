"""Federated queries: which ``SERVICE`` endpoints a query may reach, and a runner that reaches them politely.

A named query may call a remote endpoint with ``SERVICE <https://query.wikidata.org/sparql> { ... }``. Nothing
reaches the network unless the user allows the endpoint:

* :func:`check_services` finds a query's SERVICE targets in rdflib's algebra (not with a regex) and refuses
  (:class:`~alliance_kg.errors.QueryError`) any target the user did not allow. ``wikidata`` is the alias of
  ``https://query.wikidata.org/sparql``; any other endpoint must be given as its full http(s) URL. A SERVICE
  whose target is a variable is always refused. An endpoint on a loopback, private, link-local or otherwise
  non-public address (an IP literal, ``localhost``, or a host name that resolves to one) is refused unless that
  exact URL was allowed by name, not through an alias.
* :func:`run_federated` checks the query, then evaluates it with rdflib while answering each SERVICE clause
  itself through :class:`~alliance_kg.wikidata.client.WikidataClient` (User-Agent, timeouts, retries honouring
  ``Retry-After``, on-disk cache) within an overall time limit. rdflib's own SERVICE support is not used: it
  sends no timeout and no User-Agent of ours, and in rdflib 7.6 every SERVICE clause of a query that has
  several sends the text of the first one.

The query CLI should call :func:`check_services` (with the ``--allow-service`` values, empty by default) before
running any query, and run queries that have SERVICE clauses through :func:`run_federated`.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast
from urllib.parse import urlsplit, urlunsplit

from alliance_kg.errors import QueryError, ServiceError
from alliance_kg.sparql_text import IRIREF as _IRIREF
from alliance_kg.sparql_text import keyword_at as _keyword_at
from alliance_kg.sparql_text import keyword_positions, matching_brace
from alliance_kg.sparql_text import skip_blank as _skip_blank

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query, QueryContext
    from rdflib.query import Result
    from rdflib.term import Node

    from alliance_kg.store import Store
    from alliance_kg.wikidata.client import WikidataClient

__all__ = [
    "ALIASES",
    "WIKIDATA_SPARQL",
    "ServiceClause",
    "check_services",
    "federated_query_files",
    "normalise_endpoint",
    "run_federated",
    "service_clauses",
    "service_targets",
]

WIKIDATA_SPARQL: Final = "https://query.wikidata.org/sparql"
#: Names ``--allow-service`` accepts besides full URLs.
ALIASES: Final[Mapping[str, str]] = {"wikidata": WIKIDATA_SPARQL}

Resolver = Callable[[str], list[str]]


# -- finding SERVICE clauses ---------------------------------------------------------------------------------------


def _parse(query_text: str, name: str | None) -> Query:
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(query_text)
    except Exception as error:
        raise QueryError(f"cannot parse the query: {error}", query=name) from None


def _service_nodes(node: object) -> Iterator[CompValue]:
    """ServiceGraphPattern nodes of an algebra tree, depth first, in the order of the query text."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield node
        for value in node.values():
            yield from _service_nodes(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _service_nodes(value)


def service_targets(query_text: str, *, name: str | None = None) -> list[str]:
    """The targets of the query's SERVICE clauses, in order: IRIs, or ``?var`` for a variable target.

    Found in rdflib's algebra of the parsed query. Raises :class:`QueryError` if the query does not parse.
    """
    from rdflib import Variable

    targets: list[str] = []
    for node in _service_nodes(_parse(query_text, name).algebra):
        term = node.get("term")
        targets.append(f"?{term}" if isinstance(term, Variable) else str(term))
    return targets


@dataclass(frozen=True)
class ServiceClause:
    """A SERVICE clause as written: its target (an IRI, a prefixed name or ``?var``), SILENT, and its body."""

    target: str
    silent: bool
    body: str


_TERM: Final = re.compile(r"[^\s{]+")


def service_clauses(query_text: str) -> list[ServiceClause]:
    """The SERVICE clauses as written in the query text, in order (comments, strings and IRIs skipped).

    Used to send each clause's own text to its endpoint; :func:`service_targets` is the authority on what
    the targets are.
    """
    clauses: list[ServiceClause] = []
    for i in keyword_positions(query_text, "SERVICE"):  # a SERVICE may hold another one: each is listed
        j = _skip_blank(query_text, i + len("SERVICE"))
        silent = _keyword_at(query_text, j, "SILENT")
        if silent:
            j = _skip_blank(query_text, j + len("SILENT"))
        match = _IRIREF.match(query_text, j) or _TERM.match(query_text, j)
        if match is None:
            raise QueryError("SERVICE without a target")
        target = match.group()
        target = target[1:-1] if target.startswith("<") else target
        j = _skip_blank(query_text, match.end())
        if j >= len(query_text) or query_text[j] != "{":
            raise QueryError("SERVICE without a { ... } block")
        end = matching_brace(query_text, j, "SERVICE")
        clauses.append(ServiceClause(target=target, silent=silent, body=query_text[j + 1 : end]))
    return clauses


# -- the policy ----------------------------------------------------------------------------------------------------


def normalise_endpoint(url: str) -> str:
    """``url`` with scheme and host in lower case and the default port dropped (for comparing endpoints)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", parts.query, ""))


def _allowed(allow: Iterable[str], name: str | None) -> dict[str, bool]:
    """normalised endpoint -> True when given as a full URL (False when through an alias)."""
    allowed: dict[str, bool] = {}
    for entry in allow:
        entry = entry.strip()
        if entry.lower() in ALIASES:
            allowed.setdefault(normalise_endpoint(ALIASES[entry.lower()]), False)
            continue
        parts = urlsplit(entry)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            known = ", ".join(sorted(ALIASES))
            raise QueryError(
                f"--allow-service takes a known name ({known}) or a full http(s) endpoint URL, not {entry!r}",
                query=name,
            )
        allowed[normalise_endpoint(entry)] = True
    return allowed


def _non_public(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    return not ip.is_global or ip.is_multicast


def _default_resolver(host: str) -> list[str]:
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})
    except OSError:
        return []


def check_services(
    query_text: str,
    *,
    allow: Iterable[str] = (),
    name: str | None = None,
    resolve: Resolver | None = None,
) -> list[str]:
    """Check a query's SERVICE targets against the endpoints the user allowed; return the targets.

    ``allow`` holds ``--allow-service`` values: ``wikidata`` or full endpoint URLs. A query without SERVICE
    passes with any ``allow`` (and returns ``[]``). Raises :class:`QueryError` (naming the query) for a SERVICE
    target that is a variable, not http(s), not allowed, or on a non-public address that was not allowed by its
    exact URL. ``resolve`` (host -> addresses) also checks what a host name resolves to; without it nothing is
    looked up, so the check is offline.
    """
    targets = service_targets(query_text, name=name)
    if not targets:
        return []
    allowed = _allowed(allow, name)
    hint = "run it with --allow-service wikidata" if not allowed else "allowed: " + ", ".join(sorted(allowed))
    for target in targets:
        if target.startswith("?"):
            raise QueryError(f"SERVICE {target}: a SERVICE target must be a fixed endpoint IRI", query=name)
        parts = urlsplit(target)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise QueryError(f"SERVICE <{target}> is not an http(s) endpoint", query=name)
        key = normalise_endpoint(target)
        if key not in allowed:
            raise QueryError(f"SERVICE <{target}> is not allowed ({hint})", query=name)
        if allowed[key]:
            continue  # this exact endpoint was allowed by name
        host = parts.hostname
        addresses = [host] if _non_public(host) or host == "localhost" or host.endswith(".localhost") else []
        if not addresses and resolve is not None:
            addresses = [a for a in resolve(host) if _non_public(a)]
        if addresses:
            raise QueryError(
                f"SERVICE <{target}> is on a non-public address ({', '.join(addresses)}); allow it by its full "
                "URL if that is intended",
                query=name,
            )
    return targets


# -- the runner ------------------------------------------------------------------------------------------------------


_EVAL_LOCK: Final = threading.Lock()
_PREFIXED: Final = re.compile(r"(?<![\w:<?$])([A-Za-z][\w.-]*)?:")


def _service_query(ctx: QueryContext, part: CompValue, body: str, prepared: Query) -> str:
    from rdflib import BNode, Variable
    from rdflib.term import Identifier

    prologue = prepared.prologue
    used = set(_PREFIXED.findall(re.sub(r"<[^>]*>|\"[^\"]*\"|'[^']*'", " ", body)))
    lines = []
    if prologue is not None:
        if prologue.base:
            lines.append(f"BASE <{prologue.base}>")
        for prefix, namespace in prologue.namespace_manager.namespaces():
            if prefix in used:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    query = "\n".join([*lines, f"SELECT REDUCED * WHERE {{{body}}}"])
    bound = []
    for variable in sorted(part.get("_vars") or (), key=str):
        if isinstance(variable, Variable):
            value = ctx[variable]
            if isinstance(value, Identifier) and not isinstance(value, BNode):
                bound.append((variable, value))
    if bound:
        names = " ".join(v.n3() for v, _ in bound)
        values = " ".join(t.n3() for _, t in bound)
        query += f"\nVALUES ({names}) {{ ({values}) }}"
    return query


def _term(binding: Mapping[str, Any]) -> Node:
    from rdflib import BNode, Literal, URIRef

    kind = binding.get("type")
    value = str(binding.get("value", ""))
    if kind == "uri":
        return URIRef(value)
    if kind in {"literal", "typed-literal"}:
        datatype = binding.get("datatype")
        return Literal(value, datatype=URIRef(datatype) if datatype else None, lang=binding.get("xml:lang"))
    if kind == "bnode":
        return BNode(value)
    raise ServiceError(f"a result binding of unknown type {kind!r}")


@contextmanager
def _answering_services(
    prepared: Query, clauses: list[ServiceClause], client: WikidataClient, deadline: float, name: str | None
) -> Iterator[None]:
    from rdflib import Variable
    from rdflib.plugins.sparql import CUSTOM_EVALS

    nodes = list(_service_nodes(prepared.algebra))
    if len(nodes) != len(clauses):
        raise QueryError(
            f"found {len(nodes)} SERVICE clauses in the algebra but {len(clauses)} in the text", query=name
        )
    by_node: dict[int, tuple[str, ServiceClause]] = {}
    for node, clause in zip(nodes, clauses, strict=True):
        endpoint = str(node.get("term"))
        if clause.target.startswith(("http://", "https://")) and clause.target != endpoint:
            raise QueryError(f"cannot match SERVICE <{clause.target}> to the parsed query", query=name)
        by_node[id(node)] = (endpoint, clause)

    def evaluate(ctx: QueryContext, part: CompValue) -> Iterator[Any]:
        if part.name != "ServiceGraphPattern":
            raise NotImplementedError
        found = by_node.get(id(part))
        if found is None:
            raise QueryError("a SERVICE clause that was not checked; refusing to run it", query=name)
        return _answer(ctx, part, *found)

    def _answer(ctx: QueryContext, part: CompValue, endpoint: str, clause: ServiceClause) -> Iterator[Any]:
        if time.monotonic() > deadline:
            raise QueryError("the federated query ran out of time", query=name)
        try:
            results = client.sparql_select(_service_query(ctx, part, clause.body, prepared), endpoint=endpoint)
        except ServiceError:
            if clause.silent:
                yield ctx.solution()
                return
            raise
        for row in (results.get("results") or {}).get("bindings", []) or []:
            child = ctx.push()
            consistent = True
            for key, binding in row.items():
                term = _term(binding)
                current = ctx[Variable(key)]
                if current is not None and current != term:
                    consistent = False
                    break
                if current is None:
                    child[Variable(key)] = cast(Any, term)
            if consistent:
                yield child.solution()

    key = f"alliance-kg-federation-{id(evaluate)}"
    with _EVAL_LOCK:
        CUSTOM_EVALS[key] = evaluate
        try:
            yield
        finally:
            del CUSTOM_EVALS[key]


def run_federated(
    target: Graph | Store,
    query_text: str,
    *,
    allow: Iterable[str],
    client: WikidataClient | None = None,
    bindings: Mapping[str, Node] | None = None,
    timeout: float = 120.0,
    name: str | None = None,
    resolve: Resolver | None = _default_resolver,
) -> Result:
    """Run a query whose SERVICE clauses call allowed endpoints; rdflib's result, evaluated.

    ``target`` is the local data (a graph, or a :class:`~alliance_kg.store.Store`, whose union is queried).
    The query is checked first (:func:`check_services`, host names resolved with ``resolve``); each SERVICE
    clause is then sent through ``client`` (a default :class:`WikidataClient` when None), with the values
    already bound for its variables. The whole query must finish within ``timeout`` seconds.
    Raises :class:`QueryError` (refused, out of time) or :class:`ServiceError` (an endpoint failed, unless its
    clause is ``SILENT``).
    """
    from rdflib import Graph
    from rdflib.term import Identifier

    from alliance_kg.store import quiet_dataset_warnings, union_graph
    from alliance_kg.wikidata.client import WikidataClient

    check_services(query_text, allow=allow, name=name, resolve=resolve)
    prepared = _parse(query_text, name)
    clauses = service_clauses(query_text)
    graph = target if isinstance(target, Graph) else union_graph(target)
    client = client or WikidataClient(timeout=min(timeout, 60.0))
    deadline = time.monotonic() + timeout
    with _answering_services(prepared, clauses, client, deadline, name), quiet_dataset_warnings():
        initial = {key: cast(Identifier, term) for key, term in (bindings or {}).items()}
        result = graph.query(prepared, initBindings=initial)
        try:
            len(result)  # evaluate now, while the SERVICE handler is in place
        except (QueryError, ServiceError):
            raise
        except Exception as error:
            raise QueryError(f"the federated query failed: {type(error).__name__}: {error}", query=name) from None
    return result


def federated_query_files() -> list[Path]:
    """The packaged federated named queries: ``queries/federated/*.rq``, sorted."""
    from alliance_kg.resources import query_files

    return [path for path in query_files() if path.parent.name == "federated"]
