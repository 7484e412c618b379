"""le360's article page object: what it reads differently from the shared one."""

from __future__ import annotations

from collections.abc import Callable

from clippings.extract.page import ArticlePage
from clippings.extract.sources import NOTHING, Pick


class Le360Page(ArticlePage):
    """le360's article page: the embedded story first (Arc), and the declared description is
    the standfirst (Arc writes it from the story's subheadline)."""

    def lead_sources(self) -> list[Pick | Callable[[], Pick]]:
        story, rule, shown = super().lead_sources()
        # The description where the page shows it, before a standfirst known by its shape;
        # else as declared (a page may not show its standfirst).
        return [story, rule, self.shown_declared_lead, shown, self.declared_lead]

    def shown_declared_lead(self) -> Pick:
        """The declared description, only where the page shows it apart from the article."""
        declared = self.declared_lead()
        return declared if declared.elements else NOTHING
