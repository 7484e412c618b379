"""le360, English edition (en.le360.ma): the Arc XP platform of fr.le360.ma, in English; its
words are the "en" column of ``clippings.sites.le360.edition``."""

from __future__ import annotations

from clippings.sites.le360.edition import edition

SITE = edition("le360_en", "en")
