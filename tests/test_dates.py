"""The temporal normaliser (alliance_kg.dates): dates as the sources write them, in five languages.

The table pins earliest, latest, precision and qualifier of every date expression of the article and of
``corroborating-sources.md``, and of each qualifier with each unit in each language. The reference day is the
publication date of the report (2026-01-14, the Japanese report S3's) unless a row gives another.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, TIME, XSD
from rdflib.term import Node
from testpaths import REPO

from alliance_kg.dates import (
    PRECISIONS,
    QUALIFIERS,
    DateExpressionError,
    StatedDate,
    guess_language,
    parse_date,
)
from alliance_kg.errors import InputError, ParameterError
from alliance_kg.namespaces import AKG, ID

REF = date(2026, 1, 14)  # S3 (auto-affairs.com) is dated 2026-01-14
ARTICLE = date(2026, 1, 12)  # the article's akg:publishedNotBefore (its own date was not captured)

DAY, MONTH, QUARTER, HALF, YEAR = (PRECISIONS[unit] for unit in ("day", "month", "quarter", "half", "year"))
BEGIN, MID, END, BY, UNTIL = (QUALIFIERS[name] for name in ("beginning", "middle", "end", "by", "until"))


def d(text: str) -> date:
    return date.fromisoformat(text)


# expression, lang, earliest, latest, precision, qualifier[, ref]
TABLE: list[tuple[Any, ...]] = [
    # --- the article (French), read with its akg:publishedNotBefore
    ("le 12 janvier 2026", "fr", "2026-01-12", "2026-01-12", DAY, None, ARTICLE),
    ("à partir du premier trimestre 2026", "fr", "2026-01-01", "2026-03-31", QUARTER, None, ARTICLE),
    ("à la fin décembre 2025", "fr", "2025-12-16", "2025-12-31", MONTH, END, ARTICLE),
    ("à partir de la fin du premier trimestre 2026", "fr", "2026-03-01", "2026-03-31", QUARTER, END, ARTICLE),
    ("à partir du second semestre 2026", "fr", "2026-07-01", "2026-12-31", HALF, None, ARTICLE),
    # --- S2 indianautosblog.com (English)
    ("on 12 January", "en", "2026-01-12", "2026-01-12", DAY, None),
    ("in the first quarter of 2026", "en", "2026-01-01", "2026-03-31", QUARTER, None),
    ("on 20 December 2025", "en", "2025-12-20", "2025-12-20", DAY, None),
    ("by the end of Q1 2026", "en", "2026-01-14", "2026-03-31", QUARTER, BY),
    ("in the second half of 2026", "en", "2026-07-01", "2026-12-31", HALF, None),
    # --- S3 auto-affairs.com (Japanese)
    ("13日", "ja", "2026-01-13", "2026-01-13", DAY, None),
    ("1月12日から", "ja", "2026-01-12", "2026-01-12", DAY, None),
    ("昨年12月20日から", "ja", "2025-12-20", "2025-12-20", DAY, None),
    ("26年第1四半期(1~3月)から", "ja", "2026-01-01", "2026-03-31", QUARTER, None),
    ("3月までに", "ja", "2026-01-14", "2026-03-31", MONTH, BY),
    ("26年後半に", "ja", "2026-07-01", "2026-12-31", HALF, None),
    # --- S4 netdenjd.com (Japanese)
    ("1月12日", "ja", "2026-01-12", "2026-01-12", DAY, None),
    ("2025年12月20日", "ja", "2025-12-20", "2025-12-20", DAY, None),
    ("2026年1~3月期", "ja", "2026-01-01", "2026-03-31", QUARTER, None),
    ("26年後半", "ja", "2026-07-01", "2026-12-31", HALF, None),
    # --- S5 babeindonesia.com (Indonesian)
    ("pada 12 Januari", "id", "2026-01-12", "2026-01-12", DAY, None),
    ("sejak 20 Desember 2025", "id", "2025-12-20", "2025-12-20", DAY, None),
    ("pada kuartal pertama tahun ini", "id", "2026-01-01", "2026-03-31", QUARTER, None),
    ("pada akhir kuartal pertama 2026", "id", "2026-03-01", "2026-03-31", QUARTER, END),
    ("pada semester dua 2026", "id", "2026-07-01", "2026-12-31", HALF, None),
    # --- S6 media90.id (Indonesian); "pada akhir kuartal yang sama" needs the date it refers to (test below)
    ("Senin (12/1/2026)", "id", "2026-01-12", "2026-01-12", DAY, None),
    ("pada kuartal pertama 2026", "id", "2026-01-01", "2026-03-31", QUARTER, None),
    ("pada paruh kedua 2026", "id", "2026-07-01", "2026-12-31", HALF, None),
    # --- S7 tarantas.news (German)
    ("am 12. Januar", "de", "2026-01-12", "2026-01-12", DAY, None),
    ("am 20. Dezember 2025", "de", "2025-12-20", "2025-12-20", DAY, None),
    ("im ersten Quartal 2026", "de", "2026-01-01", "2026-03-31", QUARTER, None),
    ("für das Ende des ersten Quartals 2026", "de", "2026-03-01", "2026-03-31", QUARTER, END),
    ("in der zweiten Jahreshälfte 2026", "de", "2026-07-01", "2026-12-31", HALF, None),
    # --- French: each qualifier with each unit
    ("début janvier 2026", "fr", "2026-01-01", "2026-01-15", MONTH, BEGIN),
    ("mi-mars 2026", "fr", "2026-03-11", "2026-03-20", MONTH, MID),
    ("fin février 2028", "fr", "2028-02-16", "2028-02-29", MONTH, END),  # a leap year
    ("début 2026", "fr", "2026-01-01", "2026-04-30", YEAR, BEGIN),
    ("mi-2026", "fr", "2026-05-01", "2026-08-31", YEAR, MID),
    ("fin 2026", "fr", "2026-09-01", "2026-12-31", YEAR, END),
    ("au début du deuxième trimestre 2026", "fr", "2026-04-01", "2026-04-30", QUARTER, BEGIN),
    ("au milieu du troisième trimestre 2026", "fr", "2026-08-01", "2026-08-31", QUARTER, MID),
    ("à la fin du premier semestre 2026", "fr", "2026-05-01", "2026-06-30", HALF, END),
    ("d'ici fin mars 2026", "fr", "2026-01-14", "2026-03-31", MONTH, BY),
    ("d\u2019ici à fin mars", "fr", "2026-01-14", "2026-03-31", MONTH, BY),
    ("jusqu'à fin 2026", "fr", "2026-01-14", "2026-12-31", YEAR, UNTIL),
    ("au plus tard en juin 2026", "fr", "2026-01-14", "2026-06-30", MONTH, BY),
    ("au T3 2026", "fr", "2026-07-01", "2026-09-30", QUARTER, None),
    ("en mai 2026", "fr", "2026-05-01", "2026-05-31", MONTH, None),
    ("dès le 1er février 2026", "fr", "2026-02-01", "2026-02-01", DAY, None),
    ("depuis le 20 décembre 2025", "fr", "2025-12-20", "2025-12-20", DAY, None),
    ("l'année prochaine", "fr", "2027-01-01", "2027-12-31", YEAR, None),
    ("au second semestre de l'année dernière", "fr", "2025-07-01", "2025-12-31", HALF, None),
    ("courant 2026", "fr", "2026-01-01", "2026-12-31", YEAR, None),
    # --- English
    ("early March 2026", "en", "2026-03-01", "2026-03-15", MONTH, BEGIN),
    ("mid-April 2026", "en", "2026-04-11", "2026-04-20", MONTH, MID),
    ("late 2025", "en", "2025-09-01", "2025-12-31", YEAR, END),
    ("early 2027", "en", "2027-01-01", "2027-04-30", YEAR, BEGIN),
    ("the middle of 2026", "en", "2026-05-01", "2026-08-31", YEAR, MID),
    ("from Q2 2026", "en", "2026-04-01", "2026-06-30", QUARTER, None),
    ("until June 2026", "en", "2026-01-14", "2026-06-30", MONTH, UNTIL),
    ("by mid-2026", "en", "2026-01-14", "2026-08-31", YEAR, BY),
    ("in H1 2027", "en", "2027-01-01", "2027-06-30", HALF, None),
    ("since January 12, 2026", "en", "2026-01-12", "2026-01-12", DAY, None),
    ("at the beginning of the fourth quarter of 2026", "en", "2026-10-01", "2026-10-31", QUARTER, BEGIN),
    ("the end of the second half of 2026", "en", "2026-11-01", "2026-12-31", HALF, END),
    ("next year", "en", "2027-01-01", "2027-12-31", YEAR, None),
    ("by 31 March 2026", "en", "2026-01-14", "2026-03-31", DAY, BY),
    ("2026-03-31", "en", "2026-03-31", "2026-03-31", DAY, None),
    ("the middle of the first half of 2026", "en", "2026-03-01", "2026-04-30", HALF, MID),
    ("until the end of Q3 2026", "en", "2026-01-14", "2026-09-30", QUARTER, UNTIL),
    ("by March 2026", "en", "2026-03-05", "2026-03-31", MONTH, BY, date(2026, 3, 5)),  # ref within the month
    # --- German
    ("Anfang März 2026", "de", "2026-03-01", "2026-03-15", MONTH, BEGIN),
    ("Mitte 2026", "de", "2026-05-01", "2026-08-31", YEAR, MID),
    ("Ende 2025", "de", "2025-09-01", "2025-12-31", YEAR, END),
    ("ab dem zweiten Halbjahr 2026", "de", "2026-07-01", "2026-12-31", HALF, None),
    ("bis Ende März 2026", "de", "2026-01-14", "2026-03-31", MONTH, UNTIL),
    ("spätestens im dritten Quartal 2026", "de", "2026-01-14", "2026-09-30", QUARTER, BY),
    ("bis zum 30. Juni 2026", "de", "2026-01-14", "2026-06-30", DAY, UNTIL),
    ("seit dem 20.12.2025", "de", "2025-12-20", "2025-12-20", DAY, None),
    ("im 1. Quartal 2026", "de", "2026-01-01", "2026-03-31", QUARTER, None),
    ("Mitte des zweiten Quartals 2026", "de", "2026-05-01", "2026-05-31", QUARTER, MID),
    ("Anfang nächsten Jahres", "de", "2027-01-01", "2027-04-30", YEAR, BEGIN),
    # --- Indonesian
    ("awal Maret 2026", "id", "2026-03-01", "2026-03-15", MONTH, BEGIN),
    ("pertengahan 2026", "id", "2026-05-01", "2026-08-31", YEAR, MID),
    ("akhir tahun ini", "id", "2026-09-01", "2026-12-31", YEAR, END),
    ("mulai kuartal ke-2 2026", "id", "2026-04-01", "2026-06-30", QUARTER, None),
    ("hingga akhir Juni 2026", "id", "2026-01-14", "2026-06-30", MONTH, UNTIL),
    ("paling lambat semester II 2026", "id", "2026-01-14", "2026-12-31", HALF, BY),
    ("awal semester pertama 2026", "id", "2026-01-01", "2026-02-28", HALF, BEGIN),
    ("pertengahan kuartal ketiga 2026", "id", "2026-08-01", "2026-08-31", QUARTER, MID),
    ("hingga semester pertama 2026", "id", "2026-01-14", "2026-06-30", HALF, UNTIL),
    ("tahun depan", "id", "2027-01-01", "2027-12-31", YEAR, None),
    ("akhir Desember 2025", "id", "2025-12-16", "2025-12-31", MONTH, END),
    # --- Japanese
    ("2026年3月上旬", "ja", "2026-03-01", "2026-03-15", MONTH, BEGIN),
    ("2026年3月中旬", "ja", "2026-03-11", "2026-03-20", MONTH, MID),
    ("2026年3月下旬", "ja", "2026-03-16", "2026-03-31", MONTH, END),
    ("3月末まで", "ja", "2026-01-14", "2026-03-31", MONTH, UNTIL),
    ("3月前半", "ja", "2026-03-01", "2026-03-15", MONTH, BEGIN),
    ("来年", "ja", "2027-01-01", "2027-12-31", YEAR, None),
    ("2026年", "ja", "2026-01-01", "2026-12-31", YEAR, None),
    ("2026年末", "ja", "2026-09-01", "2026-12-31", YEAR, END),
    ("2026年第3四半期", "ja", "2026-07-01", "2026-09-30", QUARTER, None),
    ("26年上半期", "ja", "2026-01-01", "2026-06-30", HALF, None),
    ("2026年4月以降", "ja", "2026-04-01", "2026-04-30", MONTH, None),
    ("２０２６年３月", "ja", "2026-03-01", "2026-03-31", MONTH, None),  # full-width digits
    ("2026/3/31", "ja", "2026-03-31", "2026-03-31", DAY, None),
    ("1月12日(月)", "ja", "2026-01-12", "2026-01-12", DAY, None),
    # A year left out is the reference day's, even in December: reports write "last year" (昨年) when they mean it.
    ("12月20日", "ja", "2026-12-20", "2026-12-20", DAY, None),
]


class Row(NamedTuple):
    expression: str
    lang: str
    ref: date
    earliest: date
    latest: date
    precision: str
    qualifier: str | None


def rows() -> list[Row]:
    out = []
    for expression, lang, earliest, latest, precision, qualifier, *ref in TABLE:
        out.append(Row(expression, lang, ref[0] if ref else REF, d(earliest), d(latest), precision, qualifier))
    return out


ROWS = rows()


def test_the_table_is_large_and_covers_every_language_qualifier_and_unit() -> None:
    assert len(ROWS) >= 80
    assert len({row.expression for row in ROWS}) == len(ROWS), "an expression twice in the table"
    for lang in ("fr", "en", "ja", "id", "de"):
        assert {row.precision for row in ROWS if row.lang == lang} == set(PRECISIONS.values()), lang
        assert {row.qualifier for row in ROWS if row.lang == lang} == {*QUALIFIERS.values(), None}, lang
    combinations = {(row.qualifier, row.precision) for row in ROWS}
    for qualifier in QUALIFIERS.values():
        for precision in (MONTH, QUARTER, HALF, YEAR):
            assert (qualifier, precision) in combinations, (qualifier, precision)
    assert {(BY, DAY), (UNTIL, DAY)} <= combinations


@pytest.mark.parametrize(Row._fields, ROWS, ids=[row.expression for row in ROWS])
def test_table(
    expression: str, lang: str, ref: date, earliest: date, latest: date, precision: str, qualifier: str | None
) -> None:
    stated = parse_date(expression, ref, lang)
    assert (stated.earliest, stated.latest, stated.precision, stated.qualifier) == (
        earliest,
        latest,
        precision,
        qualifier,
    )
    assert (stated.stated_as, stated.language) == (expression, lang)


@pytest.mark.parametrize(Row._fields, ROWS, ids=[row.expression for row in ROWS])
def test_language_is_guessed_or_refused(
    expression: str, lang: str, ref: date, earliest: date, latest: date, precision: str, qualifier: str | None
) -> None:
    """Guessing never picks another language: it finds the table's language, or refuses to guess."""
    try:
        guessed, refusal = guess_language(expression), ""
    except DateExpressionError as error:
        guessed, refusal = None, error.reason
    if guessed is None:
        assert "cannot be told" in refusal
        return
    assert guessed == lang
    assert parse_date(expression, ref) == parse_date(expression, ref, lang)


