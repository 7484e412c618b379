"""What needs attention, for the top of ``clippings report``: every site whose last run
alarmed, failed, had errors or is late (or never ran), each with the reasons as its run
history gives them, in the words ``clippings status`` uses. Imports no Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from clippings.collection.runs import last_runs
from clippings.collection.status import shown_age, site_status

DEFAULT_MAX_AGE = timedelta(hours=2)  # as ``clippings status``: a last run older than this is late


@dataclass
class Attention:
    """One site that needs attention: the worst of its states, and every reason."""

    site: str
    status: str  # failed, alarm, errors, late, no run
    finished: str | None  # its last run's end, UTC, as the history has it
    reasons: list[str] = field(default_factory=list)


def _errors(run: dict[str, Any]) -> str | None:
    counts = run.get("errors") or {}
    if not isinstance(counts, dict):
        return None
    found = {reason: n for reason, n in counts.items() if isinstance(n, int) and n > 0}
    if not found:
        return None
    total = sum(found.values())
    return f"{total} {'error' if total == 1 else 'errors'}: " + ", ".join(f"{r} {n}" for r, n in sorted(found.items()))


def needs_attention(
    runs: list[dict[str, Any]], sites: list[str], now: datetime, max_age: timedelta = DEFAULT_MAX_AGE
) -> list[Attention]:
    """The sites (of ``sites`` and of the history) whose last run needs a look, by site."""
    latest = last_runs(runs)
    found = []
    for site in sorted(set(latest) | set(sites)):
        run = latest.get(site)
        row = site_status(site, run, now, max_age)
        if run is None:
            found.append(Attention(site, "no run", None, ["no run recorded"]))
            continue
        reasons = list(row["problems"])
        if row["failed"] and not reasons:
            reasons.append(f"exit status {row['exit_status']}")
        errors = _errors(run)
        if errors:
            reasons.append(errors)
        if row["old"]:
            age = timedelta(seconds=row["age_seconds"]) if row["age_seconds"] is not None else None
            ended = f"ended {shown_age(age)} ago" if age is not None else "has no end time"
            reasons.append(f"late: its last run {ended} (more than {shown_age(max_age)})")
        if not reasons:
            continue
        status = "failed" if row["failed"] else "alarm" if row["alarm"] else "errors" if errors else "late"
        found.append(Attention(site, status, run.get("finished"), reasons))
    return found
