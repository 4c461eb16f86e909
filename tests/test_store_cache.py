"""A cold ``alliance-kg query`` opens a store built once from the data files, instead of parsing and reasoning."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from testpaths import REPO

import alliance_kg as akg
from alliance_kg.cli import main
from alliance_kg.store_cache import KEEP, cached_store, store_cache_dir
from alliance_kg.store_release import is_store_folder


def test_the_session_keeps_its_cache_to_itself(store_cache: Path) -> None:
    assert store_cache_dir() == store_cache


def test_a_store_is_built_once_and_reused(tmp_path: Path) -> None:
    data = tmp_path / "supplies.ttl"
    shutil.copy2(REPO / "data" / "supplies.ttl", data)
    first = cached_store([data])
    assert is_store_folder(first)
    files = {p.name: p.stat().st_mtime_ns for p in first.iterdir()}
    assert cached_store([data]) == first
    assert {p.name: p.stat().st_mtime_ns for p in first.iterdir()} == files  # opened again, not rebuilt
    data.write_text(data.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert cached_store([data]) != first  # a changed file makes another store


def test_the_cached_store_answers_as_memory_does(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("supplies-by-market", "timeline", "describe-entity"):
        params = {
            "supplies-by-market": ["--param", "market=North America"],
            "describe-entity": ["--param", "entity=Okazaki plant"],
        }
        assert main(["query", name, *params.get(name, []), "--format", "json"]) == 0
        cached = json.loads(capsys.readouterr().out)
        assert main(["query", name, *params.get(name, []), "--format", "json", "--store", "memory"]) == 0
        memory = json.loads(capsys.readouterr().out)
        assert cached["head"] == memory["head"], name
        key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
        assert sorted(map(key, cached["results"]["bindings"])) == sorted(map(key, memory["results"]["bindings"])), name


def test_only_the_most_recent_stores_are_kept(tmp_path: Path, store_cache: Path) -> None:
    made = []
    for number in range(KEEP + 2):
        data = tmp_path / f"data-{number}.ttl"
        data.write_text(
            f'<https://w3id.org/alliance-kg/id/x/{number}> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .\n',
            encoding="utf-8",
        )
        made.append(cached_store([data]))
    kept = [path for path in made if path.exists()]
    assert made[-1] in kept
    assert len([p for p in store_cache.iterdir() if is_store_folder(p)]) <= KEEP


def test_a_subprocess_query_uses_the_cache(store_cache: Path) -> None:
    """The installed command, twice: the second run finds the store the first one built."""
    command = [sys.executable, "-m", "alliance_kg", "query", "plant-builds-for-another", "--format", "json"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert first.returncode == 0, first.stderr
    before = sorted(p.name for p in store_cache.iterdir())
    second = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["boolean"] is True
    assert sorted(p.name for p in store_cache.iterdir()) == before


def test_memory_stays_the_library_default() -> None:
    from alliance_kg.store import MemoryStore

    assert isinstance(akg.load().store, MemoryStore)
