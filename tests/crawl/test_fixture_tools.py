"""The fixture tools as fixtures/README.md and the guides use them: ``fixture save`` names
the folder ``<publication date>_<short name>`` (``--name`` the short name), ``show``, ``save``
and ``update`` name a missing or broken fixture in one line (exit 2), ``update`` recomputes
expected.json's derived fields, replay refuses two fixtures of one URL."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from clippings.cli.fixtures import short_name
from clippings.core.tokens import count as count_words
from clippings.replay.responses import ReplaySourceError
from clippings.replay.stores import FixtureStore
from tests.helpers.crawl import run_clippings
from tests.helpers.fixturelib import FIXTURES, ROOT, all_fixtures

BOURITA = FIXTURES / "le360" / "2025-09-09_bourita-lavrov"
URL = json.loads((BOURITA / "meta.json").read_text("utf-8"))["url"]


def one_line_error(done, exit_status: int = 2) -> str:
    assert done.returncode == exit_status, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_save_names_the_folder_by_publication_date_and_slug(tmp_path):
    done = run_clippings("fixture", "save", URL, "--from", str(FIXTURES), "--fixtures", str(tmp_path))
    assert done.returncode == 0, done.stderr
    (folder,) = (tmp_path / "le360").iterdir()
    assert folder.name == "2025-09-09_partenariat-strategique-approfondi-menu"
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    assert expected["published_date"] == "2025-09-09" and expected["url"] == URL
    assert (folder / "body.html").read_bytes() == (BOURITA / "body.html").read_bytes()

    named = run_clippings(
        "fixture", "save", URL, "--from", str(FIXTURES), "--fixtures", str(tmp_path), "--name", "bourita-lavrov"
    )
    assert named.returncode == 0, named.stderr
    assert (tmp_path / "le360" / "2025-09-09_bourita-lavrov" / "meta.json").is_file()
    again = run_clippings(
        "fixture", "save", URL, "--from", str(FIXTURES), "--fixtures", str(tmp_path), "--name", "bourita-lavrov"
    )
    assert "exists already" in one_line_error(again)


def test_a_page_with_no_date_is_named_by_its_fetch_day(tmp_path):
    video = next(f for f in all_fixtures() if f.meta.get("kind") == "video")
    done = run_clippings("fixture", "save", video.url, "--from", str(FIXTURES), "--fixtures", str(tmp_path))
    assert done.returncode == 0, done.stderr
    (folder,) = (tmp_path / video.site).iterdir()
    assert folder.name == f"{video.meta['fetched_at'][:10]}_{short_name(video.url)}"
    assert not (folder / "expected.json").exists()


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (
            "https://en.le360.ma/economy/tourism-arrivals-up-22-at-the-end-of-february_DI2MMFKS7ACSJAYFUNKSD7ZJLV/",
            "tourism-arrivals-end-february",
        ),
        (
            "https://www.almaghribtoday.net/en/2203/14871-transfers-from-moroccans-living-abroad-reach-a-new-high",
            "transfers-moroccans-living-abroad",
        ),
        (
            "https://ar.le360.ma/politique/%D8%A7%D9%84%D8%B4%D8%B1%D8%A7%D9%83%D8%A9-%D8%A7%D9%84%D8%A7%D8%B3%D8%AA%D8%B1%D8%A7%D8%AA%D9%8A%D8%AC%D9%8A%D8%A9_EX52T5OBURNLHIT6X4G33NS6NM/",
            "الشراكة-الاستراتيجية",
        ),
        ("https://fr.le360.ma/1231/", "page"),
    ],
)
def test_the_short_name_is_the_slugs_first_words(url, name):
    assert short_name(url) == name


def test_save_help_says_what_name_is():
    done = run_clippings("fixture", "save", "--help")
    assert done.returncode == 0
    assert "--name SHORT" in done.stdout and "short name" in done.stdout and "Exit status" in done.stdout


def test_show_and_save_name_a_missing_or_broken_fixture_in_one_line(tmp_path):
    assert one_line_error(run_clippings("fixture", "show", str(tmp_path / "nowhere"))).endswith(
        "nowhere: no such fixture folder"
    )
    broken = tmp_path / "fixtures" / "le360" / "2025-09-09_broken"
    shutil.copytree(BOURITA, broken)
    (broken / "meta.json").write_text('{"url": "https://fr.le360.ma/x", ', "utf-8")
    assert "meta.json: not JSON" in one_line_error(run_clippings("fixture", "show", str(broken)))
    (broken / "meta.json").unlink()
    assert "meta.json: missing" in one_line_error(run_clippings("fixture", "show", str(broken)))

    missing = run_clippings(
        "fixture", "save", URL, "--from", str(tmp_path / "none.warc.gz"), "--fixtures", str(tmp_path)
    )
    assert "none.warc.gz: no such file or folder" in one_line_error(missing)
    (broken / "meta.json").write_text("[1, 2", "utf-8")
    unreadable = run_clippings(
        "fixture", "save", URL, "--from", str(tmp_path / "fixtures"), "--fixtures", str(tmp_path)
    )
    assert "unreadable fixture meta" in one_line_error(unreadable)


def test_update_rewrites_the_derived_fields_from_the_hand_written_ones(tmp_path):
    folder = tmp_path / "le360" / BOURITA.name
    shutil.copytree(BOURITA, folder)
    path = folder / "expected.json"
    expected = json.loads(path.read_text("utf-8"))
    expected["body"] = expected["body"] + "\n\nUn paragraphe corrigé à la main."
    expected["published"] = "2025-09-10T00:30:00+01:00"  # the 10th
    path.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", "utf-8")
    done = run_clippings("fixture", "update", f"le360/{BOURITA.name}", "--fixtures", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "content_sha256, word_count, published_date updated" in done.stdout
    after = json.loads(path.read_text("utf-8"))
    assert after["content_sha256"] == hashlib.sha256(expected["body"].encode()).hexdigest()
    assert after["word_count"] == len(expected["body"].split())
    assert after["published_date"] == "2025-09-10"
    assert list(after) == list(expected)  # the fields stay in their order
    again = run_clippings("fixture", "update", str(folder))
    assert again.returncode == 0 and "already right" in again.stdout
    path.write_text("{", "utf-8")
    assert "expected.json: not JSON" in one_line_error(run_clippings("fixture", "update", str(folder)))


def test_update_counts_words_as_the_crawl_does(tmp_path):
    """A Japanese paragraph is one whitespace-separated piece but many words to the crawl:
    update writes the crawl's count, not str.split()'s."""
    folder = tmp_path / "le360" / BOURITA.name
    shutil.copytree(BOURITA, folder)
    path = folder / "expected.json"
    expected = json.loads(path.read_text("utf-8"))
    expected["body"] = "モロッコの外相は電話会談を行った。\n\nDeux mots."
    path.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", "utf-8")
    done = run_clippings("fixture", "update", str(folder))
    assert done.returncode == 0, done.stderr
    after = json.loads(path.read_text("utf-8"))
    assert after["word_count"] == count_words(expected["body"]) > len(expected["body"].split())


def test_replay_refuses_two_fixtures_of_one_url(tmp_path):
    root = tmp_path / "fixtures"
    shutil.copytree(BOURITA, root / "le360" / "2025-09-09_one")
    shutil.copytree(BOURITA, root / "le360" / "2025-09-09_two")
    with pytest.raises(ReplaySourceError) as raised:
        FixtureStore(root)
    message = str(raised.value)
    assert "2025-09-09_one" in message and "2025-09-09_two" in message and "\n" not in message
    done = run_clippings("crawl", "le360", "--replay", str(root), "--output", str(tmp_path / "out"))
    line = one_line_error(done)
    assert "2025-09-09_one" in line and "2025-09-09_two" in line


def test_the_shipped_fixtures_have_one_folder_a_url():
    metas = sorted(FIXTURES.glob("*/*/meta.json"))
    assert len(FixtureStore(ROOT / "fixtures")) == len(metas)
