"""Property-based fuzzing (hypothesis) of every parameter of every named query, and of the command line.

What must hold, whatever the value (SPARQL injection, control characters, other scripts, huge text, numbers out
of range, malformed dates, Python values of any type):

* ``KnowledgeGraph.query(name, ...)`` answers, or raises :class:`~alliance_kg.errors.ParameterError` naming the
  parameter (the documented error for a bad value: ``ParameterError`` for parameters and the ``lang`` option,
  ``QueryError`` only for a bad ``timeout``); never another exception, never a ``QueryError`` for a value;
* the graph is unchanged: the triple count of every named graph after each call, and a hash of every named
  graph's sorted N-Triples after each test;
* ``alliance_kg.cli.main([...])`` (run in-process) exits 0, 1 or 2 (2 for argparse usage errors too), prints no
  traceback, writes only into its temporary working folder, and leaves the curated files as they were.

Two settings profiles: ``ci`` (the default: few examples, derandomised so the suite stays deterministic) and
``long`` (2000 examples per property, or ``FUZZ_EXAMPLES``; random, new ones each run):
``HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import math
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testpaths import REPO

import alliance_kg as akg
from alliance_kg.cli import main
from alliance_kg.errors import AllianceKGError, ParameterError, QueryError
from alliance_kg.knowledge_graph import KnowledgeGraph
from alliance_kg.named_queries import MAX_VALUE_CHARS, PARAMETER_TYPES, NamedQuery, Parameter
from alliance_kg.store import Store

# -- profiles ------------------------------------------------------------------------------------------------------

settings.register_profile(
    "ci",
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")),
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: Applied to this module's tests only (never loaded globally, so other tests keep their own settings).
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")


def examples(ci: int) -> settings:
    """The profile's settings, with ``ci`` examples in the ``ci`` profile (the ``long`` one keeps its number)."""
    profile = settings.get_profile(PROFILE)
    return settings(profile, max_examples=ci) if PROFILE == "ci" else profile


# -- the values ----------------------------------------------------------------------------------------------------

INJECTIONS = [
    '"} ; DROP ALL ; {',
    '" } ; DROP ALL ; { "',
    "> } INSERT DATA { <urn:x> <urn:y> <urn:z> } ; {",
    '\\" . ?s ?p ?o',
    "\\' . ?s ?p ?o",
    '""" } DELETE WHERE { ?s ?p ?o } #',
    "'''",
    "<https://w3id.org/alliance-kg/id/plant/okazaki> } ; CLEAR ALL ; { <x",
    "https://w3id.org/alliance-kg/id/plant/okazaki> } ; DROP ALL ; { <",
    "plant:okazaki> . } DROP DEFAULT",
    "<>",
    "< >",
    "<http://x/a b>",
    "}",
    "{",
    "# comment\n} DROP ALL",
    "?s",
    "$x",
    "SERVICE <http://127.0.0.1:1/> { ?s ?p ?o }",
    "\\u0022 } ; DROP ALL ; { \\u0022",
    "VALUES ?plant { <urn:x> }",
    "manufacturer:nissan ; rdfs:label ?x",
    "file:///etc/passwd",
    "<file:///etc/passwd>",
    "http://169.254.169.254/latest/meta-data/",
    "id:plant/../../etc/passwd",
    "plant:",
    ":",
    "a:b:c",
    "urn:",
]
SCRIPTS = [
    "日産自動車",
    "三菱自動車の岡崎製作所",
    "نيسان موتور",
    "שלום",
    "\u202eokazaki\u202c",  # right-to-left override
    "\u200b\u200d\ufeff",  # zero-width characters and a BOM
    "🚗🏭🇯🇵",
    "usine d\u2019Okazaki",
    "Usine d'Okazaki",
    "OKAZAKI PLANT",
    "İstanbul ß ǅ",
    "Ω\u0301",
    "e\u0301",  # NFD
    "\u00e9",  # NFC
]
KNOWN = [
    "Okazaki plant",
    "plant:okazaki",
    "<https://w3id.org/alliance-kg/id/plant/okazaki>",
    "https://w3id.org/alliance-kg/id/plant/okazaki",
    "id:plant/okazaki",
    "manufacturer:nissan",
    "Nissan",
    "Mitsubishi Motors",
    "North America",
    "Amérique du Nord",
    "region:north-america",
    "supply:navara-laem-chabang",
    "2026-01-01",
    "en",
    "fr",
]
CONTROLS = "".join(map(chr, range(0x20))) + "\x7f\x85\u2028\u2029"
DATES = [
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "0000-01-01",
    "9999-12-32",
    "99999-01-01",
    "-2026-01-01",
    "+2026-01-01",
    "2026-1-1",
    "20260101",
    "2026-W01-1",
    "2026-01-01T00:00:00",
    "2026-01-01Z",
    "2026-01-01+09:00",
    "\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661",  # Arabic-Indic digits
    "\uff12\uff10\uff12\uff16-\uff10\uff11-\uff10\uff11",  # full-width digits
    "next spring",
]
NUMBERS = [
    "9" * 5000,
    "-" + "9" * 4301,
    "1e999999999",
    "1e-999999999",
    "NaN",
    "-Infinity",
    "sNaN",
    "0x10",
    "1_000",
    "\u0661\u0662\u0663",
    "1.5e3",
    ".",
    "-",
    "+",
]


