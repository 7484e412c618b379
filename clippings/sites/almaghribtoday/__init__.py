"""almaghribtoday (المغرب اليوم), Arabic: current pages and the legacy ``div#balmon`` template."""

from __future__ import annotations

import re

from clippings.sites.base import HASHTAG_ROW, Site, class_words, has_class

HOST = "www.almaghribtoday.net"

SITE = Site(
    name="almaghribtoday",
    hosts=frozenset({HOST, "almaghribtoday.net"}),
    # The English edition under /en/ is another site (almaghribtoday_en).
    excluded_paths=("/en/",),
    # /<section-number>/<article-number>-<slug>
    article_url=re.compile(
        r"^https?://(?:www\.)?almaghribtoday\.net/(?!en/)\d+/(?P<id>\d+)(?:-[^/?#]*)?/?(?:[?#].*)?$"
    ),
    robots_url=f"https://{HOST}/robots.txt",
    # The main feed and the section feeds (/<section>/rss.xml); /home/rss.xml repeats /rss.
    feed_urls=(f"https://{HOST}/rss", f"https://{HOST}/health/rss.xml"),
    sitemap_urls=(f"https://{HOST}/sitemap.xml",),
    # Section fronts (page 1); later pages are ?page=N (rel="next").
    listing_urls=tuple(
        f"https://{HOST}/{section}"
        for section in ("morocco", "othernews", "economy", "sport", "health", "arts", "culture")
    ),
    # /<section-number> or /<section-slug>, optionally ?page=N
    listing_url=re.compile(r"^https?://(?:www\.)?almaghribtoday\.net/(?:\d+|[a-z][a-z-]*)/?(?:\?page=\d+)?$"),
    non_article_urls=(
        (re.compile(r"^https?://[^/]+/(?:video|videos)"), "video"),
        (re.compile(r"^https?://[^/]+/(?:tag|tags|rss)/"), "listing"),
    ),
    title_suffix=re.compile(r"\s*[|–-]\s*(?:المغرب اليوم|Almaghribtoday(?:\.net)?)\s*$"),
    title_xpaths=("//h1",),
    byline_xpaths=(
        "//*[@class][{}]".format(class_words("dateline", "byline", "author", "source", "writer")),
        # Legacy pages: a bold dateline opening the body ("<strong>الرباط - المغرب اليوم</strong>").
        "(//h1/following::*[self::strong or self::b or self::span or self::p]"
        "[string-length(normalize-space()) < 60][contains(., ' - ')]"
        "[translate(., '0123456789٠١٢٣٤٥٦٧٨٩', '') = .])[1]",
    ),
    author_prefixes=("كتب:", "كتب :", "بقلم:", "بقلم :", "بقلم", "كتب"),
    # The page object is the shared one as it is (``page`` left at its default): the declared
    # descriptions are the body's opening words, never a standfirst, and the credit is the
    # dateline's outlet ("الرباط - المغرب اليوم"), read by the shared byline rules.
    section_xpaths=("//*[@class][{}]//a[last()]".format(class_words("breadcrumb", "breadcrumbs", "path")),),
    tag_xpaths=("//*[@class][{}]//a".format(class_words("tags", "news-tags", "keywords")),),
    caption_xpaths=("//*[@class][{}]".format(class_words("caption", "imgdesc", "img-desc")),),
    image_xpaths=("//*[@id='news-img']//img/@src",),
    credit_patterns=(re.compile(r"\s*(?:©|حقوق|تصوير|المصدر\s*:|Credit).*$"),),
    # Each rule names the templates it is for, as fixtures/almaghribtoday/*/meta.json name them
    # (docs/sites/almaghribtoday.md); current-wrap pages have a container no rule knows.
    body_xpaths=(
        "//*[@id='NewsStory']",  # templates current, current-divs
        "//*[@id='balmon']",  # templates legacy-balmon, cp1256 (its balmon markup)
        f"//*[@class][{has_class('NewsDetails')}]",  # template cp1256 (its table markup)
    ),
    prune_classes=(
        "related",
        "most-read",
        "mostread",
        "latest",
        "latest-news",
        "newsletter",
        "share",
        "social",
        "cookie",
        "tags",
        "news-tags",
        "read-also",
        "ticker",
        "breadcrumb",
        "breadcrumbs",
        "dateline",
        "advert",
        "ad",
        "adsbygoogle",
        "widget",
        "sidebar",
        "addthis",
    ),
    prune_xpaths=("//figure", "//figcaption"),
    stop_markers=(
        "قد يهمك أيضا",
        "قد يهمك ايضا",
        "View on Almaghribtoday.net",
        "أخبار ذات صلة",
        "اخبار ذات صلة",
        "اخر الاخبار",
        "آخر الأخبار",
        "الأخبار الأكثر قراءة",
        "الاخبار الاكثر قراءة",
        "الأكثر قراءة",
        "القائمة البريدية",
        "النشرة الإخبارية",
    ),
    drop_line_patterns=(
        re.compile(r"^\s*(?:اقرأ|إقرأ|اقرا)\s*(?:أيضا|أيضاً|ايضا|ايضاً)\s*:?"),
        HASHTAG_ROW,
        re.compile(r"^\s*(?:نشر في|آخر تحديث|اخر تحديث)\s*:"),
        re.compile(r"^\s*©"),
        re.compile(r"جميع الحقوق محفوظة"),
        re.compile(r"ملفات تعريف الارتباط"),
        re.compile(r"اشترك في النشرة"),
    ),
    soft_404_markers=("الصفحة غير موجودة", "الصفحة المطلوبة غير موجودة", "خطأ 404", "Page not found"),
)
