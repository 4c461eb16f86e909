"""The endpoint while the graph is rebuilt and swapped in (issue 9, faults): ``alliance-kg serve --store
oxigraph:PATH`` asked by 50 concurrent clients while ``alliance-kg build --store oxigraph:PATH`` swaps a store
of other data in, and then the first data back.

Every answer must be byte for byte the answer of a serial run of the same query on the old graph or on the new
one (never an error, never a mix), and every query sent after a swap finished must get the new graph's answer.
The serial answers come from stores built from the same files, opened in this process and queried by the very
function the endpoint's workers run (:func:`alliance_kg.query_workers._execute`).
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

import alliance_kg as akg
from alliance_kg import resources
from alliance_kg.atomic import swap_folder
from alliance_kg.query_workers import _execute, _Pool, _Request
from alliance_kg.sparql_text import with_values

CLIENTS = 50
ACCEPT = "application/sparql-results+json, application/n-triples"
#: Triples per named graph: the query that tells the old graph from the new one.
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
SUPPLIES = "SELECT ?s ?v WHERE { ?s a akg:OEMSupply ; akg:vehicle ?v } ORDER BY ?s ?v"
pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux /proc")


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "alliance_kg", *args]


def build(store: Path, out: Path, data: list[Path]) -> None:
    """``alliance-kg build --store oxigraph:STORE`` of ``data``: the store is filled beside and swapped in."""
    done = subprocess.run(
        cli("build", "--store", f"oxigraph:{store}", "--out", str(out), "--data", *map(str, data)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@dataclass
class Graphs:
    """The two data sets, a store of each kept as the reference, and the queries with their serial answers."""

    old_data: list[Path]
    new_data: list[Path]
    served: Path
    out: Path
    queries: dict[str, str] = field(default_factory=dict)
    old: dict[str, bytes] = field(default_factory=dict)
    new: dict[str, bytes] = field(default_factory=dict)


def library_queries(store: Path) -> dict[str, str]:
    """The library's named queries (not the federated ones) with their default parameters as VALUES, as a client
    would send them, and the count per named graph."""
    with akg.load(store=f"oxigraph:{store}") as kg:
        texts = {
            name: kg.prologue(query.text) + with_values(query.text, query.bindings({}, entities=kg.entities))
            for name, query in sorted(kg.queries().items())
            if "federated" not in str(query.path)
        }
    return texts | {"per-graph": PER_GRAPH, "supplies": SUPPLIES}


def serial_answers(store: Path, queries: dict[str, str]) -> dict[str, bytes]:
    """Each query run alone on ``store`` by the endpoint workers' own function: the expected bodies."""
    with akg.load(store=f"oxigraph:{store}") as kg:
        prefixes = kg.prefixes()
    reference = ox.Store.read_only(str(store))
    answers = {}
    for name, text in queries.items():
        status, _, body = _execute(ox, reference, _Request(text, ACCEPT), prefixes)
        assert status == 200, (name, body)
        answers[name] = body
    del reference
    return answers


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> Graphs:
    folder = tmp_path_factory.mktemp("swap")
    extra = folder / "more.nt"  # other data: the article plus a small synthetic industry
    subprocess.run(cli("synth", "--triples", "1500", "--seed", "9", "-o", str(extra)), check=True, capture_output=True)
    article = sorted(resources.data_files())
    graphs = Graphs(article, [*article, extra], folder / "store", folder / "dist")
    build(graphs.served, graphs.out, graphs.old_data)
    shutil.copytree(graphs.served, folder / "ref-old")  # the references stay put while the served store is swapped
    build(folder / "ref-new", folder / "dist-new", graphs.new_data)
    graphs.queries = library_queries(folder / "ref-old")
    graphs.old = serial_answers(folder / "ref-old", graphs.queries)
    graphs.new = serial_answers(folder / "ref-new", graphs.queries)
    assert graphs.old["per-graph"] != graphs.new["per-graph"]  # the count tells the graphs apart
    assert graphs.old["supplies"] != graphs.new["supplies"]
    return graphs


