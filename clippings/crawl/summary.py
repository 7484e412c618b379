"""The end-of-crawl summary of a finished crawl's crawlers, and its exit status: the stats
each crawler kept, summed up as every engine's run is (``clippings.core.summary``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clippings.core.summary import summary


def crawl_report(crawlers: list[Any], output: Path) -> tuple[str, int]:
    """(text, exit status) for a finished crawl; non-zero when a crawl failed.

    A crawl fails when its output or its incremental state could not be written, when it
    ended early, or when an extraction-health alarm fired
    (``clippings.crawl.extensions.ExtractionHealth``).
    """
    return summary(((crawler.spidercls.name, crawler.stats.get_stats()) for crawler in crawlers), output)
