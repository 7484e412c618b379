from clippings.sites import le360
from clippings.spiders.base import NewsSpider


class Le360Spider(NewsSpider):
    name = "le360"
    site = le360.SITE
