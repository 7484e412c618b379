"""The extraction-health extension: per site, the figures of ``clippings.core.health`` (each
field's coverage, errors, refusals) judged at the end of a crawl against their thresholds and
against the site's last runs (``clippings.core.drift``)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from clippings.collection.runs import read_runs
from clippings.core.config import WithDefaults
from clippings.core.drift import Baseline, baseline, drift_alarms, drift_limits
from clippings.core.finish import written_counts
from clippings.core.health import health_limits, judge
from clippings.core.items import Article
from clippings.core.stats import stat_key
from clippings.crawl.signals import article_written

logger = logging.getLogger("clippings.crawl.extensions")


class ExtractionHealth:
    """Per site, at the end of a crawl: the share of article pages with no title or body, of
    articles written missing each field, of pages that failed, of article pages refused.

    A share above its ``CLIPPINGS_HEALTH_MAX_*`` threshold is an alarm, once at least
    ``CLIPPINGS_HEALTH_MIN_PAGES`` pages count; so is a field's coverage that fell by more than
    ``CLIPPINGS_HEALTH_MAX_DROP`` below the median of the site's last runs, or a section none of
    them had on more than ``CLIPPINGS_HEALTH_MAX_NEW_VALUES`` of the articles. An alarm is logged
    as an error ("le360: 14 of 20 article pages had no body -- layout may have changed") and
    kept in the stats under ``clippings/<site>/health/alarms``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limits, self.min_pages = health_limits(crawler.settings)
        self.max_drop, self.max_new = drift_limits(crawler.settings)
        self.directory = Path(WithDefaults(crawler.settings).get("CLIPPINGS_OUTPUT_DIR"))
        self.baseline = Baseline()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionHealth:
        if not WithDefaults(crawler.settings).getbool("CLIPPINGS_HEALTH_ENABLED"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.article_written, signal=article_written)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        """The site's last runs, read before this run's line is appended."""
        try:
            runs = read_runs(self.directory)
        except OSError as exc:  # no comparison, said once; the thresholds still judge the run
            logger.warning("%s: the run history cannot be read, no comparison with the last runs: %s", spider.name, exc)
            runs = []
        self.baseline = baseline(runs, spider.name, self.min_pages)

    def article_written(self, item: Article, record: dict[str, Any]) -> None:
        stats = self.crawler.stats
        for key in written_counts(record):
            stats.inc_value(stat_key(item.site, key))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        site = spider.name
        counts = stats.get_stats()
        health = judge(counts, site, self.limits, self.min_pages, self.baseline.shares)
        health.alarms += drift_alarms(
            counts, site, self.baseline, self.max_drop, self.max_new, self.min_pages, frozenset(health.alarmed)
        )
        for check, share in health.shares.items():
            stats.set_value(stat_key(site, f"health/{check}"), share)
        stats.set_value(stat_key(site, "health/alarms"), health.alarms)
        logger.info("%s", health.info)
        for alarm in health.alarms:
            logger.error("%s", alarm)
        if health.warning:
            logger.warning("%s", health.warning)