@pytest.mark.parametrize(
    ("expression", "lang"),
    [
        ("à partir de la fin du premier trimestre 2026", "fr"),
        ("by the end of Q1 2026", "en"),
        ("3月までに", "ja"),
        ("pada akhir kuartal pertama 2026", "id"),
        ("für das Ende des ersten Quartals 2026", "de"),
        ("mi-2026", "fr"),
        ("mid-2026", "en"),
    ],
)
def test_guess_language(expression: str, lang: str) -> None:
    assert guess_language(expression) == lang
    assert parse_date(expression, REF).language == lang


@pytest.mark.parametrize("expression", ["April 2026", "Q1 2026", "H2 2026", "12/1/2026"])
def test_a_language_that_cannot_be_told_is_asked_for(expression: str) -> None:
    with pytest.raises(DateExpressionError, match="cannot be told"):
        parse_date(expression, REF)
    assert parse_date(expression, REF, "de").language == "de"


def test_the_same_quarter_refers_to_the_previous_date() -> None:
    """S6: the Rogue 'pada kuartal pertama 2026', the Navara 'pada akhir kuartal yang sama'."""
    rogue = parse_date("pada kuartal pertama 2026", REF, "id")
    navara = parse_date("pada akhir kuartal yang sama", REF, "id", previous=rogue)
    assert (navara.earliest, navara.latest, navara.precision, navara.qualifier) == (
        d("2026-03-01"),
        d("2026-03-31"),
        QUARTER,
        END,
    )
    with pytest.raises(DateExpressionError, match="refers to an earlier date"):
        parse_date("pada akhir kuartal yang sama", REF, "id")
    whole_year = parse_date("2026", REF, "en")
    with pytest.raises(DateExpressionError, match="not within one quarter"):
        parse_date("the end of the same quarter", REF, "en", previous=whole_year)


