"""The public surface: ``__all__`` and what is importable agree (as in httpx's test_exported_members)."""

from __future__ import annotations

import subprocess
import sys
import types

import alliance_kg


def test_all_names_are_importable() -> None:
    for name in alliance_kg.__all__:
        assert getattr(alliance_kg, name) is not None, name


def test_public_names_are_in_all() -> None:
    public = {
        name
        for name in dir(alliance_kg)
        if not name.startswith("_") and not isinstance(getattr(alliance_kg, name), types.ModuleType)
    }
    assert public - set(alliance_kg.__all__) == set()
    assert len(set(alliance_kg.__all__)) == len(alliance_kg.__all__)


def test_import_is_light() -> None:
    code = (
        "import sys, alliance_kg; print(sorted(m for m in ('rdflib','pyshacl','owlrl','networkx') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_version_is_the_one_string() -> None:
    from importlib.metadata import version

    assert version("alliance-kg") == alliance_kg.__version__
