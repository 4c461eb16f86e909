"""Named SPARQL queries: the ``queries/*.rq`` files and their comment headers.

Every ``.rq`` file is a named query (its name is the file name without ``.rq``). It opens with a comment
header that says what it answers and which parameters it takes::

    # title: Sales that certainly start before a day
    # description: Which OEM supplies' sales certainly start before the given day, that is, whose latest
    #   possible sales start is before it?
    # param: before xsd:date = 2026-04-01 -- the cut-off day (exclusive)

A ``param`` line reads ``NAME TYPE [= DEFAULT] [-- DESCRIPTION]``; the query uses ``?NAME`` unbound, and the
value is bound as an RDF term (never pasted into the query text). TYPE is one of :data:`PARAMETER_TYPES`, or
``entity(CLASS)`` with CLASS a prefixed class name (``entity(akg:Manufacturer)``): an entity of that class.
A line indented under a key continues it.

Entity parameters take an IRI (``https://w3id.org/alliance-kg/id/plant/okazaki`` or ``<...>``), a prefixed name
as in the data files (``plant:okazaki``, ``manufacturer:nissan``; also ``id:plant/okazaki``) or a label in any
language, matched without regard to case (``Okazaki``, ``usine d'Okazaki``). Labels need an
:class:`EntityIndex` (the graph's labels and types): :meth:`NamedQuery.bindings` takes one as ``entities``;
without it only IRIs and prefixed names are accepted. An unknown or ambiguous entity is a
:class:`~alliance_kg.errors.ParameterError` that lists the candidates.

A ``lang`` parameter (``# param: lang lang = en``) is a language tag, bound as a plain literal for
``langMatches(lang(?x), ?lang)``; the query layer (:mod:`alliance_kg.knowledge_graph`) binds a parameter named
``lang`` to the language the user picked unless a value is given for it.

Every value is checked before it reaches a store, and a value that does not fit is a
:class:`~alliance_kg.errors.ParameterError` naming the parameter (never another error): text longer than
:data:`MAX_VALUE_CHARS` characters or that is not valid Unicode (a lone surrogate); a date that is not
``YYYY-MM-DD``; a number that is not written in ASCII digits (``xsd:decimal`` without an exponent, ``NaN`` or
``Infinity``, as XSD writes it); an IRI with a space, a control character or one of ``<>"{}|^`\\``.
Error messages show at most the first 80 characters of a value.

The query form (SELECT, ASK, CONSTRUCT or DESCRIBE) is read from the query text (:func:`query_form`).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

from alliance_kg.errors import ParameterError, QueryError

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = [
    "MAX_VALUE_CHARS",
    "PARAMETER_TYPES",
    "QUERY_FORMS",
    "EntityIndex",
    "NamedQuery",
    "Parameter",
    "display_name",
    "expand_name",
    "is_update",
    "mentions_service",
    "named_queries",
    "parse_named_query",
    "query_form",
    "read_query_file",
]

#: The SPARQL query forms; :func:`query_form` tells which one a query text uses.
QUERY_FORMS: Final = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

#: The parameter types a header may declare, and what a value of each looks like.
PARAMETER_TYPES: Mapping[str, str] = {
    "xsd:date": "a day as YYYY-MM-DD",
    "xsd:integer": "a whole number",
    "xsd:decimal": "a decimal number",
    "xsd:string": "a text",
    "xsd:boolean": "true or false",
    "iri": "an absolute IRI",
    "entity": "an entity: an IRI, a prefixed name such as plant:okazaki, or its label",
    "lang": "a language tag such as en or fr",
}

#: The longest parameter value accepted, in characters: no entity name, IRI, date or number is longer, and a
#: longer text would only make the lookups of an entity slow before they fail.
MAX_VALUE_CHARS: Final = 10_000

_ENTITY_TYPE = re.compile(r"^entity\((?P<cls>[A-Za-z][\w-]*:[\w-]+)\)$")
_LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
# What an IRI may not hold: white space, control characters (as SPARQL's IRIREF) and <>"{}|\^`.
_NOT_IRI: Final = r"\s\x00-\x20<>\"{}|\\^`"
_IRI = re.compile(rf"^[A-Za-z][A-Za-z0-9+.-]*:[^{_NOT_IRI}]+$")
_NAME = re.compile(rf"^(?P<prefix>[A-Za-z][\w-]*):(?P<local>[^{_NOT_IRI}:/][^{_NOT_IRI}]*)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_SHOWN_CHARS: Final = 80
_MAX_EXPONENT: Final = 1000  # of a decimal given as a number: 1E+1000 is written with 1001 digits
# URI schemes that are never read as prefixes of prefixed names.
_SCHEMES: Final = frozenset({"http", "https", "urn", "mailto", "file", "ftp", "tag", "data"})
_QUERY_FORM = re.compile(
    r"^(?:\s|#[^\n]*\n|(?:PREFIX\s+[\w-]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>))*(?P<form>SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)


_CODEPOINT: Final = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE_WORD: Final = re.compile(r"(?<![?$:\w])SERVICE(?![\w:])", re.IGNORECASE)


def mentions_service(text: str) -> bool:
    """True when the query text may hold a ``SERVICE`` clause: coarse on purpose (a comment or a string that
    says "service" counts), with ``\\u``/``\\U`` escapes decoded first as SPARQL parsers do, so it never
    misses one. A cheap gate before the exact check on the parsed query."""

    def char(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        return chr(code) if code <= 0x10FFFF else ""

    return _SERVICE_WORD.search(_CODEPOINT.sub(char, text)) is not None


def query_form(text: str) -> str | None:
    """The form of a SPARQL query text (``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``), None if not a query.

    Only the prologue (comments, ``PREFIX`` and ``BASE``) is skipped; the text is not otherwise parsed.
    """
    match = _QUERY_FORM.match(text + "\n")
    return match["form"].upper() if match else None


_UPDATE = re.compile(
    r"^(?:\s|#[^\n]*(?:\n|$)|PREFIX\s+[\w-]*:\s*<[^>]*>|BASE\s*<[^>]*>)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def is_update(text: str) -> bool:
    """True when ``text`` is a SPARQL 1.1 Update request (INSERT, DELETE, DROP, LOAD, ...), which is refused."""
    return _UPDATE.match(text) is not None


def expand_name(text: str) -> str | None:
    """The IRI that ``text`` names (``<iri>``, an absolute IRI or a prefixed name), or None for other text.

    Prefixes are those of :data:`alliance_kg.namespaces.PREFIXES` and, as in the data files, one per folder of
    the ``id:`` namespace: ``plant:okazaki`` is ``https://w3id.org/alliance-kg/id/plant/okazaki``. Whether the
    IRI names anything in the graph is not checked here.
    """
    from alliance_kg.namespaces import ID, PREFIXES

    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        inner = text[1:-1].strip()
        return inner if _IRI.match(inner) else None
    name = _NAME.match(text)
    if name and name["prefix"] not in _SCHEMES:
        namespace = PREFIXES.get(name["prefix"])
        if namespace is not None:
            return str(namespace) + name["local"]
        return f"{ID}{name['prefix']}/{name['local']}"
    if _IRI.match(text) and (text.split(":", 1)[0].lower() in _SCHEMES or "://" in text):
        return text
    return None


def _class_iri(name: str) -> str | None:
    """The IRI of a class given as a prefixed name with one of the ontology prefixes (``akg:Plant``), else None."""
    from alliance_kg.namespaces import PREFIXES

    prefix, _, local = name.partition(":")
    namespace = PREFIXES.get(prefix)
    return str(namespace) + local if namespace is not None and local else None


def display_name(iri: str) -> str:
    """An IRI as people read it: ``plant:okazaki`` for the graph's entities, ``akg:Plant``, or ``<iri>``."""
    from alliance_kg.namespaces import ID, short

    if iri.startswith(str(ID)):
        rest = iri[len(str(ID)) :]
        folder, _, local = rest.partition("/")
        if folder and local and "/" not in local:
            return f"{folder}:{local}"
    return short(iri)


