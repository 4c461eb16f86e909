"""Reconciliation: find Wikidata candidates for unlinked entities, score them, review them, report on links.

For each entity of a linkable class (manufacturer, alliance, vehicle, plant, city, country, world region) that
has no Wikidata link, :func:`reconcile` asks the API's ``wbsearchentities`` for each of its names and aliases in
English, French and Japanese (where the graph has them), then ``wbgetentities`` for the candidates' labels,
aliases and claims, and scores each candidate:

* **name**: the best similarity between our names and theirs in the same language (1.0 when equal, ignoring
  case and accents);
* **type** (``P31``): does the candidate have one of the Wikidata classes expected for our class? A mismatch
  multiplies the score by 0.3, an unknown by 0.8;
* **country** (``P17``): the candidate's country against our entity's country (its ``akg:country``, or itself
  for a country) through the country's link; a mismatch multiplies by 0.2;
* **manufacturer** (``P176``): for a vehicle, against the link of its brand; a mismatch multiplies by 0.2.

Candidates scoring at least ``min_score`` are added to the review file (never to the links); rows already there
(accepted, rejected or pending) are kept as they are. A failing service marks the entity, and the ones after it,
"unreconciled" with the reason; nothing is dropped. :func:`accept` promotes reviewed candidates to links and
:func:`link_report` says what is linked, what awaits review and what stays unlinked.
"""

from __future__ import annotations

import csv
import difflib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from alliance_kg.errors import InputError, ServiceError
from alliance_kg.wikidata.sssom import SKOS_EXACT_MATCH, WIKIDATA_ENTITY, MappingRow, MappingSet

if TYPE_CHECKING:
    from rdflib import Graph

    from alliance_kg.store import Store
    from alliance_kg.wikidata.client import WikidataClient

__all__ = [
    "KINDS",
    "LANGUAGES",
    "Candidate",
    "Entity",
    "Kind",
    "LinkReport",
    "ReconcileResult",
    "accept",
    "link_report",
    "linkable_entities",
    "merge_candidates",
    "reconcile",
    "score_candidate",
]

AKG: Final = "https://w3id.org/alliance-kg/ontology#"
ID: Final = "https://w3id.org/alliance-kg/id/"

#: The languages whose names are searched, in this order.
LANGUAGES: Final = ("en", "fr", "ja")


@dataclass(frozen=True)
class Kind:
    """A linkable class: a short name and the Wikidata classes (P31 values) a match is expected to have."""

    name: str
    expected_types: frozenset[str]


#: Our class -> what a Wikidata match should look like (an empty set: the type is not checked).
KINDS: Final[Mapping[str, Kind]] = {
    AKG + "Manufacturer": Kind("manufacturer", frozenset({"Q786820", "Q4830453", "Q6881511"})),
    AKG + "Alliance": Kind("alliance", frozenset()),
    AKG + "Vehicle": Kind("vehicle", frozenset({"Q3231690", "Q59773381"})),
    AKG + "Plant": Kind("plant", frozenset({"Q83405"})),
    AKG + "City": Kind("city", frozenset({"Q515", "Q1549591", "Q494721"})),
    AKG + "Country": Kind("country", frozenset({"Q6256", "Q3624078"})),
    AKG + "WorldRegion": Kind("region", frozenset({"Q82794", "Q5107"})),
}

_MISMATCH: Final = {"type": 0.3, "country": 0.2, "manufacturer": 0.2}
_UNKNOWN: Final = 0.8


@dataclass(frozen=True)
class Entity:
    """An entity of a linkable class, with what reconciliation compares: names, country and maker links."""

    iri: str
    kind: Kind
    names: Mapping[str, tuple[str, ...]]
    country: str | None = None
    manufacturers: frozenset[str] = frozenset()
    link: str | None = None

    @property
    def curie(self) -> str:
        return "id:" + self.iri[len(ID) :] if self.iri.startswith(ID) else self.iri

    @property
    def label(self) -> str:
        for language in LANGUAGES:
            if self.names.get(language):
                return self.names[language][0]
        return self.curie


