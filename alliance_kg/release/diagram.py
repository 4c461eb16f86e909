"""The model diagram of the ontology documentation, drawn from the ontology graph.

:func:`model_edges` reads the ontology's own object properties that have one class of the ontology as
``rdfs:domain`` and one as ``rdfs:range`` (an inverse property is left out when the property it inverts is
drawn). :func:`svg` draws them as an SVG picture, written as text here (boxes, arrows, labels) so that the same
ontology always gives the same bytes: the layout is networkx's spring layout with a fixed seed, rounded to whole
pixels. :func:`mermaid` gives the same edges as the source of a mermaid flowchart (the README's form).
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Final

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from alliance_kg.namespaces import AKG

__all__ = ["Edge", "mermaid", "model_edges", "svg"]

_WIDTH: Final = 1100
_HEIGHT: Final = 760
_MARGIN: Final = 90
_CHAR: Final = 7.4  # px per character of the 12 px sans-serif labels, near enough for a box around them
_BOX_HEIGHT: Final = 26


@dataclass(frozen=True, order=True)
class Edge:
    """One object property drawn from its domain class to its range class."""

    domain: URIRef
    prop: URIRef
    range: URIRef


def _local(term: URIRef) -> str:
    text = str(term)
    return text[len(str(AKG)) :] if text.startswith(str(AKG)) else text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _own(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(AKG))


def model_edges(ontology: Graph) -> list[Edge]:
    """The edges of the model diagram (see the module docstring), sorted."""
    candidates: list[Edge] = []
    for prop in sorted(ontology.subjects(RDF.type, OWL.ObjectProperty), key=str):
        if not _own(prop):
            continue
        domains = [d for d in ontology.objects(prop, RDFS.domain) if _own(d)]
        ranges = [r for r in ontology.objects(prop, RDFS.range) if _own(r)]
        if len(domains) == 1 and len(ranges) == 1:
            assert isinstance(prop, URIRef)
            candidates.append(Edge(URIRef(str(domains[0])), prop, URIRef(str(ranges[0]))))
    drawn = {edge.prop for edge in candidates}
    kept: list[Edge] = []
    for edge in candidates:
        inverses = {*ontology.objects(edge.prop, OWL.inverseOf), *ontology.subjects(OWL.inverseOf, edge.prop)}
        # of two inverse properties, draw the one whose IRI sorts first
        if any(other in drawn and str(other) < str(edge.prop) for other in inverses):
            continue
        kept.append(edge)
    return sorted(kept)


def mermaid(edges: list[Edge]) -> str:
    """The edges as a mermaid flowchart."""
    lines = ["flowchart LR"]
    for edge in edges:
        lines.append(f"  {_local(edge.domain)} -- akg:{_local(edge.prop)} --> {_local(edge.range)}")
    return "\n".join(lines) + "\n"


def _layout(edges: list[Edge]) -> dict[URIRef, tuple[int, int]]:
    import networkx as nx

    graph: nx.Graph[URIRef] = nx.Graph()
    nodes = sorted({edge.domain for edge in edges} | {edge.range for edge in edges}, key=str)
    graph.add_nodes_from(nodes)
    graph.add_edges_from((edge.domain, edge.range) for edge in edges if edge.domain != edge.range)
    if not nodes:
        return {}
    positions = nx.spring_layout(graph, seed=7, iterations=300, k=2.2 / math.sqrt(max(len(nodes), 1)))
    xs = [float(positions[node][0]) for node in nodes]
    ys = [float(positions[node][1]) for node in nodes]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        node: (
            round(_MARGIN + (float(positions[node][0]) - min(xs)) / span_x * (_WIDTH - 2 * _MARGIN)),
            round(_MARGIN + (float(positions[node][1]) - min(ys)) / span_y * (_HEIGHT - 2 * _MARGIN)),
        )
        for node in nodes
    }


def _clip(x1: float, y1: float, x2: float, y2: float, half_width: float) -> tuple[float, float]:
    """Where the segment from the box centred at (x2, y2) towards (x1, y1) leaves that box."""
    dx, dy = x1 - x2, y1 - y2
    if dx == 0 and dy == 0:
        return x2, y2
    half_height = _BOX_HEIGHT / 2 + 3
    scale = min(half_width / abs(dx) if dx else math.inf, half_height / abs(dy) if dy else math.inf)
    return x2 + dx * scale, y2 + dy * scale


def _f(value: float) -> str:
    return f"{value:.1f}"


def svg(edges: list[Edge], *, title: str = "model") -> str:
    """The edges drawn as an SVG picture (see the module docstring)."""
    positions = _layout(edges)
    half_widths = {node: (len(_local(node)) * _CHAR + 20) / 2 for node in positions}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" width="{_WIDTH}" '
        f'height="{_HEIGHT}" role="img" aria-label="{html.escape(title)}" font-family="sans-serif" font-size="12">',
        f"<title>{html.escape(title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ]
    totals: dict[frozenset[URIRef], int] = defaultdict(int)
    for edge in edges:
        totals[frozenset((edge.domain, edge.range))] += 1
    pairs: dict[frozenset[URIRef], int] = defaultdict(int)
    for edge in edges:
        (x1, y1), (x2, y2) = positions[edge.domain], positions[edge.range]
        label = html.escape(f"akg:{_local(edge.prop)}")
        key = frozenset((edge.domain, edge.range))
        index = pairs[key]
        pairs[key] += 1
        if edge.domain == edge.range:  # loops above the box, each one higher
            top = y1 - _BOX_HEIGHT / 2
            high = 46 + 34 * index
            parts.append(
                f'<path d="M{_f(x1 - 14)},{_f(top)} C{_f(x1 - 44)},{_f(top - high)} {_f(x1 + 44)},{_f(top - high)} '
                f'{_f(x1 + 14)},{_f(top)}" fill="none" stroke="#555" marker-end="url(#arrow)"/>'
            )
            parts.append(
                f'<text x="{_f(x1)}" y="{_f(top - high * 0.75 - 4)}" text-anchor="middle" fill="#333" stroke="#fff" '
                f'stroke-width="3" paint-order="stroke">{label}</text>'
            )
            continue
        # parallel edges bend apart, evenly around the straight line; an edge is bent the same way whichever
        # way it points
        bend = (index - (totals[key] - 1) / 2) * 56
        if str(edge.domain) > str(edge.range):
            bend = -bend
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        nx_, ny_ = -(y2 - y1) / length, (x2 - x1) / length
        cx, cy = (x1 + x2) / 2 + nx_ * bend, (y1 + y2) / 2 + ny_ * bend
        sx, sy = _clip(cx, cy, x1, y1, half_widths[edge.domain])
        ex, ey = _clip(cx, cy, x2, y2, half_widths[edge.range])
        parts.append(
            f'<path d="M{_f(sx)},{_f(sy)} Q{_f(cx)},{_f(cy)} {_f(ex)},{_f(ey)}" fill="none" stroke="#555" '
            'marker-end="url(#arrow)"/>'
        )
        lx, ly = (sx + 2 * cx + ex) / 4, (sy + 2 * cy + ey) / 4
        parts.append(
            f'<text x="{_f(lx)}" y="{_f(ly)}" text-anchor="middle" fill="#333" stroke="#fff" stroke-width="3" '
            f'paint-order="stroke">{label}</text>'
        )
    for node in sorted(positions, key=str):
        x, y = positions[node]
        half = half_widths[node]
        name = html.escape(f"akg:{_local(node)}")
        parts.append(
            f'<a href="#{html.escape(_local(node))}"><rect x="{_f(x - half)}" y="{_f(y - _BOX_HEIGHT / 2)}" '
            f'width="{_f(2 * half)}" height="{_BOX_HEIGHT}" rx="5" fill="#eef3fb" stroke="#3a5a8c"/>'
            f'<text x="{x}" y="{_f(y + 4)}" text-anchor="middle" fill="#1b2d4a">{name}</text></a>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
