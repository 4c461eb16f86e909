"""Paths the tests share, from this file (never the working directory), and the small fixture project.

A module of its own, not ``conftest``: ``tests/wikidata/`` has a conftest too, and ``from conftest import``
would pick whichever of the two was imported first.
"""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent

MINI_ONTOLOGY = FIXTURES / "ontology-mini.ttl"
MINI_SHAPES = FIXTURES / "shapes-mini.shapes.ttl"


def mini_build_kwargs() -> dict[str, list[Path]]:
    """Build arguments for the small fixture project (ontology + shapes)."""
    return {"ontology_paths": [MINI_ONTOLOGY], "shape_paths": [MINI_SHAPES]}
