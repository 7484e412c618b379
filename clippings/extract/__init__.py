"""Article extraction: (url, body, headers, fetch time) -> article fields. Imports no Scrapy.

Metadata is read in order of trust: JSON-LD, OpenGraph and ``article:*`` metas, ``<time>``,
the canonical link, then the visible page (byline, breadcrumb, kicker) through the site's
selectors. The body is trafilatura's, on a tree the site module has pruned first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from itertools import islice
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html

from clippings import dates
from clippings.extract.body import compiled, drop, extract_body
from clippings.extract.html import (
    NotHTML,
    decode_html,
    fold,
    header_value,
    leaf_elements,
    marker_key,
    marker_keys,
    parse_html,
    text_of,
)
from clippings.extract.language import detect_language
from clippings.extract.metadata import (
    as_text,
    as_texts,
    first_meta,
    jsonld_article,
    jsonld_image,
    link_href,
    metas,
)
from clippings.items import Article, NotArticle
from clippings.sites.base import Site

__all__ = ["NotArticle", "extract_article", "read_article"]


_PUBLISHED_METAS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "date",
)
_MODIFIED_METAS = ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified")
_MODIFIED_LINE = re.compile(r"^\s*(?:Mis à jour|Actualisé|آخر تحديث|اخر تحديث|تم التحديث)", re.I)
_DIGIT = re.compile(r"[0-9٠-٩]")
_MAX_DATE_LINE = 90
# How many lines after the visible date an update line ("Mis à jour ...") may stand.
_UPDATE_LINE_WINDOW = 12
_MAX_BYLINE = 120
_MAX_LEAD = 1000
_CRUMB_LINE = re.compile(r"^(?:Accueil|الرئيسية|Home)\s*[»›>/|]\s*(.+)$")
_CRUMB_SPLIT = re.compile(r"\s*[»›>|]\s*")
_HASHTAGS = re.compile(r"^(?:#[^#]+){2,}$")
_HOME_CRUMBS = frozenset({"Accueil", "الرئيسية", "Home", "الصفحة الرئيسية"})


def _first_xpath_text(root: lxml.html.HtmlElement, xpaths: tuple[str, ...]) -> tuple[str, lxml.html.HtmlElement | None]:
    for xpath in xpaths:
        for element in compiled(xpath)(root):
            text = text_of(element) if isinstance(element, lxml.html.HtmlElement) else fold(str(element))
            if text:
                return text, element if isinstance(element, lxml.html.HtmlElement) else None
    return "", None


def _all_xpath_texts(root: lxml.html.HtmlElement, xpaths: tuple[str, ...]) -> list[str]:
    for xpath in xpaths:
        texts = [fold(e.text_content()) for e in compiled(xpath)(root)]
        texts = [t.lstrip("#").strip() for t in texts if t.strip("# ")]
        if texts:
            return texts
    return []


def _looks_like_date(text: str) -> bool:
    try:
        dates.parse_date(text, now=None)
    except dates.DateError as exc:
        return exc.reason == "needs_now"  # a relative date ("il y a 3 heures") is a date
    return True


def _strip_suffix(site: Site, title: str | None) -> str | None:
    if not title:
        return None
    if site.title_suffix:
        title = site.title_suffix.sub("", title)
    return fold(title) or None


def split_authors(site: Site, credit: str) -> list[str]:
    """Names in a credit line: "Par A et B" -> [A, B]; "الرباط - المغرب اليوم" -> [المغرب اليوم]."""
    if site.parse_byline:
        return site.parse_byline(credit)
    text = fold(credit)
    for prefix in site.author_prefixes:
        if text.startswith(prefix):
            text = text[len(prefix) :].strip(" :")
            break
    # A date may share the byline's line: names carry no digits.
    digit = _DIGIT.search(text)
    if digit:
        text = re.sub(r"\s+(?:[Ll]e|[Pp]ublié(?: le)?|le|في|بتاريخ)\s*$", "", text[: digit.start()])
    # A dateline: "place - credit"; the place is no part of the credit.
    parts = re.split(r"\s+[-–—]\s+", text)
    if len(parts) >= 2:
        text = parts[-1]
    names = re.split(r"\s*(?:,|،|&|\bet\b|\band\b|(?<=\s)و(?=\s))\s*", text)
    return [n for n in (fold(n).strip(" -–—:|") for n in names) if n]


def canonical_url(site: Site, root: lxml.html.HtmlElement, url: str) -> str:
    """The page's canonical URL when it is one of this site's article URLs, else ``url``.

    AMP pages name their canonical page; without one, the AMP marker is dropped.
    """
    canonical = link_href(root, "canonical", url)
    if canonical and site.owns(canonical) and site.is_article_url(canonical):
        return canonical
    parts = urlsplit(url)
    query = "&".join(q for q in parts.query.split("&") if q and not q.startswith("outputType="))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


class _Page:
    """One parsed page and the metadata sources read from it (each read once)."""

    def __init__(self, site: Site, url: str, root: lxml.html.HtmlElement) -> None:
        self.site = site
        self.url = url
        self.root = root
        self.ld = jsonld_article(root)
        self.meta = metas(root)
        # The page's visible lines (``leaf_elements``); each text is read when first needed:
        # most pages need only the few lines after the title.
        self.leaves = leaf_elements(root)
        self._texts: list[str | None] = [None] * len(self.leaves)
        self._title_index: int | None = None
        self.title_el: lxml.html.HtmlElement | None = None
        self.found_text: list[str] = []  # metadata texts that are never body text
        self.used: list[lxml.html.HtmlElement] = []  # their elements, removed before the body

    def title(self) -> str | None:
        dom_title, self.title_el = _first_xpath_text(self.root, self.site.title_xpaths)
        title = (
            as_text(self.ld.get("headline"))
            or _strip_suffix(self.site, first_meta(self.meta, "og:title", "twitter:title"))
            or dom_title
            or _strip_suffix(self.site, fold(self.root.findtext(".//title")))
        )
        self.found_text.append(dom_title)
        if self.title_el is not None:
            self.used.append(self.title_el)
        return title

    def lines(self, start: int = 0) -> Iterator[tuple[lxml.html.HtmlElement, str]]:
        """Visible lines with text, in document order, from leaf ``start``."""
        for index in range(start, len(self.leaves)):
            text = self._texts[index]
            if text is None:
                text = self._texts[index] = text_of(self.leaves[index])
            if text:
                yield self.leaves[index], text

    def _after_title(self) -> Iterator[tuple[lxml.html.HtmlElement, str]]:
        """Visible lines from the title on: a header's "today" date comes before it."""
        if self._title_index is None:
            self._title_index = 0
            if self.title_el is not None:
                inside = set(self.title_el.iter())
                self._title_index = next((i for i, e in enumerate(self.leaves) if e in inside), 0)
        return self.lines(self._title_index)

    def lead(self) -> str | None:
        visible, element = _first_xpath_text(self.root, self.site.lead_xpaths)
        if len(visible) > _MAX_LEAD:  # a wrapper, not a standfirst
            visible, element = "", None
        if element is not None:
            self.used.append(element)
            self.found_text.append(visible)
        lead = visible or None
        if self.site.description_is_lead:
            lead = (
                visible
                or as_text(self.ld.get("description"))
                or first_meta(self.meta, "og:description", "description")
            )
        self.found_text.append(lead or "")
        return lead or None

    def authors(self) -> list[str]:
        names = [n for n in as_texts(self.ld.get("author")) if not n.startswith("http")]
        byline, element = _first_xpath_text(self.root, self.site.byline_xpaths)
        if byline and len(byline) <= _MAX_BYLINE:
            self.found_text.append(byline)
            if element is not None:
                self.used.append(element)
        if not names:
            meta_author = first_meta(self.meta, "author", "article:author", "dc.creator")
            if meta_author and not meta_author.startswith("http"):
                names = split_authors(self.site, meta_author)
        if not names and byline and len(byline) <= _MAX_BYLINE:
            names = split_authors(self.site, byline)
        if not names:
            names = self._byline_from_lines()
        seen: set[str] = set()
        return [n for n in names if not (n in seen or seen.add(n))]

    def _byline_from_lines(self) -> list[str]:
        """A credit line near the title: "Par ..." or a dateline "place - outlet"."""
        for element, text in islice(self._after_title(), 40):
            if len(text) > _MAX_BYLINE:
                continue
            prefixed = any(text.startswith(p) for p in self.site.author_prefixes)
            dateline = not _DIGIT.search(text) and re.fullmatch(r"[^-–—]{2,30}\s[-–—]\s[^-–—]{2,50}", text)
            if prefixed or dateline:
                self.found_text.append(text)
                self.used.append(element)
                return split_authors(self.site, text)
        return []

    def section(self) -> str | None:
        section = as_text(self.ld.get("articleSection")) or first_meta(self.meta, "article:section")
        if section:
            return section
        title = fold(self.title_el.text_content()) if self.title_el is not None else ""
        for xpath in self.site.section_xpaths:
            for element in reversed(self.root.xpath(xpath)):
                text = text_of(element).strip(" »›>/|")
                if text and text != title and len(text) < 60 and text not in _HOME_CRUMBS:
                    self.found_text.append(text)
                    return text
        # A breadcrumb whatever its markup: "Accueil » Politique", "الرئيسية » اقتصاد".
        for _, text in islice(self.lines(), 400):
            match = _CRUMB_LINE.match(text)
            if match:
                crumbs = [c for c in _CRUMB_SPLIT.split(match.group(1)) if c and c != title]
                if crumbs and len(crumbs[-1]) < 60:
                    self.found_text.append(text)
                    return crumbs[-1]
        return None

    def tags(self) -> list[str]:
        tags = as_texts(self.ld.get("keywords"))
        if len(tags) == 1 and "," in tags[0]:
            tags = [fold(t) for t in tags[0].split(",")]
        tags = tags or self.meta.get("article:tag", []) or _all_xpath_texts(self.root, self.site.tag_xpaths)
        if not tags:  # a row of hashtags, whatever its markup: "#Russie#Maroc#Diplomatie"
            for _, text in self._after_title():
                if _HASHTAGS.match(text):
                    tags = text.split("#")
                    break
        seen: set[str] = set()
        return [t for t in (fold(t) for t in tags) if t and not (t in seen or seen.add(t))]

    def image(self) -> dict[str, str | None] | None:
        ld_url, ld_caption = jsonld_image(self.ld)
        url = first_meta(self.meta, "og:image", "og:image:url", "twitter:image") or ld_url
        if not url:
            url = _first_xpath_text(self.root, self.site.image_xpaths)[0] or None
        caption, element = _first_xpath_text(self.root, self.site.caption_xpaths)
        if not caption and url:
            caption = self._caption_near(url)
        if caption:
            self.found_text.append(caption)
            for pattern in self.site.credit_patterns:
                caption = pattern.sub("", caption).strip()
        caption = caption or ld_caption
        if not url:
            return None
        try:
            url = urljoin(self.url, url)
        except ValueError:  # not a URL ("http://[::1")
            return None
        return {"url": url, "caption": caption or None}

    def _caption_near(self, image_url: str) -> str:
        """The short text beside the lead image in its container: a caption whatever its markup."""
        name = image_url.split("?", 1)[0].rsplit("/", 1)[-1]
        if not name:
            return ""
        for img in self.root.iter("img", "amp-img"):
            if name not in (img.get("src") or ""):
                continue
            holder = img.getparent()
            if holder is not None and holder.tag == "a":
                holder = holder.getparent()
            text = text_of(holder) if holder is not None else ""
            if 0 < len(text) < 300 and (self.title_el is None or holder not in self.title_el.iterancestors()):
                return text
            return ""
        return ""

    def date_candidates(self) -> dict[str, list[str]]:
        published: list[str] = []
        modified: list[str] = []
        for value in (as_text(self.ld.get("datePublished")), first_meta(self.meta, *_PUBLISHED_METAS)):
            if value:
                published.append(value)
        for value in (as_text(self.ld.get("dateModified")), first_meta(self.meta, *_MODIFIED_METAS)):
            if value:
                modified.append(value)
        for time_el in self.root.iterfind(".//time"):
            stamp = time_el.get("datetime")
            if stamp:
                target = modified if "modif" in (time_el.get("itemprop") or time_el.get("class") or "") else published
                target.append(stamp)
        for xpath in self.site.date_xpaths:
            published.extend(text_of(e) for e in self.root.xpath(xpath))
        # The visible date nearest the byline: the first short date line after the title
        # (and the first "Mis à jour" / "آخر تحديث" line for the modified date).
        seen_visible = {"published": False, "modified": False}
        left = None  # lines still looked at for a "modified" line once "published" is found
        for element, text in self._after_title():
            if left is not None:
                if left == 0:
                    break  # an update line stands by the date, not further down the article
                left -= 1
            if len(text) > _MAX_DATE_LINE or not _DIGIT.search(text):
                continue
            key = "modified" if _MODIFIED_LINE.match(text) else "published"
            if seen_visible[key] or not _looks_like_date(text):
                continue
            seen_visible[key] = True
            (modified if key == "modified" else published).append(text)
            self.found_text.append(text)
            if all(seen_visible.values()):
                break
            if key == "published":
                left = _UPDATE_LINE_WINDOW
        return {"published": published, "modified": modified}


