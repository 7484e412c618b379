"""The run-history extension: one line per crawl in ``DIR/.state/runs.ndjson`` (``clippings.runs``)."""

from __future__ import annotations

import logging
import resource
import uuid
from datetime import UTC, datetime
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from clippings.runs import append_run, package_version, run_record

logger = logging.getLogger("clippings.extensions")


class RunHistory:
    """One line a crawl in ``<CLIPPINGS_OUTPUT_DIR>/.state/runs.ndjson``, however it ends
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
        logger.info(
            "%s: run %s recorded in %s (exit status %d)", spider.name, record["run_id"], path, record["exit_status"]
        )