def _huge(piece: str, count: int) -> str:
    return piece * count


huge_text = st.builds(
    _huge,
    st.sampled_from(["x", "日", "\x00", "a ", '"} ', "é"]),
    st.sampled_from([MAX_VALUE_CHARS, MAX_VALUE_CHARS + 1, 1_000_000]),
)
control_text = st.text(alphabet=CONTROLS + "ab:<>/", max_size=20)
any_text = st.text(max_size=60)
injection = st.builds(
    lambda before, payload, after: before + payload + after,
    st.sampled_from(["", "plant:okazaki", "Okazaki plant", "x", "2026-01-01", "en"]),
    st.sampled_from(INJECTIONS),
    st.sampled_from(["", " ", "\x00", "#", '"']),
)
python_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(10**5000),
    st.floats(),
    st.decimals(),
    st.just(Decimal("1e999999999")),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=20),
    st.lists(st.integers(), max_size=3),
)
malformed_date = st.one_of(
    st.sampled_from(DATES),
    st.builds(
        lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
        st.integers(-1, 10**6),
        st.integers(-1, 99),
        st.integers(-1, 99),
    ),
)
text_values = st.one_of(
    st.sampled_from(KNOWN),
    st.sampled_from(INJECTIONS),
    injection,
    st.sampled_from(SCRIPTS),
    control_text,
    any_text,
    huge_text,
    malformed_date,
    st.sampled_from(NUMBERS),
)
values = st.one_of(text_values, python_values)


# -- the graph and what must not change ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kg() -> Iterator[KnowledgeGraph]:
    graph = akg.load()
    yield graph
    graph.close()


def counts(store: Store) -> dict[str, int]:
    return {name: store.count(name) for name in store.graph_names()}


def fingerprint(store: Store) -> dict[str, str]:
    """A hash of each named graph's sorted N-Triples (the graphs hold no blank nodes that a dump relabels)."""
    digests = {}
    for name in store.graph_names():
        data = store.dump(name, "nt")
        assert data is not None
        lines = sorted(data.decode("utf-8").splitlines())
        digests[name] = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return digests


@pytest.fixture
def unchanged(kg: KnowledgeGraph) -> Iterator[dict[str, int]]:
    """The triple counts before the test (checked by each example); every graph's hash is compared after it."""
    before = fingerprint(kg.store)
    yield counts(kg.store)
    assert fingerprint(kg.store) == before, "a query changed the graph"


def library() -> dict[str, NamedQuery]:
    return {name: query for name, query in akg.queries().items() if not query.federated}


PARAMETERS = [(query.name, parameter) for query in library().values() for parameter in query.parameters]


