"""Fact sheets: one source and its claims in YAML, compiled to ``data/claims/<source-id>.ttl``.

A sheet (the format: ``fact-sheet.schema.json`` beside this file, and the README's "Adding a source without
writing Turtle") gives a source's metadata, the entities it brings and its claims, every entity by name.
:func:`read_sheet` reads and checks it, :func:`compile_sheet` resolves its names and makes its triples,
:func:`add_sheet` does both for a project, validates the project's data with the new file (the claims
reconciled by :mod:`alliance_kg.claims`, as every load does) and writes the file atomically only when all is well.

Errors are :class:`~alliance_kg.errors.SheetError`: they name the sheet, the line and the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from alliance_kg.sheets._compiling import PROPERTIES, Compiled, claim_iri, compile_sheet, date_iri, slug
from alliance_kg.sheets._reading import SCHEMA_PATH, Sheet, read_sheet, schema

if TYPE_CHECKING:
    from rdflib import Graph

    from alliance_kg.project import Project
    from alliance_kg.reasoning import Inconsistency
    from alliance_kg.validation import ValidationReport, Violation

__all__ = [
    "CLAIMS_FOLDER",
    "PROPERTIES",
    "SCHEMA_PATH",
    "Added",
    "Compiled",
    "Sheet",
    "add_sheet",
    "claim_iri",
    "compile_sheet",
    "date_iri",
    "project_graphs",
    "read_sheet",
    "schema",
    "slug",
]

#: Where compiled sheets go, in a project's ``data/``.
CLAIMS_FOLDER = "claims"


@dataclass(frozen=True)
class Added:
    """What :func:`add_sheet` did: the compiled sheet, the file it is (or would be) written to, and the verdict."""

    sheet: Sheet = field(repr=False)
    compiled: Compiled
    target: Path
    report: ValidationReport | None = field(repr=False)
    inconsistencies: tuple[Inconsistency, ...] = ()
    written: bool = False
    #: the file already held these bytes
    unchanged: bool = False

    @property
    def conforms(self) -> bool:
        return (self.report is None or self.report.conforms) and not self.inconsistencies

    def located(self) -> Iterator[tuple[str, Violation | Inconsistency]]:
        """Each violation and inconsistency with where it comes from: ``sheet:line: field`` when a thing the sheet
        makes is involved, else ``the project's data``."""
        from rdflib import URIRef

        from alliance_kg.namespaces import short
        from alliance_kg.sheets._reading import field_name

        sheet = self.sheet
        origins = self.compiled.origins
        by_short = {short(URIRef(iri)): where for iri, where in origins.items()}

        def where(key: Iterator[str]) -> str:
            for name in key:
                found = by_short.get(name) or origins.get(name)
                if found is not None:
                    line = sheet.line(found)
                    return f"{sheet.path}:{line}: {field_name(found)}" if line else f"{sheet.path}: {field_name(found)}"
            return "the project's data"

        for violation in () if self.report is None else self.report.results:
            yield where(iter([violation.focus, violation.value or ""])), violation
        for item in self.inconsistencies:
            yield where(iter(item.resources)), item


def project_graphs(project: Project, *, leave_out: Path | None = None) -> tuple[Graph, Graph, Graph]:
    """The project's ontology, shapes and facts (``data/**/*.ttl`` and the curated Wikidata links), without the
    file ``leave_out`` (the sheet's earlier output, which the new one replaces)."""
    from alliance_kg import resources
    from alliance_kg.loading import parse_files
    from alliance_kg.wikidata.sssom import links_graph

    with resources.use_project(project):
        skip = None if leave_out is None else leave_out.resolve()
        data = [path for path in resources.data_files() if path.resolve() != skip]
        ontology = parse_files(resources.ontology_files())
        shapes = parse_files(resources.shape_files())
        facts = parse_files(data)
        for triple in links_graph():
            facts.add(triple)
    return ontology, shapes, facts


def _sheet_name(path: Path, project: Project) -> str:
    """The sheet as the compiled file's header names it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return path.name


def add_sheet(path: str | Path, *, project: Project, dry_run: bool = False) -> Added:
    """Read, compile and validate the sheet at ``path`` with ``project``'s data, and write
    ``data/claims/<source-id>.ttl`` atomically when it conforms (never with ``dry_run``).

    Raises :class:`~alliance_kg.errors.SheetError` for a sheet that cannot be compiled; a sheet whose triples the
    shapes reject, or that makes the data inconsistent, comes back with ``conforms`` False and nothing written.
    """
    from alliance_kg.atomic import write_atomic
    from alliance_kg.claims import reconciled
    from alliance_kg.engine import check
    from alliance_kg.project import check_writable

    sheet = read_sheet(path)
    target = project.data / CLAIMS_FOLDER / f"{sheet.data['source']['id']}.ttl"
    ontology, shapes, facts = project_graphs(project, leave_out=target)
    compiled = compile_sheet(sheet, context=facts, ontology=ontology, sheet_name=_sheet_name(sheet.path, project))
    facts += compiled.graph
    facts += reconciled(facts, ontology)
    checked = check(ontology, facts, shapes=shapes)
    added = Added(
        sheet=sheet,
        compiled=compiled,
        target=target,
        report=checked.report,
        inconsistencies=checked.inconsistencies,
        unchanged=target.is_file() and target.read_bytes() == compiled.turtle,
    )
    if dry_run or not added.conforms or added.unchanged:
        return added
    check_writable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, compiled.turtle)
    return replace(added, written=True)
