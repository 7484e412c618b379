"""Sites drive everything: the spiders, the schema's check and the tests come from the registry."""

from __future__ import annotations


import pytest
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from clippings.extract import extract_article
from clippings.normalize import load_schema, schema_errors
from clippings.sites import SITES, get_site
from clippings.spiders import spider_class
from tests.fixturelib import article_fixtures


def test_every_registered_site_has_a_spider_and_nothing_else_has():
    loader = SpiderLoader.from_settings(get_project_settings())
    assert sorted(loader.list()) == sorted(SITES)
    for name in SITES:
        assert loader.load(name) is spider_class(name)
        assert spider_class(name).site is get_site(name)


def _record(name: str) -> dict:
    fixture = next(f for f in article_fixtures() if f.site == name)
    return extract_article(get_site(name), fixture.url, fixture.body, fixture.headers, fixture.fetched_at).to_record()


@pytest.mark.parametrize("name", sorted(SITES))
def test_every_registered_site_passes_the_schema(name):
    assert schema_errors(_record(name)) == []


def test_a_site_that_is_not_registered_is_refused():
    record = _record("le360")
    assert schema_errors({**record, "site": "le361"}) == [
        f"site: 'le361' is not a registered site (known: {', '.join(sorted(SITES))})"
    ]
    assert any(e.startswith("site:") for e in schema_errors({**record, "site": "Le 360"}))


def test_every_site_has_fixtures_and_a_page_object():
    for name, site in SITES.items():
        assert any(f.site == name for f in article_fixtures()), name
        module, _, cls = site.page.partition(":")
        assert module.startswith(("clippings.extract.", f"clippings.sites.{name}.")), site.page


def test_the_schema_names_no_site():
    schema = load_schema()
    assert "enum" not in schema["properties"]["site"]
