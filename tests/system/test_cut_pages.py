"""A page the server cut under an honest Content-Length (nothing in the bytes says so): cut
inside its article, or before it (its head still showing a date). The article is written as
it came, never refused; the page is an error named in one line; the feed's validators stay
unsaved and the state marks the article, so the next run fetches it again, whole, and writes
it once more (clippings/extract/truncation.py, StateStore.refetch)."""

from __future__ import annotations

from collections import Counter

import pytest

from clippings.collection.runs import read_runs
from tests.helpers.crawl import read_output, run_clippings
from tests.helpers.fixturelib import FIXTURES
from tests.helpers.httpsite import Answer, LocalSite
from tests.helpers.le360site import ARTICLES, FEED, INDEX, crawl, publish, published

HTML = {"Content-Type": "text/html; charset=utf-8"}
# An Arc page whose story is embedded at the end of the page: cut earlier, it is lost.
VICTIM = next(f for f in ARTICLES if "BD3HEWYQNVJ5VJDIHWRUQ2R7BH" in f.url)


def inside_the_article(text: str) -> int:
    third = text.index('<p class="c-paragraph">', text.index('<p class="c-paragraph">') + 1)
    return text.index(" ", third + 120)  # inside its text, at a word's end


def before_the_article(text: str) -> int:
    return text.index("<main") - 400  # inside the header


@pytest.mark.parametrize("where", [inside_the_article, before_the_article], ids=["inside", "before"])
def test_a_page_cut_under_an_honest_length_is_written_said_and_fetched_again(tmp_path, where):
    articles = [*ARTICLES[:4], VICTIM]
    out = tmp_path / "out"
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        text = site.page(VICTIM.url).body.decode("utf-8")
        cut = text[: where(text)].encode("utf-8")
        assert b"</body>" not in cut and b"</html>" not in cut
        site.page(VICTIM.url).first = [Answer(200, HTML, cut)]  # its Content-Length is the cut's
        first = crawl(site, out)
        assert "Traceback" not in first.stderr, first.stderr[-3000:]
        # Written as it came, never refused...
        [had] = [r for r in read_output(out) if r["url"] == VICTIM.url]
        assert had["body"] != VICTIM.expected["body"]
        # ...and said: one line naming the URL, an error in the summary and the run history.
        named = [line for line in first.stderr.splitlines() if VICTIM.url in line]
        assert len(named) == 1 and "cut by the server: the page ends inside" in named[0], first.stderr[-3000:]
        assert "errors: truncated 1" in first.stdout, first.stdout
        run = read_runs(out)[-1]
        assert run["errors"] == {"truncated": 1} and run["examples"]["errors/truncated"] == [VICTIM.url]

        site.clear_log()
        second = crawl(site, out)
        assert second.returncode == 0, second.stderr[-3000:]
        log = site.log()
        site.clear_log()
        third = crawl(site, out)
        assert third.returncode == 0, third.stderr[-3000:]
        settled = site.log()
    # The feed and the index asked without validators; the page fetched again, unconditionally.
    assert [hit.status for hit in log if hit.url in (FEED, INDEX)] == [200, 200]
    again = [hit for hit in log if hit.url in {f.url for f in articles}]
    assert [(hit.url, hit.status) for hit in again] == [(VICTIM.url, 200)]
    assert "if-none-match" not in again[0].headers and "if-modified-since" not in again[0].headers
    records = read_output(out)
    assert Counter(r["url"] for r in records) == Counter({**{f.url: 1 for f in articles}, VICTIM.url: 2})
    assert records[-1]["url"] == VICTIM.url and records[-1]["body"] == VICTIM.expected["body"]
    assert read_runs(out)[-1]["written"] == 0 and read_runs(out)[-2]["updated"] == 1
    # Once had whole, nothing is owed: the third run is told 304 and fetches no article.
    assert [hit.status for hit in settled if hit.url in (FEED, INDEX)] == [304, 304]
    assert not [hit for hit in settled if hit.url in {f.url for f in articles}]
    assert run_clippings("validate", str(out), timeout=60).returncode == 0


