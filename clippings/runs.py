"""Run history: one JSON line per crawl in ``DIR/.state/runs.jsonl``. Imports no Scrapy.

``run_record`` turns a finished crawl's stats into the line (``clippings.extensions.RunHistory``
writes it for every crawl, however it ends: ``clippings crawl``, ``scrapy crawl`` and Scrapyd
jobs alike); ``append_run`` appends it whole; ``read_runs`` reads the history back for
``clippings status``, ``clippings report`` and the export's ``runs`` table.

A line holds the run's id (Scrapyd's job id in ``job`` when there is one), site, start and
end (UTC), exit status and finish reason (``problems``: why the status is 1), pages,
articles written and updated (written again, changed), what was skipped, dropped and failed,
each by reason, with up to ``EXAMPLES`` URLs for each drop reason and error, the health
figures (each field's coverage, errors, refusals) and alarms, the most frequent values of
the fields whose values are judged (``values``: the sections, with their articles), the source of each field counted, pages per minute and the peak memory
of the crawl's process.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from clippings.core.health import FIELD_FIGURES, VALUE_FIELDS, figure_values, health_figures
from clippings.core.stamps import utc_stamp
from clippings.core.stats import site_prefix, site_stat, stat_key

logger = logging.getLogger(__name__)

RUNS_FILE = Path(".state") / "runs.jsonl"

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
    "problems": "VARCHAR[]",
    "pages": "BIGINT",
    "written": "BIGINT",
    "updated": "BIGINT",
    "skipped": "MAP(VARCHAR, BIGINT)",
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


def runs_path(directory: str | os.PathLike[str]) -> Path:
    return Path(directory) / RUNS_FILE


# --- from the stats ---------------------------------------------------------------------------
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


def failures(stats: dict[str, Any]) -> list[str]:
    """Why a crawl failed, its alarms aside: its output could not be written, it ended early."""
    found = []
    if stats.get("clippings/output_error"):
        found.append(f"output failed: {stats['clippings/output_error']}")
    if stats.get("clippings/state_error"):
        found.append(f"state failed: {stats['clippings/state_error']}")
    reason = stats.get("finish_reason")
    if reason not in ("finished", None):
        found.append(f"crawl ended early ({reason})")
    return found


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
) -> dict[str, Any]:
    """The history line of one site's crawl, from its stats once it closed (the health
    extension has set its figures and alarms)."""
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
        "exit_status": 1 if problems else 0,
        "finish_reason": stats["finish_reason"],
        "problems": problems,
        "pages": pages,
        "written": site_stat(stats, site, "written"),
        "updated": site_stat(stats, site, "updated"),
        "skipped": _by_reason(stats, site, "skipped"),
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


# --- the file ---------------------------------------------------------------------------------
def append_run(directory: str | os.PathLike[str], record: dict[str, Any]) -> Path:
    """Append one run's line to ``DIR/.state/runs.jsonl`` whole: one ``write`` of the
    encoded line on a descriptor opened with O_APPEND (concurrent crawls of other sites
    append their own lines beside it; a reader skips a line cut by a power loss). The
    writer holds the site's lock (``clippings.core.lock``) meanwhile: a crawl lets go of it after
    this, ``clippings reextract`` too."""
    path = runs_path(directory)
    line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)  # read: its last byte
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line  # after a cut line, start a line of our own
        written = os.write(fd, line)
        if written != len(line):
            raise OSError(28, "short write (disk full?)")
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def read_runs(directory: str | os.PathLike[str], problems: list[str] | None = None) -> list[dict[str, Any]]:
    """Every run recorded for the collection in ``directory``, in the order appended. A line
    that is not a run (cut short, not JSON) is skipped; ``problems`` gets ``FILE:LINE:
    reason`` for each."""
    path = runs_path(directory)
    runs: list[dict[str, Any]] = []
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return runs
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                run = json.loads(raw)
            except ValueError:
                run = None
            if not isinstance(run, dict) or not isinstance(run.get("site"), str) or not raw.endswith(b"\n"):
                if problems is not None:
                    problems.append(f"{path}:{number}: not a run (cut short, or not JSON)")
                continue
            runs.append(run)
    return runs


def last_runs(runs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The latest run of each site (by end time; of equal ones, the one appended last)."""
    latest: dict[str, dict[str, Any]] = {}
    for run in runs:
        site = run["site"]
        if site not in latest or str(run.get("finished") or "") >= str(latest[site].get("finished") or ""):
            latest[site] = run
    return dict(sorted(latest.items()))
