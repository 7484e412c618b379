"""Extraction in worker processes (``CLIPPINGS_WORKERS``): a crawl's CPU-bound part on every core.

Only ``read_article`` (decoding, parsing, metadata, trafilatura, language) moves to the
workers; requests, incremental state, the item pipelines and the JSON-lines files stay in
the crawl's own process, so output and state keep one writer whatever the number of workers
and a run with workers writes the same articles as one without. Imports no Scrapy.

Workers are forked from a server process that has imported the extraction code once
(``forkserver``): they start in milliseconds, share that memory, and never inherit the
crawl's threads or event loop. A worker that dies (a crash in a C library, the OOM killer)
breaks the pool: it is replaced, and each page it held is tried once more before it is
reported as an error naming its URL. Workers exit by themselves when the crawl's process
dies, so a crawl killed outright leaves no process behind.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import select
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import Any

from clippings.items import Article, NotArticle
from clippings.sites import get_site
from clippings.sites.base import Site

logger = logging.getLogger(__name__)

# trafilatura and htmldate keep LRU caches (bounded, but large once full); a worker empties
# them after this many pages, which keeps its memory near where it started.
RESET_CACHES_EVERY = 1000


class WorkerCrashed(RuntimeError):
    """A worker process died twice while reading the same page."""


_pages_read = 0


def read_in_worker(
    site_name: str, url: str, body: bytes, headers: Mapping[str, str], fetched_at: datetime | None
) -> tuple[str, Any, Any]:
    """``read_article`` in a worker: ("article", Article, None) or ("not_article", reason, detail).

    NotArticle travels as a plain tuple (an exception with extra arguments does not survive
    pickling whole); any other exception is sent back by the pool and raised in the crawl.
    """
    from clippings.extract import read_article  # loaded by the fork server already

    global _pages_read
    _pages_read += 1
    if _pages_read % RESET_CACHES_EVERY == 0:
        from trafilatura.meta import reset_caches

        reset_caches()
    try:
        return "article", read_article(get_site(site_name), url, body, headers, fetched_at), None
    except NotArticle as exc:
        return "not_article", exc.reason, exc.detail


def watch_crawl(pid: int) -> None:
    """In a worker: exit as soon as the crawl's process ``pid`` is gone.

    A crawl killed outright (SIGKILL, the OOM killer) cannot stop its pool, and nothing
    else would: each worker holds its own queue open, and the fork server waits for its
    workers. The next run reads what is on disk (``clippings.state``), so nothing is lost.
    """

    def watch() -> None:
        try:
            handle = os.pidfd_open(pid)  # Linux 5.3+: readable when the process ends
        except (AttributeError, OSError):
            handle = None
        if handle is not None:
            select.select([handle], [], [])
        else:
            while True:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
                time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="watch-crawl", daemon=True).start()


class ExtractionPool:
    """``workers`` processes reading pages; ``await pool.read(...)`` from the crawl's event loop."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self.replaced = 0

    def executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["clippings.workers", "clippings.extract.preload"])  # preload imports clippings.extract
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=watch_crawl,
                initargs=(os.getpid(),),
            )
        return self._executor

    def start(self) -> ExtractionPool:
        """Start the workers now rather than at the first page, without waiting for them.

        Starting a worker blocks until the fork server has imported the extraction code
        (about a second), so a thread does it while the crawl sets up Scrapy and reads
        its feeds; a page that arrives sooner waits in the pool's queue.
        """
        executor = self.executor()

        def start_workers() -> None:
            try:
                for _ in range(self.workers):
                    executor.submit(os.getpid)
            except (BrokenProcessPool, RuntimeError):  # broken or closed meanwhile: read() copes
                pass

        threading.Thread(target=start_workers, name="start-workers", daemon=True).start()
        return self

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        if self._executor is broken:
            self._executor = None
            self.replaced += 1
            broken.shutdown(wait=False, cancel_futures=True)

    async def read(
        self,
        site: Site,
        url: str,
        body: bytes,
        headers: Mapping[str, str],
        fetched_at: datetime | None,
    ) -> Article:
        """The article on a page, as ``read_article`` gives it (NotArticle raised alike)."""
        for attempt in (1, 2):
            executor = self.executor()
            try:
                future = executor.submit(read_in_worker, site.name, url, body, dict(headers), fetched_at)
                kind, value, detail = await asyncio.wrap_future(future)
            except asyncio.CancelledError:
                if future.cancelled():  # the pool was closed under this page: say so, never hang
                    raise WorkerCrashed("the extraction pool was closed while this page waited") from None
                raise
            except BrokenProcessPool:
                self._replace(executor)
                if attempt == 2:
                    raise WorkerCrashed("an extraction worker died twice reading this page") from None
                logger.warning("%s: an extraction worker died; replacing the pool and trying again", url)
                continue
            if kind == "not_article":
                raise NotArticle(value, detail)
            return value
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


_shared: dict[int, tuple[ExtractionPool, int]] = {}


def acquire(workers: int) -> ExtractionPool:
    """The process's pool of ``workers`` workers, shared by the crawls running in it."""
    pool, users = _shared.get(workers, (None, 0))
    if pool is None:
        pool = ExtractionPool(workers)
    _shared[workers] = (pool, users + 1)
    return pool


def release(pool: ExtractionPool) -> None:
    """One crawl is done with ``pool``; the last one closes it."""
    shared, users = _shared.get(pool.workers, (None, 0))
    if shared is not pool:
        pool.close()
        return
    if users <= 1:
        del _shared[pool.workers]
        pool.close()
    else:
        _shared[pool.workers] = (pool, users - 1)
