"""Downloader middlewares: answering requests from saved responses (``CLIPPINGS_REPLAY``),
naming redirects that loop or leave the site."""

from __future__ import annotations

import logging
from urllib.parse import urljoin

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import (
    MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware,
)
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, HtmlResponse, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.url import url_is_from_any_domain
from w3lib.url import safe_url_string

from clippings.crawl.resources import resources
from clippings.replay import url_key

logger = logging.getLogger(__name__)


class NoNetworkDownloadHandler(BaseDownloadHandler):
    """The http(s) download handler of a replay (the add-on installs it with ``CLIPPINGS_REPLAY``).

    ``ReplayMiddleware`` answers every request, so nothing reaches it; should a request ever
    get past, it fails naming the URL instead of going to the network. It also spares each
    replay setting up Scrapy's HTTP download handler.
    """

    async def download_request(self, request: Request) -> Response:
        raise IgnoreRequest(f"{request.url}: a replay never fetches from the network")


# The flag of the 404 a replay answers for a URL its source lacks: not the site's answer.
REPLAY_MISSING = "replay: missing"


class ReplayMiddleware:
    """Answers every request from a fixtures folder or WARC file; never touches the network.

    It sits last before the downloader, so redirects, retries, robots.txt and decompression
    work on saved responses as they would on live ones. A URL the source lacks gets a 404.
    """

    def __init__(self, crawler: Crawler, source: str) -> None:
        self.stats = crawler.stats
        self.store = resources(crawler).shared.store(source)  # a WARC indexed once a process
        # The size limits the downloader applies to live responses.
        self.maxsize = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self.warnsize = crawler.settings.getint("DOWNLOAD_WARNSIZE")
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
            return Response(request.url, status=404, body=b"", request=request, flags=[REPLAY_MISSING])
        self.stats.inc_value("clippings/replay/served")
        size = len(saved.body)
        if self.maxsize and size > self.maxsize:
            raise IgnoreRequest(f"{size} bytes, over DOWNLOAD_MAXSIZE ({self.maxsize})")
        if self.warnsize and size > self.warnsize:
            logger.warning(
                "%s: response of %d bytes is larger than DOWNLOAD_WARNSIZE (%d)",
                request.url,
                size,
                self.warnsize,
            )
        if saved.fetched_at is not None:
            request.meta["fetched_at"] = saved.fetched_at
        headers = Headers(saved.headers)
        # From the headers when they say (a list of pairs would not be read, and sniffing the
        # whole body costs more than extracting the page).
        cls = responsetypes.from_args(headers=headers, url=request.url, body=saved.body)
        response = cls(url=request.url, status=saved.status, body=saved.body, request=request)
        response.headers = headers  # given as built: passed to the constructor, they would be copied
        return response


class RedirectGuardMiddleware:
    """Stops a redirect that loops back into its own chain or leaves the site, naming it.

    Left to Scrapy, both are dropped without a word above DEBUG (the duplicate filter, the
    offsite filter); stopped here, the request's errback logs the URL and the reason.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        try:
            target = urljoin(request.url, safe_url_string(location.decode("latin-1")))
            chain = [*request.meta.get("redirect_urls", []), request.url]
            looped = url_key(target) in {url_key(url) for url in chain}
            domains = getattr(self.crawler.spider, "allowed_domains", None)
            offsite = bool(domains) and not url_is_from_any_domain(target, domains)
        except ValueError:
            return response  # not a URL: the redirect middleware decides
        if looped:
            raise IgnoreRequest(f"redirect loop: {' -> '.join([*chain, target])}")
        if offsite and not request.dont_filter:
            raise IgnoreRequest(f"redirect off the site, not followed: {request.url} -> {target}")
        return response


# Scrapy looks for <meta http-equiv="refresh"> in a page's first 4,096 characters: at most
# 16 KB in any encoding of one to four bytes a character.
_SCANNED = 4 * 4096


class MetaRefreshMiddleware(ScrapyMetaRefreshMiddleware):
    """Scrapy's, without decoding every page to find no refresh in it.

    Scrapy decodes each HTML body whole (``response.text``) to read its first 4,096
    characters; a crawl reading pages in workers never decodes them otherwise. A page whose
    first 16 KB never spell "refresh" cannot hold the tag and passes straight on; any other
    (and any body with NUL bytes: UTF-16 or UTF-32 would hide the word) is Scrapy's to judge.
    """

    def process_response(self, request: Request, response: Response, spider: object = None) -> Request | Response:
        if (
            isinstance(response, HtmlResponse)
            and b"refresh" not in response.body[:_SCANNED].lower()  # ASCII case folded, as (?i) on bytes
            and b"\x00" not in response.body[:_SCANNED]
        ):
            return response
        return super().process_response(request, response)
