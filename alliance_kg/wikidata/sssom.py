"""The Wikidata links as SSSOM mapping sets: read, write, and compile them into RDF.

SSSOM (Simple Standard for Sharing Ontological Mappings, https://w3id.org/sssom/) keeps mappings in a TSV file
whose metadata (``curie_map``, ``mapping_set_id``, ``license``, ...) is a YAML block at the top, each line opened
by ``#``. alliance-kg keeps two such files in a project's ``data/mappings/`` (a copy ships with the package as read-only
reference data; see :mod:`alliance_kg.project`):

* ``wikidata.sssom.tsv``: the curated links, one ``skos:exactMatch`` row per entity, with ``confidence``,
  ``mapping_justification`` (``semapv:ManualMappingCuration``), ``author_id`` and ``mapping_date``.
  :func:`links_graph` compiles it into the ``skos:exactMatch`` triples of the facts.
* ``wikidata-candidates.sssom.tsv``: candidates that need review (ids that sources disagree on, and what
  ``alliance-kg link`` found). A reviewer fills ``reviewer_id`` on a row to accept it (or also sets
  ``predicate_modifier`` to ``Not`` to reject it); ``alliance-kg link --accept`` promotes the accepted rows.

This module reads and writes the format itself (the YAML header with PyYAML, the table with :mod:`csv`) rather
than depending on the ``sssom`` package, which pulls in linkml, pandas and some ninety other packages; the test
suite checks the files with ``sssom`` where it is installed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from alliance_kg.atomic import write_atomic
from alliance_kg.errors import InputError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "CANDIDATES_FILE",
    "COLUMNS",
    "LINKS_FILE",
    "MappingRow",
    "MappingSet",
    "candidates_path",
    "dumps_mapping_set",
    "links_graph",
    "links_path",
    "read_mapping_set",
    "write_mapping_set",
]

LINKS_FILE: Final = "wikidata.sssom.tsv"
CANDIDATES_FILE: Final = "wikidata-candidates.sssom.tsv"

SKOS_EXACT_MATCH: Final = "http://www.w3.org/2004/02/skos/core#exactMatch"
WIKIDATA_ENTITY: Final = "http://www.wikidata.org/entity/"
_WIKIDATA_ITEM: Final = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")
_CURIE: Final = re.compile(r"^(?P<prefix>[A-Za-z_][A-Za-z0-9_.-]*):(?P<local>\S*)$")

#: The columns alliance-kg writes, in this order (others found in a file are kept after them).
COLUMNS: Final = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "predicate_modifier",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "author_id",
    "author_label",
    "reviewer_id",
    "reviewer_label",
    "mapping_date",
    "mapping_tool",
    "comment",
)
_REQUIRED: Final = ("subject_id", "predicate_id", "object_id", "mapping_justification")


@dataclass(frozen=True)
class MappingRow:
    """One mapping: ``subject_id predicate_id object_id`` (CURIEs or IRIs) and what supports it.

    ``line`` is the row's line in the file it was read from (0 for a row made in memory). ``extra`` keeps
    columns alliance-kg does not know, so that writing a set back loses nothing.
    """

    subject_id: str
    predicate_id: str
    object_id: str
    mapping_justification: str
    subject_label: str = ""
    object_label: str = ""
    predicate_modifier: str = ""
    confidence: float | None = None
    author_id: str = ""
    author_label: str = ""
    reviewer_id: str = ""
    reviewer_label: str = ""
    mapping_date: str = ""
    mapping_tool: str = ""
    comment: str = ""
    extra: tuple[tuple[str, str], ...] = ()
    line: int = field(default=0, compare=False)

    @property
    def negated(self) -> bool:
        """True for a rejected mapping (``predicate_modifier`` is ``Not``)."""
        return self.predicate_modifier.strip().lower() == "not"

    @property
    def reviewed(self) -> bool:
        """True once a reviewer has signed the row (``reviewer_id`` is filled)."""
        return bool(self.reviewer_id.strip())

    def cells(self) -> dict[str, str]:
        """The row as column -> text, as written to the TSV."""
        values = {name: str(getattr(self, name)) for name in COLUMNS if name != "confidence"}
        values["confidence"] = "" if self.confidence is None else f"{self.confidence:g}"
        values.update(self.extra)
        return values


@dataclass(frozen=True)
class MappingSet:
    """An SSSOM mapping set: its metadata (the YAML header, ``curie_map`` included) and its rows."""

    metadata: Mapping[str, Any]
    rows: tuple[MappingRow, ...]
    path: Path | None = None

    @property
    def curie_map(self) -> dict[str, str]:
        """prefix -> namespace, from the ``curie_map`` metadata."""
        value = self.metadata.get("curie_map") or {}
        return {str(key): str(namespace) for key, namespace in dict(value).items()}

    def expand(self, reference: str, *, line: int | None = None) -> str:
        """The IRI of a CURIE (``wd:Q17``) or of an IRI given in full; InputError for an unknown prefix."""
        return _expand(reference, self.curie_map, path=self.path, line=line)

    def compact(self, iri: str) -> str:
        """A CURIE for ``iri`` using the longest matching namespace of ``curie_map`` (the IRI if none)."""
        best = ""
        prefix_found = ""
        for prefix, namespace in self.curie_map.items():
            if iri.startswith(namespace) and len(namespace) > len(best):
                best, prefix_found = namespace, prefix
        return f"{prefix_found}:{iri[len(best) :]}" if best else iri

    def with_rows(self, rows: Iterable[MappingRow]) -> MappingSet:
        """A copy with other rows (the metadata and path kept)."""
        return replace(self, rows=tuple(rows))


def _expand(reference: str, curie_map: Mapping[str, str], *, path: Path | None, line: int | None) -> str:
    reference = reference.strip()
    if reference.startswith(("http://", "https://")):
        return reference
    match = _CURIE.match(reference)
    if not match:
        raise InputError(f"{reference!r} is neither a CURIE nor an http(s) IRI", path=path, line=line)
    prefix = match["prefix"]
    if prefix not in curie_map:
        known = ", ".join(sorted(curie_map)) or "none"
        raise InputError(
            f"unknown prefix {prefix!r} in {reference!r} (the curie_map declares: {known})", path=path, line=line
        )
    return curie_map[prefix] + match["local"]


def _parse_confidence(text: str, *, path: Path, line: int) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"confidence {text!r} is not a number", path=path, line=line) from None
    if not 0.0 <= value <= 1.0:
        raise InputError(f"confidence {value} is not between 0 and 1", path=path, line=line)
    return value


def read_mapping_set(path: str | Path) -> MappingSet:
    """Read an SSSOM/TSV file (YAML header lines starting with ``#``, then a table with a header row).

    Raises :class:`InputError` naming the file and line for a missing file, bad YAML, a missing required
    column or value, an unknown CURIE prefix or a confidence outside 0..1.
    """
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such mapping file", path=path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read mapping file: {error}", path=path) from None
    lines = text.splitlines(keepends=True)
    header_count = 0
    while header_count < len(lines) and lines[header_count].startswith("#"):
        header_count += 1
    yaml_text = "".join(re.sub(r"^# ?", "", line, count=1) for line in lines[:header_count])
    try:
        metadata = yaml.safe_load(yaml_text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"the YAML header is not valid YAML: {error}", path=path, line=line) from None
    if not isinstance(metadata, dict):
        raise InputError("the YAML header must be a mapping (key: value lines)", path=path, line=1)
    curie_map = metadata.get("curie_map") or {}
    if not isinstance(curie_map, dict):
        raise InputError("curie_map must map prefixes to namespaces", path=path, line=1)

    reader = csv.reader(io.StringIO("".join(lines[header_count:])), dialect="excel-tab")
    try:
        columns = next(reader)
    except StopIteration:
        raise InputError("no table after the header (expected a row of column names)", path=path) from None
    columns = [column.strip() for column in columns]
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        raise InputError(f"missing required column(s): {', '.join(missing)}", path=path, line=header_count + 1)
    rows: list[MappingRow] = []
    for offset, record in enumerate(reader, start=2):
        line = header_count + offset
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(columns):
            raise InputError(
                f"{len(record)} cells but {len(columns)} columns (a tab inside a value?)", path=path, line=line
            )
        cells = dict(zip(columns, [cell.strip() for cell in record], strict=False))
        for name in _REQUIRED:
            if not cells.get(name):
                raise InputError(f"empty {name}", path=path, line=line)
        for name in ("subject_id", "predicate_id", "object_id"):
            _expand(cells[name], {str(k): str(v) for k, v in curie_map.items()}, path=path, line=line)
        known = {name: cells.get(name, "") for name in COLUMNS if name != "confidence"}
        rows.append(
            MappingRow(
                **known,
                confidence=_parse_confidence(cells.get("confidence", ""), path=path, line=line),
                extra=tuple((name, value) for name, value in cells.items() if name not in COLUMNS),
                line=line,
            )
        )
    return MappingSet(metadata=metadata, rows=tuple(rows), path=path)


def dumps_mapping_set(mapping_set: MappingSet) -> str:
    """The SSSOM/TSV text of a mapping set (YAML header, then the table; columns that are empty everywhere
    are left out)."""
    import yaml

    header = yaml.safe_dump(dict(mapping_set.metadata), sort_keys=False, allow_unicode=True, width=1000)
    lines = [f"# {line}" if line else "#" for line in header.rstrip("\n").splitlines()]
    all_cells = [row.cells() for row in mapping_set.rows]
    extra_columns = sorted({name for cells in all_cells for name in cells} - set(COLUMNS))
    columns = [
        name for name in (*COLUMNS, *extra_columns) if name in _REQUIRED or any(cells.get(name) for cells in all_cells)
    ]
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel-tab", lineterminator="\n")
    writer.writerow(columns)
    for cells in all_cells:
        writer.writerow([cells.get(name, "") for name in columns])
    return "\n".join(lines) + "\n" + out.getvalue()


def write_mapping_set(mapping_set: MappingSet, path: str | Path) -> Path:
    """Write a mapping set as SSSOM/TSV to ``path`` atomically (a temporary file renamed over it).

    Raises :class:`InputError` for a path inside the installed package: its data is read-only reference data.
    """
    from alliance_kg.project import check_writable

    path = check_writable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, dumps_mapping_set(mapping_set))
    return path


def links_path() -> Path:
    """The curated links file, ``data/mappings/wikidata.sssom.tsv``, of the active project (the current
    directory's, or the one selected with ``--project``), else of the packaged, read-only data.

    Commands that write it take it from :func:`alliance_kg.project.require_project` instead (see
    ``Project.mappings``), so that nothing is written into the installed package."""
    from alliance_kg.resources import resource_root

    return resource_root("data") / "mappings" / LINKS_FILE


def candidates_path() -> Path:
    """The review file, ``data/mappings/wikidata-candidates.sssom.tsv``, of the active project, else of the
    packaged, read-only data (see :func:`links_path`)."""
    from alliance_kg.resources import resource_root

    return resource_root("data") / "mappings" / CANDIDATES_FILE


def links_graph(path: str | Path | None = None) -> Graph:
    """Compile the curated links into a new graph of ``subject skos:exactMatch wd:Q…`` triples.

    ``path`` is an SSSOM/TSV file (:func:`links_path`, the active project's or the packaged
    ``data/mappings/wikidata.sssom.tsv``, when None). Rows whose
    predicate is not ``skos:exactMatch`` or whose ``predicate_modifier`` is ``Not`` are left out. Raises
    :class:`InputError` (file and line) for a link that is not a Wikidata item IRI or an entity with two links.
    """
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    from alliance_kg.namespaces import bind_prefixes

    mapping_set = read_mapping_set(links_path() if path is None else path)
    graph = bind_prefixes(Graph())
    seen: dict[str, MappingRow] = {}
    for row in mapping_set.rows:
        if row.negated or mapping_set.expand(row.predicate_id, line=row.line) != SKOS_EXACT_MATCH:
            continue
        subject = mapping_set.expand(row.subject_id, line=row.line)
        target = mapping_set.expand(row.object_id, line=row.line)
        if not _WIKIDATA_ITEM.match(target):
            raise InputError(
                f"{row.object_id!r} is not a Wikidata item (http://www.wikidata.org/entity/Q…)",
                path=mapping_set.path,
                line=row.line,
            )
        if subject in seen and mapping_set.expand(seen[subject].object_id) != target:
            raise InputError(
                f"{row.subject_id} has a second link ({row.object_id}; line {seen[subject].line} gives "
                f"{seen[subject].object_id}): an entity has at most one Wikidata link",
                path=mapping_set.path,
                line=row.line,
            )
        seen[subject] = row
        graph.add((URIRef(subject), SKOS.exactMatch, URIRef(target)))
    return graph
