"""Reading query text without parsing it: where the WHERE group opens, FROM clauses, terms in N-Triples syntax."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from alliance_kg.errors import QueryError
from alliance_kg.sparql_text import code_only, has_dataset_clause, term_text, where_brace, with_values


@pytest.mark.parametrize(
    ("query", "before"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o }", "SELECT ?s WHERE "),
        ("SELECT ?s { ?s ?p ?o }", "SELECT ?s "),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE "),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT WHERE "),
        ('SELECT ?s # a { comment\n WHERE { ?s ?p "{ where" }', "SELECT ?s # a { comment\n WHERE "),
        ("PREFIX a: <http://x/WHERE> SELECT * WHERE { ?s a:p ?o }", "PREFIX a: <http://x/WHERE> SELECT * WHERE "),
        ("ASK { ?s ?p ?o }", "ASK "),
    ],
)
def test_where_brace_skips_templates_comments_strings_and_iris(query: str, before: str) -> None:
    assert where_brace(query) == len(before)


def test_a_query_without_a_group_is_an_error() -> None:
    with pytest.raises(QueryError, match="no WHERE group"):
        where_brace("DESCRIBE <http://x>")


def test_from_clauses_are_seen_only_as_syntax() -> None:
    assert has_dataset_clause("SELECT * FROM <http://g> WHERE { ?s ?p ?o }")
    assert not has_dataset_clause('SELECT * WHERE { ?s ?p "FROM" } # FROM')
    assert not has_dataset_clause("SELECT * WHERE { ?s <http://x/FROM> ?o }")


def test_code_only_blanks_comments_strings_and_iris() -> None:
    text = 'SELECT ?s # x:y\nWHERE { ?s <http://a:b> "c:d" }'
    blanked = code_only(text)
    assert len(blanked) == len(text)
    assert "x:y" not in blanked
    assert "a:b" not in blanked
    assert "c:d" not in blanked
    assert "?s" in blanked


def test_terms_are_written_on_one_line_with_escapes() -> None:
    assert term_text(Literal('a "b" \\ \n\t')) == '"a \\"b\\" \\\\ \\n\\t"'
    assert term_text(Literal("x", lang="fr")) == '"x"@fr'
    assert (
        term_text(Literal("2026-01-12", datatype=XSD.date)) == '"2026-01-12"^^<http://www.w3.org/2001/XMLSchema#date>'
    )
    with pytest.raises(QueryError, match="IRI"):
        term_text(URIRef("http://x/a b>"))


def test_values_open_the_where_group_and_refuse_what_cannot_be_bound() -> None:
    text = with_values("SELECT ?o WHERE { ?s ?p ?o }", {"s": URIRef("http://x/s")})
    assert text == "SELECT ?o WHERE { VALUES (?s) { (<http://x/s>) }  ?s ?p ?o }"
    with pytest.raises(QueryError, match="variable name"):
        with_values("SELECT ?o WHERE { ?s ?p ?o }", {"s } #": URIRef("http://x/s")})
    with pytest.raises(QueryError, match="IRI or a literal"):
        with_values("SELECT ?o WHERE { ?s ?p ?o }", {"s": BNode()})
