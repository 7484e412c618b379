"""``clippings reextract`` without Dask: WARC shards read back as the replay reads them, other
hosts' records left out unread, bad records named, and the collection written as a crawl
writes it (same records, same state: unchanged skipped, changed written anew)."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from io import BytesIO

import pytest
from warcio.warcwriter import WARCWriter

from clippings.reextract import reader, task
from clippings.reextract.archive import Problem, plan
from clippings.reextract.reader import ShardReader
from clippings.replay import SavedResponse, WarcRecorder, side_index_path
from clippings.replay.responses import response_headers
from tests.helpers.crawl import ROOT, read_output, run_clippings, summary_rows
from tests.helpers.fixturelib import FIXTURES

WHEN = datetime(2026, 4, 8, 16, 0, tzinfo=UTC)
HTML = [("Content-Type", "text/html; charset=utf-8")]


def _ours(n: int) -> SavedResponse:
    return SavedResponse(
        f"https://fr.le360.ma/politique/page-{n}_ABC{n}/", 200, HTML, f"<html>{n}</html>".encode() * 50, WHEN
    )


def _foreign(n: int) -> SavedResponse:
    return SavedResponse(f"https://news.example.org/story/{n}", 200, HTML, os.urandom(3000), WHEN)


def _mixed(path, count=30, gzipped=True):
    """A WARC as a news archive holds ours: warcinfo, requests and metadata around responses,
    most of them other hosts'."""
    pages = []
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        recorder = WarcRecorder.__new__(WarcRecorder)
        recorder._writer, recorder._stream, recorder._side = writer, stream, None
        for n in range(count):
            page = _ours(n) if n % 3 == 0 else _foreign(n)
            pages.append(page)
            request = b"GET / HTTP/1.1\r\n\r\n"
            writer.write_record(
                writer.create_warc_record(page.url, "request", payload=BytesIO(request), length=len(request))
            )
            recorder.write(page)
            note = b"note: x\r\n"
            writer.write_record(
                writer.create_warc_record(page.url, "metadata", payload=BytesIO(note), length=len(note))
            )
    return path, [p for p in pages if "le360" in p.url]


def _read(path, **sizes):
    found, readers = [], []
    for shard in plan(path, task.owned, **sizes):
        reader = ShardReader(shard, task.owned)
        readers.append(reader)
        found.extend(reader.records())
    return found, sum(r.foreign for r in readers), readers


def _urls(found):
    return [item[1].url for item in found if not isinstance(item, Problem)]


@pytest.mark.parametrize("shard_bytes", [1 << 20, 4096, 700])
def test_byte_range_shards_find_every_record_once_and_leave_other_hosts_out(tmp_path, shard_bytes):
    path, ours = _mixed(tmp_path / "news.warc.gz")
    found, foreign, _ = _read(path, shard_bytes=shard_bytes)
    assert _urls(found) == [p.url for p in ours]
    assert [item[1].body for item in found] == [p.body for p in ours]
    assert foreign == 20


def test_other_hosts_records_are_never_parsed(tmp_path, monkeypatch):
    path, ours = _mixed(tmp_path / "news.warc.gz")
    parsed = []
    real = reader._response
    monkeypatch.setattr(
        reader, "_response", lambda data, fields, content: parsed.append(fields) or real(data, fields, content)
    )
    found, _, _ = _read(path, shard_bytes=4096)
    assert len(parsed) == len(ours) == len(found)
    assert all("le360" in fields["warc-target-uri"] for fields in parsed)


def test_the_side_index_gives_the_shards_their_records(tmp_path):
    path = tmp_path / "rec.warc.gz"
    pages = [_ours(n) if n % 2 else _foreign(n) for n in range(12)]
    with WarcRecorder(path) as recorder:
        for page in pages:
            recorder.write(page)
    shards = list(plan(path, task.owned, shard_records=4))
    assert all(s.listed for s in shards) and [len(s.records) for s in shards] == [4, 2]
    assert all("le360" in uri for s in shards for _, _, uri in s.records)  # planned from the index alone
    found, _, _ = _read(path, shard_records=4)
    assert _urls(found) == [p.url for p in pages if "le360" in p.url]
    side_index_path(path).unlink()
    assert _urls(_read(path, shard_bytes=2000)[0]) == _urls(found)


def test_a_plain_warc_is_listed_by_warcio(tmp_path):
    path, ours = _mixed(tmp_path / "news.warc", gzipped=False)
    shards = list(plan(path, task.owned, shard_records=3))
    assert all(s.listed for s in shards)
    found, _, _ = _read(path, shard_records=3)
    assert _urls(found) == [p.url for p in ours]
    assert [item[1].body for item in found] == [p.body for p in ours]


