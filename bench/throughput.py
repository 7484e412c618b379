"""Throughput of replays and backfills, beside the cost of trafilatura itself.

A benchmark, not a test: it prints figures and never fails. Run:
    python bench/throughput.py [--pages N] [--workers W] [--sites SITE...] [--unknown-templates]
                               [--before TREE] [--command-per-site]

1. Builds N article pages (every site with article fixtures, or the ``--sites`` given; every
   template variant) by re-rendering the fixture articles under new URLs and ids, plus one
   feed per site listing them, into a WARC.
2. Measures in one run, on the same machine state:
   (a) a bare loop of ``trafilatura.extract`` over the same bodies;
   (b) ``clippings crawl --replay`` end to end (engine, middlewares, extraction, pipelines,
       JSONL writing);
   (c) the same with ``--workers W`` (all cores), when W > 1.
   (b0) with ``--before TREE``: (b) run by the code of another checkout (its ``clippings``
       package imported from TREE), on the same WARC: the code before a change.
   Each is measured ``--rounds`` times, interleaved (a, b0, b, c in odd rounds; c, b, b0, a
   in even ones), and its best kept; the median of each round's own ratios is printed beside
   the ratio of the bests. Beside the wall-time ratios, each round gives b/a and b0/a in pages
   per CPU second: (a) this process's CPU time in its loop, (b) and (b0) the CPU time of the
   crawls' process trees (start-ups included), which a neighbour's load moves far less.
   Each crawl runs at ``--loglevel INFO``, and the stats it dumps give the share of article
   pages by the source their body was read from (``clippings/<site>/source/body/*``; the
   code before extraction had provenance counted ``pages/unknown_template`` only), the
   containers learned, verified and forgotten, and the bodies flagged short.
   It prints pages/s for each, the ratios b/a and c/b, peak RSS (the crawl's process tree)
   and RSS at 25/50/75/100 % of the pages written (or at the last sample, when the crawl exits
   within a sampling interval of its last lines).
3. With ``--unknown-templates``, the pages are of templates the site modules do not know:
   every class token and id in each page is renamed, the same token always to the same new
   one (pages of one fixture still share a layout, which is what lets a crawl learn its
   containers), while scripts (the embedded Arc story, JSON-LD), styles, comments and metas
   are kept as they are.
4. With ``--command-per-site``, (b), (b0) and (c) are run as operators run them: one cold
   ``clippings crawl SITE --replay`` command a site, one after the other, start-ups included,
   pages/s over their summed wall time.
5. Measures, in each round, just before and just after (c), what this machine gives two
   processes at that moment: the same extraction work (``read_article`` over the first
   pages) in one process, then in two at once. The ratio (the mean of the two measurements)
   is about the most (c) could gain over (b) then: on a shared machine the cores are not
   always the same speed, nor as fast together as alone.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import multiprocessing
import os
import random
import re
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "fixtures"

import trafilatura

from clippings.replay import SavedResponse, WarcRecorder
from clippings.replay.fixture import article_fixtures
from clippings.sites import get_site


def sites_of(pages: list[tuple[str, SavedResponse]]) -> list[str]:
    """The sites the pages belong to, in the order they first appear."""
    return list(dict.fromkeys(site for site, _ in pages))


def _new_id(old_id: str, rng: random.Random, n: int) -> str:
    if not old_id.isdigit():  # an Arc id
        return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(26))
    return str(int(old_id) * 10 + 500000 + n)


# What is left as the page has it: scripts (the Fusion story, JSON-LD), styles, comments.
_KEPT = re.compile(rb"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(rb"<[A-Za-z][^<>]*>")
_NAMES = re.compile(rb"""(\s(?:class|id)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE)
_DIGIT_RUNS = re.compile(rb"[0-9]+")
_renamed: dict[bytes, bytes] = {}


