"""Scrapyd: the project as an egg, scheduled through Scrapyd's HTTP API on 127.0.0.1.

The egg is built by scrapyd-client's ``scrapyd-deploy --build-egg`` (from a copy of the
project, so the working tree is left alone), added with ``addversion.json``, and a replay
crawl is scheduled with ``schedule.json``: settings as ``setting=CLIPPINGS_...=...``,
spider arguments as plain fields. Scrapyd and scrapyd-client come with the test extra.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest

from clippings.collection.runs import read_runs
from clippings.core.normalize import schema_errors
from clippings.sites import SITES
from tests.helpers.crawl import read_output
from tests.helpers.fixturelib import ROOT
from tests.helpers.pages import LE360, ReplayFolder, article_html, free_port, le360_url, rss

BIN = Path(sys.executable).parent
DEADLINE = 120  # seconds for the whole job, from schedule to finished


def _get(base: str, path: str, **query: str) -> dict:
    url = f"{base}/{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _post(base: str, path: str, fields: list[tuple[str, str]], files: dict[str, Path] | None = None) -> dict:
    if files:
        boundary = uuid.uuid4().hex
        start = f"--{boundary}\r\nContent-Disposition: form-data; name="
        parts = [f'{start}"{name}"\r\n\r\n{value}\r\n'.encode() for name, value in fields]
        for name, file in files.items():
            parts.append(
                f'{start}"{name}"; filename="{file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + file.read_bytes()
                + b"\r\n"
            )
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        content_type = f"multipart/form-data; boundary={boundary}"
    else:
        data = urllib.parse.urlencode(fields).encode()
        content_type = "application/x-www-form-urlencoded"
    request = urllib.request.Request(f"{base}/{path}", data=data, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    assert answer.get("status") == "ok", answer
    return answer


@pytest.fixture(scope="module")
def egg(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "clippings", project / "clippings", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "setup.py", "scrapy.cfg", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    egg = project / "clippings.egg"
    done = subprocess.run(
        [BIN / "scrapyd-deploy", "--build-egg", str(egg)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and egg.exists(), done.stderr
    return egg


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    home = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        "eggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\nitems_dir =\n"
        "poll_interval = 0.2\nmax_proc = 2\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    with (home / "scrapyd.err").open("wb") as errors:
        process = subprocess.Popen([BIN / "scrapyd"], cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if _get(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"scrapyd did not start: {(home / 'scrapyd.err').read_text()[-2000:]}")
        yield base, home
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_egg_carries_the_package_data_and_the_settings_entry_point(egg):
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        assert "clippings/schema/article.schema.json" in names
        assert (
            "clippings/settings.py" in names
            and "clippings/spiders/__init__.py" in names
            and "clippings/sites/le360/__init__.py" in names
        )
        assert not any(name.startswith(("tests/", "fixtures/", "bench/")) for name in names)
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert "[scrapy]\nsettings = clippings.settings" in entry_points


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_replay_crawl_scheduled_through_scrapyd(egg, scrapyd, tmp_path, workers):
    """The job reads its pages in the crawl's process, then (workers=2) in a forkserver pool
    whose processes must import the package from the egg."""
    base, home = scrapyd
    replay, out = tmp_path / "replay", tmp_path / "out"
    store = ReplayFolder(replay)
    articles = [le360_url(f"scrapyd-{i}") for i in range(3)]
    for i, url in enumerate(articles):
        store.add(url, article_html(title=f"Planifié par Scrapyd {i}").encode())
    feed = store.add(f"{LE360}/feeds/scrapyd.xml", rss(articles), headers={"Content-Type": "application/rss+xml"})

    started = time.monotonic()
    added = _post(base, "addversion.json", [("project", "clippings"), ("version", "1")], files={"egg": egg})
    assert "le360" in _get(base, "listspiders.json", project="clippings")["spiders"], added
    job = _post(
        base,
        "schedule.json",
        [
            ("project", "clippings"),
            ("spider", "le360"),
            (
                "setting",
                f"CLIPPINGS_REPLAY={replay}",
            ),  # absolute paths: the job runs in Scrapyd's folder
            ("setting", f"CLIPPINGS_OUTPUT_DIR={out}"),
            ("setting", "DOWNLOAD_DELAY=0"),
            ("setting", "CLIPPINGS_HEALTH_MIN_PAGES=1"),
            ("setting", f"CLIPPINGS_WORKERS={workers}"),
            ("urls", feed),
            ("since", "2025-09-01"),
            ("until", "2025-09-30"),
            ("max_articles", "2"),
        ],
    )["jobid"]

    while True:
        jobs = _get(base, "listjobs.json", project="clippings")
        finished = [j for j in jobs["finished"] if j["id"] == job]
        if finished:
            break
        assert time.monotonic() - started < DEADLINE, f"job not finished after {DEADLINE} s: {jobs}"
        time.sleep(0.3)
    print(f"scrapyd job: {time.monotonic() - started:.1f} s from addversion to finished")

    log = (home / "logs" / "clippings" / "le360" / f"{job}.log").read_text("utf-8")
    assert "Spider closed (finished)" in log, log[-3000:]
    records = read_output(out)
    assert len(records) == 2, log[-3000:]  # max_articles=2 of the feed's 3
    assert {r["url"] for r in records} <= set(articles)
    assert all(schema_errors(r, sites=SITES) == [] for r in records)
    assert all(r["title"].startswith("Planifié par Scrapyd") for r in records)
    # Health figures reach the stats and the log of a Scrapyd job too.
    assert "le360 health: 2 written" in log
    assert "'clippings/le360/health/no_body': 0.0" in log
    assert "'clippings/le360/health/alarms': []" in log
    # And the run history, under the job's id.
    (run,) = read_runs(out)
    assert (run["run_id"], run["job"], run["site"], run["written"], run["exit_status"]) == (job, job, "le360", 2, 0)
    assert run["not_fetched"] == {"max_articles": 1} and "max_articles" not in run["skipped"]


@pytest.mark.parametrize(("cancels", "reason", "outcome"), [(1, "shutdown", "stopped"), (2, "forced", "forced")])
def test_a_cancelled_scrapyd_job_says_how_it_ended(egg, scrapyd, tmp_path, cancels, reason, outcome):
    """Scrapyd's cancel sends SIGINT: once, the pages in flight finish (``shutdown``); twice,
    the job ends at once (``forced``). Either way its run-history line says so."""
    from tests.helpers.httpsite import LocalSite, wait_for_hits
    from tests.helpers.le360site import FEED, slow_site

    base, home = scrapyd
    out = tmp_path / "out"
    _post(base, "addversion.json", [("project", "clippings"), ("version", "1")], files={"egg": egg})
    with LocalSite() as site:
        urls, _ = slow_site(site, delay=3 if cancels == 1 else 30)
        options = site.settings()
        settings = [("setting", value) for value in options[1::2]]
        job = _post(
            base,
            "schedule.json",
            [
                *(("project", "clippings"), ("spider", "le360"), *settings),
                *(("setting", f"CLIPPINGS_OUTPUT_DIR={out}"), ("urls", FEED)),
            ],
        )["jobid"]
        log = home / "logs" / "clippings" / "le360" / f"{job}.log"
        wait_for_hits(site, urls, 1, quiet=0.3)
        _post(base, "cancel.json", [("project", "clippings"), ("job", job)])
        if cancels == 2:
            deadline = time.monotonic() + DEADLINE
            while "stopping: finishing" not in (log.read_text("utf-8") if log.exists() else ""):
                assert time.monotonic() < deadline, "no stopping line in the job's log"
                time.sleep(0.1)
            _post(base, "cancel.json", [("project", "clippings"), ("job", job)])
        started = time.monotonic()
        while not [j for j in _get(base, "listjobs.json", project="clippings")["finished"] if j["id"] == job]:
            assert time.monotonic() - started < DEADLINE, "the cancelled job did not end"
            time.sleep(0.3)
    text = log.read_text("utf-8")
    assert "stopping: finishing" in text, text[-3000:]
    (run,) = read_runs(out)
    assert (run["job"], run["finish_reason"], run["outcome"]) == (job, reason, outcome), text[-3000:]
