"""The SERVICE policy: which remote endpoints a query may reach, decided before anything is sent.

A query may call a remote endpoint with ``SERVICE <https://query.wikidata.org/sparql> { ... }``. Nothing
reaches the network unless the user allows the endpoint:

* :func:`check_services` finds a query's SERVICE targets in rdflib's algebra (not with a regex) and refuses
  (:class:`~alliance_kg.errors.QueryError`) any target the user did not allow. ``wikidata`` is the alias of
  ``https://query.wikidata.org/sparql``; any other endpoint must be given as its full http(s) URL. A SERVICE
  whose target is a variable is always refused. An endpoint on a loopback, private, link-local or otherwise
  non-public address (an IP literal, ``localhost``, or a host name that resolves to one) is refused unless that
  exact URL was allowed by name, not through an alias.
* :func:`service_clauses` gives each SERVICE clause as written, for a runner that answers the clauses itself
  (:func:`alliance_kg.wikidata.federation.run_federated`).

The query layer (:class:`~alliance_kg.knowledge_graph.KnowledgeGraph`) applies the policy to every query that may
hold a SERVICE clause (:func:`alliance_kg.named_queries.mentions_service` is the cheap gate before it).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit, urlunsplit

from alliance_kg.errors import QueryError
from alliance_kg.sparql_text import IRIREF as _IRIREF
from alliance_kg.sparql_text import keyword_at as _keyword_at
from alliance_kg.sparql_text import keyword_positions, matching_brace
from alliance_kg.sparql_text import skip_blank as _skip_blank

if TYPE_CHECKING:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

__all__ = [
    "ALIASES",
    "WIKIDATA_SPARQL",
    "Resolver",
    "ServiceClause",
    "check_services",
    "default_resolver",
    "normalise_endpoint",
    "parse_query",
    "refuse_services",
    "service_clauses",
    "service_nodes",
    "service_targets",
]

WIKIDATA_SPARQL: Final = "https://query.wikidata.org/sparql"
#: Names ``--allow-service`` accepts besides full URLs.
ALIASES: Final[Mapping[str, str]] = {"wikidata": WIKIDATA_SPARQL}

Resolver = Callable[[str], list[str]]


# -- finding SERVICE clauses ---------------------------------------------------------------------------------------


def parse_query(query_text: str, name: str | None) -> Query:
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(query_text)
    except Exception as error:
        raise QueryError(f"cannot parse the query: {error}", query=name) from None


def service_nodes(node: object) -> Iterator[CompValue]:
    """ServiceGraphPattern nodes of an algebra tree, depth first, in the order of the query text."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield node
        for value in node.values():
            yield from service_nodes(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from service_nodes(value)


def service_targets(query_text: str, *, name: str | None = None) -> list[str]:
    """The targets of the query's SERVICE clauses, in order: IRIs, or ``?var`` for a variable target.

    Found in rdflib's algebra of the parsed query. Raises :class:`QueryError` if the query does not parse.
    """
    from rdflib import Variable

    targets: list[str] = []
    for node in service_nodes(parse_query(query_text, name).algebra):
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


def default_resolver(host: str) -> list[str]:
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


def refuse_services(query_text: str) -> None:
    """Raise :class:`~alliance_kg.errors.QueryError` if the query holds a SERVICE clause.

    The local stores call this before running a query: their engines (rdflib, Oxigraph) would call a SERVICE
    endpoint themselves, without the policy. Federated queries run through
    :class:`~alliance_kg.knowledge_graph.KnowledgeGraph` with ``allow_service``, which checks the endpoints and
    answers the clauses itself. The cheap textual gate comes first, so only a query that mentions SERVICE is
    parsed here.
    """
    from alliance_kg.named_queries import mentions_service

    if mentions_service(query_text) and service_targets(query_text):
        raise QueryError(
            "SERVICE clauses are refused by the store (nothing reaches the network unasked): run the query "
            "through the knowledge graph with allow_service (alliance-kg query --allow-service)"
        )
