"""SHACL validation as SPARQL: the shapes compiled to set-based SELECT queries, run on a :class:`Store`.

:func:`compile_shapes` reads a SHACL shapes graph (the shapes file stays the single source of truth) and makes one
SPARQL SELECT query per (shape, constraint): the query finds the violations of that constraint for *every* focus
node at once, the way SHACL2SPARQL and the Ontology Development Kit's ``*-violation`` queries do, instead of
asking one question per focus node as pySHACL does. :func:`validate_store` runs them on a store and returns the
same :class:`~alliance_kg.validation.ValidationReport` as the pySHACL-based
:func:`~alliance_kg.validation.validate` (the report graph is a real ``sh:ValidationReport``, and the results are
rendered by the same code). The tests prove the two agree on the project's data, on every shape fixture and on
generated graphs, and run the W3C SHACL test suite's core tests for every feature the shapes use.

How the parts compile (``?this`` is the focus node, ``PATH`` the shape's ``sh:path`` as a SPARQL property path):

* targets: ``sh:targetClass C`` is ``?this rdf:type/rdfs:subClassOf* C`` over the *data* graph (facts and
  ontology, as SHACL specifies); ``sh:targetNode`` a ``VALUES`` row; ``sh:targetSubjectsOf`` /
  ``sh:targetObjectsOf`` a triple pattern; a shape that is also an ``rdfs:Class`` targets its instances. Several
  targets are a ``UNION`` inside a ``SELECT DISTINCT ?this`` sub-query.
* value nodes: ``?this PATH ?v`` for a property shape (predicate, ``^inverse``, ``a/b`` sequence, ``(a|b)``
  alternative, ``*``, ``+``, ``?``), ``?this`` itself for a node shape.
* value-type constraints (``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:pattern``, ``sh:in``,
  ``sh:languageIn``, ``sh:hasValue`` on a node shape, ``sh:node``, ``sh:or``, ``sh:and``, ``sh:not``,
  ``sh:xone``): ``FILTER (!ok(?v))`` where ``ok`` is a SPARQL expression (``EXISTS { ?v rdf:type/rdfs:subClassOf*
  C }``, ``REGEX``, ``langMatches``, ``sameTerm``...). A shape used as an operand (``sh:node``, ``sh:or``...,
  ``sh:qualifiedValueShape``) becomes a conformance expression: ``NOT EXISTS { violation of each of its
  constraints }``.
* cardinalities (``sh:minCount``, ``sh:maxCount``, ``sh:qualifiedMinCount``, ``sh:qualifiedMaxCount``): 1 and
  0 as ``NOT EXISTS`` / two distinct values; other numbers as a ``GROUP BY ?this`` sub-query with
  ``COUNT(DISTINCT ?v)`` (or, inside a conformance expression, as *n* pairwise distinct values).
* property pairs: ``sh:disjoint P`` is ``?this PATH ?v . ?this P ?v``; ``sh:lessThan`` and ``sh:lessThanOrEquals``
  compare every pair of values the way pySHACL does (IRIs and strings as strings, a string against a non-string
  never conforms, other values with SPARQL's ``<`` / ``<=``, incomparable values never conform; ``xsd:gYear`` and
  ``xsd:gYearMonth``, which SPARQL does not order, by their lexical forms).
* ``sh:sparql``: the constraint's own ``SELECT`` with its ``sh:prefixes`` declarations as ``PREFIX`` lines,
  ``$PATH`` replaced by the path, and the target pattern put first in its top-level ``WHERE`` group. ``$this``
  and ``?this`` are the same variable, so the query then ranges over all focus nodes at once; with the
  restrictions SHACL puts on these queries (no ``MINUS``, ``VALUES`` or ``SERVICE``; a sub-query returns
  ``$this`` if it uses it) a group whose first pattern binds ``?this`` gives each focus node the solutions
  pre-binding would give it. Messages fill ``{?var}`` / ``{$var}`` from each row, as pySHACL does.

Anything else (``sh:closed``, ``sh:uniqueLang``, ``sh:equals``, the length and range constraints,
``$shapesGraph``, blank nodes as ``sh:in`` or ``sh:hasValue`` values...) raises
:class:`~alliance_kg.errors.InputError` naming the shape and the component: nothing is silently passed.
"""

# The constraint builders below pass lambdas over loop variables to value_type, which calls them at once.
# ruff: noqa: B023

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from alliance_kg.errors import InputError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from alliance_kg.store import QueryAnswer, Store
    from alliance_kg.validation import ValidationReport

__all__ = ["CompiledQuery", "compile_shapes", "query_store", "validate_store"]

_SH: Final = "http://www.w3.org/ns/shacl#"
_RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
_XSD: Final = "http://www.w3.org/2001/XMLSchema#"

_PROLOGUE: Final = f"PREFIX rdf: <{_RDF}>\nPREFIX rdfs: <{_RDFS}>\nPREFIX xsd: <{_XSD}>\n"

