"""The figures of ``clippings report``: a collection and its run history, gathered once.

``gather`` reads the JSON lines (checked as ``clippings validate`` checks them; 1.0 lines read
as 2.0) and ``DIR/.state/runs.ndjson``, and gives what the report shows: articles per site
and per day of publication over the last ``days`` days (Morocco's calendar), each run over
time (written, skipped, dropped, errors; field coverage and where bodies came from, alarms),
the top drop reasons and errors with example URLs, and the latest articles. ``as_text``
prints them for a terminal; ``clippings.collection.report_html`` draws them. Imports no Scrapy and no
plotting library.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from clippings.collection.attention import DEFAULT_MAX_AGE, Attention, needs_attention
from clippings.collection.runs import read_runs
from clippings.collection.validate import jsonl_files, read_lines
from clippings.core.contract import as_current
from clippings.core.stamps import utc_stamp
from clippings.core.stats import skipped_total
from clippings.dates import morocco_day

LATEST = 20  # articles in the latest-articles table
LATEST_TEXT = 10  # of which printed on a terminal
TOP = 10  # drop reasons and errors listed
# Field coverage: 1 - the health share of no_<check> (clippings.core.health.FIELD_FIGURES).
CHECKS = ("title", "lead", "section", "tags", "image", "date", "author", "body")


@dataclass
class RunPoint:
    """One run of one site, as the report shows it."""

    run_id: str
    finished: datetime
    status: str  # ok, failed, alarm, stopped, forced
    written: int
    skipped: int
    dropped: int
    errors: int
    coverage: dict[str, float | None]  # each of CHECKS: share of pages or articles that have it
    body_sources: dict[str, int]  # where the bodies came from (ans, rule, learned, page, ...)
    alarms: list[str]
    problems: list[str]


@dataclass
class Overview:
    directory: str
    generated: datetime
    today: date  # the last day shown, Morocco's calendar
    days: int
    sites: list[str] = field(default_factory=list)
    files: int = 0
    lines: int = 0
    skipped_lines: int = 0
    articles: dict[str, int] = field(default_factory=dict)  # distinct articles per site
    undated: dict[str, int] = field(default_factory=dict)
    per_day: dict[str, dict[date, int]] = field(default_factory=dict)  # in the window only
    runs: dict[str, list[RunPoint]] = field(default_factory=dict)  # in the window, oldest first
    runs_total: int = 0  # every run recorded
    drops: list[tuple[str, str, int, list[str]]] = field(default_factory=list)  # site, reason, pages, URLs
    errors: list[tuple[str, str, int, list[str]]] = field(default_factory=list)
    latest: list[dict[str, Any]] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)  # sites whose last run needs a look

    @property
    def first_day(self) -> date:
        return self.today - timedelta(days=self.days - 1)

    def window_days(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range(self.days)]

    def in_window(self, site: str) -> int:
        return sum(self.per_day.get(site, {}).values())


def _stamp(text: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _body_source(source: str) -> str:
    """Sources grouped as the report shows them: ``rule:le360.body[2]`` is the site's rules."""
    if source.startswith("rule:"):
        return "rule"
    if source.startswith("container:"):
        return "container"
    return source


def _point(run: dict[str, Any], finished: datetime) -> RunPoint:
    health = run.get("health") or {}
    coverage: dict[str, float | None] = {}
    for check in CHECKS:
        figure = health.get(f"no_{check}") or {}
        coverage[check] = round(1 - figure["share"], 4) if figure.get("total") else None
    sources: Counter[str] = Counter()
    for source, count in ((run.get("sources") or {}).get("body") or {}).items():
        sources[_body_source(source)] += count
    alarms = [str(a) for a in run.get("alarms") or []]
    problems = [str(p) for p in run.get("problems") or []]
    failed = any(p not in alarms for p in problems)

    def total(name: str) -> int:
        counts = run.get(name) or {}
        return sum(v for v in counts.values() if isinstance(v, int)) if isinstance(counts, dict) else 0

    status = "failed" if failed else "alarm" if alarms else "ok"
    if run.get("outcome") in ("stopped", "forced"):  # a signal stopped it: said as clippings status says it
        status = str(run["outcome"])
    return RunPoint(
        run_id=str(run.get("run_id")),
        finished=finished,
        status=status,
        written=int(run.get("written") or 0),
        skipped=skipped_total(run.get("skipped")),  # articles only (clippings.core.stats.SKIPPED)
        dropped=total("dropped"),
        errors=total("errors"),
        coverage=coverage,
        body_sources=dict(sources.most_common()),
        alarms=alarms,
        problems=problems,
    )