# --- the two agreements the issue fixes -------------------------------------------------------------------------


def test_end_of_q1_does_not_allow_january_or_february() -> None:
    """'à partir de la fin du premier trimestre 2026' must not answer yes to 'possibly before 2026-02-01'."""
    stated = parse_date("à partir de la fin du premier trimestre 2026", ARTICLE, "fr")
    assert stated.earliest >= date(2026, 2, 1)
    assert stated.earliest == date(2026, 3, 1)
    # ... and it agrees (overlaps) with what every other report says of the Navara's sales start
    s6_rogue = parse_date("pada kuartal pertama 2026", REF, "id")
    others = [
        parse_date("by the end of Q1 2026", REF, "en"),
        parse_date("3月までに", REF, "ja"),
        parse_date("2026年1~3月期", REF, "ja"),
        parse_date("pada akhir kuartal pertama 2026", REF, "id"),
        parse_date("pada akhir kuartal yang sama", REF, "id", previous=s6_rogue),
        parse_date("für das Ende des ersten Quartals 2026", REF, "de"),
    ]
    for other in others:
        assert other.earliest <= stated.latest, other.stated_as
        assert stated.earliest <= other.latest, other.stated_as


@pytest.mark.parametrize(
    ("expression", "lang"),
    [
        ("on 20 December 2025", "en"),
        ("昨年12月20日から", "ja"),
        ("2025年12月20日", "ja"),
        ("sejak 20 Desember 2025", "id"),
        ("am 20. Dezember 2025", "de"),
    ],
)
def test_end_of_december_contains_the_twentieth(expression: str, lang: str) -> None:
    """The article's 'fin décembre 2025' agrees with the five reports that give 20 December 2025."""
    article = parse_date("à la fin décembre 2025", ARTICLE, "fr")
    report = parse_date(expression, REF, lang)
    assert report.earliest == report.latest == date(2025, 12, 20)
    assert article.earliest <= report.earliest <= article.latest


