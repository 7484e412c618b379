"""``clippings reextract`` over archives holding several captures of one article (a page saved
again after an update, archives of different months read together): each version is written
once, whatever order the records come back in (file order in one process, completion order on
Dask), the state keeps the latest capture, and a rerun writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clippings.replay import SavedResponse, WarcRecorder
from clippings.state import StateStore
from tests.helpers.crawl import read_output, run_clippings, summary_rows
from tests.helpers.fixturelib import article_fixtures

EARLY = datetime(2026, 4, 8, 16, 0, tzinfo=UTC)
LATE = EARLY + timedelta(days=1, hours=2)


@pytest.fixture(scope="module")
def captures():
    """An le360 article as first captured, and captured again a day later with a word of its
    text changed."""
    fixture = next(f for f in article_fixtures() if f.site == "le360")
    body = fixture.body
    word = next(w for w in fixture.expected["body"].split() if w.isalpha() and len(w) >= 8 and w.encode() in body)
    early = SavedResponse(fixture.url, 200, list(fixture.headers.items()), body, EARLY)
    late = SavedResponse(
        fixture.url, 200, list(fixture.headers.items()), body.replace(word.encode(), word.upper().encode()), LATE
    )
    return early, late


def _reextract(warc, out, env):
    done = run_clippings("reextract", str(warc), "--output", str(out), env=env)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    return summary_rows(done.stdout)["le360"]


def _versions(out):
    return sorted((r["fetched_at"], r["content_sha256"]) for r in read_output(out))


@pytest.mark.parametrize("order", ["early_first", "late_first"])
def test_each_capture_is_written_once_and_the_state_keeps_the_latest(tmp_path, captures, no_dask, order):
    early, late = captures
    warc = tmp_path / "captures.warc.gz"
    with WarcRecorder(warc) as recorder:
        for saved in (early, late) if order == "early_first" else (late, early):
            recorder.write(saved)
    out = tmp_path / "out"
    first = _reextract(warc, out, no_dask)
    versions = _versions(out)
    assert len(versions) == 2 and versions[0][1] != versions[1][1]
    # The second line written is an article of the collection written again because it changed.
    assert (first["written"], first["updated"]) == (2, 1)
    store = StateStore(out / ".state" / "state.sqlite")
    try:
        (row,) = store.db.execute("SELECT content_sha256 FROM articles").fetchall()
    finally:
        store.close()
    assert row[0] == versions[-1][1]  # the later capture, whichever came last
    for _ in range(2):
        again = _reextract(warc, out, no_dask)
        assert (again["written"], again["updated"], again["skipped"]) == (0, 0, 2)
        assert _versions(out) == versions


def test_an_older_archive_read_after_a_newer_one_adds_its_version_once(tmp_path, captures, no_dask):
    early, late = captures
    older, newer = tmp_path / "march.warc.gz", tmp_path / "april.warc.gz"
    with WarcRecorder(older) as recorder:
        recorder.write(early)
    with WarcRecorder(newer) as recorder:
        recorder.write(late)
    out = tmp_path / "out"
    _reextract(newer, out, no_dask)
    _reextract(older, out, no_dask)
    versions = _versions(out)
    assert len(versions) == 2
    for warc in (newer, older, newer):
        assert _reextract(warc, out, no_dask)["written"] == 0
    assert _versions(out) == versions
