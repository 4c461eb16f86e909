"""Find the files that make up the knowledge graph.

Two places can hold them:

* a *project* (:mod:`alliance_kg.project`): a folder the user owns with ``ontology/``, ``data/`` and
  ``queries/``, such as a source checkout or what ``alliance-kg init DIR`` makes. The files are served from
  the project selected with :func:`use_project` (``--project DIR``), else from the current directory when it
  is one;
* the *packaged* copy, read-only reference data used everywhere else: an installed wheel carries it in
  ``alliance_kg/_resources/{ontology,data,queries}``; a source checkout (plain or editable install) has it at
  the top of the repository (:func:`packaged_root`).

:func:`data_source` says which one is in use, for commands to print.

Roles by file name:

* ``ontology/*.ttl`` except ``*.shapes.ttl``: the OWL ontology;
* ``ontology/*.shapes.ttl``: the SHACL shapes;
* ``data/**/*.ttl``: the facts;
* ``queries/*.rq``: the named SPARQL queries; ``queries/federated/*.rq`` those that call
  another endpoint with SERVICE (they run only when the user allows it).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Final

from alliance_kg.errors import ResourceError

if TYPE_CHECKING:
    from alliance_kg.project import Project

__all__ = [
    "active_project",
    "data_files",
    "data_source",
    "ontology_files",
    "packaged_resources",
    "packaged_root",
    "query_files",
    "resource_root",
    "shape_files",
    "use_project",
]

_PACKAGED = Path(__file__).resolve().parent / "_resources"
_CHECKOUT = Path(__file__).resolve().parents[1]


class _FromWorkingDirectory:
    """The default selection: the current directory's project, if it is one."""


_FROM_CWD: Final = _FromWorkingDirectory()
_selected: ContextVar[Project | _FromWorkingDirectory | None] = ContextVar("alliance_kg_project", default=_FROM_CWD)


@contextlib.contextmanager
def use_project(project: Project | None) -> Iterator[None]:
    """Serve the files of ``project`` (None: the packaged data) inside the block, whatever the current
    directory; the previous selection is put back afterwards."""
    token = _selected.set(project)
    try:
        yield
    finally:
        _selected.reset(token)


def active_project() -> Project | None:
    """The project whose files are served: the one :func:`use_project` selected, else the current directory
    when it is a project (:func:`alliance_kg.project.find_project`), else None (the packaged data)."""
    selected = _selected.get()
    if not isinstance(selected, _FromWorkingDirectory):
        return selected
    from alliance_kg.project import find_project

    try:
        return find_project()
    except OSError:  # the current directory was deleted, or cannot be read
        return None


def packaged_resources() -> Path:
    """The installed package's data folder (``alliance_kg/_resources``; it need not exist)."""
    return _PACKAGED


def packaged_root(kind: str) -> Path:
    """The packaged, read-only folder holding ``kind`` (``ontology``, ``data`` or ``queries``).

    Raises :class:`ResourceError` if neither the installed copy nor a source checkout has it.
    """
    candidates = [_PACKAGED / kind]
    # Only trust the parent folder when it is this project's checkout (an
    # installed package's parent is site-packages, which may hold anything).
    if (_CHECKOUT / "pyproject.toml").is_file():
        candidates.append(_CHECKOUT / kind)
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise ResourceError(
        f"cannot find the {kind!r} folder: looked in {_PACKAGED / kind} (installed package) "
        f"and {_CHECKOUT / kind} (source checkout); reinstall alliance-kg or run from a checkout"
    )


def resource_root(kind: str) -> Path:
    """The folder holding ``kind`` (``ontology``, ``data`` or ``queries``): the active project's
    (:func:`active_project`) when there is one, else the packaged one (:func:`packaged_root`).

    Raises :class:`ResourceError` if the project lacks it, or if there is no project and no packaged copy.
    """
    project = active_project()
    if project is None:
        return packaged_root(kind)
    folder = project.folder(kind)
    if not folder.is_dir():
        raise ResourceError(f"the project {project.root} has no {kind}/ folder ({folder})")
    return folder


def data_source() -> str:
    """Which files are in use, for a summary line: ``project DIR`` or ``packaged data (DIR)``."""
    project = active_project()
    if project is not None:
        return f"project {project.root}"
    try:
        return f"packaged data ({packaged_root('data').parent})"
    except ResourceError:
        return "packaged data (missing)"


def _found(kind: str, pattern: str, files: list[Path]) -> list[Path]:
    if not files:
        raise ResourceError(f"no {pattern} files found in {resource_root(kind)}")
    return files


def ontology_files() -> list[Path]:
    """The OWL ontology file(s): ``ontology/*.ttl`` except ``*.shapes.ttl``, sorted."""
    folder = resource_root("ontology")
    files = sorted(p for p in folder.glob("*.ttl") if not p.name.endswith(".shapes.ttl"))
    return _found("ontology", "ontology/*.ttl", files)


def shape_files() -> list[Path]:
    """The SHACL shapes files: ``ontology/*.shapes.ttl``, sorted."""
    files = sorted(resource_root("ontology").glob("*.shapes.ttl"))
    return _found("ontology", "ontology/*.shapes.ttl", files)


def data_files() -> list[Path]:
    """The data files: ``data/**/*.ttl``, sorted by path."""
    files = sorted(p for p in resource_root("data").rglob("*.ttl") if p.is_file())
    return _found("data", "data/**/*.ttl", files)


def query_files() -> list[Path]:
    """The named SPARQL queries: ``queries/*.rq``, then the federated ones ``queries/federated/*.rq``, sorted."""
    root = resource_root("queries")
    files = sorted(root.glob("*.rq")) + sorted((root / "federated").glob("*.rq"))
    return _found("queries", "queries/*.rq", files)
