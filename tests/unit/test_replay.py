"""Reading WARC files back: the quick index of gzip members agrees with warcio, and what it
cannot read (plain WARCs, one gzip stream, other record types, broken files) still works;
a recorder's side index spares the scan only where the WARC agrees with it."""

from __future__ import annotations

import gzip
import re
import zlib
from datetime import UTC, datetime
from io import BytesIO

import pytest
from warcio.warcwriter import WARCWriter

from clippings.replay import (
    ReplaySourceError,
    SavedResponse,
    WarcRecorder,
    WarcStore,
    copy_store,
    side_index_path,
    url_key,
)
from clippings.replay.index import read_side_index as _read_side_index
from clippings.replay.index import scan_gzipped_records as _scan_gzipped_records
from clippings.replay.index import scan_with_warcio as _scan_with_warcio

WHEN = datetime(2026, 4, 8, 16, 0, tzinfo=UTC)
PAGES = [
    SavedResponse(
        "https://fr.le360.ma/politique/un-article_ABC/",
        200,
        [("Content-Type", "text/html; charset=utf-8")],
        b"<html>le360</html>",
        WHEN,
    ),
    SavedResponse(
        "https://www.almaghribtoday.net/1195/1910335-السلطات-المحلية",
        200,
        [("Content-Type", "text/html; charset=utf-8")],
        "<html>مقال</html>".encode(),
        WHEN,
    ),
    SavedResponse(
        "https://fr.le360.ma/rss", 200, [("Content-Type", "application/rss+xml")], b"<rss/>" * 20000, WHEN
    ),  # > one read
]


def _recorded(path):
    with WarcRecorder(path) as recorder:
        for page in PAGES:
            recorder.write(page)
    return path


