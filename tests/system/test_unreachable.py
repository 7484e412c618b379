"""A site that cannot be reached at all: its robots.txt named in one line (no traceback), and
the run an alarm (exit status 1, ``clippings status`` ALARM), however few pages it was sent to
fetch: every one failed (clippings/core/health.py, clippings/crawl/logformat.py)."""

from __future__ import annotations

from tests.helpers.crawl import run_clippings
from tests.helpers.httpsite import LocalSite
from tests.helpers.le360site import crawl


def test_a_site_refusing_every_connection_is_an_alarm_named_in_one_line_a_page(tmp_path):
    site = LocalSite()
    with site:
        pass  # started and stopped: its port now refuses connections
    out = tmp_path / "out"
    done = crawl(site, out, "-s", "RETRY_TIMES=0")
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    robots = [line for line in done.stderr.splitlines() if "robots.txt" in line]
    assert len(robots) == 1 and "https://fr.le360.ma/robots.txt: download failed" in robots[0], done.stderr
    assert "every URL allowed" in robots[0]
    assert "2 of 2 pages it was sent to fetch failed" in done.stdout, done.stdout
    status = run_clippings("status", str(out))
    assert status.returncode == 1 and "ALARM" in status.stdout, status.stdout