def gather(
    directory: str | Path,
    *,
    days: int = 90,
    now: datetime | None = None,
    max_age: timedelta = DEFAULT_MAX_AGE,
    sites: Collection[str] | None = None,
) -> Overview:
    """The report's figures for the collection (``sites``: the registered names, as
    ``read_lines`` takes them)."""
    directory = Path(directory)
    now = now or datetime.now(UTC)
    overview = Overview(str(directory), now, morocco_day(now), days)
    files = jsonl_files([directory])
    overview.files = len(files)
    # The latest line of each article: by fetched_at, then file order (as the export has it).
    latest: dict[tuple[str, str], tuple[str, int, dict[str, Any]]] = {}
    for order, line in enumerate(read_lines(files, sites)):
        if not line.good:
            overview.skipped_lines += 1
            continue
        assert line.record is not None
        record = as_current(line.record)
        overview.lines += 1
        key = (record["site"], record["article_id"])
        rank = (record["fetched_at"], order)
        if key not in latest or rank >= latest[key][:2]:
            latest[key] = (*rank, record)
    first = overview.first_day
    for (site, _), (_, _, record) in latest.items():
        overview.articles[site] = overview.articles.get(site, 0) + 1
        day = record.get("published_date")
        if day is None:
            overview.undated[site] = overview.undated.get(site, 0) + 1
            continue
        when = date.fromisoformat(day)
        if first <= when <= overview.today:
            counts = overview.per_day.setdefault(site, {})
            counts[when] = counts.get(when, 0) + 1
    records = [record for _, _, record in latest.values()]
    records.sort(key=lambda r: (r.get("published_date") or "", r.get("published") or "", r["fetched_at"]), reverse=True)
    overview.latest = records[:LATEST]

    runs = read_runs(directory)
    overview.runs_total = len(runs)
    start = datetime.combine(first, datetime.min.time(), tzinfo=UTC) - timedelta(days=1)
    # Drops and errors by page: a page a run names (its examples) counts once however many
    # runs met it; those a run counted beyond its examples cannot be told apart, and count.
    drops: dict[tuple[str, str], list[Any]] = {}
    errors: dict[tuple[str, str], list[Any]] = {}
    for run in runs:
        finished = _stamp(run.get("finished"))
        if finished is None or finished < start:
            continue
        site = run["site"]
        overview.runs.setdefault(site, []).append(_point(run, finished))
        examples = run.get("examples") or {}
        for group, into in (("dropped", drops), ("errors", errors)):
            for reason, count in (run.get(group) or {}).items():
                if not isinstance(count, int) or count <= 0:
                    continue
                entry = into.setdefault((site, reason), [0, {}])  # unnamed pages, named ones (in order)
                named = [str(u) for u in examples.get(f"{group}/{reason}") or []][:count]
                entry[0] += count - len(named)
                entry[1].update(dict.fromkeys(named))
    for points in overview.runs.values():
        points.sort(key=lambda p: p.finished)
    overview.drops = _top(drops)
    overview.errors = _top(errors)
    overview.sites = sorted(set(overview.articles) | set(overview.runs))
    overview.attention = needs_attention(runs, overview.sites, now, max_age)
    return overview


