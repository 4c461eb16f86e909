"""The build at scale: load, reason and validate in an Oxigraph store, then keep it on disk and release it.

``alliance-kg build --store oxigraph:PATH`` runs this pipeline instead of the in-memory one: nothing becomes an
rdflib graph but the shapes and the validation report.

1. The ontology and the data files are parsed by Oxigraph straight into an in-memory Oxigraph store (named
   graphs ontology and facts; the packaged facts also get the curated Wikidata links of ``data/mappings/``):
   the rules and the checks join far faster in memory than on disk (``benchmarks/inference.md``).
2. :func:`alliance_kg.inference.materialise` runs the OWL-RL rules to a fixpoint into the inferred graph.
3. :func:`alliance_kg.shacl_sparql.validate_store` validates with one SPARQL query per shape constraint, and
   :func:`alliance_kg.inference.inconsistencies` looks for contradictions.
4. Data that does not conform or is inconsistent raises :class:`~alliance_kg.errors.RejectedBuildError`: the
   new store is deleted and the previous store and release stay as they were. Otherwise every quad goes to a
   new on-disk store beside ``PATH`` with Oxigraph's bulk loader, which is swapped in whole
   (:mod:`alliance_kg.store_release`), and the release folder is written with Oxigraph's
   serialisers (the graph files, the validation report and ``summary.json``; the exports come from
   ``alliance-kg export --store oxigraph:PATH``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alliance_kg.errors import BuildError
from alliance_kg.namespaces import AKG, ASSERTED_GRAPHS, GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY, short

if TYPE_CHECKING:
    from alliance_kg.validation import ValidationReport

__all__ = ["StoreBuild", "build_store"]


@dataclass(frozen=True)
class StoreBuild:
    """What :func:`build_store` did: the store, the release folder, the verdicts and the time of each step."""

    store: Path
    out_dir: Path
    summary: dict[str, Any] = field(repr=False)
    report: ValidationReport = field(repr=False)
    seconds: dict[str, float] = field(default_factory=dict)


def _load(store: Any, ontology_paths: Iterable[Path] | None, data_paths: Iterable[Path] | None) -> None:
    from alliance_kg import resources

    for path in resources.ontology_files() if ontology_paths is None else ontology_paths:
        store.load(path, GRAPH_ONTOLOGY)
    if data_paths is None:
        from alliance_kg.wikidata.sssom import links_graph

        for path in resources.data_files():
            store.load(path, GRAPH_FACTS)
        store.add(GRAPH_FACTS, links_graph())
    else:
        for path in data_paths:
            store.load(path, GRAPH_FACTS)
    from alliance_kg.claims import reconcile

    reconcile(store)


def _entities(store: Any) -> dict[str, dict[str, int]]:
    """Instances per class of the ontology's namespace: asserted (facts) and with the inferences."""
    from rdflib import Literal

    query = (
        "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class . "
        "FILTER(isIRI(?class) && STRSTARTS(STR(?class), ?akg)) } GROUP BY ?class"
    )
    akg = {"akg": Literal(str(AKG))}
    direct = {str(row[0]): int(row[1]) for row in store.query(query, bindings=akg, graph=GRAPH_FACTS)}
    every = {str(row[0]): int(row[1]) for row in store.query(query, bindings=akg)}
    return {
        short(name): {"direct": direct.get(name, 0), "with_inferred": count} for name, count in sorted(every.items())
    }


def _summary(store: Any, counts: dict[str, int], report: ValidationReport, *, rounds: int) -> dict[str, Any]:
    """``summary.json`` of a release built in the store: the keys of the in-memory build's summary."""
    from alliance_kg import __version__

    return {
        "version": __version__,
        "conforms": report.conforms,
        "consistent": True,
        "triples": {
            "asserted": counts.get(GRAPH_ONTOLOGY, 0) + counts.get(GRAPH_FACTS, 0),
            "ontology": counts.get(GRAPH_ONTOLOGY, 0),
            "facts": counts.get(GRAPH_FACTS, 0),
            "inferred": counts.get(GRAPH_INFERRED, 0),
        },
        "entities": _entities(store),
        "validation_results": len(report.results),
        "inconsistencies": [],
        "inference_rounds": rounds,
        "warnings": [],
    }


