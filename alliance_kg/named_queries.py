"""Named SPARQL queries: the ``queries/*.rq`` files and their comment headers.

Every ``.rq`` file is a named query (its name is the file name without ``.rq``). It opens with a comment
header that says what it answers and which parameters it takes::

    # title: Sales that certainly start before a day
    # description: Which OEM supplies' sales certainly start before the given day, that is, whose latest
    #   possible sales start is before it?
    # param: before xsd:date = 2026-04-01 -- the cut-off day (exclusive)

A ``param`` line reads ``NAME TYPE [= DEFAULT] [-- DESCRIPTION]``; the query uses ``?NAME`` unbound, and the
value is bound as an RDF term (never pasted into the query text). TYPE is one of :data:`PARAMETER_TYPES`.
A line indented under a key continues it.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from alliance_kg.errors import ParameterError, QueryError

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = ["PARAMETER_TYPES", "NamedQuery", "Parameter", "named_queries", "parse_named_query"]

#: The parameter types a header may declare, and what a value of each looks like.
PARAMETER_TYPES: Mapping[str, str] = {
    "xsd:date": "a day as YYYY-MM-DD",
    "xsd:integer": "a whole number",
    "xsd:decimal": "a decimal number",
    "xsd:string": "a text",
    "xsd:boolean": "true or false",
    "iri": "an absolute IRI",
}

_KEY = re.compile(r"^#\s?(?P<key>title|description|param):\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(?P<value>\S.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>\S+)"
    r"(?:\s*=\s*(?P<default>.*?))?(?:\s+--\s+(?P<description>.*))?$"
)


@dataclass(frozen=True)
class Parameter:
    """A parameter a named query declares: its name (the SPARQL variable), type, default and meaning."""

    name: str
    type: str
    default: str | None = None
    description: str = ""

    def to_term(self, value: object) -> Node:
        """``value`` (a Python value or its text) as an RDF term of this parameter's type.

        Raises :class:`ParameterError` naming the parameter when the value does not fit the type.
        """
        from rdflib import XSD, Literal, URIRef

        def wrong(reason: str = "") -> ParameterError:
            expected = PARAMETER_TYPES[self.type]
            detail = f": {reason}" if reason else ""
            return ParameterError(
                f"parameter {self.name!r} takes {expected} ({self.type}), not {value!r}{detail}",
                parameter=self.name,
            )

        text = str(value).strip()
        if self.type == "xsd:date":
            if isinstance(value, _dt.datetime):
                raise wrong("give a date, not a date and time")
            if isinstance(value, _dt.date):
                return Literal(value, datatype=XSD.date)
            try:
                return Literal(_dt.date.fromisoformat(text), datatype=XSD.date)
            except ValueError as error:
                raise wrong(str(error)) from None
        if self.type == "xsd:integer":
            if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d+", text):
                raise wrong()
            return Literal(int(text), datatype=XSD.integer)
        if self.type == "xsd:decimal":
            try:
                return Literal(Decimal(text), datatype=XSD.decimal)
            except InvalidOperation:
                raise wrong() from None
        if self.type == "xsd:boolean":
            if text.lower() not in {"true", "false", "1", "0"}:
                raise wrong()
            return Literal(text.lower() in {"true", "1"}, datatype=XSD.boolean)
        if self.type == "xsd:string":
            return Literal(str(value))
        if self.type == "iri":
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", text):
                raise wrong()
            return URIRef(text)
        raise wrong(
            f"unknown parameter type {self.type!r}"
        )  # pragma: no cover - checked at parse time


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query file with its header: name, title, description and parameters."""

    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str

    def bindings(self, values: Mapping[str, object] | None = None) -> dict[str, Node]:
        """The RDF terms to bind: each declared parameter from ``values`` or its default.

        Raises :class:`ParameterError` for an unknown parameter (listing the valid ones), a value of the
        wrong type, or a parameter without value or default.
        """
        values = dict(values or {})
        declared = {parameter.name: parameter for parameter in self.parameters}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            valid = ", ".join(sorted(declared)) or "none"
            raise ParameterError(
                f"query {self.name!r} has no parameter {unknown[0]!r}; its parameters: {valid}",
                parameter=unknown[0],
            )
        bound: dict[str, Node] = {}
        for name, parameter in declared.items():
            if name in values:
                bound[name] = parameter.to_term(values[name])
            elif parameter.default is not None:
                bound[name] = parameter.to_term(parameter.default)
            else:
                raise ParameterError(
                    f"query {self.name!r} needs a value for parameter {name!r} "
                    f"({PARAMETER_TYPES[parameter.type]})",
                    parameter=name,
                )
        return bound


def parse_named_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file and its header. Raises :class:`QueryError` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"cannot read query file: {error}", query=path.stem, path=path) from None
    fields: dict[str, list[str]] = {"title": [], "description": []}
    params: list[tuple[int, str]] = []
    current: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        key = _KEY.match(line)
        continuation = _CONTINUATION.match(line)
        if key:
            if key["key"] == "param":
                params.append((number, key["value"].strip()))
                current = None
            else:
                current = fields[key["key"]]
                current.append(key["value"].strip())
        elif continuation and current is not None:
            current.append(continuation["value"].strip())
        else:
            current = None
    title = " ".join(fields["title"]).strip()
    if not title:
        raise QueryError(
            "query file has no '# title:' header line", query=path.stem, path=path, line=1
        )
    parameters = tuple(_parse_param(path, number, value) for number, value in params)
    return NamedQuery(
        name=path.stem,
        path=path,
        title=title,
        description=" ".join(fields["description"]).strip(),
        parameters=parameters,
        text=text,
    )


def _parse_param(path: Path, line: int, value: str) -> Parameter:
    match = _PARAM.match(value)
    if not match:
        raise QueryError(
            "a param line reads 'NAME TYPE [= DEFAULT] [-- DESCRIPTION]'",
            query=path.stem,
            path=path,
            line=line,
        )
    if match["type"] not in PARAMETER_TYPES:
        known = ", ".join(PARAMETER_TYPES)
        raise QueryError(
            f"unknown parameter type {match['type']!r} (known: {known})",
            query=path.stem,
            path=path,
            line=line,
        )
    parameter = Parameter(
        name=match["name"],
        type=match["type"],
        default=match["default"].strip() if match["default"] else None,
        description=(match["description"] or "").strip(),
    )
    if parameter.default is not None:
        try:
            parameter.to_term(parameter.default)
        except ParameterError as error:
            raise QueryError(
                f"bad default: {error}", query=path.stem, path=path, line=line
            ) from None
    return parameter


def named_queries(paths: list[Path] | None = None) -> dict[str, NamedQuery]:
    """The named queries by name: the packaged ``queries/*.rq`` files, or the given ones."""
    if paths is None:
        from alliance_kg.resources import query_files

        paths = query_files()
    return {query.name: query for query in map(parse_named_query, sorted(paths))}
