"""Crawls past one machine: one process against 1, 2 and 3 cluster nodes plus the writer,
over the same pages.

A benchmark, not a test: it prints figures and never fails. Run:
    python bench/cluster.py [--pages N]

The same N pages (``bench/throughput.py`` builds them: both sites, every template, under
fresh URLs; every entry point of both sites answers, as in a routine run) are crawled
   (a) by one ``clippings crawl --replay`` process into a folder;
   (b) by K = 1, 2, 3 nodes (``clippings crawl --cluster --run``) and one ``clippings writer``,
       against a Redis started here (Debian's redis-server, no persistence, its own folder).
Each is timed from the start of its processes to the last line on disk (start-up included).
For (b): each node's pages and its rate over its own wall time; the writer's CPU time
(utime + stime from /proc, sampled until it exits) divided by the lines it wrote, start-up
included, and between its first lines on disk and its last (its cost a line while writing);
its CPU share of the run's wall time; and from the cost while writing, where the writer
becomes the bound: 1000 / (writer ms a line) lines/s, reached at that rate divided by one
node's rate.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.reextract import _cpu_s
from bench.throughput import build_pages
from tests.helpers.bulk import write_warc
from tests.helpers.crawl import summary_rows
from tests.helpers.pages import free_port

SITES = ("le360", "almaghribtoday")


def lines(folder: Path) -> int:
    return sum(path.read_bytes().count(b"\n") for path in folder.glob("[a-z]*/*.jsonl"))


def command(*args: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "clippings.cli", *args], cwd=ROOT, stdout=out, stderr=out)


def single(warc: Path, work: Path) -> dict[str, float]:
    out = work / "single"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "clippings.cli", "crawl", *SITES, "--replay", str(warc), "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    pages = sum(row["pages"] for row in summary_rows(done.stdout).values())
    return {"seconds": seconds, "pages": pages, "lines": lines(out)}


def cluster(warc: Path, work: Path, url: str, nodes: int, expected: int) -> dict[str, object]:
    out = work / f"cluster-{nodes}"
    run = f"bench-{nodes}"
    wlog = work / f"writer-{nodes}.log"
    started = time.perf_counter()
    writer = command("writer", "--cluster", url, "--output", str(out), "--until-idle", "10", log=wlog)
    procs = []
    for n in range(nodes):
        log = work / f"node-{nodes}-{n}.log"
        procs.append((command("crawl", *SITES, "--replay", str(warc), "--cluster", url, "--run", run,
                              "-s", "CLIPPINGS_CLUSTER_IDLE=1", log=log), log, time.perf_counter()))  # fmt: skip
    cpu = 0.0
    last_line = None
    first: tuple[float, int] | None = None  # the writer's CPU and lines when the first lines were on disk
    last: tuple[float, int] | None = None
    ended: dict[int, float] = {}
    while writer.poll() is None:
        cpu = _cpu_s(writer.pid) or cpu
        now_lines = lines(out)
        if first is None and now_lines:
            first = (cpu, now_lines)
        if last is None and now_lines >= expected:
            last = (cpu, now_lines)
        if last_line is None and now_lines >= expected:
            last_line = time.perf_counter()
        for n, (proc, _, _) in enumerate(procs):
            if n not in ended and proc.poll() is not None:
                ended[n] = time.perf_counter()
        time.sleep(0.05)
    written = lines(out)
    last_line = last_line or time.perf_counter()
    per_node = []
    for n, (proc, log, begun) in enumerate(procs):
        proc.wait()
        pages = sum(row["pages"] for row in summary_rows(log.read_text(errors="replace")).values())
        per_node.append((pages, pages / (ended.get(n, time.perf_counter()) - begun)))
    seconds = last_line - started
    return {
        "seconds": seconds,
        "lines": written,
        "pages": sum(p for p, _ in per_node),
        "per_node": per_node,
        "writer_cpu_s": cpu,
        "writer_ms_per_line": 1000 * cpu / written if written else float("nan"),
        # Its cost a line once started (start-up, Redis set-up and the mirror's rebuild apart).
        "writer_ms_per_line_running": (
            1000 * (last[0] - first[0]) / (last[1] - first[1])
            if first and last and last[1] > first[1]
            else float("nan")
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    redis = shutil.which("redis-server")
    if redis is None:
        sys.exit("bench/cluster.py needs Debian's redis-server (apt-get install redis-server)")
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        work = Path(tmp)
        warc = work / "pages.warc.gz"
        write_warc(build_pages(args.pages, sites=list(SITES)), warc, entry_points=True)
        port = free_port()
        server = subprocess.Popen(
            [redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmp],
            stdout=subprocess.DEVNULL,
        )
        url = f"redis://127.0.0.1:{port}/0"
        try:
            time.sleep(0.5)
            one = single(warc, work)
            print(f"{args.pages} pages of {', '.join(SITES)}; {os.cpu_count()} cores")
            print(
                f"  one process: {one['pages']} pages, {one['lines']} lines in {one['seconds']:.1f} s"
                f" = {one['pages'] / one['seconds']:.1f} pages/s (start-up included)"
            )
            for nodes in (1, 2, 3):
                got = cluster(warc, work, url, nodes, int(one["lines"]))
                rates = ", ".join(f"{p} pages at {r:.1f}/s" for p, r in got["per_node"])
                share = got["writer_cpu_s"] / got["seconds"]
                print(
                    f"  {nodes} node(s) + writer: {got['pages']} pages, {got['lines']} lines in {got['seconds']:.1f} s"
                    f" = {got['pages'] / got['seconds']:.1f} pages/s ({got['pages'] / got['seconds'] / (one['pages'] / one['seconds']):.2f}x one process);"
                    f" nodes: {rates}; writer {got['writer_cpu_s']:.2f} s CPU = {got['writer_ms_per_line']:.2f} ms a line"
                    f" (start-up included; {got['writer_ms_per_line_running']:.2f} ms a line while writing),"
                    f" {100 * share:.0f} % of one core over the run"
                )  # fmt: skip
                if nodes == 1:
                    bound = 1000 / got["writer_ms_per_line_running"]
                    node_rate = got["per_node"][0][1]
                    print(
                        f"    the writer's bound: 1000 / {got['writer_ms_per_line_running']:.2f} ms = {bound:.0f} lines/s;"
                        f" one node reads {node_rate:.1f} pages/s, so the writer becomes the bound at about"
                        f" {bound / node_rate:.0f} nodes (one core each)"
                    )
        finally:
            os.kill(server.pid, signal.SIGTERM)
            server.wait()


if __name__ == "__main__":
    main()
