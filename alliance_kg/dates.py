"""Dates as sources write them: a temporal normaliser for French, English, Japanese, Indonesian and German.

:func:`parse_date` turns a date expression as a report writes it ("à la fin décembre 2025", "3月までに",
"pada akhir kuartal pertama 2026", "by the end of Q1 2026") and the report's publication date (the *reference*
day) into a :class:`StatedDate`: the unit the words name (the precision), the word that places the date in that
period (the qualifier), the words themselves with their language, and the earliest and latest day the date can
be. An expression it cannot read raises :class:`DateExpressionError`, naming it: it never guesses.

The convention (the README's "Dates as sources write them" says the same):

* **Precision** is the unit the words name: day, month, quarter, half-year or year (``time:unitDay``,
  ``time:unitMonth``, ``akg:unitQuarter``, ``akg:unitHalfYear``, ``time:unitYear``).
* **Without a qualifier** the window is the whole period: "Q1 2026" is 2026-01-01..2026-03-31.
* **Beginning, middle, end** (``akg:BeginningOf``, ``akg:MidOf``, ``akg:EndOf``: "début", "mi-", "fin",
  "early", "mid", "late", "Anfang", "Mitte", "Ende", "awal", "pertengahan", "akhir", "上旬", "中旬", "下旬",
  "末", ...) narrow the window to a part of the period:

  ==========  =====================  ===============  ====================
  period      beginning of           middle of        end of
  ==========  =====================  ===============  ====================
  month       days 1-15              days 11-20       day 16 to the last
  quarter     its first month        its second       its third month
  half-year   its first two months   months 3-4       its last two months
  year        January-April          May-August       September-December
  ==========  =====================  ===============  ====================

  A quarter, half-year or year is cut in thirds. A month is not: its beginning and end are its halves, because
  reports call the 20th "the end of" the month (the article's "fin décembre 2025" is five reports'
  "20 December 2025"), so "end of" a month cannot be its last ten days. Japanese 前半/後半 of a month are the
  same halves. The end of a quarter is its last month, so "à partir de la fin du premier trimestre 2026" never
  allows January or February.
* **From, since** ("à partir de", "depuis", "from", "since", "ab", "seit", "mulai", "sejak", "から", "以降")
  mark the day something starts: the window is the period's (narrowed by any other qualifier), and "from" is no
  qualifier of its own: "à partir du premier trimestre 2026" is Q1 2026 without a qualifier.
* **By, until** ("by", "until", "d'ici", "au plus tard", "jusqu'à", "bis", "spätestens", "paling lambat",
  "hingga", "までに", "まで"; ``akg:By``, ``akg:Until``) end the window at the end of the period (narrowed by
  any beginning/middle/end: "by mid-March" ends on the 20th) and start it on the reference day: a report
  announces what is still to come from the day it is published. The qualifier is ``akg:By`` or ``akg:Until``
  even when the words also say "end of" ("by the end of Q1 2026": 2026-01-14..2026-03-31 for a report of
  14 January). "By" a period that ended before the reference day is an error (no earliest day can be told).
* **A year left out is the reference day's year** ("1月12日から", "on 12 January"); a day alone ("13日") is in
  the reference day's month; "last year", "昨年", "tahun lalu", "letzten Jahres" count from the reference
  day's year. Japanese two-digit years are 20xx ("26年"). A Japanese fiscal year (年度) is refused.
* **"The same quarter"** ("kuartal yang sama", "the same quarter", "desselben Quartals") needs the date it
  refers to: pass it as ``previous``.
* Numeric dates are day/month/year in French, German and Indonesian ("12/1/2026", "12.1.2026"), year/month/day
  in Japanese, ISO ``2026-01-12`` in every language; a slashed date in English is refused (day and month are
  ambiguous). A weekday given with a day must be that day's ("Senin (12/1/2026)" is a Monday).

``lang`` is guessed when omitted: Japanese from its script, otherwise the one language whose words cover every
word of the expression; when several do ("April 2026") it is an error that asks for the language.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from alliance_kg.errors import DateExpressionError, ParameterError

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = [
    "LANGUAGES",
    "PRECISIONS",
    "QUALIFIERS",
    "DateExpressionError",
    "StatedDate",
    "guess_language",
    "parse_date",
]

#: The languages the normaliser reads, as BCP 47 tags.
LANGUAGES: Final = ("fr", "en", "ja", "id", "de")

#: Unit name → the ontology's precision individual (short name).
PRECISIONS: Final[Mapping[str, str]] = {
    "day": "time:unitDay",
    "month": "time:unitMonth",
    "quarter": "akg:unitQuarter",
    "half": "akg:unitHalfYear",
    "year": "time:unitYear",
}

#: Qualifier name → the ontology's akg:DateQualifier individual (short name).
QUALIFIERS: Final[Mapping[str, str]] = {
    "beginning": "akg:BeginningOf",
    "middle": "akg:MidOf",
    "end": "akg:EndOf",
    "by": "akg:By",
    "until": "akg:Until",
}

_MONTHS_OF: Final[Mapping[str, int]] = {"month": 1, "quarter": 3, "half": 6, "year": 12}

#: The month's part each position keeps: first and last day (None: the month's last day).
_MONTH_PARTS: Final[Mapping[str, tuple[int, int | None]]] = {
    "beginning": (1, 15),
    "middle": (11, 20),
    "end": (16, None),
}


@dataclass(frozen=True)
class StatedDate:
    """A date as a source states it, in the ontology's terms (see the module's docstring for the convention).

    ``precision`` and ``qualifier`` are short names of the ontology's individuals (``"time:unitMonth"``,
    ``"akg:EndOf"``; ``qualifier`` is None when the words give none), ``stated_as`` the words as written,
    ``language`` their BCP 47 tag, ``earliest`` and ``latest`` the first and last day the date can be.
    """

    precision: str
    qualifier: str | None
    stated_as: str
    language: str
    earliest: date
    latest: date

    def as_json(self) -> dict[str, str | None]:
        """The date as JSON-ready values: ``precision``, ``qualifier``, ``earliest``, ``latest`` (ISO days),
        ``statedAs`` and ``lang``."""
        return {
            "precision": self.precision,
            "qualifier": self.qualifier,
            "earliest": self.earliest.isoformat(),
            "latest": self.latest.isoformat(),
            "statedAs": self.stated_as,
            "lang": self.language,
        }

    def triples(self, subject: Node | None = None) -> list[tuple[Node, Node, Node]]:
        """The date's triples: an ``akg:StatedDate`` (``subject``, a new blank node when None) with its
        ``akg:earliest``/``akg:latest`` (``xsd:date``), ``akg:precision``, ``akg:qualifier`` when there is one,
        and ``akg:statedAs`` tagged with its language."""
        from rdflib import BNode, Literal
        from rdflib.namespace import RDF, TIME, XSD

        from alliance_kg.namespaces import AKG

        def individual(short: str) -> Node:
            prefix, _, name = short.partition(":")
            return (TIME if prefix == "time" else AKG)[name]

        node: Node = BNode() if subject is None else subject
        triples: list[tuple[Node, Node, Node]] = [
            (node, RDF.type, AKG.StatedDate),
            (node, AKG.earliest, Literal(self.earliest.isoformat(), datatype=XSD.date)),
            (node, AKG.latest, Literal(self.latest.isoformat(), datatype=XSD.date)),
            (node, AKG.precision, individual(self.precision)),
            (node, AKG.statedAs, Literal(self.stated_as, lang=self.language)),
        ]
        if self.qualifier is not None:
            triples.append((node, AKG.qualifier, individual(self.qualifier)))
        return triples


# --------------------------------------------------------------------------------------------------------------
# Words. A token is (kind, value); a word maps to the tokens it stands for (none for words that only link).
#   year (int), rel (years from the reference's), month, day, num (a bare number), ordnum ("1er", "20th", "12."),
#   ord (an ordinal word), unit (month, quarter, half, year), quarter/half (Q1, H2, T1, S2), qual (beginning,
#   middle, end), bound (from, by, until), same ("the same"), weekday (0 = Monday), range (months, Japanese),
#   halfword (Japanese 前半/後半: first or second half of what precedes).
# --------------------------------------------------------------------------------------------------------------

Token = tuple[str, Any]
Lexicon = Mapping[tuple[str, ...], tuple[Token, ...]]

_FROM: Final = (("bound", "from"),)
_BY: Final = (("bound", "by"),)
_UNTIL: Final = (("bound", "until"),)
_BEGINNING: Final = (("qual", "beginning"),)
_MIDDLE: Final = (("qual", "middle"),)
_END: Final = (("qual", "end"),)


def _plain(text: str) -> str:
    """Lower case without accents (``"Décembre"`` → ``"decembre"``, ``"März"`` → ``"marz"``)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _words(table: Mapping[str, tuple[Token, ...]]) -> dict[tuple[str, ...], tuple[Token, ...]]:
    """A lexicon from ``"word word": tokens``, keys without accents (looked up without accents)."""
    return {tuple(_plain(phrase).split()): tokens for phrase, tokens in table.items()}


