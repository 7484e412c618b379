"""The ``clippings`` command: a thin layer over Scrapy.

Every option is a Scrapy setting or spider argument (README.md lists the equivalents), so
``scrapy crawl`` and Scrapyd runs behave the same as this command.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from clippings.sites import SITES, site_for_url


class UsageError(Exception):
    """Bad command line: one clear line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        print(f"{self.prog}: {message} (see --help)", file=sys.stderr)
        raise SystemExit(2)


def _version() -> str:
    """The installed package's version (pyproject.toml's, through its metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("clippings")
    except PackageNotFoundError:
        return "(not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="clippings", description="Press-monitoring crawler for Moroccan news sites."
    )
    parser.add_argument("--version", action="version", version=f"clippings {_version()}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    crawl = commands.add_parser("crawl", help="crawl one or more sites into JSON lines")
    crawl.add_argument(
        "sites", nargs="+", metavar="SITE", help=f"one of: {', '.join(sorted(SITES))}; or all, every one of them"
    )
    crawl.add_argument(
        "--replay",
        metavar="SOURCE",
        help="answer every request from a fixtures folder or a WARC file (-s CLIPPINGS_REPLAY=SOURCE)",
    )
    crawl.add_argument(
        "--url",
        action="append",
        default=[],
        metavar="URL",
        help="start from this URL instead of the site's entry points; repeatable (-a urls=URL1,URL2)",
    )
    crawl.add_argument(
        "--output",
        metavar="DIR",
        default=None,
        help="where JSON lines go (-s CLIPPINGS_OUTPUT_DIR=DIR; default: output/)",
    )
    crawl.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        help="backfill: only articles published on or after this day; pages through section listings (-a since=...)",
    )
    crawl.add_argument(
        "--until", metavar="YYYY-MM-DD", help="only articles published on or before this day (-a until=...)"
    )
    crawl.add_argument(
        "--max-articles",
        metavar="N",
        help="fetch at most N article pages in this run (-a max_articles=N)",
    )
    crawl.add_argument(
        "--state",
        metavar="PATH",
        help="incremental state database (-s CLIPPINGS_STATE=PATH; default: DIR/.state/state.sqlite)",
    )
    crawl.add_argument(
        "--record",
        metavar="FILE.warc.gz",
        help="save every response fetched into this WARC file, readable by --replay (-s CLIPPINGS_RECORD=FILE)",
    )
    crawl.add_argument(
        "--workers",
        metavar="N",
        help="read pages in N worker processes, or auto (one per core); output and state stay"
        " one (-s CLIPPINGS_WORKERS=N; default 1)",
    )
    crawl.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any other Scrapy or CLIPPINGS_* setting",
    )
    crawl.add_argument("--loglevel", default=None, help="Scrapy log level (default: WARNING)")

    validate = commands.add_parser("validate", help="check JSON-lines files against the schema")
    validate.add_argument(
        "files", nargs="+", metavar="PATH", help="a file, or a folder: every *.jsonl under it (.state/ skipped)"
    )

    export = commands.add_parser(
        "export", help="the collection as typed tables: a Parquet file, a DuckDB database, or Parquet by site and month"
    )
    export.add_argument("directory", metavar="DIR", help="the collection (the crawl's --output)")
    export.add_argument(
        "--to",
        required=True,
        metavar="TARGET",
        help="FILE.parquet, FILE.duckdb (tables articles and runs) or FOLDER/ (Parquet, Hive-partitioned by site and month)",
    )
    export.add_argument(
        "--all-versions", action="store_true", help="every line of each article, numbered (version), not only its latest"
    )
    export.add_argument("-q", "--quiet", action="store_true", help="print nothing but the lines skipped (for cron)")

    status = commands.add_parser(
        "status", help="each site's last run: age, status, written, skipped, alarms; exit status 1 when one is not ok"
    )
    status.add_argument("directory", metavar="DIR", help="the collection (the crawl's --output)")
    status.add_argument(
        "--max-age", default="2h", metavar="AGE", help="a last run older than this is old: 2h (default), 90m, 1d, seconds"
    )
    status.add_argument("--json", action="store_true", help="the same as JSON")

    report = commands.add_parser(
        "report", help="the collection and its runs: one self-contained HTML file with charts, or text"
    )
    report.add_argument("directory", metavar="DIR", help="the collection (the crawl's --output)")
    report.add_argument("--to", metavar="FILE.html", help="write the HTML report here; without it, print the figures as text")
    report.add_argument("--days", default="90", metavar="N", help="the days shown, up to today (default 90)")

    fixture = commands.add_parser("fixture", help="developers: save or re-run a fixture page")
    fixture_commands = fixture.add_subparsers(dest="action", required=True, parser_class=_Parser)
    fixture_show = fixture_commands.add_parser("show", help="re-run extraction, print fields that differ")
    fixture_show.add_argument("folders", nargs="+", metavar="DIR")
    fixture_save = fixture_commands.add_parser("save", help="copy a saved response into fixtures/")
    fixture_save.add_argument("url", metavar="URL")
    fixture_save.add_argument("--from", dest="source", required=True, metavar="SOURCE")
    fixture_save.add_argument("--fixtures", default="fixtures", metavar="DIR")
    fixture_save.add_argument("--name", default=None)

    record = commands.add_parser("record", help="fetch single pages into a WARC file that --replay reads")
    record.add_argument("urls", nargs="+", metavar="URL")
    record.add_argument("--to", required=True, metavar="FILE.warc.gz")
    record.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    record.add_argument("--loglevel", default=None, help="Scrapy log level (default: WARNING)")

    reextract = commands.add_parser(
        "reextract", help="read the pages saved in WARC files again into the collection (on Dask when installed)"
    )
    reextract.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="a WARC file (.warc, .warc.gz) or a folder of them"
    )
    reextract.add_argument("--output", required=True, metavar="DIR", help="the collection to write into")
    reextract.add_argument(
        "--dask",
        metavar="local[:N]|tcp://HOST:PORT",
        help="where to read: a cluster of N local workers (default when Dask is installed: one per core),"
        " or the Dask scheduler at this address; without Dask, this process",
    )
    reextract.add_argument("--since", metavar="YYYY-MM-DD", help="only articles published on or after this day")
    reextract.add_argument("--until", metavar="YYYY-MM-DD", help="only articles published on or before this day")
    reextract.add_argument(
        "--state", metavar="PATH", help="incremental state database (default: DIR/.state/state.sqlite)"
    )
    reextract.add_argument(
        "-s", "--set", action="append", default=[], metavar="NAME=VALUE",
        help=f"one of: {', '.join(REEXTRACT_SETTINGS)}",
    )
    reextract.add_argument("--loglevel", default=None, help="log level (default: WARNING)")

    pack = commands.add_parser("pack", help="write a fixtures folder (or WARC) into a WARC file")
    pack.add_argument("source", metavar="SOURCE")
    pack.add_argument("--to", required=True, metavar="FILE.warc.gz")
    return parser


def _settings(args: argparse.Namespace):  # -> scrapy.settings.Settings
    from clippings.config import check_settings, check_value

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "clippings.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for name, value in _set_options(args):
        settings.set(name, value, priority="cmdline")
    for option, name in (
        ("replay", "CLIPPINGS_REPLAY"),
        ("output", "CLIPPINGS_OUTPUT_DIR"),
        ("state", "CLIPPINGS_STATE"),
        ("record", "CLIPPINGS_RECORD"),
        ("workers", "CLIPPINGS_WORKERS"),
    ):
        if getattr(args, option, None):
            settings.set(name, getattr(args, option), priority="cmdline")
    _checked(lambda: check_settings(settings))
    given = dict(_set_options(args))
    level = args.loglevel or given.get("LOG_LEVEL") or settings.get("CLIPPINGS_LOG_LEVEL", "WARNING")
    level = _checked(lambda: check_value("LOG_LEVEL", level))  # "info" -> "INFO"
    settings.set("LOG_LEVEL", level, priority="cmdline")
    return settings


def _checked(check: Callable[[], Any]) -> Any:
    """``check()``, a bad setting made a UsageError: ``NAME 'value': expected ...``."""
    from clippings.config import SettingError

    try:
        return check()
    except SettingError as exc:
        raise UsageError(str(exc).replace("=", " ", 1)) from None


def _set_options(args: argparse.Namespace) -> list[tuple[str, str]]:
    """The ``-s NAME=VALUE`` options and ``--loglevel``, checked against the settings'
    declaration (``clippings.config``) before anything is started or loaded."""
    from clippings.config import SettingError, check_value

    options = []
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"-s takes NAME=VALUE, got {item!r}")
        _checked(lambda: check_value(name, value))
        options.append((name, value))
    if args.loglevel is not None:
        try:
            check_value("LOG_LEVEL", args.loglevel)
        except SettingError as exc:
            raise UsageError(str(exc).replace("LOG_LEVEL=", "--loglevel ", 1)) from None
    return options


def _labels(args: argparse.Namespace) -> dict[str, str]:
    """How the command line named each path setting, for its error messages."""
    given = {name for name, _ in _set_options(args)}
    labels = {}
    for option, name in (("--output", "CLIPPINGS_OUTPUT_DIR"), ("--state", "CLIPPINGS_STATE")):
        attribute = option.lstrip("-")
        if not getattr(args, attribute, None) and name in given:
            labels[name] = f"-s {name}="
    return labels


def _spider_urls(args: argparse.Namespace) -> dict[str, list[str]]:
    if "all" in args.sites:
        args.sites = [*(s for s in args.sites if s != "all"), *sorted(SITES)]
    unknown = [s for s in args.sites if s not in SITES]
    if unknown:
        raise UsageError(f"unknown site {unknown[0]!r} (known: {', '.join(sorted(SITES))})")
    urls: dict[str, list[str]] = {name: [] for name in dict.fromkeys(args.sites)}
    for url in args.url:
        # The site that owns the URL (sites sharing a host own it by path); a URL that several
        # of the named sites own (their host's robots.txt) goes to the first of them.
        site = next((name for name in urls if SITES[name].owns(url)), None)
        if site is None:
            raise UsageError(f"--url {url}: not a URL of {' or '.join(urls)}")
        urls[site].append(url)
    if args.url:
        # Only the sites some URL was given for are crawled.
        urls = {name: given for name, given in urls.items() if given}
    return urls


def crawl(args: argparse.Namespace) -> int:
    per_site = _spider_urls(args)
    spider_args = _spider_args(args)
    _set_options(args)
    if args.replay and not Path(args.replay).exists():  # the quick check; the rest below
        raise UsageError(f"--replay {args.replay}: no such file or folder")
    # What takes a while before the first page overlaps: the workers start in the background
    # (their fork server imports the extraction code and langdetect's profiles, about a
    # second), a thread indexes the replay source, and this process loads Scrapy. --workers
    # has the last word over the settings, so with it the workers start before Scrapy loads.
    pool = None
    try:
        if args.workers is not None:
            pool = _start_pool(_worker_count(args.workers, "--workers"))
        settings = _settings(args)
        if args.workers is None:
            pool = _start_pool(_worker_count(settings.get("CLIPPINGS_WORKERS", 1), "CLIPPINGS_WORKERS"))
        if settings.get("JOBDIR") and len(per_site) > 1:
            raise UsageError("JOBDIR holds one crawl: crawl one site per JOBDIR")
        _check_folders(settings, _labels(args))
        from clippings import lock

        try:
            busy = _take_locks(per_site, settings, _labels(args))
            for refused in busy:  # at once: the other sites' crawls may take a while
                print(refused, file=sys.stderr)
                del per_site[refused.site]
            if not per_site:
                return lock.BUSY_STATUS
            status = _run_crawls(per_site, spider_args, settings, _open_replay(args.replay))
            return status or (lock.BUSY_STATUS if busy else 0)
        finally:
            lock.release_reserved()
    finally:
        if pool is not None:
            from clippings import workers

            workers.release(pool)


def _take_locks(per_site: dict[str, list[str]], settings: Any, labels: dict[str, str]) -> list[Any]:
    """The writer's lock of each site's part of the collection (``clippings.lock``), all
    waited for at once, up to ``CLIPPINGS_LOCK_WAIT`` seconds, before Scrapy starts; each
    crawl claims its own. Returns the ``Busy`` of the sites another crawl holds."""
    from clippings import lock

    output = settings.get("CLIPPINGS_OUTPUT_DIR")
    held = [lock.WriterLock(output, site) for site in per_site]
    try:
        busy = lock.acquire_all(held, settings.getfloat("CLIPPINGS_LOCK_WAIT"))
    except OSError as exc:
        label = {"CLIPPINGS_OUTPUT_DIR": "--output", **labels}["CLIPPINGS_OUTPUT_DIR"]
        raise UsageError(
            f"{_named(label, Path(output))}: cannot create {Path(output) / '.state'}"
            f" ({exc.strerror or exc})"
        ) from None
    for taken in held:
        if taken.held:
            lock.reserve(taken)
    return busy


def _worker_count(value: object, name: str) -> int:
    from clippings.arguments import parse_workers

    try:
        return parse_workers(value, name)
    except ValueError as exc:
        raise UsageError(str(exc).replace("=", " ", 1)) from None


def _start_pool(count: int):  # -> clippings.workers.ExtractionPool | None
    if count < 2:
        return None
    from clippings import workers

    return workers.acquire(count).start()


def _open_replay(source: str | None) -> Callable[[], None]:
    """Open the replay source (a WARC is indexed: it is read whole) in a thread; the function
    returned waits for it, and raises UsageError if it cannot be read. zlib lets go of the
    GIL while it inflates, so the indexing runs beside Scrapy's imports."""
    if not source:
        return lambda: None
    from concurrent.futures import ThreadPoolExecutor

    from clippings.replay import ReplaySourceError, open_store

    executor = ThreadPoolExecutor(1, thread_name_prefix="replay-index")
    opening = executor.submit(open_store, source)
    executor.shutdown(wait=False)

    def opened() -> None:
        try:
            opening.result()
        except ReplaySourceError as exc:
            raise UsageError(f"--replay {exc}") from None

    return opened


