"""Shared fixtures: the project graphs built once per session (shared paths are in ``testpaths``)."""

from __future__ import annotations

import pytest

from alliance_kg.build import BuildResult, build
from alliance_kg.loading import ProjectGraphs, load_project


@pytest.fixture(scope="session")
def project() -> ProjectGraphs:
    """The real project's ontology, shapes and data, parsed once."""
    return load_project()


@pytest.fixture(scope="session")
def project_release(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A release of the real project, built once per session."""
    return build(tmp_path_factory.mktemp("release") / "dist")