def _months(names: str) -> dict[str, tuple[Token, ...]]:
    """``"jan feb ..."`` (twelve groups separated by ``|``, variants by spaces) → month words."""
    table: dict[str, tuple[Token, ...]] = {}
    for number, group in enumerate(names.split("|"), start=1):
        for name in group.split():
            table[name] = (("month", number),)
    return table


def _weekdays(names: str) -> dict[str, tuple[Token, ...]]:
    return {name: (("weekday", number),) for number, name in enumerate(names.split())}


def _fillers(words: str) -> dict[str, tuple[Token, ...]]:
    return dict.fromkeys(words.split(), ())


def _ordinals(groups: str) -> dict[str, tuple[Token, ...]]:
    """``"first|second|..."`` (variants by spaces) → ordinal words 1, 2, ..."""
    table: dict[str, tuple[Token, ...]] = {}
    for number, group in enumerate(groups.split("|"), start=1):
        for name in group.split():
            table[name] = (("ord", number),)
    return table


def _unit(unit: str, words: str) -> dict[str, tuple[Token, ...]]:
    return dict.fromkeys(words.split(), (("unit", unit),))


_FRENCH: Final[Lexicon] = _words(
    {
        **_months(
            "janvier janv|février févr fév|mars|avril avr|mai|juin|juillet juil|août|septembre sept|octobre oct"
            "|novembre nov|décembre déc"
        ),
        **_weekdays("lundi mardi mercredi jeudi vendredi samedi dimanche"),
        **_fillers("le la les l' de du des d' à au aux en dans cours courant"),
        **_unit("quarter", "trimestre trimestres"),
        **_unit("half", "semestre semestres"),
        **_unit("year", "année an"),
        **_unit("month", "mois"),
        **_ordinals("premier première|second seconde deuxième|troisième|quatrième"),
        "début": _BEGINNING,
        "mi": _MIDDLE,
        "milieu": _MIDDLE,
        "fin": _END,
        "à partir": _FROM,
        "dès": _FROM,
        "depuis": _FROM,
        "d' ici": _BY,
        "au plus tard": _BY,
        "jusqu'": _UNTIL,
        "même": (("same", None),),
        "cette": (("rel", 0),),
        "prochain": (("rel", 1),),
        "prochaine": (("rel", 1),),
        "dernier": (("rel", -1),),
        "dernière": (("rel", -1),),
        "passé": (("rel", -1),),
        "passée": (("rel", -1),),
    }
)

