"""The site registry: every package below ``clippings.sites`` declaring a ``SITE`` is a site.

Adding a site is adding its package (``clippings/sites/<name>/__init__.py`` with ``SITE``, and
its page object); the spiders, the schema's check and the tests take the list from here.
"""

from __future__ import annotations

import importlib
import pkgutil

from clippings.sites.base import Site


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
