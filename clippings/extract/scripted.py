"""The article's HTML held in a script: pages rendered in the browser (React, Next.js, Vue)
carry the article as an HTML string in their state (``"contentHtml": "\\u003cp\\u003e..."``)
and show no paragraph of it in their markup.

Read only when no reading of the page's markup gave any body: the longest JSON string of any
script that is HTML holding paragraphs is parsed as a small page of its own.
"""

from __future__ import annotations

import json
import re

import lxml.html

from clippings.extract.document import new_document, parse_html

# A JSON string literal long enough to hold an article (escapes kept, decoded afterwards).
_STRING = re.compile(r'"((?:[^"\\]|\\.){400,})"')
_PARAGRAPH = re.compile(r"<p[\s>]", re.IGNORECASE)
# Paragraph openings an HTML string needs to be taken for an article's.
MIN_PARAGRAPHS = 3


def script_html(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """A document holding the longest article-like HTML string of the page's scripts, or None."""
    best = ""
    for script in root.iter("script"):
        text = script.text or ""
        if script.get("type") == "application/ld+json" or ("\\u003cp" not in text and "<p" not in text):
            continue
        for match in _STRING.finditer(text):
            try:
                value = json.loads(f'"{match[1]}"')
            except ValueError:
                continue
            if len(value) > len(best) and len(_PARAGRAPH.findall(value)) >= MIN_PARAGRAPHS:
                best = value
    if not best:
        return None
    try:
        fragment = parse_html(f"<html><body><article>{best}</article></body></html>")
    except ValueError:
        return None
    document = new_document()
    body = document.find("body")
    for child in fragment.find("body"):
        body.append(child)
    return document
