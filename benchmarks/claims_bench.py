"""Time the reconciliation of claims (alliance_kg.claims.reconcile) on synthetic graphs, on Oxigraph and on rdflib.

    python benchmarks/claims_bench.py --triples 100000 1000000 --cap 600

For each size the synthetic file (``alliance_kg.synth``: every disputable fact a claim of one to three sources) is
loaded with the ontology into an in-memory Oxigraph store, the store the product builds in, and into a
MemoryStore (rdflib), the plain-rdflib way; then :func:`alliance_kg.claims.reconcile` runs on each, timed in its
parts: reading the claims (SPARQL), settling them (Python), and adding what it computes. Each store runs in a
child process, capped, for a clean peak RSS. Prints one JSON line per run. Not a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(kind: str, path: Path) -> None:
    from alliance_kg import resources
    from alliance_kg.claims import outcomes, triples
    from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_ONTOLOGY
    from alliance_kg.store import MemoryStore
    from alliance_kg.store_oxigraph import OxigraphStore

    store = OxigraphStore() if kind == "oxigraph" else MemoryStore()
    began = time.perf_counter()
    for file in resources.ontology_files():
        store.load(file, GRAPH_ONTOLOGY)
    store.load(path, GRAPH_FACTS)
    record: dict[str, object] = {"store": kind, "triples": store.count(), "load_s": time.perf_counter() - began}
    began = time.perf_counter()
    results = outcomes(store, graph=GRAPH_FACTS)
    record["read_and_settle_s"] = time.perf_counter() - began
    began = time.perf_counter()
    added = triples(results)
    record["compute_s"] = time.perf_counter() - began
    began = time.perf_counter()
    store.add(GRAPH_FACTS, added)
    record["add_s"] = time.perf_counter() - began
    record["facts"] = len(results)
    record["conflicting_facts"] = sum(1 for outcome, _ in results if outcome.conflicts)
    record["added"] = len(added)
    record["reconcile_s"] = record["read_and_settle_s"] + record["compute_s"] + record["add_s"]  # type: ignore[operator]
    record["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in record.items()}), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--stores", nargs="+", default=["oxigraph", "memory"], choices=("oxigraph", "memory"))
    parser.add_argument("--cap", type=float, default=600.0, help="seconds each child may take")
    parser.add_argument("--child", nargs=2, metavar=("STORE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0

    from alliance_kg.synth import write_synth

    for size in args.triples:
        path = Path(tempfile.gettempdir()) / f"alliance-kg-claims-synth-{size}.nt"
        if not path.exists():
            write_synth(path, triples=size)
        for kind in args.stores:
            command = [sys.executable, __file__, "--child", kind, str(path)]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=args.cap, cwd=ROOT)
            except subprocess.TimeoutExpired:
                print(json.dumps({"store": kind, "synth_triples": size, "capped": args.cap}), flush=True)
                continue
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return done.returncode
            print(json.dumps({"synth_triples": size, **json.loads(done.stdout)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
