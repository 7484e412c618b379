"""What a site declares (``Site``): its hosts and URLs, its feeds, its selectors, its
markers. Data only; the machinery that reads a page with it is ``clippings.extract``, the
site packages that declare one are ``clippings.sites``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Site:
    """Everything clippings knows about one news site.

    Selectors are XPath expressions, tried in order; the first one that yields text wins.
    Class tests go behind ``[@class]`` (``//*[@class][contains(@class,'x') or ...]``): the
    same elements, found in a third less time, as most elements have no class to test.
    Markers are plain strings compared after whitespace folding. Nothing here is code that
    runs a crawl: the spider and the extractor read these values.
    """

    name: str
    hosts: frozenset[str]
    # Article URLs; the pattern's named group ``id`` is the article id.
    article_url: re.Pattern[str]
    # Entry points when no URL is given, in order: robots.txt, feeds, sitemaps.
    robots_url: str
    feed_urls: tuple[str, ...]
    # Two sites may share a host: each then owns a part of it by path prefix (ending in "/";
    # "/en/" also owns "/en"). ``paths``: the site is only these parts of its hosts (empty:
    # all of them); ``excluded_paths``: parts of its hosts that are another site's. A host's
    # robots.txt is every site's on that host.
    paths: tuple[str, ...] = ()
    excluded_paths: tuple[str, ...] = ()
    sitemap_urls: tuple[str, ...] = ()
    # Section listings for backfills: their first pages. Later pages are the page's
    # rel="next" link, else ``listing_next`` (``{url}`` without query, ``{page}`` >= 2).
    listing_urls: tuple[str, ...] = ()
    listing_next: str = "{url}?page={page}"
    listing_url: re.Pattern[str] | None = None
    # URLs that look like articles but are not (video pages and the like) -> reason.
    non_article_urls: tuple[tuple[re.Pattern[str], str], ...] = ()
    # Other renderings of an article, tried in order when its URL answers 404/410
    # (``{url}`` is the article URL): le360's AMP page.
    article_fallbacks: tuple[str, ...] = ()

    # --- extraction -------------------------------------------------------------------
    title_suffix: re.Pattern[str] | None = None
    title_xpaths: tuple[str, ...] = ("//h1",)
    lead_xpaths: tuple[str, ...] = ()
    byline_xpaths: tuple[str, ...] = ()
    author_prefixes: tuple[str, ...] = ()
    # Credits that name the outlet rather than a person are kept as written.
    date_xpaths: tuple[str, ...] = ()
    section_xpaths: tuple[str, ...] = ()
    tag_xpaths: tuple[str, ...] = ()
    caption_xpaths: tuple[str, ...] = ()
    # Where the lead image is when the page declares none (og:image, JSON-LD): @src values.
    image_xpaths: tuple[str, ...] = ()
    credit_patterns: tuple[re.Pattern[str], ...] = ()
    # The element(s) holding the article text in the site's known templates, tried in order
    # (then schema.org's articleBody): trafilatura reads that alone, which is several times
    # faster than the whole page. Nothing found -> the whole page (pruned below) is read.
    body_xpaths: tuple[str, ...] = ()
    # Subtrees removed before trafilatura sees the page (or the container): elements with a
    # class token holding one of ``prune_classes`` as whole words (``most-read`` removes
    # ``c-most-read__list``; ``ad`` never removes ``leaderboard`` nor ``header``), and
    # whatever ``prune_xpaths`` select. Never an element holding the page's main paragraphs.
    prune_classes: tuple[str, ...] = ()
    prune_xpaths: tuple[str, ...] = ()
    # A body line equal to one of these ends the article: all that follows is page furniture.
    stop_markers: tuple[str, ...] = ()
    # Body lines matching any of these are dropped ("Lire aussi : ...", hashtag rows). One
    # pattern a kind of line, anchored (``^``) or opening with its words: an alternation of
    # unanchored phrases is tried at every character of every line.
    drop_line_patterns: tuple[re.Pattern[str], ...] = ()
    # Page texts (title, first heading) that mean "not found".
    soft_404_markers: tuple[str, ...] = ()
    # Site-specific author splitting, when the generic one is not enough.
    parse_byline: Callable[[str], list[str]] | None = None
    # The Arc XP website the site's embedded stories name (``websites.<name>``), if on Arc.
    arc_website: str | None = None
    # The page object reading the site's article pages (``clippings.extract.page.ArticlePage``
    # or a subclass of it), as "module:Class"; imported when the first page is read.
    page: str = "clippings.extract.page:ArticlePage"

    def strip_title(self, title: str | None) -> str | None:
        """A declared title without the site's suffix (" | Le360")."""
        if not title:
            return None
        if self.title_suffix:
            title = self.title_suffix.sub("", title)
        return title.strip() or None

    # --- URL knowledge ------------------------------------------------------------------
    def owns(self, url: str) -> bool:
        """True for URLs on this site's hosts and paths (nothing else is ever requested)."""
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 -- raises ValueError on a port out of range
            if (parts.hostname or "").lower() not in self.hosts:
                return False
        except ValueError:  # not a URL Scrapy could request ("http://[::1/", ":99999")
            return False
        path = parts.path or "/"
        if path == "/robots.txt":
            return True
        return (not self.paths or _under(path, self.paths)) and not _under(path, self.excluded_paths)

    def article_id(self, url: str) -> str | None:
        match = self.article_url.match(url)
        if not match:
            return None
        # Patterns may offer several alternatives (current and older URL forms): groups
        # named ``id`` or ``*_id``; the first that matched is the id.
        return next((v for k, v in match.groupdict().items() if v and k.endswith("id")), None)

    def non_article_reason(self, url: str) -> str | None:
        for pattern, reason in self.non_article_urls:
            if pattern.search(url):
                return reason
        return None

    def is_article_url(self, url: str) -> bool:
        return self.article_id(url) is not None and self.non_article_reason(url) is None

    def is_feed_url(self, url: str) -> bool:
        """One of the site's feeds (asked conditionally, never read as a listing)."""
        return url.rstrip("/") in {feed.rstrip("/") for feed in self.feed_urls}

    def is_listing_url(self, url: str) -> bool:
        """A section listing page; never a feed, though a feed's path (``/rss``) may look
        like one."""
        return bool(self.listing_url and self.listing_url.match(url)) and not self.is_feed_url(url)

    def listing_page_after(self, url: str) -> str | None:
        """The page after listing page ``url`` (``?page=N``, none meaning page 1)."""
        parts = urlsplit(url)
        found = re.search(r"(?:^|&)page=(\d+)(?:&|$)", parts.query)
        page = int(found.group(1)) if found else 1
        return self.listing_next.format(url=parts._replace(query="", fragment="").geturl(), page=page + 1)


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path.startswith(prefix) or path == prefix.rstrip("/") for prefix in prefixes)
