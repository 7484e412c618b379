"""A local HTTP server playing the news sites, for crawls over real HTTP (never the internet).

Crawls reach it through ``CLIPPINGS_ORIGINS`` (``LocalSite.settings()``): requests for
https://fr.le360.ma/... arrive here with ``Host: fr.le360.ma``, so one server plays every
site. Pages come from a fixture set (folder or WARC) plus pages the test adds or replaces;
each page can misbehave on its first hits (500, 429 with Retry-After, a slow answer), be
slow every time, or redirect, or have its transfer cut (``Answer.cut``: a gzip stream cut
short under a Content-Length that says so, a zstd one the same, a Content-Length not met before the connection
closes, a chunked body closed before its last chunk, a connection reset mid-body). Bodies
are gzipped when the client accepts it; ETag and Last-Modified are sent and conditional
requests answered 304. Every request is logged, and the most requests a host had
in flight at once is kept (``peak``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from clippings.replay import open_store

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

SITE_ORIGINS = ("https://fr.le360.ma", "https://www.almaghribtoday.net")


@dataclass
class Answer:
    """One way of answering: status, headers, body, after ``delay`` seconds."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    # "gzip": the gzipped body cut in half, sent whole as far as its Content-Length says;
    # "zstd": the same with the body zstd-compressed (as CDNs answer the zstd Scrapy asks for);
    # "length": the first half of the body sent under the whole body's Content-Length,
    # then the connection closed; "chunked": the first half sent in chunks, the connection
    # closed before the last (empty) chunk; "reset": the first half sent under the whole
    # body's Content-Length, then the connection reset (RST). The cut answers a real page,
    # so ``body`` is the page's.
    cut: str = ""


@dataclass
class Page:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # Answers for the first hits, in order; then the page itself.
    first: list[Answer] = field(default_factory=list)
    last_modified: float = 1_700_000_000.0

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


@dataclass(frozen=True)
class Hit:
    host: str
    path: str
    status: int
    at: float
    headers: dict[str, str]

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}"


def _key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (killed crawl, timeout) is not the test's business


