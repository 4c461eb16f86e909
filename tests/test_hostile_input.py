"""Hostile and broken input, in both local stores and through the command line: a clear error naming the file
(and the line where the parser gives one) or a documented normalisation (alliance_kg/loading.py), never a
traceback; and nothing of a file the input points at in any graph or message.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic
from testpaths import FIXTURES, MINI_ONTOLOGY, MINI_SHAPES

from alliance_kg import resources
from alliance_kg.cli import main
from alliance_kg.errors import InputError, RDFSyntaxError
from alliance_kg.guard import MAX_ENTITY_EXPANSION
from alliance_kg.loading import ENV_MAX_BYTES, parse_file
from alliance_kg.store import MemoryStore, Store
from alliance_kg.store_oxigraph import OxigraphStore

G = "http://example.org/graph/g"
EX = "http://example.org/"
STORES: dict[str, Callable[[], Store]] = {"memory": MemoryStore, "oxigraph": OxigraphStore}
HOSTILE = FIXTURES / "hostile"
SECRET_MARKER = "s3cr3t-do-not-leak"


@pytest.fixture
def mini_project(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's project: the small fixture ontology, shapes and facts (fast)."""
    monkeypatch.setattr(resources, "ontology_files", lambda: [MINI_ONTOLOGY])
    monkeypatch.setattr(resources, "shape_files", lambda: [MINI_SHAPES])
    monkeypatch.setattr(resources, "data_files", lambda: [FIXTURES / "facts-good.ttl"])


