"""pySHACL's verdict on each shape fixture, computed once per test session and shared by the test modules.

``tests/test_shapes.py`` checks that each fixture means what it says; ``tests/test_shacl_sparql.py`` checks that the
SPARQL validator gives the same results. Both need pySHACL's report for every fixture (about a second each), so
they read it here rather than each running pySHACL again.
"""

from __future__ import annotations

import functools
from pathlib import Path

from rdflib import Graph

from alliance_kg.loading import load_project
from alliance_kg.validation import ValidationReport, validate


@functools.cache
def project_graphs() -> tuple[Graph, Graph, Graph]:
    """The project's facts, ontology and shapes (parsed once)."""
    project = load_project()
    return project.facts, project.ontology, project.shapes


@functools.cache
def fixture_graph(path: Path) -> Graph:
    """A fixture's triples (not to be changed by callers)."""
    return Graph().parse(path, format="turtle")


@functools.cache
def fixture_report(path: Path) -> ValidationReport:
    """pySHACL's report on a fixture, validated with the ontology as data and no inference."""
    _facts, ontology, shapes = project_graphs()
    return validate(fixture_graph(path), shapes=shapes, ontology=ontology)
