"""Quiet when all is well: a routine run prints its summary and nothing else; an item dropped
on purpose is one INFO line (its URL and the reason), never the item."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.helpers.bulk import build_pages, write_warc
from tests.helpers.crawl import read_output, run_clippings
from tests.helpers.fixturelib import FIXTURES, article_fixtures


@pytest.fixture(scope="module")
def bulk_warc(tmp_path_factory):
    warc = tmp_path_factory.mktemp("bulk") / "pages.warc.gz"
    write_warc(build_pages(4000), warc, entry_points=True)
    return warc


def test_a_4000_page_backfill_replay_at_the_default_level_logs_under_10_kB(bulk_warc, tmp_path):
    """The feeds date every page in range, most articles' own dates are not: thousands of
    items dropped (out of range), each once logged at WARNING with the whole article."""
    done = run_clippings(
        "crawl",
        "le360",
        "almaghribtoday",
        "--replay",
        str(bulk_warc),
        "--output",
        str(tmp_path),
        "--since",
        "2026-01-01",
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(done.stderr.encode()) < 10_000, done.stderr[:3000]
    pages = sum(int(m.group(1)) for m in re.finditer(r"^[a-z][a-z0-9_]*\s+(\d+)", done.stdout, re.M))
    assert pages >= 4000, done.stdout
    assert 0 < len(read_output(tmp_path)) < 4000  # the rest were dropped: out of range


def test_a_dropped_item_is_one_info_line_with_its_url_and_reason(tmp_path):
    article = next(f for f in article_fixtures() if f.site == "le360" and f.url == f.expected["url"])
    first = run_clippings("crawl", "le360", "--replay", str(FIXTURES), "--output", str(tmp_path))
    assert first.returncode == 0, first.stderr[-3000:]
    # Named with --url, the article is fetched again, and found unchanged.
    again = run_clippings(
        "crawl",
        "le360",
        "--replay",
        str(FIXTURES),
        "--output",
        str(tmp_path),
        "--url",
        article.url,
        "--loglevel",
        "INFO",
    )
    assert again.returncode == 0, again.stderr[-3000:]
    lines = [line for line in again.stderr.splitlines() if "not written: " in line]
    assert lines == [line for line in lines if "] INFO: not written: " in line]
    assert any(line.endswith(f"not written: {article.url}: unchanged since it was written") for line in lines), (
        again.stderr[-3000:]
    )
    assert "Article(" not in again.stderr and "Dropped:" not in again.stderr


def test_make_run_twice_prints_the_summary_and_nothing_else_and_the_articles_as_skipped(tmp_path):
    """What `make run` runs, on a fresh output folder, then again."""
    articles = Counter(f.site for f in article_fixtures())
    for run in range(2):
        done = run_clippings("crawl", "all", "--replay", "fixtures", "--output", str(tmp_path))
        # The first says the folder held no collection yet (a mistyped --output would not be silent).
        said = [f"WARNING: starting a new collection in {tmp_path}"] if run == 0 else []
        assert done.returncode == 0, done.stderr[-3000:]
        assert [line.partition(" [clippings.cli] ")[2] for line in done.stderr.splitlines()] == said, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["site", "pages", "written", "updated", "skipped", "dropped", "errors"]
    for site, count in articles.items():
        row = next(line.split() for line in lines if line.startswith(f"{site} "))
        assert row[2:5] == ["0", "0", str(count)], lines
        assert f"  skipped: seen {count}" in lines
    assert lines[-1] == f"output: {tmp_path}"
