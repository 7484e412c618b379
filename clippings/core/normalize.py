"""Pure steps the item pipelines run on an article: dates, derived fields, schema check.

They take the fetch time as an argument and never read the clock, so a replayed page
gives the same item every time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema

from clippings import dates
from clippings.core.contract import date_errors, is_instant, morocco_date, split_date
from clippings.core.items import SCHEMA_VERSION, Article
from clippings.core.tokens import count as count_words


def choose_date(candidates: list[str], now: datetime | None) -> tuple[str | None, str | None, str | None]:
    """(normalised, raw, problem): the first candidate that parses, best source first.

    When none parses, the first raw text is kept for audit and ``problem`` says why.
    """
    normalised, raw, problem, _ = _choose(candidates, now)
    return normalised, raw, problem


def _choose(candidates: list[str], now: datetime | None) -> tuple[str | None, str | None, str | None, int | None]:
    problem: str | None = None
    for index, raw in enumerate(candidates):
        try:
            return dates.parse_date(raw, now=now), raw, None, index
        except dates.DateError as exc:
            problem = problem or exc.reason
    if not candidates:
        return None, None, "missing", None
    return None, candidates[0], f"unparseable:{problem}", None


# An update stamped within this long of publication is the publication itself (Arc sets
# ``last_updated_date`` milliseconds after ``first_publish_date`` on stories never edited).
_SAME_MOMENT_SECONDS = 60


def _same_moment(published: str, modified: str) -> bool:
    if published == modified:
        return True
    try:
        first, second = datetime.fromisoformat(published), datetime.fromisoformat(modified)
    except ValueError:
        return False
    if (first.tzinfo is None) != (second.tzinfo is None):
        return False
    return abs((second - first).total_seconds()) < _SAME_MOMENT_SECONDS


def apply_dates(article: Article, now: datetime | None) -> list[str]:
    """Fill published, published_date, modified (and the raw texts); return problems found,
    for stats.

    The date chosen for each is an instant, or a bare day when the page gives no time: a
    bare publication day goes to ``published_date`` alone (``published`` stays null: no
    invented time), a bare update day leaves ``modified`` null and its text in
    ``modified_raw``.
    """
    problems: list[str] = []
    found = article.date_candidates
    chosen: dict[str, int | None] = {}
    published, article.published_raw, problem, chosen["published"] = _choose(found.get("published", []), now)
    if problem:
        problems.append(f"published_{problem.split(':')[0]}")
    modified, article.modified_raw, problem, chosen["modified"] = _choose(found.get("modified", []), now)
    if problem and problem != "missing":
        problems.append(f"modified_{problem.split(':')[0]}")
    if modified is not None and published is not None and _same_moment(published, modified):
        # Pages never updated still declare dateModified = datePublished: no update.
        modified, article.modified_raw, chosen["modified"] = None, None, None
    for name, index in chosen.items():
        sources = article.date_sources.get(name, [])
        if index is not None and index < len(sources):
            article.provenance[name] = sources[index]
    if now is not None:
        for name, value in (("published", published), ("modified", modified)):
            flag = value and dates.plausibility(value, now=now)
            if flag:
                problems.append(f"{name}_{flag}")
    article.published, article.published_date = split_date(published)
    article.modified, _ = split_date(modified)
    return problems


def derive(article: Article) -> None:
    """Fields computed from others: the day of a publication instant, word count, body hash,
    schema version."""
    if is_instant(article.published):
        article.published_date = morocco_date(article.published)  # type: ignore[arg-type]
    article.word_count = count_words(article.body)
    article.content_sha256 = hashlib.sha256(article.body.encode("utf-8")).hexdigest()
    article.schema_version = SCHEMA_VERSION


def finalize(article: Article, now: datetime | None) -> list[str]:
    problems = apply_dates(article, now)
    derive(article)
    return problems


# The schema of each version a line may declare; the shipped ``article.schema.json`` is the
# current one (what crawls write), the older ones are kept to read older collections.
SCHEMA_FILES = {"1.0": "schema/article-1.0.schema.json", SCHEMA_VERSION: "schema/article.schema.json"}


def load_schema(version: str = SCHEMA_VERSION) -> dict[str, Any]:
    text = resources.files("clippings").joinpath(SCHEMA_FILES[version]).read_text("utf-8")
    return json.loads(text)


@cache
def validator(version: str = SCHEMA_VERSION) -> Any:  # a jsonschema Draft202012Validator
    """The schema's reference validator; imported on first use (a crawl writing valid lines
    never needs it)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(version))


@cache
def _fast_check(version: str = SCHEMA_VERSION) -> Callable[[dict[str, Any]], Any]:
    """The same schema compiled to Python code: ~40x faster than ``validator()`` on the
    valid lines a crawl writes; a line it refuses is explained by ``validator()``."""
    return fastjsonschema.compile(load_schema(version))


def schema_errors(
    record: dict[str, Any], versions: tuple[str, ...] = tuple(SCHEMA_FILES), sites: Collection[str] | None = None
) -> list[str]:
    """Every way ``record`` breaks the output contract, as 'field: message' lines. A line is
    checked against the schema of the version it declares among ``versions`` (any known one
    by default; the current schema when it declares another). The schema says a site's name
    is a word, the registry says which words are sites: ``sites``, the registered names (the
    callers above the registry pass ``clippings.sites.SITES``; None: not checked). A 2.0
    line's ``published_date`` must be the Moroccan day of its ``published``."""
    declared = record.get("schema_version") if isinstance(record, dict) else None
    version = declared if declared in versions else SCHEMA_VERSION
    unknown = _unknown_site(record, sites)
    try:
        _fast_check(version)(record)
    except fastjsonschema.JsonSchemaException:
        pass
    else:
        return date_errors(record) + unknown
    errors = sorted(validator(version).iter_errors(record), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(line)'}: {e.message}" for e in errors] + unknown


def _unknown_site(record: dict[str, Any], sites: Collection[str] | None) -> list[str]:
    site = record.get("site") if isinstance(record, dict) else None
    if sites is not None and isinstance(site, str) and site not in sites:
        return [f"site: {site!r} is not a registered site (known: {', '.join(sorted(sites))})"]
    return []