# The lexical space of the datatypes whose well-formedness pySHACL checks (an ill-formed literal such as
# "2026-02-30"^^xsd:date does not have the datatype). xsd:date covers month lengths and 29 February of leap years.
_LEAP_YEAR: Final = r"(-?[0-9]*([02468][048]|[13579][26])(00)?|-?[0-9]*[0-9][0-9](0[48]|[2468][048]|[13579][26]))"
_DAY: Final = r"((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))"
_TZ: Final = r"(Z|[+-][0-9]{2}:[0-9]{2})?"
_LEXICAL: Final[dict[str, str]] = {
    _XSD + "date": rf"^(-?[0-9]{{4,}}-{_DAY}|{_LEAP_YEAR}-02-29){_TZ}$",
    _XSD + "dateTime": (
        rf"^(-?[0-9]{{4,}}-{_DAY}|{_LEAP_YEAR}-02-29)T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?{_TZ}$"
    ),
    _XSD + "integer": r"^[+-]?[0-9]+$",
    _XSD + "decimal": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    _XSD + "boolean": r"^(true|false|1|0)$",
    _XSD + "double": r"^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$",
    _XSD + "float": r"^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$",
}

# Keywords SHACL forbids in SPARQL-based constraints (they would see $this unbound).
_FORBIDDEN: Final = ("MINUS", "VALUES", "SERVICE")
_NESTING_LIMIT: Final = 16


@dataclass(frozen=True)
class CompiledQuery:
    """One SELECT query: the violations of one constraint of one shape, for all its focus nodes.

    The query returns ``?this`` (the focus node), ``?value`` (the value node, or unbound) and, for a SPARQL-based
    constraint, ``?path`` and the other variables its message uses. What the rows do not carry (the source shape,
    possibly a blank node of the shapes graph; the path as written; the component, severity and messages) is here.
    """

    shape: Node
    component: Node
    sparql: str
    path: Node | None = None
    severity: Node | None = None
    messages: tuple[Node, ...] = ()
    constraint: Node | None = None
    templated: bool = False
    value_is_focus: bool = field(default=False)

    @property
    def label(self) -> str:
        """The shape and component, as people read them (for timings and errors)."""
        from alliance_kg.namespaces import short

        return f"{short(self.shape)} {short(self.component)}"


