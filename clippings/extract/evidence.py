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
from clippings.core.tokens import words
from clippings.extract.html import text_of
from clippings.extract.main_block import paragraph_text
from clippings.extract.sources import PageParts

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


def article_evidence(page: PageParts) -> str | None:
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


# --- evidence checked before it is trusted ------------------------------------------------

# A declared body in which its opening run of this many words comes back holds the article twice.
REPEATED_RUN = 20
# A declared body whose characters per word exceed the page's by this factor has its words run
# together (paragraphs joined without a space: "…the end.The next…").
GLUED = 1.25
# Paragraph words from which a second <article> inside the main block counts as an article.
SECOND_ARTICLE_WORDS = 60
_HEADINGS = frozenset(["h1", "h2", "h3"])


def repeats_itself(paragraphs: list[str]) -> bool:
    """Whether a text holds itself twice: a run of its opening words comes back later, word
    for word (the run starts at its third word: the first may be glued to the text before)."""
    found = [w for p in paragraphs for w in words(p)]
    opening = found[2 : 2 + REPEATED_RUN]
    if len(found) < 2 * REPEATED_RUN + 2:
        return False
    first = opening[0]
    return any(
        found[i : i + REPEATED_RUN] == opening for i in range(2 + REPEATED_RUN, len(found) - REPEATED_RUN + 1)
        if found[i] == first
    )  # fmt: skip


def glued(paragraphs: list[str], page_text: str) -> bool:
    """Whether a text's words run together much more than the page's own text."""
    text = " ".join(paragraphs)
    ours, theirs = count_words(text), count_words(page_text)
    if ours < 40 or theirs < 40:
        return False
    return len(text) / ours > GLUED * len(page_text) / theirs


def holds_two_articles(block: lxml.html.HtmlElement | None) -> bool:
    """Whether a main block holds a second article: a second headline (``<h1>``, or a heading
    that is schema.org's ``headline``) or a second byline with a date, followed by an
    article's text, or a second ``<article>`` of text. Teasers (a headline and a line) are
    not articles."""
    if block is None:
        return False
    articles = [a for a in block.iter("article") if _paragraph_words(a) >= SECOND_ARTICLE_WORDS]
    if len(articles) >= 2:
        return True
    segments = [0]  # paragraph words from the block's start, then from each headline or byline
    for element in block.iter():
        if not isinstance(element.tag, str):
            continue
        if (
            element.tag == "h1"
            or (element.get("itemprop") == "headline" and element.tag in _HEADINGS)
            or _dated_byline(element)
        ):
            if segments[-1]:
                segments.append(0)
        elif element.tag in ("p", "div"):
            text = paragraph_text(element)
            if text:
                segments[-1] += count_words(text)
    return sum(n >= SECOND_ARTICLE_WORDS for n in segments) >= 2


_AUTHOR = ".//*[@rel='author' or @itemprop='author']"
_DATE = ".//time | .//*[@itemprop='datePublished']"


def _dated_byline(element: lxml.html.HtmlElement) -> bool:
    """A line naming an author and a date (``Par X, le 3 mai``), not inside a link, a box or a figure."""
    if element.tag not in ("p", "div", "span", "header", "footer", "address"):
        return False
    if not element.xpath(_AUTHOR) or not element.xpath(_DATE):
        return False
    if any(a.tag in ("a", "aside", "figure") for a in element.iterancestors()):
        return False
    return count_words(text_of(element)) <= 30
