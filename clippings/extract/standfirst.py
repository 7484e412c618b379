"""The standfirst a page shows between its headline and its article, whatever the template
and the language, when nothing declares it (no embedded story, no site rule).

The first paragraph-length line after the title is the standfirst when it stands apart from
the article's paragraphs, by one of three signs a reader sees too:

- it sits with the headline in a block that does not hold the article's paragraphs (the
  article's header);
- its element, or a wrapper of it that does not hold the article's paragraphs, is named as
  a standfirst by a word of its class or id (``lead``, ``intro``, ``teaser``, ``chapo``,
  ``perex``, ``ingress``...: class names are cut into words at ``-``, ``_`` and case changes,
  ``Article_elementLead__x9`` holds the word ``lead``);
- it is set wholly in bold above paragraphs that are not;
- the byline (a short line naming one of the article's authors) stands between it and the
  article's paragraphs.

Anything else after the title (a kicker, a byline, a date, a caption) is shorter than a
paragraph, inside a figure or beside an image, or a line of links, and is passed over; the first paragraph-length
line that shows none of the signs is the article's opening, and there is no standfirst.
"""

from __future__ import annotations

import re
from itertools import islice

import lxml.html

from clippings.core.tokens import count as count_words
from clippings.core.tokens import words
from clippings.extract.furniture import captions_by_shape
from clippings.extract.html import text_of
from clippings.extract.sources import NOTHING, PageParts, Pick

