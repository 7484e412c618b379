"""Item pipelines, one small job each; the work itself is in ``clippings.core.normalize``.

Order (see settings.ITEM_PIPELINES): dates -> derived fields -> duplicates -> schema -> write.
Stats live under ``clippings/``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from clippings.collection.output import JsonLinesWriter, OutputError, repair_tails
from clippings.core.config import WithDefaults
from clippings.core.finish import Duplicates, dates_step, output_day, schema_problem
from clippings.core.items import Article
from clippings.core.normalize import derive
from clippings.core.stats import count
from clippings.crawl.incremental import incremental
from clippings.crawl.signals import article_written
from clippings.sites import SITES
from clippings.state import StateError

logger = logging.getLogger(__name__)


class _Pipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> _Pipeline:
        return cls(crawler)

    def count(self, key: str, site: str | None = None, url: str | None = None) -> None:
        count(self.stats, key, site, example=url)


class DatesPipeline(_Pipeline):
    """published, published_date, modified from the page's dates, in Morocco's civil time;
    problems counted, item kept. A date problem is a WARNING only once the article is written
    (a page dropped later, a duplicate or an unchanged article, says nothing of its date)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.pending: dict[str, list[str]] = {}  # by URL: warnings of articles not yet written
        crawler.signals.connect(self.written, signal=article_written)
        crawler.signals.connect(self.dropped, signal=signals.item_dropped)

    def process_item(self, item: Article) -> Article:
        counts, warnings = dates_step(item)
        if warnings:
            self.pending[item.url] = warnings
        for key in counts:
            self.count(key, item.site)
        return item

    def written(self, item: Article, **kwargs: Any) -> None:
        for warning in self.pending.pop(item.url, ()):
            logger.warning("%s", warning)

    def dropped(self, item: Any, **kwargs: Any) -> None:
        self.pending.pop(getattr(item, "url", None), None)


class DerivedFieldsPipeline(_Pipeline):
    def process_item(self, item: Article) -> Article:
        derive(item)
        return item


class DuplicatesPipeline(_Pipeline):
    """One line per article and content within a crawl (AMP and canonical URLs, feeds + sitemaps)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.duplicates = Duplicates()
        self.seen = self.duplicates.seen

    def process_item(self, item: Article) -> Article:
        if self.duplicates.is_duplicate(item):
            self.count("dropped/duplicate", item.site, item.url)
            raise DropItem(f"{item.url}: duplicate of an article already written in this crawl")
        return item


class SchemaPipeline(_Pipeline):
    """Nothing that breaks the output contract is written; the reason names the field."""

    def process_item(self, item: Article) -> Article:
        problem = schema_problem(item, SITES)
        if problem:
            reason, message = problem
            self.count(f"dropped/{reason}", item.site, item.url)
            # Not written, nor remembered as given up: the next run fetches it again.
            mark_incomplete = getattr(self.crawler.spider, "mark_incomplete", None)
            if mark_incomplete is not None:
                mark_incomplete(f"{reason} at {item.url}")
            # An invalid article is not a routine skip: the extraction gave what the contract refuses.
            raise DropItem(message, log_level="WARNING" if reason == "invalid" else None)
        return item


class DateRangePipeline(_Pipeline):
    """``since``/``until`` (spider arguments) on the article's own date, once it is read.

    Links whose feed or sitemap date is out of range are not even fetched (the spider checks
    them); this catches the rest. An article without a readable date is kept.
    """

    def process_item(self, item: Article) -> Article:
        spider = self.crawler.spider
        in_range = getattr(spider, "in_range", None)
        if in_range is not None and item.published_date and not in_range(item.published_date):
            self.count("skipped/out_of_range", item.site)
            raise DropItem(
                f"{item.url}: published {item.published or item.published_date}, outside the requested dates"
            )
        return item


class UnchangedPipeline(_Pipeline):
    """A refetched article with the same text and ``modified`` is not written again."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        try:
            self.incremental = incremental(crawler)
        except StateError:
            self.incremental = None  # the spider reports it and stops the crawl

    def process_item(self, item: Article) -> Article:
        if self.incremental is not None and self.incremental.unchanged(item.to_record()):
            self.count("skipped/unchanged", item.site)
            raise DropItem(f"{item.url}: unchanged since it was written")
        return item


class JsonLinesPipeline(_Pipeline):
    """Writes each article as one line of ``<CLIPPINGS_OUTPUT_DIR>/<site>/<day>.jsonl``."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.directory = Path(WithDefaults(crawler.settings).get("CLIPPINGS_OUTPUT_DIR"))
        self.writer = JsonLinesWriter(self.directory)
        self.failed = False
        from clippings.crawl.admission import admission

        # Takes the collection's lock if nothing in the crawl took it before.
        self.admission = admission(crawler)

    def open_spider(self) -> None:
        """The lock held: a line an earlier run left cut is removed from every file of the
        site, not only from those this run appends to (``clippings validate`` passes)."""
        if self.admission.admitted:
            repair_tails(self.directory / self.crawler.spidercls.name)

    def process_item(self, item: Article) -> Article:
        if not self.admission.admitted:  # nothing reaches here: the spider closed at once
            raise DropItem(f"{item.url}: the crawl was refused ({self.admission.refusal}), not written")
        if self.failed:
            raise DropItem(f"{item.url}: output is not writable, not written")
        record: dict[str, Any] = item.to_record()
        try:
            path = self.writer.write(item.site, output_day(item), record)
        except OutputError as exc:
            self.failed = True
            self.stats.set_value("clippings/output_error", str(exc))
            logger.error("%s; stopping the crawl", exc)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="output_error"))
            raise DropItem(f"{item.url}: not written: {exc}") from None
        self.count("written", item.site)
        self.crawler.signals.send_catch_log(
            article_written, item=item, record=record, path=path, end=self.writer.last_line_end
        )
        return item

    def close_spider(self) -> None:
        try:
            self.writer.close()
        except OutputError as exc:
            self.stats.set_value("clippings/output_error", str(exc))
            logger.error("%s", exc)
