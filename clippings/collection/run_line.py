"""A run's history line: its fields with their DuckDB types (``RUN_COLUMNS``), and the line
built from a finished crawl's stats (``run_record``). Imports no Scrapy; the file the lines
go to is ``clippings.collection.runs``.

A line holds the run's id (Scrapyd's job id in ``job`` when there is one), site, start and
end (UTC), exit status and finish reason (``problems``: why the status is 1), pages,
articles written and updated (written again, changed), what was skipped, dropped and failed,
each by reason, with up to ``EXAMPLES`` URLs for each drop reason and error, the health
figures (each field's coverage, errors, refusals) and alarms, the most frequent values of
the fields whose values are judged (``values``: the sections, with their articles), the
source of each field counted, pages per minute and the peak memory of the crawl's process.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from clippings.core.health import FIELD_FIGURES, VALUE_FIELDS, figure_values, health_figures
from clippings.core.stamps import utc_stamp
from clippings.core.stats import SKIPPED, site_prefix, site_stat, stat_key

_HEALTH = "STRUCT(count BIGINT, total BIGINT, share DOUBLE)"
# The line's fields, in order, with their DuckDB types (the export's ``runs`` table).
RUN_COLUMNS: dict[str, str] = {
    "run_id": "VARCHAR",
    "job": "VARCHAR",
    "site": "VARCHAR",
    "started": "TIMESTAMPTZ",
    "finished": "TIMESTAMPTZ",
    "seconds": "DOUBLE",
    "exit_status": "INTEGER",
    "finish_reason": "VARCHAR",
    "outcome": "VARCHAR",
    "problems": "VARCHAR[]",
    "pages": "BIGINT",
    "written": "BIGINT",
    "updated": "BIGINT",
    "skipped": "MAP(VARCHAR, BIGINT)",
    "not_fetched": "MAP(VARCHAR, BIGINT)",
    "dropped": "MAP(VARCHAR, BIGINT)",
    "errors": "MAP(VARCHAR, BIGINT)",
    "examples": "MAP(VARCHAR, VARCHAR[])",
    "health": "STRUCT({})".format(", ".join(f"{name} {_HEALTH}" for name in (*FIELD_FIGURES, "errors", "refused"))),
    "values": "STRUCT({})".format(", ".join(f"{name} MAP(VARCHAR, BIGINT)" for name in VALUE_FIELDS)),
    "alarms": "VARCHAR[]",
    "sources": "MAP(VARCHAR, MAP(VARCHAR, BIGINT))",
    "pages_per_minute": "DOUBLE",
    "peak_rss_mb": "DOUBLE",
    "version": "VARCHAR",
}


def _by_reason(stats: dict[str, Any], site: str, group: str) -> dict[str, int]:
    prefix = site_prefix(site, group)
    return {
        key[len(prefix) :]: value
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and isinstance(value, int) and "/" not in key[len(prefix) :]
    }


def _sources(stats: dict[str, Any], site: str) -> dict[str, dict[str, int]]:
    prefix = site_prefix(site, "source")
    counted: dict[str, dict[str, int]] = {}
    for key, value in sorted(stats.items()):
        if key.startswith(prefix) and isinstance(value, int):
            field, _, source = key[len(prefix) :].partition("/")
            counted.setdefault(field, {})[source] = value
    return counted


# How a run ended (the line's ``outcome``): ``finished`` (to its end; alarms are said apart),
# ``stopped`` (a first Ctrl-C or SIGTERM, a Scrapyd cancel: the pages in flight finished),
# ``forced`` (a second one: ended at once), ``failed`` (its output or state could not be
# written, or it ended early for another reason). A run killed by SIGKILL leaves no line:
# its ``started`` mark (``clippings.state.marks``) says it was ``interrupted``.
OUTCOMES = ("finished", "stopped", "forced", "failed")
STOPPED_REASONS = {"shutdown": "stopped", "forced": "forced"}


def failures(stats: dict[str, Any]) -> list[str]:
    """Why a crawl failed, its alarms aside: its output could not be written, it ended early."""
    found = []
    if stats.get("clippings/output_error"):
        found.append(f"output failed: {stats['clippings/output_error']}")
    if stats.get("clippings/state_error"):
        found.append(f"state failed: {stats['clippings/state_error']}")
    reason = stats.get("finish_reason")
    if reason == "shutdown":
        found.append("stopped by a signal (shutdown): the pages in flight finished, nothing new was fetched")
    elif reason == "forced":
        found.append("forced to stop by a second signal: the pages in flight were abandoned")
    elif reason not in ("finished", None):
        found.append(f"crawl ended early ({reason})")
    return found


def outcome(stats: dict[str, Any]) -> str:
    """How the crawl whose stats these are ended: one of ``OUTCOMES``."""
    reason = stats.get("finish_reason")
    if reason in STOPPED_REASONS:
        return STOPPED_REASONS[reason]
    return "failed" if failures(stats) else "finished"


def package_version() -> str | None:
    """The installed clippings' version, for the history line (None when not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("clippings")
    except PackageNotFoundError:
        return None


def run_record(
    stats: dict[str, Any],
    site: str,
    *,
    run_id: str,
    job: str | None,
    started: datetime,
    finished: datetime,
    reason: str | None,
    peak_rss_mb: float | None,
    version: str | None = None,
    exit_status: int | None = None,
) -> dict[str, Any]:
    """The history line of one site's crawl, from its stats once it closed (the health
    extension has set its figures and alarms). ``exit_status``: the process's when it is
    not 0 or 1 (a forced stop's 130 or 143)."""
    stats = {**stats, "finish_reason": reason if reason is not None else stats.get("finish_reason")}
    alarms = list(stats.get(stat_key(site, "health/alarms")) or [])
    problems = failures(stats) + alarms
    seconds = max((finished - started).total_seconds(), 0.0)
    pages = stats.get("response_received_count", 0) or 0
    examples_prefix = site_prefix(site, "examples")
    return {
        "run_id": run_id,
        "job": job,
        "site": site,
        "started": utc_stamp(started),
        "finished": utc_stamp(finished),
        "seconds": round(seconds, 3),
        "exit_status": exit_status if exit_status is not None else 1 if problems else 0,
        "finish_reason": stats["finish_reason"],
        "outcome": outcome(stats),
        "problems": problems,
        "pages": pages,
        "written": site_stat(stats, site, "written"),
        "updated": site_stat(stats, site, "updated"),
        # Articles known and unchanged, or out of range (clippings.core.stats.SKIPPED); the
        # articles a --max-articles cap left for later apart.
        "skipped": {k: v for k, v in _by_reason(stats, site, "skipped").items() if k in SKIPPED},
        "not_fetched": {k: v for k, v in _by_reason(stats, site, "skipped").items() if k == "max_articles"},
        "dropped": _by_reason(stats, site, "dropped"),
        "errors": _by_reason(stats, site, "errors"),
        "examples": {
            key[len(examples_prefix) :]: list(value)
            for key, value in sorted(stats.items())
            if key.startswith(examples_prefix)
        },
        "health": {
            check: {"count": count, "total": total, "share": round(count / total, 4) if total else 0.0}
            for check, (count, total) in health_figures(stats, site).items()
        },
        "values": figure_values(stats, site),
        "alarms": alarms,
        "sources": _sources(stats, site),
        "pages_per_minute": round(pages / (seconds / 60), 1) if seconds > 0 else None,
        "peak_rss_mb": round(peak_rss_mb, 1) if peak_rss_mb is not None else None,
        "version": version,
    }
