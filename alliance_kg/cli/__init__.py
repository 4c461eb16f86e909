"""The ``alliance-kg`` command line: a thin shell over the Python API.

Usage: ``alliance-kg [--version] COMMAND [options]``; ``alliance-kg COMMAND --help``
describes each command.

Exit status (every command):

* 0: success (the data conforms and is consistent);
* 1: the data does not conform to the shapes or is inconsistent;
* 2: an error (unreadable or malformed input, missing files, ...), reported on
  stderr as one message without a traceback;
* 130: interrupted (Ctrl-C);
* 141 (128 + SIGPIPE, what a shell reports for a program a closed pipe ends): the reader of standard output
  went away (``alliance-kg queries | head -3``); the command stops quietly, without a message or a
  traceback, like the Unix tools a pipe usually holds.

Adding a command: write ``alliance_kg/cli/NAME.py`` with ``NAME``, ``HELP``
(one line), optionally ``DESCRIPTION``, ``add_arguments(parser)`` and
``run(args) -> int``, and add its module to :data:`COMMANDS`. Command
modules import rdflib and the rest of the API only
inside ``run``, so that ``alliance-kg --help`` stays instant.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, cast

from alliance_kg import __version__
from alliance_kg.errors import AllianceKGError

__all__ = ["COMMANDS", "EXIT_BROKEN_PIPE", "EXIT_ERROR", "EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_OK", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

#: The command modules, in the order ``--help`` lists them.
COMMANDS: list[str] = [
    "alliance_kg.cli.build",
    "alliance_kg.cli.release",
    "alliance_kg.cli.validate",
    "alliance_kg.cli.queries",
    "alliance_kg.cli.query",
    "alliance_kg.cli.serve",
    "alliance_kg.cli.export",
    "alliance_kg.cli.link",
    "alliance_kg.cli.enrich",
    "alliance_kg.cli.synth",
    "alliance_kg.cli.publish",
    "alliance_kg.cli.init",
    "alliance_kg.cli.parse_date",
    "alliance_kg.cli.add",
]


class Command(Protocol):
    """What a command module provides."""

    NAME: str
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alliance-kg",
        description="Build, validate and query the alliance-kg knowledge graph of automotive OEM supply.",
        epilog="Exit status: 0 ok, 1 data does not conform or is inconsistent, 2 error.",
    )
    parser.add_argument("--version", action="version", version=f"alliance-kg {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMANDS:
        command = cast(Command, importlib.import_module(module_name))
        sub = subparsers.add_parser(
            command.NAME, help=command.HELP, description=getattr(command, "DESCRIPTION", command.HELP)
        )
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


@contextlib.contextmanager
def _interrupt_on_sigterm() -> Iterator[None]:
    """Let SIGTERM unwind like Ctrl-C while a command runs, so that clean-up code runs (a build removes its
    temporary folder); the previous handler is put back afterwards."""
    import signal
    import threading

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (``sys.argv[1:]`` when None); return the exit status."""
    try:
        parser = _parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit_:  # --help, --version and usage errors
            status = exit_.code if isinstance(exit_.code, int) else EXIT_ERROR
        else:
            run = cast(Callable[[argparse.Namespace], int], args.run)
            try:
                with _interrupt_on_sigterm():
                    status = run(args)
            except AllianceKGError as error:
                print(f"alliance-kg {args.command}: error: {error}", file=sys.stderr)
                status = EXIT_ERROR
            except KeyboardInterrupt:
                print("alliance-kg: interrupted", file=sys.stderr)
                status = EXIT_INTERRUPTED
        sys.stdout.flush()  # a reader gone shows here, not as "Exception ignored" at the interpreter's exit
    except BrokenPipeError:
        # As the Python docs recommend (library/signal, "Note on SIGPIPE"): point stdout at devnull so that
        # the interpreter's final flush of what is still buffered does not fail again, and stop quietly.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, sys.stdout.fileno())
            finally:
                os.close(devnull)
        return EXIT_BROKEN_PIPE
    return status