def _path_kind(path: Path) -> str | None:
    """What is at ``path`` ("a folder", "a file", "a FIFO"...), None when nothing is."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a broken symlink" if path.is_symlink() else None
    except NotADirectoryError:
        return None  # an ancestor is not a folder: _blocking_ancestor names it
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file or folder"


def _blocking_ancestor(path: Path) -> tuple[Path, str] | None:
    """The nearest existing ancestor of ``path`` that is not a folder, and what it is."""
    for ancestor in path.parents:
        kind = _path_kind(ancestor)
        if kind == "a folder":
            return None
        if kind is not None:
            return ancestor, kind
    return None


def _named(label: str, path: Path) -> str:
    """``--output DIR`` or ``-s CLIPPINGS_OUTPUT_DIR=DIR``, as the command line had it."""
    return f"{label}{path}" if label.endswith("=") else f"{label} {path}"


def _refuse_wrong_kind(path: Path, label: str, wanted: str, what: str = "") -> None:
    """UsageError saying what ``path`` is when it, or an ancestor, is of the wrong kind:
    ``wanted`` is "a folder" or "a file" (a missing path is fine: it will be created)."""
    kind = _path_kind(path)
    if kind not in (None, wanted):
        raise UsageError(f"{_named(label, path)}: is {kind}, not {wanted}{what}")
    blocking = _blocking_ancestor(path) if kind is None else None
    if blocking:
        raise UsageError(f"{_named(label, path)}: {blocking[0]} is {blocking[1]}, not a folder")


def _make_folder(folder: Path, label: str, path: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{_named(label, path)}: cannot create folder ({exc.strerror})") from None
    if not os.access(folder, os.W_OK):
        raise UsageError(f"{_named(label, path)}: folder is not writable")


def _check_folders(settings: Any, labels: dict[str, str] | None = None) -> None:
    """The output folder and the state database's: each a writable folder (created if
    missing), the state itself a file if it exists. A path of the wrong kind (``--state``
    naming a folder, ``--output`` a file) is a UsageError saying what the path is, found
    before anything is created. ``labels`` names the option each setting came from
    (default ``--output``, ``--state``)."""
    labels = {"CLIPPINGS_OUTPUT_DIR": "--output", "CLIPPINGS_STATE": "--state", **(labels or {})}
    output = Path(settings.get("CLIPPINGS_OUTPUT_DIR"))
    _refuse_wrong_kind(output, labels["CLIPPINGS_OUTPUT_DIR"], "a folder")
    state = None
    if settings.getbool("CLIPPINGS_INCREMENTAL", True):
        from clippings.state import state_path

        state = state_path(settings)
        _refuse_wrong_kind(state, labels["CLIPPINGS_STATE"], "a file", " (the state database)")
    if settings.get("JOBDIR"):
        _refuse_wrong_kind(Path(settings.get("JOBDIR")), "-s JOBDIR=", "a folder")
    _make_folder(output, labels["CLIPPINGS_OUTPUT_DIR"], output)
    if state is not None:
        _make_folder(state.parent, labels["CLIPPINGS_STATE"], state)


def _run_crawls(
    per_site: dict[str, list[str]], spider_args: dict[str, str], settings: Any, replay_opened: Callable[[], None]
) -> int:
    from scrapy.crawler import CrawlerProcess

    from clippings.report import crawl_report

    process = CrawlerProcess(settings)  # imports the spiders, the extraction code...
    replay_opened()
    crawlers = []
    for name, urls in per_site.items():
        crawler = process.create_crawler(name)
        crawlers.append(crawler)
        process.crawl(crawler, urls=urls or None, **spider_args)
    # Scrapy filters by level in its log handler only, and each crawl above reset the root
    # logger to let everything through: every request's and item's DEBUG record would still
    # be built, then thrown away.
    logging.getLogger().setLevel(settings.get("LOG_LEVEL"))
    process.start()
    text, status = crawl_report(crawlers, Path(settings.get("CLIPPINGS_OUTPUT_DIR")))
    print(text)
    return status


def _spider_args(args: argparse.Namespace) -> dict[str, str]:
    """--since/--until/--max-articles, checked here, passed on as strings (as Scrapyd does)."""
    from clippings.arguments import parse_count, parse_day

    given = {"since": args.since, "until": args.until, "max_articles": args.max_articles}
    try:
        since, until = parse_day(args.since, "--since"), parse_day(args.until, "--until")
        parse_count(args.max_articles, "--max-articles")
    except ValueError as exc:
        raise UsageError(str(exc).replace("=", " ", 1)) from None
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    return {name: value for name, value in given.items() if value not in (None, "")}


def record(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from clippings.recording import RecordSpider

    hosts: set[str] = set()
    for url in args.urls:
        site = site_for_url(url)
        if site is None:
            raise UsageError(f"{url}: not a URL of {' or '.join(sorted(SITES))}")
        hosts |= site.hosts
    settings = _settings(args)
    settings.set("CLIPPINGS_RECORD", args.to, priority="cmdline")
    settings.set("CLIPPINGS_INCREMENTAL", False, priority="cmdline")
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    try:
        Path(args.to).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--to {args.to}: cannot create folder ({exc.strerror})") from None
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(RecordSpider)
    process.crawl(crawler, urls=list(args.urls), hosts=sorted(hosts))
    process.start()
    stats = crawler.stats.get_stats()
    print(f"{args.to}: {stats.get('clippings/record/responses', 0)} responses")
    return 1 if stats.get("clippings/record/failed") else 0


def validate(args: argparse.Namespace) -> int:
    from clippings.validate import PathError, validate_files

    try:
        return validate_files(args.files, out=sys.stdout)
    except PathError as exc:
        raise UsageError(f"validate: {exc}") from None


class _StatusLine:
    """One line redrawn in place on a terminal (progress); cleared before anything else is
    written to the same stream."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.shown = False

    def show(self, text: str) -> None:
        self.stream.write(f"\r\x1b[K{text}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def write(self, text: str) -> int:  # the stream's other writers go through here
        self.clear()
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def export(args: argparse.Namespace) -> int:
    import duckdb

    from clippings.export import ExportError
    from clippings.export import export as run_export

    line = _StatusLine(sys.stderr)
    progress = line.show if sys.stderr.isatty() and not args.quiet else None
    try:
        result = run_export(args.directory, args.to, all_versions=args.all_versions, errors=line, progress=progress)
    except ExportError as exc:
        raise UsageError(f"export: {exc}") from None
    except (OSError, duckdb.Error) as exc:
        line.clear()
        print(f"clippings: export to {args.to} failed: {exc}", file=sys.stderr)
        return 1
    finally:
        line.clear()
    if not args.quiet:
        what = (
            f"{result.rows:,} lines of {result.articles:,} articles"
            if args.all_versions
            else f"{result.articles:,} articles"
        )
        files = f"{result.files:,} {'file' if result.files == 1 else 'files'}"
        print(f"{args.to}: {what} (from {result.lines:,} lines in {files}; {result.skipped:,} skipped) in {result.seconds:.1f} s")
    return 1 if result.skipped else 0


def status(args: argparse.Namespace) -> int:
    import json

    from clippings.status import as_text, parse_age
    from clippings.status import status as site_statuses

    try:
        max_age = parse_age(args.max_age)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not Path(args.directory).is_dir():
        raise UsageError(f"status: {args.directory}: no such folder")
    report, problems = site_statuses(args.directory, max_age)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else as_text(report))
    return 0 if report["ok"] else 1


