"""Static drawings (PNG, SVG) of a projection, for a slide.

Nodes are placed by a seeded spring layout (the same graph always gives the
same picture), coloured by their ``group`` attribute with a legend, and
labelled with their ``label``. Parallel edges (several supplies between the
same two manufacturers) are drawn as separate arcs; in small graphs each
edge is labelled too (a supply by its vehicle). matplotlib runs headless
(the Agg canvas, never pyplot), and SVG and PNG files carry no timestamps.
"""

from __future__ import annotations

import io
import textwrap
from collections import defaultdict
from typing import Any, Final

import networkx as nx

__all__ = ["GROUP_COLOURS", "colour_of", "draw", "layout"]

#: Colours for the groups of every view (colour-blind friendly: the Okabe-Ito and Tableau palettes).
GROUP_COLOURS: Final = {
    "Manufacturer": "#D55E00",
    "Alliance": "#CC79A7",
    "Cooperation": "#F0E442",
    "CooperationArea": "#BDB76B",
    "Plant": "#0072B2",
    "Vehicle": "#009E73",
    "OEMSupplyAgreement": "#E69F00",  # the group of every supply: akg:OEMSupply is a kind of agreement
    "OEMSupply": "#E69F00",
    "SupplyStatus": "#999999",
    "GeographicArea": "#56B4E9",
    "Country": "#56B4E9",
    "Market": "#9467BD",
    "SourceDocument": "#8C564B",
    "StatedDate": "#7F7F7F",
    "DateQualifier": "#C7C7C7",
    "Benefit": "#17BECF",
    "StrategicObjective": "#BCBD22",
    "IRI": "#1F77B4",
    "literal": "#FF7F0E",
    "blank node": "#7F7F7F",
}
_OTHER_COLOURS: Final = ("#AEC7E8", "#FFBB78", "#98DF8A", "#FF9896", "#C5B0D5", "#C49C94", "#F7B6D2", "#DBDB8D")

#: From this many nodes on, a component is laid out with ForceAtlas2 instead of the spring layout.
_SPRING_LIMIT: Final = 500

#: Edge attributes that name a supply edge best in a drawing, in order of preference.
_EDGE_LABELS: Final = ("vehicle_label", "vehicle_labels", "label")


def colour_of(group: str) -> str:
    """The colour of a group (a fixed one for the known groups, a stable one for others)."""
    if group in GROUP_COLOURS:
        return GROUP_COLOURS[group]
    return _OTHER_COLOURS[sum(map(ord, group)) % len(_OTHER_COLOURS)]


def _component_layout(component: nx.Graph[str], seed: int) -> dict[str, tuple[float, float]]:
    """Positions of one connected component, centred on (0, 0), about sqrt(size) wide."""
    nodes = sorted(component.nodes)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-0.8, 0.0), nodes[1]: (0.8, 0.0)}
    scale = max(1.0, len(nodes) ** 0.5 / 2)
    if len(nodes) >= _SPRING_LIMIT:
        # networkx's spring layout needs scipy from 500 nodes on; ForceAtlas2 needs only numpy
        found = nx.rescale_layout_dict(nx.forceatlas2_layout(component, seed=seed, max_iter=100), scale=scale)
    else:
        found = nx.spring_layout(component, seed=seed, k=2.5 / len(nodes) ** 0.5, iterations=300, scale=scale)
    return {str(node): (float(x), float(y)) for node, (x, y) in found.items()}


