"""WARC files cut into shards by byte range (their records read back by ``reader``). No Scrapy.

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
from pathlib import Path

from warcio.exceptions import ArchiveLoadFailed

from clippings.replay.index import read_side_index, scan_with_warcio, warc_header

# Records of our sites in a listed shard, and bytes of file in a range shard: a shard is
# some seconds of a worker's time at most, so that a lost worker costs little, and a few
# dozen of them keep every worker busy.
SHARD_RECORDS = 50


SHARD_BYTES = 512 << 10


CHUNK = 1 << 16


MAGIC = b"\x1f\x8b\x08"


HEAD_LIMIT = 1 << 16  # a WARC header longer than this is not one


INFLATE_LIMIT = 1 << 20  # most bytes inflated at once


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
        first = stream.read(CHUNK)
        if not first:
            return True  # empty: no shards
        if first[:3] != MAGIC:
            if first.startswith(b"WARC/"):
                return False
            raise ArchiveError(f"{path}: not a WARC file (neither gzip nor a WARC record at its start)")
        inflater = zlib.decompressobj(31)
        out = b""
        pending = first
        while True:
            try:
                out += inflater.decompress(pending, HEAD_LIMIT * 4 - len(out))
            except zlib.error as exc:
                raise ArchiveError(f"{path}: not a readable WARC file (gzip: {exc})") from None
            header = warc_header(out)
            if header is not None:
                _fields, length, rest = header
                whole = len(out) - len(rest) + length + 4
                # One record a member: the member ends right after the record's content.
                return member_size(inflater, pending, stream, out) == whole
            if len(out) >= HEAD_LIMIT or inflater.eof:
                raise ArchiveError(f"{path}: not a WARC file (its first gzip member holds no WARC record)")
            pending = inflater.unconsumed_tail or stream.read(CHUNK)
            if not pending:
                raise ArchiveError(f"{path}: not a readable WARC file (cut short in its first record)")


def member_size(inflater, pending: bytes, stream, out: bytes) -> int:
    """Inflated size of the member being read, ``out`` its start (the rest is not kept)."""
    size = len(out)
    data = inflater.unconsumed_tail
    while not inflater.eof:
        if not data:
            data = stream.read(CHUNK)
            if not data:
                return -1  # cut short
        try:
            size += len(inflater.decompress(data, CHUNK * 16))
        except zlib.error:
            return -1
        data = inflater.unconsumed_tail
    return size