_ENGLISH: Final[Lexicon] = _words(
    {
        **_months(
            "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|september sep sept"
            "|october oct|november nov|december dec"
        ),
        **_weekdays("monday tuesday wednesday thursday friday saturday sunday"),
        **_fillers("the of in on at during"),
        **_unit("quarter", "quarter"),
        **_unit("half", "half"),
        **_unit("year", "year"),
        **_unit("month", "month"),
        **_ordinals("first|second|third|fourth"),
        "early": _BEGINNING,
        "beginning": _BEGINNING,
        "start": _BEGINNING,
        "mid": _MIDDLE,
        "middle": _MIDDLE,
        "late": _END,
        "end": _END,
        "from": _FROM,
        "since": _FROM,
        "starting": _FROM,
        "as of": _FROM,
        "by": _BY,
        "no later than": _BY,
        "until": _UNTIL,
        "till": _UNTIL,
        "same": (("same", None),),
        "this": (("rel", 0),),
        "next": (("rel", 1),),
        "last": (("rel", -1),),
    }
)

_GERMAN: Final[Lexicon] = _words(
    {
        **_months("januar jänner|februar|märz maerz|april|mai|juni|juli|august|september|oktober|november|dezember"),
        **_weekdays("montag dienstag mittwoch donnerstag freitag samstag sonntag"),
        **_fillers("am im in der die das des dem den für zum zur zu"),
        **_unit("quarter", "quartal quartals"),
        **_unit("half", "halbjahr halbjahres halbjahrs jahreshälfte hälfte"),
        **_unit("year", "jahr jahres jahrs"),
        **_unit("month", "monat monats"),
        **_ordinals(
            "erste ersten erstes erster|zweite zweiten zweites zweiter|dritte dritten drittes dritter"
            "|vierte vierten viertes vierter"
        ),
        "anfang": _BEGINNING,
        "beginn": _BEGINNING,
        "mitte": _MIDDLE,
        "ende": _END,
        "ab": _FROM,
        "seit": _FROM,
        "bis": _UNTIL,
        "spätestens": _BY,
        **dict.fromkeys(("desselben", "derselben", "selben", "gleichen"), (("same", None),)),
        "bis spätestens": _BY,
        **dict.fromkeys(("dieses", "diesen", "diesem"), (("rel", 0),)),
        **dict.fromkeys(("nächstes", "nächsten", "nächstem", "kommenden", "kommendes"), (("rel", 1),)),
        **dict.fromkeys(("letztes", "letzten", "vergangenes", "vergangenen", "vorigen", "voriges"), (("rel", -1),)),
    }
)

