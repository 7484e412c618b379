"""Cut transfers: a response whose bytes stopped short is a download error, not a page.

Scrapy inflates a gzip stream cut short as far as it goes, without an error, and a body
shorter than its ``Content-Length`` can reach the middlewares from handlers that do not
check it. ``TransferCheckMiddleware`` sits before the recorder (``--record`` saves no cut
response) and Scrapy's ``HttpCompressionMiddleware`` (it sees the bytes as they came) and
flags such a response ``cut: <reason>``; the retry
middleware (``clippings.crawl.retry``) retries it like a reset connection and, once the
retries are spent, fails it with ``CutTransfer``: the spider counts it as an error
(``errors/cut``) and names the URL. What the checks read:

- ``Content-Length`` against the bytes received (when the body is still encoded as sent);
- gzip: every member complete (the deflate stream ended, its trailer there);
- deflate: the zlib (or raw deflate) stream ended;
- br: the brotli stream ended (when the brotli module is installed, as Scrapy needs it to
  ask for br at all);
- zstd: every frame complete (Scrapy asks for zstd and, given a cut one, keeps what it
  inflated without an error, as with gzip);
- Scrapy's own ``dataloss`` flag (``DOWNLOAD_FAIL_ON_DATALOSS = False``);
- a 206 Partial Content answered to a request that asked for no range (a part of the page,
  which Scrapy takes for a page).

A missing ``</html>`` is not a cut: only the bytes tell.
"""

from __future__ import annotations

import sys
import zlib

from scrapy.crawler import Crawler
from scrapy.http import Request, Response

FLAG = "cut: "


class CutTransfer(Exception):
    """A response whose body was cut, still cut after the retries."""


def _gzip_complete(body: bytes) -> bool:
    data = body
    while data:
        inflater = zlib.decompressobj(wbits=31)
        try:
            inflater.decompress(data)
            inflater.flush()
        except zlib.error:
            return True  # not gzip as declared: Scrapy's decoder says so, not a cut
        if not inflater.eof:
            return False
        data = inflater.unused_data
        if not data.strip(b"\x00"):  # padding after the last member
            return True
    return True


def _deflate_complete(body: bytes) -> bool:
    for wbits in (15, -15):  # zlib-wrapped, else raw deflate (as Scrapy reads it)
        inflater = zlib.decompressobj(wbits=wbits)
        try:
            inflater.decompress(body)
            inflater.flush()
        except zlib.error:
            continue
        return inflater.eof
    return True


def _brotli_complete(body: bytes) -> bool:
    try:
        import brotli
    except ImportError:
        return True
    decompressor = brotli.Decompressor()
    try:
        decompressor.process(body)
    except brotli.error:
        return True
    return bool(decompressor.is_finished())


def _zstd_complete(body: bytes) -> bool:
    try:
        if sys.version_info >= (3, 14):
            from compression import zstd
        else:
            from backports import zstd
    except ImportError:
        return True  # nothing to judge by (Scrapy decodes zstd with the same module)
    data = body
    while data:
        decompressor = zstd.ZstdDecompressor()
        try:
            decompressor.decompress(data)
        except zstd.ZstdError:
            return True  # not zstd as declared: Scrapy's decoder says so, not a cut
        if not decompressor.eof:
            return False
        data = decompressor.unused_data
    return True


_CHECKS = {
    b"gzip": _gzip_complete,
    b"x-gzip": _gzip_complete,
    b"deflate": _deflate_complete,
    b"br": _brotli_complete,
    b"zstd": _zstd_complete,
}


def cut_reason(headers: dict[bytes, bytes] | None, body: bytes, flags: list[str] | None = None) -> str | None:
    """Why the body of a response was cut short, or None when its bytes are whole.

    ``headers``: the response's headers as bytes (name lower-cased); ``body``: its bytes as
    received, before any decoding."""
    headers = headers or {}
    if flags and "dataloss" in flags:
        return "connection closed before the end of the body"
    length = headers.get(b"content-length", b"").strip()
    if length.isdigit() and len(body) < int(length):
        return f"{len(body)} of {int(length)} bytes received (Content-Length not met)"
    encodings = [e.strip().lower() for e in headers.get(b"content-encoding", b"").split(b",") if e.strip()]
    if body and encodings:
        check = _CHECKS.get(encodings[-1])  # the last encoding applied is the outermost
        if check is not None and not check(body):
            return f"{encodings[-1].decode('latin-1')} stream not ended (body cut short)"
    return None


def cut_flag(response: Response) -> str | None:
    """The reason a ``TransferCheckMiddleware`` flagged ``response`` cut, or None."""
    for flag in response.flags:
        if flag.startswith(FLAG):
            return flag[len(FLAG) :]
    return None


class TransferCheckMiddleware:
    """Flags a response whose bytes were cut (``cut_reason``), for the retry middleware.

    Placed before ``RecordMiddleware`` (610) and ``HttpCompressionMiddleware`` (590) in
    ``DOWNLOADER_MIDDLEWARES``: it reads the body as it came off the wire. HEAD answers and
    statuses without a body are left alone."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TransferCheckMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.method == "HEAD" or response.status in (204, 304) or 100 <= response.status < 200:
            return response
        headers = {
            name.lower(): b",".join(response.headers.getlist(name))
            for name in (b"Content-Length", b"Content-Encoding")
            if name in response.headers
        }
        reason = cut_reason(headers, response.body, response.flags)
        if response.status == 206 and b"Range" not in request.headers:
            reason = "206 Partial Content to a request for the whole page"
        if reason is None:
            return response
        self.stats.inc_value("clippings/transfer/cut")
        return response.replace(flags=[*response.flags, FLAG + reason])
