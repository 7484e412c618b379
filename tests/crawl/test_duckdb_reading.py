"""Reading the JSON lines with DuckDB as README and docs/output.md show it: every field typed as
the contract says whatever the values, ``published_raw`` and ``modified_raw`` VARCHAR also in a
collection where every one of them looks like an instant (where ``read_json_auto`` guesses
TIMESTAMPTZ). The snippets are run as the docs print them, on a collection in tmp_path."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from clippings.collection.export import COLUMNS
from clippings.core.items import OUTPUT_FIELDS
from tests.helpers.collection import article, write
from tests.helpers.fixturelib import ROOT

GLOB = "output/*/*.jsonl"
INSTANT_FIELDS = {"published", "modified", "fetched_at"}


def _block(page: str, language: str, holding: str) -> str:
    """The fenced ``language`` block of ``page`` holding ``holding``."""
    text = (ROOT / page).read_text("utf-8")
    blocks = [b for b in re.findall(rf"^```{language}\n(.*?)^```", text, re.S | re.M) if holding in b]
    assert len(blocks) == 1, f"{page}: {len(blocks)} {language} blocks hold {holding!r}"
    return blocks[0]


def _struct(sql: str) -> dict[str, str]:
    """The ``columns = {...}`` struct of a snippet, as a dict."""
    found = re.search(r"columns = \{(.*?)\}\)", sql, re.S)
    assert found, sql
    return dict(re.findall(r"'(\w+)': '([^']+)'", found.group(1)))


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """Two articles, one of them written again (changed); every *_raw text an ISO instant."""
    first = article("le360", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", modified="2025-09-10T08:00:00+01:00")
    changed = {**first, "title": "Changed", "fetched_at": "2025-09-10T09:00:00Z"}
    other = article("almaghribtoday", "5001", published="2025-09-08T10:00:00+01:00")
    other = {**other, "modified": other["published"], "modified_raw": other["published"]}
    write(tmp_path / "output", [first, changed, other])
    return tmp_path


def _types(relation: duckdb.DuckDBPyRelation) -> dict[str, str]:
    return {name: str(kind) for name, kind in zip(relation.columns, relation.types, strict=True)}


def test_read_json_auto_guesses_instants_for_the_raw_texts(collection, monkeypatch):
    # Why the docs give the types: DuckDB's guess would make these strings instants.
    monkeypatch.chdir(collection)
    guessed = _types(duckdb.sql(f"FROM read_json_auto('{GLOB}')"))
    assert guessed["modified_raw"] == guessed["published_raw"] == "TIMESTAMP WITH TIME ZONE"


def test_the_docs_struct_is_the_shipped_mapping_of_every_field():
    readme = _struct(_block("README.md", "sql", "CREATE VIEW lines"))
    reference = _struct(_block("docs/output.md", "sql", "CREATE VIEW lines"))
    assert readme == reference == COLUMNS
    assert list(COLUMNS) == list(OUTPUT_FIELDS)


def test_the_readme_queries_keep_the_contracts_types(collection, monkeypatch):
    monkeypatch.chdir(collection)
    db = duckdb.connect()
    snippets = (_block("README.md", "sql", "CREATE VIEW lines"), _block("README.md", "sql", "QUALIFY"))
    statements = [s.strip() for snippet in snippets for s in snippet.split(";\n") if s.strip()]
    results = [db.execute(statement).fetchall() for statement in statements]
    types = {name: kind for name, kind, *_ in db.execute("DESCRIBE lines").fetchall()}
    assert types["modified_raw"] == types["published_raw"] == "VARCHAR"
    assert {name for name, kind in types.items() if kind == "TIMESTAMP WITH TIME ZONE"} == INSTANT_FIELDS
    assert types["published_date"] == "DATE" and types["authors"] == "VARCHAR[]"
    raws = db.execute("SELECT modified_raw FROM lines ORDER BY site, fetched_at").fetchall()
    assert raws == [("2025-09-08T10:00:00+01:00",), ("2025-09-10T08:00:00+01:00",), ("2025-09-10T08:00:00+01:00",)]
    by_date, latest = results[1], results[2]
    assert [row[0] for row in by_date] == ["le360", "le360", "almaghribtoday"]  # newest day first
    assert sorted((row[1], row[3]) for row in latest) == [("almaghribtoday", "Article 5001"), ("le360", "Changed")]


def test_the_python_snippet_keeps_the_raw_texts_as_text(collection, monkeypatch, capsys):
    monkeypatch.chdir(collection)
    snippet = _block("docs/output.md", "python", "columns=COLUMNS")
    scope: dict[str, object] = {}
    exec(snippet, scope)  # the snippet as printed, on the collection in tmp_path
    lines = scope["lines"]
    assert isinstance(lines, duckdb.DuckDBPyRelation)
    assert _types(lines)["modified_raw"] == "VARCHAR" and _types(lines)["modified"] == "TIMESTAMP WITH TIME ZONE"
    assert lines.count("*").fetchall() == [(3,)]
    assert "2025-09-10T08:00:00+01:00" in capsys.readouterr().out
