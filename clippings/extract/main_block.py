"""The page's paragraphs and where most of their text is: ``paragraph_text`` (a ``<p>``, or a
``<div>`` of text and inline elements alone, not a line of links), the main block (the
element whose paragraphs hold the most text), what no prune rule may remove, and a block's
words. The body's readings are checked against the main block; the article block
(``clippings.extract.block``) is found around it.
"""

from __future__ import annotations

import lxml.html

from clippings.core.tokens import count as count_words
from clippings.extract.html import text_of
from clippings.extract.runs import HOLDER_TAGS, holder_paragraphs, run_paragraphs

_INLINE = frozenset(
    [
        "a",
        "b",
        "i",
        "em",
        "strong",
        "u",
        "s",
        "small",
        "mark",
        "sup",
        "sub",
        "abbr",
        "cite",
        "q",
        "code",
        "font",
        "span",
        "br",
        "time",
    ]
)


def paragraph_text(element: lxml.html.HtmlElement) -> str | None:
    """The text of a paragraph-like element: a ``<p>``, or a ``<div>`` holding text and inline
    elements alone; None for anything else, for a line of links (a menu), and for a text
    inside a link (a teaser card: a picture, a headline and its blurb, all one link)."""
    tag = element.tag
    if tag == "div":
        for child in element:
            child_tag = child.tag
            if not isinstance(child_tag, str) or child_tag not in _INLINE:
                return None
    elif tag != "p":
        return None
    if len(element) == 0:
        # Text alone (comments and entities are children too): the text is the element's own,
        # and no link is inside.
        text = (element.text or "").strip()
        return text if len(text) >= 40 and not _in_link(element) else None
    text = visible_text(element)
    if len(text) < 40:
        return None
    linked = sum(len(a.text_content()) for a in element.iter("a"))
    return None if linked > len(text) / 2 or _in_link(element) else text


def _in_link(element: lxml.html.HtmlElement) -> bool:
    return next(element.iterancestors("a"), None) is not None


_HIDDEN = ("script", "style", "noscript", "template")


def visible_text(element: lxml.html.HtmlElement) -> str:
    """The text a reader sees of an element: never a script's, style's, template's or
    noscript's (12 kB of inline script in a ``<span>`` is no paragraph)."""
    if next(element.iter(_HIDDEN), None) is None:
        return element.text_content().strip()
    return text_of(element)


class Paragraphs:
    """A page's paragraphs, measured in one pass, by the element holding them: the texts of
    each element's paragraph children (``paragraph_text``, in document order) and of its
    loose text runs that pass a paragraph's tests (``runs``). The weights, the main block and
    its words are all read from these, never measured again."""

    def __init__(self, root: lxml.html.HtmlElement) -> None:
        self.children: dict[lxml.html.HtmlElement, list[str]] = {}
        for element in root.iter("p", "div"):
            text = paragraph_text(element)
            if text:
                parent = element.getparent()
                if parent is not None:
                    self.children.setdefault(parent, []).append(text)
        self.runs: dict[lxml.html.HtmlElement, list[str]] = dict(holder_paragraphs(root))

    def weights(self) -> dict[lxml.html.HtmlElement, int]:
        """{element: characters of its paragraphs}: the paragraph children's, then the runs'."""
        weight = {element: sum(map(len, texts)) for element, texts in self.children.items()}
        for element, texts in self.runs.items():
            weight[element] = weight.get(element, 0) + sum(map(len, texts))
        return weight

    def words(self, block: lxml.html.HtmlElement | None) -> int:
        """``block_words(block)``, from the texts measured."""
        if block is None:
            return 0
        # Only the elements ``runs.holders`` looks at were measured for runs.
        runs = self.runs.get(block, []) if block.tag in HOLDER_TAGS else run_paragraphs(block)
        return sum(count_words(t) for t in (*self.children.get(block, ()), *runs))


def _block_weights(root: lxml.html.HtmlElement) -> dict[lxml.html.HtmlElement, int]:
    """{element: characters of the paragraphs that are its children}; text runs it holds
    loose between blocks are paragraphs too (``runs``)."""
    return Paragraphs(root).weights()


def main_block(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element whose paragraphs (``<p>``, or ``<div>``s holding text alone) hold the
    most text: where the article most likely is, whatever the template."""
    weight = _block_weights(root)
    return max(weight, key=weight.__getitem__) if weight else None


def holders_of_text(root: lxml.html.HtmlElement) -> set[lxml.html.HtmlElement]:
    """The elements no prune rule may remove: the main block and its ancestors, and every
    element holding more than half of the text of the page's paragraphs (an article split
    into several blocks is held by the element around them)."""
    weight = _block_weights(root)
    if not weight:
        return set()
    main = max(weight, key=weight.__getitem__)
    keep = {main, *main.iterancestors()}
    held: dict[lxml.html.HtmlElement, int] = {}
    for block, chars in weight.items():
        for element in (block, *block.iterancestors()):
            held[element] = held.get(element, 0) + chars
    half = sum(weight.values()) / 2
    keep.update(e for e, chars in held.items() if chars > half)
    return keep


def block_words(block: lxml.html.HtmlElement | None) -> int:
    """Words in a block's paragraphs (its loose text runs included)."""
    if block is None:
        return 0
    texts = [paragraph_text(c) for c in block if isinstance(c.tag, str)] + run_paragraphs(block)
    return sum(count_words(t) for t in texts if t)
