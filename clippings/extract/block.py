"""The article block of a page no known container reads, found from the page itself.

From the main block (the element whose paragraphs hold the most text), the innermost element
holding more than half of the text of the page's paragraphs: the main block itself, or the
element around an article split into several blocks; and the element around that one while
it holds paragraphs of its own beside it (the article's opening before a paywall's wrapper). The body of such a page is read from a
copy of that element alone (``block_copy``), so it is a function of that element's subtree:
a container learned for the page's template gives the same text whenever it selects the same
element, which is checked by identity, not by reading the page twice (``BodyReader``).

trafilatura reads the first element of a copy whose class names an article body (its first
frame), not the copy whole. An article written as several sections of that class, between
advertisements, would be read as its first section (and the page's main block, that section,
would vouch for it); a copy whose first such frame holds under half of its paragraphs' text
is marked as one frame itself (``FRAME_CLASS``), so the block is read whole.
"""

from __future__ import annotations

from copy import deepcopy

import lxml.etree
import lxml.html
from trafilatura.xpaths import BODY_XPATH

from clippings.extract.document import new_document
from clippings.extract.main_block import Paragraphs
from clippings.extract.runs import runs_as_paragraphs

# The block holds more than this share of the text of the page's paragraphs.
SHARE = 0.5
# An element around the block that itself holds paragraphs of at least this share of that
# text holds the article's first or last paragraphs beside the block: it is the block.
BESIDE = 0.1
# trafilatura's first frame holding under this share of the copy's paragraph text is a part of
# the article; the copy's wrapper then carries this class, which trafilatura reads first.
FRAME = 0.5
FRAME_CLASS = "article-body"


def article_block(weight: dict[lxml.html.HtmlElement, int]) -> lxml.html.HtmlElement | None:
    """The element a body is read from when no known container holds it; None when that is
    the whole page (no paragraphs, or nothing short of ``<body>`` holds most of their text).
    ``weight``: {element: characters of the paragraphs that are its children}."""
    if not weight:
        return None
    main = max(weight, key=weight.__getitem__)
    total = sum(weight.values())
    held: dict[lxml.html.HtmlElement, int] = {}
    for block, chars in weight.items():
        for element in (block, *block.iterancestors()):
            held[element] = held.get(element, 0) + chars
    for element in (main, *main.iterancestors()):
        if element.tag in ("body", "html"):
            return None
        if held[element] > SHARE * total:
            break
    else:
        return None
    # Paragraphs beside the block, in the element around it: the article's opening before a
    # paywall's ``<span>``, its end after a box.
    parent = element.getparent()
    while parent is not None and parent.tag not in ("body", "html") and weight.get(parent, 0) >= BESIDE * total:
        element, parent = parent, parent.getparent()
    return element


def block_copy(block: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A small document holding a copy of the block alone, inside an ``<article>``: the
    same elements the whole page gives trafilatura there (``<div>`` paragraphs stay
    ``<div>``s, as on the page), its loose text runs written as ``<div>`` paragraphs
    (``runs.runs_as_paragraphs``), and nothing outside it. The ``<article>`` is the frame
    trafilatura reads when the one it would pick inside holds a part of the article only
    (``part_framed``)."""
    document = new_document()
    article = lxml.etree.SubElement(document.find("body"), "article")
    copied = deepcopy(block)
    copied.tail = None
    runs_as_paragraphs(copied)
    article.append(copied)
    if part_framed(article):
        article.set("class", FRAME_CLASS)
    return document


def part_framed(article: lxml.html.HtmlElement) -> bool:
    """Whether the first element of ``article`` trafilatura takes for the article's frame
    (its first body expression) holds under ``FRAME`` of the text of its paragraphs."""
    frame = next(iter(BODY_XPATH[0](article)), None)
    if frame is None or frame is article[0]:
        return False  # no such frame, or the block itself
    weight = Paragraphs(article).weights()
    inside = sum(chars for element, chars in weight.items() if element is frame or frame in element.iterancestors())
    return inside < FRAME * sum(weight.values())
