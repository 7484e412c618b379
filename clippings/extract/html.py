"""Text as a reader sees it, shared by the extractors: an element's text (``text_of``), text
cleaned (``clean_text``) and compared (``marker_key``), and the page's lines (``leaf_elements``).
Pages are decoded and parsed in ``document``."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import lxml.etree
import lxml.html

# Zero-width and direction marks, BOM, soft hyphen: never part of the text a reader sees.
_INVISIBLE_MARKS = "\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\ufeff\xad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_MARKS}]+")
# Tatweel (Arabic letter stretching) is kept in the text, as the page writes it, but ignored
# when headings are compared with markers ("قد يهمك أيضــــا" is "قد يهمك أيضا").
_TATWEEL = "\u0640"

# Elements whose text a reader sees as a block of its own.
# fmt: off
BLOCK_TAGS = frozenset([
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "blockquote", "td", "th",
    "dd", "dt", "section", "article", "header", "footer", "aside", "main", "nav", "address", "pre",
    "ul", "ol", "table", "tr", "form", "label", "button",
])
# fmt: on
INVISIBLE_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "iframe", "head"])


def clean_text(text: str | None) -> str:
    """Whitespace folded, invisible marks removed, NFC: text as a reader sees it."""
    if not text:
        return ""
    # ASCII text is in NFC and holds no invisible mark (``isascii`` costs nothing: CPython
    # knows it of every string). str.split() splits at what the regex ``\s`` matches (Unicode
    # whitespace), and drops it at both ends: whitespace folded as ``\s+`` -> " " and a strip
    # would, with no regex.
    if text.isascii():
        return " ".join(text.split())
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # A text holds no mark, as a rule. The marks are not printable and not whitespace, so they
    # outlive the folding; its result printable (the folded whitespace is all " ") holds none,
    # and is the text. One pass in C, where a search for each mark is one pass each.
    folded = " ".join(text.split())
    if folded.isprintable():
        return folded
    # Marks are dropped before the folding: "a \u200b b" is "a b".
    for mark in _INVISIBLE_MARKS:
        if mark in folded:
            return " ".join(_INVISIBLE.sub("", text).split())
    return folded


def marker_key(text: str | None) -> str:
    """A looser form for comparing headings with markers: case and trailing colons ignored."""
    # ``str.replace``, not a regex: one character dropped wherever it stands, at C speed.
    return clean_text(text).replace(_TATWEEL, "").rstrip(" :：").casefold()


@lru_cache(maxsize=64)
def marker_keys(markers: tuple[str, ...]) -> dict[str, str]:
    """A site's markers by their ``marker_key``, in order (computed once per tuple)."""
    return {marker_key(m): m for m in markers}


# Inline elements that style a run of text: the words they touch are one word
# (``<b>Rab</b>at``). Between any other two elements written side by side (``<span>Hicham
# Berrada</span><span>Le 09/09/2025</span>``) a reader sees a separate piece of text.
FORMATTING = frozenset(
    ["a", "b", "i", "em", "strong", "u", "s", "small", "mark", "sup", "sub", "abbr", "cite", "q", "code", "font"]
)


def text_of(element: lxml.html.HtmlElement) -> str:
    """The element's text as a reader sees it: scripts and styles never count, and the
    texts of adjacent elements that are not mere formatting are kept apart by a space."""
    if len(element) == 0:
        return clean_text(element.text)
    parts: list[str] = []
    _collect(element, parts)
    return clean_text("".join(parts))


def _collect(element: lxml.html.HtmlElement, parts: list[str]) -> None:
    # Each read of ``.text``, ``.tag`` or ``.tail`` makes a new string from the tree's: read once.
    text = element.text
    if text:
        parts.append(text)
    previous: str | None = None  # the tag of the sibling just closed with no text after it
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            tag = ""
        tail = child.tail
        if tag in INVISIBLE_TAGS:
            previous = None if tail else previous
        else:
            block = tag in BLOCK_TAGS or tag == "br"
            if block or (previous is not None and not (tag in FORMATTING and previous in FORMATTING)):
                parts.append(" ")
            if len(child):
                _collect(child, parts)
            else:  # what ``_collect`` gives of an element holding none: its text
                inner = child.text
                if inner:
                    parts.append(inner)
            if block:
                parts.append(" ")
            previous = None if tail else tag
        if tail:
            parts.append(tail)


def leaf_elements(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Visible innermost blocks in document order: the page's lines as a reader sees them.

    A byline such as ``<div>Par <a>La Rédaction</a></div>`` is one block, which is how a
    reader sees it; scripts and styles never count. Texts are not read here (``text_of``).
    """
    body = root.find("body")
    if body is None:
        body = root
    # Only blocks and invisible elements are looked at (lxml finds them in C). Each one's
    # nearest such ancestor below ``body`` decides: an invisible one, or a block already
    # known to be inside one, hides it (and so everything inside an invisible element); a
    # visible block there holds a block, and is no line. The ancestors come before it in
    # document order, so they are known when it is reached (the list keeps each element's
    # Python object alive: ``getparent`` gives that same object, found in the sets).
    walked = list(body.iterdescendants(*_WALKED))
    hidden: set[lxml.html.HtmlElement] = set()
    outer: set[lxml.html.HtmlElement] = set()  # visible blocks holding a visible block
    for element in walked:
        if element.tag in INVISIBLE_TAGS:
            hidden.add(element)
            continue
        parent = element.getparent()
        while parent is not body and parent.tag not in _WALKED_SET:
            parent = parent.getparent()
        if parent is body:
            continue
        if parent in hidden:
            hidden.add(element)
        else:
            outer.add(parent)
    return [e for e in walked if e not in hidden and e not in outer]


_WALKED_SET = BLOCK_TAGS | INVISIBLE_TAGS
_WALKED = tuple(sorted(_WALKED_SET))
