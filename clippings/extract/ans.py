"""The story Arc XP pages embed: ``Fusion.globalContent``, in the Arc Native Specification.

Fusion pages assign the story the page was rendered from, as one JSON value, in
``<script id="fusion-metadata">``. It is read with a JSON decoder from the ``=`` on (no
JavaScript engine), capped in size, and used only when it is a standard ANS story; anything
else is "no story" (with the reason), never an error.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.html

from clippings.extract.html import clean_text

_ASSIGNMENT = re.compile(r"\bFusion\.globalContent\s*=\s*")
# The largest embedded story read: real stories are 20-300 kB; a page carrying more is
# not worth decoding (and must not cost the crawl its memory).
MAX_STORY_CHARS = 4_000_000
_TAGS = re.compile(r"<[^>]*>")
_BREAKS = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Element types whose text is article text; everything else (interstitial_link, link_list,
# image, video, gallery, audio, oembed_response, raw_html, custom_embed, divider, reference,
# content_zone, code, correction) never is.
_TEXT_TYPES = frozenset({"text", "header", "list", "quote", "table", "element_group"})
_LINKS = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
# A text element is link-only when this share of its text (spaces aside) is inside links.
LINKED_SHARE = 0.9
# A story ending with this many link-only elements (short lines between them aside) ends with
# related links: the run, and the short line announcing it, are no body.
RELATED_RUN = 2
SHORT_LINE_WORDS = 8


@dataclass(frozen=True)
class Story:
    """A standard ANS story, or why there is none (``data`` empty, ``problem`` set)."""

    data: dict[str, Any]
    problem: str | None = None

    def __bool__(self) -> bool:
        return bool(self.data)


NO_SCRIPT = Story({}, "absent")


def _script_text(root: lxml.html.HtmlElement) -> tuple[str, int] | None:
    """The Fusion script's text and where the story's JSON starts in it."""
    for script in root.iter("script"):
        text = script.text or ""
        if "Fusion.globalContent" not in text:
            continue
        found = _ASSIGNMENT.search(text)
        if found:
            return text, found.end()
    return None


def find_story(root: lxml.html.HtmlElement) -> Story:
    """The page's embedded ANS story, or an empty ``Story`` naming the problem:
    ``absent`` (no Fusion script), ``too_large``, ``not_json``, ``not_story`` (another shape)."""
    found = _script_text(root)
    if found is None:
        return NO_SCRIPT
    text, start = found
    if len(text) - start > MAX_STORY_CHARS:
        # The story is the first value; only the room it may take is decoded.
        text = text[: start + MAX_STORY_CHARS]
    try:
        data, _ = json.JSONDecoder(strict=False).raw_decode(text, start)
    except (ValueError, RecursionError):
        return Story({}, "too_large" if len(text) - start >= MAX_STORY_CHARS else "not_json")
    if not isinstance(data, dict) or data.get("type") != "story":
        return Story({}, "not_story")
    if not isinstance(data.get("content_elements"), list) or not isinstance(data.get("headlines"), dict):
        return Story({}, "not_story")
    return Story(data)


def plain(fragment: Any) -> str:
    """An ANS string (an HTML fragment) as plain text: tags stripped, entities decoded."""
    if not isinstance(fragment, str):
        return ""
    text = _BREAKS.sub(" ", fragment)
    if "<" in text:
        text = _TAGS.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return clean_text(text)


def _get(node: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def text_at(story: dict[str, Any], *path: str) -> str | None:
    return plain(_get(story, *path)) or None


def headline(story: dict[str, Any]) -> str | None:
    return text_at(story, "headlines", "basic")


def standfirst(story: dict[str, Any]) -> str | None:
    return text_at(story, "subheadlines", "basic") or text_at(story, "description", "basic")


def authors(story: dict[str, Any]) -> list[str]:
    """``credits.by[].name``; unresolved references (no name) are skipped."""
    by = _get(story, "credits", "by")
    names = [plain(_get(a, "name")) for a in by] if isinstance(by, list) else []
    return [n for n in names if n]


def agency(story: dict[str, Any]) -> str | None:
    """The wire agency a story with no author names: ``distributor.name``, ``source.name``."""
    return text_at(story, "distributor", "name") or text_at(story, "source", "name")


def section(story: dict[str, Any], website: str | None = None) -> str | None:
    found = text_at(story, "taxonomy", "primary_section", "name")
    if not found and website:
        found = text_at(story, "websites", website, "website_section", "name")
    return found


def tags(story: dict[str, Any]) -> list[str]:
    listed = _get(story, "taxonomy", "tags")
    found = [plain(_get(t, "text")) for t in listed] if isinstance(listed, list) else []
    return [t for t in found if t]


def image(story: dict[str, Any]) -> tuple[str | None, str | None]:
    """(url, caption) of the lead image (``promo_items.basic``), when it is an image."""
    promo = _get(story, "promo_items", "basic")
    if not isinstance(promo, dict) or promo.get("type") != "image":
        return None, None
    url = promo.get("url")
    return (url if isinstance(url, str) and url else None), plain(promo.get("caption")) or None


def dates(story: dict[str, Any]) -> tuple[str | None, str | None]:
    """(published, updated): ``first_publish_date`` (else ``display_date``), ``last_updated_date``."""
    published = _get(story, "first_publish_date") or _get(story, "display_date")
    updated = _get(story, "last_updated_date")
    return (
        published if isinstance(published, str) and published else None,
        updated if isinstance(updated, str) and updated else None,
    )


def url_path(story: dict[str, Any]) -> str | None:
    """``canonical_url`` (a path on the canonical website), else ``website_url``."""
    for key in ("canonical_url", "website_url"):
        value = story.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def story_id(story: dict[str, Any]) -> str | None:
    value = story.get("_id")
    return value if isinstance(value, str) and value else None


def paragraphs(elements: Any, depth: int = 0) -> Iterator[str]:
    """The article text of ``content_elements``, in reading order: text, headers, list items,
    blockquotes, table rows (``cell | cell``); never links, media, embeds or corrections."""
    for text, _ in _paragraphs(elements, depth):
        yield text


def _link_only(fragment: Any) -> bool:
    """Whether nearly all the text of an HTML fragment is inside links (a related article's
    title, in whatever language the "read also" line around it is written)."""
    if not isinstance(fragment, str) or "<a" not in fragment.lower():
        return False
    total = len(plain(fragment).replace(" ", ""))
    linked = sum(len(plain(m).replace(" ", "")) for m in _LINKS.findall(fragment))
    return total > 0 and linked >= LINKED_SHARE * total


def _paragraphs(elements: Any, depth: int = 0) -> Iterator[tuple[str, bool]]:
    """(text, link-only) of each paragraph of ``content_elements`` (see ``paragraphs``)."""
    if not isinstance(elements, list) or depth > 20:
        return
    for element in elements:
        if not isinstance(element, dict):
            continue
        kind = element.get("type")
        if kind not in _TEXT_TYPES:
            continue
        if kind in ("text", "header"):
            text = plain(element.get("content"))
            if text:
                yield text, kind == "text" and _link_only(element.get("content"))
        elif kind == "list":
            yield from ((t, False) for t in _list_items(element.get("items"), depth + 1))
        elif kind == "quote":
            if element.get("subtype") == "pullquote":
                continue  # repeats text the body already has
            yield from _paragraphs(element.get("content_elements"), depth + 1)
        elif kind == "table":
            yield from ((t, False) for t in _table_rows(element))
        else:  # element_group
            yield from _paragraphs(element.get("content_elements"), depth + 1)


def _list_items(items: Any, depth: int) -> Iterator[str]:
    if not isinstance(items, list) or depth > 20:
        return
    for item in items:
        if not isinstance(item, dict):
            continue
        if item.get("type") == "list":
            yield from _list_items(item.get("items"), depth + 1)
        elif item.get("type") in ("text", None):
            text = plain(item.get("content"))
            if text:
                yield text
            if isinstance(item.get("items"), list):
                yield from _list_items(item.get("items"), depth + 1)


def _cell(cell: Any) -> str:
    if isinstance(cell, dict):
        return plain(cell.get("content"))
    return plain(cell)


def _table_rows(table: dict[str, Any]) -> Iterator[str]:
    rows = [table.get("header")] if isinstance(table.get("header"), list) else []
    if isinstance(table.get("rows"), list):
        rows.extend(r for r in table["rows"] if isinstance(r, list))
    for row in rows:
        cells = [_cell(c) for c in row]
        if any(cells):
            yield " | ".join(cells)


def body(story: dict[str, Any]) -> list[str]:
    """The story's paragraphs, related links left out: every link-only text element, and
    from a run of them that ends the story (with the short line announcing it) to the end."""
    found = list(_paragraphs(story.get("content_elements")))
    end = len(found)
    while end and (found[end - 1][1] or _short_line(found[end - 1][0])):
        end -= 1  # the story's tail: links, and the short lines between them
    if sum(linked for _, linked in found[end:]) >= RELATED_RUN:
        if end and _short_line(found[end - 1][0]):
            end -= 1  # "You may also like…", "Lire aussi :"
        found = found[:end]
    return [text for text, linked in found if not linked]


def _short_line(text: str) -> bool:
    return len(text.split()) <= SHORT_LINE_WORDS
