"""Politeness that holds for a cluster: three live nodes of one run against a local server
(tests/helpers/httpsite.py) ask the site's origin no faster, and with no more requests in
flight, than one node does: a live crawl holds the site's lease in Redis, the other nodes
wait for it. Rates and gaps come from the server's request log (as in
tests/system/test_politeness_live.py; the feeds both publish: tests/helpers/politeness.py); the
gaps are floors, never a limit on how long a crawl takes."""

from __future__ import annotations

from itertools import pairwise

import pytest

from tests.helpers.cluster import finish, lines_per_article, node, running_redis, writer
from tests.helpers.crawl import run_clippings
from tests.helpers.fixturelib import FIXTURES
from tests.helpers.httpsite import LocalSite
from tests.helpers.politeness import ARTICLES, DELAY, SLACK, publish

HOST = "www.almaghribtoday.net"
OPTIONS = ("-s", f"DOWNLOAD_DELAY={DELAY}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "RETRY_TIMES=2")


@pytest.fixture
def redis_server(tmp_path):
    with running_redis(tmp_path / "redis") as server:
        yield server


def rate(times: list[float]) -> float:
    """Requests a second between the first request and the last."""
    return (len(times) - 1) / (times[-1] - times[0])


def test_three_nodes_are_as_polite_as_one(redis_server, tmp_path):
    articles = ARTICLES[:10]
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        for fixture in articles:
            site.page(fixture.url).delay = 0.7  # slower than the delay: two may be in flight
        alone = run_clippings("crawl", "almaghribtoday", "--output", str(tmp_path / "one"), *site.settings(), *OPTIONS)
        assert alone.returncode == 0, alone.stderr[-3000:]
        one = sorted(hit.at for hit in site.log() if hit.host == HOST)
        one_peak = site.peak[HOST]
        site.clear_log()
        site.peak.clear()
        out = tmp_path / "cluster"
        w = writer(redis_server, out, tmp_path / "writer.log")
        logs = [tmp_path / f"node-{n}.log" for n in range(3)]
        nodes = [node(redis_server, "live", log, "almaghribtoday", *site.settings(), *OPTIONS) for log in logs]
        for process, log in zip(nodes, logs, strict=True):
            finish(process, log)
        finish(w, tmp_path / "writer.log")
        hits = [hit for hit in site.log() if hit.host == HOST]
        three_peak = site.peak[HOST]
    three = sorted(hit.at for hit in hits)
    written, alone_written = set(lines_per_article(out)), set(lines_per_article(tmp_path / "one"))
    assert written == alone_written != set(), (written ^ alone_written, (tmp_path / "writer.log").read_text()[-2000:])
    # Each article page asked once, whichever node held the lease.
    asked = [hit.url for hit in hits if hit.url in {f.url for f in articles}]
    assert sorted(asked) == sorted(f.url for f in articles)
    # Never two requests to the host closer than DOWNLOAD_DELAY, never more than
    # CONCURRENT_REQUESTS_PER_DOMAIN in flight: as with one node.
    shown = [(round(b.at - a.at, 3), b.url, b.status) for a, b in pairwise(sorted(hits, key=lambda hit: hit.at))]
    assert min(b - a for a, b in pairwise(three)) >= DELAY - SLACK, shown
    assert three_peak <= 2 and one_peak <= 2, (three_peak, one_peak)
    # The rate the site sees (measured in this run) is one node's, not three times it.
    assert rate(three) <= 1.3 * rate(one), (rate(three), rate(one))
