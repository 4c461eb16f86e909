"""Time alliance_kg.shacl_sparql.validate_store on a synthetic graph: total, per query, peak RSS.

    python benchmarks/shacl_bench.py --triples 1000000 --backend oxigraph       # in-memory Oxigraph
    python benchmarks/shacl_bench.py --triples 1000000 --backend oxigraph-disk  # on-disk Oxigraph (temp folder)

The facts come from ``alliance_kg.synth`` (written once to an N-Triples file), loaded with the ontology; the
shapes are ontology/alliance-kg.shapes.ttl. Run one backend per process for a clean peak RSS. Not a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("oxigraph", "oxigraph-disk"), default="oxigraph")
    parser.add_argument("--file", type=Path, default=None, help="N-Triples file (written if missing)")
    args = parser.parse_args(argv)

    from alliance_kg.loading import load_project
    from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_ONTOLOGY
    from alliance_kg.shacl_sparql import validate_store
    from alliance_kg.store_oxigraph import OxigraphStore
    from alliance_kg.synth import write_synth

    nt = args.file or Path(tempfile.gettempdir()) / f"alliance-kg-synth-{args.triples}.nt"
    if not nt.exists():
        write_synth(nt, triples=args.triples)
    project = load_project(data_paths=[])
    folder = tempfile.mkdtemp(prefix="alliance-kg-shacl-") if args.backend == "oxigraph-disk" else None
    store = OxigraphStore(folder)
    start = time.perf_counter()
    store.load(nt, GRAPH_FACTS, format="nt")
    store.add(GRAPH_ONTOLOGY, project.ontology)
    from alliance_kg.claims import reconcile

    reconcile(store)  # the facts the sources' claims settle, as every build computes them before validating
    load = time.perf_counter() - start
    timings: list[tuple[float, str, int]] = []
    start = time.perf_counter()
    report = validate_store(store, project.shapes, profile=lambda q, t, n: timings.append((t, q.label, n)))
    total = time.perf_counter() - start
    timings.sort(reverse=True)
    record = {
        "backend": args.backend,
        "triples": store.count(),
        "load_s": round(load, 2),
        "validate_s": round(total, 2),
        "queries": len(timings),
        "conforms": report.conforms,
        "results": len(report.results),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "slowest": [(round(t, 2), label, n) for t, label, n in timings[:8]],
    }
    json.dump(record, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
