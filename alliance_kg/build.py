"""Build a release folder: validate, reason and write the graph in several formats.

:func:`build` loads the ontology, shapes and data, validates the data against
the shapes and computes the OWL-RL closure, with the product's engines
(:mod:`alliance_kg.engine`: the rules of :mod:`alliance_kg.inference` and
the shapes compiled to SPARQL, as ``build --store`` does), and writes:

=========================  ====================================================
``alliance-kg.ttl``        asserted triples (ontology + facts), Turtle
``alliance-kg.nt``         the same, N-Triples, lines sorted
``alliance-kg-inferred.ttl``  the inferred triples only, Turtle
``alliance-kg.trig``       named graphs ontology / facts / inferred, TriG
``validation-report.ttl``  the SHACL validation report, Turtle
``summary.json``           counts: entities per class, triples, verdicts,
                           warnings
``wikidata-enrichment.ttl``  what ``alliance-kg enrich`` fetched from
                           Wikidata, when present (also a named graph of
                           the TriG), never mixed with the facts
``exports/``               the standard graph exports and pictures
                           (:func:`alliance_kg.export.write_standard_exports`)
=========================  ====================================================

Outputs are deterministic: blank nodes get labels derived from the graph's
content (rdflib's canonicalisation over asserted and inferred triples
together, so a blank node keeps one label across files) and triples are
written in sorted order.

The release folder is replaced as a whole or not at all: everything is
written into a temporary folder beside ``out_dir`` (same file system), then
the old folder is renamed aside, the new one renamed in and the old one
deleted. Data that does not conform to the shapes, or that reasoning finds
inconsistent, is not released: :func:`build` raises
:class:`~alliance_kg.errors.RejectedBuildError` and leaves the previous
release untouched. Any other failure raises
:class:`~alliance_kg.errors.BuildError` (or the loading error) likewise. No
temporary folder is left behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import _TripleCanonicalizer
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from alliance_kg.atomic import replacing_folder, write_atomic
from alliance_kg.engine import check
from alliance_kg.errors import BuildError, InputError, RejectedBuildError
from alliance_kg.loading import load_project
from alliance_kg.namespaces import (
    AKG,
    GRAPH_FACTS,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    bind_prefixes,
    short,
)
from alliance_kg.reasoning import Inconsistency
from alliance_kg.store import quiet_dataset_warnings
from alliance_kg.validation import ValidationReport

__all__ = ["ENRICHMENT_FILE", "RELEASE_FILES", "BuildResult", "build"]

#: The files every release folder holds.
RELEASE_FILES: Final = (
    "alliance-kg.ttl",
    "alliance-kg.nt",
    "alliance-kg-inferred.ttl",
    "alliance-kg.trig",
    "validation-report.ttl",
    "summary.json",
)

#: The file of a release that holds the Wikidata enrichment, when there is one.
ENRICHMENT_FILE: Final = "wikidata-enrichment.ttl"

_Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build` returns: where the release is and what is in it."""

    out_dir: Path
    files: tuple[Path, ...]
    summary: Mapping[str, Any] = field(repr=False)
    report: ValidationReport = field(repr=False)
    inconsistencies: tuple[Inconsistency, ...] = ()
    warnings: tuple[str, ...] = ()
    #: the on-disk store written beside the release (``store="oxigraph:PATH"``), else None
    store: Path | None = None

    def summary_text(self) -> str:
        """A short report for people: entities per class, triple counts, verdicts."""
        entities: Mapping[str, Mapping[str, int]] = self.summary["entities"]
        width = max([len("class"), *(len(name) for name in entities)])
        lines = [
            f"alliance-kg {self.summary['version']} release in {self.out_dir}",
            "",
            f"{'class':<{width}}  {'direct':>8}  {'inferred':>8}",
            f"{'-' * width}  {'-' * 8}  {'-' * 8}",
        ]
        for name, counts in entities.items():
            lines.append(f"{name:<{width}}  {counts['direct']:>8}  {counts['with_inferred']:>8}")
        triples: Mapping[str, int] = self.summary["triples"]
        lines += [
            "",
            f"triples asserted: {triples['asserted']} (ontology {triples['ontology']}, facts {triples['facts']})",
            f"triples inferred: {triples['inferred']}",
            f"conforms: {'yes' if self.summary['conforms'] else 'no'}",
            f"consistent: {'yes' if not self.inconsistencies else 'no'}",
        ]
        return "\n".join(lines)


