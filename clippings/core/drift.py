"""A run against the site's last runs: a field whose coverage falls, or whose values fall
outside what those runs had. Imports no Scrapy.

The baseline is read from the run history before the run (``clippings.collection.runs.read_runs``): the
site's last ``HISTORY_RUNS`` runs that ended normally. A field's coverage (the share of
article pages, or of articles written, that have it: 1 - its ``no_<field>`` share) more than
``CLIPPINGS_HEALTH_MAX_DROP`` below the median of those runs alarms; so does a run whose
articles carry, on more than ``CLIPPINGS_HEALTH_MAX_NEW_VALUES`` of them, a value of a
``VALUE_FIELDS`` field (the section) that none of those runs had. A figure is compared only
when at least ``MIN_RUNS`` of those runs counted it on ``CLIPPINGS_HEALTH_MIN_PAGES`` or more,
and this run too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Any

from clippings.core.config import DEFAULTS
from clippings.core.health import FIELD_FIGURES, VALUE_FIELDS, WHAT, figure_values, health_figures
from clippings.core.stats import site_stat

HISTORY_RUNS = 10  # the site's last runs the baseline is taken from
MIN_RUNS = 3  # fewer judged runs than this: no baseline for the figure
USUAL_SHOWN = 3  # the usual values an alarm names

DROP_SETTING = "CLIPPINGS_HEALTH_MAX_DROP"
NEW_VALUES_SETTING = "CLIPPINGS_HEALTH_MAX_NEW_VALUES"


@dataclass(frozen=True)
class Baseline:
    """What the site's last runs had: each figure's usual share (the median), and the values
    of each ``VALUE_FIELDS`` field with the articles that had them."""

    runs: int = 0
    shares: dict[str, float] = field(default_factory=dict)
    values: dict[str, dict[str, int]] = field(default_factory=dict)


def _normal(run: dict[str, Any]) -> bool:
    return run.get("finish_reason") in ("finished", None)


def baseline(runs: list[dict[str, Any]], site: str, min_pages: int) -> Baseline:
    """The baseline of ``site`` from its run history (``read_runs``' lines, oldest first)."""
    last = [run for run in runs if run.get("site") == site and _normal(run)][-HISTORY_RUNS:]
    shares: dict[str, float] = {}
    for figure in FIELD_FIGURES:
        seen = []
        for run in last:
            counted = (run.get("health") or {}).get(figure)
            if isinstance(counted, dict) and isinstance(counted.get("total"), int) and counted["total"] >= min_pages:
                seen.append(counted["count"] / counted["total"] if counted["total"] else 0.0)
        if len(seen) >= MIN_RUNS:
            shares[figure] = median(seen)
    values: dict[str, dict[str, int]] = {}
    for name in VALUE_FIELDS:
        held = [run["values"][name] for run in last if isinstance((run.get("values") or {}).get(name), dict)]
        if len(held) >= MIN_RUNS:
            merged: dict[str, int] = {}
            for kept in held:
                for value, count in kept.items():
                    merged[value] = merged.get(value, 0) + (count if isinstance(count, int) else 0)
            values[name] = merged
    return Baseline(len(last), shares, values)


def _percent(share: float) -> str:
    return f"{share:.0%}"


def drift_alarms(
    stats: dict[str, Any],
    site: str,
    base: Baseline,
    max_drop: float,
    max_new: float,
    min_pages: int,
    skip: frozenset[str] = frozenset(),
) -> list[str]:
    """The alarms of one site's run against ``base``: one line each, naming the field, the
    figure and its usual value. ``skip``: figures already alarmed on their threshold."""
    alarms = []
    figures = health_figures(stats, site)
    for figure, name in FIELD_FIGURES.items():
        count, total = figures[figure]
        usual = base.shares.get(figure)
        if usual is None or total < min_pages or figure in skip:
            continue
        had, usually = 1 - count / total, 1 - usual
        if round(usually - had, 9) > max_drop:  # a fall of exactly the threshold is within it
            counted = WHAT[figure].split(" had ")[0]  # "articles written", "article pages"
            alarms.append(
                f"{site}: {name} on {total - count} of {total} {counted} ({_percent(had)}), usually"
                f" {_percent(usually)} (median of its last {base.runs} runs), a fall over {DROP_SETTING}="
                f"{max_drop:g} — layout may have changed"
            )
    written = site_stat(stats, site, "written")
    values = figure_values(stats, site)
    for name in VALUE_FIELDS:
        known = base.values.get(name)
        if known is None or written < min_pages:
            continue
        new = {value: count for value, count in values.get(name, {}).items() if value not in known}
        articles = sum(new.values())
        if articles / written > max_new:
            ranked = sorted(new.items(), key=lambda kv: (-kv[1], kv[0]))
            named = f"{ranked[0][0]!r}" if len(ranked) == 1 else ", ".join(f"{v!r} ({c})" for v, c in ranked[:5])
            usual = sorted(known, key=lambda value: (-known[value], value))[:USUAL_SHOWN]
            alarms.append(
                f"{site}: {name} {named} on {articles} of {written} articles written ({_percent(articles / written)}),"
                f" a {name} none of its last {base.runs} runs had (usually {', '.join(usual)}), over"
                f" {NEW_VALUES_SETTING}={max_new:g} — layout may have changed"
            )
    return alarms


def drift_limits(settings: Any) -> tuple[float, float]:
    """(``CLIPPINGS_HEALTH_MAX_DROP``, ``CLIPPINGS_HEALTH_MAX_NEW_VALUES``) from ``settings``."""
    return settings.getfloat(DROP_SETTING, DEFAULTS[DROP_SETTING]), settings.getfloat(
        NEW_VALUES_SETTING, DEFAULTS[NEW_VALUES_SETTING]
    )
