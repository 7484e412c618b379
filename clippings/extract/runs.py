"""Text an element holds loose beside blocks: its own text and its children's tails, with
the inline elements between them, the way some templates write an article (text runs cut by
``<br>``s, or by empty ``<span>``s the stylesheet draws as line breaks, between image and
advertisement ``<div>``s). A reader sees each run as a paragraph; trafilatura, given such an
element alone, reads part of its runs or none. ``loose_runs`` gives their texts (they weigh
as paragraphs where the article block is looked for); ``runs_as_paragraphs`` writes them as
``<div>`` paragraphs in a copy to be read.
"""

from __future__ import annotations

from collections.abc import Iterator

import lxml.etree
import lxml.html

from clippings.extract.html import BLOCK_TAGS, FORMATTING

# Elements that may hold text loose between blocks; what stays inside a line of text.
HOLDER_TAGS = ("div", "section", "article", "main", "span", "font", "center", "td")
_INLINE = frozenset(
    {"a", "b", "i", "em", "strong", "u", "s", "small", "mark", "sup", "sub", "abbr", "cite", "q", "code", "font"}
    | {"span", "br", "time", "img", "wbr", "del", "ins", "dfn", "kbd", "var", "data", "bdi", "bdo"}
)
_HIDDEN = frozenset({"script", "style", "noscript", "template"})

Piece = str | lxml.etree._Element


def holders(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The elements of ``root`` holding a block and text of their own beside it."""
    return [e for e in root.iter(*HOLDER_TAGS) if len(e) and holds_loose_text(e)]


def holder_paragraphs(root: lxml.html.HtmlElement) -> Iterator[tuple[lxml.html.HtmlElement, list[str]]]:
    """(element, texts of its runs that pass a paragraph's tests) for each element of ``root``
    holding loose text runs that do (``run_paragraphs``)."""
    for element in holders(root):
        texts = _paragraphs(element)
        if texts:
            yield element, texts


def _is_block(child: lxml.etree._Element) -> bool:
    tag = child.tag
    if not isinstance(tag, str) or tag in _HIDDEN:
        return False
    if tag not in _INLINE:
        return True
    return len(child) > 0 and any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in child.iterdescendants())


def _seen(piece: Piece) -> str:
    """The text a reader sees of a piece: a string, or an inline element's text."""
    if isinstance(piece, str):
        return piece
    if not isinstance(piece.tag, str) or piece.tag in _HIDDEN:
        return ""
    return piece.text_content()


def holds_loose_text(element: lxml.html.HtmlElement) -> bool:
    """Whether an element holds a block and, beside it, text of its own (loose or inline)."""
    # ``s and not s.isspace()`` is ``bool(s.strip())``, without making the stripped copy.
    own = element.text
    block, text = False, bool(own) and not own.isspace()
    for child in element:
        if not text:
            tail = child.tail
            text = bool(tail) and not tail.isspace()
        tag = child.tag
        if isinstance(tag, str) and tag not in _HIDDEN:
            if tag not in _INLINE or _is_block(child):
                block = True
            elif not text:
                seen = child.text_content()
                text = bool(seen) and not seen.isspace()
        if block and text:
            return True
    return False


def _runs(element: lxml.html.HtmlElement, at_br: bool) -> Iterator[tuple[list[Piece], Piece | None]]:
    """The element's content between its blocks, as runs of pieces (strings and inline
    elements; comments left out: ``a<!-- -->b`` is one word), cut at each block, at each
    ``<br>`` with ``at_br``, and at an empty element standing between two words with no
    space around it (a break the stylesheet draws: no reader sees such words run together).
    Each run comes with the block that ends it (None: a break, or the end)."""
    run: list[Piece] = []
    said, pending = "", False
    pieces: list[Piece] = [element.text or ""]
    for child in element:
        pieces += [child, child.tail or ""]
    for piece in pieces:
        if isinstance(piece, str):
            text = piece
        elif not isinstance(piece.tag, str):
            continue
        elif _is_block(piece) or (at_br and piece.tag == "br"):
            yield run, (piece if piece.tag != "br" else None)
            run, said, pending = [], "", False
            continue
        else:
            text = _seen(piece)
            if piece.tag != "br" and not text.strip():
                pending = pending or (bool(said) and not said[-1].isspace())
                run.append(piece)
                continue
        if text:
            if pending and not text[0].isspace():
                yield run, None
                run, said = [], ""
            pending = False
            said += text
        run.append(piece)
    yield run, None


def loose_runs(element: lxml.html.HtmlElement) -> Iterator[tuple[str, int]]:
    """(text, linked characters) of each run of an element holding blocks and loose text,
    cut at ``<br>``s too."""
    if not holds_loose_text(element):
        return
    yield from _texts(element)


def _texts(element: lxml.html.HtmlElement) -> Iterator[tuple[str, int]]:
    for run, _ in _runs(element, at_br=True):
        text = "".join(_seen(p) for p in run).strip()
        if text:
            linked = sum(len(a.text_content()) for p in run if not isinstance(p, str) for a in p.iter("a"))
            yield text, linked


def run_paragraphs(element: lxml.html.HtmlElement) -> list[str]:
    """The texts of an element's loose runs that pass a paragraph's tests (40 characters or
    more, at most half of them in links), as ``main_block.paragraph_text`` tests an element."""
    if not holds_loose_text(element):
        return []
    return _paragraphs(element)


def _paragraphs(element: lxml.html.HtmlElement) -> list[str]:
    return [t for t, linked in _texts(element) if len(t) >= 40 and linked <= len(t) / 2]


def runs_as_paragraphs(root: lxml.html.HtmlElement) -> None:
    """Each run of loose text in ``root`` (a copy) made a ``<div>`` of its own, in place
    (``<br>``s kept inside: they cut its lines). A ``<div>``, not a ``<p>``: trafilatura reads
    ``<div>`` paragraphs only where no ``<p>`` holds text, and a ``<p>`` made here would lose
    the block's own ``<div>`` paragraphs."""
    for element in holders(root):
        _rewrite(element)


def _rewrite(element: lxml.html.HtmlElement) -> None:
    runs = list(_runs(element, at_br=False))
    for child in list(element):
        child.tail = None
        element.remove(child)
    element.text = None
    for run, block in runs:
        if "".join(_seen(p) for p in run).strip():
            paragraph = element.makeelement("div")
            previous: str | None = None  # the tag of the element just put, no text after it
            for piece in run:
                last = paragraph[-1] if len(paragraph) else None
                if isinstance(piece, str):
                    if last is None:
                        paragraph.text = (paragraph.text or "") + piece
                    else:
                        last.tail = (last.tail or "") + piece
                    previous = None if piece else previous
                    continue
                if last is not None and previous and not (previous in FORMATTING and piece.tag in FORMATTING):
                    # Two elements side by side, not mere formatting: two pieces of text, as
                    # ``html.text_of`` reads them (``<span>a</span><span>b</span>``).
                    last.tail = " "
                paragraph.append(piece)
                previous = piece.tag if isinstance(piece.tag, str) and _seen(piece).strip() else previous
            element.append(paragraph)
        if block is not None:
            element.append(block)