def run_named(kg: KnowledgeGraph, name: str, params: Mapping[str, object], **options: object) -> object:
    """``kg.query`` with the parameters as one mapping (issue 9), apart from the options."""
    return kg.query(name, params, **options)  # type: ignore[arg-type]


def answers_or_refuses(
    call: Callable[[], object], *, parameter: str | None, allowed: tuple[type[AllianceKGError], ...] = ()
) -> None:
    """``call()`` answers or raises ParameterError (naming ``parameter`` when given) or one of ``allowed``."""
    refused: ParameterError | None = None
    try:
        call()
    except ParameterError as error:
        refused = error
    except allowed:
        return
    if refused is not None:
        assert parameter is None or refused.parameter == parameter, refused
        assert len(str(refused)) < 4 * MAX_VALUE_CHARS, "an error message repeats a huge value"


# -- named queries ---------------------------------------------------------------------------------------------------


def test_every_named_query_parameter_is_fuzzed() -> None:
    """The fuzzed set is the library's: every parameter of every (non-federated) named query, and the library
    declares only types the fuzzing knows."""
    assert len(PARAMETERS) >= 13
    assert {parameter.base_type for _, parameter in PARAMETERS} <= set(PARAMETER_TYPES)
    assert {name for name, _ in PARAMETERS} >= {"supplies-by-plant", "sales-certainly-before", "timeline"}


@pytest.mark.parametrize(("query", "parameter"), PARAMETERS, ids=[f"{q}-{p.name}" for q, p in PARAMETERS])
def test_a_parameter_value_is_answered_or_a_parameter_error(
    kg: KnowledgeGraph, unchanged: dict[str, int], query: str, parameter: Parameter
) -> None:
    @examples(ci=10)
    @given(value=values)
    def check(value: object) -> None:
        answers_or_refuses(lambda: run_named(kg, query, {parameter.name: value}), parameter=parameter.name)
        assert counts(kg.store) == unchanged

    check()


def test_all_parameters_of_a_query_at_once(kg: KnowledgeGraph, unchanged: dict[str, int]) -> None:
    queries = library()

    @examples(ci=15)
    @given(data=st.data(), name=st.sampled_from(sorted(queries)))
    def check(data: st.DataObject, name: str) -> None:
        params = {p.name: data.draw(values, label=p.name) for p in queries[name].parameters}
        answers_or_refuses(lambda: run_named(kg, name, params), parameter=None)
        assert counts(kg.store) == unchanged

    check()


def test_an_unknown_parameter_name_is_a_parameter_error(kg: KnowledgeGraph, unchanged: dict[str, int]) -> None:
    queries = library()

    @examples(ci=12)
    @given(
        name=st.sampled_from(sorted(queries)),
        key=st.one_of(st.text(max_size=30), st.sampled_from(INJECTIONS + SCRIPTS)),
        value=values,
    )
    def check(name: str, key: str, value: object) -> None:
        declared = {p.name for p in queries[name].parameters}
        if key in declared:
            return
        with pytest.raises(ParameterError):
            run_named(kg, name, {key: value})
        assert counts(kg.store) == unchanged

    check()


def test_the_lang_and_timeout_options(kg: KnowledgeGraph, unchanged: dict[str, int]) -> None:
    """``lang`` takes a language tag (ParameterError otherwise); ``timeout`` a positive number of seconds
    (QueryError otherwise, as documented by store.check_timeout)."""
    queries = library()

    @examples(ci=12)
    @given(
        name=st.sampled_from(sorted(queries)),
        lang=st.one_of(st.none(), text_values),
        timeout=st.one_of(
            st.none(),
            st.sampled_from([math.nan, math.inf, 0.0, -0.0, 5e-324]),
            st.floats(max_value=threading.TIMEOUT_MAX),  # above it: see test_a_huge_timeout
            st.integers(-(10**6), 10**6),
        ),
    )
    def check(name: str, lang: str | None, timeout: float | None) -> None:
        refused: AllianceKGError | None = None
        try:
            kg.query(name, lang=lang, timeout=timeout)
        except (ParameterError, QueryError) as error:
            refused = error
        if isinstance(refused, ParameterError):
            assert refused.parameter in ("lang", None), refused
        elif isinstance(refused, QueryError):  # a timeout that is no positive number, or one too short for the query
            assert timeout is not None, refused
            assert "timeout" in str(refused), refused
        assert counts(kg.store) == unchanged

    check()


