"""Re-reading archives: ``clippings reextract`` in one process and on Dask, beside trafilatura
alone and a replayed crawl with workers.

A benchmark, not a test: it prints figures and never fails. Run:
    python bench/reextract.py [--pages N] [--rounds R] [--workers W]

The same N pages (``bench/throughput.py`` builds them: both sites, every template, feeds
listing them, in a WARC with the recorder's side index) go through
   (a) a bare loop of ``trafilatura.extract`` over their bodies;
   (b) ``clippings reextract`` in one process (Dask hidden from it, as on a machine without
       the ``dask`` extra);
   (c) ``clippings reextract --dask local:W``;
   (d) ``clippings crawl --replay --workers W``.
Each is measured R times, interleaved (a, b, c, d in odd rounds, d, c, b, a in even ones);
the ratios b/a and c/b are printed per round and as medians. Around each (c) the machine's
two-process ceiling is measured as ``bench/throughput.py`` does (the same extraction work in
two processes at once against one: 2.00 on two free, equal cores).

Memory: the peak RSS of the client's process alone and of each Dask worker, and the client's
RSS at 25/50/75/100 % of the pages written (flat from 2,000 to 10,000 pages means its memory
does not grow with the archive). From the run's own figures (``reextract figures`` at INFO):
the share of the time the workers sat idle, each task's time a record and the client's time
a record; from them, how the rate would grow with more workers, and where the client becomes
the bound.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.throughput import _LineCounter, bare_trafilatura, build_pages, machine_ceiling, write_warc


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_s(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _dask_workers(client: int) -> list[int]:
    """A local cluster's workers: the children of the fork server the client started."""
    for child in _children(client):
        try:
            if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
                return _children(child)
        except OSError:
            pass
    return []


