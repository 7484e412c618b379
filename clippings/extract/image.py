"""The lead image: its URL from the most trusted source the page has, and its caption, the
photographer's and agency's credits left out (``Site.credit_patterns``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import lxml.html

from clippings.extract import ans, lines
from clippings.extract.metadata import first_meta, jsonld_image
from clippings.extract.sources import NOTHING, PageParts, Pick, first


def image_url(page: PageParts, story: dict[str, Any]) -> Pick:
    """The image's URL as declared: OpenGraph or Twitter metas, JSON-LD, the story, the
    site's rule."""
    return first(
        Pick(first_meta(page.meta, "og:image", "og:image:url", "twitter:image"), "meta"),
        Pick(jsonld_image(page.ld)[0], "jsonld"),
        Pick(ans.image(story)[0], "ans"),
        page.rule("image"),
    )


def shown_caption(page: PageParts, url: str | None, title: lxml.html.HtmlElement | None) -> Pick:
    """The image's caption as the page shows it (kept out of the body): the site's rule, else
    the line beside the image."""
    pick = page.rule("caption")
    if not pick.value and url:
        pick = lines.caption_near(page, url, title)
    return pick


def image_caption(page: PageParts, story: dict[str, Any], shown: Pick) -> Pick:
    """The caption: the story's, the one the page shows, JSON-LD's; credits left out."""
    visible = shown.value or ""
    for pattern in page.site.credit_patterns:
        visible = pattern.sub("", visible).strip()
    caption = first(
        Pick(ans.image(story)[1], "ans"),
        Pick(visible, shown.source),
        Pick(jsonld_image(page.ld)[1], "jsonld"),
    )
    text = caption.value
    for pattern in page.site.credit_patterns:
        text = pattern.sub("", text).strip() if text else text
    return Pick(text or None, caption.source)


def lead_image(page: PageParts, url: Pick, caption: Pick) -> Pick:
    """The ``image`` field: the URL made absolute, and the caption; none for no URL."""
    if not url.value:
        return NOTHING
    try:
        absolute = urljoin(page.url, url.value)
    except ValueError:  # not a URL ("http://[::1")
        return NOTHING
    return Pick({"url": absolute, "caption": caption.value}, url.source)
