"""Versioned releases people can cite: ``alliance-kg release VERSION``.

:func:`release` builds the project (:func:`alliance_kg.build.build`: validation, reasoning, the graph as Turtle,
N-Triples and TriG, the validation report, ``summary.json`` and ``exports/``) and adds:

=========================  ====================================================================================
``alliance-kg.jsonld``     the asserted graph as JSON-LD, compacted with the project's prefixes
                           (:mod:`alliance_kg.release.jsonld`)
``void.ttl``               the VoID and DCAT description: licence, version, date, sources, counts per class,
                           every RDF file with its size and SHA-256 (:mod:`alliance_kg.release.description`)
``ontology.html``          the ontology's documentation with the model diagram
                           (:mod:`alliance_kg.release.ontology_doc`)
``CHANGELOG.md``,          the facts added, changed and removed since the previous release
``changes.json``           (:mod:`alliance_kg.release.changelog`)
=========================  ====================================================================================

The release goes to ``releases/VERSION/`` in the project, or to ``out_dir``; outside a project ``out_dir`` must
be given. The previous release is the folder beside it named by the highest lower version (or ``previous``).
An existing release of the same version is replaced only with ``force``, and a folder that is not a release never.
The folder is written whole or not at all (:func:`alliance_kg.atomic.replacing_folder`); data the build rejects
leaves everything as it was. The same inputs, version and date give the same bytes in every file (the date comes
from :func:`alliance_kg.release.versions.release_date`: ``date``, else ``SOURCE_DATE_EPOCH``, else today).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from alliance_kg.errors import BuildError, InputError, RejectedBuildError
from alliance_kg.release.versions import check_version, find_previous, release_date

if TYPE_CHECKING:
    from rdflib import Graph

    from alliance_kg.build import BuildResult
    from alliance_kg.project import Project
    from alliance_kg.release.changelog import Changes

__all__ = ["RELEASE_ADDED_FILES", "ReleaseResult", "release"]

#: The files a release adds to those of a build.
RELEASE_ADDED_FILES: Final = ("alliance-kg.jsonld", "void.ttl", "ontology.html", "CHANGELOG.md", "changes.json")
#: The file whose presence makes a folder a release (and a previous release to compare with).
_MARKER: Final = "void.ttl"
#: The RDF files of a release its description lists: name, what it holds, whether it is a dump of the graph.
_DISTRIBUTIONS: Final = (
    ("alliance-kg.ttl", "asserted graph (ontology and facts), Turtle", True),
    ("alliance-kg.nt", "asserted graph (ontology and facts), N-Triples", True),
    ("alliance-kg.jsonld", "asserted graph (ontology and facts), JSON-LD", False),
    ("alliance-kg.trig", "named graphs ontology, facts and inferred, TriG", False),
    ("alliance-kg-inferred.ttl", "triples inferred by OWL-RL reasoning, Turtle", False),
)
#: The file of a release (or a build) a later release compares its facts with.
_FACTS_FILE: Final = "alliance-kg.nt"


@dataclass(frozen=True)
class ReleaseResult:
    """What :func:`release` returns."""

    out_dir: Path
    version: str
    date: dt.date
    previous: Path | None
    files: tuple[Path, ...]
    build: BuildResult = field(repr=False)
    changes: Changes = field(repr=False)

    def summary_text(self) -> str:
        """A short report for people: the build's summary, then what changed."""
        counts = self.changes.counts
        since = (
            f"changes since {self.changes.previous}: {counts['changed']} changed, {counts['added']} added, "
            f"{counts['removed']} removed"
            if self.changes.previous is not None
            else "first release: nothing to compare with"
        )
        return "\n".join(
            [
                f"alliance-kg release {self.version} ({self.date.isoformat()}) in {self.out_dir}",
                "",
                self.build.summary_text(),
                "",
                since,
            ]
        )


def _is_release(folder: Path) -> bool:
    return (folder / _MARKER).is_file() and (folder / "summary.json").is_file()


def _check_target(out_dir: Path, version: str, force: bool) -> None:
    from alliance_kg.project import check_writable

    check_writable(out_dir)
    if not out_dir.exists() and not out_dir.is_symlink():
        return
    if out_dir.is_symlink() or not out_dir.is_dir():
        raise BuildError(f"{out_dir} exists and is not a folder; not replacing it")
    if not any(out_dir.iterdir()):
        return
    if not _is_release(out_dir):
        raise BuildError(
            f"{out_dir} is not an alliance-kg release folder (it has no {_MARKER} and summary.json); a release "
            "replaces its folder as a whole, so give a new or empty folder"
        )
    if not force:
        raise BuildError(f"release {version} already exists in {out_dir}; give --force to replace it")


def _previous_version(folder: Path) -> str:
    """The version of the release in ``folder``: its ``void.ttl``'s ``dcat:version``, else the folder's name."""
    description = folder / _MARKER
    if description.is_file():
        from rdflib.namespace import RDF

        from alliance_kg.loading import parse_files
        from alliance_kg.release.description import DCAT

        graph: Graph = parse_files([description])
        for dataset in sorted(graph.subjects(RDF.type, DCAT.Dataset), key=str):
            value = graph.value(dataset, DCAT.version)
            if value is not None:
                return str(value)
    return folder.name


