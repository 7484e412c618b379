"""Scrapy extensions: extraction-health alarms, crawl progress, run history.

They work from the crawl's stats, so ``clippings crawl``, ``scrapy crawl`` and Scrapyd jobs
get the same figures in their stats, logs and run history; the ``clippings`` command turns a
health alarm into a non-zero exit status (see ``clippings.report``).
"""

from __future__ import annotations

import logging
import os
import resource
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from clippings.finish import written_counts
from clippings.health import health_figures, health_limits, judge, site_stat
from clippings.items import Article
from clippings.pipelines import article_written
from clippings.runs import append_run, package_version, run_record

__all__ = ["ExtractionHealth", "Progress", "health_figures", "site_stat"]

logger = logging.getLogger(__name__)


class ExtractionHealth:
    """Per site, at the end of a crawl: the share of article pages missing body, date, author.

    A share above ``CLIPPINGS_HEALTH_MAX_NO_BODY`` (``_NO_DATE``, ``_NO_AUTHOR``) is an
    alarm, once at least ``CLIPPINGS_HEALTH_MIN_PAGES`` pages count: it is logged as an
    error ("le360: 14 of 20 article pages had no body -- layout may have changed") and
    kept in the stats under ``clippings/<site>/health/alarms``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limits, self.min_pages = health_limits(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionHealth:
        if not crawler.settings.getbool("CLIPPINGS_HEALTH_ENABLED", True):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.article_written, signal=article_written)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def article_written(self, item: Article, record: dict[str, Any]) -> None:
        stats = self.crawler.stats
        for key in written_counts(record):
            stats.inc_value(f"clippings/{item.site}/{key}")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        site = spider.name
        health = judge(stats.get_stats(), site, self.limits, self.min_pages)
        for check, share in health.shares.items():
            stats.set_value(f"clippings/{site}/health/{check}", share)
        stats.set_value(f"clippings/{site}/health/alarms", health.alarms)
        logger.info("%s", health.info)
        for alarm in health.alarms:
            logger.error("%s", alarm)
        if health.warning:
            logger.warning("%s", health.warning)


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


_live: _LiveBlock | None = None


def _live_block(stream: TextIO) -> _LiveBlock:
    global _live
    if _live is None:
        _live = _LiveBlock(stream)
        for handler in logging.getLogger().handlers:
            if getattr(handler, "stream", None) is stream:
                handler.addFilter(_ClearLine(_live))
    return _live


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


class Progress:
    """Pages done and queued, articles, errors and rate while a crawl runs, per site.

    On a terminal (stderr is a TTY) one line per site, redrawn every second in place and cut
    to the terminal's width; otherwise (Scrapyd, cron) a plain log line every
    ``CLIPPINGS_PROGRESS_INTERVAL`` seconds. ``CLIPPINGS_PROGRESS_LIVE`` forces one or the
    other; an interval of 0 turns it off.
    """

    LIVE_REFRESH = 1.0

    def __init__(self, crawler: Crawler, interval: float, live: bool) -> None:
        self.crawler = crawler
        self.interval = interval
        self.live = live
        self.task: Any = None
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = crawler.settings.getfloat("CLIPPINGS_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        live_setting = crawler.settings.get("CLIPPINGS_PROGRESS_LIVE")
        live = (
            sys.stderr.isatty()
            if live_setting is None
            else crawler.settings.getbool("CLIPPINGS_PROGRESS_LIVE")
        )
        extension = cls(crawler, interval, live)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def line(self, site: str) -> str:
        """``le360: 412 pages done, 37 queued, 380 written, 0 errors, 612 pages/min``"""
        stats = self.crawler.stats.get_stats()
        pages = stats.get("response_received_count", 0)
        errors = sum(
            v
            for k, v in stats.items()
            if k.startswith(f"clippings/{site}/errors/") and isinstance(v, int)
        )
        minutes = max(time.monotonic() - self.started, 1e-6) / 60
        return (
            f"{site}: {pages} pages done, {queued(self.crawler)} queued, "
            f"{site_stat(stats, site, 'written')} written, {errors} errors, "
            f"{pages / minutes:.0f} pages/min"
        )

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        self.task = create_looping_call(self.tick, spider.name)
        self.task.start(
            min(self.LIVE_REFRESH, self.interval) if self.live else self.interval, now=False
        )

    def tick(self, site: str) -> None:
        if self.live:
            _live_block(sys.stderr).update(site, self.line(site))
        else:
            logger.info("progress: %s", self.line(site))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.live and _live is not None:
            _live.done(spider.name, f"{self.line(spider.name)}, {reason}")


class RunHistory:
    """One line a crawl in ``<CLIPPINGS_OUTPUT_DIR>/.state/runs.jsonl``, however it ends
    (``clippings.runs``): written when the spider closes, after the health figures (this
    extension comes after ExtractionHealth in EXTENSIONS). ``CLIPPINGS_RUN_HISTORY = False``
    turns it off. A history that cannot be written is logged; the crawl's own status stands."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.directory = Path(crawler.settings.get("CLIPPINGS_OUTPUT_DIR", "output"))
        self.run_id = uuid.uuid4().hex
        self.started: datetime | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunHistory:
        if not crawler.settings.getbool("CLIPPINGS_RUN_HISTORY", True):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started = datetime.now(UTC)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        finished = datetime.now(UTC)
        job = getattr(spider, "_job", None)  # Scrapyd's job id (a spider argument)
        record = run_record(
            self.crawler.stats.get_stats(),
            spider.name,
            run_id=str(job) if job else self.run_id,
            job=str(job) if job else None,
            started=self.started or finished,
            finished=finished,
            reason=reason,
            peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            version=package_version(),
        )
        try:
            path = append_run(self.directory, record)
        except OSError as exc:
            self.crawler.stats.set_value("clippings/run_history_error", str(exc))
            logger.error("%s: the run history cannot be written: %s", spider.name, exc)
            return
        logger.info("%s: run %s recorded in %s (exit status %d)", spider.name, record["run_id"], path, record["exit_status"])
