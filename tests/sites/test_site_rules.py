"""Every site selector earns its place: it matches in some fixture, and breaking it changes
some fixture's output: its fields, or where they came from (``Article.provenance``: a rule
shadowed by a better source in every fixture is never read). A rule nobody can break without a test failing is a rule that
matters; one that can be is dead weight, or a fixture is missing."""

from __future__ import annotations

import dataclasses
from functools import cache

import lxml.html
import pytest

from clippings.core.page import ReadingContext
from clippings.extract import NotArticle, extract_article
from clippings.extract.xpaths import compiled
from clippings.sites import SITES
from clippings.sites.base import Site
from tests.helpers.fixturelib import article_fixtures

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


DEFAULTS = {field.name: field.default for field in dataclasses.fields(Site)}


def declared(site: Site, family: str) -> tuple[str, ...]:
    """The rules the site declares: a family left at ``Site``'s default (``//h1`` for the
    title) is the default's, not the site's, and not tested as the site's."""
    value = getattr(site, family)
    return () if value is DEFAULTS[family] else value  # the default's own tuple: never written by the site


def rules() -> list[tuple[str, str, int]]:
    return [
        (name, family, index)
        for name, site in sorted(SITES.items())
        for family in RULE_FAMILIES
        for index in range(len(declared(site, family)))
    ]


def with_expected(name: str) -> list:
    """The site's fixtures with expected.json; a site with none is told so, no rule blamed."""
    found = [f for f in article_fixtures() if f.site == name]
    if not found:
        pytest.fail(
            f"{name}: this site has no fixture with expected.json yet (fixtures/{name}/<date>_<name>/expected.json;"
            " clippings fixture save writes a draft): its rules cannot be checked",
            pytrace=False,
        )
    return found


def outputs(site: Site) -> list[object]:
    found: list[object] = []
    for fixture in article_fixtures():
        if fixture.site != site.name:
            continue
        try:
            article = extract_article(fixture.page(), ReadingContext(site))
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
    roots = (lxml.html.document_fromstring(f.body) for f in with_expected(name))
    assert any(compiled(xpath)(root) for root in roots), f"{name}.{family}[{index + 1}] matches nothing: {xpath}"


@pytest.mark.parametrize("name, family, index", rules(), ids=lambda v: str(v))
def test_breaking_the_rule_changes_some_fixture(name, family, index):
    site = SITES[name]
    with_expected(name)
    broken = list(getattr(site, family))
    broken[index] = NEVER
    changed = outputs(dataclasses.replace(site, **{family: tuple(broken)}))
    assert changed != baseline(name), f"{name}.{family}[{index + 1}] can be broken with no fixture changing"


def test_the_rules_are_checked():
    assert len(rules()) >= 10


def test_a_rule_the_site_does_not_declare_is_not_its_rule():
    bare = dataclasses.replace(SITES["le360_en"], name="bare")
    undeclared = {f.name: f.default for f in dataclasses.fields(Site) if f.name == "title_xpaths"}
    bare = dataclasses.replace(bare, **undeclared)
    assert declared(bare, "title_xpaths") == ()  # //h1, the default, is not bare's rule
    assert declared(SITES["le360"], "title_xpaths") == ("//h1",)  # le360 writes it: its own
    assert ("le360", "title_xpaths", 0) in rules()
    assert ("le360_en", "title_xpaths", 0) not in rules()


def test_a_site_without_expected_json_is_told_so():
    with pytest.raises(pytest.fail.Exception) as failed:
        with_expected("gazette")
    assert str(failed.value).startswith("gazette: this site has no fixture with expected.json yet")


def _top_level_branches(pattern: str) -> list[str]:
    """The branches of a pattern's outermost alternation (the whole pattern when it has none)."""
    branches, depth, escaped, in_set, start = [], 0, False, False, 0
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:index])
            start = index + 1
    return [*branches, pattern[start:]]


def test_the_top_level_branches_are_found():
    assert _top_level_branches(r"^\s*©|Tous (?:les|des) droits|[|]x\|y") == [
        r"^\s*©",
        "Tous (?:les|des) droits",
        r"[|]x\|y",
    ]


@pytest.mark.parametrize("name", sorted(SITES))
def test_a_drop_line_pattern_is_one_kind_of_line(name):
    """Every body line is searched with every pattern: one alternating between an anchored
    line and phrases found anywhere is tried at every character of the line (a pattern a kind
    of line, each anchored or opening with its own words, is searched for in C)."""
    mixed = [
        p.pattern
        for p in SITES[name].drop_line_patterns
        if len(branches := _top_level_branches(p.pattern)) > 1 and any(b.startswith("^") for b in branches)
    ]
    assert mixed == []
