"""The spider's reading of the pages that list articles: robots.txt, feeds, sitemaps and
section listings, each link handed to the crawl policy (``clippings.discovery.policy``)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response

from clippings.crawl.parts import Spider
from clippings.dates import morocco_day
from clippings.discovery import (
    FeedError,
    link_time,
    listing_entries,
    next_page,
    read_xml_links,
    robots_sitemaps,
)


class ListingPages:
    """``NewsSpider``'s part that reads robots.txt, feeds, sitemaps and listings."""

    def robots_received(self: Spider, response: Response, request: Request) -> None:
        """robots.txt fetched by Scrapy's robots.txt middleware: follow the sitemaps it names."""
        if not request.meta.get("dont_obey_robotstxt") or urlsplit(response.url).path != "/robots.txt":
            return
        if not self.site.owns(response.url) or response.status != 200 or self.given_urls:
            return
        for follow in self.robots_requests(response):
            self.crawler.engine.crawl(follow)

    def robots_requests(self: Spider, response: Response) -> Iterator[Request]:
        self.count("pages/robots")
        for sitemap in robots_sitemaps(response.body, response.url):
            if not self.site.owns(sitemap):
                self.logger.info("%s names a sitemap off the site, not followed: %s", response.url, sitemap)
                self.count("skipped/offsite_sitemap")
                continue
            request = self.source_request(sitemap)
            if request is not None:
                yield request

    def parse_links(self: Spider, response: Response, kind: str) -> Iterator[scrapy.Request]:
        try:
            links, malformed = read_xml_links(response.body, response.url)
        except FeedError as exc:
            self.unreadable_source(response, kind, str(exc))
            return
        if malformed:
            # Cut short, it lists fewer than it had: a 304 next time must not hide the rest.
            # An error too (read only in part), counted where the run's errors are.
            self.count("errors/bad_feed", url=response.url)
            self.logger.warning("%s: %s", response.url, malformed)
            self.mark_incomplete(f"{kind} {response.url} read in part")
        self.count(f"pages/{kind}")
        for link in links:
            decision = self.policy.link(link, self.incremental)
            if decision.count == "dropped/offsite_link":
                self.logger.info("%s: off-site link in %s, not followed", link.url, response.url)
            elif decision.count and decision.count.startswith("dropped/"):
                self.logger.debug("%s: listed but not an article (%s), not fetched", link.url, decision.count[8:])
            request = self.from_decision(link.url, decision)
            if request is not None:
                yield request
        if self.incremental is not None:
            self.incremental.source_fetched(first_url(response), response, response.meta.get("listed_date"))

    def unreadable_source(self: Spider, response: Response, kind: str, why: str) -> None:
        """A feed or sitemap that could not be read (malformed, empty, an HTML page): an error,
        named in one line; the articles it lists are left to the next run, asked without
        validators."""
        self.count("errors/bad_feed", url=response.url)
        self.logger.error("%s: cannot read %s: %s", response.url, kind, why)
        self.mark_incomplete(f"unreadable {kind} {response.url}")

    def parse_listing(self: Spider, response: Response) -> Iterator[scrapy.Request]:
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
        if page >= self.listing_max_pages:
            self.count("listing/stopped_at_max_pages")
            return
        if not self.policy.budget_left():
            return
        following = next_page(response.body, response.url) or self.site.listing_page_after(response.url)
        if following and self.site.owns(following):
            request = self.source_request(following, page=page + 1)
            if request is not None:
                yield request

    def not_modified(self: Spider, response: Response) -> None:
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


def first_url(response: Response) -> str:
    """The URL first requested for a response (before redirects)."""
    return (response.meta.get("redirect_urls") or [response.url])[0]