def test_a_huge_timeout(kg: KnowledgeGraph) -> None:
    """Found by the fuzzing: 1e300 s passed the check, then killed the memory store's watchdog thread
    (OverflowError past threading.TIMEOUT_MAX) and the query ran with no limit. Now it is refused."""
    with pytest.raises(QueryError, match="timeout"):
        kg.query("timeline", timeout=1e300)
    time.sleep(0.1)  # a watchdog thread, had one started, would fail now (an unhandled-thread warning is an error)


def test_every_parameter_type_in_a_query_file(tmp_path: Path, kg: KnowledgeGraph, unchanged: dict[str, int]) -> None:
    """Types the library does not use yet (integer, decimal, string, boolean, iri) through a query file of one's
    own: numbers out of range, NaN, exponents and other scripts' digits are parameter errors too."""
    lines = [f"# param: {name} {type_}" for name, type_ in _TYPED.items()]
    text = "\n".join(["# title: every type", *lines, "SELECT * WHERE { OPTIONAL { ?s ?p ?o } } LIMIT 1", ""])
    path = tmp_path / "typed.rq"
    path.write_text(text, encoding="utf-8")
    required = {name: _VALID[name] for name in _TYPED}

    @examples(ci=30)
    @given(name=st.sampled_from(sorted(_TYPED)), value=values)
    def check(name: str, value: object) -> None:
        params = {**required, name: value}
        answers_or_refuses(lambda: kg.query(path, **params), parameter=name)
        assert counts(kg.store) == unchanged

    check()


_TYPED = {
    "day": "xsd:date",
    "count": "xsd:integer",
    "amount": "xsd:decimal",
    "text": "xsd:string",
    "flag": "xsd:boolean",
    "link": "iri",
    "tag": "lang",
    "thing": "entity",
    "plant": "entity(akg:Plant)",
}
_VALID: dict[str, object] = {
    "day": dt.date(2026, 1, 1),
    "count": 1,
    "amount": "1.5",
    "text": "x",
    "flag": "true",
    "link": "urn:x",
    "tag": "en",
    "thing": "plant:okazaki",
    "plant": "plant:okazaki",
}


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("xsd:integer", "9" * 5000),
        ("xsd:integer", 10**5000),
        ("xsd:decimal", "1e999999999"),
        ("xsd:decimal", Decimal("1e-999999999")),
        ("xsd:decimal", "NaN"),
        ("xsd:decimal", float("inf")),
        ("xsd:date", "2026-W01-1"),
        ("xsd:date", "20260101"),
        ("xsd:string", "\ud800"),
        ("iri", "http://example.org/a\x00b"),
        ("entity", "<http://example.org/a\x01b>"),
        ("entity", "x" * 1_000_000),
    ],
    ids=lambda item: item if isinstance(item, str) and len(item) < 30 and item.isprintable() else "value",
)
def test_defects_the_fuzzing_found_are_parameter_errors(kg: KnowledgeGraph, type_: str, value: object) -> None:
    """Each of these once escaped as another exception (ValueError from int(), a QueryError from the query
    writer), hung (rdflib writing 1e999999999 as a billion digits) or was silently read as another day
    (ISO week dates); the 1 MB name took seconds of label lookups and came back in a 1 MB message."""
    with pytest.raises(ParameterError) as info:
        Parameter(name="x", type=type_).to_term(value, kg.entities if type_ == "entity" else None)
    assert info.value.parameter == "x"
    assert len(str(info.value)) < 2000


@pytest.mark.parametrize("value", [1, dt.date(2026, 1, 1)], ids=["int", "date"])
def test_a_lang_parameter_that_is_not_text(kg: KnowledgeGraph, value: object) -> None:
    params = {"lang": value}
    with pytest.raises(ParameterError):
        run_named(kg, "timeline", params)


