"""Language of the body, deterministic (langdetect is random unless seeded)."""

from __future__ import annotations

from langdetect import DetectorFactory, LangDetectException, detect

DetectorFactory.seed = 0

# The first few thousand characters decide as well as the whole text, at a fraction of the cost.
SAMPLE_CHARS = 2000


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` ('fr', 'ar', ...), or None when there is too little to tell."""
    sample = text[:SAMPLE_CHARS]
    if not sample.strip():
        return None
    try:
        code = detect(sample)
    except LangDetectException:
        return None
    return code.split("-")[0]
