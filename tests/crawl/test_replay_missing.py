"""A page a replay's archive lacks (never recorded, or a record skipped as unreadable) is no
answer of the site's: the replay's 404 for it is counted, but the state does not remember the
article as gone, so the next run (another archive, or the live site) fetches it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from bench.throughput import build_pages
from clippings.replay import SavedResponse, WarcRecorder
from clippings.sites import get_site
from tests.helpers.crawl import FAST, read_output, run_clippings, summary_rows

WHEN = datetime(2026, 4, 8, 16, 0, tzinfo=UTC)


def _archive(path, listed, pages):
    """A WARC of le360's feed listing ``listed`` and the records of ``pages``."""
    items = "".join(
        f"<item><title>x</title><link>{saved.url}</link>"
        f"<pubDate>{format_datetime(WHEN - timedelta(minutes=n), usegmt=True)}</pubDate></item>"
        for n, saved in enumerate(listed)
    )
    feed = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
    with WarcRecorder(path) as recorder:
        headers = [("Content-Type", "application/rss+xml; charset=utf-8")]
        recorder.write(SavedResponse(get_site("le360").feed_urls[0], 200, headers, feed.encode(), WHEN))
        for saved in pages:
            recorder.write(saved)
    return path


def test_an_article_the_archive_lacks_is_fetched_by_the_next_run(tmp_path):
    pages = [saved for _, saved in build_pages(3, sites=["le360"])]
    out = tmp_path / "out"
    first = _archive(tmp_path / "first.warc.gz", pages, pages[:2])  # the third one's record lost
    done = run_clippings("crawl", "le360", "--replay", str(first), "--output", str(out), *FAST)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"replay: no saved response for {pages[2].url} (answering 404)" in done.stderr
    assert summary_rows(done.stdout)["le360"]["written"] == 2
    whole = _archive(tmp_path / "whole.warc.gz", pages, pages)
    again = run_clippings("crawl", "le360", "--replay", str(whole), "--output", str(out), *FAST)
    assert again.returncode == 0, again.stderr[-3000:]
    # It was remembered as gone (the site's 404) and not fetched again for 7 days.
    assert summary_rows(again.stdout)["le360"]["written"] == 1, again.stdout
    assert len({r["article_id"] for r in read_output(out)}) == 3