# -- the command line ------------------------------------------------------------------------------------------------


CURATED = ("data", "ontology", "queries")


def curated_state() -> dict[str, str]:
    return {
        str(path.relative_to(REPO)): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in CURATED
        for path in sorted((REPO / folder).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def tree(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty working folder (so no project is found there: read-only commands use the packaged data), the
    store cache of the test session, and the curated files checked unchanged afterwards."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("ALLIANCE_KG_STORE", raising=False)
    before = curated_state()
    outside = tree(tmp_path)
    yield folder
    assert curated_state() == before, "a command changed the project's curated files"
    assert {p for p in tree(tmp_path) if not p.startswith("cwd")} == {p for p in outside if not p.startswith("cwd")}


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def check_cli(argv: list[str], statuses: set[int] = frozenset({0, 1, 2})) -> int:  # type: ignore[assignment]
    status, _, err = run_cli(argv)
    assert status in statuses, (argv, status, err[-2000:])
    assert "Traceback" not in err, (argv, err[-2000:])
    return status


cli_text = st.one_of(
    st.sampled_from(INJECTIONS + SCRIPTS + KNOWN + DATES + NUMBERS),
    injection,
    st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=40),
    st.builds(_huge, st.sampled_from(["x", "日"]), st.sampled_from([MAX_VALUE_CHARS + 1, 200_000])),
)
QUERY_NAMES = sorted(library())


def param_pairs() -> st.SearchStrategy[list[str]]:
    names = sorted({p.name for _, p in PARAMETERS})
    key = st.one_of(st.sampled_from(names), cli_text)
    pair = st.one_of(
        st.builds(lambda k, v: f"{k}={v}", key, cli_text),
        cli_text,  # no '=': a usage error of --param
    )
    return st.lists(pair, max_size=3)


def test_cli_query_with_fuzzed_arguments(workdir: Path) -> None:
    @examples(ci=30)
    @given(
        name=st.one_of(st.sampled_from(QUERY_NAMES), cli_text),
        pairs=param_pairs(),
        format=st.one_of(st.sampled_from(["table", "csv", "tsv", "json"]), cli_text),
        lang=st.one_of(st.sampled_from(["en", "fr"]), cli_text),
        timeout=st.one_of(st.sampled_from(["30", "0", "-1", "nan", "inf", "1e400"]), cli_text),
        store=st.sampled_from([None, "memory"]),
    )
    def check(name: str, pairs: list[str], format: str, lang: str, timeout: str, store: str | None) -> None:
        argv = ["query", name, "--format", format, "--lang", lang, "--timeout", timeout]
        for pair in pairs:
            argv += ["--param", pair]
        if store is not None:
            argv += ["--store", store]
        check_cli(argv)

    check()


def test_cli_query_parameters_of_the_library(workdir: Path) -> None:
    """Every parameter of every named query through ``--param``: exit 0 or 2, never a traceback."""

    fuzzed = list(PARAMETERS)

    @examples(ci=20)
    @given(query=st.sampled_from(fuzzed), value=cli_text)
    def check(query: tuple[str, Parameter], value: str) -> None:
        name, parameter = query
        check_cli(["query", name, "--param", f"{parameter.name}={value}"], {0, 2})

    check()


@pytest.mark.parametrize("name", ["timeline", "fact-provenance"])
def test_cli_a_lang_parameter(workdir: Path, name: str) -> None:
    check_cli(["query", name, "--param", "lang=fr"], {0})
    check_cli(["query", name, "--param", 'lang="} ; DROP ALL ; {'], {2})


@st.composite
def argument_lists(draw: st.DrawFn) -> list[str]:
    """Argument lists of every kind: options, values and words in any order, after a command (or none)."""
    command = draw(st.sampled_from(["query", "queries", "export", "", "--version", "nope"]))
    words = st.one_of(
        st.sampled_from(
            [
                "--param",
                "-p",
                "--format",
                "--lang",
                "--timeout",
                "--store",
                "--file",
                "--data",
                "--view",
                "--inferred",
                "-o",
                "--output",
                "--allow-service",
                "--help",
                "-h",
                "--",
                "-",
                "--no-such-option",
                "--format=json",
                "memory",
                "sparql:http://127.0.0.1:1/",
                "oxigraph:",
                "json",
                "timeline",
            ]
        ),
        cli_text,
    )
    argv = [command] if command else []
    return argv + draw(st.lists(words, max_size=8))


NETWORK_OR_WRITES = ("--allow-service", "sparql:", "--data", "--file", "-o", "--output", "--store")


def test_cli_parse_errors_and_odd_argument_lists(workdir: Path) -> None:
    """Any argument list: exit 0, 1 or 2 (argparse usage errors are 2), never a traceback. Lists that would
    reach the network (SERVICE, a sparql: store) or name files are left to the targeted tests."""

    @examples(ci=30)
    @given(argv=argument_lists())
    def check(argv: list[str]) -> None:
        if any(word.startswith(NETWORK_OR_WRITES) for word in argv):
            return
        check_cli(argv)

    check()


def test_cli_queries(workdir: Path) -> None:
    @examples(ci=8)
    @given(format=st.one_of(st.sampled_from(["text", "json"]), cli_text), extra=st.lists(cli_text, max_size=2))
    def check(format: str, extra: list[str]) -> None:
        check_cli(["queries", "--format", format, *extra])

    check()


EXPORT_SUFFIXES = ["json", "csv", "graphml", "gexf", "cyjs", "", "png", "txt", "xml"]
file_name = st.text(
    alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]), min_size=1, max_size=30
)


