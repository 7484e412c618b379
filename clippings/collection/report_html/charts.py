"""The report's charts: SVG drawn by matplotlib (``clippings[report]``), text turned into paths."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from html import escape
from itertools import pairwise
from typing import Any

from clippings.collection.overview import CHECKS, Overview, RunPoint

# Site colours, in site order; then the series of the run charts.
PALETTE = ("#1f6fb4", "#c8412c", "#2c9a5a", "#8a5cc2", "#b8860b", "#4a8f9c")


SERIES = {"written": "#1f6fb4", "skipped": "#9aa5b1", "dropped": "#e08a1e", "errors": "#c8412c"}


CHECK_COLOURS = {
    "title": "#555555",
    "lead": "#d08a1c",
    "section": "#17a0a8",
    "tags": "#c2568a",
    "image": "#8c6d31",
    "date": "#2c9a5a",
    "author": "#8a5cc2",
    "body": "#1f6fb4",
}


ALARM = "#c8412c"


class MissingPlotting(ImportError):
    """matplotlib is not installed: ``pip install 'clippings[report]'``."""


def matplotlib_module() -> Any:
    try:
        import matplotlib
        from matplotlib.figure import Figure  # noqa: F401  (the object-oriented API: no pyplot state)
    except ImportError:
        raise MissingPlotting(
            "the HTML report draws its charts with matplotlib: pip install 'clippings[report]'"
        ) from None
    return matplotlib


# --- charts -------------------------------------------------------------------------------------
def _svg(figure: Any, label: str) -> str:
    """The figure as inline SVG markup: no XML prolog, no DOCTYPE, no metadata, scaled to the
    page's width."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(
        r'<svg([^>]*?) width="([\d.]+)pt" height="([\d.]+)pt"',
        lambda m: (
            f'<svg{m.group(1)} role="img" aria-label="{escape(label)}" preserveAspectRatio="xMinYMin meet"'
            f' style="width:100%;max-width:{float(m.group(2)) * 4 / 3:.0f}px;height:auto"'
        ),
        svg,
        count=1,
    )
    return svg.strip()


def _figure(rows: int, height: float = 2.3) -> tuple[Any, list[Any]]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9.5, max(1, rows) * height + 0.6), layout="constrained")
    axes = figure.subplots(max(1, rows), 1, squeeze=False)[:, 0].tolist()
    return figure, axes


def _time_axis(axis: Any, moments: list[datetime]) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=3, maxticks=8)
    axis.xaxis.set_major_locator(locator)
    axis.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    low, high = min(moments), max(moments)
    if high - low < timedelta(hours=2):
        low, high = low - timedelta(hours=1), high + timedelta(hours=1)
    pad = (high - low) * 0.04
    axis.set_xlim(low - pad, high + pad)


def _whole_numbers(axis: Any) -> None:
    """Counts on the y axis: whole numbers only (never 0.5 of a page)."""
    from matplotlib.ticker import MaxNLocator

    axis.yaxis.set_major_locator(MaxNLocator(integer=True))


def _bar_width(moments: list[datetime]) -> timedelta:
    """A bar a run: most of the shortest gap between two runs, and never thinner than a
    three-hundredth of the time shown (runs close together overlap rather than vanish)."""
    span = max(moments) - min(moments) if moments else timedelta(0)
    gaps = [b - a for a, b in pairwise(moments) if b > a]
    return max(min(gaps, default=timedelta(hours=1)) * 0.8, span / 300, timedelta(minutes=10))


def _style(axis: Any) -> None:
    axis.grid(axis="y", color="#e3e6ea", linewidth=0.8)
    axis.set_axisbelow(True)
    for side in ("top", "right"):
        axis.spines[side].set_visible(False)


def _run_line(axis: Any, moments: list[datetime], values: list[float], colour: str, label: str) -> None:
    """One series over a site's runs, a point per run."""
    axis.plot(moments, values, marker="o", markersize=3.5, linewidth=1.4, color=colour, label=label)


def _legend(axis: Any, fontsize: int = 8) -> None:
    """The legend right of the plot, outside it."""
    axis.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=fontsize)


def _per_site(o: Overview, height: float = 2.3) -> tuple[Any, list[tuple[Any, str, list[RunPoint], list[datetime]]]]:
    """A figure with a plot for each site that has runs: (plot, site, its runs, their ends)."""
    sites = [s for s in o.sites if o.runs.get(s)]
    figure, axes = _figure(len(sites), height)
    ends = {site: [p.finished for p in o.runs[site]] for site in sites}
    return figure, [(axis, site, o.runs[site], ends[site]) for axis, site in zip(axes, sites, strict=False)]


