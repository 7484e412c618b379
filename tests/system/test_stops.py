"""Stops that say what they are: signals sent to a real ``clippings crawl`` of a local, slow site.

The site (tests/helpers/httpsite.py) answers every article page slowly, so that pages are in flight
when the signal arrives; its request log shows what the crawl asked for, and when.
"""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from clippings.collection.runs import read_runs
from clippings.state.marks import started_marks
from tests.helpers.crawl import read_output, run_clippings
from tests.helpers.fixturelib import ROOT
from tests.helpers.httpsite import LocalSite, wait_for_hits
from tests.helpers.le360site import SITEMAP, slow_site
from tests.helpers.pages import le360_url

STOPPING = re.compile(r"stopping: finishing (\d+) pages in flight \(Ctrl-C again to force\)")
NOW = datetime.now(UTC)


class Crawl:
    """A ``clippings crawl le360`` in a subprocess; its stderr read as it comes."""

    def __init__(self, site: LocalSite, out: Path, *extra: str, scrapy: bool = False) -> None:
        command = (
            (sys.executable, "-m", "scrapy.cmdline", "crawl", "le360", "-s", f"CLIPPINGS_OUTPUT_DIR={out}")
            if scrapy
            else (sys.executable, "-m", "clippings.cli", "crawl", "le360", "--output", str(out), "--new")
        )
        self.process = subprocess.Popen(
            [
                *command,
                *site.settings(),
                *("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", *extra),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.stderr: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)

    def wait_for(self, pattern: re.Pattern[str], timeout: float = 60) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.stderr):
                found = pattern.search(line)
                if found:
                    return found
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"no {pattern.pattern!r} in: {''.join(self.stderr)[-3000:]}")

    def finish(self, timeout: float = 120) -> tuple[int, str, str]:
        assert self.process.stdout is not None
        stdout = self.process.stdout.read()  # not communicate(): it would read stderr too
        self.process.wait(timeout=timeout)
        self.reader.join(timeout=10)
        self.process.stdout.close()
        self.process.stderr.close()  # type: ignore[union-attr]
        return self.process.returncode, stdout, "".join(self.stderr)

    def stop(self) -> None:
        """Whatever happened, the crawl is not left running (killed by its id), its pipes closed."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None and not stream.closed:
                with contextlib.suppress(OSError):
                    stream.close()


def test_one_ctrl_c_says_so_and_fetches_nothing_new(tmp_path):
    with LocalSite() as site:
        # Two at a time, each slow: the sitemap (5 s) or articles (2 s). The signal comes while
        # two are in flight and more are queued; the sitemap, in flight or queued, lists an
        # article that is found only once it is in.
        urls, late = slow_site(site, delay=2.0)
        crawl = Crawl(site, tmp_path, "-s", "CLIPPINGS_PROGRESS_LIVE=True")  # the live display, on stderr
        try:
            wait_for_hits(site, urls, 2, quiet=0.4)
            signalled = time.monotonic()
            crawl.process.send_signal(signal.SIGINT)
            status, stdout, stderr = crawl.finish()
        finally:
            crawl.stop()
        log = site.log()
    after = [hit.url for hit in log if hit.at >= signalled]
    assert after == [], f"asked for after the signal: {after}"
    slow = (*urls, SITEMAP)
    in_flight = [hit.url for hit in log if hit.url in slow and hit.at > signalled - site.page(hit.url).delay]
    (line,) = [text for text in stderr.splitlines() if STOPPING.search(text)]
    assert "WARNING" in line and int(STOPPING.search(line).group(1)) == len(in_flight), stderr[-3000:]
    assert late not in {hit.url for hit in log}, "nothing discovered after the signal is fetched"
    assert re.search(r"\x1b\[Kle360: \d+ pages done, [^\r\n]*, stopping", stderr), "the live line says it"
    # The pages in flight finished and were written; the others were neither fetched nor counted.
    assert {r["url"] for r in read_output(tmp_path)} == {hit.url for hit in log if hit.url in urls}
    assert status == 1, stdout + stderr[-3000:]
    assert "stopped (shutdown)" in stdout
    (run,) = read_runs(tmp_path)
    assert (run["outcome"], run["finish_reason"], run["exit_status"]) == ("stopped", "shutdown", 1)
    assert run["errors"] == {}, "pages not fetched because of the stop are no errors"
    assert started_marks(tmp_path) == {}, "the line replaced the started mark"


def test_scrapy_crawl_stopped_by_one_sigterm_exits_1_as_its_history_line_says(tmp_path):
    # Scrapy's own crawl command exits 0 however the crawl ended: a scheduler running
    # `scrapy crawl` (a Scrapyd cancel is this signal) would take the stop for a good run.
    with LocalSite() as site:
        urls, _ = slow_site(site, delay=2.0)
        crawl = Crawl(site, tmp_path, scrapy=True)
        try:
            wait_for_hits(site, urls, 2, quiet=0.4)
            crawl.process.send_signal(signal.SIGTERM)
            status, _, stderr = crawl.finish()
        finally:
            crawl.stop()
    (run,) = read_runs(tmp_path)
    assert (run["outcome"], run["finish_reason"], run["exit_status"]) == ("stopped", "shutdown", 1)
    assert status == 1, stderr[-3000:]


def test_scrapy_crawl_that_finishes_exits_0(tmp_path):
    with LocalSite() as site:
        slow_site(site, delay=0, articles=2)
        crawl = Crawl(site, tmp_path, scrapy=True)
        try:
            status, _, stderr = crawl.finish()
        finally:
            crawl.stop()
    (run,) = read_runs(tmp_path)
    assert (run["outcome"], run["exit_status"]) == ("finished", 0), run
    assert status == 0, stderr[-3000:]


def _forced(tmp_path: Path, signum: int, *extra: str) -> tuple[int, str, str, dict]:
    with LocalSite() as site:
        urls, _ = slow_site(site, delay=30)  # pages in flight for longer than the test
        crawl = Crawl(site, tmp_path, *extra)
        try:
            wait_for_hits(site, urls, 2)
            crawl.process.send_signal(signum)
            crawl.wait_for(STOPPING)
            crawl.process.send_signal(signum)
            status, stdout, stderr = crawl.finish(timeout=60)
        finally:
            crawl.stop()
    (run,) = read_runs(tmp_path)
    return status, stdout, stderr, run


def test_double_ctrl_c_ends_at_once_with_130_and_a_forced_line(tmp_path):
    status, stdout, stderr, run = _forced(tmp_path, signal.SIGINT)
    assert status == 130, stderr[-3000:]
    assert (run["outcome"], run["finish_reason"], run["exit_status"]) == ("forced", "forced", 130)
    assert "forced to stop" in stdout, "the summary is printed before the end"
    assert "forced stop (SIGINT twice)" in stderr
    assert started_marks(tmp_path) == {}


def test_double_sigterm_ends_at_once_with_143_and_a_forced_line(tmp_path):
    # At the ERROR log level too, the first signal says it is stopping (wait_for finds it).
    status, _, stderr, run = _forced(tmp_path, signal.SIGTERM, "--loglevel", "ERROR")
    assert status == 143, stderr[-3000:]
    assert (run["outcome"], run["finish_reason"], run["exit_status"]) == ("forced", "forced", 143)


def test_a_killed_crawl_shows_as_interrupted_not_no_run(tmp_path):
    with LocalSite() as site:
        urls, _ = slow_site(site, delay=30)
        crawl = Crawl(site, tmp_path)
        try:
            wait_for_hits(site, urls, 2)
            (mark,) = started_marks(tmp_path).values()
            shown = run_clippings("status", str(tmp_path))
        finally:
            crawl.process.send_signal(signal.SIGKILL)
            crawl.finish(timeout=60)
            crawl.stop()
    assert mark["site"] == "le360" and mark["pid"] == crawl.process.pid
    assert "interrupted" not in shown.stdout, "a crawl still running is not interrupted"
    assert read_runs(tmp_path) == []
    done = run_clippings("status", str(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    (row,) = [line for line in done.stdout.splitlines() if line.startswith("le360")]
    assert " interrupted " in f"{row} " and "NO RUN" not in row, done.stdout
    assert "no end recorded" in done.stdout


def _quick_crawl(site: LocalSite, out: Path, *extra: str):
    return run_clippings("crawl", "le360", "--output", str(out), *site.settings(), *extra, timeout=120)


def test_a_finished_jobdir_is_refused_in_one_line_and_a_new_collection_is_said(tmp_path):
    out, jobdir, other = tmp_path / "out", tmp_path / "job", tmp_path / "other"
    with LocalSite() as site:
        urls, _ = slow_site(site, delay=0, articles=3)
        first = _quick_crawl(site, out, "-s", f"JOBDIR={jobdir}")
        assert first.returncode == 0, first.stderr[-3000:]
        assert f"WARNING: starting a new collection in {out}" in first.stderr
        site.clear_log()
        again = _quick_crawl(site, out, "-s", f"JOBDIR={jobdir}")
        assert site.log() == [], "a finished JOBDIR fetches nothing"
        later = _quick_crawl(site, out)
        new = _quick_crawl(site, other, "--new")
    assert again.returncode == 2, again.stderr
    (line,) = again.stderr.splitlines()
    assert f"JOBDIR {jobdir}: its crawl finished" in line and "To start afresh, delete that folder" in line
    assert later.returncode == 0 and "new collection" not in later.stderr, later.stderr[-3000:]
    assert new.returncode == 0 and "new collection" not in new.stderr, new.stderr[-3000:]
    assert {r["url"] for r in read_output(out)} == {*urls, le360_url("decouvert-tard")}
