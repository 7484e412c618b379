"""The article body: site pruning before trafilatura, paragraph rendering and filtering after."""

from __future__ import annotations

import configparser
import logging
from collections.abc import Callable, Iterable
from copy import deepcopy

import lxml.etree
import lxml.html
from trafilatura import bare_extraction
from trafilatura.settings import DEFAULT_CONFIG, Extractor

from clippings.core.site import Site
from clippings.core.tokens import count as count_words
from clippings.extract.cleaning import clean_paragraphs
from clippings.extract.html import fold, new_document, text_of
from clippings.extract.runs import run_paragraphs, run_weights
from clippings.extract.xpaths import compiled, with_class_words

# trafilatura's log lines name no page ("discarding data: None": it is handed a tree, not a
# URL), and a reading it gives up on is read otherwise and judged by the health figures: they
# are kept out of the log whatever its level. Its exceptions reach the page's reader, which
# names the URL.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

# Paragraph-level elements of trafilatura's output tree.
_TEXT_BLOCKS = frozenset({"p", "head", "item", "cell", "code", "quote"})


def _config() -> configparser.ConfigParser:
    """trafilatura's defaults, less the ones that drop two-paragraph briefs."""
    config = configparser.ConfigParser()
    config.read_dict({"DEFAULT": dict(DEFAULT_CONFIG["DEFAULT"])})
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "MIN_DUPLCHECK_SIZE", "1000000")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def _options(fast: bool) -> Extractor:
    return Extractor(
        config=_config(),
        output_format="python",
        fast=fast,
        comments=False,
        tables=True,
        formatting=False,
        links=False,
        images=False,
    )


# The first reading of every page: fast mode (no readability/justext fallbacks: the site's
# pruning does their job), tables kept, comments dropped. The full mode, with its fallbacks,
# reads again a page whose body came out short.
OPTIONS = _options(fast=True)
FULL_OPTIONS = _options(fast=False)
# Marks the elements other fields were read from (title, byline, date line...): they are
# removed from the copy of the page trafilatura reads.
USED = "data-clippings-used"
# Marks the title's element: removed from the copy the first readings use, kept in the copy
# a re-read uses (a reader that lost the page's <h1> may take the site header for the
# article); its text is left out of the body by comparison (``clean_paragraphs``).
TITLE = "data-clippings-title"


def drop(element: lxml.html.HtmlElement) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def prune(root: lxml.html.HtmlElement, site: Site, keep_title: bool = False) -> None:
    """Remove every subtree the site declares as furniture (in place), never one holding
    the page's main block of paragraphs or most of its paragraphs' text (a wrapper whose
    class happens to match: ``<main class="js-social-anchor">``)."""
    doomed = with_class_words(root, site.prune_classes)
    for xpath in (*site.prune_xpaths, f"//*[@{USED}]", *(() if keep_title else (f"//*[@{TITLE}]",))):
        doomed.extend(compiled(xpath)(root))
    if not doomed:
        return
    keep = holders_of_text(root)
    for element in doomed:
        if element is not root and element not in keep and element.getparent() is not None:
            drop(element)


_BLOCKS = frozenset(
    ["p", "div", "ul", "ol", "table", "section", "article", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "figure"]
)
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
    elements alone; None for anything else, and for a line of links (a card, a menu)."""
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
        return text if len(text) >= 40 else None
    text = visible_text(element)
    if len(text) < 40:
        return None
    linked = sum(len(a.text_content()) for a in element.iter("a"))
    return None if linked > len(text) / 2 else text


_HIDDEN = ("script", "style", "noscript", "template")


def visible_text(element: lxml.html.HtmlElement) -> str:
    """The text a reader sees of an element: never a script's, style's, template's or
    noscript's (12 kB of inline script in a ``<span>`` is no paragraph)."""
    if next(element.iter(_HIDDEN), None) is None:
        return element.text_content().strip()
    return text_of(element)


def _block_weights(root: lxml.html.HtmlElement) -> dict[lxml.html.HtmlElement, int]:
    """{element: characters of the paragraphs that are its children}; text runs it holds
    loose between blocks are paragraphs too (``runs``)."""
    weight: dict[lxml.html.HtmlElement, int] = {}
    for element in root.iter("p", "div"):
        text = paragraph_text(element)
        if text:
            parent = element.getparent()
            if parent is not None:
                weight[parent] = weight.get(parent, 0) + len(text)
    for element, chars in run_weights(root):
        weight[element] = weight.get(element, 0) + chars
    return weight


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