@dataclass(frozen=True)
class Candidate:
    """A Wikidata item that may match an entity, its score (0..1) and how each check went."""

    qid: str
    label: str
    score: float
    checks: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class ReconcileResult:
    """What :func:`reconcile` found: candidates per entity, and the entities it could not reconcile (why)."""

    candidates: Mapping[str, tuple[Candidate, ...]]
    unreconciled: Mapping[str, str]
    requests_made: int = 0


def _qids(values: Iterable[object]) -> list[str]:
    return [str(v)[len(WIKIDATA_ENTITY) :] for v in values if str(v).startswith(WIKIDATA_ENTITY + "Q")]


def linkable_entities(store: Store, *, links: Graph | None = None) -> list[Entity]:
    """The entities of linkable classes in ``store``'s asserted graphs, sorted by IRI, with their names,
    country and makers' links (:mod:`alliance_kg.wikidata.graph_reads` asks the store).

    ``links`` holds extra ``skos:exactMatch`` triples (the compiled SSSOM links) on top of those in the store.
    An entity of several linkable classes gets the kind of the first of its classes in IRI order.
    """
    from rdflib import Literal

    from alliance_kg.wikidata.graph_reads import linkable_rows
    from alliance_kg.wikidata.graph_reads import links as links_of

    exact = {entity: item[len(WIKIDATA_ENTITY) :] for entity, item in links_of(store, links).items()}
    kind_of_root = dict(KINDS)
    classes: dict[str, dict[str, Kind]] = {}
    names: dict[str, dict[tuple[int, str], list[str]]] = {}
    countries: dict[str, set[str]] = {}
    makers: dict[str, set[str]] = {}
    for root in KINDS:  # the roots in order: a class under two roots gets the first one's kind
        for entity, cls, prop, value in linkable_rows(store, [root]):
            classes.setdefault(entity, {}).setdefault(cls, kind_of_root[root])
            if prop in ("label", "altLabel") and isinstance(value, Literal) and value.language in LANGUAGES:
                rank = 0 if prop == "label" else 1
                names.setdefault(entity, {}).setdefault((rank, value.language), [])
                if str(value) not in names[entity][(rank, value.language)]:
                    names[entity][(rank, value.language)].append(str(value))
            elif prop == "country" and value is not None:
                countries.setdefault(entity, set()).add(str(value))
            elif prop == "maker" and value is not None:
                makers.setdefault(entity, set()).add(str(value))
    entities: list[Entity] = []
    for iri in sorted(classes):
        kind = classes[iri][min(classes[iri])]
        by_language: dict[str, list[str]] = {}
        for (_rank, language), values in sorted(names.get(iri, {}).items()):
            for name in sorted(values):
                if name not in by_language.setdefault(language, []):
                    by_language[language].append(name)
        country = iri if kind.name == "country" else min(countries.get(iri, ()), default=None)
        entities.append(
            Entity(
                iri=iri,
                kind=kind,
                names={language: tuple(values) for language, values in sorted(by_language.items())},
                country=exact.get(country) if country is not None else None,
                manufacturers=frozenset(exact[m] for m in makers.get(iri, ()) if m in exact),
                link=exact.get(iri),
            )
        )
    return entities


# -- scoring -----------------------------------------------------------------------------------------------------


