"""Sites drive everything: the spiders, the schema's check and the tests come from the registry."""

from __future__ import annotations

import importlib
import re
from urllib.parse import urlsplit

import pytest
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from clippings.core.normalize import load_schema, schema_errors
from clippings.core.page import ReadingContext
from clippings.extract import extract_article
from clippings.extract.page import ArticlePage
from clippings.sites import SITES, get_site, site_for_url
from clippings.sites.base import Site
from clippings.spiders import spider_class
from tests.helpers.fixturelib import all_fixtures, article_fixtures


def test_every_registered_site_has_a_spider_and_nothing_else_has():
    loader = SpiderLoader.from_settings(get_project_settings())
    assert sorted(loader.list()) == sorted(SITES)
    for name in SITES:
        assert loader.load(name) is spider_class(name)
        assert spider_class(name).site is get_site(name)


def _record(name: str) -> dict:
    fixture = next(f for f in article_fixtures() if f.site == name)
    return extract_article(fixture.page(), ReadingContext(get_site(name))).to_record()


@pytest.mark.parametrize("name", sorted(SITES))
def test_every_registered_site_passes_the_schema(name):
    assert schema_errors(_record(name), sites=SITES) == []


def test_a_site_that_is_not_registered_is_refused():
    record = _record("le360")
    assert schema_errors({**record, "site": "le361"}, sites=SITES) == [
        f"site: 'le361' is not a registered site (known: {', '.join(sorted(SITES))})"
    ]
    assert any(e.startswith("site:") for e in schema_errors({**record, "site": "Le 360"}, sites=SITES))


def test_every_site_has_fixtures_and_a_page_object():
    for name, site in SITES.items():
        assert any(f.site == name for f in article_fixtures()), name
        module, _, _cls = site.page.partition(":")
        # the shared page object, the site's own, or that of a registered site on its platform
        assert module.startswith(("clippings.extract.", *(f"clippings.sites.{other}." for other in SITES))), site.page


def test_no_page_class_is_empty_and_editions_share_their_platforms_page():
    """A page class exists for what it reads differently: one that adds nothing to its base
    is no class (a site reads with its base instead, naming it in ``SITE.page``)."""
    for site in SITES.values():
        module, _, name = site.page.partition(":")
        cls = getattr(importlib.import_module(module), name)
        assert issubclass(cls, ArticlePage), site.page
        if cls is not ArticlePage:
            own = {k for k in vars(cls) if not k.startswith("__")}
            assert own, f"{site.page} adds nothing to {cls.__mro__[1].__name__}"
    assert get_site("le360_ar").page == get_site("le360_en").page == get_site("le360").page
    assert get_site("almaghribtoday_en").page == get_site("almaghribtoday").page


def test_the_schema_names_no_site():
    schema = load_schema()
    assert "enum" not in schema["properties"]["site"]


def _site(name: str, **parts) -> Site:
    return Site(
        name=name,
        hosts=frozenset({"www.example.org"}),
        article_url=re.compile(r"^https://www\.example\.org/(?:en/)?\d+/(?P<id>\d+)"),
        robots_url="https://www.example.org/robots.txt",
        feed_urls=(),
        **parts,
    )


HOST_SITE = _site("example", excluded_paths=("/en/",))
EDITION = _site("example_en", paths=("/en/",))


@pytest.mark.parametrize(
    ("url", "main", "edition"),
    [
        ("https://www.example.org/", True, False),
        ("https://www.example.org/1187/151638-x", True, False),
        ("https://www.example.org/english", True, False),  # a prefix is a path's whole segments
        ("https://www.example.org/en", False, True),
        ("https://www.example.org/en/", False, True),
        ("https://www.example.org/en/1187/5123-x", False, True),
        ("https://www.example.org/robots.txt", True, True),  # the host's, so every site's on it
        ("https://www.example.org/en/robots.txt", False, True),
        ("https://other.example.org/en/1/2", False, False),
    ],
)
def test_two_sites_on_one_host_own_it_by_path(url, main, edition):
    assert (HOST_SITE.owns(url), EDITION.owns(url)) == (main, edition)


def test_a_url_goes_to_the_site_owning_its_path(monkeypatch):
    # Registered in either order, each URL finds its site; the host's robots.txt the host's site.
    for order in ((HOST_SITE, EDITION), (EDITION, HOST_SITE)):
        for site in SITES.copy():
            monkeypatch.delitem(SITES, site)
        for site in order:
            monkeypatch.setitem(SITES, site.name, site)
        assert site_for_url("https://www.example.org/en/1/2-x") is EDITION
        assert site_for_url("https://www.example.org/1/2-x") is HOST_SITE
        assert site_for_url("https://www.example.org/robots.txt") is HOST_SITE
        assert site_for_url("https://elsewhere.example/1/2") is None


def test_every_fixture_url_belongs_to_its_own_site():
    """Sites sharing a host keep their URLs apart both ways: a fixture page belongs to the site
    whose folder holds it, and to no other site (a host's robots.txt excepted: it is all of its
    sites')."""
    for fixture in all_fixtures():
        owners = sorted(name for name, site in SITES.items() if site.owns(fixture.url))
        if urlsplit(fixture.url).path == "/robots.txt":
            assert fixture.site in owners, fixture.name
        else:
            assert owners == [fixture.site], fixture.name
        assert site_for_url(fixture.url).name == fixture.site, fixture.name
