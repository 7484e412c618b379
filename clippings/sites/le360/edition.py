"""le360's other editions (ar.le360.ma, en.le360.ma): the same Arc XP platform as the French
site, so one ``Site`` is drawn from le360's for each, given only what the edition says in its
own language (docs/sites/le360.md).

What an edition shares with le360: the URL shapes (``/<section>/<slug>_<26-character Arc
id>/``, no pre-Arc pages), the outbound feed and sitemap index paths, the AMP rendering tried
when an article answers 404, the title suffix, the boxes pruned and le360's page object. What
is its own: its host, its sections, its Arc website (``le360-<language>``) and its words (the
byline's first word, credit lines, the lines that end or interrupt an article, the soft 404).
"""

from __future__ import annotations

import re

from clippings.sites.base import HASHTAG_ROW, Site, class_words
from clippings.sites.le360 import HOST as FRENCH_HOST
from clippings.sites.le360 import SITE as FRENCH

# What each edition writes in its own language, a table a use, a column an edition: a new
# edition is a new column in each.
SECTIONS = {  # the section fronts a backfill starts from
    "ar": ("politique", "economie", "societe", "monde", "afrique", "sport", "culture"),
    "en": ("politics", "economy", "society", "world", "africa", "sports", "culture"),
}
BYLINE = {"ar": "بقلم", "en": "By "}  # the byline's first word, as printed
AUTHOR_PREFIXES = {"ar": ("بقلم:", "بقلم"), "en": ("By ", "by ")}  # cut from a credit
CREDIT = {  # a photo credit after a caption
    "ar": re.compile(r"\s*(?:©|حقوق الصورة|تصوير\s*:|Copyright|Credit).*$", re.IGNORECASE),
    "en": re.compile(r"\s*(?:©|Copyright|Credit|Photo\s*:).*$", re.IGNORECASE),
}
STOP_MARKERS = {  # a body line equal to one ends the article
    "ar": ("محتويات ذات صلة", "مواضيع ذات صلة", "الأكثر قراءة", "جولة في الصحف", "شاهد المزيد", "النشرة الإخبارية"),
    "en": ("Related content", "Related articles", "Most read", "Press review", "See more", "Newsletter"),
}
# Body lines dropped: "read also", then (after the hashtag row every site drops) the byline,
# update and legal lines.
READ_ALSO = {
    "ar": re.compile(r"^\s*(?:اقرأ|إقرأ|اقرا)\s*(?:أيضا|أيضاً|ايضا)\s*:?"),
    "en": re.compile(r"^\s*(?:Read (?:also|more)|See also)\s*:", re.IGNORECASE),
}
OTHER_LINES = {
    "ar": (
        re.compile(r"^\s*بقلم\s*:?\s*[^.]{2,80}$"),
        re.compile(r"^\s*(?:آخر تحديث|اخر تحديث)\s*:"),
        re.compile(r"^\s*©"),
        re.compile(r"جميع الحقوق محفوظة"),
        re.compile(r"ملفات تعريف الارتباط"),
    ),
    "en": (
        re.compile(r"^\s*By\s+[^.]{2,80}$"),
        re.compile(r"^\s*(?:Updated|Last updated)\b.{6,50}$"),
        re.compile(r"^\s*©"),
        re.compile(r"All rights reserved", re.IGNORECASE),
        re.compile(r"use of cookies", re.IGNORECASE),
        re.compile(r"cookie settings", re.IGNORECASE),
    ),
}
SOFT_404 = {  # page texts meaning "not found"
    "ar": ("الصفحة غير موجودة", "الصفحة المطلوبة غير موجودة", "خطأ 404"),
    "en": ("Page not found", "Error 404", "404 - Page"),
}


def edition(name: str, language: str) -> Site:
    """The le360 edition ``<language>.le360.ma`` (a column of the tables above), registered
    as ``name``."""
    host = f"{language}.le360.ma"
    on_host = re.escape(host)
    return Site(
        name=name,
        hosts=frozenset({host}),
        # /<section>/<slug (percent-encoded when not Latin)>_<26-char Arc id>/
        article_url=re.compile(rf"^https?://{on_host}/(?:[a-z0-9-]+/)+[^/?#]*?_(?P<id>[A-Z0-9]{{26}})/?(?:[?#].*)?$"),
        robots_url=FRENCH.robots_url.replace(FRENCH_HOST, host),
        feed_urls=tuple(url.replace(FRENCH_HOST, host) for url in FRENCH.feed_urls),
        sitemap_urls=tuple(url.replace(FRENCH_HOST, host) for url in FRENCH.sitemap_urls),
        listing_urls=tuple(f"https://{host}/{section}/" for section in SECTIONS[language]),
        listing_url=re.compile(rf"^https?://{on_host}/(?:[a-z0-9-]+/){{1,2}}(?:\?page=\d+)?$"),
        article_fallbacks=FRENCH.article_fallbacks,  # the AMP rendering
        non_article_urls=(
            (re.compile(r"^https?://[^/]+/videos?/"), "video"),
            (re.compile(r"^https?://[^/]+/(?:tags?|authors?|search)/"), "listing"),
        ),
        title_suffix=FRENCH.title_suffix,
        arc_website=f"le360-{language}",
        page=FRENCH.page,
        lead_xpaths=(
            "//*[@class][{}]".format(class_words("subheadline", "standfirst"))
            + "[not(self::figure or .//img or .//amp-img)][not(ancestor::*[@class][{}])]".format(
                class_words("card", "related")
            ),
        ),
        byline_xpaths=(
            "//*[@class][{}][starts-with(normalize-space(.),'{}')]".format(
                class_words("author", "attribution"), BYLINE[language]
            ),
        ),
        author_prefixes=AUTHOR_PREFIXES[language],
        tag_xpaths=("//*[@class][{}]//a".format(class_words("tags", "hashtags")),),
        caption_xpaths=(
            "//article//figure//figcaption",
            "//*[@class][{}]".format(class_words("caption")),
        ),
        credit_patterns=(CREDIT[language],),
        body_xpaths=(
            # template arc-nojsonld (the older "article-page" layout; arc-jsonld pages are read
            # from their embedded story)
            f"//*[@class][{class_words('article-text')}]",
            f"//*[@class][{class_words('amp-article-body')}]",  # template amp (?outputType=amp)
        ),
        prune_classes=FRENCH.prune_classes,
        prune_xpaths=FRENCH.prune_xpaths,
        stop_markers=STOP_MARKERS[language],
        drop_line_patterns=(READ_ALSO[language], HASHTAG_ROW, *OTHER_LINES[language]),
        soft_404_markers=SOFT_404[language],
    )
