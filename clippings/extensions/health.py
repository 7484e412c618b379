"""The extraction-health extension: per site, the shares of article pages with no body and of
articles with no date or author, judged at the end of a crawl (``clippings.core.health``)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from clippings.core.finish import written_counts
from clippings.core.health import health_limits, judge
from clippings.core.items import Article
from clippings.core.stats import stat_key
from clippings.pipelines import article_written

logger = logging.getLogger("clippings.extensions")


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
            stats.inc_value(stat_key(item.site, key))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        site = spider.name
        health = judge(stats.get_stats(), site, self.limits, self.min_pages)
        for check, share in health.shares.items():
            stats.set_value(stat_key(site, f"health/{check}"), share)
        stats.set_value(stat_key(site, "health/alarms"), health.alarms)
        logger.info("%s", health.info)
        for alarm in health.alarms:
            logger.error("%s", alarm)
        if health.warning:
            logger.warning("%s", health.warning)
