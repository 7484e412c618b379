"""The le360 site played over real HTTP by a ``LocalSite`` (tests/helpers/httpsite.py): its
feed and sitemaps listing the le360 article fixtures, a crawl of it, and a slow version whose
pages are in flight when a crawl is stopped."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from clippings.dates import CASABLANCA
from tests.helpers.crawl import run_clippings
from tests.helpers.fixturelib import article_fixtures
from tests.helpers.httpsite import LocalSite, rss, sitemap, sitemap_index
from tests.helpers.pages import LE360, article_html, le360_url

HOST = LE360
FEED = f"{HOST}/arc/outboundfeeds/rss/?outputType=xml"
INDEX = f"{HOST}/sitemap_index.xml"
SITEMAP = f"{HOST}/sitemaps/articles.xml"
CONTACT = "https://example.org/clippings-contact"
CASA = CASABLANCA


def published(fixture) -> datetime:
    text = fixture.expected["published"]
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(hour=12, tzinfo=CASA)


# le360 article fixtures saved at their canonical URL (AMP ones are saved at ?outputType=amp).
ARTICLES = sorted(
    (f for f in article_fixtures() if f.site == "le360" and f.url == f.expected["url"]),
    key=published,
)
BOURITA = next(f for f in ARTICLES if "6VUZYMXQWNCSXNQ7TRBFVQKIDI" in f.url)
OLD_SLUG = f"{HOST}/politique/entretien-telephonique-bourita-lavrov_6VUZYMXQWNCSXNQ7TRBFVQKIDI/"


def publish(site: LocalSite, articles, extra: list[str] = ()) -> None:
    """The feed, sitemap index and sitemap listing ``articles`` (plus ``extra`` URLs)."""
    entries = [(OLD_SLUG if f is BOURITA else f.url, published(f)) for f in articles]
    latest = max((when for _, when in entries), default=published(ARTICLES[-1]))
    entries += [(url, published(ARTICLES[0])) for url in extra]
    xml = {"Content-Type": "application/xml; charset=utf-8"}
    site.add(FEED, rss(entries), headers={"Content-Type": "application/rss+xml; charset=utf-8"})
    site.add(INDEX, sitemap_index([(SITEMAP, latest)]), headers=xml)
    site.add(SITEMAP, sitemap([(f.url, published(f)) for f in articles]), headers=xml)


def crawl(site: LocalSite, out: Path, *extra: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    # example.com is sent to the local server too: were it ever requested, the log would show it.
    return run_clippings(
        "crawl",
        "le360",
        "--output",
        str(out),
        *site.settings(also=("https://example.com",)),
        "-s",
        f"CLIPPINGS_CONTACT_URL={CONTACT}",
        *extra,
        timeout=timeout,
    )


def slow_site(site: LocalSite, delay: float, articles: int = 12) -> tuple[list[str], str]:
    """``articles`` in the feed, each answered after ``delay`` seconds, and one more listed
    only by a sitemap answered slower still (found only once it is in)."""
    now = datetime.now(UTC)
    urls = [le360_url(f"arret-{n}") for n in range(articles)]
    for n, url in enumerate(urls):
        site.add(url, article_html(title=f"Article arrêté {n}"), headers={"Content-Type": "text/html"}, delay=delay)
    late = le360_url("decouvert-tard")
    site.add(late, article_html(title="Découvert tard"), headers={"Content-Type": "text/html"})
    when = [(url, now - timedelta(minutes=n)) for n, url in enumerate(urls)]
    site.add(FEED, rss(when), headers={"Content-Type": "application/rss+xml"})
    xml = {"Content-Type": "application/xml"}
    site.add(INDEX, sitemap_index([(SITEMAP, now)]), headers=xml)
    site.add(SITEMAP, sitemap([(late, now)]), headers=xml, delay=delay * 2.5)
    return urls, late
