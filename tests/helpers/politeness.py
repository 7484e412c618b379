"""What the politeness tests publish on a local almaghribtoday (tests/helpers/httpsite.py): its
two RSS feeds listing the articles, an empty sitemap, and the delay the crawls are run with,
shared by the one-crawl and the cluster tests."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.helpers.fixturelib import article_fixtures
from tests.helpers.httpsite import LocalSite, rss, sitemap

HOST = "https://www.almaghribtoday.net"
FEEDS = (f"{HOST}/rss", f"{HOST}/health/rss.xml")
DELAY = 0.4
# Seconds a request may take from leaving to being logged (a new connection, a busy machine)
# more than the one before it. Scrapy's default jitter would draw a 0.4 s delay from
# 0.2-0.6 s: several of a run's gaps would fall under DELAY - SLACK.
SLACK = 0.05
ARTICLES = [f for f in article_fixtures() if f.site == "almaghribtoday" and f.url == f.expected["url"]]
WHEN = datetime(2026, 3, 1, 12, tzinfo=UTC)


def publish(site: LocalSite, articles) -> None:
    feed = {"Content-Type": "application/rss+xml; charset=utf-8"}
    site.add(FEEDS[0], rss([(f.url, WHEN) for f in articles]), headers=feed)
    site.add(FEEDS[1], rss([]), headers=feed)
    site.add(f"{HOST}/sitemap.xml", sitemap([]), headers={"Content-Type": "application/xml; charset=utf-8"})
