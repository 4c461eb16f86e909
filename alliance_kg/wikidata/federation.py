"""Federated queries: a runner that reaches the allowed ``SERVICE`` endpoints politely.

Which endpoints a query may reach is decided by the core's SERVICE policy, :mod:`alliance_kg.service_policy`
(re-exported here); in short:

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

import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

from alliance_kg.errors import QueryError, ServiceError
from alliance_kg.service_policy import (
    ALIASES,
    WIKIDATA_SPARQL,
    Resolver,
    ServiceClause,
    check_services,
    default_resolver,
    normalise_endpoint,
    parse_query,
    service_clauses,
    service_nodes,
    service_targets,
)
from alliance_kg.sparql_text import code_only

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

# -- the runner ------------------------------------------------------------------------------------------------------


_EVAL_LOCK: Final = threading.Lock()
_PREFIXED: Final = re.compile(r"(?<![\w:<?$])([A-Za-z][\w.-]*)?:")


def _service_query(ctx: QueryContext, part: CompValue, body: str, prepared: Query) -> str:
    from rdflib import BNode, Variable
    from rdflib.term import Identifier

    prologue = prepared.prologue
    used = set(_PREFIXED.findall(code_only(body)))  # comments, strings and IRIs skipped by the one lexer
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

    nodes = list(service_nodes(prepared.algebra))
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
    resolve: Resolver | None = default_resolver,
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
    prepared = parse_query(query_text, name)
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