def cli_refuses(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    """``alliance-kg validate FILE`` exits 2 with one message naming the file, and no traceback."""
    status = main(["validate", str(path), *extra])
    captured = capsys.readouterr()
    assert status == 2, captured
    assert "Traceback" not in captured.err
    assert str(path) in captured.err
    assert captured.err.startswith("alliance-kg validate: error: ")
    return captured.err


def load_error(kind: str, path: Path, error: type[InputError] = InputError) -> InputError:
    store = STORES[kind]()
    with pytest.raises(error) as caught:
        store.load(path, G)
    assert caught.value.path == path
    assert store.count() == 0
    return caught.value


# -- RDF/XML: billion laughs and XXE -------------------------------------------------------------------------------


@pytest.fixture
def xxe(tmp_path: Path) -> Path:
    """An RDF/XML document whose entity points at a local file holding the marker."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_MARKER, encoding="utf-8")
    text = (HOSTILE / "xxe.rdf").read_text(encoding="utf-8").replace("SECRET_FILE", secret.as_uri())
    path = tmp_path / "xxe.rdf"
    path.write_text(text, encoding="utf-8")
    return path


_LAUGHS_SCRIPT = """
import json, sys, time
from alliance_kg.errors import RDFSyntaxError
from alliance_kg.store import MemoryStore
from alliance_kg.store_oxigraph import OxigraphStore
MemoryStore().load(sys.argv[2], "http://example.org/warm-up", format="nt")  # imports the parsers first
answers = {}
for store in (MemoryStore(), OxigraphStore()):
    started = time.perf_counter()
    try:
        store.load(sys.argv[1], "http://example.org/g")
        answers[store.kind] = ["loaded", time.perf_counter() - started, None, store.count()]
    except RDFSyntaxError as error:
        answers[store.kind] = [str(error), time.perf_counter() - started, error.line, store.count()]
print(json.dumps(answers))
"""


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    """Both stores, in a child process with a time limit: without the check either parser expands the entities
    for minutes (so a regression fails here instead of hanging the suite)."""
    import json
    import subprocess
    import sys

    warm = tmp_path / "warm.nt"
    warm.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n", encoding="utf-8")
    path = HOSTILE / "billion-laughs.rdf"
    try:
        done = subprocess.run(
            [sys.executable, "-c", _LAUGHS_SCRIPT, str(path), str(warm)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the billion laughs was expanded, not refused")
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)
    for kind in STORES:
        message, elapsed, line, count = answers[kind]
        assert message.startswith(f"{path}:4: "), message  # the first entity that refers to another
        assert "nested entities are refused" in message
        assert elapsed < 0.5, f"{kind}: {elapsed:.3f} s"
        assert line == 4
        assert count == 0


@pytest.mark.parametrize("kind", STORES)
def test_an_external_entity_is_refused_and_nothing_leaks(kind: str, xxe: Path) -> None:
    started = time.perf_counter()
    error = load_error(kind, xxe, RDFSyntaxError)
    assert time.perf_counter() - started < 0.5
    assert "external entity" in str(error)
    assert SECRET_MARKER not in str(error)
    assert error.line == 3


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("parameter-entity.rdf", "parameter entity"),
        ("external-dtd.rdf", "external DTD"),
    ],
)
@pytest.mark.parametrize("kind", STORES)
def test_other_dtd_tricks_are_refused(kind: str, name: str, message: str) -> None:
    assert message in str(load_error(kind, HOSTILE / name, RDFSyntaxError))


@pytest.mark.parametrize("kind", STORES)
def test_a_quadratic_blowup_is_refused(tmp_path: Path, kind: str) -> None:
    """No nesting, but one long entity used many times: refused by the total it would expand to."""
    value = "x" * 1000
    uses = "&big;" * (MAX_ENTITY_EXPANSION // 1000 + 1)
    path = tmp_path / "quadratic.rdf"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY big "{value}">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        f'<rdf:Description rdf:about="http://example.org/a"><ex:p>{uses}</ex:p></rdf:Description>\n</rdf:RDF>\n',
        encoding="utf-8",
    )
    assert "more than the limit" in str(load_error(kind, path, RDFSyntaxError))


@pytest.mark.parametrize("kind", STORES)
def test_protege_entity_abbreviations_still_load(kind: str) -> None:
    """``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``, as Protégé writes, is not an attack."""
    store = STORES[kind]()
    store.load(HOSTILE / "entity-abbreviations.rdf", G)
    expected = Graph().parse(
        data="<http://example.org/onto> a <http://www.w3.org/2002/07/owl#Ontology> ;"
        ' <http://www.w3.org/2000/01/rdf-schema#label> "onto" .',
        format="turtle",
    )
    assert isomorphic(store.graph(G), expected)


def test_the_cli_refuses_an_external_entity(mini_project: None, xxe: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = cli_refuses(xxe, capsys)
    assert SECRET_MARKER not in err


def test_the_cli_refuses_the_billion_laughs() -> None:
    """``alliance-kg validate billion-laughs.rdf`` as a user runs it: exit 2, one line, no traceback."""
    import subprocess
    import sys

    path = HOSTILE / "billion-laughs.rdf"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "alliance_kg", "validate", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the billion laughs was expanded, not refused")
    assert done.returncode == 2
    assert (
        done.stderr == f"alliance-kg validate: error: {path}:4: the entity &lol1; refers to another entity: "
        "nested entities are refused (billion laughs)\n"
    )


# -- IRIs, literals, encodings -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", STORES)
@pytest.mark.parametrize("character", [" ", "<", ">", '"', "{", "}"])
@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_an_iri_with_a_forbidden_character_names_file_and_line(
    tmp_path: Path, kind: str, character: str, suffix: str
) -> None:
    path = tmp_path / ("iri" + suffix)
    path.write_text(
        "<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n"
        f"<http://example.org/a> <http://example.org/p> <http://example.org/x{character}y> .\n",
        encoding="utf-8",
    )
    error = load_error(kind, path, RDFSyntaxError)
    assert error.line == 2, str(error)


def test_the_cli_names_the_line_of_a_bad_iri(
    mini_project: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "iri.ttl"
    path.write_text("\n<http://example.org/a> <http://example.org/p> <http://example.org/x{y}> .\n", encoding="utf-8")
    assert f"{path}:2" in cli_refuses(path, capsys)


ILL_TYPED = (
    '<http://example.org/a> <http://example.org/n> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    '<http://example.org/a> <http://example.org/d> "2026-13-45"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
)


@pytest.mark.parametrize("kind", STORES)
def test_ill_typed_literals_are_kept_as_written(tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Valid RDF (an ill-typed literal has no value, but it is a literal): kept, lexical form and datatype."""
    path = tmp_path / "ill.nt"
    path.write_text(ILL_TYPED, encoding="utf-8")
    store = STORES[kind]()
    store.load(path, G)
    assert sorted(str(o) for o in store.graph(G).objects()) == ["2026-13-45", "abc"]
    assert "Traceback" not in capsys.readouterr().err  # rdflib's warning comes without its traceback


def test_the_cli_takes_ill_typed_literals_without_a_traceback(
    mini_project: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ill.nt"
    path.write_text(ILL_TYPED, encoding="utf-8")
    assert main(["validate", str(path)]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err


def big_literal_file(tmp_path: Path, megabytes: int) -> Path:
    path = tmp_path / "big-literal.nt"
    with path.open("wb") as handle:
        handle.write(b'<http://example.org/a> <http://example.org/p> "')
        chunk = b"x" * (1024 * 1024)
        for _ in range(megabytes):
            handle.write(chunk)
        handle.write(b'" .\n')
    return path


def test_a_100_mb_literal_is_refused_by_both_stores(
    tmp_path: Path, mini_project: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """The memory store refuses the file by its size (50 MiB limit); Oxigraph, whose limit is 2 GiB, refuses the
    term (its parser keeps one term under 16 MiB). Both at once, with the file's name."""
    path = big_literal_file(tmp_path, 100)
    started = time.perf_counter()
    assert "more than the limit of 52428800 bytes" in str(load_error("memory", path))
    assert "16 MiB" in str(load_error("oxigraph", path))
    assert time.perf_counter() - started < 10
    cli_refuses(path, capsys)  # validate uses an Oxigraph store


@pytest.mark.parametrize("kind", STORES)
def test_the_size_limit_is_configurable(tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "small.nt"
    path.write_text('<http://example.org/a> <http://example.org/p> "0123456789" .\n', encoding="utf-8")
    monkeypatch.setenv(ENV_MAX_BYTES, "20")
    error = load_error(kind, path)
    assert "more than the limit of 20 bytes" in str(error)
    assert ENV_MAX_BYTES in str(error)
    monkeypatch.setenv(ENV_MAX_BYTES, "1000")
    STORES[kind]().load(path, G)
    monkeypatch.setenv(ENV_MAX_BYTES, "lots")
    with pytest.raises(InputError, match=ENV_MAX_BYTES):
        STORES[kind]().load(path, G)


def test_the_cli_names_the_size_limit(
    tmp_path: Path, mini_project: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The limit holds for every input file (the project's are far below any sensible limit)."""
    path = tmp_path / "big.nt"
    path.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n" * 40, encoding="utf-8")
    monkeypatch.setenv(ENV_MAX_BYTES, "1000")  # above the fixture project's files, below this one (2,800 bytes)
    assert "limit of 1000 bytes" in cli_refuses(path, capsys)


@pytest.mark.parametrize("kind", STORES)
def test_invalid_utf8_names_file_and_line(tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.nt"
    path.write_bytes(
        b'<http://example.org/a> <http://example.org/p> "ok" .\n'
        b'<http://example.org/a> <http://example.org/p> "caf\xe9" .\n'
    )
    error = load_error(kind, path)
    assert error.line == 2
    assert "UTF-8" in str(error)


def test_the_cli_names_the_line_of_invalid_utf8(
    tmp_path: Path, mini_project: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin1.ttl"
    path.write_bytes(b'\n<http://example.org/a> <http://example.org/p> "caf\xe9" .\n')
    assert f"{path}:2" in cli_refuses(path, capsys)


@pytest.mark.parametrize("kind", STORES)
@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"])
def test_a_byte_order_mark_is_dropped(tmp_path: Path, kind: str, suffix: str) -> None:
    graph = Graph().parse(data='<http://example.org/a> <http://example.org/p> "x" .', format="turtle")
    rdf_format = {
        ".ttl": "turtle",
        ".nt": "nt",
        ".nq": "nt",
        ".trig": "trig",
        ".jsonld": "json-ld",
    }  # N-Triples is N-Quads
    text = graph.serialize(format=rdf_format.get(suffix, "xml"))
    path = tmp_path / ("bom" + suffix)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    store = STORES[kind]()
    store.load(path, G)
    assert isomorphic(store.graph(G), graph)


@pytest.mark.parametrize("kind", STORES)
def test_nfc_and_nfd_labels_are_kept_apart(tmp_path: Path, kind: str) -> None:
    """No Unicode normalisation: RDF compares literals by code points, so "École" in NFC and NFD are two labels,
    kept as written in both stores."""
    nfc, nfd = unicodedata.normalize("NFC", "École"), unicodedata.normalize("NFD", "École")
    assert nfc != nfd
    path = tmp_path / "labels.ttl"
    path.write_text(
        f'<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "{nfc}"@fr, "{nfd}"@fr .\n',
        encoding="utf-8",
    )
    store = STORES[kind]()
    store.load(path, G)
    assert sorted(str(o) for o in store.graph(G).objects()) == sorted([nfc, nfd])


@pytest.mark.parametrize("kind", STORES)
def test_a_nul_character_in_a_literal_is_kept(tmp_path: Path, kind: str) -> None:
    """``\\u0000`` is a character RDF allows in a literal: kept, the same in both stores."""
    path = tmp_path / "nul.nt"
    path.write_text('<http://example.org/a> <http://example.org/p> "before\\u0000after" .\n', encoding="utf-8")
    store = STORES[kind]()
    store.load(path, G)
    assert [str(o) for o in store.graph(G).objects()] == ["before\x00after"]


def test_the_cli_takes_a_nul_character_without_a_traceback(
    tmp_path: Path, mini_project: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nul.ttl"
    path.write_text('<http://example.org/a> <http://example.org/p> "before\\u0000after" .\n', encoding="utf-8")
    assert main(["validate", str(path)]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err


# -- blank nodes of two files --------------------------------------------------------------------------------------

BLANK_B0 = {
    ".ttl": "_:b0 <http://example.org/p> <http://example.org/o> .\n",
    ".nt": "_:b0 <http://example.org/p> <http://example.org/o> .\n",
    ".nq": "_:b0 <http://example.org/p> <http://example.org/o> <http://example.org/g> .\n",
    ".trig": "<http://example.org/g> { _:b0 <http://example.org/p> <http://example.org/o> . }\n",
    ".jsonld": '{"@id": "_:b0", "http://example.org/p": {"@id": "http://example.org/o"}}',
    ".rdf": '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    ' xmlns:ex="http://example.org/">\n<rdf:Description rdf:nodeID="b0"><ex:p rdf:resource="http://example.org/o"/>'
    "</rdf:Description>\n</rdf:RDF>\n",
}


@pytest.mark.parametrize("kind", STORES)
@pytest.mark.parametrize("suffix", list(BLANK_B0))
def test_two_files_with_the_same_blank_node_label_give_two_blank_nodes(tmp_path: Path, kind: str, suffix: str) -> None:
    store = STORES[kind]()
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / ("b0" + suffix)
        path.write_text(BLANK_B0[suffix], encoding="utf-8")
        store.load(path, G)
    subjects = set(store.graph(G).subjects())
    assert len(subjects) == 2
    assert all(isinstance(subject, BNode) for subject in subjects)
    assert store.count(G) == 2


def test_parse_file_gives_fresh_blank_nodes_per_file(tmp_path: Path) -> None:
    path = tmp_path / "b0.nt"
    path.write_text(BLANK_B0[".nt"], encoding="utf-8")
    first, second = parse_file(path), parse_file(path)
    assert set(first.subjects()).isdisjoint(set(second.subjects()))


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_MAX_BYTES, raising=False)
