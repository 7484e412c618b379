"""Extraction health from a run's counts: per site, the share of article pages with no body
and of written articles with no date or no author, and the alarms they raise. Imports no
Scrapy: the crawl's extension (``clippings.extensions.ExtractionHealth``) and ``clippings
reextract`` judge the same counts the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clippings.core.stats import site_prefix, site_stat


def health_figures(stats: dict[str, Any], site: str) -> dict[str, tuple[int, int]]:
    """{check: (count, out of)} for one site's run.

    "Article pages" are pages at article URLs read as HTML (video pages, soft 404s and
    unreadable bytes excluded). A page where not even a title was found has no body either.
    Dates and authors are counted on the articles written.
    """
    no_title = site_stat(stats, site, "dropped/no_title")
    pages = site_stat(stats, site, "pages/article") + no_title
    written = site_stat(stats, site, "written")
    # A body much shorter than the page's other evidence counts as none: a layout change
    # that halves bodies must alarm as surely as one that empties them.
    bodiless = site_stat(stats, site, "dropped/empty_body") + no_title + site_stat(stats, site, "body/short")
    return {
        "no_body": (bodiless, pages),
        "no_date": (site_stat(stats, site, "missing/published"), written),
        "no_author": (site_stat(stats, site, "missing/authors"), written),
    }


_WHAT = {
    "no_body": "article pages had no body",
    "no_date": "articles written had no date",
    "no_author": "articles written had no author",
}


# Each check's threshold: the largest share that raises no alarm.
LIMIT_SETTINGS = {
    "no_body": "CLIPPINGS_HEALTH_MAX_NO_BODY",
    "no_date": "CLIPPINGS_HEALTH_MAX_NO_DATE",
    "no_author": "CLIPPINGS_HEALTH_MAX_NO_AUTHOR",
}


def health_limits(settings: Any) -> tuple[dict[str, float], int]:
    """The thresholds and ``CLIPPINGS_HEALTH_MIN_PAGES`` from ``settings`` (anything with
    ``getfloat`` and ``getint``: a Scrapy ``Settings``)."""
    limits = {check: settings.getfloat(name) for check, name in LIMIT_SETTINGS.items()}
    return limits, settings.getint("CLIPPINGS_HEALTH_MIN_PAGES")


@dataclass(frozen=True)
class Check:
    """One check of one site's run against its threshold. Too few pages (or articles) to
    judge, below ``min_pages``, is never an alarm."""

    check: str  # no_body, no_date, no_author
    count: int
    total: int
    limit: float
    min_pages: int

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0

    @property
    def judged(self) -> bool:
        return self.total >= self.min_pages

    @property
    def alarm(self) -> bool:
        return self.judged and self.share > self.limit


def checks(stats: dict[str, Any], site: str, limits: dict[str, float], min_pages: int) -> list[Check]:
    """Each of ``health_figures`` against its limit: what ``judge`` alarms on and the Spidermon
    monitors (``clippings.monitoring``) fail on."""
    return [
        Check(check, count, total, limits[check], min_pages)
        for check, (count, total) in health_figures(stats, site).items()
    ]


@dataclass
class Health:
    """One site's verdict: the shares (0 to 1), the alarms, the INFO line and, when most pages
    were read whole, the WARNING that a template changed."""

    shares: dict[str, float] = field(default_factory=dict)
    alarms: list[str] = field(default_factory=list)
    info: str = ""
    warning: str | None = None


def judge(stats: dict[str, Any], site: str, limits: dict[str, float], min_pages: int) -> Health:
    """The health of one site's run from its counts; ``limits`` the largest share allowed
    for each check (``CLIPPINGS_HEALTH_MAX_NO_BODY`` ...), none judged under ``min_pages``."""
    figures = health_figures(stats, site)
    health = Health()
    for check in checks(stats, site, limits, min_pages):
        health.shares[check.check] = round(check.share, 3)
        if check.alarm:
            health.alarms.append(
                f"{site}: {check.count} of {check.total} {_WHAT[check.check]} — layout may have changed"
            )
    dropped = {
        key.rsplit("/", 1)[1]: value
        for key, value in stats.items()
        if key.startswith(site_prefix(site, "dropped")) and isinstance(value, int)
    }
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())) or "none"
    shown = ", ".join(f"no {check[3:]} {count}/{total}" for check, (count, total) in figures.items())
    health.info = f"{site} health: {site_stat(stats, site, 'written')} written; dropped: {reasons}; {shown}"
    unknown = site_stat(stats, site, "pages/unknown_template")
    pages = site_stat(stats, site, "pages/article")
    if pages >= min_pages and unknown > pages / 2:
        # Not an alarm (the whole page is still read, and the checks above judge what came
        # out of it): no embedded story, no known or learned container. A template changed.
        health.warning = (
            f"{site}: {unknown} of {pages} article pages had no embedded story and no known or learned"
            " article container; they were read whole, more slowly: a template changed?"
        )
    return health
