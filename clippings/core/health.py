"""Extraction health from a run's counts: per site, the share of article pages with no title
or no body, of written articles missing each field that matters (lead, section, tags, image,
date, authors), of the pages it was sent to fetch that failed, and of the pages at article
URLs refused as no article; and the alarms they raise. Imports no Scrapy: the crawl's
extension (``clippings.crawl.extensions.ExtractionHealth``) and ``clippings reextract`` judge the
same counts the same way. The comparison with the site's last runs is ``clippings.core.drift``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clippings.core.config import DEFAULTS
from clippings.core.stats import site_prefix, site_stat

# The fields whose coverage is judged, each by its figure: (figure, field) in output order.
FIELD_FIGURES = {
    "no_title": "title",
    "no_lead": "lead",
    "no_section": "section",
    "no_tags": "tags",
    "no_image": "image",
    "no_date": "published",
    "no_author": "authors",
    "no_body": "body",
}
# Fields counted on the articles written (``missing/<field>``); title and body on pages.
WRITTEN_FIELDS = ("lead", "section", "tags", "image", "published", "authors")
# Fields whose values a run's history line keeps (the most frequent, VALUES_KEPT of them),
# so that a run whose values fall outside what the site's last runs had alarms.
VALUE_FIELDS = ("section",)
VALUES_KEPT = 20

# Errors that came with a response: the page was fetched (counted in
# ``response_received_count``) before it failed. Any other error is a page the crawl was sent
# to fetch and never had (a download error, a cut transfer).
_ANSWERED = ("extraction", "bad_feed", "bad_record", "worker_crash")


def site_counts(stats: dict[str, Any], site: str, group: str) -> dict[str, int]:
    """One site's counts under ``group/`` by reason: ``errors`` -> {"download": 2, ...}."""
    prefix = site_prefix(site, group)
    return {
        key[len(prefix) :]: value
        for key, value in stats.items()
        if key.startswith(prefix) and isinstance(value, int) and value and "/" not in key[len(prefix) :]
    }


def error_counts(errors: dict[str, int], dropped: dict[str, int]) -> dict[str, int]:
    """Pages lost by reason: the ``errors`` counted, and the HTTP failures after the retries
    (5xx, 429) that older runs counted as drops (``dropped/http_503``)."""
    lost = {reason: count for reason, count in errors.items() if count}
    for reason, count in dropped.items():
        if reason.startswith("http_") and reason[5:].isdigit():
            status = int(reason[5:])
            if count and (status >= 500 or status == 429):
                lost[reason] = lost.get(reason, 0) + count
    return lost


def run_errors(stats: dict[str, Any], site: str) -> dict[str, int]:
    """The site's errors in a finished run's stats, by reason (``error_counts``)."""
    return error_counts(site_counts(stats, site, "errors"), site_counts(stats, site, "dropped"))


def refusals(stats: dict[str, Any], site: str) -> dict[str, int]:
    """Pages at article URLs refused as no article, by reason (``refused/<reason>``)."""
    return site_counts(stats, site, "refused")


def health_figures(stats: dict[str, Any], site: str) -> dict[str, tuple[int, int]]:
    """{figure: (count, out of)} for one site's run.

    "Article pages" are pages at article URLs read as HTML (video pages, soft 404s and
    unreadable bytes excluded). A page where not even a title was found has no body either.
    The other fields are counted on the articles written. ``errors`` are out of the pages
    the crawl was sent to fetch (those fetched, and those it never had); ``refused`` out of
    the pages at article URLs read (article pages and those refused).
    """
    no_title = site_stat(stats, site, "dropped/no_title")
    pages = site_stat(stats, site, "pages/article") + no_title
    written = site_stat(stats, site, "written")
    # A body much shorter than the page's other evidence counts as none: a layout change
    # that halves bodies must alarm as surely as one that empties them.
    bodiless = site_stat(stats, site, "dropped/empty_body") + no_title + site_stat(stats, site, "body/short")
    figures = {"no_title": (no_title, pages)}
    for figure, name in FIELD_FIGURES.items():
        if name in WRITTEN_FIELDS:
            figures[figure] = (site_stat(stats, site, f"missing/{name}"), written)
    figures["no_body"] = (bodiless, pages)
    errors = run_errors(stats, site)
    unanswered = sum(
        count for reason, count in errors.items() if reason not in _ANSWERED and not reason.startswith("http_")
    )
    fetched = stats.get("response_received_count", 0)
    figures["errors"] = (sum(errors.values()), (fetched if isinstance(fetched, int) else 0) + unanswered)
    refused = sum(refusals(stats, site).values())
    figures["refused"] = (refused, pages + refused)
    return figures


