"""``clippings export DIR --to FILE``: the collection as typed tables, through DuckDB.

The JSON-lines files are read, never changed. Each line is checked as ``clippings validate``
checks it (the schema of the version it declares); a bad line is skipped, named
(``FILE:LINE: reason``) and counted. Good lines are read as schema 2.0 (``as_current``) and
typed by DuckDB: ``published``, ``modified``, ``fetched_at`` TIMESTAMPTZ, ``published_date``
DATE, ``authors`` and ``tags`` VARCHAR[], ``image`` STRUCT(url, caption), ``word_count``
INTEGER, the rest VARCHAR, whatever the values: ``published_raw`` and ``modified_raw`` are
VARCHAR even when every one of them looks like an instant (DuckDB's own guess would drift with
the data).

By default one row per article (site and article id): its latest line, by ``fetched_at``
then by file order (files in name order, lines in order). ``all_versions`` keeps every line,
numbered ``version`` 1, 2... in that order.

Targets: ``FILE.parquet``; ``FILE.duckdb`` (tables ``articles`` and ``runs``, the run
history, and the view ``latest``: one row per article, its latest line, also when
``articles`` holds every version); ``FOLDER/``, Parquet partitioned Hive-style by ``site`` and ``month``
(``YYYY-MM`` of ``published_date``, else of the fetch). Each is written beside the target
under a temporary name, then renamed over it: a reader sees the old export or the new one.
Imports no Scrapy.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from clippings.collection.validate import jsonl_files, read_lines
from clippings.core.contract import as_current
from clippings.core.items import OUTPUT_FIELDS

# DuckDB's type of every output field; what is not named here is VARCHAR.
TYPES: dict[str, str] = {
    "authors": "VARCHAR[]",
    "tags": "VARCHAR[]",
    "published": "TIMESTAMPTZ",
    "published_date": "DATE",
    "modified": "TIMESTAMPTZ",
    "word_count": "INTEGER",
    "image": "STRUCT(url VARCHAR, caption VARCHAR)",
    "fetched_at": "TIMESTAMPTZ",
}
COLUMNS: dict[str, str] = {name: TYPES.get(name, "VARCHAR") for name in OUTPUT_FIELDS}
_ORDER = "_line"  # the line's place in the collection (files in name order), for ties

PARTITIONS = ("site", "month")


class ExportError(ValueError):
    """The command line names something that cannot be exported to (exit status 2)."""


@dataclass
class Result:
    files: int = 0
    lines: int = 0  # good lines read
    skipped: int = 0  # bad lines (and unreadable files)
    rows: int = 0  # rows written
    articles: int = 0  # distinct (site, article_id)
    seconds: float = 0.0


def target_kind(target: str) -> str:
    """ "parquet", "duckdb" or "folder", from how ``--to`` is written."""
    path = Path(target)
    if target.endswith(("/", os.sep)) or path.is_dir():
        return "folder"
    if path.suffix == ".parquet":
        return "parquet"
    if path.suffix == ".duckdb":
        return "duckdb"
    raise ExportError(f"--to {target}: give a FILE.parquet, a FILE.duckdb or a FOLDER/ (with its slash)")


def export(
    directory: str | os.PathLike[str],
    target: str,
    *,
    all_versions: bool = False,
    errors: TextIO | None = None,
    progress: Callable[[str], None] | None = None,
    sites: Collection[str] | None = None,
) -> Result:
    """Export the collection in ``directory`` to ``target``; bad lines are named on
    ``errors`` (stderr by default) and counted in the result (``sites``: the registered
    names, as ``read_lines`` takes them)."""
    started = time.perf_counter()
    errors = errors if errors is not None else sys.stderr
    kind = target_kind(target)
    source = Path(directory)
    if not source.is_dir():
        raise ExportError(f"{directory}: no such folder")
    final = Path(target.rstrip("/" + os.sep)) if kind == "folder" else Path(target)
    _check_target(final, kind)
    result = Result()
    files = jsonl_files([source])
    result.files = len(files)
    with tempfile.TemporaryDirectory(prefix="clippings-export-") as work:
        lines_path = Path(work) / "lines.jsonl"
        _normalise(files, lines_path, result, errors, progress, sites)
        if progress:
            progress(f"export: writing {final} ({result.lines:,} lines read)")
        _write(lines_path, source, final, kind, all_versions, result)
    result.seconds = time.perf_counter() - started
    return result


def _check_target(final: Path, kind: str) -> None:
    parent = final.parent
    if not parent.is_dir():
        raise ExportError(f"--to {final}: {parent} is not a folder")
    if kind != "folder" and final.is_dir():
        raise ExportError(f"--to {final}: is a folder")
    if kind == "folder" and final.exists() and not _is_export_folder(final):
        raise ExportError(f"--to {final}/: the folder holds other things than an export; give a new or empty folder")


def _is_export_folder(folder: Path) -> bool:
    """An earlier export (only ``site=...`` folders of Parquet files), or empty: replaceable."""
    for entry in folder.iterdir():
        if not (entry.is_dir() and entry.name.startswith("site=")):
            return False
        for _, _, names in os.walk(entry):
            if any(not name.endswith(".parquet") for name in names):
                return False
    return True


def _normalise(
    files: list[Path],
    out: Path,
    result: Result,
    errors: TextIO,
    progress: Callable[[str], None] | None,
    sites: Collection[str] | None,
) -> None:
    """The good lines, read as 2.0, into one JSON-lines file DuckDB types by ``COLUMNS``."""
    shown = 0.0
    done_files: set[Path] = set()
    with out.open("w", encoding="utf-8") as handle:
        for line in read_lines(files, sites):
            if progress is not None:
                done_files.add(line.path)
                now = time.monotonic()
                if now - shown > 0.2:
                    shown = now
                    progress(f"export: {result.lines:,} lines read, file {len(done_files)} of {len(files)}")
            if line.number == 0:
                print(f"{line.path}: {line.problems[0]}, skipped", file=errors)
                result.skipped += 1
                continue
            if not line.good:
                print(f"{line.path}:{line.number}: {'; '.join(line.problems)}", file=errors)
                result.skipped += 1
                continue
            assert line.record is not None
            record = as_current(line.record)
            result.lines += 1
            row = {name: record.get(name) for name in OUTPUT_FIELDS}
            row[_ORDER] = result.lines
            handle.write(json.dumps(row, ensure_ascii=False))
            handle.write("\n")


def _select(all_versions: bool) -> str:
    fields = ", ".join(f'"{name}"' for name in OUTPUT_FIELDS)
    if all_versions:
        numbered = fields.replace('"article_id", ', '"article_id", version, ', 1)
        return (
            f"SELECT {numbered} FROM (SELECT *, CAST(row_number() OVER (PARTITION BY site, article_id"
            f" ORDER BY fetched_at, {_ORDER}) AS INTEGER) AS version FROM lines)"
            " ORDER BY site, article_id, version"
        )
    return (
        f"SELECT {fields} FROM lines QUALIFY row_number() OVER (PARTITION BY site, article_id"
        f" ORDER BY fetched_at DESC, {_ORDER} DESC) = 1"
        " ORDER BY site, published_date NULLS LAST, published NULLS LAST, article_id"
    )


def _latest_view(all_versions: bool) -> str:
    """The ``latest`` view over ``articles``: each article's latest line (the table already
    holds only those unless it was written with every version)."""
    columns = ", ".join(f'"{name}"' for name in OUTPUT_FIELDS)
    if not all_versions:
        return f"SELECT {columns} FROM articles"
    return (
        f"SELECT {columns} FROM articles QUALIFY row_number() OVER (PARTITION BY site, article_id"
        " ORDER BY version DESC) = 1"
    )


def _write(lines_path: Path, source: Path, final: Path, kind: str, all_versions: bool, result: Result) -> None:
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")  # a fetch's month is the file's, UTC
        columns = {**COLUMNS, _ORDER: "BIGINT"}
        con.execute(
            "CREATE TEMP TABLE lines AS SELECT * FROM read_json(?, format = 'newline_delimited',"
            f" columns = {_struct(columns)})",
            [str(lines_path)],
        )
        result.articles = con.execute("SELECT count(*) FROM (SELECT DISTINCT site, article_id FROM lines)").fetchone()[
            0
        ]
        query = _select(all_versions)
        result.rows = result.lines if all_versions else result.articles
        temporary = final.parent / f".{final.name}.tmp-{os.getpid()}"
        _remove(temporary)
        try:
            if kind == "parquet":
                con.execute(f"COPY ({query}) TO '{_quoted(temporary)}' (FORMAT parquet, COMPRESSION zstd)")
            elif kind == "folder":
                month = "strftime(coalesce(published_date, CAST(fetched_at AS DATE)), '%Y-%m') AS month"
                con.execute(
                    f"COPY (SELECT *, {month} FROM ({query})) TO '{_quoted(temporary)}'"
                    " (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (site, month), WRITE_PARTITION_COLUMNS true)"
                )
                if result.rows == 0:
                    temporary.mkdir(exist_ok=True)
            else:
                con.execute(f"ATTACH '{_quoted(temporary)}' AS target")
                con.execute(f"CREATE TABLE target.articles AS {query}")
                con.execute(f"CREATE VIEW target.latest AS {_latest_view(all_versions)}")
                _runs_table(con, source)
                con.execute("DETACH target")
            _replace(temporary, final)
        except BaseException:
            _remove(temporary)
            raise
    finally:
        con.close()


def _runs_table(con: Any, source: Path) -> None:
    """The run history (``DIR/.state/runs.ndjson``) as table ``runs``."""
    from clippings.collection.run_line import RUN_COLUMNS
    from clippings.collection.runs import read_runs

    runs = read_runs(source)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as handle:
        for run in runs:
            handle.write(json.dumps({name: run.get(name) for name in RUN_COLUMNS}, ensure_ascii=False) + "\n")
    try:
        con.execute(
            "CREATE TABLE target.runs AS SELECT * FROM read_json(?, format = 'newline_delimited',"
            f" columns = {_struct(RUN_COLUMNS)}) ORDER BY started, finished, site, run_id",
            [handle.name],
        )
    finally:
        os.unlink(handle.name)


def _struct(columns: dict[str, str]) -> str:
    return "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _replace(temporary: Path, final: Path) -> None:
    """Rename the finished export over the target. A folder cannot be renamed over a folder
    that holds files: the old export is renamed away first, then removed."""
    if temporary.is_dir() and final.is_dir():
        old = final.parent / f".{final.name}.old-{os.getpid()}"
        _remove(old)
        os.replace(final, old)
        os.replace(temporary, final)
        shutil.rmtree(old)
    else:
        os.replace(temporary, final)
