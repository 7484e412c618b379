"""What a page's visible lines show when nothing declares it: bylines, breadcrumbs, hashtag
rows, date lines, captions. Shared by every site's page object; site spellings come from
the ``Site`` (author prefixes, credit patterns)."""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urljoin

import lxml.html

from clippings import dates
from clippings.core.site import Site
from clippings.extract.html import clean_text, marker_key, text_of
from clippings.extract.metadata import as_text, first_meta
from clippings.extract.sources import NOTHING, PageParts, Pick, first

_DIGIT = re.compile(r"[0-9٠-٩]")
_LONE_NUMBER = re.compile(r"(?<!\w)[0-9٠-٩]")
MAX_BYLINE = 120
_MAX_DATE_LINE = 90
# How many lines after the visible date an update line ("Mis à jour ...") may stand.
_UPDATE_LINE_WINDOW = 12
_MODIFIED_LINE = re.compile(
    r"^\s*(?:Mis à jour|Actualisé|آخر تحديث|اخر تحديث|تم التحديث|Updated|Last updated)", re.IGNORECASE
)
_CRUMB_LINE = re.compile(r"^(?:Accueil|الرئيسية|Home)\s*[»›>/|]\s*(.+)$")
_CRUMB_SPLIT = re.compile(r"\s*[»›>|]\s*")
_HASHTAGS = re.compile(r"^(?:#[^#]+){2,}$")
_DATELINE = re.compile(r"[^-–—]{2,30}\s[-–—]\s[^-–—]{2,50}")
HOME_CRUMBS = frozenset({"Accueil", "الرئيسية", "Home", "الصفحة الرئيسية"})


def split_authors(site: Site, credit: str) -> list[str]:
    """Names in a credit line: "Par A et B" -> [A, B]; "الرباط - المغرب اليوم" -> [المغرب اليوم]."""
    if site.parse_byline:
        return site.parse_byline(credit)
    text = clean_text(credit)
    for prefix in site.author_prefixes:
        if text.startswith(prefix):
            text = text[len(prefix) :].strip(" :")
            break
    # A date may share the byline's line: names carry no number standing on its own
    # (a name may hold digits: "Le360").
    digit = _LONE_NUMBER.search(text)
    if digit:
        text = re.sub(r"\s+(?:[Ll]e|[Pp]ublié(?: le)?|le|في|بتاريخ)\s*$", "", text[: digit.start()])
    # A dateline: "place - credit"; the place is no part of the credit.
    parts = re.split(r"\s+[-–—]\s+", text)
    if len(parts) >= 2:
        text = parts[-1]
    names = re.split(r"\s*(?:,|،|&|\bet\b|\band\b|(?<=\s)و(?=\s))\s*", text)
    return [n for n in (clean_text(n).strip(" -–—:|") for n in names) if n]


def looks_like_date(text: str) -> bool:
    try:
        dates.parse_date(text, now=None)
    except dates.DateError as exc:
        return exc.reason == "needs_now"  # a relative date ("il y a 3 heures") is a date
    return True


def byline(page: PageParts, start: int) -> Pick:
    """A credit line near the title: "Par ..." or a dateline "place - outlet"."""
    site = page.site
    for element, text in islice(page.lines(start), 40):
        if len(text) > MAX_BYLINE:
            continue
        if text.startswith(site.author_prefixes) or (not _DIGIT.search(text) and _DATELINE.fullmatch(text)):
            return Pick(split_authors(site, text), "lines", (text,), (element,))
    return NOTHING


def breadcrumb(page: PageParts, title: str) -> Pick:
    """The last crumb of a breadcrumb whatever its markup: "Accueil » Politique". A line whose
    last crumb links out of the site's pages is a menu ("الرئيسية | اتصل بنا | English": the
    link to another language's edition), not a breadcrumb."""
    for element, text in islice(page.lines(), 400):
        match = _CRUMB_LINE.match(text)
        if match:
            crumbs = [c for c in _CRUMB_SPLIT.split(match.group(1)) if c and c != title]
            if crumbs and len(crumbs[-1]) < 60 and not _links_out(page, element, crumbs[-1]):
                return Pick(crumbs[-1], "lines", (text,), (element,))
    return NOTHING