def figure_values(stats: dict[str, Any], site: str) -> dict[str, dict[str, int]]:
    """{field: {value: articles}} of the run's articles written, for ``VALUE_FIELDS``: the
    ``VALUES_KEPT`` most frequent values of each (``values/<field>/<value>``)."""
    found: dict[str, dict[str, int]] = {}
    for name in VALUE_FIELDS:
        prefix = site_prefix(site, f"values/{name}")
        counted = [(k[len(prefix) :], v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int)]
        counted.sort(key=lambda kv: (-kv[1], kv[0]))
        found[name] = dict(counted[:VALUES_KEPT])
    return found


WHAT = {
    "no_title": "article pages had no title",
    "no_lead": "articles written had no lead",
    "no_section": "articles written had no section",
    "no_tags": "articles written had no tags",
    "no_image": "articles written had no image",
    "no_date": "articles written had no date",
    "no_author": "articles written had no author",
    "no_body": "article pages had no body",
    "errors": "pages it was sent to fetch failed",
    "refused": "pages at article URLs were refused as no article",
}
# What an alarm of each figure suggests.
_WHY = {"errors": "the site or the network failed", "refused": "layout may have changed"}


# Each figure's threshold: the largest share that raises no alarm (1 never alarms).
LIMIT_SETTINGS = {
    "no_title": "CLIPPINGS_HEALTH_MAX_NO_TITLE",
    "no_lead": "CLIPPINGS_HEALTH_MAX_NO_LEAD",
    "no_section": "CLIPPINGS_HEALTH_MAX_NO_SECTION",
    "no_tags": "CLIPPINGS_HEALTH_MAX_NO_TAGS",
    "no_image": "CLIPPINGS_HEALTH_MAX_NO_IMAGE",
    "no_date": "CLIPPINGS_HEALTH_MAX_NO_DATE",
    "no_author": "CLIPPINGS_HEALTH_MAX_NO_AUTHOR",
    "no_body": "CLIPPINGS_HEALTH_MAX_NO_BODY",
    "errors": "CLIPPINGS_HEALTH_MAX_ERRORS",
    "refused": "CLIPPINGS_HEALTH_MAX_REFUSED",
}
# The defaults (``clippings.core.config.DEFAULTS``): what a caller without Scrapy's settings
# (``clippings reextract``'s own runner) starts from.
DEFAULT_LIMITS = {check: DEFAULTS[name] for check, name in LIMIT_SETTINGS.items()}


def health_limits(settings: Any) -> tuple[dict[str, float], int]:
    """The thresholds and ``CLIPPINGS_HEALTH_MIN_PAGES`` from ``settings`` (anything with
    ``getfloat`` and ``getint``: a Scrapy ``Settings``); a threshold not set keeps its default."""
    limits = {check: settings.getfloat(name, DEFAULT_LIMITS[check]) for check, name in LIMIT_SETTINGS.items()}
    return limits, settings.getint("CLIPPINGS_HEALTH_MIN_PAGES", DEFAULTS["CLIPPINGS_HEALTH_MIN_PAGES"])


