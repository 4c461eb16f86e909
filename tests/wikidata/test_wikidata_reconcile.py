"""Reconciliation against the stand-in, the review file, --accept and the link report."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from wikidata_standin import StandIn

from alliance_kg.cli import main
from alliance_kg.errors import InputError
from alliance_kg.loading import ProjectGraphs, load_project
from alliance_kg.wikidata import reconcile as rec
from alliance_kg.wikidata import sssom
from alliance_kg.wikidata.client import WikidataClient
from alliance_kg.wikidata.graph_reads import store_of

ID = "https://w3id.org/alliance-kg/id/"
MakeClient = Callable[..., WikidataClient]


@pytest.fixture(scope="module")
def graphs() -> ProjectGraphs:
    return load_project()


@pytest.fixture
def entities(graphs: ProjectGraphs) -> dict[str, rec.Entity]:
    with closing(store_of(graphs.facts, graphs.ontology)) as store:
        found = rec.linkable_entities(store, links=sssom.links_graph())
    return {entity.iri[len(ID) :]: entity for entity in found}


@pytest.fixture
def mapping_files(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of the two mapping files, for commands that write them."""
    links = Path(shutil.copy(sssom.links_path(), tmp_path / "links.sssom.tsv"))
    candidates = Path(shutil.copy(sssom.candidates_path(), tmp_path / "candidates.sssom.tsv"))
    return links, candidates


def test_linkable_entities(entities: dict[str, rec.Entity]) -> None:
    okazaki = entities["city/okazaki"]
    assert okazaki.link is None
    assert okazaki.kind.name == "city"
    assert okazaki.country == "Q17"  # through country:japan's link
    assert entities["plant/okazaki"].manufacturers == frozenset({"Q36033"})
    assert entities["vehicle/nissan-rogue-plug-in-hybrid"].kind.name == "vehicle"  # an akg:SUV
    assert entities["country/japan"].link == "Q17"
    assert "cooperation/mitsubishi-nissan" not in entities


def test_scores_prefer_the_right_type_and_country(entities: dict[str, rec.Entity]) -> None:
    city = {
        "id": "Q1",
        "labels": {"en": {"language": "en", "value": "Okazaki"}},
        "claims": {
            "P31": [{"mainsnak": {"datavalue": {"value": {"id": "Q515"}}}, "rank": "normal"}],
            "P17": [{"mainsnak": {"datavalue": {"value": {"id": "Q17"}}}, "rank": "normal"}],
        },
    }
    surname = {
        "id": "Q2",
        "labels": {"en": {"language": "en", "value": "Okazaki"}},
        "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id": "Q101352"}}}, "rank": "normal"}]},
    }
    elsewhere = {
        **city,
        "id": "Q3",
        "claims": {**city["claims"], "P17": [{"mainsnak": {"datavalue": {"value": {"id": "Q869"}}}, "rank": "normal"}]},
    }
    okazaki = entities["city/okazaki"]
    assert rec.score_candidate(okazaki, city).score == 1.0
    assert rec.score_candidate(okazaki, surname).score < 0.5
    assert "country MISMATCH" in " ".join(rec.score_candidate(okazaki, elsewhere).checks)
    assert rec.score_candidate(okazaki, elsewhere).score < 0.5


def test_reconcile_writes_candidates_for_review(
    standin: StandIn, make_client: MakeClient, entities: dict[str, rec.Entity], mapping_files: tuple[Path, Path]
) -> None:
    wanted = [entities["city/okazaki"], entities["plant/okazaki"], entities["city/laem-chabang"]]
    result = rec.reconcile(wanted, make_client())
    assert [c.qid for c in result.candidates[ID + "city/okazaki"]] == ["Q99990001"]  # not the family name
    assert [c.qid for c in result.candidates[ID + "plant/okazaki"]] == ["Q99990002"]
    assert [c.qid for c in result.candidates[ID + "city/laem-chabang"]] == ["Q99990004"]
    assert not result.unreconciled
    searched = {(r.params.get("search"), r.params.get("language")) for r in standin.requests}
    # only the names our graph has: its labels and aliases, Japanese included since the reports brought them
    assert ("岡崎市", "ja") in searched
    assert ("岡崎", "ja") in searched
    assert ("Okazaki", "fr") in searched
    assert ("usine d\u2019Okazaki", "fr") in searched

    _, candidates_file = mapping_files
    candidates = sssom.read_mapping_set(candidates_file)
    merged, added = rec.merge_candidates(candidates, result, wanted)
    assert [row.object_id for row in added] == ["wd:Q99990004", "wd:Q99990001", "wd:Q99990002"]
    assert all(row.mapping_justification == "semapv:LexicalMatching" and not row.reviewed for row in added)
    assert merged.rows[: len(candidates.rows)] == candidates.rows  # nothing dropped or changed
    again, added_again = rec.merge_candidates(merged, result, wanted)
    assert added_again == []
    assert again.rows == merged.rows


