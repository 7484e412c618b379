"""A Ctrl-C or SIGTERM that comes before the crawl runs is a stop like any other: never a crawl
reported as gone well (exit status 0) that fetched nothing, nor a traceback.

The signal is sent by the crawl's own process at a chosen point of its start (a wrapper
patches that point to send it first): while Scrapy builds the crawl, and once the spider is
open but its engine not yet running. And while the command waits for another crawl's lock.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from clippings.collection.lock import WriterLock, lock_path
from clippings.collection.runs import read_runs
from clippings.state.marks import started_marks
from tests.helpers.crawl import FAST, read_output, run_clippings
from tests.helpers.fixturelib import ROOT

# Runs a command with ``POINT`` patched to send its process ``SIGNAL`` before it does its work.
WRAPPER = """
import functools, os, signal, sys
import scrapy.crawler, scrapy.core.engine
def signalling(original):
    def send():
        os.kill(os.getpid(), getattr(signal, sys.argv[2]))
    if sys.argv[1] == "crawler":
        @functools.wraps(original)
        def signalled(self, *args, **kwargs):
            send()
            return original(self, *args, **kwargs)
    else:
        @functools.wraps(original)
        async def signalled(self, *args, **kwargs):
            send()
            return await original(self, *args, **kwargs)
    return signalled
if sys.argv[1] == "crawler":  # Scrapy builds the spider (within CrawlerProcess.crawl)
    scrapy.crawler.Crawler._create_spider = signalling(scrapy.crawler.Crawler._create_spider)
else:  # the spider is open, its engine about to run
    engine = scrapy.core.engine.ExecutionEngine
    engine.start_async = signalling(engine.start_async)
if sys.argv[3] == "clippings":
    from clippings.cli import main
    sys.exit(main(sys.argv[4:]))
from scrapy.cmdline import execute
execute(["scrapy", *sys.argv[4:]])
"""


@pytest.mark.parametrize("point", ["crawler", "engine"])
@pytest.mark.parametrize(("command", "signame"), [("clippings", "SIGINT"), ("scrapy", "SIGTERM")])
def test_a_signal_while_the_crawl_starts_stops_it_recorded_with_status_1(tmp_path, point, command, signame):
    out = tmp_path / "out"
    replay = ["--replay", str(ROOT / "fixtures"), "--output", str(out)]
    if command == "scrapy":
        replay = ["-s", f"CLIPPINGS_REPLAY={ROOT / 'fixtures'}", "-s", f"CLIPPINGS_OUTPUT_DIR={out}"]
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, point, signame, command, "crawl", "le360", *replay, *FAST],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode == 1, done.stdout + done.stderr[-3000:]
    assert "stopping: finishing 0 pages in flight" in done.stderr
    (run,) = read_runs(out)
    assert (run["outcome"], run["finish_reason"], run["exit_status"]) == ("stopped", "shutdown", 1)
    assert run["pages"] == 0 and read_output(out) == [], "nothing is fetched once the signal came"
    assert started_marks(out) == {}, "the line replaced the started mark"
    if command == "clippings":
        assert "le360: stopped (shutdown)" in done.stdout


def test_a_ctrl_c_while_waiting_for_another_crawls_lock_ends_the_wait_with_status_1(tmp_path):
    out = tmp_path / "out"
    other = WriterLock(out, "le360")  # another crawl of le360, writing
    assert other.try_acquire()
    options = ["--replay", str(ROOT / "fixtures"), "--output", str(out), "-s", "CLIPPINGS_LOCK_WAIT=600", *FAST]
    process = subprocess.Popen(
        [sys.executable, "-m", "clippings.cli", "crawl", "le360", "le360_ar", *options],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # le360_ar's lock taken (its holder's pid written): the command waits for le360's.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if json.loads(lock_path(out, "le360_ar").read_text() or "{}").get("pid") == process.pid:
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)  # not the 600 s of the lock wait
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        other.release()
    assert "Traceback" not in stderr, stderr[-3000:]
    assert process.returncode == 1, stdout + stderr[-3000:]
    assert "stopped before the crawl started: nothing was fetched or written" in stderr
    assert read_runs(out) == [] and read_output(out) == []
    again = run_clippings("crawl", "le360_ar", "--replay", str(ROOT / "fixtures"), "--output", str(out), *FAST)
    assert again.returncode == 0, "the lock of the site it took is let go: " + again.stderr[-3000:]
