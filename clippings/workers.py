"""Extraction in worker processes (``CLIPPINGS_WORKERS``): a crawl's CPU-bound part on every core.

Only ``read_article`` (decoding, parsing, metadata, trafilatura, language) moves to the
workers; requests, incremental state, the item pipelines and the JSON-lines files stay in
the crawl's own process, so output and state keep one writer whatever the number of workers
and a run with workers writes the same articles as one without. Imports no Scrapy.

Workers are forked from a server process that has imported the extraction code once
(``forkserver``): they start in milliseconds, share that memory, and never inherit the
crawl's threads or event loop. Each talks to the crawl over a socket that the crawl's event
loop writes pages to and reads answers from. A worker that dies (a crash in a C library,
the OOM killer) is replaced, and the page it was reading is tried once more before it is
reported as an error naming its URL. Workers exit by themselves when the crawl's process
dies, so a crawl killed outright leaves no process behind.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import multiprocessing
import os
import pickle
import select
import signal
import socket
import threading
import time
from collections import deque
from collections.abc import Mapping
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
    site_name: str,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    fetched_at: datetime | None,
    learned: tuple[tuple[str, str], ...] = (),
    verify: bool = False,
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
        article = read_article(get_site(site_name), url, body, headers, fetched_at, learned, verify)
        return "article", article, None
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


def serve(conn: Any, crawl_pid: int) -> None:
    """A worker's life: read pages sent on ``conn`` until it closes, answer each on it.

    A worker never prints: a Ctrl-C reaches the whole process group, and the crawl, not its
    workers, decides what happens then (it closes the pool); and once the crawl is gone
    (killed) an answer that cannot be sent ends the worker quietly, where it would have
    printed a BrokenPipeError traceback into the crawl's terminal or log."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_crawl(crawl_pid)
    try:
        _serve(conn)
    except BaseException:  # noqa: BLE001 - nothing a worker could say reaches anyone now
        os._exit(0)


def _serve(conn: Any) -> None:
    while True:
        try:
            task_id, args = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return  # the pool closed its end, or the crawl is gone
        try:
            kind, value, detail = read_in_worker(*args)
        except Exception as exc:  # the crawl logs it, names the URL, and goes on
            kind, value, detail = "error", exc, None
        try:
            message = pickle.dumps((task_id, kind, value, detail), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that does not pickle travels as its text
            message = pickle.dumps((task_id, "error", RuntimeError(f"{type(value).__name__}: {value}"), None))
        try:
            conn.send_bytes(message)
        except OSError:  # the crawl closed the pool or is gone (BrokenPipeError, ECONNRESET)
            return


class _Task:
    __slots__ = ("attempt", "future", "id", "payload", "url")

    def __init__(self, task_id: int, url: str, payload: bytes, future: asyncio.Future[Any]) -> None:
        self.id, self.url, self.payload, self.future, self.attempt = task_id, url, payload, future, 1


class _Worker:
    def __init__(self, process: Any, conn: Any, room: int) -> None:
        self.process = process
        self.conn = conn
        self.room = room  # bytes the socket takes without blocking the crawl (``_socket_room``)
        self.tasks: dict[int, _Task] = {}  # sent, not answered; the first is being read
        self.sent = 0  # bytes of ``tasks``' pages

    def takes(self, task: _Task) -> bool:
        """Whether ``task`` may go to this worker now (``ExtractionPool._pump``)."""
        if not self.tasks:  # a page bigger than the room waits for an idle worker, which reads it
            return True
        return len(self.tasks) < QUEUED_PAGES and self.sent + len(task.payload) <= self.room


# Pages a worker holds: the one it reads and those queued behind it. With one queued, a
# worker waited for the crawl 10-13 % of its time (the crawl's process shares the two cores
# with the workers, and is not always scheduled the moment a worker answers); with eight,
# 3-4 % (2,000 pages).
QUEUED_PAGES = 8

# The crawl asks for this much send buffer on each worker's socket (Linux caps it at
# net.core.wmem_max: 208 kB by default).
_SEND_BUFFER = 1024 * 1024


def _socket_room(conn: Any) -> int:
    """Bytes of pages that fit in ``conn``'s send buffer, so that writing them never blocks.

    A busy worker is sent a page only if it fits: the crawl must never block writing to a
    worker that is itself blocked writing an answer back. Linux reports twice the size it
    was asked for (the other half pays for its own bookkeeping), hence the half.
    """
    with socket.socket(fileno=os.dup(conn.fileno())) as sock:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SEND_BUFFER)
        return max(0, sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 2 - 4096)


