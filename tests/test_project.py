"""Issue 9: commands that change curated files work on a project folder the user owns, never the installed package.

Most tests simulate an install: the packaged data (``alliance_kg/_resources``) points at a temporary "installed"
copy, and the commands run in process inside a temporary checkout or elsewhere. The last ones run the real
non-editable wheel install of ``tests/conftest.py`` (``installed_wheel``) as subprocesses.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from testpaths import REPO

from alliance_kg import resources
from alliance_kg.cli import main
from alliance_kg.errors import InputError
from alliance_kg.project import MARKER, Project, find_project, init_project, require_project
from alliance_kg.wikidata import enrich, sssom
from alliance_kg.wikidata.graph_reads import store_of

KINDS = ("ontology", "data", "queries")
REVIEWER = "orcid:0000-0000-0000-0000"
OCEANIA_LINK = "wd:Q538"  # one of the two candidates for id:region/oceania in the shipped review file


def _copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for kind in KINDS:
        shutil.copytree(REPO / kind, target / kind, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its content and its mode."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest() + oct(path.stat().st_mode)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _review(candidates: Path, object_id: str = OCEANIA_LINK) -> None:
    """Sign the candidate ``object_id`` as a reviewer would (so that ``link --accept`` promotes it)."""
    mapping_set = sssom.read_mapping_set(candidates)
    rows = [
        dataclasses.replace(row, reviewer_id=REVIEWER) if row.object_id == object_id else row
        for row in mapping_set.rows
    ]
    assert rows != list(mapping_set.rows), f"no candidate {object_id} to review in {candidates}"
    sssom.write_mapping_set(mapping_set.with_rows(rows), candidates)


def _linked(links: Path) -> set[str]:
    return {row.object_id for row in sssom.read_mapping_set(links).rows}


@pytest.fixture(autouse=True)
def _umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A simulated installed package's data: ``site-packages/alliance_kg/_resources``, made the packaged copy."""
    root = tmp_path / "site-packages" / "alliance_kg" / "_resources"
    root.parent.mkdir(parents=True)
    _copy_project(root)
    monkeypatch.setattr(resources, "_PACKAGED", root)
    return root


@pytest.fixture
def checkout(tmp_path: Path, installed: Path) -> Path:
    """A source checkout of the project (its own ontology/, data/, queries/ and pyproject.toml)."""
    folder = _copy_project(tmp_path / "checkout")
    shutil.copy2(REPO / "pyproject.toml", folder / "pyproject.toml")
    return folder


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


# --- finding the project -------------------------------------------------------------------------------------


