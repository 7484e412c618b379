"""Article pages a faulty server answered with no article (an empty 200, a page with no text,
a redirect loop, a redirect off the site to its maintenance page), and sitemaps it answered
with nothing or cut short, leave articles not had and not remembered as given up: the run
keeps the feed's and sitemaps' validators unsaved, so the next run is not told 304 over them
and fetches them."""

from __future__ import annotations

from collections import Counter

import pytest

from clippings.collection.runs import read_runs
from tests.helpers.crawl import read_output
from tests.helpers.fixturelib import FIXTURES
from tests.helpers.httpsite import Answer, LocalSite, rss
from tests.helpers.le360site import ARTICLES, FEED, INDEX, SITEMAP, crawl, publish, published

HTML = {"Content-Type": "text/html; charset=utf-8"}
NO_TEXT = b"<!doctype html><html><head><title>Le360</title></head><body><main></main></body></html>"


def empty_200(site: LocalSite, url: str) -> None:
    site.page(url).first = [Answer(200, HTML, b"")]


def no_text(site: LocalSite, url: str) -> None:
    site.page(url).first = [Answer(200, HTML, NO_TEXT)]


def redirect_loop(site: LocalSite, url: str) -> None:
    # Once: the page sends the crawl to a URL that sends it back.
    site.page(url).first = [Answer(301, {"Location": url + "?from=loop"})]
    site.redirect(url + "?from=loop", url)


def offsite_redirect(site: LocalSite, url: str) -> None:
    # Once: the site sends its article to a maintenance page on another host.
    site.page(url).first = [Answer(302, {"Location": "https://status.example.org/maintenance"})]


@pytest.mark.parametrize(
    ("fault", "kind", "reason"),
    [
        (empty_200, "dropped", "not_html"),
        (no_text, "dropped", "empty_body"),
        (redirect_loop, "errors", "download"),
        (offsite_redirect, "dropped", "offsite_redirect"),
    ],
    ids=["empty_200", "no_text", "redirect_loop", "offsite_redirect"],
)
def test_an_article_a_fault_kept_from_the_first_run_is_fetched_by_the_next(tmp_path, fault, kind, reason):
    articles = ARTICLES[:5]
    victim = articles[2]
    out = tmp_path / "out"
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        fault(site, victim.url)
        first = crawl(site, out)
        assert "Traceback" not in first.stderr, first.stderr[-3000:]
        assert {r["url"] for r in read_output(out)} == {f.url for f in articles} - {victim.url}
        run = read_runs(out)[-1]
        counted = run[kind]
        assert counted == {reason: 1}, run
        # Said: in the summary, and the URL in the run history.
        assert f"{kind}: {reason} 1" in first.stdout, first.stdout
        # (a redirect loop is named by the request that closed it, its chain in the log line)
        [example] = run["examples"][f"{kind}/{reason}"]
        assert example.startswith(victim.url), run["examples"]

        site.clear_log()
        second = crawl(site, out)
        assert second.returncode == 0, second.stderr[-3000:]
        log = site.log()
    # The feed and the index asked without validators: a 304 would have hidden the page.
    assert [hit.status for hit in log if hit.url in (FEED, INDEX)] == [200, 200]
    assert not any("if-none-match" in hit.headers for hit in log if hit.url in (FEED, INDEX))
    assert Counter(hit.url for hit in log if hit.status == 200 and hit.url in {f.url for f in articles}) == Counter(
        {victim.url: 1}
    )
    records = read_output(out)
    assert Counter(r["url"] for r in records) == Counter({f.url: 1 for f in articles})
    assert read_runs(out)[-1]["written"] == 1


# --- a sitemap a faulty server answered with nothing, or cut short -------------------------------
def empty_sitemap(site: LocalSite) -> None:
    site.page(SITEMAP).first = [Answer(200, {"Content-Type": "application/xml"}, b"")]


