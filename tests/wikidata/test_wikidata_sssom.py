"""The SSSOM mapping files: what they hold, that they compile to the graph's links, and their errors."""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from alliance_kg.errors import InputError
from alliance_kg.loading import load_project, parse_files
from alliance_kg.resources import data_files, resource_root
from alliance_kg.wikidata import sssom
from alliance_kg.wikidata.sssom import MappingRow, links_graph, read_mapping_set, write_mapping_set

WD = "http://www.wikidata.org/entity/"
KNOWN_IDS = resource_root("data") / "sources" / "wikidata-known-ids.csv"
OCEANIA = "https://w3id.org/alliance-kg/id/region/oceania"


def known_ids() -> dict[str, dict[str, str]]:
    with KNOWN_IDS.open(encoding="utf-8", newline="") as handle:
        return {row["wikidata_id"]: row for row in csv.DictReader(handle) if row["wikidata_id"]}


def test_links_file_equals_the_links_of_the_graph() -> None:
    """Today's Turtle links and the SSSOM file agree (after the move, the facts get them from the file)."""
    compiled = set(links_graph())
    in_turtle = set(parse_files(data_files()).triples((None, SKOS.exactMatch, None)))
    in_facts = set(load_project().facts.triples((None, SKOS.exactMatch, None)))
    assert compiled
    assert in_facts == compiled
    assert not in_turtle or in_turtle == compiled


def test_links_are_confirmed_ids_with_their_metadata() -> None:
    mapping_set = read_mapping_set(sssom.links_path())
    known = known_ids()
    assert mapping_set.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert mapping_set.metadata["mapping_set_id"].endswith("/wikidata.sssom.tsv")
    for row in mapping_set.rows:
        qid = row.object_id.removeprefix("wd:")
        assert known[qid]["status"] == "confirmed", row
        assert row.predicate_id == "skos:exactMatch"
        assert row.mapping_justification == "semapv:ManualMappingCuration"
        assert row.confidence is not None
        assert 0 < row.confidence <= 1
        assert row.author_id
        assert row.mapping_date == "2026-11-25"
    linked = {row.object_id.removeprefix("wd:") for row in mapping_set.rows}
    assert linked == {qid for qid, row in known.items() if row["status"] == "confirmed"} - {
        "Q1044544",  # the Outlander is not an entity of the graph
        "Q107315568",  # Navara generations: the graph has the series only
        "Q107315585",
        "Q107315603",
    }


def test_conflicting_ids_are_candidates_not_links() -> None:
    candidates = read_mapping_set(sssom.candidates_path())
    rows = [(candidates.expand(r.subject_id), r.object_id) for r in candidates.rows]
    assert rows == [(OCEANIA, "wd:Q538"), (OCEANIA, "wd:Q55643")]
    assert all(not r.reviewed and "needs review" in r.comment for r in candidates.rows)
    assert (URIRef(OCEANIA), None, None) not in links_graph()


def test_files_are_written_canonically(tmp_path: Path) -> None:
    for path in (sssom.links_path(), sssom.candidates_path()):
        mapping_set = read_mapping_set(path)
        copy = write_mapping_set(mapping_set, tmp_path / path.name)
        assert copy.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
        assert read_mapping_set(copy).rows == mapping_set.rows


HEADER = (
    "# curie_map:\n#   id: https://w3id.org/alliance-kg/id/\n#   wd: http://www.wikidata.org/entity/\n"
    "#   skos: http://www.w3.org/2004/02/skos/core#\n#   semapv: https://w3id.org/semapv/vocab/\n"
)
COLUMNS = "subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\n"


@pytest.mark.parametrize(
    ("table", "message", "line"),
    [
        ("id:a\tskos:exactMatch\tnope:Q1\tsemapv:ManualMappingCuration\t1\n", "unknown prefix 'nope'", 7),
        ("id:a\tskos:exactMatch\twd:Q1\tsemapv:ManualMappingCuration\t1.5\n", "not between 0 and 1", 7),
        ("id:a\tskos:exactMatch\twd:Q1\t\t1\n", "empty mapping_justification", 7),
        ("id:a\tskos:exactMatch\twd:P17\tsemapv:ManualMappingCuration\t1\n", "not a Wikidata item", 7),
        (
            "id:a\tskos:exactMatch\twd:Q1\tsemapv:ManualMappingCuration\t1\n"
            "id:a\tskos:exactMatch\twd:Q2\tsemapv:ManualMappingCuration\t1\n",
            "at most one Wikidata link",
            8,
        ),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, table: str, message: str, line: int) -> None:
    path = tmp_path / "bad.sssom.tsv"
    path.write_text(HEADER + COLUMNS + table, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        links_graph(path)
    assert caught.value.path == path
    assert caught.value.line == line


def test_missing_column_and_bad_yaml(tmp_path: Path) -> None:
    path = tmp_path / "bad.sssom.tsv"
    path.write_text(HEADER + "subject_id\tobject_id\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing required column"):
        read_mapping_set(path)
    path.write_text("# curie_map: [unclosed\n" + COLUMNS, encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        read_mapping_set(path)
    with pytest.raises(InputError, match="no such mapping file"):
        read_mapping_set(tmp_path / "absent.tsv")


def test_rejected_rows_are_not_links(tmp_path: Path) -> None:
    base = read_mapping_set(sssom.links_path())
    row = MappingRow(
        subject_id="id:region/oceania",
        predicate_id="skos:exactMatch",
        predicate_modifier="Not",
        object_id="wd:Q538",
        mapping_justification="semapv:ManualMappingCuration",
        extra=(("see_also", "kept as it was"),),
    )
    path = write_mapping_set(base.with_rows([*base.rows, row]), tmp_path / "links.sssom.tsv")
    assert set(links_graph(path)) == set(links_graph())
    assert read_mapping_set(path).rows[-1].extra == (("see_also", "kept as it was"),)


SSSOM_PYTHON = os.environ.get("ALLIANCE_KG_SSSOM_PYTHON")  # a Python that has the sssom package
SSSOM_MISSING = (
    "the sssom package is not installed (it pulls ~90 packages: linkml, pandas, sphinx...); set "
    "ALLIANCE_KG_SSSOM_PYTHON to a Python that has it to run this check"
)
VALIDATE = """
import sys
from sssom.parsers import parse_sssom_table
from sssom.validators import validate
for path in sys.argv[1:]:
    msdf = parse_sssom_table(path)
    reports = validate(msdf, fail_on_error=False)
    problems = [str(r) for report in reports.values() for r in report.results]
    print(path, len(msdf.df), problems)
    assert not problems, problems
"""


@pytest.mark.skipif(importlib.util.find_spec("sssom") is None and not SSSOM_PYTHON, reason=SSSOM_MISSING)
def test_files_validate_with_the_sssom_package() -> None:
    python = SSSOM_PYTHON or sys.executable
    paths = [str(sssom.links_path()), str(sssom.candidates_path())]
    done = subprocess.run([python, "-c", VALIDATE, *paths], capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    for path in paths:
        rows = len(read_mapping_set(path).rows)
        assert f"{path} {rows} []" in done.stdout
