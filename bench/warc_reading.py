"""Benchmark: the replay's own WARC reading against warcio's, on one recorded WARC.

Two jobs: indexing a gzipped WARC with no side index (``scan_gzipped_records``, which
inflates each member in C and parses its WARC header by hand, against ``scan_with_warcio``)
and reading every response back (``plain_record``, which slices the inflated record, against
warcio's ``ArchiveIterator`` at the record's offset). Also the side index read. Rounds are
interleaved; the best of each is printed, and the ratios.

    python bench/warc_reading.py [--pages N] [--rounds R]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throughput import build_pages, write_warc
from clippings.replay.index import plain_record, read_side_index, scan_gzipped_records, scan_with_warcio
from clippings.replay.stores import WarcStore


def _timed(job) -> float:
    started = time.perf_counter()
    job()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pages.warc.gz"
        write_warc(build_pages(args.pages), path)
        records = read_side_index(path)
        assert records == scan_with_warcio(path) == scan_gzipped_records(path)[0]
        store = WarcStore(path)
        raw = path.read_bytes()

        def read_plain() -> None:
            for _, offset, length in records:
                assert plain_record(raw[offset : offset + length]) is not None

        def read_warcio() -> None:
            for _, offset, _ in records:
                store._read_with_warcio(offset)

        jobs = {
            "scan: own": lambda: scan_gzipped_records(path),
            "scan: warcio": lambda: scan_with_warcio(path),
            "side index": lambda: read_side_index(path),
            "read: own": read_plain,
            "read: warcio": read_warcio,
        }
        best = {name: float("inf") for name in jobs}
        for _ in range(args.rounds):
            for name, job in jobs.items():
                best[name] = min(best[name], _timed(job))
        size = path.stat().st_size / 1e6
        print(f"{len(records)} records, {size:.1f} MB; best of {args.rounds} interleaved rounds")
        for name, seconds in best.items():
            print(f"{name:<14} {seconds * 1000:8.1f} ms  {len(records) / seconds:10.0f} records/s")
        print(f"scan:  warcio / own {best['scan: warcio'] / best['scan: own']:.2f}")
        print(f"read:  warcio / own {best['read: warcio'] / best['read: own']:.2f}")
        print(f"index: scan own / side index {best['scan: own'] / best['side index']:.1f}")


if __name__ == "__main__":
    main()
