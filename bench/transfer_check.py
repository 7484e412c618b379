"""Benchmark: what the cut-transfer check (clippings.crawl.transfer.cut_reason) costs a page.

Not a test. Run `python bench/transfer_check.py [--rounds N]`. Takes every saved article
page of the fixtures, gzips it as a server would, and times, page by page in one run:
(a) ``cut_reason`` on the gzipped bytes (it inflates them to find the stream's end),
(b) ``gzip.decompress`` (what Scrapy's HttpCompressionMiddleware does to every page anyway),
(c) ``trafilatura.extract`` of the page (a reference for the cost of reading it).
Prints the totals of each round and the ratios a/b and a/c; compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

import trafilatura

from clippings.crawl.transfer import cut_reason
from clippings.replay.fixture import article_fixtures


def timed(function, items) -> float:
    start = time.perf_counter()
    for item in items:
        function(item)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    bodies = [f.body for f in article_fixtures(FIXTURES) if f.body]
    zipped = [gzip.compress(body) for body in bodies]
    headers = {b"content-encoding": b"gzip"}
    assert all(cut_reason(headers, z) is None for z in zipped)
    print(f"{len(bodies)} pages, {sum(map(len, bodies)) / len(bodies) / 1024:.0f} KiB each on average")
    print("round  (a) check s  (b) inflate s  (c) extract s   a/b    a/c")
    ab, ac = [], []
    for number in range(1, args.rounds + 1):
        a = timed(lambda z: cut_reason(headers, z), zipped)
        b = timed(gzip.decompress, zipped)
        c = timed(lambda body: trafilatura.extract(body.decode("utf-8", "replace")), bodies)
        ab.append(a / b)
        ac.append(a / c)
        print(f"{number:>5}  {a:>11.4f}  {b:>13.4f}  {c:>13.4f}  {a / b:>5.2f}  {a / c:>6.4f}")
    print(f"median ratios: a/b {statistics.median(ab):.2f}, a/c {statistics.median(ac):.4f}")


if __name__ == "__main__":
    main()
