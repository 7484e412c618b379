"""The one spider logic shared by every site: discover, fetch, hand pages to extraction.

Each site's spider is made from the registry (``clippings.spiders``); all site knowledge lives in
``clippings.sites.<name>``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from clippings.admission import Admission, admission
from clippings.arguments import parse_count, parse_day, parse_workers
from clippings.dates import morocco_day
from clippings.discovery import (
    FeedError,
    link_time,
    listing_entries,
    next_page,
    parse_xml_links,
    robots_sitemaps,
    sniff,
)
from clippings.finish import REMEMBERED_DROPS, in_range
from clippings.incremental import Action, Incremental, incremental
from clippings.items import Article, NotArticle
from clippings.learning import ContainerMemory, learn_containers, reading_counts, should_verify
from clippings.runs import add_example
from clippings.sites.base import Site
from clippings.state import StateError
from clippings.workers import ExtractionPool, acquire, release



def split_urls(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``-a urls=A,B`` (Scrapy, Scrapyd) or a list (the CLI) -> URLs."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [u.strip() for u in value if u and u.strip()]


class NewsSpider(scrapy.Spider):
    site: ClassVar[Site]
    incremental: Incremental | None = None
    state_error: str | None = None
    pool: ExtractionPool | None = None
    containers: ContainerMemory
    admission: Admission

    def __init__(
        self,
        *args: Any,
        urls: str | list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        max_articles: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_domains = sorted(self.site.hosts)
        self.given_urls = split_urls(urls)
        self.articles_found = 0
        self.since = self.until = None
        self.max_articles = None
        # A bad argument (``-a since=2025-13-01``) does not raise here, in the middle of
        # Scrapy's start-up (a traceback): it refuses the crawl (``clippings.admission``).
        self.argument_error: str | None = None
        try:
            self.since = parse_day(since, "since")
            self.until = parse_day(until, "until")
            if self.since and self.until and self.since > self.until:
                raise ValueError(f"since={self.since} is after until={self.until}")
            self.max_articles = parse_count(max_articles, "max_articles")
            offsite = [url for url in self.given_urls if not self.site.owns(url)]
            if offsite:
                raise ValueError(f"urls={offsite[0]!r}: not a URL of {self.site.name}")
        except ValueError as exc:
            self.since = self.until = self.max_articles = None
            self.argument_error = str(exc)
        self.article_requests = 0
        self.planned_ids: set[str] = set()
        self.listed_not_articles: set[str] = set()
        self.skipped_ids: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # First of all: the settings and arguments checked, the collection's lock taken.
        spider.admission = admission(crawler, spider.argument_error)
        spider.containers = ContainerMemory(None)
        crawler.signals.connect(spider.robots_received, signal=signals.response_received)
        if not spider.admission.admitted:
            return spider  # start() closes it at once
        try:
            spider.incremental = incremental(crawler)
        except StateError as exc:
            # Without its state a crawl would fetch and write everything again: it stops.
            spider.state_error = str(exc)
        spider.containers = ContainerMemory(spider.incremental.store.db if spider.incremental else None)
        if spider.incremental and (spider.since or spider.until or spider.max_articles):
            spider.incremental.incomplete("a restricted run: since, until or max_articles")
        workers = parse_workers(crawler.settings.get("CLIPPINGS_WORKERS", 1))
        if workers > 1:
            spider.pool = acquire(workers)
            crawler.signals.connect(spider.release_pool, signal=signals.spider_closed)
        return spider

    def release_pool(self) -> None:
        if self.pool is not None:
            if self.pool.replaced:
                self.crawler.stats.set_value("clippings/workers/replaced", self.pool.replaced)
            release(self.pool)
            self.pool = None

    # --- entry points ------------------------------------------------------------------
    def entry_points(self) -> list[str]:
        """Where a crawl starts when no URL is given: the feeds, then the sitemaps.

        robots.txt comes first: Scrapy's robots.txt middleware fetches it and
        ``robots_received`` follows the sitemaps it names (fetched by us when robots.txt is
        not obeyed). Backfills (``since``) add the first page of each section listing.
        """
        points = [*self.site.feed_urls, *self.site.sitemap_urls]
        if not self.crawler.settings.getbool("ROBOTSTXT_OBEY"):
            points.insert(0, self.site.robots_url)
        if self.since:
            points.extend(self.site.listing_urls)
        return points

    async def start(self) -> AsyncIterator[scrapy.Request]:
        refusal = self.admission.refusal
        if refusal is not None:
            logging.getLogger(refusal.logger).error("%s", refusal.message)
            self.crawler.stats.set_value("clippings/refused", refusal.message)
            if refusal.reason == "output_error":
                cause = refusal.message.removesuffix("; stopping the crawl")
                self.crawler.stats.set_value("clippings/output_error", cause)
            await self.crawler.engine.close_spider_async(reason=refusal.reason)
            return
        if self.state_error:
            self.logger.error("%s; stopping the crawl", self.state_error)
            self.crawler.stats.set_value("clippings/state_error", self.state_error)
            await self.crawler.engine.close_spider_async(reason="state_error")
            return
        for url in self.given_urls or self.entry_points():
            if not self.site.owns(url):
                self.logger.error("%s: not a %s URL, skipped", url, self.site.name)
                self.count("dropped/offsite_url", url=url)
                continue
            if self.site.is_article_url(url):
                request = self.article_request(url, given=bool(self.given_urls))
            else:
                request = self.source_request(url, page=1 if self.site.is_listing_url(url) else None)
            if request is not None:
                yield request

    def request(self, url: str, **meta: Any) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse, errback=self.on_error, meta=meta)

    def source_request(self, url: str, listed: str | None = None, page: int | None = None) -> Request | None:
        """A feed, sitemap or listing page; conditional when the last complete run saw it."""
        meta: dict[str, Any] = {"source": True, "listed_date": listed}
        if page is not None:
            meta["page"] = page
        request = self.request(url, **meta)
        if self.incremental is not None and page is None:
            if self.incremental.source_unchanged(url, listed):
                self.count("skipped/sitemap_unchanged")
                self.logger.debug("%s: lastmod %s as in the last run, not fetched", url, listed)
                return None
            headers = self.incremental.source_headers(url)
            if headers:
                request.headers.update(headers)
                request.meta["handle_httpstatus_list"] = [304]
        return request

    def article_request(self, url: str, listed: str | None = None, given: bool = False) -> Request | None:
        """An article URL, unless the dates, the state or ``max_articles`` say not to fetch it."""
        when = link_time(listed)
        if when is not None and not self.in_range(morocco_day(when).isoformat()):
            self.count("skipped/out_of_range")
            return None
        article_id = self.site.article_id(url) or url
        if article_id in self.planned_ids:
            self.count("skipped/duplicate_link")
            return None
        action, headers = Action.FETCH, {}
        if self.incremental is not None:
            action, headers = self.incremental.plan(article_id, when, given)
        if action is Action.SKIP:
            # Counted once an article, however many feeds and sitemaps list it (another
            # listing may still date it newer: it is planned again, not blocked).
            if article_id in self.skipped_ids:
                self.count("skipped/duplicate_link")
                return None
            self.skipped_ids.add(article_id)
            known = self.incremental is not None and self.incremental.knows(article_id)
            self.count("skipped/seen" if known else "skipped/dropped_before")
            return None
        if self.max_articles is not None and self.article_requests >= self.max_articles:
            self.count("skipped/max_articles")
            return None
        self.planned_ids.add(article_id)
        self.article_requests += 1
        if action is Action.REVALIDATE:
            self.count("incremental/revalidated")
        request = self.request(url, listed_date=listed, article_id=article_id)
        if headers:
            request.headers.update(headers)
            request.meta["handle_httpstatus_list"] = [304]
        return request

    def in_range(self, day: str) -> bool:
        """``YYYY-MM-DD`` within ``since``..``until`` (both included)."""
        return in_range(day, self.since, self.until)

    def robots_received(self, response: Response, request: Request) -> None:
        """robots.txt fetched by Scrapy's robots.txt middleware: follow the sitemaps it names."""
        if not request.meta.get("dont_obey_robotstxt") or urlsplit(response.url).path != "/robots.txt":
            return
        if not self.site.owns(response.url) or response.status != 200 or self.given_urls:
            return
        for follow in self.robots_requests(response):
            self.crawler.engine.crawl(follow)

    def robots_requests(self, response: Response) -> Iterator[Request]:
        self.count("pages/robots")
        for sitemap in robots_sitemaps(response.body, response.url):
            if not self.site.owns(sitemap):
                self.logger.info("%s names a sitemap off the site, not followed: %s", response.url, sitemap)
                self.count("skipped/offsite_sitemap")
                continue
            request = self.source_request(sitemap)
            if request is not None:
                yield request

    # --- stats -------------------------------------------------------------------------
    def count(self, key: str, value: int = 1, url: str | None = None) -> None:
        """Count ``key`` for the crawl and the site; ``url``: an example of it (drops and
        errors keep a few for the run history)."""
        self.crawler.stats.inc_value(f"clippings/{key}", value)
        self.crawler.stats.inc_value(f"clippings/{self.site.name}/{key}", value)
        if url is not None:
            add_example(self.crawler.stats, self.site.name, key, url)

    # --- responses ---------------------------------------------------------------------
    async def parse(self, response: Response) -> AsyncIterator[Any]:
        """Article pages are read (in a worker process with ``CLIPPINGS_WORKERS``); feeds,
        sitemaps and listings give requests; anything else is counted and dropped."""
        url = response.url
        if response.status == 304:
            self.not_modified(response)
            return
        if urlsplit(url).path == "/robots.txt":
            for request in self.robots_requests(response):
                yield request
            return
        kind = sniff(response.body)
        if kind == "html" and self.site.is_article_url(url):
            article = await self.read_article_page(response)
            if article is not None:
                yield article
            return
        for output in self.parse_other(response, kind):
            yield output

    def parse_other(self, response: Response, kind: str) -> Iterator[Any]:
        """A feed, sitemap or listing (or a page that is none of these)."""
        url = response.url
        if kind != "html":
            yield from self.parse_links(response, kind)
        elif self.site.is_listing_url(url):
            yield from self.parse_listing(response)
        else:
            reason = self.site.non_article_reason(url) or "not_article"
            self.count(f"dropped/{reason}", url=url)
            self.logger.info("%s: not an article page (%s), nothing written", url, reason)

    def parse_links(self, response: Response, kind: str) -> Iterator[scrapy.Request]:
        try:
            links = parse_xml_links(response.body, response.url)
        except FeedError as exc:
            self.count("errors/bad_feed", url=response.url)
            self.logger.error("%s: cannot read %s: %s", response.url, kind, exc)
            return
        self.count(f"pages/{kind}")
        for link in links:
            if not self.site.owns(link.url):
                self.count("dropped/offsite_link", url=link.url)
                self.logger.info("%s: off-site link in %s, not followed", link.url, response.url)
                continue
            if link.kind == "sitemap":
                # A sub-sitemap last changed before ``since`` holds nothing newer.
                when = link_time(link.date)
                if self.since and when and morocco_day(when) < self.since:
                    self.count("skipped/sitemap_older_than_since")
                    continue
                request = self.source_request(link.url, listed=link.date)
                if request is not None:
                    yield request
            elif self.site.is_article_url(link.url):
                request = self.article_request(link.url, link.date)
                if request is not None:
                    yield request
            elif sniff_url_is_feed(link.url):
                request = self.source_request(link.url)
                if request is not None:
                    yield request
            elif link.url not in self.listed_not_articles:  # counted once, however often listed
                self.listed_not_articles.add(link.url)
                reason = self.site.non_article_reason(link.url) or "not_article"
                self.count(f"dropped/{reason}", url=link.url)
                self.logger.debug("%s: listed but not an article (%s), not fetched", link.url, reason)
        if self.incremental is not None:
            self.incremental.source_fetched(first_url(response), response, response.meta.get("listed_date"))

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """A section listing: its articles, then (backfills) its next page until ``since``."""
        self.count("pages/listing")
        entries = listing_entries(
            response.body, response.url, lambda u: self.site.owns(u) and self.site.is_article_url(u)
        )
        last_day = None
        for url, listed in entries:
            when = link_time(listed)
            if when is not None:
                last_day = morocco_day(when)
            request = self.article_request(url, listed)
            if request is not None:
                yield request
        page = response.meta.get("page")
        if page is None or self.since is None or not entries:
            return
        if last_day is not None and last_day < self.since:
            self.count("listing/stopped_at_since")
            return
        if page >= self.crawler.settings.getint("CLIPPINGS_LISTING_MAX_PAGES", 50):
            self.count("listing/stopped_at_max_pages")
            return
        if self.max_articles is not None and self.article_requests >= self.max_articles:
            return
        following = next_page(response.body, response.url) or self.site.listing_page_after(response.url)
        if following and self.site.owns(following):
            request = self.source_request(following, page=page + 1)
            if request is not None:
                yield request

    def not_modified(self, response: Response) -> None:
        """304 to a conditional request: the feed, sitemap or article is as last seen."""
        listed = response.meta.get("listed_date")
        if self.incremental is None:
            return
        if response.meta.get("source"):
            self.count("skipped/source_not_modified")
            self.incremental.source_fetched(first_url(response), response, listed)
        elif response.meta.get("article_id"):
            self.count("skipped/not_modified")
            self.incremental.not_modified(response.meta["article_id"], link_time(listed), response)

    async def read_article_page(self, response: Response) -> Article | None:
        fetched_at = response.meta.get("fetched_at") or datetime.now(UTC)
        headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        learned = self.containers.known(self.site.name)
        verify = bool(learned) and should_verify(response.url)
        try:
            if self.pool is not None and not _in_asyncio_loop():
                self.logger.warning(
                    "CLIPPINGS_WORKERS needs Scrapy's asyncio reactor (TWISTED_REACTOR):"
                    " pages are read in the crawl's own process"
                )
                release(self.pool)
                self.pool = None
            page = (self.site, response.url, response.body, headers, fetched_at, learned, verify)
            if self.pool is not None:
                article = await self.pool.read(*page)
            else:
                from clippings.extract import read_article  # not needed in a crawl with workers

                article = read_article(*page)
        except NotArticle as exc:
            self.count(f"dropped/{exc.reason}", url=response.url)
            if exc.reason in REMEMBERED_DROPS:
                self.remember_dropped(response, exc.reason)
            # Unreadable bytes at an article URL (empty, binary, truncated) are worth a warning.
            log = self.logger.warning if exc.reason == "not_html" else self.logger.info
            log("%s: no article (%s)", response.url, exc)
            return None
        except Exception as exc:  # a page must never stop the crawl
            self.count("errors/extraction", url=response.url)
            self.logger.error("%s: extraction failed: %s: %s", response.url, type(exc).__name__, exc)
            return None
        self.count("pages/article")
        self.learn(article)
        if self.incremental is not None:
            self.incremental.fetched(article.article_id, link_time(response.meta.get("listed_date")), response)
        return article

    def learn(self, article: Article) -> None:
        """Count where the fields came from, and learn (or forget) article containers."""
        for key, message in [*reading_counts(article), *learn_containers(self.containers, self.site.name, article)]:
            self.count(key)
            if message:
                self.logger.info("%s", message)

    def on_error(self, failure: Failure) -> Iterator[Request]:
        request = failure.request
        response = getattr(failure.value, "response", None)
        if response is not None and response.status in (404, 410):
            fallback = self.fallback_request(request)
            if fallback is not None:
                self.count("pages/article_fallback")
                self.logger.info("%s: HTTP %d, trying %s", request.url, response.status, fallback.url)
                yield fallback
                return
        if response is not None:
            reason = f"http_{response.status}"
            self.count(f"dropped/{reason}", url=request.url)
            # A 404 or 410 is the site's answer, counted and remembered (an article taken
            # down, a fallback that does not exist): INFO. A 5xx or 429 after the retries is
            # trouble on the site's side: WARNING.
            gone = response.status in (404, 410)
            log = self.logger.info if gone else self.logger.warning
            log("%s: HTTP %d, nothing written", request.url, response.status)
            if response.status >= 500 or response.status == 429:
                self.mark_incomplete(f"HTTP {response.status} for {request.url}")
            elif response.status in (404, 410):
                self.remember_dropped(response, reason)
        else:
            self.count("errors/download", url=request.url)
            # Some failures carry no message (a cut transfer: ResponseFailed([_DataLoss])).
            detail = failure.getErrorMessage() or repr(failure.value)
            self.logger.error("%s: download failed: %s", request.url, detail)
            if not isinstance(failure.value, IgnoreRequest):
                self.mark_incomplete(f"download failed for {request.url}")

    def fallback_request(self, request: Request) -> Request | None:
        """The article's next rendering (``Site.article_fallbacks``) after a 404, if any."""
        if not request.meta.get("article_id"):
            return None
        article_url = request.meta.get("fallback_of", request.url)
        tried = request.meta.get("fallbacks_tried", 0)
        if tried >= len(self.site.article_fallbacks) or "?" in article_url:
            return None
        url = self.site.article_fallbacks[tried].format(url=article_url)
        if not self.site.owns(url):
            return None
        follow = self.request(url, **{**request.meta, "fallback_of": article_url, "fallbacks_tried": tried + 1})
        for name in ("redirect_urls", "redirect_times", "redirect_ttl", "retry_times", "download_slot"):
            follow.meta.pop(name, None)
        return follow

    def remember_dropped(self, response: Response, reason: str) -> None:
        article_id = response.meta.get("article_id")
        if self.incremental is not None and article_id:
            listed = link_time(response.meta.get("listed_date"))
            url = response.meta.get("fallback_of") or first_url(response)
            self.incremental.dropped(article_id, url, reason, listed)

    def mark_incomplete(self, why: str) -> None:
        if self.incremental is not None:
            self.incremental.incomplete(why)


def _in_asyncio_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def first_url(response: Response) -> str:
    """The URL first requested for a response (before redirects)."""
    return (response.meta.get("redirect_urls") or [response.url])[0]


def sniff_url_is_feed(url: str) -> bool:
    """Feed and sitemap URLs listed inside feeds (section feeds, sub-sitemaps)."""
    lowered = url.lower().split("?", 1)[0]
    return lowered.endswith((".xml", "/rss", ".rss", "/feed")) or "outboundfeeds" in lowered