def test_positions_split_every_period_and_stay_inside_it() -> None:
    """Beginning, middle and end lie inside the period, in order, and together cover it."""
    for lang, words in {
        "en": ("early {}", "mid-{}", "late {}"),
        "fr": ("début {}", "mi-{}", "fin {}"),
    }.items():
        for period in ("2026", "March 2026" if lang == "en" else "mars 2026", "Q2 2026", "H2 2026"):
            whole = parse_date(period, REF, lang)
            beginning, middle, end = (parse_date(word.format(period), REF, lang) for word in words)
            for part in (beginning, middle, end):
                assert whole.earliest <= part.earliest <= part.latest <= whole.latest, part.stated_as
                assert part.precision == whole.precision
            assert beginning.earliest == whole.earliest
            assert end.latest == whole.latest
            assert beginning.latest < middle.latest
            assert middle.earliest < end.earliest
            # together they cover the period: no day of it is in none of the three
            assert (middle.earliest - beginning.latest).days <= 1
            assert (end.earliest - middle.latest).days <= 1


# --- unreadable expressions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "lang", "reason"),
    [
        ("vers mars 2026", "fr", "'vers' is not a date word"),
        ("around March 2026", None, "no language reads all of it"),
        ("2026年度", "ja", "fiscal year"),
        ("fin le 12 janvier 2026", "fr", "a day has no end"),
        ("by March 2025", "en", "has no earliest day"),
        ("Q5 2026", "en", "no quarter 5"),
        ("troisième semestre 2026", "fr", "no half-year 3"),
        ("31 February 2026", "en", "no day 31"),
        ("12/1/2026", "en", "day/month or month/day"),
        ("", "fr", "empty"),
        ("Senin (13/1/2026)", "id", "not the weekday"),
        ("trimestre 2026", "fr", "which quarter"),
        ("le dernier trimestre 2026", "fr", "only with a year"),
        ("mars et avril 2026", "fr", "'et' is not a date word"),
        ("26年第2四半期(1~3月)", "ja", "disagree"),
        ("2~4月", "ja", "not a calendar quarter"),
        ("2026 2027", "en", "neither a day nor a year"),
        ("early mid 2026", "en", "more than one position"),
        ("from by March 2026", "en", "more than one of from, by, until"),
        ("mars", "de", "'mars' is not a date word in de"),
        ("early", "en", "names no day"),
        ("3月頃", "ja", "'頃'"),
        ("13 mars 2026 Q1", "fr", "a month and a quarter"),
        ("Q1 0000", "en", "outside the calendar"),
        ("2026-02-30", "en", "no day 30"),
    ],
)
def test_unreadable_expressions_raise_an_error_naming_them(expression: str, lang: str | None, reason: str) -> None:
    with pytest.raises(DateExpressionError) as caught:
        parse_date(expression, REF, lang)
    error = caught.value
    assert isinstance(error, InputError)
    assert error.expression == expression
    assert repr(expression) in str(error)
    assert reason in error.reason


