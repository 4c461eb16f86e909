"""Fact sheets (alliance_kg.sheets): the schema, errors that name the sheet, the line and the field, the resolver
(ambiguous and unknown names, Japanese aliases), stable IRIs, and the six committed sheets compiled to the very
bytes committed in data/claims/."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS

from alliance_kg.dates import parse_date
from alliance_kg.errors import InputError, SheetError
from alliance_kg.namespaces import AKG, ID
from alliance_kg.project import Project
from alliance_kg.sheets import (
    SCHEMA_PATH,
    Compiled,
    claim_iri,
    compile_sheet,
    date_iri,
    project_graphs,
    read_sheet,
    slug,
)
from alliance_kg.sheets._date_labels import date_labels

ROOT = Path(__file__).resolve().parents[1]
SHEETS = sorted((ROOT / "sheets").glob("*.yaml"))
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sheets"
SOURCE = """\
source:
  id: fixture
  title: {text: "Fixture report", lang: en}
  labels: {en: "Fixture report", fr: "Article de test"}
  url: https://example.org/fixture
  publisher: {name: example.org}
  language: en
  published: 2026-01-14
"""


@pytest.fixture(scope="module")
def graphs() -> tuple[Graph, Graph]:
    """The project's ontology and facts, without any compiled sheet of the fixtures."""
    ontology, _shapes, facts = project_graphs(Project(ROOT))
    return ontology, facts


def compile_text(tmp_path: Path, text: str, graphs: tuple[Graph, Graph], name: str = "sheet.yaml") -> Compiled:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    ontology, facts = graphs
    return compile_sheet(read_sheet(path), context=facts, ontology=ontology)


def error_of(tmp_path: Path, text: str, graphs: tuple[Graph, Graph]) -> SheetError:
    with pytest.raises(SheetError) as caught:
        compile_text(tmp_path, text, graphs)
    return caught.value


# -- the schema --


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda path: path.stem)
def test_each_committed_sheet_passes_the_schema(sheet: Path) -> None:
    assert read_sheet(sheet).data["source"]["id"] == sheet.stem


def test_a_schema_error_names_the_sheet_the_line_and_the_field() -> None:
    path = FIXTURES / "bad-property.yaml"
    with pytest.raises(SheetError) as caught:
        read_sheet(path)
    error = caught.value
    assert error.path == path
    assert error.line == 16  # the line of "property: production begin"
    assert error.field == "claims[2].property"
    assert str(error).startswith(f"{path}:16: claims[2].property: 'production begin' is not one of")
    assert isinstance(error, InputError)


