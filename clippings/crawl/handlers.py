"""Download handler for ``CLIPPINGS_ORIGINS``: a site's requests served by another origin.

``CLIPPINGS_ORIGINS = {"https://fr.le360.ma": "http://127.0.0.1:8000"}`` sends what would go
to the first origin to the second, with the site's own ``Host`` header; the response comes
back under the site's URL. Everything above the downloader (robots.txt, off-site checks,
redirects, incremental state, recording) sees the real site, and the latency measured on the
rewritten request is the original's (AutoThrottle paces the site by it). For mirrors, staging copies and
the tests' local server; the add-on installs it only when the setting is given.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


class OriginsDownloadHandler(HTTP11DownloadHandler):
    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.origins = {
            _origin(source): target.rstrip("/")
            for source, target in crawler.settings.getdict("CLIPPINGS_ORIGINS").items()
        }

    async def download_request(self, request: Request) -> Response:
        target = self.origins.get(_origin(request.url))
        if target is None:
            return await super().download_request(request)
        parts = urlsplit(request.url)
        moved = urlunsplit((*urlsplit(target)[:2], parts.path or "/", parts.query, ""))
        forwarded = request.replace(url=moved)
        forwarded.headers[b"Host"] = parts.netloc
        try:
            response = await super().download_request(forwarded)
        finally:
            # What the handler measured on the copy (AutoThrottle reads the latency from the
            # request the engine sent: without it, it never sees the origin's pace).
            if "download_latency" in forwarded.meta:
                request.meta["download_latency"] = forwarded.meta["download_latency"]
        return response.replace(url=request.url, request=request)
