"""SHACL validation with pySHACL, returning a typed report.

:func:`validate` runs pySHACL on a *new* graph holding the data and the
ontology together, with ``inference="none"`` and SHACL-AF (SPARQL constraints)
enabled. The ontology is given as data rather than reasoned over, so that
``sh:targetClass`` and ``sh:class`` follow the ``rdfs:subClassOf`` triples
present in the data graph, as SHACL specifies, and no inference decides the
verdict. (The independent engine used to cross-check the shapes, shacl-engine,
reads ``rdfs:subClassOf`` from the shapes graph instead, so
``scripts/peer-shacl-check`` gives it the ontology as shapes too.)
The graphs passed in are never changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from alliance_kg.namespaces import bind_prefixes, short

__all__ = ["ValidationReport", "Violation", "validate"]


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL validation result, every field a plain string (``None`` when absent).

    Terms are written as people read them: prefixed names such as
    ``id:plant/x`` where a prefix is known, ``<iri>`` otherwise, literals in
    Turtle syntax.
    """

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    source_shape: str | None

    def render(self) -> str:
        """The violation as a block of lines for people."""
        lines = [f"{self.severity}: {self.focus}"]
        if self.path is not None:
            lines.append(f"  path:    {self.path}")
        if self.value is not None:
            lines.append(f"  value:   {self.value}")
        lines.append(f"  message: {self.message}")
        if self.source_shape is not None:
            lines.append(f"  shape:   {self.source_shape}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, str | None]:
        """The violation as a JSON-ready dictionary."""
        return {
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "message": self.message,
            "severity": self.severity,
            "source_shape": self.source_shape,
        }


@dataclass(frozen=True)
class ValidationReport:
    """What :func:`validate` returns.

    ``conforms`` is pySHACL's verdict; ``results`` the validation results in a
    stable order; ``graph`` the SHACL report graph; ``text`` pySHACL's own
    text report.
    """

    conforms: bool
    results: tuple[Violation, ...]
    graph: Graph = field(repr=False, compare=False)
    text: str = field(repr=False)

    def render(self) -> str:
        """The report for people: a verdict line, then one block per result."""
        if self.conforms and not self.results:
            return "Conforms: yes"
        head = f"Conforms: {'yes' if self.conforms else 'no'} ({len(self.results)} results)"
        return "\n\n".join([head, *(v.render() for v in self.results)])


def _term(term: Node | None) -> str | None:
    return None if term is None else short(term)


def _message(report: Graph, result: Node) -> str:
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    if messages:
        return "; ".join(messages)
    component = report.value(result, SH.sourceConstraintComponent)
    return f"violates {short(component)}" if component is not None else "violation"


def _render_path(graph: Graph, path: Node, depth: int = 0) -> str:
    """A SHACL property path in SPARQL property-path syntax with prefixed names."""
    if not isinstance(path, BNode) or depth > 20:
        return short(path)
    if (path, RDF.first, None) in graph:
        return "/".join(_render_path(graph, step, depth + 1) for step in Collection(graph, path))
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "({})*"),
        (SH.oneOrMorePath, "({})+"),
        (SH.zeroOrOnePath, "({})?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(_render_path(graph, inner, depth + 1))
    alternatives = graph.value(path, SH.alternativePath)
    if isinstance(alternatives, BNode):
        inner_paths = (_render_path(graph, a, depth + 1) for a in Collection(graph, alternatives))
        return "(" + "|".join(inner_paths) + ")"
    return short(path)


def _path(report: Graph, result: Node) -> str | None:
    path = report.value(result, SH.resultPath)
    return None if path is None else _render_path(report, path)


def _shape(shapes: Graph, shape: Node | None) -> str | None:
    """Name a shape; a blank property shape is named after its node shape and path."""
    if shape is None:
        return None
    if isinstance(shape, BNode):
        parent = shapes.value(None, SH.property, shape)
        path = shapes.value(shape, SH.path)
        if parent is not None and not isinstance(parent, BNode):
            where = f" {_render_path(shapes, path)}" if path is not None else ""
            return f"{short(parent)} (property{where})"
    return short(shape)


def _violations(report: Graph, shapes: Graph) -> Iterable[Violation]:
    for result in report.subjects(SH.resultSeverity, None, unique=True):
        yield Violation(
            focus=short(report.value(result, SH.focusNode)),
            path=_path(report, result),
            value=_term(report.value(result, SH.value)),
            message=_message(report, result),
            severity=short(report.value(result, SH.resultSeverity)).removeprefix("sh:"),
            source_shape=_shape(shapes, report.value(result, SH.sourceShape)),
        )


def validate(data: Graph, *, shapes: Graph, ontology: Graph | None = None) -> ValidationReport:
    """Validate ``data`` (with ``ontology`` as extra data) against ``shapes``.

    Neither graph is changed: pySHACL runs on a new graph holding the union. Warnings (severity sh:Warning or
    sh:Info: sources that disagree) do not make the data non-conforming (pySHACL's ``allow_warnings``), as in the
    product's own validation (:func:`alliance_kg.shacl_sparql.validate_store` with ``allow_warnings``).
    """
    import pyshacl

    data_graph = bind_prefixes(Graph())
    for triple in data:
        data_graph.add(triple)
    if ontology is not None:
        for triple in ontology:
            data_graph.add(triple)

    # pySHACL may add to the shapes graph (inplace=False covers only the data
    # graph), so it gets a copy too.
    shapes_graph = Graph()
    for triple in shapes:
        shapes_graph.add(triple)

    conforms, report_graph, text = pyshacl.validate(
        data_graph,
        shacl_graph=shapes_graph,
        ont_graph=None,
        inference="none",
        advanced=True,
        inplace=False,
        abort_on_first=False,
        allow_warnings=True,
        meta_shacl=False,
        debug=False,
    )
    if not isinstance(report_graph, Graph):  # pragma: no cover - pySHACL API contract
        raise TypeError(f"pySHACL returned {type(report_graph).__name__}, not a graph")
    bind_prefixes(report_graph)
    results = tuple(sorted(_violations(report_graph, shapes), key=_sort_key))
    return ValidationReport(conforms=bool(conforms), results=results, graph=report_graph, text=str(text))


def _sort_key(v: Violation) -> tuple[str, str, str, str, str, str]:
    return (
        v.focus,
        v.path or "",
        v.value or "",
        v.message,
        v.severity,
        v.source_shape or "",
    )
