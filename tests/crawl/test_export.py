"""``clippings export DIR --to FILE``: typed tables read back with DuckDB (column types, row
counts, values), one row per article by default, every version on request, bad lines named
and counted, the files never changed, the target replaced atomically."""

from __future__ import annotations

import hashlib
import io
import os
import pty
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

import clippings.collection.export as export_module
from clippings.collection.export import ExportError, export
from clippings.collection.run_line import RUN_COLUMNS
from clippings.collection.runs import append_run
from clippings.core.items import OUTPUT_FIELDS
from tests.helpers.collection import article, write, write_raw
from tests.helpers.crawl import run_clippings
from tests.helpers.fixturelib import ROOT

ARTICLE_TYPES = {
    "url": "VARCHAR",
    "site": "VARCHAR",
    "article_id": "VARCHAR",
    "title": "VARCHAR",
    "lead": "VARCHAR",
    "authors": "VARCHAR[]",
    "section": "VARCHAR",
    "tags": "VARCHAR[]",
    "language": "VARCHAR",
    "published": "TIMESTAMP WITH TIME ZONE",
    "published_date": "DATE",
    "modified": "TIMESTAMP WITH TIME ZONE",
    "body": "VARCHAR",
    "word_count": "INTEGER",
    "image": "STRUCT(url VARCHAR, caption VARCHAR)",
    "fetched_at": "TIMESTAMP WITH TIME ZONE",
    "content_sha256": "VARCHAR",
    "schema_version": "VARCHAR",
    "published_raw": "VARCHAR",
    "modified_raw": "VARCHAR",
}
V1_LINE = {
    **{
        k: v
        for k, v in article("almaghribtoday", "5001", published=None, day="2017-05-10").items()
        if k != "published_date"
    },
    "published": "2017-05-10",  # schema 1.0: a bare day in published
    "modified": "2017-05-11",
    "modified_raw": "11/05/2017",
    "schema_version": "1.0",
    "fetched_at": "2017-05-11T09:00:00Z",
}


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """12 articles in 3 sites' files: timed and date-only, one updated twice (the last two
    lines fetched at the same second: the later line wins), an Arabic one with an image, a
    1.0 line; and 3 bad lines."""
    out = tmp_path / "out"
    lines = [
        article(
            "le360",
            f"L{i}",
            published=f"2025-09-{10 + i:02d}T18:36:00+01:00",
            fetched_at=f"2025-09-{10 + i:02d}T19:05:00Z",
        )
        for i in range(8)
    ]
    lines += [
        article("almaghribtoday", "7001", published=None, day="2018-07-24", fetched_at="2018-07-25T09:28:00Z"),
        article(
            "almaghribtoday",
            "7002",
            published="2026-03-01T23:30:00+00:00",
            fetched_at="2026-03-02T08:00:00Z",
            title="تحويلات المغاربة",
            image={"url": "https://www.almaghribtoday.net/i.jpg", "caption": None},
        ),
        article("almaghribtoday", "7003", published=None, day=None, fetched_at="2026-03-02T08:00:00Z"),
        # L0 changed twice, the last two lines in one second.
        article(
            "le360",
            "L0",
            published="2025-09-10T18:36:00+01:00",
            modified="2025-09-20T09:00:00+01:00",
            body="Deuxième version.",
            fetched_at="2025-09-20T10:00:00Z",
        ),
        article(
            "le360",
            "L0",
            published="2025-09-10T18:36:00+01:00",
            modified="2025-09-20T09:00:00+01:00",
            body="Troisième version.",
            fetched_at="2025-09-20T10:00:00Z",
        ),
    ]
    write(out, lines)
    write_raw(out / "almaghribtoday" / "2017-05-11.jsonl", [V1_LINE])
    bad = out / "le360" / "2025-09-21.jsonl"
    write_raw(
        bad,
        [
            article("le360", "L9", published="2025-09-21T08:00:00+01:00", fetched_at="2025-09-21T09:00:00Z"),
            b"{not json\n",
            {**lines[0], "word_count": "four"},
            b'{"cut": ',
        ],
    )
    append_run(
        out,
        {
            "site": "le360",
            "run_id": "r1",
            "started": "2025-09-20T09:59:00Z",
            "finished": "2025-09-20T10:01:00Z",
            "exit_status": 0,
            "written": 3,
            "dropped": {"video": 1},
            "alarms": [],
        },
    )
    return out


