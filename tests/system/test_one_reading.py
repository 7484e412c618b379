"""One reading whatever the path: a bulk of pages of templates no site module knows, replayed
by ``clippings crawl`` in one process and with ``--workers 2``, by ``clippings reextract`` in
one process and on a local Dask cluster, and read one page at a time by ``extract_article``,
gives the same record for every page, field by field (``fetched_at`` aside). The crawls learn
containers from the first pages of each template, in whatever order their processes finish;
what they learned never changes a body."""

from __future__ import annotations

import re
from importlib.util import find_spec

import pytest

from bench.throughput import build_pages, write_warc
from clippings.core.items import NotArticle
from clippings.core.page import ReadingContext
from clippings.extract import extract_article
from clippings.sites import get_site
from tests.helpers.crawl import read_output, run_clippings

PAGES = 300
_STAT = re.compile(r"'clippings/([a-z0-9_]+)/([^']+)': (\d+)")


def _by_key(records):
    found = {}
    for record in records:
        key = (record["site"], record["article_id"])
        assert key not in found, f"{key} written twice"
        found[key] = {name: value for name, value in record.items() if name != "fetched_at"}
    return found


def _stats(stderr: str) -> dict[str, int]:
    """The per-site counts of the stats dumps (crawl) or the stats lines (reextract), summed."""
    totals: dict[str, int] = {}
    for _site, key, value in _STAT.findall(stderr):
        totals[key] = totals.get(key, 0) + int(value)
    return totals


@pytest.fixture(scope="module")
def bulk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bulk")
    pages = build_pages(PAGES, unknown=True)
    warc = folder / "pages.warc.gz"
    write_warc(pages, warc)
    return pages, warc


@pytest.fixture(scope="module")
def alone(bulk):
    """Each page read by itself, as ``extract_article`` gives it."""
    pages, _ = bulk
    records = []
    for site, saved in pages:
        try:
            article = extract_article(saved.page(), ReadingContext(get_site(site)))
        except NotArticle:
            continue
        records.append(article.to_record())
    found = _by_key(records)
    assert len(found) > PAGES * 0.9
    assert len({record["site"] for record in found.values()}) >= 2
    return found


def _same(got: dict, want: dict) -> None:
    assert got.keys() == want.keys()
    differing = [(key, name) for key in sorted(want) for name in want[key] if got[key][name] != want[key][name]]
    assert not differing, f"{len(differing)} fields differ, the first: {differing[:5]}"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_crawl_writes_what_each_page_gives_alone(tmp_path, bulk, alone, workers):
    _, warc = bulk
    out = tmp_path / "out"
    args = ["crawl", "all", "--replay", str(warc), "--output", str(out), "--loglevel", "INFO"]
    done = run_clippings(*args, "--workers", str(workers))
    assert done.returncode == 0, done.stderr[-3000:]
    stats = _stats(done.stderr)
    # The crawl did learn containers and set their readings against the page's: the fast path
    # was reached (verified equal, or forgotten at a difference), and changed no record below.
    _same(_by_key(read_output(out)), alone)
    assert stats.get("learned/containers", 0) > 0
    if workers == 1:
        # In one process the pages come after what was learned from earlier ones. (With
        # workers, pages may all be handed out before a container is learned: not checked.)
        assert stats.get("learned/verified", 0) + stats.get("learned/forgotten", 0) > 0


def test_reextract_in_one_process_writes_what_each_page_gives_alone(tmp_path, bulk, alone, no_dask):
    _, warc = bulk
    out = tmp_path / "out"
    done = run_clippings("reextract", str(warc), "--output", str(out), env=no_dask)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "on Dask" not in done.stdout
    _same(_by_key(read_output(out)), alone)


@pytest.mark.skipif(find_spec("distributed") is None, reason="the dask extra is not installed")
def test_reextract_on_a_local_dask_cluster_writes_what_each_page_gives_alone(tmp_path, bulk, alone):
    _, warc = bulk
    out = tmp_path / "out"
    done = run_clippings("reextract", str(warc), "--output", str(out), "--dask", "local:2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "on Dask" in done.stdout
    _same(_by_key(read_output(out)), alone)
