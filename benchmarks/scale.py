"""The product's own commands at 10k, 100k and 1M triples, on ``memory`` and ``oxigraph:PATH``, side by side with
the plain rdflib + owlrl + pyshacl pipeline (issue 8). A script, not a test: pytest does not collect it.

    python benchmarks/scale.py                                     # 10k, 100k, 1M; cap 600 s per capped step
    python benchmarks/scale.py --sizes 10000,100000 --cap-seconds 300 --json /tmp/scale-small.json
    python benchmarks/scale.py --sizes 1000000 --cap-seconds 240 --include /tmp/scale-small.json \\
        --json /tmp/scale-1m.json --md benchmarks/scale.md

For each size, ``alliance-kg synth --triples N --seed S -o FILE.nt`` writes the facts (cached in a temporary
folder), then every measurement runs in a child process of its own, whose wall time and peak RSS
(``os.wait4``'s ``ru_maxrss``, what ``/usr/bin/time`` reports) are its own:

* ``alliance-kg build --store oxigraph:DIR --data FILE --out REL`` (the build at scale), and the same build
  through :func:`alliance_kg.pipeline.build_store` in a small child, for the seconds of each step;
* ``alliance-kg build --data FILE --out REL`` on the default ``memory`` store (rdflib + pyshacl + owlrl), capped;
* the plain pipeline: rdflib ``Graph().parse`` of the ontology and the facts, ``pyshacl.validate`` (project's
  shapes, ``advanced=True``, ``inference="none"``) and owlrl ``DeductiveClosure(OWLRL_Semantics).expand``, each
  step timed and capped on its own (pyshacl runs before owlrl, as in ``alliance-kg build``, on the asserted
  graph);
* every named query of the library (the non-federated ones; the declared defaults, except that entity
  parameters, whose defaults name the article's entities, take an entity of the synthetic graph) through
  ``KnowledgeGraph.query``, warm, p50 and p95 of ``--repeat`` runs after one warm-up run, on
  ``load(store="oxigraph:DIR")`` and on ``load(paths=[FILE])`` (memory: parse and reason first, capped);
* a cold ``alliance-kg query supplies-by-market --param market=... --store oxigraph:DIR`` (median of runs);
* ``alliance-kg export --view supply --format graphml --store oxigraph:DIR -o X.graphml``.

Once per run, on the article (the packaged data): cold ``alliance-kg query timeline`` on ``memory`` and on a
store built with ``alliance-kg build --store oxigraph:DIR``, and ``alliance-kg --help``.

Results go to ``--json`` and to ``--md`` (default ``benchmarks/scale.md``) as tables with the machine and the
command; the text after the ``<!-- notes -->`` line of an existing ``--md`` file (written by hand: why a goal is
missed) is kept. Nothing listens on a port; every temporary store and file is deleted at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
AKG_CLI = str(BIN / "alliance-kg") if (BIN / "alliance-kg").exists() else "alliance-kg"
SEED = 20260112
NOTES_MARK = "<!-- notes -->"
SYNTH = "https://w3id.org/alliance-kg/id/synth/"
AKG = "https://w3id.org/alliance-kg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MARKET = SYNTH + "region/north-america"
MARKET_LABEL = "North America"
#: Queries that look up one bound entity's statements; every other named query joins supplies with their
#: vehicles, plants, markets, dates or sources ("the join queries" of the goals).
LOOKUPS = ("describe-entity", "fact-provenance")

# -- children: wall time and peak RSS --------------------------------------------------------------------------


def run_child(
    command: list[str], cap: float, *, cwd: Path, out: Path | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``command`` in a new session, kill its process group after ``cap`` seconds; wall time, peak RSS."""
    stdout_path = out or cwd / f".child-{os.getpid()}-{time.monotonic_ns()}.out"
    stderr_path = stdout_path.with_suffix(".err")
    environment = dict(os.environ if env is None else env)
    environment.pop("ALLIANCE_KG_STORE", None)
    killed = threading.Event()
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        began = time.perf_counter()
        child = subprocess.Popen(
            command, stdout=stdout, stderr=stderr, cwd=cwd, env=environment, start_new_session=True
        )

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)  # the child's own process group, by id

        timer = threading.Timer(cap, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
    text = stdout_path.read_text(encoding="utf-8", errors="replace")
    errors = stderr_path.read_text(encoding="utf-8", errors="replace")
    if out is None:
        stdout_path.unlink(missing_ok=True)
    stderr_path.unlink(missing_ok=True)
    return {
        "command": command,
        "wall_s": round(wall, 3),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "returncode": child.returncode,
        "capped": killed.is_set(),
        "cap_s": cap,
        "stdout": text,
        "stderr_tail": errors.strip()[-3000:],
    }


def json_lines(text: str) -> list[dict[str, Any]]:
    records = []
    for line in text.splitlines():
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                records.append(json.loads(line))
    return records


def trimmed(record: dict[str, Any]) -> dict[str, Any]:
    """A child's record without its whole standard output (kept: the last lines)."""
    copy = dict(record)
    text = copy.pop("stdout", "")
    copy["stdout_tail"] = "\n".join(text.strip().splitlines()[-12:])[-2000:]
    return copy


def worker_command(mode: str, **arguments: Any) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--worker", mode, "--worker-args", json.dumps(arguments)]


def load_average() -> str:
    with contextlib.suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "?"


# -- workers (run inside the children) --------------------------------------------------------------------------


def emit(record: dict[str, Any]) -> None:
    print(json.dumps(record), flush=True)


def peak_rss_self() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class StepTimeout(Exception):
    pass


@contextlib.contextmanager
def step_cap(seconds: float) -> Any:
    """Interrupt the Python code of the block after ``seconds`` (SIGALRM): rdflib, owlrl and pyshacl are Python."""

    def expire(signum: int, frame: Any) -> None:
        raise StepTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def worker_steps(args: dict[str, Any]) -> None:
    """``alliance_kg.pipeline.build_store``: the seconds of each step of the build at scale."""
    from alliance_kg.pipeline import build_store

    began = time.perf_counter()
    done = build_store(args["store"], args["out"], data_paths=[args["data"]])
    total = time.perf_counter() - began
    emit(
        {
            "seconds": {key: round(value, 3) for key, value in done.seconds.items()},
            "total_s": round(total, 3),
            "triples": done.summary["triples"],
            "conforms": done.summary["conforms"],
            "consistent": done.summary["consistent"],
            "validation_results": done.summary["validation_results"],
            "inference_rounds": done.summary.get("inference_rounds"),
            "peak_rss_mib": peak_rss_self(),
        }
    )


def worker_baseline(args: dict[str, Any]) -> None:
    """The plain pipeline: rdflib parse, pyshacl, owlrl; each step capped on its own."""
    cap = float(args["cap"])
    began = time.perf_counter()
    from owlrl import DeductiveClosure, OWLRL_Semantics
    from pyshacl import validate
    from rdflib import Graph
    from rdflib.namespace import SH

    from alliance_kg import resources

    emit({"step": "import", "s": round(time.perf_counter() - began, 3)})
    graph = Graph()
    began = time.perf_counter()
    try:
        with step_cap(cap):
            for path in resources.ontology_files():
                graph.parse(path, format="turtle")
            graph.parse(args["data"], format="nt")
            from alliance_kg.claims import reconciled

            # the facts the sources' claims settle: the input of both pipelines (the product computes them on load)
            graph += reconciled(graph)
    except StepTimeout:
        emit({"step": "parse", "capped": True, "s": round(time.perf_counter() - began, 3), "rss": peak_rss_self()})
        return
    asserted = len(graph)
    emit({"step": "parse", "s": round(time.perf_counter() - began, 3), "triples": asserted, "rss": peak_rss_self()})
    shapes: Graph | None = Graph()
    for path in resources.shape_files():
        shapes.parse(path, format="turtle")
    if args.get("skip_pyshacl"):
        emit({"step": "pyshacl", "capped": True, "skipped": args["skip_pyshacl"], "s": 0.0})
        shapes = None
    began = time.perf_counter()
    try:
        if shapes is None:
            raise LookupError
        with step_cap(cap):
            conforms, report, _ = validate(
                graph, shacl_graph=shapes, inference="none", advanced=True, inplace=True, abort_on_first=False
            )
        results = len(set(report.subjects(SH.resultSeverity, None)))
        emit(
            {
                "step": "pyshacl",
                "s": round(time.perf_counter() - began, 3),
                "conforms": bool(conforms),
                "results": results,
                "rss": peak_rss_self(),
            }
        )
    except LookupError:
        pass
    except StepTimeout:
        emit({"step": "pyshacl", "capped": True, "s": round(time.perf_counter() - began, 3), "rss": peak_rss_self()})
    began = time.perf_counter()
    try:
        with step_cap(cap):
            DeductiveClosure(OWLRL_Semantics).expand(graph)
        emit(
            {
                "step": "owlrl",
                "s": round(time.perf_counter() - began, 3),
                "added": len(graph) - asserted,
                "rss": peak_rss_self(),
            }
        )
    except StepTimeout:
        emit({"step": "owlrl", "capped": True, "s": round(time.perf_counter() - began, 3), "rss": peak_rss_self()})


def worker_queries(args: dict[str, Any]) -> None:
    """Every named query, warm: p50 and p95 of ``repeat`` runs after a warm-up run, through KnowledgeGraph.query."""
    from rdflib import Graph

    from alliance_kg.knowledge_graph import load
    from alliance_kg.named_queries import named_queries

    began = time.perf_counter()
    kg = load(paths=[args["data"]]) if args["store"] == "memory" else load(store=args["store"])
    emit({"load_s": round(time.perf_counter() - began, 3), "rss": peak_rss_self()})
    params: dict[str, dict[str, str]] = args["params"]
    budget = float(args["per_query_budget"])
    for name, query in sorted(named_queries().items()):
        if query.federated or (args.get("only") and name not in args["only"]):
            continue
        values = params.get(name, {})
        times: list[float] = []
        rows: int | None = None
        error = None
        first = None
        runs = int(args["repeat"])
        for run in range(runs + 1):
            began = time.perf_counter()
            try:
                result = kg.query(name, timeout=float(args["timeout"]), **values)
            except Exception as failure:
                error = f"{type(failure).__name__}: {failure}"
                break
            elapsed = time.perf_counter() - began
            if isinstance(result, Graph):
                rows = len(result)
            elif result.kind == "ASK":
                rows = int(bool(result.boolean))
            else:
                rows = len(result.terms)
            if run == 0:
                first = elapsed
                if elapsed * runs > budget:  # a slow query: one timed run after the warm-up
                    runs = 1
            else:
                times.append(elapsed)
            if run >= runs:
                break
        record: dict[str, Any] = {"query": name, "form": query.form, "params": values, "rows": rows}
        if error is not None:
            record["error"] = error[:1500]
        if times:
            ordered = sorted(times)
            record.update(
                p50_s=round(statistics.median(ordered), 5),
                p95_s=round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 5),
                runs=len(ordered),
                first_s=round(first or 0, 4),
            )
            record["engine_p50_s"] = engine_only(kg, query, values, len(times), float(args["timeout"]))
        emit(record)
    emit({"done": True, "rss": peak_rss_self()})
    kg.close()


