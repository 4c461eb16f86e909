"""Issue 9, faults: ``kill -9`` and a full disk during ``build``, ``export``, ``link --accept`` and ``enrich``.

Each command runs as a child process in a project made by ``alliance-kg init`` and is killed at several moments:

* by polling from outside for its temporary file or folder to appear (or for its request to reach the stand-in
  Wikidata server), then ``SIGKILL``;
* from inside, at an exact step: the child's runner wraps one function (``os.replace`` of a named file, the folder
  swap of :mod:`alliance_kg.atomic`, the exchange of two folders, a rename) and sends itself ``SIGKILL`` just
  before or just after the call named by ``AKG_TEST_FAULT`` (``before|after:FUNCTION:NAME``);
* by a full disk, simulated with a file-size limit (``RLIMIT_FSIZE``): once with ``SIGXFSZ`` at its default action
  (the process is killed in the middle of a write, as a C program would be), once with it ignored, as Python does,
  so that the write fails with ``EFBIG`` and the command must stop with a one-line error.

After every kill the previous release, store and curated files are byte-identical (or, where the kill came after
the swap, the complete new ones; never a mix and never a partial file at a final path), and the killed run's
temporaries, named with its pid, are there. Then the next run of the same command succeeds and leaves no temporary
behind, but a live process's (this one's) which it must not touch.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from alliance_kg.atomic import is_temporary, sweep_stale
from alliance_kg.build import RELEASE_FILES
from alliance_kg.store_release import MARKER, is_store_folder

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="kill -9, RLIMIT_FSIZE and /proc: Linux")

#: The child's entry point: ``alliance-kg`` with the fault of ``AKG_TEST_FAULT`` planted (see the docstring).
RUNNER = r"""
import os, signal, sys
from pathlib import Path

if os.environ.pop("AKG_TEST_SIGXFSZ", "") == "default":
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores it; a C program on a full disk is killed
fault = os.environ.pop("AKG_TEST_FAULT", "")
if fault:
    import alliance_kg.atomic as atomic

    when, function, name = fault.split(":", 2)
    if function == "rename":
        atomic._exchange = lambda first, second: False  # the two-rename swap of systems without RENAME_EXCHANGE
    module = {"replace": os, "rename": os, "swap": atomic, "exchange": atomic}[function]
    attribute = {"swap": "swap_folder", "exchange": "_exchange"}.get(function, function)
    original = getattr(module, attribute)

    def planted(*args, **kwargs):
        hit = any(Path(os.fspath(arg)).name == name for arg in args[:2])
        if hit and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if hit and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(module, attribute, planted)
from alliance_kg.cli import main