def _read_previous(previous: Path) -> Graph:
    from alliance_kg.loading import parse_files

    facts = previous / _FACTS_FILE
    if not previous.is_dir():
        raise InputError("no such release folder", path=previous)
    if not facts.is_file():
        raise InputError(f"is not a release folder (it has no {_FACTS_FILE})", path=previous)
    return parse_files([facts])


def _parse_written(folder: Path) -> tuple[Graph, Graph]:
    """The asserted graph (``alliance-kg.ttl``) and the ontology (a named graph of the TriG) just written."""
    from rdflib import Dataset, Graph, URIRef

    from alliance_kg.namespaces import GRAPH_ONTOLOGY, bind_prefixes
    from alliance_kg.store import quiet_dataset_warnings

    asserted = bind_prefixes(Graph())
    asserted.parse(folder / "alliance-kg.ttl", format="turtle")
    dataset = Dataset()
    with quiet_dataset_warnings():
        dataset.parse(folder / "alliance-kg.trig", format="trig")
        ontology = bind_prefixes(Graph())
        for triple in dataset.graph(URIRef(GRAPH_ONTOLOGY)):
            ontology.add(triple)
    return asserted, ontology


def release(
    version: str,
    *,
    out_dir: str | Path | None = None,
    project: Project | None = None,
    date: str | dt.date | None = None,
    previous: str | Path | None = None,
    force: bool = False,
    data_paths: list[Path] | None = None,
    enrichment_path: str | Path | None = None,
) -> ReleaseResult:
    """Write release ``version`` (see the module docstring) and return what was written.

    ``project`` is the project whose files are released (None: the current directory's, else the packaged data);
    ``out_dir`` defaults to its ``releases/VERSION``. ``date`` is the release date (a ``datetime.date`` or
    ``YYYY-MM-DD``; default ``SOURCE_DATE_EPOCH``'s day, else today). ``previous`` is the release to compare with
    (default: the one beside ``out_dir`` with the highest lower version). ``data_paths`` and ``enrichment_path``
    are :func:`alliance_kg.build.build`'s. Raises :class:`InputError` for a bad version, date or previous release,
    :class:`BuildError` when the folder may not be written (an existing release without ``force``, a folder that
    is not a release), :class:`~alliance_kg.errors.RejectedBuildError` when the data does not conform or is
    inconsistent; nothing is written then.
    """
    from alliance_kg import resources
    from alliance_kg.atomic import replacing_folder, write_atomic
    from alliance_kg.build import ENRICHMENT_FILE, build, rejected
    from alliance_kg.release.changelog import compare, first_release
    from alliance_kg.release.description import Distribution, describe
    from alliance_kg.release.jsonld import to_jsonld
    from alliance_kg.release.ontology_doc import ontology_html

    version = check_version(version)
    day = date if isinstance(date, dt.date) else release_date(date)
    if project is None:
        project = resources.active_project()
    if out_dir is None:
        if project is None:
            raise InputError(
                "not in an alliance-kg project, so there is no releases/ folder: give --out DIR, or run inside a "
                "project (`alliance-kg init DIR` makes one) or pass --project DIR"
            )
        target = project.root / "releases" / version
    else:
        target = Path(out_dir).absolute()
    _check_target(target, version, force)

    previous_dir = (
        Path(previous).absolute() if previous is not None else find_previous(target.parent, version, marker=_FACTS_FILE)
    )
    previous_graph = _read_previous(previous_dir) if previous_dir is not None else None
    previous_version = _previous_version(previous_dir) if previous_dir is not None else None

    selection = resources.use_project(project) if project is not None else contextlib.nullcontext()
    try:
        with selection, replacing_folder(target) as temp:
            built = build(temp, data_paths=data_paths, enrichment_path=enrichment_path)
            asserted, ontology = _parse_written(temp)
            jsonld = to_jsonld(asserted)
            write_atomic(temp / "alliance-kg.jsonld", jsonld)
            files = list(_DISTRIBUTIONS)
            if (temp / ENRICHMENT_FILE).is_file():
                files.append((ENRICHMENT_FILE, "what was fetched from Wikidata, Turtle", False))
            distributions = [Distribution(name, what, (temp / name).read_bytes(), dump) for name, what, dump in files]
            description = describe(
                version=version,
                date=day,
                asserted=asserted,
                ontology=ontology,
                distributions=distributions,
                previous=previous_version,
            )
            write_atomic(temp / "void.ttl", description.serialize(format="turtle", encoding="utf-8"))
            write_atomic(temp / "ontology.html", ontology_html(ontology, version=version, date=day))
            if previous_graph is None or previous_version is None:
                changes = first_release(version, day, asserted)
            else:
                changes = compare(
                    previous_graph, asserted, version=version, date=day, previous_version=previous_version
                )
            write_atomic(temp / "CHANGELOG.md", changes.markdown())
            write_atomic(temp / "changes.json", changes.json())
    except RejectedBuildError as error:
        if error.report is None:
            raise
        # the build's message names the temporary folder it was given: name the release's instead
        raise rejected(error.report, error.inconsistencies, f"release {version}", target) from None
    except OSError as error:
        raise BuildError(f"cannot write the release to {target}: {error}") from error
    built_files = tuple(target / path.relative_to(temp) for path in built.files)
    return ReleaseResult(
        out_dir=target,
        version=version,
        date=day,
        previous=previous_dir,
        files=built_files + tuple(target / name for name in RELEASE_ADDED_FILES),
        build=dataclasses.replace(built, out_dir=target, files=built_files),  # where the build's files are now
        changes=changes,
    )
