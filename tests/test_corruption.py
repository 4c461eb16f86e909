"""Issue 9, faults: a corrupt or truncated Wikidata cache entry and a corrupt on-disk store.

Each is detected and reported in one line, never a traceback: the caches the product owns (the answers of the
Wikidata client, the stores ``query`` and ``serve`` build from the data files) are rebuilt; a store the user owns
(``build --store oxigraph:PATH``) is refused with an error naming the folder and the command that rebuilds it, and
that command works on the damaged folder.

The damage: a truncated or overwritten (random bytes, a fixed seed) RocksDB file, RocksDB's ``CURRENT`` file
deleted or emptied, garbage in the store marker (:data:`alliance_kg.store_release.MARKER`); for a cached answer,
a truncated file, random bytes, an empty file, bytes that are not UTF-8, JSON that is not an entry, another
request's entry, and an answer whose body no longer matches its checksum.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from testpaths import REPO

from alliance_kg.cli import main
from alliance_kg.errors import InputError
from alliance_kg.store_cache import ENV_STORE_CACHE, cached_store
from alliance_kg.store_release import MARKER, is_store_folder
from alliance_kg.wikidata.client import WikidataClient

# -- damage -----------------------------------------------------------------------------------------------------


def _sst(store: Path) -> list[Path]:
    files = sorted(store.glob("*.sst"))
    assert files, f"no RocksDB table in {store}"
    return files


def truncate_tables(store: Path) -> None:
    for path in _sst(store):
        with path.open("r+b") as handle:
            handle.truncate(path.stat().st_size // 2)


def overwrite_tables(store: Path) -> None:
    """16 random bytes at random places of every table (seeded: the same damage every run)."""
    chance = random.Random(9)
    for path in _sst(store):
        data = bytearray(path.read_bytes())
        for _ in range(16):
            where = chance.randrange(len(data))
            data[where] = (data[where] + chance.randrange(1, 256)) % 256
        path.write_bytes(bytes(data))


def delete_current(store: Path) -> None:
    (store / "CURRENT").unlink()


def empty_current(store: Path) -> None:
    (store / "CURRENT").write_bytes(b"")


def truncate_manifest(store: Path) -> None:
    for path in store.glob("MANIFEST-*"):
        with path.open("r+b") as handle:
            handle.truncate(10)


def garbage_marker(store: Path) -> None:
    (store / MARKER).write_bytes(b"\x00\xff{garbage")


STORE_DAMAGE: dict[str, Callable[[Path], None]] = {
    "tables truncated": truncate_tables,
    "random bytes in the tables": overwrite_tables,
    "CURRENT deleted": delete_current,
    "CURRENT emptied": empty_current,
    "MANIFEST truncated": truncate_manifest,
    "garbage marker": garbage_marker,
}


def _quads(store: Path) -> int:
    import pyoxigraph as ox

    opened = ox.Store.read_only(str(store))
    try:
        return sum(1 for _ in opened.quads_for_pattern(None, None, None, None))
    finally:
        del opened


# -- the store a user built ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def user_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of the user's (``alliance-kg init``): data and queries that stay put while the tests run."""
    root = tmp_path_factory.mktemp("user-store")
    assert main(["init", str(root / "project")]) == 0
    return root / "project"


