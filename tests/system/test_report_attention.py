"""The morning report as an operator reads it, in headless Chromium: what needs attention
first (the alarm's reason on the first screen, in the run history's words; "all well" when
nothing does), URLs shown decoded (no ``%D8`` anywhere in the text), drop reasons counted once
per page, and a time chart with nothing to show collapsed to one line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from clippings.collection.overview import gather
from clippings.collection.report_html import render
from clippings.collection.runs import append_run
from tests.helpers.collection import article, demo, write
from tests.helpers.crawl import run_clippings

NOW = datetime.now(UTC).replace(microsecond=0)
REASON = "le360: 16 of 21 article pages had no body — layout may have changed"
ARABIC_PATH = "/1195/9001-" + quote("الحكومة-تصادق-على-مشروع")
ARABIC_URL = "https://www.almaghribtoday.net" + ARABIC_PATH
FIRST_SCREEN = """(() => {
    const seen = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange(); range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (box.height > 0 && box.bottom > 0 && box.top < innerHeight && node.textContent.trim()) seen.push(node.textContent.trim());
    }
    return seen.join(' ');
})()"""


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def run(site: str, ended: datetime, **fields) -> dict:
    return {
        "run_id": f"{site}-{ended:%H%M%S}",
        "site": site,
        "started": stamp(ended - timedelta(minutes=2)),
        "finished": stamp(ended),
        "exit_status": 1 if fields.get("problems") else 0,
        "finish_reason": "finished",
        "problems": [],
        "alarms": [],
        "written": 3,
        "skipped": {},
        "dropped": {},
        "errors": {},
        "examples": {},
        **fields,
    }


@pytest.fixture(scope="module")
def alarmed(tmp_path_factory):
    directory = tmp_path_factory.mktemp("attention") / "out"
    demo(directory, NOW)
    record = article("almaghribtoday", "9001", fetched_at=stamp(NOW - timedelta(minutes=20)))
    write(directory, [{**record, "url": ARABIC_URL}])
    append_run(directory, run("le360", NOW - timedelta(minutes=10), problems=[REASON], alarms=[REASON]))
    append_run(
        directory,
        run(
            "almaghribtoday",
            NOW - timedelta(minutes=5),
            dropped={"soft_404": 1},
            errors={"download": 2},
            examples={"dropped/soft_404": [ARABIC_URL], "errors/download": [ARABIC_URL + "-2"]},
        ),
    )
    target = directory.parent / "report.html"
    done = run_clippings("report", str(directory), "--to", str(target))
    assert done.returncode == 0, done.stderr
    return directory, target


def test_the_alarms_reason_is_on_the_first_screen_and_no_url_is_percent_encoded(alarmed, browser):
    _, target = alarmed
    page = browser.open(target.as_uri())
    assert page.errors() == []
    first = browser.evaluate(FIRST_SCREEN)
    assert "Needs attention" in first
    assert REASON in first
    assert "almaghribtoday errors" in first and "2 errors: download 2" in first
    text = browser.evaluate("document.body.innerText")
    assert "%D8" not in text and "%d8" not in text
    assert "https://www.almaghribtoday.net/1195/9001-الحكومة-تصادق-على-مشروع" in text
    # the links still go where the pages are
    hrefs = browser.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert ARABIC_URL in hrefs


def test_the_text_report_says_it_first_too(alarmed):
    directory, _ = alarmed
    done = run_clippings("report", str(directory))
    lines = done.stdout.splitlines()
    assert lines[2] == "needs attention:"
    assert lines[3] == "  almaghribtoday (errors): 2 errors: download 2"
    assert lines[4] == f"  le360 (alarm): {REASON}"


def test_late_failed_and_well(tmp_path):
    out = tmp_path / "out"
    write(out, [article("le360", "1", fetched_at=stamp(NOW)), article("almaghribtoday", "2", fetched_at=stamp(NOW))])
    append_run(out, run("le360", NOW - timedelta(minutes=3)))
    append_run(out, run("almaghribtoday", NOW - timedelta(minutes=4)))
    overview = gather(out, now=NOW)
    assert overview.attention == []
    assert "All well" in render(overview)
    later = gather(out, now=NOW + timedelta(hours=3))
    assert [(a.site, a.status) for a in later.attention] == [("almaghribtoday", "late"), ("le360", "late")]
    assert later.attention[1].reasons == ["late: its last run ended 3h 03m ago (more than 2h 00m)"]
    append_run(out, run("le360", NOW, problems=["crawl ended early (shutdown)"], finish_reason="shutdown"))
    failed = gather(out, now=NOW, max_age=timedelta(days=1))
    assert [(a.site, a.status, a.reasons) for a in failed.attention] == [
        ("le360", "failed", ["crawl ended early (shutdown)"])
    ]


def test_a_page_dropped_in_every_run_counts_once(tmp_path):
    out = tmp_path / "out"
    video = "https://fr.le360.ma/videos/v_ABCDEFGHIJKLMNOPQRSTUVWXYZ/"
    for n in range(4):
        append_run(
            out, run("le360", NOW - timedelta(hours=n), dropped={"video": 1}, examples={"dropped/video": [video]})
        )
    named = [f"https://fr.le360.ma/a/{n}/" for n in range(3)]
    append_run(out, run("le360", NOW, dropped={"empty_body": 5}, examples={"dropped/empty_body": named}))
    drops = {reason: (pages, urls) for _, reason, pages, urls in gather(out, now=NOW).drops}
    assert drops["video"] == (1, [video])
    assert drops["empty_body"] == (5, named)  # 3 named, 2 more the run counted without naming them


def test_an_empty_time_chart_collapses_to_one_line(tmp_path, browser):
    out = tmp_path / "out"
    old = [
        article("le360", f"{n}", published=f"2019-03-0{n}T10:00:00+01:00", fetched_at="2019-03-09T10:00:00Z")
        for n in range(1, 4)
    ]
    write(out, old)
    append_run(out, run("le360", NOW - timedelta(minutes=1)))
    target = tmp_path / "r.html"
    assert run_clippings("report", str(out), "--to", str(target)).returncode == 0
    browser.open(target.as_uri())
    shown = browser.evaluate("""(() => {
        const line = document.querySelector('#no-articles-in-window'), box = line.getBoundingClientRect();
        return {chart: !!document.querySelector('#chart-per-day'), text: line.innerText, height: box.height,
                line: parseFloat(getComputedStyle(line).lineHeight),
                runs: document.querySelector('#run-history').getBoundingClientRect().top};
    })()""")
    assert not shown["chart"]
    assert shown["text"] == (
        "No article published in these 90 days; 3 in the collection, the newest published 2019-03-03."
    )
    assert shown["height"] < 1.5 * shown["line"]  # one line
    assert shown["runs"] < 900  # the runs are on the first screen
