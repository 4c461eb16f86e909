"""Read RDF files into graphs: the one place alliance-kg parses files with rdflib.

Every RDF format users bring is accepted, by the file's suffix or an explicit ``format``
(:data:`alliance_kg.store.RDF_FORMATS`): Turtle (``.ttl``), N-Triples (``.nt``), N-Quads (``.nq``), TriG
(``.trig``), RDF/XML (``.rdf``, ``.owl``, ``.xml``) and JSON-LD (``.jsonld``, ``.json``). The formats with named
graphs (N-Quads, TriG, JSON-LD) are *merged* when read into one graph, as :meth:`alliance_kg.store.Store.load`
puts every quad into the named graph it is given: the graph names of the file are dropped, never an error.

Only the files given are read, and nothing is ever fetched: ``owl:imports`` is not followed, ``@base`` and
absolute IRIs are just names, and rdflib parses the text it is handed inside a guarded section
(:func:`alliance_kg.guard.guarded`) that refuses a JSON-LD ``@context`` URL or file, an XML entity and any other
file or host. Before parsing, :func:`read_input` checks the file:

* a regular file no larger than the limit: :data:`DEFAULT_MAX_BYTES` (50 MiB) for the rdflib parsers,
  :data:`OXIGRAPH_MAX_BYTES` (2 GiB) for Oxigraph's; ``$ALLIANCE_KG_MAX_INPUT_BYTES`` (:data:`ENV_MAX_BYTES`) or a
  ``max_bytes`` argument replaces both. Over it: an :class:`InputError` naming the file, its size and the limit;
* a UTF-8 byte order mark at the start is dropped; text that is not UTF-8 is an :class:`InputError` with line;
* RDF/XML passes :func:`alliance_kg.guard.check_rdfxml` (no external, parameter or nested entities: XXE and the
  billion laughs are refused in well under a second).

After parsing, an IRI holding a space or one of ``<>"{}|^`\\`` (which rdflib's Turtle and JSON-LD parsers let
through while Oxigraph refuses it) is an :class:`RDFSyntaxError`, so both stores accept the same files. Literals
are kept exactly as written: an ill-typed literal (``"abc"^^xsd:integer``, ``"2026-13-45"^^xsd:date``) is valid
RDF 1.1 (a literal without a value) and stays, rdflib's warning about it printed as one line without its
traceback; labels are not Unicode-normalised (NFC and NFD spellings are different literals, as RDF 1.1 compares
code points); ``\\u0000`` stays a character of the literal.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from rdflib import Graph

from alliance_kg import resources
from alliance_kg.errors import InputError, RDFSyntaxError
from alliance_kg.namespaces import bind_prefixes
from alliance_kg.store import RDF_FORMATS, format_for, quiet_dataset_warnings

if TYPE_CHECKING:
    from rdflib.plugins.parsers.notation3 import BadSyntax
    from rdflib.term import Node

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ENV_MAX_BYTES",
    "OXIGRAPH_MAX_BYTES",
    "ProjectGraphs",
    "check_bytes",
    "check_input_file",
    "load_project",
    "max_input_bytes",
    "parse_bytes",
    "parse_file",
    "parse_files",
    "read_input",
    "xml_error_line",
]

#: Files larger than this (50 MiB) are refused by the rdflib parsers unless the limit is raised.
DEFAULT_MAX_BYTES: Final = 50 * 1024 * 1024
#: Files larger than this (2 GiB) are refused by Oxigraph's parsers (which stream) unless the limit is raised.
OXIGRAPH_MAX_BYTES: Final = 2 * 1024 * 1024 * 1024
#: The environment variable that sets the size limit of every input file, in bytes (for every store).
ENV_MAX_BYTES: Final = "ALLIANCE_KG_MAX_INPUT_BYTES"

_BOM: Final = b"\xef\xbb\xbf"
_BAD_IRI_CHARACTERS: Final = frozenset(' <>"{}|^`\\') | frozenset(chr(code) for code in range(0x21))
_FORMAT_TITLES: Final = {
    "turtle": "Turtle",
    "nt": "N-Triples",
    "nquads": "N-Quads",
    "trig": "TriG",
    "xml": "RDF/XML",
    "json-ld": "JSON-LD",
}


class _IllTypedLiteral(logging.Filter):
    """rdflib logs every ill-typed literal it makes (``"abc"^^xsd:integer``) as a warning *with a traceback*: keep
    the warning, one line saying what happens, and drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if record.exc_info and message.startswith("Failed to convert Literal lexical form"):
            datatype = message.partition("Datatype=")[2].partition(",")[0]
            error = record.exc_info[1]
            record.msg, record.args = "ill-typed literal kept as written (%s): %s", (datatype, error)
            record.exc_info, record.exc_text = None, None
        return True


