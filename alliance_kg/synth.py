"""Synthetic industry graphs in the alliance-kg ontology, for benchmarks: ``alliance-kg synth``.

:func:`synth_triples` yields about ``triples`` triples of a deterministic, realistic and entirely invented
industry graph: manufacturers (with their brands, alliances, cooperations, benefits and objectives), plants in
real countries and cities, model lines with variants and derivatives, OEM supplies in both directions with
production and sales starts at mixed precision (day, month, quarter, half-year, year) and qualifiers (their
windows narrowed as :func:`alliance_kg.dates.parse_date` reads the words), agreements on vehicle ranges whose
direction is not stated (``akg:OEMSupplyAgreement`` with two ``akg:party``), markets, statuses, and the synthetic
news articles they are taken from. The same size and seed give the same triples, in
the same order; another seed gives another graph.

The graph is a facts graph (it does not include the ontology). Validated together with the ontology it conforms
to every shape of ``ontology/alliance-kg.shapes.ttl``, and it is consistent under OWL-RL reasoning.

It can never be mistaken for real data: every IRI it mints lives under :data:`SYNTH_NAMESPACE`
(``https://w3id.org/alliance-kg/id/synth/``), the names of manufacturers, plants and vehicles are invented,
everything is ``prov:wasDerivedFrom`` the synthetic :data:`SOURCE_IRI` (an ``akg:SourceDocument`` whose comment
says that the graph is synthetic), and there is no Wikidata link (no ``skos:exactMatch``). Only the names of
countries, cities and world regions are real.

:func:`write_synth` streams the graph to a file, as N-Triples (``.nt``) or Turtle (``.ttl``), written line by line
(memory stays bounded whatever the size; no rdflib graph is built) with :mod:`alliance_kg.atomic`: into a
temporary file of the same folder that replaces the target only once complete, so that an error or an interrupt
leaves no partial file.

This module builds no rdflib graph (it borrows only the project's prefixes and :mod:`alliance_kg.dates`' reading
of date words): it writes RDF syntax itself.
"""

# The French text uses the typographic apostrophe (U+2019) and en dash (U+2013), as the project's data does.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Final, NamedTuple

from alliance_kg.atomic import atomic_file
from alliance_kg.dates import parse_date
from alliance_kg.errors import InputError, ParameterError
from alliance_kg.namespaces import ID, PREFIXES, short

__all__ = [
    "FORMATS",
    "MAX_TRIPLES",
    "MIN_TRIPLES",
    "SOURCE_IRI",
    "SYNTH_NAMESPACE",
    "SynthResult",
    "Triple",
    "check_seed",
    "check_triples",
    "format_for",
    "ntriples_lines",
    "synth_triples",
    "turtle_chunks",
    "write_synth",
]

#: Where every IRI the generator mints lives.
SYNTH_NAMESPACE: Final = f"{ID}synth/"
#: The synthetic source document everything is derived from.
SOURCE_IRI: Final = SYNTH_NAMESPACE + "source/synthetic-industry-graph"
#: The smallest size asked for: the fixed part of the graph (places, manufacturers, ...) and a few supplies.
MIN_TRIPLES: Final = 1000
#: The largest size asked for (about 13 GB of N-Triples): a bound on mistakes such as an extra zero or two.
MAX_TRIPLES: Final = 100_000_000
#: Output formats, by file name extension.
FORMATS: Final = {".nt": "nt", ".ttl": "turtle"}

#: A triple as three terms in N-Triples syntax (``<iri>``, ``"text"@fr``, ``"2026-01-12"^^<...#date>``).
Triple = tuple[str, str, str]

# -- vocabulary (terms in N-Triples syntax) ------------------------------------------------------------------

_AKG, _RDF, _RDFS, _PROV, _SKOS, _DCTERMS, _SCHEMA, _TIME, _XSD = (
    str(PREFIXES[name]) for name in ("akg", "rdf", "rdfs", "prov", "skos", "dcterms", "schema", "time", "xsd")
)

_PREFIXES: Final = (
    ("akg", _AKG),
    ("dcterms", _DCTERMS),
    ("prov", _PROV),
    ("rdf", _RDF),
    ("rdfs", _RDFS),
    ("schema", _SCHEMA),
    ("skos", _SKOS),
    ("time", _TIME),
    ("xsd", _XSD),
    *(
        (f"synth-{kind}", f"{SYNTH_NAMESPACE}{kind}/")
        for kind in (
            "alliance",
            "benefit",
            "city",
            "cooperation",
            "cooperation-area",
            "country",
            "date",
            "manufacturer",
            "objective",
            "plant",
            "region",
            "source",
            "supply",
            "vehicle",
        )
    ),
)


def _term(namespace: str, local: str) -> str:
    return f"<{namespace}{local}>"


def _akg(local: str) -> str:
    return _term(_AKG, local)


A: Final = _term(_RDF, "type")
LABEL: Final = _term(_RDFS, "label")
COMMENT: Final = _term(_RDFS, "comment")
DERIVED: Final = _term(_PROV, "wasDerivedFrom")
NOTE: Final = _term(_SKOS, "editorialNote")
TITLE: Final = _term(_DCTERMS, "title")
LANGUAGE: Final = _term(_DCTERMS, "language")
IN_LANGUAGE: Final = _term(_SCHEMA, "inLanguage")
NEWS_ARTICLE: Final = _term(_SCHEMA, "NewsArticle")
NOT_CAPTURED_VALUES: Final = (_term(_DCTERMS, "publisher"), _term(_DCTERMS, "issued"), _term(_SCHEMA, "url"))
XSD_DATE: Final = _XSD + "date"

(
    MANUFACTURER,
    ALLIANCE,
    COOPERATION,
    COOPERATION_AREA,
    PLANT,
    VEHICLE,
    OEM_SUPPLY,
    COUNTRY,
    CITY,
    WORLD_REGION,
    MARKET,
    SOURCE_DOCUMENT,
    STATED_DATE,
    BENEFIT,
    STRATEGIC_OBJECTIVE,
    SUV,
    PICKUP,
    KEI,
    LCV,
    PHEV,
    BEV,
) = (
    _akg(name)
    for name in (
        "Manufacturer",
        "Alliance",
        "Cooperation",
        "CooperationArea",
        "Plant",
        "Vehicle",
        "OEMSupply",
        "Country",
        "City",
        "WorldRegion",
        "Market",
        "SourceDocument",
        "StatedDate",
        "Benefit",
        "StrategicObjective",
        "SUV",
        "Pickup",
        "KeiVehicle",
        "LightCommercialVehicle",
        "PlugInHybridVehicle",
        "BatteryElectricVehicle",
    )
)
(
    MEMBER_OF,
    PARTICIPANT,
    WITHIN_ALLIANCE,
    AREA,
    AIM,
    PURSUED_BY,
    STATED_BY,
    BENEFICIARY,
    OPERATOR,
    LOCATED_IN,
    IN_COUNTRY,
    BRAND,
    DERIVED_FROM,
    VARIANT_OF,
    SUPPLIER,
    CUSTOMER,
    SUPPLY_VEHICLE,
    PRODUCED_AT,
    SUPPLY_MARKET,
    PRODUCTION_START,
    SALES_START,
    STATUS,
    RESULT_OF,
    STATED_BENEFIT,
    SOURCE_SENTENCE,
    EARLIEST,
    LATEST,
    PRECISION,
    QUALIFIER,
    STATED_AS,
    PUBLISHED_NOT_BEFORE,
    NOT_CAPTURED,
) = (
    _akg(name)
    for name in (
        "memberOf",
        "participant",
        "withinAlliance",
        "cooperationArea",
        "aim",
        "pursuedBy",
        "statedBy",
        "beneficiary",
        "operator",
        "locatedIn",
        "country",
        "brand",
        "derivedFrom",
        "variantOf",
        "supplier",
        "customer",
        "vehicle",
        "producedAt",
        "market",
        "productionStart",
        "salesStart",
        "status",
        "resultOf",
        "statedBenefit",
        "sourceSentence",
        "earliest",
        "latest",
        "precision",
        "qualifier",
        "statedAs",
        "publishedNotBefore",
        "notCaptured",
    )
)
OEM_SUPPLY_AGREEMENT: Final = _akg("OEMSupplyAgreement")
PARTY: Final = _akg("party")
ONGOING: Final = _akg("Ongoing")
PLANNED: Final = _akg("Planned")
END_OF: Final = _akg("EndOf")
BEGINNING_OF: Final = _akg("BeginningOf")

