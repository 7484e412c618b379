"""A damaged state file (its pages overwritten: a disk fault, a copy cut short) stops the
crawl in one line naming the file and what to do, with exit status 1, and writes nothing;
moved away, the next run rebuilds the state from the output files and writes nothing twice."""

from __future__ import annotations

from collections import Counter

from tests.helpers.crawl import read_output, replay_fixtures

PAGE = 4096  # SQLite's default page size


def test_a_damaged_state_stops_the_crawl_in_one_line_and_moved_away_is_rebuilt(tmp_path):
    out = tmp_path / "out"
    first = replay_fixtures(out)
    assert first.returncode == 0, first.stderr[-3000:]
    had = Counter(r["url"] for r in read_output(out))
    state = out / ".state" / "state.sqlite"
    data = state.read_bytes()
    assert len(data) > 2 * PAGE
    # The header page kept (the file opens), every table's pages garbage.
    state.write_bytes(data[:PAGE] + b"\x07" * (len(data) - PAGE))

    damaged = replay_fixtures(out)
    assert damaged.returncode == 1, damaged.stderr[-3000:]
    assert "Traceback" not in damaged.stderr, damaged.stderr[-3000:]
    errors = [line for line in damaged.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, damaged.stderr[-3000:]
    assert f"cannot read the incremental state {state}: database disk image is malformed" in errors[0]
    assert "move the file away" in errors[0]
    assert "le360: state failed: cannot read the incremental state" in damaged.stdout
    assert Counter(r["url"] for r in read_output(out)) == had, "a crawl without its state wrote again"

    state.rename(tmp_path / "damaged.sqlite")
    rebuilt = replay_fixtures(out)
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
    assert Counter(r["url"] for r in read_output(out)) == had
