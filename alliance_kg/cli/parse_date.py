"""``alliance-kg parse-date "EXPRESSION" --ref YYYY-MM-DD``: read a date as a source writes it, print it as JSON."""

from __future__ import annotations

import argparse
import re
from datetime import date

NAME = "parse-date"
HELP = "Read a date as a source writes it (fr, en, ja, id, de) and print the stated date as JSON."
DESCRIPTION = """\
Read a date expression as a report writes it ("à la fin décembre 2025", "3月までに", "by the end of Q1 2026",
"pada akhir kuartal pertama 2026", "für das Ende des ersten Quartals 2026") with --ref, the report's publication
day, and print the akg:StatedDate it gives as one JSON object:

  precision  the unit the words name: time:unitDay, time:unitMonth, akg:unitQuarter, akg:unitHalfYear, time:unitYear
  qualifier  akg:BeginningOf, akg:MidOf, akg:EndOf, akg:By, akg:Until, or null
  earliest   the first day the date can be (YYYY-MM-DD)
  latest     the last day the date can be (YYYY-MM-DD)
  statedAs   the words as given
  lang       their language (fr, en, ja, id, de), guessed when --lang is not given

The window follows the convention of the README ("Dates as sources write them"): the end of a quarter is its
last month, of a month its second half; "by" and "until" run from --ref to the end of the period. A year left out
is --ref's year. Exit status: 0 read, 2 the expression cannot be read (nothing is guessed) or --ref is not a day."""

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from alliance_kg.dates import LANGUAGES

    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("expression", metavar="EXPRESSION", help="the date as the source writes it")
    parser.add_argument(
        "--ref", metavar="YYYY-MM-DD", required=True, help="the reference day: the source's publication date"
    )
    parser.add_argument("--lang", choices=LANGUAGES, help="the expression's language (guessed when not given)")
    parser.add_argument(
        "--previous",
        metavar="EXPRESSION",
        help="the date an expression such as 'the same quarter' refers to (read with the same --ref and --lang)",
    )


def reference_day(text: str) -> date:
    """``--ref`` as a date; a :class:`~alliance_kg.errors.ParameterError` naming it when it is not one."""
    from alliance_kg.errors import ParameterError

    if _DAY.fullmatch(text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise ParameterError(f"--ref: not a day YYYY-MM-DD: {text!r}", parameter="ref")


def run(args: argparse.Namespace) -> int:
    import json

    from alliance_kg.cli import EXIT_OK
    from alliance_kg.dates import parse_date

    ref = reference_day(args.ref)
    previous = None if args.previous is None else parse_date(args.previous, ref, args.lang)
    stated = parse_date(args.expression, ref, args.lang, previous=previous)
    print(json.dumps(stated.as_json(), ensure_ascii=False, indent=2))
    return EXIT_OK
