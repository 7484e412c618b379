"""clippings: a press-monitoring crawler for Moroccan news sites.

``clippings.extract_page(html_or_bytes, url)`` reads one page into the line the crawl would
write (docs/python.md); it is imported on first use, so ``import clippings`` stays light.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["NotArticle", "extract_page"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from clippings.sites import onepage

        return getattr(onepage, name)
    raise AttributeError(f"module 'clippings' has no attribute {name!r}")
