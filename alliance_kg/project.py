"""Where the project is: the folder the user owns, that commands which change curated files work on.

A *project* is a folder that holds ``data/`` and ``ontology/`` (a source checkout is one), or an
``alliance-kg.toml`` file (what ``alliance-kg init DIR`` writes). Its parts:

* ``ontology/``: the ontology and the SHACL shapes;
* ``data/``: the facts (``data/**/*.ttl``), ``data/sources/`` and ``data/mappings/`` (the SSSOM links and the
  candidates to review);
* ``queries/``: the named queries;
* ``enrichment/``: what ``alliance-kg enrich`` fetches from Wikidata (never loaded as facts).

The copy of the files that ships inside the installed package is read-only reference data: it is never a
project, and nothing is written under the installed package (:func:`check_writable`). Commands that change
curated files (``link``, ``link --accept``, ``enrich``) work on :func:`require_project`: the folder given with
``--project DIR``, else the current directory when it is a project; elsewhere they stop with an error that says
how to make one (``alliance-kg init DIR``, :func:`init_project`). Read-only commands use the project when there
is one and the packaged data otherwise (see :mod:`alliance_kg.resources`).
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from alliance_kg.errors import InputError

__all__ = [
    "MARKER",
    "Project",
    "check_writable",
    "find_project",
    "in_package",
    "init_project",
    "is_project",
    "require_project",
]

#: The file that marks a folder as a project (``init`` writes it; a checkout is one by its folders).
MARKER: Final = "alliance-kg.toml"
#: The folders ``init`` copies from the packaged data.
COPIED: Final = ("ontology", "data", "queries")

_PACKAGE: Final = Path(__file__).resolve().parent

_MARKER_TEXT: Final = """\
# This folder is an alliance-kg project: its ontology/, data/ (with data/mappings/) and queries/ are yours
# to edit. alliance-kg commands run inside it (or given --project DIR) read and write these files; the copy
# inside the installed package is read-only reference data.
# Made by `alliance-kg init` ({version}).
"""


@dataclass(frozen=True)
class Project:
    """A project folder and the paths of its parts (which need not all exist yet: ``enrichment/`` is made by
    ``enrich``)."""

    root: Path

    @property
    def ontology(self) -> Path:
        """``ontology/``: the ontology and the shapes."""
        return self.root / "ontology"

    @property
    def data(self) -> Path:
        """``data/``: the facts, their sources and the mappings."""
        return self.root / "data"

    @property
    def mappings(self) -> Path:
        """``data/mappings/``: the SSSOM links and the candidates to review."""
        return self.data / "mappings"

    @property
    def queries(self) -> Path:
        """``queries/``: the named queries."""
        return self.root / "queries"

    @property
    def enrichment(self) -> Path:
        """``enrichment/``: what ``alliance-kg enrich`` fetched (kept apart from the facts)."""
        return self.root / "enrichment"

    def folder(self, kind: str) -> Path:
        """The folder of ``kind`` (``ontology``, ``data``, ``queries``, ``mappings`` or ``enrichment``)."""
        if kind not in ("ontology", "data", "queries", "mappings", "enrichment"):
            raise ValueError(f"not a part of a project: {kind!r}")
        path: Path = getattr(self, kind)
        return path

    def __str__(self) -> str:
        return str(self.root)


def _packaged_roots() -> list[Path]:
    """The folders that hold the installed package and its packaged data (never a project, never written)."""
    from alliance_kg import resources

    return [_PACKAGE, resources.packaged_resources()]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def in_package(path: str | Path) -> bool:
    """True when ``path`` is in the installed package (its code or its packaged data)."""
    resolved = Path(path).resolve()
    return any(_inside(resolved, root.resolve()) for root in _packaged_roots())


def is_project(folder: str | Path) -> bool:
    """True when ``folder`` holds ``data/`` and ``ontology/``, or ``alliance-kg.toml``, and is not in the
    installed package."""
    folder = Path(folder)
    marked = (folder / MARKER).is_file() or ((folder / "data").is_dir() and (folder / "ontology").is_dir())
    return marked and not in_package(folder)


def find_project(start: str | Path | None = None, explicit: str | Path | None = None) -> Project | None:
    """The project to work on: ``explicit`` (``--project DIR``) when given, else ``start`` (default: the current
    directory) when it is a project, else None.

    Only ``start`` itself is looked at, not its parents. Raises :class:`InputError` when ``explicit`` is not a
    project folder (missing, not a folder, without ``data/`` and ``ontology/`` or ``alliance-kg.toml``, or in
    the installed package).
    """
    if explicit is not None:
        folder = Path(explicit)
        if not folder.is_dir():
            raise InputError(
                "no such project folder (make one with `alliance-kg init DIR`)"
                if not folder.exists()
                else "is not a folder; --project takes a project folder",
                path=folder,
            )
        if in_package(folder):
            raise InputError(
                "is the installed package's read-only copy of the data, not a project; make a project you own "
                "with `alliance-kg init DIR`",
                path=folder,
            )
        if not is_project(folder):
            raise InputError(
                f"is not an alliance-kg project (it has neither data/ and ontology/ nor {MARKER}); make one with "
                "`alliance-kg init DIR`",
                path=folder,
            )
        return Project(folder.resolve())
    folder = Path.cwd() if start is None else Path(start)
    return Project(folder.resolve()) if is_project(folder) else None


def require_project(
    start: str | Path | None = None, explicit: str | Path | None = None, *, command: str = "this command"
) -> Project:
    """:func:`find_project`, or an :class:`InputError` saying how to make a project when there is none.

    ``command`` names what needs the project in the message (``"link --accept"``).
    """
    project = find_project(start, explicit)
    if project is not None:
        return project
    folder = Path.cwd() if start is None else Path(start)
    where = (
        "the installed package's read-only copy of the data"
        if in_package(folder)
        else f"this folder has neither data/ and ontology/ nor {MARKER}"
    )
    raise InputError(
        f"not in an alliance-kg project ({where}): `alliance-kg {command}` writes a project's files, which live "
        "in a folder you own, never in the installed package. Make one with `alliance-kg init DIR` (a copy of "
        "the packaged ontology, data, mappings and queries), then run the command inside DIR or pass "
        "--project DIR",
        path=folder,
    )


def check_writable(path: str | Path) -> Path:
    """``path``, unless it lies in the installed package: then an :class:`InputError` (nothing is written
    there; curated files belong to a project)."""
    if in_package(path):
        raise InputError(
            "is inside the installed alliance-kg package, whose data is read-only reference data; work in a "
            "project instead (`alliance-kg init DIR` makes one)",
            path=path,
        )
    return Path(path)


def _copy_tree(source: Path, target: Path) -> int:
    """Copy the files of ``source`` into the new folder ``target``: contents only, so that the copies get the
    modes a new file and folder get (the umask's), not those of the installed ones (which may be read-only).
    Returns the number of files copied."""
    count = 0
    target.mkdir()
    for entry in sorted(source.iterdir()):
        if entry.name == "__pycache__" or (entry.is_symlink() and not entry.exists()):
            continue
        if entry.is_dir():
            count += _copy_tree(entry, target / entry.name)
        elif entry.is_file():
            shutil.copyfile(entry, target / entry.name)
            count += 1
    return count


def init_project(folder: str | Path) -> tuple[Project, dict[str, int]]:
    """Make a new project in ``folder`` (a new or empty folder): a copy of the packaged ontology, data (with
    the mappings and sources) and queries, and an ``alliance-kg.toml``. Returns it and the number of files
    copied per folder.

    Atomic: the project is built in a hidden folder beside ``folder`` and renamed to it at the end, so a failure
    leaves nothing (or the empty folder as it was). Raises :class:`InputError` for a folder that is not empty,
    is a file, or is in the installed package, and :class:`~alliance_kg.errors.ResourceError` when the packaged
    data is missing.
    """
    from alliance_kg import __version__, resources

    target = Path(folder).absolute()
    if in_package(target):
        raise InputError("is inside the installed alliance-kg package; make the project elsewhere", path=folder)
    if target.exists() or target.is_symlink():
        if not target.is_dir() or target.is_symlink():
            raise InputError("exists and is not a folder; give a new or empty folder", path=folder)
        if any(target.iterdir()):
            raise InputError("is not empty; `alliance-kg init` makes a project in a new or empty folder", path=folder)
    sources = {kind: resources.packaged_root(kind) for kind in COPIED}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.parent / f".{target.name}.init-{secrets.token_hex(4)}"
        temp.mkdir()  # the mode a new folder gets (0777 less the umask)
    except OSError as error:
        raise InputError(f"cannot make the folder: {error.strerror or error}", path=folder) from None
    try:
        counts = {kind: _copy_tree(source, temp / kind) for kind, source in sources.items()}
        (temp / MARKER).write_text(_MARKER_TEXT.format(version=f"alliance-kg {__version__}"), encoding="utf-8")
        # rename(2) replaces an empty folder and refuses one that is not (anymore): nothing of the user's is lost
        temp.rename(target)
    except OSError as error:
        shutil.rmtree(temp, ignore_errors=True)
        raise InputError(f"cannot make the project: {error.strerror or error}", path=folder) from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return Project(target.resolve()), counts
