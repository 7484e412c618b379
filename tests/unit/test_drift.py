"""A run against the site's last runs (``clippings.core.drift``) and the figures the history
line keeps for it; errors in ``clippings status``.

The history lines are built by ``clippings.collection.runs.run_record`` from a run's stats, as a crawl
writes them, and read back through ``append_run``/``read_runs``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clippings.collection.run_line import run_record
from clippings.collection.runs import append_run, read_runs
from clippings.collection.status import as_text, status
from clippings.core.drift import baseline, drift_alarms
from clippings.core.health import DEFAULT_LIMITS, judge

NOW = datetime(2026, 4, 8, 12, 0, tzinfo=UTC)


def stats(written: int = 20, *, sections: dict[str, int] | None = None, **missing: int) -> dict:
    """One le360 run's stats: ``written`` articles, ``missing`` counts by field."""
    counts = {
        "response_received_count": written + 2,
        "clippings/le360/pages/article": written,
        "clippings/le360/written": written,
        **{f"clippings/le360/missing/{name}": count for name, count in missing.items()},
    }
    for section, count in (sections or {"Politique": written // 2, "Sport": written - written // 2}).items():
        counts[f"clippings/le360/values/section/{section}"] = count
    return counts


def history(tmp_path, *runs: dict) -> list[dict]:
    for number, counts in enumerate(runs):
        finished = NOW - timedelta(hours=len(runs) - number)
        line = run_record(
            counts, "le360", run_id=f"r{number}", job=None, started=finished, finished=finished, reason="finished",
            peak_rss_mb=None,
        )  # fmt: skip
        append_run(tmp_path, line)
    return read_runs(tmp_path)


def test_the_history_line_keeps_every_figure_and_the_sections(tmp_path):
    (line,) = history(tmp_path, stats(20, tags=5, lead=1, sections={"Politique": 12, "Sport": 8}))
    assert list(line["health"]) == [
        "no_title", "no_lead", "no_section", "no_tags", "no_image", "no_date", "no_author", "no_body", "errors", "refused",
    ]  # fmt: skip
    assert line["health"]["no_tags"] == {"count": 5, "total": 20, "share": 0.25}
    assert line["health"]["errors"] == {"count": 0, "total": 22, "share": 0.0}
    assert line["values"] == {"section": {"Politique": 12, "Sport": 8}}


def test_a_coverage_falling_under_the_median_alarms_naming_field_figure_and_usual_value(tmp_path):
    runs = history(tmp_path, stats(tags=2), stats(tags=20), stats(tags=4))
    base = baseline(runs, "le360", min_pages=10)
    assert base.runs == 3 and base.shares["no_tags"] == 0.2  # the median: one odd run does not count
    alarms = drift_alarms(stats(tags=10), "le360", base, 0.25, 0.25, 10)
    assert alarms == [
        "le360: tags on 10 of 20 articles written (50%), usually 80% (median of its last 3 runs),"
        " a fall over CLIPPINGS_HEALTH_MAX_DROP=0.25 — layout may have changed"
    ]
    # A fall of exactly the threshold, or fewer articles than CLIPPINGS_HEALTH_MIN_PAGES: none.
    assert drift_alarms(stats(tags=9), "le360", base, 0.25, 0.25, 10) == []
    assert drift_alarms(stats(8, tags=8), "le360", base, 0.25, 0.25, 10) == []
    # A figure already alarmed on its threshold is not said twice.
    assert drift_alarms(stats(tags=10), "le360", base, 0.25, 0.25, 10, frozenset({"no_tags"})) == []


def test_too_short_a_history_is_no_baseline(tmp_path):
    runs = history(tmp_path, stats(tags=0), stats(tags=0))
    base = baseline(runs, "le360", min_pages=10)
    assert base.shares == {} and base.values == {}
    assert drift_alarms(stats(tags=20), "le360", base, 0.25, 0.25, 10) == []
    # Runs of other sites, runs that ended early and runs too small to judge are no baseline.
    other = [{**run, "site": "almaghribtoday"} for run in history(tmp_path / "b", *[stats()] * 3)]
    early = [{**run, "finish_reason": "shutdown"} for run in history(tmp_path / "c", *[stats()] * 3)]
    small = history(tmp_path / "d", *[stats(5)] * 3)
    for runs in (other, early, small):
        assert baseline(runs, "le360", min_pages=10).shares == {}


def test_a_section_none_of_the_last_runs_had_alarms(tmp_path):
    runs = history(tmp_path, *[stats(sections={"Politique": 10, "Sport": 9, "Culture": 1})] * 3)
    base = baseline(runs, "le360", min_pages=10)
    # 6 of 20 articles (30%) in a section never seen: the language switch taken for a section.
    run = stats(sections={"Politique": 8, "Sport": 6, "English": 6})
    assert drift_alarms(run, "le360", base, 0.25, 0.25, 10) == [
        "le360: section 'English' on 6 of 20 articles written (30%), a section none of its last 3 runs"
        " had (usually Politique, Sport, Culture), over CLIPPINGS_HEALTH_MAX_NEW_VALUES=0.25 — layout may have changed"
    ]
    # A new section on a few articles is news, not a layout change.
    assert drift_alarms(stats(sections={"Politique": 15, "Élections": 5}), "le360", base, 0.25, 0.25, 10) == []


def test_an_absolute_alarm_names_the_usual_value(tmp_path):
    runs = history(tmp_path, *[stats(authors=1)] * 3)
    base = baseline(runs, "le360", min_pages=10)
    health = judge(stats(authors=18), "le360", DEFAULT_LIMITS, 10, base.shares)
    assert health.alarms == ["le360: 18 of 20 articles written had no author (usually 5%) — layout may have changed"]
    assert health.alarmed == {"no_author"}


def test_errors_below_the_threshold_show_as_errors_n_and_above_it_alarm(tmp_path):
    counts = {**stats(), "response_received_count": 40, "clippings/le360/errors/download": 1}
    counts["clippings/le360/dropped/http_503"] = 1  # today's key for a 503 after the retries
    assert judge(counts, "le360", DEFAULT_LIMITS, 10).alarms == []  # 2 of 41: under 0.05
    (line,) = history(tmp_path, counts)
    assert line["errors"] == {"download": 1} and line["dropped"] == {"http_503": 1}
    report, _ = status(tmp_path, timedelta(hours=2), now=NOW)
    (row,) = report["sites"]
    assert (row["status"], row["errors"], report["ok"]) == ("errors", 2, True)
    assert "  errors 2  " in as_text(report).splitlines()[1]
    counts["clippings/le360/errors/download"] = 4  # 5 of 44
    assert judge(counts, "le360", DEFAULT_LIMITS, 10).alarms == [
        "le360: 5 of 44 pages it was sent to fetch failed, above CLIPPINGS_HEALTH_MAX_ERRORS=0.05"
        " — the site or the network failed"
    ]
