"""The crawl's side: ``ExtractionPool``, the workers driven by the crawl's event loop."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import multiprocessing
import os
import pickle
import threading
from collections import deque
from typing import Any

from clippings.core.items import Article, NotArticle
from clippings.core.page import Page, ReadingContext
from clippings.workers.worker import Task, Worker, WorkerCrashed, serve, socket_room

logger = logging.getLogger("clippings.workers")


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
        self._starting: concurrent.futures.Future[list[Worker]] | None = None
        self._live: list[Worker] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: deque[Task] = deque()
        self._next_id = 0
        self._closed = False

    def _spawn(self) -> Worker:
        if self._context is None:
            self._context = multiprocessing.get_context("forkserver")
            self._context.set_forkserver_preload(
                ["clippings.workers", "clippings.extract.preload"]
            )  # preload imports clippings.extract
        mine, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(target=serve, args=(theirs, os.getpid()), name="clippings-worker", daemon=True)
        process.start()
        theirs.close()
        return Worker(process, mine, socket_room(mine))

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

    async def read(self, page: Page, context: ReadingContext) -> Article:
        """The article on a page, as ``read_article`` gives it (NotArticle raised alike).

        A worker is sent the page and the context's site by name (its own registry holds
        the same ``Site``) with the learned containers."""
        if self._closed:
            raise WorkerCrashed("the extraction pool is closed")
        await self._attach()
        assert self._loop is not None
        self._next_id += 1
        payload = pickle.dumps(
            (self._next_id, (page, context.site.name, context.learned)),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        task = Task(self._next_id, page.url, payload, self._loop.create_future())
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

    def _send(self, worker: Worker, task: Task) -> None:
        try:
            worker.conn.send_bytes(task.payload)
        except OSError:  # the worker was already gone: the page goes back, unharmed
            self._queue.appendleft(task)
            self._lost(worker)
            return
        worker.tasks[task.id] = task
        worker.sent += len(task.payload)

    def _answer(self, worker: Worker) -> None:
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

    def _lost(self, worker: Worker) -> None:
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

    def _forget(self, worker: Worker) -> None:
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