_INDONESIAN: Final[Lexicon] = _words(
    {
        **_months("januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember"),
        **_weekdays("senin selasa rabu kamis jumat sabtu minggu"),
        **_fillers("pada di dalam"),
        **_unit("quarter", "kuartal triwulan"),
        **_unit("half", "semester paruh"),
        **_unit("year", "tahun"),
        **_unit("month", "bulan"),
        **_ordinals("pertama satu i|kedua dua ii|ketiga tiga iii|keempat empat iv"),
        "awal": _BEGINNING,
        "pertengahan": _MIDDLE,
        "tengah": _MIDDLE,
        "akhir": _END,
        "mulai": _FROM,
        "sejak": _FROM,
        "paling lambat": _BY,
        "selambat lambatnya": _BY,
        "hingga": _UNTIL,
        "sampai": _UNTIL,
        "yang sama": (("same", None),),
        "ini": (("rel", 0),),
        "lalu": (("rel", -1),),
        "yang lalu": (("rel", -1),),
        "depan": (("rel", 1),),
    }
)

_LATIN_LEXICONS: Final[Mapping[str, Lexicon]] = {
    "fr": _FRENCH,
    "en": _ENGLISH,
    "de": _GERMAN,
    "id": _INDONESIAN,
}
_LONGEST_PHRASE: Final = max(len(key) for lexicon in _LATIN_LEXICONS.values() for key in lexicon)

# Japanese: words matched longest first, after the patterns with numbers.
_JAPANESE: Final[Mapping[str, tuple[Token, ...]]] = {
    "四半期": (("unit", "quarter"),),
    "上半期": (("half", 1),),
    "下半期": (("half", 2),),
    "前半": (("halfword", 1),),
    "後半": (("halfword", 2),),
    "昨年": (("rel", -1), ("unit", "year")),
    "去年": (("rel", -1), ("unit", "year")),
    "今年": (("rel", 0), ("unit", "year")),
    "本年": (("rel", 0), ("unit", "year")),
    "来年": (("rel", 1), ("unit", "year")),
    "上旬": _BEGINNING,
    "初旬": _BEGINNING,
    "初め": _BEGINNING,
    "始め": _BEGINNING,
    "中旬": _MIDDLE,
    "半ば": _MIDDLE,
    "下旬": _END,
    "末": _END,
    "終わり": _END,
    "までに": _BY,
    "まで": _UNTIL,
    "から": _FROM,
    "より": _FROM,
    "以降": _FROM,
    "以来": _FROM,
    "同": (("same", None),),
    "期": (),
    "に": (),
    "の": (),
    "で": (),
}
_JAPANESE_WORDS: Final = sorted(_JAPANESE, key=len, reverse=True)
_JAPANESE_WEEKDAYS: Final = "月火水木金土日"

