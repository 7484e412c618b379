"""Saved responses: the fixtures folder and WARC files, read back as if from the network.

A store maps URLs to saved responses. ``open_store`` picks the kind from the path; the
Scrapy side (``clippings.middlewares.ReplayMiddleware``) answers requests from it.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from clippings.stamps import utc_stamp

logger = logging.getLogger(__name__)

# Headers describing the transfer, not the content: the body is stored decoded.
_TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


class ReplaySourceError(ValueError):
    """The replay source cannot be read (missing, not a fixtures folder, broken WARC)."""


@dataclass(frozen=True)
class SavedResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime | None


def url_key(url: str) -> str:
    """The lookup key of a URL: canonical form, fragment dropped, query sorted."""
    return canonicalize_url(url.strip(), keep_fragments=False)


def parse_stamp(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class FixtureStore:
    """``fixtures/<site>/<name>/meta.json`` (+ body file), as fixtures/README.md describes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._index: dict[str, Path] = {}
        for meta_path in sorted(root.glob("**/meta.json")):
            try:
                meta = json.loads(meta_path.read_text("utf-8"))
                url = meta["url"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ReplaySourceError(f"{meta_path}: unreadable fixture meta ({exc})") from None
            self._index[url_key(url)] = meta_path
        if not self._index:
            raise ReplaySourceError(f"{root}: no fixtures (no */meta.json below it)")

    def __len__(self) -> int:
        return len(self._index)

    def urls(self) -> Iterator[str]:
        for meta_path in self._index.values():
            yield json.loads(meta_path.read_text("utf-8"))["url"]

    def get(self, url: str) -> SavedResponse | None:
        meta_path = self._index.get(url_key(url))
        if meta_path is None:
            return None
        meta = json.loads(meta_path.read_text("utf-8"))
        body_name = meta.get("body")
        body = (meta_path.parent / body_name).read_bytes() if body_name else b""
        headers = [(str(k), str(v)) for k, v in (meta.get("headers") or {}).items()]
        return SavedResponse(
            url=meta["url"],
            status=int(meta.get("status", 200)),
            headers=headers,
            body=body,
            fetched_at=parse_stamp(meta.get("fetched_at")),
        )


class WarcStore:
    """Response records of a WARC file (plain or gzipped), indexed by target URI.

    Only offsets are kept in memory; a record is read when it is asked for. When a URL was
    captured more than once, the last capture wins; a URL asked for in another form (another
    escaping, query order, a fragment) finds its capture by its canonical form. A record
    with a plain HTTP payload (what ``WarcRecorder`` writes) is read by slicing its bytes;
    one whose payload is chunked or compressed (other tools' WARCs) is read through warcio,
    which decodes it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        # Each captured URL, as written, to its record: a crawl asks for URLs as they were
        # captured (Scrapy's form, which the recorder writes), and canonicalising every URL
        # (w3lib) would cost more than the rest of the index. The canonical keys are
        # computed the first time a URL is asked for in another form (other tools' WARCs).
        self._by_uri: dict[str, tuple[int, int]] = {}
        self._by_key: dict[str, tuple[int, int]] | None = None
        try:
            scanned = _scan_gzipped_records(path, _read_side_index(path))
            if scanned is None:  # not one gzip member a record: warcio reads it
                records = _scan_with_warcio(path)
            else:
                records, cut = scanned
                if cut is not None:
                    logger.warning(
                        "%s: the last record (from byte %d) is cut short, as a killed recording"
                        " leaves it; replaying the %d whole ones", path, cut, len(records),
                    )
            for uri, offset, length in records:
                self._by_uri[uri] = (offset, length)
        except (OSError, ArchiveLoadFailed, ValueError) as exc:
            raise ReplaySourceError(f"{path}: not a readable WARC file ({' '.join(str(exc).split())})") from None
        if not self._by_uri:
            raise ReplaySourceError(f"{path}: no response records in this WARC file")

    def __len__(self) -> int:
        return len(self._by_uri)

    def _locate(self, url: str) -> tuple[int, int] | None:
        found = self._by_uri.get(url)
        if found is None:
            if self._by_key is None:
                self._by_key = {url_key(uri): place for uri, place in self._by_uri.items()}
            found = self._by_key.get(url_key(url))
        return found

    def urls(self) -> Iterator[str]:
        with self.path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response" and record.http_headers is not None:
                    yield record.rec_headers.get_header("WARC-Target-URI")

    def get(self, url: str) -> SavedResponse | None:
        found = self._locate(url)
        if found is None:
            return None
        offset, length = found
        with open(self.path, "rb") as stream:
            stream.seek(offset)
            raw = stream.read(length)
        return _plain_record(raw) or self._read_with_warcio(offset)

    def _read_with_warcio(self, offset: int) -> SavedResponse:
        with self.path.open("rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            body = record.content_stream().read()
            http = record.http_headers
            headers = [(k, v) for k, v in http.headers if k.lower() not in _TRANSFER_HEADERS]
            return SavedResponse(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=int(http.get_statuscode() or 200),
                headers=headers,
                body=body,
                fetched_at=parse_stamp(record.rec_headers.get_header("WARC-Date")),
            )


def _scan_with_warcio(path: Path) -> list[tuple[str, int, int]]:
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


def _scan_gzipped_records(
    path: Path, known: list[tuple[str, int, int]] | None = None
) -> tuple[list[tuple[str, int, int]], int | None] | None:
    """What ``_scan_with_warcio`` finds, for the usual WARC of one gzip member a record,
    and the offset of a last member cut short (a recording killed mid-write), if any.

    Faster: each member is inflated in C and only its WARC header is parsed. None when the
    file is anything else (a plain WARC, one gzip stream for the whole file, a member that
    holds more or less than one record), which warcio then reads. ``known``: the records a
    side index lists from the start of the file, one after another; only what follows them
    is read.
    """
    found = list(known or [])
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
            start, head, size = offset, b"", 0
            while True:
                try:
                    out = inflater.decompress(pending)
                except zlib.error:
                    return None
                size += len(out)
                if len(head) < _SCAN_CHUNK:
                    head += out
                if inflater.eof:
                    offset += len(pending) - len(inflater.unused_data)
                    pending = inflater.unused_data or stream.read(_SCAN_CHUNK)
                    break
                offset += len(pending)
                pending = stream.read(_SCAN_CHUNK)
                if not pending:
                    return found, start
            record = _record_header(head, size)
            if record is None:
                return None
            uri, is_response = record
            if is_response and uri:
                found.append((uri, start, offset - start))
    return found, None


# Beside each gzipped WARC it writes, WarcRecorder keeps a side index, FILE.warc.gz + this
# suffix: a header line, then one JSON line [target URI, offset, length] per record, so
# that a replay of a large recording need not inflate every record to find where each one
# starts (about 0.12 ms a record: 1.2 s for 10,000 pages, on one core, before the first
# request). The WARC stays the truth: a side index is used only as far as its entries
# follow one another from the file's start, fit inside the file and name the records found
# at their offsets (the first and the last are checked); what follows is scanned as usual.
SIDE_INDEX_SUFFIX = ".clippings-index"
_SIDE_INDEX_HEADER = '{"clippings-warc-index": 1, "fields": ["target-uri", "offset", "length"]}'


def side_index_path(path: Path) -> Path:
    return path.with_name(path.name + SIDE_INDEX_SUFFIX)


def _read_side_index(path: Path, text: bytes | None = None) -> list[tuple[str, int, int]] | None:
    """The records the side index of the WARC ``path`` lists and the WARC agrees with; None
    if there is no usable one (missing, another format, naming records that are not there).
    ``text``: the side index's bytes, when the caller has read them already."""
    try:
        lines = (side_index_path(path).read_bytes() if text is None else text).split(b"\n")
        size = path.stat().st_size
    except OSError:
        return None
    if not lines or lines[0].decode("utf-8", "replace") != _SIDE_INDEX_HEADER:
        return None
    found: list[tuple[str, int, int]] = []
    end = 0
    for line in lines[1:]:
        try:
            uri, offset, length = json.loads(line)
        except (ValueError, TypeError):
            break  # the end, or a line cut short by a killed recording: what precedes holds
        if not (isinstance(uri, str) and isinstance(offset, int) and isinstance(length, int)):
            break
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
            header = _warc_header(head)
            if header is None or header[0]["warc-target-uri"] != uri:
                logger.warning("%s: its side index does not match it; reading the WARC whole", path)
                return None
    return found


def _warc_header(raw: bytes) -> tuple[dict[str, str], int, bytes] | None:
    """The header of the WARC record ``raw`` starts with: its fields (names in lower case, the
    target URI as text), its Content-Length, and the bytes after it; None if there is none."""
    head, sep, rest = raw.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"WARC/"):
        return None
    fields = {name.lower(): value for name, value in _header_lines(head)}
    try:
        length = int(fields["content-length"])
    except (KeyError, ValueError):
        return None
    fields["warc-target-uri"] = _decoded(fields.get("warc-target-uri", ""))
    return fields, length, rest


