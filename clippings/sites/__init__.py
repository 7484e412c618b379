"""The site registry: every package below ``clippings.sites`` declaring a ``SITE`` is a site,
and so is every site a distribution declares as an entry point of the ``clippings.sites``
group (a site kept outside this package: ``name = "package"`` or ``"package:SITE"``).

Adding a site is adding its package (``clippings/sites/<name>/__init__.py`` with ``SITE``, and
its page object), here or in a distribution of its own; the spiders, the CLI's site list, the
schema's check and the tests take the list from here, in every process (a crawl, its workers).
"""

from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import entry_points

from clippings.core.site import Site

ENTRY_POINTS = "clippings.sites"


def _discover() -> dict[str, Site]:
    found: dict[str, Site] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.ispkg:
            continue
        site = getattr(importlib.import_module(f"{__name__}.{module.name}"), "SITE", None)
        if isinstance(site, Site):
            if site.name != module.name:
                raise ValueError(f"clippings.sites.{module.name} declares the site {site.name!r}: name them alike")
            found[site.name] = site
    for entry in sorted(entry_points(group=ENTRY_POINTS), key=lambda e: e.name):
        where = f"the {ENTRY_POINTS} entry point {entry.name} = {entry.value!r}"
        loaded = entry.load()
        site = loaded if isinstance(loaded, Site) else getattr(loaded, "SITE", None)
        if not isinstance(site, Site):
            raise TypeError(f"{where} names no Site")
        if site.name != entry.name:
            raise ValueError(f"{where} declares the site {site.name!r}: name them alike")
        if found.get(site.name, site) is not site:
            raise ValueError(f"{where}: a site named {site.name!r} is registered already")
        found[site.name] = site
    return found


SITES: dict[str, Site] = _discover()


def register(site: Site) -> Site:
    """Add a site declared outside this package (a plug-in, a test's throwaway site)."""
    if site.name in SITES and SITES[site.name] is not site:
        raise ValueError(f"a site named {site.name!r} is registered already")
    SITES[site.name] = site
    return site


def get_site(name: str) -> Site:
    """The site called ``name``; KeyError names the known ones."""
    try:
        return SITES[name]
    except KeyError:
        raise KeyError(f"unknown site {name!r} (known: {', '.join(sorted(SITES))})") from None


def site_for_url(url: str) -> Site | None:
    """The site a URL belongs to: by host, and by path where sites share a host (a URL of
    the whole host, its robots.txt, goes to the site that does not confine itself to paths)."""
    owners = [site for site in SITES.values() if site.owns(url)]
    return min(owners, key=lambda site: bool(site.paths), default=None)
