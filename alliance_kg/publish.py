"""Publish a release to a SPARQL server: ``alliance-kg publish RELEASE_DIR --graph-store URL``.

:func:`publish` reads a release folder (written by ``alliance-kg build``: its ``summary.json`` says it is one,
its ``alliance-kg.trig`` holds the named graphs) and *replaces* each named graph on the server through the
SPARQL 1.1 Graph Store HTTP Protocol: one ``PUT URL?graph=IRI`` (indirect graph identification) per graph, its
triples as N-Triples. The project's graphs that the release does not hold (a Wikidata enrichment that was
dropped) are deleted (``DELETE URL?graph=IRI``), so that the server ends up holding the release, no more.
Other graphs on the server are never touched.

Then, when a SPARQL query endpoint is given (``query_url``), each graph is counted there and must hold as many
triples as were sent; without one, nothing is verified (and the result says so).

Graph Store endpoints: Oxigraph server ``http://HOST:PORT/store``; Virtuoso ``http://HOST:PORT/sparql-graph-crud-auth``
(HTTP Digest, a user with write rights such as ``dba``) or ``/sparql-graph-crud`` (no authentication, when the
``SPARQL`` user was granted ``SPARQL_UPDATE``); Apache Jena Fuseki ``http://HOST:PORT/DATASET/data``; GraphDB
``http://HOST:PORT/repositories/REPO/rdf-graphs/service``.

Credentials (:class:`~alliance_kg.http.Credentials`) are answered in the scheme the server asks for (Basic or
Digest) and are never printed or logged. A blank node is local to the document it is sent in, so a blank node
shared by two graphs of the release would become two on the server: the result warns about it.

A failure part of the way (the server goes away after two graphs) raises
:class:`~alliance_kg.errors.ServiceError` naming the graphs already replaced and those not: the server then
holds a mix of the old and the new release until ``publish`` is run again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from alliance_kg.errors import InputError, ServiceError

if TYPE_CHECKING:
    import pyoxigraph as ox

    from alliance_kg.http import Credentials, HttpClient

__all__ = ["PublishResult", "PublishedGraph", "Release", "publish", "read_release"]

_TRIG: Final = "alliance-kg.trig"
_SUMMARY: Final = "summary.json"
_NTRIPLES: Final = "application/n-triples"


@dataclass(frozen=True)
class Release:
    """A release folder read for publishing: its named graphs (IRI -> triples) and its summary."""

    path: Path
    graphs: Mapping[str, list[ox.Triple]] = field(repr=False)
    summary: Mapping[str, object] = field(repr=False)

    @property
    def counts(self) -> dict[str, int]:
        """Triples per named graph."""
        return {name: len(triples) for name, triples in self.graphs.items()}

    def shared_blank_nodes(self) -> int:
        """How many blank nodes appear in more than one graph (each would be split in two on a server)."""
        import pyoxigraph as ox

        seen: dict[str, set[str]] = {}
        for name, triples in self.graphs.items():
            for triple in triples:
                for term in (triple.subject, triple.object):
                    if isinstance(term, ox.BlankNode):
                        seen.setdefault(term.value, set()).add(name)
        return sum(1 for graphs in seen.values() if len(graphs) > 1)


@dataclass(frozen=True)
class PublishedGraph:
    """One graph of a publication: its IRI, the triples sent (0 for a deleted graph), what was done, and the count
    the query endpoint gave afterwards (None when not verified)."""

    iri: str
    triples: int
    action: str  # "replaced" or "deleted"
    counted: int | None = None


@dataclass(frozen=True)
class PublishResult:
    """What :func:`publish` did: where, each graph, whether it was verified, and warnings."""

    graph_store_url: str
    graphs: tuple[PublishedGraph, ...]
    verified: bool
    warnings: tuple[str, ...] = ()

    def text(self) -> str:
        """A short report for people."""
        lines = [f"published to {self.graph_store_url}:"]
        for graph in self.graphs:
            if graph.action == "deleted":
                lines.append(f"  deleted   {graph.iri} (not in this release)")
            else:
                check = f", {graph.counted} on the server" if graph.counted is not None else ""
                lines.append(f"  replaced  {graph.iri}: {graph.triples} triples{check}")
        if self.verified:
            lines.append("verified: every graph holds the triples sent")
        else:
            lines.append("not verified: give --query-url to count each graph on the server afterwards")
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


def _graph_order(names: list[str]) -> list[str]:
    from alliance_kg.store_sparql import PROJECT_GRAPHS

    known = [name for name in PROJECT_GRAPHS if name in names]
    return known + sorted(name for name in names if name not in PROJECT_GRAPHS)


def read_release(path: str | Path) -> Release:
    """Read a release folder: check it is one (``summary.json``) and split ``alliance-kg.trig`` by named graph.

    Raises :class:`~alliance_kg.errors.InputError` for a folder that is not a release, an unreadable or
    malformed file, triples outside a named graph, or graph sizes that disagree with ``summary.json``.
    """
    import pyoxigraph as ox

    folder = Path(path)
    if not folder.is_dir():
        raise InputError("no such release folder (write one with: alliance-kg build --out DIR)", path=folder)
    summary_path, trig_path = folder / _SUMMARY, folder / _TRIG
    if not summary_path.is_file() or not trig_path.is_file():
        raise InputError(
            f"not a release folder: it has no {_SUMMARY} and {_TRIG} (alliance-kg build writes them)", path=folder
        )
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError(f"cannot read the release summary: {error}", path=summary_path) from None
    if not isinstance(summary, dict) or not isinstance(summary.get("triples"), dict):
        raise InputError("not a release summary (no 'triples' counts)", path=summary_path)
    graphs: dict[str, list[ox.Triple]] = {}
    try:
        for quad in ox.parse(path=str(trig_path), format=ox.RdfFormat.TRIG):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise InputError("the release's TriG has triples outside a named graph", path=trig_path)
            graphs.setdefault(quad.graph_name.value, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    except SyntaxError as error:
        raise InputError(f"TriG syntax error: {error.msg}", path=trig_path, line=error.lineno) from None
    except OSError as error:
        raise InputError(f"cannot read the release: {error}", path=trig_path) from None
    if not graphs:
        raise InputError("the release holds no named graph", path=trig_path)
    _check_counts(summary["triples"], graphs, summary_path)
    return Release(path=folder, graphs={name: graphs[name] for name in _graph_order(list(graphs))}, summary=summary)


def _check_counts(counts: Mapping[str, object], graphs: Mapping[str, list[ox.Triple]], path: Path) -> None:
    from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY

    for key, iri in (("ontology", GRAPH_ONTOLOGY), ("facts", GRAPH_FACTS), ("inferred", GRAPH_INFERRED)):
        expected = counts.get(key)
        found = len(graphs.get(iri, []))
        if isinstance(expected, int) and expected != found:
            raise InputError(
                f"the release disagrees with itself: summary.json counts {expected} {key} triples, "
                f"alliance-kg.trig holds {found} (rebuild it with alliance-kg build)",
                path=path,
            )


def publish(
    release: str | Path | Release,
    graph_store_url: str,
    *,
    query_url: str | None = None,
    credentials: Credentials | None = None,
    timeout: float = 60.0,
    client: HttpClient | None = None,
    progress: Callable[[str], None] | None = None,
) -> PublishResult:
    """Replace the release's named graphs on the server whose Graph Store endpoint is ``graph_store_url``.

    ``release`` is a release folder (or what :func:`read_release` gave). ``query_url`` is the server's SPARQL
    query endpoint, to verify by counting each graph afterwards. ``credentials`` answer the server's challenge.
    ``timeout`` (seconds) bounds each request. ``progress`` is called with a line for each graph done.
    Raises :class:`~alliance_kg.errors.InputError` for a folder that is not a release and
    :class:`~alliance_kg.errors.ServiceError` when the server refuses or fails (naming the graphs replaced
    before the failure) or when a graph's count afterwards differs from the triples sent.
    """
    import pyoxigraph as ox

    from alliance_kg.http import HttpClient, check_url
    from alliance_kg.store_sparql import PROJECT_GRAPHS

    check_url(graph_store_url, "Graph Store endpoint")
    if query_url is not None:
        check_url(query_url, "SPARQL query endpoint")
    content = release if isinstance(release, Release) else read_release(release)
    http = client or HttpClient(timeout=timeout, max_retries=2, max_wait=30.0, credentials=credentials)
    done: list[PublishedGraph] = []
    plan = [(iri, "replaced") for iri in content.graphs] + [
        (iri, "deleted") for iri in PROJECT_GRAPHS if iri not in content.graphs
    ]
    for iri, action in plan:
        try:
            if action == "replaced":
                data = ox.serialize(content.graphs[iri], format=ox.RdfFormat.N_TRIPLES)
                assert isinstance(data, bytes)
                http.request(
                    "PUT", graph_store_url, params={"graph": iri}, data=data, content_type=_NTRIPLES, timeout=timeout
                )
                done.append(PublishedGraph(iri, len(content.graphs[iri]), action))
            else:
                try:
                    http.request("DELETE", graph_store_url, params={"graph": iri}, timeout=timeout)
                except ServiceError as error:
                    if error.status != 404:  # 404: there was no such graph, nothing to delete
                        raise
                    continue
                done.append(PublishedGraph(iri, 0, action))
        except ServiceError as error:
            raise _halfway(error, iri, action, done, plan) from None
        if progress is not None:
            last = done[-1]
            progress(f"{last.action} {last.iri}" + (f": {last.triples} triples" if action == "replaced" else ""))
    verified = False
    if query_url is not None:
        done = _verify(query_url, done, http, timeout)
        verified = True
    warnings: list[str] = []
    shared = content.shared_blank_nodes()
    if shared:
        warnings.append(
            f"{shared} blank node(s) appear in more than one graph; the server holds them as separate nodes"
        )
    return PublishResult(graph_store_url, tuple(done), verified, tuple(warnings))


def _halfway(
    error: ServiceError, iri: str, action: str, done: list[PublishedGraph], plan: list[tuple[str, str]]
) -> ServiceError:
    finished = {graph.iri for graph in done}
    pending = [name for name, _ in plan if name not in finished and name != iri]
    verb = "replacing" if action == "replaced" else "deleting"
    message = f"publishing failed while {verb} {iri}: {error.message}."
    if done:
        message += " Already " + "; ".join(f"{graph.action}: {graph.iri}" for graph in done) + "."
        message += " The server now holds part of this release: publish again once the server is back."
    else:
        message += " Nothing was changed on the server."
    if pending:
        message += " Not done: " + ", ".join(pending) + "."
    return ServiceError(message, url=error.url, status=error.status)


def _verify(query_url: str, done: list[PublishedGraph], http: HttpClient, timeout: float) -> list[PublishedGraph]:
    from alliance_kg.store_sparql import SparqlStore

    store = SparqlStore(query_url, graphs=[graph.iri for graph in done], timeout=timeout, client=http)
    checked: list[PublishedGraph] = []
    wrong: list[str] = []
    for graph in done:
        counted = store.count(graph.iri)
        checked.append(PublishedGraph(graph.iri, graph.triples, graph.action, counted))
        if counted != graph.triples:
            wrong.append(f"{graph.iri} holds {counted} triples, {graph.triples} were sent")
    if wrong:
        raise ServiceError("published, but the server's counts differ: " + "; ".join(wrong), url=query_url)
    return checked
