from __future__ import annotations

from pathlib import Path

import pytest

from alliance_kg.errors import (
    AllianceKGError,
    BuildError,
    InconsistencyError,
    InputError,
    RDFSyntaxError,
    RejectedBuildError,
    ResourceError,
)
from alliance_kg.reasoning import Inconsistency


def test_input_error_shows_file_line_column() -> None:
    error = InputError("bad thing", path=Path("data/x.ttl"), line=3, column=7)
    assert str(error) == "data/x.ttl:3:7: bad thing"
    assert error.location == "data/x.ttl:3:7"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "oops"),
        ({"path": "a.ttl"}, "a.ttl: oops"),
        ({"path": "a.ttl", "line": 2}, "a.ttl:2: oops"),
        ({"path": "a.ttl", "column": 4}, "a.ttl: oops"),
    ],
)
def test_input_error_shows_what_is_known(kwargs: dict[str, object], expected: str) -> None:
    assert str(InputError("oops", **kwargs)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cls",
    [InputError, RDFSyntaxError, ResourceError, BuildError, RejectedBuildError],
)
def test_one_tree(cls: type[Exception]) -> None:
    assert issubclass(cls, AllianceKGError)
    assert issubclass(RDFSyntaxError, InputError)
    assert issubclass(RejectedBuildError, BuildError)


def test_inconsistency_error_carries_the_list() -> None:
    items = [Inconsistency(kind="nothing", resources=("x",), message="x is nothing")]
    error = InconsistencyError(items)
    assert error.inconsistencies == tuple(items)
    assert "x is nothing" in str(error)
    assert isinstance(error, AllianceKGError)
