"""What a crawl holds belongs to its crawler (``clippings.crawl.resources``): the admission, the
state, and the ``Shared`` pool, stores, recorders and locks, which the crawls of one command
share and crawls started apart do not."""

from __future__ import annotations

import ast

from scrapy.crawler import Crawler
from scrapy.settings import Settings

from clippings.collection.lock import WriterLock
from clippings.crawl.admission import admission
from clippings.crawl.resources import Resources, Shared, resources, share
from clippings.spiders import spider_class
from tests.helpers.fixturelib import FIXTURES, ROOT


def _crawler(site: str, out):
    """A crawler with the project's settings (so it writes, and takes the writer's lock)."""
    from clippings import settings as project

    values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    # As ``clippings crawl`` makes it (``create_crawler``): nothing built before its crawl.
    return Crawler(spider_class(site), Settings({**values, "CLIPPINGS_OUTPUT_DIR": str(out)}))


def test_each_crawler_holds_its_own_and_the_extension_is_the_same_object(tmp_path):
    first, second = _crawler("le360", tmp_path / "a"), _crawler("almaghribtoday", tmp_path / "b")
    assert resources(first) is resources(first) and resources(first) is not resources(second)
    assert admission(first) is resources(first).admission and admission(first) is not admission(second)
    assert Resources.from_crawler(first) is resources(first)  # what Scrapy registers as the extension
    assert resources(first).shared is not resources(second).shared  # crawls started apart share nothing
    admission(first).release()
    admission(second).release()


def test_the_crawls_of_one_command_share_one_pool_one_store_and_its_locks(tmp_path):
    shared = Shared()
    crawlers = [_crawler(site, tmp_path / "out") for site in ("le360", "almaghribtoday")]
    for crawler in crawlers:
        share(crawler, shared)
    assert all(resources(crawler).shared is shared for crawler in crawlers)
    pool = shared.pool(2)
    assert shared.pool(2) is pool and shared.pool(3) is not pool
    shared.release_pool(pool)
    assert shared.pool(2) is pool  # one user left: still open
    shared.release_pool(pool)
    shared.release_pool(pool)
    assert shared.pool(2) is not pool  # the last user closed it
    warc = tmp_path / "f.warc.gz"
    from clippings.replay import copy_store, open_store

    copy_store(open_store(FIXTURES / "le360"), warc)
    assert shared.store(warc) is shared.store(warc) and Shared().store(warc) is not shared.store(warc)
    held = WriterLock(tmp_path / "out", "le360")
    held.acquire()
    shared.reserve(held)
    assert admission(crawlers[0]).lock is held  # the command's lock, claimed by its site's crawl
    assert shared.claim(tmp_path / "out", "le360") is None  # once
    admission(crawlers[0]).release()
    admission(crawlers[1]).release()


# The module-level registries the crawl side kept before its crawls' resources were theirs.
REGISTRIES = {"_shared", "_recorders", "_opened_warcs", "_by_crawler", "_live", "_live_display", "_reserved"}


def test_no_module_keeps_a_registry_of_crawls():
    """None of those names is defined at module level, nor any WeakKeyDictionary (what keys
    things by crawler) or ``global`` rebinding, outside a worker process's own counters."""
    found = []
    for path in sorted((ROOT / "clippings").rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text("utf-8"))
        for node in tree.body:
            if isinstance(node, ast.AnnAssign | ast.Assign):
                target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
                name = getattr(target, "id", "")
                weak = isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") == "WeakKeyDictionary"
                if name in REGISTRIES or weak:
                    found.append(f"{where}: {name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Global) and node.names != ["_pages_read"]:  # a worker's page count
                found.append(f"{where}: global {', '.join(node.names)}")
    assert found == []