_ESCAPES: Final = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _text(value: str, lang: str) -> str:
    """A language-tagged literal, escaped for N-Triples (and Turtle)."""
    return f'"{value.translate(_ESCAPES)}"@{lang}'


def _plain(value: str) -> str:
    return f'"{value.translate(_ESCAPES)}"'


def _day(value: date) -> str:
    return f'"{value.isoformat()}"^^<{XSD_DATE}>'


def _slug(name: str) -> str:
    """``"Škoda Yeti 4x4"`` -> ``"skoda-yeti-4x4"``: ASCII letters, digits and single hyphens."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", letters.encode("ascii", "replace").decode("ascii")).strip("-")


def _id(kind: str, local: str) -> str:
    return f"<{SYNTH_NAMESPACE}{kind}/{local}>"


# -- real places (names only) -------------------------------------------------------------------------------


class _Region(NamedTuple):
    slug: str
    en: str
    fr: str
    fr_in: str  # "en Amérique du Nord"


class _City(NamedTuple):
    slug: str
    en: str
    fr: str


class _Country(NamedTuple):
    slug: str
    en: str
    fr: str
    fr_in: str  # "au Japon"
    region: str
    market: bool  # typed akg:Market (vehicles are sold there); plant-only countries are not
    cities: tuple[_City, ...]


def _cities(*names: str | tuple[str, str]) -> tuple[_City, ...]:
    return tuple(
        _City(_slug(name), name, name) if isinstance(name, str) else _City(_slug(name[0]), name[0], name[1])
        for name in names
    )


REGIONS: Final = (
    _Region("north-america", "North America", "Amérique du Nord", "en Amérique du Nord"),
    _Region("latin-america", "Latin America", "Amérique latine", "en Amérique latine"),
    _Region("europe", "Europe", "Europe", "en Europe"),
    _Region("east-asia", "East Asia", "Asie de l’Est", "en Asie de l’Est"),
    _Region("southeast-asia", "Southeast Asia", "Asie du Sud-Est", "en Asie du Sud-Est"),
    _Region("south-asia", "South Asia", "Asie du Sud", "en Asie du Sud"),
    _Region("oceania", "Oceania", "Océanie", "en Océanie"),
    _Region("africa", "Africa", "Afrique", "en Afrique"),
    _Region("middle-east", "Middle East", "Moyen-Orient", "au Moyen-Orient"),
)

#: Real countries (the first ones are used at small sizes) with two real cities each.
COUNTRIES: Final = (
    _Country("japan", "Japan", "Japon", "au Japon", "east-asia", True, _cities("Nagoya", "Kurashiki")),
    _Country(
        "thailand", "Thailand", "Thaïlande", "en Thaïlande", "southeast-asia", False, _cities("Rayong", "Chonburi")
    ),
    _Country(
        "united-states",
        "United States",
        "États-Unis",
        "aux États-Unis",
        "north-america",
        True,
        _cities("Chattanooga", "Smyrna"),
    ),
    _Country("france", "France", "France", "en France", "europe", True, _cities("Douai", "Sandouville")),
    _Country(
        "indonesia", "Indonesia", "Indonésie", "en Indonésie", "southeast-asia", False, _cities("Bekasi", "Karawang")
    ),
    _Country("australia", "Australia", "Australie", "en Australie", "oceania", True, _cities("Adelaide", "Melbourne")),
    _Country(
        "mexico",
        "Mexico",
        "Mexique",
        "au Mexique",
        "north-america",
        True,
        _cities("Aguascalientes", ("Puebla", "Puebla")),
    ),
    _Country("china", "China", "Chine", "en Chine", "east-asia", True, _cities("Wuhan", ("Guangzhou", "Canton"))),
    _Country("india", "India", "Inde", "en Inde", "south-asia", True, _cities("Chennai", "Pune")),
    _Country(
        "south-korea", "South Korea", "Corée du Sud", "en Corée du Sud", "east-asia", True, _cities("Ulsan", "Asan")
    ),
    _Country("germany", "Germany", "Allemagne", "en Allemagne", "europe", True, _cities("Zwickau", "Rastatt")),
    _Country("spain", "Spain", "Espagne", "en Espagne", "europe", True, _cities("Valladolid", "Martorell")),
    _Country(
        "brazil", "Brazil", "Brésil", "au Brésil", "latin-america", True, _cities("Resende", "São José dos Pinhais")
    ),
    _Country(
        "united-kingdom",
        "United Kingdom",
        "Royaume-Uni",
        "au Royaume-Uni",
        "europe",
        True,
        _cities("Sunderland", "Swindon"),
    ),
    _Country("turkey", "Turkey", "Turquie", "en Turquie", "middle-east", True, _cities("Bursa", "İzmit")),
    _Country(
        "south-africa",
        "South Africa",
        "Afrique du Sud",
        "en Afrique du Sud",
        "africa",
        True,
        _cities("Rosslyn", ("East London", "East London")),
    ),
    _Country(
        "morocco",
        "Morocco",
        "Maroc",
        "au Maroc",
        "africa",
        False,
        _cities(("Tangier", "Tanger"), ("Kenitra", "Kénitra")),
    ),
    _Country(
        "malaysia", "Malaysia", "Malaisie", "en Malaisie", "southeast-asia", True, _cities("Pekan", "Tanjung Malim")
    ),
    _Country(
        "philippines",
        "Philippines",
        "Philippines",
        "aux Philippines",
        "southeast-asia",
        True,
        _cities("Santa Rosa", "Biñan"),
    ),
    _Country(
        "vietnam",
        "Vietnam",
        "Viêt Nam",
        "au Viêt Nam",
        "southeast-asia",
        True,
        _cities(("Haiphong", "Hải Phòng"), "Vinh Yen"),
    ),
    _Country("canada", "Canada", "Canada", "au Canada", "north-america", True, _cities("Alliston", "Cambridge")),
    _Country(
        "argentina",
        "Argentina",
        "Argentine",
        "en Argentine",
        "latin-america",
        True,
        _cities(("Cordoba", "Córdoba"), "Zárate"),
    ),
    _Country("poland", "Poland", "Pologne", "en Pologne", "europe", False, _cities("Gliwice", "Tychy")),
    _Country("czechia", "Czechia", "Tchéquie", "en Tchéquie", "europe", False, _cities("Mladá Boleslav", "Kolín")),
    _Country("slovakia", "Slovakia", "Slovaquie", "en Slovaquie", "europe", False, _cities("Trnava", "Žilina")),
    _Country("italy", "Italy", "Italie", "en Italie", "europe", True, _cities("Melfi", "Cassino")),
    _Country(
        "new-zealand",
        "New Zealand",
        "Nouvelle-Zélande",
        "en Nouvelle-Zélande",
        "oceania",
        True,
        _cities("Auckland", "Wellington"),
    ),
    _Country(
        "saudi-arabia",
        "Saudi Arabia",
        "Arabie saoudite",
        "en Arabie saoudite",
        "middle-east",
        True,
        _cities(("Riyadh", "Riyad"), ("Jeddah", "Djeddah")),
    ),
)

#: Cooperation areas: slug, English, French.
AREAS: Final = (
    ("pickup-development", "pickup development", "développement de pick-up"),
    ("powertrain-electrification", "powertrain electrification", "électrification des chaînes de traction"),
    ("global-expansion", "global expansion of the business", "expansion des activités à l’échelle mondiale"),
    ("battery-sourcing", "battery sourcing", "approvisionnement en batteries"),
    ("shared-platforms", "shared vehicle platforms", "plateformes de véhicules communes"),
    ("kei-vehicles", "kei vehicles", "mini-véhicules"),
    ("software", "vehicle software", "logiciels embarqués"),
    ("light-commercial-vehicles", "light commercial vehicles", "véhicules utilitaires légers"),
)

#: Objectives that cooperations aim at: slug, English, French.
SHARED_OBJECTIVES: Final = (
    ("joint-development", "joint development", "développement commun"),
    ("industrial-optimisation", "industrial optimisation", "optimisation industrielle"),
    ("cost-reduction", "lower development costs", "réduction des coûts de développement"),
    ("faster-electrification", "faster electrification of the range", "électrification plus rapide de la gamme"),
    ("market-coverage", "wider market coverage", "couverture élargie des marchés"),
)

#: Objectives one manufacturer states: slug, English, French.
OWN_OBJECTIVES: Final = (
    ("improve-profitability", "Improve profitability", "Améliorer la rentabilité"),
    (
        "expand-product-portfolio",
        "Expand its product portfolio through partnerships",
        "Élargir son portefeuille produits grâce à des partenariats",
    ),
    (
        "strengthen-operations",
        "Strengthen its operations through partnerships",
        "Renforcer ses opérations grâce à des partenariats",
    ),
)

_ONSETS: Final = ("K", "V", "T", "S", "M", "R", "L", "N", "D", "Br", "Tr", "Z", "Qu", "H", "Gr", "F", "Pr", "C")
_VOWELS: Final = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ya")
_CODAS: Final = ("", "", "n", "r", "s", "l", "x", "k", "th", "m")
_MAKER_SUFFIXES: Final = ("Motors", "Automobiles", "Motor Company", "Auto", "Automotive", "Cars")
_TRIMS: Final = ("", "", "", " Sport", " Cross", " Max", " Van", " Neo")

_MONTHS_EN: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTHS_FR: Final = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_ORDINALS_FR: Final = ("premier", "deuxième", "troisième", "quatrième")

_DAY, _MONTH, _QUARTER, _HALF, _YEAR = "day", "month", "quarter", "half", "year"
_UNITS: Final = {
    _DAY: _term(_TIME, "unitDay"),
    _MONTH: _term(_TIME, "unitMonth"),
    _QUARTER: _akg("unitQuarter"),
    _HALF: _akg("unitHalfYear"),
    _YEAR: _term(_TIME, "unitYear"),
}
_FIRST_DAY: Final = date(2016, 1, 1)
_DAYS: Final = (date(2029, 12, 31) - _FIRST_DAY).days

# Supply kinds; the first supplies follow _OPENING so that even the smallest graph has every kind of node,
# both directions of supply, every precision and both qualifiers.
_REBADGE, _VARIANT, _EV_PLANNED, _KEI_RANGE, _LCV_RANGE, _PLAIN = "rebadge", "variant", "ev", "kei", "lcv", "plain"
_KIND_WEIGHTS: Final = (
    (_REBADGE, 40),
    (_VARIANT, 22),
    (_EV_PLANNED, 12),
    (_PLAIN, 12),
    (_KEI_RANGE, 7),
    (_LCV_RANGE, 7),
)
#: The body and drive of the first model lines planned (then drawn at random).
_FIRST_LINES: Final = ((SUV, False), (PICKUP, False), (VEHICLE, True), (KEI, False), (LCV, False))
_KINDS: Final = [kind for kind, _weight in _KIND_WEIGHTS]
_WEIGHTS: Final = [weight for _kind, weight in _KIND_WEIGHTS]
#: kind, production (precision, qualifier), sales (precision, qualifier)
_OPENING: Final = (
    (_REBADGE, (_DAY, None), (_QUARTER, None)),
    (_EV_PLANNED, None, (_HALF, None)),
    (_VARIANT, (_MONTH, END_OF), (_QUARTER, END_OF)),
    (_KEI_RANGE, None, None),
    (_REBADGE, (_QUARTER, BEGINNING_OF), (_YEAR, BEGINNING_OF)),
    (_LCV_RANGE, None, None),
    (_PLAIN, None, None),
    (_VARIANT, (_HALF, END_OF), (_MONTH, None)),
    (_REBADGE, (_YEAR, END_OF), (_DAY, None)),
)
#: Supplies per synthetic news article.
_SUPPLIES_PER_ARTICLE: Final = 6
#: About half the triples of one supply (its dates, vehicle, article share included): the generator stops when
#: fewer than this many triples are missing, so the total lands within this many of the target.
_HALF_SUPPLY: Final = 24


# -- the plan of the world ----------------------------------------------------------------------------------


@dataclass
class _Model:
    iri: str
    slug: str
    en: str
    fr: str
    classes: tuple[str, ...]
    electric: bool
    line: _Model | None = None  # the model line a variant is a version of


@dataclass
class _Plant:
    iri: str
    city: _City
    country: _Country


@dataclass
class _Maker:
    iri: str
    slug: str
    name: str
    home: _Country
    alliance: str | None = None
    plants: list[_Plant] = field(default_factory=list)
    lines: list[_Model] = field(default_factory=list)
    models: list[_Model] = field(default_factory=list)  # lines and their variants


@dataclass
class _Cooperation:
    iri: str
    slug: str
    participants: list[_Maker]
    alliance: str | None
    alliance_fr: str | None


@dataclass
class _Article:
    iri: str
    day: date


@dataclass(frozen=True)
class _StatedDate:
    earliest: date
    latest: date
    en: str
    fr: str
    stated: str
    precision: str
    qualifier: str | None


class _Triples(list[Triple]):
    """The triples of one block (an entity and what belongs to it), in order."""

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.append((subject, predicate, obj))

    def labels(self, subject: str, en: str, fr: str) -> None:
        self.append((subject, LABEL, _text(en, "en")))
        self.append((subject, LABEL, _text(fr, "fr")))

    def sentences(self, subject: str, *sentences: str) -> None:
        for sentence in sentences:
            self.append((subject, SOURCE_SENTENCE, _text(sentence, "fr")))


def _de(word: str) -> str:
    """French "de" with elision: ``de Douai``, ``d’Okazaki``."""
    return f"d’{word}" if word[:1].lower() in "aeiouyéèêàâîôûœ" else f"de {word}"


def _last_day(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


_PRODUCTION_WORDS: Final = {_DAY: "le ", _MONTH: "en ", _QUARTER: "au ", _HALF: "au ", _YEAR: "en "}
_SALES_WORDS: Final = {_DAY: "à partir du ", _QUARTER: "à partir du ", _HALF: "à partir du ", _YEAR: "à partir de "}


def _stated_date(anchor: date, precision: str, qualifier: str | None, *, sales: bool) -> _StatedDate:
    """The period of ``precision`` that holds ``anchor``, worded as a French article states it.

    Production: "le 12 janvier 2026", "à la fin décembre 2025", "au premier trimestre 2026", "en 2027";
    sales: "à partir du premier trimestre 2026", "à partir de la fin du second semestre 2026", ... The English
    label reads "12 January 2026", "end of December 2025", "from the end of Q1 2026"; a sales date's French
    label is its stated words, as in the project's data. A qualifier narrows the bounds as
    :func:`alliance_kg.dates.parse_date` reads the words (the end of a month is its second half, ...).
    """
    year, month = anchor.year, anchor.month
    if precision == _DAY:
        qualifier = None
        earliest = latest = anchor
        en = f"{anchor.day} {_MONTHS_EN[month - 1]} {year}"
        fr = f"{'1er' if anchor.day == 1 else anchor.day} {_MONTHS_FR[month - 1]} {year}"
    elif precision == _MONTH:
        earliest, latest = date(year, month, 1), _last_day(year, month)
        en, fr = f"{_MONTHS_EN[month - 1]} {year}", f"{_MONTHS_FR[month - 1]} {year}"
    elif precision == _QUARTER:
        quarter = (month - 1) // 3
        earliest, latest = date(year, 3 * quarter + 1, 1), _last_day(year, 3 * quarter + 3)
        en, fr = f"Q{quarter + 1} {year}", f"{_ORDINALS_FR[quarter]} trimestre {year}"
    elif precision == _HALF:
        half = (month - 1) // 6
        earliest, latest = date(year, 6 * half + 1, 1), _last_day(year, 6 * half + 6)
        en, fr = f"H{half + 1} {year}", f"{('premier', 'second')[half]} semestre {year}"
    else:
        earliest, latest = date(year, 1, 1), date(year, 12, 31)
        en = fr = str(year)
    if qualifier is None:
        if sales:
            stated = f"à partir {_de(fr)}" if precision == _MONTH else _SALES_WORDS[precision] + fr
        else:
            stated = _PRODUCTION_WORDS[precision] + fr
    else:
        end = qualifier == END_OF
        word_en, word_fr = ("end of", "fin") if end else ("beginning of", "début")
        en = f"{word_en} {en}"
        fr = f"{word_fr} du {fr}" if precision in (_QUARTER, _HALF) else f"{word_fr} {fr}"
        if sales:
            stated = f"à partir de la {fr}" if end else f"à partir du {fr}"
            en = f"the {en}"
        else:
            stated = f"à la {fr}" if end else f"au {fr}"
    if qualifier is not None:  # the qualifier narrows the window, as alliance_kg.dates reads the words
        read = parse_date(stated, anchor, "fr")
        if (read.precision, read.qualifier) != (short(_UNITS[precision].strip("<>")), short(qualifier.strip("<>"))):
            raise AssertionError(f"synth wrote {stated!r}, which alliance_kg.dates reads otherwise")
        earliest, latest = read.earliest, read.latest
    if sales:
        en, fr = f"from {en}", stated
    return _StatedDate(earliest, latest, en, fr, stated, precision, qualifier)


class _Generator:
    """One synthetic graph: plan the world from the seed, then emit it block by block."""

    def __init__(self, target: int, seed: int) -> None:
        self.target = target
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not cryptography
        rng = self.rng
        countries = max(6, min(len(COUNTRIES), target // 300))
        self.countries = list(COUNTRIES[:countries])
        used_regions = {country.region for country in self.countries}
        self.regions = [region for region in REGIONS if region.slug in used_regions]
        self.cities_per_country = 1 if target < 20_000 else 2
        self.market_terms = [_id("country", c.slug) for c in self.countries if c.market] + [
            _id("region", r.slug) for r in self.regions
        ]
        self.market_names = {_id("country", c.slug): (_in_en(c.en), c.fr_in) for c in self.countries} | {
            _id("region", r.slug): (_in_en(r.en), r.fr_in) for r in self.regions
        }
        self.areas = AREAS[: 4 if target < 20_000 else len(AREAS)]
        self.used_model_slugs: set[str] = set()
        self.lines_made = 0

        # Manufacturers, in alliances of two to four; some stay independent.
        names: set[str] = set()
        self.makers: list[_Maker] = []
        for _ in range(max(4, min(5000, target // 2000))):
            name = self._maker_name(names)
            slug = _slug(name)
            home = rng.choice(self.countries)
            self.makers.append(_Maker(_id("manufacturer", slug), slug, name, home))
        self.alliances: list[tuple[str, str, str, list[_Maker]]] = []
        order = list(self.makers)
        rng.shuffle(order)
        position = 0
        while position + 2 <= len(order):
            size = min(rng.choice((2, 2, 3, 3, 4)), len(order) - position)
            members = order[position : position + size]
            position += size
            if self.alliances and rng.random() < 0.25:
                continue  # these stay independent
            en = "–".join(m.name.split()[0] for m in members) + " Alliance"
            fr = "Alliance " + "-".join(m.name.split()[0] for m in members)
            iri = _id("alliance", _slug("-".join(m.name.split()[0] for m in members) + " alliance"))
            for member in members:
                member.alliance = iri
            self.alliances.append((iri, en, fr, members))

        # Cooperations: one within each alliance, and some across alliances.
        self.cooperations: list[_Cooperation] = []
        self.pair_cooperation: dict[tuple[str, str], _Cooperation] = {}
        for iri, _en, fr, members in self.alliances:
            participants = members if len(members) <= 3 else rng.sample(members, 3)
            self._add_cooperation(participants, iri, fr)
        for _ in range(max(1, len(self.makers) // 8)):
            first, second = rng.sample(self.makers, 2)
            if self._cooperation_of(first, second) is None:
                self._add_cooperation([first, second], None, None)

        # Plants (one to three, the first at home) and model lines (two to five, some with variants).
        for maker in self.makers:
            sites: list[tuple[_Country, _City]] = []
            for number in range(rng.choice((1, 2, 2, 3))):
                country = maker.home if number == 0 else rng.choice(self.countries)
                city = rng.choice(country.cities[: self.cities_per_country])
                if (country, city) not in sites:
                    sites.append((country, city))
            for country, city in sites:
                maker.plants.append(_Plant(_id("plant", f"{maker.slug}-{city.slug}"), city, country))
            for _ in range(rng.choice((2, 3, 3, 4, 5))):
                line = self._new_line(maker)
                maker.lines.append(line)
                maker.models.append(line)
                if rng.random() < 0.4 or line is self.makers[0].lines[0]:  # the first line (an SUV) has a PHEV
                    maker.models.append(self._new_variant(line))

        self.articles = 0
        self.article: _Article | None = None
        self.previous_pair: tuple[_Maker, _Maker] | None = None

    # -- naming

    def _word(self, syllables: int) -> str:
        rng = self.rng
        word = "".join(rng.choice(_ONSETS).lower() + rng.choice(_VOWELS) for _ in range(syllables))
        return (word + rng.choice(_CODAS)).capitalize()

    def _maker_name(self, taken: set[str]) -> str:
        for attempt in range(100):
            base = self._word(2 if attempt < 50 else 3)
            if _slug(base) not in taken:
                taken.add(_slug(base))
                return f"{base} {self.rng.choice(_MAKER_SUFFIXES)}"
        raise AssertionError("no free manufacturer name")  # pragma: no cover - 3 syllables give millions

    def _model_slug(self, base: str) -> str:
        slug, number = base, 1
        while slug in self.used_model_slugs:
            number += 1
            slug = f"{base}-{number}"
        self.used_model_slugs.add(slug)
        return slug

    def _new_line(self, maker: _Maker) -> _Model:
        rng = self.rng
        made, self.lines_made = self.lines_made, self.lines_made + 1
        if made < len(_FIRST_LINES):  # every body type and a battery EV line, even in the smallest graph
            body, electric = _FIRST_LINES[made]
        else:
            body, electric = rng.choice((SUV, SUV, PICKUP, VEHICLE, VEHICLE, KEI, LCV)), rng.random() < 0.25
        classes = (body, BEV) if electric and body != VEHICLE else ((BEV,) if electric else (body,))
        name = f"{maker.name.split()[0]} {self._word(rng.choice((1, 2)))}"
        slug = self._model_slug(_slug(name))
        return _Model(_id("vehicle", slug), slug, name, name, classes, electric)

    def _new_variant(self, line: _Model) -> _Model:
        if line.electric:
            en, fr, classes = f"New {line.en}", f"Nouvelle {line.fr}", line.classes
        else:
            en, fr = f"{line.en} Plug-in Hybrid", f"{line.fr} hybride rechargeable"
            classes = (*line.classes, PHEV) if line.classes != (VEHICLE,) else (PHEV,)
        slug = self._model_slug(_slug(en))
        return _Model(_id("vehicle", slug), slug, en, fr, classes, True, line)

    def _add_cooperation(self, participants: list[_Maker], alliance: str | None, alliance_fr: str | None) -> None:
        slug = "-".join(p.slug for p in participants)
        cooperation = _Cooperation(_id("cooperation", slug), slug, participants, alliance, alliance_fr)
        self.cooperations.append(cooperation)
        for first in participants:
            for second in participants:
                if first is not second:
                    self.pair_cooperation.setdefault((first.slug, second.slug), cooperation)

    def _cooperation_of(self, first: _Maker, second: _Maker) -> _Cooperation | None:
        return self.pair_cooperation.get((first.slug, second.slug))

    # -- the fixed part

    def _derived(self, block: _Triples, subject: str, *sources: str) -> None:
        block.add(subject, DERIVED, f"<{SOURCE_IRI}>")
        for source in sources:
            block.add(subject, DERIVED, source)

    def _source(self) -> _Triples:
        block = _Triples()
        s = f"<{SOURCE_IRI}>"
        block.add(s, A, SOURCE_DOCUMENT)
        block.labels(s, "Synthetic industry graph (not real data)", "Graphe industriel synthétique (données fictives)")
        block.add(s, TITLE, _text("Synthetic industry graph generated by alliance-kg synth", "en"))
        block.add(s, TITLE, _text("Graphe industriel synthétique produit par alliance-kg synth", "fr"))
        block.add(s, LANGUAGE, _plain("fr"))
        block.add(s, IN_LANGUAGE, _plain("fr"))
        block.add(
            s,
            COMMENT,
            _text(
                'SYNTHETIC DATA, NOT REAL: generated by the command "alliance-kg synth" '
                f"(about {self.target} triples, seed {self.seed}) to benchmark the tools. The manufacturers, "
                "alliances, plants, vehicles, supplies, dates, news articles and their sentences are invented; "
                "only the names of countries, cities and world regions are real. Nothing here is linked to "
                "Wikidata or to the real alliance-kg data.",
                "en",
            ),
        )
        block.add(s, NOTE, _text("Synthetic: do not use as a source of facts.", "en"))
        return block

    def _places(self) -> Iterator[_Triples]:
        for region in self.regions:
            block = _Triples()
            s = _id("region", region.slug)
            block.add(s, A, WORLD_REGION)
            block.add(s, A, MARKET)
            block.labels(s, region.en, region.fr)
            self._derived(block, s)
            yield block
        for country in self.countries:
            block = _Triples()
            s = _id("country", country.slug)
            block.add(s, A, COUNTRY)
            if country.market:
                block.add(s, A, MARKET)
            block.labels(s, country.en, country.fr)
            block.add(s, LOCATED_IN, _id("region", country.region))
            self._derived(block, s)
            yield block
            for city in country.cities[: self.cities_per_country]:
                block = _Triples()
                s = _id("city", city.slug)
                block.add(s, A, CITY)
                block.labels(s, city.en, city.fr)
                block.add(s, IN_COUNTRY, _id("country", country.slug))
                self._derived(block, s)
                yield block

    def _organisations(self) -> Iterator[_Triples]:
        rng = self.rng
        for slug, en, fr in self.areas:
            block = _Triples()
            s = _id("cooperation-area", slug)
            block.add(s, A, COOPERATION_AREA)
            block.labels(s, en, fr)
            block.sentences(s, f"Le périmètre de la coopération couvre notamment {_article_fr(fr)}.")
            self._derived(block, s)
            yield block
        for slug, en, fr in SHARED_OBJECTIVES:
            block = _Triples()
            s = _id("objective", slug)
            block.add(s, A, STRATEGIC_OBJECTIVE)
            block.labels(s, en, fr)
            pursuers = rng.sample(self.makers, 2)
            for maker in pursuers:
                block.add(s, PURSUED_BY, maker.iri)
            block.sentences(
                s,
                f"{pursuers[0].name} et {pursuers[1].name} disent poursuivre un objectif {_de(fr)}.",
            )
            self._derived(block, s)
            yield block
        for maker in self.makers:
            block = _Triples()
            block.add(maker.iri, A, MANUFACTURER)
            block.labels(maker.iri, maker.name, maker.name)
            if maker.alliance is not None:
                block.add(maker.iri, MEMBER_OF, maker.alliance)
            self._derived(block, maker.iri)
            yield block
            if rng.random() < 0.35:
                block = _Triples()
                slug, en, fr = rng.choice(OWN_OBJECTIVES)
                s = _id("objective", f"{maker.slug}-{slug}")
                block.add(s, A, STRATEGIC_OBJECTIVE)
                block.labels(s, f"{maker.name}: {en}", f"{maker.name} : {fr[0].lower()}{fr[1:]}")
                block.add(s, PURSUED_BY, maker.iri)
                block.add(s, STATED_BY, maker.iri)
                block.sentences(s, f"Enfin, {maker.name} précise vouloir {fr[0].lower()}{fr[1:]}.")
                self._derived(block, s)
                yield block
        for iri, en, fr, members in self.alliances:
            block = _Triples()
            block.add(iri, A, ALLIANCE)
            block.labels(iri, en, fr)
            names = ", ".join(m.name for m in members[:-1]) + f" et {members[-1].name}"
            block.sentences(iri, f"{names} annoncent renforcer leur partenariat au sein de l’{fr}.")
            if rng.random() < 0.5:
                block.add(iri, NOTE, _text("Synthetic alliance: its members are invented.", "en"))
            self._derived(block, iri)
            yield block
        for cooperation in self.cooperations:
            yield self._cooperation(cooperation)

    def _cooperation(self, cooperation: _Cooperation) -> _Triples:
        rng = self.rng
        block = _Triples()
        s = cooperation.iri
        names = [p.name for p in cooperation.participants]
        listed = ", ".join(names[:-1]) + f" et {names[-1]}"
        block.add(s, A, COOPERATION)
        if cooperation.alliance_fr is not None:
            block.labels(
                s,
                f"{'–'.join(names)} cooperation within the alliance",
                f"Coopération entre {listed} au sein de l’{cooperation.alliance_fr}",
            )
        else:
            block.labels(s, f"{'–'.join(names)} cooperation", f"Coopération entre {listed}")
        for participant in cooperation.participants:
            block.add(s, PARTICIPANT, participant.iri)
        if cooperation.alliance is not None:
            block.add(s, WITHIN_ALLIANCE, cooperation.alliance)
        areas = rng.sample(self.areas, rng.choice((1, 2, 3)))
        for slug, _en, _fr in areas:
            block.add(s, AREA, _id("cooperation-area", slug))
        aims = rng.sample(SHARED_OBJECTIVES, rng.choice((1, 2)))
        for slug, _en, _fr in aims:
            block.add(s, AIM, _id("objective", slug))
        block.sentences(
            s,
            f"{listed} indiquent travailler en étroite coordination sur le développement de nouveaux véhicules.",
            "Le périmètre évoqué couvre notamment " + " et ".join(_article_fr(fr) for _s, _e, fr in areas) + ".",
            f"Cette coopération s’inscrit dans une démarche de {' et '.join(fr for _s, _e, fr in aims)}.",
        )
        self._derived(block, s)
        # What each participant gains from it.
        for participant in cooperation.participants:
            for kind, en, fr in (
                ("wider-line-up", f"A wider line-up for {participant.name}", "L’élargissement de la gamme de "),
                (
                    "better-capacity-use",
                    f"Better use of {participant.name}’s industrial capacity",
                    "Une meilleure utilisation des capacités industrielles de ",
                ),
            ):
                b = _id("benefit", f"{cooperation.slug}-{participant.slug}-{kind}")
                block.add(b, A, BENEFIT)
                block.labels(b, en, fr + participant.name)
                block.add(b, BENEFICIARY, participant.iri)
                block.add(b, STATED_BY, participant.iri)
                block.sentences(
                    b,
                    f"{participant.name} met en avant un bénéfice de la coopération : "
                    f"{(fr + participant.name)[0].lower()}{(fr + participant.name)[1:]}.",
                )
                self._derived(block, b)
        return block

    def _plants_and_models(self) -> Iterator[_Triples]:
        rng = self.rng
        for maker in self.makers:
            for plant in maker.plants:
                block = _Triples()
                s = plant.iri
                block.add(s, A, PLANT)
                block.labels(s, f"{maker.name} {plant.city.en} plant", f"usine {maker.name} {_de(plant.city.fr)}")
                block.add(s, OPERATOR, maker.iri)
                block.add(s, LOCATED_IN, _id("city", plant.city.slug))
                block.add(s, IN_COUNTRY, _id("country", plant.country.slug))
                block.sentences(
                    s,
                    f"{maker.name} exploite une usine à {plant.city.fr}, {plant.country.fr_in}.",
                )
                self._derived(block, s)
                yield block
            for model in maker.models:
                block = _Triples()
                s = model.iri
                for cls in model.classes:
                    block.add(s, A, cls)
                block.labels(s, model.en, model.fr)
                block.add(s, BRAND, maker.iri)
                if model.line is not None:
                    block.add(s, VARIANT_OF, model.line.iri)
                    block.sentences(s, f"{maker.name} commercialise désormais la {model.fr}.")
                elif rng.random() < 0.2:
                    block.add(s, NOTE, _text("Synthetic model line: the name is invented.", "en"))
                self._derived(block, s)
                yield block

    # -- supplies

    def _new_article(self) -> _Triples:
        rng = self.rng
        self.articles += 1
        number = self.articles
        day = _FIRST_DAY + timedelta(days=rng.randrange(365, _DAYS - 365))
        s = _id("source", f"article-{number:06d}")
        self.article = _Article(s, day)
        block = _Triples()
        block.add(s, A, SOURCE_DOCUMENT)
        block.add(s, A, NEWS_ARTICLE)
        block.labels(s, f"Synthetic news article no. {number}", f"Article de presse synthétique n° {number}")
        block.add(s, TITLE, _text(f"Fournitures OEM : nouvelles annonces (article synthétique n° {number})", "fr"))
        block.add(s, LANGUAGE, _plain("fr"))
        block.add(s, IN_LANGUAGE, _plain("fr"))
        block.add(s, PUBLISHED_NOT_BEFORE, _day(day))
        for value in NOT_CAPTURED_VALUES:
            block.add(s, NOT_CAPTURED, value)
        block.add(
            s,
            COMMENT,
            _text(
                "A synthetic news article, invented by alliance-kg synth: it was never published. "
                f"The latest event it reports as past is on {day.isoformat()}.",
                "en",
            ),
        )
        block.add(s, DERIVED, f"<{SOURCE_IRI}>")
        return block

    def _pair(self, serial: int) -> tuple[_Maker, _Maker, _Cooperation | None]:
        rng = self.rng
        if serial == 1 and self.previous_pair is not None:  # the other direction of the first supply
            customer, supplier = self.previous_pair
        elif serial == 0 or rng.random() < 0.65:
            cooperation = self.cooperations[0] if serial == 0 else rng.choice(self.cooperations)
            supplier, customer = (
                cooperation.participants[:2] if serial == 0 else rng.sample(cooperation.participants, 2)
            )
        else:
            supplier, customer = rng.sample(self.makers, 2)
        self.previous_pair = (supplier, customer)
        return supplier, customer, self._cooperation_of(supplier, customer)

    def _date_spec(self, *, sales: bool) -> tuple[str, str | None]:
        rng = self.rng
        precision = rng.choice(
            (_MONTH, _QUARTER, _QUARTER, _HALF, _YEAR, _DAY)
            if sales
            else (_DAY, _DAY, _MONTH, _MONTH, _QUARTER, _HALF, _YEAR)
        )
        if precision == _DAY:
            return precision, None
        draw = rng.random()
        return precision, END_OF if draw < 0.25 else BEGINNING_OF if draw < 0.35 else None

    def _date(self, block: _Triples, s: str, stated: _StatedDate, article: str) -> None:
        block.add(s, A, STATED_DATE)
        block.labels(s, stated.en, stated.fr)
        block.add(s, EARLIEST, _day(stated.earliest))
        block.add(s, LATEST, _day(stated.latest))
        block.add(s, PRECISION, _UNITS[stated.precision])
        if stated.qualifier is not None:
            block.add(s, QUALIFIER, stated.qualifier)
        block.add(s, STATED_AS, _text(stated.stated, "fr"))
        self._derived(block, s, article)

    def _supply(self, serial: int) -> Iterator[_Triples]:
        """The blocks of one OEM supply: its article (every few supplies), vehicle, the supply, its dates."""
        rng = self.rng
        if serial % _SUPPLIES_PER_ARTICLE == 0 or self.article is None:
            yield self._new_article()
        assert self.article is not None
        article = self.article
        production_spec: tuple[str, str | None] | None
        sales_spec: tuple[str, str | None] | None
        if serial < len(_OPENING):
            kind, production_spec, sales_spec = _OPENING[serial]
        else:
            kind = rng.choices(_KINDS, weights=_WEIGHTS)[0]
            production_spec = self._date_spec(sales=False) if kind in (_REBADGE, _VARIANT) else None
            sales_spec = self._date_spec(sales=True) if kind in (_REBADGE, _VARIANT, _EV_PLANNED) else None
            if kind in (_REBADGE, _VARIANT) and rng.random() < 0.15:
                sales_spec = None  # the source gives no sales start
        supplier, customer, cooperation = self._pair(serial)
        ranged = kind in (_KEI_RANGE, _LCV_RANGE)
        # an agreement on a range whose direction the source does not state (the opening's LCV range is one, so
        # that the smallest graph has one): two parties, no supplier or customer
        undirected = ranged and (serial == 5 if serial < len(_OPENING) else rng.random() < 0.5)
        plant = rng.choice(supplier.plants) if kind in (_REBADGE, _VARIANT, _PLAIN) else None
        if ranged:
            home = _id("country", customer.home.slug)
            markets = [home] if customer.home.market else [rng.choice(self.market_terms)]
        else:
            markets = []
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                market = rng.choice(self.market_terms)
                if market not in markets:
                    markets.append(market)
        where_en, where_fr = self.market_names[markets[0]]
        number = f"s{serial + 1:06d}"  # makes the IRIs of this supply's vehicle, supply and dates unique
        extra = _Triples()
        sentences: list[str] = []

        # The vehicle: a rebadge, a variant of one of the customer's lines, an EV derived from one of the
        # supplier's, an unnamed range, or a model of the customer's brand.
        base = rng.choice(supplier.models)
        classes = base.classes
        if kind == _REBADGE:
            en = fr = f"{customer.name.split()[0]} {self._word(rng.choice((1, 2)))}{rng.choice(_TRIMS)}"
            slug = f"{_slug(en)}-{number}"
            v = _id("vehicle", slug)
            extra.add(v, BRAND, customer.iri)
            extra.add(v, DERIVED_FROM, base.iri)
            extra.sentences(v, f"Le {en} est dérivé du {base.fr} de {supplier.name}.")
        elif kind == _VARIANT:
            line = rng.choice(customer.lines)
            if line.electric:
                en, fr, classes = f"New {line.en}", f"Nouvelle {line.fr}", line.classes
            else:
                en, fr = f"{line.en} Plug-in Hybrid", f"{line.fr} hybride rechargeable"
                classes = (*line.classes, PHEV) if line.classes != (VEHICLE,) else (PHEV,)
            slug = f"{_slug(en)}-{number}"
            v = _id("vehicle", slug)
            extra.add(v, BRAND, customer.iri)
            extra.add(v, VARIANT_OF, line.iri)
            if rng.random() < 0.5:
                extra.add(v, DERIVED_FROM, base.iri)
                extra.sentences(v, f"La {fr} reprend la base technique du {base.fr} de {supplier.name}.")
            else:
                extra.add(v, NOTE, _text("The model it is engineered from is not stated.", "en"))
                extra.sentences(v, f"{customer.name} ajoute la {fr} à sa gamme.")
        elif kind == _EV_PLANNED:
            electric = [m for m in supplier.models if BEV in m.classes]
            base = rng.choice(electric) if electric else base
            classes = base.classes if BEV in base.classes else (BEV,)
            slug = f"{base.slug}-derived-bev-for-{customer.slug}-{number}"
            v = _id("vehicle", slug)
            en = f"Battery EV derived from the {base.en}, for {customer.name}"
            fr = f"Véhicule électrique à batterie dérivé du {base.fr}, pour {customer.name}"
            extra.add(v, DERIVED_FROM, base.iri)
            extra.add(v, NOTE, _text("The source gives neither its name nor its brand.", "en"))
            sentences.append(
                f"{customer.name} indique qu’il doit recevoir une fourniture OEM d’un véhicule électrique à "
                f"batterie dérivé du {base.fr} de {supplier.name}."
            )
            extra.sentences(v, sentences[0])
        elif ranged:
            kei = kind == _KEI_RANGE
            classes = (KEI,) if kei else (LCV,)
            what_en, what_fr = (
                ("Mini (kei) vehicles", "Mini-véhicules")
                if kei
                else ("Light commercial vehicles", "Véhicules utilitaires légers")
            )
            if undirected:
                slug = f"{'kei' if kei else 'light-commercial'}-vehicles-{supplier.slug}-{customer.slug}-{number}"
                en = f"{what_en} under the {supplier.name}–{customer.name} agreement {where_en}"
                fr = f"{what_fr} de l’accord entre {supplier.name} et {customer.name} {where_fr}"
            else:
                slug = f"{'kei' if kei else 'light-commercial'}-vehicles-for-{customer.slug}-{number}"
                en = f"{what_en} supplied to {customer.name} {where_en}"
                fr = f"{what_fr} fournis à {customer.name} {where_fr}"
            v = _id("vehicle", slug)
            extra.add(v, NOTE, _text("The source does not name the models.", "en"))
            sentences.append(
                f"{supplier.name} rappelle disposer d’un accord de fourniture OEM avec {customer.name} sur des "
                f"{what_fr.lower()} {where_fr}."
            )
            extra.sentences(v, sentences[0])
        else:  # _PLAIN: a model of the customer's brand, built by the supplier
            en = fr = f"{customer.name.split()[0]} {self._word(2)}"
            slug = f"{_slug(en)}-{number}"
            v = _id("vehicle", slug)
            classes = (VEHICLE,)
            extra.add(v, BRAND, customer.iri)
        vehicle = _Triples((v, A, cls) for cls in classes)
        vehicle.labels(v, en, fr)
        vehicle.extend(extra)
        self._derived(vehicle, v, article.iri)
        yield vehicle

        # The dates: sales start on or after the day production starts, so never before production can start.
        dates = _Triples()
        production: _StatedDate | None = None
        sales: _StatedDate | None = None
        anchor = article.day + timedelta(days=rng.randrange(-900, 500))
        if production_spec is not None:
            production = _stated_date(anchor, *production_spec, sales=False)
            self._date(dates, _id("date", f"{slug}-production-start"), production, article.iri)
        if sales_spec is not None:
            if production is not None:
                # from within the production window (a qualifier may have narrowed it past the anchor)
                anchor = max(anchor, production.earliest) + timedelta(days=rng.randrange(0, 240))
            else:
                anchor = article.day + timedelta(days=rng.randrange(60, 700))
            sales = _stated_date(anchor, *sales_spec, sales=True)
            if production is not None and sales.latest < production.earliest:
                # narrowed by their qualifiers, the two windows would put sales before production could start
                sales = _stated_date(anchor, sales_spec[0], None, sales=True)
            self._date(dates, _id("date", f"{slug}-sales-start"), sales, article.iri)
        started = production if production is not None else sales
        status = ONGOING if started is None or started.latest <= article.day else PLANNED

        # The supply and the sentences the (synthetic) article states it in.
        s = _id("supply", slug)
        if plant is not None:
            when = f", {production.stated}" if production is not None else ""
            verb = "a lancé" if status == ONGOING else "doit lancer"
            sentences.append(
                f"{supplier.name} {verb} la production du modèle {fr} pour le compte de {customer.name} dans son "
                f"usine {_de(plant.city.fr)}, {plant.country.fr_in}{when}."
            )
            label_en = f"{en} built by {supplier.name} for {customer.name} at {plant.city.en}"
            label_fr = f"{fr} produit par {supplier.name} pour {customer.name} à {plant.city.fr}"
        elif undirected:
            label_en = (
                f"OEM supply agreement between {supplier.name} and {customer.name} on {what_en.lower()} {where_en}"
            )
            label_fr = (
                f"Accord de fourniture OEM entre {supplier.name} et {customer.name} sur des {what_fr.lower()} "
                f"{where_fr}"
            )
        elif ranged:
            label_en = f"{what_en} supplied by {supplier.name} to {customer.name} {where_en}"
            label_fr = f"{what_fr} fournis par {supplier.name} à {customer.name} {where_fr}"
        else:
            label_en = f"Battery EV derived from the {base.en}, supplied by {supplier.name} to {customer.name}"
            label_fr = f"Véhicule électrique dérivé du {base.fr}, fourni par {supplier.name} à {customer.name}"
        if sales is not None:
            sentences.append(f"{customer.name} prévoit de le commercialiser {where_fr} {sales.stated}.")
        elif not ranged:
            sentences.append(f"{customer.name} le commercialise {where_fr}.")
        result = cooperation is not None and (serial == 0 or rng.random() < 0.6) and not undirected
        if result:
            sentences.append(f"{supplier.name} présente cette fourniture comme un résultat tangible de la coopération.")

        block = _Triples()
        block.add(s, A, OEM_SUPPLY_AGREEMENT if undirected else OEM_SUPPLY)
        block.labels(s, label_en, label_fr)
        if undirected:
            block.add(s, PARTY, supplier.iri)
            block.add(s, PARTY, customer.iri)
        else:
            block.add(s, SUPPLIER, supplier.iri)
            block.add(s, CUSTOMER, customer.iri)
        block.add(s, SUPPLY_VEHICLE, v)
        if plant is not None:
            block.add(s, PRODUCED_AT, plant.iri)
        for market in markets:
            block.add(s, SUPPLY_MARKET, market)
        if production is not None:
            block.add(s, PRODUCTION_START, _id("date", f"{slug}-production-start"))
        if sales is not None:
            block.add(s, SALES_START, _id("date", f"{slug}-sales-start"))
        block.add(s, STATUS, status)
        if result and cooperation is not None:
            block.add(s, RESULT_OF, cooperation.iri)
            block.add(s, STATED_BENEFIT, _id("benefit", f"{cooperation.slug}-{customer.slug}-wider-line-up"))
            if rng.random() < 0.5:
                block.add(s, STATED_BENEFIT, _id("benefit", f"{cooperation.slug}-{supplier.slug}-better-capacity-use"))
        block.add(s, STATED_BY, rng.choice((supplier.iri, customer.iri)))
        if undirected:
            block.add(s, NOTE, _text("The source does not say which of the two supplies the other.", "en"))
        elif plant is None:
            block.add(s, NOTE, _text("No plant is given.", "en"))
        if production is None and sales is None:
            block.add(s, NOTE, _text("No dates are given.", "en"))
        block.sentences(s, *sentences)
        self._derived(block, s, article.iri)
        yield block
        yield dates

    # -- the whole graph

    def triples(self) -> Iterator[Triple]:
        count = 0
        fixed = itertools.chain((self._source(),), self._places(), self._organisations(), self._plants_and_models())
        for block in fixed:
            count += len(block)
            yield from block
        serial = 0
        while count < self.target - _HALF_SUPPLY:
            for block in self._supply(serial):
                count += len(block)
                yield from block
            serial += 1


def _in_en(place: str) -> str:
    """``"in Japan"``, ``"in the United States"``."""
    the = place.startswith("United ") or place in {"Philippines", "Middle East"}
    return f"in the {place}" if the else f"in {place}"


def _article_fr(phrase: str) -> str:
    """``"développement de pick-up"`` -> ``"le développement de pick-up"`` (with the article French needs)."""
    first = phrase.split()[0]
    if first[:1] in "aeiouéèêàâîôû":
        return f"l’{phrase}"
    if first.endswith("s"):
        return f"les {phrase}"
    feminine = first in {"plateformes", "expansion", "électrification", "couverture", "réduction"}
    return f"{'la' if feminine else 'le'} {phrase}"


# -- public API ---------------------------------------------------------------------------------------------


def check_triples(triples: object) -> int:
    """``triples`` as a size the generator accepts; :class:`ParameterError` (``triples``) otherwise."""
    if isinstance(triples, bool) or not isinstance(triples, int):
        raise ParameterError(f"the number of triples must be an integer, not {triples!r}", parameter="triples")
    if not MIN_TRIPLES <= triples <= MAX_TRIPLES:
        raise ParameterError(
            f"the number of triples must be between {MIN_TRIPLES} and {MAX_TRIPLES}, not {triples}",
            parameter="triples",
        )
    return triples


def check_seed(seed: object) -> int:
    """``seed`` as a seed the generator accepts (an integer, 0 or more); :class:`ParameterError` otherwise."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ParameterError(f"the seed must be an integer, 0 or more, not {seed!r}", parameter="seed")
    return seed


