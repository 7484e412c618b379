"""The crawl's stats keys: ``clippings/<key>`` for the whole crawl and ``clippings/<site>/<key>``
for one site, built here only. Imports no Scrapy: ``stats`` is anything with Scrapy's
``StatsCollector`` methods (``inc_value``, ``get_value``, ``set_value``), or a plain dict
through ``DictStats``."""

from __future__ import annotations

from typing import Any

EXAMPLES = 3  # example URLs kept for each drop reason and error kind

# What ``skipped`` means everywhere an operator reads it (the summary, the run history,
# ``status``, ``report``): articles known and unchanged, or out of the requested dates, by
# reason (``skipped/<reason>``). The crawl's other ``skipped/...`` counts (a link listed
# twice, a sitemap or feed unchanged) are its own bookkeeping, left in Scrapy's stats.
SKIPPED = ("seen", "unchanged", "not_modified", "out_of_range", "dropped_before")


def skipped_total(by_reason: Any) -> int:
    """The articles skipped, from a ``{reason: count}`` (a run-history line's ``skipped``):
    only the reasons of ``SKIPPED`` (an older line may hold others)."""
    if not isinstance(by_reason, dict):
        return 0
    return sum(v for k, v in by_reason.items() if k in SKIPPED and isinstance(v, int))


def stat_key(site: str | None, name: str) -> str:
    """``clippings/<site>/<name>``, or ``clippings/<name>`` for the whole crawl."""
    return f"clippings/{site}/{name}" if site else f"clippings/{name}"


def site_prefix(site: str, group: str = "") -> str:
    """``clippings/<site>/`` (``clippings/<site>/<group>/``): what a site's keys start with."""
    return f"clippings/{site}/{group}/" if group else f"clippings/{site}/"


def site_stat(stats: dict[str, Any], site: str, name: str) -> int:
    """One site's count from a finished run's stats (0 when absent)."""
    value = stats.get(stat_key(site, name), 0)
    return value if isinstance(value, int) else 0


def count(stats: Any, name: str, site: str | None = None, value: int = 1, example: str | None = None) -> None:
    """Count ``name`` for the crawl and, with ``site``, for the site; ``example``: a URL kept
    as one of up to EXAMPLES examples of it (drops and errors, for the run history)."""
    stats.inc_value(stat_key(None, name), value)
    if site:
        stats.inc_value(stat_key(site, name), value)
        if example is not None:
            add_example(stats, site, name, example)


def add_example(stats: Any, site: str, name: str, url: str) -> None:
    """Keep ``url`` as an example of ``name`` (``dropped/<reason>``, ``errors/<kind>``), up
    to EXAMPLES of each."""
    examples = stat_key(site, f"examples/{name}")
    kept = stats.get_value(examples) or []
    if len(kept) < EXAMPLES and url not in kept:
        stats.set_value(examples, [*kept, url])


class DictStats:
    """A plain dict of stats (``clippings reextract``'s) behind the ``StatsCollector`` methods
    that ``count`` and ``add_example`` use."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count
