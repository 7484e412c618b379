"""The paragraphs kept of a body: the site's boilerplate lines dropped, and a stop marker
("Lire aussi", "اقرأ أيضا") ending the body unless article text goes on after its box."""

from __future__ import annotations

import re
from collections.abc import Iterable

from clippings.core.site import Site
from clippings.extract.html import marker_key, marker_keys


def clean_paragraphs(site: Site, found: list[str], not_body: Iterable[str], stops: bool = True) -> list[str]:
    """Cut page furniture that survived trafilatura.

    Stops at the first line that opens a "related" / "most read" block, unless article text
    goes on after it (a newsletter box or a "read also" box set inside the article: the marker
    and the short lines of the box are dropped, the text after them kept); drops "Lire aussi"
    lines, hashtag rows and lines repeating the title, lead, caption, byline or date.
    """
    stop_keys = marker_keys(site.stop_markers) if stops else {}
    known = {marker_key(t) for t in not_body if t}
    kept: list[str] = []
    skipping = False
    for index, line in enumerate(found):
        key = marker_key(line)
        if key in stop_keys:
            if not _text_goes_on(found[index + 1 : index + 1 + _LOOK_AHEAD]):
                break
            skipping = True  # the box's own lines (titles, a sign-up line) until text resumes
            continue
        if skipping:
            if not _article_like(line):
                continue
            skipping = False
        if key in known or any(p.search(line) for p in site.drop_line_patterns):
            continue
        kept.append(line)
    return kept


# After a stop marker, article text goes on when this many of the next lines are article
# paragraphs: card titles, blurbs and list items are shorter, and a box repeats its blurbs.
_LOOK_AHEAD = 4


_GOES_ON = 2


_PARAGRAPH_CHARS = 200


_SENTENCE_END = re.compile(r"[.!?؟…»\"”)]\s*$")


def _article_like(line: str) -> bool:
    return len(line) >= _PARAGRAPH_CHARS and bool(_SENTENCE_END.search(line))


def _text_goes_on(following: list[str]) -> bool:
    paragraphs = {line for line in following if _article_like(line)}
    return len(paragraphs) >= _GOES_ON