def _top(found: dict[tuple[str, str], list[Any]]) -> list[tuple[str, str, int, list[str]]]:
    pages = {key: unnamed + len(named) for key, (unnamed, named) in found.items()}
    ranked = sorted(found, key=lambda key: (-pages[key], key))
    return [(site, reason, pages[(site, reason)], list(found[(site, reason)][1])[:3]) for site, reason in ranked[:TOP]]


# --- text ---------------------------------------------------------------------------------------
_BARS = " ▁▂▃▄▅▆▇█"


def sparkline(values: list[int]) -> str:
    top = max(values, default=0)
    if top == 0:
        return _BARS[0] * len(values)
    return "".join(_BARS[0] if v == 0 else _BARS[max(1, round(v / top * 8))] for v in values)


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f}%"


def as_text(overview: Overview) -> str:
    o = overview
    out = [
        f"clippings report: {o.directory} (generated {utc_stamp(o.generated)};"
        f" the {o.days} days {o.first_day} to {o.today}, Morocco's calendar)",
        "",
        "needs attention:" if o.attention else "needs attention: nothing, all well",
        *(f"  {a.site} ({a.status}): {'; '.join(a.reasons)}" for a in o.attention),
        "",
        f"articles: {sum(o.articles.values())} ({', '.join(f'{s} {o.articles.get(s, 0)}' for s in o.sites) or 'none'});"
        f" {o.lines} lines in {o.files} files; {o.skipped_lines} bad lines skipped",
    ]
    if o.sites:
        out += ["", f"articles per day of publication (one mark a day, {o.first_day} to {o.today}):"]
        for site in o.sites:
            counts = o.per_day.get(site, {})
            values = [counts.get(day, 0) for day in o.window_days()]
            busiest = max(counts.items(), key=lambda kv: (kv[1], kv[0]), default=None)
            best = f", most on {busiest[0]} ({busiest[1]})" if busiest else ""
            undated = o.undated.get(site, 0)
            out.append(f"  {site:<18}|{sparkline(values)}| {sum(values)} in {o.days} days{best}; {undated} undated")
    out += ["", f"runs: {o.runs_total} recorded, {sum(len(p) for p in o.runs.values())} in these days"]
    for site in o.sites:
        points = o.runs.get(site, [])
        if not points:
            continue
        out.append(f"  {site}: last {min(len(points), 10)} of {len(points)}")
        out.append(
            f"    {'finished':<21}{'status':<8}{'written':>8}{'skipped':>8}{'dropped':>8}{'errors':>7}"
            + "".join(f"{check:>8}" for check in CHECKS)
            + "  body from"
        )
        for p in points[-10:]:
            cover = "".join(f"{_percent(p.coverage[c]):>8}" for c in CHECKS)
            sources = ", ".join(f"{k} {v}" for k, v in p.body_sources.items()) or "-"
            out.append(
                f"    {utc_stamp(p.finished):<21}{p.status:<8}{p.written:>8}{p.skipped:>8}{p.dropped:>8}{p.errors:>7}"
                f"{cover}  {sources}"
            )
            out.extend(f"      {alarm}" for alarm in p.alarms)
    for title, rows in (("top drop reasons (pages)", o.drops), ("errors (pages)", o.errors)):
        out += ["", f"{title}:" if rows else f"{title}: none"]
        for site, reason, count, urls in rows:
            out.append(f"  {count:>6}  {site} {reason}" + (f"  e.g. {urls[0]}" if urls else ""))
    out += ["", f"latest articles ({min(len(o.latest), LATEST_TEXT)} of the {LATEST} in the HTML report):"]
    for record in o.latest[:LATEST_TEXT]:
        when = record.get("published") or record.get("published_date") or "undated"
        out.append(f"  {when:<25} {record['site']:<15} {record['title']}")
        out.append(f"  {'':<25} {'':<15} {record['url']}")
    return "\n".join(out)
