"""The storage interface: the only way the rest of alliance-kg reaches stored triples.

:class:`Store` is a small :class:`typing.Protocol`: named graphs in, copies
and SPARQL results out. :class:`MemoryStore` implements it over an in-memory
:class:`rdflib.Dataset`. An on-disk Oxigraph store or a remote SPARQL 1.1
store can implement the same five methods and be used anywhere a
:class:`Store` is expected; nothing else needs to know which backend it runs on.

Rules every implementation keeps:

* graphs are named by IRI strings (for example
  :data:`alliance_kg.namespaces.GRAPH_FACTS`);
* :meth:`Store.add` copies the triples in, :meth:`Store.graph` and
  :meth:`Store.union` hand out copies: changing them never changes the store;
* :meth:`Store.query` takes parameters as ``bindings`` (typed rdflib terms),
  never as text pasted into the query, and queries the union of all named
  graphs unless ``graph`` names one.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Protocol, cast, runtime_checkable

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.term import Identifier, Node

from alliance_kg.namespaces import bind_prefixes

__all__ = ["MemoryStore", "Store", "quiet_dataset_warnings"]

_RDFLIB_DATASET_WARNING = r"(Dataset\.(contexts|default_context)|ConjunctiveGraph) is deprecated"


@contextmanager
def quiet_dataset_warnings() -> Iterator[None]:
    """Silence the deprecation warnings rdflib 7.6 raises from its *own* Dataset code.

    rdflib's SPARQL evaluation over a Dataset calls the deprecated
    ``Dataset.contexts``/``default_context`` and its TriG parser builds a
    ``ConjunctiveGraph``; only those messages are silenced, only inside the
    ``with`` block.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", _RDFLIB_DATASET_WARNING, DeprecationWarning)
        yield


@runtime_checkable
class Store(Protocol):
    """Named graphs of triples that can be queried with SPARQL."""

    def add(self, graph_name: str, triples: Graph) -> None:
        """Add (a copy of) ``triples`` to the named graph ``graph_name``, creating it if needed."""
        ...

    def graph(self, graph_name: str) -> Graph:
        """A copy of the named graph (empty if the store has no such graph)."""
        ...

    def graph_names(self) -> list[str]:
        """The names of the non-empty named graphs, sorted."""
        ...

    def union(self) -> Graph:
        """A copy of all triples of all named graphs together."""
        ...

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        graph: str | None = None,
    ) -> Result:
        """Run a SPARQL 1.1 query over the union (or over ``graph``) and return rdflib's result."""
        ...

    def __len__(self) -> int:
        """The number of triples over all named graphs (a triple in two graphs counts twice)."""
        ...


class MemoryStore:
    """A :class:`Store` held in memory by an :class:`rdflib.Dataset`."""

    def __init__(self) -> None:
        self._dataset = Dataset(default_union=True)
        bind_prefixes(self._dataset)

    def __repr__(self) -> str:
        return f"<MemoryStore: {len(self.graph_names())} graphs, {len(self)} triples>"

    def add(self, graph_name: str, triples: Graph) -> None:
        target = self._dataset.graph(URIRef(graph_name))
        for triple in triples:
            target.add(triple)

    def graph(self, graph_name: str) -> Graph:
        copy = bind_prefixes(Graph(identifier=URIRef(graph_name)))
        for triple in self._named(graph_name):
            copy.add(triple)
        return copy

    def graph_names(self) -> list[str]:
        return sorted(
            str(context.identifier)
            for context in self._dataset.graphs()
            if isinstance(context.identifier, URIRef)
            and context.identifier != DATASET_DEFAULT_GRAPH_ID
            and len(context) > 0
        )

    def union(self) -> Graph:
        copy = bind_prefixes(Graph())
        for name in self.graph_names():
            for triple in self._named(name):
                copy.add(triple)
        return copy

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        graph: str | None = None,
    ) -> Result:
        target: Graph = self._dataset if graph is None else self._dataset.graph(URIRef(graph))
        initial = {name: cast(Identifier, term) for name, term in (bindings or {}).items()}
        with quiet_dataset_warnings():
            result = target.query(sparql, initBindings=initial)
            len(result)  # evaluate now (rdflib results are lazy), inside the filter
        return result

    def __len__(self) -> int:
        return sum(len(self._dataset.graph(URIRef(name))) for name in self.graph_names())

    def _named(self, graph_name: str) -> Iterator[tuple[Node, Node, Node]]:
        name = URIRef(graph_name)
        if name not in {context.identifier for context in self._dataset.graphs()}:
            return iter(())
        return iter(self._dataset.graph(name))
