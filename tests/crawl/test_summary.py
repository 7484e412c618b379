"""The end-of-crawl summary: per site pages, written, updated, skipped, dropped by reason,
errors, within 80 columns; and README's example is what is printed."""

from __future__ import annotations

import re

from clippings.core.summary import HEADER, site_summary
from clippings.crawl.summary import crawl_report
from tests.helpers.crawl import run_clippings
from tests.helpers.fixturelib import ROOT
from tests.helpers.pages import ReplayFolder, article_html, le360_url


class _Stats:
    def __init__(self, values):
        self.values = values

    def get_stats(self):
        return self.values

    def get_value(self, key, default=None):
        return self.values.get(key, default)


class _Crawler:
    def __init__(self, site, values):
        self.spidercls = type("Spider", (), {"name": site})
        self.stats = _Stats(values)


def test_every_figure_has_its_column_and_its_reasons_a_line():
    stats = {
        "response_received_count": 1234567,
        "finish_reason": "finished",
        "clippings/almaghribtoday/written": 1000000,
        "clippings/almaghribtoday/updated": 250000,
        "clippings/almaghribtoday/skipped/seen": 300000,
        "clippings/almaghribtoday/skipped/unchanged": 20000,
        "clippings/almaghribtoday/skipped/not_modified": 3000,
        "clippings/almaghribtoday/skipped/out_of_range": 400,
        "clippings/almaghribtoday/skipped/dropped_before": 5,
        "clippings/almaghribtoday/skipped/duplicate_link": 77,  # a link listed twice: not an article skipped
        "clippings/almaghribtoday/skipped/max_articles": 12,
        **{f"clippings/almaghribtoday/dropped/reason_number_{i}": i for i in range(1, 9)},
        "clippings/almaghribtoday/errors/download": 2,
        "clippings/almaghribtoday/errors/extraction": 1,
        "clippings/almaghribtoday/pages/article": 1200000,
        "clippings/almaghribtoday/missing/authors": 7,
    }
    row, details = site_summary(stats, "almaghribtoday")
    assert row.split() == ["almaghribtoday", "1234567", "1000000", "250000", "323405", "36", "3"]
    assert details[0] == "  skipped: seen 300000, unchanged 20000, not_modified 3000, out_of_range 400,"
    assert details[1] == "    dropped_before 5"
    assert details[2].startswith("  dropped: reason_number_1 1, ")
    assert "  errors: download 2, extraction 1" in details
    assert "  not fetched: over max_articles 12" in details
    assert details[-3:] == [  # every figure, each whole on its line
        "  no title 0/1200000, no lead 0/1000000, no section 0/1000000,",
        "    no tags 0/1000000, no image 0/1000000, no date 0/1000000,",
        "    no author 7/1000000, no body 0/1200000, errors 3/1234569, refused 0/1200000",
    ]
    text, status = crawl_report([_Crawler("almaghribtoday", stats)], ROOT / "output")
    assert status == 0
    assert all(len(line) <= 80 for line in text.splitlines()[:-1]), text  # the output path aside
    assert len(HEADER) <= 80


def test_a_site_with_nothing_to_say_is_one_row():
    row, details = site_summary({"response_received_count": 3}, "le360")
    assert row.split() == ["le360", "3", "0", "0", "0", "0", "0"] and details == []


def test_failures_and_alarms_follow_the_table():
    stats = {
        "finish_reason": "state_error",
        "clippings/state_error": "cannot write the incremental state /x/state.sqlite: database or disk is full",
        "clippings/almaghribtoday/health/alarms": [
            "almaghribtoday: 1234 of 2205 articles written had no author — layout may have changed"
        ],
    }
    text, status = crawl_report([_Crawler("almaghribtoday", stats)], ROOT / "output")
    assert status == 1
    lines = text.splitlines()
    assert (
        "almaghribtoday: state failed: cannot write the incremental state /x/state.sqlite: database or disk is full"
        in lines
    )
    assert "almaghribtoday: crawl ended early (state_error)" in lines
    assert "almaghribtoday: 1234 of 2205 articles written had no author — layout may have" in lines  # cut at 80
    assert "  changed" in lines


def _summary(done) -> list[str]:
    return [line for line in done.stdout.splitlines() if not line.startswith("output: ")]


def test_an_article_written_again_because_it_changed_is_updated_and_one_unchanged_skipped(tmp_path):
    url = le360_url("le-rail-avance")
    out = tmp_path / "out"
    bodies = [article_html(title="Le rail avance"), article_html(title="Le rail avance", paragraphs=9)]
    runs = []
    for n, body in enumerate([*bodies, bodies[1]]):
        replay = ReplayFolder(tmp_path / f"replay-{n}")
        replay.add(url, body.encode())
        runs.append(run_clippings("crawl", "le360", "--replay", str(replay.root), "--output", str(out), "--url", url))
        assert runs[-1].returncode == 0, runs[-1].stderr[-3000:]
    rows = [next(line for line in _summary(done) if line.startswith("le360 ")).split() for done in runs]
    assert rows[0][2:] == ["1", "0", "0", "0", "0"]  # written
    assert rows[1][2:] == ["1", "1", "0", "0", "0"]  # written again: an update
    assert rows[2][2:] == ["0", "0", "1", "0", "0"]  # the same again: skipped
    assert "  skipped: unchanged 1" in _summary(runs[2])


def test_the_readme_example_is_what_make_run_prints(tmp_path):
    """README shows the summary of `make run` on a fresh clone, then of a second run."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n(site +pages +written.*?)```", readme, re.S)
    assert len(blocks) >= 2, "README shows a first and a second run's summary"
    out = tmp_path / "output"
    for shown in blocks[:2]:
        done = run_clippings("crawl", "all", "--replay", "fixtures", "--output", str(out))
        assert done.returncode == 0, done.stderr[-3000:]
        assert _summary(done) == [line for line in shown.splitlines() if not line.startswith("output: ")]


def test_an_article_listed_twice_is_skipped_once_and_a_newer_listing_still_revalidates():
    from scrapy.utils.test import get_crawler

    from clippings.crawl.incremental import Action
    from clippings.spiders import spider_class

    Le360Spider = spider_class("le360")

    class Known:
        """The collection has the article, written after 2025-09-09 12:00."""

        def plan(self, article_id, listed, given):
            newer = listed is not None and listed.isoformat() > "2025-09-09T12:00:00+00:00"
            return (Action.REVALIDATE, {}) if newer else (Action.SKIP, {})

        def knows(self, article_id):
            return True

    spider = Le360Spider.from_crawler(get_crawler(Le360Spider, {"CLIPPINGS_INCREMENTAL": False}))
    spider.incremental = Known()
    url = "https://fr.le360.ma/politique/le-maroc_6VUZYMXQWNCSXNQ7TRBFVQKIDI/"
    assert spider.article_request(url, "2025-09-09T10:00:00Z") is None  # the feed
    assert spider.article_request(url, "2025-09-09T10:00:00Z") is None  # the sitemap, same date
    assert spider.article_request(url, "2025-09-10T10:00:00Z") is not None  # a newer listing
    stats = spider.crawler.stats
    assert stats.get_value("clippings/le360/skipped/seen") == 1
    assert stats.get_value("clippings/le360/skipped/duplicate_link") == 1
