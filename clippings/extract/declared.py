"""What a page declares about itself in several places at once: its canonical URL, its title
without a suffix, and the raw texts of its dates, each with its source, best first (the dates
pipeline parses them)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

from clippings.extract import ans
from clippings.extract.html import text_of
from clippings.extract.metadata import as_text, first_meta, link_href
from clippings.extract.sources import PageParts, Pick

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


def canonical_url(page: PageParts) -> Pick:
    """The canonical URL when it is one of the site's article URLs (an AMP page names its
    canonical page; else the story's own path), or the fetched URL without the AMP marker."""
    site, url = page.site, page.url
    canonical = link_href(page.root, "canonical", url)
    if canonical and site.owns(canonical) and site.is_article_url(canonical):
        return Pick(canonical, "meta")
    path = ans.url_path(page.story)
    if path:
        try:
            from_story = urljoin(url, path)
        except ValueError:
            from_story = ""
        if site.owns(from_story) and site.is_article_url(from_story):
            return Pick(from_story, "ans")
    try:
        parts = urlsplit(url)
    except ValueError:  # a URL no parser reads ("//[]"): kept as fetched, it names no article
        return Pick(url, "url")
    query = "&".join(q for q in parts.query.split("&") if q and not q.startswith("outputType="))
    return Pick(urlunsplit((parts.scheme, parts.netloc, parts.path, query, "")), "url")


def without_suffix(page: PageParts, title: str | None) -> str | None:
    """A declared page title without the site's suffix, nor the publisher's name
    (``og:site_name``) after a separator."""
    title = page.site.strip_title(title)
    name = first_meta(page.meta, "og:site_name")
    if title and name:
        for separator in (" | ", " - ", " – ", " — ", " : "):
            if title.endswith(separator + name):
                return title[: -len(separator + name)].strip() or title
    return title


def _times(page: PageParts, modified: bool) -> list[tuple[str, str]]:
    found = []
    for time_el in page.times:
        stamp = time_el.get("datetime")
        if stamp and ("modif" in (time_el.get("itemprop") or time_el.get("class") or "")) == modified:
            found.append(("meta", stamp))
    return found


def published(page: PageParts, visible: Pick) -> list[tuple[str, str]]:
    """(source, raw) publication dates: the story's, JSON-LD, metas, ``<time>``, the site's
    date rules, the visible date line."""
    site = page.site
    found = [
        ("ans", ans.dates(page.story)[0]),
        ("jsonld", as_text(page.ld.get("datePublished"))),
        ("meta", first_meta(page.meta, *_PUBLISHED_METAS)),
        *_times(page, modified=False),
    ]
    for number, xpath in enumerate(site.date_xpaths, start=1):
        found.extend((f"rule:{site.name}.date[{number}]", text_of(e)) for e in page.select(xpath))
    found.append(("lines", visible.value))
    return [(source, raw) for source, raw in found if raw]


def modified(page: PageParts, visible: Pick) -> list[tuple[str, str]]:
    """(source, raw) update dates, in the same order of trust."""
    found = [
        ("ans", ans.dates(page.story)[1]),
        ("jsonld", as_text(page.ld.get("dateModified"))),
        ("meta", first_meta(page.meta, *_MODIFIED_METAS)),
        *_times(page, modified=True),
        ("lines", visible.value),
    ]
    return [(source, raw) for source, raw in found if raw]
