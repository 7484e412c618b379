"""The recorder: responses appended to a gzipped WARC, with its side index beside it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from clippings.core.stamps import utc_stamp
from clippings.replay.index import read_side_index, scan_gzipped_records, side_index_line, side_index_path
from clippings.replay.responses import TRANSFER_HEADERS, SavedResponse

logger = logging.getLogger("clippings.replay")


class WarcRecorder:
    """Appends responses to a gzipped WARC that ``WarcStore`` (and other WARC tools) read back."""

    def __init__(self, path: str | Path) -> None:
        from warcio.warcwriter import WARCWriter

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        gzipped = str(self.path).endswith(".gz")
        if gzipped:
            self._set_cut_tail_aside()
        self._stream = self.path.open("ab")
        self._writer = WARCWriter(self._stream, gzip=gzipped)
        self._side = self._open_side_index() if gzipped else None

    def _set_cut_tail_aside(self) -> None:
        """A recording killed inside a record leaves its last gzip member cut short; records
        appended after it would follow a member no reader decodes. Its bytes (no whole
        response) are moved to ``FILE.cut-<offset>``, said in a WARNING, and the file ends
        after its whole records, their side index with them."""
        try:
            if self.path.stat().st_size == 0:
                return
            scan = scan_gzipped_records(self.path, read_side_index(self.path))
        except OSError:
            return  # a new file, or one that cannot be read: opening it says so
        if scan is None or scan.cut is None:
            return
        cut, aside = scan.cut, self.path.with_name(f"{self.path.name}.cut-{scan.cut}")
        with self.path.open("r+b") as stream:
            stream.seek(cut)
            aside.write_bytes(stream.read())
            stream.truncate(cut)
        logger.warning(
            "%s: its last record (from byte %d) was cut short by a killed recording: its bytes"
            " moved to %s, recording goes on after the %d whole records",
            self.path,
            cut,
            aside.name,
            len(scan.records),
        )
        side, end, lines = side_index_path(self.path), 0, []
        for uri, offset, length in scan.records:
            if offset != end:
                break
            lines.append(side_index_line(uri, offset, length))
            end = offset + length
        if end == cut:
            side.write_text("".join(lines), encoding="utf-8")
        else:  # records of other kinds between them: readers scan the file
            side.unlink(missing_ok=True)

    def _open_side_index(self):  # -> a text file, or None
        """The side index to append to: a new one for a new WARC, the existing one if it
        lists every record already in the file; else none (readers scan the file)."""
        side = side_index_path(self.path)
        size = self._stream.tell()
        try:
            if size == 0:
                return side.open("w", encoding="utf-8")
            try:
                text = side.read_bytes()
            except FileNotFoundError:  # an older recording: replays scan it
                return None
            listed = read_side_index(self.path, text)
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
        headers = [(k, v) for k, v in response.headers if k.lower() not in TRANSFER_HEADERS]
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
            self._side.write(side_index_line(response.url, start, self._stream.tell() - start))

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
