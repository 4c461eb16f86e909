"""Load on ``alliance-kg serve``: concurrent clients running the library's queries against a built store, with and
without pathological queries mixed in.

    python benchmarks/load.py --store oxigraph:/tmp/s10k-store --clients 16 --workers 4 --seconds 20 --rounds 2
    python benchmarks/load.py --data /tmp/s10k.nt --json /tmp/load-10k.json    # builds a store of FILE first
    python benchmarks/load.py                      # the article: builds a store in a temporary folder first

A script, not a test (pytest does not collect it). It starts the endpoint on 127.0.0.1 on a free port (the
store opened read-only by every worker, nothing copied), then runs two phases of ``--seconds`` each:

* ``clean``: ``--clients`` threads send the library's named queries (the non-federated ones, their default
  parameters bound as the query layer binds them; an entity parameter whose default names an entity the graph
  does not hold, as the article's entities in a ``synth`` graph, takes an entity of the graph served, picked by
  a query: the first OEM supply, its supplier, customer, plant and market) over HTTP, one at a time each, at
  most ``--requests`` requests per client;
* ``mixed``: the same clients, plus ``--pathological-clients`` threads that send only pathological queries
  (:data:`PATHOLOGICAL`: cartesian products, unbounded property paths over every predicate, a regex over every
  literal and over every pair of literals), which must be stopped at the endpoint's ``--timeout`` (503) or its
  memory limit (500) without starving the library's queries.

``--rounds R`` runs the phases R times, interleaved (clean, mixed, clean, mixed...), so that a machine whose load
drifts weighs on both alike. Reported per phase, all rounds together (and per round): the library's queries
(answers, errors, queries per second, p50/p99/max latency) and, for the mixed phase, each pathological query
(sent, stopped by the timeout, by the memory limit, refused as busy, answered, its latency), then the ratios
mixed / clean. The endpoint lowers the CPU priority of a query running past ``DEMOTE_AFTER`` (1 s,
:mod:`alliance_kg.query_workers`); ``--no-demote`` turns that off, for comparison. ``--json`` writes it all.
Nothing but 127.0.0.1 is contacted; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ACCEPT = "application/sparql-results+json, application/n-triples"
#: Queries that would run for minutes (or need gigabytes): each must be stopped by the endpoint.
PATHOLOGICAL = {
    "cartesian-count": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "cartesian-sorted": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
    "path-star": "SELECT (COUNT(*) AS ?n) WHERE { ?s (rdfs:label|!rdfs:label)* ?o }",
    "path-star-sorted": "SELECT ?s ?o WHERE { ?s (akg:supplier|!akg:supplier)* ?o } ORDER BY ?o ?s",
    "regex-every-literal": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o "
        'FILTER(isLiteral(?o) && REGEX(STR(?o), "(a|e).*(i|o).*[0-9]$", "i")) }'
    ),
    "regex-literal-pairs": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?t ?q ?u "
        'FILTER(isLiteral(?o) && isLiteral(?u) && REGEX(CONCAT(STR(?o), STR(?u)), "(a|e).*(i|o).*[0-9]$", "i")) }'
    ),
}
#: The turn of the pathological queries, shared by the clients and the phases of a run.
ROTATION = itertools.count()
#: Which entity of the graph an entity parameter takes, by the parameter's name (as ``benchmarks/scale.py``).
ENTITY_FOR = {
    "manufacturer": "supplier",
    "supplier": "supplier",
    "customer": "customer",
    "plant": "plant",
    "market": "market",
    "entity": "supply",
    "about": "supply",
}
PICK = """
SELECT ?supply ?supplier ?customer ?plant ?market WHERE {
  ?supply a akg:OEMSupply ; akg:supplier ?supplier ; akg:customer ?customer ; akg:producedAt ?plant ;
          akg:market ?market .
} ORDER BY ?supply ?market LIMIT 1
"""


def pick_entities(kg: Any) -> dict[str, str]:
    """The first OEM supply of the graph (by IRI), its supplier, customer, plant and first market."""
    answer = kg.store.query(kg.prologue(PICK) + PICK, timeout=120)
    for row in answer:
        return {name: str(value) for name, value in zip(answer.variables, row, strict=True) if value is not None}
    return {}


def library_requests(kg: Any) -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    """(name, query text with its parameters written as VALUES) for each non-federated named query, and the
    parameters that replaced a default naming an entity the graph does not hold."""
    from alliance_kg.errors import ParameterError
    from alliance_kg.sparql_text import with_values

    entities: dict[str, str] | None = None
    requests, replaced = [], {}
    for name, query in sorted(kg.queries().items()):
        if "federated" in str(query.path):
            continue
        values: dict[str, str] = {}
        try:
            bindings = query.bindings({}, entities=kg.entities)
        except ParameterError:  # a default names an entity absent from this graph: take one of the graph
            if entities is None:
                entities = pick_entities(kg)
            for parameter in query.parameters:
                key = ENTITY_FOR.get(parameter.name)
                if parameter.base_type == "entity" and key in entities:
                    values[parameter.name] = entities[key]
            try:
                bindings = query.bindings(values, entities=kg.entities)
            except ParameterError as error:
                print(f"skipped {name}: {error}", file=sys.stderr)
                continue
            replaced[name] = values
        requests.append((name, kg.prologue(query.text) + with_values(query.text, bindings)))
    return requests, replaced


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def ms(value: float | None) -> float | None:
    return None if value is None else round(1000 * value, 1)


def post(url: str, text: str, timeout: float) -> tuple[int, str]:
    body = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(url, data=body, headers={"Accept": ACCEPT})  # noqa: S310 - 127.0.0.1 only
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            answer.read()
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")[:160]


@dataclass
class Outcomes:
    """What the clients of one or more phases saw."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # the library's answered queries
    errors: list[str] = field(default_factory=list)  # the library's queries that got no answer
    bad: dict[str, list[tuple[float, int, str]]] = field(default_factory=lambda: {n: [] for n in PATHOLOGICAL})

    def add(self, other: Outcomes) -> None:
        self.seconds += other.seconds
        self.latencies += other.latencies
        self.errors += other.errors
        for name, outcomes in other.bad.items():
            self.bad[name] += outcomes

    def summary(self, clients: int, pathological_clients: int) -> dict[str, Any]:
        latencies, errors = self.latencies, self.errors
        result: dict[str, Any] = {
            "clients": clients,
            "pathological_clients": pathological_clients,
            "seconds": round(self.seconds, 2),
            "answers": len(latencies),
            "errors": len(errors),
            "timed_out": sum(1 for e in errors if "timed out" in e),
            "busy": sum(1 for e in errors if "busy" in e),
            "error_samples": errors[:5],
            "qps": round(len(latencies) / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": ms(statistics.median(latencies)) if latencies else None,
            "p99_ms": ms(percentile(latencies, 0.99)) if latencies else None,
            "max_ms": ms(max(latencies)) if latencies else None,
        }
        if pathological_clients:
            result["pathological"] = {
                name: {
                    "sent": len(outcomes),
                    "timed_out": sum(1 for _, s, m in outcomes if s == 503 and "timed out" in m),
                    "busy": sum(1 for _, s, m in outcomes if s == 503 and "busy" in m),
                    "memory_limit": sum(1 for _, s, _ in outcomes if s == 500),
                    "answered": sum(1 for _, s, _ in outcomes if s == 200),
                    "other": sorted({f"{s} {m[:60]}" for _, s, m in outcomes if s not in (200, 500, 503)}),
                    "p50_s": round(statistics.median(t for t, _, _ in outcomes), 2) if outcomes else None,
                    "max_s": round(max(t for t, _, _ in outcomes), 2) if outcomes else None,
                }
                for name, outcomes in self.bad.items()
            }
        return result


def phase(url: str, requests: list[tuple[str, str]], args: argparse.Namespace, pathological_clients: int) -> Outcomes:
    """Run the clients for ``args.seconds``; the library's latencies and the pathological queries' outcomes."""
    seen = Outcomes()
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds
    bad_names = sorted(PATHOLOGICAL)

    def library(number: int) -> None:
        for count in range(args.requests):
            if time.monotonic() > deadline:
                return
            name, text = requests[(count + number) % len(requests)]
            start = time.monotonic()
            try:
                status, message = post(url, text, args.timeout + 30)
            except OSError as error:
                with lock:
                    seen.errors.append(f"{name}: {error}")
                continue
            took = time.monotonic() - start
            with lock:
                if status == 200:
                    seen.latencies.append(took)
                else:
                    seen.errors.append(f"{name}: HTTP {status} {message}")

    def pathological(number: int) -> None:
        for _ in range(args.requests):
            if time.monotonic() > deadline:
                return
            with lock:  # one rotation through every phase and client: short phases still send each query
                name = bad_names[next(ROTATION) % len(bad_names)]
            start = time.monotonic()
            try:
                status, message = post(url, PATHOLOGICAL[name], args.timeout + 30)
            except OSError as error:
                status, message = 0, str(error)
            with lock:
                seen.bad[name].append((time.monotonic() - start, status, message))

    threads = [threading.Thread(target=library, args=(n,)) for n in range(args.clients)]
    threads += [threading.Thread(target=pathological, args=(n,)) for n in range(pathological_clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(args.seconds + args.timeout + 90)
    seen.seconds = time.monotonic() - started
    return seen


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def machine() -> dict[str, Any]:
    import pyoxigraph

    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gib": memory,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "platform": platform.platform(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="an oxigraph:PATH store to serve (default: the article, built first)")
    parser.add_argument("--data", type=Path, nargs="+", help="build a store of these data files first and serve it")
    parser.add_argument("--clients", type=int, default=16, help="clients sending the library's queries")
    parser.add_argument("--pathological-clients", type=int, default=2, help="clients sending pathological queries")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    parser.add_argument("--requests", type=int, default=2000, help="at most this many requests per client and phase")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=5.0, help="the endpoint's per-query timeout")
    parser.add_argument("--phases", default="clean,mixed", help="which phases to run, in order, each round")
    parser.add_argument("--rounds", type=int, default=1, help="run the phases this many times, interleaved")
    parser.add_argument(
        "--no-demote", action="store_true", help="leave long queries at full CPU priority (for comparison)"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    import alliance_kg as akg
    from alliance_kg import query_workers
    from alliance_kg.endpoint import running

    if args.no_demote:
        query_workers.DEMOTE_AFTER = float("inf")  # type: ignore[misc]

    with tempfile.TemporaryDirectory(prefix="alliance-kg-load-") as folder:
        store = args.store
        if store is None:
            from alliance_kg.build import build

            store = f"oxigraph:{folder}/store"
            build(Path(folder) / "dist", store=store, data_paths=args.data)
        kg = akg.load(store=store)
        requests, replaced = library_requests(kg)
        triples = kg.store.count()
        totals = {"clean": Outcomes(), "mixed": Outcomes()}
        rounds: list[dict[str, Any]] = []
        with running(kg, port=0, timeout=args.timeout, workers=args.workers) as endpoint:
            for number in range(args.rounds):
                for name in args.phases.split(","):
                    print(f"round {number + 1}, {name}: {args.seconds:g} s", file=sys.stderr, flush=True)
                    patho = args.pathological_clients if name == "mixed" else 0
                    seen = phase(endpoint.url, requests, args, patho)
                    totals[name].add(seen)
                    rounds.append({"round": number + 1, "phase": name} | seen.summary(args.clients, patho))
            restarts = endpoint.restarts
            workers = endpoint.workers
        kg.close()

    result: dict[str, Any] = {
        "store": args.store or (" ".join(map(str, args.data)) if args.data else "the article"),
        "triples": triples,
        "workers": workers,
        "timeout_s": args.timeout,
        "queries": [name for name, _ in requests],
        "parameters_replaced": replaced,
        "demote_after_s": query_workers.DEMOTE_AFTER,
        "phases": {
            name: total.summary(args.clients, args.pathological_clients if name == "mixed" else 0)
            for name, total in totals.items()
            if total.seconds
        },
        "rounds": rounds,
        "worker_restarts": restarts,
        "machine": machine(),
    }
    clean, mixed = result["phases"].get("clean"), result["phases"].get("mixed")
    if clean and mixed:
        result["mixed_over_clean"] = {
            key: ratio(mixed[key], clean[key]) for key in ("qps", "p50_ms", "p99_ms", "max_ms")
        }
    text = json.dumps(result, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if not any(p["errors"] for p in result["phases"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
