"""The stores a replay answers from: a fixtures folder, or a WARC file indexed once."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from clippings.replay.fixture import Fixture, FixtureError, read_meta
from clippings.replay.index import (
    plain_record,
    read_side_index,
    scan_gzipped_records,
    scan_with_warcio,
)
from clippings.replay.recorder import WarcRecorder
from clippings.replay.responses import (
    TRANSFER_HEADERS,
    ReplaySourceError,
    SavedResponse,
    parse_stamp,
    payload,
    url_key,
)

logger = logging.getLogger("clippings.replay")


class FixtureStore:
    """``fixtures/<site>/<name>/meta.json`` (+ body file), as fixtures/README.md describes:
    each folder read as a ``Fixture`` when its URL is asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._index: dict[str, tuple[str, Path]] = {}
        for meta_path in sorted(root.glob("**/meta.json")):
            try:
                url = read_meta(meta_path.parent, required=("url",))["url"]
            except FixtureError as exc:
                raise ReplaySourceError(f"unreadable fixture meta: {exc}") from None
            key = url_key(url)
            if key in self._index:  # one would silently hide the other
                raise ReplaySourceError(
                    f"{self._index[key][1]} and {meta_path.parent}: two fixtures of the same URL {url}; keep one"
                )
            self._index[key] = (url, meta_path.parent)
        if not self._index:
            raise ReplaySourceError(f"{root}: no fixtures (no */meta.json below it)")

    def __len__(self) -> int:
        return len(self._index)

    def urls(self) -> Iterator[str]:
        for url, _ in self._index.values():
            yield url

    def responses(self) -> Iterator[SavedResponse]:
        for url in self.urls():
            yield self.get(url)

    def get(self, url: str) -> SavedResponse | None:
        found = self._index.get(url_key(url))
        if found is None:
            return None
        return Fixture.load(found[1], required=("url",)).response()


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
        for uri, offset, length in self._records(say=True):
            self._by_uri[uri] = (offset, length)
        if not self._by_uri:
            raise ReplaySourceError(f"{path}: no response records in this WARC file")

    def _records(self, say: bool) -> list[tuple[str, int, int]]:
        """(target URI, offset, length) of each response record, every capture, in file
        order; ``say``: the records left out or read in part named in WARNING lines."""
        path = self.path
        try:
            scanned = scan_gzipped_records(path, read_side_index(path))
            if scanned is None:  # not one gzip member a record: warcio reads it
                return scan_with_warcio(path)
            records, broken, cut, misfits = scanned
        except (OSError, ArchiveLoadFailed, ValueError) as exc:
            raise ReplaySourceError(f"{path}: not a readable WARC file ({' '.join(str(exc).split())})") from None
        if say:
            for offset, extra in misfits:
                logger.warning(
                    "%s: the record at byte %d is %d bytes %s than its Content-Length says; %s",
                    path,
                    offset,
                    abs(extra),
                    "longer" if extra > 0 else "shorter",
                    "read to its Content-Length" if extra >= -4 else "skipped",
                )
            for offset in broken:
                logger.warning(
                    "%s: the record at byte %d does not decode (cut short by a killed recording,"
                    " then appended to?); skipped, the records after it replayed",
                    path,
                    offset,
                )
            if cut is not None:
                logger.warning(
                    "%s: the last record (from byte %d) is cut short, as a killed recording"
                    " leaves it; replaying the %d whole ones",
                    path,
                    cut,
                    len(records),
                )
        return records

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
        """The target URI of every response record, each capture, in file order."""
        for uri, _, _ in self._records(say=False):
            yield uri

    def get(self, url: str) -> SavedResponse | None:
        found = self._locate(url)
        if found is None:
            return None
        offset, length = found
        try:
            return plain_record(self._read(offset, length)) or self._read_with_warcio(offset)
        except ValueError as exc:  # a payload that cannot be decoded: answered as missing
            logger.warning("%s: the record at byte %d (%s) cannot be read: %s", self.path, offset, url, exc)
            return None

    def responses(self) -> Iterator[SavedResponse]:
        """Every response record, each capture of a URL, in file order (what ``get`` answers
        is the last capture); one that cannot be read is named in a WARNING and left out."""
        for uri, offset, length in self._records(say=False):
            try:
                yield plain_record(self._read(offset, length)) or self._read_with_warcio(offset)
            except Exception as exc:  # warcio's errors are of many kinds
                logger.warning(
                    "%s: the record at byte %d (%s) cannot be read (%s); left out", self.path, offset, uri, exc
                )

    def _read(self, offset: int, length: int) -> bytes:
        """The ``length`` bytes from ``offset`` (fewer at the end of the file), read without
        a buffered file object: one record a request."""
        fd = os.open(self.path, os.O_RDONLY)
        try:
            parts = []
            while length > 0:
                part = os.pread(fd, length, offset)
                if not part:
                    break
                parts.append(part)
                offset += len(part)
                length -= len(part)
            return b"".join(parts)
        finally:
            os.close(fd)

    def _read_with_warcio(self, offset: int) -> SavedResponse:
        with self.path.open("rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            body = payload(record)
            http = record.http_headers
            headers = [(k, v) for k, v in http.headers if k.lower() not in TRANSFER_HEADERS]
            return SavedResponse(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=int(http.get_statuscode() or 200),
                headers=headers,
                body=body,
                fetched_at=parse_stamp(record.rec_headers.get_header("WARC-Date")),
            )


def open_store(source: str | Path) -> FixtureStore | WarcStore:
    """The store behind a ``--replay`` SOURCE: a fixtures folder or a WARC file.

    Indexing a WARC reads it whole: the crawls of one process keep theirs open through
    ``clippings.crawl.resources.Shared.store``, once per file version.
    """
    path = Path(source)
    if path.is_dir():
        return FixtureStore(path)
    if not path.is_file():
        raise ReplaySourceError(f"{path}: no such file or folder")
    return WarcStore(path)


def copy_store(store: FixtureStore | WarcStore, target: str | Path) -> int:
    """Write every response of a store into a WARC file; returns how many."""
    count = 0
    with WarcRecorder(target) as recorder:
        for saved in store.responses():
            recorder.write(saved)
            count += 1
    return count