def _normal(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ").split())


def _claim_qids(entity: Mapping[str, Any], prop: str) -> set[str]:
    found: set[str] = set()
    for claim in entity.get("claims", {}).get(prop, []) or []:
        if claim.get("rank") == "deprecated":
            continue
        value = (claim.get("mainsnak") or {}).get("datavalue", {}).get("value")
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            found.add(value["id"])
    return found


def _their_names(entity: Mapping[str, Any], language: str) -> list[str]:
    names: list[str] = []
    label = (entity.get("labels") or {}).get(language)
    if isinstance(label, dict) and label.get("value"):
        names.append(str(label["value"]))
    for alias in (entity.get("aliases") or {}).get(language, []) or []:
        if isinstance(alias, dict) and alias.get("value"):
            names.append(str(alias["value"]))
    return names


def score_candidate(entity: Entity, item: Mapping[str, Any]) -> Candidate:
    """Score one candidate (a ``wbgetentities`` entity) against our entity; see the module docstring."""
    qid = str(item.get("id", ""))
    best, best_text = 0.0, ""
    for language, ours in entity.names.items():
        for theirs in _their_names(item, language):
            for name in ours:
                ratio = difflib.SequenceMatcher(None, _normal(name), _normal(theirs)).ratio()
                if ratio > best:
                    best, best_text = ratio, f"name {theirs!r}@{language} ~ {name!r} ({ratio:.2f})"
    checks = [best_text or "no name in a language we have"]
    score = best

    def factor(check: str, ok: bool | None, detail: str) -> None:
        nonlocal score
        if ok is None:
            score *= _UNKNOWN
            checks.append(f"{check} unknown ({detail})")
        elif ok:
            checks.append(f"{check} ok ({detail})")
        else:
            score *= _MISMATCH[check]
            checks.append(f"{check} MISMATCH ({detail})")

    types = _claim_qids(item, "P31")
    if entity.kind.expected_types:
        if types:
            factor("type", bool(types & entity.kind.expected_types), "P31 " + ",".join(sorted(types)))
        else:
            factor("type", None, "no P31")
    if entity.country:
        countries = _claim_qids(item, "P17")
        if countries:
            detail = "P17 " + ",".join(sorted(countries)) + f", ours {entity.country}"
            factor("country", entity.country in countries, detail)
        else:
            factor("country", None, "no P17")
    if entity.kind.name == "vehicle" and entity.manufacturers:
        makers = _claim_qids(item, "P176") | _claim_qids(item, "P1716")
        our_makers = ",".join(sorted(entity.manufacturers))
        if makers:
            detail = "P176 " + ",".join(sorted(makers)) + f", ours {our_makers}"
            factor("manufacturer", bool(makers & entity.manufacturers), detail)
        else:
            factor("manufacturer", None, "no P176")
    label = next((names[0] for language in LANGUAGES if (names := _their_names(item, language))), qid)
    return Candidate(qid=qid, label=label, score=round(score, 3), checks=tuple(checks))


def _search(client: WikidataClient, entity: Entity, limit: int) -> list[str]:
    found: list[str] = []
    for language in LANGUAGES:
        for name in entity.names.get(language, ()):
            answer = client.api(
                {
                    "action": "wbsearchentities",
                    "search": name,
                    "language": language,
                    "uselang": language,
                    "type": "item",
                    "limit": str(limit),
                }
            )
            for hit in answer.get("search", []) or []:
                qid = hit.get("id") if isinstance(hit, dict) else None
                if isinstance(qid, str) and qid.startswith("Q") and qid not in found:
                    found.append(qid)
    return found


def _details(client: WikidataClient, qids: Sequence[str]) -> dict[str, Mapping[str, Any]]:
    details: dict[str, Mapping[str, Any]] = {}
    for start in range(0, len(qids), 50):  # wbgetentities takes at most 50 ids
        answer = client.api(
            {
                "action": "wbgetentities",
                "ids": "|".join(qids[start : start + 50]),
                "props": "labels|aliases|claims",
                "languages": "|".join(LANGUAGES),
            }
        )
        for qid, item in (answer.get("entities") or {}).items():
            if isinstance(item, dict) and "missing" not in item:
                details[str(qid)] = item
    return details


def reconcile(
    entities: Sequence[Entity],
    client: WikidataClient,
    *,
    min_score: float = 0.5,
    limit: int = 7,
) -> ReconcileResult:
    """Candidates scoring at least ``min_score`` for each entity without a link (best first).

    Asks the API through ``client`` (so the cache, retries and politeness apply). When the service fails, the
    entity and all that follow are listed in ``unreconciled`` with the reason, and nothing more is asked.
    """
    candidates: dict[str, tuple[Candidate, ...]] = {}
    unreconciled: dict[str, str] = {}
    before = client.requests_made
    failure: str | None = None
    for entity in entities:
        if entity.link is not None:
            continue
        if failure is not None:
            unreconciled[entity.iri] = failure
            continue
        try:
            qids = _search(client, entity, limit)
            details = _details(client, qids) if qids else {}
        except ServiceError as error:
            failure = str(error)
            unreconciled[entity.iri] = failure
            continue
        scored = [score_candidate(entity, item) for item in details.values()]
        kept = sorted((c for c in scored if c.score >= min_score), key=lambda c: (-c.score, int(c.qid[1:])))
        candidates[entity.iri] = tuple(kept)
    return ReconcileResult(
        candidates=candidates, unreconciled=unreconciled, requests_made=client.requests_made - before
    )


# -- the review file ---------------------------------------------------------------------------------------------


def merge_candidates(
    candidate_set: MappingSet,
    result: ReconcileResult,
    entities: Sequence[Entity],
    *,
    links: MappingSet | None = None,
    today: date | None = None,
) -> tuple[MappingSet, list[MappingRow]]:
    """The review set with the new candidates added (and the rows added); existing rows are never changed."""
    from alliance_kg import __version__

    by_iri = {entity.iri: entity for entity in entities}
    present = {
        (candidate_set.expand(row.subject_id), candidate_set.expand(row.object_id)) for row in candidate_set.rows
    }
    if links is not None:
        present |= {(links.expand(row.subject_id), links.expand(row.object_id)) for row in links.rows}
    day = (today or date.today()).isoformat()
    added: list[MappingRow] = []
    for iri, found in sorted(result.candidates.items()):
        for candidate in found:
            target = WIKIDATA_ENTITY + candidate.qid
            if (iri, target) in present:
                continue
            present.add((iri, target))
            added.append(
                MappingRow(
                    subject_id=candidate_set.compact(iri),
                    subject_label=by_iri[iri].label if iri in by_iri else "",
                    predicate_id=candidate_set.compact(SKOS_EXACT_MATCH),
                    object_id=candidate_set.compact(target),
                    object_label=candidate.label,
                    mapping_justification="semapv:LexicalMatching",
                    confidence=candidate.score,
                    mapping_date=day,
                    mapping_tool=f"alliance-kg link {__version__}",
                    comment="needs review: " + "; ".join(candidate.checks),
                )
            )
    return candidate_set.with_rows([*candidate_set.rows, *added]), added


def accept(links: MappingSet, candidates: MappingSet) -> tuple[MappingSet, MappingSet, list[MappingRow]]:
    """Promote reviewed candidates (``reviewer_id`` filled, not ``predicate_modifier: Not``) to links.

    Returns the new links set, the new review set (the promoted rows removed; rejected and pending rows kept)
    and the promoted rows. Raises :class:`InputError` (naming the review file's line) when two accepted rows
    give an entity different items, or when an entity already has another link.
    """
    linked = {links.expand(row.subject_id): row for row in links.rows if not row.negated}
    chosen: dict[str, MappingRow] = {}
    for row in candidates.rows:
        if not row.reviewed or row.negated:
            continue
        subject = candidates.expand(row.subject_id, line=row.line)
        target = candidates.expand(row.object_id, line=row.line)
        if subject in chosen and candidates.expand(chosen[subject].object_id) != target:
            raise InputError(
                f"{row.subject_id} has two accepted candidates ({chosen[subject].object_id} on line "
                f"{chosen[subject].line}, {row.object_id}): reject one (predicate_modifier Not)",
                path=candidates.path,
                line=row.line,
            )
        if subject in linked and links.expand(linked[subject].object_id) != target:
            raise InputError(
                f"{row.subject_id} is already linked to {linked[subject].object_id}; remove that link first",
                path=candidates.path,
                line=row.line,
            )
        chosen[subject] = row
    promoted = list(chosen.values())
    keep = [row for row in candidates.rows if row not in promoted]
    new_links = [
        MappingRow(
            **{
                **{name: getattr(row, name) for name in row.__dataclass_fields__ if name not in {"line", "subject_id"}},
                "subject_id": links.compact(candidates.expand(row.subject_id)),
                "object_id": links.compact(candidates.expand(row.object_id)),
                "predicate_id": links.compact(candidates.expand(row.predicate_id)),
                "comment": row.comment.removeprefix("needs review: "),
            }
        )
        for row in promoted
        if candidates.expand(row.subject_id) not in linked
    ]
    rows = sorted([*links.rows, *new_links], key=lambda r: r.subject_id)
    return links.with_rows(rows), candidates.with_rows(keep), promoted


# -- the report ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkReport:
    """Which entities are linked, which have candidates awaiting review, which stay unlinked (and why)."""

    linked: tuple[dict[str, Any], ...]
    review: tuple[dict[str, Any], ...]
    unlinked: tuple[dict[str, Any], ...]
    candidates_file: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": {"linked": len(self.linked), "review": len(self.review), "unlinked": len(self.unlinked)},
            "linked": list(self.linked),
            "review": list(self.review),
            "unlinked": list(self.unlinked),
        }

    def text(self) -> str:
        """The report for people."""
        lines = [
            f"Wikidata links: {len(self.linked)} linked, {len(self.review)} to review, {len(self.unlinked)} unlinked",
            "",
            f"Linked ({len(self.linked)}):",
        ]
        width = max([len(item["entity"]) for item in (*self.linked, *self.review, *self.unlinked)] or [10])
        for item in self.linked:
            lines.append(f"  {item['entity']:<{width}}  wd:{item['wikidata']:<10}  {item['label']}")
        where = f" (candidates in {self.candidates_file})" if self.candidates_file else ""
        lines += ["", f"Needing review ({len(self.review)}){where}:"]
        for item in self.review:
            ids = ", ".join(
                f"wd:{c['wikidata']} ({c['confidence']:g}{', accepted' if c['reviewed'] else ''})"
                for c in item["candidates"]
            )
            lines.append(f"  {item['entity']:<{width}}  {item['label']}: {ids}")
            for note in item.get("notes", []):
                lines.append(f"  {'':<{width}}    {note}")
        lines += ["", f"Unlinked ({len(self.unlinked)}):"]
        for item in self.unlinked:
            lines.append(f"  {item['entity']:<{width}}  {item['label']}")
            for note in item.get("notes", []):
                lines.append(f"  {'':<{width}}    {note}")
        return "\n".join(lines)