_LATIN_TOKEN: Final = re.compile(
    r"(?P<iso>\d{4})-(?P<iso_m>\d{1,2})-(?P<iso_d>\d{1,2})(?!\w)"
    r"|(?P<dmy>\d{1,2})[./](?P<dmy_m>\d{1,2})[./](?P<dmy_y>\d{4})(?!\w)"
    r"|ke-?(?P<ke>\d{1,2})(?!\w)"
    r"|(?P<compact>[qtsh])(?P<compact_n>\d)(?!\w)"
    r"|(?P<ordnum>\d{1,2})(?:\.|ère|ere|er|re|ème|eme|e|st|nd|rd|th)(?!\w)"
    r"|(?P<num>\d+)(?!\w)"
    r"|(?P<word>[^\W\d_]+'?)"
    r"|(?P<space>[\s,;()\-/]+)",
    re.IGNORECASE,
)
_JAPANESE_TOKEN: Final = re.compile(
    r"(?P<ymd>\d{4})/(?P<ymd_m>\d{1,2})/(?P<ymd_d>\d{1,2})"
    r"|(?P<iso>\d{4})-(?P<iso_m>\d{1,2})-(?P<iso_d>\d{1,2})"
    r"|(?P<fiscal>\d+年度)"
    r"|(?P<year>\d{2}|\d{4})年"
    r"|(?P<range_a>\d{1,2})[~\u301c\-\u2013](?P<range_b>\d{1,2})月"
    r"|\((?P<weekday>[" + _JAPANESE_WEEKDAYS + r"])(?:曜日?)?\)"
    r"|(?P<month>\d{1,2})月"
    r"|(?P<day>\d{1,2})日"
    r"|第(?P<ord>\d)"
    r"|(?P<space>[\s()\u3001\u3000]+)"
)
_JAPANESE_SCRIPT: Final = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def _normalise(expression: str) -> str:
    """NFKC (full-width digits and brackets become ASCII), typographic apostrophes and dashes made plain,
    trailing punctuation dropped."""
    text = unicodedata.normalize("NFKC", expression)
    text = text.replace("\u2019", "'").replace("\u02bc", "'").replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"[\s.,;:!?]+$", "", text.strip())


def guess_language(expression: str) -> str:
    """The language of ``expression``: ``ja`` for Japanese script, else the one of fr, en, de, id whose words
    cover every word of it. Raises :class:`DateExpressionError` when none or several do."""
    text = _normalise(expression)
    if _JAPANESE_SCRIPT.search(text):
        return "ja"
    fits, misfits = [], []
    for lang, lexicon in _LATIN_LEXICONS.items():
        try:
            _latin_tokens(expression, text, lang, lexicon)
        except DateExpressionError as error:
            misfits.append(f"{lang}: {error.reason}")
            continue
        fits.append(lang)
    if len(fits) == 1:
        return fits[0]
    if not fits:
        raise DateExpressionError(expression, f"no language reads all of it ({'; '.join(misfits)})")
    raise DateExpressionError(expression, f"the language cannot be told ({', '.join(fits)} all fit): give it")


