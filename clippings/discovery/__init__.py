"""Discovery: the links a site's feeds, sitemaps, robots.txt and listings give (``links``), and
what a crawl does with each (``policy``: fetch, revalidate or skip). Imports no Scrapy."""

from clippings.discovery.links import (
    FeedError,
    Link,
    html_links,
    link_time,
    listing_entries,
    next_page,
    parse_xml_links,
    read_xml_links,
    robots_sitemaps,
    sniff,
)

__all__ = [
    "FeedError",
    "Link",
    "html_links",
    "link_time",
    "listing_entries",
    "next_page",
    "parse_xml_links",
    "read_xml_links",
    "robots_sitemaps",
    "sniff",
]
