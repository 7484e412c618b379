"""le360, Arabic edition (ar.le360.ma): the Arc XP platform of fr.le360.ma, in Arabic; its
words are the "ar" column of ``clippings.sites.le360.edition``."""

from __future__ import annotations

from clippings.sites.le360.edition import edition

SITE = edition("le360_ar", "ar")
