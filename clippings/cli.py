"""The ``clippings`` command: a thin layer over Scrapy.

Every option is a Scrapy setting or spider argument (README.md lists the equivalents), so
``scrapy crawl`` and Scrapyd runs behave the same as this command.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from clippings.sites import SITES, site_for_url


class UsageError(Exception):
    """Bad command line: one clear line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        print(f"{self.prog}: {message} (see --help)", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="clippings", description="Press-monitoring crawler for Moroccan news sites."
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    crawl = commands.add_parser("crawl", help="crawl one or more sites into JSON lines")
    crawl.add_argument("sites", nargs="+", metavar="SITE", help=f"one of: {', '.join(sorted(SITES))}")
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
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any other Scrapy or CLIPPINGS_* setting",
    )
    crawl.add_argument("--loglevel", default=None, help="Scrapy log level (default: WARNING)")

    validate = commands.add_parser("validate", help="check JSON-lines files against the schema")
    validate.add_argument("files", nargs="+", metavar="FILE")

    pack = commands.add_parser("pack", help="write a fixtures folder (or WARC) into a WARC file")
    pack.add_argument("source", metavar="SOURCE")
    pack.add_argument("--to", required=True, metavar="FILE.warc.gz")
    return parser


def _settings(args: argparse.Namespace):  # -> scrapy.settings.Settings
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "clippings.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"-s takes NAME=VALUE, got {item!r}")
        settings.set(name, value, priority="cmdline")
    if args.replay:
        settings.set("CLIPPINGS_REPLAY", args.replay, priority="cmdline")
    if args.output:
        settings.set("CLIPPINGS_OUTPUT_DIR", args.output, priority="cmdline")
    settings.set("LOG_LEVEL", args.loglevel or settings.get("CLIPPINGS_LOG_LEVEL", "WARNING"), priority="cmdline")
    return settings


def _spider_urls(args: argparse.Namespace) -> dict[str, list[str]]:
    unknown = [s for s in args.sites if s not in SITES]
    if unknown:
        raise UsageError(f"unknown site {unknown[0]!r} (known: {', '.join(sorted(SITES))})")
    urls: dict[str, list[str]] = {name: [] for name in dict.fromkeys(args.sites)}
    for url in args.url:
        site = site_for_url(url)
        if site is None or site.name not in urls:
            raise UsageError(f"--url {url}: not a URL of {' or '.join(urls)}")
        urls[site.name].append(url)
    if args.url:
        # Only the sites some URL was given for are crawled.
        urls = {name: given for name, given in urls.items() if given}
    return urls


def crawl(args: argparse.Namespace) -> int:
    from clippings.replay import ReplaySourceError, open_store

    per_site = _spider_urls(args)
    settings = _settings(args)
    if args.replay:
        try:
            open_store(args.replay)
        except ReplaySourceError as exc:
            raise UsageError(f"--replay {exc}") from None
    output = Path(settings.get("CLIPPINGS_OUTPUT_DIR"))
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--output {output}: cannot create folder ({exc.strerror})") from None
    if not os.access(output, os.W_OK):
        raise UsageError(f"--output {output}: folder is not writable")

    from scrapy.crawler import CrawlerProcess

    from clippings.report import crawl_report

    process = CrawlerProcess(settings)
    crawlers = []
    for name, urls in per_site.items():
        crawler = process.create_crawler(name)
        crawlers.append(crawler)
        process.crawl(crawler, urls=urls or None)
    process.start()
    text, status = crawl_report(crawlers, output)
    print(text)
    return status


def validate(args: argparse.Namespace) -> int:
    from clippings.validate import validate_files

    return validate_files(args.files, out=sys.stdout)


def pack(args: argparse.Namespace) -> int:
    from clippings.replay import ReplaySourceError, copy_store, open_store

    try:
        store = open_store(args.source)
    except ReplaySourceError as exc:
        raise UsageError(str(exc)) from None
    count = copy_store(store, args.to)
    print(f"{args.to}: {count} responses")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"crawl": crawl, "validate": validate, "pack": pack}[args.command](args)
    except UsageError as exc:
        print(f"clippings: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