@dataclass
class _Violation:
    """How a constraint is broken at a focus variable: a graph pattern, or a bare filter expression."""

    pattern: str
    value: str | None = None  # the variable holding the value node, if the result has one
    bare_filter: str | None = None  # set when the whole pattern is FILTER(bare_filter)
    grouped: bool = False  # the pattern is a self-contained GROUP BY sub-query that binds the focus variable


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        from rdflib.namespace import SH

        self.g = shapes
        self.SH = SH
        self.counter = 0

    # -- small helpers ----------------------------------------------------------------------------------------

    def var(self, stem: str) -> str:
        self.counter += 1
        return f"?{stem}{self.counter}"

    def error(self, shape: Node, what: str) -> InputError:
        return InputError(f"SHACL shapes to SPARQL: shape {shape.n3(self.g.namespace_manager)}: {what}")

    def unsupported(self, shape: Node, component: str) -> InputError:
        return self.error(shape, f"{component} is not supported by the SPARQL compiler (use pySHACL)")

    def term(self, shape: Node, node: Node, what: str) -> str:
        from rdflib import BNode

        from alliance_kg.sparql_text import term_text

        if isinstance(node, BNode):
            raise self.error(shape, f"{what} is a blank node, which a SPARQL query cannot name")
        return term_text(node)

    def items(self, shape: Node, head: Node, what: str) -> list[Node]:
        from rdflib.collection import Collection

        try:
            return list(Collection(self.g, head))
        except Exception as error:
            raise self.error(shape, f"{what} is not a well-formed RDF list: {error}") from None

    def deactivated(self, shape: Node) -> bool:
        return any(str(v).strip().lower() in ("true", "1") for v in self.g.objects(shape, self.SH.deactivated))

    def string(self, value: str) -> str:
        from rdflib import Literal

        from alliance_kg.sparql_text import term_text

        return term_text(Literal(value))

    # -- paths ------------------------------------------------------------------------------------------------

    def path(self, shape: Node, node: Node, depth: int = 0) -> str:
        from rdflib import RDF, BNode, URIRef

        SH = self.SH
        if depth > _NESTING_LIMIT:
            raise self.error(shape, "sh:path nests too deeply")
        if isinstance(node, URIRef):
            return self.term(shape, node, "a path")
        if not isinstance(node, BNode):
            raise self.error(shape, f"not a SHACL path: {node!r}")
        if (node, RDF.first, None) in self.g:
            steps = [self.path(shape, s, depth + 1) for s in self.items(shape, node, "a sequence path")]
            if len(steps) < 2:
                raise self.error(shape, "a sequence path needs at least two steps")
            return "(" + "/".join(steps) + ")"
        for predicate, template in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            inner = self.g.value(node, predicate)
            if inner is not None:
                return template.format(self.path(shape, inner, depth + 1))
        alternatives = self.g.value(node, SH.alternativePath)
        if alternatives is not None:
            options = [self.path(shape, a, depth + 1) for a in self.items(shape, alternatives, "sh:alternativePath")]
            if len(options) < 2:
                raise self.error(shape, "sh:alternativePath needs at least two paths")
            return "(" + "|".join(options) + ")"
        raise self.error(shape, "unsupported SHACL path")

    # -- targets ----------------------------------------------------------------------------------------------

    def is_targeted(self, shape: Node) -> bool:
        return bool(self.target_parts(shape, "?this"))

    def target_parts(self, shape: Node, var: str) -> list[str]:
        from rdflib import RDF, RDFS

        SH = self.SH
        parts: list[str] = []
        classes = list(self.g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in self.g and (
            (shape, RDF.type, SH.NodeShape) in self.g or (shape, RDF.type, SH.PropertyShape) in self.g
        ):
            classes.append(shape)  # an implicit class target
        for cls in _sorted(set(classes)):
            parts.append(f"{var} rdf:type/rdfs:subClassOf* {self.term(shape, cls, 'sh:targetClass')} .")
        nodes = _sorted(set(self.g.objects(shape, SH.targetNode)))
        if nodes:
            rows = " ".join(self.term(shape, n, "sh:targetNode") for n in nodes)
            parts.append(f"VALUES {var} {{ {rows} }}")
        for p in _sorted(set(self.g.objects(shape, SH.targetSubjectsOf))):
            parts.append(f"{var} {self.term(shape, p, 'sh:targetSubjectsOf')} {self.var('o')} .")
        for p in _sorted(set(self.g.objects(shape, SH.targetObjectsOf))):
            parts.append(f"{self.var('s')} {self.term(shape, p, 'sh:targetObjectsOf')} {var} .")
        for target in self.g.objects(shape, SH.target):
            raise self.unsupported(shape, f"sh:target {target!r} (SHACL-AF targets)")
        return parts

    def target(self, shape: Node, var: str) -> str:
        parts = self.target_parts(shape, var)
        if len(parts) == 1 and "rdf:type" in parts[0]:
            return f"{{ SELECT DISTINCT {var} WHERE {{ {parts[0]} }} }}"
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        return f"{{ SELECT DISTINCT {var} WHERE {{ {union} }} }}"

    # -- constraints: one shape, one focus variable -----------------------------------------------------------

    def violations(self, shape: Node, focus: str, *, top: bool, depth: int = 0) -> Iterator[tuple[Node, _Violation]]:
        """(component, violation) for each constraint of ``shape`` itself (not its sh:property shapes)."""
        from rdflib import URIRef

        SH = self.SH
        g = self.g
        if depth > _NESTING_LIMIT:
            raise self.error(shape, "shapes nest too deeply (or refer to themselves)")
        path_node = g.value(shape, SH.path)
        path = self.path(shape, path_node) if path_node is not None else None

        def values() -> tuple[str, str]:
            if path is None:
                return "", focus
            v = self.var("v")
            return f"{focus} {path} {v} .", v

        def value_type(component: URIRef, ok: Callable[[str], str]) -> tuple[Node, _Violation]:
            pattern, v = values()
            condition = f"!({ok(v)})"
            if not pattern:
                return component, _Violation(f"FILTER ({condition})", value=v, bare_filter=condition)
            return component, _Violation(f"{pattern} FILTER ({condition})", value=v)

        known = _KNOWN_PARAMETERS
        for predicate in _sorted(set(g.predicates(shape, None))):
            if str(predicate).startswith(_SH) and str(predicate) not in known:
                raise self.unsupported(shape, _short(predicate))

        for cls in g.objects(shape, SH["class"]):
            c = self.term(shape, cls, "sh:class")
            yield value_type(SH.ClassConstraintComponent, lambda v: f"EXISTS {{ {v} rdf:type/rdfs:subClassOf* {c} }}")
        for datatype in g.objects(shape, SH.datatype):
            yield value_type(SH.DatatypeConstraintComponent, lambda v: self.datatype_ok(shape, v, datatype))
        for kind in g.objects(shape, SH.nodeKind):
            yield value_type(SH.NodeKindConstraintComponent, lambda v: self.node_kind_ok(shape, v, kind))
        flags_node = g.value(shape, SH.flags)
        for pattern_node in g.objects(shape, SH.pattern):
            args = self.string(str(pattern_node))
            if flags_node is not None:
                args += ", " + self.string(str(flags_node))
            yield value_type(SH.PatternConstraintComponent, lambda v: f"!isBlank({v}) && REGEX(STR({v}), {args})")
        for head in g.objects(shape, SH["in"]):
            members = [self.term(shape, m, "a value of sh:in") for m in self.items(shape, head, "sh:in")]
            yield value_type(
                SH.InConstraintComponent,
                lambda v: " || ".join(f"sameTerm({v}, {m})" for m in members) or "false",
            )
        for head in g.objects(shape, SH.languageIn):
            tags = [self.string(str(t)) for t in self.items(shape, head, "sh:languageIn")]
            yield value_type(
                SH.LanguageInConstraintComponent,
                lambda v: (
                    f"isLiteral({v}) && ("
                    + (" || ".join(f"langMatches(LANG({v}), {t})" for t in tags) or "false")
                    + ")"
                ),
            )
        for node_shape in g.objects(shape, SH.node):
            yield value_type(SH.NodeConstraintComponent, lambda v: self.conforms(node_shape, v, depth + 1))
        for head in g.objects(shape, SH["or"]):
            members_or = self.items(shape, head, "sh:or")
            yield value_type(
                SH.OrConstraintComponent,
                lambda v: " || ".join(f"({self.conforms(m, v, depth + 1)})" for m in members_or) or "false",
            )
        for head in g.objects(shape, SH["and"]):
            members_and = self.items(shape, head, "sh:and")
            yield value_type(
                SH.AndConstraintComponent,
                lambda v: " && ".join(f"({self.conforms(m, v, depth + 1)})" for m in members_and) or "true",
            )
        for negated in g.objects(shape, SH["not"]):
            yield value_type(SH.NotConstraintComponent, lambda v: f"!({self.conforms(negated, v, depth + 1)})")
        for head in g.objects(shape, SH.xone):
            members_xone = self.items(shape, head, "sh:xone")
            yield value_type(
                SH.XoneConstraintComponent,
                lambda v: (
                    "("
                    + (" + ".join(f"IF({self.conforms(m, v, depth + 1)}, 1, 0)" for m in members_xone) or "0")
                    + ") = 1"
                ),
            )
        for has in g.objects(shape, SH.hasValue):
            h = self.term(shape, has, "sh:hasValue")
            if path is None:  # the result has no value
                condition = f"!sameTerm({focus}, {h})"
                yield SH.HasValueConstraintComponent, _Violation(f"FILTER ({condition})", bare_filter=condition)
            else:
                condition = f"NOT EXISTS {{ {focus} {path} {h} }}"
                yield SH.HasValueConstraintComponent, _Violation(f"FILTER ({condition})", bare_filter=condition)

        for parameter, component, strict in (
            (SH.lessThan, SH.LessThanConstraintComponent, True),
            (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, False),
        ):
            for other in g.objects(shape, parameter):
                o = self.term(shape, other, _short(parameter))
                pattern, v = values()
                w = self.var("w")
                ok = _less_than(v, w, strict=strict)
                yield component, _Violation(f"{pattern} {focus} {o} {w} . FILTER (!({ok}))", value=v)
        for other in g.objects(shape, SH.disjoint):
            o = self.term(shape, other, "sh:disjoint")
            pattern, v = values()
            yield SH.DisjointConstraintComponent, _Violation(f"{pattern} {focus} {o} {v} .", value=v)

        # cardinalities
        for parameter, component, minimum in (
            (SH.minCount, SH.MinCountConstraintComponent, True),
            (SH.maxCount, SH.MaxCountConstraintComponent, False),
        ):
            for count_node in g.objects(shape, parameter):
                if path is None:
                    raise self.error(shape, f"{_short(parameter)} on a node shape (it needs sh:path)")
                n = _count(self, shape, count_node, _short(parameter))
                found = self.cardinality(shape, focus, path, n, minimum=minimum, top=top, keep=None)
                if found is not None:
                    yield component, found
        qualified = list(g.objects(shape, SH.qualifiedValueShape))
        if qualified:
            if path is None:
                raise self.error(shape, "sh:qualifiedValueShape on a node shape (it needs sh:path)")
            if len(qualified) > 1:
                raise self.error(shape, "more than one sh:qualifiedValueShape")
            keep = self.qualified_filter(shape, qualified[0], depth)
            for parameter, component, minimum in (
                (SH.qualifiedMinCount, SH.QualifiedMinCountConstraintComponent, True),
                (SH.qualifiedMaxCount, SH.QualifiedMaxCountConstraintComponent, False),
            ):
                for count_node in g.objects(shape, parameter):
                    n = _count(self, shape, count_node, _short(parameter))
                    found = self.cardinality(shape, focus, path, n, minimum=minimum, top=top, keep=keep)
                    if found is not None:
                        yield component, found
        # sh:qualifiedMinCount/MaxCount without sh:qualifiedValueShape: the component's parameters are incomplete, so
        # SHACL does not apply it.

        for constraint in _sorted(g.objects(shape, SH.sparql)):
            if self.deactivated(constraint):
                continue
            if not top:
                raise self.error(shape, "sh:sparql in a shape used as an operand (sh:node, sh:or, ...)")
            yield SH.SPARQLConstraintComponent, _Violation("", value=None)

    def datatype_ok(self, shape: Node, v: str, datatype: Node) -> str:
        d = self.term(shape, datatype, "sh:datatype")
        if str(datatype) == _RDFS + "Literal":
            return f"isLiteral({v})"
        if str(datatype) == _RDF + "langString":
            return f'isLiteral({v}) && LANG({v}) != ""'
        ok = f"isLiteral({v}) && sameTerm(DATATYPE({v}), {d})"
        lexical = _LEXICAL.get(str(datatype))
        if lexical is not None:
            ok += f" && REGEX(STR({v}), {self.string(lexical)})"
        return ok

    def node_kind_ok(self, shape: Node, v: str, kind: Node) -> str:
        tests = {
            "IRI": f"isIRI({v})",
            "BlankNode": f"isBlank({v})",
            "Literal": f"isLiteral({v})",
            "BlankNodeOrIRI": f"(isBlank({v}) || isIRI({v}))",
            "BlankNodeOrLiteral": f"(isBlank({v}) || isLiteral({v}))",
            "IRIOrLiteral": f"(isIRI({v}) || isLiteral({v}))",
        }
        name = str(kind).removeprefix(_SH)
        if not str(kind).startswith(_SH) or name not in tests:
            raise self.error(shape, f"sh:nodeKind {kind!r} is not a SHACL node kind")
        return tests[name]

    def qualified_filter(self, shape: Node, qualified: Node, depth: int) -> Callable[[str], str]:
        """The condition a value must meet to be counted: it conforms to the qualified shape (and to no sibling)."""
        SH = self.SH
        disjoint = any(
            str(v).strip().lower() in ("true", "1") for v in self.g.objects(shape, SH.qualifiedValueShapesDisjoint)
        )
        siblings: set[Node] = set()
        if disjoint:
            for parent in self.g.subjects(SH.property, shape):
                for sibling_shape in self.g.objects(parent, SH.property):
                    siblings |= set(self.g.objects(sibling_shape, SH.qualifiedValueShape))
            siblings.discard(qualified)

        def keep(v: str) -> str:
            parts = [f"({self.conforms(qualified, v, depth + 1)})"]
            parts += [f"!({self.conforms(s, v, depth + 1)})" for s in _sorted(siblings)]
            return " && ".join(parts)

        return keep

    def cardinality(
        self,
        shape: Node,
        focus: str,
        path: str,
        n: int,
        *,
        minimum: bool,
        top: bool,
        keep: Callable[[str], str] | None,
    ) -> _Violation | None:
        """Fewer than ``n`` (``minimum``) or more than ``n`` distinct values (those ``keep`` accepts)."""
        if minimum and n == 0:
            return None
        wanted = n if minimum else n + 1  # the number of distinct values whose existence decides
        if wanted == 1:
            v = self.var("v")
            kept = f" FILTER ({keep(v)})" if keep else ""
            inner = f"{focus} {path} {v} .{kept}"
            if minimum:
                return _Violation(f"FILTER NOT EXISTS {{ {inner} }}", bare_filter=f"NOT EXISTS {{ {inner} }}")
            return _Violation(f"FILTER EXISTS {{ {inner} }}", bare_filter=f"EXISTS {{ {inner} }}")
        if top and wanted > 2:
            v = self.var("v")
            count = self.var("n")
            kept = f" FILTER ({keep(v)})" if keep else ""
            compare = f"{count} < {n}" if minimum else f"{count} > {n}"
            sub = (
                f"{{ SELECT {focus} (COUNT(DISTINCT {v}) AS {count}) WHERE {{ {{TARGET}} "
                f"OPTIONAL {{ {focus} {path} {v} .{kept} }} }} GROUP BY {focus} }} FILTER ({compare})"
            )
            return _Violation(sub, grouped=True)
        names = [self.var("v") for _ in range(wanted)]
        triples = " ".join(f"{focus} {path} {v} ." for v in names)
        distinct = [f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1 :]]
        if keep:
            distinct += [f"({keep(v)})" for v in names]
        inner = f"{triples} FILTER ({' && '.join(distinct)})"
        if minimum:
            return _Violation(f"FILTER NOT EXISTS {{ {inner} }}", bare_filter=f"NOT EXISTS {{ {inner} }}")
        return _Violation(f"FILTER EXISTS {{ {inner} }}", bare_filter=f"EXISTS {{ {inner} }}")

    # -- conformance of a node to a shape (operands of sh:node, sh:or, ..., sh:qualifiedValueShape) ----------

    def conforms(self, shape: Node, v: str, depth: int) -> str:
        if depth > _NESTING_LIMIT:
            raise self.error(shape, "shapes nest too deeply (or refer to themselves)")
        if self.deactivated(shape):
            return "true"
        parts: list[str] = []
        for _component, violation in self.all_violations(shape, v, depth):
            if violation.bare_filter is not None:
                parts.append(f"!({violation.bare_filter})")
            else:
                parts.append(f"NOT EXISTS {{ {violation.pattern} }}")
        return " && ".join(parts) or "true"

    def all_violations(self, shape: Node, v: str, depth: int) -> Iterator[tuple[Node, _Violation]]:
        yield from self.violations(shape, v, top=False, depth=depth)
        for prop in self.g.objects(shape, self.SH.property):
            if not self.deactivated(prop):
                yield from self.all_violations(prop, v, depth + 1)


