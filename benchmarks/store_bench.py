"""Benchmark the Store implementations on a synthetic OEM-supply graph: load time, queries, peak memory.

    python benchmarks/store_bench.py                       # 10k and 100k triples
    python benchmarks/store_bench.py --sizes 10000,100000,1000000 --repeat 3 --json results.json

For each size the graph is generated deterministically (manufacturers, countries in world regions, plants,
vehicles, OEM supplies with production- and sales-start StatedDate nodes, labels in en and fr: the shape of
``data/*.ttl``), then each backend runs in a subprocess of its own (for a clean peak RSS):

* ``memory``: :class:`alliance_kg.store.MemoryStore` (rdflib Dataset), the baseline;
* ``oxigraph``: :class:`alliance_kg.store_oxigraph.OxigraphStore` in memory;
* ``oxigraph-disk``: :class:`~alliance_kg.store_oxigraph.OxigraphStore` on disk (a temporary folder);
* ``oxigraph-disk-file`` (with ``--file-load``): the same, loaded from an N-Triples file with ``load_file``
  (Oxigraph's bulk loader; no rdflib graph at all).

Measured: ``load`` (``Store.add`` of the whole graph), the project's ``queries/supplies-by-market.rq`` with a
bound market, ``queries/sales-certainly-before.rq`` with a bound day (a date-window FILTER), a COUNT over all
supplies, one entity's statements (a bound subject), and the peak RSS of the process (the input graph
included; ``input RSS`` is the RSS once the input rdflib graph is built, before the store exists). Query times
are the median of ``--repeat`` runs after one warm-up run; every backend must give the same number of rows.
This is a benchmark, not a test: it is not collected by pytest.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
AKG = "https://w3id.org/alliance-kg/ontology#"
ID = "https://w3id.org/alliance-kg/id/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
TIME = "http://www.w3.org/2006/time#"
GRAPH = "https://w3id.org/alliance-kg/graph/facts"
BACKENDS = ("memory", "oxigraph", "oxigraph-disk")
REGIONS = ("north-america", "europe", "asia", "oceania", "latin-america", "africa")
BOUND_MARKET = ID + "region/north-america"
BOUND_DAY = date(2024, 1, 1)
FIRST_DAY = date(2015, 1, 1)

COUNT_SUPPLIES = f"SELECT (COUNT(?supply) AS ?n) WHERE {{ ?supply a <{AKG}OEMSupply> }}"
ENTITY = "SELECT ?property ?value WHERE { ?entity ?property ?value } ORDER BY ?property ?value"

# -- the synthetic graph ------------------------------------------------------------------------------------

#: (subject, predicate, object); an object is ("iri", value), ("lit", text, lang) or ("date", "YYYY-MM-DD").
Triple = tuple[str, str, tuple[str, ...]]


def generate(size: int, seed: int = 20260112) -> Iterator[Triple]:
    """About ``size`` triples shaped like the project data, always the same for the same size and seed."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not cryptography
    supplies = max(1, size // 27)
    manufacturers = max(10, supplies // 200)
    plants = max(5, supplies // 20)
    vehicles = max(5, supplies // 4)

    def iri(value: str) -> tuple[str, ...]:
        return ("iri", value)

    def labels(subject: str, en: str, fr: str) -> Iterator[Triple]:
        yield subject, RDFS_LABEL, ("lit", en, "en")
        yield subject, RDFS_LABEL, ("lit", fr, "fr")

    for region in REGIONS:
        subject = f"{ID}region/{region}"
        yield subject, RDF_TYPE, iri(AKG + "WorldRegion")
        yield subject, RDF_TYPE, iri(AKG + "Market")
        yield from labels(subject, region.replace("-", " ").title(), f"Région {region}")
    countries = [f"{ID}country/c{i}" for i in range(60)]
    for i, country in enumerate(countries):
        yield country, RDF_TYPE, iri(AKG + "Country")
        yield country, RDF_TYPE, iri(AKG + "Market")
        yield country, AKG + "locatedIn", iri(f"{ID}region/{REGIONS[i % len(REGIONS)]}")
        yield from labels(country, f"Country {i}", f"Pays {i}")
    for m in range(manufacturers):
        subject = f"{ID}manufacturer/m{m}"
        yield subject, RDF_TYPE, iri(AKG + "Manufacturer")
        yield from labels(subject, f"Manufacturer {m}", f"Constructeur {m}")
    for p in range(plants):
        subject = f"{ID}plant/p{p}"
        yield subject, RDF_TYPE, iri(AKG + "Plant")
        yield subject, AKG + "operatedBy", iri(f"{ID}manufacturer/m{rng.randrange(manufacturers)}")
        yield subject, AKG + "locatedIn", iri(rng.choice(countries))
        yield from labels(subject, f"Plant {p}", f"Usine {p}")
    for v in range(vehicles):
        subject = f"{ID}vehicle/v{v}"
        yield subject, RDF_TYPE, iri(AKG + "SUV")
        yield subject, AKG + "brand", iri(f"{ID}manufacturer/m{rng.randrange(manufacturers)}")
        yield from labels(subject, f"Vehicle {v}", f"Véhicule {v}")
    for s in range(supplies):
        subject = f"{ID}supply/s{s}"
        supplier, customer = rng.sample(range(manufacturers), 2)
        market = rng.choice(countries) if rng.random() < 0.8 else f"{ID}region/{rng.choice(REGIONS)}"
        yield subject, RDF_TYPE, iri(AKG + "OEMSupply")
        yield from labels(subject, f"Supply {s}", f"Fourniture {s}")
        yield subject, AKG + "supplier", iri(f"{ID}manufacturer/m{supplier}")
        yield subject, AKG + "customer", iri(f"{ID}manufacturer/m{customer}")
        yield subject, AKG + "vehicle", iri(f"{ID}vehicle/v{rng.randrange(vehicles)}")
        yield subject, AKG + "producedAt", iri(f"{ID}plant/p{rng.randrange(plants)}")
        yield subject, AKG + "market", iri(market)
        yield subject, AKG + "status", iri(AKG + rng.choice(("Ongoing", "Planned", "Ended")))
        start = FIRST_DAY + timedelta(days=rng.randrange(4000))
        for kind, offset in (("production", 0), ("sales", rng.randrange(30, 200))):
            day = f"{ID}date/s{s}-{kind}-start"
            yield subject, AKG + f"{kind}Start", iri(day)
            earliest = start + timedelta(days=offset)
            latest = earliest + timedelta(days=rng.choice((0, 30, 90)))
            yield day, RDF_TYPE, iri(AKG + "StatedDate")
            yield from labels(day, f"from {earliest.isoformat()}", f"à partir du {earliest.isoformat()}")
            yield day, AKG + "earliest", ("date", earliest.isoformat())
            yield day, AKG + "latest", ("date", latest.isoformat())
            yield day, AKG + "precision", iri(TIME + "unitDay")
            yield day, AKG + "statedAs", ("lit", f"le {earliest.isoformat()}", "fr")


def to_rdflib(triples: Iterator[Triple]) -> Any:
    from rdflib import Graph, Literal, URIRef

    graph = Graph()
    iris: dict[str, URIRef] = {}

    def node(value: str) -> URIRef:
        found = iris.get(value)
        if found is None:
            found = iris[value] = URIRef(value)
        return found

    for s, p, o in triples:
        if o[0] == "iri":
            obj: Any = node(o[1])
        elif o[0] == "date":
            obj = Literal(o[1], datatype=node(XSD_DATE))
        else:
            obj = Literal(o[1], lang=o[2])
        graph.add((node(s), node(p), obj))
    return graph


def write_ntriples(triples: Iterator[Triple], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for s, p, o in triples:
            if o[0] == "iri":
                obj = f"<{o[1]}>"
            elif o[0] == "date":
                obj = f'"{o[1]}"^^<{XSD_DATE}>'
            else:
                obj = f'"{o[1]}"@{o[2]}'
            out.write(f"<{s}> <{p}> {obj} .\n")
            count += 1
    return count


# -- one backend, in its own process ------------------------------------------------------------------------


def rss_mib() -> float:
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker(backend: str, size: int, repeat: int, nt_file: str | None) -> dict[str, Any]:
    from rdflib import Literal, URIRef

    from alliance_kg.store import MemoryStore, Store
    from alliance_kg.store_oxigraph import OxigraphStore

    folder = tempfile.mkdtemp(prefix="alliance-kg-bench-")
    graph = None
    if backend != "oxigraph-disk-file":
        graph = to_rdflib(generate(size))
    gc.collect()
    record: dict[str, Any] = {"backend": backend, "size": size, "input_rss_mib": rss_mib()}
    store: Store
    if backend == "memory":
        store = MemoryStore()
    elif backend == "oxigraph":
        store = OxigraphStore()
    else:
        store = OxigraphStore(path=Path(folder) / "store")
    began = time.perf_counter()
    if graph is not None:
        store.add(GRAPH, graph)
    else:
        assert nt_file is not None
        assert isinstance(store, OxigraphStore)
        store.load_file(GRAPH, nt_file)
    if isinstance(store, OxigraphStore) and store.path is not None:
        store.close()
        store = OxigraphStore(path=Path(folder) / "store")  # what a user does next time: open it again
    record["load_s"] = time.perf_counter() - began
    record["triples"] = len(store)
    del graph
    gc.collect()

    by_market = (QUERIES / "supplies-by-market.rq").read_text(encoding="utf-8")
    before = (QUERIES / "sales-certainly-before.rq").read_text(encoding="utf-8")
    queries: dict[str, tuple[str, dict[str, Any]]] = {
        "supplies-by-market": (by_market, {"market": URIRef(BOUND_MARKET)}),
        "sales-certainly-before": (before, {"before": Literal(BOUND_DAY)}),
        "count-supplies": (COUNT_SUPPLIES, {}),
        "one-entity": (ENTITY, {"entity": URIRef(f"{ID}supply/s0")}),
    }
    for name, (text, bindings) in queries.items():
        times = []
        rows = 0
        for run in range(repeat + 1):  # the first run warms up (parsing, caches) and is not counted
            began = time.perf_counter()
            result = store.query(text, bindings=bindings)
            answer = list(result)
            elapsed = time.perf_counter() - began
            if run:
                times.append(elapsed)
            rows = int(answer[0][0]) if name == "count-supplies" else len(answer)  # type: ignore[index,arg-type]
        record[f"{name}_s"] = statistics.median(times)
        record[f"{name}_rows"] = rows
    record["peak_rss_mib"] = peak_rss_mib()
    if isinstance(store, OxigraphStore):
        store.close()
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    return record


# -- the driver ---------------------------------------------------------------------------------------------

MEASURES = (
    ("load_s", "load (s)"),
    ("supplies-by-market_s", "supplies-by-market (s)"),
    ("sales-certainly-before_s", "sales-certainly-before (s)"),
    ("count-supplies_s", "count supplies (s)"),
    ("one-entity_s", "one entity (s)"),
    ("input_rss_mib", "input RSS (MiB)"),
    ("peak_rss_mib", "peak RSS (MiB)"),
)


def run_backend(backend: str, size: int, repeat: int, timeout: float, nt_file: str | None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", backend, "--sizes", str(size), "--repeat", str(repeat)]
    if nt_file:
        command += ["--nt-file", nt_file]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    began = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        return {"backend": backend, "size": size, "error": f"timeout after {timeout:g} s"}
    if done.returncode != 0:
        return {"backend": backend, "size": size, "error": done.stderr.strip().splitlines()[-1:]}
    record: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    record["wall_s"] = time.perf_counter() - began
    return record


def table(records: list[dict[str, Any]]) -> str:
    base = next((r for r in records if r["backend"] == "memory" and "error" not in r), None)
    ok = [r for r in records if "error" not in r]
    width = 26
    header = f"{'':{width}}" + "".join(f"{r['backend']:>26}" for r in ok)
    lines = [header, f"{'triples':{width}}" + "".join(f"{r['triples']:>26,}" for r in ok)]
    for key, title in MEASURES:
        cells = []
        for record in ok:
            value = record[key]
            ratio = f" ({value / base[key]:.3g}x)" if base and base[key] else ""
            cells.append(f"{value:.4f}{ratio}" if key.endswith("_s") else f"{value:.0f}{ratio}")
        lines.append(f"{title:{width}}" + "".join(f"{cell:>26}" for cell in cells))
    for record in records:
        if "error" in record:
            lines.append(f"{record['backend']}: {record['error']}")
    for name in ("supplies-by-market", "sales-certainly-before", "count-supplies", "one-entity"):
        counts = {r[f"{name}_rows"] for r in ok}
        lines.append(f"rows of {name}: {sorted(counts)}" + ("" if len(counts) == 1 else "  <-- BACKENDS DISAGREE"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated triple counts (default 10k,100k)")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated, from " + ", ".join(BACKENDS))
    parser.add_argument("--file-load", action="store_true", help="also time oxigraph-disk-file (bulk N-Triples)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per query (median; default 3)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per backend and size (default 900)")
    parser.add_argument("--json", type=Path, help="also write every record to this JSON file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--nt-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    if args.worker:
        print(json.dumps(worker(args.worker, sizes[0], args.repeat, args.nt_file)))
        return 0
    backends = args.backends.split(",") + (["oxigraph-disk-file"] if args.file_load else [])
    everything: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="alliance-kg-bench-") as folder:
        for size in sizes:
            nt_file = None
            if args.file_load:
                nt_file = str(Path(folder) / f"synthetic-{size}.nt")
                write_ntriples(generate(size), Path(nt_file))
            records = [run_backend(b, size, args.repeat, args.timeout, nt_file) for b in backends]
            everything += records
            print(f"\n== {size:,} triples requested (python {sys.version.split()[0]}, ratios vs memory) ==")
            print(table(records), flush=True)
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