def _known_ids_notes(path: Path | None) -> dict[str, str]:
    """Normalised label -> 'status: note' from the known-ids CSV (rows without an id, or conflicting)."""
    if path is None or not path.is_file():
        return {}
    notes: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("status") == "confirmed":
                continue
            label = (row.get("label") or "").split(" (")[0]
            notes[_normal(label)] = f"{path.name}: {row.get('status')}: {row.get('note') or 'no note'}"
    return notes


def link_report(
    store: Store,
    *,
    links: MappingSet,
    candidates: MappingSet,
    known_ids: Path | None = None,
) -> LinkReport:
    """What is linked (from ``links``), awaiting review (``candidates`` rows not rejected) and unlinked.

    Offline: reads only the store and the files given. Notes for unlinked entities come from the data's
    ``skos:editorialNote`` and from ``known_ids`` (the known-ids CSV) when it has the entity's name.
    """
    from alliance_kg.wikidata.graph_reads import editorial_notes
    from alliance_kg.wikidata.sssom import links_graph

    compiled = links_graph(links.path) if links.path is not None else None
    entities = linkable_entities(store, links=compiled)
    editorial = editorial_notes(store)
    known = _known_ids_notes(known_ids)
    pending: dict[str, list[MappingRow]] = {}
    for row in candidates.rows:
        if not row.negated:
            pending.setdefault(candidates.expand(row.subject_id), []).append(row)
    linked: list[dict[str, Any]] = []
    review: list[dict[str, Any]] = []
    unlinked: list[dict[str, Any]] = []
    for entity in entities:
        notes = list(editorial.get(entity.iri, ()))
        for language_names in entity.names.values():
            for name in language_names:
                if _normal(name) in known and known[_normal(name)] not in notes:
                    notes.append(known[_normal(name)])
        base = {"entity": entity.curie, "iri": entity.iri, "label": entity.label, "kind": entity.kind.name}
        if entity.link is not None:
            linked.append({**base, "wikidata": entity.link})
        elif entity.iri in pending:
            rows = pending[entity.iri]
            review.append(
                {
                    **base,
                    "candidates": [
                        {
                            "wikidata": candidates.expand(r.object_id)[len(WIKIDATA_ENTITY) :],
                            "confidence": r.confidence if r.confidence is not None else 0.0,
                            "justification": r.mapping_justification,
                            "reviewed": r.reviewed,
                            "comment": r.comment,
                        }
                        for r in rows
                    ],
                    "notes": notes,
                }
            )
        else:
            unlinked.append({**base, "notes": notes})
    return LinkReport(
        linked=tuple(linked),
        review=tuple(review),
        unlinked=tuple(unlinked),
        candidates_file=str(candidates.path or ""),
    )