@dataclass(frozen=True)
class Check:
    """One check of one site's run against its threshold. Too few pages (or articles) to
    judge, below ``min_pages``, is never an alarm, but errors on more than half the pages."""

    check: str  # no_body, no_date, ..., errors, refused
    count: int
    total: int
    limit: float
    min_pages: int

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0

    @property
    def judged(self) -> bool:
        # Errors on most of the pages are judged however few they are: a site that could
        # not be reached (its feeds and sitemaps failed) gave the run nothing.
        return self.total >= self.min_pages or (self.check == "errors" and self.count * 2 > self.total)

    @property
    def alarm(self) -> bool:
        return self.judged and self.share > self.limit


def checks(stats: dict[str, Any], site: str, limits: dict[str, float], min_pages: int) -> list[Check]:
    """Each of ``health_figures`` against its limit: what ``judge`` alarms on and the Spidermon
    monitors (``clippings.crawl.monitoring``) fail on."""
    return [
        Check(check, count, total, limits.get(check, DEFAULT_LIMITS[check]), min_pages)
        for check, (count, total) in health_figures(stats, site).items()
    ]


def alarm_line(site: str, check: Check, usual: float | None = None) -> str:
    """``le360: 8 of 12 article pages had no body — layout may have changed``; with the
    figure's usual share (the median of the site's last runs), ``(usually 0%)`` before the dash."""
    seen = f" (usually {usual:.0%})" if usual is not None else ""
    why = _WHY.get(check.check, "layout may have changed")
    if check.check == "errors":
        limit = f", above {LIMIT_SETTINGS['errors']}={check.limit:g}"
        return f"{site}: {check.count} of {check.total} {WHAT['errors']}{seen}{limit} — {why}"
    return f"{site}: {check.count} of {check.total} {WHAT[check.check]}{seen} — {why}"


@dataclass
class Health:
    """One site's verdict: the shares (0 to 1), the alarms, the INFO line and, when most pages
    were read whole, the WARNING that a template changed."""

    shares: dict[str, float] = field(default_factory=dict)
    alarms: list[str] = field(default_factory=list)
    alarmed: set[str] = field(default_factory=set)  # the figures above their threshold
    info: str = ""
    warning: str | None = None


def judge(
    stats: dict[str, Any],
    site: str,
    limits: dict[str, float],
    min_pages: int,
    usual: dict[str, float] | None = None,
) -> Health:
    """The health of one site's run from its counts; ``limits`` the largest share allowed
    for each check (``CLIPPINGS_HEALTH_MAX_NO_BODY`` ...), none judged under ``min_pages``;
    ``usual`` each figure's usual share, named in its alarm (``clippings.core.drift``)."""
    figures = health_figures(stats, site)
    health = Health()
    for check in checks(stats, site, limits, min_pages):
        health.shares[check.check] = round(check.share, 3)
        if check.alarm:
            health.alarmed.add(check.check)
            health.alarms.append(alarm_line(site, check, (usual or {}).get(check.check)))
    dropped = site_counts(stats, site, "dropped")
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())) or "none"
    health.info = f"{site} health: {site_stat(stats, site, 'written')} written; dropped: {reasons}; {shown(figures)}"
    unknown = site_stat(stats, site, "pages/unknown_template")
    pages = site_stat(stats, site, "pages/article")
    if pages >= min_pages and unknown > pages / 2:
        # Not an alarm (the page is still read, and the checks above judge what came out of
        # it): no embedded story, no known or learned container. A template changed.
        health.warning = (
            f"{site}: {unknown} of {pages} article pages had no embedded story and no known or learned"
            " article container; they were read from the block holding most of their paragraphs: a template changed?"
        )
    return health


def shown(figures: dict[str, tuple[int, int]]) -> str:
    """``no title 0/17, no lead 17/17, ..., errors 0/22, refused 0/17``: the figures as the
    summary and the INFO line show them."""
    return ", ".join(f"{check.replace('_', ' ')} {count}/{total}" for check, (count, total) in figures.items())
