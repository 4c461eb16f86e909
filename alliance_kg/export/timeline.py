"""A timeline of the OEM supplies: production and sales starts on one time axis.

One row per supply (from the ``supply`` view). A start date the source gives
to the day is a diamond; one it gives to the month, quarter or half-year is
drawn as a span from its earliest to its latest possible day. A line from the
first possible start to the right edge shows the supply under way; supplies
whose source gives no date are listed with "no date stated".
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from typing import Any, Final

import networkx as nx

__all__ = ["draw_timeline"]

_COLOURS: Final = {"production_start": "#0072B2", "sales_start": "#E69F00"}
_NAMES: Final = {"production_start": "production start", "sales_start": "sales start"}


def _num(day: dt.date) -> float:
    """A day as matplotlib's date number."""
    import matplotlib.dates as mdates

    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _rows(graph: nx.MultiDiGraph[str]) -> list[dict[str, Any]]:
    rows = [dict(data) for _, _, data in graph.edges(data=True)]
    undated: Final = dt.date.max

    def first(row: dict[str, Any]) -> dt.date:
        dates = [row[f"{w}_earliest"] for w in _COLOURS if isinstance(row.get(f"{w}_earliest"), dt.date)]
        return min(dates) if dates else undated

    return sorted(rows, key=lambda row: (first(row), str(row.get("label", ""))))


def draw_timeline(graph: nx.MultiDiGraph[str], *, format: str = "png", title: str | None = None) -> bytes:
    """Draw the supplies of a ``supply`` view on a time axis; return the ``png`` or ``svg`` bytes."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rows = _rows(graph)
    dates = [row[name] for row in rows for name in row if isinstance(row[name], dt.date)]
    low = min(dates, default=dt.date(2026, 1, 1)) - dt.timedelta(days=45)
    high = max(dates, default=dt.date(2026, 12, 31)) + dt.timedelta(days=75)

    with matplotlib.rc_context({"svg.hashsalt": "alliance-kg", "svg.fonttype": "none", "font.size": 10}):
        figure = Figure(figsize=(13.0, 1.2 + 0.75 * max(len(rows), 1)), layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        for index, row in enumerate(rows):
            y = len(rows) - 1 - index
            starts = [row[f"{w}_earliest"] for w in _COLOURS if isinstance(row.get(f"{w}_earliest"), dt.date)]
            if not starts:
                axes.text(_num(low) + 10, y, "no date stated", va="center", color="#777777", style="italic")
                continue
            axes.plot([_num(min(starts)), _num(high)], [y, y], color="#CCCCCC", lw=2, zorder=1)
            for offset, window in zip((0.13, -0.13), _COLOURS, strict=True):
                earliest, latest = row.get(f"{window}_earliest"), row.get(f"{window}_latest")
                if not isinstance(earliest, dt.date) or not isinstance(latest, dt.date):
                    continue
                if earliest == latest:
                    axes.plot(_num(earliest), y + offset, marker="D", markersize=9, color=_COLOURS[window], zorder=3)
                else:
                    start, end = _num(earliest), _num(latest + dt.timedelta(days=1))
                    axes.broken_barh(
                        [(start, end - start)],
                        (y + offset - 0.11, 0.22),
                        facecolors=_COLOURS[window],
                        alpha=0.75,
                        zorder=2,
                    )
                stated = row.get(window)
                if stated:
                    axes.annotate(
                        str(stated), (_num(latest) + 4, y + offset), fontsize=8, va="center", color="#333333", zorder=4
                    )
        axes.set_yticks(range(len(rows)))
        axes.set_yticklabels([textwrap.fill(str(row.get("label", "")), 48) for row in reversed(rows)], fontsize=8.5)
        axes.set_ylim(-0.7, len(rows) - 0.3)
        axes.set_xlim(_num(low), _num(high))
        axes.xaxis.set_major_locator(mdates.MonthLocator())  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))  # type: ignore[no-untyped-call]
        axes.grid(axis="x", color="#EEEEEE")
        axes.spines[["top", "right"]].set_visible(False)
        handles = [
            Patch(facecolor=_COLOURS["production_start"], alpha=0.75, label="production start (span: uncertain)"),
            Patch(facecolor=_COLOURS["sales_start"], alpha=0.75, label="sales start (span: uncertain)"),
            Line2D([], [], marker="D", linestyle="", color="#555555", label="start stated to the day"),
            Line2D([], [], color="#CCCCCC", lw=2, label="under way from its first possible start"),
        ]
        axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, frameon=False)
        axes.set_title(title or "alliance-kg: OEM supplies over time", fontsize=14, loc="left")
        buffer = io.BytesIO()
        metadata: dict[str, Any] = {"Software": None} if format == "png" else {"Date": None, "Creator": None}
        figure.savefig(buffer, format=format, dpi=150, metadata=metadata)
    return buffer.getvalue()
