"""The garbage collector while ``clippings crawl`` runs its crawls: what was built before them
frozen, young objects collected in larger batches, and the process given back as it was,
even when a crawl raises."""

from __future__ import annotations

import gc

import pytest

from clippings.cli.crawl import YOUNG_BATCH, collector_for_crawls


def test_the_crawls_run_with_what_was_built_before_them_frozen():
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    built_before = ["a spider's state"]

    def collected(thing: object) -> bool:  # walked by the collections (the frozen are not)
        return any(o is thing for o in gc.get_objects())

    assert collected(built_before)
    with collector_for_crawls():
        assert not collected(built_before)
        built_during = ["a page's objects"]
        assert collected(built_during)
        assert gc.get_threshold() == (YOUNG_BATCH, *before[1:])
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert collected(built_before)


def test_a_crawl_that_raises_gives_the_collector_back_as_it_was():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), collector_for_crawls():
        raise RuntimeError("the reactor stopped")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