@pytest.mark.parametrize(
    ("claim", "line", "field", "words"),
    [
        (
            "  - {subject: supply:rogue-phev-okazaki, property: sales start, value: Q1, paraphrase: x}\n",
            11,
            "claims[1]",
            "take 'date'",
        ),
        ("  - {subject: supply:rogue-phev-okazaki, property: market, value: Oceania}\n", 11, "claims[1]", "paraphrase"),
        (
            "  - {subject: supply:rogue-phev-okazaki, property: market, date: 2026, value: Oceania, paraphrase: x}\n",
            11,
            "claims[1]",
            "only for production start and sales start",
        ),
        (
            "  - subject: x\n    property: market\n    value: y\n    paraphrase: x\n    colour: red\n",
            15,
            "claims[1].colour",
            "colour",
        ),
    ],
)
def test_schema_errors_say_what_to_change(tmp_path: Path, claim: str, line: int, field: str, words: str) -> None:
    path = tmp_path / "sheet.yaml"
    path.write_text(SOURCE + "\nclaims:\n" + claim, encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        read_sheet(path)
    assert (caught.value.line, caught.value.field) == (line, field)
    assert words in str(caught.value)


def test_a_missing_publication_day_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "sheet.yaml"
    text = (
        SOURCE.replace("  published: 2026-01-14\n", "")
        + "claims:\n  - {subject: a, property: market, value: b, paraphrase: c}\n"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SheetError, match="published") as caught:
        read_sheet(path)
    assert caught.value.field == "source"
    assert caught.value.line == 1  # the line of "source:"


def test_a_key_given_twice_and_broken_yaml_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text(SOURCE + "  language: fr\nclaims: []\n", encoding="utf-8")
    with pytest.raises(SheetError, match=r"source\.language: given twice \(first on line 7\)") as caught:
        read_sheet(path)
    assert caught.value.line == 9
    path.write_text(SOURCE + "claims: [\n", encoding="utf-8")
    with pytest.raises(SheetError, match="not valid YAML") as broken:
        read_sheet(path)
    assert broken.value.line is not None
    assert broken.value.line >= 9


def test_an_invalid_calendar_day_is_an_error(tmp_path: Path, graphs: tuple[Graph, Graph]) -> None:
    text = (
        SOURCE.replace("2026-01-14", "2026-02-30")
        + "claims:\n  - {subject: a, property: market, value: b, paraphrase: c}\n"
    )
    error = error_of(tmp_path, text, graphs)
    assert (error.field, error.line) == ("source.published", 8)


# -- names --


def test_an_ambiguous_name_lists_the_candidates_and_asks_which(graphs: tuple[Graph, Graph]) -> None:
    ontology, facts = graphs
    with pytest.raises(SheetError) as caught:
        compile_sheet(read_sheet(FIXTURES / "ambiguous.yaml"), context=facts, ontology=ontology)
    message = str(caught.value)
    assert caught.value.field == "claims[1].subject"
    assert caught.value.line == 11
    assert "ambiguous" in message
    assert "which one" in message
    assert "prefixed name" in message
    assert "vehicle:nissan-navara (Nissan Navara)" in message
    assert "vehicle:nissan-rogue-plug-in-hybrid (Nissan Rogue Plug-in Hybrid)" in message


def test_an_unknown_name_is_an_error_with_hints(graphs: tuple[Graph, Graph]) -> None:
    ontology, facts = graphs
    with pytest.raises(SheetError) as caught:
        compile_sheet(read_sheet(FIXTURES / "unknown.yaml"), context=facts, ontology=ontology)
    assert caught.value.field == "claims[1].value"
    assert caught.value.line == 13
    assert "no entity is named 'Okazki plant'; did you mean: plant:okazaki (Okazaki plant)" in str(caught.value)


def test_a_name_of_the_wrong_class_is_an_error(tmp_path: Path, graphs: tuple[Graph, Graph]) -> None:
    text = (
        SOURCE + "claims:\n  - {subject: supply:navara-laem-chabang, property: plant, value: Nissan, paraphrase: x}\n"
    )
    error = error_of(tmp_path, text, graphs)
    assert error.field == "claims[1].value"
    assert "manufacturer:nissan (Nissan) is not of the class expected (expected: akg:Plant)" in str(error)


def test_a_japanese_alias_and_a_prefixed_name_resolve(tmp_path: Path, graphs: tuple[Graph, Graph]) -> None:
    compiled = compile_text(tmp_path, (FIXTURES / "good.yaml").read_text(encoding="utf-8"), graphs)
    plant = URIRef(claim_iri("fixture-good", str(ID["supply/rogue-phev-okazaki"]), "producedAt"))
    assert compiled.graph.value(plant, AKG.claimValue) == ID["plant/okazaki"]  # 岡崎製作所
    crossover = str(ID["vehicle/fixture-crossover"])
    derived = URIRef(
        claim_iri("fixture-good", str(ID["vehicle/nissan-rogue-plug-in-hybrid"]), "derivedFrom", crossover)
    )
    assert str(derived).endswith(
        "/claim/fixture-good/vehicle/nissan-rogue-plug-in-hybrid/derivedFrom/fixture-crossover"
    )
    assert compiled.graph.value(derived, AKG.claimValue) == ID["vehicle/fixture-crossover"]  # the new one's alias
    assert compiled.graph.value(ID["vehicle/fixture-crossover"], AKG.brand) == ID["manufacturer/mitsubishi-motors"]
    assert (ID["supply/rogue-phev-okazaki"], PROV.qualifiedDerivation, plant) in compiled.graph


def test_a_date_is_read_as_written_with_the_publication_day(tmp_path: Path, graphs: tuple[Graph, Graph]) -> None:
    compiled = compile_text(tmp_path, (FIXTURES / "good.yaml").read_text(encoding="utf-8"), graphs)
    date = URIRef(date_iri(str(ID["supply/rogue-phev-okazaki"]), "salesStart", "fixture-good"))
    assert str(date).endswith("/date/rogue-phev-okazaki-sales-start-fixture-good")
    assert compiled.graph.value(date, AKG.earliest) == Literal(dt.date(2026, 1, 1))
    assert compiled.graph.value(date, AKG.latest) == Literal(dt.date(2026, 3, 31))
    assert compiled.graph.value(date, AKG.statedAs) == Literal("26年第1四半期(1~3月)から", lang="ja")
    assert set(compiled.graph.objects(date, RDFS.label)) == {
        Literal("Q1 2026", lang="en"),
        Literal("premier trimestre 2026", lang="fr"),
    }


def test_the_same_quarter_needs_previous(tmp_path: Path, graphs: tuple[Graph, Graph]) -> None:
    claim = (
        "  - {subject: supply:navara-laem-chabang, property: sales start, date: the end of the same quarter, "
        "quotation: x}\n"
    )
    error = error_of(tmp_path, SOURCE + "claims:\n" + claim, graphs)
    assert error.field == "claims[1].date"
    assert "previous" in str(error)
    earlier = (
        "  - {subject: supply:rogue-phev-okazaki, property: sales start, key: q, date: in Q1 2026, quotation: x}\n"
    )
    compiled = compile_text(
        tmp_path, SOURCE + "claims:\n" + earlier + claim.replace("quotation", "previous: q, quotation"), graphs
    )
    date = URIRef(date_iri(str(ID["supply/navara-laem-chabang"]), "salesStart", "fixture"))
    assert compiled.graph.value(date, AKG.earliest) == Literal(dt.date(2026, 3, 1))


def test_two_claims_of_one_fact_are_an_error(tmp_path: Path, graphs: tuple[Graph, Graph]) -> None:
    claim = "  - {subject: supply:rogue-phev-okazaki, property: supplier, value: Nissan, paraphrase: x}\n"
    error = error_of(tmp_path, SOURCE + "claims:\n" + claim + claim.replace("Nissan", "Mitsubishi Motors"), graphs)
    assert (error.field, error.line) == ("claims[2]", 11)
    assert "already has this claim (line 10)" in str(error)


def test_bringing_an_entity_the_graph_holds_is_an_error(tmp_path: Path, graphs: tuple[Graph, Graph]) -> None:
    entity = "entities:\n  - {type: [Country, Market], labels: {en: Japan, fr: Japon}}\n"
    claim = "claims:\n  - {subject: Japan, property: located in, value: North America, paraphrase: x}\n"
    error = error_of(tmp_path, SOURCE + entity + claim, graphs)
    assert error.field == "entities[1].labels.en"
    assert "country:japan (Japan) is already in the graph" in str(error)


# -- IRIs and bytes --


def test_new_iris_are_readable_and_stable(tmp_path: Path, graphs: tuple[Graph, Graph]) -> None:
    assert slug("Mitsubishi Motors (Thailand) Co., Ltd.") == "mitsubishi-motors-thailand-co-ltd"
    assert slug("Préfecture d\u2019Aichi") == "prefecture-d-aichi"
    text = (FIXTURES / "good.yaml").read_text(encoding="utf-8")
    first = compile_text(tmp_path, text, graphs)
    assert first.new_entities == ((str(ID["vehicle/fixture-crossover"]), "Fixture Crossover"),)
    # compiled again: the same IRIs and the same bytes
    again = compile_text(tmp_path, text, graphs)
    assert again.turtle == first.turtle
    assert set(again.claims) == set(first.claims)
    assert str(ID["claim/fixture-good/supply/rogue-phev-okazaki/producedAt"]) in first.claims


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda path: path.stem)
def test_each_committed_sheet_compiles_to_the_committed_file(sheet: Path) -> None:
    """A sheet edited without `alliance-kg add` (or a change to the compiler) leaves a stale file: this fails."""
    target = ROOT / "data" / "claims" / f"{sheet.stem}.ttl"
    assert target.is_file(), f"{target} is missing: run `alliance-kg add {sheet.relative_to(ROOT)}`"
    ontology, _shapes, facts = project_graphs(Project(ROOT), leave_out=target)
    compiled = compile_sheet(read_sheet(sheet), context=facts, ontology=ontology, sheet_name=f"sheets/{sheet.name}")
    assert compiled.turtle == target.read_bytes(), f"{target} is stale: run `alliance-kg add {sheet.relative_to(ROOT)}`"


