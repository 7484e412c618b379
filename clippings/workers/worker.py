"""A worker process's side: the pages it reads, its answers, and its watch on the crawl that
started it (it exits when that process dies); and the crawl's view of one worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import select
import signal
import socket
import threading
import time
from typing import Any

from clippings.core.items import NotArticle
from clippings.core.page import Learned, Page, ReadingContext
from clippings.sites import get_site

logger = logging.getLogger("clippings.workers")


# trafilatura and htmldate keep LRU caches (bounded, but large once full); a worker empties
# them after this many pages, which keeps its memory near where it started.
RESET_CACHES_EVERY = 1000


class WorkerCrashed(RuntimeError):
    """A worker process died twice while reading the same page."""


_pages_read = 0


def read_in_worker(page: Page, site_name: str, learned: Learned = ()) -> tuple[str, Any, Any]:
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
        article = read_article(page, ReadingContext(get_site(site_name), learned))
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
    except BaseException:
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


class Task:
    __slots__ = ("attempt", "future", "id", "payload", "url")

    def __init__(self, task_id: int, url: str, payload: bytes, future: asyncio.Future[Any]) -> None:
        self.id, self.url, self.payload, self.future, self.attempt = task_id, url, payload, future, 1


class Worker:
    def __init__(self, process: Any, conn: Any, room: int) -> None:
        self.process = process
        self.conn = conn
        self.room = room  # bytes the socket takes without blocking the crawl (``socket_room``)
        self.tasks: dict[int, Task] = {}  # sent, not answered; the first is being read
        self.sent = 0  # bytes of ``tasks``' pages

    def takes(self, task: Task) -> bool:
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


def socket_room(conn: Any) -> int:
    """Bytes of pages that fit in ``conn``'s send buffer, so that writing them never blocks.

    A busy worker is sent a page only if it fits: the crawl must never block writing to a
    worker that is itself blocked writing an answer back. Linux reports twice the size it
    was asked for (the other half pays for its own bookkeeping), hence the half.
    """
    with socket.socket(fileno=os.dup(conn.fileno())) as sock:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SEND_BUFFER)
        return max(0, sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 2 - 4096)
