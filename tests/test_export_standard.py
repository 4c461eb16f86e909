"""The release's standard exports, and the export package's data files (queries, viewer, library) in the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph

from alliance_kg.export import STANDARD_EXPORTS, read, write_standard_exports
from alliance_kg.loading import ProjectGraphs
from alliance_kg.reasoning import reason

PACKAGE = Path(__file__).resolve().parents[1] / "alliance_kg" / "export"


@pytest.fixture(scope="module")
def graphs(project: ProjectGraphs) -> tuple[Graph, Graph]:
    asserted = Graph()
    for part in (project.ontology, project.facts):
        for triple in part:
            asserted.add(triple)
    return asserted, reason(asserted).inferred


def test_write_standard_exports(graphs: tuple[Graph, Graph], tmp_path: Path) -> None:
    asserted, inferred = graphs
    before = (set(asserted), set(inferred))
    out = tmp_path / "release" / "exports"
    written = write_standard_exports(asserted, inferred, out)
    names = sorted(p.name for p in written)
    assert names == sorted(p.name for p in out.iterdir()), "exactly the files it reports, no temporary files"
    for expected in (
        "alliance-kg-supply.graphml",
        "alliance-kg-supply.gexf",
        "alliance-kg-supply.json",
        "alliance-kg-supply.cyjs",
        "alliance-kg-supply-nodes.csv",
        "alliance-kg-supply-edges.csv",
        "alliance-kg-supply.png",
        "alliance-kg-supply.svg",
        "alliance-kg-footprint.gexf",
        "alliance-kg-entities.graphml",
        "alliance-kg-entities.html",
        "alliance-kg-timeline.png",
        "alliance-kg-timeline.svg",
    ):
        assert expected in names
    assert len(written) == len(STANDARD_EXPORTS) + 1 + 2  # csv is two files; two timelines
    entities = read(out / "alliance-kg-entities.graphml", "graphml")
    assert any(data["inferred"] for _, _, data in entities.edges(data=True))
    # the 4 supplies; the 2 agreements in Japan have no direction (issue 10)
    assert read(out / "alliance-kg-supply.csv", "csv").number_of_edges() == 4
    assert (set(asserted), set(inferred)) == before


def test_package_files_reach_the_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = [path.relative_to(PACKAGE.parents[1]).as_posix() for path in PACKAGE.rglob("*") if path.is_file()]
    expected = [name for name in expected if "__pycache__" not in name]
    assert {name for name in expected if not name.endswith(".py")} >= {
        "alliance_kg/export/viewer.html",
        "alliance_kg/export/vendor/cytoscape.min.js",
        "alliance_kg/export/vendor/cytoscape.LICENSE",
        "alliance_kg/export/views/supplies.rq",
    }
    assert set(expected) <= names


def test_installed_wheel_exports(installed_wheel: Path, tmp_path: Path) -> None:
    env_dir = installed_wheel
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    script = env_dir / "bin" / "alliance-kg"
    for name in ("supply.html", "supply.gexf"):
        done = subprocess.run(
            [str(script), "export", "-o", name], cwd=workdir, capture_output=True, text=True, check=False, timeout=300
        )
        assert done.returncode == 0, done.stderr
        assert (workdir / name).stat().st_size > 1000
    assert "cytoscape" in (workdir / "supply.html").read_text(encoding="utf-8")


def test_public_surface() -> None:
    import types

    import alliance_kg.export as export

    for name in export.__all__:
        assert getattr(export, name) is not None, name
    public = {
        name
        for name in dir(export)
        if not name.startswith("_") and not isinstance(getattr(export, name), types.ModuleType)
    }
    assert public - set(export.__all__) == set()


def test_import_is_light() -> None:
    code = (
        "import sys, alliance_kg.export\n"
        "print(sorted(m for m in ('rdflib', 'networkx', 'matplotlib') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
