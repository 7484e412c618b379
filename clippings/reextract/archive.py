"""WARC files cut into shards by byte range, and the records of one shard read back. No Scrapy.

A shard is a byte range of one WARC file. Where the records are known without reading the
file (the recorder's side index) or had to be listed by warcio (a plain WARC, gzip members of
several records), a shard lists the records of our sites it holds: other hosts' records never
reach a worker. Otherwise (the usual gzipped WARC of one member a record, from any tool) a
shard is a plain range and the worker finds the gzip members starting in it: the first from a
gzip magic number whose member opens on a WARC header, each next one where the last ended. A
record belongs to the shard its first byte is in, so the shards of a file cover each record
once. A member of another host's record is inflated only to find where the next one starts,
its body thrown away unparsed as it comes out of zlib; its WARC header says whose it is.

What cannot be read (a record that is not HTTP, cut short, or does not decode) is named with
its file and offset, and the reading goes on after it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from clippings.replay.index import plain_record, read_side_index, scan_with_warcio, warc_header
from clippings.replay.responses import TRANSFER_HEADERS, SavedResponse, parse_stamp

# Records of our sites in a listed shard, and bytes of file in a range shard: a shard is
# some seconds of a worker's time at most, so that a lost worker costs little, and a few
# dozen of them keep every worker busy.
SHARD_RECORDS = 50
SHARD_BYTES = 512 << 10

_CHUNK = 1 << 16
_MAGIC = b"\x1f\x8b\x08"
_HEAD = 1 << 16  # a WARC header longer than this is not one
_OUT = 1 << 20  # most bytes inflated at once


class ArchiveError(ValueError):
    """A SOURCE that is no WARC file or folder of them, or a WARC that cannot be read at all."""


@dataclass(frozen=True)
class Shard:
    """Records of ``path`` starting in [start, end): ``records`` lists them as (offset,
    length, target URI) when known; empty, the worker finds them (``listed`` False)."""

    path: str
    start: int
    end: int
    records: tuple[tuple[int, int, str], ...] = ()
    listed: bool = False

    def __str__(self) -> str:
        if self.listed and len(self.records) == 1:
            offset, _, uri = self.records[0]
            return f"{self.path} at byte {offset} ({uri})"
        return f"{self.path} bytes {self.start}-{self.end}"


@dataclass(frozen=True)
class Problem:
    """A record that could not be read: where it is, its URL when its header was read, why;
    ``kind`` is counted under ``errors/``: ``bad_record``, or ``download`` for a body over
    DOWNLOAD_MAXSIZE (a crawl would not have fetched it)."""

    path: str
    offset: int
    url: str | None
    reason: str
    kind: str = "bad_record"

    def __str__(self) -> str:
        where = f"{self.path} at byte {self.offset}" + (f" ({self.url})" if self.url else "")
        return f"{where}: {self.reason}"


def warc_files(sources: list[str]) -> list[Path]:
    """The WARC files SOURCE names: a file, or every ``*.warc`` and ``*.warc.gz`` below a folder."""
    files: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith((".warc", ".warc.gz")))
            if not found:
                raise ArchiveError(f"{source}: no WARC files (*.warc, *.warc.gz) below this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise ArchiveError(f"{source}: not a file or folder")
        else:
            raise ArchiveError(f"{source}: no such file or folder")
    return list(dict.fromkeys(files))


def plan(
    path: Path,
    owned: Callable[[str], bool],
    shard_records: int = SHARD_RECORDS,
    shard_bytes: int = SHARD_BYTES,
) -> Iterator[Shard]:
    """The shards of one WARC file, in file order; ``owned`` says whether a target URI is of
    one of our sites. Raises ArchiveError for a file that is not a WARC."""
    size = path.stat().st_size
    listed = read_side_index(path)
    start = 0
    if listed:
        yield from _listed(path, [(o, n, u) for u, o, n in listed if owned(u)], shard_records)
        start = listed[-1][1] + listed[-1][2]  # what follows (another tool's records) is scanned
    elif not _one_record_a_member(path):
        try:
            records = scan_with_warcio(path)
        except (OSError, ArchiveLoadFailed, ValueError) as exc:
            raise ArchiveError(f"{path}: not a readable WARC file ({' '.join(str(exc).split())})") from None
        yield from _listed(path, [(o, n, u) for u, o, n in records if owned(u)], shard_records)
        return
    for begin in range(start, size, shard_bytes):
        yield Shard(str(path), begin, min(begin + shard_bytes, size))


def _listed(path: Path, records: list[tuple[int, int, str]], per_shard: int) -> Iterator[Shard]:
    for first in range(0, len(records), per_shard):
        group = tuple(records[first : first + per_shard])
        yield Shard(str(path), group[0][0], group[-1][0] + group[-1][1], group, listed=True)


def _one_record_a_member(path: Path) -> bool:
    """Whether the file is gzipped with its first member holding exactly one WARC record (as
    every WARC writer does by default); False for a plain WARC or one gzip stream for all.
    Raises ArchiveError when the file starts with neither a gzip member nor a WARC record."""
    with path.open("rb") as stream:
        first = stream.read(_CHUNK)
        if not first:
            return True  # empty: no shards
        if first[:3] != _MAGIC:
            if first.startswith(b"WARC/"):
                return False
            raise ArchiveError(f"{path}: not a WARC file (neither gzip nor a WARC record at its start)")
        inflater = zlib.decompressobj(31)
        out = b""
        pending = first
        while True:
            try:
                out += inflater.decompress(pending, _HEAD * 4 - len(out))
            except zlib.error as exc:
                raise ArchiveError(f"{path}: not a readable WARC file (gzip: {exc})") from None
            header = warc_header(out)
            if header is not None:
                fields, length, rest = header
                whole = len(out) - len(rest) + length + 4
                # One record a member: the member ends right after the record's content.
                return _member_size(inflater, pending, stream, out) == whole
            if len(out) >= _HEAD or inflater.eof:
                raise ArchiveError(f"{path}: not a WARC file (its first gzip member holds no WARC record)")
            pending = inflater.unconsumed_tail or stream.read(_CHUNK)
            if not pending:
                raise ArchiveError(f"{path}: not a readable WARC file (cut short in its first record)")


def _member_size(inflater, pending: bytes, stream, out: bytes) -> int:
    """Inflated size of the member being read, ``out`` its start (the rest is not kept)."""
    size = len(out)
    data = inflater.unconsumed_tail
    while not inflater.eof:
        if not data:
            data = stream.read(_CHUNK)
            if not data:
                return -1  # cut short
        try:
            size += len(inflater.decompress(data, _CHUNK * 16))
        except zlib.error:
            return -1
        data = inflater.unconsumed_tail
    return size


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
            if stream.read(3) != _MAGIC:
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
        data = stream.read(_CHUNK)
        while True:
            try:
                out = inflater.decompress(data, _OUT)
            except zlib.error as exc:
                uri = fields.get("warc-target-uri") if fields else None
                return _next_member(stream, offset + 1, self.shard.end), [Problem(path, offset, uri, f"does not decode (gzip: {exc})")]
            size += len(out)
            if fields is None:
                head += out
                header = warc_header(head)
                if header is not None:
                    fields = header[0]
                    if self._wanted(fields):
                        kept = [head]
                    head = b""
                elif len(head) > _HEAD:
                    return _next_member(stream, offset + 1, self.shard.end), [Problem(path, offset, None, "not a WARC record")]
            elif kept is not None:
                if self.max_size and size > self.max_size + _HEAD:
                    kept = None  # too big to keep: only its size is reported
                else:
                    kept.append(out)
            if inflater.eof:
                following = position + len(data) - len(inflater.unused_data)
                break
            tail = inflater.unconsumed_tail  # more out than _OUT at once (a body of zeros...)
            position += len(data) - len(tail)
            data = tail or stream.read(_CHUNK)
            if not data:
                uri = fields.get("warc-target-uri") if fields else None
                return None, [Problem(path, offset, uri, "cut short (the file ends inside it)")]
        if fields is None:
            return following, [Problem(path, offset, None, "not a WARC record")]
        if kept is None:
            if self.max_size and size > self.max_size + _HEAD and self._is_ours(fields):
                reason = f"over {size - _HEAD} bytes, over DOWNLOAD_MAXSIZE ({self.max_size})"
                return following, [Problem(path, offset, fields.get("warc-target-uri"), reason, "download")]
            return following, []
        return following, list(self._records_in(b"".join(kept), offset, fields.get("warc-target-uri")))

    def _is_ours(self, fields: dict[str, str]) -> bool:
        return fields.get("warc-type") == "response" and self.owned(fields.get("warc-target-uri", ""))


def _next_member(stream, position: int, end: int) -> int | None:
    """The offset of the first gzip member opening on a WARC record at or after ``position``
    and before ``end``; None if there is none."""
    base = position
    while base < end:
        stream.seek(base)
        data = stream.read(_CHUNK + 2)
        if len(data) < 3:
            return None
        at = data.find(_MAGIC)
        while at != -1 and base + at < end:
            if _opens_a_record(stream, base + at):
                return base + at
            at = data.find(_MAGIC, at + 1)
        if at != -1:
            return None  # past the end
        base += len(data) - 2
    return None


def _opens_a_record(stream, offset: int) -> bool:
    stream.seek(offset)
    try:
        return zlib.decompressobj(31).decompress(stream.read(4096), 8).startswith(b"WARC/")
    except zlib.error:
        return False


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
    body = record.content_stream().read()
    http = record.http_headers
    return SavedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        status=int(http.get_statuscode() or 200),
        headers=[(k, v) for k, v in http.headers if k.lower() not in TRANSFER_HEADERS],
        body=body,
        fetched_at=parse_stamp(record.rec_headers.get_header("WARC-Date")),
    )