def test_link_command_and_second_run_from_cache(
    standin: StandIn, mapping_files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    links, candidates = mapping_files
    argv = [
        "link", "--entity", "id:city/okazaki", "--entity", "plant/okazaki",
        "--links", str(links), "--candidates", str(candidates),
        "--wikidata-api", standin.api_url, "--cache-dir", str(tmp_path / "cache"),
    ]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "id:city/okazaki: wd:Q99990001 'Okazaki' (1)" in out
    assert "2 new candidate(s) written" in out
    asked = len(standin.requests)
    assert asked > 0
    assert [r.object_id for r in sssom.read_mapping_set(candidates).rows][-2:] == ["wd:Q99990001", "wd:Q99990002"]

    assert main([*argv, "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["requests"] == 0
    assert payload["added"] == 0
    assert len(standin.requests) == asked  # the second run asked nothing


def test_link_command_with_environment_endpoint(
    standin: StandIn, mapping_files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    links, candidates = mapping_files
    monkeypatch.setenv("ALLIANCE_KG_WIKIDATA_API", standin.api_url)
    monkeypatch.setenv("ALLIANCE_KG_CACHE_DIR", str(tmp_path / "env-cache"))
    argv = ["link", "--entity", "city/laem-chabang", "--links", str(links), "--candidates", str(candidates)]
    assert main(argv) == 0
    assert standin.requests
    assert list((tmp_path / "env-cache").rglob("*.json"))


@pytest.mark.parametrize("mode", ["503", "html", "badjson", "429"])
def test_failing_service_leaves_entities_unreconciled(
    standin: StandIn,
    mapping_files: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    mode: str,
) -> None:
    links, candidates = mapping_files
    before = candidates.read_text(encoding="utf-8")
    standin.fail(mode, times=1000, retry_after="0")  # 0: the retries do not wait
    argv = [
        "link", "--entity", "city/okazaki", "--entity", "city/laem-chabang",
        "--links", str(links), "--candidates", str(candidates),
        "--wikidata-api", standin.api_url, "--cache-dir", str(tmp_path / "cache"),
    ]  # fmt: skip
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "id:city/okazaki: unreconciled" in captured.out
    assert "id:city/laem-chabang: unreconciled" in captured.out
    assert "2 entit(y/ies) left unreconciled" in captured.err
    assert "Traceback" not in captured.err
    assert candidates.read_text(encoding="utf-8") == before  # nothing dropped
    assert len(standin.requests) <= 5  # it stopped asking after the first failure


def test_unknown_entity_is_a_clean_error(mapping_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    links, candidates = mapping_files
    assert main(["link", "--entity", "city/atlantis", "--links", str(links), "--candidates", str(candidates)]) == 2
    err = capsys.readouterr().err
    assert "--entity: no entity is named 'id:city/atlantis'" in err
    assert "a linkable entity" in err


def test_link_names_entities_as_the_query_layer_does(graphs: ProjectGraphs) -> None:
    """One resolver for every command: link --entity takes what query --param takes (issue 9)."""
    from alliance_kg.cli.link import _resolve_entities
    from alliance_kg.errors import ParameterError

    with closing(store_of(graphs.facts, graphs.ontology)) as store:
        linkable = rec.linkable_entities(store, links=sssom.links_graph())
        names = ["Okazaki plant", "usine d'Okazaki", "plant:okazaki", "id:plant/okazaki", "plant/okazaki"]
        names.append(ID + "plant/okazaki")
        assert _resolve_entities(names, linkable, store) == [ID + "plant/okazaki"] * len(names)
        assert _resolve_entities(["Okazaki"], linkable, store) == [ID + "city/okazaki"]  # the label as written
        with pytest.raises(ParameterError, match="did you mean") as unknown:
            _resolve_entities(["Okazaky plant"], linkable, store)
        assert "plant:okazaki" in str(unknown.value)


def _review(path: Path, accepted: dict[str, str]) -> None:
    mapping_set = sssom.read_mapping_set(path)
    rows = []
    for row in mapping_set.rows:
        if row.object_id in accepted:
            modifier = accepted[row.object_id]
            row = rec.MappingRow(
                **{
                    **{k: getattr(row, k) for k in row.__dataclass_fields__ if k != "line"},
                    "reviewer_id": "orcid:0000-0000-0000-0000",
                    "predicate_modifier": modifier,
                }
            )
        rows.append(row)
    sssom.write_mapping_set(mapping_set.with_rows(rows), path)


def test_accept_promotes_reviewed_candidates(
    mapping_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    links, candidates = mapping_files
    _review(candidates, {"wd:Q538": "", "wd:Q55643": "Not"})
    assert main(["link", "--accept", "--links", str(links), "--candidates", str(candidates)]) == 0
    assert "accepted: id:region/oceania skos:exactMatch wd:Q538" in capsys.readouterr().out
    compiled = sssom.links_graph(links)
    assert (ID + "region/oceania", "http://www.wikidata.org/entity/Q538") in {(str(s), str(o)) for s, _, o in compiled}
    remaining = sssom.read_mapping_set(candidates).rows
    assert [(r.object_id, r.negated) for r in remaining] == [("wd:Q55643", True)]  # the rejection is remembered
    promoted = next(r for r in sssom.read_mapping_set(links).rows if r.object_id == "wd:Q538")
    assert promoted.reviewer_id == "orcid:0000-0000-0000-0000"


def test_accept_refuses_two_items_for_one_entity(mapping_files: tuple[Path, Path]) -> None:
    links, candidates = mapping_files
    _review(candidates, {"wd:Q538": "", "wd:Q55643": ""})
    with pytest.raises(InputError, match="two accepted candidates") as caught:
        rec.accept(sssom.read_mapping_set(links), sssom.read_mapping_set(candidates))
    assert caught.value.line is not None


def test_report_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", "--report"]) == 0
    text = capsys.readouterr().out
    # 16 unlinked: five linkable entities the reports brought (MMTh, Australia, the Outlander PHEV, the Triton and
    # the Xpander) have no confirmed id
    assert text.startswith("Wikidata links: 12 linked, 1 to review, 16 unlinked")
    assert "id:region/oceania" in text
    assert "wd:Q538 (0.5), wd:Q55643 (0.5)" in text
    for unlinked in ("id:city/okazaki", "id:plant/okazaki", "id:city/laem-chabang", "id:plant/laem-chabang"):
        assert unlinked in text.split("Unlinked (16):")[1]
    assert "no item id could be confirmed offline" in text

    assert main(["link", "--report", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"] == {"linked": 12, "review": 1, "unlinked": 16}
    (oceania,) = report["review"]
    assert [c["wikidata"] for c in oceania["candidates"]] == ["Q538", "Q55643"]
    assert {item["entity"] for item in report["unlinked"]} >= {"id:city/okazaki", "id:plant/okazaki"}


def test_report_from_a_built_store_equals_the_report_from_the_files(capsys: pytest.CaptureFixture[str]) -> None:
    """`link --report --store oxigraph:PATH` asks the built store (its facts hold the compiled links)."""
    from alliance_kg.store_cache import cached_store

    assert main(["link", "--report", "--format", "json"]) == 0
    from_files = json.loads(capsys.readouterr().out)
    assert main(["link", "--report", "--format", "json", "--store", f"oxigraph:{cached_store(None)}"]) == 0
    assert json.loads(capsys.readouterr().out) == from_files
    assert main(["link", "--report", "--store", "oxigraph:/nonexistent/store"]) == 2
    assert "/nonexistent/store" in capsys.readouterr().err