def report(args: argparse.Namespace) -> int:
    from clippings.arguments import parse_count
    from clippings.overview import as_text, gather

    try:
        days = parse_count(args.days, "--days")
    except ValueError as exc:
        raise UsageError(str(exc).replace("=", " ", 1)) from None
    if not days:
        raise UsageError("--days 0: expected a whole number above 0")
    if not Path(args.directory).is_dir():
        raise UsageError(f"report: {args.directory}: no such folder")
    target = Path(args.to) if args.to else None
    if target is not None and (target.is_dir() or not target.parent.is_dir()):
        raise UsageError(f"report --to {target}: give a file in an existing folder")
    if target is None:
        print(as_text(gather(args.directory, days=days)))
        return 0
    from clippings.report_html import MissingPlotting, render

    try:
        html = render(gather(args.directory, days=days))
    except MissingPlotting as exc:
        raise UsageError(f"report --to: {exc}") from None
    temporary = target.parent / f".{target.name}.tmp-{os.getpid()}"
    try:
        temporary.write_text(html, encoding="utf-8")
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        print(f"clippings: report --to {target}: cannot write ({exc.strerror})", file=sys.stderr)
        return 1
    print(f"{target}: {len(html.encode()) / 1024:.0f} KB")
    return 0


# The settings ``clippings reextract`` reads, with their defaults: those of clippings/settings.py
# (a test holds them equal), kept here so that the command loads no Scrapy.
REEXTRACT_SETTINGS: dict[str, Any] = {
    "CLIPPINGS_HEALTH_MAX_NO_BODY": 0.5,
    "CLIPPINGS_HEALTH_MAX_NO_DATE": 0.5,
    "CLIPPINGS_HEALTH_MAX_NO_AUTHOR": 0.8,
    "CLIPPINGS_HEALTH_MIN_PAGES": 10,
    "CLIPPINGS_HEALTH_ENABLED": True,
    "CLIPPINGS_INCREMENTAL": True,
    "CLIPPINGS_STATE": None,
    "CLIPPINGS_LOCK_WAIT": 0,
    "CLIPPINGS_LOG_LEVEL": "WARNING",
    "DOWNLOAD_MAXSIZE": 16 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 4 * 1024 * 1024,
}