def engine_only(kg: Any, query: Any, values: dict[str, str], runs: int, timeout: float) -> float:
    """The store's own time: the query with its prologue and bindings resolved beforehand, answer read whole
    (what ``KnowledgeGraph.query`` adds on top: resolving entity parameters, label look-ups, result objects)."""
    values = dict(values)
    if "lang" in {p.name for p in query.parameters} and "lang" not in values:
        values["lang"] = kg.lang
    bindings = query.bindings(values, entities=kg.entities)
    full = kg.prologue(query.text) + query.text
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        answer = kg.store.query(full, bindings=bindings, timeout=timeout)
        if answer.form in ("CONSTRUCT", "DESCRIBE"):
            answer.graph()
        elif answer.form == "ASK":
            bool(answer.boolean)
        else:
            list(answer)
        times.append(time.perf_counter() - began)
    return round(statistics.median(times), 5)


WORKERS = {"steps": worker_steps, "baseline": worker_baseline, "queries": worker_queries}

# -- the driver ---------------------------------------------------------------------------------------------------


def synth_file(folder: Path, size: int, seed: int) -> tuple[Path, dict[str, Any]]:
    path = folder / f"synth-{size}-{seed}.nt"
    record: dict[str, Any] = {}
    if not path.exists():
        done = run_child(
            [AKG_CLI, "synth", "--triples", str(size), "--seed", str(seed), "-o", str(path)], 600, cwd=folder
        )
        record = trimmed(done)
        if done["returncode"] != 0:
            raise SystemExit(f"alliance-kg synth failed: {done['stderr_tail']}")
    return path, record