def _sorted(nodes: Iterable[Node]) -> list[Node]:
    """Terms in a stable order (so that the generated queries are always the same)."""
    return sorted(nodes, key=lambda node: (type(node).__name__, str(node)))


def _short(term: Node) -> str:
    from alliance_kg.namespaces import short

    return short(term)


def _count(compiler: _Compiler, shape: Node, node: Node, what: str) -> int:
    try:
        n = int(str(node))
    except ValueError:
        raise compiler.error(shape, f"{what} is not an integer: {node!r}") from None
    if n < 0:
        raise compiler.error(shape, f"{what} is negative")
    return n


def _less_than(v: str, w: str, *, strict: bool) -> str:
    """Whether ``v`` < ``w`` (or <=) as pySHACL decides it, as a SPARQL expression that never raises an error."""
    op = "<" if strict else "<="

    def stringlike(x: str) -> str:
        return f"(isIRI({x}) || (isLiteral({x}) && (DATATYPE({x}) = xsd:string || DATATYPE({x}) = rdf:langString)))"

    lexical = (
        f"(isLiteral({v}) && isLiteral({w}) && sameTerm(DATATYPE({v}), DATATYPE({w})) "
        f"&& (DATATYPE({v}) = xsd:gYear || DATATYPE({v}) = xsd:gYearMonth) && STR({v}) {op} STR({w}))"
    )
    return (
        f"IF({stringlike(v)} || {stringlike(w)}, "
        f"COALESCE({stringlike(v)} && {stringlike(w)} && STR({v}) {op} STR({w}), false), "
        f"COALESCE({v} {op} {w}, {lexical}, false))"
    )


