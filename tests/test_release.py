"""``alliance-kg release VERSION``: the files of a versioned release, what they say, and that they reproduce.

One project is made with ``init`` and released once for the module (1.0.0); a copy of it, with one label changed,
is released as 1.1.0 to check the changelog; a second process with another hash seed reproduces 1.0.0 byte for
byte.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD
from testpaths import REPO

from alliance_kg.build import RELEASE_FILES
from alliance_kg.cli import main
from alliance_kg.errors import InputError
from alliance_kg.namespaces import AKG, GRAPH_FACTS, GRAPH_ONTOLOGY, ID, ONTOLOGY_IRI, PREFIXES
from alliance_kg.project import Project, init_project
from alliance_kg.release import RELEASE_ADDED_FILES, ReleaseResult, release
from alliance_kg.release.description import DCAT, SPDX
from alliance_kg.release.versions import check_version, find_previous, release_date, version_key
from alliance_kg.store import quiet_dataset_warnings

DATE = "2026-01-15"
PLANT = URIRef(str(ID) + "plant/okazaki")
OLD_LABEL = Literal("Okazaki plant", lang="en")
NEW_LABEL = Literal("Okazaki vehicle plant", lang="en")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("release") / "project"
    init_project(root)
    return root


@pytest.fixture(scope="module")
def first(project_dir: Path) -> ReleaseResult:
    return release("1.0.0", project=Project(project_dir), date=DATE)


@pytest.fixture(scope="module")
def second(first: ReleaseResult, project_dir: Path) -> ReleaseResult:
    """A copy of the project (with its release 1.0.0) whose Okazaki plant got another English label, released."""
    copy = project_dir.parent / "project-changed"
    shutil.copytree(project_dir, copy)
    places = copy / "data" / "places.ttl"
    graph = Graph().parse(places, format="turtle")
    assert (PLANT, RDFS.label, OLD_LABEL) in graph
    graph.remove((PLANT, RDFS.label, OLD_LABEL))
    graph.add((PLANT, RDFS.label, NEW_LABEL))
    graph.serialize(places, format="turtle", encoding="utf-8")
    return release("1.1.0", project=Project(copy), date="2026-02-01")


def test_files_present(first: ReleaseResult, project_dir: Path) -> None:
    assert first.out_dir == project_dir.resolve() / "releases" / "1.0.0"
    assert first.build.out_dir == first.out_dir
    assert f"in {first.out_dir}" in first.summary_text()
    names = {p.name for p in first.out_dir.iterdir()}
    assert names == {*RELEASE_FILES, *RELEASE_ADDED_FILES, "exports"}
    assert sorted(first.files) == sorted(p for p in first.out_dir.rglob("*") if p.is_file())
    assert any((first.out_dir / "exports").iterdir())
    # nothing left beside it: the temporaries of the folder swaps are gone
    assert sorted(p.name for p in first.out_dir.parent.iterdir()) == ["1.0.0"]


def test_every_format_is_the_same_graph(first: ReleaseResult) -> None:
    folder = first.out_dir
    turtle = Graph().parse(folder / "alliance-kg.ttl", format="turtle")
    assert len(turtle) == first.build.summary["triples"]["asserted"] > 0
    assert isomorphic(turtle, Graph().parse(folder / "alliance-kg.nt", format="nt"))
    dataset = Dataset()
    with quiet_dataset_warnings():  # rdflib's JSON-LD and TriG parsers use what rdflib deprecates
        assert isomorphic(turtle, Graph().parse(folder / "alliance-kg.jsonld", format="json-ld"))
        dataset.parse(folder / "alliance-kg.trig", format="trig")
        union = Graph()
        for name in (GRAPH_ONTOLOGY, GRAPH_FACTS):
            for triple in dataset.graph(URIRef(name)):
                union.add(triple)
    assert isomorphic(turtle, union)


def test_jsonld_is_compact_and_ordered(first: ReleaseResult) -> None:
    document = json.loads((first.out_dir / "alliance-kg.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    ids = [node["@id"] for node in document["@graph"]]
    assert ids == sorted(ids)
    assert "akg:Plant" in ids  # compacted with the project's prefixes
    assert not [i for i in ids if i.startswith("_:") and not i.startswith("_:cb")]  # canonical blank nodes only


def _count(graph: Graph, query: str) -> int:
    [row] = graph.query(query)
    return int(row[0])  # type: ignore[index]


def test_void_counts_are_the_graphs(first: ReleaseResult) -> None:
    folder = first.out_dir
    data = Graph().parse(folder / "alliance-kg.ttl", format="turtle")
    void = Graph().parse(folder / "void.ttl", format="turtle")
    [dataset] = void.subjects(RDF.type, VOID.Dataset)
    assert (dataset, RDF.type, DCAT.Dataset) in void
    assert void.value(dataset, VOID.triples) == Literal(_count(data, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    entities = _count(
        data, f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}")) }}'
    )
    assert void.value(dataset, VOID.entities) == Literal(entities)
    assert entities > 20
    per_class = {
        row[0]: (int(row[1]), int(row[2]))  # type: ignore[index]
        for row in data.query(
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) (COUNT(?p) AS ?t) WHERE { "
            "{ SELECT DISTINCT ?s ?class WHERE { ?s a ?class } } ?s ?p ?o } GROUP BY ?class"
        )
    }
    described = {
        row[0]: (int(row[1]), int(row[2]))  # type: ignore[index]
        for row in void.query(
            "SELECT ?class ?n ?t WHERE { ?d void:classPartition ?part . "
            "?part void:class ?class ; void:entities ?n ; void:triples ?t }",
            initNs={"void": VOID},
        )
    }
    assert described == per_class
    assert described[AKG.Plant][0] == _count(data, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{AKG.Plant}> }}")
    properties = {
        row[0]: int(row[1])
        for row in void.query(  # type: ignore[index]
            "SELECT ?p ?t WHERE { ?part void:property ?p ; void:triples ?t }", initNs={"void": VOID}
        )
    }
    assert sum(properties.values()) == len(data)
    assert properties[RDFS.label] == len(list(data.triples((None, RDFS.label, None))))


def test_void_describes_licence_sources_version_and_files(first: ReleaseResult, project_dir: Path) -> None:
    folder = first.out_dir
    void = Graph().parse(folder / "void.ttl", format="turtle")
    dataset = URIRef("https://w3id.org/alliance-kg/release/1.0.0")
    ontology = Graph().parse(project_dir / "ontology" / "alliance-kg.ttl", format="turtle")
    licence = ontology.value(URIRef(ONTOLOGY_IRI), DCTERMS.license)
    assert licence is not None
    assert void.value(dataset, DCTERMS.license) == licence
    assert void.value(dataset, DCTERMS.issued) == Literal(DATE, datatype=XSD.date)
    assert void.value(dataset, OWL.versionInfo) == Literal("1.0.0")
    assert void.value(dataset, DCAT.version) == Literal("1.0.0")
    assert void.value(dataset, DCAT.previousVersion) is None
    data = Graph().parse(folder / "alliance-kg.ttl", format="turtle")
    sources = set(data.subjects(RDF.type, AKG.SourceDocument))
    assert sources
    assert set(void.objects(dataset, DCTERMS.source)) == sources
    assert set(void.objects(dataset, PROV.wasDerivedFrom)) == sources
    files = {}
    for distribution in void.objects(dataset, DCAT.distribution):
        name = str(distribution).rsplit("/", 1)[1]
        content = (folder / name).read_bytes()
        assert void.value(distribution, DCAT.byteSize) == Literal(len(content), datatype=XSD.nonNegativeInteger)
        checksum = void.value(distribution, SPDX.checksum)
        assert void.value(checksum, SPDX.checksumValue) == Literal(
            hashlib.sha256(content).hexdigest(), datatype=XSD.hexBinary
        )
        files[name] = str(void.value(distribution, DCAT.mediaType)).rsplit("/", 2)[-2:]
    assert files == {
        "alliance-kg.ttl": ["text", "turtle"],
        "alliance-kg.nt": ["application", "n-triples"],
        "alliance-kg.trig": ["application", "trig"],
        "alliance-kg.jsonld": ["application", "ld+json"],
        "alliance-kg-inferred.ttl": ["text", "turtle"],
    }


def test_ontology_documentation(first: ReleaseResult, project_dir: Path) -> None:
    page = (first.out_dir / "ontology.html").read_text(encoding="utf-8")
    ontology = Graph().parse(project_dir / "ontology" / "alliance-kg.ttl", format="turtle")
    classes = [c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(AKG))]
    assert len(classes) > 10
    for cls in classes:
        assert f'id="{str(cls)[len(str(AKG)) :]}"' in page, cls
        for label in ontology.objects(cls, RDFS.label):
            assert html.escape(str(label)) in page, (cls, label)
    assert "usine" in page
    assert "constructeur" in page
    assert "<svg" in page
    assert "akg:producedAt" in page
    assert "flowchart LR" in page
    assert "<script" not in page
    assert "<link" not in page
    assert "release 1.0.0 of 2026-01-15" in page


def test_byte_identical_in_another_process(first: ReleaseResult, project_dir: Path, tmp_path: Path) -> None:
    """Same inputs and date (from SOURCE_DATE_EPOCH this time), another process with another hash seed, another
    folder: every file, the HTML and the pictures included, has the same bytes."""
    out = tmp_path / "elsewhere" / "1.0.0"
    epoch = calendar.timegm((2026, 1, 15, 13, 30, 0, 0, 0, 0))
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-m", "alliance_kg", "release", "1.0.0", "--project", str(project_dir), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == snapshot(first.out_dir)


def test_first_release_changelog(first: ReleaseResult) -> None:
    text = (first.out_dir / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith(f"# alliance-kg 1.0.0 ({DATE})")
    assert "First release" in text
    changes = json.loads((first.out_dir / "changes.json").read_text(encoding="utf-8"))
    assert changes["first_release"] is True
    assert changes["previous"] is None
    assert changes["subjects"] == []


def test_changelog_lists_exactly_the_changed_fact(second: ReleaseResult) -> None:
    assert second.previous is not None
    assert second.previous.name == "1.0.0"
    changes = json.loads((second.out_dir / "changes.json").read_text(encoding="utf-8"))
    assert changes["previous"] == "1.0.0"
    assert changes["counts"] == {"added": 0, "removed": 0, "changed": 1}
    [subject] = changes["subjects"]
    assert subject["subject"] == PLANT.n3()
    assert subject["label"] == str(NEW_LABEL)
    assert subject["changed"] == [{"predicate": RDFS.label.n3(), "from": [OLD_LABEL.n3()], "to": [NEW_LABEL.n3()]}]
    text = (second.out_dir / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Changes since 1.0.0" in text
    assert "1 changed, 0 added, 0 removed" in text
    assert '"Okazaki plant"@en' in text
    assert '"Okazaki vehicle plant"@en' in text
    void = Graph().parse(second.out_dir / "void.ttl", format="turtle")
    release_iri = URIRef("https://w3id.org/alliance-kg/release/1.1.0")
    assert void.value(release_iri, DCAT.previousVersion) == URIRef("https://w3id.org/alliance-kg/release/1.0.0")


@pytest.mark.parametrize(
    "version",
    [
        "",
        "../1.0",
        "1.0/x",
        "a\\b",
        "..",
        ".",
        "1..0",
        "1.0.",
        ".1",
        "v1.0",
        "1.0 ",
        "1.0\n",
        "one",
        "1.0.0+",
        "9" * 65,
    ],
)
def test_bad_versions_refused(version: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", version, "--out", str(tmp_path / "out"), "--date", DATE]) == 2
    assert "not a release version" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_good_versions_and_their_order() -> None:
    versions = ["2026.1", "1.10", "1.0.0-rc.1", "1.2", "1.0.0", "1.0.0-rc.2", "1", "1.0.0+build.5"]
    for version in versions:
        assert check_version(version) == version
    ordered = sorted(versions, key=version_key)
    assert ordered[:2] == ["1.0.0-rc.1", "1.0.0-rc.2"]
    assert ordered[-3:] == ["1.2", "1.10", "2026.1"]
    assert version_key("1.0") == version_key("1.0.0") == version_key("1")


def test_previous_is_the_highest_lower_version(tmp_path: Path) -> None:
    for name in ("0.9", "1.0.0", "1.10", "2.0", "notes", ".1.5.akg-1-x.tmp"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "alliance-kg.nt").write_text("", encoding="utf-8")
    (tmp_path / "1.9").mkdir()  # not a release: no alliance-kg.nt
    assert find_previous(tmp_path, "1.11", marker="alliance-kg.nt") == tmp_path / "1.10"
    assert find_previous(tmp_path, "1.9", marker="alliance-kg.nt") == tmp_path / "1.0.0"
    assert find_previous(tmp_path, "0.9", marker="alliance-kg.nt") is None


def test_release_date() -> None:
    assert release_date("2026-03-01").isoformat() == "2026-03-01"
    assert release_date(None, {"SOURCE_DATE_EPOCH": "0"}).isoformat() == "1970-01-01"
    for bad in ("2026-02-30", "2026-3-1", "tomorrow", "2026-01-15\n"):
        with pytest.raises(InputError, match="not a date"):
            release_date(bad)
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH"):
        release_date(None, {"SOURCE_DATE_EPOCH": "soon"})


def test_existing_version_refused_without_force(
    first: ReleaseResult, project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(first.out_dir)
    argv = ["release", "1.0.0", "--project", str(project_dir), "--date", DATE]
    assert main(argv) == 2
    assert "already exists" in capsys.readouterr().err
    assert snapshot(first.out_dir) == before
    assert main([*argv, "--force"]) == 0
    assert snapshot(first.out_dir) == before  # replaced, by the same bytes


def test_folder_that_is_not_a_release_is_never_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["release", "1.0.0", "--out", str(out), "--date", DATE, "--force"]) == 2
    assert "not an alliance-kg release folder" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_previous_must_be_a_release(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["release", "1.0.0", "--out", str(tmp_path / "out"), "--date", DATE, "--previous"]
    assert main([*argv, str(tmp_path / "missing")]) == 2
    assert "no such release folder" in capsys.readouterr().err
    assert main([*argv, str(tmp_path)]) == 2
    assert "is not a release folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_outside_a_project_out_is_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["release", "1.0.0", "--date", DATE]) == 2
    assert "--out" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_rejected_data_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        f"<{ID}plant/x> a <{AKG}Plant> , <{AKG}Manufacturer> .\n",
        encoding="utf-8",
    )
    out = tmp_path / "releases" / "1.0.0"
    assert main(["release", "1.0.0", "--out", str(out), "--date", DATE, "--data", str(bad)]) == 1
    assert "not written" in capsys.readouterr().err
    assert not (tmp_path / "releases").exists() or list((tmp_path / "releases").iterdir()) == []


def test_readme_documents_the_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "## Releases" in readme
    assert "alliance-kg release" in readme
