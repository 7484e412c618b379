"""Spelling variants folded together, in the tables and in the texts read."""

from __future__ import annotations

import re
import unicodedata

# Applied after Unicode decomposition, before matching.
CHAR_MAP: dict[str, str] = {
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Eastern Arabic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
    "ى": "ي",  # alef maqsura
    "ی": "ي",  # Persian yeh
    "ک": "ك",  # Persian kaf
    "ة": "ه",  # tā' marbūṭa, often typed as hā'
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "\u2212": "-",  # minus sign
    "\u2010": "-",
    "\u2011": "-",
    "\u066b": ",",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
}

# Removed outright: tatweel, and format characters that pages put around numbers.
DROPPED_CHARS: str = (
    "\u0640"  # tatweel (kashida)
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space/joiners, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\u061c"  # Arabic letter mark
    "\ufeff"  # byte order mark
)


def _combining_marks() -> str:
    """Combining marks of the Latin and Arabic blocks: accents, harakat, hamza seats."""
    blocks = (range(0x0300, 0x0370), range(0x0610, 0x0700), range(0x08D3, 0x0900))
    return "".join(ch for block in blocks for ch in map(chr, block) if unicodedata.category(ch) == "Mn")


_FOLD_TABLE = str.maketrans({**CHAR_MAP, **dict.fromkeys(DROPPED_CHARS + _combining_marks())})
_ISO_T = re.compile(r"(?<=\d)t(?=\d)")
_SPACES = re.compile(r"\s+")


def spelling_key(text: str) -> str:
    """A text with its spelling variants folded together, so that one table entry matches them
    all (the key the date tables and the texts read are compared by).

    NFKD then dropping combining marks removes French accents, Arabic harakat and hamza
    seats (أ إ آ -> ا), and splits ligatures and presentation forms; the character map
    converts Eastern digits and look-alike letters; the ISO "T" becomes a space.
    """
    text = unicodedata.normalize("NFKD", text).translate(_FOLD_TABLE).lower()
    return _SPACES.sub(" ", _ISO_T.sub(" ", text)).strip()
