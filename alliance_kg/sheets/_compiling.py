"""Compiling a fact sheet to RDF: names resolved, IRIs minted, claims and dates made, Turtle written by rdflib.

Names are resolved by the project's one resolver, :class:`alliance_kg.named_queries.EntityIndex`, over the labels
(``rdfs:label``, ``skos:prefLabel``) and aliases (``skos:altLabel``) of every language the graph holds and the
entities the sheet brings. Aliases enter the index under private-use language tags (``ja-x-alias1``), so that
the resolver, which reads one label per key, sees them all.

IRIs (README, "Many sources, one graph"):

* a new entity: ``id:<folder>/<id>`` (``manufacturer/``, ``plant/``, ``vehicle/``, ``country/``, ``region/``,
  ``area/`` for administrative areas, ``city/``), ``<id>`` given or the English label as a slug;
* a claim: ``claim:<source-id>/<subject-folder>/<subject-name>/<property>[/<value-name>]``, the value's name only
  for the properties that take several values (market, derived from, located in);
* a date: ``date:<subject-name>-<property-kebab>-<source-id>``; the source ``source:<id>``, its publisher
  ``publisher:<id>``.

Everything is made from the sheet and the graph alone (no clock, no random), so a sheet always compiles to the
same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from alliance_kg.claims import folder_and_name, kebab, last_segment
from alliance_kg.errors import DateExpressionError, ParameterError
from alliance_kg.namespaces import AKG, ID, SCHEMA

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

    from alliance_kg.dates import StatedDate
    from alliance_kg.named_queries import EntityIndex
    from alliance_kg.sheets._reading import Path_, Sheet

__all__ = ["PROPERTIES", "Compiled", "PropertyRule", "claim_iri", "compile_sheet", "date_iri", "slug"]


@dataclass(frozen=True)
class PropertyRule:
    """What a claim property takes: its local name, the classes of its subject and value, and its kind."""

    local: str
    subject: tuple[str, ...]
    value: tuple[str, ...] = ()
    date: bool = False
    several: bool = False

    @property
    def iri(self) -> str:
        return str(AKG[self.local])


_SUPPLY: Final = ("OEMSupplyAgreement",)
_RULES: Final = {
    "supplier": PropertyRule("supplier", _SUPPLY, ("Manufacturer",)),
    "customer": PropertyRule("customer", _SUPPLY, ("Manufacturer",)),
    "producedAt": PropertyRule("producedAt", _SUPPLY, ("Plant",)),
    "market": PropertyRule("market", _SUPPLY, ("Market",), several=True),
    "productionStart": PropertyRule("productionStart", _SUPPLY, date=True),
    "salesStart": PropertyRule("salesStart", _SUPPLY, date=True),
    "status": PropertyRule("status", _SUPPLY, ("SupplyStatus",)),
    "derivedFrom": PropertyRule("derivedFrom", ("Vehicle",), ("Vehicle",), several=True),
    "operator": PropertyRule("operator", ("Plant",), ("Manufacturer",)),
    "locatedIn": PropertyRule("locatedIn", ("Plant", "GeographicArea"), ("GeographicArea",), several=True),
    "subsidiaryOf": PropertyRule("subsidiaryOf", ("Manufacturer",), ("Manufacturer",)),
    "country": PropertyRule("country", ("Plant", "GeographicArea"), ("Country",)),
}

#: The property names a sheet may use → the rule of the property.
PROPERTIES: Final[Mapping[str, PropertyRule]] = {
    "supplier": _RULES["supplier"],
    "customer": _RULES["customer"],
    "plant": _RULES["producedAt"],
    "produced at": _RULES["producedAt"],
    "producedAt": _RULES["producedAt"],
    "market": _RULES["market"],
    "production start": _RULES["productionStart"],
    "productionStart": _RULES["productionStart"],
    "sales start": _RULES["salesStart"],
    "salesStart": _RULES["salesStart"],
    "status": _RULES["status"],
    "derived from": _RULES["derivedFrom"],
    "derivedFrom": _RULES["derivedFrom"],
    "operator": _RULES["operator"],
    "located in": _RULES["locatedIn"],
    "locatedIn": _RULES["locatedIn"],
    "subsidiary of": _RULES["subsidiaryOf"],
    "subsidiaryOf": _RULES["subsidiaryOf"],
    "country": _RULES["country"],
}

#: A new entity's type → the folder of its IRI, most specific first (an entity with several types takes the
#: first folder of this order among them).
_FOLDERS: Final = (
    ("Country", "country"),
    ("AdministrativeArea", "area"),
    ("City", "city"),
    ("WorldRegion", "region"),
    ("Plant", "plant"),
    ("Manufacturer", "manufacturer"),
    ("Vehicle", "vehicle"),
    ("SUV", "vehicle"),
    ("Pickup", "vehicle"),
    ("PlugInHybridVehicle", "vehicle"),
    ("BatteryElectricVehicle", "vehicle"),
    ("KeiVehicle", "vehicle"),
    ("LightCommercialVehicle", "vehicle"),
    ("Market", "region"),
)
#: Types of one kind (a kind per folder family; a market may also be a country or a region).
_KIND: Final = {
    "Manufacturer": "organisation",
    "Plant": "plant",
    "Country": "place",
    "AdministrativeArea": "place",
    "City": "place",
    "WorldRegion": "place",
    "Market": "place",
}

#: Prefixes bound on the compiled graph (those it uses are written).
_BINDINGS: Final = (
    "area", "city", "claim", "country", "date", "manufacturer", "plant", "publisher", "region", "source",
    "supply", "vehicle",
)  # fmt: skip

_WORD: Final = re.compile(r"[a-z0-9]+")


def slug(text: str) -> str:
    """``"Mitsubishi Outlander PHEV"`` → ``mitsubishi-outlander-phev`` (accents dropped, other signs cut)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return "-".join(_WORD.findall(plain))


