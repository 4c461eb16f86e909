"""Synthetic industry graphs in the alliance-kg ontology, for benchmarks: ``alliance-kg synth``.

:func:`synth_triples` yields about ``triples`` triples of a deterministic, realistic and entirely invented
industry graph: manufacturers (with their brands, alliances, cooperations, benefits and objectives, some the
subsidiary of another), plants in real countries, administrative areas and cities, model lines with variants and
derivatives, OEM supplies in both directions with production and sales starts at mixed precision (day, month,
quarter, half-year, year) and qualifiers (their windows read by :func:`alliance_kg.dates.parse_date` in the
words), agreements on vehicle ranges whose direction is not stated (``akg:OEMSupplyAgreement`` with two
``akg:party``), markets, statuses, and the synthetic news articles (French or English, from synthetic
publishers) that state them.

The facts that sources can state differently (a supply's supplier, customer, plant, markets, dates and status; a
vehicle's derivation; a plant's operator; where a place lies; whose subsidiary a manufacturer is) are written as
the claims contract says (README, "Many sources, one graph"): one ``akg:Claim`` per source and fact, with the
source's words (``akg:quotation``) or, for an article the project holds a summary of, an English
``akg:paraphrase``, and never as direct triples: the build computes those (:mod:`alliance_kg.claims`). Each fact
has one to three sources. A seeded share of the dates (:data:`DATE_AGREEMENT_SHARE`) have two sources that agree
at different precisions (a day, and the end of its month); a small share (:data:`DATE_CONFLICT_SHARE`) have two
sources with disjoint windows, and a small share of the suppliers (:data:`SUPPLIER_CONFLICT_SHARE`) are named
otherwise by a third source. The windows of agreeing sources nest, so that each date reconciles to one source's
date; the first source's value always wins. The same size and seed give the same triples, in the same order;
another seed gives another graph.

The graph is a facts graph (it does not include the ontology). Reconciled (:func:`alliance_kg.claims.reconciled`)
and validated together with the ontology it conforms to every shape of ``ontology/alliance-kg.shapes.ttl``, and it
is consistent under OWL-RL reasoning.

It can never be mistaken for real data: every IRI it mints lives under :data:`SYNTH_NAMESPACE`
(``https://w3id.org/alliance-kg/id/synth/``), the web addresses of its publishers and articles included; the names
of manufacturers, publishers, plants and vehicles are invented; everything is ``prov:wasDerivedFrom`` the
synthetic :data:`SOURCE_IRI` (an ``akg:SourceDocument`` whose comment says that the graph is synthetic), a claim
through the synthetic article it comes from; and there is no Wikidata link (no ``skos:exactMatch``). Only the
names of countries, their first-level divisions, cities and world regions are real.

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

import functools
import itertools
import random
import re
import unicodedata
from collections import Counter, deque
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
    "DATE_AGREEMENT_SHARE",
    "DATE_CONFLICT_SHARE",
    "FORMATS",
    "MAX_TRIPLES",
    "MIN_TRIPLES",
    "SOURCE_IRI",
    "SUPPLIER_CONFLICT_SHARE",
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
            "area",
            "benefit",
            "city",
            "cooperation",
            "cooperation-area",
            "country",
            "date",
            "manufacturer",
            "objective",
            "plant",
            "publisher",
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
ALT_LABEL: Final = _term(_SKOS, "altLabel")
TITLE: Final = _term(_DCTERMS, "title")
LANGUAGE: Final = _term(_DCTERMS, "language")
IN_LANGUAGE: Final = _term(_SCHEMA, "inLanguage")
NEWS_ARTICLE: Final = _term(_SCHEMA, "NewsArticle")
PUBLISHED_BY: Final = _term(_DCTERMS, "publisher")
ISSUED: Final = _term(_DCTERMS, "issued")
URL: Final = _term(_SCHEMA, "url")
NOT_CAPTURED_VALUES: Final = (PUBLISHED_BY, ISSUED, URL)
PROV_ENTITY: Final = _term(_PROV, "entity")
QUALIFIED_DERIVATION: Final = _term(_PROV, "qualifiedDerivation")
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
CLAIM: Final = _akg("Claim")
PUBLISHER: Final = _akg("Publisher")
ADMINISTRATIVE_AREA: Final = _akg("AdministrativeArea")
CLAIM_SUBJECT: Final = _akg("claimSubject")
CLAIM_PROPERTY: Final = _akg("claimProperty")
CLAIM_VALUE: Final = _akg("claimValue")
QUOTATION: Final = _akg("quotation")
PARAPHRASE: Final = _akg("paraphrase")
SUBSIDIARY_OF: Final = _akg("subsidiaryOf")
PARTY: Final = _akg("party")
ONGOING: Final = _akg("Ongoing")
PLANNED: Final = _akg("Planned")
END_OF: Final = _akg("EndOf")
BEGINNING_OF: Final = _akg("BeginningOf")
BY: Final = _akg("By")

_SYNTH_OPEN: Final = "<" + SYNTH_NAMESPACE

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

#: The real first-level division (state, province, prefecture, region) each city lies in: English, French.
ADMINISTRATIVE_AREAS: Final = {
    "nagoya": ("Aichi", "Aichi"),
    "kurashiki": ("Okayama", "Okayama"),
    "rayong": ("Rayong", "Rayong"),
    "chonburi": ("Chonburi", "Chonburi"),
    "chattanooga": ("Tennessee", "Tennessee"),
    "smyrna": ("Tennessee", "Tennessee"),
    "douai": ("Hauts-de-France", "Hauts-de-France"),
    "sandouville": ("Normandy", "Normandie"),
    "bekasi": ("West Java", "Java occidental"),
    "karawang": ("West Java", "Java occidental"),
    "adelaide": ("South Australia", "Australie-Méridionale"),
    "melbourne": ("Victoria", "Victoria"),
    "aguascalientes": ("Aguascalientes", "Aguascalientes"),
    "puebla": ("Puebla", "Puebla"),
    "wuhan": ("Hubei", "Hubei"),
    "guangzhou": ("Guangdong", "Guangdong"),
    "chennai": ("Tamil Nadu", "Tamil Nadu"),
    "pune": ("Maharashtra", "Maharashtra"),
    "ulsan": ("Ulsan", "Ulsan"),
    "asan": ("South Chungcheong", "Chungcheong du Sud"),
    "zwickau": ("Saxony", "Saxe"),
    "rastatt": ("Baden-Württemberg", "Bade-Wurtemberg"),
    "valladolid": ("Castile and León", "Castille-et-León"),
    "martorell": ("Catalonia", "Catalogne"),
    "resende": ("Rio de Janeiro", "Rio de Janeiro"),
    "sao-jose-dos-pinhais": ("Paraná", "Paraná"),
    "sunderland": ("England", "Angleterre"),
    "swindon": ("England", "Angleterre"),
    "bursa": ("Bursa", "Bursa"),
    "izmit": ("Kocaeli", "Kocaeli"),
    "rosslyn": ("Gauteng", "Gauteng"),
    "east-london": ("Eastern Cape", "Cap-Oriental"),
    "tangier": ("Tanger-Tetouan-Al Hoceima", "Tanger-Tétouan-Al Hoceïma"),
    "kenitra": ("Rabat-Salé-Kénitra", "Rabat-Salé-Kénitra"),
    "pekan": ("Pahang", "Pahang"),
    "tanjung-malim": ("Perak", "Perak"),
    "santa-rosa": ("Laguna", "Laguna"),
    "binan": ("Laguna", "Laguna"),
    "haiphong": ("Haiphong", "Hải Phòng"),
    "vinh-yen": ("Vĩnh Phúc", "Vĩnh Phúc"),
    "alliston": ("Ontario", "Ontario"),
    "cambridge": ("Ontario", "Ontario"),
    "cordoba": ("Córdoba", "Córdoba"),
    "zarate": ("Buenos Aires", "Buenos Aires"),
    "gliwice": ("Silesia", "Silésie"),
    "tychy": ("Silesia", "Silésie"),
    "mlada-boleslav": ("Central Bohemia", "Bohême-Centrale"),
    "kolin": ("Central Bohemia", "Bohême-Centrale"),
    "trnava": ("Trnava", "Trnava"),
    "zilina": ("Žilina", "Žilina"),
    "melfi": ("Basilicata", "Basilicate"),
    "cassino": ("Lazio", "Latium"),
    "auckland": ("Auckland", "Auckland"),
    "wellington": ("Wellington", "Wellington"),
    "riyadh": ("Riyadh", "Riyad"),
    "jeddah": ("Makkah", "La Mecque"),
}

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
#: Date facts that two sources state with different precision and agree on: one gives the day, the other the
#: half of the month that holds it ("le 20 mars 2026" and "fin mars 2026", which alliance_kg.dates reads as
#: 16-31 March). A share of the date facts (production and sales starts), drawn with the seeded generator.
DATE_AGREEMENT_SHARE: Final = 0.15
#: Date facts that two sources state with disjoint windows (a day, and a month two to six months away): the day
#: is the narrower and wins the reconciliation, the month disagrees.
DATE_CONFLICT_SHARE: Final = 0.04
#: Suppliers that a third source names otherwise (a manufacturer that is neither the supplier, a parent nor a
#: subsidiary of it) while two sources agree on the supplier: a share of the supplies whose direction is stated.
SUPPLIER_CONFLICT_SHARE: Final = 0.03

_AGREE, _CONFLICT = "agree", "conflict"
#: kind, production (precision, qualifier), sales (precision, qualifier), what two sources do on production,
#: on sales, on the supplier: the opening has every precision, every qualifier, an agreement and a conflict.
_OPENING: Final = (
    (_REBADGE, (_DAY, None), (_QUARTER, BEGINNING_OF), _AGREE, None, False),
    (_EV_PLANNED, None, (_YEAR, BY), None, None, False),
    (_LCV_RANGE, None, None, None, None, False),
    (_PLAIN, (_HALF, None), None, _CONFLICT, None, False),
)
#: Supplies per synthetic news article (the article they are first reported in; others report them too).
_SUPPLIES_PER_ARTICLE: Final = 6
#: How many of the latest articles a supply's other sources are drawn from.
_RECENT_ARTICLES: Final = 12
#: The generator stops adding supplies when the next would overshoot the target by more than this; then it adds
#: claims of further sources on the places and plants (about 9 triples each) until it is within this of it.
_SLACK: Final = 5

#: The claims of every seventh article that also have an English paraphrase (the project holds a summary too).
_PARAPHRASED: Final = frozenset({"supplier", "productionStart", "salesStart", "operator"})
_PUBLISHER_WORDS: Final = ("Auto News", "Motor Daily", "Car Wire", "Automotive Review", "Mobility Post", "Drive")


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
    parent: _Maker | None = None  # the manufacturer it is a subsidiary of
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
    id: str  # the source id, "article-000012", as in the IRIs of its claims and dates
    number: int
    day: date
    lang: str  # the language it is written in
    summary: bool  # the project holds a summary of it (claims give paraphrases), not its text
    short: str  # how claim labels name it
    publisher: tuple[str, str, str] | None  # IRI, slug, name; None: captured as plain text, publisher unknown
    issued: bool  # its publication day is known (dcterms:issued), else akg:publishedNotBefore

    @property
    def words_lang(self) -> str:
        """The language of the words the project holds for it: its own, or English for a summary."""
        return "en" if self.summary else self.lang


@dataclass(frozen=True)
class _StatedDate:
    earliest: date
    latest: date
    en: str
    fr: str
    stated: str
    lang: str
    stated_en: str
    precision: str
    qualifier: str | None

    def holds(self, day: date) -> bool:
        return self.earliest <= day <= self.latest


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


_PRODUCTION_WORDS_EN: Final = {_DAY: "on ", _MONTH: "in ", _QUARTER: "in ", _HALF: "in ", _YEAR: "in "}


@functools.lru_cache(maxsize=1 << 16)
def _read_window(stated: str, lang: str, precision: str, qualifier: str | None) -> tuple[date, date]:
    """The window :func:`alliance_kg.dates.parse_date` reads in ``stated`` (every stated date names its year, so
    the reference day does not matter), checked against what the words were written to say."""
    read = parse_date(stated, date(2000, 1, 1), lang)
    expected = (short(_UNITS[precision].strip("<>")), None if qualifier is None else short(qualifier.strip("<>")))
    if (read.precision, read.qualifier) != expected:
        raise AssertionError(f"synth wrote {stated!r}, which alliance_kg.dates reads otherwise")
    return read.earliest, read.latest


def _stated_date(
    anchor: date, precision: str, qualifier: str | None, *, sales: bool, lang: str, ref: date | None = None
) -> _StatedDate:
    """The period of ``precision`` that holds ``anchor``, worded as a French or English article states it.

    Production: "le 12 janvier 2026", "à la fin décembre 2025", "au premier trimestre 2026", "en 2027" or
    "on 12 January 2026", "at the end of December 2025", "in Q1 2026", "in 2027"; sales: "à partir du premier
    trimestre 2026", "from the end of H2 2026", ... The English label reads "12 January 2026", "end of December
    2025", "from the end of Q1 2026"; a sales date's French label is its French words, as in the project's data.
    The window is what :func:`alliance_kg.dates.parse_date` reads in the words: a qualifier narrows it (the end of
    a month is its second half, ...), so it may not hold ``anchor``. ``akg:By`` (a quarter, half-year or year:
    "d’ici 2027", "by Q1 2027") starts the window on ``ref``, the day the source is published.
    """
    year, month = anchor.year, anchor.month
    if precision == _DAY:
        qualifier = None
        en = f"{anchor.day} {_MONTHS_EN[month - 1]} {year}"
        fr = f"{'1er' if anchor.day == 1 else anchor.day} {_MONTHS_FR[month - 1]} {year}"
    elif precision == _MONTH:
        en, fr = f"{_MONTHS_EN[month - 1]} {year}", f"{_MONTHS_FR[month - 1]} {year}"
    elif precision == _QUARTER:
        quarter = (month - 1) // 3
        en, fr = f"Q{quarter + 1} {year}", f"{_ORDINALS_FR[quarter]} trimestre {year}"
    elif precision == _HALF:
        half = (month - 1) // 6
        en, fr = f"H{half + 1} {year}", f"{('premier', 'second')[half]} semestre {year}"
    else:
        en = fr = str(year)
    if qualifier == BY:
        assert ref is not None
        stated_fr = fr if precision == _YEAR else f"le {fr}"
        stated_fr, stated_en = f"d’ici {stated_fr}", f"by {en}"
        stated = stated_fr if lang == "fr" else stated_en
        read = parse_date(stated, ref, lang)
        if (read.precision, read.qualifier) != (short(_UNITS[precision].strip("<>")), "akg:By"):
            raise AssertionError(f"synth wrote {stated!r}, which alliance_kg.dates reads otherwise")
        return _StatedDate(read.earliest, read.latest, stated_en, stated_fr, stated, lang, stated_en, precision, BY)
    if qualifier is None:
        if sales:
            stated_fr = f"à partir {_de(fr)}" if precision == _MONTH else _SALES_WORDS[precision] + fr
            stated_en = f"from {en}"
        else:
            stated_fr, stated_en = _PRODUCTION_WORDS[precision] + fr, _PRODUCTION_WORDS_EN[precision] + en
    else:
        end = qualifier == END_OF
        word_en, word_fr = ("end of", "fin") if end else ("beginning of", "début")
        en = f"{word_en} {en}"
        fr = f"{word_fr} du {fr}" if precision in (_QUARTER, _HALF) else f"{word_fr} {fr}"
        if sales:
            stated_fr = f"à partir de la {fr}" if end else f"à partir du {fr}"
            stated_en = f"from the {en}"
            en = f"the {en}"
        else:
            stated_fr, stated_en = (f"à la {fr}" if end else f"au {fr}"), f"at the {en}"
    if sales:
        en, fr = f"from {en}", stated_fr
    stated = stated_fr if lang == "fr" else stated_en
    earliest, latest = _read_window(stated, lang, precision, qualifier)
    return _StatedDate(earliest, latest, en, fr, stated, lang, stated_en, precision, qualifier)


def _into(day: date, stated: _StatedDate) -> date:
    """``day`` moved into the window of ``stated`` (the nearest day of it)."""
    return min(max(day, stated.earliest), stated.latest)


def _second_half(day: date) -> date:
    """``day``, or a later day of its month in the month's second half (the 16th to the last)."""
    return day if day.day >= 16 else day.replace(day=min(day.day + 15, _last_day(day.year, day.month).day))


