"""The HTML viewer in a real headless browser (Debian's chromium, driven by selenium through chromedriver).

Needs ``apt-get install -y chromium chromium-driver`` and selenium (the ``test`` extra). Without them the tests
fail when ``CI`` is set and are skipped (with the reason) otherwise. The page is opened from ``file://`` with every
network feature of chromium switched off; a screenshot is saved in ``tests/artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph

from alliance_kg.export import to_networkx, write
from alliance_kg.loading import ProjectGraphs

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ID = "https://w3id.org/alliance-kg/id/"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
)


def _require_browser() -> None:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).is_file()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[test]')")
    if missing:
        message = f"browser test needs {', '.join(missing)}: apt-get install -y chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with headless_chromium() as browser:
        yield browser


@contextlib.contextmanager
def headless_chromium() -> Iterator[Any]:
    """Debian's chromium driven by selenium, in a profile of its own that is removed afterwards."""
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="akg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def entities(project: ProjectGraphs) -> nx.MultiDiGraph:
    asserted = Graph()
    for part in (project.ontology, project.facts):
        for triple in part:
            asserted.add(triple)
    return to_networkx(asserted, "entities")


@pytest.fixture(scope="module")
def page(driver: Any, entities: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Any:
    [path] = write(entities, tmp_path_factory.mktemp("html") / "entities.html", "html")
    driver.get(path.as_uri())
    driver.execute_script("return window.akgViewer.cy.nodes().length")  # the viewer is up
    return driver


def problems(driver: Any) -> list[dict[str, Any]]:
    return [entry for entry in driver.get_log("browser") if entry["level"] in {"SEVERE", "WARNING"}]


def test_page_loads_without_console_errors(page: Any) -> None:
    assert problems(page) == []
    assert page.title == "alliance-kg: entities view"


def test_page_shows_the_expected_nodes(page: Any, entities: nx.MultiDiGraph) -> None:
    shown = page.execute_script("return window.akgViewer.cy.nodes().map(function (n) { return n.id(); })")
    assert sorted(shown) == sorted(entities.nodes)
    edges = page.execute_script("return window.akgViewer.cy.edges().length")
    assert edges == entities.number_of_edges()
    label = page.execute_script(f"return window.akgViewer.cy.getElementById('{ID}plant/okazaki').data('label')")
    assert label == "Okazaki plant"
    # every node is inside the visible part of the canvas after the initial fit
    box = page.execute_script(
        "var b = window.akgViewer.cy.nodes().renderedBoundingBox(); return [b.x1, b.y1, b.x2, b.y2]"
    )
    width, height = page.execute_script("var c = window.akgViewer.cy; return [c.width(), c.height()]")
    left, top, right, bottom = box
    assert min(left, top) >= -1
    assert right <= width + 1
    assert bottom <= height + 1


def test_search(page: Any, entities: nx.MultiDiGraph) -> None:
    from selenium.webdriver.common.by import By

    box = page.find_element(By.ID, "search")
    box.clear()
    box.send_keys("Laem")
    found = page.execute_script("return window.akgViewer.cy.nodes('.match').map(function (n) { return n.id(); })")
    expected = {
        node
        for node, data in entities.nodes(data=True)
        if any("laem" in str(data.get(k, "")).lower() for k in ("label", "label_en", "label_fr", "iri", "wikidata"))
    }
    assert set(found) == expected
    assert f"{ID}plant/laem-chabang" in expected
    faded = page.execute_script("return window.akgViewer.cy.nodes('.faded').length")
    assert faded == entities.number_of_nodes() - len(expected)
    box.clear()
    page.execute_script("window.akgViewer.search('')")
    assert page.execute_script("return window.akgViewer.cy.elements('.faded').length") == 0


def test_filter_by_class(page: Any, entities: nx.MultiDiGraph) -> None:
    from selenium.webdriver.common.by import By

    vehicles = sum(1 for _, data in entities.nodes(data=True) if data["group"] == "Vehicle")
    checkbox = page.find_element(By.CSS_SELECTOR, '#filters input[data-group="Vehicle"]')
    checkbox.click()
    hidden = page.execute_script(
        "return window.akgViewer.cy.nodes().filter(function (n) { return n.style('display') === 'none'; })"
        ".map(function (n) { return n.data('group'); })"
    )
    assert hidden == ["Vehicle"] * vehicles
    count = page.find_element(By.ID, "count").text
    assert count == f"{entities.number_of_nodes() - vehicles} of {entities.number_of_nodes()} nodes shown"
    checkbox.click()
    assert page.execute_script("return window.akgViewer.cy.nodes(':hidden').length") == 0


def test_click_a_node_shows_its_details(page: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    node = f"{ID}vehicle/nissan-livina"
    x, y = page.execute_script(
        "var cy = window.akgViewer.cy, n = cy.getElementById(arguments[0]);"
        "cy.stop(true, true); cy.zoom(1.5); cy.center(n); var p = n.renderedPosition(); return [p.x, p.y];",
        node,
    )
    canvas = page.find_element(By.ID, "cy")
    rect = canvas.rect
    ActionChains(page).move_to_element_with_offset(
        canvas, int(x - rect["width"] / 2), int(y - rect["height"] / 2)
    ).click().perform()
    details = page.find_element(By.ID, "details")
    assert details.find_element(By.CSS_SELECTOR, "h2").text == "Nissan Livina"
    assert details.find_element(By.CSS_SELECTOR, ".label-en").text == "Nissan Livina"
    assert details.find_element(By.CSS_SELECTOR, ".label-fr").text == "Nissan Livina"
    link = details.find_element(By.CSS_SELECTOR, "a.wikidata")
    assert link.text == "Q1993748"
    assert link.get_attribute("href") == "https://www.wikidata.org/wiki/Q1993748"
    sentence = details.find_element(By.CSS_SELECTOR, ".source-sentence").text
    assert sentence.startswith("Le constructeur produit aussi la Nissan Livina dans son usine de Jakarta")
    ARTIFACTS.mkdir(exist_ok=True)
    page.execute_script("window.akgViewer.cy.fit(undefined, 40)")
    assert page.save_screenshot(str(ARTIFACTS / "viewer-entities.png"))
    assert problems(page) == []


def test_supply_viewer(driver: Any, project: ProjectGraphs, tmp_path: Path) -> None:
    asserted = Graph()
    for part in (project.ontology, project.facts):
        for triple in part:
            asserted.add(triple)
    [path] = write(to_networkx(asserted, "supply"), tmp_path / "supply.html", "html")
    driver.get(path.as_uri())
    # the 4 supplies: the kei and light-commercial-vehicle agreements have no stated direction (issue 10)
    assert driver.execute_script("return window.akgViewer.cy.edges().length") == 4
    driver.execute_script(
        "var key = arguments[0]; window.akgViewer.cy.edges().filter(function (e) {"
        " return e.data('key') === key; }).emit('tap');",
        f"{ID}supply/navara-laem-chabang",
    )
    from selenium.webdriver.common.by import By

    text = driver.find_element(By.ID, "details").text
    assert "Navara built by Mitsubishi Motors for Nissan at Laem Chabang" in text
    # the reports' day, 20 December 2025, which "fin décembre 2025" allows (issue 10; was its 16 December)
    assert "2025-12-20" in text
    assert "2025-12-16" not in text
    ARTIFACTS.mkdir(exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / "viewer-supply.png"))
    assert problems(driver) == []