def cut_sitemap(site: LocalSite) -> None:
    # Cut by the server itself: its Content-Length says so, only the XML tells.
    body = site.page(SITEMAP).body
    site.page(SITEMAP).first = [Answer(200, {"Content-Type": "application/xml"}, body[: len(body) // 2])]


@pytest.mark.parametrize(
    ("fault", "said"),
    [(empty_sitemap, "cannot read feed or sitemap: an empty body"), (cut_sitemap, "malformed XML")],
    ids=["empty_sitemap", "cut_sitemap"],
)
def test_articles_only_a_faulty_sitemap_lists_are_fetched_by_the_next_run(tmp_path, fault, said):
    articles = ARTICLES[:6]
    in_feed = articles[:2]  # the others are listed by the sitemap alone
    out = tmp_path / "out"
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        site.add(FEED, rss([(f.url, published(f)) for f in in_feed]), headers={"Content-Type": "application/rss+xml"})
        fault(site)
        first = crawl(site, out)
        assert "Traceback" not in first.stderr, first.stderr[-3000:]
        named = [line for line in first.stderr.splitlines() if SITEMAP in line]
        assert len(named) == 1 and said in named[0], first.stderr[-3000:]
        # Counted too, read in part or not at all: the summary and the run history say so.
        assert "errors: bad_feed 1" in first.stdout, first.stdout
        assert read_runs(out)[-1]["examples"]["errors/bad_feed"] == [SITEMAP]
        had = {r["url"] for r in read_output(out)}
        assert {f.url for f in in_feed} <= had and len(had) < len(articles)

        site.clear_log()
        second = crawl(site, out)
        assert second.returncode == 0, second.stderr[-3000:]
        log = site.log()
    assert [hit.status for hit in log if hit.url in (FEED, INDEX, SITEMAP)] == [200, 200, 200]
    records = read_output(out)
    assert Counter(r["url"] for r in records) == Counter({f.url: 1 for f in articles})
    assert read_runs(out)[-1]["errors"] == {}


def test_max_articles_says_how_many_articles_were_left_each_counted_once(tmp_path):
    articles = ARTICLES[:6]  # each listed by the feed and by the sitemap
    out = tmp_path / "out"
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        first = crawl(site, out, "--max-articles", "2")
        assert first.returncode == 0, first.stderr[-3000:]
        assert "not fetched: over max_articles 4" in first.stdout, first.stdout
        assert read_runs(out)[-1]["not_fetched"] == {"max_articles": 4}
        second = crawl(site, out, "--max-articles", "2")
        assert "not fetched: over max_articles 2" in second.stdout, second.stdout
    assert len(read_output(out)) == 4


def test_articles_only_a_sitemap_missing_for_a_moment_lists_are_fetched_by_the_next_run(tmp_path):
    articles = ARTICLES[:6]
    in_feed = articles[:2]
    out = tmp_path / "out"
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        site.add(FEED, rss([(f.url, published(f)) for f in in_feed]), headers={"Content-Type": "application/rss+xml"})
        site.page(SITEMAP).first = [Answer(404, HTML, b"<html><body>Not found</body></html>")]
        first = crawl(site, out)
        named = [line for line in first.stderr.splitlines() if SITEMAP in line]
        assert len(named) == 1 and "HTTP 404" in named[0], first.stderr[-3000:]
        assert {r["url"] for r in read_output(out)} == {f.url for f in in_feed}

        site.clear_log()
        second = crawl(site, out)
        assert second.returncode == 0, second.stderr[-3000:]
        log = site.log()
    assert [hit.status for hit in log if hit.url in (FEED, INDEX, SITEMAP)] == [200, 200, 200]
    assert Counter(r["url"] for r in read_output(out)) == Counter({f.url: 1 for f in articles})


def test_an_article_redirected_to_the_home_page_is_said_and_fetched_by_the_next_run(tmp_path):
    articles = ARTICLES[:5]
    victim = articles[2]
    home = "https://fr.le360.ma/"
    out = tmp_path / "out"
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        site.add(home, "<!doctype html><html><head><title>Le360</title></head><body><h1>Accueil</h1></body></html>")
        site.page(victim.url).first = [Answer(302, {"Location": home})]  # for a moment
        first = crawl(site, out)
        assert "Traceback" not in first.stderr, first.stderr[-3000:]
        named = [line for line in first.stderr.splitlines() if victim.url in line]
        assert len(named) == 1 and f"redirected to {home}" in named[0], first.stderr[-3000:]
        assert read_runs(out)[-1]["examples"]["dropped/not_article"] == [victim.url]

        site.clear_log()
        second = crawl(site, out)
        assert second.returncode == 0, second.stderr[-3000:]
        log = site.log()
    assert [hit.status for hit in log if hit.url in (FEED, INDEX)] == [200, 200]
    assert Counter(r["url"] for r in read_output(out)) == Counter({f.url: 1 for f in articles})
