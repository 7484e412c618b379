"""A rule skipped on a page that lacks what it looks for (``Selector``) is a rule that would
have selected nothing there: on every fixture page and the same page under renamed classes
and ids, every site rule selects what its XPath selects."""

from __future__ import annotations

import re

import lxml.html
import pytest

from clippings.extract.document import decode_html, header_value, parse_html
from clippings.extract.xpaths import Selector, compiled, needs
from clippings.sites import SITES
from clippings.sites.base import class_words, has_class
from tests.helpers.fixturelib import article_fixtures

FAMILIES = ("title", "lead", "byline", "date", "section", "tag", "caption", "image", "body", "prune")


def _renamed(body: bytes) -> bytes:
    """Every class and id value written backwards: a template the rules do not know."""
    return re.sub(rb"""(\s(?:class|id)=)(["'])(.*?)\2""", lambda m: m[1] + m[2] + m[3][::-1] + m[2], body)


@pytest.mark.parametrize("fixture", article_fixtures(), ids=lambda f: f.name)
def test_every_rule_selects_what_its_xpath_selects(fixture):
    site = SITES[fixture.site]
    xpaths = [x for family in FAMILIES for x in getattr(site, f"{family}_xpaths")]
    assert any(needs(x) for x in xpaths)
    skipped = 0
    for body in (fixture.body, _renamed(fixture.body)):
        root = parse_html(decode_html(body, header_value(fixture.headers, "Content-Type")))
        select = Selector(root)
        for xpath in xpaths:
            assert select(xpath) == compiled(xpath)(root), xpath
        skipped += sum(1 for x in xpaths if needs(x) and not _could_match(root, *needs(x)))
    assert skipped  # on the page written backwards at least


def _could_match(root: lxml.html.HtmlElement, attribute: str, words: tuple[str, ...]) -> bool:
    values = "\n".join(root.xpath(f"//@{attribute}"))
    return any(word in values for word in words)


def test_what_a_rule_needs_is_read_from_its_first_step():
    words = class_words("byline", "author")
    assert needs(f"//*[@class][{words}]") == ("class", ("byline", "author"))
    assert needs(f"//*[@class][{words}][starts-with(normalize-space(.),'Par ')]//a[last()]") == (
        "class",
        ("byline", "author"),
    )
    assert needs(f"//div[@class][{has_class('post-body')}]") == ("class", ("post-body",))
    assert needs("//*[@id='news-img']//img/@src") == ("id", ("news-img",))
    assert needs("//*[@property='content:encoded']") == ("property", ("content:encoded",))


@pytest.mark.parametrize(
    "xpath",
    [
        "//h1",  # nothing needed
        "//*[@id='a'] | //h1",  # a union selects from elsewhere
        "//*[@id='a'] or //h1",  # an operator
        "//*[@id='a' or @id='b']",
        "(//*[@id='a'])[1]",
        "//article//*[@id='a']",  # not the first step
        "//*[contains(@class, 'lead')]",  # not written by class_words or has_class
        "//*[@xml:lang='fr']",
        "//*[@id='a'",
    ],
)
def test_a_rule_of_any_other_shape_is_always_run(xpath):
    assert needs(xpath) is None


def test_values_are_read_from_the_tree_entities_decoded():
    root = lxml.html.document_fromstring(
        '<html><body><p class="sub&#104;eadline">a</p><p id="st&#111;ry">b</p></body></html>'
    )
    select = Selector(root)
    assert [e.text for e in select(f"//*[@class][{class_words('subheadline')}]")] == ["a"]
    assert [e.text for e in select("//*[@id='story']")] == ["b"]
    assert select("//*[@id='elsewhere']") == []