def _known_parameters() -> frozenset[str]:
    names = (
        "class datatype nodeKind pattern flags in languageIn node or and not xone hasValue lessThan lessThanOrEquals "
        "disjoint minCount maxCount qualifiedValueShape qualifiedMinCount qualifiedMaxCount "
        "qualifiedValueShapesDisjoint "
        "sparql path property targetClass targetNode targetSubjectsOf targetObjectsOf target name description message "
        "severity deactivated order group defaultValue declare prefixes select ask"
    )
    return frozenset(_SH + name for name in names.split())


_KNOWN_PARAMETERS: Final = _known_parameters()


# -- SPARQL-based constraints --------------------------------------------------------------------------------------


def _prefix_lines(compiler: _Compiler, shape: Node, constraint: Node) -> str:
    SH = compiler.SH
    lines = []
    for source in compiler.g.objects(constraint, SH.prefixes):
        for declaration in compiler.g.objects(source, SH.declare):
            prefix = compiler.g.value(declaration, SH.prefix)
            namespace = compiler.g.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise compiler.error(shape, "an sh:declare without sh:prefix and sh:namespace")
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _sparql_query(compiler: _Compiler, shape: Node, constraint: Node, path: str | None, target: str) -> str:
    from alliance_kg.errors import QueryError
    from alliance_kg.sparql_text import code_positions, keyword_at, where_brace

    SH = compiler.SH
    selects = list(compiler.g.objects(constraint, SH.select))
    if len(selects) != 1:
        if compiler.g.value(constraint, SH.ask) is not None:
            raise compiler.unsupported(shape, "sh:sparql with sh:ask")
        raise compiler.error(shape, "sh:sparql needs exactly one sh:select")
    text = str(selects[0])
    code = list(code_positions(text))
    for word in _FORBIDDEN:
        if any(keyword_at(text, i, word) for i in code):
            raise compiler.error(shape, f"sh:sparql uses {word}, which SHACL forbids in SPARQL-based constraints")
    for variable in ("currentShape", "shapesGraph"):
        if re.search(rf"[?$]{variable}\b", text):
            raise compiler.unsupported(shape, f"sh:sparql with ${variable}")
    if re.search(r"\$PATH\b", text):
        if path is None:
            raise compiler.error(shape, "sh:sparql uses $PATH in a node shape")
        text = re.sub(r"\$PATH\b", lambda _m: path, text)
    try:
        brace = where_brace(text)
    except QueryError as error:
        raise compiler.error(shape, f"sh:select: {error}") from None
    head = text[:brace]
    select_at = next((i for i in code if keyword_at(text, i, "SELECT")), None)
    if select_at is None or select_at > brace:
        raise compiler.error(shape, "sh:select is not a SELECT query")
    projection = text[select_at:brace]
    if not re.search(r"[?$]this\b", projection) and "*" not in projection:
        if re.search(r"\bGROUP\s+BY\b", text, re.IGNORECASE):
            raise compiler.error(shape, "sh:select groups its rows without returning $this")
        insert = select_at + len("SELECT")
        match = re.match(r"\s+(DISTINCT|REDUCED)\b", text[insert:], re.IGNORECASE)
        if match:
            insert += match.end()
        head = text[:insert] + " ?this" + text[insert:brace]
    prefixes = _prefix_lines(compiler, shape, constraint)
    return f"{_PROLOGUE}{prefixes}\n{head}{{\n  {target}\n{text[brace + 1 :]}"


