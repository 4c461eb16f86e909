"""The graph as JSON-LD, written by rdflib's JSON-LD serialiser and made deterministic.

The context is compact: the project's prefixes (:data:`alliance_kg.namespaces.PREFIXES`). Blank nodes get labels
derived from the graph's content (:func:`rdflib.compare.to_canonical_graph`), so a release does not depend on the
labels a parser happened to give. rdflib walks the subjects of the graph as a Python set, whose order changes from
one process to the next; so the serialiser's JSON is read back and its unordered parts are put in order: the nodes
of ``@graph`` by ``@id``, and each array of property values (a set in JSON-LD's data model) by its JSON text.
``@list`` arrays, whose order is the data, are kept as they are. The result is UTF-8 JSON with sorted keys, two
spaces of indentation and a final newline.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from alliance_kg.namespaces import PREFIXES, bind_prefixes

__all__ = ["context", "to_jsonld"]


def context() -> dict[str, str]:
    """The JSON-LD ``@context`` of a release: prefix -> namespace, for the project's prefixes."""
    return {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}


def _ordered(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {name: _ordered(item, name) for name, item in value.items()}
    if isinstance(value, list):
        items = [_ordered(item) for item in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def to_jsonld(graph: Graph) -> bytes:
    """``graph`` as deterministic, compacted JSON-LD (see the module docstring)."""
    canonical = bind_prefixes(Graph())
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    text = canonical.serialize(format="json-ld", context=context(), encoding="utf-8")
    document = json.loads(text)
    if isinstance(document, list):  # no context could compact it: a bare array of nodes
        document = {"@context": context(), "@graph": document}
    elif "@graph" not in document:  # a single node is written without @graph
        node = {name: item for name, item in document.items() if name != "@context"}
        document = {"@context": document.get("@context", context()), "@graph": [node] if node else []}
    document["@graph"] = sorted(
        (_ordered(node) for node in document["@graph"]),
        key=lambda node: (str(node.get("@id", "")), json.dumps(node, sort_keys=True)),
    )
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
