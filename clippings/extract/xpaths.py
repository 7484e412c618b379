"""XPath for site rules, compiled once; class tests by whole words (``class_words``); rules
not run on a page that lacks what they look for (``Selector``)."""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.etree
import lxml.html


def has_class(name: str) -> str:
    """XPath test for one class token: ``has_class('lead')`` is true of class="x lead",
    not of class="leader" (which ``contains(@class, 'lead')`` would also match)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def class_words(*words: str) -> str:
    """XPath test for class words: ``class_words('most-read')`` is true of an element with a
    class token holding the words "most read" whole (``most-read``, ``c-most-read__list``),
    never of one where they are part of a word: ``class_words('lead')`` is false of
    ``leaderboard``. Tokens split into words at ``-`` and ``_``. Plain XPath 1.0: a substring
    test first (cheap, false for almost every element), then the class with its spaces and
    underscores as ``-``, between two ``-``, searched for ``-word-``."""
    folded = "concat('-', translate(normalize-space(@class), ' _', '--'), '-')"
    tests = []
    for word in words:
        dashed = word.replace("_", "-")
        tests.append(f"(contains(@class, '{word}') and contains({folded}, '-{dashed}-'))")
    return "(" + " or ".join(tests) + ")"


@lru_cache(maxsize=256)
def compiled(xpath: str) -> lxml.etree.XPath:
    return lxml.etree.XPath(xpath)


def with_class_words(root: lxml.html.HtmlElement, words: tuple[str, ...]) -> list[lxml.html.HtmlElement]:
    """Elements with a class token holding one of ``words`` as whole words, in document order.

    The test of each word starts with ``contains(@class, word)``: on a page where no class
    attribute holds any of the words (most pages of a template the site module does not
    know), nothing can match, and the classes read once cost less than the test run on every
    element."""
    if not words:
        return []
    classes = "\n".join(_values_of("class")(root))
    present = tuple(word for word in words if word in classes)
    if not present:
        return []
    return compiled(f"//*[@class][{class_words(*present)}]")(root)


class Selector:
    """The site's rules run over one page. A rule that can only select elements whose
    attribute holds one of some words (``needs``) is not run on a page where no element's
    attribute holds any: most rules find nothing on a template the site module does not know,
    and an XPath over the whole page costs more than reading its classes and ids once.

    The attribute values are read when a rule first needs them: the page's tree must not
    change in those attributes while it is read (the extractors change copies of it).
    """

    def __init__(self, root: lxml.html.HtmlElement) -> None:
        self.root = root
        self._values: dict[str, str] = {}

    def __call__(self, xpath: str) -> list:
        need = needs(xpath)
        if need is not None:
            attribute, words = need
            values = self._values.get(attribute)
            if values is None:
                values = self._values[attribute] = "\n".join(_values_of(attribute)(self.root))
            if not any(word in values for word in words):
                return []
        return compiled(xpath)(self.root)


@lru_cache(maxsize=8)
def _values_of(attribute: str) -> lxml.etree.XPath:
    return lxml.etree.XPath(f"//@{attribute}", smart_strings=False)


@lru_cache(maxsize=512)
def needs(xpath: str) -> tuple[str, tuple[str, ...]] | None:
    """(attribute, words) when everything ``xpath`` selects is found from elements whose
    ``attribute`` holds one of ``words`` (as a substring), else None.

    Read from the rule's first step, ``//name[...]`` (or ``//*``): one of its predicates is
    ``[@attribute='value']``, ``[class_words(...)]`` or ``[has_class(...)]`` as
    ``class_words`` and ``has_class`` above write them, and what follows the step is more steps and
    predicates only (no union, no operator: nothing selects from elsewhere).
    """
    step = _FIRST_STEP.match(xpath)
    if step is None:
        return None
    predicates, rest = _predicates(xpath, step.end())
    if predicates is None:
        return None
    while rest:
        following = _STEP.match(xpath, rest)
        if following is None:
            return None
        more, rest = _predicates(xpath, following.end())
        if more is None:
            return None
    for predicate in predicates:
        found = _attribute_test(predicate)
        if found is not None:
            return found
    return None


_FIRST_STEP = re.compile(r"//(?:\*|[A-Za-z][\w-]*)(?=\[)")
_STEP = re.compile(r"/{1,2}(?:@?[\w*.-]+(?:::[\w*-]+)?(?:\(\))?)")
_EQUALS = re.compile(r"@([A-Za-z][\w-]*)='([^']+)'")
_CLASS_WORD = re.compile(r"\(contains\(@class, '([^']+)'\) and ")
_HAS_CLASS = re.compile(r"contains\(concat\(' ', normalize-space\(@class\), ' '\), ' ([^'\s]+) '\)")


def _predicates(xpath: str, start: int) -> tuple[list[str] | None, int]:
    """The predicates (``[...]``, inner text) from ``start`` on, and where they end (0 when
    that is the end of ``xpath``); None when a bracket or quote is left open."""
    found: list[str] = []
    position = start
    while position < len(xpath) and xpath[position] == "[":
        depth, quote, index = 0, "", position
        while index < len(xpath):
            char = xpath[index]
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
                if depth == 0:
                    break
            index += 1
        if index >= len(xpath):
            return None, 0
        found.append(xpath[position + 1 : index])
        position = index + 1
    return found, (position if position < len(xpath) else 0)


def _attribute_test(predicate: str) -> tuple[str, tuple[str, ...]] | None:
    equals = _EQUALS.fullmatch(predicate)
    if equals:
        return equals.group(1), (equals.group(2),)
    words = tuple(_CLASS_WORD.findall(predicate))
    if words and predicate == class_words(*words):
        return "class", words
    single = _HAS_CLASS.fullmatch(predicate)
    if single and predicate == has_class(single.group(1)):
        return "class", (single.group(1),)
    return None
