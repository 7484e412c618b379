"""Sites kept apart: replaying one site's fixtures through every spider writes that site's
articles and no other's, whichever sites share its platform (le360's editions) or its host
(almaghribtoday and its English edition under /en/)."""

from __future__ import annotations

import shutil

import pytest

from clippings.sites import SITES
from tests.helpers.crawl import read_output, run_clippings
from tests.helpers.fixturelib import FIXTURES, article_fixtures

ARTICLES = article_fixtures()


@pytest.mark.parametrize("name", sorted(SITES))
def test_replaying_one_sites_fixtures_writes_only_its_articles(name, tmp_path):
    only = tmp_path / "fixtures"
    shutil.copytree(FIXTURES / name, only / name)
    out = tmp_path / "out"
    done = run_clippings("crawl", "all", "--replay", str(only), "--output", str(out))
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    written = read_output(out)
    assert {r["site"] for r in written} == {name}
    assert sorted(r["url"] for r in written) == sorted({f.expected["url"] for f in ARTICLES if f.site == name})