def test_the_six_reports_bring_the_expected_entities_and_claims() -> None:
    graph = Graph()
    for sheet in SHEETS:
        graph.parse(ROOT / "data" / "claims" / f"{sheet.stem}.ttl")
    mmth = ID["manufacturer/mitsubishi-motors-thailand"]
    brought = ["area/aichi", "area/chonburi", "country/australia", "vehicle/mitsubishi-outlander-phev"]
    brought += ["vehicle/mitsubishi-triton", "vehicle/mitsubishi-xpander"]
    for iri in [mmth, *(ID[name] for name in brought)]:
        assert graph.value(iri, RDFS.label) is not None, iri

    def values(subject: str, prop: str) -> set[object]:
        return {
            graph.value(claim, AKG.claimValue)
            for claim in graph.subjects(AKG.claimSubject, ID[subject])
            if graph.value(claim, AKG.claimProperty) == AKG[prop]
        }

    assert values("plant/laem-chabang", "operator") == {mmth, ID["manufacturer/mitsubishi-motors"]}
    assert values("manufacturer/mitsubishi-motors-thailand", "subsidiaryOf") == {ID["manufacturer/mitsubishi-motors"]}
    assert values("vehicle/nissan-rogue-plug-in-hybrid", "derivedFrom") == {ID["vehicle/mitsubishi-outlander-phev"]}
    assert values("vehicle/nissan-navara", "derivedFrom") == {ID["vehicle/mitsubishi-triton"]}
    assert values("vehicle/nissan-livina", "derivedFrom") == {ID["vehicle/mitsubishi-xpander"]}
    assert values("country/australia", "locatedIn") == {ID["region/oceania"]}
    assert values("city/okazaki", "locatedIn") == {ID["area/aichi"]}
    assert values("city/laem-chabang", "locatedIn") == {ID["area/chonburi"]}
    s5 = ID["claim/babeindonesia-2026-01/supply/leaf-derived-bev-north-america/supplier"]
    assert graph.value(s5, AKG.claimValue) == ID["manufacturer/mitsubishi-motors"]
    assert values("supply/leaf-derived-bev-north-america", "supplier") == {
        ID["manufacturer/nissan"],
        ID["manufacturer/mitsubishi-motors"],
    }
    for source in graph.subjects(AKG.publishedNotBefore, None):
        assert graph.value(source, AKG.publishedNotBefore) == Literal(dt.date(2026, 1, 13))


# -- date labels --


@pytest.mark.parametrize(
    ("expression", "lang", "labels"),
    [
        ("le 12 janvier 2026", "fr", ("12 January 2026", "12 janvier 2026")),
        ("à la fin décembre 2025", "fr", ("end of December 2025", "fin décembre 2025")),
        ("à partir de la fin du premier trimestre 2026", "fr", ("end of Q1 2026", "fin du premier trimestre 2026")),
        ("in the second half of 2026", "en", ("second half of 2026", "second semestre 2026")),
        ("3月までに", "ja", ("by 31 March 2026", "au plus tard le 31 mars 2026")),
        ("am 1. März 2026", "de", ("1 March 2026", "1er mars 2026")),
    ],
)
def test_date_labels_say_the_window_in_english_and_french(expression: str, lang: str, labels: tuple[str, str]) -> None:
    assert date_labels(parse_date(expression, dt.date(2026, 1, 14), lang)) == labels
