"""The run-history extension: one line per crawl in ``DIR/.state/runs.ndjson`` (``clippings.collection.runs``)."""

from __future__ import annotations

import logging
import resource
import uuid
from datetime import UTC, datetime
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from clippings.collection.run_line import package_version, run_record
from clippings.collection.runs import append_run
from clippings.core.config import WithDefaults
from clippings.crawl.resources import resources
from clippings.state.marks import clear_started, mark_started

logger = logging.getLogger("clippings.crawl.extensions")


class RunHistory:
    """One line a crawl in ``<CLIPPINGS_OUTPUT_DIR>/.state/runs.ndjson``, however it ends
    (``clippings.collection.runs``): written when the spider closes, after the health figures (this
    extension comes after ExtractionHealth in EXTENSIONS). ``CLIPPINGS_RUN_HISTORY = False``
    turns it off. A history that cannot be written is logged; the crawl's own status stands.

    A crawl admitted to write leaves a ``started`` mark (``clippings.state.marks.mark_started``)
    when it opens, which its line replaces: one that ends without a line (SIGKILL) is shown
    by ``clippings status`` as ``interrupted``. A forced stop appends its line from the
    signal handler (``record_end``, ``clippings.crawl.extensions.stops``). A spider whose class
    says ``writes_history = False`` (``clippings record``'s) writes neither."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.directory = Path(WithDefaults(crawler.settings).get("CLIPPINGS_OUTPUT_DIR"))
        self.run_id = uuid.uuid4().hex
        self.started: datetime | None = None
        self.recorded = False
        self.marked = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunHistory:
        if not WithDefaults(crawler.settings).getbool("CLIPPINGS_RUN_HISTORY"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started = datetime.now(UTC)
        if not getattr(spider, "writes_history", True):
            return
        admitted = resources(self.crawler).admission
        if admitted is None or not admitted.admitted or admitted.lock is None:
            return  # refused, or writing nothing: another crawl's mark is not ours to touch
        job = getattr(spider, "_job", None)
        try:
            mark_started(self.directory, spider.name, str(job) if job else self.run_id, self.started)
            self.marked = True
        except OSError as exc:
            logger.warning("%s: cannot leave the run's started mark: %s", spider.name, exc)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.record_end(spider, reason)

    def record_end(self, spider: Spider, reason: str, exit_status: int | None = None) -> None:
        """Append the run's line (once: a forced stop's, then no other)."""
        if self.recorded or not getattr(spider, "writes_history", True):
            return
        self.recorded = True
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
            exit_status=exit_status,
        )
        try:
            path = append_run(self.directory, record)
        except OSError as exc:
            self.crawler.stats.set_value("clippings/run_history_error", str(exc))
            logger.error("%s: the run history cannot be written: %s", spider.name, exc)
            return
        if self.marked:
            clear_started(self.directory, spider.name, record["run_id"])
        logger.info(
            "%s: run %s recorded in %s (exit status %d)", spider.name, record["run_id"], path, record["exit_status"]
        )
