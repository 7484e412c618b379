"""Run history: one JSON line a crawl in DIR/.state/runs.ndjson, however it ends, written by
a Scrapy extension (so ``scrapy crawl`` writes it too), appended whole."""

from __future__ import annotations

import functools
import json
import multiprocessing
import operator
import subprocess
import sys
from pathlib import Path

from clippings.collection.run_line import RUN_COLUMNS
from clippings.collection.runs import append_run, last_runs, read_runs, runs_path
from clippings.sites import SITES
from tests.helpers.crawl import FAST, read_output, run_clippings
from tests.helpers.fixturelib import ROOT
from tests.helpers.pages import ReplayFolder, article_html, le360_url


def _replay(tmp_path: Path, pages: dict[str, bytes]) -> tuple[Path, list[str]]:
    store = ReplayFolder(tmp_path / "replay")
    urls = [store.add(le360_url(slug), body, fetched_at="2025-09-09T19:05:00Z") for slug, body in pages.items()]
    return tmp_path / "replay", urls


def _crawl(tmp_path: Path, pages: dict[str, bytes], *settings: str):
    replay, urls = _replay(tmp_path, pages)
    args = ["crawl", "le360", "--replay", str(replay), "--output", str(tmp_path / "out"), *FAST]
    for url in urls:
        args += ["--url", url]
    return run_clippings(*args, *settings, timeout=180)


def test_every_crawl_of_the_fixtures_appends_one_line_a_site(tmp_path):
    out = tmp_path / "out"
    for _ in range(2):
        done = run_clippings("crawl", "all", "--replay", "fixtures", "--output", str(out))
        assert done.returncode == 0, done.stderr[-2000:]
    runs = read_runs(out)
    assert (
        sorted(r["site"] for r in runs[: len(SITES)]) == sorted(r["site"] for r in runs[len(SITES) :]) == sorted(SITES)
    )
    assert all(list(r) == list(RUN_COLUMNS) for r in runs)
    first = {r["site"]: r for r in runs[: len(SITES)]}
    written = {r["site"]: r["written"] for r in runs[: len(SITES)]}
    counted: dict[str, int] = {}
    for record in read_output(out):
        counted[record["site"]] = counted.get(record["site"], 0) + 1
    assert written == counted
    le360 = first["le360"]
    assert (le360["exit_status"], le360["finish_reason"], le360["problems"], le360["alarms"]) == (0, "finished", [], [])
    assert le360["dropped"] == {"video": 1} and len(le360["examples"]["dropped/video"]) == 1
    assert le360["examples"]["dropped/video"][0].startswith("https://fr.le360.ma/")
    assert le360["health"]["no_body"] == {"count": 0, "total": le360["written"], "share": 0.0}
    assert sum(le360["sources"]["body"].values()) == le360["written"]
    assert le360["sources"]["body"]["ans"] > 0
    assert le360["pages"] > le360["written"] and le360["pages_per_minute"] > 0 and le360["peak_rss_mb"] > 50
    assert le360["started"] <= le360["finished"] and le360["run_id"] != runs[3]["run_id"]
    again = {r["site"]: r for r in runs[len(SITES) :]}
    assert again["le360"]["written"] == 0 and again["le360"]["skipped"]["seen"] > 0
    assert last_runs(runs)["le360"] is again["le360"]


def test_an_alarm_and_a_change_are_in_the_line(tmp_path):
    pages = {f"vide-{i}": article_html(title=f"Sans texte {i}", body=False).encode() for i in range(8)}
    pages |= {f"bon-{i}": article_html(title=f"Bon {i}").encode() for i in range(4)}
    done = _crawl(tmp_path, pages)
    assert done.returncode == 1
    (run,) = read_runs(tmp_path / "out")
    alarm = "le360: 8 of 12 article pages had no body — layout may have changed"
    assert (run["exit_status"], run["alarms"], run["problems"]) == (1, [alarm], [alarm])
    assert run["health"]["no_body"] == {"count": 8, "total": 12, "share": 0.6667}
    assert run["dropped"] == {"empty_body": 8} and len(run["examples"]["dropped/empty_body"]) == 3
    # The same URLs again, one page changed: one article updated, the rest unchanged.
    replay = ReplayFolder(tmp_path / "replay")
    replay.add(
        le360_url("bon-0"), article_html(title="Bon 0", paragraphs=7).encode(), fetched_at="2025-09-10T08:00:00Z"
    )
    done = _crawl(tmp_path, {}, *functools.reduce(operator.iadd, (["--url", le360_url(s)] for s in pages), []))
    run = read_runs(tmp_path / "out")[-1]
    assert (run["written"], run["updated"], run["skipped"].get("unchanged")) == (1, 1, 3), run


def test_a_crawl_that_ends_early_is_recorded_with_its_reason(tmp_path):
    pages = {f"article-{i}": article_html(title=f"Article {i}").encode() for i in range(6)}
    done = _crawl(tmp_path, pages, "-s", "CLOSESPIDER_ITEMCOUNT=1", "-s", "CONCURRENT_REQUESTS=1")
    assert done.returncode == 1
    (run,) = read_runs(tmp_path / "out")
    assert run["finish_reason"] == "closespider_itemcount"
    assert (run["exit_status"], run["problems"]) == (1, ["crawl ended early (closespider_itemcount)"])


def test_scrapy_crawl_writes_it_too_and_the_setting_turns_it_off(tmp_path):
    replay, urls = _replay(tmp_path, {"a": article_html(title="A").encode()})
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "scrapy.cmdline",
        "crawl",
        "le360",
        "-s",
        f"CLIPPINGS_REPLAY={replay}",
        "-s",
        f"CLIPPINGS_OUTPUT_DIR={out}",
        "-a",
        f"urls={urls[0]}",
        "-s",
        "LOG_LEVEL=WARNING",
        *FAST,
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    (run,) = read_runs(out)
    assert (run["site"], run["written"], run["exit_status"], run["job"]) == ("le360", 1, 0, None)
    done = run_clippings(
        "crawl",
        "le360",
        "--replay",
        str(replay),
        "--output",
        str(out),
        "--url",
        urls[0],
        "-s",
        "CLIPPINGS_RUN_HISTORY=False",
        *FAST,
    )
    assert done.returncode == 0 and len(read_runs(out)) == 1


def _append_many(directory: str, worker: int) -> None:
    for n in range(200):
        append_run(directory, {"site": f"s{worker}", "n": n, "pad": "x" * (500 + 37 * worker)})


def test_concurrent_appends_leave_whole_lines_and_a_cut_line_is_skipped(tmp_path):
    path = runs_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"site": "le360", "cut')  # a power loss in the middle of a line
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(str(tmp_path), w)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
    problems: list[str] = []
    runs = read_runs(tmp_path, problems)
    assert problems == [f"{path}:1: not a run (cut short, or not JSON)"]
    assert len(runs) == 800
    for w in range(4):
        assert [r["n"] for r in runs if r["site"] == f"s{w}"] == list(range(200))
    # Every line whole (two appenders that both found the cut line may each start a new
    # line after it: a blank line, which readers skip).
    assert all(json.loads(line) for line in path.read_bytes().splitlines()[1:] if line)