def test_an_unknown_language_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError, match="lang must be one of"):
        parse_date("2026", REF, "es")


# --- RDF ----------------------------------------------------------------------------------------------------------


def test_triples_in_the_ontology_terms() -> None:
    stated = parse_date("à partir de la fin du premier trimestre 2026", ARTICLE, "fr")
    node = URIRef(ID + "date/example")
    graph = Graph()
    for triple in stated.triples(node):
        graph.add(triple)
    assert set(graph) == {
        (node, RDF.type, AKG.StatedDate),
        (node, AKG.earliest, Literal("2026-03-01", datatype=XSD.date)),
        (node, AKG.latest, Literal("2026-03-31", datatype=XSD.date)),
        (node, AKG.precision, AKG.unitQuarter),
        (node, AKG.qualifier, AKG.EndOf),
        (node, AKG.statedAs, Literal("à partir de la fin du premier trimestre 2026", lang="fr")),
    }
    plain = parse_date("in the second half of 2026", REF, "en").triples()
    assert (plain[0][0], AKG.precision, AKG.unitHalfYear) in plain
    assert not any(p == AKG.qualifier for _, p, _ in plain)


def test_precisions_and_qualifiers_are_the_ontologys_individuals() -> None:
    ontology = Graph().parse(REPO / "ontology" / "alliance-kg.ttl")

    def iri(short: str) -> URIRef:
        prefix, _, name = short.partition(":")
        return (TIME if prefix == "time" else AKG)[name]

    for short in PRECISIONS.values():
        assert (iri(short), RDF.type, TIME.TemporalUnit) in ontology, short
    for short in QUALIFIERS.values():
        assert (iri(short), RDF.type, AKG.DateQualifier) in ontology, short
        assert (iri(short), RDF.type, OWL.NamedIndividual) in ontology, short


