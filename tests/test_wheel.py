"""The data files reach an installed wheel: build it, install it in a fresh venv, load from there."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from testpaths import REPO

CHECK = """
import json, sys
from pathlib import Path
import alliance_kg
from alliance_kg import resources
from alliance_kg.loading import parse_files
root = Path(alliance_kg.__file__).resolve().parent / "_resources"
found = {
    "ontology": [str(p) for p in resources.ontology_files()],
    "data": [str(p) for p in resources.data_files()],
    "queries": [str(p) for p in resources.query_files()],
}
assert all(p.startswith(str(root)) for files in found.values() for p in files), found
triples = len(parse_files(resources.ontology_files() + resources.data_files()))
print(json.dumps({"version": alliance_kg.__version__, "triples": triples,
                  "counts": {k: len(v) for k, v in found.items()}}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Copy the sources so the build never writes into the checkout other people work in.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        if (REPO / name).exists():
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


def test_wheel_contains_the_data(wheel: Path) -> None:
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    for kind in ("ontology", "data", "queries"):
        assert any(n.startswith(f"alliance_kg/_resources/{kind}/") for n in names), kind
    assert "alliance_kg/py.typed" in names


def test_installed_wheel_loads_packaged_files(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)  # ensurepip: offline
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # The dependencies come from this interpreter's site-packages, added as a plain path after the new venv's
    # own (no download). Added only after the install: pip would otherwise see the alliance-kg installed there
    # (the checkout's own install) as already satisfying the wheel and install nothing.
    import rdflib

    new_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(new_site, "dependencies.pth").write_text(str(Path(rdflib.__file__).resolve().parents[1]) + "\n")
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    # -I: isolated mode, so neither the checkout nor an editable install can be picked up
    done = subprocess.run(
        [str(python), "-I", "-c", CHECK], cwd=workdir, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert '"version": "0.1.0"' in done.stdout
    script = env_dir / "bin" / "alliance-kg"
    assert subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True).stdout.strip() == (
        "alliance-kg 0.1.0"
    )
