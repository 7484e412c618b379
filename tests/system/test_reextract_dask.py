"""``clippings reextract`` on the real engine: a ``dask scheduler`` and two ``dask worker``
processes on 127.0.0.1 (the installed command) give exactly the records of a
``clippings crawl --replay``; a worker or the client killed mid-run leaves every article
written once; a page that kills its worker twice is named, counted and skipped."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import pytest

from bench.throughput import build_pages, write_warc
from clippings.replay import side_index_path
from tests.helpers.crawl import ROOT, read_output, run_clippings, summary_rows

# Dask runs in the commands started here, never in the test process itself.
pytestmark = pytest.mark.skipif(find_spec("distributed") is None, reason="the dask extra is not installed")

DASK = Path(sys.executable).with_name("dask")


def _key(record):
    return (record["site"], record["article_id"], record["fetched_at"])


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A WARC of 600 pages (both sites, every template) with feeds listing them, and what a
    crawl replaying it writes."""
    folder = tmp_path_factory.mktemp("archive")
    warc = folder / "pages.warc.gz"
    write_warc(build_pages(600), warc)
    out = folder / "crawled"
    done = run_clippings("crawl", "all", "--replay", str(warc), "--output", str(out), "--workers", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    records = sorted(read_output(out), key=_key)
    assert len(records) > 500
    return warc, records


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@contextlib.contextmanager
def _cluster(tmp_path, workers: int = 2):
    """``dask scheduler`` and ``workers`` ``dask worker`` processes on 127.0.0.1; the address."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = [tmp_path / f"dask-{n}.log" for n in range(workers + 1)]
    started = []
    try:
        with logs[0].open("w") as log:
            started.append(
                subprocess.Popen(
                    [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=tmp_path,
                )
            )
        for n in range(1, workers + 1):
            with logs[n].open("w") as log:
                started.append(
                    subprocess.Popen(
                        [
                            str(DASK),
                            "worker",
                            address,
                            "--nworkers",
                            "1",
                            "--nthreads",
                            "1",
                            "--host",
                            "127.0.0.1",
                            "--no-dashboard",
                        ],
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        cwd=tmp_path,
                    )
                )
        _wait_for(lambda: all("Registered to" in log.read_text() for log in logs[1:]), 120, "the workers to register")
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_on_a_dask_cluster_it_writes_exactly_what_a_replay_writes(tmp_path, archive):
    warc, crawled = archive
    out = tmp_path / "out"
    with _cluster(tmp_path) as address:
        done = run_clippings("reextract", str(warc), "--output", str(out), "--dask", address)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"on Dask at {address} (2 worker threads)" in done.stdout
    assert sorted(read_output(out), key=_key) == crawled  # field for field
    assert "errors" in done.stdout.splitlines()[0]


def test_without_the_side_index_the_shards_are_byte_ranges_and_give_the_same(tmp_path, archive):
    warc, crawled = archive
    copy = tmp_path / "copy.warc.gz"
    copy.write_bytes(warc.read_bytes())
    assert not side_index_path(copy).exists()
    out = tmp_path / "out"
    done = run_clippings("reextract", str(copy), "--output", str(out), "--dask", "local:2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(read_output(out), key=_key) == crawled


# --- killed mid-run -----------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def _workers(client_pid: int) -> list[int]:
    """The Dask workers of a local cluster: the children of its fork server."""
    for child in _children(client_pid):
        with contextlib.suppress(OSError):
            if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
                return _children(child)
    return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _lines(out: Path) -> int:
    return sum(path.read_bytes().count(b"\n") for path in out.glob("*/*.jsonl"))


def _start(warc: Path, out: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "clippings.cli", "reextract", str(warc), "--output", str(out), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _once(records):
    keys = [_key(r) for r in records]
    return len(keys) == len(set(keys))


def test_a_worker_killed_mid_run_loses_nothing_and_writes_nothing_twice(tmp_path, archive):
    warc, crawled = archive
    out = tmp_path / "out"
    run = _start(warc, out, "--dask", "local:2")
    try:
        _wait_for(lambda: len(_workers(run.pid)) == 2 or run.poll() is not None, 120, "the workers")
        _wait_for(lambda: _lines(out) >= 20 or run.poll() is not None, 120, "the first lines")
        assert run.poll() is None, "finished before a worker could be killed"
        victim = _workers(run.pid)[0]
        os.kill(victim, signal.SIGKILL)
        _stdout, stderr = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == 0, stderr[-3000:]
    records = read_output(out)
    assert _once(records)
    assert sorted(records, key=_key) == crawled


def test_the_client_killed_mid_run_is_resumed_by_the_next_run(tmp_path, archive):
    warc, crawled = archive
    out = tmp_path / "out"
    run = _start(warc, out, "--dask", "local:2")
    try:
        _wait_for(lambda: _lines(out) >= 150 or run.poll() is not None, 120, "the first lines")
        assert run.poll() is None, "finished before it could be killed"
        left = _descendants(run.pid)
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=30)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    run.stdout.close()
    run.stderr.close()
    written = _lines(out)
    assert 0 < written < len(crawled)
    _wait_for(lambda: not any(_alive(pid) for pid in left), 30, "the workers of the killed client to exit")
    again = run_clippings("reextract", str(warc), "--output", str(out), "--dask", "local:2")
    assert again.returncode == 0, again.stderr[-3000:]
    records = read_output(out)
    assert _once(records)
    assert sorted(records, key=_key) == crawled
    rows = summary_rows(again.stdout)
    assert sum(row["written"] for row in rows.values()) == len(crawled) - written  # written by the rerun


def test_a_page_that_kills_its_worker_twice_is_named_counted_and_skipped(tmp_path, archive):
    warc, crawled = archive
    victim = next(r for r in crawled if r["site"] == "le360")
    crash = tmp_path / "crash.py"
    crash.write_text(
        "import os, signal\n"
        "import clippings.reextract.task as task\n"
        "def wrap(read):\n"
        "    def read_article(page, context):\n"
        "        if page.url == os.environ['CLIPPINGS_TEST_CRASH_URL']:\n"
        "            os.kill(os.getpid(), signal.SIGKILL)  # as a crash in a C library would\n"
        "        return read(page, context)\n"
        "    read_article.wrapped = True\n"
        "    return read_article\n"
        "if not getattr(task.read_article, 'wrapped', False):  # Dask may import a preload twice\n"
        "    task.read_article = wrap(task.read_article)\n"
    )
    from clippings.replay import open_store

    store = open_store(warc)
    url = next(u for u in store.urls() if victim["article_id"] in u)
    env = {"DASK_DISTRIBUTED__WORKER__PRELOAD": f'["{crash}"]', "CLIPPINGS_TEST_CRASH_URL": url}
    out = tmp_path / "out"
    done = run_clippings("reextract", str(warc), "--output", str(out), "--dask", "local:2", env=env)
    assert done.returncode == 1, done.stderr[-3000:]
    named = [line for line in done.stdout.splitlines() if "killed a worker twice" in line]
    assert len(named) == 1
    assert str(warc) in named[0] and url in named[0] and " at byte " in named[0]
    assert summary_rows(done.stdout)["le360"]["errors"] == 1, done.stdout
    records = read_output(out)
    assert _once(records)
    assert sorted(records, key=_key) == [r for r in crawled if r is not victim]