@pytest.fixture(scope="module")
def built_store(user_project: Path) -> tuple[Path, str]:
    """A store and release built by ``alliance-kg build --store`` in the project, and what ``query timeline``
    answers on it."""
    root = user_project.parent
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(user_project)
        assert main(["build", "--store", f"oxigraph:{root / 'store'}", "--out", str(root / "release")]) == 0
    answer = subprocess.run(
        # csv: the answer alone (a table ends with the store it read, whose path differs between the copies)
        [
            sys.executable,
            "-m",
            "alliance_kg",
            "query",
            "timeline",
            "--format",
            "csv",
            "--store",
            f"oxigraph:{root / 'store'}",
        ],
        cwd=user_project,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    return root / "store", answer


@pytest.mark.parametrize("damage", STORE_DAMAGE)
def test_a_damaged_user_store_is_refused_with_how_to_rebuild_it(
    damage: str,
    built_store: tuple[Path, str],
    user_project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pristine, answer = built_store
    monkeypatch.chdir(user_project)
    store = tmp_path / "store"
    shutil.copytree(pristine, store)
    STORE_DAMAGE[damage](store)
    capsys.readouterr()
    for command in (["query", "timeline"], ["export", "--view", "supply", "-o", str(tmp_path / "x.graphml")]):
        assert main([*command, "--store", f"oxigraph:{store}"]) == 2, command
        err = capsys.readouterr().err
        lines = err.splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith(f"alliance-kg {command[0]}: error: {store}: the Oxigraph store is damaged ("), err
        assert lines[0].endswith(f"rebuild it with: alliance-kg build --store oxigraph:{store}"), err
    assert not (tmp_path / "x.graphml").exists()

    # the advice works: the build replaces the damaged folder (its marker gone or not), and the store answers again
    assert main(["build", "--store", f"oxigraph:{store}", "--out", str(tmp_path / "release")]) == 0
    assert is_store_folder(store)
    capsys.readouterr()
    assert main(["query", "timeline", "--format", "csv", "--store", f"oxigraph:{store}"]) == 0
    assert capsys.readouterr().out.replace("\r\n", "\n") == answer  # the subprocess read CSV's CRLF as \n


def test_a_damaged_user_store_as_the_command_line_shows_it(built_store: tuple[Path, str], tmp_path: Path) -> None:
    """The whole process: exit status 2 and one line on stderr, nothing on stdout, no traceback."""
    store = tmp_path / "store"
    shutil.copytree(built_store[0], store)
    truncate_tables(store)
    done = subprocess.run(
        [sys.executable, "-m", "alliance_kg", "query", "timeline", "--store", f"oxigraph:{store}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "Sst file size mismatch" in done.stderr


def test_a_folder_of_other_files_is_still_never_replaced(tmp_path: Path) -> None:
    """A damaged store may be rebuilt over; a folder holding anything else stays refused, marker or not."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / MARKER).write_text("not json", encoding="utf-8")
    (folder / "CURRENT").write_text("MANIFEST-000001\n", encoding="utf-8")
    (folder / "thesis.tex").write_text("years of work", encoding="utf-8")
    assert main(["build", "--store", f"oxigraph:{folder}", "--out", str(tmp_path / "release")]) == 2
    assert (folder / "thesis.tex").read_text(encoding="utf-8") == "years of work"


# -- the stores query and serve keep ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cache_inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A small data file and an ontology of this test's own (so that the cache key stays put), and a cache folder
    with the store built from them."""
    root = tmp_path_factory.mktemp("cache-inputs")
    data = root / "supplies.ttl"
    ontology = root / "alliance-kg.ttl"
    shutil.copy2(REPO / "data" / "supplies.ttl", data)
    shutil.copy2(REPO / "ontology" / "alliance-kg.ttl", ontology)
    cache = root / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_STORE_CACHE, str(cache))
        cached_store([data], ontology_paths=[ontology])
    return data, ontology, cache


@pytest.fixture
def store_cache_copy(
    cache_inputs: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], Path]:
    """A copy of the built cache (modification times kept) made the cache; returns the function that finds the
    store in it."""
    data, ontology, cache = cache_inputs
    copy = tmp_path / "cache"
    shutil.copytree(cache, copy)
    monkeypatch.setenv(ENV_STORE_CACHE, str(copy))
    return lambda: cached_store([data], ontology_paths=[ontology])


CACHE_DAMAGE = ["tables truncated", "random bytes in the tables", "CURRENT deleted", "garbage marker"]


@pytest.mark.parametrize("damage", CACHE_DAMAGE)
def test_a_damaged_cached_store_is_reported_and_built_again(
    damage: str, store_cache_copy: Callable[[], Path], caplog: pytest.LogCaptureFixture
) -> None:
    store = store_cache_copy()
    quads = _quads(store)
    with caplog.at_level(logging.WARNING, logger="alliance_kg"):
        assert store_cache_copy() == store  # sound: reused, nothing said
    assert caplog.records == []
    STORE_DAMAGE[damage](store)
    with caplog.at_level(logging.WARNING, logger="alliance_kg"):
        assert store_cache_copy() == store
    (record,) = caplog.records
    message = record.getMessage()
    assert message.startswith(f"alliance-kg: the cached store {store} is damaged (")
    assert message.endswith("); building it again")
    assert "\n" not in message
    assert is_store_folder(store)
    assert _quads(store) == quads
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="alliance_kg"):
        assert store_cache_copy() == store
    assert caplog.records == []


def test_a_cached_store_replaced_by_a_file_is_built_again(
    store_cache_copy: Callable[[], Path], caplog: pytest.LogCaptureFixture
) -> None:
    store = store_cache_copy()
    shutil.rmtree(store)
    store.write_bytes(b"not a store")
    with caplog.at_level(logging.WARNING, logger="alliance_kg"):
        assert store_cache_copy() == store
    assert "is damaged (not a folder)" in caplog.text
    assert is_store_folder(store)


def test_query_on_a_damaged_cached_store_says_so_and_answers(
    cache_inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """The command line: ``alliance-kg query`` (no ``--store``) on a damaged cache prints one line on stderr and
    the same answer as before."""
    args = [sys.executable, "-m", "alliance_kg", "query", "timeline", "--data", str(cache_inputs[0])]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLIANCE_KG_STORE")}
    env[ENV_STORE_CACHE] = str(tmp_path / "cache")
    before = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env, check=True)
    assert before.stderr == ""
    (store,) = (tmp_path / "cache").iterdir()
    truncate_tables(store)
    after = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout
    assert "Traceback" not in after.stderr
    (line,) = after.stderr.splitlines()
    assert line.startswith(f"alliance-kg: the cached store {store} is damaged (")


# -- the Wikidata cache -------------------------------------------------------------------------------------------


QUERY = "SELECT ?item ?label WHERE { VALUES ?item { wd:Q17 wd:Q3630 } ?item rdfs:label ?label }"


def _answer(body: str) -> str:
    """The body of a cached SPARQL answer with one value changed, still valid JSON results."""
    data = json.loads(body)
    data["results"]["bindings"] = data["results"]["bindings"][:1]
    return json.dumps(data)


def _another_request(entry: dict[str, Any]) -> dict[str, Any]:
    return {**entry, "url": entry["url"] + "/elsewhere"}


CACHE_ENTRY_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "random bytes": lambda raw: bytes((byte + 1) % 256 if index % 97 == 13 else byte for index, byte in enumerate(raw)),
    "empty": lambda raw: b"",
    "not UTF-8": lambda raw: b"\xff\xfe" + raw[2:],
    "JSON, not an entry": lambda raw: b"[1, 2, 3]",
    "another request's entry": lambda raw: json.dumps(_another_request(json.loads(raw))).encode(),
    "body changed, checksum kept": lambda raw: json.dumps(
        {**json.loads(raw), "body": _answer(json.loads(raw)["body"])}
    ).encode(),
    "body cut inside valid JSON": lambda raw: _with_body(raw, json.loads(raw)["body"][:40]),
}