class LocalSite:
    def __init__(self, fixtures: str | Path | None = None) -> None:
        self.pages: dict[tuple[str, str], Page] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.counts: dict[tuple[str, str], int] = {}
        self.in_flight: dict[str, int] = {}
        self.peak: dict[str, int] = {}  # host -> most requests in flight at once
        if fixtures is not None:
            store = open_store(fixtures)
            for url in store.urls():
                saved = store.get(url)
                if saved is None:
                    continue
                headers = {k: v for k, v in saved.headers if k.lower() not in ("date", "etag", "last-modified")}
                self.pages[_key(url)] = Page(saved.body, saved.status, headers)
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- content ------------------------------------------------------------------------
    def add(self, url: str, body: bytes | str, **options: object) -> Page:
        data = body.encode("utf-8") if isinstance(body, str) else body
        page = Page(data, **options)  # type: ignore[arg-type]
        self.pages[_key(url)] = page
        return page

    def page(self, url: str) -> Page:
        return self.pages[_key(url)]

    def remove(self, url: str) -> None:
        self.pages.pop(_key(url), None)

    def redirect(self, url: str, to: str, status: int = 301) -> None:
        self.pages[_key(url)] = Page(b"", status, {"Location": to})

    # --- running ------------------------------------------------------------------------
    @property
    def origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self, also: tuple[str, ...] = ()) -> list[str]:
        """``-s`` options sending both sites (and ``also`` origins) here, quick enough for tests."""
        origins = json.dumps({origin: self.origin for origin in (*SITE_ORIGINS, *also)})
        return [
            "-s",
            f"CLIPPINGS_ORIGINS={origins}",
            "-s",
            "DOWNLOAD_DELAY=0.01",
            "-s",
            "AUTOTHROTTLE_START_DELAY=0.01",
            "-s",
            "AUTOTHROTTLE_MAX_DELAY=0.5",
            "-s",
            "CLIPPINGS_RETRY_BACKOFF=0.1",
            "-s",
            "DOWNLOAD_TIMEOUT=5",
        ]

    def __enter__(self) -> LocalSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def clear_log(self) -> None:
        with self.lock:
            self.hits.clear()

    def log(self) -> list[Hit]:
        with self.lock:
            return list(self.hits)

    # --- serving ------------------------------------------------------------------------
    def _answer(self, host: str, path: str, request_headers: dict[str, str]) -> Answer:
        key = (host, path)
        with self.lock:
            page = self.pages.get(key)
            hit = self.counts.get(key, 0)
            self.counts[key] = hit + 1
        if page is None:
            return Answer(404, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>Not found</body></html>")
        if hit < len(page.first):
            first = page.first[hit]
            if first.cut and not first.body:
                return Answer(first.status, {**page.headers, **first.headers}, page.body, first.delay, first.cut)
            return first
        headers = dict(page.headers)
        if page.status == 200:
            headers["ETag"] = page.etag
            headers["Last-Modified"] = formatdate(page.last_modified, usegmt=True)
            if request_headers.get("if-none-match") == page.etag:
                return Answer(304, {"ETag": page.etag}, b"", page.delay)
        return Answer(page.status, headers, page.body, page.delay)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                headers = {k.lower(): v for k, v in self.headers.items()}
                answer = site._answer(host, self.path, headers)
                with site.lock:
                    site.hits.append(Hit(host, self.path, answer.status, time.monotonic(), headers))
                    site.in_flight[host] = site.in_flight.get(host, 0) + 1
                    site.peak[host] = max(site.peak.get(host, 0), site.in_flight[host])
                try:
                    self.answer(answer, headers)
                finally:
                    with site.lock:
                        site.in_flight[host] -= 1

            def answer(self, answer: Answer, headers: dict[str, str]) -> None:
                if answer.delay:
                    time.sleep(answer.delay)
                body = answer.body
                out = dict(answer.headers)
                if answer.cut == "zstd":
                    body = zstd.compress(body)
                    out["Content-Encoding"] = "zstd"
                elif body and ("gzip" in headers.get("accept-encoding", "") or answer.cut == "gzip"):
                    body = gzip.compress(body, mtime=0)
                    out["Content-Encoding"] = "gzip"
                length = len(body)
                if answer.cut in ("chunked", "reset"):
                    self.cut_short(answer, out, body)
                    return
                if answer.cut in ("gzip", "zstd"):
                    body = body[: len(body) // 2]
                    length = len(body)
                elif answer.cut == "length":
                    body = body[: len(body) // 2]
                    self.close_connection = True
                try:
                    self.send_response(answer.status)
                    for name, value in out.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(length))
                    if answer.cut == "length":
                        self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def cut_short(self, answer: Answer, out: dict[str, str], body: bytes) -> None:
                half = body[: len(body) // 2]
                self.close_connection = True
                try:
                    self.send_response(answer.status)
                    for name, value in out.items():
                        self.send_header(name, value)
                    if answer.cut == "chunked":
                        self.send_header("Transfer-Encoding", "chunked")
                    else:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if answer.cut == "chunked":
                        for start in range(0, len(half), 4096):
                            piece = half[start : start + 4096]
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    else:
                        self.wfile.write(half)
                    self.wfile.flush()
                    if answer.cut == "reset":  # an RST, not a FIN: SO_LINGER with a zero timeout
                        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


# --- discovery documents for a test site ---------------------------------------------------
def rss(entries: list[tuple[str, datetime]]) -> str:
    """An RSS 2.0 feed of (url, published) entries, newest first, pubDate in GMT."""
    items = "".join(
        f"<item><title>{n}</title><link>{escape(url)}</link><guid>{escape(url)}</guid>"
        f"<pubDate>{formatdate(when.timestamp(), usegmt=True)}</pubDate></item>\n"
        for n, (url, when) in enumerate(sorted(entries, key=lambda e: e[1], reverse=True))
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>t</title>\n{items}</channel></rss>\n'


def sitemap(entries: list[tuple[str, datetime]]) -> str:
    urls = "".join(
        f"<url><loc>{escape(url)}</loc><lastmod>{when.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}</lastmod></url>\n"
        for url, when in entries
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'


def sitemap_index(entries: list[tuple[str, datetime]]) -> str:
    maps = "".join(
        f"<sitemap><loc>{escape(url)}</loc><lastmod>{when.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}</lastmod></sitemap>\n"
        for url, when in entries
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{maps}</sitemapindex>\n'


def listing(entries: list[tuple[str, datetime]], next_url: str | None) -> str:
    """A section page: one card per article with its local date as le360 prints it."""
    cards = "".join(
        f'<div class="c-card"><h2><a href="{escape(url)}">Titre {n}</a></h2>'
        f'<span class="c-card__byline">Par La rédaction · {when.strftime("%d/%m/%Y à %Hh%M")}</span></div>\n'
        for n, (url, when) in enumerate(entries)
    )
    more = f'<a rel="next" href="{escape(next_url)}">Page suivante</a>' if next_url else ""
    return f'<!doctype html><html><head><title>Section</title></head><body><div class="list">\n{cards}</div>{more}</body></html>'


def wait_for_hits(site: LocalSite, urls: list[str], count: int, quiet: float = 0.0, timeout: float = 60) -> None:
    """Until ``count`` articles were asked for, and then nothing for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = site.log()
        if sum(hit.url in urls for hit in log) >= count and time.monotonic() - log[-1].at >= quiet:
            return
        time.sleep(0.01)
    raise AssertionError(f"fewer than {count} article requests within {timeout}s")
