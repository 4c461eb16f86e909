"""``alliance-kg queries`` and ``alliance-kg query``: in-process through ``main`` and once as a real command."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from alliance_kg import resources
from alliance_kg.cli import main
from alliance_kg.store import quiet_dataset_warnings

ID = "https://w3id.org/alliance-kg/id/"
BIN = Path(sys.executable).parent


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_queries_lists_names_descriptions_and_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["queries"], capsys)
    assert status == 0
    assert "supplies-by-market  (SELECT)" in out
    assert "--param market=<entity(akg:Market)> = region:north-america" in out
    assert "Which OEM supplies are sold in the given market" in out
    status, out, _ = run(["queries", "--format", "json"], capsys)
    document = json.loads(out)
    by_name = {query["name"]: query for query in document}
    assert by_name["timeline"]["parameters"] == [
        {
            "name": "lang",
            "type": "lang",
            "default": "en",
            "description": "the language of the date labels (set by --lang / lang=)",
        }
    ]


def test_query_prints_a_table_with_labels(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["query", "supplies-by-market", "--param", "market=North America"], capsys)
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["supply", "supplyLabel", "soldIn", "soldInLabel"]
    assert set(lines[1]) == {"-", " "}
    assert "supply:rogue-phev-okazaki" in out
    assert "North America" in out
    assert lines[-2] == "(2 rows)"
    assert lines[-1] == f"data: {resources.data_source()}"  # which data was read: the project's or the packaged


def test_query_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["query", "plants-building-for-others", "--lang", "fr"], capsys)
    assert status == 0
    assert "Thaïlande" in out
    assert "usine de Laem Chabang" in out


def test_query_json_is_sparql_results_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["query", "supplies-by-plant", "-p", "plant=Okazaki plant", "--format", "json"], capsys)
    assert status == 0
    document = json.loads(out)
    assert set(document) == {"head", "results"}
    assert document["results"]["bindings"][0]["supply"] == {"type": "uri", "value": ID + "supply/rogue-phev-okazaki"}


def test_query_csv_and_tsv(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["query", "timeline", "--format", "csv"], capsys)
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 6  # the Leaf-derived EV's production start (one report) joined the five
    # the Navara's start: the reports' "20 December 2025", which the article's "fin décembre 2025" allows
    assert rows[0]["earliest"] == "2025-12-20"
    assert rows[0]["dateLabel"] == "20 December 2025"
    status, out, _ = run(["query", "timeline", "--format", "tsv", "--lang", "fr"], capsys)
    assert status == 0
    assert out.splitlines()[0].startswith("?supply\t?supplyLabel\t")
    assert '"20 décembre 2025"@fr' in out


def test_query_file_select_ask_construct(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    select = tmp_path / "plants.rq"
    select.write_text("SELECT ?plant WHERE { ?plant a akg:Plant } ORDER BY ?plant\n")
    status, out, _ = run(["query", "--file", str(select), "--format", "csv"], capsys)
    assert status == 0
    assert out.splitlines()[0] == "plant,plantLabel"
    ask = tmp_path / "ask.rq"
    ask.write_text("ASK { plant:okazaki akg:buildsFor manufacturer:nissan }\n")
    assert run(["query", "--file", str(ask)], capsys)[1].strip() == "yes"
    assert json.loads(run(["query", "--file", str(ask), "--format", "json"], capsys)[1]) == {
        "head": {},
        "boolean": True,
    }
    construct = tmp_path / "construct.rq"
    construct.write_text("CONSTRUCT { ?p akg:operator ?o } WHERE { ?p akg:operator ?o }\n")
    status, out, _ = run(["query", "--file", str(construct)], capsys)
    assert status == 0
    assert len(Graph().parse(data=out, format="turtle")) == 3
    status, out, _ = run(["query", "--file", str(construct), "--format", "json"], capsys)
    with quiet_dataset_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
        assert len(Graph().parse(data=out, format="json-ld")) == 3


def error_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    status, out, err = run(argv, capsys)
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err.strip()


def test_errors_are_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?s\nWHERE {\n  ?s ?p ?o\n  FILTER(?o = )\n}\n")
    assert error_of(["query", "--file", str(bad)], capsys).startswith(
        f"alliance-kg query: error: {bad}:4:3: SPARQL syntax error"
    )
    message = error_of(["query", "no-such-query"], capsys)
    assert "no query named 'no-such-query'" in message
    assert "supplies-by-market" in message
    message = error_of(["query", "supplies-by-market", "--param", "country=Japan"], capsys)
    assert "has no parameter 'country'; its parameters: market" in message
    message = error_of(["query", "supplies-by-market", "--param", 'market=x" } ; DROP ALL #'], capsys)
    assert "no entity of class akg:Market is named" in message
    message = error_of(["query", "describe-entity", "--param", "entity=Leaf"], capsys)
    assert "ambiguous" in message
    assert "vehicle:nissan-leaf (Nissan Leaf)" in message
    assert "NAME=VALUE" in error_of(["query", "timeline", "--param", "lang"], capsys)
    assert "read-only" in error_of(["query", "--file", str(_write(tmp_path / "u.rq", "DROP ALL"))], capsys)
    assert "no such query file" in error_of(["query", "--file", str(tmp_path / "missing.rq")], capsys)
    assert "give a query NAME or --file" in error_of(["query"], capsys)


def test_a_query_that_would_run_forever_is_stopped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forever = _write(tmp_path / "forever.rq", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    message = error_of(["query", "--file", str(forever), "--timeout", "1"], capsys)
    assert "stopped after the 1 s timeout" in message


def _write(path: Path, text: str) -> Path:
    path.write_text(text + "\n")
    return path


def test_help_does_not_import_rdflib() -> None:
    code = (
        "import sys\n"
        "from alliance_kg.cli import main\n"
        "for argv in (['--help'], ['query', '--help'], ['queries', '--help'], ['serve', '--help']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('rdflib', 'pandas', 'pyoxigraph') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "HEAVY []"


def test_the_installed_command() -> None:
    command = BIN / "alliance-kg"
    done = subprocess.run(
        [str(command), "query", "supplies-by-customer", "--param", "customer=Mitsubishi Motors", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    bindings = json.loads(done.stdout)["results"]["bindings"]
    assert {b["supply"]["value"] for b in bindings} == {ID + "supply/leaf-derived-bev-north-america"}
