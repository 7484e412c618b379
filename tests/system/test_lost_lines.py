"""Lines the state recorded but the output no longer holds (a file cut short: lines that never
reached the disk before a power cut; a file deleted) are fetched again by the next run, which
asks the feeds and sitemaps without the validators saved when those lines were had: a 304
would hide them (clippings/state/store.py, ``reconcile``)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.helpers.crawl import read_output
from tests.helpers.fixturelib import FIXTURES
from tests.helpers.httpsite import LocalSite
from tests.helpers.le360site import ARTICLES, FEED, INDEX, crawl, publish


def cut_after_two_lines(out):
    [path] = out.glob("le360/*.jsonl")
    data = path.read_bytes()
    ends = [n + 1 for n, byte in enumerate(data) if byte == ord("\n")]
    path.write_bytes(data[: ends[1]])
    return "is shorter than recorded; 3 articles will be fetched again"


def delete_file(out):
    [path] = out.glob("le360/*.jsonl")
    path.unlink()
    return "is gone; 5 articles will be fetched again"


@pytest.mark.parametrize("lose", [cut_after_two_lines, delete_file], ids=["file_cut_short", "file_deleted"])
def test_articles_whose_lines_were_lost_are_fetched_again(tmp_path, lose):
    articles = ARTICLES[:5]
    out = tmp_path / "out"
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        first = crawl(site, out)
        assert first.returncode == 0, first.stderr[-3000:]
        assert len(read_output(out)) == 5
        said = lose(out)
        kept = {r["url"] for r in read_output(out)}

        site.clear_log()
        second = crawl(site, out)
        assert second.returncode == 0, second.stderr[-3000:]
        log = site.log()
    assert any(said in line for line in second.stderr.splitlines()), second.stderr[-3000:]
    assert [hit.status for hit in log if hit.url in (FEED, INDEX)] == [200, 200]
    fetched = Counter(hit.url for hit in log if hit.status == 200 and hit.url in {f.url for f in articles})
    assert fetched == Counter({f.url: 1 for f in articles if f.url not in kept})
    assert Counter(r["url"] for r in read_output(out)) == Counter({f.url: 1 for f in articles})
