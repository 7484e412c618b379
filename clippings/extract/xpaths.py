"""XPath for site rules, compiled once; class tests by whole words (``class_words``)."""

from __future__ import annotations

from functools import lru_cache

import lxml.etree
import lxml.html

from clippings.sites.base import class_words


@lru_cache(maxsize=256)
def compiled(xpath: str) -> lxml.etree.XPath:
    return lxml.etree.XPath(xpath)


def with_class_words(root: lxml.html.HtmlElement, words: tuple[str, ...]) -> list[lxml.html.HtmlElement]:
    """Elements with a class token holding one of ``words`` as whole words, in document order."""
    if not words:
        return []
    return compiled(f"//*[@class][{class_words(*words)}]")(root)
