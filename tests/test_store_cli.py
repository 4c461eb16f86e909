"""``--store``: build fills an on-disk Oxigraph store once; query, export, serve and validate open it as it is."""

from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

import alliance_kg as akg
from alliance_kg.build import build
from alliance_kg.cli import main
from alliance_kg.errors import BuildError, ParameterError
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY
from alliance_kg.store import ENV_STORE, MemoryStore, parse_store_spec
from alliance_kg.store_oxigraph import OxigraphStore
from alliance_kg.store_release import MARKER


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release and its on-disk store, built once for the module."""
    folder = tmp_path_factory.mktemp("built")
    result = build(folder / "dist", store=f"oxigraph:{folder / 'store'}")
    assert result.store == folder / "store"
    return folder / "store"


def test_build_writes_each_named_graph_into_the_store(built: Path) -> None:
    memory = akg.load()
    with OxigraphStore(built, read_only=True) as store:
        assert {GRAPH_ONTOLOGY, GRAPH_FACTS, GRAPH_INFERRED} <= set(store.graph_names())
        for name in (GRAPH_ONTOLOGY, GRAPH_FACTS):
            assert store.count(name) == memory.store.count(name), name
        # the same rules derive the same inferred graph, whichever store reasons
        assert isomorphic(store.graph(GRAPH_INFERRED), memory.store.graph(GRAPH_INFERRED))
        assert store.count(GRAPH_INFERRED) > 0
    marker = json.loads((built / MARKER).read_text(encoding="utf-8"))
    assert marker["format"] == "oxigraph"
    assert marker["graphs"][GRAPH_FACTS] == memory.store.count(GRAPH_FACTS)


@pytest.mark.parametrize("name", sorted(n for n in akg.queries() if "federated" not in str(akg.queries()[n].path)))
def test_every_named_query_answers_the_same_from_the_built_store(built: Path, name: str) -> None:
    memory = akg.load()
    with akg.load(store=f"oxigraph:{built}") as stored:
        assert stored.store.kind == "oxigraph"
        expected, got = memory.query(name), stored.query(name)
    if isinstance(expected, akg.QueryResult):
        assert isinstance(got, akg.QueryResult)
        assert got.vars == expected.vars
        assert sorted(map(str, got.terms)) == sorted(map(str, expected.terms))
    else:
        assert set(got) == set(expected)  # type: ignore[arg-type]


def test_cli_query_on_the_store(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "query",
            "supplies-by-plant",
            "--param",
            "plant=Okazaki plant",
            "--format",
            "json",
            "--store",
            f"oxigraph:{built}",
        ]
    )
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    supplies = {row["supply"]["value"] for row in document["results"]["bindings"]}
    assert "https://w3id.org/alliance-kg/id/supply/rogue-phev-okazaki" in supplies


def test_the_environment_names_the_store(
    built: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_STORE, f"oxigraph:{built}")
    assert parse_store_spec(None).kind == "oxigraph"
    assert main(["query", "plant-builds-for-another", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["boolean"] is True


def test_validate_the_store(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--store", f"oxigraph:{built}", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["conforms"] is True
    assert document["consistent"] is True


def test_validate_a_store_that_does_not_conform(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = akg.load()
    facts = project.graph("facts")
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    okazaki = URIRef("https://w3id.org/alliance-kg/id/plant/okazaki")
    facts.remove((okazaki, RDFS.label, None))
    with OxigraphStore(tmp_path / "bad") as store:
        store.add(GRAPH_ONTOLOGY, project.graph("ontology"))
        store.add(GRAPH_FACTS, facts)
        store.add(GRAPH_INFERRED, project.graph("inferred"))
    assert main(["validate", "--store", f"oxigraph:{tmp_path / 'bad'}"]) == 1
    out = capsys.readouterr().out
    assert "Conforms: no" in out
    assert "id:plant/okazaki" in out


def test_export_from_the_store(built: Path, tmp_path: Path) -> None:
    import networkx as nx

    out = tmp_path / "supply.graphml"
    assert main(["export", "--view", "supply", "-o", str(out), "--store", f"oxigraph:{built}"]) == 0
    from_store = nx.read_graphml(out)
    assert main(["export", "--view", "supply", "-o", str(tmp_path / "memory.graphml")]) == 0
    from_memory = nx.read_graphml(tmp_path / "memory.graphml")
    assert sorted(from_store.nodes) == sorted(from_memory.nodes)
    assert from_store.number_of_edges() == from_memory.number_of_edges()


def test_serve_opens_the_store_in_every_worker(built: Path) -> None:
    from alliance_kg.endpoint import running

    kg = akg.load(store=f"oxigraph:{built}")
    with running(kg, port=0, workers=2) as endpoint:
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/alliance-kg/ontology#OEMSupply> }"
        url = endpoint.url + "?" + urllib.parse.urlencode({"query": query})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        folder = endpoint._folder
        assert folder is not None
        assert not any(folder.iterdir())  # nothing copied: the workers read the store
    expected = akg.load().sparql(query).rows[0]["n"]  # type: ignore[union-attr]
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == expected
    kg.close()


def test_a_built_store_is_not_mixed_with_data_files(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ParameterError, match="built store"):
        akg.load(["data/supplies.ttl"], store=f"oxigraph:{built}")
    assert main(["query", "timeline", "--store", f"oxigraph:{built}", "--data", "x.ttl"]) == 2
    assert "built store" in capsys.readouterr().err


def test_a_missing_store_says_how_to_build_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "timeline", "--store", f"oxigraph:{tmp_path / 'none'}"]) == 2
    assert "alliance-kg build --store" in capsys.readouterr().err


@pytest.mark.parametrize("spec", ["oxigraph", "mysql:x", "sparql:ftp://x", "oxigraph:"])
def test_a_bad_store_spec_names_the_option(spec: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "timeline", "--store", spec]) == 2
    assert "--store" in capsys.readouterr().err


def test_build_never_replaces_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work", encoding="utf-8")
    with pytest.raises(BuildError, match="not a store"):
        build(tmp_path / "dist", store=f"oxigraph:{folder}")
    assert (folder / "thesis.txt").read_text(encoding="utf-8") == "years of work"
    assert not (tmp_path / "dist").exists()


def test_a_rebuild_replaces_the_store_as_a_whole(built: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(built, copy)
    before = {p.name for p in copy.iterdir()}
    build(tmp_path / "dist", store=f"oxigraph:{copy}")
    assert (copy / MARKER).exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary folder left
    with OxigraphStore(copy, read_only=True) as store:
        assert store.count(GRAPH_FACTS) > 0
    assert before  # the old one was a store too


def test_memory_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_STORE, raising=False)
    assert isinstance(akg.load().store, MemoryStore)
    assert str(parse_store_spec(None, environ=dict(os.environ))) == "memory"


def test_a_rejected_store_build_keeps_the_previous_store(built: Path, tmp_path: Path) -> None:
    import shutil

    from alliance_kg.errors import RejectedBuildError

    store = tmp_path / "store"
    shutil.copytree(built, store)
    before = sorted(p.name for p in store.iterdir())
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix akg: <https://w3id.org/alliance-kg/ontology#> .\n"
        "<https://w3id.org/alliance-kg/id/plant/x> a akg:Plant , akg:Manufacturer .\n",
        encoding="utf-8",
    )
    with pytest.raises(RejectedBuildError, match="store not written") as info:
        build(tmp_path / "dist", data_paths=[bad], store=f"oxigraph:{store}")
    assert info.value.report is not None
    assert not info.value.report.conforms
    assert info.value.inconsistencies  # a plant is not a manufacturer
    assert sorted(p.name for p in store.iterdir()) == before
    assert not (tmp_path / "dist").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_shapes_see_what_is_stated_not_what_is_inferred(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An operator typed only by inference (the range of akg:operator) must not satisfy sh:class, as with pySHACL."""
    plant = tmp_path / "plant.ttl"
    plant.write_text(
        "@prefix akg: <https://w3id.org/alliance-kg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/alliance-kg/id/plant/x> a akg:Plant ; rdfs:label "X"@en , "X"@fr ;\n'
        "    akg:operator <https://w3id.org/alliance-kg/id/manufacturer/y> .\n",
        encoding="utf-8",
    )
    assert main(["validate", str(plant)]) == 1
    out = capsys.readouterr().out
    assert "id:manufacturer/y" in out
    assert "akg:operator" in out
