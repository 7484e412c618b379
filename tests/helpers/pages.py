"""Pages built in tests: article HTML, feeds, replay folders, a local HTTP server.

The replay folder follows fixtures/README.md (``<site>/<name>/meta.json`` + body file), so
``--replay`` reads it like the real fixtures. The server answers as an HTTP proxy: a crawl
run with ``http_proxy`` pointing at it fetches ``http://fr.le360.ma/...`` from here, through
Scrapy's real download path (redirects, size limits, broken transfers).
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
from collections.abc import Callable
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from clippings.replay.fixture import Fixture, read_meta

LE360 = "https://fr.le360.ma"
FETCHED_AT = "2025-09-09T19:05:00Z"


def le360_url(slug: str, host: str = LE360) -> str:
    """An article URL of le360: /societe/<slug>_<26-character id from the slug>/."""
    key = "".join(c for c in slug.upper() if c.isalnum()) or "X"
    return f"{host}/societe/{slug}_{(key * 26)[:26]}/"


def unknown_page(title: str, body: str, body_attrs: str = "") -> bytes:
    """A French article page of a template no site module knows: a title, ``og:type`` article,
    an ``<h1>`` and ``body`` (read at a le360 article URL, as a page of an unknown template)."""
    return (
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:type" content="article"></head><body{body_attrs}>'
        f"<h1>{title}</h1>{body}</body></html>"
    ).encode()


def article_html(
    title: str = "Le Maroc investit dans le rail",
    paragraphs: int = 6,
    author: str | None = "Karim Alaoui",
    published: str | None = "2025-09-09T18:36:00+01:00",
    charset: str = "utf-8",
    body: bool = True,
) -> str:
    """An Arc-like le360 article page: JSON-LD, og:type article, h1, paragraphs."""
    ld: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
    }
    if published:
        ld["datePublished"] = published
    if author:
        ld["author"] = [{"@type": "Person", "name": author}]
    text = "".join(
        f"<p>Paragraphe {i} : le gouvernement a annoncé de nouveaux investissements dans le "
        f"transport ferroviaire, selon un communiqué publié à Rabat ({escape(title)}).</p>"
        for i in range(paragraphs if body else 0)
    )
    return (
        f'<!doctype html><html lang="fr"><head><meta charset="{charset}">'
        f"<title>{escape(title)} | Le360</title>"
        f'<meta property="og:type" content="article">'
        f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        f"</head><body><article><h1>{escape(title)}</h1>"
        f'<div class="article-body">{text}</div></article></body></html>'
    )


def redesigned(n: int, paragraphs: list[str] | None = None, sidebar: str = "") -> bytes:
    """A le360 page of a template the site module has never seen (no story, new classes)."""
    texts = paragraphs or [
        f"Article {n}, paragraphe {i} : la région de Souss-Massa a reçu {n * 10 + i} millions de dirhams "
        "pour ses projets d’irrigation, selon le communiqué publié à Agadir lundi."
        for i in range(5)
    ]
    ld = {"@type": "NewsArticle", "headline": f"Souss-Massa : les projets d’irrigation n°{n}"}
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        f'<title>Souss-Massa {n} | Le360</title><meta property="og:type" content="article">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
        '<body class="tpl-story-2027"><header class="site-top"><a href="/">Accueil</a>'
        '<a href="/economie/">Économie</a></header><main class="page-main">'
        f"<h1>Souss-Massa : les projets d’irrigation n°{n}</h1>"
        '<section class="story-flow">' + "".join(f"<p>{t}</p>" for t in texts) + "</section>"
        f'<aside class="rail">{sidebar}<h3>À la une</h3><ul><li><a href="/x/">Un autre sujet</a></li></ul></aside>'
        "</main></body></html>"
    ).encode()


def halved_article(title: str) -> bytes:
    """An article whose redesign gave every other paragraph a class the pruning removes
    (``ad-safe``: the word ``ad``): half the body is lost, none of it is empty."""
    paragraphs = "".join(
        f'<p class="{"paragraph ad-safe" if i % 2 else "paragraph"}">Paragraphe {i} : le gouvernement '
        "a annoncé de nouveaux investissements dans le transport ferroviaire, selon un communiqué "
        f"publié à Rabat ce mardi ({title}).</p>"
        for i in range(8)
    )
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        f'<title>{title} | Le360</title><meta property="og:type" content="article"></head>'
        f'<body><article><h1>{title}</h1><p class="byline">Par Karim Alaoui</p>'
        f'<div class="article-text">{paragraphs}</div></article></body></html>'
    ).encode()


def rss(links: list[str], head: str = "") -> bytes:
    items = "".join(f"<item><link>{link}</link></item>" for link in links)
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{head}<rss version="2.0"><channel>'
        f"<title>le360</title>{items}</channel></rss>"
    ).encode()


class ReplayFolder:
    """A fixtures-style folder of saved responses, built page by page."""

    def __init__(self, root: Path, site: str = "le360") -> None:
        self.root = root
        self.site = site
        self.count = 0

    def add(
        self,
        url: str,
        body: bytes | None,
        status: int = 200,
        headers: dict[str, str] | None = None,
        fetched_at: str = FETCHED_AT,
    ) -> str:
        # One folder a URL (replay refuses two): a page saved again replaces the earlier one.
        for meta_path in (self.root / self.site).glob("*/meta.json"):
            if read_meta(meta_path.parent)["url"] == url:
                shutil.rmtree(meta_path.parent)
        self.count += 1
        folder = self.root / self.site / f"{fetched_at[:10]}_{self.count:03d}"
        while folder.exists():
            self.count += 1
            folder = self.root / self.site / f"{fetched_at[:10]}_{self.count:03d}"
        meta = {
            "url": url,
            "status": status,
            "headers": {"Content-Type": "text/html; charset=utf-8"} if headers is None else headers,
            "fetched_at": fetched_at,
            "body": "body.bin" if body is not None else None,
        }
        Fixture(folder, meta, body or b"").save()
        return url


# --- a local HTTP server, used as a proxy -------------------------------------------------

Handler = Callable[[BaseHTTPRequestHandler], None]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def send(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        for name, value in {"Content-Type": "text/html; charset=utf-8", **(headers or {})}.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handle


def cut_short(body: bytes, announced: int) -> Handler:
    """Announces ``announced`` bytes, sends ``body`` (fewer), closes: a broken transfer."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(announced))
        request.end_headers()
        request.wfile.write(body)
        request.wfile.flush()
        request.close_connection = True

    return handle


class PageServer:
    """Answers full URLs (proxy requests) from a table; records every URL asked for."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requested: list[str] = []
        routes, requested = self.routes, self.requested

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                url = self.path if "://" in self.path else f"http://{self.headers['Host']}{self.path}"
                requested.append(url)
                parts = urlsplit(url)
                key = f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")
                routes.get(key, send(404, b"not found"))(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), _Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def proxy(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
