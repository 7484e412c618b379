"""What one page offers to read fields from, each read once: the tree, its JSON-LD article,
its metas, the embedded Arc story, its visible lines; and ``Pick``, a value with its source.

Sources, in the order of trust the page objects use: ``ans`` (the platform's own story),
``jsonld``, ``meta``, ``rule:<site>.<field>[<n>]`` (a site selector, numbered from 1),
``lines`` (what the visible lines show: bylines, breadcrumbs, date lines), ``title`` (the
document's ``<title>``), ``url``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import lxml.html

from clippings.core.site import Site
from clippings.extract import ans
from clippings.extract.block import article_block
from clippings.extract.html import clean_text, leaf_elements, text_of
from clippings.extract.main_block import Paragraphs
from clippings.extract.metadata import jsonld_article, metas
from clippings.extract.xpaths import Selector


@dataclass(frozen=True)
class Pick:
    """A field's value and where it came from; ``texts`` and ``elements`` are what the page
    showed of it, kept out of the body."""

    value: Any
    source: str | None = None
    texts: tuple[str, ...] = ()
    elements: tuple[lxml.html.HtmlElement, ...] = field(default=(), compare=False)


NOTHING = Pick(None)


def first(*picks: Pick | Callable[[], Pick] | None) -> Pick:
    """The first pick with a value (an empty list or string counts as none). A callable is a
    source read only when every one before it gave nothing."""
    for pick in picks:
        if callable(pick):
            pick = pick()
        if pick is not None and pick.value:
            return pick
    return NOTHING


class PageParts:
    """One parsed page and the sources read from it, each read when first asked for."""

    def __init__(self, site: Site, url: str, root: lxml.html.HtmlElement) -> None:
        self.site = site
        self.url = url
        self.root = root

    @cached_property
    def select(self) -> Selector:
        """The site's rules run over this page (``select(xpath)``), skipped where they cannot match."""
        return Selector(self.root)

    @cached_property
    def ld(self) -> dict[str, Any]:
        return jsonld_article(self.root)

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        return metas(self.root)

    @cached_property
    def story_found(self) -> ans.Story:
        return ans.find_story(self.root)

    @cached_property
    def story(self) -> dict[str, Any]:
        """The embedded ANS story, {} when the page has none (or one of another shape)."""
        return self.story_found.data

    @cached_property
    def title_text(self) -> str:
        """The document's ``<title>``, its whitespace folded ("" when it has none)."""
        return clean_text(self.root.findtext(".//title"))

    @cached_property
    def times(self) -> list[lxml.html.HtmlElement]:
        """The page's ``<time>`` elements, in document order."""
        return list(self.root.iterdescendants("time"))

    @cached_property
    def leaves(self) -> list[lxml.html.HtmlElement]:
        return leaf_elements(self.root)

    @cached_property
    def _texts(self) -> list[str | None]:
        return [None] * len(self.leaves)

    def lines(self, start: int = 0) -> Iterator[tuple[lxml.html.HtmlElement, str]]:
        """Visible lines with text, in document order, from leaf ``start``; each text is read
        when first needed (most fields look at the few lines after the title)."""
        texts = self._texts
        for index in range(start, len(self.leaves)):
            text = texts[index]
            if text is None:
                text = texts[index] = text_of(self.leaves[index])
            if text:
                yield self.leaves[index], text

    def index_of(self, element: lxml.html.HtmlElement | None) -> int:
        """The first leaf inside ``element`` (0 when there is none)."""
        if element is None:
            return 0
        inside = set(element.iter())
        return next((i for i, e in enumerate(self.leaves) if e in inside), 0)

    def rule(self, name: str, *, texts: bool = False, limit: int | None = None) -> Pick:
        """The first of the site's ``<name>_xpaths`` that yields text: a Pick of that text (of
        every match's text with ``texts``), its source ``rule:<site>.<name>[<n>]``."""
        for number, xpath in enumerate(getattr(self.site, f"{name}_xpaths"), start=1):
            found = self.select(xpath)
            if texts:
                values = [clean_text(e.text_content()) for e in found if isinstance(e, lxml.html.HtmlElement)]
                values = [v.lstrip("#").strip() for v in values if v.strip("# ")]
                if values:
                    return Pick(values, self._rule_source(name, number))
                continue
            for element in found:
                if isinstance(element, lxml.html.HtmlElement):
                    text = text_of(element)
                    if text and (limit is None or len(text) <= limit):
                        return Pick(text, self._rule_source(name, number), (text,), (element,))
                else:  # an attribute or a string
                    text = clean_text(str(element))
                    if text:
                        return Pick(text, self._rule_source(name, number))
        return NOTHING

    def _rule_source(self, name: str, number: int) -> str:
        return f"rule:{self.site.name}.{name}[{number}]"

    @cached_property
    def paragraphs(self) -> Paragraphs:
        """The page's paragraphs by the element holding them, measured once."""
        return Paragraphs(self.root)

    @cached_property
    def block_weights(self) -> dict[lxml.html.HtmlElement, int]:
        """{element: characters of the paragraphs that are its children}."""
        return self.paragraphs.weights()

    @cached_property
    def main_block(self) -> lxml.html.HtmlElement | None:
        """The element whose paragraphs hold the most text (see ``main_block.main_block``)."""
        weight = self.block_weights
        return max(weight, key=weight.__getitem__) if weight else None

    @cached_property
    def article_block(self) -> lxml.html.HtmlElement | None:
        """The element a body no known container holds is read from (``block.article_block``)."""
        return article_block(self.block_weights)

    @cached_property
    def main_words(self) -> int:
        """Words in the main block's paragraphs: what a body read from the page should near."""
        return self.paragraphs.words(self.main_block)