def chart_per_day(o: Overview) -> str:
    figure, (axis,) = _figure(1, 2.8)
    days = o.window_days()
    bottom = [0] * len(days)
    for n, site in enumerate(o.sites):
        counts = [o.per_day.get(site, {}).get(day, 0) for day in days]
        axis.bar(
            days, counts, bottom=bottom, width=0.85, color=PALETTE[n % len(PALETTE)], label=f"{site} ({sum(counts)})"
        )
        bottom = [b + c for b, c in zip(bottom, counts, strict=False)]
    _time_axis(axis, [datetime.combine(d, datetime.min.time()) for d in days])
    axis.set_ylim(0, max(max(bottom, default=0), 1) * 1.15)
    axis.set_ylabel("articles")
    axis.set_title(f"Articles per day of publication, {o.first_day} to {o.today}", loc="left", fontsize=11)
    if o.sites:
        _legend(axis, 9)
    _style(axis)
    return _svg(figure, "articles per day per site")


def _mark_failures(axis: Any, points: list[RunPoint]) -> bool:
    marked = False
    for point in points:
        if point.status != "ok":
            axis.axvline(point.finished, color=ALARM, linestyle="--", linewidth=1, alpha=0.8)
            marked = True
    return marked


def chart_runs(o: Overview) -> str:
    figure, panels = _per_site(o)
    for axis, site, points, moments in panels:
        for name, colour in SERIES.items():
            _run_line(axis, moments, [getattr(p, name) for p in points], colour, name)
        if _mark_failures(axis, points):
            axis.plot([], [], color=ALARM, linestyle="--", linewidth=1, label="failed or alarm")
        _time_axis(axis, moments)
        axis.set_ylim(bottom=0)
        _whole_numbers(axis)
        axis.set_title(f"{site}: {len(points)} runs", loc="left", fontsize=10)
        _legend(axis)
        _style(axis)
    return _svg(figure, "each run over time: written, skipped, dropped, errors")


def chart_coverage(o: Overview) -> str:
    figure, panels = _per_site(o)
    for axis, site, points, moments in panels:
        for check in CHECKS:
            values = [p.coverage[check] * 100 if p.coverage[check] is not None else float("nan") for p in points]
            label = {"author": "with an author", "image": "with an image", "tags": "with tags"}.get(
                check, f"with a {check}"
            )
            _run_line(axis, moments, values, CHECK_COLOURS[check], label)
        alarmed = [p for p in points if p.alarms]
        if alarmed:
            axis.plot(
                [p.finished for p in alarmed],
                [2] * len(alarmed),
                linestyle="none",
                marker="X",
                markersize=9,
                color=ALARM,
                label="alarm",
            )
            for point in alarmed:
                axis.axvline(point.finished, color=ALARM, linestyle="--", linewidth=1, alpha=0.8)
        _time_axis(axis, moments)
        axis.set_ylim(0, 105)
        axis.set_ylabel("% of articles")
        axis.set_title(f"{site}: field coverage per run", loc="left", fontsize=10)
        _legend(axis)
        _style(axis)
    return _svg(figure, "field coverage per run, alarms marked")


def chart_body_sources(o: Overview) -> str:
    figure, panels = _per_site(o, 2.0)
    for axis, site, points, moments in panels:
        sources = sorted({s for p in points for s in p.body_sources}, key=lambda s: (s != "ans", s))
        width = _bar_width(moments)
        bottom = [0.0] * len(points)
        for n, source in enumerate(sources):
            shares = [
                (p.body_sources.get(source, 0) / total * 100) if (total := sum(p.body_sources.values())) else 0.0
                for p in points
            ]
            axis.bar(moments, shares, bottom=bottom, width=width, color=PALETTE[n % len(PALETTE)], label=source)
            bottom = [b + s for b, s in zip(bottom, shares, strict=False)]
        _time_axis(axis, moments)
        axis.set_ylim(0, 105)
        axis.set_ylabel("% of bodies")
        axis.set_xlabel("each run at its end (a run that wrote nothing has no bar)", fontsize=8)
        axis.set_title(f"{site}: where the bodies came from", loc="left", fontsize=10)
        if sources:
            _legend(axis)
        _style(axis)
    return _svg(figure, "where the bodies came from, per run")