def _new_token(token: bytes) -> bytes:
    """A class or id token under a new name, the same for every page. Letters from a hash of
    the token with its numbers folded, then its numbers: ``postid-123`` and ``postid-456``
    stay one name with a number, as the site wrote them. Only ASCII tokens are renamed."""
    if token not in _renamed:
        if not token.isascii():
            _renamed[token] = token
        else:
            digest = hashlib.blake2b(_DIGIT_RUNS.sub(b"#", token), digest_size=8).digest()
            name = b"x" + bytes(97 + byte % 26 for byte in digest[:7])
            _renamed[token] = name + b"".join(b"-" + run for run in _DIGIT_RUNS.findall(token))
    return _renamed[token]


def _renamed_names(match: re.Match[bytes]) -> bytes:
    value = match.group(2)
    quote = value[:1] if value[:1] in (b'"', b"'") else b""
    inner = value[1:-1] if quote else value
    tokens = re.split(rb"(\s+)", inner)
    renamed = b"".join(t if not t or t.isspace() else _new_token(t) for t in tokens)
    return match.group(1) + quote + renamed + quote


def _renamed_tag(match: re.Match[bytes]) -> bytes:
    return _NAMES.sub(_renamed_names, match.group(0))


def unknown_template(body: bytes) -> bytes:
    """The page as a template no site module knows: every class token and id renamed outside
    scripts, styles and comments. Works on the bytes (cp1256 and UTF-8 alike: every byte of
    the markup is ASCII in both)."""
    parts, last = [], 0
    for kept in _KEPT.finditer(body):
        parts.append(_TAG.sub(_renamed_tag, body[last : kept.start()]))
        parts.append(kept.group(0))
        last = kept.end()
    parts.append(_TAG.sub(_renamed_tag, body[last:]))
    return b"".join(parts)


def build_pages(
    count: int, seed: int = 7, unknown: bool = False, sites: list[str] | None = None
) -> list[tuple[str, SavedResponse]]:
    """``count`` article responses re-rendered from the fixtures (of ``sites``, else of every
    site) under fresh URLs; with ``unknown``, as templates the site modules do not know."""
    rng = random.Random(seed)
    sources = [f for f in article_fixtures(FIXTURES) if sites is None or f.site in sites]
    if not sources:
        sys.exit(f"no article fixtures of {', '.join(sites or [])}")
    pages: list[tuple[str, SavedResponse]] = []
    for n in range(count):
        fixture = sources[n % len(sources)]
        site = get_site(fixture.site)
        old_id = site.article_id(fixture.expected["url"])
        new_id = _new_id(old_id, rng, n)
        body = fixture.body
        encoding = "cp1256" if b"1256" in body[:3000] or "1256" in str(fixture.headers) else "utf-8"
        old_urls = {fixture.url, fixture.expected["url"]}
        for old in old_urls:
            new = old.replace(old_id, new_id)
            body = body.replace(old.encode(encoding, "ignore"), new.encode(encoding, "ignore"))
        body = body.replace(old_id.encode(), new_id.encode())
        if unknown:
            body = unknown_template(body)
        url = fixture.url.replace(old_id, new_id)
        pages.append(
            (
                fixture.site,
                SavedResponse(
                    url=url,
                    status=200,
                    headers=list(fixture.headers.items()),
                    body=body,
                    fetched_at=fixture.fetched_at,
                ),
            )
        )
    return pages


def write_warc(pages: list[tuple[str, SavedResponse]], path: Path) -> None:
    when = datetime(2026, 4, 8, 16, 0, tzinfo=UTC)
    with WarcRecorder(path) as recorder:
        for site in sites_of(pages):
            feed_url = get_site(site).feed_urls[0]
            items = "".join(
                f"<item><title>x</title><link>{r.url.replace('&', '&amp;')}</link>"
                f"<pubDate>{format_datetime(when - timedelta(minutes=i), usegmt=True)}</pubDate></item>"
                for i, (s, r) in enumerate(pages)
                if s == site
            )
            feed = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{site}</title>{items}</channel></rss>'
            recorder.write(
                SavedResponse(
                    feed_url, 200, [("Content-Type", "application/rss+xml; charset=utf-8")], feed.encode(), when
                )
            )
        for _, response in pages:
            recorder.write(response)


