"""The report's page: its styles, its tables (each chart's figures below it) and the document."""

from __future__ import annotations

import re
from html import escape

from clippings.collection.overview import CHECKS, Overview
from clippings.collection.report_html.charts import (
    SERIES,
    chart_body_sources,
    chart_coverage,
    chart_per_day,
    chart_runs,
    matplotlib_module,
)
from clippings.core.stamps import utc_stamp

# --- the page -----------------------------------------------------------------------------------
STYLE = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Noto Sans", "Noto Sans Arabic", Arial, sans-serif; margin: 0 auto;
  max-width: 1040px; padding: 1.2rem 1.5rem 3rem; color: #1d2330; background: #fff; line-height: 1.4; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #dde2e8; padding-bottom: .2rem; }
p.meta { color: #5a6473; margin: 0; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: .4rem 0; }
th, td { border-bottom: 1px solid #e6e9ee; padding: .3rem .5rem; text-align: start; vertical-align: top; }
th { background: #f4f6f8; font-weight: 600; }
td.n, th.n { text-align: end; font-variant-numeric: tabular-nums; }
td.status-ok { color: #2c7a4b; } td.status-failed, td.status-alarm, td.status-stopped, td.status-forced { color: #b3261e; font-weight: 600; }
figure { margin: .6rem 0 1rem; }
details { margin: .2rem 0 1rem; font-size: .85rem; } summary { cursor: pointer; color: #3b5b8c; }
.url { font-size: .78rem; color: #5a6473; word-break: break-all; }
td[dir="rtl"] { font-size: 1rem; }
.none { color: #5a6473; font-style: italic; }
#attention { border: 2px solid #b3261e; border-radius: 6px; padding: .4rem 1rem .6rem; margin: 1rem 0; }
#attention.well { border-color: #2c7a4b; }
#attention h2 { margin: .2rem 0 .4rem; border: none; font-size: 1.1rem; }
#attention ul { margin: 0; padding-inline-start: 1.2rem; } #attention li { margin: .25rem 0; }
#attention .status { color: #b3261e; font-weight: 600; } #attention.well p { color: #2c7a4b; margin: 0; }
"""

_ENCODED = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def iri(url: str) -> str:
    """A URL as a reader reads it (an IRI): percent-encoded UTF-8 letters decoded, anything
    that would change the URL's meaning (``%2F``, ``%20``, bytes that are no UTF-8) kept."""

    def decoded(match: re.Match[str]) -> str:
        raw = bytes.fromhex(match.group().replace("%", ""))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return match.group()
        return "".join(ch if ord(ch) > 0x7F else f"%{ord(ch):02X}" for ch in text)

    return _ENCODED.sub(decoded, url)


def _td(value: object, cls: str = "n", **attributes: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attributes.items())
    return f'<td class="{cls}"{extra}>{escape(str(value))}</td>'


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f}%"


def _summary(o: Overview) -> str:
    rows = []
    for site in o.sites:
        points = o.runs.get(site, [])
        last = points[-1] if points else None
        rows.append(
            f'<tr data-site="{escape(site)}"><th scope="row">{escape(site)}</th>'
            + _td(o.articles.get(site, 0), data_figure="articles")
            + _td(o.in_window(site), data_figure="in-window")
            + _td(o.undated.get(site, 0), data_figure="undated")
            + _td(len(points), data_figure="runs")
            + (_td(utc_stamp(last.finished), "when") if last else _td("-", "when"))
            + (_td(last.status, f"status-{last.status}", data_figure="status") if last else _td("no run", "none"))
            + _td(last.written if last else "-", data_figure="last-written")
            + "</tr>"
        )
    total = sum(o.articles.values())
    return (
        '<table id="figures"><thead><tr><th>site</th><th class="n">articles</th>'
        f'<th class="n">published in these {o.days} days</th><th class="n">undated</th>'
        '<th class="n">runs in these days</th><th>last run ended (UTC)</th><th>last run</th>'
        '<th class="n">written by it</th></tr></thead><tbody>' + "".join(rows) + "</tbody>"
        f'<tfoot><tr><th scope="row">all</th>{_td(total, data_figure="articles-total")}'
        f"{_td(sum(o.in_window(s) for s in o.sites), data_figure='in-window-total')}"
        f'<td colspan="5" class="meta">{o.lines} lines in {o.files} files; {o.skipped_lines} bad lines skipped;'
        f" {o.runs_total} runs recorded</td></tr></tfoot></table>"
    )


def _attention(o: Overview) -> str:
    """What needs a look, first: each site whose last run alarmed, failed, had errors or is
    late, with the reasons as its run history gives them; "all well" when none."""
    if not o.attention:
        return (
            '<section id="attention" class="well"><h2>Needs attention</h2>'
            "<p>All well: every site's last run ended in time, with no alarm, failure or error.</p></section>"
        )
    items = "".join(
        f'<li data-site="{escape(a.site)}" data-status="{escape(a.status)}"><strong>{escape(a.site)}</strong>'
        f' <span class="status">{escape(a.status)}</span>'
        + (f' <span class="when">(last run ended {escape(a.finished)})</span>' if a.finished else "")
        + ": "
        + "; ".join(escape(reason) for reason in a.reasons)
        + "</li>"
        for a in o.attention
    )
    return f'<section id="attention"><h2>Needs attention</h2><ul>{items}</ul></section>'


def _per_day_table(o: Overview) -> str:
    days = [d for d in o.window_days() if any(o.per_day.get(s, {}).get(d) for s in o.sites)]
    if not days:
        newest = max((r.get("published_date") for r in o.latest if r.get("published_date")), default=None)
        since = f", the newest published {newest}" if newest else ""
        return (
            f'<p class="none" id="no-articles-in-window">No article published in these {o.days} days;'
            f" {sum(o.articles.values())} in the collection{since}.</p>"
        )
    head = "".join(f'<th class="n">{escape(s)}</th>' for s in o.sites)
    body = "".join(
        f'<tr data-day="{d}"><th scope="row">{d}</th>'
        + "".join(_td(o.per_day.get(s, {}).get(d, 0), data_site=s) for s in o.sites)
        + "</tr>"
        for d in reversed(days)
    )
    return (
        f'<details><summary>the figures: {len(days)} days with articles</summary><table id="per-day">'
        f"<thead><tr><th>day</th>{head}</tr></thead><tbody>{body}</tbody></table></details>"
    )


def _runs_table(o: Overview) -> str:
    rows = []
    for site in o.sites:
        for p in reversed(o.runs.get(site, [])[-10:]):
            sources = ", ".join(f"{k} {v}" for k, v in p.body_sources.items()) or "-"
            alarms = "".join(f"<div>{escape(a)}</div>" for a in p.problems)
            rows.append(
                f'<tr data-run="{escape(p.run_id)}"><td>{escape(site)}</td><td class="when">{utc_stamp(p.finished)}</td>'
                f'<td class="status-{p.status}">{p.status}{alarms}</td>'
                + "".join(_td(getattr(p, name), data_figure=name) for name in SERIES)
                + "".join(_td(_percent(p.coverage[c]), data_figure=f"coverage-{c}") for c in CHECKS)
                + f"<td>{escape(sources)}</td></tr>"
            )
    return (
        '<details><summary>the figures: the last 10 runs of each site</summary><table id="runs">'
        '<thead><tr><th>site</th><th>ended (UTC)</th><th>status</th><th class="n">written</th><th class="n">skipped</th>'
        '<th class="n">dropped</th><th class="n">errors</th>'
        + "".join(f'<th class="n">{check}</th>' for check in CHECKS)
        + "<th>body from</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></details>"
    )


def _problems_table(rows: list[tuple[str, str, int, list[str]]], what: str, ident: str) -> str:
    if not rows:
        return f'<p class="none">No {what} in these days.</p>'
    body = "".join(
        f'<tr data-reason="{escape(site)}/{escape(reason)}"><td>{escape(site)}</td><td>{escape(reason)}</td>'
        + _td(count, data_figure="count")
        + "<td>"
        + "".join(f'<div class="url" dir="ltr"><a href="{escape(u)}">{escape(iri(u))}</a></div>' for u in urls)
        + "</td></tr>"
        for site, reason, count, urls in rows
    )
    return (
        f'<table id="{ident}"><thead><tr><th>site</th><th>{what}</th><th class="n">pages</th><th>examples</th>'
        f"</tr></thead><tbody>{body}</tbody></table>"
    )


def _latest_table(o: Overview) -> str:
    if not o.latest:
        return '<p class="none">No article in the collection.</p>'
    rows = []
    for r in o.latest:
        rtl = r.get("language") == "ar"
        direction = ' dir="rtl" lang="ar"' if rtl else f' dir="auto" lang="{escape(r.get("language") or "")}"'
        when = r.get("published") or r.get("published_date") or "undated"
        rows.append(
            f'<tr data-article="{escape(r["site"])}/{escape(r["article_id"])}"><td class="when">{escape(when)}</td>'
            f'<td>{escape(r["site"])}</td><td{direction}><a href="{escape(r["url"])}">{escape(r["title"])}</a>'
            f'<div class="url" dir="ltr">{escape(iri(r["url"]))}</div></td></tr>'
        )
    return (
        '<table id="latest"><thead><tr><th>published</th><th>site</th><th>title and URL</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def render(o: Overview) -> str:
    """The whole HTML document."""
    matplotlib = matplotlib_module()
    settings = {
        "svg.fonttype": "path",
        "svg.hashsalt": "clippings",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.titleweight": "bold",
    }
    with matplotlib.rc_context(settings):
        published = sum(o.in_window(s) for s in o.sites)
        per_day = chart_per_day(o) if published else ""
        with_runs = any(o.runs.get(s) for s in o.sites)
        runs = chart_runs(o) if with_runs else ""
        coverage = chart_coverage(o) if with_runs else ""
        sources = chart_body_sources(o) if with_runs else ""
    no_runs = '<p class="none">No run recorded in these days (DIR/.state/runs.ndjson).</p>'
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>clippings report: {escape(o.directory)}</title><style>{STYLE}</style></head>",
        f'<body data-first-day="{o.first_day}" data-today="{o.today}" data-generated="{utc_stamp(o.generated)}">',
        "<header><h1>clippings report</h1>",
        f'<p class="meta">Collection <code>{escape(o.directory)}</code>; generated {utc_stamp(o.generated)};'
        f" the {o.days} days {o.first_day} to {o.today} (Morocco's calendar).</p></header>",
        _attention(o),
        '<section id="collection"><h2>The collection</h2>',
        _summary(o),
        "</section>",
        '<section id="articles-per-day"><h2>Articles per day</h2>',
        f'<figure class="chart" id="chart-per-day">{per_day}</figure>' if per_day else "",
        _per_day_table(o),
        "</section>",
        '<section id="run-history"><h2>Runs</h2>',
        f'<figure class="chart" id="chart-runs">{runs}</figure>' if runs else no_runs,
        _runs_table(o) if runs else "",
        "</section>",
        '<section id="coverage"><h2>Field coverage per run</h2>',
        f'<figure class="chart" id="chart-coverage">{coverage}</figure>' if coverage else no_runs,
        f'<figure class="chart" id="chart-body-sources">{sources}</figure>' if sources else "",
        "</section>",
        '<section id="problems"><h2>Top drop reasons and errors</h2>',
        _problems_table(o.drops, "drop reason", "drops"),
        _problems_table(o.errors, "error", "errors"),
        "</section>",
        f'<section id="latest-articles"><h2>Latest articles</h2>{_latest_table(o)}</section>',
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
