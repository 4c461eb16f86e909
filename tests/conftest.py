"""Shared fixtures: paths from this file, the project graphs built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance_kg.build import BuildResult, build
from alliance_kg.loading import ProjectGraphs, load_project

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent

MINI_ONTOLOGY = FIXTURES / "ontology-mini.ttl"
MINI_SHAPES = FIXTURES / "shapes-mini.shapes.ttl"


@pytest.fixture(scope="session")
def project() -> ProjectGraphs:
    """The real project's ontology, shapes and data, parsed once."""
    return load_project()


@pytest.fixture(scope="session")
def project_release(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A release of the real project, built once per session."""
    return build(tmp_path_factory.mktemp("release") / "dist")


def mini_build_kwargs() -> dict[str, list[Path]]:
    """Build arguments for the small fixture project (ontology + shapes)."""
    return {"ontology_paths": [MINI_ONTOLOGY], "shape_paths": [MINI_SHAPES]}
