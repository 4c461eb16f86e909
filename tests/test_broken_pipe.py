"""Issue 9: ``alliance-kg queries | head -3`` ended in a BrokenPipeError traceback.

Every command that prints stops quietly, with exit status 141, when its reader goes away. The reader is
closed before the command starts, so the first write fails every time (not only when the output outgrows
the pipe's buffer).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alliance_kg.cli import EXIT_BROKEN_PIPE

SCRIPT = Path(sys.executable).parent / "alliance-kg"


def run_with_closed_reader(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run ``alliance-kg argv`` with stdout a pipe whose read end is already closed."""
    assert SCRIPT.exists(), f"{SCRIPT} is not installed next to {sys.executable}; pip install -e ."
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [str(SCRIPT), *argv],
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "argv",
    [
        ("queries",),
        ("query", "plants-and-what-they-build"),
        ("query", "plants-and-what-they-build", "--format", "json"),
        ("validate",),
        ("link", "--report"),
        ("--help",),
    ],
    ids=["queries", "query", "query-json", "validate", "link-report", "help"],
)
def test_closed_reader_exits_quietly(argv: tuple[str, ...]) -> None:
    done = run_with_closed_reader(*argv)
    assert "Traceback" not in done.stderr
    assert "BrokenPipeError" not in done.stderr
    assert "Exception ignored" not in done.stderr
    assert done.stderr == ""
    if argv == ("--help",):
        # argparse swallows its own write errors for --help and exits 0; quiet either way
        assert done.returncode in (0, EXIT_BROKEN_PIPE)
    else:
        assert done.returncode == EXIT_BROKEN_PIPE


@pytest.mark.skipif(shutil.which("head") is None, reason="no head(1) on this system")
def test_queries_piped_into_head() -> None:
    """The reported case, through a shell pipeline: head reads one line and goes away."""
    done = subprocess.run(
        f"'{SCRIPT}' queries | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0  # head's status
    assert len(done.stdout.splitlines()) == 1
    assert "Traceback" not in done.stderr
    assert done.stderr == ""


def test_open_reader_still_gets_everything_and_status_0() -> None:
    done = subprocess.run([str(SCRIPT), "queries"], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0
    assert done.stderr == ""
    assert "plants-and-what-they-build" in done.stdout