def div_paragraphs(root: lxml.html.HtmlElement) -> None:
    """``<div>``s that hold text and no block are paragraphs: written as ``<p>`` for
    trafilatura, whose fast mode drops them otherwise (in place)."""
    for element in list(root.iter("div")):
        if any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in element):
            continue
        if element.text_content().strip():
            element.tag = "p"


def _split_lines(element: lxml.etree._Element) -> list[str]:
    """Text of one output block, cut at <lb/> (legacy pages split paragraphs with <br>)."""
    lines: list[str] = []
    current: list[str] = [element.text or ""]
    for child in element.iterdescendants():
        if child.tag == "lb":
            lines.append("".join(current))
            current = [child.tail or ""]
        else:
            current.append(child.text or "")
            current.append(child.tail or "")
    lines.append("".join(current))
    return [t for t in (fold(line) for line in lines) if t]


def paragraphs(body: lxml.etree._Element) -> list[str]:
    """trafilatura's output tree as paragraphs: each p, heading, list item, quote, table row.

    The innermost block wins: a quote made of <p>s gives those paragraphs, a list item
    holding a sub-list gives its own words and then each sub-item.
    """
    out: list[str] = []
    for element in body.iter():
        tag = element.tag
        if tag == "row" and not _has_block_inside(element):  # a data row: one line
            cells = [fold(c.xpath("string()")) for c in element.iterchildren("cell")]
            if any(cells):
                out.append(" | ".join(cells))
            continue
        if tag not in _TEXT_BLOCKS or any(a.tag == "row" and not _has_block_inside(a) for a in element.iterancestors()):
            continue
        if _has_block_inside(element):
            text = fold(element.text)
            if text:
                out.append(text)
            continue
        out.extend(_split_lines(element))
    return out


def _has_block_inside(element: lxml.etree._Element) -> bool:
    """Whether a block holds other blocks (a row: other than its own cells)."""
    inner = _TEXT_BLOCKS - {"cell"} if element.tag == "row" else _TEXT_BLOCKS
    return any(d.tag in inner or d.tag in ("list", "table", "row") for d in element.iterdescendants())


def unwrap_layout_tables(root: lxml.html.HtmlElement) -> None:
    """Old templates lay pages out with tables; their cells are blocks, not table data."""
    for table in root.xpath("//table[.//p or .//div or .//h1 or .//h2 or .//table or .//ul]"):
        for element in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th"):
            element.tag = "div"
            for attribute in ("colspan", "rowspan", "cellpadding", "cellspacing", "border"):
                element.attrib.pop(attribute, None)


# Where article text is, whatever the site: schema.org's articleBody.
GENERIC_BODY_XPATHS = ("//*[@itemprop='articleBody']",)


def common_ancestor(elements: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    """The innermost element holding all of ``elements``."""
    chain = [elements[0], *elements[0].iterancestors()]
    for element in elements[1:]:
        ancestors = {element, *element.iterancestors()}
        chain = [c for c in chain if c in ancestors]
    return chain[0]


def article_container(
    select: Callable[[str], list], xpaths: Iterable[tuple[str, str]]
) -> tuple[lxml.html.HtmlElement | None, str | None]:
    """(element, source): the element holding the article text, by the first of ``xpaths``
    ((source, xpath) pairs, run by ``select``: a page's ``PageSources.select``) that finds
    any element with text. A rule matching several elements (paragraphs of one class, a body
    split around an ad) gives their innermost common ancestor, so the sub-headings between
    them stay."""
    for source, xpath in xpaths:
        found = [e for e in select(xpath) if isinstance(e, lxml.html.HtmlElement)]
        if not found or not any(e.text_content().strip() for e in found):
            continue
        return (found[0] if len(found) == 1 else common_ancestor(found)), source
    return None, None


def read_tree(site: Site, root: lxml.html.HtmlElement, not_body: Iterable[str], full: bool = False) -> list[str]:
    """The body paragraphs trafilatura finds in ``root`` (a copy, consumed), site-pruned
    before, furniture lines cut after; a re-read (``full``) keeps the title's element."""
    prune(root, site, keep_title=full)
    unwrap_layout_tables(root)
    document = bare_extraction(root, options=FULL_OPTIONS if full else OPTIONS)
    if document is None or document.body is None:
        return []
    return clean_paragraphs(site, paragraphs(document.body), not_body)


def container_copy(container: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A small document holding a copy of the container alone, ``<div>`` paragraphs as ``<p>``."""
    document = new_document()
    article = lxml.etree.SubElement(document.find("body"), "article")
    copied = deepcopy(container)
    copied.tail = None
    if copied.tag in ("html", "body"):
        copied.tag = "div"
    article.append(copied)
    div_paragraphs(document)
    return document
