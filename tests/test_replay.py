"""Reading WARC files back: the quick index of gzip members agrees with warcio, and what it
cannot read (plain WARCs, one gzip stream, other record types, broken files) still works."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from io import BytesIO

import pytest
from warcio.warcwriter import WARCWriter

from clippings.replay import (
    ReplaySourceError,
    SavedResponse,
    WarcRecorder,
    WarcStore,
    _scan_gzipped_records,
    _scan_with_warcio,
)

WHEN = datetime(2026, 4, 8, 16, 0, tzinfo=UTC)
PAGES = [
    SavedResponse("https://fr.le360.ma/politique/un-article_ABC/", 200,
                  [("Content-Type", "text/html; charset=utf-8")], b"<html>le360</html>", WHEN),
    SavedResponse("https://www.almaghribtoday.net/1195/1910335-السلطات-المحلية", 200,
                  [("Content-Type", "text/html; charset=utf-8")], "<html>مقال</html>".encode(), WHEN),
    SavedResponse("https://fr.le360.ma/rss", 200,
                  [("Content-Type", "application/rss+xml")], b"<rss/>" * 20000, WHEN),  # > one read
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
            writer.write_record(writer.create_warc_record(page.url, "request", payload=BytesIO(request), length=len(request)))
            recorder = WarcRecorder.__new__(WarcRecorder)
            recorder._writer, recorder._stream = writer, stream
            recorder.write(page)
            note = b"note: x\r\n"
            writer.write_record(writer.create_warc_record(page.url, "metadata", payload=BytesIO(note), length=len(note)))
    return path


def test_quick_index_agrees_with_warcio(tmp_path):
    path = _recorded(tmp_path / "a.warc.gz")
    quick, cut = _scan_gzipped_records(path)
    assert cut is None
    assert quick == _scan_with_warcio(path)
    assert [uri for uri, _, _ in quick] == [page.url for page in PAGES]


def test_quick_index_keeps_only_http_responses(tmp_path):
    path = _with_other_records(tmp_path / "b.warc.gz")
    quick, cut = _scan_gzipped_records(path)
    assert cut is None
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


def test_not_a_warc_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "f.warc.gz"
    path.write_bytes(gzip.compress(b"hello, not a WARC\r\n\r\n"))
    with pytest.raises(ReplaySourceError, match="f.warc.gz"):
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