def _member(uri, payload, content_type="application/http; msgtype=response", salt=""):
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2026-04-08T16:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, uri)}{salt}>\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    )
    return gzip.compress(head.encode() + payload + b"\r\n\r\n")


OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>x</html>"


@pytest.mark.parametrize("shard_bytes", [1 << 20, 300])
# The record ids move the broken bytes: zeroed deflate data may fail at once or run on to
# the end of the file without an error; either way the next record is read.
@pytest.mark.parametrize("salt", ["-" + "x" * n for n in range(24)])
def test_bad_records_are_named_with_file_offset_and_url_and_the_rest_is_read(tmp_path, shard_bytes, salt):
    members = [
        _member("https://fr.le360.ma/a_A1/", OK, salt=salt),
        _member("https://fr.le360.ma/b_B2/", b"garbage, not HTTP at all", salt=salt),
        _member("https://fr.le360.ma/c_C3/", OK, salt=salt),  # its gzip is broken below
        _member("https://fr.le360.ma/d_D4/", OK, salt=salt),
        _member("https://fr.le360.ma/e_E5/", OK, salt=salt),  # cut short below: the file ends inside it
    ]
    broken = bytearray(members[2])
    broken[len(broken) // 2 :] = b"\x00" * (len(broken) - len(broken) // 2)
    members[2] = bytes(broken)
    data = b"".join(members)
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(data[: len(data) - 20])
    offsets = [sum(len(m) for m in members[:i]) for i in range(len(members))]
    found, _, _ = _read(path, shard_bytes=shard_bytes)
    assert _urls(found) == ["https://fr.le360.ma/a_A1/", "https://fr.le360.ma/d_D4/"]
    problems = {p.offset: p for p in found if isinstance(p, Problem)}
    assert set(problems) == {offsets[1], offsets[2], offsets[4]}
    assert "not an HTTP response" in str(problems[offsets[1]])
    assert "b_B2" in str(problems[offsets[1]]) and str(path) in str(problems[offsets[1]])
    assert "does not decode" in problems[offsets[2]].reason
    assert "cut short" in problems[offsets[4]].reason and problems[offsets[4]].url == "https://fr.le360.ma/e_E5/"


def test_a_task_finishes_records_as_the_crawl_does(tmp_path):
    """A redirect is not read, a 404 is dropped and remembered, a non-article URL skipped."""
    path = tmp_path / "t.warc.gz"
    with WarcRecorder(path) as recorder:
        recorder.write(
            SavedResponse(
                "https://fr.le360.ma/politique/old_AAAAAAAAAAAAAAAAAAAAAAAAA1/",
                301,
                [("Location", "/politique/new_AAAAAAAAAAAAAAAAAAAAAAAAA1/")],
                b"",
                WHEN,
            )
        )
        recorder.write(
            SavedResponse("https://fr.le360.ma/politique/gone_AAAAAAAAAAAAAAAAAAAAAAAAA2/", 404, HTML, b"", WHEN)
        )
        recorder.write(SavedResponse("https://fr.le360.ma/arc/outboundfeeds/rss/", 200, HTML, b"<rss/>", WHEN))
    (shard,) = plan(path, task.owned)
    outcomes = task.read(shard, {}, task.Reading()).outcomes
    assert [o.counts for o in outcomes] == [["skipped/redirect"], ["dropped/http_404"], ["skipped/not_article_url"]]
    assert outcomes[1].remember == "http_404"


def test_headers_reach_extraction_as_the_spider_passes_them():
    from scrapy.http import Headers

    pairs = [("content-type", "text/html"), ("ETag", "a"), ("etag", "b"), ("x-FOO-bar", "1")]
    spider = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in Headers(pairs).items() if v}
    assert response_headers(pairs) == spider
    assert SavedResponse("https://fr.le360.ma/", 200, pairs, b"", None).page().headers == spider
    assert task.last_header(pairs, "ETag") == Headers(pairs).get("ETag").decode()


def test_the_reextract_defaults_are_the_projects_settings():
    import clippings.settings
    from clippings.cli.reextract import REEXTRACT_SETTINGS

    assert {name: getattr(clippings.settings, name) for name in REEXTRACT_SETTINGS} == REEXTRACT_SETTINGS


