"""A page the server cut inside its article, under an honest ``Content-Length``.

Nothing in the bytes says such a page is cut (``clippings.crawl.transfer`` finds every
transfer cut against its own framing): only its document does. A page whose bytes hold no
``</body>`` nor ``</html>`` and whose visible text ends with the last word of the article read
from it ends inside the article, and one whose bytes end inside a tag was cut: the server
stopped sending there (an article cut in the middle, or a page cut before its article,
whose body is then the header's words). A
page lacking its closing tags after its footer, or whose article came whole from a text
declared earlier in the page (the embedded story, ``articleBody``), does not end there and
is not cut: a missing ``</html>`` alone is not truncation.

Such a page is never refused: its article is written as it came, counted
``errors/truncated`` and named in one line, and fetched again by the next run
(``NewsSpider.truncated``).
"""

from __future__ import annotations

import re

from clippings.extract.html import NotHTML, clean_text, decode_html, parse_html, text_of

_DOCUMENT_END = re.compile(rb"</(?:body|html)\s*>", re.IGNORECASE)


def ends_in_article(
    raw: bytes, content_type: str | None, article_body: str | None, declared: bool = False
) -> str | None:
    """Why the page ends inside its article (``article_body``, as read from it), or None.
    ``declared``: the body was read from a text the page declares (the embedded story,
    ``articleBody``), whole wherever the markup was cut.

    The bytes ending inside a tag (``<a href="...``) were cut. Else the document's visible
    text must end with the body's last word, whitespace aside: a reading may set apart words
    the markup glues (``<a>FR</a><a>EN</a>``), or leave out a word between two it keeps, so
    no more than the last word is compared."""
    words = (article_body or "").split()
    if declared or not words or _DOCUMENT_END.search(raw):
        return None
    end = raw.rstrip()
    if end.rfind(b"<") > end.rfind(b">"):
        return "the page ends inside a tag (no </body> nor </html>)"
    try:
        root = parse_html(decode_html(raw, content_type))
    except NotHTML:
        return None
    body = root.find("body")
    if body is None or not "".join(text_of(body).split()).endswith(clean_text(words[-1])):
        return None
    return "the page ends inside its article (its last word is the article's, no </body> nor </html>)"
