"""Issue 9: one atomic writer for the package (mode, rename, clean-up), and the writers that used to make 0600 files."""

from __future__ import annotations

import os
import shutil
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from alliance_kg.atomic import atomic_file, default_mode, write_atomic
from alliance_kg.errors import InputError


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- mode -------------------------------------------------------------------------


@pytest.mark.usefixtures("umask_022")
def test_new_file_gets_0644_not_mkstemps_0600(tmp_path: Path) -> None:
    path = write_atomic(tmp_path / "new.txt", b"data")
    assert path == tmp_path / "new.txt"
    assert mode(path) == 0o644
    with atomic_file(tmp_path / "streamed.txt", "w") as handle:
        handle.write("text")
    assert mode(tmp_path / "streamed.txt") == 0o644


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077, 0o002])
def test_new_file_mode_follows_the_umask(tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        assert default_mode() == 0o666 & ~umask
        write_atomic(tmp_path / "f", b"x")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "f") == 0o666 & ~umask


@pytest.mark.usefixtures("umask_022")
@pytest.mark.parametrize("existing", [0o600, 0o640, 0o664, 0o755])
def test_existing_file_keeps_its_mode(tmp_path: Path, existing: int) -> None:
    path = tmp_path / "kept"
    path.write_bytes(b"old")
    path.chmod(existing)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert mode(path) == existing


# -- rename -----------------------------------------------------------------------


def test_replaces_by_rename_not_in_place(tmp_path: Path) -> None:
    path = tmp_path / "target"
    path.write_bytes(b"old")
    before = path.stat().st_ino
    with atomic_file(path) as handle:
        handle.write(b"new")
        handle.flush()
        assert path.read_bytes() == b"old", "the target is untouched until the block ends"
        [temp] = leftovers(tmp_path)
        assert temp.startswith(".target.")
    assert path.read_bytes() == b"new"
    assert path.stat().st_ino != before, "a new file was renamed in"
    assert leftovers(tmp_path) == []


def test_text_bytes_and_newlines(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a", "é\r\nline\n")
    assert (tmp_path / "a").read_bytes() == "é\r\nline\n".encode()
    write_atomic(tmp_path / "b", "é", encoding="latin-1")
    assert (tmp_path / "b").read_bytes() == b"\xe9"
    with atomic_file(tmp_path / "c", "w", newline="") as handle:
        handle.write("x\ny\n")
    assert (tmp_path / "c").read_bytes() == b"x\ny\n"


def test_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
    assert mode(real) == 0o640


def test_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, b"through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert leftovers(tmp_path) == []


def test_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder") as caught:
        write_atomic(folder, b"x")
    assert caught.value.path == folder
    assert folder.is_dir()
    link = tmp_path / "link-to-folder"
    link.symlink_to(folder)
    with pytest.raises(InputError, match="is a folder"):
        write_atomic(link, b"x")
    assert link.is_symlink()


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write here") as caught:
        write_atomic(tmp_path / "missing" / "f", b"x")
    assert caught.value.path == tmp_path / "missing" / "f"


def test_bad_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="mode"):
        atomic_file(tmp_path / "f", "ab")  # type: ignore[call-overload]
    assert list(tmp_path.iterdir()) == []


# -- clean-up ---------------------------------------------------------------------


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt(), SystemExit(3)])
def test_exception_in_block_leaves_target_and_no_temp(tmp_path: Path, error: BaseException) -> None:
    path = tmp_path / "target"
    path.write_bytes(b"previous")

    def write_half() -> None:
        with atomic_file(path) as handle:
            handle.write(b"half")
            raise error

    with pytest.raises(type(error)):
        write_half()
    assert path.read_bytes() == b"previous"
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]


def test_exception_for_a_new_file_leaves_nothing(tmp_path: Path) -> None:

    def write_half() -> None:
        with atomic_file(tmp_path / "new", "w") as handle:
            handle.write("half")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_half()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_failing_fsync_or_rename_leaves_target_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = tmp_path / "target"
    path.write_bytes(b"previous")

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, step, broken)
    with pytest.raises(InputError, match="No space left") as caught:
        write_atomic(path, b"new")
    assert caught.value.path == path
    assert path.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]


def test_interrupt_during_rename_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "target"
    path.write_bytes(b"previous")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]


# -- the package's writers use it -------------------------------------------------


#: Modules that still write files by hand, with the reason; a module may leave this dict, never join it.
PENDING_WRITERS: dict[str, str] = {}


def test_no_hand_written_atomic_writer_left() -> None:
    package = Path(__file__).resolve().parents[1] / "alliance_kg"
    offenders = {
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "atomic.py" and "mkstemp(" in path.read_text(encoding="utf-8")
    }
    assert offenders <= PENDING_WRITERS.keys(), "use alliance_kg.atomic instead of mkstemp + os.replace"


@pytest.mark.usefixtures("umask_022")
def test_link_accept_writes_0644_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Regression: ``link --accept`` rewrote both SSSOM files with mode 0600."""
    from alliance_kg.cli import main
    from alliance_kg.wikidata import sssom

    links = Path(shutil.copy(sssom.links_path(), tmp_path / "links.sssom.tsv"))
    candidates = Path(shutil.copy(sssom.candidates_path(), tmp_path / "candidates.sssom.tsv"))
    mapping_set = sssom.read_mapping_set(candidates)
    rows = [
        sssom.MappingRow(
            **{
                **{k: getattr(row, k) for k in row.__dataclass_fields__ if k != "line"},
                "reviewer_id": "orcid:0000-0000-0000-0000",
                "predicate_modifier": "",
            }
        )
        if row.object_id == "wd:Q538"
        else row
        for row in mapping_set.rows
    ]
    sssom.write_mapping_set(mapping_set.with_rows(rows), candidates)
    links.chmod(0o644)
    candidates.chmod(0o644)
    assert main(["link", "--accept", "--links", str(links), "--candidates", str(candidates)]) == 0
    assert "1 candidate(s) promoted" in capsys.readouterr().out
    assert mode(links) == 0o644
    assert mode(candidates) == 0o644
    new = sssom.write_mapping_set(mapping_set, tmp_path / "new" / "fresh.sssom.tsv")
    assert mode(new) == 0o644
    assert leftovers(tmp_path) == []


@pytest.mark.usefixtures("umask_022")
def test_enrichment_file_is_0644(tmp_path: Path) -> None:
    """Regression: ``enrich`` wrote ``enrichment/wikidata.ttl`` with mode 0600."""
    from alliance_kg.wikidata import enrich

    graph = Graph()
    graph.add((URIRef("http://www.wikidata.org/entity/Q17"), URIRef("http://example.org/p"), Literal("a\nb")))
    result = enrich.Enrichment(
        graph=graph, endpoint="http://127.0.0.1:9/sparql", retrieved=datetime(2026, 1, 2, tzinfo=UTC), items=("Q17",)
    )
    path = enrich.write_enrichment(result, tmp_path / "enrichment" / "wikidata.ttl")
    assert mode(path) == 0o644
    loaded = enrich.load_enrichment(path)
    assert loaded is not None
    assert Literal("a\nb") in set(loaded.objects())
    assert leftovers(path.parent) == []