class _Values(dict):
    """Settings as a plain mapping, read as Scrapy's ``Settings`` reads them."""

    def getbool(self, name: str, default: bool = False) -> bool:
        value = self.get(name, default)
        return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true")


def _reextract_settings(args: argparse.Namespace) -> _Values:
    from clippings.config import check_value

    values = _Values(REEXTRACT_SETTINGS)
    for name, value in _set_options(args):
        if name not in REEXTRACT_SETTINGS:
            raise UsageError(f"-s {name}: not a setting reextract reads (it reads {', '.join(REEXTRACT_SETTINGS)})")
        if name.startswith("DOWNLOAD_"):
            try:
                values[name] = int(value)
                if values[name] < 0:
                    raise ValueError(value)
            except ValueError:
                raise UsageError(f"{name} {value!r}: expected a whole number of bytes from 0") from None
        else:
            values[name] = _checked(lambda: check_value(name, value))
    values["CLIPPINGS_OUTPUT_DIR"] = args.output
    if args.state:
        values["CLIPPINGS_STATE"] = args.state
    level = args.loglevel or values["CLIPPINGS_LOG_LEVEL"]
    values["LOG_LEVEL"] = _checked(lambda: check_value("LOG_LEVEL", level))
    return values


def _dask_target(value: str | None) -> tuple[str, Any] | None:
    """``--dask``: ("local", N or None), ("address", URL), or None (one process)."""
    from clippings.reextract.engine import dask_installed

    if value is None:
        return ("local", None) if dask_installed() else None
    target: tuple[str, Any] | None = None
    if value == "local":
        target = ("local", None)
    elif value.startswith("local:") and value[6:].isdigit() and int(value[6:]) >= 1:
        target = ("local", int(value[6:]))
    elif "://" in value and value.split("://", 1)[1]:
        target = ("address", value)
    if target is None:
        raise UsageError(f"--dask {value}: expected local, local:N (N from 1) or tcp://HOST:PORT")
    if not dask_installed():
        raise UsageError(f"--dask {value}: Dask is not installed (pip install 'clippings[dask]')")
    return target


