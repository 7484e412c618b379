"""Every site selector earns its place: it matches in some fixture, and breaking it changes
some fixture's output: its fields, or where they came from (``Article.provenance``: a rule
shadowed by a better source in every fixture is never read). A rule nobody can break without a test failing is a rule that
matters; one that can be is dead weight, or a fixture is missing."""

from __future__ import annotations

import dataclasses
from functools import cache

import lxml.html
import pytest

from clippings.extract import NotArticle, extract_article
from clippings.extract.xpaths import compiled
from clippings.sites import SITES
from clippings.sites.base import Site
from tests.fixturelib import article_fixtures

RULE_FAMILIES = (
    "title_xpaths",
    "lead_xpaths",
    "byline_xpaths",
    "date_xpaths",
    "section_xpaths",
    "tag_xpaths",
    "caption_xpaths",
    "image_xpaths",
    "body_xpaths",
)
NEVER = "//*[@data-no-page-has-this]"


def rules() -> list[tuple[str, str, int]]:
    return [
        (name, family, index)
        for name, site in sorted(SITES.items())
        for family in RULE_FAMILIES
        for index in range(len(getattr(site, family)))
    ]


def outputs(site: Site) -> list[object]:
    found: list[object] = []
    for fixture in article_fixtures():
        if fixture.site != site.name:
            continue
        try:
            article = extract_article(site, fixture.url, fixture.body, fixture.headers, fixture.fetched_at)
            found.append((article.to_record(), article.provenance))
        except NotArticle as exc:
            found.append(exc.reason)
    return found


@cache
def baseline(name: str) -> list[object]:
    return outputs(SITES[name])


@pytest.mark.parametrize("name, family, index", rules(), ids=lambda v: str(v))
def test_the_rule_matches_in_some_fixture(name, family, index):
    xpath = getattr(SITES[name], family)[index]
    roots = (lxml.html.document_fromstring(f.body) for f in article_fixtures() if f.site == name)
    assert any(compiled(xpath)(root) for root in roots), f"{name}.{family}[{index + 1}] matches nothing: {xpath}"


@pytest.mark.parametrize("name, family, index", rules(), ids=lambda v: str(v))
def test_breaking_the_rule_changes_some_fixture(name, family, index):
    site = SITES[name]
    broken = list(getattr(site, family))
    broken[index] = NEVER
    changed = outputs(dataclasses.replace(site, **{family: tuple(broken)}))
    assert changed != baseline(name), f"{name}.{family}[{index + 1}] can be broken with no fixture changing"


def test_the_rules_are_checked():
    assert len(rules()) >= 10
