"""Release versions and release dates: which strings name a release, how versions order, what day a release has.

A version is a number with optional dotted parts (``1``, ``2026.1``, ``1.0.0``), optionally followed by a
pre-release (``-rc.1``) and build metadata (``+build.5``), as in Semantic Versioning; at most 64 characters, so a
version is always a safe folder name (no ``/``, ``\\``, ``..`` or spaces). Versions order by their numbers
(``1.10`` after ``1.9``; ``1.0`` and ``1.0.0`` are equal), a pre-release before its release.

The release date is never the clock's "now" unless nothing else is given: ``--date YYYY-MM-DD``, else the
``SOURCE_DATE_EPOCH`` environment variable (seconds since 1970, the reproducible-builds convention; its UTC day),
else today's date in UTC. Two releases of the same inputs with the same date are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from alliance_kg.errors import InputError

__all__ = ["check_version", "find_previous", "release_date", "version_key"]

_VERSION: Final = re.compile(
    r"^(?P<numbers>[0-9]+(?:\.[0-9]+)*)(?:-(?P<pre>[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*))?(?:\+[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?$"
)
_MAX_LENGTH: Final = 64
_DATE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

#: the environment variable of the reproducible-builds convention (https://reproducible-builds.org/specs/source-date-epoch/)
SOURCE_DATE_EPOCH: Final = "SOURCE_DATE_EPOCH"

_Key = tuple[tuple[int, ...], int, tuple[tuple[int, int, str], ...]]


def check_version(version: str) -> str:
    """``version`` when it names a release (see the module docstring), else an :class:`InputError` saying why."""
    if not version or len(version) > _MAX_LENGTH or _VERSION.fullmatch(version) is None:
        shown = version if len(version) <= _MAX_LENGTH else version[:_MAX_LENGTH] + "..."
        raise InputError(
            f"not a release version: {shown!r}; give numbers with dots such as 1.0.0 or 2026.1, optionally with a "
            f"pre-release (-rc.1), at most {_MAX_LENGTH} characters, no / or spaces"
        )
    return version


def version_key(version: str) -> _Key:
    """A key that orders versions (:func:`check_version` must accept ``version``)."""
    match = _VERSION.fullmatch(version)
    if match is None:
        raise InputError(f"not a release version: {version!r}")
    numbers = [int(part) for part in match["numbers"].split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    pre = match["pre"]
    if pre is None:
        return (tuple(numbers), 1, ())
    parts = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in pre.split("."))
    return (tuple(numbers), 0, parts)


def is_version(name: str) -> bool:
    """Whether ``name`` (a folder name) is a release version."""
    return len(name) <= _MAX_LENGTH and _VERSION.fullmatch(name) is not None


def find_previous(releases: Path, version: str, *, marker: str) -> Path | None:
    """The release in ``releases`` with the highest version below ``version``: a folder named by a version that
    holds ``marker`` (a file every release has). None when there is none."""
    try:
        entries = sorted(releases.iterdir())
    except OSError:
        return None
    current = version_key(version)
    earlier = [
        entry
        for entry in entries
        if is_version(entry.name)
        and entry.is_dir()
        and (entry / marker).is_file()
        and version_key(entry.name) < current
    ]
    return max(earlier, key=lambda entry: version_key(entry.name)) if earlier else None


def release_date(given: str | None = None, environ: Mapping[str, str] | None = None) -> dt.date:
    """The release date: ``given`` (``YYYY-MM-DD``), else ``SOURCE_DATE_EPOCH``'s UTC day, else today (UTC)."""
    if given is not None:
        if not _DATE.fullmatch(given):
            raise InputError(f"not a date: {given!r}; give the release date as YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(given)
        except ValueError as error:
            raise InputError(f"not a date: {given!r} ({error})") from None
    epoch = (os.environ if environ is None else environ).get(SOURCE_DATE_EPOCH)
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise InputError(
                f"{SOURCE_DATE_EPOCH}={epoch!r} is not a number of seconds since 1970-01-01 in the range of dates"
            ) from None
    return dt.datetime.now(tz=dt.UTC).date()
