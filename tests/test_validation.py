from __future__ import annotations

from rdflib import Graph
from rdflib.compare import to_isomorphic
from rdflib.namespace import SH
from testpaths import FIXTURES, MINI_ONTOLOGY, MINI_SHAPES

from alliance_kg.loading import parse_files
from alliance_kg.validation import ValidationReport, Violation, validate


def graphs(facts: str) -> tuple[Graph, Graph, Graph]:
    return (
        parse_files([FIXTURES / f"facts-{facts}.ttl"]),
        parse_files([MINI_SHAPES]),
        parse_files([MINI_ONTOLOGY]),
    )


def test_conforming_data() -> None:
    data, shapes, ontology = graphs("good")
    report = validate(data, shapes=shapes, ontology=ontology)
    assert isinstance(report, ValidationReport)
    assert report.conforms
    assert report.results == ()
    assert report.render() == "Conforms: yes"


def test_violations_have_plain_fields_in_order() -> None:
    data, shapes, ontology = graphs("invalid")
    report = validate(data, shapes=shapes, ontology=ontology)
    assert not report.conforms
    assert report.results == (
        Violation(
            focus="id:plant/w",
            path="akg:name",
            value='"42"^^xsd:integer',
            message="A plant has exactly one name (a string).",
            severity="Violation",
            source_shape="akg:PlantShape (property akg:name)",
        ),
        Violation(
            focus="id:plant/z",
            path="akg:name",
            value=None,
            message="A plant has exactly one name (a string).",
            severity="Violation",
            source_shape="akg:PlantShape (property akg:name)",
        ),
    )
    assert len(list(report.graph.subjects(SH.focusNode, None))) == 2
    assert "Conforms: False" in report.text
    rendered = report.render()
    assert rendered.startswith("Conforms: no (2 results)")
    assert "id:plant/z\n  path:    akg:name\n  message: A plant has exactly one name" in rendered


def test_inputs_are_unchanged() -> None:
    data, shapes, ontology = graphs("invalid")
    before = [to_isomorphic(g) for g in (data, shapes, ontology)]
    validate(data, shapes=shapes, ontology=ontology)
    assert [to_isomorphic(g) for g in (data, shapes, ontology)] == before


def test_subclass_targets_follow_the_ontology_given_as_data() -> None:
    # A subclass instance is targeted only through rdfs:subClassOf in the data graph.
    data = Graph().parse(
        data="""
        @prefix akg: <https://w3id.org/alliance-kg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        akg:BigPlant rdfs:subClassOf akg:Plant .
        <https://w3id.org/alliance-kg/id/plant/big> a akg:BigPlant .
        """,
        format="turtle",
    )
    shapes = parse_files([MINI_SHAPES])
    assert not validate(data, shapes=shapes).conforms
    data_without_subclass = Graph()
    for s, p, o in data:
        if str(p).endswith("subClassOf"):
            continue
        data_without_subclass.add((s, p, o))
    assert validate(data_without_subclass, shapes=shapes).conforms