# A server's error page answered with 200 at an article URL: whole, undated, 20 words or more
# (fewer are dropped as empty_body), nothing on it vouching for an article.
ERROR_PAGE = (
    "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Erreur</title></head><body>"
    "<h1>Une erreur est survenue</h1><p>Le service est momentanément indisponible. Nous sommes désolés "
    "pour la gêne occasionnée : veuillez réessayer dans quelques instants ou revenir à la page "
    "d'accueil du site.</p></body></html>"
)


def test_an_undated_page_nothing_vouches_for_is_said_and_fetched_again(tmp_path):
    articles = ARTICLES[:5]
    victim = articles[2]
    out = tmp_path / "out"
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        site.page(victim.url).first = [Answer(200, HTML, ERROR_PAGE.encode())]
        first = crawl(site, out)
        assert "Traceback" not in first.stderr, first.stderr[-3000:]
        named = [line for line in first.stderr.splitlines() if victim.url in line and "vouches" in line]
        assert len(named) == 1 and "fetched again by the next run" in named[0], first.stderr[-3000:]
        assert read_runs(out)[-1]["examples"]["pages/unvouched"] == [victim.url]

        site.clear_log()
        second = crawl(site, out)
        assert second.returncode == 0, second.stderr[-3000:]
        log = site.log()
    assert [hit.status for hit in log if hit.url in (FEED, INDEX)] == [200, 200]
    again = [hit for hit in log if hit.url in {f.url for f in articles}]
    assert [(hit.url, hit.status) for hit in again] == [(victim.url, 200)]
    latest = {r["url"]: r for r in read_output(out)}
    assert latest[victim.url]["body"] == victim.expected["body"]
    assert {url: r["body"] for url, r in latest.items()} == {f.url: f.expected["body"] for f in articles}


def test_a_cut_page_reextracted_from_an_archive_is_said_and_fetched_again_by_the_next_crawl(tmp_path):
    """An archive holds the page as the server cut it, with the ETag it was sent with:
    ``reextract`` writes its article as it came and says so, as a crawl does, and keeps no
    validator of it, so the next crawl fetches it whole instead of being told 304 over it."""
    from clippings.replay import SavedResponse, WarcRecorder
    from clippings.state import StateStore
    from clippings.state.records import REFETCH

    articles = [*ARTICLES[:3], VICTIM]
    out, warc = tmp_path / "out", tmp_path / "archive.warc.gz"
    with LocalSite(FIXTURES) as site:
        publish(site, articles)
        with WarcRecorder(warc) as recorder:
            for fixture in articles:
                page = site.page(fixture.url)
                text = page.body.decode("utf-8")
                body = text[: inside_the_article(text)].encode("utf-8") if fixture is VICTIM else page.body
                headers = [*HTML.items(), ("ETag", page.etag)]
                recorder.write(SavedResponse(fixture.url, 200, headers, body, published(fixture)))
        done = run_clippings("reextract", str(warc), "--output", str(out))
        assert "Traceback" not in done.stderr, done.stderr[-3000:]
        assert {r["url"] for r in read_output(out)} == {f.url for f in articles}
        named = [line for line in done.stderr.splitlines() if VICTIM.url in line]
        assert len(named) == 1 and "cut by the server: the page ends inside" in named[0], done.stderr[-3000:]
        run = read_runs(out)[-1]
        assert run["errors"] == {"truncated": 1} and run["examples"]["errors/truncated"] == [VICTIM.url]
        store = StateStore(out / ".state" / "state.sqlite")
        kept = {row[0]: tuple(row)[1:] for row in store.db.execute("SELECT url, listed, etag FROM articles")}
        store.close()
        assert kept[VICTIM.url] == (REFETCH, None)
        assert all(etag == site.page(url).etag for url, (_, etag) in kept.items() if url != VICTIM.url)

        site.clear_log()
        after = crawl(site, out)
        assert after.returncode == 0, after.stderr[-3000:]
        log = site.log()
    fetched = [hit for hit in log if hit.url in {f.url for f in articles} and hit.status == 200]
    assert [hit.url for hit in fetched] == [VICTIM.url]
    assert "if-none-match" not in fetched[0].headers
    latest = {r["url"]: r for r in read_output(out)}
    assert latest[VICTIM.url]["body"] == VICTIM.expected["body"]
