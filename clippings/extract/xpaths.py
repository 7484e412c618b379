"""XPath for site rules: compiled once, with a class-word test (``cw:words``) that matches
class tokens by whole words, never by substring."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import lxml.etree
import lxml.html

CLASS_NS = "urn:clippings:class-words"


@lru_cache(maxsize=256)
def compiled(xpath: str) -> lxml.etree.XPath:
    """An XPath compiled once; ``cw:words(@class, 'a b')`` is the class-word test of
    ``clippings.sites.base.class_words``."""
    return lxml.etree.XPath(xpath, namespaces={"cw": CLASS_NS})


@lru_cache(maxsize=256)
def _wanted(words: str) -> tuple[str, ...]:
    return tuple(f"-{w.lower()}-" for w in words.split())


def _xpath_words(_context: object, values: list[str], words: str) -> bool:
    wanted = _wanted(words)
    return any(w in t for value in values for t in class_words(value) for w in wanted)


lxml.etree.FunctionNamespace(CLASS_NS)["words"] = _xpath_words


def class_words(value: str) -> Iterator[str]:
    """Each class token of a class attribute as ``-word-word-``: its words (split at ``-``
    and ``_``), so a rule ``most-read`` matches ``c-most-read__list``, never ``leaderboard``
    for ``lead``."""
    for token in value.split():
        yield "-" + _WORD_BREAKS.sub("-", token.lower()).strip("-") + "-"


_WORD_BREAKS = re.compile(r"[-_]+")


def with_class_words(root: lxml.html.HtmlElement, words: tuple[str, ...]) -> list[lxml.html.HtmlElement]:
    """Elements with a class token holding one of ``words`` as whole words, in document order."""
    if not words:
        return []
    wanted = _wanted(" ".join(words))
    found = []
    for element in root.iter():
        value = element.get("class") if isinstance(element.tag, str) else None
        if value and any(w in t for t in class_words(value) for w in wanted):
            found.append(element)
    return found