def claim_iri(source_id: str, subject: str, local: str, value: str | None = None) -> str:
    """``claim:<source-id>/<subject-folder>/<subject-name>/<property>[/<value-name>]``."""
    tail = f"/{last_segment(value)}" if value is not None else ""
    return f"{ID}claim/{source_id}/{folder_and_name(subject)}/{local}{tail}"


def date_iri(subject: str, local: str, source_id: str) -> str:
    """``date:<subject-name>-<property-kebab>-<source-id>``."""
    return f"{ID}date/{last_segment(subject)}-{kebab(local)}-{source_id}"


@dataclass(frozen=True)
class Compiled:
    """A compiled sheet: the graph, its Turtle, and what it brings."""

    source_id: str
    graph: Graph = field(repr=False)
    turtle: bytes = field(repr=False)
    #: the new entities: (IRI, English label)
    new_entities: tuple[tuple[str, str], ...]
    #: the claims' IRIs
    claims: tuple[str, ...]
    #: IRI of each thing made → the field of the sheet it comes from
    origins: Mapping[str, Path_] = field(repr=False)


@dataclass
class _Index:
    """Labels and types of the graph's entities and the sheet's new ones, for the resolver."""

    labels: dict[str, dict[str, str]]
    types: dict[str, set[str]]
    subclasses: Mapping[str, frozenset[str]]  # class → itself and its superclasses

    def add_label(self, iri: str, lang: str, text: str, *, alias: bool = False) -> None:
        by_key = self.labels.setdefault(iri, {})
        key = lang
        if alias or key in by_key:
            number = 1
            while f"{lang or 'und'}-x-alias{number}" in by_key:
                number += 1
            key = f"{lang or 'und'}-x-alias{number}"
        by_key[key] = text

    def add_type(self, iri: str, cls: str) -> None:
        self.types.setdefault(iri, set()).update(self.subclasses.get(cls, frozenset({cls})))

    def entity_index(self, classes: Iterable[str] | None = None) -> EntityIndex:
        from alliance_kg.named_queries import EntityIndex

        wanted = None if classes is None else {str(AKG[name]) for name in classes}
        keep = [
            iri
            for iri in sorted(set(self.labels) | set(self.types))
            if wanted is None or wanted & self.types.get(iri, set())
        ]
        return EntityIndex(
            labels={iri: dict(self.labels[iri]) for iri in keep if iri in self.labels},
            types={iri: frozenset(self.types.get(iri, set())) for iri in keep},
        )

    def english(self, iri: str) -> str:
        labels = self.labels.get(iri, {})
        if "en" in labels:
            return labels["en"]
        from alliance_kg.named_queries import display_name

        return display_name(iri)


