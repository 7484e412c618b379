"""Extraction health: per-site shares of article pages with no body, date or author.

Above a threshold the crawl fails (exit status 1) with a line naming the site and the
figures; the figures are in the Scrapy stats either way.
"""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from clippings.core.items import Article
from clippings.crawl.extensions import ExtractionHealth, health_figures
from tests.helpers.crawl import FAST, read_output, run_clippings
from tests.helpers.pages import ReplayFolder, article_html, halved_article, le360_url


def test_a_day_without_a_time_is_a_date_and_no_day_is_none():
    """Schema 2.0: "no date" is ``published_date`` null; a page giving only its day has one."""
    crawler = get_crawler()
    health = ExtractionHealth(crawler)
    item = Article(url="https://www.almaghribtoday.net/1/2-x", site="almaghribtoday", article_id="2", title="t")
    health.article_written(item, {"published": None, "published_date": "2018-07-24", "authors": ["a"]})
    health.article_written(item, {"published": None, "published_date": None, "authors": ["a"]})
    assert crawler.stats.get_value("clippings/almaghribtoday/missing/published") == 1


def test_figures_from_stats():
    stats = {
        "response_received_count": 25,
        "clippings/le360/pages/article": 18,
        "clippings/le360/dropped/no_title": 2,
        "clippings/le360/dropped/empty_body": 12,
        "clippings/le360/dropped/video": 3,
        "clippings/le360/dropped/http_503": 1,  # today's key for a 503 after the retries
        "clippings/le360/dropped/http_404": 1,  # the site's answer: no error
        "clippings/le360/refused/video": 2,  # 2 of the 3 videos were at article URLs
        "clippings/le360/errors/download": 2,  # never fetched: 25 + 2 pages sent to fetch
        "clippings/le360/written": 6,
        "clippings/le360/missing/lead": 2,
        "clippings/le360/missing/section": 3,
        "clippings/le360/missing/tags": 4,
        "clippings/le360/missing/image": 5,
        "clippings/le360/missing/published": 1,
        "clippings/le360/missing/authors": 6,
        "clippings/almaghribtoday/written": 99,
    }
    assert health_figures(stats, "le360") == {
        "no_title": (2, 20),
        "no_lead": (2, 6),
        "no_section": (3, 6),
        "no_tags": (4, 6),
        "no_image": (5, 6),
        "no_date": (1, 6),
        "no_author": (6, 6),
        "no_body": (14, 20),
        "errors": (3, 27),
        "refused": (2, 22),
    }
    assert set(health_figures({}, "le360").values()) == {(0, 0)}


def _crawl(tmp_path, pages: dict[str, bytes], *settings: str):
    store = ReplayFolder(tmp_path / "replay")
    for slug, body in pages.items():
        store.add(le360_url(slug), body)
    args = [
        "crawl",
        "le360",
        "--replay",
        str(tmp_path / "replay"),
        "--output",
        str(tmp_path / "out"),
        *FAST,
    ]
    for slug in pages:
        args += ["--url", le360_url(slug)]
    return run_clippings(*args, *settings, timeout=180)


def test_a_layout_change_fails_the_crawl(tmp_path):
    # 8 pages whose article text is no longer where it was, 4 still fine.
    pages = {f"vide-{i}": article_html(title=f"Sans texte {i}", body=False).encode() for i in range(8)}
    pages |= {f"bon-{i}": article_html(title=f"Bon {i}", author=None).encode() for i in range(4)}
    done = _crawl(tmp_path, pages)
    assert done.returncode == 1, done.stdout + done.stderr[-2000:]
    line = "le360: 8 of 12 article pages had no body — layout may have changed"
    assert line in done.stdout  # in the summary
    assert line in done.stderr  # and in the log, as an error
    # 4 written articles lack an author, but 4 are fewer than CLIPPINGS_HEALTH_MIN_PAGES.
    assert "had no author" not in done.stdout
    assert len(read_output(tmp_path / "out")) == 4
    summary = done.stdout.splitlines()
    header, row = summary[0].split(), summary[1].split()
    assert header == ["site", "pages", "written", "updated", "skipped", "dropped", "errors"]
    assert row[0] == "le360" and row[2] == "4" and row[5] == "8"  # 8 dropped: no body
    assert "  dropped: empty_body 8" in summary
    assert "    no date 0/4, no author 4/4, no body 8/12, errors 0/13, refused 0/12" in summary


def test_thresholds_and_minimum_are_settings(tmp_path):
    pages = {f"anonyme-{i}": article_html(title=f"Anonyme {i}", author=None).encode() for i in range(2)}
    pages |= {f"date-{i}": article_html(title=f"Daté {i}", published=None).encode() for i in range(2)}
    done = _crawl(
        tmp_path,
        pages,
        "-s",
        "CLIPPINGS_HEALTH_MIN_PAGES=4",
        "-s",
        "CLIPPINGS_HEALTH_MAX_NO_AUTHOR=0.25",
        "-s",
        "CLIPPINGS_HEALTH_MAX_NO_DATE=0.5",
    )
    assert done.returncode == 1
    assert "le360: 2 of 4 articles written had no author — layout may have changed" in done.stdout
    assert "had no date" not in done.stdout  # 2 of 4 is not above 0.5


