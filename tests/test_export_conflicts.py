"""What sources disagree on, in the exports (issue 10): the supply view's conflict attributes, the viewer's badge and
list of conflicting claims, and the timeline's disagreeing windows; on the claims fixture and on the project."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph
from testpaths import FIXTURES, REPO

from alliance_kg import resources
from alliance_kg.export import ATTRIBUTE_TYPES, draw_timeline, read, to_networkx, write
from alliance_kg.export.html import html_page
from alliance_kg.loading import ProjectGraphs, parse_files

ID = "https://w3id.org/alliance-kg/id/"
FIXTURE = FIXTURES / "claims" / "three-sources.ttl"
MAKER_A, MAKER_B = f"{ID}manufacturer/maker-a", f"{ID}manufacturer/maker-b"
PICKUP, BEV, SUV = (f"{ID}supply/{name}" for name in ("pickup-plant-one", "bev-north-america", "suv-plant-two"))
SVG = "{http://www.w3.org/2000/svg}"
DISPUTED_LEGEND = "a source's window that disagrees (the claims conflict)"


@pytest.fixture(scope="module")
def asserted() -> Graph:
    """The project's ontology and the fixture's facts, claims, reconciliations and conflicts."""
    return parse_files([*resources.ontology_files(), FIXTURE])


@pytest.fixture(scope="module")
def supply(asserted: Graph) -> nx.MultiDiGraph[str]:
    return to_networkx(asserted, "supply")


def edge(view: nx.MultiDiGraph[str], key: str) -> dict[str, Any]:
    [found] = [data for _, _, k, data in view.edges(keys=True, data=True) if k == key]
    return dict(found)


def svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def page_data(page: bytes) -> dict[str, Any]:
    text = page.decode("utf-8").split('<script type="application/json" id="akg-data">')[1].split("</script>")[0]
    document: dict[str, Any] = json.loads(text)
    return document


# -- the supply view ------------------------------------------------------------------------------------------------


def test_a_supply_whose_sources_disagree(supply: nx.MultiDiGraph[str]) -> None:
    bev = edge(supply, BEV)
    assert (bev["supplier"], bev["customer"]) == (MAKER_B, MAKER_A)  # the reconciled supplier, not the blog's
    assert bev["source_count"] == 3
    assert bev["conflict_count"] == 3
    assert bev["conflicts"].split("\n") == [
        "sales start: blog.example.id: 2027 (2027-01-01/2027-12-31)"
        " vs daily.example.fr: from H2 2026 (2026-07-01/2026-12-31)",
        "supplier: blog.example.id: Maker A vs daily.example.fr: Maker B",
        "supplier: blog.example.id: Maker A vs wire.example.com: Maker B",
    ]
    # the graph's sales window is H2 2026; the blog's 2027 lies wholly outside it
    assert (bev["sales_start_earliest"], bev["sales_start_latest"]) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert bev["sales_start_disputed"] == "2027-01-01/2027-12-31"
    assert bev["sales_start_disputed_by"] == "blog.example.id"
    assert "production_start_disputed" not in bev


def test_supplies_whose_sources_agree_have_no_conflict(supply: nx.MultiDiGraph[str]) -> None:
    pickup = edge(supply, PICKUP)
    # "fin décembre 2025" and "20 December 2025" agree: the narrower window, and no mark of a dispute
    assert pickup["production_start_earliest"] == pickup["production_start_latest"] == dt.date(2025, 12, 20)
    assert pickup["production_start"] == "20 December 2025"
    assert pickup["source_count"] == 2
    assert pickup["source_document"] == f"{ID}source/daily-2026-01 {ID}source/wire-2026-01"
    suv = edge(supply, SUV)
    for data in (pickup, suv):
        assert not {"conflict_count", "conflicts"} & set(data)
        assert not [name for name in data if name.endswith(("_disputed", "_disputed_by"))]


def test_the_entities_view_marks_conflicting_claims_and_their_subject(asserted: Graph) -> None:
    view = to_networkx(asserted, "entities")
    assert view.nodes[BEV]["conflict_count"] == 3
    assert "blog.example.id: Maker A" in view.nodes[BEV]["conflicts"]
    blog_supplier = f"{ID}claim/blog-2026-01/supply/bev-north-america/supplier"
    assert view.nodes[blog_supplier]["conflict_count"] == 2  # with the daily's and the wire's claims
    assert view.nodes[f"{ID}claim/daily-2026-01/supply/bev-north-america/supplier"]["conflict_count"] == 1
    assert "conflict_count" not in view.nodes[f"{ID}claim/daily-2026-01/supply/pickup-plant-one/productionStart"]
    assert "conflict_count" not in view.nodes[PICKUP]


@pytest.mark.parametrize("view", ["supply", "entities"])
def test_conflict_attributes_are_declared_and_typed(asserted: Graph, view: str) -> None:
    projection = to_networkx(asserted, view)
    elements = [data for _, data in projection.nodes(data=True)] + [d for _, _, d in projection.edges(data=True)]
    seen = set()
    for data in elements:
        for name, value in data.items():
            assert type(value) is ATTRIBUTE_TYPES[name], (name, value)
            seen.add(name)
    assert {"conflict_count", "conflicts"} <= seen


@pytest.mark.parametrize("format", ["graphml", "gexf", "json", "csv"])
def test_conflicts_survive_the_file_formats(supply: nx.MultiDiGraph[str], format: str, tmp_path: Path) -> None:
    write(supply, tmp_path / f"supply.{format}", format)
    back = read(tmp_path / f"supply.{format}", format)
    bev = edge(back, BEV)
    assert bev["conflict_count"] == 3
    assert bev["conflicts"] == edge(supply, BEV)["conflicts"]
    assert bev["sales_start_disputed"] == "2027-01-01/2027-12-31"


def test_the_view_is_the_same_in_french_but_for_the_labels(asserted: Graph) -> None:
    french = edge(to_networkx(asserted, "supply", lang="fr"), BEV)
    lines = french["conflicts"].split("\n")
    assert lines[0] == (
        "début de commercialisation: blog.example.id: 2027 (2027-01-01/2027-12-31)"
        " vs daily.example.fr: à partir du second semestre 2026 (2026-07-01/2026-12-31)"
    )
    assert lines[1].endswith(": blog.example.id: Constructeur A vs daily.example.fr: Constructeur B")
    assert french["sales_start_disputed"] == "2027-01-01/2027-12-31"


# -- the viewer -----------------------------------------------------------------------------------------------------


def test_the_viewer_badges_what_sources_disagree_on(supply: nx.MultiDiGraph[str]) -> None:
    page = html_page(supply)
    data = page_data(page)
    assert data["conflicts"] == 1  # one supply
    edges = {e["data"]["key"]: e["data"] for e in data["elements"]["edges"]}
    assert edges[BEV]["display"] == "\u26a0 3 Battery EV"
    assert edges[PICKUP]["display"] == "Pickup"
    assert edges[BEV]["conflicts"] == edge(supply, BEV)["conflicts"]
    text = page.decode("utf-8")
    assert "Sources disagree" in text  # the details panel's list of conflicting claims
    assert 'id="conflicts"' in text
    assert html_page(supply) == page  # byte-deterministic


def test_a_viewer_without_conflicts_shows_no_badge(asserted: Graph) -> None:
    quiet = to_networkx(asserted, "supply")
    quiet.remove_edge(MAKER_B, MAKER_A, key=BEV)
    data = page_data(html_page(quiet))
    assert data["conflicts"] == 0
    assert not any("\u26a0" in e["data"]["display"] for e in data["elements"]["edges"])


# -- the timeline ---------------------------------------------------------------------------------------------------


def test_the_timeline_draws_the_disagreeing_window(supply: nx.MultiDiGraph[str]) -> None:
    data = draw_timeline(supply, format="svg")
    text = svg_text(data)
    assert "blog.example.id disagrees" in text
    assert DISPUTED_LEGEND in text
    assert "supply name: sources disagree" in text  # the battery EV's name, in vermillion
    assert "20 December 2025" in text  # the reconciled window of the pickup
    assert "#d55e00" in data.decode("utf-8").lower()  # the vermillion outline of the hatched window
    assert draw_timeline(supply, format="svg") == data  # byte-deterministic
    png = draw_timeline(supply, format="png")
    assert png.startswith(b"\x89PNG")
    assert draw_timeline(supply, format="png") == png


def test_a_timeline_without_disagreement_has_no_disputed_legend(supply: nx.MultiDiGraph[str]) -> None:
    quiet = supply.copy()
    for name in ("sales_start_disputed", "sales_start_disputed_by"):
        del quiet.edges[MAKER_B, MAKER_A, BEV][name]
    text = svg_text(draw_timeline(quiet, format="svg"))
    assert "disagrees" not in text
    assert DISPUTED_LEGEND not in text
    assert "supply name: sources disagree" in text  # the supplier is still disputed
    for name in ("conflict_count", "conflicts"):
        del quiet.edges[MAKER_B, MAKER_A, BEV][name]
    assert "sources disagree" not in svg_text(draw_timeline(quiet, format="svg"))


# -- the viewer in a browser ----------------------------------------------------------------------------------------


def test_the_viewer_in_a_browser_lists_the_conflicting_claims(supply: nx.MultiDiGraph[str], tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from test_export_browser import ARTIFACTS, headless_chromium, problems

    [path] = write(supply, tmp_path / "supply.html", "html")
    with headless_chromium() as driver:
        driver.get(path.as_uri())
        button = driver.find_element(By.ID, "conflicts")
        assert button.is_displayed()
        assert button.text == "\u26a0 sources disagree (1)"
        assert driver.execute_script("return window.akgViewer.showConflicts()") == [
            driver.execute_script(
                "var key = arguments[0];"
                " return window.akgViewer.cy.edges().filter(function (e) { return e.data('key') === key; })[0].id()",
                BEV,
            )
        ]
        driver.execute_script(
            "var key = arguments[0]; window.akgViewer.cy.edges().filter(function (e) {"
            " return e.data('key') === key; }).emit('tap');",
            BEV,
        )
        details = driver.find_element(By.ID, "details").text
        assert "Sources disagree" in details
        assert "supplier: blog.example.id: Maker A vs daily.example.fr: Maker B" in details
        items = driver.find_elements(By.CSS_SELECTOR, "#details ul.conflicts li")
        assert len(items) == 3
        ARTIFACTS.mkdir(exist_ok=True)
        assert driver.save_screenshot(str(ARTIFACTS / "viewer-conflicts.png"))
        assert problems(driver) == []


# -- the project ----------------------------------------------------------------------------------------------------

PROJECT_CLAIMS = REPO / "data" / "claims"
ARTICLE_CLAIMS = PROJECT_CLAIMS / "mitsubishi-nissan-oem-2026.ttl"
OTHER_SOURCES = sorted(path for path in PROJECT_CLAIMS.glob("*.ttl") if path != ARTICLE_CLAIMS)
needs_claims = pytest.mark.skipif(
    not (REPO / "alliance_kg" / "claims.py").is_file() or not ARTICLE_CLAIMS.is_file(),
    reason="the project's claims (alliance_kg/claims.py, data/claims/mitsubishi-nissan-oem-2026.ttl) are not there",
)


@pytest.fixture(scope="module")
def project_supply(project: ProjectGraphs) -> nx.MultiDiGraph[str]:
    graph = Graph()
    for part in (project.ontology, project.facts):
        for triple in part:
            graph.add(triple)
    return to_networkx(graph, "supply")


@needs_claims
def test_the_navara_production_start_is_not_disputed(project_supply: nx.MultiDiGraph[str]) -> None:
    navara = edge(project_supply, f"{ID}supply/navara-laem-chabang")
    assert "production_start_disputed" not in navara  # "fin décembre 2025" holds the reports' 20 December
    assert navara["source_count"] >= 1
    assert f"{ID}source/mitsubishi-nissan-oem-2026" in navara["source_document"]


@needs_claims
@pytest.mark.skipif(not OTHER_SOURCES, reason="the other sources' claims (data/claims/<report>.ttl) are not there")
def test_the_leaf_derived_evs_supplier_conflict_is_shown(project_supply: nx.MultiDiGraph[str]) -> None:
    leaf = edge(project_supply, f"{ID}supply/leaf-derived-bev-north-america")
    assert leaf["conflict_count"] >= 1
    supplier = [line for line in leaf["conflicts"].split("\n") if line.startswith("supplier:")]
    assert any("babeindonesia.com" in line for line in supplier)
    data = page_data(html_page(project_supply))
    assert data["conflicts"] >= 1
