"""``clippings report DIR``: one self-contained HTML file, opened in headless Chromium (a
screenshot, the charts drawn, no console error, no request but the file itself, the numbers
shown equal to the collection's as DuckDB counts them), and the same figures as text."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from clippings.collection.overview import gather
from clippings.collection.report_html import render
from tests.helpers.collection import demo
from tests.helpers.crawl import run_clippings
from tests.helpers.fixturelib import ROOT


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> tuple[Path, dict]:
    directory = tmp_path_factory.mktemp("report") / "out"
    return directory, demo(directory, datetime.now(UTC).replace(microsecond=0))


@pytest.fixture(scope="module")
def report(collection, tmp_path_factory) -> Path:
    directory, _ = collection
    target = tmp_path_factory.mktemp("html") / "report.html"
    done = run_clippings("report", str(directory), "--to", str(target))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith(f"{target}: ") and done.stdout.strip().endswith(" KB")
    return target


def test_the_file_needs_nothing_from_outside(report):
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert not re.search(r"<script|<link|<iframe|<img|<object|<embed|@import|@font-face|url\((?!#)", html, re.I)
    assert not re.search(r"\ssrc=", html)
    # Every address left is a link to an article (or drop example), or an SVG namespace.
    for address in re.findall(r'(?:href|xlink:href)="([^"#][^"]*)"', html):
        assert address.startswith(("https://fr.le360.ma/", "https://www.almaghribtoday.net/")), address
    assert html.count("<svg") == 4


def test_the_report_in_chromium(report, collection, browser, tmp_path):
    directory, written = collection
    page = browser.open(report.as_uri())
    assert page.errors() == [], page.errors()
    assert page.requests == [report.as_uri()]  # nothing fetched but the file itself

    # The charts are drawn: four SVGs of real size, full of paths.
    charts = browser.evaluate("""[...document.querySelectorAll('figure.chart')].map(f => {
        const svg = f.querySelector('svg'), box = svg.getBoundingClientRect();
        return {id: f.id, width: box.width, height: box.height, top: box.top + scrollY, left: box.left,
                paths: svg.querySelectorAll('path, use').length};
    })""")
    assert [c["id"] for c in charts] == ["chart-per-day", "chart-runs", "chart-coverage", "chart-body-sources"]
    for chart in charts:
        assert chart["width"] > 600 and chart["height"] > 150 and chart["paths"] > 50, chart

    shot = browser.screenshot(tmp_path / "report.png")
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    assert image.width == 1280 and image.height > 2000
    first = charts[0]
    area = image.crop(
        (
            int(first["left"]),
            int(first["top"]),
            int(first["left"] + first["width"]),
            int(first["top"] + first["height"]),
        )
    )
    colours = area.getcolors(1 << 20)
    blue = sum(n for n, rgb in colours if rgb == (0x1F, 0x6F, 0xB4))
    red = sum(n for n, rgb in colours if rgb == (0xC8, 0x41, 0x2C))
    assert blue > 500 and red > 500, (blue, red)  # both sites' bars are on the screen
    print(f"screenshot: {shot} ({image.width}x{image.height})")

    # The numbers shown are the collection's, as DuckDB counts them from the JSON lines.
    first_day, today = (
        date.fromisoformat(browser.evaluate(f"document.body.dataset.{k}")) for k in ("firstDay", "today")
    )
    lines = f"read_json_auto('{directory}/[a-z]*/*.jsonl')"
    con = duckdb.connect()
    articles = dict(con.execute(f"SELECT site, count(DISTINCT article_id) FROM {lines} GROUP BY site").fetchall())
    in_window = dict(
        con.execute(
            f"SELECT site, count(DISTINCT article_id) FROM {lines} WHERE published_date BETWEEN ? AND ? GROUP BY site",
            [first_day, today],
        ).fetchall()
    )
    undated = dict(
        con.execute(
            f"SELECT site, count(DISTINCT article_id) FROM {lines} WHERE published_date IS NULL GROUP BY site"
        ).fetchall()
    )
    per_day = {
        (str(d), s): n
        for s, d, n in con.execute(
            f"SELECT site, published_date, count(DISTINCT article_id) FROM {lines} WHERE published_date BETWEEN ? AND ? GROUP BY ALL",
            [first_day, today],
        ).fetchall()
    }
    shown = browser.evaluate("""(() => {
        const cell = (row, name) => Number(row.querySelector(`[data-figure="${name}"]`).textContent);
        const sites = {};
        for (const row of document.querySelectorAll('#figures tbody tr')) {
            sites[row.dataset.site] = {articles: cell(row, 'articles'), window: cell(row, 'in-window'),
                undated: cell(row, 'undated'), runs: cell(row, 'runs'), written: cell(row, 'last-written')};
        }
        const days = {};
        for (const row of document.querySelectorAll('#per-day tbody tr'))
            for (const td of row.querySelectorAll('td')) if (Number(td.textContent)) days[row.dataset.day + '|' + td.dataset.site] = Number(td.textContent);
        const total = Number(document.querySelector('[data-figure="articles-total"]').textContent);
        return {sites, days, total};
    })()""")
    assert shown["total"] == sum(articles.values()) == len({(r["site"], r["article_id"]) for r in written["records"]})
    for site in ("le360", "almaghribtoday"):
        runs = [r for r in written["runs"] if r["site"] == site]
        assert shown["sites"][site] == {
            "articles": articles[site],
            "window": in_window.get(site, 0),
            "undated": undated.get(site, 0),
            "runs": len(runs),
            "written": runs[-1]["written"],
        }, site
    assert {tuple(k.split("|")): v for k, v in shown["days"].items()} == per_day

    # Arabic titles read right to left, French ones left to right.
    directions = browser.evaluate("""[...document.querySelectorAll('#latest tbody tr')].map(row => {
        const cell = row.cells[2], link = cell.querySelector('a'), a = link.getBoundingClientRect(), c = cell.getBoundingClientRect();
        return {site: row.dataset.article.split('/')[0], direction: getComputedStyle(cell).direction,
                flushRight: Math.abs(c.right - a.right) < 12, flushLeft: Math.abs(a.left - c.left) < 12};
    })""")
    arabic = [d for d in directions if d["site"] == "almaghribtoday"]
    french = [d for d in directions if d["site"] == "le360"]
    assert arabic and french
    assert all(d["direction"] == "rtl" and d["flushRight"] for d in arabic), arabic
    assert all(d["direction"] == "ltr" and d["flushLeft"] for d in french), french


def test_the_browser_check_sees_errors_and_requests(browser, tmp_path):
    """The checks above have teeth: a console error, an uncaught exception and a request off
    the page are all reported."""
    page_file = tmp_path / "bad.html"
    page_file.write_text(
        "<!doctype html><title>x</title><img src='http://127.0.0.1:9/missing.png'>"
        "<script>console.error('broken chart'); undefined_function();</script>"
    )
    page = browser.open(page_file.as_uri())
    errors = page.errors()
    assert any("broken chart" in e for e in errors), errors
    assert any("undefined_function" in e for e in errors), errors
    assert "http://127.0.0.1:9/missing.png" in page.requests


def test_the_figures_as_text(collection):
    directory, written = collection
    done = run_clippings("report", str(directory))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    le360 = len({r["article_id"] for r in written["records"] if r["site"] == "le360"})
    amt = len({r["article_id"] for r in written["records"] if r["site"] == "almaghribtoday"})
    assert f"articles: {le360 + amt} (almaghribtoday {amt}, le360 {le360});" in text
    assert "runs: 48 recorded, 48 in these days" in text
    assert "le360: 12 of " in text and "alarm" in text
    assert re.search(r"^\s+12  le360 empty_body$", text, re.M)
    assert "latest articles (10 of the 20 in the HTML report):" in text
    assert re.search(r"^  almaghribtoday +\|[ ▁▂▃▄▅▆▇█]{90}\| 31 in 90 days, most on .*; 1 undated$", text, re.M), text


def test_the_same_collection_and_clock_give_the_same_file(collection):
    directory, _ = collection
    now = datetime.now(UTC)
    assert render(gather(directory, now=now)) == render(gather(directory, now=now))


def test_an_empty_collection_still_gives_a_page(tmp_path, browser):
    (tmp_path / "out").mkdir()
    target = tmp_path / "r.html"
    assert run_clippings("report", str(tmp_path / "out"), "--to", str(target)).returncode == 0
    html = target.read_text(encoding="utf-8")
    assert "No run recorded" in html and "No article in the collection." in html
    assert browser.open(target.as_uri()).errors() == []


def test_without_matplotlib_the_html_report_says_what_to_install(collection, tmp_path):
    directory, _ = collection
    code = "import sys; sys.modules['matplotlib'] = None; from clippings.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", code, "report", str(directory), "--to", str(tmp_path / "r.html")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "pip install 'clippings[report]'" in done.stderr
    done = subprocess.run(
        [sys.executable, "-c", code, "report", str(directory)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.startswith("clippings report: ")


def test_command_line_errors_exit_2(tmp_path):
    assert run_clippings("report", str(tmp_path / "nope")).returncode == 2
    done = run_clippings("report", str(tmp_path), "--days", "0")
    assert done.returncode == 2 and "--days" in done.stderr
    done = run_clippings("report", str(tmp_path), "--to", str(tmp_path / "no" / "r.html"))
    assert done.returncode == 2
