"""The W3C RDF 1.1 Turtle, N-Triples and TriG syntax test suites (vendored in tests/w3c-rdf-syntax/, see its
README) run through the product's load path, ``Store.load``, of both stores: MemoryStore (rdflib's parser) and
OxigraphStore (Oxigraph's parser).

A positive test (``rdft:Test*PositiveSyntax`` and ``rdft:Test*Eval``, whose input is valid) must load without
error. A negative test (``rdft:Test*NegativeSyntax`` and ``rdft:Test*NegativeEval``) must raise
:class:`~alliance_kg.errors.RDFSyntaxError`, not another exception, naming the file (``error.path`` and the
message) and a line of it, and leave the store empty. The eval tests' expected results are not compared here.

Known disagreements are listed, each with its reason, in tests/w3c-rdf-syntax/known-failures.toml and run as
``xfail(strict=True)``: a test that starts to pass fails the run (XPASS), and nothing is skipped.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlparse

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from alliance_kg.errors import RDFSyntaxError
from alliance_kg.store import MemoryStore, Store
from alliance_kg.store_oxigraph import OxigraphStore

SUITES_DIR: Final = Path(__file__).resolve().parent / "w3c-rdf-syntax"
KNOWN_FAILURES_FILE: Final = SUITES_DIR / "known-failures.toml"
CHECKSUMS_FILE: Final = SUITES_DIR / "SHA256SUMS"

MF: Final = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDFT: Final = Namespace("http://www.w3.org/ns/rdftest#")

#: suite folder -> the format name given to Store.load
SUITES: Final[dict[str, str]] = {"rdf-turtle": "turtle", "rdf-n-triples": "nt", "rdf-trig": "trig"}

#: the number of tests of each suite's manifest at the vendored commit (a lost manifest entry fails)
SUITE_SIZES: Final[dict[str, int]] = {"rdf-turtle": 313, "rdf-n-triples": 70, "rdf-trig": 356}

STORES: Final[dict[str, Callable[[], Store]]] = {"memory": MemoryStore, "oxigraph": OxigraphStore}

POSITIVE: Final = frozenset(
    RDFT[name]
    for name in (
        "TestTurtlePositiveSyntax",
        "TestTurtleEval",
        "TestNTriplesPositiveSyntax",
        "TestTrigPositiveSyntax",
        "TestTrigEval",
    )
)
NEGATIVE: Final = frozenset(
    RDFT[name]
    for name in (
        "TestTurtleNegativeSyntax",
        "TestTurtleNegativeEval",
        "TestNTriplesNegativeSyntax",
        "TestTrigNegativeSyntax",
        "TestTrigNegativeEval",
    )
)

GRAPH: Final = "urn:x-alliance-kg:w3c-syntax-test"


@dataclass(frozen=True)
class SyntaxTest:
    """One test of a manifest: its suite, its id (the fragment of its IRI), its type and its input file."""

    suite: str
    name: str
    kind: URIRef
    action: Path

    @property
    def negative(self) -> bool:
        return self.kind in NEGATIVE


def _local_path(iri: URIRef) -> Path:
    parsed = urlparse(str(iri))
    assert parsed.scheme == "file", f"not a local file: {iri}"
    return Path(unquote(parsed.path))


def read_manifest(suite: str) -> list[SyntaxTest]:
    """The tests of a suite's manifest.ttl, in the order of its ``mf:entries``."""
    manifest = SUITES_DIR / suite / "manifest.ttl"
    graph = Graph().parse(manifest, format="turtle")  # relative IRIs resolve against the manifest's file: URI
    (head,) = graph.objects(predicate=MF.entries)
    tests = []
    for entry in Collection(graph, head):
        assert isinstance(entry, URIRef), entry
        kind = graph.value(entry, RDF.type)
        action = graph.value(entry, MF.action)
        assert isinstance(kind, URIRef), f"{entry}: no rdf:type"
        assert isinstance(action, URIRef), f"{entry}: no mf:action"
        tests.append(SyntaxTest(suite, entry.rsplit("#", 1)[1], kind, _local_path(action)))
    return tests


TESTS: Final[dict[str, list[SyntaxTest]]] = {suite: read_manifest(suite) for suite in SUITES}


def read_known_failures() -> list[dict[str, object]]:
    with KNOWN_FAILURES_FILE.open("rb") as handle:
        entries = tomllib.load(handle)["known"]
    assert isinstance(entries, list)
    return entries


