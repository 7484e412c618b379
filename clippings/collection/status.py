"""``clippings status DIR``: is each site's crawl still working? From the run history.

One line per site: its last run's age, status, articles written and skipped, alarms. The
status is ``interrupted`` when the last crawl ended without its line (SIGKILL, a crash: its
``started`` mark is left and its process is gone), ``stopped`` or ``forced`` when a signal
stopped it (``clippings.crawl.extensions.stops``), ``failed`` when the last run failed (output, an
early end), ``alarm`` when it raised an extraction-health alarm (a field, errors above
``CLIPPINGS_HEALTH_MAX_ERRORS``), ``old`` when it ended longer ago than ``max_age``, ``none``
when the site has articles but no run recorded, ``errors`` (shown ``errors N``) when it lost
pages, fewer than make an alarm; otherwise ``ok``. Any but ``ok`` and ``errors`` makes the exit
status 1: the check a monitoring system or a cron ``|| mail`` calls.
Imports no Scrapy.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from clippings.collection.runs import last_runs, read_runs, runs_path
from clippings.core.health import error_counts
from clippings.core.stamps import utc_stamp
from clippings.core.stats import skipped_total
from clippings.state.marks import started_marks

_AGE = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


def parse_age(text: str) -> timedelta:
    """``2h``, ``90m``, ``1h30m``, ``1d``, ``45s``, or a number of seconds; ValueError else."""
    text = text.strip().lower()
    found = _AGE.fullmatch(text)
    if text.isdigit():
        age = timedelta(seconds=int(text))
    elif not text or found is None:
        raise ValueError(f"--max-age {text!r}: expected an age such as 2h, 90m, 1h30m, 1d or seconds")
    else:
        days, hours, minutes, seconds = (int(part or 0) for part in found.groups())
        age = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if not age:
        raise ValueError(f"--max-age {text!r}: expected an age above 0")
    return age


def shown_age(age: timedelta) -> str:
    seconds = max(int(age.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m"
    return f"{seconds}s"


def _finished(run: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(run.get("finished")).replace("Z", "+00:00"))
    except ValueError:
        return None


def _lost(run: dict[str, Any]) -> dict[str, int]:
    """The run's errors by reason (with the HTTP failures older runs counted as drops)."""

    def counts(name: str) -> dict[str, int]:
        found = run.get(name)
        return {k: v for k, v in found.items() if isinstance(v, int)} if isinstance(found, dict) else {}

    return error_counts(counts("errors"), counts("dropped"))


def site_status(site: str, run: dict[str, Any] | None, now: datetime, max_age: timedelta) -> dict[str, Any]:
    """The status of one site from its last run (None: no run recorded)."""
    if run is None:
        return {
            "site": site,
            "status": "none",
            "failed": False,
            "alarm": False,
            "old": True,
            "run_id": None,
            "finished": None,
            "age_seconds": None,
            "exit_status": None,
            "finish_reason": None,
            "written": 0,
            "skipped": 0,
            "errors": 0,
            "alarms": [],
            "problems": ["no run recorded"],
        }
    finished = _finished(run)
    age = now - finished if finished else None
    alarms = [str(a) for a in run.get("alarms") or []]
    problems = [str(p) for p in run.get("problems") or []]
    failed = bool([p for p in problems if p not in alarms]) or (run.get("exit_status") not in (0, None) and not alarms)
    old = age is None or age > max_age
    errors = sum(_lost(run).values())
    status = "failed" if failed else "alarm" if alarms else "old" if old else "errors" if errors else "ok"
    if run.get("outcome") in ("stopped", "forced"):
        status = str(run["outcome"])
    skipped = run.get("skipped") or {}
    return {
        "site": site,
        "status": status,
        "failed": failed,
        "alarm": bool(alarms),
        "old": old,
        "run_id": run.get("run_id"),
        "finished": run.get("finished"),
        "age_seconds": round(age.total_seconds()) if age is not None else None,
        "exit_status": run.get("exit_status"),
        "finish_reason": run.get("finish_reason"),
        "written": run.get("written") or 0,
        "skipped": skipped_total(skipped),
        "errors": errors,
        "alarms": alarms,
        "problems": problems,
    }