def _with_other_records(path, *, gzipped=True):
    """A WARC as other tools write it: warcinfo, request and metadata records around responses."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for page in PAGES:
            request = b"GET / HTTP/1.1\r\n\r\n"
            writer.write_record(
                writer.create_warc_record(page.url, "request", payload=BytesIO(request), length=len(request))
            )
            recorder = WarcRecorder.__new__(WarcRecorder)
            recorder._writer, recorder._stream, recorder._side = writer, stream, None
            recorder.write(page)
            note = b"note: x\r\n"
            writer.write_record(
                writer.create_warc_record(page.url, "metadata", payload=BytesIO(note), length=len(note))
            )
    return path


def test_quick_index_agrees_with_warcio(tmp_path):
    path = _recorded(tmp_path / "a.warc.gz")
    quick, broken, cut, _ = _scan_gzipped_records(path)
    assert cut is None and broken == []
    assert quick == _scan_with_warcio(path)
    assert [uri for uri, _, _ in quick] == [page.url for page in PAGES]


def test_quick_index_keeps_only_http_responses(tmp_path):
    path = _with_other_records(tmp_path / "b.warc.gz")
    quick, broken, cut, _ = _scan_gzipped_records(path)
    assert cut is None and broken == []
    assert quick == _scan_with_warcio(path)
    assert len(quick) == len(PAGES)
    store = WarcStore(path)
    for page in PAGES:
        assert store.get(page.url).body == page.body


def test_a_plain_warc_goes_through_warcio(tmp_path):
    path = _with_other_records(tmp_path / "c.warc", gzipped=False)
    assert _scan_gzipped_records(path) is None
    store = WarcStore(path)
    assert len(store) == len(PAGES)
    for page in PAGES:
        saved = store.get(page.url)
        assert (saved.status, saved.body) == (200, page.body)


def test_one_gzip_stream_is_refused_with_the_fix(tmp_path):
    plain = _with_other_records(tmp_path / "c.warc", gzipped=False)
    path = tmp_path / "d.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    assert _scan_gzipped_records(path) is None
    with pytest.raises(ReplaySourceError, match=r"d\.warc\.gz: not a readable WARC file.*recompress"):
        WarcStore(path)


def test_a_record_cut_short_is_left_out_with_a_warning(tmp_path, caplog):
    path = _recorded(tmp_path / "e.warc.gz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 100])  # the last record, half written
    store = WarcStore(path)
    assert len(store) == len(PAGES) - 1
    assert store.get(PAGES[0].url).body == PAGES[0].body
    assert store.get(PAGES[-1].url) is None
    assert "e.warc.gz: the last record" in caplog.text and "cut short" in caplog.text


MORE = [
    SavedResponse(
        f"https://fr.le360.ma/societe/suite_{n}/", 200, [("Content-Type", "text/html")], b"<p>%d</p>" % n, WHEN
    )
    for n in range(3)
]


def test_recording_again_after_a_killed_recording_sets_its_cut_record_aside(tmp_path, caplog):
    # Killed inside its last record, then run again with the same --record: appended after
    # the cut member, the new records would follow bytes no reader decodes.
    path = _recorded(tmp_path / "k.warc.gz")
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 100])
    with WarcRecorder(path) as recorder:
        for page in MORE:
            recorder.write(page)
    [aside] = tmp_path.glob("k.warc.gz.cut-*")
    cut = int(aside.name.rsplit("-", 1)[1])
    assert aside.read_bytes() == whole[cut : len(whole) - 100]  # kept, not lost
    assert path.read_bytes()[:cut] == whole[:cut]
    assert f"k.warc.gz: its last record (from byte {cut}) was cut short" in caplog.text
    store = WarcStore(path)
    assert [store.get(p.url).body for p in [*PAGES[:-1], *MORE]] == [p.body for p in [*PAGES[:-1], *MORE]]
    assert store.get(PAGES[-1].url) is None
    # The side index lists every whole record: later replays need not scan the file.
    listed = _read_side_index(path)
    assert [uri for uri, _, _ in listed] == [p.url for p in [*PAGES[:-1], *MORE]]
    assert listed[-1][1] + listed[-1][2] == path.stat().st_size


def test_a_record_broken_in_the_middle_is_skipped_and_the_rest_replayed(tmp_path, caplog):
    # A file already appended to after a killed recording (or damaged otherwise).
    first, then = _recorded(tmp_path / "l1.warc.gz"), tmp_path / "l2.warc.gz"
    with WarcRecorder(then) as recorder:
        for page in MORE:
            recorder.write(page)
    path = tmp_path / "l.warc.gz"
    path.write_bytes(first.read_bytes()[:-100] + then.read_bytes())
    records, broken, cut, _ = _scan_gzipped_records(path)
    assert cut is None and len(broken) == 1
    assert [uri for uri, _, _ in records] == [p.url for p in [*PAGES[:-1], *MORE]]
    store = WarcStore(path)
    assert [store.get(p.url).body for p in MORE] == [p.body for p in MORE]
    assert f"l.warc.gz: the record at byte {broken[0]} does not decode" in caplog.text


def test_a_record_whose_content_length_is_wrong_is_named_and_the_rest_replayed(tmp_path, caplog):
    # Another tool's WARC, a record a gzip member, one record claiming 5 bytes too few (read to
    # its Content-Length, as warcio and reextract read it), one 5 too many (left out): the
    # replay refused the whole file, with warcio's bytes of the record on stderr.
    source = _with_other_records(tmp_path / "o.warc.gz")
    members, data = [], source.read_bytes()
    while data:
        inflater = zlib.decompressobj(31)
        members.append(inflater.decompress(data))
        data = inflater.unused_data
    responses = [n for n, member in enumerate(members) if b"WARC-Type: response" in member]
    for n, delta in ((responses[0], -5), (responses[1], 5)):
        length = int(re.search(rb"Content-Length: (\d+)", members[n])[1])
        members[n] = members[n].replace(b"Content-Length: %d" % length, b"Content-Length: %d" % (length + delta), 1)
    members[responses[2]] += b"\r\n\r\n"  # line ends after a record: no fault (some tools write them)
    path = tmp_path / "w.warc.gz"
    path.write_bytes(b"".join(gzip.compress(member) for member in members))
    offsets = [sum(len(gzip.compress(m)) for m in members[:n]) for n in responses]
    assert [offset for offset, _ in _scan_gzipped_records(path).misfits] == offsets[:2]
    store = WarcStore(path)
    assert len(store) == 2 and store.get(PAGES[1].url) is None
    assert store.get(PAGES[0].url).body == PAGES[0].body[:-5]
    assert store.get(PAGES[2].url).body == PAGES[2].body
    assert f"the record at byte {offsets[0]} is 5 bytes longer than its Content-Length says; read to" in caplog.text
    assert f"the record at byte {offsets[1]} is 5 bytes shorter than its Content-Length says; skipped" in caplog.text
    from clippings.reextract import task  # reextract reads them so, and says so too
    from clippings.reextract.archive import plan

    outcomes = [o for shard in plan(path, task.owned) for o in task.read(shard, {}, task.Reading()).outcomes]
    assert [(o.kind, o.offset) for o in outcomes][1] == ("bad_record", offsets[1])
    assert not any("Content-Length" in message for _, message in outcomes[2].logs)
    assert (
        f"w.warc.gz at byte {offsets[0]} ({PAGES[0].url}): 5 bytes longer than its Content-Length says"
        in (outcomes[0].logs[0][1])
    )
    copy = tmp_path / "copy.warc.gz"  # `clippings pack` of it: the readable records (warcio's reading raised)
    assert copy_store(store, copy) == 2
    assert [r.body for r in WarcStore(copy).responses()] == [PAGES[0].body[:-5], PAGES[2].body]


def test_a_copy_keeps_every_capture_of_a_url(tmp_path):
    # `clippings pack` of a WARC holding two captures of a page wrote the last one twice.
    again = SavedResponse(PAGES[0].url, 200, PAGES[0].headers, b"<html>le360, updated</html>", WHEN)
    path = tmp_path / "w.warc.gz"
    with WarcRecorder(path) as recorder:
        for page in (PAGES[0], PAGES[1], again):
            recorder.write(page)
    copy = tmp_path / "copy.warc.gz"
    assert copy_store(WarcStore(path), copy) == 3
    assert [r.body for r in WarcStore(copy).responses()] == [PAGES[0].body, PAGES[1].body, again.body]
    assert WarcStore(copy).get(PAGES[0].url).body == again.body


def test_a_target_uri_in_angle_brackets_is_read_as_warcio_reads_it(tmp_path):
    # Wget 1.19 wrote `WARC-Target-URI: <URL>`: the replay answered every page 404, and
    # reextract counted every record as another host's and wrote nothing (exit 0).
    from clippings.reextract import task
    from clippings.reextract.archive import plan
    from clippings.reextract.reader import ShardReader

    members, data = [], _recorded(tmp_path / "w.warc.gz").read_bytes()
    while data:
        inflater = zlib.decompressobj(31)
        head, _, rest = inflater.decompress(data).partition(b"\r\n\r\n")
        members.append(re.sub(rb"WARC-Target-URI: (\S+)", rb"WARC-Target-URI: <\1>", head) + b"\r\n\r\n" + rest)
        data = inflater.unused_data
    path = tmp_path / "wget.warc.gz"
    path.write_bytes(b"".join(gzip.compress(member) for member in members))
    assert [uri for uri, _, _ in _scan_with_warcio(path)] == [page.url for page in PAGES]
    assert [uri for uri, _, _ in _scan_gzipped_records(path).records] == [page.url for page in PAGES]
    store = WarcStore(path)
    assert [store.get(page.url).body for page in PAGES] == [page.body for page in PAGES]
    read = [found for shard in plan(path, task.owned) for found in ShardReader(shard, task.owned).records()]
    assert [saved.url for _, saved in read] == [page.url for page in PAGES]


def test_a_payload_is_decoded_as_scrapy_decodes_it_or_named(tmp_path, caplog):
    # x-gzip (gzip's other name, which Scrapy decodes) came out as gzip's bytes, dropped as
    # `not_html`; an encoding warcio cannot undo came out as its bytes, read as the page.
    from warcio.statusandheaders import StatusAndHeaders

    from clippings.reextract import task
    from clippings.reextract.archive import Problem, plan
    from clippings.reextract.reader import ShardReader

    path = tmp_path / "w.warc.gz"
    encoded = [(PAGES[0], "x-gzip", gzip.compress(PAGES[0].body)), (PAGES[1], "compress", b"\x1f\x9d\x90<h")]
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for page, encoding, body in encoded:
            headers = [*page.headers, ("Content-Encoding", encoding), ("Content-Length", str(len(body)))]
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    page.url, "response", payload=BytesIO(body), length=len(body), http_headers=http
                )
            )
    store = WarcStore(path)
    assert store.get(PAGES[0].url).body == PAGES[0].body
    assert store.get(PAGES[1].url) is None
    assert f"({PAGES[1].url}) cannot be read: its Content-Encoding 'compress' cannot be decoded" in caplog.text
    read = [found for shard in plan(path, task.owned) for found in ShardReader(shard, task.owned).records()]
    assert read[0][1].body == PAGES[0].body
    assert isinstance(read[1], Problem) and "Content-Encoding 'compress' cannot be decoded" in read[1].reason


def test_not_a_warc_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "f.warc.gz"
    path.write_bytes(gzip.compress(b"hello, not a WARC\r\n\r\n"))
    with pytest.raises(ReplaySourceError, match=r"f\.warc\.gz"):
        WarcStore(path)


def test_a_saved_response_keeps_its_url_as_captured(tmp_path):
    # Arabic URLs are written to WARC headers as UTF-8: read back as text, not as latin-1
    # mojibake, so `clippings pack` and `fixture save` copy them unchanged.
    store = WarcStore(_recorded(tmp_path / "g.warc.gz"))
    for page in PAGES:
        assert store.get(page.url).url == page.url
    copy = tmp_path / "copy.warc.gz"
    with WarcRecorder(copy) as recorder:
        for page in PAGES:
            recorder.write(store.get(page.url))
    assert [uri for uri, _, _ in _scan_with_warcio(copy)] == [page.url for page in PAGES]


def _scanned_records(monkeypatch):
    """Counts the records the scan inflates and parses (the side index lists the others)."""
    import clippings.replay.index as replay

    seen = []
    parse = replay.record_header

    def counting(head, size):
        seen.append(size)
        return parse(head, size)

    monkeypatch.setattr(replay, "record_header", counting)
    return seen


def test_a_recording_keeps_a_side_index_that_spares_the_scan(tmp_path, monkeypatch):
    path = _recorded(tmp_path / "a.warc.gz")
    assert side_index_path(path).is_file()
    assert _read_side_index(path) == _scan_with_warcio(path)
    scanned = _scanned_records(monkeypatch)
    store = WarcStore(path)
    assert scanned == []
    for page in PAGES:
        assert store.get(page.url).body == page.body
    arabic = tmp_path / "ar.warc.gz"  # an Arabic URL first and last: the check reads it as written
    with WarcRecorder(arabic) as recorder:
        recorder.write(PAGES[1])
    assert _read_side_index(arabic) == [(PAGES[1].url, 0, arabic.stat().st_size)]


def test_the_side_index_is_what_warcio_index_writes(tmp_path):
    """Byte for byte the output of warcio's own indexer over the same file (its CLI, as an
    operator runs it), so any tool that reads ``warcio index`` lines reads it."""
    import subprocess
    import sys
    from pathlib import Path

    from clippings.replay.index import SIDE_INDEX_FIELDS

    path = _recorded(tmp_path / "a.warc.gz")
    warcio = Path(sys.executable).with_name("warcio")
    done = subprocess.run(
        [str(warcio), "index", "-f", ",".join(SIDE_INDEX_FIELDS), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.count("\n") == len(PAGES)
    assert side_index_path(path).read_text(encoding="utf-8") == done.stdout


def test_a_second_recording_extends_the_side_index(tmp_path):
    path = _recorded(tmp_path / "a.warc.gz")
    more = SavedResponse(
        "https://fr.le360.ma/sport/autre_XYZ/", 200, [("Content-Type", "text/html")], b"<p>x</p>", WHEN
    )
    with WarcRecorder(path) as recorder:
        recorder.write(more)
    assert _read_side_index(path) == _scan_with_warcio(path)
    assert WarcStore(path).get(more.url).body == b"<p>x</p>"


def test_records_appended_by_another_tool_are_scanned(tmp_path, monkeypatch):
    path = _recorded(tmp_path / "a.warc.gz")
    extra = SavedResponse(
        "https://fr.le360.ma/monde/ailleurs_QQQ/", 200, [("Content-Type", "text/html")], b"<p>y</p>", WHEN
    )
    with path.open("ab") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "other"}))
        recorder = WarcRecorder.__new__(WarcRecorder)
        recorder._writer, recorder._stream, recorder._side = writer, stream, None
        recorder.write(extra)
    scanned = _scanned_records(monkeypatch)
    store = WarcStore(path)
    assert len(scanned) == 2  # the warcinfo and the new response; not the three listed
    assert len(store) == len(PAGES) + 1 and store.get(extra.url).body == b"<p>y</p>"
    # The recorder does not extend an index that no longer lists every record.
    with WarcRecorder(path) as again:
        again.write(PAGES[0])
    assert len(_read_side_index(path)) == len(PAGES)


def test_a_side_index_of_another_file_is_ignored(tmp_path, caplog):
    path = _recorded(tmp_path / "a.warc.gz")
    other = tmp_path / "b.warc.gz"
    with WarcRecorder(other) as recorder:
        for page in reversed(PAGES):
            recorder.write(page)
    side_index_path(other).replace(side_index_path(path))  # the wrong index beside a.warc.gz
    assert _read_side_index(path) is None
    assert "side index does not match" in caplog.text
    store = WarcStore(path)
    for page in PAGES:
        assert store.get(page.url).body == page.body


def test_a_side_index_cut_short_serves_what_it_lists_and_the_rest_is_scanned(tmp_path, monkeypatch):
    path = _recorded(tmp_path / "a.warc.gz")
    side = side_index_path(path)
    side.write_bytes(side.read_bytes()[:-7])  # a killed recording: the last line half written
    assert len(_read_side_index(path)) == len(PAGES) - 1
    scanned = _scanned_records(monkeypatch)
    store = WarcStore(path)
    assert len(scanned) == 1 and len(store) == len(PAGES)
    assert store.get(PAGES[-1].url).body == PAGES[-1].body


def test_an_older_recording_gets_no_side_index_when_appended_to(tmp_path):
    path = _recorded(tmp_path / "a.warc.gz")
    side_index_path(path).unlink()
    with WarcRecorder(path) as recorder:
        recorder.write(PAGES[0])
    assert not side_index_path(path).exists()
    assert len(WarcStore(path)) == len(PAGES)


def test_a_url_asked_for_in_another_form_finds_its_capture(tmp_path):
    page = SavedResponse(
        "https://fr.le360.ma/recherche?q=maroc&page=2", 200, [("Content-Type", "text/html")], b"<p>r</p>", WHEN
    )
    path = tmp_path / "a.warc.gz"
    with WarcRecorder(path) as recorder:
        for saved in [*PAGES, page]:
            recorder.write(saved)
    store = WarcStore(path)
    assert store.get("https://fr.le360.ma/recherche?page=2&q=maroc#haut").body == b"<p>r</p>"
    arabic = PAGES[1].url
    escaped = (
        arabic.split("1910335-")[0] + "1910335-" + "".join(f"%{b:02X}" for b in arabic.split("1910335-")[1].encode())
    )
    assert store.get(escaped).body == PAGES[1].body
    assert store.get("https://fr.le360.ma/recherche?q=autre") is None


def test_a_url_key_is_the_canonical_form_with_or_without_canonicalising(monkeypatch):
    import random

    from w3lib.url import canonicalize_url

    from clippings.replay import responses

    rng = random.Random(7)
    hosts = ["fr.le360.ma", "www.almaghribtoday.net", "a", "a-b.c", "q.0", "xn--a.b", "1.a", "0x1.b", "Fr.le360.ma"]
    alphabet = "az09-._~/%?=#&;+:@ AZD8F9"
    urls = [page.url for page in PAGES] + [
        f"{rng.choice(['http', 'https', 'HTTP'])}://{rng.choice(hosts)}"
        + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        for _ in range(20000)
    ]

    def key(make, url):
        try:
            return make(url)
        except ValueError as exc:  # "http://a:+": w3lib refuses the port
            return type(exc)

    for url in urls:
        assert key(url_key, url) == key(lambda u: canonicalize_url(u.strip(), keep_fragments=False), url), url

    def refused(url, **kwargs):
        raise AssertionError(f"canonicalised {url}")

    monkeypatch.setattr(responses, "canonicalize_url", refused)
    escaped = "https://www.almaghribtoday.net/1195/1910335-" + "".join(f"%{b:02X}" for b in "السلطات".encode())
    for url in [PAGES[0].url, escaped, "https://fr.le360.ma/politique/un-article_ABC/?outputType=amp"]:
        assert url_key(url) == url
