"""A line an earlier crawl left cut (killed in the middle of its write) is removed by the next
crawl of the site from whichever file holds it, not only from a file that crawl appends to:
one WARNING line names the file, and `clippings validate` passes on the collection."""

from __future__ import annotations

from collections import Counter

from tests.helpers.crawl import read_output, replay_fixtures, run_clippings


def test_a_line_cut_in_a_file_no_article_of_the_next_run_goes_to_is_removed(tmp_path):
    out = tmp_path / "out"
    first = replay_fixtures(out)
    assert first.returncode == 0, first.stderr[-3000:]
    had = Counter(r["url"] for r in read_output(out))
    oldest = sorted((out / "le360").glob("*.jsonl"))[0]
    whole = oldest.read_bytes()
    with oldest.open("ab") as handle:  # the line a kill cut short
        handle.write(b'{"url":"https://fr.le360.ma/societe/coupe-en-plein-milieu_')
    assert run_clippings("validate", str(out), timeout=60).returncode == 1

    again = replay_fixtures(out)
    assert again.returncode == 0, again.stderr[-3000:]
    named = [line for line in again.stderr.splitlines() if str(oldest) in line]
    assert len(named) == 1 and "removed a partial last line" in named[0], again.stderr[-3000:]
    assert oldest.read_bytes() == whole
    assert Counter(r["url"] for r in read_output(out)) == had
    done = run_clippings("validate", str(out), timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
