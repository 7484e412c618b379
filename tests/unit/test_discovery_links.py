"""Discovery helpers without a crawl: link dates, listing entries, pagination, spider arguments."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clippings.core.arguments import parse_count, parse_day
from clippings.discovery import link_time, listing_entries, next_page, robots_sitemaps
from clippings.sites import SITES

LE360 = SITES["le360"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue, 09 Sep 2025 17:36:00 GMT", datetime(2025, 9, 9, 17, 36, tzinfo=UTC)),
        ("2025-09-09T18:36:00+01:00", datetime(2025, 9, 9, 17, 36, tzinfo=UTC)),
        ("2025-09-09T17:36:00.000Z", datetime(2025, 9, 9, 17, 36, tzinfo=UTC)),
        ("2025-09-09", datetime(2025, 9, 9, tzinfo=UTC)),
        ("Par La rédaction · 09/09/2025 à 18h36", datetime(2025, 9, 9, 17, 36, tzinfo=UTC)),
        ("", None),
        ("bientôt", None),
    ],
)
def test_link_time(text, expected):
    assert link_time(text) == expected


def test_listing_entries_pair_each_article_with_its_card_date():
    page = """<html><body><nav><a href="/politique/">Politique</a></nav>
    <div class="list">
      <div class="card"><a href="/politique/a_AAAAAAAAAAAAAAAAAAAAAAAAAA/"><img src="x.jpg"></a>
        <h2><a href="/politique/a_AAAAAAAAAAAAAAAAAAAAAAAAAA/">A</a></h2><time datetime="2025-09-09T18:36:00+01:00">9 sept.</time></div>
      <div class="card"><h2><a href="/politique/b_BBBBBBBBBBBBBBBBBBBBBBBBBB/">B</a></h2>
        <span class="byline">Par X · 08/09/2025 à 10h00</span></div>
      <div class="card"><h2><a href="/politique/c_CCCCCCCCCCCCCCCCCCCCCCCCCC/">C</a></h2></div>
    </div><a rel="next" href="/politique/?page=2">Suivante</a></body></html>""".encode()
    base = "https://fr.le360.ma/politique/"
    entries = listing_entries(page, base, LE360.is_article_url)
    assert entries == [
        ("https://fr.le360.ma/politique/a_AAAAAAAAAAAAAAAAAAAAAAAAAA/", "2025-09-09T18:36:00+01:00"),
        ("https://fr.le360.ma/politique/b_BBBBBBBBBBBBBBBBBBBBBBBBBB/", "Par X · 08/09/2025 à 10h00"),
        ("https://fr.le360.ma/politique/c_CCCCCCCCCCCCCCCCCCCCCCCCCC/", None),
    ]
    assert next_page(page, base) == "https://fr.le360.ma/politique/?page=2"
    assert next_page(b"<html><body>no more</body></html>", base) is None


def test_listing_pages_follow_page_numbers():
    assert LE360.listing_page_after("https://fr.le360.ma/politique/") == "https://fr.le360.ma/politique/?page=2"
    assert LE360.listing_page_after("https://fr.le360.ma/politique/?page=7") == "https://fr.le360.ma/politique/?page=8"
    for site in SITES.values():
        assert site.listing_urls and all(site.owns(u) and site.is_listing_url(u) for u in site.listing_urls)
        assert all(site.owns(u) for u in (*site.feed_urls, *site.sitemap_urls, site.robots_url))


def test_spider_arguments_arrive_as_strings():
    assert parse_day("2025-09-01", "since") == date(2025, 9, 1)
    assert parse_day("", "since") is None and parse_day(None, "until") is None
    assert parse_count("500", "max_articles") == 500
    with pytest.raises(ValueError, match="since='2025-9-1'"):
        parse_day("2025-9-1", "since")
    with pytest.raises(ValueError, match="max_articles"):
        parse_count("lots", "max_articles")
    with pytest.raises(ValueError, match="max_articles"):
        parse_count("0", "max_articles")


ROBOTS = b"""User-agent: *
Disallow: /recherche/
Sitemap: https://fr.le360.ma/sitemap_index.xml
sitemap: /sitemaps/news.xml
Sitemap:sitemaps/relative.xml
Sitemap: //fr.le360.ma/sitemaps/scheme-relative.xml
"""


def test_robots_sitemaps_are_resolved_against_the_robots_url():
    from scrapy.utils.sitemap import sitemap_urls_from_robots

    base = "https://fr.le360.ma/robots.txt"
    expected = [
        "https://fr.le360.ma/sitemap_index.xml",
        "https://fr.le360.ma/sitemaps/news.xml",
        "https://fr.le360.ma/sitemaps/relative.xml",
        "https://fr.le360.ma/sitemaps/scheme-relative.xml",
    ]
    assert robots_sitemaps(ROBOTS, base) == expected
    assert list(sitemap_urls_from_robots(ROBOTS, base_url=base)) == expected  # as Scrapy reads it
    assert robots_sitemaps(b"Sitemap: http://[::1/x.xml\nSitemap: /ok.xml\n", base) == ["https://fr.le360.ma/ok.xml"]


def test_the_spider_follows_a_relative_sitemap_of_robots_txt():
    from scrapy.http import Request, TextResponse
    from scrapy.utils.test import get_crawler

    from clippings.spiders import spider_class

    Le360Spider = spider_class("le360")

    crawler = get_crawler(Le360Spider, {"CLIPPINGS_INCREMENTAL": False})
    spider = Le360Spider.from_crawler(crawler)
    url = "https://fr.le360.ma/robots.txt"
    body = b"Sitemap: /sitemaps/news.xml\nSitemap: https://elsewhere.example/sitemap.xml\n"
    response = TextResponse(url, body=body, request=Request(url))
    assert [r.url for r in spider.robots_requests(response)] == ["https://fr.le360.ma/sitemaps/news.xml"]
    assert crawler.stats.get_value("clippings/le360/skipped/offsite_sitemap") == 1
