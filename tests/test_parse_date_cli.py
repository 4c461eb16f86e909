"""``alliance-kg parse-date``: a date as a source writes it, printed as JSON; exit 2 when it cannot be read."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from alliance_kg.cli import main


def parse_date(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object, str]:
    status = main(["parse-date", *argv])
    captured = capsys.readouterr()
    return status, json.loads(captured.out) if status == 0 else captured.out, captured.err


def test_prints_the_stated_date_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, printed, err = parse_date(capsys, "à partir de la fin du premier trimestre 2026", "--ref", "2026-01-12")
    assert (status, err) == (0, "")
    assert printed == {
        "precision": "akg:unitQuarter",
        "qualifier": "akg:EndOf",
        "earliest": "2026-03-01",
        "latest": "2026-03-31",
        "statedAs": "à partir de la fin du premier trimestre 2026",
        "lang": "fr",
    }


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["3月までに", "--ref", "2026-01-14"], ("ja", "time:unitMonth", "akg:By", "2026-01-14", "2026-03-31")),
        (
            ["in the second half of 2026", "--ref", "2026-01-14"],
            ("en", "akg:unitHalfYear", None, "2026-07-01", "2026-12-31"),
        ),
        (
            ["Q1 2026", "--ref", "2026-01-14", "--lang", "de"],
            ("de", "akg:unitQuarter", None, "2026-01-01", "2026-03-31"),
        ),
        (
            ["pada akhir kuartal yang sama", "--previous", "pada kuartal pertama 2026", "--ref", "2026-01-14"],
            ("id", "akg:unitQuarter", "akg:EndOf", "2026-03-01", "2026-03-31"),
        ),
    ],
)
def test_languages_lang_and_previous(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: tuple[str | None, ...]
) -> None:
    status, printed, _ = parse_date(capsys, *argv)
    assert status == 0
    assert isinstance(printed, dict)
    assert (printed["lang"], printed["precision"], printed["qualifier"], printed["earliest"], printed["latest"]) == (
        expected
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["vers mars 2026", "--ref", "2026-01-12"], "cannot read the date 'vers mars 2026'"),
        (["Q1 2026", "--ref", "2026-01-12"], "the language cannot be told"),
        (["2026年度", "--ref", "2026-01-12"], "fiscal year"),
        (["mars 2026", "--ref", "2026-02-30"], "--ref: not a day YYYY-MM-DD: '2026-02-30'"),
        (["mars 2026", "--ref", "12/01/2026"], "--ref: not a day YYYY-MM-DD: '12/01/2026'"),
        (["mars 2026", "--ref", "20260112"], "--ref: not a day YYYY-MM-DD"),
        (["kuartal yang sama", "--ref", "2026-01-12", "--lang", "id"], "refers to an earlier date"),
    ],
)
def test_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    status, out, err = parse_date(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("alliance-kg parse-date: error: ")
    assert message in err
    assert "Traceback" not in err


def test_unknown_lang_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse-date", "mars 2026", "--ref", "2026-01-12", "--lang", "es"]) == 2
    assert "invalid choice: 'es'" in capsys.readouterr().err


def test_help_tells_the_fields_and_the_convention(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse-date", "--help"]) == 0
    out = capsys.readouterr().out
    for word in ("precision", "qualifier", "earliest", "latest", "statedAs", "lang", "--ref", "--lang", "by"):
        assert word in out
    assert main(["--help"]) == 0
    assert "parse-date" in capsys.readouterr().out


def test_as_a_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "alliance_kg", "parse-date", "昨年12月20日から", "--ref", "2026-01-14"],
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == {
        "precision": "time:unitDay",
        "qualifier": None,
        "earliest": "2025-12-20",
        "latest": "2025-12-20",
        "statedAs": "昨年12月20日から",
        "lang": "ja",
    }
