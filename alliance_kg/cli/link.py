"""``alliance-kg link``: reconcile unlinked entities with Wikidata, accept reviewed candidates, report on links."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from alliance_kg.cli._args import add_data_argument, add_project_argument, add_store_argument

if TYPE_CHECKING:
    from alliance_kg.project import Project
    from alliance_kg.store import Store
    from alliance_kg.wikidata.client import WikidataClient
    from alliance_kg.wikidata.reconcile import Entity

NAME = "link"
HELP = "Find Wikidata candidates for unlinked entities (network), accept reviewed ones, or report on links."
DESCRIPTION = """\
Without options: for each entity without a Wikidata link (or those named by --entity), ask the Wikidata API
for candidates by name (English, French, Japanese), check their type (P31), country (P17) and manufacturer
(P176) against ours, and add those that score well to the review file (data/mappings/wikidata-candidates.sssom.tsv).
This is the only way this command reaches the network; answers are cached on disk, so a second run asks nothing.

--accept promotes the candidates a reviewer signed (reviewer_id filled, predicate_modifier not 'Not') to links in
data/mappings/wikidata.sssom.tsv. --report lists linked entities, candidates needing review and unlinked entities
(offline).

The files are those of the project: the current directory when it holds data/ and ontology/ (or alliance-kg.toml),
or --project DIR. Finding candidates and --accept change curated files, so they refuse to run outside a project
(make one with `alliance-kg init DIR`); nothing is written into the installed package. --report reads the packaged
data when there is no project. Exit status: 0 ok, 2 error (including entities left unreconciled because the service
failed, and no project)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--report", action="store_true", help="list linked, to-review and unlinked entities (offline)")
    action.add_argument("--accept", action="store_true", help="promote reviewed candidates to links (offline)")
    parser.add_argument(
        "--entity",
        metavar="ID",
        action="append",
        default=None,
        help="reconcile only this entity (IRI, prefixed name such as plant:okazaki or id:city/okazaki, or a label "
        "such as 'Okazaki plant'); repeatable",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--links", metavar="FILE", type=Path, default=None, help="the SSSOM links file")
    parser.add_argument("--candidates", metavar="FILE", type=Path, default=None, help="the SSSOM review file")
    add_data_argument(
        parser,
        "RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML or JSON-LD, by extension) whose entities to read "
        "instead of the project's data/ files",
    )
    parser.add_argument("--min-score", type=float, default=0.5, help="keep candidates scoring at least this (0..1)")
    add_store_argument(parser, "read the entities from this built store instead of the data files")
    add_project_argument(parser, "the project whose data/mappings/ to read and write")
    add_service_arguments(parser)


def add_service_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every command that reaches Wikidata takes (shared with ``enrich``)."""
    group = parser.add_argument_group("Wikidata service")
    group.add_argument(
        "--wikidata-api",
        metavar="URL",
        default=None,
        help="Wikibase API URL (default: $ALLIANCE_KG_WIKIDATA_API or https://www.wikidata.org/w/api.php)",
    )
    group.add_argument(
        "--wikidata-sparql",
        metavar="URL",
        default=None,
        help="SPARQL endpoint URL (default: $ALLIANCE_KG_WIKIDATA_SPARQL or https://query.wikidata.org/sparql)",
    )
    group.add_argument(
        "--cache-dir",
        metavar="DIR",
        type=Path,
        default=None,
        help="cache of answers (default: $ALLIANCE_KG_CACHE_DIR or the user cache dir + alliance-kg/wikidata)",
    )
    group.add_argument("--refresh", action="store_true", help="ask again instead of using cached answers")
    group.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one answer (default: 30)")


def make_client(args: argparse.Namespace) -> WikidataClient:
    """A client configured by the service options."""
    from alliance_kg.wikidata.client import WikidataClient

    return WikidataClient(
        api_url=args.wikidata_api,
        sparql_url=args.wikidata_sparql,
        cache_dir=args.cache_dir,
        refresh=args.refresh,
        timeout=args.timeout,
    )


def _resolve_entities(texts: list[str], entities: list[Entity], store: Store) -> list[str]:
    """The linkable entities ``texts`` name, as the query layer resolves an entity parameter: an IRI, a prefixed
    name of the data files (``plant:okazaki``, ``id:plant/okazaki``, ``plant/okazaki``) or a label in any language
    we hold (``Okazaki plant``); an unknown or ambiguous name is an error listing the candidates."""
    import re

    from alliance_kg.entities import StoreEntities
    from alliance_kg.errors import ParameterError
    from alliance_kg.named_queries import Parameter

    index = StoreEntities(store).index(entity.iri for entity in entities)
    parameter = Parameter(name="--entity", type="entity", description="a linkable entity")
    found: list[str] = []
    for text in texts:
        name = text.strip()
        if re.fullmatch(r"[a-z][a-z0-9-]*/\S+", name):  # city/okazaki: the id: folder form
            name = "id:" + name
        try:
            found.append(index.resolve(name, parameter))
        except ParameterError as error:
            message = str(error).replace("parameter '--entity': ", "")
            raise ParameterError(
                f"--entity: {message} (a linkable entity: manufacturer, vehicle, plant, place or region)",
                parameter="entity",
            ) from None
    return found


def _mapping_files(args: argparse.Namespace, project: Project | None) -> tuple[Path, Path]:
    """The links and candidates files: those given, else the project's (``data/mappings/``).

    A file the command writes must come from a project (or be given): outside one, the error says how to make
    one. ``--report`` only reads, and falls back to the packaged copy.
    """
    from alliance_kg.project import require_project
    from alliance_kg.wikidata import sssom

    command = "link --accept" if args.accept else "link"
    writes_links = args.accept
    writes_candidates = not args.report
    if project is None and ((writes_links and args.links is None) or (writes_candidates and args.candidates is None)):
        project = require_project(command=command)
    if project is None:  # --report outside a project, or every written file given
        return args.links or sssom.links_path(), args.candidates or sssom.candidates_path()
    return (
        args.links or project.mappings / sssom.LINKS_FILE,
        args.candidates or project.mappings / sssom.CANDIDATES_FILE,
    )


def run(args: argparse.Namespace) -> int:
    from alliance_kg import resources
    from alliance_kg.project import find_project

    project = find_project(explicit=args.project)
    with resources.use_project(project):
        return _run(args, project)


def _run(args: argparse.Namespace, home: Project | None) -> int:
    from alliance_kg.cli import EXIT_ERROR, EXIT_OK
    from alliance_kg.resources import resource_root
    from alliance_kg.wikidata import reconcile as rec
    from alliance_kg.wikidata import sssom
    from alliance_kg.wikidata.graph_reads import open_graph

    links_file, candidates_file = _mapping_files(args, home)
    links = sssom.read_mapping_set(links_file)
    candidates = sssom.read_mapping_set(candidates_file)

    if args.accept:
        new_links, new_candidates, promoted = rec.accept(links, candidates)
        if promoted:
            sssom.write_mapping_set(new_links, links_file)
            sssom.write_mapping_set(new_candidates, candidates_file)
        if args.format == "json":
            rows = [{"entity": r.subject_id, "wikidata": r.object_id, "reviewer": r.reviewer_id} for r in promoted]
            print(json.dumps({"accepted": rows}, indent=2))
        else:
            for row in promoted:
                print(f"accepted: {row.subject_id} skos:exactMatch {row.object_id} (reviewed by {row.reviewer_id})")
            print(f"{len(promoted)} candidate(s) promoted to links in {links_file}")
        return EXIT_OK

    with closing(open_graph(args.store, args.data)) as graph:
        if args.report:
            known_ids = resource_root("data") / "sources" / "wikidata-known-ids.csv"
            report = rec.link_report(graph, links=links, candidates=candidates, known_ids=known_ids)
            print(
                json.dumps(report.as_dict(), indent=2, ensure_ascii=False) if args.format == "json" else report.text()
            )
            return EXIT_OK
        entities = rec.linkable_entities(graph, links=sssom.links_graph(links_file))
        if args.entity:
            wanted = _resolve_entities(args.entity, entities, graph)
            entities = [entity for entity in entities if entity.iri in wanted]
    client = make_client(args)
    result = rec.reconcile(entities, client, min_score=args.min_score)
    merged, added = rec.merge_candidates(candidates, result, entities, links=links)
    if added:
        sssom.write_mapping_set(merged, candidates_file)
    labels = {entity.iri: entity for entity in entities}
    if args.format == "json":
        payload = {
            "candidates": {
                labels[iri].curie: [
                    {"wikidata": c.qid, "label": c.label, "score": c.score, "checks": list(c.checks)} for c in found
                ]
                for iri, found in result.candidates.items()
            },
            "unreconciled": {labels[iri].curie: reason for iri, reason in result.unreconciled.items()},
            "added": len(added),
            "requests": result.requests_made,
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for iri, found in result.candidates.items():
            best = ", ".join(f"wd:{c.qid} {c.label!r} ({c.score:g})" for c in found) or "no candidate"
            print(f"{labels[iri].curie}: {best}")
        for iri, reason in result.unreconciled.items():
            print(f"{labels[iri].curie}: unreconciled ({reason})")
        print(
            f"{len(added)} new candidate(s) written to {candidates_file} for review; "
            f"{result.requests_made} request(s) sent, the rest from the cache"
        )
    if result.unreconciled:
        print(
            f"alliance-kg link: error: {len(result.unreconciled)} entit(y/ies) left unreconciled: the Wikidata "
            "service failed (see above); run again later",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_OK
