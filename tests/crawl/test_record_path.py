"""``--record`` (``clippings record --to``, ``CLIPPINGS_RECORD``) appends WARC records to the
file it names: a name that is not a WARC file's (a collection's ``.jsonl`` given by mistake)
is refused in one line before anything is read or written (clippings/cli/options.py)."""

from __future__ import annotations

import pytest

from tests.helpers.crawl import FAST, run_clippings
from tests.helpers.fixturelib import FIXTURES


@pytest.mark.parametrize("how", ["--record", "-s"])
def test_a_crawl_refuses_to_record_into_a_file_that_is_no_warc(tmp_path, how):
    out = tmp_path / "out"
    lines = out / "le360" / "2026-01-01.jsonl"
    lines.parent.mkdir(parents=True)
    lines.write_text('{"url": "https://fr.le360.ma/x"}\n', encoding="utf-8")
    before = lines.read_bytes()
    target = ["--record", str(lines)] if how == "--record" else ["-s", f"CLIPPINGS_RECORD={lines}"]
    done = run_clippings("crawl", "le360", "--replay", str(FIXTURES), "--output", str(out), *FAST, *target)
    assert done.returncode == 2, done.stderr[-3000:]
    assert lines.read_bytes() == before
    [line] = done.stderr.strip().splitlines()
    assert str(lines) in line and "WARC file" in line, line
    assert not (out / ".state").exists()


def test_record_refuses_a_target_that_is_no_warc(tmp_path):
    target = tmp_path / "notes.txt"
    done = run_clippings("record", "https://fr.le360.ma/politique/x_AAAAAAAAAAAAAAAAAAAAAAAAAA/", "--to", str(target))
    assert done.returncode == 2, done.stderr[-3000:]
    [line] = done.stderr.strip().splitlines()
    assert line == f"clippings: --to {target}: not a WARC file name (.warc.gz or .warc); responses are appended to it"
    assert not target.exists()