logging.getLogger("rdflib.term").addFilter(_IllTypedLiteral())


def max_input_bytes(default: int = DEFAULT_MAX_BYTES) -> int:
    """The size limit of an input file: ``$ALLIANCE_KG_MAX_INPUT_BYTES`` when set, else ``default``."""
    text = os.environ.get(ENV_MAX_BYTES, "").strip()
    if not text:
        return default
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        value = -1
    if value <= 0:
        raise InputError(f"${ENV_MAX_BYTES} must be a number of bytes above zero, not {text!r}")
    return value


@dataclass(frozen=True)
class ProjectGraphs:
    """The project's graphs, each a separate :class:`rdflib.Graph`."""

    ontology: Graph
    shapes: Graph
    facts: Graph


def check_input_file(path: Path, max_bytes: int | None = None) -> None:
    """Raise :class:`InputError` unless ``path`` is an existing regular file (a device, FIFO or socket, such as a
    link to ``/dev/zero``, could hang or never end) of at most ``max_bytes`` bytes (when given)."""
    if not path.exists():
        raise InputError("no such file", path=path)
    if path.is_dir():
        raise InputError("is a directory, not a file", path=path)
    if not path.is_file():
        raise InputError("is not a regular file", path=path)
    if max_bytes is not None:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"file is {size} bytes, more than the limit of {max_bytes} bytes (raise it with ${ENV_MAX_BYTES})",
                path=path,
            )


def read_input(path: str | Path, *, format: str | None = None, max_bytes: int | None = None) -> bytes:
    """The bytes of an input file, checked as the module's documentation says (regular file, size, byte order
    mark dropped, RDF/XML entities); ``max_bytes`` defaults to :func:`max_input_bytes`."""
    path = Path(path)
    rdf_format = format_for(path, format)
    limit = max_input_bytes() if max_bytes is None else max_bytes
    try:
        check_input_file(path, limit)
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", path=path) from error
    if len(raw) > limit:  # the file grew between stat and read
        raise InputError(f"file is larger than the limit of {limit} bytes (raise it with ${ENV_MAX_BYTES})", path=path)
    return check_bytes(raw, rdf_format, path)


def check_bytes(raw: bytes, rdf_format: str, path: Path) -> bytes:
    """``raw`` without a UTF-8 byte order mark, after the RDF/XML entity check (``path`` names it in errors)."""
    if raw.startswith(_BOM):  # a UTF-8 byte order mark, as some editors write: not part of the text
        raw = raw[len(_BOM) :]
    if rdf_format == "xml":
        from alliance_kg.guard import check_rdfxml

        check_rdfxml(raw, path)
    return raw


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})",
            path=path,
            line=line,
            column=column,
        ) from error


def _bad_syntax_error(path: Path, error: BadSyntax, title: str) -> RDFSyntaxError:
    # BadSyntax keeps the document (_str, bytes or str), the offset of the
    # error (_i), the 0-based line number (lines) and the reason (_why).
    text = getattr(error, "_str", b"")
    offset = getattr(error, "_i", None)
    why = str(getattr(error, "_why", "") or "bad syntax")
    line = getattr(error, "lines", None)
    column: int | None = None
    if isinstance(offset, int) and isinstance(text, bytes | str):
        data = text.encode("utf-8") if isinstance(text, str) else text
        before = data[:offset]
        # the line counted up to the error's offset: rdflib's own count (lines) can run past the end of the
        # document (line 4 of a one-line file, W3C turtle-syntax-bad-struct-12)
        line = before.count(b"\n")
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return RDFSyntaxError(
        f"{title} syntax error: {why}",
        path=path,
        line=line + 1 if isinstance(line, int) else None,
        column=column,
    )