def test_json_names() -> None:
    stated = parse_date("3月までに", REF, "ja")
    assert stated.as_json() == {
        "precision": "time:unitMonth",
        "qualifier": "akg:By",
        "earliest": "2026-01-14",
        "latest": "2026-03-31",
        "statedAs": "3月までに",
        "lang": "ja",
    }


# --- the project's data follows the convention ---------------------------------------------------------------------


def data_graph() -> Graph:
    graph = Graph()
    for name in ("supplies.ttl", "source.ttl"):
        graph.parse(REPO / "data" / name)
    return graph


DATA = data_graph()
DATES = sorted(node for node in DATA.subjects(RDF.type, AKG.StatedDate) if isinstance(node, URIRef))


def publication_date(source: Node | None) -> date:
    """The source's publication date, or the earliest day it can have been published when that is all we know."""
    for prop in (DCTERMS.issued, AKG.publishedNotBefore):
        value = DATA.value(source, prop)
        if isinstance(value, Literal):
            return date.fromisoformat(str(value))
    raise AssertionError(f"{source} has no publication date")


def short(node: Node | None) -> str | None:
    return None if node is None else DATA.namespace_manager.normalizeUri(str(node))


def day(node: Node | None) -> date:
    assert isinstance(node, Literal)
    return date.fromisoformat(str(node))


def test_the_data_has_stated_dates() -> None:
    assert len(DATES) == 5


@pytest.mark.parametrize("node", DATES, ids=[str(node).rsplit("/", 1)[-1] for node in DATES])
def test_data_dates_are_what_their_words_say(node: URIRef) -> None:
    words = DATA.value(node, AKG.statedAs)
    assert isinstance(words, Literal)
    assert words.language is not None
    ref = publication_date(DATA.value(node, PROV.wasDerivedFrom))
    stated = parse_date(str(words), ref, words.language)
    precision = short(DATA.value(node, AKG.precision))
    assert precision is not None
    recorded = StatedDate(
        precision=precision,
        qualifier=short(DATA.value(node, AKG.qualifier)),
        stated_as=str(words),
        language=words.language,
        earliest=day(DATA.value(node, AKG.earliest)),
        latest=day(DATA.value(node, AKG.latest)),
    )
    assert stated == recorded
