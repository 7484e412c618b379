"""Pages read in worker processes (``--workers``): the same output, one state, crash-proof."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from dataclasses import replace

import pytest

from clippings.core.arguments import parse_workers
from clippings.core.page import Page, ReadingContext
from clippings.extract import NotArticle, read_article
from clippings.sites import SITES, get_site
from clippings.workers import QUEUED_PAGES, ExtractionPool, WorkerCrashed
from tests.helpers.crawl import ROOT, read_output, run_clippings
from tests.helpers.fixturelib import FIXTURES, article_fixtures

ARTICLES = article_fixtures()
ALL = sorted(SITES)


def _lines(out):
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in read_output(out))


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """The fixtures crawled in one process, then with two workers."""
    outs = {}
    for workers in ("1", "2"):
        out = tmp_path_factory.mktemp(f"out-{workers}")
        done = run_clippings(
            "crawl",
            *ALL,
            "--replay",
            str(FIXTURES),
            "--output",
            str(out),
            "--workers",
            workers,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        outs[workers] = (out, done)
    return outs


def test_workers_write_exactly_what_one_process_writes(crawls):
    single, _ = crawls["1"]
    pooled, _ = crawls["2"]
    assert len(_lines(single)) == len({f.expected["url"] for f in ARTICLES})
    assert _lines(pooled) == _lines(single)


def test_workers_keep_one_state_and_a_rerun_writes_nothing(crawls):
    out, _done = crawls["2"]
    db = sqlite3.connect(out / ".state" / "state.sqlite")
    known = {(site, article_id) for site, article_id in db.execute("SELECT site, article_id FROM articles")}
    db.close()
    assert known == {(r["site"], r["article_id"]) for r in read_output(out)}
    before = _lines(out)
    again = run_clippings("crawl", *ALL, "--replay", str(FIXTURES), "--output", str(out), "--workers", "2")
    assert again.returncode == 0, again.stderr[-3000:]
    assert _lines(out) == before
    assert "dropped" in again.stdout  # the summary is printed as without workers


def test_summary_counts_match_without_workers(crawls):
    def table(done):
        return [line for line in done.stdout.splitlines() if line.startswith(tuple(ALL))]

    assert table(crawls["2"][1]) == table(crawls["1"][1])


@pytest.mark.parametrize("value", ["0", "-1", "two", ""])
def test_bad_worker_count_is_one_clear_line(value, tmp_path):
    done = run_clippings("crawl", "le360", "--replay", str(FIXTURES), "--output", str(tmp_path), "--workers", value)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--workers" in lines[0] and "Traceback" not in done.stderr


def test_bad_worker_setting_is_one_clear_line(tmp_path):
    done = run_clippings(
        "crawl", "le360", "--replay", str(FIXTURES), "--output", str(tmp_path), "-s", "CLIPPINGS_WORKERS=lots"
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "CLIPPINGS_WORKERS 'lots'" in lines[0], done.stderr


def test_with_workers_on_the_command_line_the_pool_starts_before_scrapy_loads(tmp_path):
    """The workers' imports (about a second) overlap Scrapy's; the settings cannot override
    --workers, so there is nothing to wait for."""
    probe = (
        "import sys, clippings.workers as w\n"
        "start = w.ExtractionPool.start\n"
        "def spy(self):\n"
        "    print('scrapy loaded when the pool started:', 'scrapy.crawler' in sys.modules, 'scrapy' in sys.modules)\n"
        "    return start(self)\n"
        "w.ExtractionPool.start = spy\n"
        "from clippings.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    command = ["crawl", "le360", "--replay", str(FIXTURES), "--output", str(tmp_path)]
    early = subprocess.run(
        [sys.executable, "-c", probe, *command, "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert early.returncode == 0, early.stderr[-3000:]
    assert "scrapy loaded when the pool started: False False" in early.stdout
    late = subprocess.run(
        [sys.executable, "-c", probe, *command, "-s", "CLIPPINGS_WORKERS=2"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert late.returncode == 0, late.stderr[-3000:]
    assert "scrapy loaded when the pool started: False True" in late.stdout  # settings read, no crawler yet


def test_a_usage_error_starts_no_workers(monkeypatch, tmp_path, capsys):
    """A bad command line is refused before the pool starts (it would otherwise wait for
    the workers it had started, to stop them)."""
    from clippings.cli import crawl, main

    started = []
    monkeypatch.setattr(crawl, "_start_pool", lambda count: started.append(count))
    common = ["crawl", "le360", "--replay", str(FIXTURES), "--output", str(tmp_path), "--workers", "2"]
    for bad in (["-s", "NOEQUALS"], ["--since", "yesterday"], ["--url", "https://example.com/x"]):
        assert main([*common, *bad]) == 2
    assert started == []
    assert capsys.readouterr().err.count("clippings: ") == 3


def test_parse_workers():
    assert parse_workers("3") == 3
    assert parse_workers(2) == 2
    assert parse_workers("auto") == (os.cpu_count() or 1)
    with pytest.raises(ValueError, match="CLIPPINGS_WORKERS"):
        parse_workers("0")


def _read(fixture):
    """The page and context a crawl hands its reader for a fixture."""
    return fixture.page(), ReadingContext(get_site(fixture.site))


def test_pool_reads_as_read_article_does_and_passes_not_article_on():
    fixture = ARTICLES[0]
    site = get_site(fixture.site)
    pool = ExtractionPool(1)
    try:
        got = asyncio.run(pool.read(*_read(fixture)))
        assert got == read_article(*_read(fixture))
        with pytest.raises(NotArticle) as raised:
            asyncio.run(pool.read(Page(fixture.url, b""), ReadingContext(site)))
        assert raised.value.reason == "not_html"
    finally:
        pool.close()


def test_a_dead_worker_is_replaced_and_its_page_read_again():
    fixture = ARTICLES[1]
    pool = ExtractionPool(2)
    try:
        asyncio.run(pool.read(*_read(fixture)))  # the pool is up
        killed = pool.pids()
        for pid in killed:
            os.kill(pid, signal.SIGKILL)

        async def read_after_kill():
            await asyncio.sleep(0.5)
            return await pool.read(*_read(fixture))

        got = asyncio.run(read_after_kill())
        assert got.title == fixture.expected["title"]
        assert pool.replaced == 2
        assert len(pool.pids()) == 2 and not set(pool.pids()) & set(killed)
    finally:
        pool.close()


def _kill_on_send(monkeypatch, pool, times=None):
    """Kill the worker a page was just sent to, the first ``times`` times (or every time);
    returns the killed workers' process ids."""
    real_send = pool._send
    killed = []

    def send_then_kill(worker, task):
        real_send(worker, task)
        if times is None or len(killed) < times:
            killed.append(worker.process.pid)
            os.kill(worker.process.pid, signal.SIGKILL)

    monkeypatch.setattr(pool, "_send", send_then_kill)
    return killed


