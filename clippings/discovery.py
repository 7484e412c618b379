"""Reading feeds, sitemaps, robots.txt and listing pages for links. Imports no Scrapy.

XML is parsed with entity expansion, DTD loading and network access off: a feed cannot make
us read a local file or expand a billion laughs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.etree
import lxml.html

_XML_PARSER = lxml.etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    recover=True,
    remove_comments=True,
    remove_pis=True,
)


@dataclass(frozen=True)
class Link:
    """A link found in a feed or sitemap, with the date the source gives (raw text) if any."""

    url: str
    date: str | None = None
    kind: str = "page"  # "page", or "sitemap" for the entries of a sitemap index


def sniff(body: bytes) -> str:
    """'rss', 'atom', 'sitemapindex', 'urlset' or 'html', from the first tags of the body."""
    head = body[:2048].lstrip().lower()
    head = re.sub(rb"<\?xml[^>]*\?>|<!--.*?-->|<!doctype[^>]*>", b"", head, flags=re.S).lstrip()
    for marker, kind in (
        (b"<rss", "rss"),
        (b"<rdf:rdf", "rss"),
        (b"<feed", "atom"),
        (b"<sitemapindex", "sitemapindex"),
        (b"<urlset", "urlset"),
    ):
        if head.startswith(marker):
            return kind
    return "html"


class FeedError(ValueError):
    pass


def _text(node: lxml.etree._Element, *names: str) -> str | None:
    for name in names:
        found = node.xpath(f"./*[local-name()='{name}']")
        if found:
            text = (found[0].text or "").strip()
            if text:
                return text
    return None


def parse_xml_links(body: bytes, base_url: str) -> list[Link]:
    """Links of an RSS/Atom feed, a sitemap index or a sitemap (news sitemaps included)."""
    try:
        root = lxml.etree.fromstring(body, parser=_XML_PARSER)
    except lxml.etree.XMLSyntaxError as exc:
        raise FeedError(f"malformed XML: {exc}") from None
    if root is None:
        raise FeedError("malformed XML: no root element")
    tag = lxml.etree.QName(root).localname.lower()
    links: list[Link] = []
    if tag in ("rss", "rdf"):
        for item in root.xpath("//*[local-name()='item']"):
            url = _text(item, "link", "guid")
            if url:
                links.append(Link(urljoin(base_url, url), _text(item, "pubDate", "date", "updated")))
    elif tag == "feed":
        for entry in root.xpath("//*[local-name()='entry']"):
            hrefs = entry.xpath("./*[local-name()='link'][not(@rel) or @rel='alternate']/@href")
            if hrefs:
                links.append(Link(urljoin(base_url, hrefs[0]), _text(entry, "published", "updated")))
    elif tag == "sitemapindex":
        for node in root.xpath("//*[local-name()='sitemap']"):
            url = _text(node, "loc")
            if url:
                links.append(Link(urljoin(base_url, url), _text(node, "lastmod"), kind="sitemap"))
    elif tag == "urlset":
        for node in root.xpath("//*[local-name()='url']"):
            url = _text(node, "loc")
            if not url:
                continue
            news = node.xpath(".//*[local-name()='publication_date']/text()")
            date = _text(node, "lastmod") or (news[0].strip() if news else None)
            links.append(Link(urljoin(base_url, url), date))
    else:
        raise FeedError(f"not a feed or sitemap (root element <{tag}>)")
    return links


def robots_sitemaps(body: bytes) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt."""
    text = body.decode("utf-8", "replace")
    return [m.group(1).strip() for m in re.finditer(r"(?im)^\s*sitemap\s*:\s*(\S+)", text)]


def html_links(body: bytes, base_url: str) -> list[str]:
    """Every href of an HTML page, absolute, fragments dropped, in page order."""
    try:
        root = lxml.html.fromstring(body)
    except (lxml.etree.ParserError, ValueError):
        return []
    seen: dict[str, None] = {}
    for href in root.xpath("//a/@href | //link[@rel='next']/@href"):
        href = href.strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        seen.setdefault(urljoin(base_url, href).split("#", 1)[0], None)
    return list(seen)