class _Generator:
    """One synthetic graph: plan the world from the seed, then emit it block by block."""

    def __init__(self, target: int, seed: int) -> None:
        self.target = target
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not cryptography
        rng = self.rng
        countries = max(4, min(len(COUNTRIES), target // 300))
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
        self.objectives = SHARED_OBJECTIVES[: 3 if target < 5000 else len(SHARED_OBJECTIVES)]
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
        # Some manufacturers are subsidiaries of another (that is no subsidiary itself); the second always is.
        for number, maker in enumerate(self.makers[1:], start=1):
            if number == 1 or rng.random() < 0.12:
                parents = [m for m in self.makers if m is not maker and m.parent is None]
                if parents and not any(m.parent is maker for m in self.makers):
                    maker.parent = rng.choice(parents)
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
            for number in range(rng.choice((1, 2, 2, 3) if target >= 5000 else (1, 1, 2))):
                country = maker.home if number == 0 else rng.choice(self.countries)
                city = rng.choice(country.cities[: self.cities_per_country])
                if (country, city) not in sites:
                    sites.append((country, city))
            for country, city in sites:
                maker.plants.append(_Plant(_id("plant", f"{maker.slug}-{city.slug}"), city, country))
            for _ in range(rng.choice((2, 3, 3, 4, 5) if target >= 5000 else (2, 2, 3))):
                line = self._new_line(maker)
                maker.lines.append(line)
                maker.models.append(line)
                if rng.random() < 0.4 or line is self.makers[0].lines[0]:  # the first line (an SUV) has a PHEV
                    maker.models.append(self._new_variant(line))

        # Publishers of the synthetic news articles; the first articles (the background) are about the places,
        # plants and manufacturers, the others about supplies.
        self.publishers: list[tuple[str, str, str]] = []
        taken: set[str] = set()
        for _ in range(max(2 if target < 5000 else 3, min(40, target // 25_000))):
            name = f"{self._maker_name(taken).split()[0]} {rng.choice(_PUBLISHER_WORDS)}"
            self.publishers.append((_id("publisher", _slug(name)), _slug(name), name))
        self.background_count = max(len(self.publishers), min(200, target // 5000))
        self.background: list[_Article] = []
        self.recent: deque[_Article] = deque(maxlen=_RECENT_ARTICLES)
        self.articles = 0
        self.article: _Article | None = None
        self.previous_pair: tuple[_Maker, _Maker] | None = None
        #: The claims on places and plants, as (source id, subject, property): the end of the graph adds others.
        self.fixed_claims: set[tuple[str, str, str]] = set()
        self.pending = _Triples()  # the claims on the entity being written

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

    # -- sources and claims

    def _publishers_and_background(self) -> Iterator[_Triples]:
        for iri, slug, name in self.publishers:
            block = _Triples()
            block.add(iri, A, PUBLISHER)
            block.add(iri, LABEL, _text(name, "en"))
            block.add(iri, URL, _id("web", slug + "/"))
            self._derived(block, iri)
            yield block
        for number in range(self.background_count):
            article, block = self._new_article(self.publishers[number % len(self.publishers)])
            if number < len(self.publishers):  # a publisher derives from the first article it published
                block.add(self.publishers[number][0], DERIVED, article.iri)
            self.background.append(article)
            self.recent.append(article)
            yield block

    def _new_article(
        self, publisher: tuple[str, str, str] | None = None, *, summary: bool = False
    ) -> tuple[_Article, _Triples]:
        """A new synthetic news article and its block: French or English, its publisher and URL, the day it was
        issued (or the last day it reports as past); the very first is captured as plain text, like the
        project's article (its publisher, URL and publication day not captured)."""
        rng = self.rng
        self.articles += 1
        number = self.articles
        day = _FIRST_DAY + timedelta(days=rng.randrange(365, _DAYS - 365))
        lang = "fr" if rng.random() < 0.7 else "en"
        plain = number == 1 or rng.random() < 0.03
        if plain:
            publisher = None
        elif publisher is None:
            publisher = rng.choice(self.publishers)
        issued = publisher is not None and rng.random() < 0.7
        source_id = f"article-{number:06d}"
        s = _id("source", source_id)
        short_name = f"{publisher[2] if publisher is not None else 'Synthetic article'} no. {number}"
        article = _Article(s, source_id, number, day, lang, summary, short_name, publisher, issued)
        block = _Triples()
        block.add(s, A, SOURCE_DOCUMENT)
        block.add(s, A, NEWS_ARTICLE)
        block.labels(s, f"Synthetic news article no. {number}", f"Article de presse synthétique n° {number}")
        if lang == "fr":
            title = f"Fournitures OEM : nouvelles annonces (article synthétique n° {number})"
        else:
            title = f"OEM supplies: new announcements (synthetic article no. {number})"
        block.add(s, TITLE, _text(title, lang))
        block.add(s, LANGUAGE, _plain(lang))
        block.add(s, IN_LANGUAGE, _plain(lang))
        if publisher is not None:
            block.add(s, PUBLISHED_BY, publisher[0])
            block.add(s, URL, _id("web", f"{publisher[1]}/{source_id}"))
        if issued:
            block.add(s, ISSUED, _day(day))
        else:
            block.add(s, PUBLISHED_NOT_BEFORE, _day(day))
            for value in NOT_CAPTURED_VALUES if publisher is None else (ISSUED,):
                block.add(s, NOT_CAPTURED, value)
        held = "An English summary of it is held, not its text. " if summary else ""
        when = "It is dated" if issued else "The latest event it reports as past is on"
        comment = f"A synthetic news article, invented by alliance-kg synth: it was never published. {held}{when}"
        block.add(s, COMMENT, _text(f"{comment} {day.isoformat()}.", "en"))
        block.add(s, DERIVED, f"<{SOURCE_IRI}>")
        return article, block

    def _claim(
        self,
        block: _Triples,
        subject: str,
        prop: str,
        value: str,
        source: _Article,
        words: tuple[str, str],
        what: str,
        *,
        several: bool = False,
        links: _Triples | None = None,
        paraphrase: str | None = None,
    ) -> str:
        """One claim of ``source`` into ``block``: ``subject`` has ``value`` for ``akg:prop``, in the source's words
        (French, English) as a quotation, or as an English paraphrase (``paraphrase``, else the English words)
        when the project holds a summary of the source. The subject's ``prov:qualifiedDerivation`` of it goes
        into ``links`` (the subject's own block, so that Turtle writes it with the subject) or else ``block``."""
        path = f"{subject[len(_SYNTH_OPEN) : -1]}/{prop}"
        if several:
            path += value[value.rfind("/") : -1]
        c = f"<{SYNTH_NAMESPACE}claim/{source.id}/{path}>"
        block.add(c, A, CLAIM)
        block.add(c, LABEL, _text(f"{source.short}: {what}", "en"))
        block.add(c, CLAIM_SUBJECT, subject)
        block.add(c, CLAIM_PROPERTY, _akg(prop))
        block.add(c, CLAIM_VALUE, value)
        block.add(c, PROV_ENTITY, source.iri)
        block.add(c, DERIVED, source.iri)
        summary = words[1] if paraphrase is None else paraphrase
        if source.summary:
            block.add(c, PARAPHRASE, _text(summary, "en"))
        else:
            block.add(c, QUOTATION, _text(words[0] if source.lang == "fr" else words[1], source.lang))
            if source.number % 7 == 3 and prop in _PARAPHRASED:  # the project also holds a summary of a few
                block.add(c, PARAPHRASE, _text(summary, "en"))
        (block if links is None else links).add(subject, QUALIFIED_DERIVATION, c)
        return c

    def _fixed_sources(self) -> list[_Article]:
        """The background articles that state a fact about a place, plant or manufacturer: one, sometimes two."""
        rng = self.rng
        first = rng.choice(self.background)
        if self.target >= 5000 and rng.random() < 0.25:
            second = rng.choice(self.background)
            if second is not first:
                return [first, second]
        return [first]

    def _fixed_claim(
        self, block: _Triples, subject: str, prop: str, value: str, source: _Article, words: tuple[str, str], what: str
    ) -> None:
        """A claim on a place, plant or manufacturer, kept until :meth:`_with_claims` adds it after ``block``."""
        self.fixed_claims.add((source.id, subject, prop))
        self._claim(self.pending, subject, prop, value, source, words, what, several=prop == "locatedIn", links=block)

    def _with_claims(self, block: _Triples) -> _Triples:
        block.extend(self.pending)
        self.pending.clear()
        return block

    def _places(self) -> Iterator[_Triples]:
        regions = {region.slug: region for region in self.regions}
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
            region = regions[country.region]
            for source in self._fixed_sources():
                self._fixed_claim(
                    block,
                    s,
                    "locatedIn",
                    _id("region", region.slug),
                    source,
                    (f"{country.fr} ({region.fr})", f"{country.en} ({region.en})"),
                    f"{country.en} is in {region.en}",
                )
            self._derived(block, s)
            yield self._with_claims(block)
            areas_made: set[str] = set()
            for city in country.cities[: self.cities_per_country]:
                area_en, area_fr = ADMINISTRATIVE_AREAS[city.slug]
                area = _id("area", f"{country.slug}-{_slug(area_en)}")
                if area not in areas_made:
                    areas_made.add(area)
                    block = _Triples()
                    block.add(area, A, ADMINISTRATIVE_AREA)
                    block.labels(area, area_en, area_fr)
                    block.add(area, IN_COUNTRY, s)
                    self._derived(block, area)
                    yield block
                block = _Triples()
                c = _id("city", city.slug)
                block.add(c, A, CITY)
                block.labels(c, city.en, city.fr)
                block.add(c, IN_COUNTRY, s)
                for source in self._fixed_sources():
                    self._fixed_claim(
                        block,
                        c,
                        "locatedIn",
                        area,
                        source,
                        (f"{city.fr} ({area_fr}, {country.fr})", f"{city.en} ({area_en}, {country.en})"),
                        f"{city.en} is in {area_en}",
                    )
                self._derived(block, c)
                yield self._with_claims(block)

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
        for slug, en, fr in self.objectives:
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
            block.add(maker.iri, ALT_LABEL, _text(maker.name.split()[0], "en"))
            if maker.alliance is not None:
                block.add(maker.iri, MEMBER_OF, maker.alliance)
            if maker.parent is not None:
                parent = maker.parent
                for source in self._fixed_sources():
                    self._fixed_claim(
                        block,
                        maker.iri,
                        "subsidiaryOf",
                        parent.iri,
                        source,
                        (f"{maker.name}, filiale de {parent.name}", f"{maker.name}, a subsidiary of {parent.name}"),
                        f"{maker.name} is a subsidiary of {parent.name}",
                    )
            self._derived(block, maker.iri)
            yield self._with_claims(block)
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
        aims = rng.sample(self.objectives, rng.choice((1, 2)))
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
                block.add(s, IN_COUNTRY, _id("country", plant.country.slug))
                words = (
                    f"{maker.name} exploite une usine à {plant.city.fr}, {plant.country.fr_in}.",
                    f"{maker.name} operates a plant in {plant.city.en}, {_in_en(plant.country.en)}.",
                )
                for source in self._fixed_sources():
                    self._fixed_claim(
                        block,
                        s,
                        "operator",
                        maker.iri,
                        source,
                        words,
                        f"the {plant.city.en} plant's operator is {maker.name}",
                    )
                for source in self._fixed_sources():
                    city = _id("city", plant.city.slug)
                    self._fixed_claim(block, s, "locatedIn", city, source, words, f"the plant is in {plant.city.en}")
                block.sentences(
                    s,
                    f"{maker.name} exploite une usine à {plant.city.fr}, {plant.country.fr_in}.",
                )
                self._derived(block, s)
                yield self._with_claims(block)
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

    def _date(self, block: _Triples, s: str, stated: _StatedDate, source: _Article) -> None:
        block.add(s, A, STATED_DATE)
        block.labels(s, stated.en, stated.fr)
        block.add(s, EARLIEST, _day(stated.earliest))
        block.add(s, LATEST, _day(stated.latest))
        block.add(s, PRECISION, _UNITS[stated.precision])
        if stated.qualifier is not None:
            block.add(s, QUALIFIER, stated.qualifier)
        block.add(s, STATED_AS, _text(stated.stated, stated.lang))
        self._derived(block, s, source.iri)

    def _other_source(self, *taken: _Article) -> _Article | None:
        """A recent article other than ``taken``, or None."""
        candidates = [a for a in self.recent if a not in taken]
        return self.rng.choice(candidates) if candidates else None

    def _also_stated(self, stated: _StatedDate, anchor: date, source: _Article, *, sales: bool) -> _StatedDate:
        """What another source states of the date ``anchor`` that ``stated`` holds: a day, a month (or its half),
        a quarter, half-year or year that holds ``anchor``. Their windows all nest in each other (and in
        ``stated``'s, or around it), so that agreeing sources narrow to the narrowest of them."""
        rng = self.rng
        choices = [_DAY, _MONTH, _MONTH, _QUARTER, _HALF, _YEAR]
        if stated.precision == _YEAR and stated.qualifier is not None:  # four-month thirds cut across quarters
            choices.remove(_QUARTER)
        precision = rng.choice(choices)
        qualifier = None
        if precision == _MONTH and rng.random() < 0.5:
            qualifier = BEGINNING_OF if anchor.day <= 15 else END_OF
        return _stated_date(anchor, precision, qualifier, sales=sales, lang=source.words_lang)

    def _date_claims(
        self,
        spec: tuple[str, str | None],
        anchor: date,
        pattern: str | None,
        sources: list[_Article],
        *,
        sales: bool,
        floor: date | None = None,
    ) -> tuple[date, list[tuple[_Article, _StatedDate]]]:
        """The day a production or sales start falls on and what each source states of it.

        The first source states it at ``spec`` (the day moves into that window); others state it at other
        precisions that hold the day. ``pattern`` ``_AGREE``: one source gives the day, another the half of the
        month that holds it; ``_CONFLICT``: another gives a wider window disjoint from the first (a month two to
        six months away from a day, another year; a first window of a year becomes a day). ``floor``: the day
        must not move before it (sales start on or after the day production starts). A window that ``akg:By``
        starts on the day of publication is stated by one source only (others would not nest in it)."""
        rng = self.rng
        precision, qualifier = spec
        if qualifier == BY:
            pattern = None  # stated alone: its window starts on the day the source is published
        if pattern == _AGREE or (pattern == _CONFLICT and precision == _YEAR):
            precision, qualifier = _DAY, None
        if pattern == _AGREE:
            anchor = _second_half(anchor)
        first = sources[0]
        stated = _stated_date(anchor, precision, qualifier, sales=sales, lang=first.words_lang, ref=first.day)
        moved = _into(anchor, stated)
        if floor is not None and moved < floor:  # a qualifier would put the day too early: the whole period
            stated = _stated_date(anchor, precision, None, sales=sales, lang=first.words_lang)
        else:
            anchor = moved
        claims = [(first, stated)]
        if pattern is not None:
            other = self._other_source(*sources[:1])
            if other is None:  # pragma: no cover - the background articles are always there
                return anchor, claims
            if pattern == _AGREE:
                half = _stated_date(anchor, _MONTH, END_OF, sales=sales, lang=other.words_lang)
                if rng.random() < 0.5:
                    claims.append((other, half))
                else:  # the first source gives the half month, the other the day
                    day = _stated_date(anchor, _DAY, None, sales=sales, lang=other.words_lang)
                    claims = [(first, _stated_date(anchor, _MONTH, END_OF, sales=sales, lang=first.words_lang))]
                    claims.append((other, day))
            elif precision == _DAY:  # a month two to six months away
                months = anchor.year * 12 + anchor.month - 1 + rng.choice((-1, 1)) * rng.randint(2, 6)
                elsewhere = date(months // 12, months % 12 + 1, 15)
                claims.append((other, _stated_date(elsewhere, _MONTH, None, sales=sales, lang=other.words_lang)))
            else:  # another year: wider than the first source's window, so that the first still wins
                elsewhere = date(anchor.year + rng.choice((-1, 1)) * rng.randint(1, 2), 7, 1)
                claims.append((other, _stated_date(elsewhere, _YEAR, None, sales=sales, lang=other.words_lang)))
            return anchor, claims
        if qualifier == BY:
            return anchor, claims
        for source in sources[1:]:
            if rng.random() < 0.5:
                claims.append((source, self._also_stated(stated, anchor, source, sales=sales)))
        return anchor, claims

    def _supply(self, serial: int) -> Iterator[_Triples]:
        """The blocks of one OEM supply: its articles (every few supplies), vehicle, the supply, its dates, and
        the claims of the one to three sources that state each of its facts."""
        rng = self.rng
        if serial % _SUPPLIES_PER_ARTICLE == 0 or self.article is None:
            self.article, block = self._new_article()
            self.recent.append(self.article)
            yield block
            if rng.random() < 0.3:  # an article the project holds a summary of: a further source for some facts
                summary, block = self._new_article(summary=True)
                self.recent.append(summary)
                yield block
        article = self.article
        production_spec: tuple[str, str | None] | None
        sales_spec: tuple[str, str | None] | None
        production_pattern: str | None
        sales_pattern: str | None
        if serial < len(_OPENING):
            kind, production_spec, sales_spec, production_pattern, sales_pattern, supplier_conflict = _OPENING[serial]
        else:
            kind = rng.choices(_KINDS, weights=_WEIGHTS)[0]
            production_spec = self._date_spec(sales=False) if kind in (_REBADGE, _VARIANT) else None
            sales_spec = self._date_spec(sales=True) if kind in (_REBADGE, _VARIANT, _EV_PLANNED) else None
            if kind in (_REBADGE, _VARIANT) and rng.random() < 0.15:
                sales_spec = None  # the source gives no sales start
            elif kind == _EV_PLANNED and sales_spec is not None and rng.random() < 0.3:  # "by 2027"
                sales_spec = (sales_spec[0] if sales_spec[0] in (_QUARTER, _HALF) else _YEAR, BY)
            production_pattern, sales_pattern = self._pattern(), self._pattern()
            supplier_conflict = rng.random() < SUPPLIER_CONFLICT_SHARE
        supplier, customer, cooperation = self._pair(serial)
        ranged = kind in (_KEI_RANGE, _LCV_RANGE)
        # an agreement on a range whose direction the source does not state (the opening's LCV range is one, so
        # that the smallest graph has one): two parties, no supplier or customer
        undirected = ranged and (serial == 2 if serial < len(_OPENING) else rng.random() < 0.5)
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
        # The other articles that report the supply: none, one or two of the latest.
        sources = [article]
        for _ in range(0 if serial < len(_OPENING) or rng.random() < 0.55 else 1 if rng.random() < 0.7 else 2):
            other = self._other_source(*sources)
            if other is not None:
                sources.append(other)
        extra = _Triples()
        claims = _Triples()
        sentences: list[tuple[str, str]] = []  # French, English
        derived_words: tuple[str, str] | None = None
        derived_from: _Model | None = None

        # The vehicle: a rebadge, a variant of one of the customer's lines, an EV derived from one of the
        # supplier's, an unnamed range, or a model of the customer's brand.
        base = rng.choice(supplier.models)
        classes = base.classes
        if kind == _REBADGE:
            en = fr = f"{customer.name.split()[0]} {self._word(rng.choice((1, 2)))}{rng.choice(_TRIMS)}"
            slug = f"{_slug(en)}-{number}"
            v = _id("vehicle", slug)
            extra.add(v, BRAND, customer.iri)
            derived_from = base
            derived_words = (
                f"Le {en} est dérivé du {base.fr} de {supplier.name}.",
                f"The {en} is derived from {supplier.name}’s {base.en}.",
            )
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
                derived_from = base
                derived_words = (
                    f"La {fr} reprend la base technique du {base.fr} de {supplier.name}.",
                    f"The {en} is built on {supplier.name}’s {base.en}.",
                )
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
            extra.add(v, NOTE, _text("The source gives neither its name nor its brand.", "en"))
            derived_from = base
            derived_words = (
                f"{customer.name} indique qu’il doit recevoir une fourniture OEM d’un véhicule électrique à "
                f"batterie dérivé du {base.fr} de {supplier.name}.",
                f"{customer.name} says it is to receive an OEM supply of a battery EV derived from "
                f"{supplier.name}’s {base.en}.",
            )
            sentences.append(derived_words)
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
                (
                    f"{supplier.name} rappelle disposer d’un accord de fourniture OEM avec {customer.name} sur des "
                    f"{what_fr.lower()} {where_fr}.",
                    f"{supplier.name} recalls its OEM supply agreement with {customer.name} on "
                    f"{what_en.lower()} {where_en}.",
                )
            )
            extra.sentences(v, sentences[0][0] if article.lang == "fr" else sentences[0][1])
        else:  # _PLAIN: a model of the customer's brand, built by the supplier
            en = fr = f"{customer.name.split()[0]} {self._word(2)}"
            slug = f"{_slug(en)}-{number}"
            v = _id("vehicle", slug)
            classes = (VEHICLE,)
            extra.add(v, BRAND, customer.iri)
        vehicle = _Triples((v, A, cls) for cls in classes)
        vehicle_claims = _Triples()
        vehicle.labels(v, en, fr)
        vehicle.extend(extra)
        if derived_from is not None and derived_words is not None:
            vehicle.sentences(v, derived_words[0] if article.lang == "fr" else derived_words[1])
            for source in sources:
                if source is article or rng.random() < 0.5:
                    self._claim(
                        vehicle_claims,
                        v,
                        "derivedFrom",
                        derived_from.iri,
                        source,
                        derived_words,
                        f"the {en} is derived from the {derived_from.en}",
                        several=True,
                        links=vehicle,
                    )
        self._derived(vehicle, v, article.iri)
        vehicle.extend(vehicle_claims)
        yield vehicle

        # The dates: sales start on or after the day production starts, so never before production can start.
        dates = _Triples()
        production: list[tuple[_Article, _StatedDate]] = []
        sales: list[tuple[_Article, _StatedDate]] = []
        anchor = article.day + timedelta(days=rng.randrange(-900, 500))
        produced: date | None = None
        if production_spec is not None:
            produced, production = self._date_claims(production_spec, anchor, production_pattern, sources, sales=False)
        if sales_spec is not None:
            if produced is not None:
                anchor = produced + timedelta(days=rng.randrange(0, 240))
            else:
                anchor = article.day + timedelta(days=rng.randrange(60, 700))
            _sold, sales = self._date_claims(sales_spec, anchor, sales_pattern, sources, sales=True, floor=produced)
        started = production[0][1] if production else sales[0][1] if sales else None
        status = ONGOING if started is None or started.latest <= article.day else PLANNED
        # The supply and the sentences the (synthetic) articles state it in.
        s = _id("supply", slug)
        if plant is not None:
            ongoing = status == ONGOING
            sentences.append(
                (
                    f"{supplier.name} {'a lancé' if ongoing else 'doit lancer'} la production du modèle {fr} pour "
                    f"le compte de {customer.name} dans son usine {_de(plant.city.fr)}, {plant.country.fr_in}.",
                    f"{supplier.name} {'has started' if ongoing else 'is to start'} production of the {en} for "
                    f"{customer.name} at its {plant.city.en} plant, {_in_en(plant.country.en)}.",
                )
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
        elif kind == _EV_PLANNED:
            label_en = f"Battery EV derived from the {base.en}, supplied by {supplier.name} to {customer.name}"
            label_fr = f"Véhicule électrique dérivé du {base.fr}, fourni par {supplier.name} à {customer.name}"
        else:
            sentences.append(
                (
                    f"{supplier.name} fournit le modèle {fr} à {customer.name}.",
                    f"{supplier.name} supplies the {en} to {customer.name}.",
                )
            )
            label_en = f"{en} supplied by {supplier.name} to {customer.name}"
            label_fr = f"{fr} fourni par {supplier.name} à {customer.name}"
        market_words = [
            (
                f"{customer.name} le commercialise {self.market_names[m][1]}.",
                f"{customer.name} sells it {self.market_names[m][0]}.",
            )
            for m in markets
        ]
        if sales:
            first = sales[0][1]
            sold = (
                f"{customer.name} prévoit de le commercialiser {where_fr} {first.fr}.",
                f"{customer.name} plans to sell it {where_en} {first.stated_en}.",
            )
            sentences.append(sold)
            market_words[0] = sold
        elif not ranged:
            sentences.append(market_words[0])
        result = cooperation is not None and (serial == 0 or rng.random() < 0.6) and not undirected
        if result:
            sentences.append(
                (
                    f"{supplier.name} présente cette fourniture comme un résultat tangible de la coopération.",
                    f"{supplier.name} presents this supply as a tangible result of the cooperation.",
                )
            )

        block = _Triples()
        block.add(s, A, OEM_SUPPLY_AGREEMENT if undirected else OEM_SUPPLY)
        block.labels(s, label_en, label_fr)
        if undirected:
            block.add(s, PARTY, supplier.iri)
            block.add(s, PARTY, customer.iri)
        block.add(s, SUPPLY_VEHICLE, v)
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
        if not production and not sales:
            block.add(s, NOTE, _text("No dates are given.", "en"))
        block.sentences(s, *(french if article.lang == "fr" else english for french, english in sentences))
        self._derived(block, s, article.iri)

        # The claims of each source: the first states every fact, the others some.
        stating = [source for source in sources if source is article or rng.random() < 0.6]
        said = sentences[0]
        if not undirected:
            supplier_sources = list(stating)
            if supplier_conflict:
                supplier_sources = supplier_sources[:2]
                wrong = [
                    m
                    for m in self.makers
                    if m is not supplier and m is not customer and m is not supplier.parent and m.parent is not supplier
                ]
                if len(supplier_sources) < 2:
                    other = self._other_source(*supplier_sources)
                    if other is not None:
                        supplier_sources.append(other)
                third = self._other_source(*supplier_sources)
                if wrong and third is not None and len(supplier_sources) >= 2:
                    other_maker = rng.choice(wrong)
                    self._claim(
                        claims,
                        s,
                        "supplier",
                        other_maker.iri,
                        third,
                        (
                            f"{other_maker.name} fournit le modèle {fr} à {customer.name}.",
                            f"{other_maker.name} supplies the {en} to {customer.name}.",
                        ),
                        f"the supplier of the {en} is {other_maker.name}",
                        links=block,
                    )
            for source in supplier_sources:
                self._claim(
                    claims,
                    s,
                    "supplier",
                    supplier.iri,
                    source,
                    said,
                    f"the supplier of the {en} is {supplier.name}",
                    links=block,
                )
            for source in stating:
                self._claim(
                    claims,
                    s,
                    "customer",
                    customer.iri,
                    source,
                    said,
                    f"the customer for the {en} is {customer.name}",
                    links=block,
                )
        if plant is not None:
            for source in stating:
                where = f"the {en} is built at the {plant.city.en} plant"
                self._claim(claims, s, "producedAt", plant.iri, source, said, where, links=block)
        status_name = "ongoing" if status == ONGOING else "planned"
        for source in stating:
            self._claim(
                claims, s, "status", status, source, said, f"the supply of the {en} is {status_name}", links=block
            )
        for source in sources:
            if source is article or rng.random() < 0.5:
                for market, words in zip(markets, market_words, strict=True):
                    where = self.market_names[market][0]
                    self._claim(
                        claims,
                        s,
                        "market",
                        market,
                        source,
                        words,
                        f"the {en} is sold {where}",
                        several=True,
                        links=block,
                    )
        for prop, kebab, stated_dates in (
            ("productionStart", "production-start", production),
            ("salesStart", "sales-start", sales),
        ):
            for source, stated in stated_dates:
                d = _id("date", f"{slug}-{kebab}-{source.id}")
                self._date(dates, d, stated, source)
                what = f"the {kebab.replace('-', ' ')} of the {en} is {stated.en}"
                gist = f"{kebab.split('-')[0].capitalize()} of the {en} starts {stated.stated_en}."
                words = (stated.stated, stated.stated)
                self._claim(claims, s, prop, d, source, words, what, links=block, paraphrase=gist)
        yield block
        yield claims
        yield dates

    def _pattern(self) -> str | None:
        draw = self.rng.random()
        return (
            _CONFLICT
            if draw < DATE_CONFLICT_SHARE
            else _AGREE
            if draw < DATE_CONFLICT_SHARE + DATE_AGREEMENT_SHARE
            else None
        )

    def _fillers(self) -> Iterator[_Triples]:
        """Claims of further sources on the operators of plants and the regions of countries (one claim each; three
        sources at most per fact)."""
        subjects: list[tuple[str, str, str, tuple[str, str], str]] = []
        for maker in self.makers:
            for plant in maker.plants:
                words = (
                    f"{maker.name} exploite une usine à {plant.city.fr}, {plant.country.fr_in}.",
                    f"{maker.name} operates a plant in {plant.city.en}, {_in_en(plant.country.en)}.",
                )
                what = f"the {plant.city.en} plant's operator is {maker.name}"
                subjects.append((plant.iri, "operator", maker.iri, words, what))
        for country in self.countries:
            region = next(r for r in self.regions if r.slug == country.region)
            words = (f"{country.fr} ({region.fr})", f"{country.en} ({region.en})")
            what = f"{country.en} is in {region.en}"
            subjects.append((_id("country", country.slug), "locatedIn", _id("region", region.slug), words, what))
        stated = Counter((subject, prop) for _source, subject, prop in self.fixed_claims)
        for source in [*self.background, *self.recent]:
            for subject, prop, value, words, what in subjects:
                if (source.id, subject, prop) not in self.fixed_claims and stated[(subject, prop)] < 3:
                    self.fixed_claims.add((source.id, subject, prop))
                    stated[(subject, prop)] += 1
                    block = _Triples()
                    self._claim(block, subject, prop, value, source, words, what, several=prop == "locatedIn")
                    yield block

    # -- the whole graph

    def triples(self) -> Iterator[Triple]:
        count = 0
        fixed = itertools.chain(
            (self._source(),),
            self._publishers_and_background(),
            self._places(),
            self._organisations(),
            self._plants_and_models(),
        )
        for block in fixed:
            count += len(block)
            yield from block
        serial = 0
        while count < self.target - _SLACK:
            blocks = list(self._supply(serial))
            size = sum(len(block) for block in blocks)
            if count + size > self.target + _SLACK and serial >= len(_OPENING):
                break
            for block in blocks:
                count += len(block)
                yield from block
            serial += 1
        if count < self.target - _SLACK:
            for block in self._fillers():
                count += len(block)
                yield from block
                if count >= self.target - _SLACK:
                    break


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