def test_a_worker_dying_under_a_page_is_replaced_and_the_page_read_again(monkeypatch):
    fixture = ARTICLES[1]
    pool = ExtractionPool(1)
    kills = _kill_on_send(monkeypatch, pool, times=1)
    try:
        got = asyncio.run(pool.read(*_read(fixture)))
        assert got.title == fixture.expected["title"]
        assert pool.replaced == 1 and kills and kills[0] not in pool.pids()
    finally:
        pool.close()


def test_a_page_that_kills_every_worker_is_an_error_not_a_hang(monkeypatch):
    fixture = ARTICLES[2]
    pool = ExtractionPool(1)
    _kill_on_send(monkeypatch, pool)
    try:
        with pytest.raises(WorkerCrashed):
            asyncio.run(asyncio.wait_for(pool.read(*_read(fixture)), timeout=60))
        assert pool.replaced == 2
    finally:
        monkeypatch.undo()
        pool.close()


def test_an_error_in_a_worker_reaches_the_crawl_named():
    pool = ExtractionPool(1)
    try:
        with pytest.raises(Exception) as raised:
            asyncio.run(
                pool.read(
                    Page("https://fr.le360.ma/x_ABC/", b"<html>", {}, "not a datetime"),
                    ReadingContext(get_site("le360")),
                )
            )
        assert not isinstance(raised.value, WorkerCrashed)
        assert asyncio.run(pool.read(*_read(ARTICLES[0]))).title  # the worker lives on
    finally:
        pool.close()


def test_pages_waiting_when_the_pool_closes_are_errors_not_a_hang():
    fixture = ARTICLES[0]
    pool = ExtractionPool(1)

    async def read_then_close():
        await pool.read(*_read(fixture))  # the worker is up
        reads = [asyncio.ensure_future(pool.read(*_read(fixture))) for _ in range(30)]
        await asyncio.sleep(0)  # all submitted; most still queued
        pool.close()
        return await asyncio.wait_for(asyncio.gather(*reads, return_exceptions=True), timeout=60)

    try:
        results = asyncio.run(read_then_close())
    finally:
        pool.close()
    crashed = [r for r in results if isinstance(r, WorkerCrashed)]
    assert crashed, results
    assert all(isinstance(r, WorkerCrashed) or r.title == fixture.expected["title"] for r in results)