sys.exit(main(sys.argv[1:]))
"""

#: A file-size limit below the release's biggest files (alliance-kg.nt, the TriG) and above its small ones.
RELEASE_LIMIT = 100_000
#: A file-size limit below a mapping file, an export and a cached answer.
SMALL_LIMIT = 1_000

CHANGE = '\nplant:okazaki rdfs:comment "changed by the fault tests"@en .\n'


# -- running and killing ----------------------------------------------------------------------------------------


def _environment(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALLIANCE_KG_STORE", "AKG_TEST_"))}
    env["ALLIANCE_KG_STORE_CACHE"] = str(tmp / "store-cache")
    env["ALLIANCE_KG_CACHE_DIR"] = str(tmp / "wikidata-cache")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def start(
    args: list[str], cwd: Path, *, fault: str = "", limit: int | None = None, sigxfsz: bool = False, **env: str
) -> subprocess.Popen[str]:
    """``alliance-kg ARGS`` in ``cwd`` as a child process, with a planted fault and a file-size limit if asked."""

    def limited() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    extra = {"AKG_TEST_FAULT": fault} if fault else {}
    if sigxfsz:
        extra["AKG_TEST_SIGXFSZ"] = "default"
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, *args],
        cwd=cwd,
        env=_environment(cwd.parent, **extra, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limited,
    )


def finish(process: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=timeout)
    return process.returncode, stderr


def run(args: list[str], cwd: Path, **options: Any) -> tuple[int, str]:
    return finish(start(args, cwd, **options))


def kill_when(process: subprocess.Popen[str], ready: Callable[[], bool], moment: str, timeout: float = 90) -> None:
    """Poll (every millisecond) until ``ready()``, then ``kill -9`` the process and reap it."""
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None:
            pytest.fail(f"{moment}: the run ended (status {process.returncode}) before the moment: {finish(process)}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{moment}: not reached in {timeout} s")
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    assert finish(process)[0] == -signal.SIGKILL, moment


def killed(process: subprocess.Popen[str], moment: str, by: int = signal.SIGKILL) -> None:
    status, stderr = finish(process)
    assert status == -by, f"{moment}: expected to die of signal {by}, ended with {status}: {stderr[-2000:]}"


def temps_of(folder: Path, pid: int | None = None) -> list[Path]:
    """The temporaries of :mod:`alliance_kg.atomic` under ``folder`` (of process ``pid`` when given)."""
    found = [p for p in folder.rglob("*") if is_temporary(p.name) or ".akg-" in p.name]
    return sorted(p for p in found if pid is None or f".akg-{pid}-" in p.name)


def one_line_error(stderr: str, command: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"alliance-kg {command}: error: "), stderr
    return lines[0]


def full_disk_error(status: int, stderr: str, command: str) -> None:
    """The command stopped on ``EFBIG`` with exit status 2 and one line saying so."""
    assert status == 2, stderr
    assert "File too large" in one_line_error(stderr, command), stderr


def snapshot(path: Path) -> dict[str, str]:
    """Every file under ``path`` (or the file itself) with a hash of its bytes and its mode; {} when missing."""
    if path.is_file():
        return {".": hashlib.sha256(path.read_bytes()).hexdigest() + oct(path.stat().st_mode)}
    if not path.exists():
        return {}
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() + oct(p.stat().st_mode)
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


# -- the project ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by ``alliance-kg init``, its store and release built by ``build --store``, then its data
    changed, so that a new build differs from the previous one."""
    root = tmp_path_factory.mktemp("faults")
    status, stderr = run(["init", str(root / "project")], root)
    assert status == 0, stderr
    status, stderr = run(
        ["build", "--store", f"oxigraph:{root / 'store'}", "--out", str(root / "release")], root / "project"
    )
    assert status == 0, stderr
    with (root / "project" / "data" / "places.ttl").open("a", encoding="utf-8") as handle:
        handle.write(CHANGE)
    return root


@pytest.fixture
def work(pristine: Path, tmp_path: Path) -> Path:
    """A copy of the pristine project, store and release for one test."""
    root = tmp_path / "w"
    shutil.copytree(pristine, root, symlinks=True)
    return root


def _facts(release: Path) -> int:
    return int(json.loads((release / "summary.json").read_text(encoding="utf-8"))["triples"]["facts"])


def new_release(release: Path, facts: int, *, exports: bool) -> bool:
    """Whether ``release`` is a whole release of the changed data: every file, and the new triple counted."""
    names = {p.name for p in release.iterdir()} if release.is_dir() else set()
    if names != {*RELEASE_FILES, *(["exports"] if exports else [])}:
        return False
    summary = json.loads((release / "summary.json").read_text(encoding="utf-8"))
    lines = (release / "alliance-kg.nt").read_text(encoding="utf-8").count("\n")
    return bool(summary["triples"]["facts"] == facts and lines == summary["triples"]["asserted"])


def new_store(store: Path, facts: int) -> bool:
    """Whether ``store`` is a whole store of the changed data (it opens, and holds what its marker says)."""
    import pyoxigraph as ox

    if not is_store_folder(store):
        return False
    graphs = json.loads((store / MARKER).read_text(encoding="utf-8"))["graphs"]
    opened = ox.Store.read_only(str(store))
    try:
        count = sum(1 for _ in opened.quads_for_pattern(None, None, None, None))
    finally:
        del opened
    return bool(count == sum(graphs.values()) and facts in graphs.values())


def state(path: Path, previous: dict[str, str], is_new: Callable[[Path], bool]) -> str:
    """``old`` (byte-identical to ``previous``), ``new`` (whole and new), ``missing``, else ``BROKEN``."""
    if not path.exists():
        return "missing"
    if snapshot(path) == previous:
        return "old"
    return "new" if is_new(path) else "BROKEN"


# -- the sweep ------------------------------------------------------------------------------------------------------


