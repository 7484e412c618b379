"""The fast path no fixture taught: containers learned from pages read whole, verified, forgotten."""

from __future__ import annotations

import json
import sqlite3

from clippings.core.learning import LEARN_AFTER, ContainerMemory, should_verify
from clippings.extract import read_article
from clippings.sites import get_site
from tests.crawl import read_output, run_clippings
from tests.pages import ReplayFolder, le360_url

LE360 = get_site("le360")
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def redesigned(n: int, paragraphs: list[str] | None = None, sidebar: str = "") -> bytes:
    """A le360 page of a template the site module has never seen (no story, new classes)."""
    texts = paragraphs or [
        f"Article {n}, paragraphe {i} : la région de Souss-Massa a reçu {n * 10 + i} millions de dirhams "
        "pour ses projets d’irrigation, selon le communiqué publié à Agadir lundi."
        for i in range(5)
    ]
    ld = {"@type": "NewsArticle", "headline": f"Souss-Massa : les projets d’irrigation n°{n}"}
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        f'<title>Souss-Massa {n} | Le360</title><meta property="og:type" content="article">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
        '<body class="tpl-story-2027"><header class="site-top"><a href="/">Accueil</a>'
        '<a href="/economie/">Économie</a></header><main class="page-main">'
        f"<h1>Souss-Massa : les projets d’irrigation n°{n}</h1>"
        '<section class="story-flow">' + "".join(f"<p>{t}</p>" for t in texts) + "</section>"
        f'<aside class="rail">{sidebar}<h3>À la une</h3><ul><li><a href="/x/">Un autre sujet</a></li></ul></aside>'
        "</main></body></html>"
    ).encode()


def test_a_page_read_whole_names_its_container():
    article = read_article(LE360, le360_url("souss-1"), redesigned(1))
    assert article.provenance["body"] == "page"
    template, xpath = article.container_hint
    assert "tpl-story-#" in template
    assert "story-flow" in xpath


def test_a_learned_container_is_the_fast_path_and_reads_the_same():
    whole = read_article(LE360, le360_url("souss-2"), redesigned(2))
    learned = (whole.container_hint,)
    fast = read_article(LE360, le360_url("souss-3"), redesigned(2), learned=learned)
    assert fast.provenance["body"] == "learned"
    assert fast.body == whole.body
    assert fast.container_hint is None


def _moved(n: int, teaser: list[str]) -> bytes:
    """Page ``n`` with its text moved out of the learned element, which now holds ``teaser``."""
    page = redesigned(n).replace(
        b'<section class="story-flow">',
        ('<section class="story-flow">' + "".join(f"<p>{t}</p>" for t in teaser) + "</section><div>").encode(),
    )
    return page.replace(b"</section><aside", b"</div><aside")


def test_a_learned_container_that_disagrees_with_the_whole_page_is_reported():
    learned = (read_article(LE360, le360_url("souss-4"), redesigned(4)).container_hint,)
    other = [
        f"Dossier {i} : le barrage de Dkhila est rempli à {40 + i} %, après les pluies de la semaine, "
        "selon la direction régionale de l’équipement, qui appelle à la prudence."
        for i in range(4)
    ]
    checked = read_article(LE360, le360_url("souss-5"), _moved(5, other), learned=learned, verify=True)
    assert checked.learned_check == (learned[0], False)
    assert checked.provenance["body"] == "page"
    assert "paragraphe 4" in checked.body


def test_a_learned_container_holding_a_teaser_is_short_and_the_page_is_read():
    learned = (read_article(LE360, le360_url("souss-6"), redesigned(6)).container_hint,)
    teaser = ["Abonnez-vous pour lire la suite de nos articles sur la région de Souss-Massa et ailleurs."]
    article = read_article(LE360, le360_url("souss-7"), _moved(7, teaser), learned=learned)
    assert article.provenance["body"] == "page"
    assert article.learned_check is None
    assert "paragraphe 4" in article.body


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


def test_verification_picks_the_same_pages_every_time():
    urls = [le360_url(f"page-{i}") for i in range(400)]
    chosen = [u for u in urls if should_verify(u)]
    assert chosen == [u for u in urls if should_verify(u)]
    assert 5 <= len(chosen) <= 40


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
