"""Progress: a live line on a terminal, plain periodic log lines otherwise, a summary at the end.

Pages come from a local server (replayed responses skip the download delay, so a replay
crawl ends before any progress is due).
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest

from tests.helpers.crawl import run_clippings
from tests.helpers.fixturelib import ROOT
from tests.helpers.pages import PageServer, article_html, le360_url, send

# Slow enough (0.2 s a page) for a 0.2 s progress interval to tick a few times.
SLOW = [
    "-s",
    "DOWNLOAD_DELAY=0.2",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "CLIPPINGS_PROGRESS_INTERVAL=0.2",
]
LINE = re.compile(r"le360: (\d+) pages done, (\d+) queued, (\d+) written, (\d+) errors, (\d+) pages/min")


@pytest.fixture
def server():
    with PageServer() as server:
        yield server


def _args(server, tmp_path, count: int = 6) -> list[str]:
    args = ["crawl", "le360", "--output", str(tmp_path / "out"), *SLOW]
    for i in range(count):
        url = le360_url(f"article-{i}", "http://fr.le360.ma")
        server.routes[url] = send(200, article_html(title=f"Article {i}").encode())
        args += ["--url", url]
    return args


def _env(server) -> dict[str, str]:
    return {**os.environ, "http_proxy": server.proxy, "no_proxy": ""}


def test_periodic_log_lines_when_not_on_a_terminal(tmp_path, server):
    done = run_clippings(*_args(server, tmp_path), "--loglevel", "INFO", timeout=120, env=_env(server))
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if "[clippings.crawl.extensions] INFO: progress: " in line]
    assert len(lines) >= 2, done.stderr[-2000:]
    counts = [tuple(map(int, LINE.search(line).group(1, 3))) for line in lines]
    assert counts == sorted(counts)  # pages and articles only grow
    assert "\x1b[K" not in done.stderr  # no terminal codes in a log
    # The lines are Scrapy's LogStats', in its place: no second periodic line of Scrapy's own.
    assert (
        "'clippings.crawl.extensions.SiteLogStats'" in done.stderr
        and "'scrapy.extensions.logstats.LogStats'" not in done.stderr
    )
    assert "Crawled " not in done.stderr
    # The summary table at the end.
    assert re.search(
        r"^le360\s+\d+\s+6\s+0\s+0\s+0\s+0\n  no title 0/6, no lead 6/6, .*\n    no date 0/6, no author 0/6, no body 0/6,",
        done.stdout,
        re.M,
    ), done.stdout


def test_quiet_by_default_when_not_on_a_terminal(tmp_path, server):
    done = run_clippings(*_args(server, tmp_path, count=3), timeout=120, env=_env(server))
    assert done.returncode == 0
    assert "progress:" not in done.stderr and "\x1b[K" not in done.stderr


def test_live_line_on_a_terminal(tmp_path, server):
    """stderr is a pseudo-terminal: the line is redrawn in place, then cleared for the summary."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "clippings.cli", *_args(server, tmp_path)],
        cwd=ROOT,
        env=_env(server),
        stdout=subprocess.PIPE,
        stderr=follower,
        text=True,
    )
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    stdout = process.communicate(timeout=120)[0]
    os.close(leader)
    assert process.returncode == 0, screen[-2000:]
    text = screen.decode("utf-8", "replace")
    redraws = [m for m in re.finditer(r"\r\x1b\[K(le360: [^\r]*)", text)]
    assert len(redraws) >= 2, text[-2000:]
    assert LINE.search(redraws[-1].group(1))
    assert text.endswith("\r\x1b[K")  # cleared before the summary
    assert stdout.startswith("site ")