# -- compiling a shapes graph --------------------------------------------------------------------------------------


def compile_shapes(shapes: Graph) -> list[CompiledQuery]:
    """The SELECT queries that find every violation of ``shapes``: one per (shape, constraint) and focus set.

    Raises :class:`~alliance_kg.errors.InputError` naming the shape and the component for any SHACL feature the
    compiler does not support.
    """
    from rdflib.namespace import SH

    compiler = _Compiler(shapes)
    roots = _sorted(
        {
            s
            for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
            for s in shapes.subjects(p, None)
        }
        | set(_implicit_class_targets(shapes))
    )
    queries: list[CompiledQuery] = []
    for root in roots:
        if compiler.deactivated(root):
            continue
        compiler.counter = 0
        queries += _compile_shape(compiler, root, functools.partial(compiler.target, root))
    return queries


def _implicit_class_targets(shapes: Graph) -> Iterable[Node]:
    from rdflib import RDF, RDFS
    from rdflib.namespace import SH

    for shape in shapes.subjects(RDF.type, RDFS.Class):
        if (shape, RDF.type, SH.NodeShape) in shapes or (shape, RDF.type, SH.PropertyShape) in shapes:
            yield shape


def _compile_shape(
    compiler: _Compiler, shape: Node, focus: Callable[[str], str], depth: int = 0
) -> list[CompiledQuery]:
    """Queries for ``shape`` and its sh:property shapes, with ``focus(var)`` the pattern binding the focus nodes."""
    SH = compiler.SH
    g = compiler.g
    if depth > _NESTING_LIMIT:
        raise compiler.error(shape, "sh:property shapes nest too deeply")
    severity = g.value(shape, SH.severity) or SH.Violation
    messages = tuple(_sorted(g.objects(shape, SH.message)))
    path_node = g.value(shape, SH.path)
    path = compiler.path(shape, path_node) if path_node is not None else None
    target = focus("?this")
    out: list[CompiledQuery] = []
    sparql_constraints = iter(_sorted(g.objects(shape, SH.sparql)))
    for component, violation in compiler.violations(shape, "?this", top=True):
        common = {"shape": shape, "component": component, "path": path_node, "severity": severity}
        if component == SH.SPARQLConstraintComponent:
            constraint = next(sparql_constraints)
            while compiler.deactivated(constraint):
                constraint = next(sparql_constraints)
            text = _sparql_query(compiler, shape, constraint, path, target)
            own = tuple(_sorted(g.objects(constraint, SH.message)))
            out.append(
                CompiledQuery(
                    sparql=text,
                    messages=own + messages,
                    constraint=constraint,
                    templated=True,
                    value_is_focus=path_node is None,
                    **common,  # type: ignore[arg-type]
                )
            )
            continue
        value = f"({violation.value} AS ?value)" if violation.value and violation.value != "?this" else ""
        if violation.value == "?this":
            value = "(?this AS ?value)"
        if violation.grouped:
            body = violation.pattern.replace("{TARGET}", target)
        else:
            body = f"{target}\n  {violation.pattern}"
        text = f"{_PROLOGUE}SELECT DISTINCT ?this {value} WHERE {{\n  {body}\n}}"
        out.append(CompiledQuery(sparql=text, messages=messages, **common))  # type: ignore[arg-type]
    for prop in _sorted(g.objects(shape, SH.property)):
        if compiler.deactivated(prop):
            continue
        if path is None:
            out += _compile_shape(compiler, prop, focus, depth + 1)
        else:

            def values_of(var: str, outer: Callable[[str], str] = focus, p: str = path) -> str:
                f = compiler.var("f")
                return f"{{ SELECT DISTINCT {var} WHERE {{ {outer(f)} {f} {p} {var} . }} }}"

            out += _compile_shape(compiler, prop, values_of, depth + 1)
    return out