def _with_body(raw: bytes, body: str) -> bytes:
    """The entry with another body, and the checksum of that body: only the parser can tell it is broken."""
    return json.dumps({**json.loads(raw), "body": body, "sha256": hashlib.sha256(body.encode()).hexdigest()}).encode()


@pytest.mark.parametrize("damage", CACHE_ENTRY_DAMAGE)
def test_a_damaged_cache_entry_is_reported_and_asked_again(
    damage: str, wikidata_standin: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def client() -> WikidataClient:
        return WikidataClient(
            api_url=wikidata_standin.api_url,
            sparql_url=wikidata_standin.sparql_url,
            cache_dir=tmp_path / "cache",
            timeout=5,
        )

    wikidata_standin.reset()
    first = client()
    answer = first.sparql_select(QUERY)
    assert first.requests_made == 1
    assert answer["results"]["bindings"]
    (entry,) = (tmp_path / "cache").rglob("*.json")
    entry.write_bytes(CACHE_ENTRY_DAMAGE[damage](entry.read_bytes()))

    second = client()
    with caplog.at_level(logging.WARNING, logger="alliance_kg"):
        assert second.sparql_select(QUERY) == answer
    assert second.requests_made == 1  # asked again
    (record,) = caplog.records
    message = record.getMessage()
    assert message.startswith(f"alliance-kg: damaged cache entry {entry}: ")
    assert message.endswith("; asking the service again")
    assert "\n" not in message

    third = client()  # the entry was written again, whole
    assert third.sparql_select(QUERY) == answer
    assert third.requests_made == 0
    assert sorted(p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()) == [entry.name]


def test_enrich_with_a_damaged_cache_entry_says_so_and_succeeds(wikidata_standin: Any, tmp_path: Path) -> None:
    """The command line: one line on stderr, exit status 0, the enrichment written as with a sound cache."""
    wikidata_standin.reset()
    cache = tmp_path / "cache"
    args = [
        sys.executable,
        "-m",
        "alliance_kg",
        "enrich",
        "--wikidata-sparql",
        wikidata_standin.sparql_url,
        "--cache-dir",
        str(cache),
    ]
    sound = subprocess.run([*args, "--out", str(tmp_path / "a.ttl")], capture_output=True, text=True, timeout=120)
    assert sound.returncode == 0, sound.stderr
    entries = sorted(cache.rglob("*.json"))
    assert entries
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:100])
    damaged = subprocess.run([*args, "--out", str(tmp_path / "b.ttl")], capture_output=True, text=True, timeout=120)
    assert damaged.returncode == 0, damaged.stderr
    assert "Traceback" not in damaged.stderr
    lines = [line for line in damaged.stderr.splitlines() if "damaged cache entry" in line]
    assert len(lines) == len(entries), damaged.stderr
    assert all(line.startswith("alliance-kg: damaged cache entry ") for line in lines)
    assert _triples_of(tmp_path / "b.ttl") == _triples_of(tmp_path / "a.ttl")


