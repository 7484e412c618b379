"""Fuzzing the functions that read what the network sends: any input gives an answer.

Extraction gives an Article or raises NotArticle; feed reading gives links or raises
FeedError. Nothing else, whatever the bytes, the markup, the headers or the URL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clippings.collection.output import encode_line
from clippings.core.items import Article
from clippings.core.page import Page, ReadingContext
from clippings.discovery import FeedError, html_links, parse_xml_links, robots_sitemaps, sniff
from clippings.extract import NotArticle, extract_article
from clippings.sites import SITES

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SITE = st.sampled_from(sorted(SITES.values(), key=lambda s: s.name))
ARTICLE_URLS = st.sampled_from(
    [
        "https://fr.le360.ma/politique/le-maroc_6VUZYMXQWNCSXNQ7TRBFVQKIDI/",
        "https://fr.le360.ma/societe/ancien-article-123456",
        "https://fr.le360.ma/politique/amp_6VUZYMXQWNCSXNQ7TRBFVQKIDI/?outputType=amp",
        "https://www.almaghribtoday.net/1187/151638-%D8%A7%D9%84%D9%85%D8%BA%D8%B1%D8%A8",
        "https://fr.le360.ma/videos/une-video_6VUZYMXQWNCSXNQ7TRBFVQKIDI/",
    ]
)
URLS = ARTICLE_URLS | st.text(max_size=80) | st.builds(lambda s: f"https://fr.le360.ma/{s}", st.text(max_size=40))
CHARSETS = st.sampled_from(
    [
        "utf-8",
        "UTF8",
        "windows-1256",
        "cp1252",
        "iso-8859-1",
        "utf-16",
        "x-unknown-lie",
        "",
        "utf-8; q=",
        "ascii",
    ]
)
HEADERS = st.one_of(
    st.none(),
    st.builds(lambda c: {"Content-Type": f"text/html; charset={c}"}, CHARSETS),
    st.dictionaries(st.text(max_size=20), st.text(max_size=60), max_size=4),
)
FETCHED = st.one_of(st.none(), st.datetimes(timezones=st.just(UTC)))

TAGS = st.sampled_from(
    [
        "p",
        "div",
        "span",
        "a",
        "h1",
        "h2",
        "article",
        "section",
        "time",
        "figure",
        "figcaption",
        "ul",
        "li",
        "table",
        "tr",
        "td",
        "script",
        "style",
        "meta",
        "link",
        "title",
        "br",
        "nav",
        "header",
        "footer",
        "blockquote",
        "amp-img",
    ]
)
CLASSES = st.sampled_from(
    [
        "",
        "byline",
        "author",
        "kicker",
        "subheadline",
        "tags",
        "caption",
        "article-body",
        "related",
        "breadcrumb",
        "date",
        "lead",
        "share",
        "balmon",
    ]
)
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60) | st.sampled_from(
    [
        "Par Karim Alaoui et Sara B.",
        "Le 09/09/2025 à 18h36",
        "الرباط - المغرب اليوم",
        "Mis à jour le 10/09/2025",
        "الجمعة 6 مارس 2026 - 18:06",
        "&amp;&lt;&#0;&#xD800;&nbsp;",
        "Lire aussi : autre",
        "]]>",
        "<!--",
        "\x00",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.sampled_from(["\ud800", "a\udfffb"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "headline",
                    "author",
                    "name",
                    "datePublished",
                    "dateModified",
                    "image",
                    "url",
                    "keywords",
                    "articleSection",
                    "description",
                    "@graph",
                    "caption",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


def _element(tag: str, cls: str, attrs: dict[str, str], children: list[str]) -> str:
    attributes = "".join(f' {k}="{v}"' for k, v in attrs.items())
    cls_attr = f' class="{cls}"' if cls else ""
    return f"<{tag}{cls_attr}{attributes}>{''.join(children)}</{tag}>"


ATTRS = st.dictionaries(
    st.sampled_from(["property", "name", "content", "datetime", "itemprop", "href", "rel", "id", "lang"]),
    TEXT,
    max_size=3,
)
HTMLISH = st.recursive(
    TEXT,
    lambda inner: st.builds(_element, TAGS, CLASSES, ATTRS, st.lists(inner, max_size=4)),
    max_leaves=40,
)


@st.composite
def pages(draw) -> bytes:
    parts = draw(st.lists(HTMLISH, max_size=6))
    head = ""
    if draw(st.booleans()):
        head += f'<script type="application/ld+json">{json.dumps(draw(JSON_VALUES))}</script>'
    if draw(st.booleans()):
        og_type = draw(st.sampled_from(["article", "video", "website", ""]))
        head += f'<meta property="og:type" content="{og_type}">'
    html = f"<!doctype html><html><head>{head}</head><body>{''.join(parts)}</body></html>"
    cut = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=len(html))))
    html = html if cut is None else html[:cut]
    encoding = draw(st.sampled_from(["utf-8", "cp1256", "utf-16", "latin-1"]))
    return html.encode(encoding, errors="replace")


def _extract(site, url, body, headers, fetched):
    try:
        result = extract_article(Page(url, body, headers, fetched), ReadingContext(site))
    except NotArticle:
        return
    assert isinstance(result, Article)
    encode_line(result.to_record())  # what was extracted can be written


@FUZZ
@given(SITE, URLS, st.binary(max_size=4096), HEADERS, FETCHED)
def test_extraction_of_random_bytes(site, url, body, headers, fetched):
    _extract(site, url, body, headers, fetched)


@FUZZ
@given(SITE, ARTICLE_URLS, pages(), HEADERS, FETCHED)
def test_extraction_of_random_html(site, url, body, headers, fetched):
    _extract(site, url, body, headers, fetched)


XMLISH = st.recursive(
    TEXT,
    lambda inner: st.builds(
        lambda tag, children: f"<{tag}>{''.join(children)}</{tag}>",
        st.sampled_from(
            [
                "rss",
                "channel",
                "item",
                "link",
                "guid",
                "pubDate",
                "feed",
                "entry",
                "sitemapindex",
                "sitemap",
                "urlset",
                "url",
                "loc",
                "lastmod",
                "news:publication_date",
            ]
        ),
        st.lists(inner, max_size=4),
    ),
    max_leaves=30,
)


@FUZZ
@given(st.one_of(st.binary(max_size=2048), XMLISH.map(lambda x: x.encode("utf-8", "replace"))), URLS)
def test_feed_reading_of_random_input(body, base_url):
    sniff(body)
    assert all(isinstance(u, str) and u for u in robots_sitemaps(body, base_url))
    assert isinstance(html_links(body, base_url), list)
    try:
        links = parse_xml_links(body, base_url)
    except FeedError:
        return
    assert all(isinstance(link.url, str) and link.url for link in links)


@FUZZ
@given(SITE, URLS)
def test_url_rules_of_random_text(site, url):
    assert isinstance(site.owns(url), bool)
    assert isinstance(site.is_article_url(url), bool)
    site.non_article_reason(url)


def test_a_fuzzed_page_can_still_be_an_article():
    """The strategies reach real articles too (not only refusals)."""
    body = (
        '<!doctype html><html><head><meta property="og:type" content="article"></head>'
        "<body><article><h1>Titre</h1>"
        "<p>Un premier paragraphe assez long pour être un article, puis un second membre de phrase "
        "qui lui donne la taille du plus court des vrais articles.</p></article></body></html>"
    ).encode()
    article = extract_article(
        Page(
            "https://fr.le360.ma/politique/x_6VUZYMXQWNCSXNQ7TRBFVQKIDI/", body, None, datetime(2025, 9, 9, tzinfo=UTC)
        ),
        ReadingContext(SITES["le360"]),
    )
    assert article.title == "Titre" and article.body


@pytest.mark.parametrize("url", ["//[]", "http://[::1", "https://[bad]/1187/151638"])
def test_a_url_no_parser_reads_is_no_article_not_a_crash(url):
    """Found by the fuzzer: a fetched URL that urlsplit refuses reads as no article."""
    with pytest.raises(NotArticle):
        extract_article(Page(url, b"!"), ReadingContext(SITES["almaghribtoday"]))
