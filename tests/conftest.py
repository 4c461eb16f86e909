"""Shared fixtures: the project graphs built once per session (shared paths are in ``testpaths``)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from testpaths import REPO

from alliance_kg.build import BuildResult, build
from alliance_kg.loading import ProjectGraphs, load_project


@pytest.fixture(scope="session", autouse=True)
def store_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cached stores of ``alliance-kg query`` (alliance_kg.store_cache) go to a folder of the test session,
    never to the user's cache; commands run as subprocesses inherit it."""
    import os

    folder = tmp_path_factory.mktemp("store-cache")
    os.environ["ALLIANCE_KG_STORE_CACHE"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def project() -> ProjectGraphs:
    """The real project's ontology, shapes and data, parsed once."""
    return load_project()


@pytest.fixture(scope="session")
def project_release(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A release of the real project, built once per session."""
    return build(tmp_path_factory.mktemp("release") / "dist")


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built offline from a copy of the sources (never writing into the checkout)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for folder in ("alliance_kg", "ontology", "data", "queries"):
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "_resources"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out), "."],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("alliance_kg-*.whl")
    return built


@pytest.fixture(scope="session")
def installed_wheel(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns the venv's folder.

    The wheel goes in with the new venv's own pip (ensurepip, offline; ``pip --python`` of pip 23 puts the
    scripts in the wrong venv). The dependencies come from this interpreter's site-packages, added as a plain
    path only after the install: pip would otherwise take an alliance-kg installed there as already satisfying
    the wheel and install nothing.
    """
    import rdflib

    env_dir = tmp_path_factory.mktemp("wheel-venv") / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    new_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(new_site, "dependencies.pth").write_text(str(Path(rdflib.__file__).resolve().parents[1]) + "\n")
    return env_dir


@pytest.fixture(scope="module")
def wikidata_standin() -> Iterator[Any]:
    """The Wikidata stand-in server of ``tests/wikidata/wikidata_standin.py`` on 127.0.0.1, for the tests outside
    that folder (inside it, its ``conftest.py`` gives ``standin``); started once per module."""
    name = "wikidata_standin"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "tests" / "wikidata" / f"{name}.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    state, server, thread = sys.modules[name].start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
