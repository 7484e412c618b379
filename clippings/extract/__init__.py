"""Article extraction: a ``Page`` (url, body, headers, fetch time) read in its
``ReadingContext`` (the site, its learned containers) -> article fields. Imports no Scrapy.

A page is decoded and parsed once, checked for what makes it no article (video, soft 404,
not an article URL), then read by its site's page object (``clippings.extract.page``):
every field from the most trusted source the page has, the body checked against the
page's other evidence, and each field's source kept in ``Article.provenance``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from importlib import import_module

from clippings.core.items import Article, NotArticle
from clippings.core.page import Page, ReadingContext
from clippings.core.site import Site
from clippings.core.stamps import utc_stamp
from clippings.core.tokens import count as count_words
from clippings.extract.document import NotHTML, read_html
from clippings.extract.evidence import article_evidence
from clippings.extract.html import marker_key, marker_keys, text_of
from clippings.extract.language import detect_language
from clippings.extract.metadata import article_body, first_meta
from clippings.extract.sources import PageParts

__all__ = ["NotArticle", "Page", "ReadingContext", "extract_article", "read_article"]


@lru_cache(maxsize=16)
def page_class(path: str) -> type:
    """The page object class a site names ("module:Class")."""
    module, _, name = path.partition(":")
    return getattr(import_module(module), name)


# A body of fewer words than this, read from the page's markup on a page with no date, no
# embedded story and no declared ``articleBody`` to vouch for it, is no article's body.
THIN_BODY_WORDS = 20


def _thin(fields: dict, source: str | None, sources: PageParts) -> bool:
    """A body too short to be an article's with nothing on the page vouching for it: under
    ``THIN_BODY_WORDS`` words, read from neither the site's own article container (a short
    article in its place is the site's) nor a declared text (story, ``articleBody``), on a
    page with no date."""
    body = fields["body"]
    if not body or count_words(body) >= THIN_BODY_WORDS or (source or "").startswith("rule:"):
        return False
    return not (fields["date_candidates"]["published"] or sources.story or article_body(sources.ld))


def _first_heading(sources: PageParts) -> str:
    h1 = sources.root.find(".//h1")
    return text_of(h1) if h1 is not None else ""


def read_article(page: Page, context: ReadingContext) -> Article:
    """The article on a page, dates still raw (see ``clippings.core.normalize``).

    The context's ``learned`` are (template, xpath) article containers learned from earlier
    pages of the site. They never change what is read: a page one of them applies to is read
    as without it, and the container's reading compared with that (``Article.learned_check``).
    Raises NotArticle with the reason when the page holds no article.
    """
    site, url = context.site, page.url
    reason = site.non_article_reason(url)
    if reason:
        raise NotArticle(reason, url)
    try:
        root = read_html(page.body, page.header("Content-Type"))
    except NotHTML as exc:
        raise NotArticle("not_html", str(exc)) from None
    sources = PageParts(site, url, root)

    og_type = (first_meta(sources.meta, "og:type") or "").lower()
    # og:type is a hint: a page labelled video or website is refused only when nothing on it
    # shows an article (see ``clippings.extract.evidence``).
    labelled = og_type and og_type not in ("article", "news", "newsarticle")
    if og_type.startswith("video") and article_evidence(sources) is None:
        raise NotArticle("video", f"og:type {og_type}, and no article on the page")
    page_title = sources.title_text
    headings = (marker_key(page_title), marker_key(_first_heading(sources)))
    for key, marker in marker_keys(site.soft_404_markers).items():
        if key in headings or marker in page_title:
            raise NotArticle("soft_404", marker)

    article_page = page_class(site.page)(sources, learned=context.learned)
    if not article_page.article_id:
        raise NotArticle("not_article", "URL is not an article URL")
    if labelled and not og_type.startswith("video") and article_evidence(sources) is None:
        raise NotArticle("not_article", f"og:type {og_type}, and no article on the page")
    if not article_page.title:
        raise NotArticle("no_title")
    fields = article_page.to_fields()
    found = article_page.body_pick
    if _thin(fields, found.source, sources):
        # Nothing on the page vouches for so short a text: it is page furniture (a server's
        # error page answered with 200, a page cut before its article), and the page has no
        # body. Not remembered as refused: the next run fetches it again.
        raise NotArticle(
            "empty_body", f"{count_words(fields['body'])} words of page text, no date, no story or articleBody"
        )
    candidates = fields.pop("date_candidates")
    return Article(
        **fields,
        site=site.name,
        language=detect_language(fields["body"]),
        fetched_at=utc_stamp(page.fetched_at) if page.fetched_at else "",
        date_candidates={k: [raw for _, raw in v] for k, v in candidates.items()},
        date_sources={k: [source for source, _ in v] for k, v in candidates.items()},
        provenance=article_page.provenance,
        story="story" if sources.story else sources.story_found.problem or "absent",
        body_short=found.short,
        container_hint=found.hint,
        learned_check=(found.learned, found.agreed) if found.learned else None,
    )


def extract_article(
    page: Page | Site,
    context: ReadingContext | str | None = None,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """The complete item for a page, as the crawl writes it (dates and derived fields done).

    Called as ``extract_article(page, context)``, or in the form this function has always
    had, ``extract_article(site, url, body, headers, fetched_at)``, which reads the same.
    """
    from clippings.core.normalize import finalize

    if not isinstance(page, Page):
        if not isinstance(context, str) or body is None:
            raise TypeError("extract_article(page, context) or extract_article(site, url, body, headers, fetched_at)")
        page, context = Page(context, body, headers, fetched_at), ReadingContext(page)
    elif not isinstance(context, ReadingContext):
        raise TypeError(f"extract_article({page.url}): the second argument is a ReadingContext")
    article = read_article(page, context)
    finalize(article, now=page.fetched_at)
    return article
