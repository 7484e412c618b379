"""The client's side of ``clippings reextract``: the single writer of the collection. No Scrapy.

Finished records come back from the workers shard by shard, in whatever order they finish;
each is taken here through the rest of a crawl's steps (date range, duplicates, schema,
unchanged), then written by the crawl's writer and recorded in the crawl's incremental state,
exactly as the crawl's item pipelines do it (``clippings.core.finish``). What the workers counted
and logged is counted and logged here, in stats kept under a crawl's own keys, so the summary
is a crawl's (``clippings.core.summary.summary``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from clippings.collection.output import JsonLinesWriter, OutputError
from clippings.collection.runs import read_runs
from clippings.core.config import DEFAULTS
from clippings.core.drift import baseline, drift_alarms
from clippings.core.finish import Duplicates, out_of_range, output_day, written_counts
from clippings.core.health import DEFAULT_LIMITS, judge
from clippings.core.stats import DictStats, add_example, stat_key
from clippings.reextract.task import Outcome, ShardResult
from clippings.reextract.versions import Versions
from clippings.sites import SITES
from clippings.state import StateStore, is_unchanged
from clippings.state.learned import ContainerMemory, learn_containers

logger = logging.getLogger("clippings.reextract")


@dataclass
class Health:
    enabled: bool = True
    limits: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    min_pages: int = DEFAULTS["CLIPPINGS_HEALTH_MIN_PAGES"]
    max_drop: float = DEFAULTS["CLIPPINGS_HEALTH_MAX_DROP"]
    max_new: float = DEFAULTS["CLIPPINGS_HEALTH_MAX_NEW_VALUES"]


class Collection:
    """The collection at ``output`` (and its state, unless ``state`` is None), opened for one
    run: reconciled with the files first, as a crawl opens it. The caller holds the sites'
    writer locks (``clippings.collection.lock``) from before it is opened until it is closed."""

    def __init__(
        self,
        output: Path,
        state: Path | None,
        since: date | None = None,
        until: date | None = None,
        health: Health | None = None,
    ) -> None:
        self.output = output
        self.since, self.until = since, until
        self.health = health or Health()
        self.stats: dict[str, dict[str, Any]] = {name: {} for name in SITES}
        self.failed: str | None = None
        self.foreign = self.other = 0
        self.unplaced: list[str] = []  # counts of records unreadable before their URL was read
        self.writer = JsonLinesWriter(output)
        self.store = StateStore(state) if state is not None else None
        if self.store is not None:
            for name in SITES:
                self._set(name, "state/recovered_lines", self.store.reconcile(output, name))
                self._set(name, "state/known_articles", self.store.count(name))
        self.containers = ContainerMemory(self.store.db if self.store else None)
        self.versions = Versions(self.store) if self.store is not None else None
        self.duplicates = Duplicates()

    # --- stats --------------------------------------------------------------------------
    def count(self, site: str, key: str, value: int = 1, example: str | None = None) -> None:
        """Count ``key`` for ``site``; ``example``: a URL kept as one of the run history's
        examples of it, as a crawl keeps them."""
        stats = self.stats.setdefault(site, {})
        name = stat_key(site, key)
        stats[name] = stats.get(name, 0) + value
        if example is not None:
            add_example(DictStats(stats), site, key, example)

    def _set(self, site: str, key: str, value: Any) -> None:
        self.stats.setdefault(site, {})[stat_key(site, key)] = value

    def learned(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """The article containers learned so far, by site, to send with the next shard."""
        return {name: self.containers.known(name) for name in SITES}

    # --- results ------------------------------------------------------------------------
    def take(self, result: ShardResult) -> None:
        """A finished shard: every record counted, logged and, if it is one, written."""
        self.foreign += result.foreign
        self.other += result.other
        for outcome in result.outcomes:
            self._take(outcome)

    def _take(self, outcome: Outcome) -> None:
        site = outcome.site
        for level, message in outcome.logs:
            logger.log(level, "%s", message)
        if site is None:  # a record unreadable before its URL was read
            self.unplaced.extend(outcome.counts)
            return
        stats = self.stats.setdefault(site, {})
        stats["response_received_count"] = stats.get("response_received_count", 0) + 1
        for key in outcome.counts:
            self.count(site, key, example=outcome.url if outcome.kind != "article" or key in outcome.named else None)
        if outcome.remember and self.store is not None and outcome.url:
            article_id = SITES[site].article_id(outcome.url) or outcome.url
            self.store.record_dropped(site, article_id, outcome.url, outcome.remember)
        if outcome.kind == "article" and outcome.article is not None:
            self._article(outcome)

    def _article(self, outcome: Outcome) -> None:
        """The crawl's steps after the page is read (spider, then its item pipelines)."""
        article = outcome.article
        site = article.site
        if not outcome.again:  # a page in doubt teaches nothing (as in a crawl)
            for key, message in learn_containers(self.containers, site, article):
                self.count(site, key)
                if message:
                    logger.info("%s", message)
        if out_of_range(article, self.since, self.until):
            self.count(site, "skipped/out_of_range")
            logger.info("%s: published %s, outside the requested dates", article.url, article.published)
            return
        if self.duplicates.is_duplicate(article):
            self.count(site, "dropped/duplicate")
            logger.info("%s: duplicate of an article already written in this run", article.url)
            return
        if outcome.problem:
            reason, message = outcome.problem
            self.count(site, f"dropped/{reason}")
            logger.info("%s", message)
            return
        record = article.to_record()
        etag, last_modified = outcome.validators
        article_id = str(article.article_id)
        seen = self.store.get(site, article_id) if self.store is not None else None
        if self.store is not None and is_unchanged(seen, record):
            self.store.touch(site, article_id, etag=etag, last_modified=last_modified)
            if outcome.again:
                self.store.refetch(site, article_id)
            self.count(site, "skipped/unchanged")
            return
        day = output_day(article)
        # An earlier capture than the one the state holds (``versions``): written once, the
        # state left on the later one.
        earlier = (
            seen is not None and self.versions is not None and self.versions.recorded_later(site, article_id, record)
        )
        if earlier and self.versions.holds(self.writer.path_for(site, day), record):
            self.count(site, "skipped/unchanged")
            return
        if self.failed:
            return
        try:
            path = self.writer.write(site, day, record)
        except OutputError as exc:
            self.failed = str(exc)
            self.stats[site]["clippings/output_error"] = str(exc)
            logger.error("%s; stopping the run", exc)
            return
        self.count(site, "written")
        if seen is not None:
            self.count(site, "updated")  # written again because it changed (as a crawl counts it)
        for warning in outcome.date_warnings:
            logger.warning("%s", warning)
        if self.versions is not None:
            self.versions.written(path, record)
        if self.store is not None and earlier:
            self.store.record_earlier(path, self.writer.last_line_end)
        elif self.store is not None:
            self.store.record_written(record, path, self.writer.last_line_end, etag=etag, last_modified=last_modified)
            if outcome.again:  # its page was in doubt: the next crawl fetches it again, whole
                self.store.refetch(site, article_id)
        if self.health.enabled:
            for key in written_counts(record):
                self.count(site, key)

    # --- the end ------------------------------------------------------------------------
    def close(self) -> None:
        """Files synced and closed, health judged, the state's counts kept."""
        try:
            try:
                self.writer.close()
            except OutputError as exc:
                self.failed = self.failed or str(exc)
                for stats in self.stats.values():
                    stats.setdefault("clippings/output_error", str(exc))
                logger.error("%s", exc)
            for name, stats in self.stats.items():
                if not stats.get("response_received_count"):
                    continue
                if self.store is not None:
                    self._set(name, "state/known_articles", self.store.count(name))
                if self.health.enabled:
                    self._judge(name, stats)
        finally:
            if self.store is not None:
                self.store.close()

    def _judge(self, site: str, stats: dict[str, Any]) -> None:
        # The site's last runs, read before this run's line is appended.
        base = baseline(read_runs(self.output), site, self.health.min_pages)
        health = judge(stats, site, self.health.limits, self.health.min_pages, base.shares)
        health.alarms += drift_alarms(
            stats,
            site,
            base,
            self.health.max_drop,
            self.health.max_new,
            self.health.min_pages,
            frozenset(health.alarmed),
        )
        for check, share in health.shares.items():
            self._set(site, f"health/{check}", share)
        self._set(site, "health/alarms", health.alarms)
        logger.info("%s", health.info)
        for alarm in health.alarms:
            logger.error("%s", alarm)
        if health.warning:
            logger.warning("%s", health.warning)

    def site_stats(self) -> list[tuple[str, dict[str, Any]]]:
        """(site, stats) of each site the archives had records of, for the summary."""
        return [(name, stats) for name, stats in self.stats.items() if stats.get("response_received_count")]