def digest(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def types_of(con: duckdb.DuckDBPyConnection, query: str) -> dict[str, str]:
    relation = con.sql(query)
    return dict(zip(relation.columns, map(str, relation.types), strict=False))


def test_parquet_has_the_typed_columns_and_one_row_per_article(collection, tmp_path):
    before = digest(collection)
    target = tmp_path / "articles.parquet"
    done = run_clippings("export", str(collection), "--to", str(target))
    assert done.returncode == 1  # lines were skipped
    bad = collection / "le360" / "2025-09-21.jsonl"
    assert done.stderr.splitlines() == [
        f"{bad}:2: not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))",
        f"{bad}:3: word_count: 'four' is not of type 'integer'",
        f"{bad}:4: incomplete last line (no newline)",
    ]
    assert done.stdout.startswith(f"{target}: 13 articles (from 15 lines in 13 files; 3 skipped) in ")
    assert digest(collection) == before  # the files are read, never changed

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    assert types_of(con, f"SELECT * FROM '{target}'") == ARTICLE_TYPES
    rows = {
        (r[0], r[1]): r
        for r in con.execute(
            f"SELECT site, article_id, published, published_date, modified, body, title, image, authors, word_count,"
            f" schema_version, modified_raw FROM '{target}'"
        ).fetchall()
    }
    assert len(rows) == 13 and con.execute(f"SELECT count(*) FROM '{target}'").fetchone()[0] == 13
    # The latest line of L0: by fetched_at, then file order.
    assert rows[("le360", "L0")][5] == "Troisième version."
    assert rows[("le360", "L0")][4] == datetime(2025, 9, 20, 8, 0, tzinfo=UTC)
    # A page giving only its day: no invented time; the day is a DATE.
    assert rows[("almaghribtoday", "7001")][2:4] == (None, date(2018, 7, 24))
    assert rows[("almaghribtoday", "7003")][2:4] == (None, None)
    assert rows[("almaghribtoday", "7002")][2:4] == (datetime(2026, 3, 1, 23, 30, tzinfo=UTC), date(2026, 3, 1))
    assert rows[("almaghribtoday", "7002")][6] == "تحويلات المغاربة"
    assert rows[("almaghribtoday", "7002")][7] == {"url": "https://www.almaghribtoday.net/i.jpg", "caption": None}
    assert rows[("le360", "L3")][8:10] == (["Karim Alaoui"], 4)
    # A 1.0 line of an older collection is read as 2.0.
    assert rows[("almaghribtoday", "5001")][2:5] == (None, date(2017, 5, 10), None)
    assert rows[("almaghribtoday", "5001")][10:] == ("1.0", "11/05/2017")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".articles.parquet")]  # no temporary left


def test_all_versions_numbers_every_line(collection, tmp_path):
    target = tmp_path / "all.parquet"
    done = run_clippings("export", str(collection), "--to", str(target), "--all-versions", "-q")
    assert done.returncode == 1 and done.stdout == "" and len(done.stderr.splitlines()) == 3
    con = duckdb.connect()
    assert list(types_of(con, f"SELECT * FROM '{target}'")) == [*OUTPUT_FIELDS[:3], "version", *OUTPUT_FIELDS[3:]]
    assert types_of(con, f"SELECT version FROM '{target}'") == {"version": "INTEGER"}
    versions = con.execute(f"SELECT version, body FROM '{target}' WHERE article_id = 'L0' ORDER BY version").fetchall()
    assert versions == [(1, "Un paragraphe.\n\nUn autre."), (2, "Deuxième version."), (3, "Troisième version.")]
    assert con.execute(f"SELECT count(*), max(version) FROM '{target}'").fetchone() == (15, 3)


def test_duckdb_database_has_articles_and_runs(collection, tmp_path):
    target = tmp_path / "clippings.duckdb"
    assert run_clippings("export", str(collection), "--to", str(target), "-q").returncode == 1
    con = duckdb.connect(str(target), read_only=True)
    assert sorted(r[0] for r in con.execute("SHOW TABLES").fetchall()) == ["articles", "latest", "runs"]
    assert types_of(con, "SELECT * FROM articles") == ARTICLE_TYPES
    assert types_of(con, "SELECT * FROM latest") == ARTICLE_TYPES
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (13,)
    assert con.execute("SELECT count(*) FROM latest").fetchone() == (13,)
    shown = {name: kind.replace('"share"', "share") for name, kind in types_of(con, "SELECT * FROM runs").items()}
    assert shown == {
        name: kind.replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE") for name, kind in RUN_COLUMNS.items()
    }
    assert con.execute("SELECT run_id, written, dropped['video'], finished - started FROM runs").fetchall() == [
        ("r1", 3, 1, timedelta(minutes=2))
    ]