def _triples_of(path: Path) -> list[str]:
    """The lines of an enrichment file but those that say when it was retrieved."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not line.startswith("#") and "^^xsd:dateTime" not in line]


def test_a_cache_entry_that_cannot_be_read_is_reported(
    wikidata_standin: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An entry replaced by a folder (unreadable): reported, asked again, and the answer not cached over it."""
    wikidata_standin.reset()
    client = WikidataClient(
        api_url=wikidata_standin.api_url, sparql_url=wikidata_standin.sparql_url, cache_dir=tmp_path / "c"
    )
    answer = client.sparql_select(QUERY)
    (entry,) = (tmp_path / "c").rglob("*.json")
    entry.unlink()
    entry.mkdir()
    again = WikidataClient(
        api_url=wikidata_standin.api_url, sparql_url=wikidata_standin.sparql_url, cache_dir=tmp_path / "c"
    )
    with caplog.at_level(logging.WARNING, logger="alliance_kg"):
        assert again.sparql_select(QUERY) == answer
    assert again.requests_made == 1
    assert f"damaged cache entry {entry}: cannot be read" in caplog.text


def test_errors_stay_in_the_hierarchy() -> None:
    from alliance_kg.store_release import damaged_store, failed_query

    assert isinstance(damaged_store(Path("s"), "x"), InputError)
    assert isinstance(failed_query(RuntimeError("Corruption: x")), InputError)
    assert "damaged" in str(failed_query(RuntimeError("Corruption: block checksum mismatch")))