def _layered(graph: nx.MultiDiGraph[str], layers: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """Columns by group (``layers`` left to right); the middle column sorted by label, the others by neighbours."""
    columns: dict[str, list[str]] = {layer: [] for layer in layers}
    attributes: dict[str, dict[str, Any]] = {str(node): dict(data) for node, data in graph.nodes(data=True)}
    for node in sorted(attributes, key=lambda n: (str(attributes[n].get("label", "")), n)):
        columns.setdefault(str(attributes[node].get("group", "")), []).append(node)
    middle = layers[len(layers) // 2]
    rank = {node: index for index, node in enumerate(columns[middle])}
    positions: dict[str, tuple[float, float]] = {}
    for x, layer in enumerate(columns):
        nodes = columns[layer]
        if layer != middle:

            def barycentre(node: str) -> float:
                near = [rank[n] for n in nx.all_neighbors(graph, node) if n in rank]
                return sum(near) / len(near) if near else float(len(rank))

            nodes = sorted(nodes, key=lambda node: (barycentre(node), str(graph.nodes[node].get("label", ""))))
        for y, node in enumerate(nodes):
            positions[node] = (1.6 * x, -(y - (len(nodes) - 1) / 2))
    return positions


#: Views drawn in columns by group, left to right, rather than with a spring layout.
LAYERED_VIEWS: Final = {"footprint": ("Country", "Plant", "Market")}


def layout(graph: nx.MultiDiGraph[str], *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic positions: columns for the views in :data:`LAYERED_VIEWS`, else a seeded spring layout.

    For the spring layout, each connected component is laid out on its own
    (nodes and edges in sorted order) and the components are put side by
    side, largest first; isolated nodes are lined up below, so that nothing is
    pushed into a corner.
    """
    layers = LAYERED_VIEWS.get(str(graph.graph.get("view", "")))
    if layers is not None:
        return _layered(graph, layers)
    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in graph.edges() if u != v))
    components = sorted(
        (sorted(c) for c in nx.connected_components(simple) if len(c) > 1), key=lambda c: (-len(c), c[0])
    )
    isolated = sorted(node for node in simple.nodes if simple.degree(node) == 0)
    positions: dict[str, tuple[float, float]] = {}
    x_offset = 0.0
    for members in components:
        local = _component_layout(simple.subgraph(members), seed)
        xs = [x for x, _ in local.values()]
        left, width = min(xs), max(xs) - min(xs)
        for node, (x, y) in local.items():
            positions[node] = (x_offset + (x - left), y)
        x_offset += width + 1.2
    if not components:
        x_offset = 2.0
    bottom = min((y for _, y in positions.values()), default=0.0) - (0.8 if positions else 0.0)
    total = max(x_offset - 1.2, 0.0)
    for index, node in enumerate(isolated):
        x = total * (index + 0.5) / len(isolated) if len(isolated) > 1 else total / 2
        positions[node] = (x, bottom)
    return positions


def _short(text: str, width: int) -> str:
    return textwrap.shorten(text, width=width, placeholder="…")


def _node_label(text: str, big: bool) -> str:
    """A big graph's labels sit under small nodes on one line; a small graph's wrap inside large nodes."""
    return _short(text, 30) if big else textwrap.fill(_short(text, 36), 10)


def draw(graph: nx.MultiDiGraph[str], *, format: str = "png", title: str | None = None) -> bytes:
    """Draw ``graph`` and return the ``png`` or ``svg`` file's bytes."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    count = graph.number_of_nodes()
    big = count > 20
    size = (16.0, 10.0) if big else (12.0, 7.5)
    positions = layout(graph)

    with matplotlib.rc_context({"svg.hashsalt": "alliance-kg", "svg.fonttype": "none", "font.size": 10}):
        figure = Figure(figsize=size, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        axes.set_axis_off()

        groups = sorted({str(data.get("group", "")) for _, data in graph.nodes(data=True)})
        node_size = 380 if big else 3400
        for group in groups:
            members = sorted(n for n, d in graph.nodes(data=True) if str(d.get("group", "")) == group)
            nx.draw_networkx_nodes(
                graph,
                positions,
                nodelist=members,
                node_color=colour_of(group),
                node_size=node_size,
                edgecolors="#333333",
                linewidths=0.8,
                ax=axes,
            )

        # parallel edges get arcs of growing curvature, so that each stays visible
        bundles: dict[frozenset[str], list[tuple[str, str, str, dict[str, Any]]]] = defaultdict(list)
        for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
            bundles[frozenset((u, v))].append((u, v, key, data))
        label_edges = graph.number_of_edges() <= 12
        batches: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)  # one drawing call per style
        edge_labels: list[tuple[tuple[str, str], str, str]] = []
        for bundle in bundles.values():
            for index, (u, v, _key, data) in enumerate(bundle):
                offset = index - (len(bundle) - 1) / 2
                rad = 0.0 if len(bundle) == 1 else 0.18 * offset
                # an edge drawn from the other end bends the other way: keep arcs apart whatever the direction
                if u > v:
                    rad = -rad
                style = f"arc3,rad={rad:.3f}"
                batches[(style, "#B0B0B0" if data.get("inferred") else "#555555")].append((u, v))
                if label_edges:
                    text = next((str(data[name]) for name in _EDGE_LABELS if name in data), "")
                    edge_labels.append(((u, v), style, _short(text, 40)))
        for (style, colour), edgelist in sorted(batches.items()):
            nx.draw_networkx_edges(
                graph,
                positions,
                edgelist=edgelist,
                connectionstyle=style,
                edge_color=colour,
                width=0.8 if big else 1.6,
                arrows=True,
                arrowsize=8 if big else 18,
                node_size=node_size,
                ax=axes,
            )
        for edge, style, text in edge_labels:  # after the edges, so that they sit on top
            nx.draw_networkx_edge_labels(
                graph,
                positions,
                edge_labels={edge: text},
                connectionstyle=style,
                font_size=8.5,
                rotate=False,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9},
                ax=axes,
            )

        labels = {node: _node_label(str(data.get("label", node)), big) for node, data in graph.nodes(data=True)}
        nx.draw_networkx_labels(
            graph,
            {n: (x, y - 0.06) for n, (x, y) in positions.items()} if big else positions,
            labels=labels,
            font_size=7 if big else 11,
            verticalalignment="top" if big else "center",
            ax=axes,
        )
        if positions:
            xs = [x for x, _ in positions.values()]
            ys = [y for _, y in positions.values()]
            pad_x = 0.12 * (max(xs) - min(xs)) + 0.3
            pad_y = 0.12 * (max(ys) - min(ys)) + 0.3
            axes.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
            axes.set_ylim(min(ys) - pad_y, max(ys) + pad_y)

        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=10,
                markerfacecolor=colour_of(g),
                markeredgecolor="#333333",
                label=g or "(none)",
            )
            for g in groups
        ]
        axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, title="class")
        view = str(graph.graph.get("view", ""))
        heading = title or f"alliance-kg: {view} view" if view else (title or "alliance-kg")
        axes.set_title(heading, fontsize=15, loc="left")

        buffer = io.BytesIO()
        metadata: dict[str, Any] = {"Software": None} if format == "png" else {"Date": None, "Creator": None}
        figure.savefig(buffer, format=format, dpi=150, metadata=metadata)
    return buffer.getvalue()
