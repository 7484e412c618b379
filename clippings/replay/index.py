"""Where each response record of a WARC file is: scanned from its gzip members, read with
warcio, or taken from the recorder's side index as far as the WARC agrees with it; and the
few headers of a record read without warcio."""

from __future__ import annotations

import json
import logging
import zlib
from pathlib import Path
from typing import BinaryIO, NamedTuple

from warcio.archiveiterator import ArchiveIterator

from clippings.replay.responses import TRANSFER_HEADERS, SavedResponse, parse_stamp

logger = logging.getLogger("clippings.replay")


def scan_with_warcio(path: Path) -> list[tuple[str, int, int]]:
    """(target URI, offset, length) of each HTTP response record, as warcio finds them."""
    found = []
    with path.open("rb") as stream:
        records = ArchiveIterator(stream, no_record_parse=True)
        for record in records:
            uri = record.rec_headers.get_header("WARC-Target-URI")
            is_http = (record.rec_headers.get_header("Content-Type") or "").startswith("application/http")
            if record.rec_type == "response" and uri and is_http:
                records.read_to_end(record)
                found.append((uri, records.get_record_offset(), records.get_record_length()))
    return found


_SCAN_CHUNK = 1 << 16
_MAGIC = b"\x1f\x8b\x08"  # a gzip member, deflated


class Scan(NamedTuple):
    """What ``scan_gzipped_records`` found: each response record's (target URI, offset,
    length); the offsets of members that do not decode, the next record found after each
    (a recording killed mid-record, then appended to); the offset of a last member cut
    short by the end of the file (a recording killed mid-write), if any; and the offsets of
    records whose member is longer or shorter than their Content-Length says (another tool's
    error), with by how much: a longer one is read to its Content-Length (as warcio and
    reextract read it), a shorter one is not in ``records``."""

    records: list[tuple[str, int, int]]
    broken: list[int]
    cut: int | None
    misfits: tuple[tuple[int, int], ...] = ()


def scan_gzipped_records(path: Path, known: list[tuple[str, int, int]] | None = None) -> Scan | None:
    """What ``scan_with_warcio`` finds, for the usual WARC of one gzip member a record, and
    the members no reader can use (``Scan``).

    Faster: each member is inflated in C and only its WARC header is parsed. None when the
    file is anything else (a plain WARC, one gzip stream for the whole file, a member that
    holds more or less than one record), which warcio then reads. ``known``: the records a
    side index lists from the start of the file, one after another; only what follows them
    is read.
    """
    found = list(known or [])
    broken: list[int] = []
    misfits: list[tuple[int, int]] = []
    with path.open("rb") as stream:
        offset = found[-1][1] + found[-1][2] if found else 0
        stream.seek(offset)
        pending = stream.read(_SCAN_CHUNK)
        if pending and pending[:2] != b"\x1f\x8b":
            return None
        if not pending and not found:
            return None
        while pending:
            inflater = zlib.decompressobj(31)
            start, head, size, end, probe = offset, b"", 0, None, b""
            while True:
                try:
                    out = inflater.decompress(pending)
                except zlib.error:
                    out = None
                if out is None or (not inflater.eof and not (more := stream.read(_SCAN_CHUNK))):
                    # It does not decode, or the file ends inside it: a record opening after its
                    # start says it was broken (a killed recording appended to), else it is cut.
                    later = next_member(stream, start + 1, stream.seek(0, 2))
                    if later is None:
                        if out is None and not (found or broken):
                            return None  # no gzip member a record: warcio's to read
                        return Scan(found, broken, start, tuple(misfits))
                    broken.append(start)
                    offset = later
                    stream.seek(later)
                    pending = stream.read(_SCAN_CHUNK)
                    break
                before, size = size, size + len(out)
                if len(head) < _SCAN_CHUNK:
                    head += out
                if end is None and (header := warc_header(head)) is not None:
                    end = len(head) - len(header[2]) + header[1]  # where the record's content ends
                if end is not None and before < end + 64 and size > end:  # what follows its content
                    probe += out[max(0, end - before) : end + 64 - before]
                if inflater.eof:
                    offset += len(pending) - len(inflater.unused_data)
                    pending = inflater.unused_data or stream.read(_SCAN_CHUNK)
                    record = record_header(head, size)
                    if record is None:
                        return None
                    uri, is_response, extra = record
                    if extra and (extra < 0 or extra >= 60 or probe.strip(b"\r\n")):  # not just line ends
                        if probe[4:].lstrip(b"\r\n").startswith(b"WARC/"):  # several records: warcio's
                            return None
                        misfits.append((start, extra))
                        is_response = is_response and extra >= -4  # its content whole
                    if is_response and uri:
                        found.append((uri, start, offset - start))
                    break
                offset += len(pending)
                pending = more
    return Scan(found, broken, None, tuple(misfits))


def next_member(stream: BinaryIO, position: int, end: int) -> int | None:
    """The offset of the first gzip member opening on a WARC record at or after ``position``
    and before ``end``; None if there is none."""
    base = position
    while base < end:
        stream.seek(base)
        data = stream.read(_SCAN_CHUNK + 2)
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


def _opens_a_record(stream: BinaryIO, offset: int) -> bool:
    stream.seek(offset)
    try:
        return zlib.decompressobj(31).decompress(stream.read(4096), 8).startswith(b"WARC/")
    except zlib.error:
        return False


