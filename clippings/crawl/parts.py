"""What the spider's parts (``ListingPages``, ``Outcomes``) use of the spider they are part
of: ``NewsSpider`` as they see it, a ``Protocol``, so that they never import the spider
module that imports them (no import cycle, not even one for the type checker)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import Any, Protocol

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from clippings.core.site import Site
from clippings.crawl.incremental import Incremental
from clippings.discovery.policy import CrawlPolicy, Decision


class Spider(Protocol):
    """The crawl's spider of one site, as its parts use it."""

    site: Site
    crawler: Crawler
    incremental: Incremental | None
    policy: CrawlPolicy
    since: date | None
    given_urls: list[str]
    listing_max_pages: int

    @property
    def logger(self) -> logging.LoggerAdapter: ...

    def count(self, key: str, value: int = 1, url: str | None = None) -> None: ...

    def request(self, url: str, **meta: Any) -> Request: ...

    def from_decision(self, url: str, decision: Decision) -> Request | None: ...

    def source_request(self, url: str, listed: str | None = None, page: int | None = None) -> Request | None: ...

    def article_request(self, url: str, listed: str | None = None, given: bool = False) -> Request | None: ...

    # The parts' own methods, called from one another.
    def robots_requests(self, response: Response) -> Iterator[Request]: ...

    def fallback_request(self, request: Request) -> Request | None: ...

    def remember_dropped(self, response: Response, reason: str) -> None: ...

    def mark_incomplete(self, why: str) -> None: ...
