"""The crawl policy without a crawl: each link a Decision, from the run's limits and the state."""

from __future__ import annotations

from datetime import date

from clippings.discovery import Link
from clippings.discovery.policy import CrawlPolicy
from clippings.sites import get_site
from clippings.state import Action

SITE = get_site("le360")
ARTICLE = "https://fr.le360.ma/politique/le-maroc_6VUZYMXQWNCSXNQ7TRBFVQKIDI/"
OTHER = "https://fr.le360.ma/economie/autre-chose_7VUZYMXQWNCSXNQ7TRBFVQKIDI/"


class State:
    """The collection has ARTICLE (written 2025-09-09 12:00) and a sitemap seen unchanged."""

    def plan(self, article_id, listed, given):
        if article_id != "6VUZYMXQWNCSXNQ7TRBFVQKIDI":
            return Action.FETCH, {}
        if listed is not None and listed.isoformat() > "2025-09-09T12:00:00+00:00":
            return Action.REVALIDATE, {"If-None-Match": '"v1"'}
        return Action.SKIP, {}

    def knows(self, article_id):
        return article_id == "6VUZYMXQWNCSXNQ7TRBFVQKIDI"

    def source_unchanged(self, url, listed):
        return url.endswith("/unchanged.xml")

    def source_headers(self, url):
        return {"If-Modified-Since": "Tue, 09 Sep 2025 10:00:00 GMT"} if url.endswith("/known.xml") else {}


def test_an_article_known_is_skipped_once_and_a_newer_listing_revalidates_it():
    policy = CrawlPolicy(SITE)
    first = policy.article(ARTICLE, State(), "2025-09-09T10:00:00Z")
    assert (first.action, first.count) == (Action.SKIP, "skipped/seen")
    assert policy.article(ARTICLE, State(), "2025-09-09T10:00:00Z").count == "skipped/duplicate_link"
    newer = policy.article(ARTICLE, State(), "2025-09-10T10:00:00Z")
    assert (newer.action, newer.count) == (Action.REVALIDATE, "incremental/revalidated")
    assert newer.headers == {"If-None-Match": '"v1"'}
    assert newer.meta == {"listed_date": "2025-09-10T10:00:00Z", "article_id": "6VUZYMXQWNCSXNQ7TRBFVQKIDI"}
    assert policy.article(ARTICLE, State(), "2025-09-11T10:00:00Z").count == "skipped/duplicate_link"


def test_the_run_limits_decide_before_the_state():
    policy = CrawlPolicy(SITE, since=date(2025, 9, 1), until=date(2025, 9, 30), max_articles=1)
    assert policy.article(OTHER, None, "2025-08-31T22:00:00Z").count == "skipped/out_of_range"
    assert (
        policy.article(OTHER, None, "2025-09-30T23:30:00Z").count == "skipped/out_of_range"
    )  # 1 October in Morocco (+01:00)
    fetched = policy.article(OTHER, None, "2025-09-15T10:00:00Z")
    assert fetched.action is Action.FETCH and fetched.count is None and fetched.fetch
    assert policy.article(ARTICLE, None, "2025-09-15T10:00:00Z").count == "skipped/max_articles"
    assert not policy.budget_left()


def test_sources_are_conditional_when_the_state_knows_them():
    policy = CrawlPolicy(SITE)
    assert (
        policy.source("https://fr.le360.ma/unchanged.xml", State(), "2025-09-09").count == "skipped/sitemap_unchanged"
    )
    known = policy.source("https://fr.le360.ma/known.xml", State())
    assert known.action is Action.REVALIDATE and "If-Modified-Since" in known.headers
    assert known.meta == {"source": True, "listed_date": None}
    listing = policy.source("https://fr.le360.ma/politique", State(), page=2)
    assert listing.action is Action.FETCH and listing.meta["page"] == 2 and not listing.headers


def test_links_of_a_feed_or_sitemap():
    policy = CrawlPolicy(SITE, since=date(2025, 9, 1))
    offsite = policy.link(Link("https://example.com/a"), None)
    assert (offsite.fetch, offsite.count, offsite.example) == (False, "dropped/offsite_link", True)
    old = policy.link(Link("https://fr.le360.ma/sitemap-2025-08.xml", "2025-08-20", kind="sitemap"), None)
    assert old.count == "skipped/sitemap_older_than_since"
    assert policy.link(Link("https://fr.le360.ma/sitemap-2025-09.xml", "2025-09-20", kind="sitemap"), None).fetch
    assert policy.link(Link("https://fr.le360.ma/arc/outboundfeeds/rss/category/sport/"), None).meta["source"]
    assert policy.link(Link(OTHER, "2025-09-15T10:00:00Z"), None).meta["article_id"] == "7VUZYMXQWNCSXNQ7TRBFVQKIDI"
    page = "https://fr.le360.ma/videos/un-reportage"
    first, again = policy.link(Link(page), None), policy.link(Link(page), None)
    assert not first.fetch and first.count.startswith("dropped/") and first.example
    assert not again.fetch and again.count is None  # counted once, however often listed