# Beside each gzipped WARC it writes, WarcRecorder keeps a side index, FILE.warc.gz + this
# suffix: a header line, then one JSON line [target URI, offset, length] per record, so
# that a replay of a large recording need not inflate every record to find where each one
# starts (about 0.12 ms a record: 1.2 s for 10,000 pages, on one core, before the first
# request). The WARC stays the truth: a side index is used only as far as its entries
# follow one another from the file's start, fit inside the file and name the records found
# at their offsets (the first and the last are checked); what follows is scanned as usual.
SIDE_INDEX_SUFFIX = ".index.jsonl"
# The side index is what ``warcio index -f warc-type,warc-target-uri,offset,length FILE``
# prints: a JSON object a record, its values strings, in this order.
SIDE_INDEX_FIELDS = ("warc-type", "warc-target-uri", "offset", "length")


def side_index_path(path: Path) -> Path:
    return path.with_name(path.name + SIDE_INDEX_SUFFIX)


def side_index_line(uri: str, offset: int, length: int) -> str:
    """One record's line, byte for byte as ``warcio index`` writes it."""
    values = ("response", uri, str(offset), str(length))
    return json.dumps(dict(zip(SIDE_INDEX_FIELDS, values, strict=True))) + "\n"


def _entry(line: bytes) -> tuple[str, int, int] | None:
    try:
        fields = json.loads(line)
        uri, offset, length = fields["warc-target-uri"], int(fields["offset"]), int(fields["length"])
    except (ValueError, TypeError, KeyError):
        return None
    if fields.get("warc-type") != "response" or not isinstance(uri, str):
        return None
    return uri, offset, length


def read_side_index(path: Path, text: bytes | None = None) -> list[tuple[str, int, int]] | None:
    """The records the side index of the WARC ``path`` lists and the WARC agrees with; None
    if there is no usable one (missing, another format, naming records that are not there).
    ``text``: the side index's bytes, when the caller has read them already."""
    try:
        lines = (side_index_path(path).read_bytes() if text is None else text).split(b"\n")
        size = path.stat().st_size
    except OSError:
        return None
    found: list[tuple[str, int, int]] = []
    end = 0
    for line in lines:
        entry = _entry(line)
        if entry is None:
            break  # the end, or a line cut short by a killed recording: what precedes holds
        uri, offset, length = entry
        if offset != end or length <= 0:
            break
        if offset + length > size:
            break
        found.append((uri, offset, length))
        end = offset + length
    if not found:
        return None
    with path.open("rb") as stream:
        for uri, offset, length in {found[0], found[-1]}:
            stream.seek(offset)
            try:
                head = zlib.decompressobj(31).decompress(stream.read(length), _SCAN_CHUNK)
            except zlib.error:
                head = b""
            header = warc_header(head)
            if header is None or header[0]["warc-target-uri"] != uri:
                logger.warning("%s: its side index does not match it; reading the WARC whole", path)
                return None
    return found


def warc_header(raw: bytes) -> tuple[dict[str, str], int, bytes] | None:
    """The header of the WARC record ``raw`` starts with: its fields (names in lower case, the
    target URI as text), its Content-Length, and the bytes after it; None if there is none."""
    head, sep, rest = raw.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"WARC/"):
        return None
    fields = {name.lower(): value for name, value in header_lines(head)}
    try:
        length = int(fields["content-length"])
    except (KeyError, ValueError):
        return None
    uri = decoded(fields.get("warc-target-uri", ""))  # Wget 1.19 wrote it in <>, as warcio reads it
    fields["warc-target-uri"] = uri[1:-1] if uri[:1] == "<" and uri[-1:] == ">" else uri
    return fields, length, rest


def record_header(head: bytes, size: int) -> tuple[str, bool, int] | None:
    """(target URI, is an HTTP response, bytes the member of ``size`` inflated bytes holds
    beyond the record's header, Content-Length and closing CRLF CRLF: 0 for one record) of
    the WARC record whose first bytes are ``head``; None if it starts with none."""
    header = warc_header(head)
    if header is None:
        return None
    fields, length, rest = header
    is_response = fields.get("warc-type") == "response" and fields.get("content-type", "").startswith(
        "application/http"
    )
    return fields["warc-target-uri"], is_response, size - (len(head) - len(rest) + length + 4)


def decoded(value: str) -> str:
    """A header value read as latin-1, as the UTF-8 text it most likely is (as warcio reads it)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def header_lines(block: bytes) -> list[tuple[str, str]]:
    pairs = []
    for line in block.decode("latin-1").split("\r\n"):
        name, sep, value = line.partition(":")
        if sep:
            pairs.append((name.strip(), value.strip()))
    return pairs


def plain_record(raw: bytes) -> SavedResponse | None:
    """A WARC response record whose HTTP payload is stored as is; None for anything else."""
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = zlib.decompressobj(31).decompress(raw)
        except zlib.error:
            return None
    header = warc_header(raw)
    if header is None:
        return None
    warc, length, rest = header
    http_head, sep, body = rest[:length].partition(b"\r\n\r\n")
    if not sep:
        return None
    status_line, _, header_block = http_head.partition(b"\r\n")
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        return None
    headers = header_lines(header_block)
    names = {k.lower() for k, _ in headers}
    if "content-encoding" in names or "transfer-encoding" in names:
        return None
    return SavedResponse(
        url=warc["warc-target-uri"],
        status=int(parts[1]),
        headers=[(k, v) for k, v in headers if k.lower() not in TRANSFER_HEADERS],
        body=body,
        fetched_at=parse_stamp(warc.get("warc-date")),
    )