def _record_header(head: bytes, size: int) -> tuple[str, bool] | None:
    """(target URI, is an HTTP response) of the one WARC record a member of ``size``
    inflated bytes holds, from its first bytes ``head``; None if it is not one record."""
    header = _warc_header(head)
    if header is None:
        return None
    fields, length, rest = header
    if len(head) - len(rest) + length + 4 != size:  # header, content, closing CRLF CRLF
        return None
    is_response = fields.get("warc-type") == "response" and fields.get("content-type", "").startswith("application/http")
    return fields["warc-target-uri"], is_response


def _decoded(value: str) -> str:
    """A header value read as latin-1, as the UTF-8 text it most likely is (as warcio reads it)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _header_lines(block: bytes) -> list[tuple[str, str]]:
    pairs = []
    for line in block.decode("latin-1").split("\r\n"):
        name, sep, value = line.partition(":")
        if sep:
            pairs.append((name.strip(), value.strip()))
    return pairs


def _plain_record(raw: bytes) -> SavedResponse | None:
    """A WARC response record whose HTTP payload is stored as is; None for anything else."""
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = zlib.decompressobj(31).decompress(raw)
        except zlib.error:
            return None
    header = _warc_header(raw)
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
    headers = _header_lines(header_block)
    names = {k.lower() for k, _ in headers}
    if "content-encoding" in names or "transfer-encoding" in names:
        return None
    return SavedResponse(
        url=warc["warc-target-uri"],
        status=int(parts[1]),
        headers=[(k, v) for k, v in headers if k.lower() not in _TRANSFER_HEADERS],
        body=body,
        fetched_at=parse_stamp(warc.get("warc-date")),
    )


def open_store(source: str | Path) -> FixtureStore | WarcStore:
    """The store behind a ``--replay`` SOURCE: a fixtures folder or a WARC file.

    Indexing a WARC reads it whole, so a WARC's index is built once per process and file
    version (the command checks the source, then each site's crawl opens it).
    """
    path = Path(source)
    if path.is_dir():
        return FixtureStore(path)
    if not path.is_file():
        raise ReplaySourceError(f"{path}: no such file or folder")
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    store = _opened_warcs.get(key)
    if store is None:
        store = WarcStore(path)
        if len(_opened_warcs) >= 4:
            _opened_warcs.pop(next(iter(_opened_warcs)))
        _opened_warcs[key] = store
    return store


_opened_warcs: dict[tuple[str, int, int], WarcStore] = {}


class WarcRecorder:
    """Appends responses to a gzipped WARC that ``WarcStore`` (and other WARC tools) read back."""

    def __init__(self, path: str | Path) -> None:
        from warcio.warcwriter import WARCWriter

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._stream = self.path.open("ab")
        gzipped = str(self.path).endswith(".gz")
        self._writer = WARCWriter(self._stream, gzip=gzipped)
        self._side = self._open_side_index() if gzipped else None

    def _open_side_index(self):  # -> a text file, or None
        """The side index to append to: a new one for a new WARC, the existing one if it
        lists every record already in the file; else none (readers scan the file)."""
        side = side_index_path(self.path)
        size = self._stream.tell()
        try:
            if size == 0:
                handle = side.open("w", encoding="utf-8")
                handle.write(_SIDE_INDEX_HEADER + "\n")
                return handle
            try:
                text = side.read_bytes()
            except FileNotFoundError:  # an older recording: replays scan it
                return None
            listed = _read_side_index(self.path, text)
            if listed and listed[-1][1] + listed[-1][2] == size and text.endswith(b"\n"):
                return side.open("a", encoding="utf-8")
        except OSError as exc:
            logger.warning("%s: cannot write its side index (%s); replays will scan it", self.path, exc.strerror or exc)
        return None

    def write(self, response: SavedResponse) -> None:
        from http import HTTPStatus
        from io import BytesIO

        from warcio.statusandheaders import StatusAndHeaders

        try:
            phrase = HTTPStatus(response.status).phrase
        except ValueError:
            phrase = "Unknown"
        headers = [(k, v) for k, v in response.headers if k.lower() not in _TRANSFER_HEADERS]
        headers.append(("Content-Length", str(len(response.body))))
        http_headers = StatusAndHeaders(f"{response.status} {phrase}", headers, protocol="HTTP/1.1")
        moment = response.fetched_at or datetime.now(UTC)
        start = self._stream.tell()
        record = self._writer.create_warc_record(
            response.url,
            "response",
            payload=BytesIO(response.body),
            length=len(response.body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": utc_stamp(moment)},
        )
        self._writer.write_record(record)
        if self._side is not None:
            entry = [response.url, start, self._stream.tell() - start]
            self._side.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        """Push written records to the file (a killed crawl leaves whole records behind)."""
        self._stream.flush()
        if self._side is not None:
            self._side.flush()

    def close(self) -> None:
        self._stream.flush()
        self._stream.close()
        if self._side is not None:
            self._side.close()

    def __enter__(self) -> WarcRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def copy_store(store: FixtureStore | WarcStore, target: str | Path) -> int:
    """Write every response of a store into a WARC file; returns how many."""
    count = 0
    with WarcRecorder(target) as recorder:
        for url in store.urls():
            saved = store.get(url)
            if saved is not None:
                recorder.write(saved)
                count += 1
    return count
