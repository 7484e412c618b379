"""``clippings validate FILE...``: bad lines reported by file and line number, exit status 1."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from clippings.validate import validate_files
from tests.crawl import run_clippings

GOOD = {
    "url": "https://fr.le360.ma/politique/le-maroc_6VUZYMXQWNCSXNQ7TRBFVQKIDI/",
    "site": "le360",
    "article_id": "6VUZYMXQWNCSXNQ7TRBFVQKIDI",
    "title": "Le Maroc investit dans le rail",
    "lead": None,
    "authors": ["Karim Alaoui"],
    "section": "Politique",
    "tags": [],
    "language": "fr",
    "published": "2025-09-09T18:36:00+01:00",
    "modified": None,
    "body": "Un paragraphe.\n\nUn autre.",
    "word_count": 4,
    "image": None,
    "fetched_at": "2025-09-09T19:05:00Z",
    "content_sha256": "0" * 64,
    "schema_version": "1.0",
    "published_raw": "2025-09-09T18:36:00+01:00",
    "modified_raw": None,
}


def line(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "good.jsonl"
    good.write_bytes(line(GOOD) + line({**GOOD, "site": "almaghribtoday", "title": "المغرب"}))
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(
        line(GOOD)  # 1: good
        + line({k: v for k, v in GOOD.items() if k != "title"})  # 2: field missing
        + b"{not json\n"  # 3
        + line({**GOOD, "word_count": "four"})  # 4: wrong type
        + b"\xff\xfe broken bytes\n"  # 5: not UTF-8
        + b"[1, 2]\n"  # 6: not an object
        + line(GOOD)  # 7: good
        + line(GOOD)[:40]  # 8: cut (no newline)
    )
    return {"good": good, "bad": bad}


def test_good_lines_pass(files):
    out = io.StringIO()
    assert validate_files([str(files["good"])], out) == 0
    assert out.getvalue().strip() == "2 good lines, 0 bad"


def test_bad_lines_are_reported_by_line_number(files):
    out = io.StringIO()
    assert validate_files([str(files["bad"])], out) == 1
    text = out.getvalue()
    numbers = sorted(
        {int(n) for n in re.findall(rf"^{re.escape(str(files['bad']))}:(\d+): ", text, re.M)}
    )
    assert numbers == [2, 3, 4, 5, 6, 8], text
    assert re.search(r":2: .*'title' is a required property", text)
    assert ":3: not JSON" in text
    assert re.search(r":4: .*word_count", text)
    assert ":5: not UTF-8" in text
    assert ":6: not a JSON object" in text
    assert ":8: incomplete last line (no newline)" in text
    assert text.strip().endswith("2 good lines, 6 bad")


def test_missing_file_is_reported(tmp_path):
    out = io.StringIO()
    assert validate_files([str(tmp_path / "nope.jsonl")], out) == 1
    assert "nope.jsonl: cannot read" in out.getvalue()


def test_the_command(files):
    done = run_clippings("validate", str(files["good"]), str(files["bad"]), timeout=60)
    assert done.returncode == 1
    assert f"{files['bad']}:3: not JSON" in done.stdout
    assert str(files["good"]) + ":" not in done.stdout
    assert run_clippings("validate", str(files["good"]), timeout=60).returncode == 0