def test_a_healthy_crawl_passes_and_keeps_the_figures_in_the_stats(tmp_path):
    pages = {f"article-{i}": article_html(title=f"Article {i}").encode() for i in range(10)}
    pages["vide"] = article_html(title="Sans texte", body=False).encode()
    done = _crawl(tmp_path, pages, "--loglevel", "INFO")
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "layout may have changed" not in done.stdout + done.stderr
    assert "le360 health: 10 written; dropped: empty_body 1; no title 0/11, no lead 10/10," in done.stderr
    assert "no date 0/10, no author 0/10, no body 1/11, errors 0/12, refused 0/11" in done.stderr
    assert "'clippings/le360/health/no_body': 0.091" in done.stderr  # the stats dump
    assert "'clippings/le360/health/alarms': []" in done.stderr


def test_a_layout_change_that_halves_bodies_fails_the_crawl(tmp_path):
    pages = {f"moitie-{i}": halved_article(f"Moitié {i}") for i in range(10)}
    done = _crawl(tmp_path, pages, "--loglevel", "INFO")
    assert done.returncode == 1, done.stdout + done.stderr[-2000:]
    assert "le360: 10 of 10 article pages had no body — layout may have changed" in done.stdout
    assert "'clippings/le360/body/short': 10" in done.stderr
    assert len(read_output(tmp_path / "out")) == 10  # written all the same, flagged


def test_short_bodies_count_as_none_in_the_figures():
    stats = {
        "clippings/le360/pages/article": 10,
        "clippings/le360/body/short": 4,
        "clippings/le360/dropped/empty_body": 1,
    }
    assert health_figures(stats, "le360")["no_body"] == (5, 10)


def _video(title: str) -> bytes:
    """A video page at an article URL: no article markup, no text, og:type video."""
    return (
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title} | Le360</title>'
        '<meta property="og:type" content="video.other"></head>'
        f'<body><h1>{title}</h1><video src="https://fr.le360.ma/v.mp4"></video></body></html>'
    ).encode()


def test_a_site_refusing_its_own_articles_alarms(tmp_path):
    """Refusals at article URLs (video, not an article) are a health figure: above
    CLIPPINGS_HEALTH_MAX_REFUSED the run alarms, as empty bodies do."""
    pages = {f"article-{i}": article_html(title=f"Article {i}").encode() for i in range(10)}
    pages |= {f"video-{i}": _video(f"Vidéo {i}") for i in range(5)}
    done = _crawl(tmp_path, pages)
    assert done.returncode == 1, done.stdout + done.stderr[-2000:]
    line = "le360: 5 of 15 pages at article URLs were refused as no article — layout may have changed"
    assert line in " ".join(done.stdout.split()) and line in done.stderr
    assert "  dropped: video 5" in done.stdout
    # Two of them are within the default 0.3, and below CLIPPINGS_HEALTH_MIN_PAGES nothing is judged.
    pages = {k: v for k, v in pages.items() if not k.startswith("video-") or k in ("video-0", "video-1")}
    done = _crawl(tmp_path / "within", pages)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "refused 2/12" in done.stdout


def test_lost_pages_are_errors_and_past_the_threshold_an_alarm(tmp_path):
    """Pages that answer 503 are lost pages: counted as errors. Past CLIPPINGS_HEALTH_MAX_ERRORS
    (a share of the pages the run was sent to fetch) the run alarms and exits 1; below it,
    ``clippings status`` shows ``errors N`` and exits 0."""

    def crawl(folder, good: int, failing: int):
        store = ReplayFolder(folder / "replay")
        args = ["crawl", "le360", "--replay", str(folder / "replay"), "--output", str(folder / "out"), *FAST]
        args += ["-s", "RETRY_ENABLED=False"]
        for i in range(good):
            args += ["--url", store.add(le360_url(f"bon-{i}"), article_html(title=f"Bon {i}").encode())]
        for i in range(failing):
            args += ["--url", store.add(le360_url(f"panne-{i}"), b"busy", status=503)]
        return run_clippings(*args, timeout=180)

    done = crawl(tmp_path / "many", 10, 2)
    assert done.returncode == 1, done.stdout + done.stderr[-2000:]
    pages = int(done.stdout.splitlines()[1].split()[1])  # every response: robots.txt and the 503s too
    assert pages >= 12
    line = (
        f"le360: 2 of {pages} pages it was sent to fetch failed, above CLIPPINGS_HEALTH_MAX_ERRORS=0.05"
        " — the site or the network failed"
    )
    assert line in " ".join(done.stdout.split()) and line in done.stderr
    status = run_clippings("status", str(tmp_path / "many" / "out"))
    assert status.returncode == 1 and " ALARM " in status.stdout

    done = crawl(tmp_path / "few", 24, 1)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    pages = int(done.stdout.splitlines()[1].split()[1])
    assert f"errors 1/{pages}" in done.stdout and 1 / pages < 0.05
    status = run_clippings("status", str(tmp_path / "few" / "out"))
    assert status.returncode == 0, status.stdout
    row = next(line for line in status.stdout.splitlines() if line.startswith("le360 "))
    assert "  errors 1 " in row
