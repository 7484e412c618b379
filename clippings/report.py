"""The end-of-crawl summary: per site, what was fetched, written, dropped and why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clippings.runs import failures, health_figures


def _site_counts(stats: dict[str, Any], site: str) -> dict[str, int]:
    prefix = f"clippings/{site}/"
    return {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int)}


def crawl_report(crawlers: list[Any], output: Path) -> tuple[str, int]:
    """(text, exit status) for a finished crawl; non-zero when a crawl failed.

    A crawl fails when its output could not be written, when it ended early, or when an
    extraction-health alarm fired (``clippings.extensions.ExtractionHealth``).
    """
    width = max([16, *(len(crawler.spidercls.name) + 2 for crawler in crawlers)])
    lines = [
        f"{'site':<{width}}{'pages':>7}{'written':>9}{'dropped':>9}{'errors':>8}"
        f"{'no body':>10}{'no date':>10}{'no author':>10}  reasons"
    ]
    status = 0
    alarms: list[str] = []
    for crawler in crawlers:
        stats = crawler.stats.get_stats()
        site = crawler.spidercls.name
        counts = _site_counts(stats, site)
        dropped = {k.split("/", 1)[1]: v for k, v in counts.items() if k.startswith("dropped/")}
        errors = sum(v for k, v in counts.items() if k.startswith("errors/"))
        pages = stats.get("response_received_count", 0)
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())) or "-"
        health = "".join(f"{f'{n}/{of}':>10}" for n, of in health_figures(stats, site).values())
        written = counts.get("written", 0)
        total = sum(dropped.values())
        lines.append(f"{site:<{width}}{pages:>7}{written:>9}{total:>9}{errors:>8}{health}  {reasons}")
        alarms.extend(stats.get(f"clippings/{site}/health/alarms") or [])
        for failure in failures(stats):  # the run history's exit status says the same
            lines.append(f"{site}: {failure}")
            status = 1
    lines.extend(alarms)
    status = status or (1 if alarms else 0)
    lines.append(f"output: {output}")
    return "\n".join(lines), status
