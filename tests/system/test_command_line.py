"""The command line's small promises: setting names checked, subcommands' help complete,
``clippings record`` writing no run history, the suite leaving ``output/`` alone."""

from __future__ import annotations

import subprocess
import sys

import pytest

from clippings.cli import COMMANDS, build_parser
from clippings.cli.crawl import scrapy_settings
from clippings.cli.options import UsageError, edits
from tests.helpers.checkout import left_behind, snapshot
from tests.helpers.crawl import run_clippings
from tests.helpers.httpsite import LocalSite
from tests.helpers.pages import article_html, le360_url


def test_a_setting_one_or_two_edits_from_a_known_one_is_refused_with_did_you_mean(tmp_path):
    done = run_clippings("crawl", "le360", "--output", str(tmp_path), "-s", "DOWNLOD_DELAY=1")
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert "DOWNLOD_DELAY" in line and "did you mean DOWNLOAD_DELAY" in line
    assert list(tmp_path.iterdir()) == [], "refused before anything is created"
    for typo, meant in (("CONCURENT_REQUESTS", "CONCURRENT_REQUESTS"), ("DOWNLAOD_TIMEOUT", "DOWNLOAD_TIMEOUT")):
        with pytest.raises(UsageError, match=f"did you mean {meant}"):
            scrapy_settings(build_parser().parse_args(["crawl", "le360", "-s", f"{typo}=1"]))


def test_another_unknown_setting_gets_one_warning_line(capsys):
    args = build_parser().parse_args(["crawl", "le360", "-s", "MY_PIPELINE_FLAG=1", "-s", "MY_PIPELINE_FLAG=2"])
    settings = scrapy_settings(args)
    assert settings.get("MY_PIPELINE_FLAG") == "2"
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["clippings: WARNING: -s MY_PIPELINE_FLAG: not a Scrapy or clippings setting; passed on as given"]
    scrapy_settings(build_parser().parse_args(["crawl", "le360", "-s", "DOWNLOAD_DELAY=1"]))
    assert capsys.readouterr().err == "", "a known setting is not warned about"


def test_edits_counts_insertions_deletions_replacements_and_swaps():
    assert edits("DOWNLOD_DELAY", "DOWNLOAD_DELAY") == 1
    assert edits("DOWNLAOD_DELAY", "DOWNLOAD_DELAY") == 1
    assert edits("DOWNLOAD_DELAY", "DOWNLOAD_DELAY") == 0
    assert edits("kitten", "sitting") == 3


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_help_describes_its_arguments_exit_statuses_and_an_example(command):
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    sub = subparsers[command]
    parsers = [sub]
    nested = [a for a in sub._actions if a.dest == "action"]
    if nested:
        parsers += list(nested[0].choices.values())
    for each in parsers:
        text = each.format_help()
        for action in each._actions:
            if action.dest == "help":
                continue
            assert action.help, f"{each.prog}: {'/'.join(action.option_strings) or action.dest} has no help"
        assert "exit status" in text.lower(), f"{each.prog}: no exit statuses"
        assert "example:" in text.lower() and f"clippings {command}" in text.split("xample:")[-1], each.prog


def test_record_writes_no_run_history_wherever_it_runs(tmp_path):
    url = le360_url("enregistre")
    with LocalSite() as site:
        site.add(url, article_html(), headers={"Content-Type": "text/html"})
        done = subprocess.run(
            [sys.executable, "-m", "clippings.cli", "record", url, "--to", "pages.warc.gz", *site.settings()],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "responses" in done.stdout and (tmp_path / "pages.warc.gz").stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages.warc.gz", "pages.warc.gz.index.jsonl"], (
        "the WARC and its index, no output/ with a run history"
    )


def test_the_output_check_names_what_a_test_left_behind(tmp_path):
    (tmp_path / ".gitkeep").write_bytes(b"")
    before = snapshot(tmp_path)
    (tmp_path / ".state").mkdir()
    (tmp_path / ".state" / "runs.jsonl").write_text("{}\n")
    assert left_behind(before, snapshot(tmp_path)) == [".state", ".state/runs.jsonl"]
    assert left_behind(before, before) == []


def test_skipped_means_articles_known_and_unchanged_in_summary_history_status_and_report(tmp_path):
    from datetime import UTC, datetime, timedelta

    from clippings.collection.overview import gather
    from clippings.collection.run_line import run_record
    from clippings.collection.runs import append_run
    from clippings.collection.status import status
    from clippings.core.summary import site_summary

    counts = {"seen": 3, "not_modified": 2, "out_of_range": 1, "duplicate_link": 39, "sitemap_unchanged": 1}
    stats = {f"clippings/le360/skipped/{k}": v for k, v in {**counts, "max_articles": 4}.items()}
    stats |= {"finish_reason": "finished", "response_received_count": 9}
    now = datetime.now(UTC)
    run = run_record(
        stats,
        "le360",
        run_id="r",
        job=None,
        started=now - timedelta(minutes=1),
        finished=now,
        reason=None,
        peak_rss_mb=1,
    )
    assert run["skipped"] == {"seen": 3, "not_modified": 2, "out_of_range": 1}
    assert run["not_fetched"] == {"max_articles": 4}
    row, details = site_summary(stats, "le360")
    assert row.split()[4] == "6", row
    assert "duplicate_link" not in " ".join(details) and "sitemap_unchanged" not in " ".join(details)
    append_run(tmp_path, run)
    # An older line counted a link listed twice under skipped: it is not shown either.
    append_run(tmp_path, {**run, "run_id": "old", "skipped": {**run["skipped"], "duplicate_link": 39}})
    report, _ = status(tmp_path, timedelta(hours=2))
    assert [site["skipped"] for site in report["sites"]] == [6]
    assert [point.skipped for point in gather(tmp_path).runs["le360"]] == [6, 6]


def test_a_stopped_or_forced_run_is_said_so_by_status_and_report(tmp_path):
    from datetime import UTC, datetime, timedelta

    from clippings.collection.overview import gather
    from clippings.collection.run_line import run_record
    from clippings.collection.runs import append_run
    from clippings.collection.status import as_text, status

    now = datetime.now(UTC)
    for reason, site in (("shutdown", "le360"), ("forced", "almaghribtoday")):
        stats = {"finish_reason": reason, "response_received_count": 3}
        run = run_record(
            stats,
            site,
            run_id=site,
            job=None,
            started=now - timedelta(minutes=1),
            finished=now,
            reason=None,
            peak_rss_mb=1,
        )
        append_run(tmp_path, run)
    report, _ = status(tmp_path, timedelta(hours=2))
    assert [(row["site"], row["status"]) for row in report["sites"]] == [
        ("almaghribtoday", "forced"),
        ("le360", "stopped"),
    ]
    assert not report["ok"]
    text = as_text(report)
    assert "  forced  " in text and "  stopped  " in text and "failed:" not in text
    overview = gather(tmp_path)
    assert [p.status for p in overview.runs["le360"]] == ["stopped"]
    assert [p.status for p in overview.runs["almaghribtoday"]] == ["forced"]
