"""Load on ``alliance-kg serve``: concurrent clients running the library's queries against a built store.

    python benchmarks/load.py --store oxigraph:/tmp/s1m-store --clients 16 --seconds 60
    python benchmarks/load.py                      # the article: builds a store in a temporary folder first

A script, not a test (pytest does not collect it). It starts the endpoint on 127.0.0.1 on a free port (the
store opened read-only by every worker, nothing copied), then ``--clients`` threads send the library's named
queries (the non-federated ones, their default parameters bound as the query layer binds them) over HTTP for
``--seconds`` seconds at most and ``--requests`` requests at most per client, one at a time each; with
``--pathological N``, every Nth request is a query that would run for minutes and must be stopped at the
endpoint's timeout without holding up the others. Reported: requests, errors, queries per second, and p50/p99
latency of the library's queries; the figures go to ``--json`` when given.
Nothing but 127.0.0.1 is contacted; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ACCEPT = "application/sparql-results+json, application/n-triples"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def library_requests(kg: Any) -> list[tuple[str, str]]:
    """(name, query text with its default parameters written as VALUES) for each non-federated named query."""
    from alliance_kg.errors import ParameterError
    from alliance_kg.sparql_text import with_values

    requests = []
    for name, query in sorted(kg.queries().items()):
        if "federated" in str(query.path):
            continue
        try:
            bindings = query.bindings({}, entities=kg.entities)
        except ParameterError as error:  # a default naming an entity the graph does not hold: skip that query
            print(f"skipped {name}: {error}", file=sys.stderr)
            continue
        requests.append((name, kg.prologue(query.text) + with_values(query.text, bindings)))
    return requests


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="an oxigraph:PATH store to serve (default: the article, built first)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--requests", type=int, default=200, help="at most this many requests per client")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=10.0, help="the endpoint's per-query timeout")
    parser.add_argument("--pathological", type=int, default=0, help="every Nth request is a runaway query")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    import alliance_kg as akg
    from alliance_kg.endpoint import running

    with tempfile.TemporaryDirectory(prefix="alliance-kg-load-") as folder:
        store = args.store
        if store is None:
            from alliance_kg.build import build

            store = f"oxigraph:{folder}/store"
            build(Path(folder) / "dist", store=store)
        kg = akg.load(store=store)
        requests = library_requests(kg)
        latencies: list[float] = []
        runaway: list[tuple[float, int]] = []
        errors: list[str] = []
        lock = threading.Lock()
        with running(kg, port=0, timeout=args.timeout, workers=args.workers) as endpoint:
            deadline = time.monotonic() + args.seconds

            def client(number: int) -> None:
                for count in range(args.requests):
                    if time.monotonic() > deadline:
                        return
                    slow = args.pathological and (count + number) % args.pathological == 0
                    name, text = ("runaway", RUNAWAY) if slow else requests[(count + number) % len(requests)]
                    body = urllib.parse.urlencode({"query": text}).encode()
                    request = urllib.request.Request(endpoint.url, data=body, headers={"Accept": ACCEPT})  # noqa: S310
                    start = time.monotonic()
                    try:
                        with urllib.request.urlopen(request, timeout=args.timeout + 30) as answer:  # noqa: S310
                            answer.read()
                            status = answer.status
                    except urllib.error.HTTPError as error:
                        status = error.code
                    except OSError as error:
                        with lock:
                            errors.append(f"{name}: {error}")
                        continue
                    took = time.monotonic() - start
                    with lock:
                        if slow:
                            runaway.append((took, status))
                        elif status == 200:
                            latencies.append(took)
                        else:
                            errors.append(f"{name}: HTTP {status}")

            started = time.monotonic()
            threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(args.seconds + args.timeout + 60)
            elapsed = time.monotonic() - started
            restarts = endpoint.restarts
        kg.close()

    result = {
        "store": args.store or "the article",
        "clients": args.clients,
        "workers": args.workers,
        "queries": len(requests),
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "seconds": round(elapsed, 2),
        "qps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(1000 * percentile(latencies, 0.99), 1) if latencies else None,
        "max_ms": round(1000 * max(latencies), 1) if latencies else None,
        "runaway": [{"seconds": round(t, 2), "status": s} for t, s in runaway],
        "worker_restarts": restarts,
        "cpus": os.cpu_count(),
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
