"""Benchmark OWL-RL materialisation (alliance_kg.inference) against owlrl on a synthetic graph.

    python benchmarks/inference_bench.py --triples 1000000                  # oxigraph in memory and on disk
    python benchmarks/inference_bench.py --triples 1000000 --owlrl 360      # and owlrl, stopped after 360 s
    python benchmarks/inference_bench.py --file /tmp/synth-1m.nt --profile  # time of each rule and check
    python benchmarks/inference_bench.py --engines oxigraph-disk,oxigraph-disk-optimized  # optimize() after load

``--file`` benchmarks an existing N-Triples file (``alliance-kg synth --triples N -o FILE``) instead of the
generated graph. ``--profile`` also times every SPARQL update and query the engine sends, by rule file and
graph, summed over the rounds and printed as a table on stderr.

The graph is ``benchmarks/store_bench.py``'s ``generate(N, seed)`` written as N-Triples (kept in a temporary
folder between runs), loaded with the project's ontology. Each engine runs in a subprocess of its own, so
that its peak RSS is its own. Measured: load time, materialisation time, rounds and triples added per round,
peak RSS. This is a benchmark, not a test: it is not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
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


def cpu_s() -> float:
    """The CPU time of this process (user and system): steadier than wall time on a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Profiled:
    """A store that times each update and query it passes on, by rule and graphs (``--profile``)."""

    GRAPH = re.compile(r"GRAPH <([^>]+)>")

    def __init__(self, store: Any) -> None:
        self.store = store
        self.times: dict[str, list[float]] = {}
        self.files: dict[str, str] = {}  # the first line of each rule file: its name
        self.slowest: list[tuple[float, str]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def label(self, text: str) -> str:
        from alliance_kg.inference import RULES

        if not self.files:
            for path in RULES.glob("*/*.r[qu]"):
                self.files.setdefault(path.read_text(encoding="utf-8").splitlines()[0], path.stem)
        first = text.splitlines()[0]
        rule = self.files.get(first, first[:30])
        graphs = [g.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for g in dict.fromkeys(self.GRAPH.findall(text))]
        return f"{rule} [{' '.join(graphs)}]"

    def record(self, text: str, began: float) -> None:
        seconds = time.perf_counter() - began
        entry = self.times.setdefault(self.label(text), [0.0, 0])
        entry[0] += seconds
        entry[1] += 1
        self.slowest.append((seconds, text))
        self.slowest = sorted(self.slowest, key=lambda item: -item[0])[:8]

    def update(self, sparql: str) -> None:
        began = time.perf_counter()
        self.store.update(sparql)
        self.record(sparql, began)

    def query(self, sparql: str, **options: Any) -> Any:
        began = time.perf_counter()
        rows = list(self.store.query(sparql, **options))
        self.record(sparql, began)
        return rows

    def report(self) -> str:
        rules: dict[str, list[float]] = {}
        for label, (seconds, calls) in self.times.items():
            entry = rules.setdefault(label.split(" [")[0], [0.0, 0])
            entry[0] += seconds
            entry[1] += calls
        lines = [f"{'seconds':>8} {'calls':>6}  rule"]
        for rule, (seconds, calls) in sorted(rules.items(), key=lambda item: -item[1][0]):
            lines.append(f"{seconds:8.2f} {int(calls):6d}  {rule}")
        lines.append(f"{'seconds':>8} {'calls':>6}  rule [graphs]")
        for label, (seconds, calls) in sorted(self.times.items(), key=lambda item: -item[1][0]):
            lines.append(f"{seconds:8.2f} {int(calls):6d}  {label}")
        lines.append("the slowest calls:")
        for seconds, text in self.slowest:
            body = " ".join(line for line in text.splitlines() if not line.startswith(("#", "PREFIX")))
            lines.append(f"{seconds:8.2f}  {body[:400]}")
        return "\n".join(lines)


def worker(engine: str, path: Path, profile: bool = False) -> dict[str, Any]:
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
        from alliance_kg.claims import reconciled

        graph += reconciled(graph)  # the same facts the store engine reasons over
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
        store: Any = OxigraphStore(None if engine == "oxigraph" else Path(folder) / "store")
        for file in resources.ontology_files():
            store.load(file, GRAPH_ONTOLOGY)
        store.load(path, GRAPH_FACTS)
        from alliance_kg.claims import reconcile

        reconcile(store)  # the facts the sources' claims settle, as every build computes them
        record["asserted"] = store.count()
        record["load_s"] = time.perf_counter() - began
        if engine == "oxigraph-disk-optimized":
            began = time.perf_counter()
            store.optimize()
            record["optimize_s"] = time.perf_counter() - began
        if profile:
            store = Profiled(store)
        cpu = cpu_s()
        report = materialise(store)
        record["materialise_s"] = report.seconds
        record["materialise_cpu_s"] = cpu_s() - cpu
        record["rounds"] = report.rounds
        record["added_per_round"] = list(report.added)
        record["round_s"] = [round(s, 2) for s in report.round_seconds]
        record["added"] = report.total
        began, cpu = time.perf_counter(), cpu_s()
        record["inconsistencies"] = len(inconsistencies(store))
        record["checks_s"] = time.perf_counter() - began
        record["checks_cpu_s"] = cpu_s() - cpu
        if profile:
            print(f"-- {engine}\n{store.report()}", file=sys.stderr, flush=True)
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
    record["peak_rss_mib"] = peak_rss_mib()
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260112)
    parser.add_argument("--engines", default="oxigraph,oxigraph-disk")
    parser.add_argument("--owlrl", type=float, default=0, help="also run owlrl, stopped after this many seconds")
    parser.add_argument("--file", help="an N-Triples file to load instead of the generated graph")
    parser.add_argument("--profile", action="store_true", help="time each rule and check (table on stderr)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, Path(args.file), args.profile)))
        return 0
    path = Path(args.file) if args.file else data_file(args.triples, args.seed)
    engines = [e for e in args.engines.split(",") if e]
    if args.owlrl:
        engines.append("owlrl")
    for engine in engines:
        command = [sys.executable, __file__, "--worker", engine, "--file", str(path)]
        if args.profile:
            command.append("--profile")
        timeout = args.owlrl if engine == "owlrl" else None
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            print(json.dumps({"engine": engine, "stopped_after_s": timeout}), flush=True)
            continue
        print(done.stdout.strip() or done.stderr[-2000:], flush=True)
        if args.profile and done.stdout.strip():
            print(done.stderr.strip(), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
