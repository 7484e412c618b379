"""The site registry: one module per site, each declaring a ``SITE``."""

from __future__ import annotations

from clippings.sites import almaghribtoday, le360
from clippings.sites.base import Site

SITES: dict[str, Site] = {site.name: site for site in (le360.SITE, almaghribtoday.SITE)}


def get_site(name: str) -> Site:
    """The site called ``name``; KeyError names the known ones."""
    try:
        return SITES[name]
    except KeyError:
        raise KeyError(f"unknown site {name!r} (known: {', '.join(sorted(SITES))})") from None


def site_for_url(url: str) -> Site | None:
    return next((site for site in SITES.values() if site.owns(url)), None)