def _shown(value: object) -> str:
    """``repr(value)`` for an error message, cut to its first :data:`_SHOWN_CHARS` characters when longer."""
    try:
        text = repr(value)
    except ValueError:  # an int of more digits than Python converts
        return f"a {type(value).__name__} too long to show"
    if len(text) <= _SHOWN_CHARS:
        return text
    length = f", {len(value)} characters" if isinstance(value, str) else ""
    return f"{text[:_SHOWN_CHARS]}... (cut{length})"


def _fold(text: str) -> str:
    """Text for label comparison: case-folded, typographic apostrophes made plain, spaces collapsed."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("-", " ").replace("_", " ")
    return " ".join(text.casefold().split())


class EntityResolver(Protocol):
    """What resolves an entity parameter given by name: :class:`EntityIndex`, or the store-backed
    :class:`alliance_kg.entities.StoreEntities` that judges its candidates with one."""

    def resolve(self, text: str, parameter: Parameter) -> str: ...


@dataclass(frozen=True)
class EntityIndex:
    """What entity parameters are resolved against: each entity's labels (by language) and types.

    ``labels`` maps an IRI to ``{language: label}``; ``types`` maps an IRI to its classes (asserted and
    inferred, so that ``entity(akg:Market)`` accepts a country typed only ``akg:Country`` when the
    ontology makes every country a market).
    """

    labels: Mapping[str, Mapping[str, str]]
    types: Mapping[str, frozenset[str]]

    def describe(self, iri: str) -> str:
        """``plant:okazaki (Okazaki plant)``: an entity as the error messages list it."""
        labels = self.labels.get(iri, {})
        label = labels.get("en") or next(iter(sorted(labels.values())), "")
        return f"{display_name(iri)} ({label})" if label else display_name(iri)

    def known(self, iri: str) -> bool:
        """True when the graph says something about ``iri`` (it has a label or a type)."""
        return iri in self.labels or iri in self.types

    def resolve(self, text: str, parameter: Parameter) -> str:
        """The IRI of the entity ``text`` names, of the parameter's class if it declares one.

        Raises :class:`ParameterError` listing the candidates when ``text`` names no entity or several.
        """
        cls = parameter.entity_class
        pool = [
            iri for iri in sorted(set(self.labels) | set(self.types)) if cls is None or cls in self.types.get(iri, ())
        ]
        what = f"entity of class {display_name(cls)}" if cls else "entity"
        iri = expand_name(text)
        if iri is not None and iri in pool:
            return iri
        if iri is not None and self.known(iri) and cls is not None:
            raise ParameterError(
                f"parameter {parameter.name!r}: {display_name(iri)} is not an {what}; candidates: {self._list(pool)}",
                parameter=parameter.name,
            )
        wanted = _fold(text)
        matches = [i for i in pool if any(_fold(label) == wanted for label in self.labels.get(i, {}).values())]
        if not matches:
            matches = [i for i in pool if _fold(i.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]) == wanted]
        if not matches and wanted:
            pattern = re.compile(rf"\b{re.escape(wanted)}\b")
            matches = [
                i for i in pool if any(pattern.search(_fold(label)) for label in self.labels.get(i, {}).values())
            ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ParameterError(
                f"parameter {parameter.name!r}: {_shown(text)} is ambiguous, it matches {len(matches)} entities: "
                f"{self._list(matches)}; give one of them by its prefixed name",
                parameter=parameter.name,
            )
        if iri is not None:  # a prefixed name or IRI: offer the entities next to it
            folder = iri.rsplit("/", 1)[0] + "/"
            close = [i for i in pool if i.startswith(folder)] or self._close(_fold(iri.rsplit("/", 1)[-1]), pool)
        else:
            close = self._close(wanted, pool)
        hint = f"did you mean: {self._list(close)}" if close else f"candidates: {self._list(pool)}"
        raise ParameterError(
            f"parameter {parameter.name!r}: no {what} is named {_shown(text)}; {hint}",
            parameter=parameter.name,
        )

    def _close(self, wanted: str, pool: list[str]) -> list[str]:
        import difflib

        names: dict[str, str] = {}
        for iri in pool:
            names.setdefault(_fold(display_name(iri)), iri)
            names.setdefault(_fold(iri.rsplit("/", 1)[-1]), iri)
            for label in self.labels.get(iri, {}).values():
                names.setdefault(_fold(label), iri)
        hits = difflib.get_close_matches(wanted, list(names), n=8, cutoff=0.6)
        hits += [name for name in names if wanted and wanted in name and name not in hits]
        return list(dict.fromkeys(names[hit] for hit in hits))[:8]

    def _list(self, iris: list[str], limit: int = 12) -> str:
        shown = ", ".join(self.describe(iri) for iri in iris[:limit])
        more = f" and {len(iris) - limit} more" if len(iris) > limit else ""
        return (shown + more) or "none"


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

    @property
    def base_type(self) -> str:
        """The type without its class: ``entity`` for ``entity(akg:Plant)``, else :attr:`type`."""
        return "entity" if _ENTITY_TYPE.match(self.type) else self.type

    @property
    def entity_class(self) -> str | None:
        """The IRI of the class an ``entity(CLASS)`` parameter takes, else None."""
        match = _ENTITY_TYPE.match(self.type)
        return _class_iri(match["cls"]) if match else None

    def to_term(self, value: object, entities: EntityResolver | None = None) -> Node:
        """``value`` (a Python value or its text) as an RDF term of this parameter's type.

        Entity parameters are resolved with ``entities`` when given (labels, and a check that the entity
        exists and is of the declared class); without it only IRIs and prefixed names are accepted.
        Raises :class:`ParameterError` naming the parameter when the value does not fit the type.
        """
        from rdflib import XSD, Literal, URIRef

        def wrong(reason: str = "") -> ParameterError:
            expected = PARAMETER_TYPES[self.base_type]
            detail = f": {reason}" if reason else ""
            return ParameterError(
                f"parameter {self.name!r} takes {expected} ({self.type}), not {_shown(value)}{detail}",
                parameter=self.name,
            )

        try:
            text = str(value)
        except ValueError:  # an int of more digits than Python converts (sys.get_int_max_str_digits)
            raise wrong("too many digits") from None
        if len(text) > MAX_VALUE_CHARS:
            raise wrong(f"a value is at most {MAX_VALUE_CHARS} characters long")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise wrong("not valid Unicode text (it holds a lone surrogate)") from None
        text = text.strip()
        if self.type == "xsd:date":
            if isinstance(value, _dt.datetime):
                raise wrong("give a date, not a date and time")
            if isinstance(value, _dt.date):
                return Literal(value, datatype=XSD.date)
            if not _DATE.match(text):
                raise wrong()
            try:
                return Literal(_dt.date.fromisoformat(text), datatype=XSD.date)
            except ValueError as error:
                raise wrong(str(error)) from None
        if self.type == "xsd:integer":
            if isinstance(value, bool) or not _INTEGER.match(text):
                raise wrong()
            try:
                return Literal(int(text), datatype=XSD.integer)
            except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
                raise wrong("too many digits") from None
        if self.type == "xsd:decimal":
            if isinstance(value, bool):
                raise wrong()
            if isinstance(value, Decimal | int | float):
                number = Decimal(text)
                if not number.is_finite() or abs(number.adjusted()) > _MAX_EXPONENT:
                    raise wrong("out of range")
                text = format(number, "f")
            if not _DECIMAL.match(text):
                raise wrong("write it in digits with a point, without an exponent")
            return Literal(Decimal(text), datatype=XSD.decimal)
        if self.type == "xsd:boolean":
            if text.lower() not in {"true", "false", "1", "0"}:
                raise wrong()
            return Literal(text.lower() in {"true", "1"}, datatype=XSD.boolean)
        if self.type == "xsd:string":
            return Literal(str(value))
        if self.type == "iri":
            if not _IRI.match(text):
                raise wrong()
            return URIRef(text)
        if self.type == "lang":
            if not _LANG_TAG.match(text):
                raise wrong()
            return Literal(text.lower())
        if self.base_type == "entity":
            if entities is not None:
                return URIRef(entities.resolve(text, self))
            iri = expand_name(text)
            if iri is None:
                raise wrong("labels can only be resolved against a graph; give an IRI or a prefixed name")
            return URIRef(iri)
        raise wrong(f"unknown parameter type {self.type!r}")  # pragma: no cover - checked at parse time


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query file with its header: name, title, description and parameters."""

    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str

    @property
    def federated(self) -> bool:
        """Whether the query calls another endpoint (the files of ``queries/federated/``): it runs only when the
        user allows that endpoint (``--allow-service`` / ``allow_service=``)."""
        return self.path.parent.name == "federated"

    @property
    def form(self) -> str:
        """The query form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
        return query_form(self.text) or "SELECT"

    def bindings(
        self, values: Mapping[str, object] | None = None, *, entities: EntityResolver | None = None
    ) -> dict[str, Node]:
        """The RDF terms to bind: each declared parameter from ``values`` or its default.

        ``entities`` resolves entity parameters given by label (see :class:`EntityIndex`).
        Raises :class:`ParameterError` for an unknown parameter (listing the valid ones), a value of the
        wrong type, an unknown or ambiguous entity (listing candidates), or a parameter without value or default.
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
                bound[name] = parameter.to_term(values[name], entities)
            elif parameter.default is not None:
                bound[name] = parameter.to_term(parameter.default, entities)
            else:
                raise ParameterError(
                    f"query {self.name!r} needs a value for parameter {name!r} "
                    f"({PARAMETER_TYPES[parameter.base_type]})",
                    parameter=name,
                )
        return bound


