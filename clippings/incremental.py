"""Incremental crawls, Scrapy side: one ``Incremental`` per crawl, shared by spider and pipeline.

The state itself (``clippings.state``) imports no Scrapy. This module opens it where the
settings say (``CLIPPINGS_STATE``, default ``<CLIPPINGS_OUTPUT_DIR>/.state/state.sqlite``),
reconciles it with the output files before the crawl starts, records each article when
``article_written`` says its line is on disk, and keeps what feeds and sitemaps answered
(ETag, Last-Modified, sitemap-index lastmod) for the next run's conditional requests.

Feed and sitemap validators are saved only at the end of a complete, unrestricted run
(finished, no ``since``/``until``/``max_articles``, no article lost to a download error):
the next run trusts a 304 only because everything the source listed was dealt with.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from clippings.pipelines import article_written
from clippings.state import Action, StateStore, decide, is_unchanged, state_path, utc_iso

logger = logging.getLogger(__name__)

_by_crawler: WeakKeyDictionary[Crawler, Incremental | None] = WeakKeyDictionary()


def incremental(crawler: Crawler) -> Incremental | None:
    """The crawl's ``Incremental``, opened on first use; None when state is off."""
    if crawler not in _by_crawler:
        _by_crawler[crawler] = Incremental.from_crawler(crawler)
    return _by_crawler[crawler]


def validators(response: Response) -> dict[str, str | None]:
    def header(name: str) -> str | None:
        value = response.headers.get(name)
        return value.decode("latin-1") if value else None

    return {"etag": header("ETag"), "last_modified": header("Last-Modified")}


@dataclass
class _Fetched:
    listed: datetime | None
    etag: str | None = None
    last_modified: str | None = None


class Incremental:
    def __init__(self, crawler: Crawler, store: StateStore, site: str, output: Path) -> None:
        self.crawler = crawler
        self.store = store
        self.site = site
        self.output = output
        self.recheck = timedelta(days=crawler.settings.getfloat("CLIPPINGS_RECHECK_DROPPED_DAYS", 7.0))
        self.opened = False
        self.pending: dict[tuple[str, str], _Fetched] = {}
        self.sources: dict[str, dict[str, str | None]] = {}
        # Set False when this run cannot vouch for every listed article (see module doc).
        self.complete = True
        crawler.signals.connect(self.open, signal=signals.spider_opened)
        crawler.signals.connect(self.article_written, signal=article_written)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def open(self) -> None:
        """Reconcile with the output files, once, before the first decision."""
        if self.opened:
            return
        self.opened = True
        recovered = self.store.reconcile(self.output, self.site)
        stats = self.crawler.stats
        stats.set_value(f"clippings/{self.site}/state/recovered_lines", recovered)
        stats.set_value(f"clippings/{self.site}/state/known_articles", self.store.count(self.site))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Incremental | None:
        settings = crawler.settings
        if not settings.getbool("CLIPPINGS_INCREMENTAL", True):
            return None
        path = state_path(settings)
        store = StateStore(path)
        logger.info("incremental state: %s", path)
        site = crawler.spidercls.name
        return cls(crawler, store, site, Path(settings.get("CLIPPINGS_OUTPUT_DIR", "output")))

    def count(self, key: str) -> None:
        self.crawler.stats.inc_value(f"clippings/{key}")
        self.crawler.stats.inc_value(f"clippings/{self.site}/{key}")

    # --- articles -----------------------------------------------------------------------
    def plan(self, article_id: str, listed: datetime | None, given: bool) -> tuple[Action, dict[str, str]]:
        """What to do with an article URL, and the conditional headers for a revalidation."""
        self.open()
        seen = self.store.get(self.site, article_id)
        dropped = None if seen else self.store.get_dropped(self.site, article_id)
        action = decide(seen, listed, given, dropped, self.recheck)
        headers = seen.conditional_headers() if seen and action is Action.REVALIDATE else {}
        return action, headers

    def fetched(self, article_id: str, listed: datetime | None, response: Response) -> None:
        """An article page arrived: keep what to record with it once it is written."""
        self.pending[(self.site, article_id)] = _Fetched(listed, **validators(response))

    def not_modified(self, article_id: str, listed: datetime | None, response: Response) -> None:
        """A conditional request answered 304: the article is as written."""
        found = validators(response)
        self.store.touch(self.site, article_id, listed=listed, **found)
        self.count("incremental/not_modified")

    def dropped(self, article_id: str, url: str, reason: str, listed: datetime | None) -> None:
        """An article URL gave no article (video, soft 404, 404): not fetched again for a while."""
        self.pending.pop((self.site, article_id), None)
        self.store.record_dropped(self.site, article_id, url, reason, listed)

    def unchanged(self, record: dict[str, Any]) -> bool:
        """True (and the state refreshed) when a refetched article is as already written."""
        key = (record["site"], str(record["article_id"]))
        if not is_unchanged(self.store.get(*key), record):
            return False
        fetched = self.pending.pop(key, None) or _Fetched(None)
        self.store.touch(
            *key, listed=fetched.listed, etag=fetched.etag, last_modified=fetched.last_modified
        )
        return True

    def article_written(self, item: Any, record: dict[str, Any], path: Path | None = None, end: int | None = None) -> None:
        if path is None or end is None or record.get("site") != self.site:
            return
        key = (record["site"], str(record["article_id"]))
        fetched = self.pending.pop(key, None) or _Fetched(None)
        if self.store.get(*key) is not None:
            self.count("updated")  # an article of the collection, written again: it changed
        self.store.record_written(
            record,
            path,
            end,
            listed=fetched.listed,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
        )

    # --- feeds and sitemaps -------------------------------------------------------------
    def source_headers(self, url: str) -> dict[str, str]:
        self.open()
        known = self.store.source(url) or {}
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return headers

    def source_unchanged(self, url: str, listed: str | None) -> bool:
        """A sitemap whose index lastmod is the one of the last complete run."""
        if not listed:
            return False
        known = self.store.source(url)
        if known is None or known.get("listed") != listed:
            return False
        self.sources[url] = known
        return True

    def source_fetched(self, url: str, response: Response, listed: str | None) -> None:
        if response.status == 304:
            self.sources[url] = self.store.source(url) or {}
        else:
            self.sources[url] = {**validators(response), "listed": listed}

    def incomplete(self, why: str) -> None:
        if self.complete:
            logger.info("%s: feed and sitemap validators will not be saved (%s)", self.site, why)
        self.complete = False

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        try:
            if reason == "finished" and self.complete and self.sources:
                self.store.save_sources(self.sources)
                stats.set_value(f"clippings/{self.site}/state/sources_saved", len(self.sources))
            stats.set_value(f"clippings/{self.site}/state/known_articles", self.store.count(self.site))
        finally:
            self.store.close()


__all__ = ["Action", "Incremental", "incremental", "state_path", "utc_iso"]
