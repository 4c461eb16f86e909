"""How people read a stated date: its English and French labels, made from its precision, qualifier and bounds.

The shapes ask every ``akg:StatedDate`` for one English and at least one French label. A sheet gives a date as
the source writes it (in any language the normaliser reads); the labels say the same window in English and
French: "12 January 2026", "end of Q1 2026", "second half of 2026", and for *by*/*until* the last day
("by 31 March 2026"), since such a window runs from the reference day.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from alliance_kg.dates import StatedDate

__all__ = ["date_labels"]

_MONTHS_EN: Final = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
)  # fmt: skip
_MONTHS_FR: Final = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre",
)  # fmt: skip
_ORDINAL_FR: Final = ("premier", "deuxième", "troisième", "quatrième")

#: qualifier → (English, French) words placed before the period.
_PARTS: Final = {
    "akg:BeginningOf": ("early", "début"),
    "akg:MidOf": ("mid-", "mi-"),
    "akg:EndOf": ("end of", "fin"),
}


def _day(day: dt.date) -> tuple[str, str]:
    first = "1er" if day.day == 1 else str(day.day)
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}", f"{first} {_MONTHS_FR[day.month - 1]} {day.year}"


def _period(precision: str, day: dt.date) -> tuple[str, str, str]:
    """The period of ``precision`` that holds ``day``: English, French, and the French article form ("du …")."""
    if precision == "time:unitMonth":
        en, fr = f"{_MONTHS_EN[day.month - 1]} {day.year}", f"{_MONTHS_FR[day.month - 1]} {day.year}"
        return en, fr, fr
    if precision == "akg:unitQuarter":
        number = (day.month - 1) // 3 + 1
        fr = f"{_ORDINAL_FR[number - 1]} trimestre {day.year}"
        return f"Q{number} {day.year}", fr, f"du {fr}"
    if precision == "akg:unitHalfYear":
        second = day.month > 6
        fr = f"{'second' if second else 'premier'} semestre {day.year}"
        return f"{'second' if second else 'first'} half of {day.year}", fr, f"du {fr}"
    return str(day.year), str(day.year), str(day.year)


def date_labels(date: StatedDate) -> tuple[str, str]:
    """The English and French labels of ``date``."""
    if date.qualifier in ("akg:By", "akg:Until"):
        en, fr = _day(date.latest)
        if date.qualifier == "akg:By":
            return f"by {en}", f"au plus tard le {fr}"
        return f"until {en}", f"jusqu\u2019au {fr}"
    if date.precision == "time:unitDay":
        return _day(date.earliest)
    en, fr, fr_of = _period(date.precision, date.earliest)
    if date.qualifier in _PARTS:
        en_word, fr_word = _PARTS[date.qualifier]
        joined_en = f"{en_word}{en}" if en_word.endswith("-") else f"{en_word} {en}"
        joined_fr = f"{fr_word}{fr}" if fr_word.endswith("-") else f"{fr_word} {fr_of}"
        return joined_en, joined_fr
    return en, fr
