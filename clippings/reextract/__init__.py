"""``clippings reextract``: saved pages read again into the collection, on one machine or many.

Every response record of a registered site in the WARC files given is read as a replay's crawl
reads it, through the same extraction, date normalisation, derived fields and schema check,
and written through the same writer and incremental state: an article already there with the
same content is skipped, a changed one written as a new version. The reading runs on Dask
distributed when it is installed (``clippings[dask]``; ``engine``), else in this process. The
WARC files are cut into byte-range shards (``archive``), each read by a worker into finished
records (``task``); this process, the client, is the collection's single writer
(``collection``). Imports no Scrapy.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from clippings.collection.lock import WriterLock, acquire_all
from clippings.collection.run_line import package_version, run_record
from clippings.collection.runs import append_run
from clippings.core.summary import summary
from clippings.reextract.archive import SHARD_BYTES, SHARD_RECORDS, ArchiveError, plan, warc_files
from clippings.reextract.engine import Crashed, Failed, OnDask, OneProcess
from clippings.reextract.stops import Deferred, Forced
from clippings.reextract.task import Reading, ShardResult, owned
from clippings.reextract.writer import Collection, Health
from clippings.sites import SITES, site_for_url
from clippings.state.marks import clear_started, mark_started

logger = logging.getLogger("clippings.reextract")

__all__ = ["ArchiveError", "Deferred", "Forced", "Options", "run"]


@dataclass
class Options:
    sources: list[str]
    output: Path
    state: Path | None  # None: no incremental state (CLIPPINGS_INCREMENTAL=False)
    since: date | None = None
    until: date | None = None
    # None: one process; ("local", N or None) a LocalCluster; ("address", "tcp://...").
    dask: tuple[str, int | str | None] | None = None
    reading: Reading = field(default_factory=Reading)
    health: Health = field(default_factory=Health)
    shard_records: int = SHARD_RECORDS
    shard_bytes: int = SHARD_BYTES
    lock_wait: float = 0.0  # CLIPPINGS_LOCK_WAIT: seconds to wait for a crawl writing the collection


class _Figures:
    """Where the time went: each worker's busy time, the client's time a record."""

    def __init__(self) -> None:
        self.busy: dict[str, float] = defaultdict(float)
        self.first = float("inf")
        self.last = 0.0
        self.records = 0
        self.client = 0.0
        self.started = time.perf_counter()
        self.engine_up = 0.0  # seconds until the engine was ready (a local cluster started)
        self.closed = 0.0  # seconds to stop it
        self.first_records = 0
        self.cpu: list[float] = []  # this process's CPU time (all its threads) at each shard taken

    def shard(self, result: ShardResult, client_seconds: float) -> None:
        if not self.cpu:
            self.first_records = len(result.outcomes)
        self.busy[result.worker] += result.seconds
        self.first = min(self.first, result.started)
        self.last = max(self.last, result.started + result.seconds)
        self.records += len(result.outcomes)
        self.client += client_seconds
        self.cpu.append(time.process_time())

    def line(self, shards: int, workers: int) -> str:
        span = max(self.last - self.first, 1e-9) if self.busy else 0.0
        busy = sum(self.busy.values())
        figures = {
            "shards": shards,
            "records": self.records,
            "seconds": round(time.perf_counter() - self.started, 3),
            "worker_seconds": round(busy, 3),
            "workers": workers,
            "worker_processes": len(self.busy),
            "idle_share": round(1 - busy / (workers * span), 3) if span else None,
            "task_ms_per_record": round(1000 * busy / self.records, 3) if self.records else None,
            "client_ms_per_record": round(1000 * self.client / self.records, 3) if self.records else None,
            # Between the first shard taken and the last: the client's whole CPU a record, its
            # threads included (a local cluster's scheduler and nannies live in them).
            "client_cpu_ms_per_record": (
                round(1000 * (self.cpu[-1] - self.cpu[0]) / (self.records - self.first_records), 3)
                if len(self.cpu) > 1 and self.records > self.first_records
                else None
            ),
            "engine_start_s": round(self.engine_up, 3),
            "engine_close_s": round(self.closed, 3),
        }
        return "reextract figures: " + json.dumps(figures)


def run(options: Options, out: TextIO = sys.stdout) -> int:
    """Read the archives into the collection; print the summary; the exit status (1 when the
    output failed, a health alarm fired, or a shard or file could not be read)."""
    files = warc_files(options.sources)
    locks = _take_locks(options)
    try:
        return _run(options, files, out)
    finally:
        for lock in locks:
            lock.release()


def _take_locks(options: Options) -> list[WriterLock]:
    """Every site's writer lock of the collection, as a crawl takes its own: held from
    before the state is read until the run history is appended. Busy when a crawl (or
    another reextract) writes a site of it."""
    locks = [WriterLock(options.output, name) for name in SITES]
    busy = acquire_all(locks, options.lock_wait)
    if busy:
        for lock in locks:
            lock.release()
        raise busy[0]
    return locks


def _run(options: Options, files: list[Path], out: TextIO) -> int:
    started = datetime.now(UTC)
    figures = _Figures()
    Deferred.starting = True
    try:
        if options.dask is None:
            engine = OneProcess(options.reading)
        elif options.dask[0] == "local":
            engine = OnDask(options.reading, workers=options.dask[1])
        else:
            engine = OnDask(options.reading, address=str(options.dask[1]))
    except BaseException:
        Deferred.starting, Deferred.pending = False, None
        raise
    figures.engine_up = time.perf_counter() - figures.started
    collection = Collection(options.output, options.state, options.since, options.until, options.health)
    trouble: list[str] = []  # shards and files given up, for the summary
    planned = [0]
    run_id, marked = uuid.uuid4().hex, set()

    def shards():
        for path in files:
            if collection.failed:
                return
            try:
                for shard in plan(path.resolve(), owned, options.shard_records, options.shard_bytes):
                    planned[0] += 1
                    yield shard
            except (ArchiveError, OSError) as exc:
                logger.error("%s; skipped", exc)
                trouble.append(f"{exc}: skipped")

    interrupted, forced = False, None
    try:
        try:
            Deferred.started()  # a stop that came while the engine started
            for result in engine.results(shards(), collection.learned):
                if isinstance(result, Crashed):
                    _crashed(result, collection, trouble)
                elif isinstance(result, Failed):
                    logger.error("%s: failed in a worker (%s); skipped", result.shard, result.error)
                    trouble.append(f"{result.shard}: failed in a worker ({result.error}); skipped")
                else:
                    clock = time.perf_counter()
                    collection.take(result)
                    figures.shard(result, time.perf_counter() - clock)
                    _mark_sites(options.output, collection, run_id, started, marked)
                if collection.failed:
                    break
        except KeyboardInterrupt:
            interrupted = True
            logger.error("interrupted: what is written stays; run again to read the rest")
        finally:
            closing = time.perf_counter()
            try:
                engine.close()
            finally:
                figures.closed = time.perf_counter() - closing
                collection.close()
    except Forced as exc:  # a second signal: said, recorded, and the process ends
        forced = exc.signum
        logger.error("forced to stop by a second signal: what is written stays; run again to read the rest")
    logger.info("%s", figures.line(planned[0], engine.workers))
    reason = "forced" if forced else "shutdown" if interrupted else "output_error" if collection.failed else "finished"
    runs = collection.site_stats()
    for _, stats in runs:
        stats["finish_reason"] = reason
    _record_runs(options.output, runs, started, run_id, 128 + forced if forced else None)
    text, status = summary(runs, options.output)
    lines = text.split("\n")
    tail = [lines.pop()]  # "output: DIR"
    if not runs:
        stopped = "stopped before a record was read" if interrupted or forced else None
        lines.append(stopped or "no records of these sites in the archives")
    if collection.unplaced:
        lines.append(f"records unreadable before their URL was read: {len(collection.unplaced)}")
    lines.extend(trouble)
    lines.append(
        f"read: {len(files)} WARC file{'s' * (len(files) != 1)}, {planned[0]} shards, {engine.description};"
        f" other hosts' records skipped: {collection.foreign}"
    )
    print("\n".join(lines + tail), file=out)
    if trouble or interrupted:
        status = 1
    return 128 + forced if forced else status


def _mark_sites(output: Path, collection: Collection, run_id: str, started: datetime, marked: set[str]) -> None:
    """A ``started`` mark for each site once the run has read a record of it, as a crawl
    leaves one: a run killed before its lines are appended is shown ``interrupted``."""
    for site, _ in collection.site_stats():
        if site not in marked:
            marked.add(site)
            try:
                mark_started(output, site, run_id, started)
            except OSError as exc:
                logger.warning("%s: cannot leave the run's started mark: %s", site, exc)


def _record_runs(
    output: Path, runs: list[tuple[str, dict]], started: datetime, run_id: str, exit_status: int | None
) -> None:
    """One line of the run history per site read, as a crawl appends its own; its mark goes."""
    finished = datetime.now(UTC)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for site, stats in runs:
        record = run_record(
            stats,
            site,
            run_id=run_id,
            job=None,
            started=started,
            finished=finished,
            reason=stats.get("finish_reason"),
            peak_rss_mb=peak,
            version=package_version(),
            exit_status=exit_status,
        )
        try:
            append_run(output, record)
        except OSError as exc:
            logger.error("%s: the run history cannot be written: %s", site, exc)
            continue
        clear_started(output, site, run_id)


def _crashed(crashed: Crashed, collection: Collection, trouble: list[str]) -> None:
    site = site_for_url(crashed.url) if crashed.url else None
    if site is not None:
        collection.count(site.name, "errors/worker_crash")
    logger.error("%s: killed a worker twice; skipped", crashed.shard)
    trouble.append(f"{crashed.shard}: killed a worker twice; skipped")
