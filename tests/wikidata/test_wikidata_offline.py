"""Nothing reaches the network unless the user runs ``link``/``enrich`` or allows a SERVICE endpoint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alliance_kg.build import build
from alliance_kg.cli import main
from alliance_kg.errors import QueryError
from alliance_kg.loading import load_project
from alliance_kg.wikidata import sssom
from alliance_kg.wikidata.federation import check_services, federated_query_files


def test_load_build_and_named_queries_stay_offline(no_network: list[object], tmp_path: Path) -> None:
    from alliance_kg.knowledge_graph import load

    load_project()
    sssom.links_graph()
    build(tmp_path / "dist")
    kg = load()
    for name, query in sorted(kg.queries().items()):
        if query.federated:
            with pytest.raises(QueryError, match="not allowed"):
                kg.query(name)
        else:
            kg.query(name)
    assert no_network == []


def test_federated_queries_are_refused_offline(no_network: list[object]) -> None:
    for path in federated_query_files():
        with pytest.raises(QueryError, match="not allowed"):
            check_services(path.read_text(encoding="utf-8"), name=path.stem)
    assert no_network == []


def test_query_layer_refuses_service_without_permission(no_network: list[object]) -> None:
    from alliance_kg.knowledge_graph import load

    kg = load()
    for path in federated_query_files():
        with pytest.raises(QueryError, match="not allowed"):
            kg.query(path)
    assert no_network == []


def test_link_report_and_accept_stay_offline(
    no_network: list[object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    links = Path(shutil.copy(sssom.links_path(), tmp_path / "links.tsv"))
    candidates = Path(shutil.copy(sssom.candidates_path(), tmp_path / "candidates.tsv"))
    assert main(["link", "--report"]) == 0
    assert main(["link", "--accept", "--links", str(links), "--candidates", str(candidates)]) == 0
    assert "0 candidate(s) promoted" in capsys.readouterr().out
    assert no_network == []


def test_network_commands_fail_cleanly_without_network(
    no_network: list[object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no network at all (as on the build machines), link and enrich end with a message, not a traceback."""
    links = Path(shutil.copy(sssom.links_path(), tmp_path / "links.tsv"))
    candidates = Path(shutil.copy(sssom.candidates_path(), tmp_path / "candidates.tsv"))
    common = ["--cache-dir", str(tmp_path / "cache"), "--wikidata-api", "http://127.0.0.1:9/w/api.php"]
    argv = ["link", "--entity", "city/okazaki", "--links", str(links), "--candidates", str(candidates), *common]
    import alliance_kg.wikidata.client as client_module

    # no real waiting between retries
    original = client_module.WikidataClient.__init__

    def quick(self: client_module.WikidataClient, **kwargs: object) -> None:
        original(self, **{**kwargs, "sleep": lambda seconds: None})  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(client_module.WikidataClient, "__init__", quick)
        assert main(argv) == 2
        out = capsys.readouterr()
        assert "unreconciled" in out.out
        assert "Traceback" not in out.err
        sparql = ["--wikidata-sparql", "http://127.0.0.1:9/sparql", "--cache-dir", str(tmp_path / "cache")]
        assert main(["enrich", "--out", str(tmp_path / "e.ttl"), *sparql]) == 2
        assert "cannot connect" in capsys.readouterr().err
    assert not (tmp_path / "e.ttl").exists()
    assert no_network  # they did try: only the explicit commands do


@pytest.mark.parametrize("command", ["link", "enrich"])
def test_help_imports_nothing_heavy(command: str) -> None:
    code = (
        "import sys\n"
        "from alliance_kg.cli import main\n"
        f"main(['{command}', '--help'])\n"
        "heavy = sorted(m for m in ('rdflib', 'yaml', 'urllib.request') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr
    assert f"usage: alliance-kg {command}" in done.stdout


@pytest.mark.parametrize("keyword", ["SERVICE", "service", r"SERV\u0049CE", r"\u0053ERVICE", r"SERV\U00000049CE"])
def test_an_escaped_service_keyword_does_not_get_past_the_policy(keyword: str, no_network: list[object]) -> None:
    """rdflib decodes \\u escapes before parsing and would call the endpoint itself: the policy must see it."""
    from alliance_kg.knowledge_graph import load

    kg = load()
    query = f"SELECT * WHERE {{ {keyword} <http://127.0.0.1:9/metadata> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryError, match="not allowed"):
        kg.sparql(query)
    assert no_network == []
