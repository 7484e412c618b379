"""The runs the writer follows: opened by their nodes' ``start``, closed when every node that
started has ended (or, a node killed, when the run's keys are gone or its heartbeat is
stale). A closed run gets one history line per site (``clippings.collection.runs``), with
the nodes' counts summed and what the writer itself counted: the lines it wrote, and the
health figures and alarms computed from them."""

from __future__ import annotations

import json
import logging
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clippings.cluster import keys
from clippings.collection.run_line import package_version, run_record
from clippings.collection.runs import append_run, read_runs
from clippings.core.drift import baseline, drift_alarms
from clippings.core.finish import written_counts
from clippings.core.health import DEFAULT_LIMITS, judge
from clippings.core.stats import EXAMPLES, count, stat_key
from clippings.state import parse_iso

logger = logging.getLogger("clippings.cluster")

# The node's keys the writer counts itself, from the lines it wrote.
_WRITER_COUNTS = ("written", "updated", "missing/", "values/", "health/")
_WORST = ("forced", "shutdown")
_KEPT = ("run_id", "site", "stale_after", "nodes_stats", "written", "reasons", "health", "sources", "heard")


class Counts(dict):
    """A stats mapping with what ``clippings.core.stats.count`` uses."""

    def inc_value(self, key: str, value: int = 1) -> None:
        self[key] = self.get(key, 0) + value

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self[key] = value


@dataclass
class Run:
    run_id: str
    site: str
    started: datetime
    stale_after: float = 30.0
    nodes: set[str] = field(default_factory=set)
    ended: set[str] = field(default_factory=set)
    nodes_stats: Counts = field(default_factory=Counts)
    written: Counts = field(default_factory=Counts)
    reasons: list[str] = field(default_factory=list)
    health: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # saved if the run is complete
    heard: dict[str, float] = field(default_factory=dict)  # node -> when the writer last had a message of it

    def merge(self, stats: dict[str, Any]) -> None:
        for key, value in stats.items():
            if key.startswith(f"clippings/{self.site}/") and key[len(f"clippings/{self.site}/") :].startswith(
                _WRITER_COUNTS
            ):
                continue
            if key in ("clippings/written", "clippings/updated"):
                continue
            if isinstance(value, bool) or not isinstance(value, int | float | list):
                continue
            if isinstance(value, list):
                kept = self.nodes_stats.get(key) or []
                self.nodes_stats[key] = [*kept, *(v for v in value if v not in kept)][:EXAMPLES]
            else:
                self.nodes_stats[key] = self.nodes_stats.get(key, 0) + value

    def stats(self) -> dict[str, Any]:
        merged = dict(self.nodes_stats)
        for key, value in self.written.items():
            merged[key] = merged.get(key, 0) + value
        return merged


