"""The data files reach an installed wheel: build it, install it in a fresh venv, load from there."""

from __future__ import annotations

import subprocess
from pathlib import Path

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


def test_wheel_contains_the_data(wheel: Path) -> None:
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    for kind in ("ontology", "data", "queries"):
        assert any(n.startswith(f"alliance_kg/_resources/{kind}/") for n in names), kind
    assert "alliance_kg/py.typed" in names


def test_installed_wheel_loads_packaged_files(installed_wheel: Path, tmp_path: Path) -> None:
    env_dir = installed_wheel
    python = env_dir / "bin" / "python"
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
