"""``clippings reextract`` stopped hard says so, as a crawl does: a second SIGTERM or Ctrl-C ends
it at once with its run-history line (``forced``, 143 or 130), and a client killed outright
leaves its ``started`` mark, which ``clippings status`` shows as ``interrupted``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from bench.throughput import build_pages, write_warc
from clippings.collection.runs import read_runs
from tests.helpers.crawl import ROOT, read_output, run_clippings


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    pages = build_pages(300, sites=["le360"])
    warc = tmp_path_factory.mktemp("archive") / "pages.warc.gz"
    write_warc(pages, warc)
    return pages, warc


# The command in a process of its own, in one process (no Dask), the first signal sent to
# itself as the second shard is taken, the second while it closes its collection (the cleanup
# the first one started): each reaches its handler at the next bytecode, so the test is exact.
_SIGNALLED = """
import os, sys
sys.modules["distributed"] = None
from clippings.cli import main
from clippings.reextract.writer import Collection

signum, take, close, taken = int(sys.argv[1]), Collection.take, Collection.close, []

def taking(self, result):
    take(self, result)
    taken.append(result)
    if len(taken) == 2:
        os.kill(os.getpid(), signum)

def closing(self):
    os.kill(os.getpid(), signum)
    close(self)

Collection.take, Collection.close = taking, closing
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_second_signal_ends_it_at_once_and_the_history_says_forced(tmp_path, archive, signum):
    # It ended with no history line and no summary (killed by the SIGTERM, a traceback
    # for the Ctrl-C): `clippings status` still showed the run before.
    pages, warc = archive
    out = tmp_path / "out"
    command = [sys.executable, "-c", _SIGNALLED, str(int(signum)), "reextract", str(warc), "--output", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 128 + signum, done.stderr[-3000:]
    assert "le360: forced to stop" in done.stdout and "forced to stop by a second signal" in done.stderr
    (run,) = read_runs(out)
    assert (run["outcome"], run["finish_reason"], run["exit_status"]) == ("forced", "forced", 128 + signum)
    written = len(read_output(out))
    assert run["written"] == written and 0 < written < len(pages)
    assert not list((out / ".state").glob("*.started"))
    again = run_clippings("reextract", str(warc), "--output", str(out), "--dask", "local:1")
    assert again.returncode == 0, again.stderr[-3000:]
    records = read_output(out)  # every article once
    assert len(records) == len({r["article_id"] for r in records}) == len(pages)


# Stop signals sent to itself as the local Dask cluster starts, in the middle of its start.
_AT_START = """
import os, sys
import distributed.deploy.local as local
from clippings.cli import main

count, start = int(sys.argv[1]), local.LocalCluster.__init__

def starting(self, *args, **kwargs):
    for _ in range(count):
        os.kill(os.getpid(), 15)
    start(self, *args, **kwargs)

local.LocalCluster.__init__ = starting
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize(("count", "status"), [(1, 1), (2, 143)])
def test_a_stop_while_the_dask_cluster_starts_is_taken_once_it_is_up(tmp_path, archive, count, status):
    # It interrupted Dask's start: a traceback, another from Dask's exit, exit status 130.
    _, warc = archive
    out = tmp_path / "out"
    command = [sys.executable, "-c", _AT_START, str(count), "reextract", str(warc), "--output", str(out)]
    done = subprocess.run([*command, "--dask", "local:1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == status, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    said = "interrupted: what is written stays" if count == 1 else "forced to stop by a second signal"
    assert said in done.stderr and "stopped before a record was read" in done.stdout
    assert read_output(out) == [] and read_runs(out) == []


def test_a_client_killed_outright_is_shown_interrupted(tmp_path, archive):
    _, warc = archive
    out = tmp_path / "out"
    folder = tmp_path / "no-dask"  # one process: no Dask to import
    folder.mkdir()
    for name in ("dask", "distributed"):
        (folder / f"{name}.py").write_text("raise ImportError('not installed here')\n")
    command = [sys.executable, "-m", "clippings.cli", "reextract", str(warc), "--output", str(out)]
    env = {**os.environ, "PYTHONPATH": str(folder)}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (out / ".state" / "le360.started").exists() and time.monotonic() < deadline:
            assert process.poll() is None, "it ended before it was killed"
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    assert read_runs(out) == []
    status = run_clippings("status", str(out))
    assert status.returncode == 1
    assert "interrupted" in status.stdout and f"(pid {process.pid})" in status.stdout, status.stdout
    done = run_clippings("reextract", str(warc), "--output", str(out), env={"PYTHONPATH": str(folder)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert not (out / ".state" / "le360.started").exists()
    assert "interrupted" not in run_clippings("status", str(out)).stdout
