"""``alliance-kg export``: every format from the command line, clear errors with exit 2, nothing heavy at --help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from testpaths import REPO

from alliance_kg.cli import main
from alliance_kg.cli.export import FORMAT_NAMES, VIEW_NAMES
from alliance_kg.export import FORMATS, VIEWS, read


def test_names_agree_with_the_api() -> None:
    assert tuple(VIEWS) == VIEW_NAMES
    assert (*FORMATS, "timeline") == FORMAT_NAMES


@pytest.mark.parametrize("format", ["graphml", "gexf", "json", "cyjs", "png", "svg", "html"])
def test_export_supply(format: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"supply.{format}"
    assert main(["export", "--view", "supply", "--format", format, "-o", str(out)]) == 0
    assert out.is_file()
    assert out.stat().st_size > 1000
    printed = capsys.readouterr().out
    # 4 supplies: the kei and light-commercial-vehicle agreements have no stated direction (issue 10); 3
    # manufacturers: Laem Chabang's operator is Mitsubishi Motors' Thai subsidiary (issue 10)
    assert "supply view: 3 nodes, 4 edges" in printed
    assert f"wrote {out}" in printed
    assert [p.name for p in tmp_path.iterdir()] == [out.name], "no temporary file left"


def test_export_csv_and_read_back(tmp_path: Path) -> None:
    assert main(["export", "--view", "footprint", "--format", "csv", "-o", str(tmp_path / "footprint.csv")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["footprint-edges.csv", "footprint-nodes.csv"]
    # 3 plants, their 3 countries and 4 markets: Australia is the Navara's market too (issue 10; was 9 nodes)
    assert read(tmp_path / "footprint.csv", "csv").number_of_nodes() == 10


def test_format_from_the_file_name(tmp_path: Path) -> None:
    assert main(["export", "--view", "footprint", "-o", str(tmp_path / "footprint.gexf")]) == 0
    # 3 plant -> country and 4 plant -> market edges: Laem Chabang builds for Australia too (issue 10; was 6)
    assert read(tmp_path / "footprint.gexf", "gexf").number_of_edges() == 7


def test_entities_with_inferences_in_french(tmp_path: Path) -> None:
    out = tmp_path / "entities.json"
    assert main(["export", "--view", "entities", "--inferred", "--lang", "fr", "-o", str(out)]) == 0
    graph = read(out, "json")
    assert graph.graph == {"view": "entities", "lang": "fr"}
    assert graph.nodes["https://w3id.org/alliance-kg/id/country/japan"]["label"] == "Japon"
    assert any(data["inferred"] for _, _, data in graph.edges(data=True))


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_timeline(suffix: str, tmp_path: Path) -> None:
    out = tmp_path / f"timeline.{suffix}"
    assert main(["export", "--format", "timeline", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG" if suffix == "png" else b"<?xml")


def test_data_files(tmp_path: Path) -> None:
    out = tmp_path / "supply.json"
    data = [str(REPO / "data" / name) for name in ("organisations.ttl", "supplies.ttl", "vehicles.ttl", "places.ttl")]
    # a supply's supplier and customer are the sources' claims now, reconciled on load (issue 10): the claims too
    claims = [str(path) for path in sorted((REPO / "data" / "claims").glob("*.ttl"))]
    assert claims
    assert main(["export", "--data", *data, *claims, "-o", str(out)]) == 0
    # the 4 supplies; the 2 agreements in Japan have no direction (issue 10)
    assert read(out, "json").number_of_edges() == 4


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--view", "nope"], "unknown view 'nope'"),
        (["--format", "dot"], "unknown format 'dot'"),
        (["--lang", "de"], "unknown language 'de'"),
        (["--format", "timeline", "--view", "entities"], "the timeline shows the supply view"),
    ],
)
def test_bad_arguments(argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", *argv, "-o", str(tmp_path / "out.png")]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_unknown_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "-o", str(tmp_path / "out.foo")]) == 2
    assert "unknown format 'foo'" in capsys.readouterr().err


def test_unwritable_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "-o", str(tmp_path / "missing" / "x.gexf")]) == 2
    assert "the folder to write into does not exist" in capsys.readouterr().err
    assert main(["export", "--format", "gexf", "-o", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_folder_that_refuses_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)  # what a read-only folder does (root would not see it)
    assert main(["export", "-o", str(tmp_path / "x.gexf")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'x.gexf'}: cannot write here: Permission denied" in err
    assert list(tmp_path.iterdir()) == []


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from alliance_kg.cli import main\n"
        "main(['export', '--help'])\n"
        "heavy = sorted(m for m in ('rdflib', 'networkx', 'matplotlib', 'selenium') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr
    assert "--inferred" in done.stdout
