from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import OWL, RDF
from testpaths import FIXTURES

from alliance_kg.errors import InconsistencyError
from alliance_kg.loading import parse_files
from alliance_kg.namespaces import AKG, ID
from alliance_kg.reasoning import OWLRL_ERRORS, reason


def mini(facts: str) -> Graph:
    return parse_files([FIXTURES / "ontology-mini.ttl", FIXTURES / f"facts-{facts}.ttl"])


def test_inferred_is_kept_apart() -> None:
    graph = mini("good")
    result = reason(graph)
    assert result.consistent
    assert result.inconsistencies == ()
    manufacturer = ID["manufacturer/m"]
    # the range of akg:operatedBy makes m a Manufacturer, and so an Organization
    assert (manufacturer, RDF.type, AKG.Manufacturer) in result.inferred
    assert (manufacturer, RDF.type, AKG.Organization) in result.inferred
    # no asserted triple is repeated in the inferred graph
    assert all(triple not in graph for triple in result.inferred)
    assert result.check() is result


def test_inferred_is_valid_rdf_and_serialises() -> None:
    result = reason(mini("good"))
    assert all(not isinstance(s, Literal) for s, _, _ in result.inferred)
    assert not any(s == o for s, _, o in result.inferred.triples((None, OWL.sameAs, None)))
    assert (None, OWLRL_ERRORS.error, None) not in result.inferred
    text = result.inferred.serialize(format="nt")
    assert len(Graph().parse(data=text, format="nt")) == len(result.inferred)


def test_caller_graph_is_unchanged() -> None:
    graph = mini("disjoint")
    before = to_isomorphic(graph)
    count = len(graph)
    reason(graph)
    assert len(graph) == count
    assert to_isomorphic(graph) == before


def test_disjointness_is_reported() -> None:
    result = reason(mini("disjoint"))
    assert not result.consistent
    [item] = result.inconsistencies
    assert item.kind == "disjoint-classes"
    assert item.resources == (str(ID["plant/x"]), str(AKG.Manufacturer), str(AKG.Plant))
    assert item.message == ("id:plant/x is both akg:Manufacturer and akg:Plant, which the ontology declares disjoint")
    assert (None, OWLRL_ERRORS.error, None) not in result.inferred
    assert not list(result.inferred.subjects(RDF.type, OWLRL_ERRORS.ErrorMessage))
    with pytest.raises(InconsistencyError) as caught:
        result.check()
    assert caught.value.inconsistencies == result.inconsistencies


def test_same_and_different_is_reported() -> None:
    a, b = URIRef("http://example.org/a"), URIRef("http://example.org/b")
    graph = Graph()
    graph.add((a, OWL.sameAs, b))
    graph.add((a, OWL.differentFrom, b))
    kinds = {item.kind for item in reason(graph).inconsistencies}
    assert kinds == {"same-and-different"}


def test_nothing_is_reported() -> None:
    x = URIRef("http://example.org/x")
    graph = Graph()
    graph.add((x, RDF.type, OWL.Nothing))
    [item] = reason(graph).inconsistencies
    assert item.kind == "nothing"
    assert item.resources == (str(x),)


def test_other_owlrl_errors_are_kept() -> None:
    p, x, y = (URIRef(f"http://example.org/{n}") for n in "pxy")
    graph = Graph()
    graph.add((p, RDF.type, OWL.AsymmetricProperty))
    graph.add((x, p, y))
    graph.add((y, p, x))
    items = reason(graph).inconsistencies
    assert items
    assert {item.kind for item in items} == {"owl-rl"}
    assert all(item.message.startswith("OWL-RL: ") for item in items)


def test_two_operators_merging_two_manufacturers_is_reported() -> None:
    """A second operator for a plant (functional akg:operator) makes OWL-RL merge Mitsubishi and Nissan: the
    project's IRIs name different things, so this is reported, with the cause."""
    from rdflib import Graph

    from alliance_kg import resources
    from alliance_kg.loading import parse_files

    graph = parse_files(resources.ontology_files())
    graph.parse(
        data="""@prefix akg: <https://w3id.org/alliance-kg/ontology#> .
        @prefix plant: <https://w3id.org/alliance-kg/id/plant/> .
        @prefix manufacturer: <https://w3id.org/alliance-kg/id/manufacturer/> .
        plant:p a akg:Plant ; akg:operator manufacturer:a , manufacturer:b .
        manufacturer:a a akg:Manufacturer .
        manufacturer:b a akg:Manufacturer .
        <http://example.org/x> <http://www.w3.org/2002/07/owl#sameAs> <http://example.org/y> .
        """,
        format="turtle",
    )
    merged = [i for i in reason(graph).inconsistencies if i.kind == "merged-individuals"]
    assert [i.resources for i in merged] == [
        ("https://w3id.org/alliance-kg/id/manufacturer/a", "https://w3id.org/alliance-kg/id/manufacturer/b")
    ]
    assert "id:plant/p akg:operator both" in merged[0].message
    assert isinstance(graph, Graph)