def known_failures() -> dict[tuple[str, str, str], str]:
    """(suite, test id, store) -> reason, from known-failures.toml ("*" standing for every test of the suite)."""
    known: dict[tuple[str, str, str], str] = {}
    for entry in read_known_failures():
        suite, store, reason, names = entry["suite"], entry["store"], entry["reason"], entry["tests"]
        assert isinstance(suite, str)
        assert isinstance(store, str)
        assert isinstance(reason, str)
        assert isinstance(names, list)
        if names == ["*"]:
            names = [test.name for test in TESTS.get(suite, [])]
        for name in names:
            known[(suite, name, store)] = reason
    return known


KNOWN: Final = known_failures()


def cases() -> Iterator[object]:
    for suite, tests in TESTS.items():
        for test in tests:
            for store in STORES:
                reason = KNOWN.get((suite, test.name, store))
                marks = [] if reason is None else [pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)]
                yield pytest.param(test, store, id=f"{suite}/{test.name}@{store}", marks=marks)


@pytest.mark.parametrize(("test", "store_kind"), list(cases()))
def test_w3c_syntax(test: SyntaxTest, store_kind: str) -> None:
    store = STORES[store_kind]()
    try:
        check(test, store)
    finally:
        store.close()


def check(test: SyntaxTest, store: Store) -> None:
    """Load the test's input into ``store`` and check the outcome (an AssertionError when it is wrong)."""
    rdf_format = SUITES[test.suite]
    if not test.negative:
        try:
            store.load(test.action, GRAPH, format=rdf_format)
        except Exception as error:
            raise AssertionError(f"valid {rdf_format} refused: {type(error).__name__}: {error}") from error
        return
    try:
        store.load(test.action, GRAPH, format=rdf_format)
    except Exception as error:
        caught = error
    else:
        raise AssertionError(f"invalid {rdf_format} accepted ({store.count()} triples loaded)")
    assert isinstance(caught, RDFSyntaxError), f"not an RDFSyntaxError: {type(caught).__name__}: {caught}"
    assert caught.path == test.action, f"the error names {caught.path}, not the file loaded"
    assert str(test.action) in str(caught), f"the message does not name the file: {caught}"
    last_line = test.action.read_bytes().count(b"\n") + 1
    assert caught.line is not None, f"the error names no line: {caught}"
    assert 1 <= caught.line <= last_line, f"line {caught.line} is not a line of a {last_line}-line file: {caught}"
    assert store.count() == 0, f"{store.count()} triples loaded from a file refused"


# -- the suites and the known-failures file themselves ------------------------------------------------------------


def test_suites_are_complete() -> None:
    """Every manifest entry is a test of a known type whose input file is vendored, and no test is lost."""
    assert {suite: len(tests) for suite, tests in TESTS.items()} == SUITE_SIZES
    for tests in TESTS.values():
        names = [test.name for test in tests]
        assert len(set(names)) == len(names), "a test id twice in one manifest"
        for test in tests:
            assert test.kind in POSITIVE | NEGATIVE, f"{test.name}: unknown test type {test.kind}"
            assert test.action.is_file(), f"{test.name}: {test.action} is not vendored"
            assert test.action.parent == SUITES_DIR / test.suite


def test_vendored_files_are_unchanged() -> None:
    """The vendored files are byte for byte those of the W3C repository (SHA256SUMS, written when vendoring):
    an editor or a commit hook that strips white space or rewrites line ends would break the tests."""
    listed: dict[str, str] = {}
    for line in CHECKSUMS_FILE.read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    on_disk = {
        path.relative_to(SUITES_DIR).as_posix()
        for suite in SUITES
        for path in (SUITES_DIR / suite).iterdir()
        if path.is_file()
    }
    assert set(listed) == on_disk
    changed = [
        name
        for name, digest in listed.items()
        if hashlib.sha256((SUITES_DIR / name).read_bytes()).hexdigest() != digest
    ]
    assert changed == []


def test_known_failures_are_well_formed() -> None:
    """Each entry of known-failures.toml names a store, a suite and tests that exist, with a reason; no test is
    listed twice for one store (so no entry is silently without effect)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for entry in read_known_failures():
        assert set(entry) == {"store", "suite", "tests", "reason"}, entry
        store, suite, reason, names = entry["store"], entry["suite"], entry["reason"], entry["tests"]
        assert store in STORES, entry
        assert suite in SUITES, entry
        assert isinstance(reason, str)
        assert len(reason.split()) >= 5, f"no real reason: {entry}"
        assert isinstance(names, list)
        assert names, entry
        ids = {test.name for test in TESTS[suite]}
        if names != ["*"]:
            unknown = sorted(str(name) for name in names if name not in ids)
            assert unknown == [], f"not tests of {suite}: {unknown}"
        for name in ids if names == ["*"] else names:
            seen[(suite, str(name), store)] += 1
    assert [key for key, count in seen.items() if count > 1] == []