def pick_entities(path: Path) -> dict[str, str]:
    """The first OEM supply of the synthetic file, its supplier, customer and plant: parameters of the queries.

    A synthetic file states these facts as claims of its sources (the build reconciles them): the values are
    those of the supply's first claim on each property."""
    supply = None
    claims: dict[str, dict[str, str]] = {}
    pattern = re.compile(r"<([^>]+)> <([^>]+)> <([^>]+)> \.$")
    parts = {AKG + "claimSubject": "subject", AKG + "claimProperty": "property", AKG + "claimValue": "value"}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            match = pattern.match(line.strip())
            if match is None:
                continue
            s, p, o = match.groups()
            if supply is None and p == RDF_TYPE and o == AKG + "OEMSupply":
                supply = s
            elif p in parts:
                claims.setdefault(s, {})[parts[p]] = o
    found = {"supply": supply} if supply is not None else {}
    for iri in sorted(claims):
        claim = claims[iri]
        key = claim.get("property", "").removeprefix(AKG)
        if claim.get("subject") == supply and key in ("supplier", "customer", "producedAt") and key not in found:
            found[key] = claim["value"]
    return found  # type: ignore[return-value]


def query_params(entities: dict[str, str]) -> dict[str, dict[str, str]]:
    return {
        "alliance-gains": {"manufacturer": entities["supplier"]},
        "describe-entity": {"entity": entities["supply"]},
        "fact-provenance": {"about": entities["supply"]},
        "plant-builds-for-another": {"plant": entities["producedAt"]},
        "supplies-by-customer": {"customer": entities["customer"]},
        "supplies-by-market": {"market": MARKET},
        "supplies-by-plant": {"plant": entities["producedAt"]},
        "supplies-by-supplier": {"supplier": entities["supplier"]},
    }


def median_runs(
    command: list[str], runs: int, cap: float, cwd: Path, env: dict[str, str] | None = None
) -> dict[str, Any]:
    records = [run_child(command, cap, cwd=cwd, env=env) for _ in range(runs)]
    failed = [r for r in records if r["returncode"] != 0 or r["capped"]]
    walls = sorted(r["wall_s"] for r in records)
    return {
        "command": command,
        "wall_s": round(statistics.median(walls), 3),
        "walls_s": walls,
        "peak_rss_mib": max(r["peak_rss_mib"] for r in records),
        "returncode": failed[0]["returncode"] if failed else 0,
        "capped": any(r["capped"] for r in records),
        "stderr_tail": failed[0]["stderr_tail"] if failed else "",
        "stdout_lines": len(records[-1]["stdout"].splitlines()),
    }


