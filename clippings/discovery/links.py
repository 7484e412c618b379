"""Reading feeds, sitemaps, robots.txt and listing pages for links. Imports no Scrapy.

XML is parsed with entity expansion, DTD loading and network access off: a feed cannot make
us read a local file or expand a billion laughs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import lxml.etree
import lxml.html

logger = logging.getLogger(__name__)

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
    # A doctype may carry an internal subset ([...] with entity declarations).
    head = re.sub(rb"<\?xml[^>]*\?>|<!--.*?-->|<!doctype[^>\[]*(?:\[.*?\]\s*)?>", b"", head, flags=re.S).lstrip()
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


def _join(base_url: str, url: str) -> str:
    """``url`` made absolute, or "" when it cannot be a URL ("http://[::1/")."""
    try:
        return urljoin(base_url, url.strip())
    except ValueError:
        return ""


def _text(node: lxml.etree._Element, *names: str) -> str | None:
    for name in names:
        found = node.xpath(f"./*[local-name()='{name}']")
        if found:
            text = (found[0].text or "").strip()
            if text:
                return text
    return None


# A doctype's internal subset: where entities are declared. Feeds need none.
_INTERNAL_SUBSET = re.compile(rb"<!doctype[^>\[]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)


def parse_xml_links(body: bytes, base_url: str) -> list[Link]:
    """Links of an RSS/Atom feed, a sitemap index or a sitemap (news sitemaps included); a
    malformed document's links read as far as they go, with one WARNING."""
    links, malformed = read_xml_links(body, base_url)
    if malformed:
        logger.warning("%s: %s", base_url, malformed)
    return links


