"""The whole crawl, offline: fixtures (and the same as a WARC) through the real spiders and pipelines."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from clippings.core.normalize import schema_errors
from clippings.replay import copy_store, open_store
from clippings.sites import SITES
from tests.helpers.crawl import read_output, run_clippings
from tests.helpers.fixturelib import FIXTURES, article_fixtures, leaked, token_f1

ARTICLES = article_fixtures()
ALL = sorted(SITES)


@pytest.fixture(scope="module")
def fixture_crawl(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    done = run_clippings("crawl", *ALL, "--replay", str(FIXTURES), "--output", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done


@pytest.fixture(scope="module")
def warc_crawl(tmp_path_factory):
    warc = tmp_path_factory.mktemp("warc") / "fixtures.warc.gz"
    copy_store(open_store(FIXTURES), warc)
    out = tmp_path_factory.mktemp("out-warc")
    done = run_clippings("crawl", *ALL, "--replay", str(warc), "--output", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done


def test_every_line_fits_the_schema_and_is_readable_utf8(fixture_crawl):
    out, _ = fixture_crawl
    paths = sorted(out.glob("[a-z]*/*.jsonl"))
    assert paths
    for path in paths:
        raw = path.read_bytes()
        assert b"\\u06" not in raw, f"{path}: Arabic escaped"
        for line in raw.decode("utf-8").splitlines():
            assert schema_errors(json.loads(line), sites=SITES) == []


def test_files_are_named_by_site_and_fetch_day(fixture_crawl):
    out, _ = fixture_crawl
    for record in read_output(out):
        assert (out / record["site"] / f"{record['fetched_at'][:10]}.jsonl").exists()


def test_every_article_fixture_is_written_once_and_matches(fixture_crawl):
    out, _ = fixture_crawl
    records = read_output(out)
    counts = Counter(r["url"] for r in records)
    assert [u for u, n in counts.items() if n > 1] == []
    by_url = {r["url"]: r for r in records}
    for fixture in ARTICLES:
        expected = fixture.expected
        got = by_url.get(expected["url"])
        assert got is not None, f"{fixture.name}: no item written"
        for field, want in expected.items():
            if field == "body":
                assert token_f1(got["body"], want) >= 0.98, fixture.name
                assert not leaked(got["body"], fixture.meta), fixture.name
            elif field not in ("content_sha256", "word_count"):
                assert got[field] == want, f"{fixture.name}: {field}"
    assert len(records) == len({f.expected["url"] for f in ARTICLES})


def test_summary_is_printed(fixture_crawl):
    _, done = fixture_crawl
    assert all(name in done.stdout for name in ALL) and "written" in done.stdout
    rows = [line.split()[0] for line in done.stdout.splitlines()[1:] if line and not line.startswith(" ")]
    assert rows[: len(ALL)] == ALL  # one row a site (detail lines indented), its name apart from the figures


def test_warc_replay_gives_the_same_items(fixture_crawl, warc_crawl):
    def key(records):
        return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records)

    assert key(read_output(warc_crawl[0])) == key(read_output(fixture_crawl[0]))


def test_unknown_site_is_one_clear_line():
    done = run_clippings("crawl", "nosuchsite")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"clippings: unknown site 'nosuchsite' (known: {', '.join(ALL)})"]


def test_unreadable_replay_source_is_one_clear_line(tmp_path):
    bad = tmp_path / "broken.warc.gz"
    bad.write_bytes(b"this is not a warc file")
    done = run_clippings("crawl", "le360", "--replay", str(bad), "--output", str(tmp_path / "o"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "Traceback" not in done.stderr


def test_bad_option_is_one_clear_line():
    done = run_clippings("crawl", "le360", "--no-such-option")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