@pytest.fixture
def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_sweep_removes_dead_runs_temporaries_and_keeps_live_ones(tmp_path: Path, dead_pid: int) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead_file = tmp_path / f".summary.json.akg-{dead_pid}-abc123_x.tmp"
        dead_file.write_bytes(b"half")
        dead_folder = tmp_path / f".dist.akg-{dead_pid}-k2j4h5g6.tmp"
        (dead_folder / "exports").mkdir(parents=True)
        (dead_folder / "exports" / f".x.svg.akg-{dead_pid}-zz.tmp").write_bytes(b"half")
        mine = tmp_path / f".dist.akg-{os.getpid()}-mine0000.tmp"
        mine.mkdir()
        live = tmp_path / f".dist.akg-{sleeper.pid}-live0000.tmp"
        live.write_bytes(b"a concurrent run's")
        user = [tmp_path / name for name in (".dist.tmp", ".notes.akg-12x.tmp", "dist.akg-1-a.tmp", ".x.akg-1-a.bak")]
        for path in user:
            path.write_bytes(b"the user's")
        (tmp_path / "dist").mkdir()
        assert sorted(sweep_stale(tmp_path)) == sorted([dead_file, dead_folder])
        assert not dead_file.exists()
        assert not dead_folder.exists()
        assert mine.is_dir()
        assert live.read_bytes() == b"a concurrent run's"
        assert all(path.read_bytes() == b"the user's" for path in user)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_zombie_is_dead(tmp_path: Path) -> None:
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while Path(f"/proc/{zombie.pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    stale = tmp_path / f".out.graphml.akg-{zombie.pid}-aaaa1111.tmp"
    stale.write_bytes(b"")
    assert sweep_stale(tmp_path) == [stale]
    zombie.wait()


def test_sweep_puts_back_a_folder_set_aside_by_a_killed_swap(tmp_path: Path, dead_pid: int) -> None:
    aside = tmp_path / f".release.akg-{dead_pid}-old00000.old"
    aside.mkdir()
    (aside / "summary.json").write_text("{}", encoding="utf-8")
    half_new = tmp_path / f".release.akg-{dead_pid}-new00000.tmp"
    half_new.mkdir()
    assert sweep_stale(tmp_path) == [half_new]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]
    assert (tmp_path / "release" / "summary.json").read_text(encoding="utf-8") == "{}"
    # with the folder in place (the kill came after the second rename), the one set aside is deleted
    aside.mkdir()
    assert sweep_stale(tmp_path) == [aside]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


# -- build ----------------------------------------------------------------------------------------------------------


def test_kill_and_full_disk_during_build_in_memory(work: Path) -> None:
    """``alliance-kg build --out DIR`` (the in-memory build, with the exports): killed while its release folder
    fills, and on a full disk."""
    project, release = work / "project", work / "release"
    previous = snapshot(release)
    facts = _facts(release) + 1
    args = ["build", "--out", str(release)]

    status, stderr = run(args, project, limit=RELEASE_LIMIT)  # a full disk: EFBIG, a clean error
    full_disk_error(status, stderr, "build")
    assert snapshot(release) == previous
    assert temps_of(work) == []

    pids = []
    for moment in ("release folder made", "exports being written"):
        process = start(args, project)

        def ready(pid: int = process.pid, moment: str = moment) -> bool:
            temps = list(work.glob(f".release.akg-{pid}-*.tmp"))
            return bool(temps) and (moment == "release folder made" or any((temps[0] / "exports").glob("*.*")))

        kill_when(process, ready, moment)
        assert snapshot(release) == previous, moment
        assert temps_of(work, process.pid), moment
        pids.append(process.pid)

    process = start(args, project, limit=RELEASE_LIMIT, sigxfsz=True)  # a full disk that kills
    killed(process, "full disk (SIGXFSZ)", signal.SIGXFSZ)
    assert snapshot(release) == previous
    partial = [p for p in temps_of(work, process.pid) if p.is_file()]
    assert partial
    assert all(p.stat().st_size <= RELEASE_LIMIT for p in partial)

    live = work / f".release.akg-{os.getpid()}-live0000.tmp"  # a concurrent run's: never touched
    live.mkdir()
    status, stderr = run(args, project)  # the next run
    assert status == 0, stderr
    assert new_release(release, facts, exports=True)
    assert temps_of(work) == [live]