def test_a_folder_is_parquet_partitioned_by_site_and_month(collection, tmp_path):
    target = tmp_path / "lake"
    done = run_clippings("export", str(collection), "--to", f"{target}/", "-q")
    assert done.returncode == 1
    partitions = sorted(str(p.parent.relative_to(target)) for p in target.rglob("*.parquet"))
    assert "site=le360/month=2025-09" in partitions
    assert "site=almaghribtoday/month=2018-07" in partitions
    assert "site=almaghribtoday/month=2026-03" in partitions  # 7003, undated: its fetch month
    con = duckdb.connect()
    lake = f"read_parquet('{target}/**/*.parquet', hive_partitioning = true)"
    assert con.execute(f"SELECT count(*) FROM {lake}").fetchone() == (13,)
    types = types_of(con, f"SELECT * FROM {lake}")
    assert {k: v for k, v in types.items() if k != "month"} == ARTICLE_TYPES and types["month"] == "VARCHAR"
    assert con.execute(f"SELECT count(*) FROM {lake} WHERE site = 'le360' AND month = '2025-09'").fetchone() == (9,)
    # Exported again after a site is gone: the folder is replaced whole, no partition left over.
    for path in (collection / "almaghribtoday").iterdir():
        path.unlink()
    assert run_clippings("export", str(collection), "--to", f"{target}/", "-q").returncode == 1
    assert not (target / "site=almaghribtoday").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".lake")]


def test_a_clean_collection_exits_0_and_an_empty_one_gives_an_empty_table(tmp_path):
    out = tmp_path / "out"
    write(out, [article("le360", "A"), article("le360", "B", published="2025-09-10T08:00:00+01:00")])
    done = run_clippings("export", str(out), "--to", str(tmp_path / "a.parquet"))
    assert (done.returncode, done.stderr) == (0, "")
    (tmp_path / "empty").mkdir()
    result = export(tmp_path / "empty", str(tmp_path / "e.parquet"), errors=io.StringIO())
    assert (result.rows, result.skipped) == (0, 0)
    con = duckdb.connect()
    assert types_of(con, f"SELECT * FROM '{tmp_path / 'e.parquet'}'") == ARTICLE_TYPES
    assert con.execute(f"SELECT count(*) FROM '{tmp_path / 'e.parquet'}'").fetchone() == (0,)


def test_a_failed_export_leaves_the_old_target_as_it_was(collection, tmp_path, monkeypatch):
    target = tmp_path / "articles.parquet"
    target.write_bytes(b"the previous export")

    def disk_full(temporary, final):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module, "_replace", disk_full)
    with pytest.raises(OSError):
        export(collection, str(target), errors=io.StringIO())
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.parquet", "out"]


@pytest.mark.parametrize(
    "target, message",
    [
        ("x.csv", "give a FILE.parquet, a FILE.duckdb or a FOLDER/ (with its slash)"),
        ("notes/", "the folder holds other things than an export; give a new or empty folder"),
        ("nowhere/x.parquet", "is not a folder"),
    ],
)
def test_targets_it_refuses(collection, tmp_path, target, message):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me")
    done = run_clippings("export", str(collection), "--to", str(tmp_path / target))
    assert done.returncode == 2 and message in done.stderr and done.stderr.startswith("clippings: export: ")
    assert (tmp_path / "notes" / "todo.txt").read_text() == "keep me"
    with pytest.raises(ExportError, match="no such folder"):
        export(tmp_path / "missing", str(tmp_path / "x.parquet"))


def test_a_terminal_sees_a_progress_line(collection, tmp_path):
    leader, follower = pty.openpty()
    target = tmp_path / "t.parquet"
    process = subprocess.Popen(
        [sys.executable, "-m", "clippings.cli", "export", str(collection), "--to", str(target)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=follower,
        text=True,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        seen += chunk
    stdout, _ = process.communicate(timeout=60)
    os.close(leader)
    assert b"\r\x1b[Kexport: " in seen  # drawn in place, then cleared
    assert b"\r\x1b[K" + str(collection).encode() + b"/le360/2025-09-21.jsonl:2: not JSON" in seen
    assert stdout.startswith(f"{target}: 13 articles")