# -- running the queries -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    focus: Node
    path: Node | None
    value: Node | None
    query: CompiledQuery
    messages: tuple[Node, ...]


def _rows(query: CompiledQuery, variables: Sequence[str], rows: Iterable[tuple[Node | None, ...]]) -> Iterator[_Row]:
    from rdflib import Literal

    seen: set[tuple[Node | None, ...]] = set()
    for row in rows:
        if row in seen:
            continue
        seen.add(row)
        bound = {name: term for name, term in zip(variables, row, strict=True) if term is not None}
        focus = bound.get("this")
        if focus is None:
            continue
        if not query.templated:
            yield _Row(focus, query.path, bound.get("value"), query, query.messages)
            continue
        value = bound.get("value")
        if value is None and query.value_is_focus:
            value = focus
        path = bound.get("path", query.path)
        fill = dict(bound)
        if value is not None:
            fill["value"] = value
        if path is not None and "path" in bound:
            fill["path"] = path
        messages = tuple(Literal(_fill(str(m), fill)) for m in query.messages)
        yield _Row(focus, path, value, query, messages)


def _fill(message: str, bound: dict[str, Node]) -> str:
    for name, term in bound.items():
        message = message.replace("{?" + name + "}", str(term)).replace("{$" + name + "}", str(term))
    return message


