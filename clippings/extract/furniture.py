"""Page furniture known by its shape and place, whatever the template and the language: what a
page read whole lets into a body when no site rule names it.

- A caption by shape: the one short text standing beside an image in a wrapper that holds
  nothing else (``<div><img><div>the caption</div></div>``), where no ``<figure>`` says so;
  or two, a caption and its credit line, beside an image in boxes holding it alone
  (``<div><div><picture>…</picture></div><div>caption</div><div>Source</div><hr></div>``).
- The body's closing run of short lines (at least ``CLOSING_RUN`` lines of at most
  ``SHORT_LINE`` words: link lists, credits, sign-up and shop boxes), with the few lines
  after it: what follows the article, not part of it, whatever the words.
- The body's opening lines that are not yet the article: the headline again (with a kicker
  run into it), a heading before any paragraph (a second headline), a short line holding a
  number (a date, a reading time), and labels the page shows before its headline (a kicker,
  a breaking-news label, a "main content" line): short lines standing before the title's element.
"""

from __future__ import annotations

import re

import lxml.html

from clippings.core.tokens import count as count_words
from clippings.core.tokens import words
from clippings.extract.html import BLOCK_TAGS, marker_key, text_of
from clippings.extract.sources import PageParts

# A caption is at most this long; a label at most this many words.
CAPTION_CHARS = 300
LABEL_WORDS = 4
# A headline line holds the title's words and at most this many more (a kicker).
KICKER_WORDS = 6
# A closing run: this many lines of at most this many words, followed by at most
# ``CLOSING_AFTER`` lines, with most of the body's words before it.
CLOSING_RUN = 4
SHORT_LINE = 8
CLOSING_AFTER = 3
CLOSING_KEEPS = 0.6
# A heading opening the body, before any paragraph, is the headline block's (at most this many words).
HEADING_WORDS = 16
_HEADINGS = ("h1", "h2", "h3")
_SENTENCE_END = re.compile(r"[.!?؟。]\s*$")
_IMAGES = ("img", "picture", "amp-img")
_WRAPPERS = frozenset({"a", "picture", "span"})
_UNSHOWN = frozenset({"script", "style", "noscript", "template"})
# A caption and its credit line: at most this many texts beside the image.
_CAPTION_LINES = 2


# The last page's captions (the standfirst and the body both ask for them): (root, captions).
_last: list[tuple[lxml.html.HtmlElement, list[str]]] = []


def captions_by_shape(root: lxml.html.HtmlElement) -> list[str]:
    """Texts standing alone beside an image in a wrapper holding nothing else."""
    if _last and _last[0][0] is root:
        return _last[0][1]
    found = _captions(root)
    _last[:] = [(root, found)]
    return found


def _captions(root: lxml.html.HtmlElement) -> list[str]:
    found: list[str] = []
    for image in root.iter(*_IMAGES):
        holder = image.getparent()
        # Up through inline wrappers and boxes holding the image alone (no text of their own).
        while holder is not None and (holder.tag in _WRAPPERS or (holder.tag == "div" and not _shown(holder))):
            image, holder = holder, holder.getparent()
        if holder is None or holder.tag in ("p", "figure", "body") or (holder.text or "").strip():
            continue
        others = [c for c in holder if isinstance(c.tag, str) and c is not image and c.tag not in _UNSHOWN]
        if len(others) > 2 * _CAPTION_LINES or any((c.tail or "").strip() for c in holder):
            continue  # a wrapper of more than an image and its caption (the article's paragraphs)
        others = [c for c in others if _shown(c)]
        if not 0 < len(others) <= _CAPTION_LINES:
            continue
        if any(next(c.iter(*_IMAGES), None) is not None for c in others):
            continue  # another image beside it: no caption of one image
        texts = [text_of(c) for c in others]
        if sum(map(len, texts)) <= CAPTION_CHARS:
            found.extend(t for t in texts if t)
            if len(texts) > 1 and not any(c.tag in BLOCK_TAGS for c in others):
                found.append(" ".join(texts))  # side by side in a line: one text, as read
    return found


def _shown(element: lxml.html.HtmlElement) -> bool:
    """Whether an element shows text (a script's, a style's are not shown)."""
    if element.tag in _UNSHOWN or not any(text.strip() for text in element.itertext()):
        # ``itertext`` gives the pieces of ``text_content()``, up to the first that is not blank.
        return False
    return next(element.iter(*_UNSHOWN), None) is None or bool(text_of(element))


def tidy(page: PageParts, body: str, titles: tuple[str, ...], start: int) -> str:
    """The body without its opening lines that are not yet the article and its closing run."""
    return without_closing(without_opening(page, body, titles, start))


def without_closing(body: str) -> str:
    """The body without a closing run of short lines and the few lines after it."""
    paragraphs = body.split("\n\n")
    sizes = [count_words(p) for p in paragraphs]
    for after in range(min(CLOSING_AFTER, len(paragraphs)) + 1):
        end = len(paragraphs) - after
        start = end
        while start > 0 and sizes[start - 1] <= SHORT_LINE:
            start -= 1
        if end - start >= CLOSING_RUN and sum(sizes[:start]) >= CLOSING_KEEPS * sum(sizes):
            return "\n\n".join(paragraphs[:start])
    return body


def without_opening(page: PageParts, body: str, titles: tuple[str, ...], start: int) -> str:
    """The body without its opening lines that are not yet the article (``opening_lines``);
    as it is when that would leave nothing."""
    paragraphs = body.split("\n\n")
    skip = opening_lines(page, paragraphs, titles, start)
    return "\n\n".join(paragraphs[skip:]) if 0 < skip < len(paragraphs) else body


def opening_lines(page: PageParts, paragraphs: list[str], titles: tuple[str, ...], start: int) -> int:
    """How many of the body's first ``paragraphs`` are the headline again (any of ``titles``),
    headings, dates or labels the page shows before its title (whose first line is leaf ``start``)."""
    headlines = [{w.casefold() for w in words(t)} for t in titles if t]
    labels: set[str] | None = None
    heads: set[str] | None = None
    for index, line in enumerate(paragraphs):
        line_words = [w.casefold() for w in words(line)]
        if any(h <= set(line_words) and len(line_words) <= len(h) + KICKER_WORDS for h in headlines):
            continue  # the headline, a kicker run into it
        if len(line_words) <= HEADING_WORDS and not _SENTENCE_END.search(line):
            if heads is None:
                heads = {marker_key(text_of(h)) for h in page.root.iter(*_HEADINGS)}
            if marker_key(line) in heads:
                continue  # a heading before any paragraph: a second headline, a kicker
        if count_words(line) > LABEL_WORDS:
            return index
        if any(c.isdigit() for c in line):
            continue  # a date, a reading time
        if labels is None:
            start = start or _headline_index(page, headlines)
            shown = (text_of(e) for leaf in page.leaves[:start] for e in leaf.iter() if isinstance(e.tag, str))
            labels = {marker_key(t) for t in shown if t and count_words(t) <= LABEL_WORDS}
        if marker_key(line) not in labels:
            return index
    return len(paragraphs)


def _headline_index(page: PageParts, headlines: list[set[str]]) -> int:
    """The first leaf showing the headline (0 when none does): where the article starts when
    no rule finds the title's element."""
    for index, element in enumerate(page.leaves):
        text = text_of(element)
        line_words = {w.casefold() for w in words(text)} if text else set()
        if any(h and h <= line_words and len(line_words) <= len(h) + KICKER_WORDS for h in headlines):
            return index
    return 0
