"""Where the shards are read: in this process, or on Dask distributed (the ``dask`` extra).

Both give the finished shards to the client as they complete. On Dask, at most ``in_flight``
shards are submitted at a time (two per worker thread and two more), and the next is submitted
as one comes back, so the client holds a bounded number of results whatever the archive's
size. Tasks are plain functions of ``clippings.reextract.task``; the workers import it (and
the extraction code, and langdetect's profiles) once, when they start.

A worker that dies is Dask's to handle: the scheduler gives its shards to another worker. A
shard during which a worker died twice (``distributed.scheduler.allowed-failures`` is set to 1
on a local cluster) comes back as ``KilledWorker``: its records are then read one shard each
(a plain byte range is first listed by a worker, which reads no page), so that only the
record that kills a worker is lost, and that one is given back named (``Crashed``).
"""

from __future__ import annotations

import itertools
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from clippings.reextract import task
from clippings.reextract.archive import Shard

logger = logging.getLogger("clippings.reextract")

Learned = Callable[[], dict[str, tuple[tuple[str, str], ...]]]


@dataclass(frozen=True)
class Crashed:
    """A shard (one record, when it could be narrowed down) that killed a worker twice."""

    shard: Shard
    url: str | None


@dataclass(frozen=True)
class Failed:
    """A shard whose task raised (a file a worker cannot open, a bug): named, not retried."""

    shard: Shard
    error: str


class OneProcess:
    """Reads every shard here, one after the other (no Dask installed)."""

    workers = 1
    description = "in this process"

    def __init__(self, reading: task.Reading) -> None:
        self.reading = reading

    def results(self, shards: Iterator[Shard], learned: Learned) -> Iterator[task.ShardResult | Crashed | Failed]:
        for shard in shards:
            yield task.read(shard, learned(), self.reading)

    def close(self) -> None:
        pass


def dask_installed() -> bool:
    """Whether Dask distributed can be imported (the ``dask`` extra)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


class OnDask:
    """Shards read on Dask: a LocalCluster of ``workers`` processes (``address`` None) or the
    cluster whose scheduler is at ``address``."""

    def __init__(self, reading: task.Reading, workers: int | None = None, address: str | None = None) -> None:
        import dask

        self.reading = reading
        self.cluster = None
        if address is None:
            # A shard that kills two workers is given up (see the module's doc), and only the
            # shard a worker was reading when it died counts that death: a worker is sent one
            # task at a time (no shard waits in a worker's own queue). Workers fork from a
            # server that imported the extraction code, so they start at once.
            dask.config.set(
                {
                    "distributed.scheduler.allowed-failures": 1,
                    "distributed.scheduler.worker-saturation": 1.0,
                    "distributed.worker.multiprocessing-method": "forkserver",
                    # What a worker does beside its task, under the GIL: sampling the task's stack
                    # every 10 ms for the dashboard's profile, waking every 20 ms to time its own
                    # event loop, reading its process's figures every 0.5 s. Without them a page
                    # takes about as long in a worker as in one process (bench/RESULTS.md).
                    "distributed.worker.profile.enabled": False,
                    "distributed.admin.tick.interval": "1s",
                    "distributed.admin.system-monitor.interval": "5s",
                    # Each stream between scheduler and worker keeps its last messages for
                    # debugging, 1,000 by default: every task sent, its shard with it, held long
                    # after it is done (the scheduler lives in the client): the client's memory
                    # would grow with the archive until then.
                    "distributed.admin.low-level-log-length": 10,
                }
            )
            _preload_in_forkserver()
        from distributed import Client, LocalCluster

        for name in ("distributed", "tornado"):  # their INFO lines are not the operator's
            logging.getLogger(name).setLevel(max(logging.getLogger().level, logging.WARNING))
        if address is None:
            count = workers or os.cpu_count() or 1
            self.cluster = LocalCluster(
                n_workers=count,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.WARNING,
            )
            self.client = Client(self.cluster)
            self.description = f"on Dask, a local cluster of {count} workers"
        else:
            self.client = Client(address, timeout="30s")
            self.client.wait_for_workers(1, timeout=60)
            self.description = f"on Dask at {address}"
        from clippings.reextract.plugin import ReadingWorker

        self.client.register_plugin(ReadingWorker(os.getpid() if address is None else None))
        self.workers = max(1, sum(self.client.nthreads().values()))
        self.description += f" ({self.workers} worker threads)"
        self.in_flight = 2 * self.workers + 2
        self._names = (f"clippings-{uuid.uuid4().hex[:8]}-{n}" for n in itertools.count())

    def results(self, shards: Iterator[Shard], learned: Learned) -> Iterator[task.ShardResult | Crashed | Failed]:
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        pending = as_completed()
        what: dict[str, tuple[str, Shard]] = {}  # future key -> (task, shard)

        def submit(shard: Shard, kind: str = "read") -> None:
            key = next(self._names)
            if kind == "read":
                future = self.client.submit(task.read, shard, learned(), self.reading, key=key, pure=False)
            else:
                future = self.client.submit(task.list_records, shard, key=key, pure=False)
            what[future.key] = (kind, shard)
            pending.add(future)

        shards = iter(shards)
        for shard in itertools.islice(shards, self.in_flight):
            submit(shard)
        for future in pending:
            kind, shard = what.pop(future.key)
            try:
                result = future.result()
            except KilledWorker:
                result = None
                yield from self._crashed(kind, shard, submit)
            except Exception as exc:  # the task raised: its shard is named, the run goes on
                result = Failed(shard, f"{type(exc).__name__}: {exc}")
            finally:
                future.release()
            if kind == "list" and not isinstance(result, Failed):
                for offset, length, uri in result or ():
                    submit(Shard(shard.path, offset, offset + length, ((offset, length, uri),), listed=True))
            elif result is not None:
                yield result
            if len(what) < self.in_flight:
                for more in itertools.islice(shards, self.in_flight - len(what)):
                    submit(more)

    def _crashed(self, kind: str, shard: Shard, submit: Callable[..., None]) -> Iterator[Crashed]:
        if kind == "read" and shard.listed and len(shard.records) > 1:
            logger.warning(
                "%s: a worker died twice reading it; reading its %d records one at a time", shard, len(shard.records)
            )
            for record in shard.records:
                submit(Shard(shard.path, record[0], record[0] + record[1], (record,), listed=True))
        elif kind == "read" and not shard.listed:
            logger.warning("%s: a worker died twice reading it; reading its records one at a time", shard)
            submit(shard, "list")
        else:
            url = shard.records[0][2] if shard.listed and len(shard.records) == 1 else None
            yield Crashed(shard, url)

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def _preload_in_forkserver() -> None:
    """Add the extraction code to what the fork server of Dask's workers imports before it
    forks any (``distributed`` sets its own list the first time it is asked for a context)."""
    import multiprocessing.forkserver

    from distributed.utils import get_mp_context

    context = get_mp_context()
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    modules = list(getattr(server, "_preload_modules", None) or ["distributed"])
    context.set_forkserver_preload(
        [
            *(m for m in modules if m != "__main__"),
            "clippings.reextract.task",
            "clippings.extract.preload",
        ]
    )
