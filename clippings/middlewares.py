"""Downloader middlewares: answering requests from saved responses (``CLIPPINGS_REPLAY``)."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.responsetypes import responsetypes

from clippings.replay import open_store

logger = logging.getLogger(__name__)


class ReplayMiddleware:
    """Answers every request from a fixtures folder or WARC file; never touches the network.

    It sits last before the downloader, so redirects, retries, robots.txt and decompression
    work on saved responses as they would on live ones. A URL the source lacks gets a 404.
    """

    def __init__(self, crawler: Crawler, source: str) -> None:
        self.stats = crawler.stats
        self.store = open_store(source)
        logger.info("replaying %d saved responses from %s", len(self.store), source)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        source = crawler.settings.get("CLIPPINGS_REPLAY")
        if not source:
            raise NotConfigured
        return cls(crawler, source)

    def process_request(self, request: Request) -> Response:
        saved = self.store.get(request.url)
        if saved is None:
            self.stats.inc_value("clippings/replay/missing")
            logger.warning("replay: no saved response for %s (answering 404)", request.url)
            return Response(request.url, status=404, body=b"", request=request)
        self.stats.inc_value("clippings/replay/served")
        if saved.fetched_at is not None:
            request.meta["fetched_at"] = saved.fetched_at
        cls = responsetypes.from_args(headers=saved.headers, url=request.url, body=saved.body)
        return cls(
            url=request.url,
            status=saved.status,
            headers=saved.headers,
            body=saved.body,
            request=request,
        )