class ExtractionPool:
    """``workers`` processes reading pages; ``await pool.read(...)`` from the crawl's event loop.

    The event loop itself writes each page to a worker's socket and reads the answers as
    they come (``add_reader``): no thread in between, one wake-up a page. A worker holds up
    to ``QUEUED_PAGES`` pages, as many as its socket takes without blocking the loop.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.replaced = 0
        self._context: Any = None
        self._starting: concurrent.futures.Future[list[_Worker]] | None = None
        self._live: list[_Worker] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: deque[_Task] = deque()
        self._next_id = 0
        self._closed = False

    def _spawn(self) -> _Worker:
        if self._context is None:
            self._context = multiprocessing.get_context("forkserver")
            self._context.set_forkserver_preload(["clippings.workers", "clippings.extract.preload"])  # preload imports clippings.extract
        mine, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(target=serve, args=(theirs, os.getpid()), name="clippings-worker", daemon=True)
        process.start()
        theirs.close()
        return _Worker(process, mine, _socket_room(mine))

    def start(self) -> ExtractionPool:
        """Start the workers now rather than at the first page, without waiting for them.

        Starting a worker blocks until the fork server has imported the extraction code
        (about a second), so a thread does it while the crawl sets up Scrapy and reads
        its feeds; a page that arrives sooner waits in the pool's queue.
        """
        if self._starting is None:
            starting = self._starting = concurrent.futures.Future()

            def start_workers() -> None:
                try:
                    starting.set_result([self._spawn() for _ in range(self.workers)])
                except BaseException as exc:
                    starting.set_exception(exc)

            threading.Thread(target=start_workers, name="start-workers", daemon=True).start()
        return self

    async def _attach(self) -> None:
        """Watch the workers from the running loop (a new one after ``asyncio.run`` ends)."""
        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return
        starting = self.start()._starting
        assert starting is not None
        workers = await asyncio.wrap_future(starting)
        if self._loop is loop:  # another read attached them meanwhile
            return
        if self._loop is None:
            self._live = list(workers)
        self._loop = loop
        for worker in list(self._live):
            loop.add_reader(worker.conn.fileno(), self._answer, worker)

    async def read(
        self,
        site: Site,
        url: str,
        body: bytes,
        headers: Mapping[str, str],
        fetched_at: datetime | None,
        learned: tuple[tuple[str, str], ...] = (),
        verify: bool = False,
    ) -> Article:
        """The article on a page, as ``read_article`` gives it (NotArticle raised alike)."""
        if self._closed:
            raise WorkerCrashed("the extraction pool is closed")
        await self._attach()
        assert self._loop is not None
        self._next_id += 1
        payload = pickle.dumps(
            (self._next_id, (site.name, url, body, headers, fetched_at, learned, verify)), protocol=pickle.HIGHEST_PROTOCOL
        )
        task = _Task(self._next_id, url, payload, self._loop.create_future())
        self._queue.append(task)
        self._pump()
        kind, value, detail = await task.future
        if kind == "not_article":
            raise NotArticle(value, detail)
        if kind == "error":
            raise value
        return value

    def _pump(self) -> None:
        """Hand queued pages to workers with room for them."""
        while self._queue and self._live:
            worker = min(self._live, key=lambda w: len(w.tasks))
            task = self._queue[0]
            if not worker.takes(task):
                return
            self._queue.popleft()
            if not task.future.done():  # not given up by its caller
                self._send(worker, task)

    def _send(self, worker: _Worker, task: _Task) -> None:
        try:
            worker.conn.send_bytes(task.payload)
        except OSError:  # the worker was already gone: the page goes back, unharmed
            self._queue.appendleft(task)
            self._lost(worker)
            return
        worker.tasks[task.id] = task
        worker.sent += len(task.payload)

    def _answer(self, worker: _Worker) -> None:
        try:
            task_id, kind, value, detail = pickle.loads(worker.conn.recv_bytes())
        except (EOFError, OSError):
            self._lost(worker)
            return
        task = worker.tasks.pop(task_id, None)
        if task is not None:
            worker.sent -= len(task.payload)
        if task is not None and not task.future.done():
            task.future.set_result((kind, value, detail))
        self._pump()

    def _lost(self, worker: _Worker) -> None:
        """A worker died (a crash in a C library, the OOM killer): replace it; the page it was
        reading is tried once more, then reported; the pages queued behind it are just resent."""
        self._forget(worker)
        retry = []
        for position, task in enumerate(worker.tasks.values()):
            if task.future.done():
                continue
            if position == 0:
                if task.attempt >= 2:
                    task.future.set_exception(WorkerCrashed("an extraction worker died twice reading this page"))
                    continue
                task.attempt += 1
                logger.warning("%s: an extraction worker died; replacing it and trying again", task.url)
            retry.append(task)
        self._queue.extendleft(reversed(retry))
        if not self._closed:
            replacement = self._spawn()
            self.replaced += 1
            self._live.append(replacement)
            if self._loop is not None:
                self._loop.add_reader(replacement.conn.fileno(), self._answer, replacement)
        self._pump()

    def _forget(self, worker: _Worker) -> None:
        if worker in self._live:
            self._live.remove(worker)
        if self._loop is not None:
            with contextlib.suppress(Exception):  # a loop already closed has no readers left
                self._loop.remove_reader(worker.conn.fileno())
        worker.conn.close()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()

    def pids(self) -> list[int]:
        """The live workers' process ids (once started)."""
        return [worker.process.pid for worker in self._live]

    def close(self) -> None:
        """Stop the workers; pages still waiting fail with WorkerCrashed."""
        self._closed = True
        if self._starting is not None:
            with contextlib.suppress(Exception):
                workers = self._starting.result(timeout=120)
                if self._loop is None:
                    self._live = list(workers)
        waiting = list(self._queue)
        self._queue.clear()
        for worker in list(self._live):
            waiting.extend(worker.tasks.values())
            self._forget(worker)
        for task in waiting:
            if not task.future.done():
                with contextlib.suppress(RuntimeError):  # its loop is closed: nobody waits
                    task.future.set_exception(WorkerCrashed("the extraction pool was closed while this page waited"))


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
