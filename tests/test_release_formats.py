"""Issue 9: every RDF file of a release parses back to the same graph as the others, literal for literal.

The TriG file used to be Turtle text indented line by line, so a multi-line literal (the ontology's
``dcterms:description``) gained four spaces per line in the TriG and not in the Turtle.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from testpaths import FIXTURES, MINI_ONTOLOGY, MINI_SHAPES

from alliance_kg.build import ENRICHMENT_FILE, RELEASE_FILES, BuildResult, build
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY
from alliance_kg.store import quiet_dataset_warnings
from alliance_kg.wikidata.enrich import GRAPH_WIKIDATA

#: What each RDF file of a release holds: the asserted graph (ontology + facts) or the inferred one.
#: A release file in an RDF format that is missing here fails :func:`test_every_rdf_release_file_is_checked`.
ASSERTED_FILES = ("alliance-kg.ttl", "alliance-kg.nt")
INFERRED_FILES = ("alliance-kg-inferred.ttl",)
DATASET_FILES = ("alliance-kg.trig",)
OTHER_FILES = ("validation-report.ttl", "summary.json")

RDF_SUFFIXES = (".ttl", ".nt", ".trig", ".nq", ".jsonld", ".rdf", ".owl", ".xml", ".n3")

#: Literals a line-by-line rewrite of serialised text would damage: continuation lines that start with
#: spaces, a blank line, a tab, trailing spaces, quotes and a backslash.
MULTI_LINE = (
    'First line\n    indented second line\n\n\tafter a blank line and a tab  \nwith "quotes" and \\ a backslash'
)
MULTI_LINE_FR = "Première ligne\n  deuxième ligne"

EXTRA_ONTOLOGY = f"""\
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix akg: <https://w3id.org/alliance-kg/ontology#> .

<https://w3id.org/alliance-kg/ontology> dcterms:description {Literal(MULTI_LINE).n3()} .
akg:Plant rdfs:comment {Literal(MULTI_LINE_FR, lang="fr").n3()} .
"""


def _dataset(path: Path) -> Dataset:
    dataset = Dataset()
    with quiet_dataset_warnings():
        dataset.parse(path, format="trig")
    return dataset


def _named(dataset: Dataset, *names: str) -> Graph:
    union = Graph()
    for name in names:
        for triple in dataset.graph(URIRef(name)):
            union.add(triple)
    return union


def _graph_names(dataset: Dataset) -> set[str]:
    with quiet_dataset_warnings():
        return {str(graph.identifier) for graph in dataset.graphs() if len(graph)}


def _diff(first: Graph, second: Graph) -> str:
    a, b = set(to_isomorphic(first)), set(to_isomorphic(second))
    only_a = sorted(" ".join(term.n3() for term in t) for t in a - b)[:3]
    only_b = sorted(" ".join(term.n3() for term in t) for t in b - a)[:3]
    return f"only in first: {only_a}; only in second: {only_b}"


def assert_same_graph(first: Graph, second: Graph, what: str) -> None:
    assert len(first) == len(second), f"{what}: {len(first)} != {len(second)} triples"
    assert isomorphic(first, second), f"{what}: {_diff(first, second)}"


def assert_release_formats_agree(out_dir: Path) -> None:
    """Every RDF file of the release in ``out_dir`` holds the graph the others hold."""
    asserted = Graph().parse(out_dir / "alliance-kg.ttl", format="turtle")
    inferred = Graph().parse(out_dir / "alliance-kg-inferred.ttl", format="turtle")
    assert len(asserted) > 0
    assert len(inferred) > 0
    for name in ASSERTED_FILES:
        assert_same_graph(Graph().parse(out_dir / name), asserted, f"{name} vs alliance-kg.ttl")
    for name in INFERRED_FILES:
        assert_same_graph(Graph().parse(out_dir / name), inferred, f"{name} vs alliance-kg-inferred.ttl")
    for name in DATASET_FILES:
        dataset = _dataset(out_dir / name)
        expected_names = {GRAPH_ONTOLOGY, GRAPH_FACTS, GRAPH_INFERRED}
        if (out_dir / ENRICHMENT_FILE).exists():
            expected_names.add(GRAPH_WIKIDATA)
            enrichment = Graph().parse(out_dir / ENRICHMENT_FILE, format="turtle")
            assert_same_graph(_named(dataset, GRAPH_WIKIDATA), enrichment, f"{name} enrichment graph")
        assert _graph_names(dataset) == expected_names
        assert_same_graph(_named(dataset, GRAPH_ONTOLOGY, GRAPH_FACTS), asserted, f"{name} ontology+facts")
        assert_same_graph(_named(dataset, GRAPH_INFERRED), inferred, f"{name} inferred graph")


def test_every_rdf_release_file_is_checked() -> None:
    """A release file added later in an RDF format must be added to the comparison above."""
    checked = {*ASSERTED_FILES, *INFERRED_FILES, *DATASET_FILES}
    assert checked | set(OTHER_FILES) == set(RELEASE_FILES)
    rdf_files = {name for name in RELEASE_FILES if name.endswith(RDF_SUFFIXES)}
    assert rdf_files - {"validation-report.ttl"} == checked


def test_project_release_formats_agree(project_release: BuildResult) -> None:
    assert_release_formats_agree(project_release.out_dir)


@pytest.fixture(scope="module")
def multi_line_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("multi-line")
    extra = folder / "ontology-extra.ttl"
    extra.write_text(EXTRA_ONTOLOGY, encoding="utf-8")
    out_dir = folder / "dist"
    build(
        out_dir,
        data_paths=[FIXTURES / "facts-good.ttl"],
        ontology_paths=[MINI_ONTOLOGY, extra],
        shape_paths=[MINI_SHAPES],
        enrichment_path=folder / "no-enrichment.ttl",
    )
    return out_dir


def test_multi_line_literal_release_formats_agree(multi_line_release: Path) -> None:
    assert_release_formats_agree(multi_line_release)


@pytest.mark.parametrize("name", ["alliance-kg.ttl", "alliance-kg.nt", "alliance-kg.trig"])
def test_multi_line_literals_survive_exactly(multi_line_release: Path, name: str) -> None:
    path = multi_line_release / name
    graph = _named(_dataset(path), GRAPH_ONTOLOGY) if name.endswith(".trig") else Graph().parse(path)
    ontology = URIRef("https://w3id.org/alliance-kg/ontology")
    plant = URIRef("https://w3id.org/alliance-kg/ontology#Plant")
    assert list(graph.objects(ontology, URIRef("http://purl.org/dc/terms/description"))) == [Literal(MULTI_LINE)]
    comments = list(graph.objects(plant, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
    assert comments == [Literal(MULTI_LINE_FR, lang="fr")]


def test_project_description_is_the_same_in_turtle_and_trig(project_release: BuildResult) -> None:
    """The reported case: the ontology's multi-line ``dcterms:description``."""
    ontology = URIRef("https://w3id.org/alliance-kg/ontology")
    description = URIRef("http://purl.org/dc/terms/description")
    turtle = set(Graph().parse(project_release.out_dir / "alliance-kg.ttl").objects(ontology, description))
    trig = set(
        _named(_dataset(project_release.out_dir / "alliance-kg.trig"), GRAPH_ONTOLOGY).objects(ontology, description)
    )
    assert turtle
    assert any("\n" in str(value) for value in turtle)
    assert trig == turtle
