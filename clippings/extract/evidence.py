"""What on a page shows an article, before the page is refused as none.

A page at an article URL is refused as "not an article" or "video" only when it holds no
article: no JSON-LD, microdata or RDFa object of the ``Article`` family (``Article``,
``NewsArticle`` and its kinds, ``BlogPosting``, ``Report``...), no embedded story, and no
main block of paragraphs, and no ``<article>``, of an article's size. ``og:type`` alone is a hint, never a verdict:
sites leave ``website`` on their article template, or ``video.other`` on an article that
embeds a video.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.html

from clippings.core.tokens import count as count_words
from clippings.extract.body import paragraph_text
from clippings.extract.sources import PageSources

# A main block of paragraphs holding this many words is an article's, whatever the labels say:
# a video page's caption or a section front's teasers hold fewer in one block.
ARTICLE_WORDS = 150
_TYPE_SEPARATORS = re.compile(r"[/#:]")


def article_type(name: str) -> bool:
    """Whether a schema.org type name (``NewsArticle``, ``https://schema.org/BlogPosting``,
    ``schema:Report``) is of the ``Article`` family."""
    last = _TYPE_SEPARATORS.split(name.strip())[-1]
    return last.endswith(("Article", "BlogPosting")) or last == "Report"


def _jsonld_types(node: Any, depth: int = 0) -> Iterator[str]:
    if depth > 20:
        return
    if isinstance(node, list):
        for child in node:
            yield from _jsonld_types(child, depth + 1)
    elif isinstance(node, dict):
        kind = node.get("@type")
        if isinstance(kind, str):
            yield kind
        elif isinstance(kind, list):
            yield from (k for k in kind if isinstance(k, str))
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in node:
                yield from _jsonld_types(node[key], depth + 1)


def article_evidence(page: PageSources) -> str | None:
    """What shows an article on the page: ``jsonld``, ``microdata``, ``rdfa``, ``story``,
    ``main`` (its main block of paragraphs) or ``article`` (an ``<article>`` whose paragraphs
    hold an article's words); None when nothing does."""
    if page.ld:
        return "jsonld"
    for script in page.root.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads((script.text or "").strip() or "null", strict=False)
        except (ValueError, RecursionError):
            continue
        if any(article_type(t) for t in _jsonld_types(data)):
            return "jsonld"
    for element in page.root.xpath("//*[@itemtype or @typeof]"):
        names = f"{element.get('itemtype') or ''} {element.get('typeof') or ''}".split()
        if any(article_type(n) for n in names):
            return "microdata" if element.get("itemtype") else "rdfa"
    if page.story:
        return "story"
    if page.main_words >= ARTICLE_WORDS:
        return "main"
    for element in page.root.iter("article"):
        if _paragraph_words(element) >= ARTICLE_WORDS:
            return "article"
    return None


def _paragraph_words(element: lxml.html.HtmlElement) -> int:
    """Words in the paragraphs an element holds, at any depth."""
    texts = (paragraph_text(p) for p in element.iter("p", "div"))
    return sum(count_words(t) for t in texts if t)
