"""Reading the body, and checking it against what else the page says the body is.

In order: the embedded story's text; the article container (the site's rules, schema.org's
``articleBody`` element); the page's article block, read alone (``block``; the whole page
when it has none), or, when that gives next to nothing, the article HTML a script holds (see
``scripted``). A container learned from earlier pages of the same template never changes the
body: it is checked against the body read without it (``BodyPick.agreed``: the block itself
by identity, another element by its reading, to the character), and a difference makes the
crawl forget it.
A body much shorter than the other evidence the page gives (the story's
text, JSON-LD ``articleBody``, the page's main block of paragraphs) is read again:
trafilatura's full mode, the whole page in full mode, the page's main block of paragraphs
alone, then ``articleBody`` itself. What is still
short is marked so (``short``) and counted by the crawl.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import lxml.html

from clippings.core.tokens import bag
from clippings.core.tokens import count as count_words
from clippings.extract import ans
from clippings.extract.block import block_copy
from clippings.extract.body import TITLE, USED, read_tree
from clippings.extract.cleaning import clean_paragraphs
from clippings.extract.containers import (
    GENERIC_BODY_XPATHS,
    article_container,
    check_learned,
    container_copy,
    container_hint,
    template_key,
)
from clippings.extract.evidence import glued, holds_two_articles, repeats_itself
from clippings.extract.html import marker_key
from clippings.extract.metadata import article_body
from clippings.extract.scripted import script_html
from clippings.extract.sources import PageParts, Pick

# A body under this share of the evidence's words is short: read again, else flagged. The
# page's main block of paragraphs is the closest estimate of the body (it holds the article's
# paragraphs, and sometimes captions and a standfirst): a body under 0.7 of it is short.
SHORT = 0.6
SHORT_OF = {"main": 0.7}
# Of readings all short, a later one replaces an earlier when it has this many times its
# words, and at most this many times the evidence's.
LONGER = 1.2
OVERSHOOT = 1.15
# A whole-page reading under this many words is next to nothing: the article may be an HTML
# string in a script, taken when it holds this many times the words.
FEW_WORDS = 50
SCRIPTED = 3


@dataclass(frozen=True)
class BodyPick(Pick):
    """The body, with what the crawl counts about it."""

    short: bool = False
    # A container to learn: (template, xpath) of the element holding a body read whole.
    hint: tuple[str, str] | None = None
    # The learned container and whether a whole-page reading agreed with it (None: not checked).
    learned: tuple[str, str] | None = None
    agreed: bool | None = None


def words(paragraphs: list[str]) -> int:
    return sum(count_words(p) for p in paragraphs)


def token_f1(a: str, b: str) -> float:
    """Token F1 of two texts, as bags of words."""
    left, right = bag(a), bag(b)
    common = sum((left & right).values())
    if not common:
        return 0.0
    precision, recall = common / sum(left.values()), common / sum(right.values())
    return 2 * precision * recall / (precision + recall)


class BodyReader:
    """Reads one page's body; ``learned`` are (template, xpath) containers from earlier pages."""

    def __init__(self, page: PageParts, story: dict[str, Any], learned: tuple[tuple[str, str], ...] = ()) -> None:
        self.page = page
        self.site = page.site
        self.story = story
        self.learned = learned

    @cached_property
    def evidence(self) -> dict[str, int]:
        """Words the page's other evidence gives the body, by source: the story's text, JSON-LD
        ``articleBody``, the page's main block of paragraphs; each checked before it is
        trusted (a main block holding two articles, an ``articleBody`` that repeats itself or
        runs its words together gives none)."""
        found = {"main": 0 if self.two_articles else self.page.main_words, "jsonld": words(self.trusted_declared)}
        if self.story:
            found["ans"] = words(self.story_text)
        return found

    @cached_property
    def _unchecked(self) -> dict[str, int]:
        """The evidence before its checks: each figure is its checked one or more (a check
        only ever sets a figure to 0), so a reading not short against these is not short."""
        found = {"main": self.page.main_words, "jsonld": words(self.declared)}
        if self.story:
            found["ans"] = words(self.story_text)
        return found

    @cached_property
    def two_articles(self) -> bool:
        return holds_two_articles(self.page.main_block)

    @cached_property
    def trusted_declared(self) -> list[str]:
        """``articleBody`` when it may outrank a page reading: not the article twice, and its
        words not run together much more than the page's."""
        declared = self.declared
        if not declared or repeats_itself(declared):
            return []
        main = self.page.main_block
        texts = self.page.paragraphs.children.get(main, []) if main is not None else []
        return [] if glued(declared, " ".join(texts)) else declared

    @cached_property
    def story_text(self) -> list[str]:
        """The embedded story's paragraphs (read once: evidence, and the first reading)."""
        return ans.body(self.story)

    @cached_property
    def declared(self) -> list[str]:
        """JSON-LD ``articleBody`` as paragraphs (read once: evidence, and the last reading)."""
        return article_body(self.page.ld)

    def _short(self, paragraphs: list[str], source: str) -> bool:
        """Whether a reading is much shorter than any evidence but its own source's. The
        evidence is checked (``evidence``: two articles in the main block, a doubled or glued
        ``articleBody``) only when the reading is short against it unchecked."""
        if not paragraphs:
            return True
        count = words(paragraphs)
        return any(
            count < SHORT_OF.get(kind, SHORT) * n and count < SHORT_OF.get(kind, SHORT) * self.evidence[kind]
            for kind, n in self._unchecked.items()
            if kind != source.split(":")[0]
        )

    def read(
        self, not_body: list[str], used: list[lxml.html.HtmlElement], title: tuple[lxml.html.HtmlElement, ...] = ()
    ) -> BodyPick:
        """The body. Learned containers never change it: a page they apply to is read as if
        none were known, and the container checked against that reading (``_checked``)."""
        pick = self._read(not_body, used, title)
        if pick.source and pick.source.startswith(("ans", "rule:", "container:")):
            return pick  # the story or a known container: no learned container is reached
        template = template_key(self.page.root)
        learned = [(t, x) for t, x in self.learned if t == template]
        checked = self._checked(pick, learned, not_body, template) if learned else None
        if checked is not None and checked.agreed:
            return checked
        if pick.source == "page":
            pick = replace(pick, hint=container_hint(self.page, template))
        if checked is not None:
            pick = replace(pick, learned=checked.learned, agreed=False)
        return pick

    def _read(
        self, not_body: list[str], used: list[lxml.html.HtmlElement], title: tuple[lxml.html.HtmlElement, ...] = ()
    ) -> BodyPick:
        """The body as the page gives it, learned containers left aside."""
        site, root = self.site, self.page.root
        tried: list[tuple[list[str], str]] = []
        if self.story:
            # A paragraph the story holds is body even when it is the description (the lead
            # the page prints again as the body's first paragraph).
            lead = marker_key(ans.standfirst(self.story))
            found = clean_paragraphs(site, self.story_text, [t for t in not_body if marker_key(t) != lead], stops=False)
            if not self._short(found, "ans"):
                return BodyPick("\n\n".join(found), "ans")
            tried.append((found, "ans"))
        for element in used:
            element.set(USED, "")
        for element in title:
            element.set(TITLE, "")
        rules = [
            *((f"rule:{site.name}.body[{n}]", x) for n, x in enumerate(site.body_xpaths, start=1)),
            *(("container:articleBody", x) for x in GENERIC_BODY_XPATHS),
        ]
        container, source = article_container(self.page.select, rules)
        if container is not None:
            found = read_tree(site, container_copy(container), not_body)
            if not self._short(found, source):
                return BodyPick("\n\n".join(found), source)
            tried.append((found, source))
        # A page no known container reads: its article block alone, else the whole page; a
        # function of that element, which a learned container is checked against (``_checked``).
        block = self.page.article_block
        found = read_tree(site, block_copy(block) if block is not None else deepcopy(root), not_body)
        if words(found) < FEW_WORDS:
            # Next to nothing in the markup: a page rendered in the browser, its article an
            # HTML string in a script.
            scripted = script_html(root)
            text = read_tree(site, scripted, not_body, full=True) if scripted is not None else []
            if words(text) >= SCRIPTED * max(words(found), 1):
                return BodyPick("\n\n".join(text), "script")
        if not self._short(found, "page"):
            return BodyPick("\n\n".join(found), "page")
        tried.append((found, "page"))
        if container is not None:
            tried.append((read_tree(site, container_copy(container), not_body, full=True), f"{source}:full"))
        tried.append((read_tree(site, deepcopy(root), not_body, full=True), "page:full"))
        main = self.page.main_block
        if main is not None and main is not container and main.tag not in ("body", "html") and not self.two_articles:
            # Whole-page readings that missed the article (the site header taken for it):
            # the block holding the page's paragraphs, read alone.
            tried.append((read_tree(site, container_copy(main), not_body, full=True), "container:main"))
        if self.trusted_declared:
            tried.append((clean_paragraphs(site, self.trusted_declared, not_body, stops=False), "jsonld"))
        evidence = self.evidence
        most = max(evidence.values())
        # The text the page declares its article to be (the story's, ``articleBody``): a re-read
        # bringing in more (consent text, the next article) loses to the first reading.
        declared = max(evidence.get("ans", 0), evidence["jsonld"])
        for index, (found, source) in enumerate(tried):
            if index and declared and tried[0][0] and words(found) > OVERSHOOT * declared:
                continue
            if not self._short(found, source):
                return BodyPick("\n\n".join(found), source)
        found, source = self._best_of(tried, most)
        return BodyPick("\n\n".join(found), source if found else None, short=bool(found))

    @staticmethod
    def _best_of(tried: list[tuple[list[str], str]], most: int) -> tuple[list[str], str]:
        """Of readings all short, the most trusted, unless a later one is much longer without
        overshooting the evidence (overshooting is page furniture read in)."""
        best = tried[0]
        for found, source in tried[1:]:
            if words(found) > LONGER * words(best[0]) and words(found) <= OVERSHOOT * most:
                best = (found, source)
        return best

    def _checked(
        self, pick: BodyPick, learned: list[tuple[str, str]], not_body: list[str], template: str
    ) -> BodyPick | None:
        """The body as read through a learned container of the page's template, if it agrees
        with the body read without it (``containers.check_learned``); else the body with the
        disagreeing container; None when none of them is on the page. Agreeing by a second
        reading (the container around the block, or inside it), the page names its block to
        be learned too: later pages of the template are then checked by identity."""
        checked = check_learned(self.page, pick.source, pick.value, tuple(learned), not_body)
        if checked is None:
            return None
        which, agreed, by_identity = checked
        if agreed:
            hint = None if by_identity or pick.source != "page" else container_hint(self.page, template)
            return replace(pick, source="learned", learned=which, agreed=True, hint=hint)
        return replace(pick, learned=which, agreed=False)
