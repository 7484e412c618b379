"""Run history: one JSON line per crawl in ``DIR/.state/runs.ndjson``. Imports no Scrapy.

The file does not end in ``.jsonl``: under the output folder only the sites' article files
do, so any glob over them (``DIR/*/*.jsonl``, ``DIR/**/*.jsonl``) reads articles only. A
collection whose history is still in ``.state/runs.jsonl`` (written before) has it moved on
its next run (``migrate_runs``); until then ``read_runs`` reads it there.

``mark_started`` leaves a mark when a crawl starts, which its line replaces
(``clear_started``): one killed without a line (SIGKILL) is found by ``started_marks``.
``run_record`` turns a finished crawl's stats into the line (``clippings.crawl.extensions.RunHistory``
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

import fcntl
import json
import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from clippings.core.health import FIELD_FIGURES, VALUE_FIELDS, figure_values, health_figures
from clippings.core.stamps import utc_stamp
from clippings.core.stats import SKIPPED, site_prefix, site_stat, stat_key

logger = logging.getLogger(__name__)

RUNS_FILE = Path(".state") / "runs.ndjson"
LEGACY_RUNS_FILE = Path(".state") / "runs.jsonl"  # before: a glob of *.jsonl found it

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


# How a run ended (the line's ``outcome``): ``finished`` (to its end; alarms are said apart),
# ``stopped`` (a first Ctrl-C or SIGTERM, a Scrapyd cancel: the pages in flight finished),
# ``forced`` (a second one: ended at once), ``failed`` (its output or state could not be
# written, or it ended early for another reason). A run killed by SIGKILL leaves no line:
# its ``started`` mark (``mark_started``) says it was ``interrupted``.
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


# --- the file ---------------------------------------------------------------------------------
def migrate_runs(directory: str | os.PathLike[str]) -> bool:
    """Move a history left in ``DIR/.state/runs.jsonl`` to ``runs.ndjson`` (one INFO line);
    True when there was one. Crawls of other sites may migrate at the same time: the move is
    made holding a lock on the old file, by a hard link (never over a history already there:
    then the old lines are appended to it whole), and the old name removed."""
    legacy = Path(directory) / LEGACY_RUNS_FILE
    try:
        fd = os.open(legacy, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.stat(legacy).st_ino != os.fstat(fd).st_ino:
                return False  # another process moved it while this one waited
        except FileNotFoundError:
            return False
        path = runs_path(directory)
        try:
            os.link(legacy, path)
        except FileExistsError:
            size = os.fstat(fd).st_size
            _append_bytes(path, os.pread(fd, size, 0) if size else b"")
        os.unlink(legacy)
    finally:
        os.close(fd)
    logger.info("Run history moved from %s to %s (only articles end in .jsonl under %s)", legacy, path, directory)
    return True


def _append_bytes(path: Path, data: bytes) -> None:
    """Append ``data`` (whole lines) to ``path`` in one ``write`` on an O_APPEND descriptor,
    after a newline of its own when the file's last line was cut."""
    if not data:
        return
    if not data.endswith(b"\n"):
        data += b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)  # read: its last byte
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data  # after a cut line, start a line of our own
        written = os.write(fd, data)
        if written != len(data):
            raise OSError(28, "short write (disk full?)")
        os.fsync(fd)
    finally:
        os.close(fd)


def append_run(directory: str | os.PathLike[str], record: dict[str, Any]) -> Path:
    """Append one run's line to ``DIR/.state/runs.ndjson`` whole: one ``write`` of the
    encoded line on a descriptor opened with O_APPEND (concurrent crawls of other sites
    append their own lines beside it; a reader skips a line cut by a power loss). The
    writer holds the site's lock (``clippings.collection.lock``) meanwhile: a crawl lets go of it after
    this, ``clippings reextract`` too."""
    migrate_runs(directory)
    path = runs_path(directory)
    _append_bytes(path, (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
    return path


def read_runs(directory: str | os.PathLike[str], problems: list[str] | None = None) -> list[dict[str, Any]]:
    """Every run recorded for the collection in ``directory``, in the order appended. A line
    that is not a run (cut short, not JSON) is skipped; ``problems`` gets ``FILE:LINE:
    reason`` for each."""
    runs: list[dict[str, Any]] = []
    for path in (Path(directory) / LEGACY_RUNS_FILE, runs_path(directory)):  # the old file until moved
        _read_file(path, runs, problems)
    return runs


def _read_file(path: Path, runs: list[dict[str, Any]], problems: list[str] | None) -> None:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return
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


def last_runs(runs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The latest run of each site (by end time; of equal ones, the one appended last)."""
    latest: dict[str, dict[str, Any]] = {}
    for run in runs:
        site = run["site"]
        if site not in latest or str(run.get("finished") or "") >= str(latest[site].get("finished") or ""):
            latest[site] = run
    return dict(sorted(latest.items()))
