"""A page the server cut inside its article, under an honest ``Content-Length``.

Nothing in the bytes says such a page is cut (``clippings.crawl.transfer`` finds every
transfer cut against its own framing): only its document does. A page whose bytes hold no
``</body>`` nor ``</html>`` was cut when they end inside a tag or a text, or when its
visible text ends with the last word of the article read from it: the server stopped
sending there (an article cut in the middle, or a page cut before its article, whose body
is then the header's words). A page lacking its closing tags after its footer, or whose
article came whole from a text declared earlier in the page (the embedded story,
``articleBody``), is not: a missing ``</html>`` alone is not truncation.

Such a page is never refused: its article is written as it came, counted
``errors/truncated`` and named in one line, and fetched again by the next run.

A whole page may not be the one the server meant either: its error page answered with 200.
A short article that nothing on its page vouches for (a few sentences, no date, no
embedded story, no ``articleBody``, not read from the site's own article container) is
written too, but said (``pages/unvouched``) and fetched again by the next run.

``doubt`` says which, for every engine alike: the crawl's spider and ``clippings
reextract`` hand it to ``clippings.core.fate.decide``, which counts and names it.
"""

from __future__ import annotations

import re

from clippings.core.fate import Doubt
from clippings.core.items import Article
from clippings.core.tokens import count as count_words
from clippings.extract.document import NotHTML, decode_html, parse_html
from clippings.extract.html import clean_text, text_of

# A text this short, undated and read from the page as a whole, is a few sentences: an error
# page as well as an article (fewer than 20 words are no article's: ``empty_body``).
UNVOUCHED_WORDS = 60
_DOCUMENT_END = re.compile(rb"</(?:body|html)\s*>", re.IGNORECASE)
_TAIL = 4096


def doubt(raw: bytes, content_type: str | None, article: Article) -> Doubt | None:
    """What the page (its bytes ``raw``, as received) says against ``article``, read from it:
    cut inside or before its article, or nothing on it vouching for a few sentences."""
    declared = (article.provenance.get("body") or "") in ("ans", "jsonld")
    cut = ends_in_article(raw, content_type, article.body, declared)
    if cut:
        return Doubt("truncated", cut)
    why = unvouched(article)
    return Doubt("unvouched", why) if why else None


def ends_in_article(
    raw: bytes, content_type: str | None, article_body: str | None, declared: bool = False
) -> str | None:
    """Why the page ends inside its article (``article_body``, as read from it), or None.
    ``declared``: the body was read from a text the page declares (the embedded story,
    ``articleBody``), whole wherever the markup was cut.

    The bytes ending inside a tag (``<a href="...``) or a text were cut. Else (cut at a
    tag's end) the document's visible
    text must end with the body's last word, whitespace aside: a reading may set apart words
    the markup glues (``<a>FR</a><a>EN</a>``), or leave out a word between two it keeps, so
    no more than the last word is compared."""
    if declared or not article_body or article_body.isspace() or _has_document_end(raw):
        return None
    end = raw.rstrip()
    if end.rfind(b"<") > end.rfind(b">"):
        return "the page ends inside a tag (no </body> nor </html>)"
    if not end.endswith(b">"):
        return "the page ends inside a text (no </body> nor </html>)"
    try:
        root = parse_html(decode_html(raw, content_type))
    except NotHTML:
        return None
    body = root.find("body")
    last_word = article_body.rsplit(None, 1)[-1]
    if body is None or not "".join(text_of(body).split()).endswith(clean_text(last_word)):
        return None
    return "the page ends inside its article (its last word is the article's, no </body> nor </html>)"


def _has_document_end(raw: bytes) -> bool:
    """``</body>`` or ``</html>`` anywhere in ``raw``: looked for first in its last bytes, where
    a page holds them, before the whole page is searched."""
    return bool(_DOCUMENT_END.search(raw, max(len(raw) - _TAIL, 0)) or _DOCUMENT_END.search(raw))


def unvouched(article: Article) -> str | None:
    """Why nothing on the page vouches for its article, or None: a body of a few sentences
    (under ``UNVOUCHED_WORDS``) on a page where no date was found, read from neither a
    declared text nor the site's article container."""
    source = article.provenance.get("body") or ""
    size = count_words(article.body or "")
    if size >= UNVOUCHED_WORDS or any(article.date_candidates.values()) or article.story == "story":
        return None
    if source in ("ans", "jsonld") or source.startswith("rule:"):
        return None
    return f"{size} words, no date, no embedded story or articleBody, not the site's article container"
