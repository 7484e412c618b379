"""The one ``Fixture`` type: every committed fixture reads and writes back to the byte, the
replay answers with what it reads, and a broken folder is one error naming its file."""

from __future__ import annotations

import json
import shutil

import pytest

from clippings.replay import open_store
from clippings.replay.fixture import Fixture, FixtureError, load_fixtures, read_meta
from tests.helpers.fixturelib import FIXTURES, all_fixtures

FILES = ("meta.json", "expected.json")


@pytest.mark.parametrize("fixture", all_fixtures(), ids=lambda f: f.name)
def test_a_fixture_saved_again_is_the_committed_folder_to_the_byte(fixture, tmp_path):
    copy = Fixture(tmp_path / fixture.site / fixture.path.name, fixture.meta, fixture.body, fixture.expected)
    copy.save()
    committed = sorted(p.name for p in fixture.path.iterdir())
    assert sorted(p.name for p in copy.path.iterdir()) == committed
    for name in committed:
        assert (copy.path / name).read_bytes() == (fixture.path / name).read_bytes(), name
    assert Fixture.load(copy.path) == Fixture(copy.path, fixture.meta, fixture.body, fixture.expected)


def test_the_replay_answers_with_the_fixture_it_reads():
    store = open_store(FIXTURES)
    fixtures = load_fixtures(FIXTURES)
    assert len(store) == len(fixtures)
    for fixture in fixtures:
        assert store.get(fixture.url) == fixture.response()
    redirect = next(f for f in fixtures if f.status == 301)
    assert redirect.body == b"" and redirect.response().headers[0][0] == "Location"


def test_an_article_fixture_has_its_expected_record_and_a_page_fixture_none():
    fixtures = all_fixtures()
    articles = [f for f in fixtures if f.meta["kind"] == "article"]
    assert articles and all(f.expected and f.expected["url"] for f in articles)
    assert all(f.expected is None for f in fixtures if f.meta["kind"] != "article")


def _broken(tmp_path, meta_text: str | None):
    folder = tmp_path / "le360" / "2025-09-09_broken"
    folder.mkdir(parents=True)
    if meta_text is not None:
        (folder / "meta.json").write_text(meta_text, "utf-8")
    return folder


@pytest.mark.parametrize(
    ("meta_text", "said"),
    [
        (None, "meta.json: missing"),
        ('{"url": "https://fr.le360.ma/x", ', "meta.json: not JSON"),
        ("[1, 2]", "meta.json: not a JSON object"),
        ('{"fetched_at": "2025-09-09T19:05:00Z"}', "meta.json: no url"),
        ('{"url": "https://fr.le360.ma/x"}', "meta.json: no fetched_at"),
        ('{"url": "https://fr.le360.ma/x", "fetched_at": "yesterday"}', "is not an ISO 8601 time"),
        ('{"url": "https://fr.le360.ma/x", "fetched_at": "2025-09-09T19:05:00Z", "body": "gone.html"}', "gone.html"),
    ],
)
def test_a_broken_folder_is_one_error_naming_its_file(tmp_path, meta_text, said):
    folder = _broken(tmp_path, meta_text)
    with pytest.raises(FixtureError) as raised:
        Fixture.load(folder)
    message = str(raised.value)
    assert said in message and str(folder) in message and "\n" not in message


def test_a_replay_needs_only_the_url_and_reads_no_stamp_as_none(tmp_path):
    folder = _broken(tmp_path, json.dumps({"url": "https://fr.le360.ma/x", "body": None}))
    assert read_meta(folder, required=("url",))["url"] == "https://fr.le360.ma/x"
    saved = open_store(tmp_path).get("https://fr.le360.ma/x")
    assert saved is not None and saved.fetched_at is None and saved.body == b"" and saved.status == 200
    with pytest.raises(FixtureError, match="no fetched_at"):
        Fixture.load(folder)


def test_an_expected_record_that_is_no_object_is_named(tmp_path):
    source = next(f for f in all_fixtures() if f.expected)
    folder = tmp_path / source.site / source.path.name
    shutil.copytree(source.path, folder)
    (folder / "expected.json").write_text("[]", "utf-8")
    with pytest.raises(FixtureError, match=r"expected\.json: not a JSON object"):
        Fixture.load(folder)
    with pytest.raises(FixtureError, match="no expected record"):
        Fixture(folder, source.meta, source.body).save_expected()
