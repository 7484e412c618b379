"""What a page declares, read once per page: its JSON-LD scripts (by their type), its
``<title>`` and its ``<time>`` elements."""

from __future__ import annotations

import json

import lxml.html

from clippings.extract import declared
from clippings.extract.metadata import jsonld_article
from clippings.extract.sources import NOTHING, PageParts
from clippings.sites import get_site

URL = "https://fr.le360.ma/societe/le-tramway-de-rabat-prolonge_ABCDEFGHIJKLMNOPQRSTUVWXYZ/"


def parts(html: str) -> PageParts:
    return PageParts(get_site("le360"), URL, lxml.html.document_fromstring(html))


def test_jsonld_is_read_from_ld_json_scripts_only() -> None:
    other = json.dumps({"@type": "NewsArticle", "headline": "From a data script"})
    ld = json.dumps({"@type": "NewsArticle", "headline": "Declared"})
    root = lxml.html.document_fromstring(
        f'<html><head><script type="application/json">{other}</script>'
        f"<script>{other}</script>"
        f'<script type="application/ld+json">{ld}</script></head><body><p>x</p></body></html>'
    )
    assert jsonld_article(root) == {"@type": "NewsArticle", "headline": "Declared"}


def test_time_elements_give_both_dates_in_page_order() -> None:
    page = parts(
        "<html><head><title>  Le   tramway </title></head><body>"
        '<div><time datetime="2025-09-09T10:00:00+01:00">9 septembre</time></div>'
        '<p><time class="date-modified" datetime="2025-09-10T08:00:00+01:00">10 septembre</time></p>'
        '<time datetime="2025-09-08">8 septembre</time></body></html>'
    )
    published = declared.published(page, NOTHING)
    modified = declared.modified(page, NOTHING)
    assert [raw for _, raw in published] == ["2025-09-09T10:00:00+01:00", "2025-09-08"]
    assert [raw for _, raw in modified] == ["2025-09-10T08:00:00+01:00"]
    assert page.title_text == "Le tramway"
