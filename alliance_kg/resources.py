"""Find the files that make up the knowledge graph.

An installed wheel carries them in ``alliance_kg/_resources/{ontology,data,queries}``;
a source checkout (plain or editable install) has them at the top of the
repository. The packaged copy is preferred when it exists.

Roles by file name:

* ``ontology/*.ttl`` except ``*.shapes.ttl``: the OWL ontology;
* ``ontology/*.shapes.ttl``: the SHACL shapes;
* ``data/**/*.ttl``: the facts;
* ``queries/*.rq``: the named SPARQL queries; ``queries/federated/*.rq`` those that call
  another endpoint with SERVICE (they run only when the user allows it).
"""

from __future__ import annotations

from pathlib import Path

from alliance_kg.errors import ResourceError

__all__ = [
    "data_files",
    "ontology_files",
    "query_files",
    "resource_root",
    "shape_files",
]

_PACKAGED = Path(__file__).resolve().parent / "_resources"
_CHECKOUT = Path(__file__).resolve().parents[1]


def resource_root(kind: str) -> Path:
    """The folder holding ``kind`` (``ontology``, ``data`` or ``queries``).

    Raises :class:`ResourceError` if neither the installed copy nor a source
    checkout has it.
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
