"""The one way text is counted: word counts, short checks, evidence sizes, agreement measures
and the output's ``word_count``.

A word is a whitespace-separated piece of text, as a reader of a European or Arabic text
counts it. Chinese and Japanese write no spaces between words, and Korean puts them between
phrases: in a piece holding Han, Hiragana, Katakana or Hangul characters, each of those
characters is a word, and each run of other letters or digits between them is one more.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

# Han (with its extensions and compatibility ideographs), Hiragana, Katakana (and its phonetic
# extensions, half-width forms), Hangul syllables and jamo.
CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3031-\u3035\u3040-\u30ff\u3130-\u318f"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uffdc"
    "\U00020000-\U0003134f"
)
_HAS_CJK = re.compile(f"[{CJK}]")
# In a piece holding CJK characters: each CJK character, and each run of other letters or digits.
_CJK_WORD = re.compile(f"[{CJK}]|[^\\W{CJK}]+")


def words(text: str) -> list[str]:
    """The words of a text, in order (see the module's docstring)."""
    pieces = text.split()
    if not _HAS_CJK.search(text):
        return pieces
    out: list[str] = []
    for piece in pieces:
        if _HAS_CJK.search(piece):
            out.extend(_CJK_WORD.findall(piece))
        else:
            out.append(piece)
    return out


# A page's texts are counted several times (a body: for the short check, the closing run, the
# thin-body check, the record's word count): each is counted once, the last few remembered.
@lru_cache(maxsize=128)
def count(text: str) -> int:
    """How many words a text holds."""
    if not _HAS_CJK.search(text):
        return len(text.split())
    return len(words(text))


def bag(text: str) -> Counter[str]:
    """The text's words as a bag (for agreement measures)."""
    return Counter(words(text))
