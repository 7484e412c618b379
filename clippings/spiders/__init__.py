"""One spider per registered site (``clippings.sites``), made here: ``scrapy list`` shows them.

A site's spider is ``NewsSpider`` naming its ``Site``; all site knowledge lives in the site's
package, nothing here changes when a site is added.
"""

from __future__ import annotations

from clippings.core.site import Site
from clippings.crawl.spider import NewsSpider
from clippings.sites import SITES

_made: dict[str, type[NewsSpider]] = {}


def spider_class(name: str) -> type[NewsSpider]:
    """The spider class of the registered site ``name``."""
    if name not in _made:
        site = SITES[name]
        _made[name] = _make(site)
    return _made[name]


def _make(site: Site) -> type[NewsSpider]:
    title = "".join(part.capitalize() for part in site.name.split("_"))
    return type(f"{title}Spider", (NewsSpider,), {"name": site.name, "site": site, "__module__": __name__})


# Scrapy's spider loader finds the classes defined in this module.
for _name in SITES:
    globals()[spider_class(_name).__name__] = spider_class(_name)