class RunBook:
    """The open runs, by (run id, site)."""

    def __init__(self, output: Path, client: Any, save_sources: Callable[[dict[str, Any]], None]) -> None:
        self.output = output
        self.client = client
        self.save_sources = save_sources
        self.open: dict[tuple[str, str], Run] = {}
        self.closed: list[dict[str, Any]] = []  # the history lines of the runs closed
        self.closed_stats: list[tuple[str, dict[str, Any]]] = []  # (site, stats) of each, for the summary

    def run(self, run_id: str, site: str) -> Run:
        found = self.open.get((run_id, site))
        if found is None:
            found = self.open[(run_id, site)] = Run(run_id, site, datetime.now(UTC))
        return found

    def started(self, message: dict[str, Any]) -> None:
        run = self.run(message["run"], message["site"])
        run.nodes.add(message["node"])
        begun = parse_iso(message.get("started"))
        if begun and begun < run.started:
            run.started = begun
        run.stale_after = max(run.stale_after, 3 * float(message.get("idle") or 10) + 10)
        run.health = message.get("health") or run.health

    def ended(self, message: dict[str, Any]) -> None:
        run = self.run(message["run"], message["site"])
        run.nodes.add(message["node"])
        if message["node"] not in run.ended:
            run.ended.add(message["node"])
            run.merge(message.get("stats") or {})
            run.reasons.append(message.get("reason") or "finished")

    def heard(self, run_id: str, site: str, node: str) -> None:
        self.run(run_id, site).heard[node] = time.time()

    def wrote(self, run_id: str | None, site: str, record: dict[str, Any], updated: bool) -> None:
        if not run_id:
            return
        counts = self.run(run_id, site).written
        count(counts, "written", site)
        if updated:
            count(counts, "updated", site)
        for key in written_counts(record):
            counts.inc_value(stat_key(site, key))

    def close_finished(self, now: float | None = None) -> list[dict[str, Any]]:
        """Close the runs whose nodes all ended, or are gone; their history lines appended."""
        now = time.time() if now is None else now
        done = []
        for key, run in list(self.open.items()):
            if (run.nodes and run.nodes <= run.ended) or self._lost(run, now):
                del self.open[key]
                done.append(self.finish(run))
        if done:
            self.client.set(keys.WRITER_RUNS, self.dumps())
        return done

    # --- kept in Redis, for a writer restarted mid-run --------------------------------------
    def dumps(self) -> str:
        return json.dumps(
            [
                {**{f: getattr(run, f) for f in _KEPT}, "nodes": sorted(run.nodes), "ended": sorted(run.ended),
                 "started": run.started.isoformat()}
                for run in self.open.values()
            ],
            ensure_ascii=False,
            default=str,
        )  # fmt: skip

    def load(self) -> None:
        """The runs an earlier writer had open, with their counts (saved with each batch)."""
        for kept in json.loads(self.client.get(keys.WRITER_RUNS) or "[]"):
            run = Run(kept["run_id"], kept["site"], parse_iso(kept["started"]) or datetime.now(UTC))
            for name in _KEPT:
                value = kept[name]
                setattr(run, name, Counts(value) if name in ("nodes_stats", "written") else value)
            run.nodes, run.ended = set(kept["nodes"]), set(kept["ended"])
            self.open[(run.run_id, run.site)] = run

    def _lost(self, run: Run, now: float) -> bool:
        """The nodes that have not ended are gone: neither a heartbeat nor a message of theirs
        for ``stale_after`` seconds (a node killed; a Redis restarted empty loses the
        heartbeats, not the nodes)."""
        beats = self.client.hgetall(keys.run(run.run_id, run.site, "nodes"))

        def last(node: str) -> float:
            return max(float(beats.get(node, 0)), run.heard.get(node, 0.0))

        alive = [node for node in run.nodes - run.ended if now - last(node) < run.stale_after]
        if alive:
            return False
        if not run.nodes:  # articles of a run whose start was trimmed away (an old run)
            return not beats or all(now - float(v) >= run.stale_after for v in beats.values())
        return True

    def finish(self, run: Run) -> dict[str, Any]:
        site = run.site
        stats = run.stats()
        lost = len(run.nodes - run.ended)
        if lost:
            stats[stat_key(site, "cluster/nodes_lost")] = lost
        reasons = [r for r in run.reasons if r != "finished"]
        reason = next((r for r in reasons if r in _WORST), reasons[0] if reasons else None)
        reason = reason or ("finished" if run.ended else "node_lost")
        if run.sources and not lost and reason == "finished":
            self.save_sources(run.sources)
        limits = {**DEFAULT_LIMITS, **(run.health.get("limits") or {})}
        min_pages = int(run.health.get("min_pages", 10))
        max_drop, max_new = run.health.get("drift") or (0.25, 0.25)
        try:
            history = read_runs(self.output)
        except OSError:
            history = []
        if any(line.get("run_id") == run.run_id and line.get("site") == site for line in history):
            return {}  # closed by a writer killed before it could say so: its line is there
        base = baseline(history, site, min_pages)
        health = judge(stats, site, limits, min_pages, base.shares)
        health.alarms += drift_alarms(stats, site, base, max_drop, max_new, min_pages, frozenset(health.alarmed))
        for check, share in health.shares.items():
            stats[stat_key(site, f"health/{check}")] = share
        stats[stat_key(site, "health/alarms")] = health.alarms
        record = run_record(
            stats,
            site,
            run_id=run.run_id,
            job=None,
            started=run.started,
            finished=datetime.now(UTC),
            reason=reason,
            peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            version=package_version(),
        )
        append_run(self.output, record)
        for alarm in health.alarms:
            logger.error("%s", alarm)
        logger.info("run %s of %s closed: %d lines written", run.run_id, site, record["written"])
        self.closed.append(record)
        self.closed_stats.append(
            (site, {**stats, "finish_reason": record["finish_reason"], "response_received_count": record["pages"]})
        )
        return record
