from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF
from testpaths import FIXTURES, REPO, mini_build_kwargs

from alliance_kg.build import ENRICHMENT_FILE, RELEASE_FILES, BuildResult, build
from alliance_kg.errors import BuildError, RDFSyntaxError, RejectedBuildError
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY
from alliance_kg.store import quiet_dataset_warnings


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def mini_build(out: Path, facts: str = "good") -> BuildResult:
    return build(out, data_paths=[FIXTURES / f"facts-{facts}.ttl"], **mini_build_kwargs())


def test_release_files(tmp_path: Path) -> None:
    result = mini_build(tmp_path / "dist")
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == sorted([*RELEASE_FILES, "exports"])
    assert result.files[: len(RELEASE_FILES)] == tuple(tmp_path / "dist" / name for name in RELEASE_FILES)
    exports = result.files[len(RELEASE_FILES) :]
    assert {p.parent for p in exports} == {tmp_path / "dist" / "exports"}
    assert sorted(exports) == sorted((tmp_path / "dist" / "exports").iterdir())
    assert {p.suffix for p in exports} >= {".graphml", ".gexf", ".json", ".png", ".svg", ".html"}
    # a release is for everyone to read (mkstemp and mkdtemp would make it private)
    for path in (tmp_path / "dist", tmp_path / "dist" / "exports", *result.files):
        assert path.stat().st_mode & 0o044 == 0o044, path
    asserted = Graph().parse(tmp_path / "dist" / "alliance-kg.ttl")
    nt = Graph().parse(tmp_path / "dist" / "alliance-kg.nt")
    inferred = Graph().parse(tmp_path / "dist" / "alliance-kg-inferred.ttl")
    assert len(asserted) == len(nt) == result.summary["triples"]["asserted"]
    assert len(inferred) == result.summary["triples"]["inferred"] > 0
    assert not set(asserted) & set(inferred)
    lines = (tmp_path / "dist" / "alliance-kg.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    dataset = Dataset()
    trig = (tmp_path / "dist" / "alliance-kg.trig").read_text(encoding="utf-8")
    with quiet_dataset_warnings():
        dataset.parse(data=trig, format="trig")
        sizes = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    assert sizes == {
        GRAPH_ONTOLOGY: result.summary["triples"]["ontology"],
        GRAPH_FACTS: result.summary["triples"]["facts"],
        GRAPH_INFERRED: result.summary["triples"]["inferred"],
    }
    summary = json.loads((tmp_path / "dist" / "summary.json").read_text(encoding="utf-8"))
    assert summary["conforms"] is True
    assert summary["consistent"] is True
    assert summary["entities"]["akg:Plant"] == {"direct": 1, "with_inferred": 1}
    assert summary["entities"]["akg:Manufacturer"] == {"direct": 0, "with_inferred": 1}
    assert summary["entities"]["akg:Organization"] == {"direct": 0, "with_inferred": 1}
    text = result.summary_text()
    assert "akg:Manufacturer" in text
    assert "conforms: yes" in text


def test_deterministic(tmp_path: Path) -> None:
    mini_build(tmp_path / "one")
    mini_build(tmp_path / "two")
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_deterministic_across_processes(tmp_path: Path) -> None:
    """Another interpreter (another hash seed) writes the same bytes."""
    mini_build(tmp_path / "here")
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]);"
        "from testpaths import mini_build_kwargs, FIXTURES;"
        "from alliance_kg.build import build;"
        "build(Path(sys.argv[1]), data_paths=[FIXTURES / 'facts-good.ttl'], **mini_build_kwargs())"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "there"), str(REPO / "tests")],
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )
    assert snapshot(tmp_path / "here") == snapshot(tmp_path / "there")


def test_rebuild_replaces_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    mini_build(out)
    (out / "exports" / "stale.png").write_text("old", encoding="utf-8")
    mini_build(out)
    assert not (out / "exports" / "stale.png").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]


@pytest.mark.parametrize(
    ("facts", "error"),
    [("invalid", RejectedBuildError), ("disjoint", RejectedBuildError)],
)
def test_rejected_build_keeps_previous_release(tmp_path: Path, facts: str, error: type[Exception]) -> None:
    out = tmp_path / "dist"
    mini_build(out)
    before = snapshot(out)
    with pytest.raises(error) as caught:
        mini_build(out, facts)
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]
    assert isinstance(caught.value, RejectedBuildError)
    if facts == "invalid":
        assert caught.value.report is not None
        assert not caught.value.report.conforms
    else:
        assert caught.value.inconsistencies