def test_the_client_and_the_tasks_load_no_scrapy():
    code = (
        "import sys, clippings.reextract, clippings.reextract.task, clippings.reextract.engine\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


# --- the command, in one process (Dask hidden) ---------------------------------------------
@pytest.fixture(scope="module")
def fixtures_warc(tmp_path_factory):
    path = tmp_path_factory.mktemp("warc") / "fixtures.warc.gz"
    done = run_clippings("pack", str(FIXTURES), "--to", str(path))
    assert done.returncode == 0, done.stderr
    return path


def _records(out):
    return sorted(read_output(out), key=lambda r: (r["site"], r["article_id"], r["fetched_at"]))


@pytest.fixture(scope="module")
def replayed(tmp_path_factory, fixtures_warc):
    out = tmp_path_factory.mktemp("crawled")
    done = run_clippings("crawl", "all", "--replay", str(fixtures_warc), "--output", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    return _records(out)


def test_in_one_process_it_writes_what_a_replay_writes_and_a_rerun_nothing(tmp_path, fixtures_warc, replayed, no_dask):
    out = tmp_path / "out"
    done = run_clippings("reextract", str(fixtures_warc), "--output", str(out), env=no_dask)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "in this process" in done.stdout
    assert _records(out) == replayed
    # as quiet as the crawl: the fixtures' deliberate 404 pages (AMP-only articles) are INFO
    assert done.stderr == "", done.stderr[-3000:]
    again = run_clippings("reextract", str(fixtures_warc), "--output", str(out), env=no_dask)
    assert again.returncode == 0, again.stderr[-3000:]
    assert _records(out) == replayed  # nothing written twice
    rows = summary_rows(again.stdout)
    assert rows and all(row["written"] == 0 for row in rows.values())  # written


def test_a_changed_article_is_written_as_a_new_version(tmp_path, fixtures_warc, replayed, no_dask):
    out = tmp_path / "out"
    assert run_clippings("reextract", str(fixtures_warc), "--output", str(out), env=no_dask).returncode == 0
    first = next(r for r in replayed if r["site"] == "le360")
    changed = tmp_path / "changed.warc.gz"
    from clippings.replay import open_store

    saved = open_store(fixtures_warc).get(first["url"])
    word = next(w for w in first["body"].split() if w.isalpha() and len(w) >= 8 and w.encode() in saved.body)
    body = saved.body.replace(word.encode(), word.upper().encode())
    with WarcRecorder(changed) as recorder:
        recorder.write(SavedResponse(saved.url, 200, saved.headers, body, saved.fetched_at))
    done = run_clippings("reextract", str(changed), "--output", str(out), env=no_dask)
    assert done.returncode == 0, done.stderr[-3000:]
    versions = [r for r in read_output(out) if r["article_id"] == first["article_id"]]
    assert len(versions) == 2 and versions[1]["content_sha256"] != versions[0]["content_sha256"]
    assert word.upper() in versions[1]["body"] and word.upper() not in versions[0]["body"]


def test_since_and_until_keep_the_articles_published_in_range(tmp_path, fixtures_warc, replayed, no_dask):
    days = sorted(r["published_date"] for r in replayed if r["published_date"])
    since, until = days[len(days) // 3], days[2 * len(days) // 3]
    out = tmp_path / "out"
    done = run_clippings(
        "reextract", str(fixtures_warc), "--output", str(out), "--since", since, "--until", until, env=no_dask
    )
    assert done.returncode == 0, done.stderr[-3000:]
    want = [r for r in replayed if not r["published_date"] or since <= r["published_date"] <= until]
    assert _records(out) == want and len(want) < len(replayed)


def test_a_mixed_archive_writes_only_ours_and_counts_the_rest(tmp_path, fixtures_warc, replayed, no_dask):
    """Our pages among other hosts' (a news archive), in a WARC of many records per file."""
    from clippings.replay import open_store

    store = open_store(fixtures_warc)
    path = tmp_path / "news.warc.gz"
    with WarcRecorder(path) as recorder:
        for n, url in enumerate(store.urls()):
            recorder.write(_foreign(n))
            recorder.write(store.get(url))
    side_index_path(path).unlink()  # as another tool writes it: scanned by byte range
    out = tmp_path / "out"
    done = run_clippings("reextract", str(path), "--output", str(out), env=no_dask)
    assert done.returncode == 0, done.stderr[-3000:]
    assert _records(out) == replayed
    assert f"other hosts' records skipped: {len(store)}" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dask", "locale"], "--dask locale: expected local, local:N"),
        (["--dask", "local:0"], "--dask local:0: expected"),
        (["--since", "2025-13-01"], "--since '2025-13-01': expected a date"),
        (["-s", "DOWNLOAD_DELAY=1"], "-s DOWNLOAD_DELAY: not a setting reextract reads"),
    ],
)
def test_a_bad_command_line_is_one_line_and_exit_2(tmp_path, fixtures_warc, args, message):
    done = run_clippings("reextract", str(fixtures_warc), "--output", str(tmp_path / "o"), *args)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_missing_source_or_a_folder_without_warcs_is_exit_2(tmp_path):
    done = run_clippings("reextract", str(tmp_path / "nope.warc.gz"), "--output", str(tmp_path / "o"))
    assert done.returncode == 2 and "nope.warc.gz: no such file or folder" in done.stderr
    done = run_clippings("reextract", str(tmp_path), "--output", str(tmp_path / "o"))
    assert done.returncode == 2 and "no WARC files" in done.stderr


def test_a_folder_of_warcs_is_read_whole(tmp_path, fixtures_warc, replayed, no_dask):
    folder = tmp_path / "archives"
    (folder / "2026").mkdir(parents=True)
    (folder / "2026" / "a.warc.gz").write_bytes(fixtures_warc.read_bytes())
    out = tmp_path / "out"
    done = run_clippings("reextract", str(folder), "--output", str(out), env=no_dask)
    assert done.returncode == 0, done.stderr[-3000:]
    assert _records(out) == replayed


def test_without_incremental_state_every_run_writes_everything_and_keeps_no_state(
    tmp_path, fixtures_warc, replayed, no_dask
):
    out = tmp_path / "out"
    for _ in range(2):
        done = run_clippings(
            "reextract", str(fixtures_warc), "--output", str(out), "-s", "CLIPPINGS_INCREMENTAL=False", env=no_dask
        )
        assert done.returncode == 0, done.stderr[-3000:]
    # The locks and the run history live in .state, as a crawl's do; no state database.
    assert not list((out / ".state").glob("state.sqlite*"))
    records = _records(out)
    assert len(records) == 2 * len(replayed)
    assert records[::2] == replayed


def test_it_waits_for_no_crawl_writing_the_collection_and_records_its_runs(tmp_path, fixtures_warc, no_dask):
    from clippings.collection.lock import BUSY_STATUS, WriterLock
    from clippings.collection.runs import read_runs

    out = tmp_path / "out"
    with WriterLock(out, "almaghribtoday"):  # a crawl of one site is writing
        refused = run_clippings("reextract", str(fixtures_warc), "--output", str(out), env=no_dask)
    assert refused.returncode == BUSY_STATUS, refused.stderr[-3000:]
    assert f"{out}/ is being written by another crawl of almaghribtoday (pid {os.getpid()}" in refused.stderr
    assert not list(out.glob("*/*.jsonl")) and not read_runs(out)  # nothing read, nothing written
    done = run_clippings("reextract", str(fixtures_warc), "--output", str(out), env=no_dask)
    assert done.returncode == 0, done.stderr[-3000:]
    runs = read_runs(out)
    rows = summary_rows(done.stdout)
    assert sorted(run["site"] for run in runs) == sorted(rows)
    assert len({run["run_id"] for run in runs}) == 1
    for run in runs:
        assert run["written"] == rows[run["site"]]["written"] > 0
        assert run["exit_status"] == 0 and run["finish_reason"] == "finished"


def test_sigterm_stops_it_as_ctrl_c_does_and_the_next_run_reads_the_rest(tmp_path, no_dask):
    # A scheduler stops a job with SIGTERM: what is written stays whole, the history says
    # `stopped`, the exit status is 1 (was 143 with no history line and nothing said).
    import signal
    import time

    from bench.throughput import build_pages, write_warc
    from clippings.collection.runs import read_runs

    warc, out = tmp_path / "pages.warc.gz", tmp_path / "out"
    pages = build_pages(1500, sites=["le360"])
    write_warc(pages, warc)
    command = [sys.executable, "-m", "clippings.cli", "reextract", str(warc), "--output", str(out)]
    env = {**os.environ, **no_dask}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not list(out.glob("le360/*.jsonl")) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    assert process.returncode == 1, stderr[-3000:]
    assert "interrupted: what is written stays" in stderr
    assert "stopped (shutdown)" in stdout
    (run,) = read_runs(out)
    assert (run["outcome"], run["exit_status"]) == ("stopped", 1)
    assert 0 < run["written"] < len(pages), "stopped part-way"
    assert run_clippings("validate", str(out)).returncode == 0
    again = run_clippings("reextract", str(warc), "--output", str(out), env=no_dask)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len({r["article_id"] for r in read_output(out)}) == len(pages)