def synth_triples(triples: int, *, seed: int = 0) -> Iterator[Triple]:
    """About ``triples`` triples of a synthetic industry graph (within a few dozen: 5% at most).

    Each triple is three terms in N-Triples syntax. The same ``triples`` and ``seed`` always give the same
    triples in the same order; the generator keeps only the plan of the world in memory (its size grows with
    ``triples / 2000``), never the triples. Raises :class:`ParameterError` for a size outside
    [:data:`MIN_TRIPLES`, :data:`MAX_TRIPLES`] or a negative seed.
    """
    generator = _Generator(check_triples(triples), check_seed(seed))
    return generator.triples()


def ntriples_lines(triples: Iterable[Triple]) -> Iterator[str]:
    """N-Triples lines (each ending in a newline) of ``triples``."""
    for s, p, o in triples:
        yield f"{s} {p} {o} .\n"


_LOCAL_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")
_NAMESPACES: Final = {namespace: prefix for prefix, namespace in _PREFIXES}


def _turtle_term(term: str) -> str:
    if term.startswith("<"):
        iri = term[1:-1]
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = _NAMESPACES.get(iri[:cut])
        if prefix is not None and _LOCAL_NAME.fullmatch(iri[cut:]):
            return f"{prefix}:{iri[cut:]}"
        return term
    if term.endswith(f"^^<{XSD_DATE}>"):
        return term[: -len(XSD_DATE) - 4] + "^^xsd:date"
    return term