def test_a_busy_worker_is_sent_only_what_its_socket_takes_without_blocking():
    """Pages queue behind a busy worker up to QUEUED_PAGES, and only as many bytes as its
    socket takes: with the worker stopped and the crawl's end of the socket non-blocking,
    a write that would block raises, which the pool would take for a dead worker."""
    fixture = ARTICLES[0]
    page, context = _read(fixture)
    pool = ExtractionPool(1)
    held = []
    real_send = pool._send

    def send(worker, task):
        real_send(worker, task)
        held.append((len(worker.tasks), worker.sent, worker.room))

    pool._send = send

    async def read_while_stopped():
        await pool.read(page, context)  # the worker is up
        (worker,) = pool._live
        # Pages of a third of the room each: a few fit, and eight would overflow the buffer
        # (Linux's is at most twice the room) if the room were wrong.
        big = page.body.replace(b"</body>", b"<!-- " + b"x" * (worker.room // 3) + b" --></body>")
        os.set_blocking(worker.conn.fileno(), False)
        os.kill(worker.process.pid, signal.SIGSTOP)
        try:
            reads = [asyncio.ensure_future(pool.read(replace(page, body=big), context)) for _ in range(20)]
            await asyncio.sleep(0.2)
            queued = len(worker.tasks)
        finally:
            with contextlib.suppress(ProcessLookupError):  # taken for dead and replaced: see below
                os.kill(worker.process.pid, signal.SIGCONT)
        return queued, await asyncio.wait_for(asyncio.gather(*reads), timeout=120)

    try:
        queued, results = asyncio.run(read_while_stopped())
    finally:
        pool.close()
    assert pool.replaced == 0
    assert [r.title for r in results] == [fixture.expected["title"]] * 20
    assert 1 < queued <= QUEUED_PAGES  # more than one page was waiting in the socket
    assert all(count <= QUEUED_PAGES for count, _, _ in held)
    assert all(sent <= room for count, sent, room in held if count > 1)


def test_a_page_bigger_than_the_socket_takes_waits_for_an_idle_worker(monkeypatch):
    fixture = ARTICLES[0]
    pool = ExtractionPool(1)
    held = []
    real_send = pool._send

    def send(worker, task):
        worker.room = 1000  # smaller than any page
        real_send(worker, task)
        held.append(len(worker.tasks))

    monkeypatch.setattr(pool, "_send", send)

    async def read_many():
        return await asyncio.gather(*(pool.read(*_read(fixture)) for _ in range(5)))

    try:
        results = asyncio.run(read_many())
    finally:
        pool.close()
    assert [r.title for r in results] == [fixture.expected["title"]] * 5
    assert held == [1] * 5


# A worker whose crawl closed its end (or died) while it read a page: it must end quietly.
# Before, its answer raised BrokenPipeError, and the traceback went to the crawl's terminal.
GONE_CRAWL = """
import os, pickle, signal, sys, threading, time
from multiprocessing import Pipe
from clippings.core.page import Page
from clippings.workers import serve

mine, theirs = Pipe(duplex=True)
page = (Page("https://fr.le360.ma/politique/x_ABCDEFGHIJKLMNOPQRSTUVWXYZ/", b"<html><body><p>x</p></body></html>"),
        "le360", ())

def crawl_side():
    time.sleep(0.3)
    os.kill(os.getpid(), signal.SIGINT)  # a Ctrl-C reaches the workers too: theirs to ignore
    time.sleep(0.3)
    mine.send_bytes(pickle.dumps((1, page)))
    mine.close()  # gone before the answer

threading.Thread(target=crawl_side).start()
serve(theirs, os.getpid())
print("served", flush=True)
"""


def test_a_worker_ignores_ctrl_c_and_ends_quietly_when_its_crawl_is_gone():
    done = subprocess.run([sys.executable, "-c", GONE_CRAWL], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stderr == "", done.stderr[-3000:]
    assert done.returncode == 0 and done.stdout == "served\n"


def _lines_under(out) -> int:
    total = 0
    for path in out.glob("*/*.jsonl"):
        with contextlib.suppress(OSError):
            total += path.read_bytes().count(b"\n")
    return total


def test_a_crawl_killed_with_workers_leaves_no_word_from_them(tmp_path):
    """SIGKILL while the workers hold pages: nothing at all is printed afterwards (at the
    default level a good crawl prints nothing on stderr, so stderr stays empty)."""
    import time

    from tests.helpers.bulk import build_pages, write_warc

    warc = tmp_path / "pages.warc.gz"
    write_warc(build_pages(1500), warc, entry_points=True)
    out = tmp_path / "out"
    for _ in range(2):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "clippings.cli",
                "crawl",
                "le360",
                "almaghribtoday",
                "--replay",
                str(warc),
                "--output",
                str(out),
                "--workers",
                "2",
                "--new",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 120
            start = _lines_under(out)
            while _lines_under(out) < start + 40 and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            process.send_signal(signal.SIGKILL)
            # Returns once every process holding the crawl's stderr is gone: the workers too.
            stdout, stderr = process.communicate(timeout=60)
        assert process.returncode == -signal.SIGKILL, (stdout, stderr[-3000:])
        assert stderr == "", stderr[-3000:]