def _links_out(page: PageParts, element: lxml.html.HtmlElement, crumb: str) -> bool:
    """The crumb is a link to another language (``hreflang``, ``lang``) or off the site's pages."""
    for link in element.iter("a"):
        if text_of(link).strip() != crumb:
            continue
        href = (link.get("href") or "").strip()
        if link.get("hreflang") or link.get("lang"):
            return True
        return bool(href) and not page.site.owns(urljoin(page.url, href))
    return False


def section_rule(page: PageParts, title: str) -> Pick:
    """The site's section rules, last match first (a breadcrumb's last crumb)."""
    site = page.site
    for number, xpath in enumerate(site.section_xpaths, start=1):
        for element in reversed(page.select(xpath)):
            text = text_of(element).strip(" »›>/|")
            if text and text != title and len(text) < 60 and text not in HOME_CRUMBS:
                return Pick(text, f"rule:{site.name}.section[{number}]", (text,))
    return NOTHING


def hashtags(page: PageParts, start: int) -> Pick:
    """A row of hashtags whatever its markup: "#Russie#Maroc#Diplomatie"."""
    for element, text in page.lines(start):
        if _HASHTAGS.match(text):
            return Pick(text.split("#"), "lines", (text,), (element,))
    return NOTHING


def caption_near(page: PageParts, image_url: str, title_element: lxml.html.HtmlElement | None) -> Pick:
    """The short text beside the lead image in its container: a caption whatever its markup."""
    name = image_url.split("?", 1)[0].rsplit("/", 1)[-1]
    if not name:
        return NOTHING
    for img in page.root.iter("img", "amp-img"):
        if name not in (img.get("src") or ""):
            continue
        holder = img.getparent()
        if holder is not None and holder.tag == "a":
            holder = holder.getparent()
        text = text_of(holder) if holder is not None else ""
        beside_title = title_element is not None and holder in set(title_element.iterancestors())
        if 0 < len(text) < 300 and not beside_title:
            return Pick(text, "lines", (text,))
        return NOTHING
    return NOTHING


def visible_dates(page: PageParts, start: int) -> tuple[Pick, Pick]:
    """(published, modified) as the page shows them: the first short date line after the
    title, and the first "Mis à jour" / "آخر تحديث" / "Updated" line standing near it."""
    found: dict[str, Pick] = {}
    left = None  # lines still looked at for a "modified" line once "published" is found
    for element, text in page.lines(start):
        if left is not None:
            if left == 0:
                break  # an update line stands by the date, not further down the article
            left -= 1
        if len(text) > _MAX_DATE_LINE or not _DIGIT.search(text):
            continue
        key = "modified" if _MODIFIED_LINE.match(text) else "published"
        if key in found or not looks_like_date(text):
            continue
        found[key] = Pick(text, "lines", (text,), (element,))
        if len(found) == 2:
            break
        if key == "published":
            left = _UPDATE_LINE_WINDOW
    return found.get("published", NOTHING), found.get("modified", NOTHING)


def opens(body: str, lead: str) -> bool:
    """Whether ``lead`` is the body's first paragraph or its opening (an excerpt)."""
    opening = clean_text(body.split("\n\n", 1)[0])
    stem = clean_text(lead).rstrip("…." + " ")
    return bool(stem) and (opening.startswith(stem) or (stem.startswith(opening) and len(opening) > 40))


def declared_description(page: PageParts, start: int) -> Pick:
    """The JSON-LD, else the meta description as the lead (see ``shown_description``)."""
    return first(
        lambda: shown_description(page, Pick(as_text(page.ld.get("description")), "jsonld"), start),
        lambda: shown_description(page, Pick(first_meta(page.meta, "og:description", "description"), "meta"), start),
    )


def shown_description(page: PageParts, declared: Pick, start: int) -> Pick:
    """A declared description as the lead: a standfirst when the page shows it apart from
    the article's paragraphs (kept out of the body), none when it is one of them (an excerpt
    of the body); as declared when the page does not show it."""
    if not declared.value:
        return declared
    key = marker_key(declared.value)
    main = page.main_block
    for element, text in islice(page.lines(start), 80):
        if marker_key(text) == key:
            if main is not None and (element is main or main in element.iterancestors()):
                return NOTHING
            return Pick(declared.value, declared.source, (text,), (element,))
    return declared