# A line of this many words is a paragraph (a kicker, a byline or a date line is shorter).
PARAGRAPH_WORDS = 12
MAX_CHARS = 1000
# How many lines after the title are looked at for the first paragraph.
_WINDOW = 25
# A line this much of whose text is in <b>/<strong> is set in bold.
_BOLD_SHARE = 0.9
# Class and id words that name a standfirst, in the languages publishers write markup in.
STANDFIRST_WORDS = frozenset(
    {
        "lead", "leadtext", "intro", "introduction", "teaser", "standfirst", "summary", "chapo", "chapeau",
        "abstract", "preface", "dek", "deck", "excerpt", "subheadline", "subhead", "perex", "ingress", "ingres",
        "ingresso", "spot", "sapo", "entradilla", "bajada", "sumario", "sommario", "vorspann", "anriss",
        "einleitung", "strapline",
    }
)  # fmt: skip
# Class words of what stands between a headline and its article and is no standfirst: captions
# and galleries, credits, the article's meta line (byline, date, section, tags, share bar).
_FURNITURE_WORDS = frozenset(
    {
        "caption", "legend", "legende", "credit", "credits", "copyright", "gallery", "lightbox", "slider",
        "carousel", "meta", "info", "byline", "author", "date", "time", "tags", "share", "breadcrumb",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3"})
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def class_words(element: lxml.html.HtmlElement) -> set[str]:
    """The words of an element's class and id, lower-cased: ``c-article__leadText`` gives
    ``c``, ``article``, ``lead``, ``text``."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return {w.lower() for w in _WORD.findall(names)}


def standfirst(page: PageParts, title: lxml.html.HtmlElement | None, start: int, authors: tuple[str, ...] = ()) -> Pick:
    """The standfirst the page shows after its title ``title`` (whose first line is leaf
    ``start``), or nothing: see the module's docstring. ``authors`` are the article's authors'
    names, as declared (their byline sets a standfirst above it apart from the article)."""
    main = page.main_block
    if title is None or main is None:
        return NOTHING
    inside_title = set(title.iter())
    captions = set(captions_by_shape(page.root))
    lines = [(e, t) for e, t in islice(page.lines(start), _WINDOW) if e not in inside_title and t not in captions]
    for index, (element, text) in enumerate(lines):
        if count_words(text) < PARAGRAPH_WORDS or element.tag in _HEADINGS or _furniture(element) or _figures(text):
            continue  # a kicker, a byline, a subtitle, a caption, a date line
        if len(text) > MAX_CHARS or element is main:
            return NOTHING
        following = lines[index:]
        if (
            _with_headline(element, title, main)
            or _named(element, main)
            or _bold_above_plain(following)
            or _above_byline(following, authors)
        ):
            return Pick(text, "lines", (text,), (element,))
        return NOTHING
    return NOTHING


def _furniture(element: lxml.html.HtmlElement) -> bool:
    """A caption or a meta line (by its tag or its class words), or a line of links (a teaser
    card, a menu)."""
    if element.tag in ("figcaption", "a") or any(
        a.tag in ("figure", "figcaption", "a") for a in element.iterancestors()
    ):
        return True
    if class_words(element) & _FURNITURE_WORDS:
        return True
    text = len(text_of(element))
    linked = sum(len(text_of(a)) for a in element.iter("a"))
    return linked > text / 2


def _figures(text: str) -> bool:
    """A line of dates or figures rather than prose: a third of its words hold digits."""
    found = words(text)
    return sum(any(c.isdigit() for c in w) for w in found) * 3 >= len(found)


def _holds(ancestor: lxml.html.HtmlElement, element: lxml.html.HtmlElement) -> bool:
    return ancestor is element or ancestor in element.iterancestors()


def _with_headline(element: lxml.html.HtmlElement, title: lxml.html.HtmlElement, main: lxml.html.HtmlElement) -> bool:
    """Whether the line shares a block with the headline that does not hold the article's
    paragraphs (the article's header)."""
    ancestors = set(title.iterancestors())
    shared = next((a for a in element.iterancestors() if a in ancestors), None)
    return shared is not None and shared.tag not in ("body", "html") and not _holds(shared, main)


def _named(element: lxml.html.HtmlElement, main: lxml.html.HtmlElement) -> bool:
    """Whether the line or a wrapper of it apart from the article's paragraphs is named a standfirst."""
    for candidate in (element, *element.iterancestors()):
        if _holds(candidate, main) or candidate.tag in ("body", "html"):
            return False
        if class_words(candidate) & STANDFIRST_WORDS:
            return True
    return False


def _above_byline(lines: list[tuple[lxml.html.HtmlElement, str]], authors: tuple[str, ...]) -> bool:
    """Whether the byline (a short line naming an author) stands between the first line and
    the next paragraph-length one: the article starts below it."""
    names = [n.casefold() for n in authors if len(n) >= 4]
    for _, text in lines[1:]:
        if count_words(text) >= PARAGRAPH_WORDS:
            return False
        if any(n in text.casefold() for n in names):
            return True
    return False


def _bold(element: lxml.html.HtmlElement) -> bool:
    text = len(text_of(element))
    bold = sum(
        len(text_of(b))
        for b in element.iter("b", "strong")
        if not any(a.tag in ("b", "strong") for a in b.iterancestors())
    )
    return bool(text) and (bold >= _BOLD_SHARE * text or "bold" in class_words(element))


def _bold_above_plain(lines: list[tuple[lxml.html.HtmlElement, str]]) -> bool:
    """Whether the first line is set in bold and the next paragraph-length line is not."""
    if not _bold(lines[0][0]):
        return False
    following = (e for e, t in lines[1:] if count_words(t) >= PARAGRAPH_WORDS and not _furniture(e))
    after = next(following, None)
    return after is not None and not _bold(after)


# A standfirst a rule finds stands at most this many lines below the start of the article's paragraphs.
BELOW_MAIN = 12


def placed(page: PageParts, pick: Pick, title: str | None) -> bool:
    """Whether a standfirst a rule found stands where one does: not the headline block again
    (a kicker and the headline, its words all there), and not far below the start of the
    article's paragraphs (a newsletter blurb, a comment box that the rule's word also names)."""
    if not pick.value or not pick.elements:
        return bool(pick.value)
    headline = {w.casefold() for w in words(title or "")}
    if headline and headline <= {w.casefold() for w in words(pick.value)}:
        return False
    main = page.main_block
    return main is None or page.index_of(pick.elements[0]) <= page.index_of(main) + BELOW_MAIN
