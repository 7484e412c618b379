"""A page the crawl was sent to fetch and could not have is an error, by reason, in the
summary, the run history and the progress line; a page refused on purpose is a drop
(clippings/crawl/failures.py, clippings/crawl/outcomes.py)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest, ResponseDataLossError
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionLost
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed
from twisted.web.http import _DataLoss

from clippings.collection.run_line import run_record
from clippings.core.summary import site_summary
from clippings.crawl.extensions.progress import progress_line
from clippings.crawl.transfer import CutTransfer
from clippings.spiders import spider_class

URL = "https://fr.le360.ma/politique/un-article_6VUZYMXQWNCSXNQ7TRBFVQKIDI/"


class State:
    """The incremental state's side the spider tells about failures."""

    def __init__(self) -> None:
        self.incomplete_because: list[str] = []
        self.dropped_ids: list[str] = []

    def incomplete(self, why: str) -> None:
        self.incomplete_because.append(why)

    def dropped(self, article_id, url, reason, listed) -> None:
        self.dropped_ids.append(article_id)


def spider():
    cls = spider_class("le360")
    made = cls.from_crawler(get_crawler(cls, {"CLIPPINGS_INCREMENTAL": False}))
    made.incremental = State()
    return made


def fail(made, value: BaseException, url: str = URL, **meta) -> None:
    failure = Failure(value)
    failure.request = Request(url, meta=meta)
    assert list(made.on_error(failure)) == []


def http(status: int, url: str = URL) -> HttpError:
    return HttpError(Response(url, status=status, request=Request(url)), f"HTTP {status}")


@pytest.mark.parametrize(
    ("value", "counted"),
    [
        (http(503), "errors/http_503"),
        (http(429), "errors/http_429"),
        (http(403), "errors/http_403"),
        (CutTransfer("gzip stream not ended (body cut short)"), "errors/cut"),
        (ResponseDataLossError("Connection lost"), "errors/cut"),
        (DownloadTimeoutError("Getting URL took longer than 30 seconds."), "errors/timeout"),
        (ConnectionLost("Connection to the other side was lost"), "errors/download"),
    ],
)
def test_a_page_that_could_not_be_had_is_an_error_named_in_one_line(value, counted, caplog):
    made = spider()
    fail(made, value)
    stats = made.crawler.stats.get_stats()
    assert stats[f"clippings/le360/{counted}"] == 1 and stats[f"clippings/{counted}"] == 1
    assert stats[f"clippings/le360/examples/{counted}"] == [URL]
    assert not [key for key in stats if "/dropped/" in key]
    named = [r for r in caplog.records if URL in r.getMessage() and r.levelname == "ERROR"]
    assert len(named) == 1
    # The next run must not trust a 304 for the feed that listed it.
    assert len(made.incremental.incomplete_because) == 1


@pytest.mark.parametrize(
    ("value", "counted", "complete"),
    [
        # robots.txt's refusal is the crawl's own rule: the page is given up on purpose.
        (IgnoreRequest("Forbidden by robots.txt"), "dropped/robots_txt", True),
        # A redirect off the site (a maintenance page elsewhere) leaves the page not had: the
        # feeds' validators are not saved, so the next run fetches it.
        (
            IgnoreRequest(f"redirect off the site, not followed: {URL} -> https://example.com/"),
            "dropped/offsite_redirect",
            False,
        ),
    ],
)
def test_a_page_refused_on_purpose_stays_a_drop(value, counted, complete):
    made = spider()
    fail(made, value)
    stats = made.crawler.stats.get_stats()
    assert stats[f"clippings/le360/{counted}"] == 1
    assert not [key for key in stats if "/errors/" in key]
    assert (made.incremental.incomplete_because == []) is complete


def test_a_page_gone_is_a_drop_remembered():
    made = spider()
    request = Request(URL, meta={"article_id": "6VUZYMXQWNCSXNQ7TRBFVQKIDI", "fallbacks_tried": 99})
    failure = Failure(HttpError(Response(URL, status=404, request=request), "HTTP 404"))
    failure.request = request
    assert list(made.on_error(failure)) == []
    stats = made.crawler.stats.get_stats()
    assert stats["clippings/le360/dropped/http_404"] == 1
    assert made.incremental.dropped_ids == ["6VUZYMXQWNCSXNQ7TRBFVQKIDI"]
    assert made.incremental.incomplete_because == []


