"""The public surface of alliance_kg.wikidata and its modules: ``__all__`` and what is defined agree."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import alliance_kg.wikidata

MODULES = ["sssom", "client", "reconcile", "enrich", "federation"]


def test_package_all() -> None:
    assert sorted(alliance_kg.wikidata.__all__) == alliance_kg.wikidata.__all__
    for name in alliance_kg.wikidata.__all__:
        assert getattr(alliance_kg.wikidata, name) is not None
    with pytest.raises(AttributeError):
        _ = alliance_kg.wikidata.nothing_here


@pytest.mark.parametrize("name", MODULES)
def test_module_all(name: str) -> None:
    module = importlib.import_module(f"alliance_kg.wikidata.{name}")
    for exported in module.__all__:
        assert hasattr(module, exported), exported
    public = {
        key
        for key, value in vars(module).items()
        if not key.startswith("_") and getattr(value, "__module__", None) == module.__name__
    }
    assert public - set(module.__all__) == set()


def test_import_is_cheap() -> None:
    code = (
        "import sys, alliance_kg.wikidata\n"
        "print(sorted(m for m in ('rdflib', 'yaml', 'urllib.request') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