def _latin_tokens(expression: str, text: str, lang: str, lexicon: Lexicon) -> list[Token]:
    tokens: list[Token] = []
    words: list[str] = []

    def flush() -> None:
        index = 0
        while index < len(words):
            for size in range(min(_LONGEST_PHRASE, len(words) - index), 0, -1):
                phrase = tuple(words[index : index + size])
                if phrase in lexicon:
                    tokens.extend(lexicon[phrase])
                    index += size
                    break
            else:
                raise DateExpressionError(expression, f"{words[index]!r} is not a date word in {lang}")
        words.clear()

    position = 0
    while position < len(text):
        match = _LATIN_TOKEN.match(text, position)
        if match is None:
            raise DateExpressionError(expression, f"{text[position]!r} is not part of a date")
        position = match.end()
        if match["word"] is not None:
            words.append(_plain(match["word"]))
            continue
        if match["space"] is not None:
            continue
        flush()
        if match["iso"] is not None:
            tokens += [("year", int(match["iso"])), ("month", int(match["iso_m"])), ("day", int(match["iso_d"]))]
        elif match["dmy"] is not None:
            if lang == "en":
                raise DateExpressionError(expression, "a numeric English date could be day/month or month/day")
            tokens += [("day", int(match["dmy"])), ("month", int(match["dmy_m"])), ("year", int(match["dmy_y"]))]
        elif match["ke"] is not None:
            tokens.append(("ord", int(match["ke"])))
        elif match["compact"] is not None:
            kind = "quarter" if match["compact"].lower() in "qt" else "half"
            tokens.append((kind, int(match["compact_n"])))
        elif match["ordnum"] is not None:
            tokens.append(("ordnum", int(match["ordnum"])))
        else:
            tokens.append(("num", match["num"]))
    flush()
    return tokens


