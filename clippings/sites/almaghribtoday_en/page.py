"""almaghribtoday English's article page object: the Arabic site's reading."""

from __future__ import annotations

from clippings.sites.almaghribtoday.page import AlmaghribtodayPage


class AlmaghribtodayEnPage(AlmaghribtodayPage):
    """The English rendering of almaghribtoday's templates reads as the Arabic one: declared
    descriptions are the body's opening words, and the credit is the dateline's outlet or
    journalist ("Rabat - Almaghribtoday")."""
