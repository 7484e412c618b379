"""The JSON lines read directly by DuckDB and pandas, as README shows: a collection that
mixes pages giving a time and pages giving only their day types ``published`` TIMESTAMPTZ
and ``published_date`` DATE, with no invented time."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from clippings.collection.runs import append_run
from tests.helpers.collection import article, write
from tests.helpers.fixturelib import ROOT
from tests.helpers.readme import readme_block


def mixed_collection(directory: Path, date_only_first: bool) -> None:
    """Date-only lines first, or only in the last file (DuckDB samples the first rows)."""
    timed = [
        article(
            "le360",
            f"T{i}",
            published=f"2025-09-{9 + i:02d}T18:36:00+01:00",
            fetched_at=f"2025-09-{9 + i:02d}T19:05:00Z",
        )
        for i in range(5)
    ]
    bare = [
        article(
            "almaghribtoday",
            "7001",
            published=None,
            day="2018-07-24",
            fetched_at="2018-07-25T09:28:00Z" if date_only_first else "2025-10-01T09:00:00Z",
        ),
        article(
            "almaghribtoday",
            "7002",
            published="2026-03-01T23:30:00+00:00",
            modified="2026-03-02T07:00:00+00:00",
            fetched_at="2026-03-02T08:00:00Z",
        ),
    ]
    write(directory, bare + timed if date_only_first else timed + bare)
    # A collection with a run history: only the articles end in .jsonl, whatever the glob.
    append_run(directory, {"site": "le360", "written": 5})


@pytest.mark.parametrize("date_only_first", [True, False], ids=["date-only-first", "date-only-last"])
def test_read_json_auto_types_the_dates(tmp_path, date_only_first):
    mixed_collection(tmp_path / "output", date_only_first)
    con = duckdb.connect()
    relation = con.sql(f"SELECT * FROM read_json_auto('{tmp_path}/output/*/*.jsonl')")
    types = dict(zip(relation.columns, map(str, relation.types), strict=False))
    assert types["published"] == "TIMESTAMP WITH TIME ZONE"
    assert types["modified"] == "TIMESTAMP WITH TIME ZONE"
    assert types["fetched_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["published_date"] == "DATE"
    assert types["article_id"] == "VARCHAR"
    con.execute("SET TimeZone = 'UTC'")
    rows = dict(
        con.execute(
            f"SELECT article_id, (published, published_date) FROM read_json_auto('{tmp_path}/output/*/*.jsonl')"
        ).fetchall()
    )
    assert rows["7001"] == (None, date(2018, 7, 24))  # no invented midnight
    published, day = rows["7002"]
    assert (published.isoformat(), day.isoformat()) == ("2026-03-01T23:30:00+00:00", "2026-03-01")
    assert len(rows) == 7


def test_the_readme_duckdb_snippet(tmp_path):
    mixed_collection(tmp_path / "output", date_only_first=False)
    sql = readme_block("sql", "CREATE VIEW lines")  # the view, then the query by date
    os.chdir(tmp_path)
    try:
        relation = duckdb.connect().sql(sql)
        rows = relation.fetchall()
    finally:
        os.chdir(ROOT)
    types = dict(zip(relation.columns, map(str, relation.types), strict=False))
    assert types == {
        "site": "VARCHAR",
        "title": "VARCHAR",
        "published": "TIMESTAMP WITH TIME ZONE",
        "published_date": "DATE",
    }
    assert len(rows) == 7 and rows[0][3].isoformat() == "2026-03-01"


def test_the_readme_pandas_snippet(tmp_path):
    mixed_collection(tmp_path / "output", date_only_first=True)
    code = readme_block("python", "pd.read_json") + (
        "\nprint(df.dtypes['published'], df.dtypes['fetched_at'], df.dtypes['modified'])"
        "\nprint(all(isinstance(v, str) for v in df['article_id']), sorted(df['article_id'])[:2])"
        "\nrow = df[df.article_id == '7001'].iloc[0]"
        "\nprint(row.published is pd.NaT, row.published_date)"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "datetime64[us, Africa/Casablanca] datetime64[us, UTC] datetime64[us, Africa/Casablanca]",
        "True ['7001', '7002']",
        "True 2018-07-24",
    ]