def validate_store(
    store: Store,
    shapes: Graph,
    *,
    graph: str | Sequence[str] | None = None,
    profile: Callable[[CompiledQuery, float, int], None] | None = None,
    allow_warnings: bool = False,
) -> ValidationReport:
    """Validate the data in ``store`` (the union of its named graphs, or the graph(s) ``graph``) against ``shapes``.

    SHACL validates what is stated: give the asserted graphs (``graph=ASSERTED_GRAPHS``) of a store that also
    holds inferences, as pySHACL with ``inference="none"`` would see the data.

    The data must hold the ontology too (its ``rdfs:subClassOf`` triples decide ``sh:targetClass`` and
    ``sh:class``). Returns the same report as :func:`alliance_kg.validation.validate`; ``profile`` is called with
    each query, the seconds it took and its number of results. With ``allow_warnings`` (as pySHACL's option of
    that name), results of severity sh:Warning or sh:Info do not make the data non-conforming: the product
    validates so, because sources that disagree are reported as warnings and must not reject the data.
    """
    queries = compile_shapes(shapes)
    results: list[_Row] = []
    for query in queries:
        start = time.perf_counter()
        answer = query_store(store, query, graph=graph)
        found = list(_rows(query, answer.variables, answer))
        if profile is not None:
            profile(query, time.perf_counter() - start, len(found))
        results += found
    return _report(results, shapes, allow_warnings=allow_warnings)


def query_store(store: Store, query: CompiledQuery, *, graph: str | Sequence[str] | None = None) -> QueryAnswer:
    """Run one compiled query (errors name the shape and component)."""
    from alliance_kg.errors import QueryError

    try:
        return store.query(query.sparql, graph=graph)
    except QueryError as error:
        raise QueryError(f"{query.label}: {error}", query=query.label) from None


def _copy_subgraph(source: Graph, target: Graph, node: Node) -> None:
    from rdflib import BNode

    todo = [node]
    seen: set[Node] = set()
    while todo:
        current = todo.pop()
        if current in seen or not isinstance(current, BNode):
            continue
        seen.add(current)
        for p, o in source.predicate_objects(current):
            target.add((current, p, o))
            todo.append(o)


def _report(rows: list[_Row], shapes: Graph, *, allow_warnings: bool = False) -> ValidationReport:
    from rdflib import BNode, Graph, Literal
    from rdflib.namespace import RDF, SH, XSD

    from alliance_kg.namespaces import bind_prefixes
    from alliance_kg.validation import ValidationReport, _sort_key, _violations

    report = bind_prefixes(Graph())
    node = BNode()
    conforms = not rows
    if allow_warnings:
        conforms = all(row.query.severity in (SH.Warning, SH.Info) for row in rows)
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(conforms, datatype=XSD.boolean)))
    done: set[tuple[Node | None, ...]] = set()
    for row in rows:
        key = (
            row.focus,
            row.path,
            row.value,
            row.query.shape,
            row.query.component,
            row.query.constraint,
            *row.messages,
        )
        if key in done:
            continue
        done.add(key)
        result = BNode()
        report.add((node, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, row.focus))
        if row.path is not None:
            report.add((result, SH.resultPath, row.path))
            _copy_subgraph(shapes, report, row.path)
        if row.value is not None:
            report.add((result, SH.value, row.value))
        report.add((result, SH.resultSeverity, row.query.severity or SH.Violation))
        report.add((result, SH.sourceShape, row.query.shape))
        report.add((result, SH.sourceConstraintComponent, row.query.component))
        if row.query.constraint is not None:
            report.add((result, SH.sourceConstraint, row.query.constraint))
        for message in row.messages:
            report.add((result, SH.resultMessage, message))
    violations = tuple(sorted(_violations(report, shapes), key=_sort_key))
    lines = ["Validation Report", f"Conforms: {conforms}"]
    if violations:
        lines.append(f"Results ({len(violations)}):")
        lines += [v.render() for v in violations]
    return ValidationReport(conforms=conforms, results=violations, graph=report, text="\n".join(lines) + "\n")
