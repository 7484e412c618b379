"""le360, English edition (en.le360.ma): the Arc XP platform of fr.le360.ma, in English."""

from __future__ import annotations

import re

from clippings.sites.base import Site, class_words
from clippings.sites.le360 import SITE as FRENCH

HOST = "en.le360.ma"

SITE = Site(
    name="le360_en",
    hosts=frozenset({HOST}),
    # /<section>/<slug>_<26-char Arc id>/
    article_url=re.compile(r"^https?://en\.le360\.ma/(?:[a-z0-9-]+/)+[^/?#]*?_(?P<id>[A-Z0-9]{26})/?(?:[?#].*)?$"),
    robots_url=f"https://{HOST}/robots.txt",
    feed_urls=(f"https://{HOST}/arc/outboundfeeds/rss/?outputType=xml",),
    sitemap_urls=(f"https://{HOST}/sitemap_index.xml",),
    listing_urls=tuple(
        f"https://{HOST}/{section}/"
        for section in ("politics", "economy", "society", "world", "africa", "sports", "culture")
    ),
    listing_url=re.compile(r"^https?://en\.le360\.ma/(?:[a-z0-9-]+/){1,2}(?:\?page=\d+)?$"),
    article_fallbacks=("{url}?outputType=amp",),
    non_article_urls=(
        (re.compile(r"^https?://[^/]+/videos?/"), "video"),
        (re.compile(r"^https?://[^/]+/(?:tags?|authors?|search)/"), "listing"),
    ),
    title_suffix=FRENCH.title_suffix,
    arc_website="le360-en",
    page="clippings.sites.le360_en.page:Le360EnPage",
    lead_xpaths=(
        "//*[@class][{}]".format(class_words("subheadline", "standfirst"))
        + "[not(self::figure or .//img or .//amp-img)][not(ancestor::*[@class][{}])]".format(
            class_words("card", "related")
        ),
    ),
    byline_xpaths=(
        "//*[@class][{}][starts-with(normalize-space(.),'By ')]".format(class_words("author", "attribution")),
    ),
    author_prefixes=("By ", "by "),
    tag_xpaths=("//*[@class][{}]//a".format(class_words("tags", "hashtags")),),
    caption_xpaths=(
        "//article//figure//figcaption",
        "//*[@class][{}]".format(class_words("caption")),
    ),
    credit_patterns=(re.compile(r"\s*(?:©|Copyright|Credit|Photo\s*:).*$", re.IGNORECASE),),
    body_xpaths=(
        f"//*[@class][{class_words('article-text')}]",  # Arc pages of the older "article-page" layout
        f"//*[@class][{class_words('amp-article-body')}]",  # ?outputType=amp
    ),
    prune_classes=FRENCH.prune_classes,
    prune_xpaths=FRENCH.prune_xpaths,
    stop_markers=(
        "Related content",
        "Related articles",
        "Most read",
        "Press review",
        "See more",
        "Newsletter",
    ),
    drop_line_patterns=(
        re.compile(r"^\s*(?:Read (?:also|more)|See also)\s*:", re.IGNORECASE),
        re.compile(r"^\s*(?:#[^#\s][^#]*){2,}$"),
        re.compile(r"^\s*By\s+[^.]{2,80}$"),
        re.compile(r"^\s*(?:Updated|Last updated)\b.{6,50}$"),
        re.compile(r"^\s*©|All rights reserved|use of cookies|cookie settings", re.IGNORECASE),
    ),
    soft_404_markers=("Page not found", "Error 404", "404 - Page"),
)
