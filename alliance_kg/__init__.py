"""alliance-kg: an open knowledge graph (RDF/OWL) of automotive OEM supply.

The package ships the ontology, the SHACL shapes, the data and the SPARQL
queries as files (``ontology/``, ``data/``, ``queries/``) and gives small
functions over them:

* :func:`load_project` / :func:`parse_files` read RDF files (six formats) into graphs
  (local files only: nothing is ever fetched from the network);
* :func:`validate` checks data against the SHACL shapes and returns a
  :class:`ValidationReport`;
* :func:`reason` computes the OWL-RL closure into a separate graph and returns
  a :class:`ReasoningResult` (asserted and inferred triples are kept apart);
* :func:`build` writes a release folder (Turtle, N-Triples, TriG, validation
  report, ``summary.json``) atomically;
* :class:`MemoryStore` and :class:`OxigraphStore` (in memory or on disk)
  implement the :class:`Store` interface that the rest of the code uses for
  storage and SPARQL;
* :func:`load` gives a :class:`KnowledgeGraph` (asserted + inferred) to query:
  ``kg.query("supplies-by-market", market="North America")`` runs a named
  query of the library (:func:`queries` lists it), ``kg.sparql(text)`` any
  SPARQL; SELECT/ASK give a :class:`QueryResult` (``.rows``,
  ``.to_dataframe()``, ``.to_json()``, ``.to_csv()``), CONSTRUCT a graph.

No function changes a graph it is given. Every error raised on purpose is an
:class:`AllianceKGError` (see :mod:`alliance_kg.errors`).

Heavy libraries (rdflib, pyshacl, owlrl) are imported only when a name that
needs them is first used, so ``import alliance_kg`` is cheap.
"""

import typing as _typing

from alliance_kg._lazy import lazy_exports as _lazy_exports
from alliance_kg.errors import (
    AllianceKGError,
    BuildError,
    EndpointError,
    InconsistencyError,
    InputError,
    ParameterError,
    QueryError,
    RDFSyntaxError,
    RejectedBuildError,
    ResourceError,
    ServiceError,
)

__version__ = "0.1.0"

__all__ = [
    "AllianceKGError",
    "BuildError",
    "BuildResult",
    "EndpointError",
    "Inconsistency",
    "InconsistencyError",
    "InputError",
    "KnowledgeGraph",
    "MemoryStore",
    "OxigraphStore",
    "ParameterError",
    "ProjectGraphs",
    "QueryError",
    "QueryResult",
    "RDFSyntaxError",
    "ReasoningResult",
    "RejectedBuildError",
    "ResourceError",
    "ServiceError",
    "Store",
    "ValidationReport",
    "Violation",
    "__version__",
    "build",
    "load",
    "load_project",
    "parse_files",
    "queries",
    "reason",
    "validate",
]

# name -> module that defines it; imported on first access (PEP 562).
_LAZY: dict[str, str] = {
    "BuildResult": "alliance_kg.build",
    "build": "alliance_kg.build",
    "Inconsistency": "alliance_kg.reasoning",
    "ReasoningResult": "alliance_kg.reasoning",
    "reason": "alliance_kg.reasoning",
    "MemoryStore": "alliance_kg.store",
    "OxigraphStore": "alliance_kg.store_oxigraph",
    "Store": "alliance_kg.store",
    "ProjectGraphs": "alliance_kg.loading",
    "load_project": "alliance_kg.loading",
    "parse_files": "alliance_kg.loading",
    "ValidationReport": "alliance_kg.validation",
    "Violation": "alliance_kg.validation",
    "validate": "alliance_kg.validation",
    "KnowledgeGraph": "alliance_kg.knowledge_graph",
    "load": "alliance_kg.knowledge_graph",
    "queries": "alliance_kg.knowledge_graph",
    "QueryResult": "alliance_kg.results",
}

if _typing.TYPE_CHECKING:
    from alliance_kg.build import BuildResult, build
    from alliance_kg.knowledge_graph import KnowledgeGraph, load, queries
    from alliance_kg.loading import ProjectGraphs, load_project, parse_files
    from alliance_kg.reasoning import Inconsistency, ReasoningResult, reason
    from alliance_kg.results import QueryResult
    from alliance_kg.store import MemoryStore, Store
    from alliance_kg.store_oxigraph import OxigraphStore
    from alliance_kg.validation import ValidationReport, Violation, validate


__getattr__, __dir__ = _lazy_exports(__name__, _LAZY, globals())
