"""The article body read by trafilatura: site pruning before, paragraph rendering and filtering
after (``read_tree``). Where to read it from is ``clippings.extract.containers``; which
reading stands, ``clippings.extract.reading``."""

from __future__ import annotations

import configparser
import logging
from collections.abc import Iterable

import lxml.etree
import lxml.html
from trafilatura import bare_extraction
from trafilatura.settings import DEFAULT_CONFIG, Extractor

from clippings.core.site import Site
from clippings.extract.cleaning import clean_paragraphs
from clippings.extract.html import clean_text
from clippings.extract.main_block import holders_of_text
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
    return [t for t in (clean_text(line) for line in lines) if t]


def paragraphs(body: lxml.etree._Element) -> list[str]:
    """trafilatura's output tree as paragraphs: each p, heading, list item, quote, table row.

    The innermost block wins: a quote made of <p>s gives those paragraphs, a list item
    holding a sub-list gives its own words and then each sub-item.
    """
    out: list[str] = []
    for element in body.iter():
        tag = element.tag
        if tag == "row" and not _has_block_inside(element):  # a data row: one line
            cells = [clean_text(c.xpath("string()")) for c in element.iterchildren("cell")]
            if any(cells):
                out.append(" | ".join(cells))
            continue
        if tag not in _TEXT_BLOCKS or any(a.tag == "row" and not _has_block_inside(a) for a in element.iterancestors()):
            continue
        if _has_block_inside(element):
            text = clean_text(element.text)
            if text:
                out.append(text)
            continue
        out.extend(_split_lines(element))
    return out


def _has_block_inside(element: lxml.etree._Element) -> bool:
    """Whether a block holds other blocks (a row: other than its own cells)."""
    inner = _TEXT_BLOCKS - {"cell"} if element.tag == "row" else _TEXT_BLOCKS
    return any(d.tag in inner or d.tag in ("list", "table", "row") for d in element.iterdescendants())


_LAYOUT_TABLES = lxml.etree.XPath("//table[.//p or .//div or .//h1 or .//h2 or .//table or .//ul]")


def unwrap_layout_tables(root: lxml.html.HtmlElement) -> None:
    """Old templates lay pages out with tables; their cells are blocks, not table data."""
    if next(root.iter("table"), None) is None:
        return  # no table: no XPath compiled and run over the copy
    for table in _LAYOUT_TABLES(root):
        for element in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th"):
            element.tag = "div"
            for attribute in ("colspan", "rowspan", "cellpadding", "cellspacing", "border"):
                element.attrib.pop(attribute, None)


def read_tree(site: Site, root: lxml.html.HtmlElement, not_body: Iterable[str], full: bool = False) -> list[str]:
    """The body paragraphs trafilatura finds in ``root`` (a copy, consumed), site-pruned
    before, furniture lines cut after; a re-read (``full``) keeps the title's element."""
    prune(root, site, keep_title=full)
    unwrap_layout_tables(root)
    document = bare_extraction(root, options=FULL_OPTIONS if full else OPTIONS)
    if document is None or document.body is None:
        return []
    return clean_paragraphs(site, paragraphs(document.body), not_body)
