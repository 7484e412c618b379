"""Containers learned from pages read from their article block: checked on every page against
the body read without them, to the character, and forgotten at the first difference; never
changing a body."""

from __future__ import annotations

import sqlite3

from clippings.core.page import Page, ReadingContext
from clippings.extract import read_article
from clippings.sites import get_site
from clippings.state.learned import LEARN_AFTER, ContainerMemory, learn_containers
from tests.helpers.crawl import FAST, read_output, run_clippings
from tests.helpers.pages import ReplayFolder, le360_url, redesigned

LE360 = get_site("le360")


def test_a_page_read_whole_names_its_container():
    article = read_article(Page(le360_url("souss-1"), redesigned(1)), ReadingContext(LE360))
    assert article.provenance["body"] == "page"
    template, xpath = article.container_hint
    assert "tpl-story-#" in template
    assert "story-flow" in xpath


def test_a_learned_container_that_reads_the_body_is_its_source():
    whole = read_article(Page(le360_url("souss-2"), redesigned(2)), ReadingContext(LE360))
    learned = (whole.container_hint,)
    fast = read_article(Page(le360_url("souss-3"), redesigned(2)), ReadingContext(LE360, learned))
    assert fast.provenance["body"] == "learned"
    assert fast.learned_check == (learned[0], True)
    assert fast.body == whole.body
    assert fast.container_hint is None


def _captioned(n: int) -> bytes:
    """Page ``n`` with a photo, its caption and a share bar inside the learned element."""
    return redesigned(n).replace(
        b'<section class="story-flow">',
        b'<section class="story-flow"><figure><img src="/p.jpg"><figcaption>Le barrage de Dkhila, pr\xc3\xa8s'
        b" d\xe2\x80\x99Agadir, photographi\xc3\xa9 en mars par notre envoy\xc3\xa9 sp\xc3\xa9cial"
        b' (Photo DR)</figcaption></figure><ul class="share"><li><a href="/s/fb">Partager sur Facebook</a>'
        b'</li><li><a href="/s/x">Partager sur X</a></li></ul>',
    )


def test_a_learned_container_holding_a_caption_and_a_share_bar_reads_the_page_s_body():
    """The container's reading leaves out what a whole-page reading leaves out: the two are
    equal to the character, and the record is the one the page gives alone."""
    learned = (read_article(Page(le360_url("souss-8"), redesigned(8)), ReadingContext(LE360)).container_hint,)
    page = _captioned(9)
    alone = read_article(Page(le360_url("souss-9"), page), ReadingContext(LE360))
    checked = read_article(Page(le360_url("souss-9"), page), ReadingContext(LE360, learned))
    assert checked.learned_check == (learned[0], True)
    assert checked.provenance["body"] == "learned"
    assert checked.to_record() == alone.to_record()
    assert "Photo DR" not in checked.body and "Partager" not in checked.body


def _moved(n: int, teaser: list[str]) -> bytes:
    """Page ``n`` with its text moved out of the learned element, which now holds ``teaser``."""
    page = redesigned(n).replace(
        b'<section class="story-flow">',
        ('<section class="story-flow">' + "".join(f"<p>{t}</p>" for t in teaser) + "</section><div>").encode(),
    )
    return page.replace(b"</section><aside", b"</div><aside")


def test_a_learned_container_that_disagrees_with_the_whole_page_is_reported():
    learned = (read_article(Page(le360_url("souss-4"), redesigned(4)), ReadingContext(LE360)).container_hint,)
    other = [
        f"Dossier {i} : le barrage de Dkhila est rempli à {40 + i} %, après les pluies de la semaine, "
        "selon la direction régionale de l’équipement, qui appelle à la prudence."
        for i in range(4)
    ]
    checked = read_article(Page(le360_url("souss-5"), _moved(5, other)), ReadingContext(LE360, learned))
    assert checked.learned_check == (learned[0], False)
    assert checked.provenance["body"] == "page"
    assert "paragraphe 4" in checked.body


def test_a_learned_container_holding_a_teaser_differs_and_the_page_is_read():
    learned = (read_article(Page(le360_url("souss-6"), redesigned(6)), ReadingContext(LE360)).container_hint,)
    teaser = ["Abonnez-vous pour lire la suite de nos articles sur la région de Souss-Massa et ailleurs."]
    page = _moved(7, teaser)
    article = read_article(Page(le360_url("souss-7"), page), ReadingContext(LE360, learned))
    assert article.provenance["body"] == "page"
    assert article.learned_check == (learned[0], False)
    assert "paragraphe 4" in article.body
    assert article.to_record() == read_article(Page(le360_url("souss-7"), page), ReadingContext(LE360)).to_record()
    memory = ContainerMemory(None)
    for _ in range(LEARN_AFTER):
        memory.suggest("le360", *learned[0])
    assert memory.known("le360") == learned
    counts = dict(learn_containers(memory, "le360", article))
    assert "souss-7" in counts["learned/forgotten"]  # the difference counted, its page named
    assert memory.known("le360") == ()


def test_memory_learns_after_agreeing_pages_and_forgets(tmp_path):
    db = sqlite3.connect(tmp_path / "state.sqlite", isolation_level=None)
    memory = ContainerMemory(db)
    results = [memory.suggest("le360", "tpl", "//section") for _ in range(LEARN_AFTER)]
    assert results == [False] * (LEARN_AFTER - 1) + [True]
    assert memory.known("le360") == (("tpl", "//section"),)
    assert memory.known("almaghribtoday") == ()
    assert ContainerMemory(db).known("le360") == (("tpl", "//section"),)  # kept in the state
    memory.forget("le360", "tpl", "//section")
    assert memory.known("le360") == ()
    assert ContainerMemory(db).known("le360") == ()


def _crawl(replay, slugs, output):
    store = ReplayFolder(replay)
    args = ["crawl", "le360", "--replay", str(replay), "--output", str(output), *FAST]
    for n, slug in enumerate(slugs):
        store.add(le360_url(slug), redesigned(n))
        args += ["--url", le360_url(slug)]
    return run_clippings(*args, "-s", "CONCURRENT_REQUESTS=1", "--loglevel", "INFO", timeout=180)


def test_a_crawl_learns_the_container_and_keeps_it_for_the_next_run(tmp_path):
    out = tmp_path / "out"
    done = _crawl(tmp_path / "first", [f"souss-{i}" for i in range(8)], out)
    assert done.returncode == 0, done.stderr[-3000:]
    log = done.stderr
    assert "'clippings/le360/learned/containers': 1" in log
    assert "'clippings/le360/story/absent': 8" in log
    assert "'clippings/le360/source/body/page': 2" in log
    assert "'clippings/le360/source/body/learned': 6" in log
    assert len(read_output(out)) == 8
    again = _crawl(tmp_path / "second", [f"autre-{i}" for i in range(4)], out)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "'clippings/le360/source/body/learned': 4" in again.stderr
    assert "source/body/page" not in again.stderr
