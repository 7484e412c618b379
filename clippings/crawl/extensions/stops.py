"""Stops that say what they are: the first Ctrl-C or SIGTERM, and the second.

The first signal says so at WARNING, whatever the log level::

    stopping: finishing 2 pages in flight (Ctrl-C again to force)

and from that moment the crawl fetches nothing new: the requests waiting in the downloader's
queues are taken back (into the JOBDIR's queue, when the crawl has one, for the next run),
any request that reaches the downloader later is refused (``Stopped``), and Scrapy's
graceful stop closes the spider once the pages in flight are in (finish reason
``shutdown``, run-history outcome ``stopped``).

A second signal ends the process at once: every crawl still open appends its run-history
line (finish reason and outcome ``forced``), the ``clippings`` command prints its summary,
and the process exits with 128 + the signal's number (130 for SIGINT, 143 for SIGTERM). What
was written stays as after a SIGKILL: whole lines, recovered by the next run.

A crawl that finishes with a JOBDIR marks it (``JOB_FINISHED``): a later run with the same
JOBDIR would fetch nothing and say all is well, so it is refused in one line
(``job_finished``; exit status 2 under ``clippings crawl``).

The crawls of one process share one ``StopSignals`` (``clippings.crawl.stopsignals``, on
their ``Shared``); the ``Stops`` extension of each crawl installs it once the reactor runs
(after Scrapy's own handlers, which it calls for the graceful stop). The ``clippings crawl``
command installs it before Scrapy loads: a crawl that starts after the first signal stops at
once (``NewsSpider.start`` asks ``stopping``), its run ``stopped``.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from clippings.core.stamps import utc_stamp
from clippings.crawl.extensions.history import RunHistory
from clippings.crawl.extensions.progress import Progress
from clippings.crawl.resources import resources
from clippings.crawl.stopsignals import StopSignals, forced_status

logger = logging.getLogger("clippings.crawl.extensions")

# Left in a JOBDIR by the crawl that finished there: the next run with it is refused.
JOB_FINISHED = "clippings.finished"


def job_finished(jobdir: str | os.PathLike[str] | None) -> str | None:
    """The one line that refuses a run with a JOBDIR whose crawl has finished, else None."""
    if not jobdir:
        return None
    try:
        when = (Path(jobdir) / JOB_FINISHED).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return (
        f"JOBDIR {jobdir}: its crawl finished ({when or 'date unknown'}); nothing is left to resume."
        " To start afresh, delete that folder or give another JOBDIR"
    )


class Stopped(IgnoreRequest):
    """A request not fetched because the crawl is stopping: neither an error nor a drop."""


def stop_signals(crawler: Crawler) -> StopSignals:
    shared = resources(crawler).shared
    if shared.stops is None:
        shared.stops = StopSignals()
    return shared.stops


def stopping(crawler: Crawler) -> bool:
    """Whether the crawl received the signal to stop."""
    found = resources(crawler).shared.stops
    return found is not None and found.stopping


class Stops:
    """The extension: registers the crawl with its process's ``StopSignals`` and installs
    them once the reactor runs; ``process_request`` (it is a downloader middleware too,
    ``StopsMiddleware``) refuses what reaches the downloader after the first signal."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.signals = stop_signals(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Stops:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        from twisted.internet import reactor

        self.signals.crawls[self.crawler] = self
        # Scrapy installs its handlers once the reactor has started: ours go after them.
        reactor.callLater(0, self.signals.install)

    def stop(self) -> None:
        """Scrapy's graceful stop of this crawl (finish reason ``shutdown``) once its engine
        runs; one whose engine does not run yet stops as its spider starts (``NewsSpider.start``
        asks ``stopping``)."""
        engine = self.crawler.engine
        if not engine.running:
            return
        if self.crawler.crawling:
            deferred_from_coro(self.crawler.stop_async())
        else:  # a stop asked before the engine ran left the crawler flagged, the engine going
            deferred_from_coro(engine.stop_async())

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.signals.crawls.pop(self.crawler, None)
        jobdir = self.crawler.settings.get("JOBDIR")
        if jobdir and reason == "finished":  # a run that stopped keeps its queue to resume
            try:
                (Path(jobdir) / JOB_FINISHED).write_text(f"{utc_stamp(datetime.now(UTC))}\n", encoding="utf-8")
            except OSError as exc:
                logger.warning("JOBDIR %s: cannot mark its crawl finished: %s", jobdir, exc)

    def take_back_queued(self) -> int:
        """Take back the requests waiting in the downloader's queues (their fetch fails with
        ``Stopped``; with a JOBDIR they go back to its queue); return the pages in flight."""
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return 0
        in_flight = 0
        for slot in list(downloader.slots.values()):
            while slot.queue:
                request, waiting = slot.queue.popleft()
                self.keep_for_next_run(request)
                waiting.errback(Failure(Stopped("stopping")))
            if slot.latercall is not None:
                slot.latercall.cancel()
                slot.latercall = None
            in_flight += len(slot.transferring)
        return in_flight

    def keep_for_next_run(self, request: Request) -> None:
        """A JOBDIR crawl's request not fetched goes back to its queue, for the resumed run."""
        if not self.crawler.settings.get("JOBDIR"):
            return
        slot = getattr(self.crawler.engine, "_slot", None)
        scheduler = getattr(slot, "scheduler", None)
        if scheduler is not None:
            kept = request.replace(dont_filter=True)
            kept.meta.pop("download_slot", None)
            scheduler.enqueue_request(kept)

    def redraw(self) -> None:
        shared = resources(self.crawler).shared
        progress = self.crawler.get_extension(Progress)
        if progress is not None and shared.live is not None:
            progress.tick(self.crawler.spidercls.name)

    def forced(self, signum: int) -> None:
        self.crawler.stats.set_value("finish_reason", "forced")
        history = self.crawler.get_extension(RunHistory)
        if history is not None and self.crawler.spider is not None:
            history.record_end(self.crawler.spider, "forced", forced_status(signum))


class StopsMiddleware:
    """Last before the downloader: a request that reaches it once the crawl is stopping is
    not fetched (``Stopped``; kept in the JOBDIR's queue when there is one)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StopsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if stopping(self.crawler):
            found = self.crawler.get_extension(Stops)
            if found is not None:
                found.keep_for_next_run(request)
            raise Stopped("stopping")