def _superclasses(ontology: Graph) -> dict[str, frozenset[str]]:
    from rdflib import RDFS, URIRef

    parents: dict[str, set[str]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            parents.setdefault(str(sub), set()).add(str(sup))
    closure: dict[str, frozenset[str]] = {}
    for cls in parents:
        seen = {cls}
        todo = [cls]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        closure[cls] = frozenset(seen)
    return closure


def _index(context: Graph, ontology: Graph) -> _Index:
    from rdflib import RDF, RDFS, Literal, URIRef
    from rdflib.namespace import SKOS

    index = _Index(labels={}, types={}, subclasses=_superclasses(ontology))
    for graph in (ontology, context):
        for subject, cls in graph.subject_objects(RDF.type):
            if isinstance(subject, URIRef) and isinstance(cls, URIRef):
                index.add_type(str(subject), str(cls))
        for predicate in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
            found = sorted(
                (str(s), o.language or "", str(o))
                for s, o in graph.subject_objects(predicate)
                if isinstance(s, URIRef) and isinstance(o, Literal)
            )
            for iri, lang, text in found:
                index.add_label(iri, lang, text, alias=predicate == SKOS.altLabel)
    return index


class _Compiler:
    def __init__(self, sheet: Sheet, context: Graph, ontology: Graph, sheet_name: str) -> None:
        from rdflib import Graph

        from alliance_kg.namespaces import bind_prefixes

        self.sheet = sheet
        self.sheet_name = sheet_name
        self.ontology = ontology
        self.index = _index(context, ontology)
        self.known = set(self.index.labels) | set(self.index.types)
        self.graph: Graph = bind_prefixes(Graph())
        for prefix in _BINDINGS:
            self.graph.bind(prefix, ID[prefix + "/"], override=True, replace=True)
        self.origins: dict[str, Path_] = {}
        self.claims: dict[str, Path_] = {}
        self.dates: dict[str, StatedDate] = {}  # claim key → its date
        self.new: list[tuple[str, str]] = []
        source = sheet.data["source"]
        self.source_id: str = source["id"]
        self.language: str = source["language"]
        self.source = ID["source/" + self.source_id]
        self.publisher_name: str = source["publisher"]["name"]
        self.reference = self._day(("source", "reference_date")) or self._day(("source", "published"))
        self.reference = self.reference or self._day(("source", "published_not_before"))

    # -- helpers --

    def _get(self, where: Path_) -> Any:
        value: Any = self.sheet.data
        for part in where:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    def _day(self, where: Path_) -> dt.date | None:
        text = self._get(where)
        if text is None:
            return None
        try:
            return dt.date.fromisoformat(str(text))
        except ValueError:
            raise self.sheet.error(where, f"{text!r} is not a day of the calendar (YYYY-MM-DD)") from None

    def _resolve(self, text: str, classes: Sequence[str], where: Path_) -> str:
        """The IRI ``text`` names among the entities of ``classes``; an error asks which one when several."""
        from alliance_kg.named_queries import Parameter, display_name

        name = " ".join(str(text).split())
        if re.fullmatch(r"[a-z][a-z0-9-]*/\S+", name):  # city/okazaki: the id: folder form
            name = "id:" + name
        parameter = Parameter(name="name", type="entity")
        try:
            return self.index.entity_index(classes).resolve(name, parameter)
        except ParameterError as error:
            message = str(error).replace("parameter 'name': ", "")
            found = None
            if " is ambiguous" not in message:  # a name of something else (of another class) says so
                with contextlib.suppress(ParameterError):
                    found = self.index.entity_index().resolve(name, parameter)
            kinds = " or ".join(display_name(str(AKG[cls])) for cls in classes)
            if found is not None:
                message = f"{self.index.entity_index().describe(found)} is not of the class expected"
            elif " is ambiguous" in message:
                message += " (which one do you mean?)"
            raise self.sheet.error(where, f"{message} (expected: {kinds})") from None

    def _lang_text(self, value: Any) -> tuple[str, str]:
        if isinstance(value, Mapping):
            return str(value["text"]), str(value.get("lang") or self.language)
        return str(value), self.language

    # -- the parts --

    def source_triples(self) -> None:
        from rdflib import RDF, RDFS, XSD, Literal, URIRef
        from rdflib.namespace import DCTERMS, PROV

        data = self.sheet.data["source"]
        g, s = self.graph, self.source
        self.origins[str(s)] = ("source",)
        g.add((s, RDF.type, AKG.SourceDocument))
        g.add((s, RDF.type, SCHEMA.NewsArticle))
        for lang, text in sorted(data["labels"].items()):
            g.add((s, RDFS.label, Literal(text, lang=lang)))
        g.add((s, DCTERMS.title, Literal(data["title"]["text"], lang=data["title"]["lang"])))
        g.add((s, DCTERMS.language, Literal(self.language)))
        g.add((s, SCHEMA.inLanguage, Literal(self.language)))
        g.add((s, SCHEMA.url, URIRef(data["url"])))
        published = self._day(("source", "published"))
        if published is not None:
            g.add((s, DCTERMS.issued, Literal(published.isoformat(), datatype=XSD.date)))
        else:
            earliest = self._day(("source", "published_not_before"))
            assert earliest is not None  # the schema asks for one of the two
            g.add((s, AKG.publishedNotBefore, Literal(earliest.isoformat(), datatype=XSD.date)))
            g.add((s, AKG.notCaptured, DCTERMS.issued))
        if data.get("comment"):
            g.add((s, RDFS.comment, Literal(data["comment"], lang="en")))
        publisher_data = data["publisher"]
        publisher = ID["publisher/" + (publisher_data.get("id") or slug(publisher_data["name"]))]
        if not publisher_data.get("id") and not slug(publisher_data["name"]):
            raise self.sheet.error(("source", "publisher", "name"), "give the publisher an id: its name has no letters")
        self.origins[str(publisher)] = ("source", "publisher")
        g.add((s, DCTERMS.publisher, publisher))
        g.add((publisher, RDF.type, AKG.Publisher))
        for lang in ("en", "fr"):
            g.add((publisher, RDFS.label, Literal(publisher_data["name"], lang=lang)))
        if publisher_data.get("url"):
            g.add((publisher, SCHEMA.url, URIRef(publisher_data["url"])))
        g.add((publisher, PROV.wasDerivedFrom, s))

    def mint_entities(self) -> list[tuple[URIRef, Path_, Mapping[str, Any]]]:
        """The IRIs of the sheet's new entities (added to the index, so claims can name them)."""
        from rdflib import URIRef

        from alliance_kg.named_queries import _fold, display_name

        minted: list[tuple[URIRef, Path_, Mapping[str, Any]]] = []
        seen: dict[str, Path_] = {}
        for number, entity in enumerate(self.sheet.data.get("entities") or []):
            where: Path_ = ("entities", number)
            types = [entity["type"]] if isinstance(entity["type"], str) else list(entity["type"])
            kinds = {_KIND.get(t, "vehicle") for t in types}
            if len(kinds) > 1:
                raise self.sheet.error((*where, "type"), f"{types} mixes kinds of things that cannot be one entity")
            folder = next(name for cls, name in _FOLDERS if cls in types)
            local = entity.get("id") or slug(entity["labels"]["en"])
            if not local:
                raise self.sheet.error((*where, "labels", "en"), "give an id: the English label has no letters")
            iri = str(ID[f"{folder}/{local}"])
            if iri in seen:
                first = self.sheet.line(seen[iri])
                raise self.sheet.error(where, f"{display_name(iri)} is brought twice (first on line {first})")
            if iri in self.known:
                raise self.sheet.error(
                    (*where, "id") if entity.get("id") else (*where, "labels", "en"),
                    f"{self.index.entity_index().describe(iri)} is already in the graph: name it in the claims "
                    "instead of bringing it (or give this entity another id)",
                )
            classes = {str(AKG[t]) for t in types}
            for lang, text in sorted(entity["labels"].items()):
                for other in sorted(self.known):
                    if other in seen or not classes & self.index.types.get(other, set()):
                        continue
                    if any(_fold(label) == _fold(text) for label in self.index.labels.get(other, {}).values()):
                        raise self.sheet.error(
                            (*where, "labels", lang),
                            f"{self.index.entity_index().describe(other)} is already named {text!r}: name it in "
                            "the claims instead of bringing it again",
                        )
            seen[iri] = where
            for t in types:
                self.index.add_type(iri, str(AKG[t]))
            for lang, text in sorted(entity["labels"].items()):
                self.index.add_label(iri, lang, text)
            for lang, texts in sorted((entity.get("aliases") or {}).items()):
                for text in texts:
                    self.index.add_label(iri, lang, text, alias=True)
            minted.append((URIRef(iri), where, entity))
        return minted

    def entity_triples(self, iri: URIRef, where: Path_, entity: Mapping[str, Any]) -> None:
        from rdflib import RDF, RDFS, Literal, URIRef
        from rdflib.namespace import PROV, SKOS

        g = self.graph
        self.origins[str(iri)] = where
        types = [entity["type"]] if isinstance(entity["type"], str) else list(entity["type"])
        for t in types:
            g.add((iri, RDF.type, AKG[t]))
        for lang, text in entity["labels"].items():
            g.add((iri, RDFS.label, Literal(text, lang=lang)))
        for lang, texts in (entity.get("aliases") or {}).items():
            for text in texts:
                g.add((iri, SKOS.altLabel, Literal(text, lang=lang)))
        if entity.get("brand"):
            brand = self._resolve(entity["brand"], ("Manufacturer",), (*where, "brand"))
            g.add((iri, AKG.brand, URIRef(brand)))
        if entity.get("note"):
            g.add((iri, SKOS.editorialNote, Literal(entity["note"], lang="en")))
        g.add((iri, PROV.wasDerivedFrom, self.source))
        self.new.append((str(iri), str(entity["labels"]["en"])))

    def claim(self, subject: str, statement: Mapping[str, Any], where: Path_) -> None:
        from rdflib import RDF, RDFS, Literal, URIRef
        from rdflib.namespace import PROV, SKOS

        rule = PROPERTIES[statement["property"]]
        g = self.graph
        value_label: str
        if rule.date:
            value, stated = self._date(subject, rule, statement, where)
            value_label = stated
        else:
            value = URIRef(self._resolve(statement["value"], rule.value, (*where, "value")))
            value_label = self.index.english(str(value))
            if str(value) == subject:
                raise self.sheet.error((*where, "value"), f"a {rule.local} claim cannot name its subject as value")
        iri = URIRef(claim_iri(self.source_id, subject, rule.local, str(value) if rule.several else None))
        if str(iri) in self.claims:
            first = self.sheet.line(self.claims[str(iri)])
            raise self.sheet.error(
                where,
                f"this sheet already has this claim (line {first}): one claim per subject, property"
                + (" and value" if rule.several else ""),
            )
        self.claims[str(iri)] = where
        self.origins[str(iri)] = where
        if rule.date:
            self.origins[str(date_iri(subject, rule.local, self.source_id))] = (*where, "date")
        subject_ref = URIRef(subject)
        prop_label = self._property_label(rule)
        g.add((iri, RDF.type, AKG.Claim))
        g.add(
            (
                iri,
                RDFS.label,
                Literal(
                    f"{self.publisher_name}: {self.index.english(subject)} — {prop_label} {value_label}", lang="en"
                ),
            )
        )
        g.add((iri, AKG.claimSubject, subject_ref))
        g.add((iri, AKG.claimProperty, URIRef(rule.iri)))
        g.add((iri, AKG.claimValue, value))
        g.add((iri, PROV.entity, self.source))
        g.add((iri, PROV.wasDerivedFrom, self.source))
        g.add((subject_ref, PROV.qualifiedDerivation, iri))
        if statement.get("quotation") is not None:
            text, lang = self._lang_text(statement["quotation"])
            g.add((iri, AKG.quotation, Literal(text, lang=lang)))
        if statement.get("paraphrase"):
            g.add((iri, AKG.paraphrase, Literal(statement["paraphrase"], lang="en")))
        if statement.get("note"):
            g.add((iri, SKOS.editorialNote, Literal(statement["note"], lang="en")))

    def _property_label(self, rule: PropertyRule) -> str:
        from rdflib import RDFS, Literal, URIRef

        for label in self.ontology.objects(URIRef(rule.iri), RDFS.label):
            if isinstance(label, Literal) and label.language == "en":
                return str(label)
        return rule.local

    def _date(self, subject: str, rule: PropertyRule, statement: Mapping[str, Any], where: Path_) -> tuple[URIRef, str]:
        from rdflib import RDFS, Literal, URIRef
        from rdflib.namespace import PROV

        from alliance_kg.dates import LANGUAGES, parse_date
        from alliance_kg.sheets._date_labels import date_labels

        previous = None
        if statement.get("previous"):
            previous = self.dates.get(statement["previous"])
            if previous is None:
                raise self.sheet.error(
                    (*where, "previous"),
                    f"no earlier date claim of this sheet has the key {statement['previous']!r}",
                )
        assert self.reference is not None
        lang = self.language if self.language in LANGUAGES else None
        try:
            stated = parse_date(statement["date"], self.reference, lang, previous=previous)
        except DateExpressionError as error:
            hint = " (give previous: the key of the claim it refers to)" if "previous" in error.reason else ""
            raise self.sheet.error((*where, "date"), f"{error}{hint}") from None
        if statement.get("key"):
            self.dates[statement["key"]] = stated
        node = URIRef(date_iri(subject, rule.local, self.source_id))
        for triple in stated.triples(node):
            self.graph.add(triple)
        english, french = date_labels(stated)
        self.graph.add((node, RDFS.label, Literal(english, lang="en")))
        self.graph.add((node, RDFS.label, Literal(french, lang="fr")))
        self.graph.add((node, PROV.wasDerivedFrom, self.source))
        return node, english

    def header(self) -> str:
        published = self._get(("source", "published"))
        lines = [
            f"# The claims of {self.publisher_name} (source:{self.source_id}), compiled by `alliance-kg add` from the "
            f"fact sheet {self.sheet_name}.",
            "# Do not edit this file: edit the sheet and add it again (the same sheet always gives the same file).",
        ]
        if published is None:
            earliest = self._get(("source", "published_not_before"))
            lines.append(
                f"# Its publication day is not known: akg:publishedNotBefore {earliest}; its relative dates count "
                f"from {self.reference}."
            )
        return "\n".join(lines) + "\n\n"


def compile_sheet(sheet: Sheet, *, context: Graph, ontology: Graph, sheet_name: str | None = None) -> Compiled:
    """Compile ``sheet`` against ``context`` (the graph its names resolve in, without the sheet's own earlier
    output) and ``ontology``; raises :class:`SheetError` naming the field of the first problem.

    ``sheet_name`` is how the Turtle's header names the sheet (default: its file name).
    """
    compiler = _Compiler(sheet, context, ontology, sheet_name or sheet.path.name)
    compiler.source_triples()
    minted = compiler.mint_entities()
    for iri, where, entity in minted:
        compiler.entity_triples(iri, where, entity)
    for iri, where, entity in minted:
        for number, fact in enumerate(entity.get("facts") or []):
            _check_subject(compiler, str(iri), fact, (*where, "facts", number))
            compiler.claim(str(iri), fact, (*where, "facts", number))
    for number, statement in enumerate(sheet.data["claims"]):
        where = ("claims", number)
        rule = PROPERTIES[statement["property"]]
        subject = compiler._resolve(statement["subject"], rule.subject, (*where, "subject"))
        compiler.claim(subject, statement, where)
    body = compiler.graph.serialize(format="turtle", encoding="utf-8")
    return Compiled(
        source_id=compiler.source_id,
        graph=compiler.graph,
        turtle=compiler.header().encode("utf-8") + body,
        new_entities=tuple(compiler.new),
        claims=tuple(sorted(compiler.claims)),
        origins=dict(compiler.origins),
    )


def _check_subject(compiler: _Compiler, iri: str, fact: Mapping[str, Any], where: Path_) -> None:
    """An entity's fact must suit the entity (an operator is a plant's)."""
    from alliance_kg.named_queries import display_name

    rule = PROPERTIES[fact["property"]]
    wanted = {str(AKG[cls]) for cls in rule.subject}
    if not wanted & compiler.index.types.get(iri, set()):
        kinds = " or ".join(display_name(str(AKG[cls])) for cls in rule.subject)
        raise compiler.sheet.error((*where, "property"), f"{fact['property']!r} is a fact about: {kinds}")