@pytest.fixture
def server(graphs: Graphs, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            cli("serve", "--store", f"oxigraph:{graphs.served}", "--port", "0", "--timeout", "30", "--quiet"),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    assert process.stdout is not None
    try:
        line = process.stdout.readline()
        assert "SPARQL endpoint" in line, log.read_text()
        url = line.split()[-1]
        assert url.startswith("http://127.0.0.1:")
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if the server hangs
            process.kill()
            process.wait()
        process.stdout.close()
    assert process.returncode == 0, log.read_text()
    assert "Traceback" not in log.read_text()


def post(url: str, query: str) -> tuple[int, bytes]:
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=body, headers={"Accept": ACCEPT})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def deleted_files_held(pid: int, under: Path) -> list[str]:
    """Files under ``under`` that were deleted but that ``pid`` or one of its children still holds open."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(child) for child in (task / "children").read_text().split()]
    held = []
    for number in pids:
        for fd in Path(f"/proc/{number}/fd").iterdir():
            try:
                target = str(fd.readlink())
            except OSError:
                continue
            if target.startswith(str(under)) and target.endswith("(deleted)"):
                held.append(f"{number}: {target}")
    return held


def test_answers_are_the_old_or_the_new_graphs_whole_across_two_swaps(
    graphs: Graphs, server: tuple[str, subprocess.Popen[str]]
) -> None:
    url, process = server
    names = list(graphs.queries)
    # (sent at, query name, status, body) of every answer
    answers: list[tuple[float, str, int, bytes]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(number: int) -> None:
        for count in itertools.count():
            if stop.is_set():
                return
            # half the requests tell old from new (the count per graph); the rest cycle through the library
            name = "per-graph" if count % 2 == 0 else names[(count + number) % len(names)]
            sent = time.monotonic()
            status, body = post(url, graphs.queries[name])
            with lock:
                answers.append((sent, name, status, body))

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    swaps: list[tuple[float, float]] = []  # (build started, build ended: the new store is in place)
    for data in (graphs.new_data, graphs.old_data):
        began = time.monotonic()
        build(graphs.served, graphs.out, data)
        swaps.append((began, time.monotonic()))
        time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)

    errors = [(name, status, body[:200]) for _, name, status, body in answers if status != 200]
    assert errors == []
    mixed = [name for _, name, _, body in answers if body not in (graphs.old[name], graphs.new[name])]
    assert mixed == []
    # between the end of a swap and the start of the next build, every answer is the new graph's
    windows = [(swaps[0][1], swaps[1][0], graphs.new), (swaps[1][1], float("inf"), graphs.old)]
    for start, end, expected in windows:
        stale = [name for sent, name, _, body in answers if start < sent < end and body != expected[name]]
        assert stale == []
    # before the first swap, only the old graph
    assert all(body == graphs.old[name] for sent, name, _, body in answers if sent < swaps[0][0])
    counts = [body for _, name, _, body in answers if name == "per-graph"]
    assert graphs.new["per-graph"] in counts
    assert counts[-1] == graphs.old["per-graph"]
    assert len(answers) > 3 * CLIENTS
    new_answers = sum(1 for _, name, _, body in answers if body == graphs.new[name] != graphs.old[name])
    print(f"{len(answers)} answers, {new_answers} of them the new graph's only; swaps {swaps}")

    # the generations the builds deleted are let go of: no process of the server holds their files
    deadline = time.monotonic() + 10
    while deleted_files_held(process.pid, graphs.served.parent) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert deleted_files_held(process.pid, graphs.served.parent) == []
    assert process.poll() is None


# -- the worker pool alone: generations, deleted folders, switching -------------------------------------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def small_store(path: Path, triples: int) -> Path:
    """An on-disk Oxigraph store of ``triples`` quads in one named graph."""
    store = ox.Store(str(path))
    graph = ox.NamedNode("https://example.org/g")
    for number in range(triples):
        store.add(
            ox.Quad(
                ox.NamedNode(f"https://example.org/s{number}"),
                ox.NamedNode("https://example.org/p"),
                ox.Literal(str(number)),
                graph,
            )
        )
    store.flush()
    del store
    return path


def count(pool: _Pool) -> int:
    status, _, body = pool.run(_Request(COUNT, "text/csv"), 30)
    assert status == 200, body
    return int(body.decode().split()[-1])


def held_deleted(pool: _Pool, under: Path) -> list[str]:
    """Files under ``under`` that were deleted but that a worker of ``pool`` still holds open."""
    return [
        target
        for worker in list(pool._all)
        for fd in Path(f"/proc/{worker.process.pid}/fd").iterdir()
        if (target := str(fd.readlink())).startswith(str(under)) and target.endswith("(deleted)")
    ]


def test_a_worker_follows_the_folder_and_keeps_a_deleted_generation_readable(tmp_path: Path) -> None:
    served = small_store(tmp_path / "store", 1)
    pool = _Pool(served, 2, {})
    try:
        assert count(pool) == 1
        # a swap as a build does it: the new folder renamed in, the old one deleted
        swap_folder(small_store(tmp_path / "new", 2), served)
        assert [count(pool) for _ in range(4)] == [2, 2, 2, 2]  # every worker, busy or idle, moved
        # the folder deleted with nothing in its place: the generation held is still answered, whole
        shutil.rmtree(served)
        assert [count(pool) for _ in range(4)] == [2, 2, 2, 2]
        swap_folder(small_store(tmp_path / "newer", 3), served)
        assert count(pool) == 3
        deadline = time.monotonic() + 10  # idle workers move within a second: nothing deleted is held
        while held_deleted(pool, tmp_path) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert held_deleted(pool, tmp_path) == []
        assert [count(pool) for _ in range(4)] == [3, 3, 3, 3]
        pool.switch(small_store(tmp_path / "elsewhere", 5))
        assert [count(pool) for _ in range(4)] == [5, 5, 5, 5]
        assert pool.restarts == 0
    finally:
        pool.close()
