from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from testpaths import FIXTURES, MINI_ONTOLOGY, MINI_SHAPES, REPO

from alliance_kg import __version__, resources
from alliance_kg.cli import COMMANDS, main

BIN = Path(sys.executable).parent


@pytest.fixture
def mini_project(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the 'project' the small fixture ontology, shapes and good facts."""
    monkeypatch.setattr(resources, "ontology_files", lambda: [MINI_ONTOLOGY])
    monkeypatch.setattr(resources, "shape_files", lambda: [MINI_SHAPES])
    monkeypatch.setattr(resources, "data_files", lambda: [FIXTURES / "facts-good.ttl"])


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"alliance-kg {__version__}"


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["validate", "--help"]])
def test_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    assert "usage: alliance-kg" in capsys.readouterr().out


def test_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.usefixtures("mini_project")
def test_validate_project_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "Conforms: yes" in out
    assert "Consistent: yes" in out


@pytest.mark.usefixtures("mini_project")
def test_validate_files_with_violations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(FIXTURES / "facts-invalid.ttl")]) == 1
    out = capsys.readouterr().out
    assert "Violation: id:plant/z" in out
    assert "path:    akg:name" in out
    assert 'value:   "42"^^xsd:integer' in out
    assert "message: A plant has exactly one name (a string)." in out


@pytest.mark.usefixtures("mini_project")
def test_validate_inconsistent(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(FIXTURES / "facts-disjoint.ttl")]) == 1
    out = capsys.readouterr().out
    assert "Inconsistency: id:plant/x is both akg:Manufacturer and akg:Plant" in out


@pytest.mark.usefixtures("mini_project")
def test_validate_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", str(FIXTURES / "facts-invalid.ttl")]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["conforms"] is False
    assert document["consistent"] is True
    assert {r["focus"] for r in document["results"]} == {"id:plant/w", "id:plant/z"}


@pytest.mark.usefixtures("mini_project")
def test_validate_malformed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\n\nex:a ex:b .\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    captured = capsys.readouterr()
    assert f"{bad}:3:" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


@pytest.mark.usefixtures("mini_project")
def test_validate_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "missing.ttl")]) == 2
    assert "missing.ttl: no such file" in capsys.readouterr().err


@pytest.mark.usefixtures("mini_project")
def test_build_and_rejected_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dist"
    assert main(["build", "--out", str(out)]) == 0
    assert "conforms: yes" in capsys.readouterr().out
    before = (out / "summary.json").read_bytes()
    assert main(["build", "--out", str(out), "--data", str(FIXTURES / "facts-invalid.ttl")]) == 1
    captured = capsys.readouterr()
    assert "Violation: id:plant/z" in captured.out
    assert "left unchanged" in captured.err
    assert (out / "summary.json").read_bytes() == before


def test_keyboard_interrupt(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import alliance_kg.cli.validate as validate_command

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(validate_command, "run", interrupted)
    assert main(["validate"]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_commands_import_nothing_heavy() -> None:
    """``--help`` loads every command module; none may import rdflib & co at import time."""
    code = (
        "import sys\n"
        "from alliance_kg.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "finally:\n"
        "    heavy = sorted(m for m in ('rdflib', 'pyshacl', 'owlrl', 'networkx') if m in sys.modules)\n"
        "    print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr
    assert len(COMMANDS) >= 2


def run(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, cwd=cwd, check=False, timeout=120)


def test_python_dash_m(tmp_path: Path) -> None:
    done = run(sys.executable, "-m", "alliance_kg", "--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"alliance-kg {__version__}"
    done = run(sys.executable, "-m", "alliance_kg", "validate", str(tmp_path / "missing.ttl"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "error:" in done.stderr


def console_scripts() -> list[str]:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return sorted(pyproject["project"]["scripts"])


@pytest.mark.parametrize("script", console_scripts())
def test_every_console_script_runs(script: str) -> None:
    path = BIN / script
    assert path.exists(), f"{script} is not installed next to {sys.executable}; pip install -e ."
    done = run(str(path), "--help")
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
    for command in ("build", "validate"):
        done = run(str(path), command, "--help")
        assert done.returncode == 0, done.stderr


def test_installed_script_exit_codes(tmp_path: Path) -> None:
    script = str(BIN / "alliance-kg")
    assert run(script, "--version").returncode == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text("not turtle at all", encoding="utf-8")
    done = run(script, "validate", str(bad), cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{os.fspath(bad)}:1:1: " in done.stderr  # the file, line and column of the error


def test_validate_new_facts_with_project_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A new fact file that refers to the project's entities conforms only with --with-data."""
    plant = tmp_path / "new-plant.ttl"
    plant.write_text(
        """@prefix akg: <https://w3id.org/alliance-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/alliance-kg/id/plant/mizushima> a akg:Plant ;
    rdfs:label "Mizushima plant"@en , "usine de Mizushima"@fr ;
    akg:operator <https://w3id.org/alliance-kg/id/manufacturer/mitsubishi-motors> ;
    akg:country <https://w3id.org/alliance-kg/id/country/japan> ;
    prov:wasDerivedFrom <https://w3id.org/alliance-kg/id/source/mitsubishi-nissan-oem-2026> .
""",
        encoding="utf-8",
    )
    assert main(["validate", str(plant)]) == 1
    assert "akg:operator" in capsys.readouterr().out
    assert main(["validate", "--with-data", str(plant)]) == 0
    assert "Conforms: yes" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1", "soon"])
def test_timeouts_must_be_finite_positive_seconds(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["query", "timeline"], ["serve"]):
        assert main([*command, "--timeout", value]) == 2
        assert "argument --timeout" in capsys.readouterr().err