def test_cli_export_options(workdir: Path) -> None:
    """Export options, with the output inside the working folder: exit 0 or 2, no traceback, nothing written
    elsewhere (``workdir`` checks). Valid views and formats are drawn too, so some examples write a file."""

    @examples(ci=12)
    @given(
        view=st.one_of(st.sampled_from(["supply", "entities", "rdf", "footprint"]), cli_text),
        format=st.one_of(st.none(), st.sampled_from(["json", "csv", "graphml", "gexf", "cyjs"]), cli_text),
        lang=st.one_of(st.sampled_from(["en", "fr"]), cli_text),
        name=file_name,
        suffix=st.sampled_from(EXPORT_SUFFIXES),
    )
    def check(view: str, format: str | None, lang: str, name: str, suffix: str) -> None:
        if name in (".", ".."):
            name = "out"
        output = workdir / "out" / (f"{name}.{suffix}" if suffix else name)
        output.parent.mkdir(exist_ok=True)
        argv = ["export", "--view", view, "--lang", lang, "-o", str(output)]
        if format is not None:
            argv += ["--format", format]
        check_cli(argv, {0, 2})

    check()


def test_cli_export_to_a_path_with_a_nul(workdir: Path) -> None:
    """Found by the fuzzing: a NUL in -o escaped as a ValueError traceback."""
    check_cli(["export", "-o", str(workdir / "a\x00b.json")], {2})


@pytest.mark.parametrize(
    "argv",
    [
        ["query", "supplies-by-plant", "--param", "plant=" + "x" * 1_000_000],
        ["query", "supplies-by-plant", "--param", "plant=a\x01b"],
        ["query", "sales-certainly-before", "--param", "before=2026-W01-1"],
        ["query", "timeline", "--lang", "\x00"],
        ["query", "--file", "no-such-file.rq"],
        ["query", "supplies-by-plant", "--param", "plant"],
        ["query", "supplies-by-plant", "--param", "=x"],
        ["query", "supplies-by-plant", "--timeout", "nan"],
        ["queries", "--format", "yaml"],
        ["export", "-o", "x.json", "--view", "nope"],
        ["export", "-o", "x.json", "--lang", "\u202e"],
        [],
        ["--no-such-option"],
    ],
)
def test_cli_errors_exit_2_with_one_message(workdir: Path, argv: list[str]) -> None:
    status, _, err = run_cli(argv)
    assert status == 2, err
    assert "Traceback" not in err
    assert "error" in err
    assert len(err) < 20_000