def test_find_project(checkout: Path, elsewhere: Path, installed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(checkout)
    project = find_project()
    assert project == Project(checkout.resolve())
    assert project.mappings == checkout.resolve() / "data" / "mappings"
    assert project.enrichment == checkout.resolve() / "enrichment"
    assert project.queries == checkout.resolve() / "queries"
    assert find_project(elsewhere) is None
    assert find_project(installed) is None  # the packaged copy has data/ and ontology/ but is never a project
    assert find_project(elsewhere, explicit=checkout) == project  # explicit wins
    marked = elsewhere / "marked"
    marked.mkdir()
    (marked / MARKER).write_text("", encoding="utf-8")
    assert find_project(marked) == Project(marked.resolve())
    for bad in (elsewhere, elsewhere / "missing", installed):
        with pytest.raises(InputError, match="alliance-kg init"):
            find_project(explicit=bad)


def test_require_project_says_how_to_make_one(elsewhere: Path) -> None:
    with pytest.raises(InputError, match=r"`alliance-kg init DIR`") as caught:
        require_project(elsewhere, command="link --accept")
    assert "alliance-kg link --accept" in str(caught.value)
    assert caught.value.path == elsewhere


def test_resources_serve_the_project_else_the_packaged_copy(
    checkout: Path, elsewhere: Path, installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(checkout)
    assert resources.resource_root("data") == checkout.resolve() / "data"
    assert all(checkout.resolve() in path.parents for path in resources.data_files())
    assert sssom.links_path() == checkout.resolve() / "data" / "mappings" / sssom.LINKS_FILE
    assert resources.data_source() == f"project {checkout.resolve()}"
    assert enrich.enrichment_file() == checkout.resolve() / "enrichment" / "wikidata.ttl"
    with resources.use_project(None):
        assert resources.resource_root("data") == installed / "data"
    monkeypatch.chdir(elsewhere)
    assert resources.resource_root("ontology") == installed / "ontology"
    assert all(installed in path.parents for path in resources.query_files())
    assert resources.data_source().startswith("packaged data")
    assert enrich.enrichment_file() is None
    with resources.use_project(Project(checkout)):
        assert resources.resource_root("queries") == checkout / "queries"
    assert resources.resource_root("queries") == installed / "queries"


# --- link --accept, link, enrich ---------------------------------------------------------------------------------


def test_accept_in_a_checkout_writes_the_checkout_never_the_package(
    checkout: Path, installed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    links = checkout / "data" / "mappings" / sssom.LINKS_FILE
    _review(checkout / "data" / "mappings" / sssom.CANDIDATES_FILE)
    before = _fingerprint(installed)
    monkeypatch.chdir(checkout)
    assert main(["link", "--accept"]) == 0
    assert f"1 candidate(s) promoted to links in {links.resolve()}" in capsys.readouterr().out
    assert OCEANIA_LINK in _linked(links)
    assert stat.S_IMODE(links.stat().st_mode) == 0o644
    assert _fingerprint(installed) == before
    assert OCEANIA_LINK not in _linked(installed / "data" / "mappings" / sssom.LINKS_FILE)


@pytest.mark.parametrize(
    "argv",
    [["link", "--accept"], ["link", "--entity", "plant/okazaki"], ["enrich"]],
    ids=["accept", "link", "enrich"],
)
def test_writing_commands_outside_a_project_stop(
    argv: list[str],
    elsewhere: Path,
    installed: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _fingerprint(installed)
    # nothing may reach the network either: the error comes first
    argv = [*argv, "--wikidata-api", "http://127.0.0.1:9/w/api.php", "--wikidata-sparql", "http://127.0.0.1:9/sparql"]
    for folder in (elsewhere, installed, installed / "data" / "mappings"):
        monkeypatch.chdir(folder)
        assert main([*argv, "--cache-dir", str(elsewhere / "cache")]) == 2
        err = capsys.readouterr().err
        assert "not in an alliance-kg project" in err
        assert "alliance-kg init DIR" in err
        assert "Traceback" not in err
    assert _fingerprint(installed) == before
    assert list(elsewhere.iterdir()) == []


def test_project_option_naming_the_package_is_refused(
    installed: Path, elsewhere: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(elsewhere)
    assert main(["link", "--accept", "--project", str(installed)]) == 2
    assert "read-only copy" in capsys.readouterr().err
    # a links file named inside the package is refused too, before anything is written
    before = _fingerprint(installed)
    target = installed / "data" / "mappings" / sssom.LINKS_FILE
    candidates = Path(shutil.copy(installed / "data" / "mappings" / sssom.CANDIDATES_FILE, elsewhere / "c.tsv"))
    _review(candidates)
    assert main(["link", "--accept", "--links", str(target), "--candidates", str(candidates)]) == 2
    assert "installed alliance-kg package" in capsys.readouterr().err
    with pytest.raises(InputError, match="installed alliance-kg package"):
        sssom.write_mapping_set(sssom.read_mapping_set(target), target)
    assert _fingerprint(installed) == before


def test_project_option_wins_over_the_current_directory(
    checkout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    assert main(["init", str(other)]) == 0
    _review(other / "data" / "mappings" / sssom.CANDIDATES_FILE)
    _review(checkout / "data" / "mappings" / sssom.CANDIDATES_FILE)
    checkout_before = _fingerprint(checkout)
    monkeypatch.chdir(checkout)
    assert main(["link", "--accept", "--project", str(other)]) == 0
    assert OCEANIA_LINK in _linked(other / "data" / "mappings" / sssom.LINKS_FILE)
    assert _fingerprint(checkout) == checkout_before


def test_enrich_writes_the_projects_enrichment(
    checkout: Path, elsewhere: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from rdflib import Graph

    seen: list[Path] = []

    def fetch(qids: list[str], client: object, **kwargs: object) -> enrich.Enrichment:
        seen.extend(resources.data_files())
        return enrich.Enrichment(Graph(), "http://127.0.0.1:9/sparql", datetime.now(UTC), tuple(qids))

    monkeypatch.setattr(enrich, "fetch_enrichment", fetch)
    monkeypatch.setenv("ALLIANCE_KG_CACHE_DIR", str(checkout.parent / "cache"))
    monkeypatch.chdir(elsewhere)
    assert main(["enrich", "--project", str(checkout)]) == 0
    written = checkout / "enrichment" / "wikidata.ttl"
    assert f"written to {written.resolve()}" in capsys.readouterr().out
    assert written.read_text(encoding="utf-8").startswith("# Wikidata enrichment")
    assert seen
    assert all(checkout.resolve() in path.parents for path in seen)  # the project's data was read
    assert list(elsewhere.iterdir()) == []
    monkeypatch.chdir(checkout)
    with closing(store_of(Graph())) as empty:
        assert enrich.for_build(empty).path == written.resolve()  # what build then includes
    assert enrich.load_enrichment() is not None


# --- init --------------------------------------------------------------------------------------------------------


def test_init_makes_a_project_that_validate_and_link_report_accept(
    installed: Path, elsewhere: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = elsewhere / "mine"
    monkeypatch.chdir(elsewhere)
    assert main(["init", "mine"]) == 0
    assert f"made the project {folder.resolve()}" in capsys.readouterr().out
    assert (folder / MARKER).is_file()
    for kind in KINDS:
        assert _fingerprint(folder / kind).keys() == _fingerprint(installed / kind).keys()
    assert (folder / "data" / "mappings" / sssom.LINKS_FILE).read_bytes() == (
        installed / "data" / "mappings" / sssom.LINKS_FILE
    ).read_bytes()
    assert stat.S_IMODE((folder / "data" / "mappings" / sssom.LINKS_FILE).stat().st_mode) == 0o644
    assert [p.name for p in elsewhere.iterdir()] == ["mine"]  # no temporary folder left beside it

    # read-only commands say which data they read: outside a project the packaged copy, inside it the project's
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith(f"Data: packaged data ({installed})")
    monkeypatch.chdir(folder)
    assert main(["link", "--report"]) == 0
    assert capsys.readouterr().out.startswith("Wikidata links: 12 linked, 1 to review")
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Data: project {folder.resolve()}\nConforms: yes")
    assert main(["query", "timeline", "--store", "memory"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"data: project {folder.resolve()}"
    assert main(["query", "--help"]) == 0
    assert f"here: project {folder.resolve()}" in " ".join(capsys.readouterr().out.split())

    # validate reads the project's data, not the packaged copy: break the project and it says so
    (folder / "data" / "broken.ttl").write_text(
        "@prefix akg: <https://w3id.org/alliance-kg/ontology#> .\n"
        "<https://w3id.org/alliance-kg/id/plant/x> a akg:Plant, akg:Manufacturer .\n",
        encoding="utf-8",
    )
    assert main(["validate"]) == 1
    assert "id:plant/x" in capsys.readouterr().out


def test_init_refuses_a_folder_that_is_not_empty(
    installed: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = elsewhere / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(full)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in full.iterdir()] == ["notes.txt"]
    afile = elsewhere / "a-file"
    afile.write_text("x", encoding="utf-8")
    assert main(["init", str(afile)]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert main(["init", str(installed / "data" / "x")]) == 2
    assert "installed alliance-kg package" in capsys.readouterr().err
    empty = elsewhere / "empty"
    empty.mkdir()
    assert main(["init", str(empty)]) == 0
    assert find_project(empty) is not None


def test_init_is_atomic(installed: Path, elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_copy = shutil.copyfile

    def failing(source: Path, target: Path) -> object:
        calls.append(str(source))
        if len(calls) > 5:
            raise OSError(28, "No space left on device")
        return real_copy(source, target)

    monkeypatch.setattr(shutil, "copyfile", failing)
    with pytest.raises(InputError, match="No space left on device"):
        init_project(elsewhere / "mine")
    assert list(elsewhere.iterdir()) == []


# --- the real wheel install --------------------------------------------------------------------------------------


def _run(script: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(
        [str(script), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )


def _site_packages_data(env_dir: Path) -> Path:
    [found] = env_dir.glob("lib/python3*/site-packages/alliance_kg/_resources")
    return found


def test_installed_wheel_writes_the_checkout_not_site_packages(installed_wheel: Path, tmp_path: Path) -> None:
    script = installed_wheel / "bin" / "alliance-kg"
    packaged = _site_packages_data(installed_wheel)
    before = _fingerprint(packaged)
    checkout = _copy_project(tmp_path / "checkout")
    shutil.copy2(REPO / "pyproject.toml", checkout / "pyproject.toml")
    links = checkout / "data" / "mappings" / sssom.LINKS_FILE
    links.chmod(0o644)
    _review(checkout / "data" / "mappings" / sssom.CANDIDATES_FILE)

    done = _run(script, "link", "--accept", cwd=checkout)
    assert done.returncode == 0, done.stderr
    assert f"promoted to links in {links.resolve()}" in done.stdout
    assert OCEANIA_LINK in _linked(links)
    assert stat.S_IMODE(links.stat().st_mode) == 0o644
    assert _fingerprint(packaged) == before

    outside = tmp_path / "outside"
    outside.mkdir()
    done = _run(script, "link", "--accept", cwd=outside)
    assert done.returncode == 2
    assert "alliance-kg init DIR" in done.stderr
    assert "Traceback" not in done.stderr
    assert _run(script, "link", "--accept", cwd=packaged).returncode == 2  # the packaged copy is not a project
    assert _fingerprint(packaged) == before

    assert _run(script, "init", "mine", cwd=outside).returncode == 0
    mine = outside / "mine"
    report = _run(script, "link", "--report", cwd=mine)
    assert report.returncode == 0, report.stderr
    assert report.stdout.startswith("Wikidata links: 12 linked, 1 to review")
    validated = _run(script, "validate", cwd=mine)
    assert validated.returncode == 0, validated.stderr
    assert "Conforms: yes" in validated.stdout
    assert _fingerprint(packaged) == before
