"""Whether a crawl may start: its settings and arguments checked, its collection's lock taken.

The ``clippings`` command checks the settings and takes the locks before Scrapy starts
(``clippings.cli``). ``scrapy crawl`` and Scrapyd jobs have no such step, so the crawl does
both itself, at its first moment, before anything reads a setting's value or the state:

- every declared setting (``clippings.core.config``) is checked; a bad one is put back to its
  default, so that nothing (Scrapy's downloader, an extension) fails on it with a
  traceback, and the crawl is refused: ``bad_setting``;
- so are the spider arguments (``since``, ``until``, ``max_articles``, ``urls``);
- then the writer's lock (``clippings.collection.lock``) is taken, waiting up to
  ``CLIPPINGS_LOCK_WAIT`` seconds: ``locked`` when another crawl holds it.

A refused crawl is closed at once by the spider (``NewsSpider.start``) with that finish
reason and one ERROR line; it reads no state and writes nothing. ``admission(crawler)`` is
asked by the spider, the pipelines and the incremental state, whichever comes first, and
the ``Admit`` extension lets go of the lock once the crawl's files and state are closed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import default_settings as scrapy_defaults

from clippings.collection import lock as locks
from clippings.core.config import DECLARED, DEFAULTS, SettingError, WithDefaults, check_value
from clippings.crawl.resources import resources

logger = logging.getLogger(__name__)

WRITER = "clippings.crawl.pipelines.JsonLinesPipeline"


@dataclass(frozen=True)
class Refusal:
    reason: str  # the crawl's finish reason: bad_setting, locked, output_error
    message: str  # the one line logged at ERROR
    logger: str  # the logger that says it


class Admission:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.refusal: Refusal | None = None
        self.lock: locks.WriterLock | None = None

    @property
    def admitted(self) -> bool:
        return self.refusal is None

    def refuse(self, reason: str, message: str, by: str = __name__) -> None:
        if self.refusal is None:
            self.refusal = Refusal(reason, message, by)
            self.release()

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def admission(crawler: Crawler, argument_error: str | None = None) -> Admission:
    """The crawl's Admission, decided on the first call (``argument_error``: what the spider
    found wrong with its arguments, if anything)."""
    held = resources(crawler)
    found = held.admission
    if found is None:
        found = held.admission = Admission(crawler)
        problem = checked_settings(crawler.settings)
        if problem is None and argument_error:
            problem = argument_error
        if problem is None:
            from clippings.crawl.extensions.stops import job_finished

            problem = job_finished(crawler.settings.get("JOBDIR"))
        if problem is not None:
            found.refuse("bad_setting", f"{problem}; the crawl is not started", crawler.spidercls.name)
        elif writes(crawler.settings):
            _take_lock(found)
    elif argument_error:
        found.refuse("bad_setting", f"{argument_error}; the crawl is not started", crawler.spidercls.name)
    return found


def checked_settings(settings: Any) -> str | None:
    """Every declared setting checked; each bad one put back to its default (at the priority
    it was given with), so that no component fails reading it. The first problem, or None."""
    first = None
    for name in settings:  # a typo would otherwise be ignored, every run
        if isinstance(name, str) and name.startswith("CLIPPINGS_") and name not in DECLARED:
            try:
                check_value(name, settings.get(name))
            except SettingError as exc:
                first = first or str(exc)
    for name in DECLARED:
        try:
            check_value(name, settings.get(name))
        except SettingError as exc:
            first = first or str(exc)
            if not settings.frozen:
                settings.set(name, default_of(name), priority=settings.getpriority(name) or "project")
    return first


def default_of(name: str) -> Any:
    from clippings import settings as project

    if name in DEFAULTS:
        return DEFAULTS[name]
    if hasattr(project, name):
        return getattr(project, name)
    return vars(scrapy_defaults).get(name)  # not getattr: deprecated names warn through it


def writes(settings: Any) -> bool:
    """Whether the crawl writes a collection: JSON lines, or the incremental state (a
    cluster node writes neither: its writer does, holding the lock)."""
    if settings.get("CLIPPINGS_CLUSTER"):
        return False
    pipelines = settings.getwithbase("ITEM_PIPELINES")

    def name(key: Any) -> str:
        return key if isinstance(key, str) else f"{getattr(key, '__module__', '')}.{getattr(key, '__name__', '')}"

    writer = any(order is not None and name(key) == WRITER for key, order in pipelines.items())
    try:
        incremental = WithDefaults(settings).getbool("CLIPPINGS_INCREMENTAL")
    except ValueError:
        incremental = True
    return writer or incremental


def _take_lock(found: Admission) -> None:
    crawler = found.crawler
    output = WithDefaults(crawler.settings).get("CLIPPINGS_OUTPUT_DIR")
    site = crawler.spidercls.name
    held = resources(crawler).shared.claim(output, site)  # taken by the clippings command for this crawl
    if held is not None:
        found.lock = held
        return
    lock = locks.WriterLock(output, site)
    try:
        lock.acquire(WithDefaults(crawler.settings).getfloat("CLIPPINGS_LOCK_WAIT"))
    except locks.Busy as busy:
        found.refuse("locked", str(busy))
        return
    except OSError as exc:
        # The collection's folder cannot hold files: nothing could be written. Said as the
        # writer says it, naming the site's folder when that is what cannot exist.
        from clippings.collection.output import JsonLinesWriter, OutputError

        try:
            JsonLinesWriter(output).prepare(site)
        except OutputError as cannot:
            found.refuse("output_error", f"{cannot}; stopping the crawl", "clippings.crawl.pipelines")
        else:
            found.refuse(
                "output_error",
                f"cannot write to {lock.path}: {exc.strerror or exc}; stopping the crawl",
                "clippings.crawl.pipelines",
            )
        return
    found.lock = lock


class Admit:
    """The extension that makes every crawl decide its admission (even one whose spider
    does not ask) and lets go of the writer's lock once the crawl's files and its state are
    closed (its ``spider_closed`` runs after the pipelines' ``close_spider`` and after the
    incremental state's own ``spider_closed``, connected before it)."""

    def __init__(self, found: Admission) -> None:
        self.found = found

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Admit:
        found = admission(crawler)
        if found.lock is None and found.admitted:
            raise NotConfigured  # writes nothing: no lock to hold
        extension = cls(found)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.spider_closed, signal=signals.engine_stopped)
        return extension

    def spider_closed(self) -> None:
        self.found.release()