def _running(mark: dict[str, Any]) -> bool:
    """Whether the crawl that left ``mark`` still runs (its process, on this machine)."""
    pid = mark.get("pid")
    if mark.get("host") != socket.gethostname() or not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def interrupted_status(mark: dict[str, Any], now: datetime, max_age: timedelta) -> dict[str, Any]:
    """A crawl that started and left no line: killed (SIGKILL, out of memory), or a crash."""
    row = site_status(mark["site"], None, now, max_age)
    started = _finished({"finished": mark.get("started")})
    why = f"interrupted: started {mark.get('started')} (pid {mark.get('pid')}), no end recorded (killed?)"
    row.update(
        status="interrupted",
        failed=True,
        old=False,
        run_id=mark.get("run_id"),
        finished=mark.get("started"),
        age_seconds=round((now - started).total_seconds()) if started else None,
        problems=[why],
    )
    return row


def collection_sites(directory: Path, sites: Collection[str] | None = None) -> list[str]:
    """Sites with a folder of articles in the collection (of ``sites``, the registered names,
    when given)."""
    return sorted(
        p.name
        for p in directory.iterdir()
        if p.is_dir() and (sites is None or p.name in sites) and any(p.glob("*.jsonl"))
    )


def status(
    directory: str | Path, max_age: timedelta, now: datetime | None = None, sites: Collection[str] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """({"ok", "sites", ...}, problems reading the history) for the collection; ``sites``:
    the registered names (the command passes the registry's; None: every folder of lines)."""
    directory = Path(directory)
    now = now or datetime.now(UTC)
    problems: list[str] = []
    latest = last_runs(read_runs(directory, problems))
    interrupted = {
        site: mark
        for site, mark in started_marks(directory).items()
        if str(mark.get("started") or "") > str((latest.get(site) or {}).get("finished") or "") and not _running(mark)
    }
    sites = sorted(set(latest) | set(collection_sites(directory, sites)) | set(interrupted))
    rows = [
        interrupted_status(interrupted[site], now, max_age)
        if site in interrupted
        else site_status(site, latest.get(site), now, max_age)
        for site in sites
    ]
    return {
        # Errors below CLIPPINGS_HEALTH_MAX_ERRORS are shown, not failed: the crawl exited 0.
        "ok": bool(rows) and all(row["status"] in ("ok", "errors") for row in rows),
        "checked_at": utc_stamp(now),
        "max_age_seconds": round(max_age.total_seconds()),
        "history": str(runs_path(directory)),
        "sites": rows,
    }, problems


def as_text(report: dict[str, Any]) -> str:
    rows = report["sites"]
    if not rows:
        return f"no runs recorded in {report['history']}"
    lines = [f"{'site':<19}{'last run':<22}{'age':>8}  {'status':<12}{'written':>8}{'skipped':>9}  alarms"]
    for row in rows:
        age = shown_age(timedelta(seconds=row["age_seconds"])) if row["age_seconds"] is not None else "-"
        # How a run ended is said as its outcome is: interrupted, stopped, forced.
        word = {
            "ok": "ok",
            "none": "NO RUN",
            "errors": f"errors {row.get('errors', 0)}",
            **{w: w for w in ("interrupted", "stopped", "forced")},
        }.get(row["status"], row["status"].upper())
        if row["status"] in ("failed", "alarm") and row["old"]:
            word += ",OLD"
        lines.append(
            f"{row['site']:<19}{row['finished'] or 'never':<22}{age:>8}  {word:<12}{row['written']:>8}{row['skipped']:>9}"
            f"  {'; '.join(row['alarms']) or '-'}"
        )
        if row["failed"]:
            failures = [p for p in row["problems"] if p not in row["alarms"]] or [f"exit status {row['exit_status']}"]
            said = "" if row["status"] in ("interrupted", "stopped", "forced") else "failed: "
            lines.append(f"{'':<19}{said}{'; '.join(failures)}")
    return "\n".join(lines)
