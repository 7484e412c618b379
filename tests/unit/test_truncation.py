"""A page the server cut inside its article, under an honest Content-Length: its document ends
with its article's last word and holds no </body> nor </html> (clippings/extract/truncation.py);
its article is marked in the state for the next run to fetch whole (StateStore.refetch)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clippings.collection.output import JsonLinesWriter
from clippings.extract.truncation import ends_in_article
from clippings.state import Action, StateStore, decide

ARTICLE = "<p>Le gouvernement a présenté son budget lundi à Rabat.</p><p>Les députés en débattront demain.</p>"
HEAD = '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Budget</title></head>'
NAV = '<body><header><nav><a href="/">Accueil</a><a href="/eco">Économie</a></nav></header>'
PAGE = (
    f"{HEAD}{NAV}<main><article><h1>Budget</h1>{ARTICLE}</article></main><footer>© Le360, tous droits réservés</footer>"
)
BODY = "Le gouvernement a présenté son budget lundi à Rabat.\nLes députés en débattront demain."


def test_a_page_ending_inside_its_article_is_cut():
    cut = PAGE[: PAGE.index("débattront") + 5]  # "... Les députés en débat"
    assert ends_in_article(cut.encode(), "text/html", "Le gouvernement a présenté son budget.\nLes députés en débat")
    # Cut just after a paragraph's end: the document's last word is still the article's.
    after_p = PAGE[: PAGE.index("</p>") + 4]
    assert ends_in_article(after_p.encode(), "text/html", "Le gouvernement a présenté son budget lundi à Rabat.")


def test_a_page_cut_before_its_article_reads_the_header_and_is_cut():
    cut = PAGE[: PAGE.index("</nav>")]
    # The markup glues the links' words ("AccueilÉconomie"); the reading sets them apart.
    assert ends_in_article(cut.encode(), "text/html", "Accueil Économie")


def test_a_whole_page_is_not_cut_with_or_without_its_closing_tags():
    whole = f"{PAGE}</body></html>"
    assert ends_in_article(whole.encode(), "text/html", BODY) is None
    # No </body></html> after its footer: a missing end tag alone is not truncation.
    assert ends_in_article(PAGE.encode(), "text/html", BODY) is None
    # Its closing tags there, the article last on the page: complete.
    last = f"{HEAD}{NAV}<article>{ARTICLE}</article></body></html>"
    assert ends_in_article(last.encode(), "text/html", BODY) is None


def test_an_article_read_whole_from_a_declared_text_is_not_cut_by_the_page_cut_after_it():
    # The story (or articleBody) in the head gave the whole text; the markup was cut later.
    cut = PAGE[: PAGE.index("débattront") + 5]
    assert ends_in_article(cut.encode(), "text/html", BODY, declared=True) is None


def test_a_page_marked_cut_is_fetched_again_whole_and_only_once_it_came_whole(tmp_path):
    store = StateStore(tmp_path / ".state" / "state.sqlite")
    writer = JsonLinesWriter(tmp_path)
    record = {"url": "https://fr.le360.ma/x_A/", "site": "le360", "article_id": "A", "content_sha256": "a" * 64}
    path = writer.write("le360", "2026-04-08", {**record, "title": "t", "body": "b"})
    listed = datetime(2026, 4, 8, 10, 0, tzinfo=UTC)
    store.record_written(record, path, writer.last_line_end, listed=listed, etag='"cut"', last_modified="x")
    assert decide(store.get("le360", "A"), listed) is Action.SKIP
    store.refetch("le360", "A")
    marked = store.get("le360", "A")
    # Listed again with the same date, or with none: fetched again, without validators (no 304).
    assert decide(marked, listed) is Action.REVALIDATE
    assert decide(marked, None) is Action.REVALIDATE
    assert marked.conditional_headers() == {}
    # Fetched whole and written: the next listing with the same date is not fetched again.
    store.record_written(record, path, writer.last_line_end, listed=listed + timedelta(minutes=1), etag='"whole"')
    assert decide(store.get("le360", "A"), listed + timedelta(minutes=1)) is Action.SKIP


def test_a_page_ending_inside_a_tag_is_cut_unless_its_body_came_from_a_declared_text():
    cut = PAGE[: PAGE.index('href="/eco"') + 8]  # inside the second link of the header
    assert ends_in_article(cut.encode(), "text/html", "Accueil") is not None
    assert ends_in_article(cut.encode(), "text/html", BODY, declared=True) is None


def test_a_page_ending_inside_a_text_the_reading_left_out_is_cut():
    # Cut inside a "read also" teaser within the article, which the body leaves out.
    teaser = f"{PAGE[: PAGE.index('</article>')]}<aside>Lire aussi : le budget de l’an dernier"
    assert ends_in_article(teaser.encode(), "text/html", BODY) is not None


def test_a_closing_tag_anywhere_in_the_bytes_is_found_far_from_their_end():
    # "</html>" in a script of the head, 8 KB of article before the cut: no page cut is said.
    head = HEAD.replace("</head>", '<script>var end = "</html>";</script></head>')
    text = "<p>Les députés en débattront demain.</p>" * 200
    cut = f"{head}{NAV}<main><article>{text}<p>Les députés en débat"
    assert ends_in_article(cut.encode(), "text/html", "Les députés en débat") is None
    # Without it, the same bytes are a page cut inside its article.
    assert ends_in_article(cut.replace(head, HEAD).encode(), "text/html", "Les députés en débat")


def test_a_body_of_whitespace_alone_is_no_article_to_end_in():
    cut = PAGE[: PAGE.index("débattront") + 5]
    assert ends_in_article(cut.encode(), "text/html", " \u2003\n") is None
    assert ends_in_article(cut.encode(), "text/html", "  Les députés en débat \u2003\n")
