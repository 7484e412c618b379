"""``clippings record URL... --to FILE.warc.gz``: live pages saved for replay."""

from __future__ import annotations

import argparse
from pathlib import Path

from clippings.cli.crawl import scrapy_settings
from clippings.cli.options import UsageError, check_record
from clippings.sites import SITES, site_for_url


def record(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from clippings.crawl.recording import RecordSpider

    hosts: set[str] = set()
    for url in args.urls:
        site = site_for_url(url)
        if site is None:
            raise UsageError(f"{url}: not a URL of {' or '.join(sorted(SITES))}")
        hosts |= site.hosts
    check_record(Path(args.to), "--to")
    settings = scrapy_settings(args)
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