def run(kind: str, warc: Path, pages: int, workers: int, no_dask: Path) -> dict:
    out = Path(tempfile.mkdtemp(prefix="clippings-bench-"))
    env = dict(os.environ)
    if kind == "crawl":
        command = [
            "crawl",
            "le360",
            "almaghribtoday",
            "--replay",
            str(warc),
            "--output",
            str(out),
            "--workers",
            str(workers),
        ]
    else:
        command = ["reextract", str(warc), "--output", str(out), "--loglevel", "INFO"]
        if kind == "dask":
            command += ["--dask", f"local:{workers}"]
        else:
            env["PYTHONPATH"] = str(no_dask)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "clippings.cli", *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = {"client": 0}
    worker_peaks: dict[int, int] = {}
    marks: dict[int, int] = {}
    cpu = [0.0]
    lines = _LineCounter(out)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            rss = _rss_kb(process.pid)
            peak["client"] = max(peak["client"], rss)
            used = _cpu_s(process.pid)
            if used is not None:
                cpu[0] = used
            if kind == "dask":
                for pid in _dask_workers(process.pid):
                    worker_peaks[pid] = max(worker_peaks.get(pid, 0), _rss_kb(pid))
            done = lines.count() * 100 // max(pages, 1)
            for mark in (25, 50, 75, 100):
                if done >= mark and mark not in marks and rss:
                    marks[mark] = rss
            stop.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    written = _LineCounter(out).count()
    shutil.rmtree(out, ignore_errors=True)
    if process.returncode != 0:
        print(stderr[-2000:], file=sys.stderr)
    figures = {}
    for line in stderr.splitlines():
        if "reextract figures: " in line:
            figures = json.loads(line.split("reextract figures: ", 1)[1])
    return {
        "rate": written / elapsed,
        "written": written,
        "elapsed": elapsed,
        "status": process.returncode,
        "client_mb": peak["client"] / 1024,
        "worker_mb": sorted(round(v / 1024) for v in worker_peaks.values()),
        "marks_mb": {k: round(v / 1024) for k, v in sorted(marks.items())},
        "figures": figures,
        "client_cpu_s": cpu[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    pages = build_pages(args.pages)
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "bench.warc.gz"
        write_warc(pages, warc)
        no_dask = Path(tmp) / "no-dask"
        no_dask.mkdir()
        for name in ("dask", "distributed"):
            (no_dask / f"{name}.py").write_text("raise ImportError('hidden by the benchmark')\n")
        print(
            f"{len(pages)} pages in {warc.stat().st_size / 1e6:.1f} MB of WARC; {args.rounds} rounds;"
            f" {args.workers} workers; {os.cpu_count()} cores"
        )
        rounds: list[dict] = []
        for number in range(1, args.rounds + 1):
            measured: dict = {}
            steps = ["a", "b", "c", "d"]
            for step in steps if number % 2 else steps[::-1]:
                if step == "a":
                    measured["a"] = bare_trafilatura(pages)
                elif step == "b":
                    measured["b"] = run("one", warc, len(pages), args.workers, no_dask)
                elif step == "c":
                    before = machine_ceiling(pages)
                    measured["c"] = run("dask", warc, len(pages), args.workers, no_dask)
                    measured["ceiling"] = (before + machine_ceiling(pages)) / 2
                else:
                    measured["d"] = run("crawl", warc, len(pages), args.workers, no_dask)
            a, b, c, d = measured["a"], measured["b"]["rate"], measured["c"]["rate"], measured["d"]["rate"]
            measured["ratios"] = {"b/a": b / a, "c/b": c / b, "c/d": c / d}
            rounds.append(measured)
            print(
                f"round {number}: (a) {a:6.1f}  (b) {b:6.1f}  (c) {c:6.1f}  (d) {d:6.1f} pages/s;"
                f"  b/a {b / a:.2f}  c/b {c / b:.2f}  c/d {c / d:.2f};"
                f"  two-process ceiling around (c) {measured['ceiling']:.2f}",
                flush=True,
            )
        _report(rounds, args)


def _median(rounds: list[dict], pick) -> float:
    return statistics.median(pick(r) for r in rounds)


def _report(rounds: list[dict], args: argparse.Namespace) -> None:
    print(f"median of {len(rounds)} rounds:")
    print(f"(a) bare trafilatura.extract:        {_median(rounds, lambda r: r['a']):7.1f} pages/s")
    print(f"(b) reextract, one process:          {_median(rounds, lambda r: r['b']['rate']):7.1f} pages/s")
    print(f"(c) reextract --dask local:{args.workers}:        {_median(rounds, lambda r: r['c']['rate']):7.1f} pages/s")
    print(f"(d) crawl --replay --workers {args.workers}:      {_median(rounds, lambda r: r['d']['rate']):7.1f} pages/s")
    for name in ("b/a", "c/b", "c/d"):
        values = [r["ratios"][name] for r in rounds]
        print(f"    {name} = {statistics.median(values):.2f} (rounds: {', '.join(f'{v:.2f}' for v in values)})")
    ceilings = [r["ceiling"] for r in rounds]
    print(
        f"    two-process ceiling around (c): median {statistics.median(ceilings):.2f}"
        f" (rounds: {', '.join(f'{v:.2f}' for v in ceilings)}); c/b as a share of it: median"
        f" {statistics.median(r['ratios']['c/b'] / r['ceiling'] for r in rounds):.0%}"
    )
    print("memory (peak RSS, the round with the highest):")
    b = max((r["b"] for r in rounds), key=lambda x: x["client_mb"])
    c = max((r["c"] for r in rounds), key=lambda x: x["client_mb"])
    print(f"    (b) its one process {b['client_mb']:.0f} MB; at 25/50/75/100 % written: {b['marks_mb']}")
    print(
        f"    (c) the client {c['client_mb']:.0f} MB (at 25/50/75/100 % written: {c['marks_mb']}), each worker"
        f" {c['worker_mb']} MB (a worker replaced during the run counts apart)"
    )
    figures = [r["c"]["figures"] for r in rounds if r["c"]["figures"]]
    if not figures:
        return
    idle = statistics.median(f["idle_share"] for f in figures)
    task_ms = statistics.median(f["task_ms_per_record"] for f in figures)
    take_ms = statistics.median(f["client_ms_per_record"] for f in figures)
    client_ms = statistics.median(f["client_cpu_ms_per_record"] for f in figures)
    start = statistics.median(f["engine_start_s"] for f in figures)
    close = statistics.median(f["engine_close_s"] for f in figures)
    print(
        f"(c) workers idle {idle:.1%} of the time from the first shard's start to the last's end (median;"
        f" rounds: {', '.join(format(f['idle_share'], '.1%') for f in figures)})"
    )
    print(
        f"    a task's time a record {task_ms:.2f} ms (on a worker); the client's: {take_ms:.3f} ms to count,"
        f" write and record each, {client_ms:.2f} ms of its process's CPU in all from the first shard to the"
        f" last (Dask's messages, and the local cluster's scheduler and nannies, which live in it);"
        f" the local cluster took {start:.1f} s to start and {close:.1f} s to stop"
    )
    per_record = max(take_ms, client_ms)
    bound = 1000 / per_record
    print(
        f"    per added worker: rate = workers x 1000 / {task_ms:.2f} ms x (1 - {idle:.3f}), at most the client's"
        f" 1000 / {per_record:.2f} ms (the larger of its two times a record) = {bound:.0f} pages/s:"
    )
    for count in (1, 2, 4, 8, 16, 32, 64, 128, 256):
        worker_rate = count * 1000 / task_ms * (1 - idle)
        rate = min(worker_rate, bound)
        print(f"      {count:4d} workers: {rate:8.0f} pages/s{'  (client-bound)' if worker_rate >= bound else ''}")
    print(f"    the client becomes the bound at about {task_ms * (1 - idle) / per_record:.0f} workers")


if __name__ == "__main__":
    main()
