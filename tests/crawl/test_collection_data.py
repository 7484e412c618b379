"""The collection as data people read it (issue 25): under the output folder only articles
end in ``.jsonl`` (the run history is ``.state/runs.ndjson``, an older ``runs.jsonl`` moved on
the next run), ``clippings runs`` prints the history, the export's ``latest`` view and
``--latest`` Parquet give one row per article, ``*_raw`` are VARCHAR whatever they look like,
pandas reads the Parquet and README's pandas snippet keeps Morocco's offset."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from clippings.collection.export import export
from clippings.collection.runs import LEGACY_RUNS_FILE, RUNS_FILE, append_run, read_runs
from tests.helpers.collection import article, demo, write
from tests.helpers.crawl import run_clippings
from tests.helpers.fixturelib import ROOT
from tests.helpers.readme import readme_block

ISO_RAW = [
    article(
        "le360",
        f"R{i}",
        published=f"2025-09-{10 + i:02d}T18:36:00+01:00",
        modified=f"2025-09-{11 + i:02d}T08:00:00+01:00",
        fetched_at=f"2025-09-{11 + i:02d}T09:00:00Z",
    )
    for i in range(4)
]


def one(sql: str) -> tuple:
    return duckdb.connect().execute(sql).fetchone()


def article_lines(directory: Path) -> int:
    return sum(len(p.read_bytes().splitlines()) for p in directory.glob("[!.]*/*.jsonl"))


@pytest.mark.parametrize("pattern", ["*/*.jsonl", "**/*.jsonl"])
def test_duckdb_globs_read_articles_only_on_a_collection_with_run_history(tmp_path, pattern):
    from datetime import UTC, datetime

    out = tmp_path / "out"
    made = demo(out, datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    assert (out / RUNS_FILE).is_file() and len(read_runs(out)) == len(made["runs"]) > 0
    expected = article_lines(out)
    assert expected == len(made["records"])
    (count,) = one(f"SELECT count(*) FROM read_json_auto('{out}/{pattern}')")
    assert count == expected
    (nulls,) = one(f"SELECT count(*) FROM read_json_auto('{out}/{pattern}') WHERE title IS NULL")
    assert nulls == 0
    under = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.name.endswith(".jsonl")]
    assert all(not name.startswith(".") for name in under), under


def test_a_replay_crawl_writes_no_other_jsonl(tmp_path):
    out = tmp_path / "out"
    done = run_clippings("crawl", "almaghribtoday_en", "--replay", str(ROOT / "fixtures"), "--output", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(read_runs(out)) == 1
    under = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jsonl"))
    assert under and all(name.startswith("almaghribtoday_en/") for name in under), under
    (count,) = one(f"SELECT count(*) FROM read_json_auto('{out}/**/*.jsonl')")
    assert count == article_lines(out) > 0


def _legacy_history(out: Path, sites: list[str]) -> Path:
    legacy = out / LEGACY_RUNS_FILE
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_text(
        "".join(json.dumps({"site": s, "finished": f"2025-01-0{n + 1}T00:00:00Z"}) + "\n" for n, s in enumerate(sites))
    )
    return legacy


def test_an_old_history_is_read_until_the_next_run_moves_it_with_one_info_line(tmp_path, caplog):
    out = tmp_path / "out"
    legacy = _legacy_history(out, ["le360", "almaghribtoday"])
    assert [r["site"] for r in read_runs(out)] == ["le360", "almaghribtoday"]  # status sees it before
    with caplog.at_level(logging.INFO, logger="clippings.collection.runs"):
        append_run(out, {"site": "le360", "finished": "2025-02-01T00:00:00Z"})
        append_run(out, {"site": "le360", "finished": "2025-02-02T00:00:00Z"})
    moved = [r for r in caplog.records if "moved" in r.getMessage()]
    assert len(moved) == 1 and moved[0].levelno == logging.INFO
    assert str(legacy) in moved[0].getMessage() and str(out / RUNS_FILE) in moved[0].getMessage()
    assert not legacy.exists()
    assert [r["finished"][:10] for r in read_runs(out)] == ["2025-01-01", "2025-01-02", "2025-02-01", "2025-02-02"]


def test_an_old_history_beside_a_new_one_is_appended_to_it(tmp_path):
    out = tmp_path / "out"
    append_run(out, {"site": "le360", "n": 1})
    _legacy_history(out, ["almaghribtoday"])  # an older clippings ran since
    append_run(out, {"site": "le360", "n": 2})
    assert not (out / LEGACY_RUNS_FILE).exists()
    assert [r["site"] for r in read_runs(out)] == ["le360", "almaghribtoday", "le360"]


def test_the_runs_command_prints_the_history(tmp_path):
    out = tmp_path / "out"
    for n, site in enumerate(["le360", "almaghribtoday", "le360"]):
        append_run(out, {"site": site, "n": n})
    done = run_clippings("runs", str(out), "--site", "le360", "--last", "1")
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in done.stdout.splitlines()] == [{"site": "le360", "n": 2}]
    everything = run_clippings("runs", str(out))
    assert [json.loads(line)["n"] for line in everything.stdout.splitlines()] == [0, 1, 2]
    with (out / RUNS_FILE).open("a") as history:
        history.write('{"site": "le3')  # cut short
    cut = run_clippings("runs", str(out))
    assert cut.returncode == 1 and cut.stderr.strip().endswith("runs.ndjson:4: not a run (cut short, or not JSON)")
    missing = run_clippings("runs", str(tmp_path / "nowhere"))
    assert (
        missing.returncode == 2 and missing.stderr.strip() == f"clippings: runs: {tmp_path / 'nowhere'}: no such folder"
    )


def _two_versions(out: Path) -> None:
    first = ISO_RAW[0]
    changed = {**first, "title": "Titre corrigé", "fetched_at": "2025-09-20T09:00:00Z"}
    write(out, [*ISO_RAW, changed])


def test_the_readme_latest_query_gives_one_row_per_article(tmp_path, monkeypatch):
    _two_versions(tmp_path / "output")
    append_run(tmp_path / "output", {"site": "le360"})
    sql = readme_block("sql", "QUALIFY")
    assert "\n" not in sql.strip()  # one line
    monkeypatch.chdir(tmp_path)
    db = duckdb.connect()
    db.sql(readme_block("sql", "CREATE VIEW lines"))  # the view of the lines it reads
    rows = db.sql(sql).fetchall()
    assert len(rows) == len(ISO_RAW)
    (all_lines,) = one("SELECT count(*) FROM read_json_auto('output/*/*.jsonl')")
    assert all_lines == len(ISO_RAW) + 1
    titles = {row[3] for row in rows}
    assert "Titre corrigé" in titles and "Article R0" not in titles


def test_export_latest_view_and_parquet_type_raw_fields_as_text(tmp_path):
    out = tmp_path / "output"
    _two_versions(out)
    db = tmp_path / "all.duckdb"
    export(out, str(db), all_versions=True)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(ISO_RAW) + 1
    latest = con.sql("SELECT * FROM latest")
    types = dict(zip(latest.columns, map(str, latest.types), strict=True))
    assert types["modified_raw"] == "VARCHAR" and types["published_raw"] == "VARCHAR"
    assert types["modified"] == "TIMESTAMP WITH TIME ZONE"
    rows = con.execute("SELECT article_id, title, modified_raw FROM latest ORDER BY article_id").fetchall()
    assert [r[0] for r in rows] == ["R0", "R1", "R2", "R3"]
    assert rows[0][1] == "Titre corrigé" and rows[1][2] == "2025-09-12T08:00:00+01:00"
    con.close()
    # the same raw values read by DuckDB's own guess drift to TIMESTAMPTZ: the export does not
    guessed = duckdb.sql(f"SELECT modified_raw FROM read_json_auto('{out}/*/*.jsonl')")
    assert str(guessed.types[0]) == "TIMESTAMP WITH TIME ZONE"

    parquet = tmp_path / "latest.parquet"
    done = run_clippings("export", str(out), "--to", str(parquet), "--latest", "-q")
    assert done.returncode == 0, done.stderr
    relation = duckdb.sql(f"SELECT * FROM '{parquet}'")
    assert dict(zip(relation.columns, map(str, relation.types), strict=True))["modified_raw"] == "VARCHAR"
    assert len(relation.fetchall()) == len(ISO_RAW)
    both = run_clippings("export", str(out), "--to", str(parquet), "--latest", "--all-versions")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def test_pandas_reads_the_parquet_and_keeps_moroccos_offset(tmp_path):
    out = tmp_path / "output"
    ramadan = article("le360", "RAM", published="2026-03-01T23:30:00+00:00", fetched_at="2026-03-02T08:00:00Z")
    write(out, [*ISO_RAW, ramadan])
    export(out, str(tmp_path / "articles.parquet"))
    code = readme_block("python", "pd.read_parquet") + (
        "\nrow = df.set_index('article_id')"
        "\nprint(row.loc['R0', 'published'].isoformat(), row.loc['RAM', 'published'].isoformat())"
        "\nprint(type(row.loc['R0', 'modified_raw']).__name__)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["2025-09-10T18:36:00+01:00 2026-03-01T23:30:00+00:00", "str"]


def test_the_readme_pandas_snippet_keeps_moroccos_offset(tmp_path):
    out = tmp_path / "output"
    ramadan = article("le360", "RAM", published="2026-03-01T23:30:00+00:00", fetched_at="2026-03-02T08:00:00Z")
    write(out, [*ISO_RAW, ramadan])
    append_run(out, {"site": "le360"})
    code = readme_block("python", "pd.read_json") + (
        "\nrow = df.set_index('article_id')"
        "\nprint(row.loc['R1', 'published'].isoformat(), row.loc['RAM', 'published'].isoformat())"
        "\nprint(row.loc['RAM', 'fetched_at'].isoformat(), len(df))"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "2025-09-11T18:36:00+01:00 2026-03-01T23:30:00+00:00",
        f"2026-03-02T08:00:00+00:00 {len(ISO_RAW) + 1}",
    ]
