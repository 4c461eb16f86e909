"""An interactive viewer in one self-contained HTML file.

The page (template ``viewer.html``) inlines Cytoscape.js (``vendor/``, MIT,
with its licence) and the graph as Cytoscape.js JSON, so it opens from disk
with no network: a Content-Security-Policy forbids every fetch. It offers pan
and zoom, a search box (label, English and French labels, IRI, Wikidata id),
a filter by class (the ``group`` attribute), and a details panel that shows
a clicked node's or edge's labels, Wikidata link and source sentences. Node
positions are those of the static drawing (:func:`drawing.layout`), so the
page and the PNG look alike and the page is the same for the same graph.

Facts that sources disagree on (a ``conflict_count`` attribute: a supply
whose claims conflict, or a claim that conflicts with another source's) are
drawn in vermillion with a badge, "⚠ N", before their name; the header counts
them (click to show them alone), and the details panel lists the conflicting
claims with their sources (the ``conflicts`` attribute, one pair a line).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from importlib import resources
from typing import Any, Final

import networkx as nx

from alliance_kg.export.drawing import colour_of, layout
from alliance_kg.export.formats import cytoscape_elements

__all__ = ["CYTOSCAPE_VERSION", "html_page"]

CYTOSCAPE_VERSION: Final = "3.34.4"
_PACKAGE: Final = resources.files("alliance_kg.export")
_SCALE: Final = 260.0  # layout units to pixels (small graphs)
_SCALE_BIG: Final = 120.0  # ... and graphs of more than 20 nodes, whose layout spreads wider
_BADGE: Final = "\u26a0"  # the warning sign before the name of what sources disagree on


def _badged(text: str, data: dict[str, Any]) -> str:
    """``text`` with the conflict badge (``⚠ 2 ...``) when ``data`` has conflicts."""
    count = data.get("conflict_count")
    return f"{_BADGE} {count} {text}".rstrip() if isinstance(count, int) and count > 0 else text


def _display(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _script_json(document: Any) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def html_page(graph: nx.MultiDiGraph[str], *, title: str | None = None) -> bytes:
    """The viewer page for ``graph`` as UTF-8 bytes."""
    document = cytoscape_elements(graph)
    positions = layout(graph)
    scale = _SCALE_BIG if graph.number_of_nodes() > 20 else _SCALE
    stretch = 1.6 if graph.number_of_nodes() > 20 else 1.0  # a screen is wider than tall
    for node in document["elements"]["nodes"]:
        data = node["data"]
        x, y = positions.get(data["id"], (0.0, 0.0))
        node["position"] = {"x": round(x * scale * stretch, 2), "y": round(-y * scale, 2)}
        data["colour"] = colour_of(str(data.get("group", "")))
        data["display"] = _badged(_display(str(data.get("label", data["id"])), 34), data)
    for edge in document["elements"]["edges"]:
        data = edge["data"]
        name = str(data.get("vehicle_label", data.get("vehicle_labels", data.get("label", ""))))
        data["display"] = _badged(_display(name), data)
    counts = Counter(str(data.get("group", "")) for _, data in graph.nodes(data=True))
    document["groups"] = [{"name": g, "colour": colour_of(g), "count": counts[g]} for g in sorted(counts)]
    elements = [*document["elements"]["nodes"], *document["elements"]["edges"]]
    document["conflicts"] = sum(1 for element in elements if element["data"].get("conflict_count", 0) > 0)

    view = str(graph.graph.get("view", ""))
    heading = title or (f"alliance-kg: {view} view" if view else "alliance-kg")
    template = (_PACKAGE / "viewer.html").read_text(encoding="utf-8")
    library = (_PACKAGE / "vendor" / "cytoscape.min.js").read_text(encoding="utf-8")
    licence = (_PACKAGE / "vendor" / "cytoscape.LICENSE").read_text(encoding="utf-8")
    values = {
        "TITLE": html.escape(heading),
        "CYTOSCAPE_VERSION": CYTOSCAPE_VERSION,
        "CYTOSCAPE_LICENSE": licence.strip(),
        "DATA": _script_json(document),
        "CYTOSCAPE": library,
    }
    # one pass: text put in (the data, the library) is never searched for placeholders
    page = re.sub(r"\{\{([A-Z_]+)\}\}", lambda match: values[match.group(1)], template)
    return page.encode("utf-8")
