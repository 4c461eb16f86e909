"""Read RDF files into graphs: the one place alliance-kg parses files.

Only local files are read, and nothing is ever fetched from the network:
``owl:imports`` is not followed, ``@base`` and absolute IRIs are just names.
Files are read as bytes, checked for size and UTF-8, then handed to rdflib's
parser as text, so rdflib never opens a URL on our behalf. Only Turtle and
N-Triples are accepted (formats such as JSON-LD or RDF/XML can pull remote
contexts or entities).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rdflib import Graph
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from alliance_kg import resources
from alliance_kg.errors import InputError, RDFSyntaxError
from alliance_kg.namespaces import bind_prefixes

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ProjectGraphs",
    "check_input_file",
    "load_project",
    "parse_bytes",
    "parse_file",
    "parse_files",
]

#: Files larger than this (50 MB) are refused unless a caller raises the limit.
DEFAULT_MAX_BYTES: Final = 50 * 1024 * 1024

_FORMAT_BY_SUFFIX: Final = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt"}
_FORMAT_ALIASES: Final = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt"}


@dataclass(frozen=True)
class ProjectGraphs:
    """The project's graphs, each a separate :class:`rdflib.Graph`."""

    ontology: Graph
    shapes: Graph
    facts: Graph


def _format_for(path: Path, format: str | None) -> str:
    if format is not None:
        try:
            return _FORMAT_ALIASES[format.lower()]
        except KeyError:
            known = ", ".join(sorted(_FORMAT_ALIASES))
            raise InputError(f"unsupported RDF format {format!r} (use one of {known})") from None
    try:
        return _FORMAT_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_FORMAT_BY_SUFFIX))
        raise InputError(f"cannot tell the RDF format from the file name (expected {known})", path=path) from None


def check_input_file(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` is an existing regular file (a device, FIFO or socket, such as a
    link to ``/dev/zero``, could hang or never end)."""
    if not path.exists():
        raise InputError("no such file", path=path)
    if path.is_dir():
        raise InputError("is a directory, not a file", path=path)
    if not path.is_file():
        raise InputError("is not a regular file", path=path)


def _read_text(path: Path, max_bytes: int) -> str:
    try:
        check_input_file(path)
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"file is {size} bytes, more than the limit of {max_bytes} bytes", path=path)
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", path=path) from error
    if len(raw) > max_bytes:  # the file grew between stat and read
        raise InputError(f"file is larger than the limit of {max_bytes} bytes", path=path)
    if raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark, as some editors write: not part of the text
        raw = raw[3:]
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


def _bad_syntax_error(path: Path, error: BadSyntax) -> RDFSyntaxError:
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
        if line is None:
            line = before.count(b"\n")
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return RDFSyntaxError(
        f"Turtle syntax error: {why}",
        path=path,
        line=line + 1 if isinstance(line, int) else None,
        column=column,
    )


def _first_bad_ntriples_line(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            Graph().parse(data=line, format="nt")
        except Exception:
            return number
    return None


def parse_file(
    path: str | Path,
    *,
    format: str | None = None,
    into: Graph | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Graph:
    """Parse one local file into ``into`` (a new graph if not given) and return it.

    Raises :class:`InputError` for a missing, unreadable, oversized or
    non-UTF-8 file and :class:`RDFSyntaxError` (naming file, line and column
    when known) for malformed content.
    """
    path = Path(path)
    rdf_format = _format_for(path, format)
    text = _read_text(path, max_bytes)
    graph = _parse_text(text, rdf_format, path, path.resolve().as_uri())
    if into is None:
        return graph
    for prefix, namespace in graph.namespaces():
        into.bind(prefix, namespace, override=False)
    for triple in graph:
        into.add(triple)
    return into


def _parse_text(text: str, rdf_format: str, path: Path, public_id: str) -> Graph:
    """Parse ``text`` into a new graph (so that a parse failing half-way adds nothing anywhere)."""
    graph = Graph()
    try:
        # data= and a publicID: rdflib parses the string and never opens a URL.
        graph.parse(data=text, format=rdf_format, publicID=public_id)
    except BadSyntax as error:
        raise _bad_syntax_error(path, error) from error
    except ParserError as error:
        line = _first_bad_ntriples_line(text) if rdf_format == "nt" else None
        raise RDFSyntaxError(f"syntax error: {error}", path=path, line=line) from error
    except Exception as error:  # any other parser failure is still the file's fault
        raise RDFSyntaxError(f"cannot parse as {rdf_format}: {type(error).__name__}: {error}", path=path) from error
    return graph


def parse_bytes(data: bytes, *, format: str, name: str = "<stream>", max_bytes: int = DEFAULT_MAX_BYTES) -> Graph:
    """Parse RDF given as bytes (Turtle or N-Triples), as :func:`parse_file` parses a file; ``name`` names it
    in error messages."""
    path = Path(name)
    rdf_format = _format_for(path, format)
    if len(data) > max_bytes:
        raise InputError(f"{len(data)} bytes, more than the limit of {max_bytes} bytes", path=path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})", path=path
        ) from error
    return _parse_text(text, rdf_format, path, "urn:alliance-kg:stream")


def parse_files(
    paths: Iterable[str | Path],
    *,
    format: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Graph:
    """Parse local files into one new graph (format from each file's suffix unless given).

    The alliance-kg prefixes are bound on the result. Each file's size is
    checked against ``max_bytes`` (default 50 MB). See :func:`parse_file` for
    the errors raised.
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
) -> ProjectGraphs:
    """Load the project's ontology, shapes and facts.

    Each part comes from the given paths when given, else from the packaged
    files (``ontology/*.ttl``, ``ontology/*.shapes.ttl``, ``data/**/*.ttl``).
    The packaged facts include the curated Wikidata links, compiled from the
    SSSOM mapping set ``data/mappings/wikidata.sssom.tsv``.
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
    return ProjectGraphs(ontology=ontology, shapes=shapes, facts=facts)
