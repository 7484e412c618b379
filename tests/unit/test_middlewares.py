"""Downloader middlewares that need no crawl to test: meta-refresh redirects."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from clippings.crawl.middlewares import MetaRefreshMiddleware

URL = "https://fr.le360.ma/politique/ancien-article_ABC/"


@pytest.fixture
def middleware():
    return MetaRefreshMiddleware.from_crawler(get_crawler())


def _page(head: str, encoding: str = "utf-8", filler: int = 0) -> HtmlResponse:
    html = f"<html><head>{head}</head><body>{'<p>texte</p>' * filler}</body></html>"
    return HtmlResponse(URL, body=html.encode(encoding), encoding=encoding, request=Request(URL))


@pytest.mark.parametrize(
    "head",
    [
        '<meta http-equiv="refresh" content="0; url=/politique/nouvel-article_DEF/">',
        "<META HTTP-EQUIV=REFRESH CONTENT='0;URL=/politique/nouvel-article_DEF/'>",
    ],
)
def test_a_meta_refresh_is_followed(middleware, head):
    response = _page(head)
    result = middleware.process_response(response.request, response)
    assert isinstance(result, Request)
    assert result.url == "https://fr.le360.ma/politique/nouvel-article_DEF/"


def test_a_page_without_refresh_passes_undecoded(middleware):
    response = _page('<meta charset="utf-8"><title>Un article</title>', filler=3000)
    assert middleware.process_response(response.request, response) is response
    assert response._cached_ubody is None  # Scrapy's own middleware decodes every page


def test_utf16_pages_are_left_to_scrapy(middleware):
    response = _page('<meta http-equiv="refresh" content="0; url=/autre/">', encoding="utf-16")
    result = middleware.process_response(response.request, response)
    # Scrapy's judgement, whatever it is (it keeps a stray byte-order mark in the URL).
    assert isinstance(result, Request) and result.url.startswith("https://fr.le360.ma/autre/")


def test_a_refresh_word_in_the_text_is_not_a_redirect(middleware):
    response = _page("<title>Refresh: le gouvernement remanié</title>")
    assert middleware.process_response(response.request, response) is response


def test_a_replayed_response_is_the_saved_one(tmp_path):
    from datetime import UTC, datetime

    from scrapy.http import XmlResponse

    from clippings.crawl.middlewares import REPLAY_MISSING, ReplayMiddleware
    from clippings.replay import SavedResponse, WarcRecorder

    when = datetime(2026, 4, 8, 16, 0, tzinfo=UTC)
    headers = [("Content-Type", "application/rss+xml"), ("Set-Cookie", "a=1"), ("set-cookie", "b=2"), ("ETag", '"v1"')]
    with WarcRecorder(tmp_path / "a.warc.gz") as recorder:
        recorder.write(SavedResponse(URL, 200, [("Content-Type", "text/html")], b"<html>x</html>", when))
        recorder.write(SavedResponse("https://fr.le360.ma/rss", 200, headers, b"<rss/>", when))
    crawler = get_crawler(settings_dict={"CLIPPINGS_REPLAY": str(tmp_path / "a.warc.gz")})
    replay = ReplayMiddleware.from_crawler(crawler)

    page = replay.process_request(Request(URL))
    assert type(page) is HtmlResponse and page.status == 200 and page.body == b"<html>x</html>"
    assert page.headers.getlist("content-type") == [b"text/html"]
    feed = replay.process_request(request := Request("https://fr.le360.ma/rss"))
    assert type(feed) is XmlResponse and feed.request is request and feed.url == request.url
    assert dict(feed.headers) == {
        b"Content-Type": [b"application/rss+xml"],
        b"Set-Cookie": [b"a=1", b"b=2"],
        b"Etag": [b'"v1"'],
    }
    assert request.meta["fetched_at"] == when
    missing = replay.process_request(Request("https://fr.le360.ma/absent"))
    assert missing.status == 404 and missing.flags == [REPLAY_MISSING]
