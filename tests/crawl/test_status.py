"""``clippings status DIR``: each site's last run, exit status 1 when one failed, raised an
alarm or is older than --max-age; --json says the same."""

from __future__ import annotations

import functools
import json
import operator
from datetime import UTC, datetime, timedelta

import pytest

from clippings.collection.runs import append_run
from clippings.collection.status import parse_age, shown_age, status
from clippings.sites import SITES
from tests.helpers.collection import article, write
from tests.helpers.crawl import FAST, run_clippings
from tests.helpers.pages import ReplayFolder, article_html, le360_url

NOW = datetime(2026, 4, 8, 12, 0, tzinfo=UTC)


def run(site: str, minutes_ago: float, now: datetime = NOW, **fields) -> dict:
    finished = now - timedelta(minutes=minutes_ago)
    return {
        "run_id": f"{site}-{minutes_ago}",
        "site": site,
        "started": (finished - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "finished": finished.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "exit_status": 0,
        "finish_reason": "finished",
        "problems": [],
        "written": 20,
        "skipped": {"seen": 3, "unchanged": 1},
        "alarms": [],
        **fields,
    }


def test_the_real_command_on_a_healthy_crawl_and_on_one_with_an_alarm(tmp_path):
    healthy = tmp_path / "healthy"
    done = run_clippings("crawl", "all", "--replay", "fixtures", "--output", str(healthy))
    assert done.returncode == 0
    done = run_clippings("status", str(healthy))
    assert done.returncode == 0, done.stdout
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["site", "last", "run", "age", "status", "written", "skipped", "alarms"]
    assert [line.split()[0] for line in lines[1:]] == sorted(SITES)
    assert all(line.split()[3] == "ok" and line.endswith("  -") for line in lines[1:])

    store = ReplayFolder(tmp_path / "replay")
    urls = [store.add(le360_url(f"vide-{i}"), article_html(title=f"Vide {i}", body=False).encode()) for i in range(8)]
    urls += [store.add(le360_url(f"bon-{i}"), article_html(title=f"Bon {i}").encode()) for i in range(4)]
    broken = tmp_path / "broken"
    args = ["crawl", "le360", "--replay", str(tmp_path / "replay"), "--output", str(broken), *FAST]
    done = run_clippings(*args, *functools.reduce(operator.iadd, (["--url", u] for u in urls), []))
    assert done.returncode == 1
    done = run_clippings("status", str(broken), "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    (le360,) = report["sites"]
    assert (report["ok"], le360["status"], le360["written"]) == (False, "alarm", 4)
    assert le360["alarms"] == ["le360: 8 of 12 article pages had no body — layout may have changed"]
    text = run_clippings("status", str(broken)).stdout
    assert "ALARM" in text and "8 of 12 article pages had no body" in text


@pytest.mark.parametrize(
    "runs, expected",
    [
        ([run("le360", 30)], "ok"),
        (
            [run("le360", 30, exit_status=1, finish_reason="shutdown", problems=["crawl ended early (shutdown)"])],
            "failed",
        ),
        ([run("le360", 30, exit_status=1, problems=["le360: alarm"], alarms=["le360: alarm"])], "alarm"),
        ([run("le360", 121)], "old"),
        # The last run decides: an alarm, then a healthy run.
        ([run("le360", 90, exit_status=1, problems=["a"], alarms=["a"]), run("le360", 10)], "ok"),
        (
            [run("le360", 10), run("le360", 90, exit_status=1, problems=["a"], alarms=["a"])],
            "ok",
        ),  # appended late, older
    ],
)
def test_the_status_of_the_last_run(tmp_path, runs, expected):
    for record in runs:
        append_run(tmp_path, record)
    report, problems = status(tmp_path, timedelta(hours=2), now=NOW)
    assert problems == [] and [row["status"] for row in report["sites"]] == [expected]
    assert report["ok"] is (expected == "ok")


def test_a_site_with_articles_and_no_run_is_not_ok_and_an_empty_history_neither(tmp_path):
    write(tmp_path, [article("almaghribtoday", "1")])
    append_run(tmp_path, run("le360", 5))
    report, _ = status(tmp_path, timedelta(hours=2), now=NOW)
    assert [(r["site"], r["status"]) for r in report["sites"]] == [("almaghribtoday", "none"), ("le360", "ok")]
    assert not report["ok"]
    (tmp_path / "empty").mkdir()
    done = run_clippings("status", str(tmp_path / "empty"))
    assert done.returncode == 1 and done.stdout.startswith("no runs recorded in ")


def test_text_lines_and_max_age(tmp_path):
    now = datetime.now(UTC)
    append_run(
        tmp_path,
        run("le360", 150.5, now, exit_status=1, finish_reason="output_error", problems=["output failed: disk full"]),
    )
    append_run(tmp_path, run("almaghribtoday", 20, now))
    done = run_clippings("status", str(tmp_path), "--max-age", "3h")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[1].split()[3:] == ["ok", "20", "4", "-"]
    assert lines[2].split()[2:] == ["2h", "30m", "FAILED", "20", "4", "-"]
    assert lines[3].strip() == "failed: output failed: disk full"
    done = run_clippings("status", str(tmp_path), "--max-age", "10m")
    assert "OLD" in done.stdout.splitlines()[1] and "FAILED,OLD" in done.stdout


def test_command_line_errors_exit_2(tmp_path):
    done = run_clippings("status", str(tmp_path), "--max-age", "soon")
    assert done.returncode == 2 and "--max-age 'soon': expected an age" in done.stderr
    done = run_clippings("status", str(tmp_path / "nope"))
    assert done.returncode == 2 and "no such folder" in done.stderr


def test_ages():
    assert parse_age("2h") == timedelta(hours=2) and parse_age("1h30m") == timedelta(minutes=90)
    assert parse_age("1d") == timedelta(days=1) and parse_age("600") == timedelta(minutes=10)
    for bad in ("", "0", "0h", "2 hours", "-1"):
        with pytest.raises(ValueError):
            parse_age(bad)
    assert [shown_age(timedelta(seconds=s)) for s in (5, 125, 7500, 200000)] == ["5s", "2m", "2h 05m", "2d 7h"]
