"""The Dask worker plugin of ``clippings reextract`` (imports distributed: the ``dask`` extra)."""

from __future__ import annotations

from distributed.diagnostics.plugin import WorkerPlugin


class ReadingWorker(WorkerPlugin):
    """Set up on each worker as it starts: the extraction code loaded once and, on a cluster
    of this machine, the worker's exit as soon as the client's process is gone (a client
    killed outright cannot stop its local cluster; the next run resumes from what is on disk)."""

    name = "clippings-reextract"
    idempotent = True

    def __init__(self, client_pid: int | None) -> None:
        self.client_pid = client_pid

    def setup(self, worker: object) -> None:
        import clippings.extract.preload
        import clippings.reextract.task  # noqa: F401

        if self.client_pid is not None:
            from clippings.workers import watch_crawl

            watch_crawl(self.client_pid)