def read_article(
    site: Site,
    url: str,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """The article on a page, dates still raw (see ``clippings.normalize``).

    Raises NotArticle with the reason when the page holds no article.
    """
    reason = site.non_article_reason(url)
    if reason:
        raise NotArticle(reason, url)
    try:
        root = parse_html(decode_html(body, header_value(headers, "Content-Type")))
    except NotHTML as exc:
        raise NotArticle("not_html", str(exc)) from None
    page = _Page(site, url, root)

    og_type = (first_meta(page.meta, "og:type") or "").lower()
    if og_type.startswith("video"):
        raise NotArticle("video", f"og:type {og_type}")
    page_title = fold(root.findtext(".//title"))
    h1 = _first_xpath_text(root, ("//h1",))[0]
    headings = (marker_key(page_title), marker_key(h1))
    for key, marker in marker_keys(site.soft_404_markers).items():
        if key in headings or marker in page_title:
            raise NotArticle("soft_404", marker)

    canonical = canonical_url(site, root, url)
    article_id = site.article_id(canonical) or site.article_id(url)
    if not article_id:
        raise NotArticle("not_article", "URL is not an article URL")
    if og_type and og_type not in ("article", "news", "newsarticle") and not page.ld:
        raise NotArticle(site.non_article_reason(url) or "not_article", f"og:type {og_type}")

    title = page.title()
    if not title:
        raise NotArticle("no_title")
    lead = page.lead()
    authors = page.authors()
    section = page.section()
    tags = page.tags()
    image = page.image()
    candidates = page.date_candidates()

    for element in page.used:
        drop(element)
    text, read_from = extract_body(site, root, [title, *page.found_text])
    return Article(
        url=canonical,
        site=site.name,
        article_id=article_id,
        title=title,
        lead=lead,
        authors=authors,
        section=section,
        tags=tags,
        language=detect_language(text),
        body=text,
        image=image,
        fetched_at=_utc_stamp(fetched_at),
        date_candidates=candidates,
        read_from=read_from,
    )


def _utc_stamp(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def extract_article(
    site: Site,
    url: str,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """The complete item for a page, as the crawl writes it (dates and derived fields done)."""
    from clippings.normalize import finalize

    article = read_article(site, url, body, headers, fetched_at)
    finalize(article, now=fetched_at)
    return article
