"""almaghribtoday's article page object."""

from __future__ import annotations

from clippings.extract.page import ArticlePage


class AlmaghribtodayPage(ArticlePage):
    """almaghribtoday's article page: the shared reading as it is. Its declared descriptions
    are the body's opening words, never a standfirst (so no ``declared_lead``), and its
    credit is the dateline's outlet ("الرباط - المغرب اليوم"), read by the shared byline rules."""