def test_bad_data_file_keeps_previous_release(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    mini_build(out)
    before = snapshot(out)
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(RDFSyntaxError):
        build(out, data_paths=[bad], **mini_build_kwargs())
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl", "dist"]


def test_failed_write_keeps_previous_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import alliance_kg.build as build_module

    out = tmp_path / "dist"
    mini_build(out)
    before = snapshot(out)
    calls = {"n": 0}
    real_write = build_module._write

    def failing_write(path: Path, content: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        real_write(path, content)

    monkeypatch.setattr(build_module, "_write", failing_write)
    with pytest.raises(build_module.BuildError, match="No space left"):
        mini_build(out)
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]


# -- the real project --------------------------------------------------------


def test_project_release(project_release: BuildResult) -> None:
    summary = project_release.summary
    assert summary["conforms"] is True
    assert summary["consistent"] is True
    assert summary["entities"]["akg:OEMSupply"]["direct"] >= 1
    assert summary["triples"]["asserted"] > 0
    assert summary["triples"]["inferred"] > 0
    written = json.loads((project_release.out_dir / "summary.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(summary))
    asserted = Graph().parse(project_release.out_dir / "alliance-kg.nt")
    assert len(asserted) == summary["triples"]["asserted"]
    assert (None, None, URIRef("https://w3id.org/alliance-kg/ontology#OEMSupply")) in asserted


def test_build_includes_wikidata_enrichment_apart_and_warns(tmp_path: Path, project_release: BuildResult) -> None:
    """An enrichment file (as `alliance-kg enrich` writes it) lands as its own named graph and file; where it
    disagrees with the facts (Jakarta in Japan), the build warns; the facts and inferences are unchanged."""
    enrichment = tmp_path / "wikidata.ttl"
    enrichment.write_text(
        "@prefix wd: <http://www.wikidata.org/entity/> .\n"
        "@prefix wdt: <http://www.wikidata.org/prop/direct/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'wd:Q3630 wdt:P17 wd:Q17 ; rdfs:label "ジャカルタ"@ja .\n'
        'wd:Q17 rdfs:label "Japan"@en .\n',
        encoding="utf-8",
    )
    enriched = build(tmp_path / "enriched", enrichment_path=enrichment)
    assert [w for w in enriched.warnings if "id:city/jakarta" in w and "wd:Q17" in w]
    assert json.loads((tmp_path / "enriched" / "summary.json").read_text())["warnings"] == list(enriched.warnings)
    assert (tmp_path / "enriched" / ENRICHMENT_FILE).is_file()
    plain = project_release.out_dir
    for name in ("alliance-kg.nt", "alliance-kg-inferred.ttl"):
        assert (plain / name).read_bytes() == (tmp_path / "enriched" / name).read_bytes()
    dataset = Dataset()
    with quiet_dataset_warnings():
        dataset.parse(tmp_path / "enriched" / "alliance-kg.trig", format="trig")
        names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert "https://w3id.org/alliance-kg/graph/wikidata-enrichment" in names


def test_build_without_enrichment_file_has_no_enrichment(tmp_path: Path) -> None:
    result = build(
        tmp_path / "dist",
        data_paths=[FIXTURES / "facts-good.ttl"],
        enrichment_path=tmp_path / "absent.ttl",
        **mini_build_kwargs(),
    )
    assert result.warnings == ()
    assert not (tmp_path / "dist" / ENRICHMENT_FILE).exists()


@pytest.mark.parametrize("content", ["user-files", "not-a-release-summary"])
def test_build_never_replaces_a_folder_that_is_not_a_release(tmp_path: Path, content: str) -> None:
    """`--out .` or `--out ~` must not wipe the folder: only a new, empty or previous release folder is replaced."""
    out = tmp_path / "home"
    (out / "docs").mkdir(parents=True)
    if content == "user-files":
        (out / "docs" / "thesis.txt").write_text("years of work", encoding="utf-8")
        (out / "notes.txt").write_text("notes", encoding="utf-8")
    else:  # only release-like names, but a summary.json that alliance-kg did not write
        (out / "docs").rmdir()
        (out / "summary.json").write_text('{"something": "else"}', encoding="utf-8")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    with pytest.raises(BuildError, match="is not an alliance-kg release folder"):
        mini_build(out)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["home"]  # no temporary folder left


def test_build_into_an_empty_folder_and_over_a_release(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    mini_build(out)
    mini_build(out)  # a previous release is replaced
    assert (out / "summary.json").is_file()


def test_build_cli_refuses_a_user_folder_and_an_impossible_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from alliance_kg.cli import main

    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    data = str(FIXTURES / "facts-good.ttl")
    assert main(["build", "--out", str(tmp_path), "--data", data]) == 2
    assert "is not an alliance-kg release folder (notes.txt)" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert main(["build", "--out", str(tmp_path / "notes.txt" / "dist"), "--data", data]) == 2
    assert "cannot write the release" in capsys.readouterr().err


def test_sigterm_during_build_leaves_no_temporary_folder(tmp_path: Path) -> None:
    """A build stopped by SIGTERM (as by a CI timeout) unwinds like Ctrl-C: exit 130, no half-release left."""
    import signal
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "alliance_kg", "build", "--out", str(tmp_path / "dist")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".dist.akg-*.tmp")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the build ended before its release folder was being written"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert list(tmp_path.iterdir()) == []


def test_the_product_reasons_and_validates_with_its_own_engines(tmp_path: Path) -> None:
    """owlrl and pySHACL are references for the tests, not engines of the product: a build and a load in a
    fresh interpreter never import them, and the release's inferred graph is the rules' closure."""
    script = (
        "import sys, alliance_kg as akg\n"
        "from alliance_kg.build import build\n"
        f"build({str(tmp_path / 'dist')!r})\n"
        "akg.load().query('supplies-by-market', market='North America')\n"
        "print(sorted(m for m in ('owlrl', 'pyshacl') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
    from alliance_kg.engine import check
    from alliance_kg.loading import load_project

    project = load_project()
    released = Graph().parse(tmp_path / "dist" / "alliance-kg-inferred.ttl")
    assert isomorphic(released, check(project.ontology, project.facts).inferred)
    assert (None, RDF.type, OWL.Thing) not in released  # owlrl's axiomatic triples are not derived
