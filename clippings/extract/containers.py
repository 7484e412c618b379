"""The article container: the element of a page that holds the article's text.

A site's rules or schema.org's ``articleBody`` find it (``article_container``), and it is read
alone (``container_copy``). A page no rule reads is read from its article block, and that
element, when an id or class finds it alone, is named for the page's template
(``template_key``, ``container_hint``) to be learned; a container learned so is checked
against the body read without it (``check_learned``), never read instead of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from copy import deepcopy

import lxml.etree
import lxml.html

from clippings.core.page import Learned
from clippings.extract.block import block_copy
from clippings.extract.body import div_paragraphs, read_tree
from clippings.extract.document import new_document
from clippings.extract.sources import PageParts
from clippings.extract.xpaths import has_class

_STABLE_TOKEN = re.compile(r"^[A-Za-z][A-Za-z_-]{2,40}$")
_DIGITS = re.compile(r"[0-9]+")

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
    ((source, xpath) pairs, run by ``select``: a page's ``PageParts.select``) that finds
    any element with text. A rule matching several elements (paragraphs of one class, a body
    split around an ad) gives their innermost common ancestor, so the sub-headings between
    them stay."""
    for source, xpath in xpaths:
        found = [e for e in select(xpath) if isinstance(e, lxml.html.HtmlElement)]
        if not found or not any(e.text_content().strip() for e in found):
            continue
        return (found[0] if len(found) == 1 else common_ancestor(found)), source
    return None, None


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


def _layout_names(value: str) -> set[str]:
    """Class or id tokens with their numbers as ``#`` (``postid-123`` is ``postid-#``)."""
    names = (_DIGITS.sub("#", t) for t in value.split())
    return {n for n in names if _STABLE_TOKEN.match(n.replace("#", ""))}


def template_key(root: lxml.html.HtmlElement) -> str:
    """The page's template, as its layout names it: the ``<body>`` classes and the ids and
    classes of the body's children, numbers folded (they change page to page)."""
    body = root.find("body")
    if body is None:
        return "-"
    names = _layout_names(body.get("class") or "")
    for child in body:
        if isinstance(child.tag, str):
            names |= _layout_names(child.get("id") or "") | _layout_names(child.get("class") or "")
    return " ".join(sorted(names))[:200] or "-"


def check_learned(
    page: PageParts, source: str | None, body: str, learned: Learned, not_body: Iterable[str]
) -> tuple[tuple[str, str], bool, bool] | None:
    """(container, agreed, by_identity): a learned container found on the page, set against
    the body read without it (``body``, from ``source``); it stands for the page only when its
    reading equals that body to the character. The element the body was read from (the
    page's article block) gives that body by construction: the same subtree read by the same
    code; a learned container that selects it is taken first (``by_identity``), whichever of
    the template's containers it is. Else the first found is read, and compared. None when
    no learned container of the template is on the page."""
    found = []
    for which in learned:
        container, _ = article_container(page.select, [("learned", which[1])])
        if container is None:
            continue
        if source == "page" and container is page.article_block:
            return which, True, True
        found.append((which, container))
    if not found:
        return None
    which, container = found[0]
    return which, "\n\n".join(read_tree(page.site, block_copy(container), not_body)) == body, False


def container_hint(page: PageParts, template: str) -> tuple[str, str] | None:
    """(template, xpath) of the page's article block, the body's element, when an id or
    class names it and that XPath finds that very element on the page (a later page of
    the template is then found by it)."""
    block = page.article_block
    xpath = _named(block) if block is not None else None
    if xpath is None:
        return None
    found, _ = article_container(page.select, [("learned", xpath)])
    return (template, xpath) if found is block else None


def _named(element: lxml.html.HtmlElement) -> str | None:
    ident = element.get("id") or ""
    if _STABLE_TOKEN.match(ident):
        return f"//*[@id='{ident}']"
    tokens = [t for t in (element.get("class") or "").split() if _STABLE_TOKEN.match(t)]
    if tokens:
        tests = "".join(f"[{has_class(t)}]" for t in tokens[:3])
        return f"//{element.tag}[@class]{tests}"
    return None
