"""le360 Arabic's article page object: le360's own reading (the same Arc platform)."""

from __future__ import annotations

from clippings.sites.le360.page import Le360Page


class Le360ArPage(Le360Page):
    """The Arabic edition reads as the French one does: the embedded Arc story first, and the
    declared description is the standfirst. Only the site's words differ (its ``SITE``)."""
