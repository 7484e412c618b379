"""What a crawl does with each link it finds: fetch it, revalidate it, or skip it, and why.

Pure decisions, no Scrapy: the spider turns a ``Decision`` into a request (or a count) and
nothing else. The policy knows the run's limits (``since``, ``until``, ``max_articles``), what
the run has planned already, and asks the incremental state (``clippings.crawl.incremental``,
anything with its ``plan``, ``knows``, ``source_unchanged`` and ``source_headers``) what the
collection has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from clippings.core.finish import in_range
from clippings.core.site import Site
from clippings.dates import morocco_day
from clippings.discovery.links import Link, link_time
from clippings.state import Action


@dataclass(frozen=True)
class Decision:
    """``count`` is the stat key the decision is counted under (``skipped/seen``...), if
    any; ``meta`` what the request carries (``article_id``, ``listed_date``, ``source``...)."""

    action: Action  # REVALIDATE: fetched with the conditional headers
    count: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    example: bool = False  # the URL is kept as an example of ``count`` (drops)

    @property
    def fetch(self) -> bool:
        return self.action is not Action.SKIP


class State(Protocol):
    def plan(self, article_id: str, listed: Any, given: bool) -> tuple[Action, dict[str, str]]: ...
    def knows(self, article_id: str) -> bool: ...
    def source_unchanged(self, url: str, listed: str | None) -> bool: ...
    def source_headers(self, url: str) -> dict[str, str]: ...


def _skip(count: str | None, example: bool = False) -> Decision:
    return Decision(Action.SKIP, count, example=example)


class CrawlPolicy:
    """One site's crawl: each link found becomes a ``Decision``."""

    def __init__(
        self, site: Site, since: date | None = None, until: date | None = None, max_articles: int | None = None
    ) -> None:
        self.site = site
        self.since, self.until, self.max_articles = since, until, max_articles
        self.article_requests = 0
        self.planned_ids: set[str] = set()
        self.skipped_ids: set[str] = set()
        self.capped_ids: set[str] = set()  # left for a later run by max_articles
        self.listed_not_articles: set[str] = set()

    def in_range(self, day: str) -> bool:
        """``YYYY-MM-DD`` within ``since``..``until`` (both included)."""
        return in_range(day, self.since, self.until)

    def budget_left(self) -> bool:
        return self.max_articles is None or self.article_requests < self.max_articles

    def source(self, url: str, state: State | None, listed: str | None = None, page: int | None = None) -> Decision:
        """A feed, sitemap or listing page; conditional when the last complete run saw it."""
        meta: dict[str, Any] = {"source": True, "listed_date": listed}
        if page is not None:
            meta["page"] = page
        if state is None or page is not None:
            return Decision(Action.FETCH, meta=meta)
        if state.source_unchanged(url, listed):
            return _skip("skipped/sitemap_unchanged")
        headers = state.source_headers(url)
        return Decision(Action.REVALIDATE if headers else Action.FETCH, headers=headers, meta=meta)

    def article(self, url: str, state: State | None, listed: str | None = None, given: bool = False) -> Decision:
        """An article URL, unless the dates, the state or ``max_articles`` say not to fetch it."""
        when = link_time(listed)
        if when is not None and not self.in_range(morocco_day(when).isoformat()):
            return _skip("skipped/out_of_range")
        article_id = self.site.article_id(url) or url
        if article_id in self.planned_ids:
            return _skip("skipped/duplicate_link")
        action, headers = Action.FETCH, {}
        if state is not None:
            action, headers = state.plan(article_id, when, given)
        if action is Action.SKIP:
            # Counted once an article, however many feeds and sitemaps list it (another
            # listing may still date it newer: it is planned again, not blocked).
            if article_id in self.skipped_ids:
                return _skip("skipped/duplicate_link")
            self.skipped_ids.add(article_id)
            known = state is not None and state.knows(article_id)
            return _skip("skipped/seen" if known else "skipped/dropped_before")
        if not self.budget_left():
            # Counted once an article too: the summary says how many articles were left.
            if article_id in self.capped_ids:
                return _skip("skipped/duplicate_link")
            self.capped_ids.add(article_id)
            return _skip("skipped/max_articles")
        self.planned_ids.add(article_id)
        self.article_requests += 1
        meta = {"listed_date": listed, "article_id": article_id}
        if action is Action.REVALIDATE:
            return Decision(Action.REVALIDATE, "incremental/revalidated", headers, meta)
        return Decision(Action.FETCH, headers=headers, meta=meta)

    def link(self, link: Link, state: State | None) -> Decision:
        """A link of a feed or sitemap: a sub-sitemap, an article, a feed, or none of these."""
        if not self.site.owns(link.url):
            return _skip("dropped/offsite_link", example=True)
        if link.kind == "sitemap":
            # A sub-sitemap last changed before ``since`` holds nothing newer.
            when = link_time(link.date)
            if self.since and when and morocco_day(when) < self.since:
                return _skip("skipped/sitemap_older_than_since")
            return self.source(link.url, state, listed=link.date)
        if self.site.is_article_url(link.url):
            return self.article(link.url, state, link.date)
        if is_feed_url(link.url):
            return self.source(link.url, state)
        if link.url in self.listed_not_articles:  # counted once, however often listed
            return _skip(None)
        self.listed_not_articles.add(link.url)
        reason = self.site.non_article_reason(link.url) or "not_article"
        return _skip(f"dropped/{reason}", example=True)


def is_feed_url(url: str) -> bool:
    """Feed and sitemap URLs listed inside feeds (section feeds, sub-sitemaps)."""
    lowered = url.lower().split("?", 1)[0]
    return lowered.endswith((".xml", "/rss", ".rss", "/feed")) or "outboundfeeds" in lowered
