"""Saved responses: the fixtures folder and WARC files, read back as if from the network.

A store maps URLs to saved responses. ``open_store`` picks the kind from the path; the
Scrapy side (``clippings.crawl.middlewares.ReplayMiddleware``) answers requests from it.
"""

from __future__ import annotations

from clippings.replay.index import SIDE_INDEX_SUFFIX, side_index_path
from clippings.replay.recorder import WarcRecorder
from clippings.replay.responses import ReplaySourceError, SavedResponse, parse_stamp, url_key
from clippings.replay.stores import FixtureStore, WarcStore, copy_store, open_store

__all__ = [
    "SIDE_INDEX_SUFFIX",
    "FixtureStore",
    "ReplaySourceError",
    "SavedResponse",
    "WarcRecorder",
    "WarcStore",
    "copy_store",
    "open_store",
    "parse_stamp",
    "side_index_path",
    "url_key",
]