# -- deterministic serialisation ---------------------------------------------


def _canonical_bnodes(graph: Graph) -> dict[Node, Node]:
    """Map each blank node of ``graph`` to a label derived from the graph's content."""
    canonicalizer = _TripleCanonicalizer(graph)
    mapping: dict[Node, Node] = {}
    # canonical_triples() walks the same (unchanged) graph in the same order.
    for original, canonical in zip(graph, canonicalizer.canonical_triples(), strict=True):
        for old, new in zip(original, canonical, strict=True):
            if isinstance(old, BNode):
                mapping[old] = new
    return mapping


def _relabel(triples: Iterable[_Triple], mapping: Mapping[Node, Node]) -> list[_Triple]:
    relabelled = [(mapping.get(s, s), mapping.get(p, p), mapping.get(o, o)) for s, p, o in triples]
    return sorted(relabelled, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))


def _sorted_graph(triples: Iterable[_Triple], identifier: str | None = None) -> Graph:
    graph = bind_prefixes(Graph(identifier=URIRef(identifier) if identifier else None))
    for triple in triples:
        graph.add(triple)
    return graph


def _sorted_ntriples(triples: list[_Triple]) -> bytes:
    text = _sorted_graph(triples).serialize(format="nt", encoding="utf-8")
    lines = sorted(line for line in text.decode("utf-8").splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _trig(named_graphs: list[tuple[str, list[_Triple]]]) -> bytes:
    """TriG for named graphs, in the given order, each written by rdflib's TriG serialiser.

    rdflib's TriG writer orders the graphs of a dataset by hash, so each named graph is serialised as a TriG
    document of its own (a dataset holding that one graph) and the documents are concatenated: a TriG file
    may repeat ``@prefix`` lines, and blank node labels are shared across the whole file.
    """
    documents: list[bytes] = []
    for name, triples in named_graphs:
        dataset = Dataset()
        bind_prefixes(dataset)
        graph = dataset.graph(URIRef(name))
        for triple in triples:
            graph.add(triple)
        with quiet_dataset_warnings():  # rdflib's own TriG writer calls Dataset methods rdflib deprecates
            documents.append(dataset.serialize(format="trig", encoding="utf-8"))
    return b"\n".join(document.rstrip(b"\n") + b"\n" for document in documents)


def _write(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` atomically (:func:`alliance_kg.atomic.write_atomic`)."""
    write_atomic(path, content)


# -- the summary --------------------------------------------------------------


def _akg_classes(ontology: Graph, typed: Graph) -> list[URIRef]:
    classes: set[URIRef] = set()
    for class_type in (OWL.Class, RDFS.Class):
        classes.update(c for c in ontology.subjects(RDF.type, class_type) if isinstance(c, URIRef))
    classes.update(c for c in typed.objects(None, RDF.type) if isinstance(c, URIRef))
    return sorted(c for c in classes if str(c).startswith(str(AKG)))


def _count_instances(graph: Graph, cls: URIRef) -> int:
    return len(set(graph.subjects(RDF.type, cls)))


def _summary(
    *,
    ontology: Graph,
    asserted: Graph,
    inferred: Graph,
    facts_count: int,
    report: ValidationReport,
    inconsistencies: tuple[Inconsistency, ...],
) -> dict[str, Any]:
    from alliance_kg import __version__

    closure = asserted + inferred
    entities = {
        short(cls): {
            "direct": _count_instances(asserted, cls),
            "with_inferred": _count_instances(closure, cls),
        }
        for cls in _akg_classes(ontology, closure)
    }
    return {
        "version": __version__,
        "conforms": report.conforms,
        "consistent": not inconsistencies,
        "triples": {
            "asserted": len(asserted),
            "ontology": len(ontology),
            "facts": facts_count,
            "inferred": len(inferred),
        },
        "entities": entities,
        "validation_results": len(report.results),
        "inconsistencies": [item.message for item in inconsistencies],
    }


# -- the folder swap ----------------------------------------------------------


def check_replaceable(out_dir: Path) -> None:
    """Refuse to replace a folder that is not a previous release: ``--out .`` or ``--out ~`` must not wipe it.

    A folder may be replaced when it does not exist, is empty, or holds only what a release holds (and a
    ``summary.json`` written by alliance-kg).
    """
    if not out_dir.exists() and not out_dir.is_symlink():
        ancestor = out_dir.parent
        while not ancestor.exists():
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise BuildError(f"cannot write the release to {out_dir}: {ancestor} is not a folder")
        return
    if out_dir.is_symlink() or not out_dir.is_dir():
        raise BuildError(f"{out_dir} exists and is not a folder; not replacing it")
    entries = {entry.name for entry in out_dir.iterdir()}
    if not entries:
        return
    release = {*RELEASE_FILES, ENRICHMENT_FILE, "exports"}
    foreign = sorted(entries - release)
    is_release = False
    if not foreign and "summary.json" in entries:
        try:
            summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
            is_release = isinstance(summary, dict) and {"version", "triples", "entities"} <= summary.keys()
        except (OSError, UnicodeDecodeError, ValueError):
            is_release = False
    if not is_release:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "") if foreign else "no summary.json"
        raise BuildError(
            f"{out_dir} is not an alliance-kg release folder ({shown}); a build replaces its --out folder "
            "as a whole, so give a new or empty folder, or a previous release"
        )


def rejected(
    report: ValidationReport, inconsistencies: tuple[Inconsistency, ...], what: str, kept: Path
) -> RejectedBuildError:
    """The error of a build whose data does not conform or is inconsistent: ``what`` was not written, ``kept``
    was left as it was."""
    reasons = []
    if not report.conforms:
        reasons.append(f"the data does not conform to the shapes ({len(report.results)} results)")
    if inconsistencies:
        reasons.append(f"OWL-RL reasoning found {len(inconsistencies)} inconsistencies")
    return RejectedBuildError(
        f"{what} not written: " + " and ".join(reasons) + f"; {kept} left unchanged",
        report=report,
        inconsistencies=inconsistencies,
    )


def build(
    out_dir: str | Path,
    *,
    data_paths: Iterable[str | Path] | None = None,
    ontology_paths: Iterable[str | Path] | None = None,
    shape_paths: Iterable[str | Path] | None = None,
    enrichment_path: str | Path | None = None,
    store: str | None = None,
) -> BuildResult:
    """Validate, reason and write a release into ``out_dir`` (see the module docstring).

    ``data_paths`` (``ontology_paths``, ``shape_paths``) replace the packaged
    data (ontology, shapes) files when given. The Wikidata enrichment
    (``enrichment_path``, default ``enrichment/wikidata.ttl``, written by
    ``alliance-kg enrich``) is included when the file exists, as a named graph
    and a file of its own, apart from the facts: it is neither validated nor
    reasoned over; where it disagrees with the facts, ``warnings`` say so. Raises
    :class:`RejectedBuildError` when the data does not conform or is
    inconsistent, :class:`BuildError` when the folder cannot be written, and
    the loading errors for unreadable input; in every case the previous
    contents of ``out_dir`` are left as they were.

    ``store`` (a store spec, default ``$ALLIANCE_KG_STORE`` or ``memory``) ``oxigraph:PATH`` builds inside an
    on-disk Oxigraph store at ``PATH`` instead (:func:`alliance_kg.pipeline.build_store`: rules and SPARQL
    validation, the release written from the store), which ``query``, ``export``, ``serve`` and ``validate``
    then open without parsing or reasoning anything again.
    """
    from alliance_kg.store import parse_store_spec

    out_dir = Path(out_dir).absolute()
    spec = parse_store_spec(store)
    if spec.kind == "sparql":
        raise BuildError(f"a build writes a local store; put the release on {spec.location} with alliance-kg publish")
    if spec.kind == "oxigraph":  # the build at scale, in the store (alliance_kg.pipeline)
        from alliance_kg.pipeline import build_store

        done = build_store(
            str(spec.location), out_dir, data_paths=data_paths, ontology_paths=ontology_paths, shape_paths=shape_paths
        )
        return BuildResult(
            out_dir=out_dir,
            files=tuple(out_dir / name for name in RELEASE_FILES),
            summary=done.summary,
            report=done.report,
            store=done.store,
        )
    check_replaceable(out_dir)
    project = load_project(data_paths=data_paths, ontology_paths=ontology_paths, shape_paths=shape_paths)
    checked = check(project.ontology, project.facts, shapes=project.shapes)
    report = checked.report
    assert report is not None  # shapes were given

    asserted = bind_prefixes(Graph())
    for part in (project.ontology, project.facts):
        for triple in part:
            asserted.add(triple)

    if not report.conforms or checked.inconsistencies:
        raise rejected(report, checked.inconsistencies, "release", out_dir)

    from alliance_kg.wikidata.enrich import GRAPH_WIKIDATA, for_build
    from alliance_kg.wikidata.graph_reads import store_of

    with closing(store_of(project.facts)) as facts_store:
        enrichment = for_build(facts_store, enrichment_path)
    warnings = tuple(str(item) for item in enrichment.warnings)

    inferred = checked.inferred
    mapping = _canonical_bnodes(asserted + inferred)
    ontology_triples = _relabel(project.ontology, mapping)
    facts_triples = _relabel(project.facts, mapping)
    asserted_triples = _relabel(asserted, mapping)
    inferred_triples = _relabel(inferred, mapping)

    report_graph = _sorted_graph(_relabel(report.graph, _canonical_bnodes(report.graph)))
    summary = _summary(
        ontology=project.ontology,
        asserted=asserted,
        inferred=inferred,
        facts_count=len(project.facts),
        report=report,
        inconsistencies=checked.inconsistencies,
    )
    summary["warnings"] = list(warnings)
    named_graphs = [
        (GRAPH_ONTOLOGY, ontology_triples),
        (GRAPH_FACTS, facts_triples),
        (GRAPH_INFERRED, inferred_triples),
    ]
    optional: dict[str, bytes] = {}
    if enrichment.graph is not None:
        enrichment_triples = _relabel(enrichment.graph, _canonical_bnodes(enrichment.graph))
        named_graphs.append((GRAPH_WIKIDATA, enrichment_triples))
        optional[ENRICHMENT_FILE] = _sorted_graph(enrichment_triples).serialize(format="turtle", encoding="utf-8")
    trig = _trig(named_graphs)
    contents: dict[str, bytes] = {
        "alliance-kg.ttl": _sorted_graph(asserted_triples).serialize(format="turtle", encoding="utf-8"),
        "alliance-kg.nt": _sorted_ntriples(asserted_triples),
        "alliance-kg-inferred.ttl": _sorted_graph(inferred_triples).serialize(format="turtle", encoding="utf-8"),
        "alliance-kg.trig": trig,
        "validation-report.ttl": report_graph.serialize(format="turtle", encoding="utf-8"),
        "summary.json": (json.dumps(summary, indent=2, sort_keys=False) + "\n").encode("utf-8"),
    }

    try:
        with replacing_folder(out_dir) as temp_dir:
            for name in RELEASE_FILES:
                _write(temp_dir / name, contents[name])
            for name, content in optional.items():
                _write(temp_dir / name, content)
            from alliance_kg.export import write_standard_exports

            exports = write_standard_exports(asserted, inferred, temp_dir / "exports")
    except (OSError, InputError) as error:
        raise BuildError(f"cannot write the release to {out_dir}: {error}") from error

    return BuildResult(
        out_dir=out_dir,
        files=(
            *(out_dir / name for name in RELEASE_FILES),
            *(out_dir / name for name in optional),
            *(out_dir / "exports" / path.relative_to(temp_dir / "exports") for path in exports),
        ),
        summary=summary,
        report=report,
        inconsistencies=checked.inconsistencies,
        warnings=warnings,
    )
