"""Language of the body, deterministic (langdetect is random unless seeded).

Arabic-script text that uses none of the letters proper to Persian, Urdu and the other
languages written in the Arabic script is Arabic: that is decided by counting letters, for
a few microseconds. Everything else goes to langdetect, on its first 250 characters with one
trial (langdetect's defaults, the whole text and seven trials, cost more than trafilatura
itself; this sample and one trial tell French, English, German or Spanish apart as well: a
second trial changed no language langdetect knows on the fixtures, the real pages of other
publishers or the bench's pages, see ``bench/RESULTS.md``). langdetect's detection is made
with its profiles, its steps and its arithmetic but without its ``Detector`` objects
(``langdetect_exact``).
"""

from __future__ import annotations

import re

from clippings.extract.langdetect_exact import SAMPLE_CHARS, count_outside, detector


def load_profiles() -> None:
    """Load langdetect's profiles now rather than at the first detection."""
    detector()


# Runs of what is not a letter (``count_outside`` counts the letters).
_NOT_LETTERS = re.compile(r"[\W\d_]+")
# Arabic-script letters (Arabic, Arabic Supplement, Extended-A, presentation forms).
_ARABIC_LETTERS = "\u0620-\u064a\u066e-\u06d3\u06d5\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
_ARABIC_SCRIPT = re.compile(f"[{_ARABIC_LETTERS}]")
_NOT_ARABIC_SCRIPT = re.compile(f"[^{_ARABIC_LETTERS}]+")
# Letters that Arabic does not use but Persian, Urdu, Pashto, Kurdish... do (ڤ and ڭ, used
# in Maghreb Arabic for v and g, are not among them).
_NOT_ARABIC = re.compile(
    "[\u067e\u0686\u0698\u06af\u06a9\u06cc\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2\u06c6\u06d0\u067c\u0681\u0685\u0689\u0693\u0696\u069a\u06ab\u06bc\u06cd]"
)


def _script_says_arabic(sample: str) -> bool:
    if not _ARABIC_SCRIPT.search(sample):
        return False  # no Arabic-script letter at all: no need to count the letters
    letters = count_outside(_NOT_LETTERS, sample)
    if letters < 20:
        return False
    arabic = count_outside(_NOT_ARABIC_SCRIPT, sample)
    return arabic >= 0.8 * letters and not _NOT_ARABIC.search(sample)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` ('fr', 'ar', ...), or None when there is too little to tell."""
    sample = text[: SAMPLE_CHARS * 2]
    if not sample.strip():
        return None
    if _script_says_arabic(sample):
        return "ar"
    code = detector().detect(sample)
    return code and code.split("-")[0]
