"""The one spider logic shared by every site: discover, fetch, hand pages to extraction.

Each site's spider is made from the registry (``clippings.spiders``); all site knowledge lives in
``clippings.sites.<name>``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from clippings.core.arguments import parse_count, parse_day, parse_workers
from clippings.core.config import WithDefaults
from clippings.core.fate import decide
from clippings.core.items import Article
from clippings.core.page import Page, ReadingContext
from clippings.core.site import Site
from clippings.core.stats import count
from clippings.crawl.admission import Admission, admission
from clippings.crawl.extensions.stops import stopping
from clippings.crawl.incremental import Incremental, incremental
from clippings.crawl.listings import ListingPages
from clippings.crawl.logformat import quiet_robots_txt_failures
from clippings.crawl.outcomes import Outcomes
from clippings.crawl.readers import Extractor, InProcess, extractor_for
from clippings.crawl.resources import resources
from clippings.crawl.transfer import cut_flag
from clippings.discovery import link_time, sniff
from clippings.discovery.policy import CrawlPolicy, Decision
from clippings.extract.truncation import doubt
from clippings.state import StateError
from clippings.state.learned import ContainerMemory, learn_containers


def split_urls(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``-a urls=A,B`` (Scrapy, Scrapyd) or a list (the CLI) -> URLs."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [u.strip() for u in value if u and u.strip()]


class NewsSpider(ListingPages, Outcomes, scrapy.Spider):
    site: ClassVar[Site]
    incremental: Incremental | None = None
    state_error: str | None = None
    extractor: Extractor
    containers: ContainerMemory
    admission: Admission
    listing_max_pages: int

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
        # Scrapy's start-up (a traceback): it refuses the crawl (``clippings.crawl.admission``).
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
        self.policy = CrawlPolicy(self.site, self.since, self.until, self.max_articles)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        quiet_robots_txt_failures()
        # First of all: the settings and arguments checked, the collection's lock taken.
        spider.admission = admission(crawler, spider.argument_error)
        defaults = WithDefaults(crawler.settings)
        spider.listing_max_pages = defaults.getint("CLIPPINGS_LISTING_MAX_PAGES")
        spider.containers = ContainerMemory(None)
        spider.extractor = InProcess()
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
        spider.extractor = extractor_for(parse_workers(defaults.get("CLIPPINGS_WORKERS")), resources(crawler).shared)
        crawler.signals.connect(spider.close_extractor, signal=signals.spider_closed)
        return spider

    def close_extractor(self) -> None:
        for name, value in self.extractor.close().items():
            self.crawler.stats.set_value(f"clippings/{name}", value)

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
        if stopping(self.crawler):  # a Ctrl-C or SIGTERM came while the crawl was starting
            await self.crawler.engine.close_spider_async(reason="shutdown")
            return
        if self.crawler.settings.get("CLIPPINGS_CLUSTER") and not _seeds(self.crawler):
            return  # a node of a cluster run another node seeded: its requests come from the frontier
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
        """A request of the crawl's own, counted ``fetch/sent``: the pages it was sent to
        fetch (retries and redirects are the same page), against which its errors count."""
        self.count("fetch/sent")
        return scrapy.Request(url, callback=self.parse, errback=self.on_error, meta=meta)

    def from_decision(self, url: str, decision: Decision) -> Request | None:
        """The request a decision asks for (conditional when it revalidates), or None; its
        count counted, with the URL as an example where it is a drop."""
        if decision.count:
            self.count(decision.count, url=url if decision.example else None)
        if not decision.fetch:
            return None
        request = self.request(url, **decision.meta)
        if decision.headers:
            request.headers.update(decision.headers)
            request.meta["handle_httpstatus_list"] = [304]
        return request

    def source_request(self, url: str, listed: str | None = None, page: int | None = None) -> Request | None:
        """A feed, sitemap or listing page (``CrawlPolicy.source``)."""
        return self.from_decision(url, self.policy.source(url, self.incremental, listed, page))

    def article_request(self, url: str, listed: str | None = None, given: bool = False) -> Request | None:
        """An article URL, unless the policy skips it (``CrawlPolicy.article``)."""
        return self.from_decision(url, self.policy.article(url, self.incremental, listed, given))

    def in_range(self, day: str) -> bool:
        """``YYYY-MM-DD`` within ``since``..``until`` (both included)."""
        return self.policy.in_range(day)

    # --- stats -------------------------------------------------------------------------
    def count(self, key: str, value: int = 1, url: str | None = None) -> None:
        """Count ``key`` for the crawl and the site; ``url``: an example of it (drops and
        errors keep a few for the run history)."""
        count(self.crawler.stats, key, self.site.name, value, example=url)

    # --- responses ---------------------------------------------------------------------
    async def parse(self, response: Response) -> AsyncIterator[Any]:
        """Article pages are read (in a worker process with ``CLIPPINGS_WORKERS``); feeds,
        sitemaps and listings give requests; anything else is counted and dropped."""
        url = response.url
        cut = cut_flag(response)
        if cut is not None:
            self.cut_response(response, cut)
            return
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
        elif response.meta.get("source"):
            # Asked as a feed or sitemap, answered with nothing or a web page.
            what = "an HTML page" if response.body.strip() else "an empty body"
            self.unreadable_source(response, "feed or sitemap", f"{what}, not a feed or sitemap")
        elif response.meta.get("article_id"):
            self.redirected_away(response)  # an article URL sent to the home page, a section...
        else:
            reason = self.site.non_article_reason(url) or "not_article"
            self.count(f"dropped/{reason}", url=url)
            self.logger.info("%s: not an article page (%s), nothing written", url, reason)

    async def read_article_page(self, response: Response) -> Article | None:
        fetched_at = response.meta.get("fetched_at") or datetime.now(UTC)
        headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        page = Page(response.url, response.body, headers, fetched_at)
        context = ReadingContext(self.site, self.containers.known(self.site.name))
        result: Article | BaseException
        try:
            result = await self.extractor.read(page, context)
        except Exception as exc:  # a page must never stop the crawl: ``decide`` says what it is
            result = exc
        said = doubt(response.body, page.header("Content-Type"), result) if isinstance(result, Article) else None
        fate = decide(response.url, result, said)
        for key in fate.counts:
            self.count(key, url=response.url if fate.named(key) else None)
        for level, message in fate.logs:
            self.logger.log(level, "%s", message)
        if fate.remember:
            self.remember_dropped(response, fate.remember)
        if fate.kind == "error":
            self.mark_incomplete(f"extraction failed for {response.url}")  # not had: the next run tries again
        elif fate.kind == "dropped" and not fate.remember:
            # Neither had nor remembered as given up (an empty or unreadable body, no title):
            # a 304 on the feed must not hide it from the next run.
            self.mark_incomplete(f"{fate.reason} at {response.url}")
        article = fate.article
        if article is None:
            return None
        if fate.doubt is None:
            self.learn(article)
        elif fate.doubt.kind == "truncated":  # written as it came, fetched again by the next run
            self.mark_incomplete(f"a page cut inside its article at {response.url}")
        else:  # a server's error page answered with 200?
            self.mark_incomplete(f"an article nothing vouches for at {response.url}")
        if self.incremental is not None:
            listed = link_time(response.meta.get("listed_date"))
            self.incremental.fetched(article.article_id, listed, response, again=fate.doubt is not None)
        return article

    def learn(self, article: Article) -> None:
        """Learn (or forget) article containers, from the page's reading."""
        for key, message in learn_containers(self.containers, self.site.name, article):
            self.count(key)
            if message:
                self.logger.info("%s", message)


def _seeds(crawler: Crawler) -> bool:
    from clippings.crawl.cluster.node import seeds

    return seeds(crawler)