def turtle_chunks(triples: Iterable[Triple]) -> Iterator[str]:
    """Turtle text of ``triples``: the prefixes, then one block per run of triples with the same subject.

    Triples that share a subject and follow each other are written with ``;`` and ``,``; nothing is held in
    memory beyond the current triple.
    """
    yield "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in _PREFIXES)
    subject = predicate = None
    for s, p, o in triples:
        obj = _turtle_term(o)
        if s != subject:
            head = " .\n\n" if subject is not None else "\n"
            verb = "a" if p == A else _turtle_term(p)
            yield f"{head}{_turtle_term(s)}\n    {verb} {obj}"
            subject, predicate = s, p
        elif p != predicate:
            verb = "a" if p == A else _turtle_term(p)
            yield f" ;\n    {verb} {obj}"
            predicate = p
        else:
            yield f" ,\n        {obj}"
    if subject is not None:
        yield " .\n"


def format_for(path: Path) -> str:
    """``nt`` or ``turtle`` from the file name's extension; :class:`ParameterError` (``output``) otherwise."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ParameterError(
            f"cannot tell the format from the file name {path.name!r}: use a .nt (N-Triples) or .ttl (Turtle) file",
            parameter="output",
        ) from None


@dataclass(frozen=True)
class SynthResult:
    """What :func:`write_synth` wrote: the file, its format, the number of triples and of bytes."""

    path: Path
    format: str
    triples: int
    bytes: int


def write_synth(path: str | Path, *, triples: int, seed: int = 0) -> SynthResult:
    """Write the synthetic graph of ``triples`` and ``seed`` to ``path`` (``.nt`` or ``.ttl``), atomically.

    Written with :func:`alliance_kg.atomic.atomic_file`: into a temporary file of the same folder that replaces
    ``path`` only once it is complete and flushed to disk (a new file gets mode 0666 less the umask, 0644 under
    the usual umask; a replaced file keeps its mode). On any error or interrupt no partial file is left and a
    previous file at ``path`` is unchanged. Raises :class:`ParameterError` for a bad size, seed or file
    extension and :class:`InputError` when the file cannot be written.
    """
    path = Path(path)
    rdf_format = format_for(path)
    stream = synth_triples(triples, seed=seed)  # checks the parameters before touching the disk
    if not path.parent.is_dir():
        raise InputError("the folder to write into does not exist", path=path.parent)

    counted = 0

    def counting(source: Iterator[Triple]) -> Iterator[Triple]:
        nonlocal counted
        for triple in source:
            counted += 1
            yield triple

    chunks = ntriples_lines(counting(stream)) if rdf_format == "nt" else turtle_chunks(counting(stream))
    with atomic_file(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as handle:
        _write_batched(handle, chunks)
    return SynthResult(path=path, format=rdf_format, triples=counted, bytes=path.stat().st_size)


def _write_batched(handle: IO[str], chunks: Iterable[str], batch: int = 4096) -> None:
    pending: list[str] = []
    for chunk in chunks:
        pending.append(chunk)
        if len(pending) >= batch:
            handle.write("".join(pending))
            pending.clear()
    if pending:
        handle.write("".join(pending))
