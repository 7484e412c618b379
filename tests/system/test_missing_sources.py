"""A site whose feeds and sitemaps all answer 404 (moved, a CDN fault) gave the crawl nothing
to do: not a quiet run that "finished" with exit 0, but errors, an alarm and exit status 1;
once they answer again, the next run fetches every article they list."""

from __future__ import annotations

from collections import Counter

from clippings.collection.runs import read_runs
from tests.helpers.crawl import read_output, run_clippings
from tests.helpers.fixturelib import FIXTURES
from tests.helpers.httpsite import LocalSite
from tests.helpers.le360site import ARTICLES, FEED, INDEX, crawl, publish


def test_a_site_whose_feeds_and_sitemaps_are_all_missing_is_an_alarm_and_exit_1(tmp_path):
    articles = ARTICLES[:4]
    out = tmp_path / "out"
    with LocalSite(FIXTURES) as site:
        for url in (FEED, INDEX):
            site.remove(url)
        first = crawl(site, out)
        assert first.returncode == 1, first.stdout + first.stderr[-3000:]
        assert "Traceback" not in first.stderr
        for url in (FEED, INDEX):
            named = [line for line in first.stderr.splitlines() if url in line]
            assert len(named) == 1 and "HTTP 404" in named[0], first.stderr[-3000:]
        run = read_runs(out)[-1]
        assert run["errors"] == {"http_404": 2} and run["dropped"] == {}
        assert any("pages it was sent to fetch failed" in alarm for alarm in run["alarms"]), run["alarms"]
        status = run_clippings("status", str(out), timeout=60)
        assert status.returncode == 1 and "ALARM" in status.stdout, status.stdout

        publish(site, articles)
        second = crawl(site, out)
        assert second.returncode == 0, second.stderr[-3000:]
    assert Counter(r["url"] for r in read_output(out)) == Counter({f.url: 1 for f in articles})
