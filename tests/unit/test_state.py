"""Incremental state without Scrapy: decisions, recording, reconciling with the output files."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from clippings.collection.output import JsonLinesWriter
from clippings.state import Action, Seen, StateStore, decide, is_unchanged

T0 = datetime(2026, 4, 8, 10, 0, tzinfo=UTC)


def record(article_id: str, sha: str = "a" * 64, modified: str | None = None, site: str = "le360") -> dict:
    return {
        "url": f"https://fr.le360.ma/politique/x_{article_id}/",
        "site": site,
        "article_id": article_id,
        "title": "t",
        "published": "2026-04-08T11:00:00+01:00",
        "modified": modified,
        "content_sha256": sha,
        "body": "b",
    }


def seen(listed: str | None = None, modified: str | None = None, etag: str | None = None) -> Seen:
    return Seen("le360", "A", "u", "s", "2026-04-08T11:00:00+01:00", modified, listed, etag, None)


def write(writer: JsonLinesWriter, rec: dict) -> tuple[Path, int]:
    path = writer.write(rec["site"], "2026-04-08", rec)
    return path, writer.last_line_end


# --- decisions ---------------------------------------------------------------------------
def test_new_article_is_fetched_and_seen_one_is_not():
    assert decide(None, None) is Action.FETCH
    assert decide(None, T0) is Action.FETCH
    assert decide(seen(), None) is Action.SKIP


def test_a_newer_source_date_revalidates_an_older_or_equal_one_does_not():
    last = seen(listed="2026-04-08T10:00:00Z")
    assert decide(last, T0) is Action.SKIP
    assert decide(last, T0 - timedelta(hours=1)) is Action.SKIP
    assert decide(last, T0 + timedelta(minutes=1)) is Action.REVALIDATE


def test_without_a_previous_source_date_the_articles_own_date_decides():
    # published 11:00+01:00 = 10:00Z; a feed date equal (or a minute later) says nothing new.
    assert decide(seen(), T0) is Action.SKIP
    assert decide(seen(), T0 + timedelta(minutes=1)) is Action.SKIP
    assert decide(seen(), T0 + timedelta(hours=2)) is Action.REVALIDATE
    assert decide(seen(modified="2026-04-08T14:00:00+01:00"), T0 + timedelta(hours=2)) is Action.SKIP


def test_an_article_given_by_hand_is_always_revalidated_with_validators():
    last = seen(etag='"v1"')
    assert decide(last, None, given=True) is Action.REVALIDATE
    assert last.conditional_headers() == {"If-None-Match": '"v1"'}


def test_unchanged_means_same_text_and_same_modified():
    last = Seen("le360", "A", "u", "s" * 64, None, "2026-04-08T12:00:00+01:00", None, None, None)
    assert is_unchanged(last, {"content_sha256": "s" * 64, "modified": "2026-04-08T12:00:00+01:00"})
    assert not is_unchanged(last, {"content_sha256": "t" * 64, "modified": "2026-04-08T12:00:00+01:00"})
    assert not is_unchanged(last, {"content_sha256": "s" * 64, "modified": "2026-04-09T12:00:00+01:00"})
    assert not is_unchanged(None, {"content_sha256": "s" * 64, "modified": None})


# --- recording -----------------------------------------------------------------------------
def test_written_articles_are_remembered_with_their_source_date_and_validators(tmp_path):
    store = StateStore(tmp_path / ".state" / "state.sqlite")
    writer = JsonLinesWriter(tmp_path)
    path, end = write(writer, record("A"))
    store.record_written(record("A"), path, end, listed=T0, etag='"e1"', last_modified="Wed, 08 Apr 2026 10:00:00 GMT")
    got = store.get("le360", "A")
    assert got is not None and got.listed == "2026-04-08T10:00:00Z" and got.etag == '"e1"'
    # A 304 later: the newer source date is kept, an older one never replaces it.
    store.touch("le360", "A", listed=T0 + timedelta(hours=1))
    store.touch("le360", "A", listed=T0 - timedelta(hours=1), etag='"e2"')
    got = store.get("le360", "A")
    assert got.listed == "2026-04-08T11:00:00Z" and got.etag == '"e2"'
    assert store.reconcile(tmp_path, "le360") == 0  # everything on disk is recorded already


def test_sources_round_trip(tmp_path):
    store = StateStore(tmp_path / "s.sqlite")
    assert store.source("https://fr.le360.ma/sitemap_index.xml") is None
    store.save_sources(
        {"https://fr.le360.ma/sitemap_index.xml": {"etag": '"x"', "last_modified": None, "listed": None}}
    )
    assert store.source("https://fr.le360.ma/sitemap_index.xml")["etag"] == '"x"'


# --- reconciling ---------------------------------------------------------------------------
def test_lines_written_but_not_recorded_before_a_kill_are_recovered(tmp_path):
    store = StateStore(tmp_path / ".state" / "state.sqlite")
    writer = JsonLinesWriter(tmp_path)
    path, end = write(writer, record("A"))
    store.record_written(record("A"), path, end)
    write(writer, record("B"))  # killed before the state heard of B
    writer.close()
    with path.open("ab") as handle:
        handle.write(b'{"url": "half a li')  # and a line cut short
    store.close()

    store = StateStore(tmp_path / ".state" / "state.sqlite")
    assert store.reconcile(tmp_path, "le360") == 1
    assert store.get("le360", "B") is not None
    assert store.count("le360") == 2
    assert store.reconcile(tmp_path, "le360") == 0


def test_a_file_shorter_than_recorded_forgets_the_lost_articles(tmp_path):
    store = StateStore(tmp_path / "state.sqlite")
    writer = JsonLinesWriter(tmp_path)
    path, end_a = write(writer, record("A"))
    store.record_written(record("A"), path, end_a)
    path, end_b = write(writer, record("B"))
    store.record_written(record("B"), path, end_b)
    writer.close()
    with path.open("rb+") as handle:  # B never reached the disk (power loss)
        handle.truncate(end_a)
    store.reconcile(tmp_path, "le360")
    assert store.get("le360", "A") is not None
    assert store.get("le360", "B") is None


def test_a_fresh_state_on_an_existing_collection_learns_it(tmp_path):
    writer = JsonLinesWriter(tmp_path)
    write(writer, record("A", sha="1" * 64))
    write(writer, record("A", sha="2" * 64))  # changed later: the last line wins
    write(writer, record("Z", site="almaghribtoday"))
    writer.close()
    store = StateStore(tmp_path / "elsewhere.sqlite")
    assert store.reconcile(tmp_path, "le360") == 2
    assert store.get("le360", "A").content_sha256 == "2" * 64
    assert store.get("almaghribtoday", "Z") is None


@settings(max_examples=40, deadline=None)
@given(
    ids=st.lists(st.sampled_from("ABCDEFGH"), min_size=1, max_size=12, unique=True),
    recorded=st.integers(min_value=0, max_value=12),
    tail=st.booleans(),
)
def test_after_any_kill_every_line_is_recorded_exactly_once(tmp_path_factory, ids, recorded, tail):
    """Lines 0..k recorded, the rest written but not recorded, maybe a partial tail."""
    root = tmp_path_factory.mktemp("kill")
    store = StateStore(root / ".state" / "state.sqlite")
    writer = JsonLinesWriter(root)
    for n, article_id in enumerate(ids):
        path, end = write(writer, record(article_id))
        if n < recorded:
            store.record_written(record(article_id), path, end)
    writer.close()
    if tail:
        with path.open("ab") as handle:
            handle.write(json.dumps(record("Z"))[:30].encode())
    store.close()
    store = StateStore(root / ".state" / "state.sqlite")
    store.reconcile(root, "le360")
    assert store.count("le360") == len(ids)
    assert store.get("le360", "Z") is None
