"""One writer per collection and site: an exclusive ``flock`` on ``DIR/.state/<site>.lock``.

A crawl takes it before it reads the incremental state and holds it until its files are
closed, so the decision that an article is new or changed and the write of its line are
never made by two crawls at once. A second crawl of the same site into the same folder
waits up to ``CLIPPINGS_LOCK_WAIT`` seconds for it, then gives up with ``Busy``, whose
text is the one line the operator sees::

    output/ is being written by another crawl of le360 (pid 1234, since 10:05:03); not starting

The kernel lets go of the lock when its holder exits, however it exits (SIGKILL, OOM):
there is never a stale lock to remove, and the file itself is never deleted (a crawl that
deleted it could let two others hold "the" lock at once). Its content, the holder's pid
and start time, is only for that message. Imports no Scrapy.

The ``clippings`` command takes the locks of all its sites before Scrapy starts
(``reserve``) and each crawl ``claim``s its own; ``scrapy crawl`` and Scrapyd jobs take it
in the crawl (``clippings.crawl.admission``).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

# What a crawl refused by the lock exits with under the ``clippings`` command (sysexits.h
# EX_TEMPFAIL: "try again later", which is what a scheduler should do).
BUSY_STATUS = 75


def lock_path(output: str | os.PathLike[str], site: str) -> Path:
    return Path(output) / ".state" / f"{site}.lock"


def shown_folder(output: str | os.PathLike[str]) -> str:
    """The output folder as the operator gave it, with one trailing slash: ``output/``."""
    text = os.fspath(output)
    return text if text.endswith("/") else f"{text}/"


class Busy(Exception):
    """Another crawl holds the lock; ``str()`` is the one line to print."""

    def __init__(self, output: str | os.PathLike[str], site: str, pid: int | None, since: float | None) -> None:
        self.output, self.site, self.pid, self.since = output, site, pid, since
        holder = f"pid {pid}" if pid else "pid unknown"
        if since is not None:
            holder += f", since {_clock(since)}"
        super().__init__(f"{shown_folder(output)} is being written by another crawl of {site} ({holder}); not starting")


def _clock(since: float, now: float | None = None) -> str:
    """10:05:03 (local time) the same day; with the day before it otherwise."""
    then, today = time.localtime(since), time.localtime(now)
    same_day = then[:3] == today[:3]
    return time.strftime("%H:%M:%S" if same_day else "%Y-%m-%d %H:%M:%S", then)


class WriterLock:
    """The lock of one site's part of one collection."""

    def __init__(self, output: str | os.PathLike[str], site: str) -> None:
        self.output = output
        self.site = site
        self.path = lock_path(output, site)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if it is free (True), False if another crawl holds it. OSError when
        the file cannot be created (its folder cannot exist, is not writable)."""
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        self._fd = fd
        try:  # who holds it, for the message another crawl prints
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps({"pid": os.getpid(), "since": time.time()}).encode() + b"\n", 0)
        except OSError:
            pass  # a full disk: the lock holds all the same, the message will say "pid unknown"
        return True

    def busy(self, patience: float = 1.0) -> Busy:
        """Busy naming the holder. Its pid is written just after it took the lock: a file
        still empty is read again for up to ``patience`` seconds."""
        deadline = time.monotonic() + patience
        while True:
            pid, since = _holder(self.path)
            if pid or time.monotonic() >= deadline:
                return Busy(self.output, self.site, pid, since)
            time.sleep(0.02)

    def acquire(
        self,
        wait: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Take the lock, waiting up to ``wait`` seconds for it; Busy when it stayed taken."""
        busy = acquire_all([self], wait, sleep, clock)
        if busy:
            raise busy[0]

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor lets go of the flock

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire_all(
    locks: Iterable[WriterLock],
    wait: float = 0.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    given_up: Callable[[], bool] = lambda: False,
) -> list[Busy]:
    """Take every lock that can be taken within ``wait`` seconds, all waited for at once;
    returns Busy for each that stayed taken. OSError when a lock file cannot be created.
    ``given_up``: the wait ends early once it says so (a Ctrl-C while waiting)."""
    pending = list(locks)
    deadline = clock() + max(0.0, wait)
    while True:
        pending = [lock for lock in pending if not lock.try_acquire()]
        left = deadline - clock()
        if not pending or left <= 0 or given_up():
            return [lock.busy() for lock in pending]
        sleep(min(0.25, left))


def _holder(path: Path) -> tuple[int | None, float | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
        pid, since = data.get("pid"), data.get("since")
        return (pid if isinstance(pid, int) else None), (float(since) if isinstance(since, (int, float)) else None)
    except (OSError, ValueError, AttributeError):
        return None, None
