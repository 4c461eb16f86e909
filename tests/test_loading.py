from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from testpaths import FIXTURES

from alliance_kg.errors import InputError, RDFSyntaxError
from alliance_kg.loading import parse_file, parse_files
from alliance_kg.namespaces import AKG

PREFIX = "@prefix ex: <http://example.org/> .\n"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_parse_good_files() -> None:
    graph = parse_files([FIXTURES / "ontology-mini.ttl", FIXTURES / "facts-good.ttl"])
    assert (URIRef(AKG.Plant), None, None) in graph
    assert len(graph) > 10
    assert dict(graph.namespaces())["akg"] == URIRef(str(AKG))


def test_ntriples_by_suffix(tmp_path: Path) -> None:
    path = write(tmp_path, "a.nt", "<http://a> <http://b> <http://c> .\n")
    assert len(parse_files([path])) == 1


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        # line 4 (1-based) holds the unterminated string; the error is at its newline
        ('\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\nex:f ex:g ex:h .\n', 4, 26),
        ("ex:a ex:b ex:c .\nex:a ex:b ex:c ex:d .\n", 3, 16),
        ("ex:a ex:b ex:c .\n\n\nex:a ex:b .\n", 5, 10),
    ],
)
def test_malformed_turtle_names_file_and_line(tmp_path: Path, body: str, line: int, column: int) -> None:
    path = write(tmp_path, "bad.ttl", PREFIX + body)
    with pytest.raises(RDFSyntaxError) as caught:
        parse_files([path])
    error = caught.value
    assert error.path == path
    assert error.line == line
    assert error.column == column
    assert str(error).startswith(f"{path}:{line}:{column}: ")


def test_malformed_ntriples_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.nt", "<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n")
    with pytest.raises(RDFSyntaxError) as caught:
        parse_files([path])
    assert caught.value.line == 2
    assert str(caught.value).startswith(f"{path}:2: ")


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.ttl"
    with pytest.raises(InputError, match="no such file") as caught:
        parse_files([missing])
    assert caught.value.path == missing
    assert str(missing) in str(caught.value)


def test_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "dir.ttl"
    folder.mkdir()
    with pytest.raises(InputError, match="directory"):
        parse_files([folder])


def test_non_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "latin1.ttl", (PREFIX + 'ex:a ex:b "caf\xe9" .\n').encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8") as caught:
        parse_files([path])
    assert caught.value.path == path
    assert caught.value.line == 2
    assert not isinstance(caught.value, RDFSyntaxError)


def test_oversize_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "big.ttl", PREFIX + "ex:a ex:b ex:c .\n" * 10)
    with pytest.raises(InputError, match="limit of 100 bytes"):
        parse_files([path], max_bytes=100)
    assert len(parse_files([path], max_bytes=10_000)) == 1


def test_unknown_suffix(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "{}")
    with pytest.raises(InputError, match="format"):
        parse_files([path])


def test_unknown_format_argument(tmp_path: Path) -> None:
    path = write(tmp_path, "a.ttl", PREFIX)
    with pytest.raises(InputError, match="unsupported RDF format"):
        parse_files([path], format="n3")


def test_no_network_access(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    path = write(
        tmp_path,
        "hostile.ttl",
        "@base <http://example.org/base/> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<> owl:imports <http://example.org/x> , <https://example.org/y.ttl> .\n"
        "<relative> owl:imports <http://127.0.0.1:9/never> .\n",
    )
    graph = parse_files([path])
    assert (URIRef("http://example.org/base/relative"), None, None) in graph
    assert len(graph) == 3
    assert attempts == []


def test_parse_file_into_does_not_touch_other_graphs(tmp_path: Path) -> None:
    path = write(tmp_path, "a.ttl", PREFIX + "ex:a ex:b ex:c .\n")
    target = Graph()
    result = parse_file(path, into=target)
    assert result is target
    assert len(target) == 1


def test_non_regular_files_are_refused_without_reading(tmp_path: Path) -> None:
    """A link to /dev/zero would never end and a FIFO would hang: both are refused at once."""
    import os

    zero = tmp_path / "zero.ttl"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "fifo.ttl"
    os.mkfifo(fifo)
    for path in (zero, fifo):
        with pytest.raises(InputError, match="is not a regular file") as caught:
            parse_files([path])
        assert caught.value.path == path


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.ttl"
    path.write_bytes(b"\xef\xbb\xbf<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    assert len(parse_files([path])) == 1


def test_a_failed_parse_adds_nothing_to_the_given_graph(tmp_path: Path) -> None:
    from rdflib import Graph

    from alliance_kg.loading import parse_file

    path = tmp_path / "half.ttl"
    path.write_text(
        "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
        "<http://example.org/d> <http://example.org/e> <http://example.org/f> .\n"
        "<http://example.org/g> <http://example.org/h> .\n",
        encoding="utf-8",
    )
    graph = Graph()
    graph.add((URIRef("http://example.org/x"), URIRef("http://example.org/y"), URIRef("http://example.org/z")))
    with pytest.raises(RDFSyntaxError, match=r"half\.ttl:3"):
        parse_file(path, into=graph)
    assert len(graph) == 1