def test_errors_reach_the_summary_the_run_history_and_the_progress_line():
    made = spider()
    for value in (http(503), CutTransfer("x"), ConnectionLost()):
        fail(made, value)
    made.count("written", 4)
    stats = made.crawler.stats.get_stats()
    row, details = site_summary(stats, "le360")
    assert row.split()[-1] == "3"  # the errors column
    assert "  errors: cut 1, download 1, http_503 1" in details
    now = datetime.now(UTC)
    record = run_record(
        stats, "le360", run_id="r", job=None, started=now, finished=now, reason="finished", peak_rss_mb=None
    )
    assert record["errors"] == {"cut": 1, "download": 1, "http_503": 1}
    assert record["dropped"] == {}
    assert ", 3 errors," in progress_line(made.crawler, "le360", 0.0)


def test_the_pages_sent_to_fetch_are_counted():
    made = spider()
    made.request("https://fr.le360.ma/arc/outboundfeeds/rss/?outputType=xml", source=True)
    made.request(URL, article_id="6VUZYMXQWNCSXNQ7TRBFVQKIDI")
    assert made.crawler.stats.get_value("clippings/le360/fetch/sent") == 2
    assert made.crawler.stats.get_value("clippings/fetch/sent") == 2


def test_reextract_counts_a_recorded_http_error_as_a_crawl_does():
    from clippings.reextract import task
    from clippings.replay import SavedResponse

    def outcome(status: int):
        saved = SavedResponse(URL, status, [("Content-Type", "text/html")], b"busy", datetime.now(UTC))
        return task.read_record(saved, "x.warc.gz", 0, {}, task.Reading())

    busy, gone = outcome(503), outcome(410)
    assert (busy.kind, busy.counts, busy.remember) == ("error", ["errors/http_503"], None)
    assert (gone.kind, gone.counts, gone.remember) == ("dropped", ["dropped/http_410"], "http_410")


def test_a_page_extraction_failed_on_is_an_error_left_to_the_next_run():
    import asyncio

    from scrapy.http import HtmlResponse

    class Broken:
        async def read(self, *args, **kwargs):
            raise RuntimeError("a bug")

    made = spider()
    made.extractor = Broken()
    page = HtmlResponse(URL, body=b"<html><body><p>x</p></body></html>", request=Request(URL))
    assert asyncio.run(made.read_article_page(page)) is None
    assert made.crawler.stats.get_value("clippings/le360/errors/extraction") == 1
    assert made.incremental.incomplete_because == [f"extraction failed for {URL}"]


def test_a_cut_response_that_reaches_the_spider_is_an_error_not_a_page():
    """With retries off (RETRY_ENABLED=False) the flagged response reaches the spider."""
    import asyncio

    from scrapy.http import HtmlResponse

    made = spider()
    page = HtmlResponse(URL, body=b"<html><body><p>half a pa", request=Request(URL), flags=["cut: 12 of 900 bytes"])

    async def outputs():
        return [output async for output in made.parse(page)]

    assert asyncio.run(outputs()) == []
    stats = made.crawler.stats.get_stats()
    assert stats["clippings/le360/errors/cut"] == 1
    assert not [key for key in stats if "/pages/" in key or "/dropped/" in key]
    assert made.incremental.incomplete_because == [f"cut transfer for {URL}"]


def test_a_fallback_after_a_404_carries_none_of_the_first_requests_download_meta():
    made = spider()
    assert made.site.article_fallbacks, "le360 tries another rendering after a 404"
    meta = {"article_id": "6VUZYMXQWNCSXNQ7TRBFVQKIDI", "download_latency": 0.2, "retry_times": 1}
    request = Request(URL, meta={**meta, "redirect_reasons": [301], "download_slot": "fr.le360.ma"})
    failure = Failure(HttpError(Response(URL, status=404, request=request), "HTTP 404"))
    failure.request = request
    (fallback,) = made.on_error(failure)
    assert fallback.meta["article_id"] == meta["article_id"] and fallback.meta["fallback_of"] == URL
    internal = {"download_latency", "retry_times", "redirect_reasons", "download_slot"}
    assert not internal & set(fallback.meta)


def test_a_robots_txt_cut_short_is_named_with_its_reason():
    # Scrapy's robots.txt middleware logs the failure's exception, here a connection closed
    # before the end of the body: its text is empty, the line said "download failed: " alone.
    from clippings.crawl.logformat import RobotsTxtFailure

    lost = ResponseFailed([Failure(_DataLoss())])
    record = logging.LogRecord("scrapy.downloadermiddlewares.robotstxt", logging.ERROR, "", 0, "x", None, None)
    record.args = {"request": Request("https://fr.le360.ma/robots.txt"), "f_exception": lost}
    record.exc_info = (ResponseFailed, lost, None)
    RobotsTxtFailure().filter(record)
    assert record.getMessage() == (
        "https://fr.le360.ma/robots.txt: download failed: cut transfer: connection closed before the end"
        " of the body (robots.txt unread: every URL allowed)"
    )
