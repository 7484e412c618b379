"""A full disk or an unwritable output folder stops the crawl with a clear error.

Tests run as root, for whom permission bits block nothing, so the failures are real ones
of another kind: a day file that is /dev/full (every write fails with ENOSPC), an output
path under a regular file (ENOTDIR), and, in-process, a write cut short.
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys

import pytest

from clippings.collection.output import JsonLinesWriter, OutputError, encode_line
from clippings.collection.runs import read_runs
from clippings.collection.validate import validate_files
from tests.helpers.crawl import read_output, run_clippings
from tests.helpers.fixturelib import ROOT
from tests.helpers.pages import ReplayFolder, article_html, le360_url

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=1"]


def _replay(tmp_path) -> tuple[str, list[str]]:
    """Three articles fetched on 2025-09-09, three on 2025-09-10."""
    store = ReplayFolder(tmp_path / "replay")
    urls = []
    for day in ("09", "10"):
        for i in range(3):
            body = article_html(title=f"Article {day}-{i}").encode()
            urls.append(store.add(le360_url(f"jour-{day}-{i}"), body, fetched_at=f"2025-09-{day}T19:05:00Z"))
    return str(tmp_path / "replay"), urls


def test_a_short_write_leaves_the_file_whole(tmp_path, monkeypatch):
    writer = JsonLinesWriter(tmp_path)
    path = writer.write("le360", "2025-09-09", {"n": 1})
    real_write = os.write

    def disk_fills(fd, data):
        real_write(fd, data[:7])  # part of the line reaches the disk, then it is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", disk_fills)
    with pytest.raises(OutputError, match="No space left on device"):
        writer.write("le360", "2025-09-09", {"n": 2})
    monkeypatch.undo()
    writer.close()
    assert path.read_bytes() == encode_line({"n": 1})


# The crawl, with the disk full for one file: each write to it puts a few bytes on disk,
# then fails with ENOSPC, as the kernel answers when a file system fills up mid-line.
FULL_DISK = """
import errno, os, sys
from clippings.cli import main

_write = os.write

def write(fd, data):
    if os.readlink(f"/proc/self/fd/{fd}").endswith(sys.argv[1]):
        _write(fd, data[:7])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return _write(fd, data)

os.write = write
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc (Linux)")
def test_a_full_disk_stops_the_crawl_and_keeps_earlier_lines(tmp_path):
    replay, urls = _replay(tmp_path)
    out = tmp_path / "out"
    # Lines from an earlier run, which must stay as they are.
    first = run_clippings("crawl", "le360", "--replay", replay, "--output", str(out), "--url", urls[0], *FAST)
    assert first.returncode == 0, first.stderr[-2000:]
    earlier = (out / "le360" / "2025-09-09.jsonl").read_bytes()

    args = ["crawl", "le360", "--replay", replay, "--output", str(out), *FAST]
    for url in urls[1:]:
        args += ["--url", url]
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "/le360/2025-09-10.jsonl", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 1, done.stdout + done.stderr[-2000:]
    reason = f"cannot write to {out / 'le360' / '2025-09-10.jsonl'}: No space left on device"
    assert any(line.startswith("le360: output failed: ") and reason in line for line in done.stdout.splitlines())
    assert any(reason in line and "stopping the crawl" in line for line in done.stderr.splitlines())
    assert "le360: crawl ended early (output_error)" in done.stdout
    kept = out / "le360" / "2025-09-09.jsonl"
    assert kept.read_bytes().startswith(earlier)
    assert (out / "le360" / "2025-09-10.jsonl").read_bytes() == b""  # the cut line was taken back
    assert validate_files([str(kept)], io.StringIO()) == 0
    assert len(read_output(out)) <= 3  # 09-09 lines only: the crawl stopped at the full file
    # The run history has both runs, the second failed with its reason.
    first_run, failed = read_runs(out)
    assert (first_run["exit_status"], first_run["finish_reason"]) == (0, "finished")
    assert (failed["exit_status"], failed["finish_reason"]) == (1, "output_error")
    assert failed["problems"][0].startswith("output failed: ") and reason in failed["problems"][0]


def test_an_output_folder_that_cannot_exist_is_refused_before_crawling(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    replay, urls = _replay(tmp_path)
    done = run_clippings(
        "crawl",
        "le360",
        "--replay",
        replay,
        "--output",
        str(tmp_path / "a-file" / "out"),
        "--url",
        urls[0],
        timeout=60,
    )
    assert done.returncode == 2
    output = tmp_path / "a-file" / "out"
    assert done.stderr.strip() == f"clippings: --output {output}: {tmp_path / 'a-file'} is a file, not a folder"


def test_scrapy_crawl_stops_at_the_first_article_it_cannot_write(tmp_path):
    """``scrapy crawl`` and Scrapyd have no command-line check: the pipeline stops the crawl."""
    (tmp_path / "a-file").write_text("not a folder")
    replay, urls = _replay(tmp_path)
    output = tmp_path / "a-file" / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy.cmdline",
            "crawl",
            "le360",
            "-a",
            f"urls={','.join(urls)}",
            "-s",
            f"CLIPPINGS_REPLAY={replay}",
            "-s",
            f"CLIPPINGS_OUTPUT_DIR={output}",
            "-s",
            "CLIPPINGS_INCREMENTAL=False",
            *FAST,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = [line for line in done.stderr.splitlines() if "[clippings.crawl.pipelines] ERROR" in line]
    assert len(errors) == 1, done.stderr[-3000:]
    assert f"cannot write to {output / 'le360'}" in errors[0] and "Not a directory; stopping the crawl" in errors[0]
    assert "'finish_reason': 'output_error'" in done.stderr
    assert "'clippings/le360/written'" not in done.stderr


# The crawl, with the disk holding the incremental state full after a few articles: SQLite
# answers "database or disk is full", as when the file system fills up.
FULL_STATE = """
import sys
from clippings import state
from clippings.cli import main

_init = state.StateStore.__init__

def init(self, path):
    _init(self, path)
    pages = self.db.execute("PRAGMA page_count").fetchone()[0]
    self.db.execute(f"PRAGMA max_page_count = {pages + 1}")  # room for one more table, no more

state.StateStore.__init__ = init
sys.exit(main(sys.argv[1:]))
"""


def test_a_full_disk_under_the_state_is_one_line_and_the_next_run_loses_nothing(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            FULL_STATE,
            "crawl",
            "le360",
            "--replay",
            str(ROOT / "fixtures"),
            "--output",
            str(out),
            "--new",
            *FAST,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr[-3000:]
    state = out / ".state" / "state.sqlite"
    reason = f"cannot write the incremental state {state}: database or disk is full"
    assert done.stderr.splitlines() == [line for line in done.stderr.splitlines() if reason in line], done.stderr[
        -3000:
    ]
    assert len(done.stderr.splitlines()) == 1 and done.stderr.rstrip().endswith(f"{reason}; stopping the crawl")
    assert f"le360: state failed: {reason}" in done.stdout
    assert "le360: crawl ended early (state_error)" in done.stdout
    written = read_output(out)
    assert written
    # The next run, with room again: what is on disk is recorded from the files, the rest
    # is written, every article once.
    again = run_clippings("crawl", "le360", "--replay", str(ROOT / "fixtures"), "--output", str(out), *FAST)
    assert again.returncode == 0, again.stderr[-3000:]
    urls = [r["url"] for r in read_output(out)]
    assert len(urls) == len(set(urls)) > len(written)