STORE_MOMENTS = [
    # (moment, how to kill, state of the store and of the release afterwards)
    ("store folder made", "poll:.store.akg-{pid}-*.tmp", {"old"}, {"old"}),
    ("release folder made", "poll:.release.akg-{pid}-*.tmp", {"old", "new"}, {"old", "new"}),
    ("before the release swap", "before:swap:release", {"old"}, {"old"}),
    ("between the two swaps", "after:exchange:release", {"old"}, {"new"}),
    ("old store being deleted", "after:exchange:store", {"new"}, {"new"}),
    ("full disk, killed", "sigxfsz", {"old"}, {"old"}),
    ("full disk, EFBIG", "efbig", {"old"}, {"old"}),
    ("between two renames (no RENAME_EXCHANGE)", "after:rename:release", {"old"}, {"missing"}),
]


def test_kill_and_full_disk_during_build_in_a_store(work: Path) -> None:
    """``alliance-kg build --store oxigraph:PATH --out DIR``, killed at each moment of :data:`STORE_MOMENTS` in
    turn; the next run then leaves everything whole and nothing behind."""
    project, store, release = work / "project", work / "store", work / "release"
    facts = _facts(release) + 1
    args = ["build", "--store", f"oxigraph:{store}", "--out", str(release)]
    for moment, how, store_after, release_after in STORE_MOMENTS:
        before = {"store": snapshot(store), "release": snapshot(release)}
        if how.startswith("poll:"):
            process = start(args, project)
            pattern = how.removeprefix("poll:").format(pid=process.pid)

            def appeared(pattern: str = pattern) -> bool:
                return any(work.glob(pattern))

            kill_when(process, appeared, moment)
        elif how in ("sigxfsz", "efbig"):
            process = start(args, project, limit=RELEASE_LIMIT, sigxfsz=how == "sigxfsz")
            if how == "sigxfsz":
                killed(process, moment, signal.SIGXFSZ)
            else:
                status, stderr = finish(process)
                full_disk_error(status, stderr, "build")
        else:
            process = start(args, project, fault=how)
            killed(process, moment)
        found = (
            state(store, before["store"], lambda p: new_store(p, facts)),
            state(release, before["release"], lambda p: new_release(p, facts, exports=False)),
        )
        assert found[0] in store_after, f"{moment}: store, release {found}"
        assert found[1] in release_after, f"{moment}: store, release {found}"
        if how != "efbig":
            assert temps_of(work, process.pid), f"{moment}: the killed run left no temporary"
        else:
            assert temps_of(work, process.pid) == []
        if found[1] == "missing":  # the previous release is whole, set aside, and put back by the next run
            (aside,) = work.glob(f".release.akg-{process.pid}-*.old")
            assert snapshot(aside) == before["release"]

    status, stderr = run(args, project)  # the next run
    assert status == 0, stderr
    assert new_store(store, facts)
    assert new_release(release, facts, exports=False)
    assert temps_of(work) == []


# -- export ---------------------------------------------------------------------------------------------------------


def test_kill_and_full_disk_during_export(work: Path) -> None:
    project, output = work / "project", work / "supply.graphml"
    args = ["export", "--view", "supply", "-o", str(output)]
    output.write_text('<?xml version="1.0"?>\n<!-- the previous export -->\n' + "<graphml/>\n" * 200, encoding="utf-8")
    output.chmod(0o640)
    previous = snapshot(output)

    for moment, options in (
        ("written, not yet renamed", {"fault": "before:replace:supply.graphml"}),
        ("full disk, killed mid-write", {"limit": SMALL_LIMIT, "sigxfsz": True}),
    ):
        process = start(args, project, **options)
        killed(process, moment, signal.SIGXFSZ if "sigxfsz" in options else signal.SIGKILL)
        assert snapshot(output) == previous, moment
        (temp,) = temps_of(work, process.pid)
        assert temp.parent == work, moment
        assert temp.name.startswith(f".supply.graphml.akg-{process.pid}-"), moment

    status, stderr = run(args, project, limit=SMALL_LIMIT)
    full_disk_error(status, stderr, "export")
    assert snapshot(output) == previous

    status, stderr = run(args, project)  # the next run
    assert status == 0, stderr
    assert snapshot(output) != previous
    assert b"<graphml" in output.read_bytes()
    assert b"the previous export" not in output.read_bytes()
    assert output.stat().st_mode & 0o777 == 0o640  # the file replaced keeps its mode
    assert temps_of(work) == []


# -- link --accept --------------------------------------------------------------------------------------------------


