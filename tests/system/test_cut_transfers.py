"""Cut transfers (and a part of a page answered 206 to a request for the whole) are download
errors: retried, named and counted if they still fail, and never hidden by a 304 on the next
run (clippings/crawl/transfer.py, clippings/crawl/failures.py)."""

from __future__ import annotations

import gzip
import zlib
from collections import Counter

import brotli
import pytest

from clippings.collection.runs import read_runs
from clippings.crawl.transfer import cut_reason
from clippings.replay import WarcStore
from tests.helpers.crawl import read_output, summary_rows
from tests.helpers.fixturelib import FIXTURES
from tests.helpers.httpsite import Answer, LocalSite, sitemap, zstd
from tests.helpers.le360site import ARTICLES, FEED, SITEMAP, crawl, publish, published

XML = {"Content-Type": "application/xml; charset=utf-8"}
BODY = b"<html><body>" + b"<p>Un paragraphe de texte.</p>" * 400 + b"</body></html>"


# --- the byte-level rule ------------------------------------------------------------------------
def test_a_whole_gzip_body_is_not_cut_and_a_cut_one_is():
    whole = gzip.compress(BODY)
    assert cut_reason({b"content-encoding": b"gzip"}, whole) is None
    # Two members, as some servers send: whole too; the second one cut is not.
    assert cut_reason({b"content-encoding": b"gzip"}, whole + whole) is None
    for cut in (whole[: len(whole) // 2], whole[:-4], whole + whole[:20]):
        assert "gzip stream not ended" in cut_reason({b"content-encoding": b"gzip"}, cut)


def test_deflate_brotli_and_zstd_streams_cut_short_are_cut():
    encoded = ((b"deflate", zlib.compress(BODY)), (b"br", brotli.compress(BODY)), (b"zstd", zstd.compress(BODY)))
    for encoding, whole in encoded:
        assert cut_reason({b"content-encoding": encoding}, whole) is None
        assert cut_reason({b"content-encoding": encoding}, whole[: len(whole) // 2]) is not None
    # zstd in several frames, as gzip in several members: whole, or its last frame cut.
    frame = zstd.compress(BODY)
    assert cut_reason({b"content-encoding": b"zstd"}, frame + frame) is None
    assert "zstd stream not ended" in cut_reason({b"content-encoding": b"zstd"}, frame + frame[:20])
    raw = zlib.compressobj(wbits=-15)
    raw_deflate = raw.compress(BODY) + raw.flush()
    assert cut_reason({b"content-encoding": b"deflate"}, raw_deflate) is None
    assert cut_reason({b"content-encoding": b"deflate"}, raw_deflate[: len(raw_deflate) // 2]) is not None


def test_content_length_not_met_and_dataloss_are_cut():
    assert cut_reason({b"content-length": b"1000"}, b"x" * 1000) is None
    assert cut_reason({b"content-length": b"1000"}, b"x" * 400) == "400 of 1000 bytes received (Content-Length not met)"
    assert cut_reason({}, b"x", flags=["dataloss"]) is not None


def test_a_page_without_its_closing_tags_is_not_cut():
    page = b"<html><body><p>Texte complet</p><footer>pied</footer>"
    assert cut_reason({b"content-length": str(len(page)).encode()}, page) is None
    assert cut_reason({b"content-encoding": b"gzip"}, gzip.compress(page)) is None
    # A body that is not the declared encoding at all is for Scrapy's decoder to refuse.
    assert cut_reason({b"content-encoding": b"gzip"}, b"plain text") is None


# --- a live crawl ---------------------------------------------------------------------------------
def last_run(out, site="le360"):
    return [run for run in read_runs(out) if run["site"] == site][-1]


@pytest.mark.parametrize("mode", ["gzip", "zstd", "length"])
def test_a_cut_article_is_retried_counted_as_an_error_and_fetched_by_the_next_run(tmp_path, mode):
    articles = ARTICLES[:5]
    flaky, victim = articles[1], articles[3]
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        site.page(flaky.url).first = [Answer(cut=mode)]  # cut once: the retry has it
        whole = site.page(flaky.url).body
        site.page(victim.url).first = [Answer(cut=mode), Answer(cut=mode)]  # cut on both tries
        warc = tmp_path / "run.warc.gz"
        done = crawl(site, tmp_path / "out", "-s", "RETRY_TIMES=1", "--record", str(warc))
        hits = Counter(hit.url for hit in site.log())
        assert done.returncode in (0, 1), done.stderr[-3000:]
        assert "Traceback" not in done.stderr
        assert hits[flaky.url] == 2 and hits[victim.url] == 2, "a cut transfer is retried"
        out = tmp_path / "out"
        written = {r["url"] for r in read_output(out)}
        assert written == {f.url for f in articles} - {victim.url}, "a cut page is never written"
        # Named in one line (URL and reason), counted under errors in the summary...
        named = [line for line in done.stderr.splitlines() if victim.url in line]
        assert len(named) == 1 and "cut transfer" in named[0], done.stderr[-3000:]
        assert summary_rows(done.stdout)["le360"]["errors"] == 1
        assert "errors: cut 1" in done.stdout
        # ...and in the run history, with the URL as its example.
        run = last_run(out)
        assert run["errors"] == {"cut": 1}
        assert run["examples"]["errors/cut"] == [victim.url]
        assert "http_200" not in run["dropped"] and "not_html" not in run["dropped"]

        logs = []
        for _ in range(2):
            site.clear_log()
            done = crawl(site, out, "-s", "RETRY_TIMES=1")
            assert done.returncode == 0, done.stderr[-3000:]
            logs.append(site.log())
    second, third = logs
    feed = [hit for hit in second if hit.url == FEED]
    assert [hit.status for hit in feed] == [200], "the feed is not answered 304 and forgotten"
    assert Counter(hit.url for hit in second if hit.url in {f.url for f in articles}) == Counter({victim.url: 1})
    records = read_output(out)
    assert Counter(r["url"] for r in records) == Counter({f.url: 1 for f in articles})
    assert last_run(out)["errors"] == {}
    # --record saved no cut response: the flaky page whole, the victim not at all.
    store = WarcStore(warc)
    assert victim.url not in set(store.urls())
    assert store.get(flaky.url).body == whole
    # Every listed article had, the validators are saved: the third run is told 304.
    assert [hit.status for hit in third if hit.url == FEED] == [304]


@pytest.mark.parametrize(("mode", "what"), [("chunked", "article"), ("reset", "feed")])
def test_a_chunked_stream_cut_or_a_connection_reset_mid_body_is_an_error_the_next_run_makes_good(tmp_path, mode, what):
    articles = ARTICLES[:5]
    victim = articles[2]
    url = victim.url if what == "article" else FEED
    out = tmp_path / "out"
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        if what == "feed":  # the feed alone lists the victim
            site.add(SITEMAP, sitemap([(f.url, published(f)) for f in articles if f is not victim]), headers=XML)
        site.page(url).first = [Answer(cut=mode), Answer(cut=mode)]  # cut on both tries
        cut_twice_then_had(site, out, articles, victim, url, "cut transfer")


def cut_twice_then_had(site: LocalSite, out, articles, victim, url: str, said: str) -> None:
    """A first run whose two tries at ``url`` came cut: one line naming it (holding ``said``),
    an error, ``victim`` not written. The next run, the feed not answered 304, has every
    article once."""
    first = crawl(site, out, "-s", "RETRY_TIMES=1")
    assert "Traceback" not in first.stderr, first.stderr[-3000:]
    named = [line for line in first.stderr.splitlines() if url in line]
    assert len(named) == 1 and said in named[0], first.stderr[-3000:]
    assert last_run(out)["errors"] == {"cut": 1}
    assert victim.url not in {r["url"] for r in read_output(out)}
    site.clear_log()
    second = crawl(site, out, "-s", "RETRY_TIMES=1")
    assert second.returncode == 0, second.stderr[-3000:]
    log = site.log()
    assert [hit.status for hit in log if hit.url == FEED] == [200], "the feed is not answered 304"
    assert Counter(r["url"] for r in read_output(out)) == Counter({f.url: 1 for f in articles})


def test_a_part_of_a_page_answered_206_to_a_whole_page_request_is_a_cut_transfer(tmp_path):
    articles = ARTICLES[:5]
    victim = articles[2]
    out = tmp_path / "out"
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        body = site.page(victim.url).body
        half = body[: len(body) // 2]
        part = {"Content-Type": "text/html; charset=utf-8", "Content-Range": f"bytes 0-{len(half) - 1}/{len(body)}"}
        site.page(victim.url).first = [Answer(206, part, half), Answer(206, part, half)]  # on both tries
        cut_twice_then_had(site, out, articles, victim, victim.url, "cut transfer: 206 Partial Content")