def bare_trafilatura(pages: list[tuple[str, SavedResponse]]) -> tuple[float, float]:
    """(pages/s, CPU seconds) of the bare loop: wall time, and this process's CPU time."""
    start, cpu = time.perf_counter(), time.process_time()
    for _, response in pages:
        trafilatura.extract(response.body, url=response.url)
    return len(pages) / (time.perf_counter() - start), time.process_time() - cpu


def _read_pages(pages: list[tuple[str, SavedResponse]], started: float, results) -> None:
    from clippings.extract import NotArticle, ReadingContext, read_article

    for site, response in pages:
        with contextlib.suppress(NotArticle):
            read_article(response.page(), ReadingContext(get_site(site)))
    results.put(time.perf_counter() - started)


def machine_ceiling(pages: list[tuple[str, SavedResponse]], count: int = 300) -> float:
    """How much faster two processes get the same work done than one, on this machine now.

    One forked process reads ``count`` pages; then two read them at once, each its own copy.
    2 x (time of one) / (time until both are done) is what two cores give at this moment:
    2.0 on an idle machine with two equal cores, less when a neighbour takes a share of one
    or the cores slow down when both are busy. The crawl's own start-up is not in it.
    """
    sample = pages[:count]
    context = multiprocessing.get_context("fork")
    _read_pages(sample[:20], time.perf_counter(), context.SimpleQueue())  # imports, caches: warm

    def run(processes: int) -> float:
        results = context.SimpleQueue()
        started = time.perf_counter()
        workers = [context.Process(target=_read_pages, args=(sample, started, results)) for _ in range(processes)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return max(results.get() for _ in workers)

    return 2 * run(1) / run(2)


def _tree_pids(pid: int) -> list[int]:
    """A process and all its descendants (workers hang below a forkserver, a grandchild)."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return pids


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process tree in kB. RSS counts memory shared between the processes
    once per process; PSS splits it between them, so the tree's PSS is what it really uses."""
    rss = pss = 0
    for p in _tree_pids(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


class _LineCounter:
    """Lines written under ``out``, counted as they are appended: the sampler reads only the
    bytes written since its last look (reading every file whole, four times a second, took a
    share of a core from the crawl being measured, and more as the output grew)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._seen: dict[Path, tuple[int, int]] = {}  # file -> (bytes read, lines in them)

    def count(self) -> int:
        for path in self.out.glob("[a-z]*/*.jsonl"):
            done, lines = self._seen.get(path, (0, 0))
            try:
                with path.open("rb") as handle:
                    handle.seek(done)
                    new = handle.read()
            except OSError:
                continue
            self._seen[path] = (done + len(new), lines + new.count(b"\n"))
        return sum(lines for _, lines in self._seen.values())


def _become_subreaper() -> bool:
    """Adopt the crawl's orphaned descendants (its workers' fork server outlives it by a
    moment), so that reaping them adds their CPU time to this process's children's: the
    crawl's whole CPU cost is then exact, not sampled. Linux only."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


_SUBREAPER = False  # set by main()


def _reap_orphans(timeout: float = 30.0) -> None:
    """Wait for the descendants left behind by a crawl that has exited (see above)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # none left
        if pid == 0:
            time.sleep(0.01)


def _children_cpu() -> float:
    usage = os.times()
    return usage.children_user + usage.children_system


def _tree_env(tree: Path) -> dict[str, str]:
    """The environment that makes ``python -m clippings.cli`` run the code of ``tree``."""
    return {**os.environ, "PYTHONPATH": str(tree)}


def check_tree(tree: Path) -> str:
    """Where ``clippings`` is imported from when a crawl runs in ``tree``; exits unless it is
    that checkout's own package."""
    found = subprocess.run(
        [sys.executable, "-c", "import clippings.extract, clippings.cli; print(clippings.extract.__file__)"],
        cwd=tree,
        env=_tree_env(tree),
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if not found or not Path(found).resolve().is_relative_to(tree.resolve()):
        sys.exit(f"--before {tree}: clippings is imported from {found or 'nowhere'}, not from that checkout")
    return found


_STAT = re.compile(r"'(clippings/[^']+)': (\d+)")


def crawl_stats(stderr: str, sites: list[str]) -> dict[str, int]:
    """The per-site ``clippings/<site>/...`` counts of the stats each crawler dumps at INFO."""
    prefixes = tuple(f"clippings/{site}/" for site in sites)
    stats: dict[str, int] = {}
    for block in stderr.split("Dumping Scrapy stats:")[1:]:
        for key, value in _STAT.findall(block):
            if key.startswith(prefixes):
                stats[key] = int(value)
    return stats


def crawl(warc: Path, sites: list[str], pages: int, workers: int, tree: Path | None = None) -> dict[str, object]:
    out = Path(tempfile.mkdtemp(prefix="clippings-bench-"))
    command = [
        sys.executable,
        "-m",
        "clippings.cli",
        "crawl",
        *sites,
        "--replay",
        str(warc),
        "--output",
        str(out),
        "--loglevel",
        "INFO",
    ]
    if workers > 1:
        command += ["--workers", str(workers)]
    cpu_before = _children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=tree or ROOT,
        env=_tree_env(tree) if tree else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = peak_pss = 0
    marks: dict[int, int] = {}
    stop = threading.Event()
    lines = _LineCounter(out)

    last: list[int] = []  # [percent done, RSS] at the last sample taken while the crawl ran

    def sample() -> None:
        nonlocal peak, peak_pss
        while not stop.is_set():
            rss, pss = _tree_memory_kb(process.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            done = lines.count() * 100 // max(pages, 1)
            if rss:
                last[:] = [done, rss]
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
    if _SUBREAPER:
        _reap_orphans()
    cpu = _children_cpu() - cpu_before
    if 100 not in marks and last and last[0] not in marks:
        # The crawl exited within a sampling interval of its last lines: its last sample, at
        # the percentage it was taken at, stands in for the end.
        marks[last[0]] = last[1]
    written = _LineCounter(out).count()
    shutil.rmtree(out, ignore_errors=True)
    if process.returncode != 0:
        print(stderr[-2000:], file=sys.stderr)
    return {
        "stats": crawl_stats(stderr, sites),
        "pages_per_s": written / elapsed,
        "written": written,
        "elapsed": elapsed,
        "peak_mb": peak / 1024,
        "peak_pss_mb": peak_pss / 1024,
        "marks_mb": {k: round(v / 1024) for k, v in sorted(marks.items())},
        "status": process.returncode,
        "cpu_s": cpu if _SUBREAPER else None,
    }


def crawl_per_site(
    warc: Path, pages: list[tuple[str, SavedResponse]], workers: int, tree: Path | None = None
) -> dict[str, object]:
    """As operators run it: one cold ``clippings crawl SITE --replay`` command a site, one after
    the other, each with its own start-up; the figures of the commands together (pages/s
    over their summed wall time, the highest peak)."""
    runs = [crawl(warc, [site], sum(1 for s, _ in pages if s == site), workers, tree) for site in sites_of(pages)]
    written = sum(r["written"] for r in runs)
    elapsed = sum(r["elapsed"] for r in runs)
    heaviest = max(runs, key=lambda r: r["peak_mb"])
    cpu = [r["cpu_s"] for r in runs]
    return {
        "stats": {k: v for r in runs for k, v in r["stats"].items()},
        "pages_per_s": written / elapsed,
        "written": written,
        "elapsed": elapsed,
        "peak_mb": heaviest["peak_mb"],
        "peak_pss_mb": heaviest["peak_pss_mb"],
        "marks_mb": heaviest["marks_mb"],
        "status": max(r["status"] for r in runs),
        "cpu_s": sum(cpu) if all(c is not None for c in cpu) else None,
        "commands": [(site, r["pages_per_s"], r["elapsed"]) for site, r in zip(sites_of(pages), runs, strict=True)],
    }


def _report(label: str, run: dict[str, object]) -> None:
    print(
        f"{label} {run['pages_per_s']:7.1f} pages/s ({run['written']} written in {run['elapsed']:.1f} s,"
        f" exit {run['status']})"
    )
    print(
        f"      peak RSS {run['peak_mb']:.0f} MB summed over its processes, PSS {run['peak_pss_mb']:.0f} MB"
        f" (shared pages counted once); RSS at % of the pages written: {run['marks_mb']}"
    )


def body_sources(stats: dict[str, int], sites: list[str]) -> dict[str, Counter[str]]:
    """Article pages by the source of their body, by site ("all" too); every site rule as
    "rule". A crawl of the code before provenance counted only the pages read whole
    (``pages/unknown_template``): the rest were read through a site rule."""
    found: dict[str, Counter[str]] = {"all": Counter()}
    for site in sites:
        counts: Counter[str] = Counter()
        prefix = f"clippings/{site}/source/body/"
        for key, value in stats.items():
            if key.startswith(prefix):
                source = key[len(prefix) :]
                counts["rule" if source.startswith("rule:") else source] += value
        articles = stats.get(f"clippings/{site}/pages/article", 0)
        if not counts and articles:
            whole = stats.get(f"clippings/{site}/pages/unknown_template", 0)
            counts.update({"rule": articles - whole, "page": whole})
        if articles > sum(counts.values()):
            counts["none"] = articles - sum(counts.values())
        found[site] = counts
        found["all"].update(counts)
    return found


def _report_sources(label: str, stats: dict[str, int], sites: list[str]) -> None:
    sources = body_sources(stats, sites)
    total = sum(sources["all"].values())
    if not total:
        print(f"{label} body sources: no stats (the crawl's stats dump was not found)")
        return
    print(f"{label} article pages by body source ({total} pages):")
    width = max(16, *(len(site) + 2 for site in sources))
    print(f"      {'source':<20}" + "".join(f"{site:>{width}}" for site in sources))
    for source, _ in sources["all"].most_common():
        cells = "".join(
            f"{counts[source]:>{width - 7}} {counts[source] / max(sum(counts.values()), 1):>6.1%}"
            for counts in sources.values()
        )
        print(f"      {source:<20}{cells}")
    fast = sum(n for s, n in sources["all"].items() if s in FAST)
    print(
        f"      fast path (ans, rule, container): {fast / total:.1%}; learned: the article block, which the learned container selects or reads equally"
    )
    extra = []
    for key in ("learned/containers", "learned/verified", "learned/forgotten", "body/short", "pages/unknown_template"):
        extra.append(f"{key} " + "/".join(str(stats.get(f"clippings/{site}/{key}", 0)) for site in sites))
    print(f"      {'; '.join(extra)} ({'/'.join(sites)})")


# Sources that are a fast path: the embedded story, or a container known to hold the article. A
# body counted as "learned" is the whole page's (a learned container's reading equal to it).
FAST = ("ans", "rule", "container:articleBody")


def _keep(kept: dict[str, object] | None, run: dict[str, object]) -> dict[str, object]:
    """The fastest run's figures, with the memory of the round that used the most."""
    if kept is None:
        return run
    fastest = run if run["pages_per_s"] > kept["pages_per_s"] else kept
    heaviest = run if run["peak_mb"] > kept["peak_mb"] else kept
    return {**fastest, **{k: heaviest[k] for k in ("peak_mb", "peak_pss_mb", "marks_mb")}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--unknown-templates",
        action="store_true",
        help="pages of templates the site modules do not know: class tokens and ids renamed",
    )
    parser.add_argument(
        "--sites",
        nargs="+",
        default=None,
        metavar="SITE",
        help="pages of these sites only (default: every site with article fixtures)",
    )
    parser.add_argument(
        "--before",
        type=Path,
        default=None,
        metavar="TREE",
        help="also run (b) with the code of the checkout TREE (e.g. a worktree of an older commit) as (b0)",
    )
    parser.add_argument(
        "--command-per-site",
        action="store_true",
        help="(b), (b0) and (c) as operators run them: one cold clippings crawl command a site, one after"
        " the other, their wall times summed (start-ups included)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="measure a, b, c this many times, interleaved, and keep each one's best: the machine"
        " is shared, and a neighbour's load would otherwise land on one measurement only",
    )
    args = parser.parse_args()

    global _SUBREAPER
    _SUBREAPER = _become_subreaper()
    if args.before is not None:
        print(f"(b0) imports {check_tree(args.before)}")
    pages = build_pages(args.pages, unknown=args.unknown_templates, sites=args.sites)
    sites = sites_of(pages)
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "bench.warc.gz"
        write_warc(pages, warc)
        kind = "; templates unknown to the site modules" if args.unknown_templates else ""
        print(
            f"{len(pages)} pages of {', '.join(sites)} in {warc.stat().st_size / 1e6:.1f} MB of WARC;"
            f" {args.rounds} rounds{kind}"
        )
        best: dict[str, float] = {}
        ratios: dict[str, list[float]] = {
            "b/a": [],
            "b0/a": [],
            "c/b": [],
            "ceiling": [],
            "cpu c/b": [],
            "cpu b/a": [],
            "cpu b0/a": [],
        }
        runs: dict[str, dict[str, object]] = {}

        def run_crawl(warc: Path, workers: int, tree: Path | None = None) -> dict[str, object]:
            if args.command_per_site:
                return crawl_per_site(warc, pages, workers, tree)
            return crawl(warc, sites, len(pages), workers, tree)

        def written_all(step: str, run: dict[str, object]) -> None:
            if run["written"] != len(pages):
                print(f"  ({step}) wrote {run['written']} of the {len(pages)} pages (exit {run['status']})", flush=True)

        def measure(step: str, measured: dict[str, float]) -> None:
            if step == "a":
                measured["a"], measured["cpu_a"] = bare_trafilatura(pages)
            elif step == "b":
                b = run_crawl(warc, 1)
                written_all(step, b)
                measured["b"] = b["pages_per_s"]
                measured["cpu_b"] = b["cpu_s"]
                runs["b"] = _keep(runs.get("b"), b)
            elif step == "b0":
                b0 = run_crawl(warc, 1, args.before)
                written_all(step, b0)
                measured["b0"] = b0["pages_per_s"]
                measured["cpu_b0"] = b0["cpu_s"]
                runs["b0"] = _keep(runs.get("b0"), b0)
            else:
                before = machine_ceiling(pages)
                c = run_crawl(warc, args.workers)
                measured["ceiling"] = (before + machine_ceiling(pages)) / 2
                written_all(step, c)
                measured["c"] = c["pages_per_s"]
                measured["cpu_c"] = c["cpu_s"]
                runs["c"] = _keep(runs.get("c"), c)

        for number in range(1, args.rounds + 1):
            measured: dict[str, float] = {}
            # Odd rounds measure a, b, c; even rounds c, b, a: a machine slowing down or speeding
            # up over the run weighs on each side of a ratio alike.
            steps = ["a", "b", "c"] if args.workers > 1 else ["a", "b"]
            if args.before is not None:
                steps.insert(1, "b0")
            for step in steps if number % 2 else steps[::-1]:
                measure(step, measured)
            line = f"round {number}: (a) {measured['a']:6.1f}"
            if args.command_per_site:
                line = line.replace(":", " (each crawl one command a site, pages/s over their summed wall time):", 1)
            if "b0" in measured:
                ratios["b0/a"].append(measured["b0"] / measured["a"])
                line += f"  (b0) {measured['b0']:6.1f}"
            line += f"  (b) {measured['b']:6.1f}"
            ratios["b/a"].append(measured["b"] / measured["a"])
            if "c" in measured:
                ratios["c/b"].append(measured["c"] / measured["b"])
                ratios["ceiling"].append(measured["ceiling"])
                line += f"  (c) {measured['c']:6.1f} pages/s;  b/a {ratios['b/a'][-1]:.2f}  c/b {ratios['c/b'][-1]:.2f}"
                line += f"; the machine's two-process ceiling around (c): {measured['ceiling']:.2f}"
                if measured["cpu_b"] and measured["cpu_c"]:
                    ratios["cpu c/b"].append(measured["cpu_c"] / measured["cpu_b"])
                    line += f"; CPU (b) {measured['cpu_b']:.1f} s, (c) {measured['cpu_c']:.1f} s"
            else:
                line += f" pages/s;  b/a {ratios['b/a'][-1]:.2f}"
            if "b0" in measured:
                line += f"  b0/a {ratios['b0/a'][-1]:.2f}"
            # The same ratios in pages per CPU second (a: this process's CPU time in its loop; b,
            # b0: the crawls' process trees, start-ups included): what a neighbour's load on the
            # machine moves far less than wall time.
            cpu_ratios = {}
            for key in ("b", "b0"):
                if measured.get(f"cpu_{key}"):
                    cpu_ratios[f"cpu {key}/a"] = measured["cpu_a"] / measured[f"cpu_{key}"]
                    ratios[f"cpu {key}/a"].append(cpu_ratios[f"cpu {key}/a"])
            if cpu_ratios:
                cpu = [f"({k}) {measured[f'cpu_{k}']:.1f} s" for k in ("a", "b0", "b") if measured.get(f"cpu_{k}")]
                line += "\n    CPU " + ", ".join(cpu) + ";" + "".join(f"  {k} {v:.2f}" for k, v in cpu_ratios.items())
            print(line, flush=True)
            for key in ("a", "b0", "b", "c"):
                if key in measured:
                    best[key] = max(best.get(key, 0.0), measured[key])
        print(f"best of {args.rounds}:")
        print(f"(a) bare trafilatura.extract:  {best['a']:7.1f} pages/s")
        if args.before is not None:
            _report(f"(b0) ... by {args.before}:", runs["b0"])
            print(
                f"    b0/a = {best['b0'] / best['a']:.2f} (median of the rounds' own ratios:"
                f" {statistics.median(ratios['b0/a']):.2f})"
            )
        _report("(b) clippings crawl --replay:  ", runs["b"])
        print(
            f"    b/a = {best['b'] / best['a']:.2f} (median of the rounds' own ratios: {statistics.median(ratios['b/a']):.2f})"
        )
        if args.before is not None:
            print(f"    b/b0 = {best['b'] / best['b0']:.2f}")
        for key in ("cpu b/a", "cpu b0/a"):
            if ratios[key]:
                print(
                    f"    {key} (pages per CPU second) median {statistics.median(ratios[key]):.2f}"
                    f" (rounds: {', '.join(f'{x:.2f}' for x in ratios[key])})"
                )
        if args.workers > 1:
            _report(f"(c) ... --workers {args.workers}:         ", runs["c"])
            print(
                f"    c/b = {best['c'] / best['b']:.2f} (median of the rounds' own ratios: {statistics.median(ratios['c/b']):.2f})"
            )
            share = [r / m for r, m in zip(ratios["c/b"], ratios["ceiling"], strict=True)]
            print(
                f"    the machine's two-process ceiling around (c): {max(ratios['ceiling']):.2f} at best,"
                f" median {statistics.median(ratios['ceiling']):.2f} (the same extraction work in two"
                f" processes at once against one; 2.00 on two free, equal cores)"
            )
            print(
                f"    c/b as a share of that round's ceiling: median {statistics.median(share):.0%}"
                f" (rounds: {', '.join(f'{x:.0%}' for x in share)})"
            )
            if ratios["cpu c/b"]:
                print(
                    f"    CPU time of (c) against (b), each crawl's whole process tree: median"
                    f" {statistics.median(ratios['cpu c/b']):.2f} (rounds: "
                    f"{', '.join(f'{x:.2f}' for x in ratios['cpu c/b'])}); what the workers cost in all"
                )
        print("(memory: the round with the highest peak)")
        if args.before is not None:
            _report_sources("(b0)", runs["b0"]["stats"], sites)
        _report_sources("(b)", runs["b"]["stats"], sites)
        if args.workers > 1:
            _report_sources("(c)", runs["c"]["stats"], sites)


if __name__ == "__main__":
    main()
