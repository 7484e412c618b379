"""The end-of-run summary, whichever engine ran it (a crawl, ``clippings reextract``): per
site, what was fetched, written, updated, skipped, dropped and why, and the errors; every
line within 80 columns.

::

    site              pages  written  updated  skipped  dropped   errors
    le360                28       21        0        0        1        0
      dropped: video 1
      no title 0/21, no lead 0/21, no section 0/21, no tags 0/21, no image 1/21,
        no date 0/21, no author 0/21, no body 0/21, errors 0/28, refused 0/21
    almaghribtoday       22       17        0        0        0        0
      no title 0/17, no lead 17/17, no section 0/17, no tags 12/17, no image 0/17,
        no date 0/17, no author 0/17, no body 0/17, errors 0/22, refused 0/17
    output: output

``written`` counts the lines written, ``updated`` those of them that are an article written
again because it changed; ``skipped`` the articles not written because the collection has
them (``seen``: not even fetched; ``unchanged``: fetched, same text; ``not_modified``: a 304;
``dropped_before``: known not to be an article) or because they are out of the requested
dates (``out_of_range``); ``dropped`` what was not written for another reason, by reason.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from clippings.core.health import health_figures, shown
from clippings.core.stats import SKIPPED, site_prefix, stat_key

WIDTH = 80

# What ``skipped`` adds up (``clippings.core.stats.SKIPPED``), in the order the detail line names them.

# The site column: 18 characters holds every registered name (almaghribtoday_en) in 80 columns.
SITE_COLUMN = 18
HEADER = f"{'site':<{SITE_COLUMN}}{'pages':>7}{'written':>9}{'updated':>9}{'skipped':>9}{'dropped':>9}{'errors':>9}"


def _site_counts(stats: dict[str, Any], site: str) -> dict[str, int]:
    prefix = site_prefix(site)
    return {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int)}


def _under(counts: dict[str, int], group: str) -> dict[str, int]:
    return {k.split("/", 1)[1]: v for k, v in counts.items() if k.startswith(f"{group}/") and v}


def _detail(label: str, figures: dict[str, int]) -> list[str]:
    if not figures:
        return []
    text = f"{label}: " + ", ".join(f"{name} {count}" for name, count in figures.items())
    return textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False)


def site_summary(stats: dict[str, Any], site: str) -> tuple[str, list[str]]:
    """The table row of one site and its detail lines."""
    counts = _site_counts(stats, site)
    skipped_by = {name: counts.get(f"skipped/{name}", 0) for name in SKIPPED}
    skipped_by = {name: count for name, count in skipped_by.items() if count}
    dropped = dict(sorted(_under(counts, "dropped").items()))
    errors = dict(sorted(_under(counts, "errors").items()))
    pages = stats.get("response_received_count", 0)
    row = (
        f"{site:<{SITE_COLUMN}}{pages:>7}{counts.get('written', 0):>9}{counts.get('updated', 0):>9}"
        f"{sum(skipped_by.values()):>9}{sum(dropped.values()):>9}{sum(errors.values()):>9}"
    )
    details = _detail("skipped", skipped_by) + _detail("dropped", dropped) + _detail("errors", errors)
    if counts.get("skipped/max_articles"):
        details += _detail("not fetched", {"over max_articles": counts["skipped/max_articles"]})
    health = health_figures(stats, site)
    if any(total for check, (_, total) in health.items() if check.startswith("no_")):
        # A figure's name and counts stay on one line (no-break spaces while wrapping).
        text = ", ".join(part.replace(" ", "\xa0") for part in shown(health).split(", "))
        details += [
            line.replace("\xa0", " ")
            for line in textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="    ")
        ]
    return row, details


def _wrapped(line: str) -> list[str]:
    return textwrap.wrap(line, WIDTH, subsequent_indent="  ", break_on_hyphens=False) or [line]


def summary(runs: Iterable[tuple[str, dict[str, Any]]], output: Path) -> tuple[str, int]:
    """(text, exit status) for one run's (site, stats) pairs, whatever ran them: the stats of
    a Scrapy crawl or the same keys kept by ``clippings reextract`` (``response_received_count``
    the pages, ``finish_reason``, ``clippings/<site>/...``)."""
    lines = [HEADER]
    status = 0
    alarms = False
    notes: list[str] = []
    for site, stats in runs:
        row, details = site_summary(stats, site)
        lines += [row, *details]
        for alarm in stats.get(stat_key(site, "health/alarms")) or []:
            alarms = True
            notes += _wrapped(alarm)
        if stats.get("clippings/output_error"):
            notes.append(f"{site}: output failed: {stats['clippings/output_error']}")
            status = 1
        if stats.get("clippings/state_error"):
            notes.append(f"{site}: state failed: {stats['clippings/state_error']}")
            status = 1
        reason = stats.get("finish_reason")
        if reason == "shutdown":
            notes.append(f"{site}: stopped (shutdown): the pages not fetched are for the next run")
            status = status or 1
        elif reason == "forced":
            notes.append(f"{site}: forced to stop: the pages in flight were abandoned")
        elif reason not in ("finished", None):
            notes.append(f"{site}: crawl ended early ({reason})")
            status = status or 1
    lines += notes  # a failure names its file: a path is not cut
    status = status or (1 if alarms else 0)
    lines.append(f"output: {output}")
    return "\n".join(lines), status
