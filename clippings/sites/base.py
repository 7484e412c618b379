"""What a site module declares, where site modules import it from: ``Site`` (defined in
``clippings.core.site``, where every field is documented) and the XPath helpers for class
tests ``has_class`` and ``class_words`` (``clippings.extract.xpaths``); the hashtag row every
site drops."""

import re

from clippings.core.site import Site
from clippings.extract.xpaths import class_words, has_class

__all__ = ["HASHTAG_ROW", "Site", "class_words", "has_class"]

# A row of hashtags closing an article ("#Maroc #Russie"): a body line every site drops.
HASHTAG_ROW = re.compile(r"^\s*(?:#[^#\s][^#]*){2,}$")
