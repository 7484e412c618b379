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
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro

from clippings.core.config import WithDefaults
from clippings.core.stats import count, stat_key
from clippings.crawl.resources import resources
from clippings.crawl.signals import article_written
from clippings.state import (
    Action,
    StateError,
    StateStore,
    conditional_headers,
    decide,
    is_unchanged,
    state_path,
)

logger = logging.getLogger(__name__)


def incremental(crawler: Crawler) -> Incremental | None:
    """The crawl's ``Incremental``, opened on first use; None when state is off, or when the
    crawl was refused (a bad setting, another crawl holding the collection's lock): such a
    crawl never opens the state (``clippings.crawl.admission``)."""
    held = resources(crawler)
    if not held.incremental_opened:
        from clippings.crawl.admission import admission

        held.incremental = Incremental.from_crawler(crawler) if admission(crawler).admitted else None
        held.incremental_opened = True
    return held.incremental


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
    again: bool = False  # a page cut inside its article: the next run fetches it again


class Incremental:
    def __init__(self, crawler: Crawler, store: StateStore, site: str, output: Path) -> None:
        self.crawler = crawler
        self.store = store
        self.site = site
        self.output = output
        self.recheck = timedelta(days=WithDefaults(crawler.settings).getfloat("CLIPPINGS_RECHECK_DROPPED_DAYS"))
        self.opened = False
        self.pending: dict[tuple[str, str], _Fetched] = {}
        self.sources: dict[str, dict[str, str | None]] = {}
        # Set False when this run cannot vouch for every listed article (see module doc).
        self.complete = True
        # Why the state could not be written (a full disk), once it could not: the crawl stops.
        self.failed: str | None = None
        self.known: set[str] = set()  # article ids ``plan`` found written before
        self.changed: set[tuple[str, str]] = set()  # refetched and changed: the next line is an update
        crawler.signals.connect(self.open, signal=signals.spider_opened)
        crawler.signals.connect(self.article_written, signal=article_written)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def open(self) -> None:
        """Reconcile with the output files, once, before the first decision."""
        if self.opened:
            return
        self.opened = True
        try:
            recovered = self.store.reconcile(self.output, self.site)
            known = self.store.count(self.site)
        except StateError as exc:
            self.write_failed(exc)
            return
        except sqlite3.Error as exc:  # a damaged file, found reading it
            self.write_failed(self.store.read_error(exc))
            return
        stats = self.crawler.stats
        stats.set_value(stat_key(self.site, "state/recovered_lines"), recovered)
        stats.set_value(stat_key(self.site, "state/known_articles"), known)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Incremental | None:
        settings = crawler.settings
        defaults = WithDefaults(settings)
        if not defaults.getbool("CLIPPINGS_INCREMENTAL"):
            return None
        if settings.get("CLIPPINGS_CLUSTER"):  # a node plans from the writer's mirror
            from clippings.crawl.cluster.node import mirror_store

            store = mirror_store(crawler)
        else:
            path = state_path(settings)
            store = StateStore(path)
            logger.info("incremental state: %s", path)
        site = crawler.spidercls.name
        return cls(crawler, store, site, Path(defaults.get("CLIPPINGS_OUTPUT_DIR")))

    def write_failed(self, exc: StateError) -> None:
        """The state could not be written: one ERROR line, and the crawl stops (as when the
        output cannot be written). Lines already on disk stay, and the next run records them
        from the files (``StateStore.reconcile``): nothing is lost or written twice."""
        if self.failed is not None:
            return
        self.failed = str(exc)
        self.crawler.stats.set_value("clippings/state_error", self.failed)
        logger.error("%s; stopping the crawl", exc)
        engine = self.crawler.engine
        if engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="state_error"))

    def count(self, key: str) -> None:
        count(self.crawler.stats, key, self.site)

    # --- articles -----------------------------------------------------------------------
    def plan(self, article_id: str, listed: datetime | None, given: bool) -> tuple[Action, dict[str, str]]:
        """What to do with an article URL, and the conditional headers for a revalidation."""
        self.open()
        if self.failed is not None:
            return Action.SKIP, {}  # the crawl is stopping: fetch nothing it cannot record
        try:
            seen = self.store.get(self.site, article_id)
            dropped = None if seen else self.store.get_dropped(self.site, article_id)
        except sqlite3.Error as exc:  # a damaged file, found reading it: the crawl stops
            self.write_failed(self.store.read_error(exc))
            return Action.SKIP, {}
        action = decide(seen, listed, given, dropped, self.recheck)
        headers = seen.conditional_headers() if seen and action is Action.REVALIDATE else {}
        if seen is not None:
            self.known.add(article_id)
        return action, headers

    def knows(self, article_id: str) -> bool:
        """Whether ``plan`` found the article in the collection (not just a URL that gave no
        article last time)."""
        return article_id in self.known

    def fetched(self, article_id: str, listed: datetime | None, response: Response, again: bool = False) -> None:
        """An article page arrived: keep what to record with it once it is written. ``again``:
        the page came cut (``clippings.extract.truncation``): recorded without its validators and
        marked for the next run to fetch whole (``StateStore.refetch``)."""
        found = {"etag": None, "last_modified": None} if again else validators(response)
        self.pending[(self.site, article_id)] = _Fetched(listed, **found, again=again)

    def not_modified(self, article_id: str, listed: datetime | None, response: Response) -> None:
        """A conditional request answered 304: the article is as written."""
        found = validators(response)
        self.count("incremental/not_modified")
        if self.failed is None:
            try:
                self.store.touch(self.site, article_id, listed=listed, **found)
            except StateError as exc:
                self.write_failed(exc)

    def dropped(self, article_id: str, url: str, reason: str, listed: datetime | None) -> None:
        """An article URL gave no article (video, soft 404, 404): not fetched again for a while."""
        self.pending.pop((self.site, article_id), None)
        if self.failed is None:
            try:
                self.store.record_dropped(self.site, article_id, url, reason, listed)
            except StateError as exc:
                self.write_failed(exc)

    def unchanged(self, record: dict[str, Any]) -> bool:
        """True (and the state refreshed) when a refetched article is as already written."""
        key = (record["site"], str(record["article_id"]))
        try:
            seen = self.store.get(*key)
        except sqlite3.Error as exc:  # a damaged file: the crawl stops; the line is written
            self.write_failed(self.store.read_error(exc))
            return False
        if not is_unchanged(seen, record):
            if seen is not None:
                self.changed.add(key)
            return False
        fetched = self.pending.pop(key, None) or _Fetched(None)
        if self.failed is None:
            try:
                self.store.touch(*key, listed=fetched.listed, etag=fetched.etag, last_modified=fetched.last_modified)
                if fetched.again:
                    self.store.refetch(*key)
            except StateError as exc:
                self.write_failed(exc)
        return True

    def article_written(
        self, item: Any, record: dict[str, Any], path: Path | None = None, end: int | None = None
    ) -> None:
        if path is None or end is None or record.get("site") != self.site:
            return
        key = (record["site"], str(record["article_id"]))
        fetched = self.pending.pop(key, None) or _Fetched(None)
        if key in self.changed:
            self.changed.discard(key)
            self.count("updated")  # written again because it changed
        if self.failed is not None:
            return  # on disk: the next run records it from the file
        try:
            self.store.record_written(
                record,
                path,
                end,
                listed=fetched.listed,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
            )
            if fetched.again:
                self.store.refetch(*key)
        except StateError as exc:
            self.write_failed(exc)

    # --- feeds and sitemaps -------------------------------------------------------------
    def source_headers(self, url: str) -> dict[str, str]:
        self.open()
        known = self.source(url) or {}
        return conditional_headers(known.get("etag"), known.get("last_modified"))

    def source(self, url: str) -> dict[str, str | None] | None:
        """What the last complete run saved of a feed or sitemap; None when the state cannot
        be read (a damaged file: the crawl stops, in one line)."""
        try:
            return self.store.source(url)
        except sqlite3.Error as exc:
            self.write_failed(self.store.read_error(exc))
            return None

    def source_unchanged(self, url: str, listed: str | None) -> bool:
        """A sitemap whose index lastmod is the one of the last complete run."""
        if not listed:
            return False
        known = self.source(url)
        if known is None or known.get("listed") != listed:
            return False
        self.sources[url] = known
        return True

    def source_fetched(self, url: str, response: Response, listed: str | None) -> None:
        if response.status == 304:
            self.sources[url] = self.source(url) or {}
        else:
            self.sources[url] = {**validators(response), "listed": listed}

    def incomplete(self, why: str) -> None:
        if self.complete:
            logger.info("%s: feed and sitemap validators will not be saved (%s)", self.site, why)
        self.complete = False

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        try:
            if reason == "finished" and self.complete and self.sources and self.failed is None:
                self.store.save_sources(self.sources)
                stats.set_value(stat_key(self.site, "state/sources_saved"), len(self.sources))
            stats.set_value(stat_key(self.site, "state/known_articles"), self.store.count(self.site))
        except StateError as exc:
            self.write_failed(exc)
        except sqlite3.Error as exc:
            self.write_failed(self.store.write_error(exc))
        finally:
            self.store.close()


__all__ = ["Action", "Incremental", "incremental", "state_path"]