def _first_bad_line(text: str, rdf_format: str) -> int | None:
    """The first line of an N-Triples or N-Quads document that does not parse on its own."""
    from rdflib import Dataset

    for number, line in enumerate(text.splitlines(), start=1):
        try:
            with quiet_dataset_warnings():
                (Dataset() if rdf_format == "nquads" else Graph()).parse(data=line, format=rdf_format)
        except Exception:
            return number
    return None


def xml_error_line(data: bytes) -> tuple[int, int] | None:
    """The line and column of the first well-formedness error of an XML document (expat's), or None; for a
    parser that names none. Call it after :func:`alliance_kg.guard.check_rdfxml` (no entity is expanded)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        return error.lineno, error.offset + 1
    return None


def parse_file(
    path: str | Path,
    *,
    format: str | None = None,
    into: Graph | None = None,
    max_bytes: int | None = None,
) -> Graph:
    """Parse one local file, in any format of :data:`~alliance_kg.store.RDF_FORMATS`, into ``into`` (a new graph
    if not given) and return it.

    Raises :class:`InputError` for a missing, unreadable, oversized or non-UTF-8 file and
    :class:`RDFSyntaxError` (naming file, line and column when known) for malformed content; ``into`` is left
    as it was then. ``max_bytes`` defaults to :func:`max_input_bytes` (50 MiB).
    """
    path = Path(path)
    rdf_format = format_for(path, format)
    raw = read_input(path, format=rdf_format, max_bytes=max_bytes)
    graph = _parse_text(_decode(raw, path), rdf_format, path, path.resolve().as_uri())
    if into is None:
        return graph
    for prefix, namespace in graph.namespaces():
        into.bind(prefix, namespace, override=False)
    for triple in graph:
        into.add(triple)
    return into


def _parse_text(text: str, rdf_format: str, path: Path, public_id: str) -> Graph:
    """Parse ``text`` into a new graph (so that a parse failing half-way adds nothing anywhere); the named graphs
    of a quad format are merged into it."""
    from xml.sax import SAXParseException

    from rdflib.exceptions import ParserError
    from rdflib.plugins.parsers.notation3 import BadSyntax

    from alliance_kg.guard import AccessRefused, guarded

    title = _FORMAT_TITLES[rdf_format]
    holder: Graph
    if RDF_FORMATS[rdf_format][1]:
        from rdflib import Dataset

        holder = Dataset()
    else:
        holder = Graph()
    try:
        # data= and a publicID: rdflib parses the string; the guard refuses any file or URL it would open.
        with guarded(f"parsing {title}", path=path), quiet_dataset_warnings():
            holder.parse(data=text, format=rdf_format, publicID=public_id)
    except AccessRefused:
        raise
    except BadSyntax as error:
        raise _bad_syntax_error(path, error, title) from None
    except ParserError as error:
        line = _first_bad_line(text, rdf_format) if rdf_format in ("nt", "nquads") else None
        raise RDFSyntaxError(f"{title} syntax error: {error}", path=path, line=line) from None
    except SAXParseException as error:
        sax_line, sax_column = error.getLineNumber(), error.getColumnNumber()
        raise RDFSyntaxError(
            f"{title} syntax error: {error.getMessage()}",
            path=path,
            line=sax_line if isinstance(sax_line, int) else None,
            column=sax_column + 1 if isinstance(sax_column, int) else None,
        ) from None
    except ValueError as error:  # json.JSONDecodeError among others
        line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
        message = getattr(error, "msg", None) or str(error)
        raise RDFSyntaxError(f"{title} syntax error: {message}", path=path, line=line, column=column) from None
    except Exception as error:  # any other parser failure is still the file's fault
        raise RDFSyntaxError(f"cannot parse as {title}: {type(error).__name__}: {error}", path=path) from None
    graph = holder if isinstance(holder, Graph) and not RDF_FORMATS[rdf_format][1] else _merged(holder)
    if rdf_format == "json-ld":  # rdflib's JSON-LD parser keeps a document's labels (_:b0): make them this file's
        graph = _fresh_blank_nodes(graph)
    _check_iris(graph, text, path)
    return graph


def _fresh_blank_nodes(graph: Graph) -> Graph:
    """The same graph with new blank nodes, so that ``_:b0`` in two files gives two blank nodes."""
    from rdflib import BNode

    fresh: dict[BNode, BNode] = {}

    def renamed(term: Node) -> Node:
        if isinstance(term, BNode):
            if term not in fresh:
                fresh[term] = BNode()
            return fresh[term]
        return term

    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=False)
    for s, p, o in graph:
        copy.add((renamed(s), p, renamed(o)))
    return copy


def _merged(dataset: Graph) -> Graph:
    """Every triple of every graph of a dataset, as one graph with the dataset's prefixes."""
    graph = Graph()
    with quiet_dataset_warnings():
        for prefix, namespace in dataset.namespaces():
            graph.bind(prefix, namespace, override=False)
        for context in dataset.graphs():  # type: ignore[attr-defined]  # the default graph is one of them
            for triple in context:
                graph.add(triple)
    return graph


