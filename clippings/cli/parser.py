"""The command line: ``clippings --help`` and each subcommand's options."""

from __future__ import annotations

import argparse

from clippings.cli.cluster import add_node_options, add_writer
from clippings.cli.helptext import epilog
from clippings.cli.options import Parser, version
from clippings.cli.reextract import REEXTRACT_SETTINGS
from clippings.sites import SITES


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="clippings", description="Press-monitoring crawler for Moroccan news sites.")
    parser.add_argument("--version", action="version", version=f"clippings {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)

    crawl = commands.add_parser("crawl", **epilog("crawl"), help="crawl one or more sites into JSON lines")
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
        "--new",
        action="store_true",
        help="the output folder is meant to start a new collection: no WARNING that it holds none",
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
    add_node_options(crawl)
    add_writer(commands, epilog)

    validate = commands.add_parser("validate", **epilog("validate"), help="check JSON-lines files against the schema")
    validate.add_argument(
        "files", nargs="+", metavar="PATH", help="a file, or a folder: every *.jsonl under it (.state/ skipped)"
    )

    export = commands.add_parser(
        "export",
        **epilog("export"),
        help="the collection as typed tables: a Parquet file, a DuckDB database, or Parquet by site and month",
        description="The collection's JSON lines as typed tables, each field one type whatever the data"
        " (published_raw and modified_raw always VARCHAR): one row per article, its latest line (--latest, the"
        " default), or every line (--all-versions); a .duckdb also has the view latest and the table runs."
        " Exit status: 0 written; 1 a line was skipped (named on stderr) or the target cannot be written;"
        " 2 a bad argument. Example: clippings export output --to articles.parquet --latest",
    )
    export.add_argument("directory", metavar="DIR", help="the collection (the crawl's --output)")
    export.add_argument(
        "--to",
        required=True,
        metavar="TARGET",
        help="FILE.parquet, FILE.duckdb (tables articles and runs, view latest) or FOLDER/ (Parquet, Hive-partitioned by site and month)",
    )
    versions = export.add_mutually_exclusive_group()
    versions.add_argument(
        "--all-versions",
        action="store_true",
        help="every line of each article, numbered (version), not only its latest",
    )
    versions.add_argument(
        "--latest",
        action="store_true",
        help="one row per article, its latest line (the default; a .duckdb also has the view latest)",
    )
    export.add_argument("-q", "--quiet", action="store_true", help="print nothing but the lines skipped (for cron)")

    status = commands.add_parser(
        "status",
        **epilog("status"),
        help="each site's last run: age, status, written, skipped, alarms; exit status 1 when one is not ok",
    )
    status.add_argument("directory", metavar="DIR", help="the collection (the crawl's --output)")
    status.add_argument(
        "--max-age",
        default="2h",
        metavar="AGE",
        help="a last run older than this is old: 2h (default), 90m, 1d, seconds",
    )
    status.add_argument("--json", action="store_true", help="the same as JSON")

    runs = commands.add_parser(
        "runs",
        help="the run history: one JSON line a run, oldest first",
        description="Print the run history of the collection in DIR (DIR/.state/runs.ndjson; a history"
        " still in the older DIR/.state/runs.jsonl is read too), one JSON line a run, in the order they were"
        " recorded. A line cut short is named on stderr and skipped. Exit status: 0; 1 when a line"
        " was skipped; 2 when DIR is no folder. Example: clippings runs output --site le360 --last 5",
    )
    runs.add_argument("directory", metavar="DIR", help="the collection (the crawl's --output)")
    runs.add_argument("--site", action="append", default=[], metavar="SITE", help="only this site's runs; repeatable")
    runs.add_argument("--last", type=int, default=None, metavar="N", help="only the last N runs (after --site)")

    report = commands.add_parser(
        "report",
        **epilog("report"),
        help="the collection and its runs: one self-contained HTML file with charts, or text",
        description="The collection and its run history: first what needs attention (each site whose last run"
        " alarmed, failed, had errors or is late, with the reasons), then articles per day, runs, field"
        " coverage, drop reasons and errors by page, the latest articles. Exit status: 0 written; 1 the file"
        " cannot be written; 2 a bad argument or DIR. Example: clippings report output --to report.html --max-age 90m",
    )
    report.add_argument("directory", metavar="DIR", help="the collection (the crawl's --output)")
    report.add_argument(
        "--to", metavar="FILE.html", help="write the HTML report here; without it, print the figures as text"
    )
    report.add_argument("--days", default="90", metavar="N", help="the days shown, up to today (default 90)")
    report.add_argument(
        "--max-age",
        default="2h",
        metavar="AGE",
        help="a site whose last run ended longer ago than this needs attention (late), as in clippings status:"
        " 2h (default), 90m, 1d, seconds",
    )

    fixture = commands.add_parser(
        "fixture",
        **epilog("fixture"),
        help="developers: save, show or update a fixture page",
        description="Fixture folders (fixtures/<site>/<publication date>_<short name>/, see fixtures/README.md)."
        " Exit status of each action: 0 done (show: every field as expected); 1 (show) a field differs or the"
        " page is no article; 2 a missing or broken fixture, source or URL, in one line.",
    )
    fixture_commands = fixture.add_subparsers(
        dest="action", required=True, metavar="ACTION", parser_class=Parser, help="show, save or update"
    )
    fixture_show = fixture_commands.add_parser(
        "show",
        help="re-run extraction, print each field's source and the fields that differ from expected.json",
        description="Re-run extraction on fixture folders: each field's source, then the fields that differ"
        " from expected.json (every field when there is none). Exit status: 0 all as expected; 1 a field"
        " differs or the page is no article; 2 a missing or broken folder (meta.json, body, expected.json)."
        " Example: clippings fixture show fixtures/le360/2025-09-09_bourita-lavrov",
    )
    fixture_show.add_argument("folders", nargs="+", metavar="DIR", help="a fixture folder (holding meta.json)")
    fixture_save = fixture_commands.add_parser(
        "save",
        help="copy a saved response into fixtures/, with a draft expected.json",
        description="Copy the response saved for URL (in a WARC file or a fixtures folder) into a new folder"
        " FIXTURES/<site>/<publication date>_<short name>/ (the fetch day for a page with no date; the short"
        " name is the first words of the URL's slug), with meta.json and, for an article, the extraction as"
        " a draft expected.json to correct by hand. Exit status: 0 saved; 2 the source is missing or"
        " unreadable, holds no such URL, or the folder exists."
        " Example: clippings fixture save https://fr.le360.ma/politique/..._ID/ --from saved.warc.gz --name bourita-lavrov",
    )
    fixture_save.add_argument("url", metavar="URL", help="the page's URL, as saved in SOURCE")
    fixture_save.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="SOURCE",
        help="where the response is saved: a WARC file (clippings record, --record) or a fixtures folder",
    )
    fixture_save.add_argument(
        "--fixtures", default="fixtures", metavar="DIR", help="the fixtures folder to save into (default fixtures)"
    )
    fixture_save.add_argument(
        "--name",
        default=None,
        metavar="SHORT",
        help="the folder's short name, in place of the one from the URL's slug (the folder stays DATE_SHORT)",
    )
    fixture_update = fixture_commands.add_parser(
        "update",
        help="recompute expected.json's derived fields (content_sha256, word_count, published_date)",
        description="After correcting expected.json by hand: recompute content_sha256 and word_count from its"
        " body and published_date from its published (a page giving only its day keeps the day written)."
        " Exit status: 0 updated or already right; 2 a missing or broken folder or expected.json."
        " Example: clippings fixture update le360/2025-09-09_bourita-lavrov",
    )
    fixture_update.add_argument(
        "names", nargs="+", metavar="NAME", help="a fixture folder, or SITE/FOLDER below --fixtures"
    )
    fixture_update.add_argument(
        "--fixtures",
        default="fixtures",
        metavar="DIR",
        help="where SITE/FOLDER names are looked for (default fixtures)",
    )

    record = commands.add_parser(
        "record", **epilog("record"), help="fetch single pages into a WARC file that --replay reads"
    )
    record.add_argument("urls", nargs="+", metavar="URL", help="a page of a known site; repeatable")
    record.add_argument("--to", required=True, metavar="FILE.warc.gz", help="the WARC file the pages are added to")
    record.add_argument(
        "-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="any other Scrapy or CLIPPINGS_* setting"
    )
    record.add_argument("--loglevel", default=None, help="Scrapy log level (default: WARNING)")

    reextract = commands.add_parser(
        "reextract",
        **epilog("reextract"),
        help="read the pages saved in WARC files again into the collection (on Dask when installed)",
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
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"one of: {', '.join(REEXTRACT_SETTINGS)}",
    )
    reextract.add_argument("--loglevel", default=None, help="log level (default: WARNING)")

    pack = commands.add_parser("pack", **epilog("pack"), help="write a fixtures folder (or WARC) into a WARC file")
    pack.add_argument("source", metavar="SOURCE", help="a fixtures folder or a WARC file")
    pack.add_argument("--to", required=True, metavar="FILE.warc.gz", help="the WARC file written")
    return parser
