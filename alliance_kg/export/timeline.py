"""A timeline of the OEM supplies: production and sales starts on one time axis.

One row per supply (from the ``supply`` view). A start date the source gives
to the day is a diamond; one it gives to the month, quarter or half-year is
drawn as a span from its earliest to its latest possible day. A line from the
first possible start to the right edge shows the supply under way; supplies
whose source gives no date are listed with "no date stated".

The window drawn is the graph's, reconciled from its sources' claims. Where a
source's window lies wholly outside it (the ``*_disputed`` attributes of the
``supply`` view: the source disagrees, the claims conflict), that window is
drawn too, hatched and outlined in vermillion, with the source's name; a
supply whose sources disagree on anything (``conflict_count``) has its name in
vermillion.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from typing import Any, Final

import networkx as nx

__all__ = ["draw_timeline"]

_COLOURS: Final = {"production_start": "#0072B2", "sales_start": "#E69F00"}
_DISPUTED: Final = "#D55E00"  # vermillion (Okabe-Ito, like the two above): a source's window that disagrees
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


def _disputed(row: dict[str, Any], window: str) -> list[tuple[dt.date, dt.date, str]]:
    """The windows of the sources that disagree with the row's ``window`` (ISO 8601 intervals), with their names."""
    intervals = str(row.get(f"{window}_disputed", "")).split()
    names = str(row.get(f"{window}_disputed_by", "")).split(" | ")
    found = []
    for index, interval in enumerate(intervals):
        start, _, end = interval.partition("/")
        name = names[index] if index < len(names) else ""
        found.append((dt.date.fromisoformat(start), dt.date.fromisoformat(end), name))
    return found


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
    dates += [
        day for row in rows for window in _COLOURS for first, last, _ in _disputed(row, window) for day in (first, last)
    ]
    disputes = False
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
                # beside the graph's window, on the outer side (production above, sales below)
                outer = y + offset + (0.2 if offset > 0 else -0.2)
                for start_day, end_day, name in _disputed(row, window):
                    disputes = True
                    start, end = _num(start_day), _num(end_day + dt.timedelta(days=1))
                    axes.broken_barh(
                        [(start, end - start)],
                        (outer - 0.08, 0.16),
                        facecolors="none",
                        edgecolors=_DISPUTED,
                        hatch="////",
                        linewidth=1.2,
                        zorder=2,
                    )
                    axes.annotate(
                        f"{name} disagrees" if name else "a source disagrees",
                        (end + 4, outer),
                        fontsize=8,
                        va="center",
                        color=_DISPUTED,
                        zorder=4,
                    )
                stated = row.get(window)
                if stated:
                    axes.annotate(
                        str(stated), (_num(latest) + 4, y + offset), fontsize=8, va="center", color="#333333", zorder=4
                    )
        axes.set_yticks(range(len(rows)))
        axes.set_yticklabels([textwrap.fill(str(row.get("label", "")), 48) for row in reversed(rows)], fontsize=8.5)
        disputed_rows = False
        for tick, row in zip(axes.get_yticklabels(), reversed(rows), strict=True):
            if row.get("conflict_count"):  # sources disagree on something about the supply: its name in vermillion
                tick.set_color(_DISPUTED)
                disputed_rows = True
        axes.set_ylim(-0.7, len(rows) - 0.3)
        axes.set_xlim(_num(low), _num(high))
        months = (high.year - low.year) * 12 + high.month - low.month
        every = 1 if months <= 20 else 2 if months <= 40 else 3  # month labels that do not overlap
        axes.xaxis.set_major_locator(mdates.MonthLocator(interval=every))  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))  # type: ignore[no-untyped-call]
        axes.grid(axis="x", color="#EEEEEE")
        axes.spines[["top", "right"]].set_visible(False)
        handles = [
            Patch(facecolor=_COLOURS["production_start"], alpha=0.75, label="production start (span: uncertain)"),
            Patch(facecolor=_COLOURS["sales_start"], alpha=0.75, label="sales start (span: uncertain)"),
            Line2D([], [], marker="D", linestyle="", color="#555555", label="start stated to the day"),
            Line2D([], [], color="#CCCCCC", lw=2, label="under way from its first possible start"),
        ]
        if disputed_rows:
            handles.append(Line2D([], [], color=_DISPUTED, lw=0, marker="s", label="supply name: sources disagree"))
        if disputes:
            handles.append(
                Patch(
                    facecolor="none",
                    edgecolor=_DISPUTED,
                    hatch="////",
                    label="a source's window that disagrees (the claims conflict)",
                )
            )
        axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, frameon=False)
        axes.set_title(title or "alliance-kg: OEM supplies over time", fontsize=14, loc="left")
        buffer = io.BytesIO()
        metadata: dict[str, Any] = {"Software": None} if format == "png" else {"Date": None, "Creator": None}
        figure.savefig(buffer, format=format, dpi=150, metadata=metadata)
    return buffer.getvalue()
