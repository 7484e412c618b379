"""One writer per collection and site: ``DIR/.state/<site>.lock``, held by the crawl itself.

Two crawls of one site started together into one folder: exactly one writes, the other
exits 75 with one line and writes nothing; over repeated rounds every article is there
once; a crawl of the other site at the same time is unaffected. ``scrapy crawl`` holds the
lock too.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from clippings.collection.lock import Busy, WriterLock, acquire_all, lock_path
from tests.helpers.bulk import build_pages, write_warc
from tests.helpers.crawl import read_output, run_clippings
from tests.helpers.fixturelib import FIXTURES, ROOT

LINE = re.compile(
    r"^(?P<out>.+/) is being written by another crawl of (?P<site>\w+) \(pid (?P<pid>\d+), since \d\d:\d\d:\d\d\); not starting$"
)


def _today_at(hour: int, minute: int, second: int) -> float:
    now = time.localtime()
    return time.mktime((now.tm_year, now.tm_mon, now.tm_mday, hour, minute, second, 0, 0, -1))


def test_the_line_says_which_folder_site_process_and_since_when():
    busy = Busy("output", "le360", 1234, _today_at(10, 5, 3))
    assert str(busy) == "output/ is being written by another crawl of le360 (pid 1234, since 10:05:03); not starting"
    assert str(Busy("/srv/out/", "almaghribtoday", 7, None)) == (
        "/srv/out/ is being written by another crawl of almaghribtoday (pid 7); not starting"
    )
    yesterday = _today_at(10, 5, 3) - 86400
    assert f"since {time.strftime('%Y-%m-%d', time.localtime(yesterday))} 10:05:03)" in str(
        Busy("output", "le360", 1, yesterday)
    )


def test_one_holder_at_a_time_even_within_one_process(tmp_path):
    first, second = WriterLock(tmp_path, "le360"), WriterLock(tmp_path, "le360")
    assert first.try_acquire() and first.path == lock_path(tmp_path, "le360") == tmp_path / ".state" / "le360.lock"
    assert not second.try_acquire()
    busy = second.busy()
    assert busy.pid == os.getpid() and abs(busy.since - time.time()) < 60
    assert WriterLock(tmp_path, "almaghribtoday").try_acquire()  # another site: its own lock
    first.release()
    assert second.try_acquire()
    second.release()
    assert lock_path(tmp_path, "le360").exists()  # never deleted


def test_waiting_for_the_lock_up_to_the_limit(tmp_path):
    holder = WriterLock(tmp_path, "le360")
    holder.acquire()
    clock = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        clock[0] += seconds
        if clock[0] >= 2:
            holder.release()

    waiter = WriterLock(tmp_path, "le360")
    busy = acquire_all([waiter], 1.0, sleep, lambda: clock[0])
    assert len(busy) == 1 and not waiter.held and 0.9 <= sum(slept) <= 1.0
    assert acquire_all([waiter], 10.0, sleep, lambda: clock[0]) == []
    assert waiter.held
    waiter.release()


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from clippings.collection.lock import WriterLock\nWriterLock({str(tmp_path)!r}, 'le360').acquire()\n"
            "print('held', flush=True)\nimport time\ntime.sleep(60)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "held\n"
    assert not WriterLock(tmp_path, "le360").try_acquire()
    assert WriterLock(tmp_path, "le360").busy().pid == holder.pid
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    holder.stdout.close()
    assert WriterLock(tmp_path, "le360").try_acquire()


@pytest.fixture
def held_le360(tmp_path):
    """The le360 lock of ``tmp_path/out``, held by another process."""
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from clippings.collection.lock import WriterLock\nWriterLock({str(out)!r}, 'le360').acquire()\n"
            "print('held', flush=True)\nimport sys\nsys.stdin.readline()",
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "held\n"
    yield out, holder
    if holder.returncode is None:  # not let go by the test
        holder.communicate("\n", timeout=30)


def test_the_command_refused_by_the_lock_prints_one_line_exits_75_and_writes_nothing(held_le360):
    out, holder = held_le360
    done = run_clippings("crawl", "le360", "--replay", str(FIXTURES), "--output", str(out), timeout=120)
    assert done.returncode == 75, done.stderr[-3000:]
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    match = LINE.match(done.stderr.rstrip("\n"))
    assert match and match["out"] == f"{out}/" and match["site"] == "le360" and int(match["pid"]) == holder.pid
    assert sorted(p.name for p in out.rglob("*")) == [".state", "le360.lock"]  # no state, no line


def test_the_command_runs_the_free_sites_and_still_exits_75(held_le360):
    out, _holder = held_le360
    done = run_clippings(
        "crawl", "le360", "almaghribtoday", "--replay", str(FIXTURES), "--output", str(out), timeout=120
    )
    assert done.returncode == 75, done.stderr[-3000:]
    assert LINE.match(done.stderr.splitlines()[0])
    assert {r["site"] for r in read_output(out)} == {"almaghribtoday"}
    assert re.search(r"^almaghribtoday\s", done.stdout, re.M) and not re.search(r"^le360\s", done.stdout, re.M)


def test_the_command_waits_for_the_lock(held_le360):
    out, holder = held_le360
    started = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "clippings.cli",
            "crawl",
            "le360",
            "--replay",
            str(FIXTURES),
            "--output",
            str(out),
            "-s",
            "CLIPPINGS_LOCK_WAIT=60",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)
    assert process.poll() is None  # waiting
    holder.communicate("\n", timeout=30)  # the other crawl ends
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr[-3000:]
    assert time.monotonic() - started >= 2
    assert len(read_output(out)) > 0


def _scrapy_crawl(out, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy.cmdline",
            "crawl",
            "le360",
            "-s",
            f"CLIPPINGS_REPLAY={FIXTURES}",
            "-s",
            f"CLIPPINGS_OUTPUT_DIR={out}",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_scrapy_crawl_holds_the_lock_too(held_le360):
    out, holder = held_le360
    done = _scrapy_crawl(out)
    errors = [line for line in done.stderr.splitlines() if " ERROR: " in line]
    assert len(errors) == 1, done.stderr[-3000:]
    line = errors[0].split(" ERROR: ", 1)[1]
    assert LINE.match(line) and f"(pid {holder.pid}," in line
    assert "'finish_reason': 'locked'" in done.stderr
    assert "Traceback" not in done.stderr
    assert read_output(out) == [] and not (out / ".state" / "state.sqlite").exists()


def test_scrapy_crawl_lets_go_of_the_lock_when_it_is_done(tmp_path):
    out = tmp_path / "out"
    done = _scrapy_crawl(out)
    assert "'finish_reason': 'finished'" in done.stderr, done.stderr[-3000:]
    assert len(read_output(out)) > 0
    assert WriterLock(out, "le360").try_acquire()


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "clippings.cli", "crawl", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_crawls_of_one_site_started_together_one_writes_every_article_once(tmp_path):
    """Two rounds of 2,000 new pages, each crawled by two le360 crawls started together and
    an almaghribtoday crawl beside them, all into one folder."""
    out = tmp_path / "out"
    expected: Counter[str] = Counter()
    for round_ in range(2):
        pages = build_pages(2000, start=2000 * round_)
        expected.update(site for site, _ in pages if site in ("le360", "almaghribtoday"))
        warc = tmp_path / f"round-{round_}.warc.gz"
        write_warc(pages, warc, entry_points=True)
        common = ["--replay", str(warc), "--output", str(out)]
        crawls = [_start("le360", *common), _start("le360", *common), _start("almaghribtoday", *common)]
        results = [(process, *process.communicate(timeout=600)) for process in crawls]
        le360 = results[:2]
        codes = sorted(process.returncode for process, _, _ in le360)
        assert codes == [0, 75], [(p.returncode, err[-2000:]) for p, _, err in results]
        writer = next(r for r in le360 if r[0].returncode == 0)
        refused = next(r for r in le360 if r[0].returncode == 75)
        assert refused[1] == ""
        match = LINE.match(refused[2].rstrip("\n"))
        assert match and refused[2].count("\n") == 1, refused[2]
        assert int(match["pid"]) == writer[0].pid and match["out"] == f"{out}/"
        other = results[2]
        assert other[0].returncode == 0, other[2][-3000:]
        records = read_output(out)
        ids = Counter((r["site"], r["article_id"]) for r in records)
        assert max(ids.values()) == 1, [k for k, v in ids.items() if v > 1][:5]
        assert Counter(r["site"] for r in records) == expected


def test_the_run_history_is_appended_while_the_lock_is_held(tmp_path):
    """The crawl lets go of its lock only after its line of ``.state/runs.ndjson``: a probe
    wraps the history's append and tries the lock from a descriptor of its own."""
    probe = tmp_path / "probe" / "lockprobe.py"
    probe.parent.mkdir()
    probe.write_text(
        "import json, os\n"
        "import clippings.crawl.extensions.history as extensions\n"
        "from clippings.collection.lock import WriterLock\n"
        "class Probe:\n"
        "    @classmethod\n"
        "    def from_crawler(cls, crawler):\n"
        "        append = extensions.append_run\n"
        "        def append_run(directory, record):\n"
        "            free = WriterLock(directory, record['site']).try_acquire()\n"
        "            with open(os.environ['PROBE_OUT'], 'a') as out:\n"
        "                out.write(json.dumps({'site': record['site'], 'free': free}) + '\\n')\n"
        "            return append(directory, record)\n"
        "        extensions.append_run = append_run\n"
        "        return cls()\n"
    )
    import json

    from clippings.settings import EXTENSIONS

    extensions = json.dumps({**EXTENSIONS, "lockprobe.Probe": 0})  # -s replaces the whole dict
    out, seen = tmp_path / "out", tmp_path / "seen.jsonl"
    env = {**os.environ, "PYTHONPATH": f"{probe.parent}{os.pathsep}{ROOT}", "PROBE_OUT": str(seen)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy.cmdline",
            "crawl",
            "le360",
            "-s",
            f"CLIPPINGS_REPLAY={FIXTURES}",
            "-s",
            f"CLIPPINGS_OUTPUT_DIR={out}",
            "-s",
            f"EXTENSIONS={extensions}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert "'finish_reason': 'finished'" in done.stderr, done.stderr[-3000:]
    assert seen.read_text().splitlines() == ['{"site": "le360", "free": false}']
    assert WriterLock(out, "le360").try_acquire()  # and let go of once the crawl ended