def read_xml_links(body: bytes, base_url: str) -> tuple[list[Link], str | None]:
    """``parse_xml_links``'s links, and what was wrong when the XML was malformed and its
    links were read anyway (a document cut short lists fewer than it had): None when whole."""
    head = body[:65536]
    if b"<!entity" in head.lower():
        # Dropped unread: the entities stay undefined, the rest of the feed is still read.
        logger.warning("%s: the feed declares XML entities; they are not expanded", base_url)
        body = _INTERNAL_SUBSET.sub(b"", head, count=1) + body[65536:]
    try:
        root = lxml.etree.fromstring(body, parser=_XML_PARSER)
    except lxml.etree.XMLSyntaxError as exc:
        raise FeedError(f"malformed XML: {exc}") from None
    errors = [e for e in _XML_PARSER.error_log if e.level >= lxml.etree.ErrorLevels.ERROR]
    if root is None:
        reason = errors[0].message.strip() if errors else "no root element"
        raise FeedError(f"malformed XML: {reason}")
    try:
        tag = lxml.etree.QName(root).localname.lower()
    except ValueError:  # a recovered tree whose root has no valid name ("<:")
        raise FeedError("malformed XML: no valid root element") from None
    links: list[Link] = []
    if tag in ("rss", "rdf"):
        for item in root.xpath("//*[local-name()='item']"):
            url = _text(item, "link", "guid")
            if url:
                links.append(Link(_join(base_url, url), _text(item, "pubDate", "date", "updated")))
    elif tag == "feed":
        for entry in root.xpath("//*[local-name()='entry']"):
            hrefs = entry.xpath("./*[local-name()='link'][not(@rel) or @rel='alternate']/@href")
            if hrefs:
                links.append(Link(_join(base_url, hrefs[0]), _text(entry, "published", "updated")))
    elif tag == "sitemapindex":
        for node in root.xpath("//*[local-name()='sitemap']"):
            url = _text(node, "loc")
            if url:
                links.append(Link(_join(base_url, url), _text(node, "lastmod"), kind="sitemap"))
    elif tag == "urlset":
        for node in root.xpath("//*[local-name()='url']"):
            url = _text(node, "loc")
            if not url:
                continue
            news = node.xpath(".//*[local-name()='publication_date']/text()")
            date = _text(node, "lastmod") or (news[0].strip() if news else None)
            links.append(Link(_join(base_url, url), date))
    else:
        raise FeedError(f"not a feed or sitemap (root element <{tag}>)")
    links = [link for link in links if link.url]
    if errors:
        if not links:
            raise FeedError(f"malformed XML: {errors[0].message.strip()} (line {errors[0].line})")
        return (
            links,
            f"malformed XML ({errors[0].message.strip()}, line {errors[0].line}); read {len(links)} links anyway",
        )
    return links, None


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt, absolute: a relative one ("/sitemap.xml") is
    resolved against the robots.txt URL ``base_url``, as Scrapy's ``sitemap_urls_from_robots``
    does; one that cannot be a URL is skipped."""
    text = body.decode("utf-8", "replace")
    found = (m.group(1) for m in re.finditer(r"(?im)^\s*sitemap\s*:\s*(\S+)", text))
    return [url for url in (_join(base_url, u) for u in found) if url]


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
        absolute = _join(base_url, href)
        if absolute:
            seen.setdefault(absolute.split("#", 1)[0], None)
    return list(seen)


def link_time(text: str | None) -> datetime | None:
    """A feed, sitemap or listing date -> aware UTC; None when there is none to read.

    RFC 822 and ISO 8601 (a bare date is midnight UTC) are read here; anything else (a
    listing card's "09/09/2025 à 18h36", an Arabic date) by ``clippings.dates``.
    """
    if not text:
        return None
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            from clippings.dates import parse_date

            try:
                moment = datetime.fromisoformat(parse_date(text))
            except ValueError:  # DateError included
                return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _html_root(body: bytes) -> lxml.html.HtmlElement | None:
    """The page parsed; bytes that are valid UTF-8 are read as UTF-8 whatever they declare."""
    try:
        body.decode("utf-8")
        parser = lxml.html.HTMLParser(encoding="utf-8")
    except UnicodeDecodeError:
        parser = None
    try:
        return lxml.html.fromstring(body, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None


def listing_entries(body: bytes, base_url: str, is_article: Callable[[str], bool]) -> list[tuple[str, str | None]]:
    """(article URL, date text or None) for each article a listing page shows, in page order.

    The date is the ``<time>`` (its ``datetime``, else its text), else the text of an element
    whose class names a date or byline, in the smallest block around the link that holds no
    other article: a card, a list item.
    """
    root = _html_root(body)
    if root is None:
        return []
    found: dict[str, str | None] = {}
    for anchor in root.xpath("//a[@href]"):
        url = _join(base_url, anchor.get("href", "")).split("#", 1)[0]
        if not url or not is_article(url):
            continue
        date = None
        block = anchor
        for _ in range(5):
            block = block.getparent()
            if block is None or block.tag in ("body", "html"):
                break
            others = {_join(base_url, h).split("#", 1)[0] for h in block.xpath(".//a/@href")} - {url}
            if any(is_article(o) for o in others if o):
                break
            times = block.xpath(".//time")
            if times:
                date = (times[0].get("datetime") or times[0].text_content() or "").strip() or None
                break
            dated = block.xpath(_DATED_XPATH)
            if dated:
                date = " ".join(dated[0].text_content().split()) or None
                break
        if found.get(url) is None:
            found[url] = date
    return list(found.items())


_DATED_XPATH = (
    ".//*[contains(@class,'date') or contains(@class,'time') or contains(@class,'byline') or contains(@class,'meta')]"
)


def next_page(body: bytes, base_url: str) -> str | None:
    """The listing's next page: ``<link rel="next">`` or ``<a rel="next">``."""
    root = _html_root(body)
    if root is None:
        return None
    for href in root.xpath("//link[@rel='next']/@href | //a[contains(concat(' ', @rel, ' '), ' next ')]/@href"):
        url = _join(base_url, href)
        if url:
            return url
    return None
