"""Crawl progress: one live line per site on a terminal, else a log line now and then."""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any, TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.extensions.logstats import LogStats
from scrapy.utils.asyncio import create_looping_call

from clippings.core.stats import site_prefix, site_stat
from clippings.crawl.resources import Shared, resources

logger = logging.getLogger("clippings.crawl.extensions")


class _LiveBlock:
    """One status line per site on a terminal, redrawn in place, shared by every crawl of
    the process. Each line is cut to the terminal's width (read again at every redraw), one
    column short of it, so that no terminal ever wraps it and the redraw finds its lines
    where it left them."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.lines: dict[str, str] = {}
        self.running: set[str] = set()
        self.drawn = 0  # lines on the screen; the cursor is at the end of the last one

    def width(self) -> int:
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            columns = 0
        return columns if columns > 0 else 80  # a terminal that does not say: 80

    def _up(self) -> str:
        """Back to the first line of the block (the cursor is on its last)."""
        return f"\x1b[{self.drawn - 1}A" if self.drawn > 1 else ""

    def update(self, name: str, text: str) -> None:
        self.running.add(name)
        self.lines[name] = text
        self.draw()

    def draw(self) -> None:
        room = max(self.width() - 1, 1)
        parts = [self._up()]
        for number, text in enumerate(self.lines.values()):
            parts.append(("\n" if number else "") + "\r\x1b[K" + text[:room])
        if len(self.lines) < self.drawn:
            parts.append("\x1b[J")  # lines of sites no longer shown
        self.stream.write("".join(parts))
        self.stream.flush()
        self.drawn = len(self.lines)

    def clear(self) -> None:
        if self.drawn:
            self.stream.write(self._up() + ("\x1b[J" if self.drawn > 1 else "") + "\r\x1b[K")
            self.stream.flush()
            self.drawn = 0

    def done(self, name: str, text: str | None = None) -> None:
        """A site's crawl ended: its last figures stay until every crawl has ended."""
        self.running.discard(name)
        if text is not None and name in self.lines:
            self.lines[name] = text
        if self.running:
            if self.drawn:
                self.draw()
        else:
            self.clear()
            self.lines.clear()


class _ClearLine(logging.Filter):
    """Clears the live lines before a log record is printed over them; the next redraw puts
    them back under it."""

    def __init__(self, live: _LiveBlock) -> None:
        super().__init__()
        self.live = live

    def filter(self, record: logging.LogRecord) -> bool:
        self.live.clear()
        return True


def _live_block(shared: Shared, stream: TextIO) -> _LiveBlock:
    """The live display of the crawls sharing ``shared`` (one terminal), drawn on first use."""
    if shared.live is None:
        shared.live = _LiveBlock(stream)
        for handler in logging.getLogger().handlers:
            if getattr(handler, "stream", None) is stream:
                handler.addFilter(_ClearLine(shared.live))
    return shared.live


def queued(crawler: Crawler) -> int:
    """Requests waiting in the crawl's scheduler or being downloaded."""
    try:
        engine = crawler.engine
    except RuntimeError:  # not started yet (Scrapy 2.19 raises; older ones give None)
        engine = None
    if engine is None:
        return 0
    scheduler = getattr(engine, "scheduler", None)
    if scheduler is None:
        slot = getattr(engine, "_slot", None) or getattr(engine, "slot", None)
        scheduler = getattr(slot, "scheduler", None)
    waiting = 0
    try:
        waiting = len(scheduler) if scheduler is not None else 0
    except TypeError:  # a scheduler without a length
        waiting = 0
    downloader = getattr(engine, "downloader", None)
    return waiting + len(getattr(downloader, "active", ()) or ())


def progress_line(crawler: Crawler, site: str, pages_per_minute: float) -> str:
    """``le360: 412 pages done, 37 queued, 380 written, 0 errors, 612 pages/min`` (``, stopping``
    once the crawl received the signal to stop)"""
    stats = crawler.stats.get_stats()
    errors = sum(v for k, v in stats.items() if k.startswith(site_prefix(site, "errors")) and isinstance(v, int))
    stops = resources(crawler).shared.stops  # clippings.crawl.extensions.stops, once a crawl opened
    return (
        f"{site}: {stats.get('response_received_count', 0)} pages done, {queued(crawler)} queued, "
        f"{site_stat(stats, site, 'written')} written, {errors} errors, {pages_per_minute:.0f} pages/min"
        + (", stopping" if stops is not None and stops.stopping else "")
    )


def _interval(crawler: Crawler) -> float:
    interval = crawler.settings.getfloat("CLIPPINGS_PROGRESS_INTERVAL")
    if interval <= 0:
        raise NotConfigured
    return interval


def _live(crawler: Crawler) -> bool:
    """A live display (stderr is a terminal, or ``CLIPPINGS_PROGRESS_LIVE``), else log lines."""
    setting = crawler.settings.get("CLIPPINGS_PROGRESS_LIVE")
    return sys.stderr.isatty() if setting is None else crawler.settings.getbool("CLIPPINGS_PROGRESS_LIVE")


class Progress:
    """Pages done and queued, articles, errors and rate while a crawl runs, per site, on a
    terminal (stderr is a TTY, or ``CLIPPINGS_PROGRESS_LIVE``): one line per site, redrawn
    every second in place and cut to the terminal's width. Elsewhere (Scrapyd, cron) the
    same line is logged by ``SiteLogStats`` every ``CLIPPINGS_PROGRESS_INTERVAL`` seconds;
    an interval of 0 turns both off.
    """

    LIVE_REFRESH = 1.0

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.shared = resources(crawler).shared
        self.interval = interval
        self.task: Any = None
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = _interval(crawler)
        if not _live(crawler):
            raise NotConfigured  # SiteLogStats logs it
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def line(self, site: str) -> str:
        pages = self.crawler.stats.get_value("response_received_count", 0)
        return progress_line(self.crawler, site, pages / (max(time.monotonic() - self.started, 1e-6) / 60))

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        self.task = create_looping_call(self.tick, spider.name)
        self.task.start(min(self.LIVE_REFRESH, self.interval), now=False)

    def tick(self, site: str) -> None:
        _live_block(self.shared, sys.stderr).update(site, self.line(site))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.shared.live is not None:
            self.shared.live.done(spider.name, f"{self.line(spider.name)}, {reason}")


class SiteLogStats(LogStats):
    """Scrapy's ``LogStats`` (in its place in ``EXTENSIONS``), its line the site's progress:
    ``progress: le360: 412 pages done, 37 queued, 380 written, 0 errors, 612 pages/min``
    every ``CLIPPINGS_PROGRESS_INTERVAL`` seconds, the rate that of the last interval. Off
    under a live display, which shows the same line."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        super().__init__(crawler.stats, interval)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteLogStats:
        interval = _interval(crawler)
        if _live(crawler):
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def log(self, spider: Spider) -> None:
        self.calculate_stats()
        logger.info("progress: %s", progress_line(self.crawler, spider.name, self.prate))
