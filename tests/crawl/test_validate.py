"""``clippings validate PATH...``: bad lines reported by file and line number, exit status 1;
folders read for their ``*.jsonl`` files; a missing path is a command-line error."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from clippings.collection.validate import PathError, validate_files
from tests.helpers.crawl import run_clippings

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
    assert out.getvalue().strip() == "2 good lines, 0 bad, in 1 file"


def test_bad_lines_are_reported_by_line_number(files):
    out = io.StringIO()
    assert validate_files([str(files["bad"])], out) == 1
    text = out.getvalue()
    numbers = sorted({int(n) for n in re.findall(rf"^{re.escape(str(files['bad']))}:(\d+): ", text, re.M)})
    assert numbers == [2, 3, 4, 5, 6, 8], text
    assert re.search(r":2: .*'title' is a required property", text)
    assert ":3: not JSON" in text
    assert re.search(r":4: .*word_count", text)
    assert ":5: not UTF-8" in text
    assert ":6: not a JSON object" in text
    assert ":8: incomplete last line (no newline)" in text
    assert text.strip().endswith("2 good lines, 6 bad, in 1 file")


def test_missing_path_is_an_error_before_anything_is_read(files, tmp_path):
    out = io.StringIO()
    with pytest.raises(PathError, match=re.escape(f"{tmp_path / 'nope.jsonl'}: no such file or folder")):
        validate_files([str(files["good"]), str(tmp_path / "nope.jsonl")], out)
    assert out.getvalue() == ""


def test_blank_lines_are_named_blank(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_bytes(line(GOOD) + b"\n" + line(GOOD) + b"  \r\n" + line(GOOD))
    out = io.StringIO()
    assert validate_files([str(path)], out) == 1
    assert out.getvalue().splitlines() == [
        f"{path}:2: blank line",
        f"{path}:4: blank line",
        "3 good lines, 2 bad, in 1 file",
    ]


def test_folders_are_read_for_their_jsonl_files(files, tmp_path):
    collection = tmp_path / "output"
    (collection / "le360").mkdir(parents=True)
    (collection / "almaghribtoday" / "old").mkdir(parents=True)
    (collection / ".state").mkdir()
    (collection / "le360" / "2025-09-09.jsonl").write_bytes(line(GOOD) * 3)
    (collection / "almaghribtoday" / "old" / "2025-01-01.jsonl").write_bytes(line(GOOD))
    (collection / "le360" / "notes.txt").write_text("not output")
    (collection / ".state" / "recovered.jsonl").write_text("not output either\n")
    (collection / "README.jsonl").write_bytes(b"{}\n")  # top-level files count too
    out = io.StringIO()
    assert validate_files([str(collection)], out) == 1
    text = out.getvalue().splitlines()
    assert text[-1] == "4 good lines, 1 bad, in 3 files"
    assert all(line.startswith(f"{collection / 'README.jsonl'}:1: ") for line in text[:-1])
    # A file given beside its folder is read once.
    out = io.StringIO()
    validate_files([str(collection / "le360"), str(collection / "le360" / "2025-09-09.jsonl")], out)
    assert out.getvalue() == "3 good lines, 0 bad, in 1 file\n"


def test_a_folder_without_jsonl_files_says_so(tmp_path):
    out = io.StringIO()
    assert validate_files([str(tmp_path)], out) == 0
    assert out.getvalue().splitlines() == [
        f"{tmp_path}: no .jsonl files in this folder",
        "0 good lines, 0 bad, in 0 files",
    ]


def test_an_unreadable_file_fails(files, tmp_path, monkeypatch):
    locked = tmp_path / "locked.jsonl"
    locked.write_bytes(line(GOOD))

    def refusing_open(path, *args, **kwargs):  # chmod 0 does not stop root
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr("clippings.collection.validate.open", refusing_open, raising=False)
    out = io.StringIO()
    assert validate_files([str(files["good"]), str(locked)], out) == 1
    assert out.getvalue().splitlines() == [
        f"{locked}: cannot read (Permission denied)",
        "2 good lines, 0 bad, in 2 files (1 unreadable)",
    ]


def test_the_command(files):
    done = run_clippings("validate", str(files["good"]), str(files["bad"]), timeout=60)
    assert done.returncode == 1
    assert f"{files['bad']}:3: not JSON" in done.stdout
    assert str(files["good"]) + ":" not in done.stdout
    assert run_clippings("validate", str(files["good"]), timeout=60).returncode == 0


def test_the_command_on_folders_and_missing_paths(files, tmp_path):
    done = run_clippings("validate", str(tmp_path), timeout=60)
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == "4 good lines, 6 bad, in 2 files"
    missing = tmp_path / "no-such-folder"
    done = run_clippings("validate", str(files["good"]), str(missing), timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [f"clippings: validate: {missing}: no such file or folder"]
