"""Ctrl-C and SIGTERM for the crawls of one process: ``StopSignals``, without Scrapy.

It imports neither Scrapy nor Twisted, so that the ``clippings crawl`` command installs it
before Scrapy loads (a second or more): a signal in that time is not a ``KeyboardInterrupt``
raised in the middle of Scrapy's start-up, which Scrapy would swallow and then report a crawl
that never ran as one that went well (exit status 0). A first signal received before the
reactor runs is kept: each crawl stops as soon as it starts (``NewsSpider.start`` asks
``clippings.crawl.extensions.stops.stopping``), records its run as ``stopped`` and exits 1;
a second one ends the process at once (130 or 143), as it does later.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

logger = logging.getLogger("clippings.crawl.extensions")

SIGNALS = (signal.SIGINT, signal.SIGTERM)
STOPPING = "stopping: finishing {count} pages in flight (Ctrl-C again to force)"


def forced_status(signum: int) -> int:
    """The exit status of a crawl forced to end by ``signum``: 130 (SIGINT), 143 (SIGTERM)."""
    return 128 + signum


def _running_reactor() -> Any:
    """Twisted's reactor when it runs, else None (never installs one: Scrapy chooses it)."""
    reactor = sys.modules.get("twisted.internet.reactor")
    return reactor if reactor is not None and getattr(reactor, "running", False) else None


class StopSignals:
    """The signal handling of the crawls that share one ``Shared`` (one process)."""

    def __init__(self) -> None:
        self.crawls: dict[Any, Any] = {}  # the crawls still open: Crawler -> its Stops
        self.signum: int | None = None  # the first signal received
        # Run when a second signal forces the end (the command prints its summary): signum.
        self.on_forced: list[Callable[[int], None]] = []

    @property
    def stopping(self) -> bool:
        return self.signum is not None

    def install(self) -> None:
        """Ours for SIGINT and SIGTERM. The crawls are stopped here, not by Scrapy's handlers
        (``clippings crawl`` and ``scrapy crawl`` start Scrapy without them): Scrapy's
        graceful stop stops the reactor as soon as the engines that run have stopped, under a
        crawl whose engine had not started yet (no history line, exit status 0)."""
        for signum in SIGNALS:
            if signal.getsignal(signum) != self.handle:
                signal.signal(signum, self.handle)

    def handle(self, signum: int, frame: Any) -> None:
        if self.signum is not None:
            self.force(signum)
            return
        self.signum = signum
        reactor = _running_reactor()
        if reactor is None:
            # Before the crawls run: nothing is in flight, each crawl stops as it starts.
            self.say(STOPPING.format(count=0))
            return
        reactor.callFromThread(self.stop_fetching)
        # Each crawl whose engine runs stops now; one still starting, as its spider starts.
        reactor.callFromThread(self.stop_crawls)

    def stop_crawls(self) -> None:
        for crawl in list(self.crawls.values()):
            crawl.stop()

    def stop_fetching(self) -> None:
        """The crawls fetch nothing new; the one WARNING line says how many pages are in flight."""
        in_flight = sum(crawl.take_back_queued() for crawl in list(self.crawls.values()))
        text = STOPPING.format(count=in_flight)
        if logger.isEnabledFor(logging.WARNING) and _handlers_show(logging.WARNING):
            logger.warning(text)
        else:  # a quieter log level: the line is said all the same
            print(text, file=sys.stderr, flush=True)
        for crawl in list(self.crawls.values()):
            crawl.redraw()

    @staticmethod
    def say(text: str) -> None:
        """A line from the signal handler itself, before the reactor runs: in the log when it
        shows WARNING, else on stderr in one ``write`` (no stream another write may hold)."""
        if logger.isEnabledFor(logging.WARNING) and _handlers_show(logging.WARNING):
            with contextlib.suppress(Exception):  # a log stream interrupted mid-write
                logger.warning(text)
                return
        with contextlib.suppress(OSError):
            os.write(2, (text + "\n").encode())

    def force(self, signum: int) -> None:
        """The second signal: every open crawl's history line says ``forced``, then the
        process ends with 128 + signum. Runs in the signal handler: nothing here may wait."""
        # Nothing may keep the process from ending: what fails here is passed over.
        for crawl in list(self.crawls.values()):
            with contextlib.suppress(Exception):
                crawl.forced(signum)
        for hook in self.on_forced:
            with contextlib.suppress(Exception):
                hook(signum)
        message = f"forced stop ({signal.Signals(signum).name} twice): pages in flight abandoned\n"
        with contextlib.suppress(Exception):  # a log stream interrupted mid-write
            logger.warning(message.rstrip())
        if not _handlers_show(logging.WARNING) or not logger.isEnabledFor(logging.WARNING):
            os.write(2, message.encode())
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(forced_status(signum))


def _handlers_show(level: int) -> bool:
    """Whether a record at ``level`` reaches one of the root logger's handlers."""
    handlers = logging.getLogger().handlers
    return any(handler.level <= level for handler in handlers)
