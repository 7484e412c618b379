"""The article body: site pruning before trafilatura, paragraph rendering and filtering after."""

from __future__ import annotations

import configparser
from collections.abc import Iterable
from copy import deepcopy
from functools import lru_cache

import lxml.etree
import lxml.html
from trafilatura import bare_extraction
from trafilatura.settings import DEFAULT_CONFIG, Extractor

from clippings.extract.html import fold, marker_key, marker_keys
from clippings.sites.base import Site

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


# One extractor configuration for every page: fast mode (no readability/justext
# fallbacks: the site's pruning does their job), tables kept, comments dropped.
OPTIONS = Extractor(
    config=_config(),
    output_format="python",
    fast=True,
    comments=False,
    tables=True,
    formatting=False,
    links=False,
    images=False,
)


@lru_cache(maxsize=64)
def compiled(xpath: str) -> lxml.etree.XPath:
    return lxml.etree.XPath(xpath)


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


def prune(root: lxml.html.HtmlElement, xpaths: Iterable[str]) -> None:
    """Remove every subtree the site declares as furniture (in place)."""
    for xpath in xpaths:
        for element in compiled(xpath)(root):
            if element is not root and element.getparent() is not None:
                drop(element)


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
        if tag not in _TEXT_BLOCKS or any(
            a.tag == "row" and not _has_block_inside(a) for a in element.iterancestors()
        ):
            continue
        if _has_block_inside(element):
            text = fold(element.text)
            if text:
                out.append(text)
            continue
        out.extend(_split_lines(element))
    return out


def _has_block_inside(element: lxml.etree._Element) -> bool:
    return any(d.tag in _TEXT_BLOCKS or d.tag in ("list", "table", "row") for d in element.iterdescendants())


def unwrap_layout_tables(root: lxml.html.HtmlElement) -> None:
    """Old templates lay pages out with tables; their cells are blocks, not table data."""
    for table in root.xpath("//table[.//p or .//div or .//h1 or .//h2 or .//table or .//ul]"):
        for element in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th"):
            element.tag = "div"
            for attribute in ("colspan", "rowspan", "cellpadding", "cellspacing", "border"):
                element.attrib.pop(attribute, None)


def clean_paragraphs(site: Site, found: list[str], not_body: Iterable[str]) -> list[str]:
    """Cut page furniture that survived trafilatura.

    Stops at the first line that opens a "related" / "most read" block; drops "Lire aussi"
    lines, hashtag rows and lines repeating the title, lead, caption, byline or date.
    """
    stops = marker_keys(site.stop_markers)
    known = {marker_key(t) for t in not_body if t}
    kept: list[str] = []
    for line in found:
        key = marker_key(line)
        if key in stops:
            break
        if key in known or any(p.search(line) for p in site.drop_line_patterns):
            continue
        kept.append(line)
    return kept


# Where article text is, whatever the site: schema.org's articleBody.
GENERIC_BODY_XPATHS = ("//*[@itemprop='articleBody']",)


def article_containers(site: Site, root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The elements holding the article text, by the first of the site's ``body_xpaths`` (then
    the generic ones) that finds any with text; [] when the template is not a known one.

    Several matches (a body split around an ad) are all kept, in document order; one inside
    another counts once.
    """
    for xpath in (*site.body_xpaths, *GENERIC_BODY_XPATHS):
        found = [e for e in compiled(xpath)(root) if isinstance(e, lxml.html.HtmlElement)]
        found = [e for e in found if not any(a in found for a in e.iterancestors())]
        if found and any(e.text_content().strip() for e in found):
            return found
    return []


def _run_trafilatura(site: Site, root: lxml.html.HtmlElement, not_body: list[str]) -> str:
    prune(root, site.prune_xpaths)
    unwrap_layout_tables(root)
    document = bare_extraction(root, options=OPTIONS)
    if document is None:
        return ""
    return "\n\n".join(clean_paragraphs(site, paragraphs(document.body), not_body))


def extract_body(site: Site, root: lxml.html.HtmlElement, not_body: Iterable[str]) -> tuple[str, str]:
    """(body, where it was read): the text, paragraphs separated by one blank line ('' when
    none is found), and "container" or "page".

    When the site's template is known (``Site.body_xpaths``), trafilatura reads a small
    document holding the article's own container alone: a few hundred elements instead of
    the page's thousands, so it costs a fraction, and no menu, card or list around the
    article can reach the body. A container that yields no text, or an unknown template,
    falls back to the whole page, pruned by the site's rules. ``root`` is consumed.
    """
    not_body = list(not_body)
    containers = article_containers(site, root)
    if containers:
        document = lxml.html.document_fromstring("<html><body><article></article></body></html>")
        holder = document.find("body/article")
        for element in containers:
            copied = deepcopy(element)
            copied.tail = None
            holder.append(copied)
        text = _run_trafilatura(site, document, not_body)
        if text:
            return text, "container"
    return _run_trafilatura(site, root, not_body), "page"
