"""le360, Arabic edition (ar.le360.ma): the Arc XP platform of fr.le360.ma, in Arabic."""

from __future__ import annotations

import re

from clippings.sites.base import Site, class_words
from clippings.sites.le360 import SITE as FRENCH

HOST = "ar.le360.ma"

SITE = Site(
    name="le360_ar",
    hosts=frozenset({HOST}),
    # /<section>/<slug, percent-encoded Arabic>_<26-char Arc id>/
    article_url=re.compile(r"^https?://ar\.le360\.ma/(?:[a-z0-9-]+/)+[^/?#]*?_(?P<id>[A-Z0-9]{26})/?(?:[?#].*)?$"),
    robots_url=f"https://{HOST}/robots.txt",
    feed_urls=(f"https://{HOST}/arc/outboundfeeds/rss/?outputType=xml",),
    sitemap_urls=(f"https://{HOST}/sitemap_index.xml",),
    listing_urls=tuple(
        f"https://{HOST}/{section}/"
        for section in ("politique", "economie", "societe", "monde", "afrique", "sport", "culture")
    ),
    listing_url=re.compile(r"^https?://ar\.le360\.ma/(?:[a-z0-9-]+/){1,2}(?:\?page=\d+)?$"),
    article_fallbacks=("{url}?outputType=amp",),
    non_article_urls=(
        (re.compile(r"^https?://[^/]+/videos?/"), "video"),
        (re.compile(r"^https?://[^/]+/(?:tags?|authors?|search)/"), "listing"),
    ),
    title_suffix=FRENCH.title_suffix,
    arc_website="le360-ar",
    page="clippings.sites.le360_ar.page:Le360ArPage",
    lead_xpaths=(
        "//*[@class][{}]".format(class_words("subheadline", "standfirst"))
        + "[not(self::figure or .//img or .//amp-img)][not(ancestor::*[@class][{}])]".format(
            class_words("card", "related")
        ),
    ),
    byline_xpaths=(
        "//*[@class][{}][starts-with(normalize-space(.),'بقلم')]".format(class_words("author", "attribution")),
    ),
    author_prefixes=("بقلم:", "بقلم"),
    tag_xpaths=("//*[@class][{}]//a".format(class_words("tags", "hashtags")),),
    caption_xpaths=(
        "//article//figure//figcaption",
        "//*[@class][{}]".format(class_words("caption")),
    ),
    credit_patterns=(re.compile(r"\s*(?:©|حقوق الصورة|تصوير\s*:|Copyright|Credit).*$", re.IGNORECASE),),
    body_xpaths=(
        f"//*[@class][{class_words('article-text')}]",  # Arc pages of the older "article-page" layout
        f"//*[@class][{class_words('amp-article-body')}]",  # ?outputType=amp
    ),
    prune_classes=FRENCH.prune_classes,
    prune_xpaths=FRENCH.prune_xpaths,
    stop_markers=(
        "محتويات ذات صلة",
        "مواضيع ذات صلة",
        "الأكثر قراءة",
        "جولة في الصحف",
        "شاهد المزيد",
        "النشرة الإخبارية",
    ),
    drop_line_patterns=(
        re.compile(r"^\s*(?:اقرأ|إقرأ|اقرا)\s*(?:أيضا|أيضاً|ايضا)\s*:?"),
        re.compile(r"^\s*(?:#[^#\s][^#]*){2,}$"),
        re.compile(r"^\s*بقلم\s*:?\s*[^.]{2,80}$"),
        re.compile(r"^\s*(?:آخر تحديث|اخر تحديث)\s*:"),
        re.compile(r"^\s*©|جميع الحقوق محفوظة|ملفات تعريف الارتباط"),
    ),
    soft_404_markers=("الصفحة غير موجودة", "الصفحة المطلوبة غير موجودة", "خطأ 404"),
)