def say(text: str) -> None:
    print(f"[{dt.datetime.now().strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def measure_size(size: int, folder: Path, args: argparse.Namespace, skip: dict[str, int]) -> dict[str, Any]:
    cap = args.cap_seconds
    data, synth = synth_file(folder, size, args.seed)
    result: dict[str, Any] = {"size": size, "file": data.name, "file_bytes": data.stat().st_size, "synth": synth}
    result["load_before"] = load_average()
    result["code_before"] = code_hash()
    entities = pick_entities(data)
    params = query_params(entities)
    result["params"] = params
    work = folder / f"work-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    store = work / "store"
    say(f"{size:,}: build --store oxigraph")
    build = run_child(
        [AKG_CLI, "build", "--store", f"oxigraph:{store}", "--data", str(data), "--out", str(work / "release")],
        cap,
        cwd=work,
    )
    result["build_oxigraph"] = trimmed(build)
    with contextlib.suppress(OSError, ValueError):
        result["build_oxigraph"]["summary"] = json.loads((work / "release" / "summary.json").read_text())
        result["build_oxigraph"]["summary"].pop("entities", None)
    result["store_mib"] = round(sum(p.stat().st_size for p in store.rglob("*") if p.is_file()) / 2**20, 1)
    say(f"{size:,}: build_store steps")
    steps = run_child(
        worker_command("steps", store=str(work / "steps-store"), out=str(work / "steps-release"), data=str(data)),
        cap,
        cwd=work,
    )
    found = json_lines(steps["stdout"])
    result["build_steps"] = {**trimmed(steps), **(found[-1] if found else {})}
    shutil.rmtree(work / "steps-store", ignore_errors=True)
    shutil.rmtree(work / "steps-release", ignore_errors=True)

    if build["returncode"] == 0:
        say(f"{size:,}: named queries on oxigraph")
        q = run_child(
            worker_command(
                "queries",
                store=f"oxigraph:{store}",
                params=params,
                repeat=args.repeat,
                timeout=args.query_timeout,
                per_query_budget=args.query_budget,
            ),
            args.query_cap or 2 * cap,
            cwd=work,
        )
        result["queries_oxigraph"] = {**trimmed(q), "records": json_lines(q["stdout"])}
        say(f"{size:,}: cold query, export")
        result["cold_query_oxigraph"] = median_runs(
            [
                AKG_CLI,
                "query",
                "supplies-by-market",
                "--param",
                f"market={MARKET_LABEL}",
                "--store",
                f"oxigraph:{store}",
            ],
            args.cold_runs,
            120,
            work,
        )
        result["cold_query_oxigraph_iri"] = median_runs(
            [AKG_CLI, "query", "supplies-by-market", "--param", f"market={MARKET}", "--store", f"oxigraph:{store}"],
            1,
            120,
            work,
        )
        export = run_child(
            [
                AKG_CLI,
                "export",
                "--view",
                "supply",
                "--format",
                "graphml",
                "--store",
                f"oxigraph:{store}",
                "-o",
                str(work / "supply.graphml"),
            ],
            cap,
            cwd=work,
        )
        result["export_graphml"] = trimmed(export)
        with contextlib.suppress(OSError):
            result["export_graphml"]["file_mib"] = round((work / "supply.graphml").stat().st_size / 2**20, 2)

    if "build_memory" in skip:
        result["build_memory"] = {"skipped": f"> cap already at {skip['build_memory']:,} triples", "capped": True}
    else:
        say(f"{size:,}: build (memory)")
        memory = run_child(
            [AKG_CLI, "build", "--data", str(data), "--out", str(work / "release-memory")], cap, cwd=work
        )
        result["build_memory"] = trimmed(memory)
        if memory["capped"]:
            skip["build_memory"] = size
    shutil.rmtree(work / "release-memory", ignore_errors=True)

    say(f"{size:,}: plain rdflib + pyshacl + owlrl")
    skip_pyshacl = f"> cap already at {skip['pyshacl']:,} triples" if "pyshacl" in skip else None
    base = run_child(
        worker_command("baseline", data=str(data), cap=cap, skip_pyshacl=skip_pyshacl), 3 * cap + 60, cwd=work
    )
    steps_done = {r["step"]: r for r in json_lines(base["stdout"]) if "step" in r}
    if steps_done.get("pyshacl", {}).get("capped") and "pyshacl" not in skip:
        skip["pyshacl"] = size
    result["baseline"] = {**trimmed(base), "steps": steps_done}

    parse = steps_done.get("parse", {})
    owl = steps_done.get("owlrl", {})
    predicted = None
    if parse.get("capped") or "parse" not in steps_done:
        predicted = "the baseline's rdflib parse alone took > cap"
    elif owl.get("capped") or "owlrl" not in steps_done:
        predicted = "the baseline's owlrl alone took > cap"
    elif parse["s"] + owl["s"] > cap:
        predicted = f"the baseline's parse + owlrl took {parse['s'] + owl['s']:.0f} s > cap"
    if predicted:
        result["queries_memory"] = {"skipped": f"memory load (parse + OWL-RL) not run: {predicted}", "capped": True}
    else:
        say(f"{size:,}: named queries on memory")
        q = run_child(
            worker_command(
                "queries",
                store="memory",
                data=str(data),
                params=params,
                repeat=args.repeat,
                timeout=args.query_timeout,
                per_query_budget=args.query_budget,
            ),
            args.query_cap or 2 * cap,
            cwd=work,
        )
        result["queries_memory"] = {**trimmed(q), "records": json_lines(q["stdout"])}
    result["load_after"] = load_average()
    result["code_after"] = code_hash()
    shutil.rmtree(work, ignore_errors=True)
    return result


def measure_article(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    work = folder / "article"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    result: dict[str, Any] = {"load_before": load_average()}
    say("article: --help, cold queries")
    result["help"] = median_runs([AKG_CLI, "--help"], args.cold_runs, 60, work)
    # The default of `query` is a store built once from the data files and kept in a cache folder
    # (alliance_kg/store_cache.py): a cache of our own, first run (builds it) apart from the next ones.
    env = dict(os.environ, ALLIANCE_KG_STORE_CACHE=str(work / "store-cache"))
    result["cold_timeline_default_first"] = median_runs([AKG_CLI, "query", "timeline"], 1, 300, work, env)
    result["cold_timeline_default"] = median_runs([AKG_CLI, "query", "timeline"], args.cold_runs, 300, work, env)
    result["cold_timeline_memory"] = median_runs(
        [AKG_CLI, "query", "timeline", "--store", "memory"], args.cold_runs, 300, work, env
    )
    build = run_child(
        [AKG_CLI, "build", "--store", f"oxigraph:{work / 'store'}", "--out", str(work / "release")], 300, cwd=work
    )
    result["build_oxigraph"] = trimmed(build)
    if build["returncode"] == 0:
        result["cold_timeline_oxigraph"] = median_runs(
            [AKG_CLI, "query", "timeline", "--store", f"oxigraph:{work / 'store'}"], args.cold_runs, 300, work
        )
    result["load_after"] = load_average()
    result["code_after"] = code_hash()
    shutil.rmtree(work, ignore_errors=True)
    return result


def code_hash() -> str:
    """A digest of alliance_kg's sources and rules: other engineers change them while a run goes on."""
    code = hashlib.sha256()
    for path in sorted((ROOT / "alliance_kg").rglob("*.py")) + sorted((ROOT / "alliance_kg" / "rules").rglob("*")):
        if path.is_file():
            with contextlib.suppress(OSError):
                code.update(path.read_bytes())
    return code.hexdigest()[:12]


def machine() -> dict[str, Any]:
    import importlib.metadata as metadata

    def command(*words: str) -> str:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            return subprocess.run(words, capture_output=True, text=True, timeout=10, check=False).stdout.strip()
        return "?"

    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = {}
    for package in ("alliance-kg", "rdflib", "owlrl", "pyshacl", "pyoxigraph", "networkx"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "nproc": command("nproc"),
        "free_g": command("free", "-g"),
        "cpu": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": versions,
        "git_head": command("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"),
        "code_sha256": code_hash(),
    }


# -- the tables ---------------------------------------------------------------------------------------------------

GIB = 1024.0


def fmt_s(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 100:
        return f"{value:.1f} s"
    return f"{value:.0f} s"


def fmt_mib(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value / GIB:.2f} GiB" if value >= GIB else f"{value:.0f} MiB"


def cell(record: dict[str, Any] | None) -> str:
    """time / peak RSS of a child, or what stopped it."""
    if not record:
        return "-"
    if "skipped" in record:
        return f"not run ({record['skipped']})"
    if record.get("capped"):
        return f"> {record['cap_s']:.0f} s (cap; {fmt_mib(record.get('peak_rss_mib'))} when stopped)"
    if record.get("returncode"):
        return f"**failed** (exit {record['returncode']}) after {fmt_s(record['wall_s'])}"
    return f"{fmt_s(record['wall_s'])} / {fmt_mib(record.get('peak_rss_mib'))}"


def ratio(value: float | None, base: float | None, capped_base: float | None = None) -> str:
    if value is None or value <= 0:
        return "-"
    if base is not None and base > 0:
        return f"{base / value:.1f}x faster" if base >= value else f"{value / base:.1f}x slower"
    if capped_base:
        return f"> {capped_base / value:.0f}x faster"
    return "-"


def goal(value: float | None, limit: float, unit: str = "s", higher: bool = False) -> str:
    if value is None:
        return "not measured"
    if higher:
        if value >= limit:
            return "met"
        return f"**missed**: {value:,.0f} < {limit:,.0f} {unit} ({limit / value:.1f}x short)"
    if value <= limit:
        return "met"
    return f"**missed** by {value - limit:,.2f} {unit} ({value / limit:.1f}x)"


def base_total(size: dict[str, Any]) -> tuple[float | None, float | None, str]:
    """The plain pipeline's total (parse + pyshacl + owlrl), or a lower bound when a step hit the cap."""
    steps = size.get("baseline", {}).get("steps", {})
    total = 0.0
    capped = False
    for name in ("parse", "pyshacl", "owlrl"):
        step = steps.get(name)
        if step is None:
            capped = True
            continue
        total += step["s"]
        capped = capped or bool(step.get("capped"))
    text = ("> " if capped else "") + fmt_s(total)
    return (None if capped else total), (total if capped else None), text


def step_text(step: dict[str, Any] | None, cap: float) -> str:
    if step is None:
        return "not reached"
    if step.get("skipped"):
        return f"not run ({step['skipped']})"
    if step.get("capped"):
        return f"> {cap:.0f} s (cap)"
    extra = ""
    if "conforms" in step:
        extra = f" (conforms: {'yes' if step['conforms'] else 'no'}, {step['results']} results)"
    if "added" in step:
        extra = f" (+{step['added']:,} triples)"
    return fmt_s(step["s"]) + extra


def query_table(size: dict[str, Any]) -> list[str]:
    ox = {r["query"]: r for r in size.get("queries_oxigraph", {}).get("records", []) if "query" in r}
    mem = {r["query"]: r for r in size.get("queries_memory", {}).get("records", []) if "query" in r}
    mem_note = size.get("queries_memory", {}).get("skipped") or (
        "memory run stopped at the cap" if size.get("queries_memory", {}).get("capped") else ""
    )
    mem_stopped = bool(size.get("queries_memory", {}).get("capped")) and "skipped" not in size.get("queries_memory", {})
    ox_load = next((r for r in size.get("queries_oxigraph", {}).get("records", []) if "load_s" in r), {})
    mem_load = next((r for r in size.get("queries_memory", {}).get("records", []) if "load_s" in r), {})
    lines = [
        f"Named queries at {size['size']:,} triples (`KnowledgeGraph.query`, warm: p50 / p95 (with so few runs: the "
        f'slowest) of the timed runs after one warm-up run; "store alone": `Store.query` of the same text and '
        f"bindings, resolved beforehand, answer read whole; opening: oxigraph {fmt_s(ox_load.get('load_s'))}, "
        f"memory (parse + owlrl) "
        f"{fmt_s(mem_load.get('load_s')) if mem_load else mem_note or '-'}):",
        "",
        "| query | rows | oxigraph p50 / p95 | memory p50 / p95 | oxigraph vs memory | p50 <= 100 ms | join: >= 20x "
        "| store alone p50: oxigraph / memory |",
        "|---|---:|---:|---:|---:|---|---|---:|",
    ]
    for name in sorted(set(ox) | set(mem)):
        o, m = ox.get(name, {}), mem.get(name, {})

        def pair(r: dict[str, Any], stopped: bool = False) -> str:
            if not r and stopped:
                return "not reached (cap)"
            if "error" in r:
                return "error: " + r["error"][:160].replace("|", "\\|").replace("\n", " ")
            if "p50_s" not in r:
                return "-"
            return (
                f"{fmt_s(r['p50_s'])} / {fmt_s(r['p95_s'])}"
                + (f" ({r['runs']} run)" if r["runs"] == 1 else "")
                + (" (2nd pass)" if r.get("second_pass") else "")
            )

        speed = ratio(o.get("p50_s"), m.get("p50_s"))
        join = name not in LOOKUPS
        if join and o.get("p50_s") and m.get("p50_s"):
            factor = m["p50_s"] / o["p50_s"]
            join_goal = "met" if factor >= 20 else f"**missed** ({factor:.1f}x)"
        elif join:
            join_goal = "no memory figure"
        else:
            join_goal = "(lookup)"
        rows = o.get("rows") if o.get("rows") is not None else m.get("rows")
        if o.get("rows") is not None and m.get("rows") is not None and o["rows"] != m["rows"]:
            rows = f"{o['rows']} vs {m['rows']} **differ**"
        lines.append(
            f"| `{name}` | {rows if rows is not None else '-'} | {pair(o)} | {pair(m, mem_stopped)} | {speed} | "
            f"{goal(o.get('p50_s'), 0.1) if o.get('p50_s') is not None else '-'} | {join_goal} | "
            f"{fmt_s(o.get('engine_p50_s'))} / {fmt_s(m.get('engine_p50_s'))} |"
        )
    return lines


def markdown(run: dict[str, Any], included: list[dict[str, Any]], notes: str) -> str:
    sizes = sorted(included + run["sizes"], key=lambda s: s["size"])
    m = run["machine"]
    cap = run["args"]["cap_seconds"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    out = [
        "## `scale.py`: the product's commands at 10k, 100k and 1M triples (issue 8)",
        "",
        "Generated by `benchmarks/scale.py` (the tables; the notes at the end are written by hand).",
        "",
        f"- run: `{run['command']}`, {m['date']} to {run['finished']}",
    ]
    for other in sorted({s.get("_run_command") for s in sizes if s.get("_run_command")}):
        out.append(f"- earlier run included: `{other}`")
    if run.get("article_command"):
        out.append(f"- article measurements: `{run['article_command']}`")
    for s in run["sizes"]:
        second = s.get("queries_oxigraph", {}).get("second_pass")
        if second:
            out.append(
                f"- at {s['size']:,} triples the named-query child reached its cap before "
                + ", ".join(f"`{q}`" for q in second["queries"])
                + f': measured in a second pass on a store built the same way (`{second["command"]}`), "2nd pass"'
            )
    out += [
        f"- machine: `nproc` {m['nproc']}, {m['cpu']}, `free -g`: "
        + m["free_g"].splitlines()[1].split()[1]
        + f" GiB total, Linux {m['kernel']}; Python {m['python']}; {packages}; code {m['git_head']} "
        f"(alliance_kg sources sha256 {m['code_sha256']})",
        "- **shared machine**: other engineers' jobs ran on the same 2 cores during the runs (load average per size "
        "below): read the figures as orders of magnitude and ratios, not as exact times",
        f'- caps: every capped step is stopped after `--cap-seconds` ({cap:.0f} s in this run); a "> cap" cell '
        "is a lower bound. Peak RSS is the child's `ru_maxrss` (`os.wait4`), like `/usr/bin/time`",
        "",
        "### Goals (issue 8)",
        "",
        "| size | goal | measured | verdict |",
        "|---|---|---:|---|",
    ]
    for size in sizes:
        n = size["size"]
        label = f"{n:,}"
        bo = size.get("build_oxigraph", {})
        st = size.get("build_steps", {})
        sec = st.get("seconds", {})
        triples = (st.get("triples") or {}).get("asserted")
        ok = not bo.get("returncode") and not bo.get("capped") and bo
        out.append(
            f"| {label} | `build --store oxigraph:PATH --data FILE` <= 60 s | {cell(bo)} | "
            + (goal(bo.get("wall_s"), 60) if ok else "**failed**" if bo else "-")
            + " |"
        )
        out.append(
            f"| {label} | build peak RSS <= 4 GiB | {fmt_mib(bo.get('peak_rss_mib'))} | "
            + (goal(bo.get("peak_rss_mib", 0) / GIB, 4, "GiB") if ok else "-")
            + " |"
        )
        if sec.get("load") and triples:
            rate = triples / sec["load"]
            out.append(
                f"| {label} | load >= 300k triples/s | {rate:,.0f} triples/s ({fmt_s(sec['load'])}) | "
                f"{goal(rate, 300_000, 'triples/s', higher=True)} |"
            )
        if "reason" in sec:
            out.append(
                f"| {label} | OWL-RL materialisation <= 30 s | {fmt_s(sec['reason'])} | {goal(sec['reason'], 30)} |"
            )
        if "validate" in sec:
            pysh = size.get("baseline", {}).get("steps", {}).get("pyshacl", {})
            same = "pyshacl: not finished"
            if "conforms" in pysh:
                agree = pysh["conforms"] == st.get("conforms") and pysh["results"] == st.get("validation_results")
                same = f"pyshacl: conforms {'yes' if pysh['conforms'] else 'no'}, {pysh['results']} results: " + (
                    "same" if agree else "**different**"
                )
            out.append(
                f"| {label} | SHACL validation <= 15 s, pyshacl's results | {fmt_s(sec['validate'])} "
                f"(conforms {'yes' if st.get('conforms') else 'no'}, {st.get('validation_results')} results; {same}) | "
                f"{goal(sec['validate'], 15)} |"
            )
        ox = [r for r in size.get("queries_oxigraph", {}).get("records", []) if "p50_s" in r]
        if ox:
            worst = max(ox, key=lambda r: r["p50_s"])
            over = [r["query"] for r in ox if r["p50_s"] > 0.1]
            out.append(
                f"| {label} | every named query p50 <= 100 ms warm (oxigraph) | slowest `{worst['query']}` "
                f"{fmt_s(worst['p50_s'])}; {len(over)} of {len(ox)} over | "
                + ("met" if not over else f"**missed** by {len(over)} queries (worst {worst['p50_s'] / 0.1:.0f}x)")
                + " |"
            )
            mem = {r["query"]: r for r in size.get("queries_memory", {}).get("records", []) if "p50_s" in r}
            if mem:
                slower = [r["query"] for r in ox if r["query"] in mem and r["p50_s"] > mem[r["query"]]["p50_s"]]
                joins = [r for r in ox if r["query"] in mem and r["query"] not in LOOKUPS]
                below = [r["query"] for r in joins if mem[r["query"]]["p50_s"] / r["p50_s"] < 20]
                factors = sorted(mem[r["query"]]["p50_s"] / r["p50_s"] for r in joins)
                out.append(
                    f"| {label} | none slower than on memory | {len(slower)} slower | "
                    + ("met" if not slower else "**missed**: " + ", ".join(f"`{q}`" for q in slower))
                    + " |"
                )
                if factors:
                    out.append(
                        f"| {label} | >= 20x faster than memory on the join queries | "
                        f"{factors[0]:.1f}x to {factors[-1]:.0f}x (median {statistics.median(factors):.0f}x) | "
                        + ("met" if not below else f"**missed** on {len(below)} of {len(joins)}")
                        + " |"
                    )
            else:
                why = size.get("queries_memory", {}).get("skipped", "memory queries stopped at the cap")
                out.append(
                    f"| {label} | none slower / >= 20x faster than memory | no memory figure: {why} | not measured |"
                )
        cq = size.get("cold_query_oxigraph")
        if cq:
            out.append(
                f"| {label} | cold `alliance-kg query supplies-by-market --store oxigraph:PATH` <= 1 s | "
                f"{cell(cq)} (median of {len(cq['walls_s'])}) | "
                + (goal(cq["wall_s"], 1) if not cq["returncode"] else "**failed**")
                + " |"
            )
        ex = size.get("export_graphml")
        if ex:
            out.append(
                f"| {label} | `export --view supply --format graphml` <= 30 s | {cell(ex)} | "
                + (goal(ex["wall_s"], 30) if not ex["returncode"] and not ex.get("capped") else "**failed**")
                + " |"
            )
    art = run.get("article")
    if art:
        for key, title, limit in (
            (
                "cold_timeline_default",
                "article: cold `alliance-kg query timeline` (default: the cached store, once built) <= 0.5 s",
                0.5,
            ),
            (
                "cold_timeline_default_first",
                "article: the same, first run (builds the cached store)",
                0.5,
            ),
            ("cold_timeline_memory", "article: cold `alliance-kg query timeline --store memory` <= 0.5 s", 0.5),
            (
                "cold_timeline_oxigraph",
                "article: cold `alliance-kg query timeline --store oxigraph:PATH` <= 0.5 s",
                0.5,
            ),
            ("help", "`alliance-kg --help` <= 0.15 s", 0.15),
        ):
            r = art.get(key)
            if r:
                out.append(
                    f"| article | {title} | {cell(r)} (median of {len(r['walls_s'])}) | "
                    + (goal(r["wall_s"], limit) if not r["returncode"] else "**failed**")
                    + " |"
                )
    out += [
        "",
        "### Side by side",
        "",
        "Wall time / peak RSS of each child process; ratios are the baseline's time over the store's.",
        "",
        "| | " + " | ".join(f"{s['size']:,} triples" for s in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]

    def row(title: str, values: Iterable[str]) -> None:
        out.append(f"| {title} | " + " | ".join(values) + " |")

    row("N-Triples file", (f"{s['file_bytes'] / 2**20:.0f} MB" for s in sizes))
    row("load average before / after", (f"{s.get('load_before')} / {s.get('load_after')}" for s in sizes))
    row("alliance_kg code before / after", (f"{s.get('code_before', '?')} / {s.get('code_after', '?')}" for s in sizes))
    row("**`build --store oxigraph:PATH`** (CLI)", (cell(s.get("build_oxigraph")) for s in sizes))
    row(
        "  steps (`build_store`): load / reason / validate / store (bulk copy to disk) / release",
        (
            " / ".join(
                fmt_s(s.get("build_steps", {}).get("seconds", {}).get(k))
                for k in ("load", "reason", "validate", "store", "release")
            )
            for s in sizes
        ),
    )
    row(
        "  triples asserted / inferred",
        (
            f"{(s.get('build_steps', {}).get('triples') or {}).get('asserted', 0):,} / "
            f"{(s.get('build_steps', {}).get('triples') or {}).get('inferred', 0):,}"
            for s in sizes
        ),
    )
    row("  store on disk", (f"{s.get('store_mib', 0):.0f} MiB" for s in sizes))
    row("**`build`** (memory: rdflib + pyshacl + owlrl)", (cell(s.get("build_memory")) for s in sizes))

    def speedup(s: dict[str, Any]) -> str:
        bo, bm = s.get("build_oxigraph", {}), s.get("build_memory", {})
        if not bo or bo.get("returncode") or bo.get("capped"):
            return "-"
        if bm.get("capped"):
            return f"> {bm.get('cap_s', cap) / bo['wall_s']:.0f}x" if "cap_s" in bm else "-"
        if bm.get("returncode") or "wall_s" not in bm:
            return "-"
        return ratio(bo["wall_s"], bm["wall_s"])

    row("  ratio memory / oxigraph build", (speedup(s) for s in sizes))
    for name, title in (("parse", "rdflib parse"), ("pyshacl", "pyshacl.validate"), ("owlrl", "owlrl expand")):
        row(
            f"plain pipeline: {title}",
            (step_text(s.get("baseline", {}).get("steps", {}).get(name), s.get("_cap", cap)) for s in sizes),
        )
    row(
        "plain pipeline: total / peak RSS",
        (f"{base_total(s)[2]} / {fmt_mib(s.get('baseline', {}).get('peak_rss_mib'))}" for s in sizes),
    )

    def base_ratio(s: dict[str, Any]) -> str:
        bo = s.get("build_oxigraph", {})
        if not bo or bo.get("returncode") or bo.get("capped"):
            return "-"
        exact, lower, _ = base_total(s)
        return ratio(bo["wall_s"], exact, lower)

    row("  ratio plain pipeline / oxigraph build", (base_ratio(s) for s in sizes))
    row(
        'cold `query supplies-by-market --param market="North America"` (oxigraph)',
        (cell(s.get("cold_query_oxigraph")) for s in sizes),
    )
    row("  the same with the market's IRI (1 run)", (cell(s.get("cold_query_oxigraph_iri")) for s in sizes))
    row("`export --view supply --format graphml` (oxigraph)", (cell(s.get("export_graphml")) for s in sizes))
    if art:
        out += [
            "",
            f"On the article (packaged data; load average {art.get('load_before')} / {art.get('load_after')}): "
            f"`alliance-kg --help` {cell(art.get('help'))}; cold `alliance-kg query timeline` "
            f"{cell(art.get('cold_timeline_default'))} by default (the cached store; its first run, which builds "
            f"it: {cell(art.get('cold_timeline_default_first'))}), "
            f"{cell(art.get('cold_timeline_memory'))} with `--store memory`, "
            f"{cell(art.get('cold_timeline_oxigraph'))} on "
            f"`oxigraph:PATH` (built by `alliance-kg build --store oxigraph:PATH` in "
            f"{cell(art.get('build_oxigraph'))}).",
        ]
    for s in sizes:
        out += ["", *query_table(s)]
    failures = []
    for s in sizes:
        for key in (
            "build_oxigraph",
            "build_steps",
            "build_memory",
            "export_graphml",
            "cold_query_oxigraph",
            "cold_query_oxigraph_iri",
            "queries_oxigraph",
            "queries_memory",
            "baseline",
        ):
            r = s.get(key) or {}
            if r.get("returncode") not in (None, 0) and not r.get("capped"):
                failures.append(
                    f"- {s['size']:,} `{key}`: exit {r['returncode']}:\n\n  ```\n  "
                    + r.get("stderr_tail", "").strip()[-1500:].replace("\n", "\n  ")
                    + "\n  ```"
                )
            for q in r.get("records") or []:
                if "error" in q:
                    failures.append(f"- {s['size']:,} `{key}` `{q['query']}`: `{q['error'][:600]}`")
    if failures:
        out += ["", "### Errors (exact text)", "", *failures]
    out += [
        "",
        "Query parameters (entity defaults name the article's entities, absent from `synth` graphs): the first OEM "
        "supply of the file, its supplier, customer and plant, and the synthetic North America region; dates take "
        'their declared defaults. "Join queries": every named query but the bound-entity lookups '
        + ", ".join(f"`{q}`" for q in LOOKUPS)
        + ".",
        "",
        NOTES_MARK,
    ]
    return "\n".join(out) + "\n" + notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated triple counts")
    parser.add_argument("--cap-seconds", type=float, default=600.0, help="stop a capped step after this (600)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per named query after a warm-up (5)")
    parser.add_argument("--cold-runs", type=int, default=3, help="runs of each cold command (median; 3)")
    parser.add_argument("--query-timeout", type=float, default=60.0, help="timeout of one named query run (60 s)")
    parser.add_argument(
        "--query-budget", type=float, default=20.0, help="a query slower than this over all runs is run twice (20 s)"
    )
    parser.add_argument("--query-cap", type=float, help="cap of each named-query child (default: twice --cap-seconds)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--json", type=Path, help="write every record to this JSON file")
    parser.add_argument("--md", type=Path, default=ROOT / "benchmarks" / "scale.md", help="markdown tables")
    parser.add_argument("--include", type=Path, action="append", default=[], help="JSON of an earlier run to add")
    parser.add_argument("--no-article", action="store_true", help="skip the article measurements")
    parser.add_argument("--keep-files", type=Path, help="cache the synth files in this folder (kept)")
    parser.add_argument("--render", type=Path, help="only write --md again from this run's --json (and --include)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--worker-args", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        WORKERS[args.worker](json.loads(args.worker_args))
        return 0
    if args.render:  # the tables again, from a run's JSON (after editing the notes, say)
        run = json.loads(args.render.read_text(encoding="utf-8"))
        sizes = [s["size"] for s in run["sizes"]]
    else:
        sizes = [
            int(s.replace("_", "").lower().replace("k", "000").replace("m", "000000"))
            for s in args.sizes.split(",")
            if s.strip()
        ]
    command = "python benchmarks/scale.py " + " ".join(argv if argv is not None else sys.argv[1:])
    included_by_size: dict[int, dict[str, Any]] = {}
    skip: dict[str, int] = {}
    article_earlier = None
    for path in args.include:
        earlier = json.loads(path.read_text(encoding="utf-8"))
        for s in earlier["sizes"]:
            if s["size"] in sizes:
                continue
            s["_run_command"] = (
                earlier["command"] + f" ({earlier['machine']['date']}, code {earlier['machine']['code_sha256']})"
            )
            s["_cap"] = earlier["args"]["cap_seconds"]
            included_by_size[s["size"]] = s  # a later --include wins
            if s.get("build_memory", {}).get("capped") and s["size"] < min(sizes, default=0):
                skip["build_memory"] = min(skip.get("build_memory", s["size"]), s["size"])
            if s.get("baseline", {}).get("steps", {}).get("pyshacl", {}).get("capped") and s["size"] < min(
                sizes, default=0
            ):
                skip["pyshacl"] = min(skip.get("pyshacl", s["size"]), s["size"])
        article_earlier = earlier.get("article") or article_earlier
    included = [included_by_size[n] for n in sorted(included_by_size)]
    notes = ""
    if args.md.exists():
        text = args.md.read_text(encoding="utf-8")
        if NOTES_MARK in text:
            notes = text.split(NOTES_MARK, 1)[1].lstrip("\n")
    if args.render:
        args.md.write_text(markdown(run, included, notes), encoding="utf-8")
        return 0
    run = {
        "command": command,
        "args": json.loads(json.dumps(vars(args), default=str)),
    }
    run["machine"] = machine()
    run["sizes"] = []
    say(f"machine: {run['machine']['cpu']}, load {load_average()}")
    folder = Path(tempfile.mkdtemp(prefix="alliance-kg-scale-"))
    cache = args.keep_files or folder
    cache.mkdir(parents=True, exist_ok=True)
    try:
        for size in sizes:
            record = measure_size(size, cache if args.keep_files else folder, args, skip)
            record["_cap"] = args.cap_seconds
            run["sizes"].append(record)
            if args.json:
                args.json.write_text(json.dumps(run, indent=1, default=str), encoding="utf-8")
        if not args.no_article:
            run["article"] = measure_article(folder, args)
        elif article_earlier:
            run["article"] = article_earlier
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if args.keep_files:
            for work in args.keep_files.glob("work-*"):
                shutil.rmtree(work, ignore_errors=True)
    run["finished"] = dt.datetime.now(dt.UTC).strftime("%H:%M:%S UTC")
    if args.json:
        args.json.write_text(json.dumps(run, indent=1, default=str), encoding="utf-8")
    args.md.write_text(markdown(run, included, notes), encoding="utf-8")
    say(f"wrote {args.md}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