def _japanese_tokens(expression: str, text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _JAPANESE_TOKEN.match(text, position)
        if match is not None:
            position = match.end()
            group = match.lastgroup
            if match["fiscal"] is not None:
                raise DateExpressionError(expression, f"{match['fiscal']!r} is a fiscal year, not a calendar one")
            if match["ymd"] is not None:
                tokens += [("year", int(match["ymd"])), ("month", int(match["ymd_m"])), ("day", int(match["ymd_d"]))]
            elif match["iso"] is not None:
                tokens += [("year", int(match["iso"])), ("month", int(match["iso_m"])), ("day", int(match["iso_d"]))]
            elif match["year"] is not None:
                digits = match["year"]
                tokens += [("year", int(digits) + (2000 if len(digits) == 2 else 0)), ("unit", "year")]
            elif match["range_a"] is not None:
                tokens.append(("range", (int(match["range_a"]), int(match["range_b"]))))
            elif match["weekday"] is not None:
                tokens.append(("weekday", _JAPANESE_WEEKDAYS.index(match["weekday"])))
            elif group in ("month", "day", "ord"):
                tokens.append((group, int(match[group])))
            continue
        for word in _JAPANESE_WORDS:
            if text.startswith(word, position):
                tokens.extend(_JAPANESE[word])
                position += len(word)
                break
        else:
            raise DateExpressionError(expression, f"{text[position]!r} is not part of a Japanese date")
    return tokens


# --------------------------------------------------------------------------------------------------------------
# From tokens to a period, then to a window.
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Period:
    unit: str
    start: date
    end: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months_period(unit: str, year: int, first_month: int) -> _Period:
    last_month = first_month + _MONTHS_OF[unit] - 1
    return _Period(unit, date(year, first_month, 1), _month_end(year, last_month))


def _numbered(unit: str, year: int, number: int, expression: str) -> _Period:
    count = 12 // _MONTHS_OF[unit]
    if not 1 <= number <= count:
        name = "half-year" if unit == "half" else unit
        raise DateExpressionError(expression, f"there is no {name} {number} in a year (1 to {count})")
    return _months_period(unit, year, (number - 1) * _MONTHS_OF[unit] + 1)


def _containing(unit: str, day: date) -> _Period:
    size = _MONTHS_OF[unit]
    return _months_period(unit, day.year, (day.month - 1) // size * size + 1)


class _Tokens:
    """The tokens of an expression by kind, each kind taken at most once (else the expression is refused)."""

    def __init__(self, expression: str, tokens: list[Token]) -> None:
        self.expression = expression
        self.by_kind: dict[str, list[Any]] = {}
        for kind, value in tokens:
            self.by_kind.setdefault(kind, []).append(value)
        self.units: set[str] = set(self.by_kind.pop("unit", []))

    def take(self, kind: str) -> Any:
        values = self.by_kind.pop(kind, [])
        if len(set(values)) > 1 or (len(values) > 1 and kind not in ("bound", "qual")):
            raise DateExpressionError(self.expression, f"it gives more than one {_KIND_NAMES.get(kind, kind)}")
        return values[0] if values else None

    def has(self, kind: str) -> bool:
        return kind in self.by_kind

    def fail(self, reason: str) -> DateExpressionError:
        return DateExpressionError(self.expression, reason)


_KIND_NAMES: Final = {
    "qual": "position (beginning, middle, end)",
    "bound": "of from, by, until",
    "rel": "year",
    "ord": "ordinal",
    "ordnum": "ordinal",
    "num": "number",
}


def _period(tokens: _Tokens, ref: date, previous: StatedDate | None) -> tuple[_Period, str | None]:
    """The period the tokens name, and the position a Japanese 前半/後半 of a month gives."""
    fail = tokens.fail
    if tokens.has("same"):
        tokens.take("same")
        units = tokens.units - {"year"} or tokens.units
        if len(units) != 1:
            raise fail("'the same' must name one unit (month, quarter, half-year or year)")
        (unit,) = units
        if previous is None:
            raise fail(f"'the same {unit}' refers to an earlier date: give it (previous)")
        period = _containing(unit, previous.earliest)
        if not period.start <= previous.latest <= period.end:
            raise fail(f"the earlier date {previous.stated_as!r} is not within one {unit}")
        return period, None

    year_value = tokens.take("year")
    relative = tokens.take("rel")
    month = tokens.take("month")
    day = tokens.take("day")
    ordinal = tokens.take("ord")
    numbers: list[str] = tokens.by_kind.pop("num", [])
    ordnum = tokens.take("ordnum")
    if relative is not None and "year" not in tokens.units:
        raise fail("'this', 'next' or 'last' is read only with a year")
    for number in numbers:
        if len(number) == 4 and year_value is None and relative is None:
            year_value = int(number)
        elif month is not None and day is None and int(number) <= 31:
            day = int(number)
        else:
            raise fail(f"the number {number} is neither a day nor a year")
    if ordnum is not None:
        if month is not None and day is None:
            day = ordnum
        elif ordinal is None and tokens.units & {"quarter", "half"}:
            ordinal = ordnum
        else:
            raise fail(f"the ordinal {ordnum} is neither a day of a month nor a quarter or half-year")
    if year_value is not None and relative is not None:
        raise fail("it gives two years")
    explicit_year = year_value is not None or relative is not None
    year = year_value if year_value is not None else ref.year + (relative or 0)
    if not 1 <= year <= 9999:
        raise fail(f"the year {year} is outside the calendar (1 to 9999)")
    halfword = tokens.take("halfword")
    quarter = tokens.take("quarter")
    half = tokens.take("half")
    month_range = tokens.take("range")
    position: str | None = None

    if day is not None or month is not None:
        if {"quarter", "half"} & tokens.units or quarter or half or ordinal is not None or month_range:
            raise fail("it names a month and a quarter or half-year")
        if halfword is not None:
            if day is not None:
                raise fail("前半/後半 cannot place a day")
            position = "beginning" if halfword == 1 else "end"
        if month is None:
            if explicit_year:
                raise fail("it gives a day and a year without a month")
            month = ref.month
        if not 1 <= month <= 12:
            raise fail(f"there is no month {month}")
        if day is None:
            return _months_period("month", year, month), position
        try:
            stated = date(year, month, day)
        except ValueError:
            raise fail(f"there is no day {day} in {calendar.month_name[month]} {year}") from None
        weekday = tokens.take("weekday")
        if weekday is not None and weekday != stated.weekday():
            raise fail(f"{stated.isoformat()} is a {calendar.day_name[stated.weekday()]}, not the weekday it gives")
        return _Period("day", stated, stated), None

    if tokens.has("weekday"):
        raise fail("a weekday is read only with a day")
    if halfword is not None:
        if half is not None:
            raise fail("it names two half-years")
        half = halfword
    quarters = {value for value in (quarter,) if value is not None}
    halves = {value for value in (half,) if value is not None}
    if ordinal is not None:
        if tokens.units >= {"quarter", "half"} or not tokens.units & {"quarter", "half"}:
            raise fail(f"the ordinal {ordinal} must number a quarter or a half-year")
        (quarters if "quarter" in tokens.units else halves).add(ordinal)
    elif tokens.units & {"quarter", "half"} and not (quarters or halves or month_range):
        raise fail("it does not say which quarter or half-year")
    if month_range is not None:
        first, last = month_range
        size = last - first + 1
        if size == 3 and first in (1, 4, 7, 10):
            quarters.add((first + 2) // 3)
        elif size == 6 and first in (1, 7):
            halves.add((first + 5) // 6)
        else:
            raise fail(f"months {first} to {last} are not a calendar quarter or half-year")
    if quarters and halves:
        raise fail("it names a quarter and a half-year")
    if len(quarters) > 1 or len(halves) > 1:
        raise fail("its quarters or half-years disagree")
    if quarters:
        return _numbered("quarter", year, quarters.pop(), tokens.expression), None
    if halves:
        return _numbered("half", year, halves.pop(), tokens.expression), None
    if not explicit_year:
        raise fail("it names no day, month, quarter, half-year or year")
    if tokens.units - {"year"}:
        raise fail("it names a unit without saying which")
    return _months_period("year", year, 1), None


def _narrow(period: _Period, position: str, expression: str) -> tuple[date, date]:
    """The part of the period a beginning, middle or end keeps (the module docstring's table)."""
    if period.unit == "day":
        raise DateExpressionError(expression, f"a day has no {position}")
    if period.unit == "month":
        first, last = _MONTH_PARTS[position]
        return period.start.replace(day=first), period.end if last is None else period.start.replace(day=last)
    third = _MONTHS_OF[period.unit] // 3
    offset = {"beginning": 0, "middle": third, "end": 2 * third}[position]
    first_month = period.start.month + offset
    return date(period.start.year, first_month, 1), _month_end(period.start.year, first_month + third - 1)


def _read(expression: str, lang: str, ref: date, previous: StatedDate | None) -> StatedDate:
    text = _normalise(expression)
    if not text:
        raise DateExpressionError(expression, "it is empty")
    if lang == "ja":
        tokens = _japanese_tokens(expression, text)
    else:
        tokens = _latin_tokens(expression, text, lang, _LATIN_LEXICONS[lang])
    parts = _Tokens(expression, tokens)
    bound = parts.take("bound")
    qual = parts.take("qual")
    period, halfword_position = _period(parts, ref, previous)
    if qual is not None and halfword_position is not None:
        raise parts.fail("it gives two positions within the month")
    position = qual or halfword_position
    leftover = sorted(parts.by_kind)
    if leftover:
        raise parts.fail(f"it has words that place nothing ({', '.join(leftover)})")
    earliest, latest = (period.start, period.end) if position is None else _narrow(period, position, expression)
    qualifier = position
    if bound in ("by", "until"):
        if ref > latest:
            raise parts.fail(f"'{bound}' a day before the reference day {ref.isoformat()} has no earliest day")
        earliest, qualifier = ref, bound
    return StatedDate(
        precision=PRECISIONS[period.unit],
        qualifier=None if qualifier is None else QUALIFIERS[qualifier],
        stated_as=expression.strip(),
        language=lang,
        earliest=earliest,
        latest=latest,
    )


def parse_date(
    expression: str, ref: date, lang: str | None = None, *, previous: StatedDate | None = None
) -> StatedDate:
    """Read a date ``expression`` a source writes, with ``ref`` its publication date (the reference day).

    ``lang`` is one of :data:`LANGUAGES`, guessed when None (:func:`guess_language`); ``previous`` is the date an
    expression such as "the same quarter" refers to. Raises :class:`DateExpressionError` naming the expression
    when it cannot be read, and :class:`~alliance_kg.errors.ParameterError` for a ``lang`` outside
    :data:`LANGUAGES`.
    """
    if lang is None:
        lang = guess_language(expression)
    elif lang not in LANGUAGES:
        raise ParameterError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}", parameter="lang")
    return _read(expression, lang, ref, previous)
