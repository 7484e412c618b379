"""The extensions' documented path (``clippings.extensions.ExtractionHealth``): they live in
``clippings.crawl.extensions``."""

from clippings.crawl.extensions import *  # noqa: F403
from clippings.crawl.extensions import __all__  # noqa: F401
