"""The one spider logic shared by every site: discover, fetch, hand pages to extraction.

A site's spider is a two-line subclass naming its ``Site``; all site knowledge lives in
``clippings.sites.<name>``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from clippings.discovery import FeedError, html_links, parse_xml_links, robots_sitemaps, sniff
from clippings.extract import NotArticle, read_article
from clippings.items import Article
from clippings.sites.base import Site


def split_urls(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``-a urls=A,B`` (Scrapy, Scrapyd) or a list (the CLI) -> URLs."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [u.strip() for u in value if u and u.strip()]


class NewsSpider(scrapy.Spider):
    site: ClassVar[Site]

    def __init__(self, *args: Any, urls: str | list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_domains = sorted(self.site.hosts)
        self.given_urls = split_urls(urls)
        self.articles_found = 0

    # --- entry points ------------------------------------------------------------------
    def entry_points(self) -> list[str]:
        """Where a crawl starts when no URL is given: the feeds, then the sitemaps."""
        return [*self.site.feed_urls, *self.site.sitemap_urls]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.given_urls or self.entry_points():
            if not self.site.owns(url):
                self.logger.error("%s: not a %s URL, skipped", url, self.site.name)
                self.count("dropped/offsite_url")
                continue
            yield self.request(url)

    def request(self, url: str, **meta: Any) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse, errback=self.on_error, meta=meta)

    # --- stats -------------------------------------------------------------------------
    def count(self, key: str, value: int = 1) -> None:
        self.crawler.stats.inc_value(f"clippings/{key}", value)
        self.crawler.stats.inc_value(f"clippings/{self.site.name}/{key}", value)

    # --- responses ---------------------------------------------------------------------
    def parse(self, response: Response) -> Iterator[Any]:
        url = response.url
        if url.endswith("/robots.txt"):
            for sitemap in robots_sitemaps(response.body):
                if self.site.owns(sitemap):
                    yield self.request(sitemap)
            return
        kind = sniff(response.body)
        if kind != "html":
            yield from self.parse_links(response, kind)
        elif self.site.is_article_url(url):
            yield from self.parse_article(response)
        elif self.site.is_listing_url(url):
            yield from self.parse_listing(response)
        else:
            reason = self.site.non_article_reason(url) or "not_article"
            self.count(f"dropped/{reason}")
            self.logger.info("%s: not an article page (%s), nothing written", url, reason)

    def parse_links(self, response: Response, kind: str) -> Iterator[scrapy.Request]:
        try:
            links = parse_xml_links(response.body, response.url)
        except FeedError as exc:
            self.count("errors/bad_feed")
            self.logger.error("%s: cannot read %s: %s", response.url, kind, exc)
            return
        self.count(f"pages/{kind}")
        for link in links:
            if not self.site.owns(link.url):
                self.count("dropped/offsite_link")
                continue
            if link.kind == "sitemap" or self.site.is_article_url(link.url) or sniff_url_is_feed(link.url):
                yield self.request(link.url, listed_date=link.date)
            else:
                reason = self.site.non_article_reason(link.url) or "not_article"
                self.count(f"dropped/{reason}")
                self.logger.debug("%s: listed but not an article (%s), not fetched", link.url, reason)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        self.count("pages/listing")
        for link in html_links(response.body, response.url):
            if self.site.owns(link) and self.site.is_article_url(link):
                yield self.request(link)

    def parse_article(self, response: Response) -> Iterator[Article]:
        fetched_at = response.meta.get("fetched_at") or datetime.now(UTC)
        headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        try:
            article = read_article(self.site, response.url, response.body, headers, fetched_at)
        except NotArticle as exc:
            self.count(f"dropped/{exc.reason}")
            self.logger.info("%s: no article (%s)", response.url, exc)
            return
        except Exception as exc:  # a page must never stop the crawl
            self.count("errors/extraction")
            self.logger.error("%s: extraction failed: %s: %s", response.url, type(exc).__name__, exc)
            return
        self.count("pages/article")
        yield article

    def on_error(self, failure: Failure) -> None:
        request = failure.request
        response = getattr(failure.value, "response", None)
        if response is not None:
            reason = f"http_{response.status}"
            self.count(f"dropped/{reason}")
            self.logger.warning("%s: HTTP %d, nothing written", request.url, response.status)
        else:
            self.count("errors/download")
            self.logger.error("%s: download failed: %s", request.url, failure.getErrorMessage())


def sniff_url_is_feed(url: str) -> bool:
    """Feed and sitemap URLs listed inside feeds (section feeds, sub-sitemaps)."""
    lowered = url.lower().split("?", 1)[0]
    return lowered.endswith((".xml", "/rss", ".rss", "/feed")) or "outboundfeeds" in lowered
