"""``alliance-kg add SHEET``: validates before writing, writes nothing on error or with --dry-run (no temporaries
left), writes the same bytes twice, and reports errors with the sheet, the line and the field (exit 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alliance_kg.cli import EXIT_ERROR, EXIT_FAILED, EXIT_OK, main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sheets"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project of its own: a copy of the checkout's ontology and data."""
    folder = tmp_path / "project"
    for part in ("ontology", "data"):
        shutil.copytree(ROOT / part, folder / part)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden temporaries included) with its bytes."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_add_is_registered_and_documented(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == EXIT_OK
    assert "add" in capsys.readouterr().out
    assert main(["add", "--help"]) == EXIT_OK
    assert "--dry-run" in capsys.readouterr().out


def test_add_writes_the_compiled_sheet_and_the_same_bytes_twice(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = FIXTURES / "good.yaml"
    target = project / "data" / "claims" / "fixture-good.ttl"
    assert main(["add", str(sheet), "--project", str(project)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("wrote data/claims/fixture-good.ttl: source:fixture-good, 3 claims, 1 new entities")
    assert "vehicle:fixture-crossover (Fixture Crossover)" in out
    first = target.read_bytes()
    assert b"# The claims of example.org (source:fixture-good)" in first
    assert main(["add", str(sheet), "--project", str(project)]) == EXIT_OK
    assert capsys.readouterr().out.startswith("unchanged data/claims/fixture-good.ttl")
    assert target.read_bytes() == first
    assert not [path for path in target.parent.iterdir() if ".akg-" in path.name]


def test_dry_run_prints_the_turtle_and_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(project)
    assert main(["add", str(FIXTURES / "good.yaml"), "--dry-run", "--project", str(project)]) == EXIT_OK
    captured = capsys.readouterr()
    assert "akg:Claim" in captured.out
    assert "vehicle:fixture-crossover" in captured.out
    assert captured.err.startswith("would write data/claims/fixture-good.ttl")
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("bad-property.yaml", "bad-property.yaml:16: claims[2].property:"),
        ("ambiguous.yaml", "ambiguous.yaml:11: claims[1].subject:"),
        ("unknown.yaml", "unknown.yaml:13: claims[1].value:"),
    ],
)
def test_an_error_names_the_sheet_line_and_field_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, where: str
) -> None:
    sheet = project / name
    shutil.copy(FIXTURES / name, sheet)
    sheet_bytes = sheet.read_bytes()
    before = snapshot(project)
    assert main(["add", str(sheet), "--project", str(project)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith("alliance-kg add: error: ")
    assert where in err
    assert "Traceback" not in err
    assert sheet.read_bytes() == sheet_bytes
    assert snapshot(project) == before


def test_data_the_shapes_reject_is_not_written(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(project)
    assert main(["add", str(FIXTURES / "rejected.yaml"), "--project", str(project)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "does not conform or is inconsistent; nothing written" in err
    assert "rejected.yaml:12: entities[1]" in err  # the new plant, without a country
    assert "akg:country" in err
    assert snapshot(project) == before


def test_a_sheet_that_is_not_there_and_a_folder_that_is_no_project(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", str(tmp_path / "missing.yaml"), "--project", str(project)]) == EXIT_ERROR
    assert "missing.yaml: cannot read the sheet" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["add", str(FIXTURES / "good.yaml"), "--project", str(empty)]) == EXIT_ERROR
    assert "is not an alliance-kg project" in capsys.readouterr().err
    assert list(empty.iterdir()) == []


def test_a_committed_report_is_added_unchanged(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = ROOT / "sheets" / "media90-2026-01.yaml"
    target = project / "data" / "claims" / "media90-2026-01.ttl"
    committed = target.read_bytes()
    target.unlink()
    assert main(["add", str(sheet), "--project", str(project)]) == EXIT_OK
    capsys.readouterr()
    # the header names the sheet by its path in the project when it lies in it, else by its name
    assert target.read_bytes() == committed.replace(b"sheets/media90-2026-01.yaml", b"media90-2026-01.yaml")
