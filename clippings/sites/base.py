"""What a site module declares, where site modules import it from: ``Site`` (defined in
``clippings.core.site``, where every field is documented) and the XPath helpers for class
tests ``has_class`` and ``class_words`` (``clippings.extract.xpaths``)."""

from clippings.core.site import Site
from clippings.extract.xpaths import class_words, has_class

__all__ = ["Site", "class_words", "has_class"]
