from clippings.sites import almaghribtoday
from clippings.spiders.base import NewsSpider


class AlmaghribtodaySpider(NewsSpider):
    name = "almaghribtoday"
    site = almaghribtoday.SITE