def _write_release(store: Any, out_dir: Path, report: Any, summary: dict[str, Any]) -> None:
    from alliance_kg.atomic import atomic_file, replacing_folder, write_atomic

    with replacing_folder(out_dir) as temp:
        for name, graphs, fmt in (
            ("alliance-kg.ttl", (GRAPH_ONTOLOGY, GRAPH_FACTS), "turtle"),
            ("alliance-kg.nt", (GRAPH_ONTOLOGY, GRAPH_FACTS), "nt"),
            ("alliance-kg-inferred.ttl", (GRAPH_INFERRED,), "turtle"),
        ):
            with atomic_file(temp / name, "wb") as handle:
                for graph in graphs:  # one document after the other: still one Turtle or N-Triples document
                    store.dump(graph, fmt, handle)
        with atomic_file(temp / "alliance-kg.trig", "wb") as handle:
            store.dump(None, "trig", handle)
        write_atomic(temp / "validation-report.ttl", report.graph.serialize(format="turtle", encoding="utf-8"))
        write_atomic(temp / "summary.json", json.dumps(summary, indent=2) + "\n")


def build_store(
    store_path: str | Path,
    out_dir: str | Path,
    *,
    data_paths: Iterable[str | Path] | None = None,
    ontology_paths: Iterable[str | Path] | None = None,
    shape_paths: Iterable[str | Path] | None = None,
) -> StoreBuild:
    """Load, reason, validate and write the on-disk store at ``store_path`` and a release into ``out_dir``.

    Raises :class:`~alliance_kg.errors.RejectedBuildError` (with the report and inconsistencies) when the data
    does not conform or is inconsistent, :class:`~alliance_kg.errors.BuildError` when a folder cannot be
    written, and the loading errors (file, line, column) for malformed input; the previous store and release
    are then left as they were.
    """
    from alliance_kg import resources
    from alliance_kg.atomic import replacing_folder
    from alliance_kg.build import check_replaceable as check_release
    from alliance_kg.build import rejected
    from alliance_kg.inference import inconsistencies, materialise
    from alliance_kg.loading import parse_files
    from alliance_kg.shacl_sparql import validate_store
    from alliance_kg.store_oxigraph import OxigraphStore
    from alliance_kg.store_release import MARKER, check_replaceable

    target = Path(store_path).absolute()
    out = Path(out_dir).absolute()
    check_replaceable(target)
    check_release(out)
    shapes = parse_files(resources.shape_files() if shape_paths is None else shape_paths)
    seconds: dict[str, float] = {}
    try:
        with replacing_folder(target) as temp, OxigraphStore() as store:
            began = time.perf_counter()
            _load(
                store,
                None if ontology_paths is None else [Path(p) for p in ontology_paths],
                None if data_paths is None else [Path(p) for p in data_paths],
            )
            seconds["load"] = time.perf_counter() - began
            began = time.perf_counter()
            inference = materialise(store)
            seconds["reason"] = time.perf_counter() - began
            began = time.perf_counter()
            report = validate_store(store, shapes, graph=ASSERTED_GRAPHS, allow_warnings=True)
            found = inconsistencies(store)
            seconds["validate"] = time.perf_counter() - began
            if not report.conforms or found:
                raise rejected(report, found, "store", target)
            counts = {name: store.count(name) for name in store.graph_names()}
            summary = _summary(store, counts, report, rounds=len(inference.added))
            began = time.perf_counter()
            with OxigraphStore(temp) as disk:
                store.copy_into(disk)
            document = {"format": "oxigraph", "version": summary["version"], "release": str(out), "graphs": counts}
            (temp / MARKER).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
            seconds["store"] = time.perf_counter() - began
            began = time.perf_counter()
            _write_release(store, out, report, summary)
            seconds["release"] = time.perf_counter() - began
    except OSError as error:
        raise BuildError(f"cannot write the store to {target}: {error}") from error
    return StoreBuild(store=target, out_dir=out, summary=summary, report=report, seconds=seconds)
