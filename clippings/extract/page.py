"""The article page object: one method per output field, each reading the page's sources in
order of trust (the embedded story, JSON-LD, metas, the site's rules, the visible lines).

A site's page class (``Site.page``) is this class or a subclass of it that overrides the
fields its site knows better. Fields that depend on others name them in their code (the
body leaves out what ``title``, ``lead``, ``byline``... were read from): no hidden order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from typing import Any

from web_poet import ItemPage, field

from clippings.extract import ans, declared, furniture, image, lines, standfirst
from clippings.extract.html import clean_text, text_of
from clippings.extract.metadata import as_text, as_texts, first_meta
from clippings.extract.reading import BodyPick, BodyReader
from clippings.extract.sources import NOTHING, PageParts, Pick, first

_MAX_LEAD = 1000
_ELLIPSIS = ("…", "...")


class ArticlePage(ItemPage):
    """A page at an article URL, read field by field. ``provenance`` says where each came from."""

    def __init__(self, sources: PageParts, learned: tuple[tuple[str, str], ...] = ()) -> None:
        self.page = sources
        self.site = sources.site
        self.story = sources.story
        self.learned = learned

    def _validate_input(self) -> None:
        """No input to validate (no ``validate_input``). web-poet's own caches its answer on
        the page, which ties the page, and the tree it reads, to itself in a reference cycle:
        every page would wait for the garbage collector instead of going when read."""
        return None

    # --- the fields ----------------------------------------------------------------------
    @field
    def url(self) -> str:
        return self._url.value

    @field
    def article_id(self) -> str | None:
        return self._article_id.value

    @field
    def title(self) -> str | None:
        return self._title.value

    @field
    def lead(self) -> str | None:
        return self._kept_lead.value

    @field
    def authors(self) -> list[str]:
        seen: set[str] = set()
        return [n for n in self._authors.value or [] if not (n in seen or seen.add(n))]

    @field
    def section(self) -> str | None:
        return self._section.value

    @field
    def tags(self) -> list[str]:
        seen: set[str] = set()
        return [t for t in (clean_text(t) for t in self._tags.value or []) if t and not (t in seen or seen.add(t))]

    @field
    def image(self) -> dict[str, str | None] | None:
        return self._image.value

    @field
    def date_candidates(self) -> dict[str, list[tuple[str, str]]]:
        """Raw date texts with their sources, best first: {"published": [(source, raw)...]}."""
        return {"published": self._published, "modified": self._modified}

    @field
    def body(self) -> str:
        return self._body.value or ""

    @property
    def body_pick(self) -> BodyPick:
        """The body with what its reading found (short, a container to learn)."""
        return self._body

    @cached_property
    def provenance(self) -> dict[str, str]:
        """{field: source} for every field that was found (dates: see ``date_candidates``)."""
        picks = {
            "url": self._url, "article_id": self._article_id, "title": self._title,
            "lead": self._kept_lead, "authors": self._authors, "section": self._section,
            "tags": self._tags, "image": self._image, "body": self._body,
        }  # fmt: skip
        found = {name: pick.source for name, pick in picks.items() if pick.value and pick.source}
        if self._image.value and self._image_caption.value:
            found["image.caption"] = self._image_caption.source
        return found

    # --- how each is read ----------------------------------------------------------------
    @cached_property
    def _url(self) -> Pick:
        return declared.canonical_url(self.page)

    @cached_property
    def _article_id(self) -> Pick:
        found = self.site.article_id(self._url.value) or self.site.article_id(self.page.url)
        return Pick(found, "url")

    @cached_property
    def _dom_title(self) -> Pick:
        return self.page.rule("title")

    @cached_property
    def _title(self) -> Pick:
        meta = self.page.meta
        dom = self._dom_title
        picked = first(
            Pick(ans.headline(self.story), "ans"),
            Pick(as_text(self.page.ld.get("headline")), "jsonld"),
            Pick(declared.without_suffix(self.page, first_meta(meta, "og:title", "twitter:title")), "meta"),
            dom,
            Pick(declared.without_suffix(self.page, self.page.title_text), "title"),
        )
        stem = (picked.value or "").rstrip("".join(_ELLIPSIS) + " ")
        if dom.value and picked is not dom and picked.value.endswith(_ELLIPSIS) and dom.value.startswith(stem):
            picked = dom  # a declared headline cut short; the page shows it whole
        elif dom.value and picked.source in ("meta", "title") and picked.value.startswith(dom.value + " "):
            picked = dom  # the page's title with a suffix of its own ("... - Le Journal")
        return Pick(picked.value, picked.source, (*dom.texts, picked.value or ""), dom.elements)

    @cached_property
    def _title_index(self) -> int:
        """The first visible line of the title: a header's "today" date comes before it."""
        return self.page.index_of(self._dom_title.elements[0] if self._dom_title.elements else None)

    @cached_property
    def _dom_lead(self) -> Pick:
        pick = self.page.rule("lead", limit=_MAX_LEAD)
        return pick if standfirst.placed(self.page, pick, self._title.value) else NOTHING

    @cached_property
    def _lead(self) -> Pick:
        return first(*self.lead_sources())

    def lead_sources(self) -> list[Pick | Callable[[], Pick]]:
        """The standfirst, in order of trust: the story's, else the one the site's rules find,
        else one the page shows apart from the article by its shape (``shown_standfirst``).
        A site whose declared description is its standfirst adds ``declared_lead()``."""
        story = ans.standfirst(self.story)
        return [Pick(story, "ans", (story or "",)), self._dom_lead, self.shown_standfirst]

    def shown_standfirst(self) -> Pick:
        """A standfirst no rule names, known by its shape (``standfirst``); none beside a story."""
        title = self._dom_title.elements[0] if self._dom_title.elements else None
        authors = tuple(as_texts(self.page.ld.get("author")))
        return NOTHING if self.story else standfirst.standfirst(self.page, title, self._title_index, authors)

    def declared_lead(self) -> Pick:
        """The JSON-LD or meta description as the lead, when the page shows it apart from
        the article's paragraphs (see ``lines.shown_description``)."""
        return self._declared_lead

    @cached_property
    def _declared_lead(self) -> Pick:
        return lines.declared_description(self.page, self._title_index)

    @cached_property
    def _byline(self) -> Pick:
        """The visible credit line (kept out of the body whichever source names the authors)."""
        pick = self.page.rule("byline", limit=lines.MAX_BYLINE)
        if pick.value:
            return Pick(lines.split_authors(self.site, pick.value), pick.source, pick.texts, pick.elements)
        return lines.byline(self.page, self._title_index)

    @cached_property
    def _authors(self) -> Pick:
        declared = [n for n in as_texts(self.page.ld.get("author")) if not n.startswith("http")]
        meta_author = first_meta(self.page.meta, "author", "article:author", "dc.creator")
        from_meta = (
            lines.split_authors(self.site, meta_author) if meta_author and not meta_author.startswith("http") else []
        )
        agency = ans.agency(self.story)
        named = Pick(ans.authors(self.story), "ans")
        if self.story and not named.value:
            # A wire story names no author: the credit is the one the page prints ("Par Le360
            # (avec MAP)"), else the agency; the JSON-LD author is then the publisher.
            return first(self._byline, Pick([agency] if agency else [], "ans"), Pick(declared, "jsonld"))
        return first(named, Pick(declared, "jsonld"), Pick(from_meta, "meta"), self._byline)

    @cached_property
    def _section(self) -> Pick:
        title = text_of(self._dom_title.elements[0]) if self._dom_title.elements else ""
        return first(
            Pick(ans.section(self.story, self.site.arc_website), "ans"),
            Pick(as_text(self.page.ld.get("articleSection")), "jsonld"),
            Pick(first_meta(self.page.meta, "article:section"), "meta"),
            lambda: lines.section_rule(self.page, title),
            lambda: lines.breadcrumb(self.page, title),
        )

    @cached_property
    def _tags(self) -> Pick:
        declared = as_texts(self.page.ld.get("keywords"))
        if len(declared) == 1 and "," in declared[0]:
            declared = [clean_text(t) for t in declared[0].split(",")]
        return first(
            Pick(ans.tags(self.story), "ans"),
            Pick(declared, "jsonld"),
            Pick(self.page.meta.get("article:tag", []), "meta"),
            lambda: self.page.rule("tag", texts=True),
            lambda: lines.hashtags(self.page, self._title_index),
        )

    @cached_property
    def _caption(self) -> Pick:
        """The lead image's caption as the page shows it (kept out of the body)."""
        title = self._dom_title.elements[0] if self._dom_title.elements else None
        return image.shown_caption(self.page, self._image_url.value, title)

    @cached_property
    def _image_url(self) -> Pick:
        return image.image_url(self.page, self.story)

    @cached_property
    def _image_caption(self) -> Pick:
        return image.image_caption(self.page, self.story, self._caption)

    @cached_property
    def _image(self) -> Pick:
        return image.lead_image(self.page, self._image_url, self._image_caption)

    @cached_property
    def _visible_dates(self) -> tuple[Pick, Pick]:
        return lines.visible_dates(self.page, self._title_index)

    @cached_property
    def _published(self) -> list[tuple[str, str]]:
        return declared.published(self.page, self._visible_dates[0])

    @cached_property
    def _modified(self) -> list[tuple[str, str]]:
        return declared.modified(self.page, self._visible_dates[1])

    @cached_property
    def _body(self) -> BodyPick:
        """Read last: it leaves out every text the fields above were read from."""
        shown = (self._title, self._dom_lead, self._byline, self._caption, *self._visible_dates)
        lead = self._lead
        # A declared description not shown apart from the body may merely open it: an
        # excerpt, not a standfirst. It stays in the body (and is no lead, see ``_kept_lead``).
        if lead.source == "ans" or lead.elements:
            shown = (*shown, lead)
        reader = BodyReader(self.page, self.story, self.learned)
        pick = reader.read(
            not_body=[t for p in shown for t in p.texts if t] + furniture.captions_by_shape(self.page.root),
            used=[e for p in shown if p is not self._title for e in p.elements],
            title=self._title.elements,
        )
        if not pick.value or pick.source == "ans":
            return pick  # else what opens or closes it and is not the article goes, however it was read
        return replace(pick, value=furniture.tidy(self.page, pick.value, self._title.texts, self._title_index))

    @cached_property
    def _kept_lead(self) -> Pick:
        """The lead, unless it is a declared description that is only the body's opening."""
        lead = self._lead
        if lead.value and lead.source in ("jsonld", "meta") and lines.opens(self.body, lead.value):
            return NOTHING
        return lead

    def to_fields(self) -> dict[str, Any]:
        """Every field, by name."""
        names = ("url", "article_id", "title", "lead", "authors", "section", "tags", "image", "date_candidates", "body")
        return {name: getattr(self, name) for name in names}