def _check_iris(graph: Graph, text: str, path: Path) -> None:
    """Refuse an IRI Oxigraph would refuse (a space, ``<>"{}|^`\\``, a control character), with its line."""
    from rdflib import URIRef

    seen: set[URIRef] = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and term not in seen:
                seen.add(term)
                bad = next((char for char in str(term) if char in _BAD_IRI_CHARACTERS), None)
                if bad is not None:
                    offset = text.find(str(term))
                    line = None if offset < 0 else text.count("\n", 0, offset) + 1
                    raise RDFSyntaxError(
                        f"the IRI <{term}> holds {bad!r}, which an IRI may not hold", path=path, line=line
                    )


def parse_bytes(data: bytes, *, format: str, name: str = "<stream>", max_bytes: int | None = None) -> Graph:
    """Parse RDF given as bytes (any format of :data:`~alliance_kg.store.RDF_FORMATS`), as :func:`parse_file`
    parses a file; ``name`` names it in error messages."""
    path = Path(name)
    rdf_format = format_for(path, format)
    limit = max_input_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise InputError(
            f"{len(data)} bytes, more than the limit of {limit} bytes (raise it with ${ENV_MAX_BYTES})", path=path
        )
    raw = check_bytes(data, rdf_format, path)
    return _parse_text(_decode(raw, path), rdf_format, path, "urn:alliance-kg:stream")


def parse_files(
    paths: Iterable[str | Path],
    *,
    format: str | None = None,
    max_bytes: int | None = None,
) -> Graph:
    """Parse local files into one new graph (format from each file's suffix unless given).

    The alliance-kg prefixes are bound on the result. Each file's size is checked against ``max_bytes`` (default
    :func:`max_input_bytes`, 50 MiB). See :func:`parse_file` for the errors raised.
    """
    graph = bind_prefixes(Graph())
    for path in paths:
        parse_file(path, format=format, into=graph, max_bytes=max_bytes)
    return graph


def load_project(
    *,
    data_paths: Iterable[str | Path] | None = None,
    ontology_paths: Iterable[str | Path] | None = None,
    shape_paths: Iterable[str | Path] | None = None,
    reconcile: bool = True,
) -> ProjectGraphs:
    """Load the project's ontology, shapes and facts.

    Each part comes from the given paths when given, else from the packaged
    files (``ontology/*.ttl``, ``ontology/*.shapes.ttl``, ``data/**/*.ttl``).
    The packaged facts include the curated Wikidata links, compiled from the
    SSSOM mapping set ``data/mappings/wikidata.sssom.tsv``; all facts include
    what the claims of their sources reconcile to (:mod:`alliance_kg.claims`), unless ``reconcile`` is False
    (for a caller that adds more claims and reconciles once, after).
    Raises :class:`~alliance_kg.errors.ResourceError` if packaged files are
    missing.
    """
    ontology = parse_files(resources.ontology_files() if ontology_paths is None else ontology_paths)
    shapes = parse_files(resources.shape_files() if shape_paths is None else shape_paths)
    if data_paths is None:
        from alliance_kg.wikidata.sssom import links_graph

        facts = parse_files(resources.data_files())
        for triple in links_graph():
            facts.add(triple)
    else:
        facts = parse_files(data_paths)
    if reconcile:
        from alliance_kg.claims import reconciled

        for triple in reconciled(facts, ontology):
            facts.add(triple)
    return ProjectGraphs(ontology=ontology, shapes=shapes, facts=facts)
