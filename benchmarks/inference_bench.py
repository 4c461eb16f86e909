"""Benchmark OWL-RL materialisation (alliance_kg.inference) against owlrl on a synthetic graph.

    python benchmarks/inference_bench.py --triples 1000000                  # oxigraph in memory and on disk
    python benchmarks/inference_bench.py --triples 1000000 --owlrl 360      # and owlrl, stopped after 360 s

The graph is ``benchmarks/store_bench.py``'s ``generate(N, seed)`` written as N-Triples (kept in a temporary
folder between runs), loaded with the project's ontology. Each engine runs in a subprocess of its own, so
that its peak RSS is its own. Measured: load time, materialisation time, rounds and triples added per round,
peak RSS. This is a benchmark, not a test: it is not collected by pytest.
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def data_file(triples: int, seed: int) -> Path:
    from store_bench import generate, write_ntriples  # type: ignore[import-not-found]

    path = Path(tempfile.gettempdir()) / f"alliance-kg-inference-{triples}-{seed}.nt"
    if not path.exists():
        partial = path.with_suffix(".partial")
        write_ntriples(generate(triples, seed), partial)
        partial.replace(path)
    return path


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(engine: str, path: Path) -> dict[str, Any]:
    from alliance_kg import resources
    from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_ONTOLOGY

    record: dict[str, Any] = {"engine": engine}
    began = time.perf_counter()
    if engine == "owlrl":
        from rdflib import Graph

        from alliance_kg.reasoning import reason

        graph = Graph()
        for file in resources.ontology_files():
            graph.parse(file, format="turtle")
        graph.parse(path, format="nt")
        record["asserted"] = len(graph)
        record["load_s"] = time.perf_counter() - began
        began = time.perf_counter()
        result = reason(graph)
        record["materialise_s"] = time.perf_counter() - began
        record["added"] = len(result.inferred)
    else:
        from alliance_kg.inference import inconsistencies, materialise
        from alliance_kg.store_oxigraph import OxigraphStore

        folder = tempfile.mkdtemp(prefix="alliance-kg-inference-")
        store = OxigraphStore(None if engine == "oxigraph" else Path(folder) / "store")
        for file in resources.ontology_files():
            store.load(file, GRAPH_ONTOLOGY)
        store.load(path, GRAPH_FACTS)
        record["asserted"] = store.count()
        record["load_s"] = time.perf_counter() - began
        report = materialise(store)
        record["materialise_s"] = report.seconds
        record["rounds"] = report.rounds
        record["added_per_round"] = list(report.added)
        record["round_s"] = [round(s, 2) for s in report.round_seconds]
        record["added"] = report.total
        began = time.perf_counter()
        record["inconsistencies"] = len(inconsistencies(store))
        record["checks_s"] = time.perf_counter() - began
        store.close()
    record["peak_rss_mib"] = peak_rss_mib()
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260112)
    parser.add_argument("--engines", default="oxigraph,oxigraph-disk")
    parser.add_argument("--owlrl", type=float, default=0, help="also run owlrl, stopped after this many seconds")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, Path(args.file))))
        return 0
    path = data_file(args.triples, args.seed)
    engines = [e for e in args.engines.split(",") if e]
    if args.owlrl:
        engines.append("owlrl")
    for engine in engines:
        command = [sys.executable, __file__, "--worker", engine, "--file", str(path)]
        timeout = args.owlrl if engine == "owlrl" else None
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            print(json.dumps({"engine": engine, "stopped_after_s": timeout}), flush=True)
            continue
        print(done.stdout.strip() or done.stderr[-2000:], flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
