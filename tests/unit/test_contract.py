"""Schema 2.0: typed dates (published an instant or null, published_date a Moroccan day,
modified an instant or null); 1.0 lines of older collections still read by validate, the
state's recovery and the incremental checks."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clippings.collection.output import JsonLinesWriter
from clippings.collection.validate import validate_files
from clippings.core.contract import as_current, published_day
from clippings.core.items import OUTPUT_FIELDS, SCHEMA_VERSION, Article
from clippings.core.normalize import apply_dates, derive, load_schema, schema_errors
from clippings.state import Seen, StateStore, is_unchanged

NOW = datetime(2026, 4, 8, 10, 0, tzinfo=UTC)

V2 = {
    "url": "https://fr.le360.ma/politique/le-maroc_6VUZYMXQWNCSXNQ7TRBFVQKIDI/",
    "site": "le360",
    "article_id": "6VUZYMXQWNCSXNQ7TRBFVQKIDI",
    "title": "Le Maroc investit dans le rail",
    "lead": None,
    "authors": ["Karim Alaoui"],
    "section": "Politique",
    "tags": [],
    "language": "fr",
    "published": "2025-09-09T18:36:00+01:00",
    "published_date": "2025-09-09",
    "modified": None,
    "body": "Un paragraphe.\n\nUn autre.",
    "word_count": 4,
    "image": None,
    "fetched_at": "2025-09-09T19:05:00Z",
    "content_sha256": "0" * 64,
    "schema_version": "2.0",
    "published_raw": "2025-09-09T18:36:00+01:00",
    "modified_raw": None,
}
V1 = {k: v for k, v in V2.items() if k != "published_date"} | {"schema_version": "1.0"}


def dated(published: list[str], modified: list[str] = ()) -> Article:
    article = Article(url="https://fr.le360.ma/x/y_ABC/", site="le360", article_id="ABC", title="t", body="b")
    article.date_candidates = {"published": list(published), "modified": list(modified)}
    apply_dates(article, NOW)
    derive(article)
    return article


def test_the_shipped_schema_is_2_0_and_the_items_say_so():
    schema = load_schema()
    assert SCHEMA_VERSION == "2.0" and schema["properties"]["schema_version"] == {"const": "2.0"}
    assert list(OUTPUT_FIELDS) == schema["required"]
    assert OUTPUT_FIELDS.index("published_date") == OUTPUT_FIELDS.index("published") + 1
    assert load_schema("1.0")["properties"]["schema_version"] == {"const": "1.0"}


def test_a_timed_date_gives_the_instant_and_its_day_in_morocco():
    article = dated(["2026-03-01T23:30:00Z"])  # Ramadan 2026: UTC+0, still the 1st locally
    assert (article.published, article.published_date) == ("2026-03-01T23:30:00+00:00", "2026-03-01")
    article = dated(["2025-09-09T23:30:00Z"])  # UTC+1: already the 10th in Morocco
    assert (article.published, article.published_date) == ("2025-09-10T00:30:00+01:00", "2025-09-10")
    assert schema_errors(article.to_record() | {"fetched_at": "2025-09-10T08:00:00Z"}) == []


def test_a_date_without_a_time_is_a_day_and_no_invented_instant():
    article = dated(["24 يوليوز 2018"])
    assert (article.published, article.published_date, article.published_raw) == (None, "2018-07-24", "24 يوليوز 2018")


def test_a_date_only_update_stays_in_modified_raw():
    article = dated(["2025-09-09T18:36:00+01:00"], ["Mis à jour le 10/09/2025"])
    assert (article.modified, article.modified_raw) == (None, "Mis à jour le 10/09/2025")
    article = dated(["2025-09-09T18:36:00+01:00"], ["2025-09-10T08:00:00+01:00"])
    assert article.modified == "2025-09-10T08:00:00+01:00"


def test_no_date_at_all_leaves_both_null():
    article = dated([])
    assert (article.published, article.published_date) == (None, None)


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"published": "2025-09-09"}, "published"),  # a bare day is 1.0's form
        ({"modified": "2025-09-10"}, "modified"),
        (
            {"published_date": "2025-09-10"},
            "published_date: '2025-09-10' is not the day of published in Morocco (2025-09-09)",
        ),
        ({"published_date": None}, "published_date: None is not the day of published"),
        ({"published_date": "09/09/2025"}, "published_date"),
        ({"schema_version": "3.0"}, "schema_version"),
    ],
)
def test_2_0_lines_that_break_the_contract(change, problem):
    errors = schema_errors(V2 | change)
    assert errors and any(e.startswith(problem) for e in errors), errors


def test_validate_accepts_1_0_and_2_0_lines_and_refuses_mixtures(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        V1,  # 1.0 with an instant
        V1 | {"published": "2018-07-24", "modified": "2018-07-25"},  # 1.0 with bare days
        V2,
        V2 | {"published": None, "published_date": "2018-07-24"},
        V2 | {"schema_version": "1.0"},  # 1.0 has no published_date
        V1 | {"schema_version": "2.0"},  # 2.0 needs it
    ]
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    out = io.StringIO()
    assert validate_files([str(path)], out) == 1
    text = out.getvalue()
    assert f"{path}:5: (line): Additional properties are not allowed ('published_date' was unexpected)" in text
    assert f"{path}:6: (line): 'published_date' is a required property" in text
    assert text.splitlines()[-1] == "4 good lines, 2 bad, in 1 file"


def test_a_1_0_line_reads_as_2_0():
    old = V1 | {"published": "2018-07-24", "modified": "2018-07-25", "modified_raw": "25/07/2018"}
    current = as_current(old)
    assert list(current) == list(OUTPUT_FIELDS)
    assert (current["published"], current["published_date"], current["modified"], current["modified_raw"]) == (
        None,
        "2018-07-24",
        None,
        "25/07/2018",
    )
    assert as_current(V1)["published_date"] == "2025-09-09"
    assert as_current(V2) is V2
    assert published_day(V1 | {"published": "2025-09-09T23:30:00+00:00"}).isoformat() == "2025-09-10"


def test_the_state_recovers_1_0_and_2_0_lines_alike(tmp_path: Path):
    writer = JsonLinesWriter(tmp_path)
    old = V1 | {"article_id": "OLD", "published": "2018-07-24", "modified": "2018-07-25"}
    new = V2 | {"article_id": "NEW", "published": None, "published_date": "2018-07-24"}
    for line in (old, new, V2):
        writer.write("le360", "2026-04-08", line)
    writer.close()
    store = StateStore(tmp_path / ".state" / "state.sqlite")
    assert store.reconcile(tmp_path, "le360") == 3
    for article_id in ("OLD", "NEW"):
        seen = store.get("le360", article_id)
        assert (seen.published, seen.published_date, seen.modified) == (None, "2018-07-24", None)
        assert seen.own_time() == datetime(2018, 7, 23, 23, 0, tzinfo=UTC)  # midnight in Morocco (UTC+1)
        # Refetched, the article gives a 2.0 record: no modified instant, same text: unchanged.
        assert is_unchanged(seen, {"content_sha256": "0" * 64, "modified": None})
    assert store.get("le360", V2["article_id"]).published_date == "2025-09-09"
    store.close()


def test_a_state_made_before_2_0_gets_its_new_column(tmp_path: Path):
    import sqlite3

    path = tmp_path / "state.sqlite"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE articles (site TEXT NOT NULL, article_id TEXT NOT NULL, url TEXT NOT NULL,"
        " content_sha256 TEXT, published TEXT, modified TEXT, listed TEXT, etag TEXT, last_modified TEXT,"
        " file TEXT, line_end INTEGER, recorded_at TEXT NOT NULL, PRIMARY KEY (site, article_id))"
    )
    db.execute(
        "INSERT INTO articles VALUES ('le360', 'A', 'u', 's', '2018-07-24', NULL, NULL, NULL, NULL, 'f', 1, 'x')"
    )
    db.commit()
    db.close()
    store = StateStore(path)
    seen = store.get("le360", "A")
    assert (seen.published, seen.published_date) == (None, "2018-07-24")
    store.close()


def test_seen_reads_1_0_values_recorded_before_2_0():
    seen = Seen("le360", "A", "u", "s", "2018-07-24", "2018-07-25", None, None, None)
    assert (seen.published, seen.published_date, seen.modified) == (None, "2018-07-24", None)
