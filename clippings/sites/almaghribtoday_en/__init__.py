"""almaghribtoday, English edition (www.almaghribtoday.net/en/): the Arabic site's templates in
English, under /en/ on the same host (the Arabic site leaves /en/ to this one)."""

from __future__ import annotations

import re

from clippings.sites.almaghribtoday import SITE as ARABIC
from clippings.sites.base import HASHTAG_ROW, Site, class_words

HOST = "www.almaghribtoday.net"
BASE = f"https://{HOST}/en"

# The English boxes after an article (and the embed widget both editions carry): a body line
# equal to one of them ends the article.
STOP_MARKERS = (
    "You may also like",
    "View on Almaghribtoday.net",
    "Related news",
    "Latest news",
    "Most read",
    "Mailing list",
    "Newsletter",
)

SITE = Site(
    name="almaghribtoday_en",
    hosts=ARABIC.hosts,
    paths=("/en/",),
    # /en/<section-number>/<article-number>-<slug>
    article_url=re.compile(r"^https?://(?:www\.)?almaghribtoday\.net/en/\d+/(?P<id>\d+)(?:-[^/?#]*)?/?(?:[?#].*)?$"),
    robots_url=f"https://{HOST}/robots.txt",  # the host's: it names this edition's sitemap too
    feed_urls=(f"{BASE}/rss", f"{BASE}/health/rss.xml"),
    sitemap_urls=(f"{BASE}/sitemap.xml",),
    listing_urls=tuple(
        f"{BASE}/{section}" for section in ("morocco", "othernews", "economy", "sport", "health", "arts", "culture")
    ),
    listing_url=re.compile(r"^https?://(?:www\.)?almaghribtoday\.net/en/(?:\d+|[a-z][a-z-]*)/?(?:\?page=\d+)?$"),
    non_article_urls=(
        (re.compile(r"^https?://[^/]+/en/videos?/"), "video"),
        (re.compile(r"^https?://[^/]+/en/(?:tag|tags|rss)/"), "listing"),
    ),
    title_suffix=re.compile(r"\s*[|–-]\s*Almaghribtoday(?:\.net)?\s*$"),
    # Read by the shared page object, as the Arabic site is: the credit is the dateline's
    # outlet or journalist ("Rabat - Almaghribtoday").
    byline_xpaths=(
        "//*[@class][{}]".format(class_words("source", "byline", "author")),
        # Legacy pages: a bold dateline opening the body ("<strong>Rabat - Almaghribtoday</strong>").
        "(//h1/following::*[self::strong or self::b][string-length(normalize-space()) < 60]"
        "[contains(., ' - ')][translate(., '0123456789', '') = .])[1]",
    ),
    author_prefixes=("By:", "By "),
    section_xpaths=("//*[@class][{}]//a[last()]".format(class_words("breadcrumbs", "path")),),
    tag_xpaths=("//*[@class][{}]//a".format(class_words("news-tags")),),
    caption_xpaths=("//*[@class][{}]".format(class_words("caption", "imgdesc")),),
    image_xpaths=ARABIC.image_xpaths,
    credit_patterns=(re.compile(r"\s*(?:©|Photo\s*:|Credit\s*:).*$", re.IGNORECASE),),
    body_xpaths=(
        "//*[@id='NewsStory']",  # templates current, current-divs (current-wrap: no rule knows it)
        "//*[@id='balmon']",  # template legacy-balmon
    ),
    prune_classes=ARABIC.prune_classes,
    prune_xpaths=ARABIC.prune_xpaths,
    stop_markers=STOP_MARKERS,
    drop_line_patterns=(
        re.compile(r"^\s*(?:Read also|Read more|See also)\s*:", re.IGNORECASE),
        HASHTAG_ROW,
        re.compile(r"^\s*(?:Published|Last updated|Updated)\s*:"),
        re.compile(r"^\s*©"),
        re.compile(r"All rights reserved", re.IGNORECASE),
        re.compile(r"uses cookies", re.IGNORECASE),
        re.compile(r"Subscribe to our newsletter", re.IGNORECASE),
    ),
    soft_404_markers=("Page not found", "The page you are looking for does not exist", "Error 404"),
)