def reextract(args: argparse.Namespace) -> int:
    from clippings.arguments import parse_day
    from clippings.reextract import ArchiveError, Options, run
    from clippings.reextract.collection import Health
    from clippings.reextract.task import Reading
    from clippings.state import state_path

    try:
        since, until = parse_day(args.since, "--since"), parse_day(args.until, "--until")
    except ValueError as exc:
        raise UsageError(str(exc).replace("=", " ", 1)) from None
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    values = _reextract_settings(args)
    target = _dask_target(args.dask)
    from clippings.reextract.archive import warc_files

    try:
        warc_files(args.sources)
    except ArchiveError as exc:
        raise UsageError(str(exc)) from None
    labels = {"CLIPPINGS_STATE": "-s CLIPPINGS_STATE="} if not args.state and values["CLIPPINGS_STATE"] else {}
    _check_folders(values, labels)
    logging.basicConfig(
        level=values["LOG_LEVEL"], stream=sys.stderr, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s"
    )
    incremental = values.getbool("CLIPPINGS_INCREMENTAL")
    options = Options(
        sources=list(args.sources),
        output=Path(args.output),
        state=state_path(values) if incremental else None,
        since=since,
        until=until,
        dask=target,
        reading=Reading(values["DOWNLOAD_MAXSIZE"], values["DOWNLOAD_WARNSIZE"]),
        health=Health(
            enabled=values.getbool("CLIPPINGS_HEALTH_ENABLED"),
            limits={
                "no_body": float(values["CLIPPINGS_HEALTH_MAX_NO_BODY"]),
                "no_date": float(values["CLIPPINGS_HEALTH_MAX_NO_DATE"]),
                "no_author": float(values["CLIPPINGS_HEALTH_MAX_NO_AUTHOR"]),
            },
            min_pages=int(values["CLIPPINGS_HEALTH_MIN_PAGES"]),
        ),
        lock_wait=float(values["CLIPPINGS_LOCK_WAIT"]),
    )
    from clippings import lock

    try:
        return run(options)
    except ArchiveError as exc:
        raise UsageError(str(exc)) from None
    except lock.Busy as exc:  # a crawl writes a site of this collection: try again later
        print(exc, file=sys.stderr)
        return lock.BUSY_STATUS
    except OSError as exc:
        if exc.filename and ".state" in str(exc.filename):
            raise UsageError(f"--output {args.output}: cannot create its .state folder ({exc.strerror or exc})") from None
        raise


def pack(args: argparse.Namespace) -> int:
    from clippings.replay import ReplaySourceError, copy_store, open_store

    try:
        store = open_store(args.source)
    except ReplaySourceError as exc:
        raise UsageError(str(exc)) from None
    count = copy_store(store, args.to)
    print(f"{args.to}: {count} responses")
    return 0


def fixture(args: argparse.Namespace) -> int:
    from clippings import devtools

    if args.action == "show":
        return max(devtools.show(Path(folder), sys.stdout) for folder in args.folders)
    try:
        devtools.save(args.url, args.source, Path(args.fixtures), args.name, sys.stdout)
    except (KeyError, FileExistsError, OSError, ValueError) as exc:
        raise UsageError(str(exc).strip("'\"")) from None
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        commands = {
            "crawl": crawl,
            "validate": validate,
            "export": export,
            "status": status,
            "report": report,
            "pack": pack,
            "fixture": fixture,
            "record": record,
            "reextract": reextract,
        }
        return commands[args.command](args)
    except UsageError as exc:
        print(f"clippings: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `clippings report DIR | head`: the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