def read_query_file(path: Path) -> str:
    """The text of a query file; :class:`QueryError` naming it if it cannot be read as UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"cannot read query file: {error}", query=path.stem, path=path) from None


def parse_named_query(path: Path, text: str | None = None) -> NamedQuery:
    """Read one ``.rq`` file (or its ``text``, already read) and its header.

    Raises :class:`QueryError` naming the file and line.
    """
    if text is None:
        text = read_query_file(path)
    fields: dict[str, list[str]] = {"title": [], "description": []}
    params: list[tuple[int, list[str]]] = []
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
                params.append((number, [key["value"].strip()]))
                current = params[-1][1]
            else:
                current = fields[key["key"]]
                current.append(key["value"].strip())
        elif continuation and current is not None:
            current.append(continuation["value"].strip())
        else:
            current = None
    title = " ".join(fields["title"]).strip()
    if not title:
        raise QueryError("query file has no '# title:' header line", query=path.stem, path=path, line=1)
    parameters = tuple(_parse_param(path, number, " ".join(parts)) for number, parts in params)
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
    entity_type = _ENTITY_TYPE.match(match["type"])
    if entity_type and _class_iri(entity_type["cls"]) is None:
        from alliance_kg.namespaces import PREFIXES

        raise QueryError(
            f"unknown class {entity_type['cls']!r} in {match['type']!r}: a class is a prefixed name with one of "
            f"the prefixes {', '.join(PREFIXES)}",
            query=path.stem,
            path=path,
            line=line,
        )
    if match["type"] not in PARAMETER_TYPES and not entity_type:
        known = ", ".join([*PARAMETER_TYPES, "entity(CLASS)"])
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
    label_default = parameter.base_type == "entity" and expand_name(parameter.default or "") is None
    if parameter.default is not None and not label_default:  # a label default is resolved when the query runs
        try:
            parameter.to_term(parameter.default)
        except ParameterError as error:
            raise QueryError(f"bad default: {error}", query=path.stem, path=path, line=line) from None
    return parameter


def named_queries(paths: list[Path] | None = None) -> dict[str, NamedQuery]:
    """The named queries by name: the packaged ``queries/*.rq`` files, or the given ones."""
    if paths is None:
        from alliance_kg.resources import query_files

        paths = query_files()
    return {query.name: query for query in map(parse_named_query, sorted(paths))}