def _review(candidates: Path) -> None:
    """Sign one candidate as a reviewer would, so that ``link --accept`` promotes it."""
    import dataclasses

    from alliance_kg.wikidata import sssom

    mapping_set = sssom.read_mapping_set(candidates)
    rows = [
        dataclasses.replace(row, reviewer_id="orcid:0000-0000-0000-0000") if row.object_id == "wd:Q538" else row
        for row in mapping_set.rows
    ]
    sssom.write_mapping_set(mapping_set.with_rows(rows), candidates)


def test_kill_and_full_disk_during_link_accept(work: Path, tmp_path: Path) -> None:
    project = work / "project"
    mappings = project / "data" / "mappings"
    _review(mappings / "wikidata-candidates.sssom.tsv")
    reference = tmp_path / "reference"
    shutil.copytree(project, reference)
    status, stderr = run(["link", "--accept"], reference)
    assert status == 0, stderr
    accepted = snapshot(reference / "data" / "mappings")
    previous = snapshot(mappings)
    assert accepted != previous

    links, candidates = "wikidata.sssom.tsv", "wikidata-candidates.sssom.tsv"
    for moment, options, expected in (
        ("before the links are replaced", {"fault": f"before:replace:{links}"}, {links: "old", candidates: "old"}),
        ("full disk, killed mid-write", {"limit": SMALL_LIMIT, "sigxfsz": True}, {links: "old", candidates: "old"}),
        ("between the two files", {"fault": f"after:replace:{links}"}, {links: "new", candidates: "old"}),
    ):
        process = start(["link", "--accept"], project, **options)
        killed(process, moment, signal.SIGXFSZ if "sigxfsz" in options else signal.SIGKILL)
        for name, which in expected.items():
            want = previous if which == "old" else accepted
            assert snapshot(mappings / name) == {".": want[name]}, f"{moment}: {name} is not the {which} one"
        assert temps_of(mappings, process.pid) or moment == "between the two files", moment

    status, stderr = run(["link", "--accept"], project, limit=SMALL_LIMIT)  # a full disk: EFBIG
    full_disk_error(status, stderr, "link")

    status, stderr = run(["link", "--accept"], project)  # the next run finishes the job
    assert status == 0, stderr
    assert snapshot(mappings) == accepted
    assert temps_of(project) == []


# -- enrich ---------------------------------------------------------------------------------------------------------


def test_kill_and_full_disk_during_enrich(work: Path, wikidata_standin: Any) -> None:
    project = work / "project"
    cache = work / "wikidata-cache"
    enrichment = project / "enrichment" / "wikidata.ttl"
    args = [
        "enrich",
        "--refresh",
        "--wikidata-sparql",
        wikidata_standin.sparql_url,
        "--wikidata-api",
        wikidata_standin.api_url,
    ]
    status, stderr = run(args, project)
    assert status == 0, stderr
    previous = snapshot(enrichment)
    assert previous
    assert enrichment.stat().st_size > SMALL_LIMIT

    wikidata_standin.reset()
    wikidata_standin.slow_seconds = 3.0
    wikidata_standin.fail("slow", times=1)
    process = start(args, project)
    kill_when(process, lambda: bool(wikidata_standin.requests), "waiting for Wikidata's answer")
    assert snapshot(enrichment) == previous

    for moment, options in (
        ("answer cached, file written, not yet renamed", {"fault": "before:replace:wikidata.ttl"}),
        ("full disk, killed mid-write", {"limit": SMALL_LIMIT, "sigxfsz": True}),
    ):
        process = start(args, project, **options)
        killed(process, moment, signal.SIGXFSZ if "sigxfsz" in options else signal.SIGKILL)
        assert snapshot(enrichment) == previous, moment
        assert temps_of(work, process.pid), moment

    status, stderr = run(args, project, limit=SMALL_LIMIT)
    full_disk_error(status, stderr, "enrich")
    assert snapshot(enrichment) == previous

    wikidata_standin.wait_idle(timeout=10)
    status, stderr = run(args, project)  # the next run
    assert status == 0, stderr
    text = enrichment.read_text(encoding="utf-8")
    assert text.startswith("# Wikidata enrichment")
    assert snapshot(enrichment) != previous
    assert temps_of(project) == []
    assert temps_of(cache) == []
    assert not [p for p in cache.rglob("*") if re.search(r"\.tmp$", p.name)]
