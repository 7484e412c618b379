"""The records of one shard read back: from its list, or from the gzip members starting in its
byte range; other hosts' records inflated only to find the next, never parsed. No Scrapy."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from io import BytesIO

from warcio.archiveiterator import ArchiveIterator

from clippings.reextract.archive import (
    CHUNK,
    HEAD_LIMIT,
    INFLATE_LIMIT,
    MAGIC,
    Problem,
    Shard,
)
from clippings.replay.index import next_member as _next_member
from clippings.replay.index import plain_record, warc_header
from clippings.replay.responses import TRANSFER_HEADERS, SavedResponse, parse_stamp, payload


# --- reading a shard (in a worker) --------------------------------------------------------
class ShardReader:
    """Reads one shard: ``records()`` gives (offset, response) for each HTTP response record
    of our sites, and a Problem for each record that cannot be read. ``foreign`` counts the
    response records of other hosts left out, ``other`` the records that are no HTTP
    response (warcinfo, request, metadata...)."""

    def __init__(self, shard: Shard, owned: Callable[[str], bool], max_size: int = 0) -> None:
        self.shard = shard
        self.owned = owned
        # A body over this (DOWNLOAD_MAXSIZE) is not kept whole in memory: the caller learns
        # its size from the placeholder and refuses it as a crawl does.
        self.max_size = max_size
        self.foreign = 0
        self.other = 0
        self.lengths: dict[int, int] = {}  # offset -> bytes of each gzip member read
        self.longer: dict[int, int] = {}  # offset -> bytes a record holds past its Content-Length

    def records(self) -> Iterator[tuple[int, SavedResponse] | Problem]:
        with open(self.shard.path, "rb") as stream:
            if self.shard.listed:
                for offset, length, uri in self.shard.records:
                    self.lengths[offset] = length
                    stream.seek(offset)
                    yield from self._parsed(stream.read(length), offset, uri)
            else:
                yield from self._members(stream)

    # -- listed records ----------------------------------------------------------------
    def _parsed(self, raw: bytes, offset: int, uri: str | None) -> Iterator[tuple[int, SavedResponse] | Problem]:
        path = self.shard.path
        if raw[:2] == b"\x1f\x8b":
            inflater = zlib.decompressobj(31)
            try:
                data = inflater.decompress(raw)
            except zlib.error as exc:
                yield Problem(path, offset, uri, f"does not decode (gzip: {exc})")
                return
            if not inflater.eof:
                yield Problem(path, offset, uri, "cut short (the file ends inside it)")
                return
        else:
            data = raw
        yield from self._records_in(data, offset, uri)

    def _records_in(self, data: bytes, offset: int, uri: str | None) -> Iterator[tuple[int, SavedResponse] | Problem]:
        """The responses of our sites in ``data``: one inflated record, or (gzip members of
        several records) several, each read by warcio."""
        path = self.shard.path
        header = warc_header(data)
        if header is None:
            yield Problem(path, offset, uri, "not a WARC record")
            return
        fields, length, rest = header
        uri = fields.get("warc-target-uri") or uri
        whole = len(data) - len(rest) + length + 4
        if len(rest) < length:
            yield Problem(path, offset, uri, "cut short (its content is shorter than its Content-Length)")
            return
        if len(data) > whole and data[whole:].lstrip(b"\r\n").startswith(b"WARC/"):
            yield from self._several(data, offset)
            return
        if not self._wanted(fields):
            return
        if len(data) > whole and data[whole - 4 :].strip(b"\r\n"):  # past its Content-Length: said
            self.longer[offset] = len(data) - whole
        found = _response(data, fields, rest[:length])
        yield (offset, found) if isinstance(found, SavedResponse) else Problem(path, offset, uri, found)

    def _wanted(self, fields: dict[str, str]) -> bool:
        if fields.get("warc-type") != "response" or not fields.get("content-type", "").startswith("application/http"):
            self.other += 1
            return False
        if not self.owned(fields.get("warc-target-uri", "")):
            self.foreign += 1
            return False
        return True

    def _several(self, data: bytes, offset: int) -> Iterator[tuple[int, SavedResponse] | Problem]:
        path = self.shard.path
        try:
            for record in ArchiveIterator(BytesIO(data)):
                fields = {name.lower(): value for name, value in record.rec_headers.headers}
                if not self._wanted(fields):
                    continue
                uri = fields.get("warc-target-uri")
                if record.http_headers is None:
                    yield Problem(path, offset, uri, "not an HTTP response")
                    continue
                yield offset, _from_warcio(record)
        except Exception as exc:  # warcio's errors are of many kinds
            yield Problem(path, offset, None, f"does not decode ({type(exc).__name__}: {exc})")

    # -- members found in a byte range ---------------------------------------------------
    def _members(self, stream) -> Iterator[tuple[int, SavedResponse] | Problem]:
        start, end = self.shard.start, self.shard.end
        offset = start if start == 0 else _next_member(stream, start, end)
        while offset is not None and offset < end:
            stream.seek(offset)
            if stream.read(3) != MAGIC:
                offset = _next_member(stream, offset, end)
                continue
            following, found = self._member(stream, offset)
            self.lengths[offset] = (following if following is not None else stream.seek(0, 2)) - offset
            yield from found
            if following is None:
                return  # the file ends inside this member
            offset = following

    def _member(self, stream, offset: int) -> tuple[int | None, list]:
        """(where the next member starts, what this one gives); None when it is cut short.
        The member is kept only once its WARC header says it is a response of our sites."""
        path = self.shard.path
        stream.seek(offset)
        inflater = zlib.decompressobj(31)
        head = b""
        kept: list[bytes] | None = None
        size = 0
        fields: dict[str, str] | None = None
        position = offset
        data = stream.read(CHUNK)
        while True:
            try:
                out = inflater.decompress(data, INFLATE_LIMIT)
            except zlib.error as exc:
                uri = fields.get("warc-target-uri") if fields else None
                return _next_member(stream, offset + 1, self.shard.end), [
                    Problem(path, offset, uri, f"does not decode (gzip: {exc})")
                ]
            size += len(out)
            if fields is None:
                head += out
                header = warc_header(head)
                if header is not None:
                    fields = header[0]
                    if self._wanted(fields):
                        kept = [head]
                    head = b""
                elif len(head) > HEAD_LIMIT:
                    return _next_member(stream, offset + 1, self.shard.end), [
                        Problem(path, offset, None, "not a WARC record")
                    ]
            elif kept is not None:
                if self.max_size and size > self.max_size + HEAD_LIMIT:
                    kept = None  # too big to keep: only its size is reported
                else:
                    kept.append(out)
            if inflater.eof:
                following = position + len(data) - len(inflater.unused_data)
                break
            tail = inflater.unconsumed_tail  # more out than INFLATE_LIMIT at once (a body of zeros...)
            position += len(data) - len(tail)
            data = tail or stream.read(CHUNK)
            if not data:
                uri = fields.get("warc-target-uri") if fields else None
                # Corrupt deflate data can run on without an error to the end of the file:
                # a record opening after this member's start says it was broken, not cut.
                size_of_file = stream.seek(0, 2)
                later = _next_member(stream, offset + 1, size_of_file)
                if later is None:
                    return None, [Problem(path, offset, uri, "cut short (the file ends inside it)")]
                problem = Problem(path, offset, uri, "does not decode (gzip: its data runs into the next record)")
                return (later if later < self.shard.end else None), [problem]
        if fields is None:
            return following, [Problem(path, offset, None, "not a WARC record")]
        if kept is None:
            if self.max_size and size > self.max_size + HEAD_LIMIT and self._is_ours(fields):
                reason = f"over {size - HEAD_LIMIT} bytes, over DOWNLOAD_MAXSIZE ({self.max_size})"
                return following, [Problem(path, offset, fields.get("warc-target-uri"), reason, "download")]
            return following, []
        return following, list(self._records_in(b"".join(kept), offset, fields.get("warc-target-uri")))

    def _is_ours(self, fields: dict[str, str]) -> bool:
        return fields.get("warc-type") == "response" and self.owned(fields.get("warc-target-uri", ""))


def _response(data: bytes, fields: dict[str, str], content: bytes) -> SavedResponse | str:
    """The response in one inflated WARC record; a reason when it is not an HTTP response or
    its payload does not decode."""
    status_line = content[: content.find(b"\r\n")] if b"\r\n" in content else content[:64]
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        return "not an HTTP response"
    plain = plain_record(data)
    if plain is not None:
        return plain
    try:  # chunked or compressed payloads (other tools' WARCs): warcio decodes them
        record = next(iter(ArchiveIterator(BytesIO(data))))
        return _from_warcio(record)
    except Exception as exc:  # warcio's errors are of many kinds
        return f"does not decode ({type(exc).__name__}: {' '.join(str(exc).split())})"


def _from_warcio(record) -> SavedResponse:
    body = payload(record)
    http = record.http_headers
    return SavedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        status=int(http.get_statuscode() or 200),
        headers=[(k, v) for k, v in http.headers if k.lower() not in TRANSFER_HEADERS],
        body=body,
        fetched_at=parse_stamp(record.rec_headers.get_header("WARC-Date")),
    )
