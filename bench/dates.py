"""Benchmark: clippings.dates.parse_date against dateparser on the sites' date forms.

Not a test. Run `python bench/dates.py [--size N]`. Builds a seeded mixed corpus (~2,000
texts) of every form docs/sites/ and docs/dates.md describe (ISO, RFC 822, French, Arabic in
four month families with Western/Eastern digits, bylines, relative forms), each with its known answer, then reports
parses/second and mismatches for both parsers. dateparser is configured as carefully as it
allows: DMY order, Casablanca zone, the fetch time as relative base, and for Arabic one
locale at a time (ar-MA, ar-LB, ar-DZ: it refuses two Arabic regions in one call).
"""

from __future__ import annotations

import argparse
import email.utils
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clippings.dates import CASABLANCA, DateError, parse_date

NOW = datetime(2026, 3, 6, 19, 5, tzinfo=UTC)
START, END = datetime(2015, 1, 1, tzinfo=UTC), datetime(2030, 12, 31, 23, 59, tzinfo=UTC)
TRANSITIONS = [
    datetime(y, m, d, 2, tzinfo=UTC) for y, m, d in ((2025, 2, 23), (2025, 4, 6), (2026, 2, 15), (2026, 3, 22))
]

FR_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
FR_SHORT = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
FR_DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
AR_DAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
AR_FAMILIES = {
    "moroccan": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ],
    "egyptian": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    "levantine": [
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ],
    "maghrebi": [
        "جانفي",
        "فيفري",
        "مارس",
        "أفريل",
        "ماي",
        "جوان",
        "جويلية",
        "أوت",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
}
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

Case = tuple[str, str, str, str]  # form, language, text, expected ISO


def wall_answer(instant: datetime) -> str:
    """A wall-time text's answer: the instant, or the first occurrence in a repeated hour."""
    return instant.astimezone(CASABLANCA).replace(fold=0).isoformat()


def absolute_forms(rng: random.Random) -> dict[str, Callable[[datetime], tuple[str, str, str]]]:
    """Form name -> instant -> (language, text, expected)."""

    def w(i: datetime) -> datetime:
        return i.astimezone(CASABLANCA)

    def arabic(i: datetime, prefix: str = "", pm: bool = False) -> tuple[str, str, str]:
        x, family = w(i), rng.choice(sorted(AR_FAMILIES))
        day = f"{AR_DAYS[x.weekday()]} " if rng.random() < 0.5 else ""
        clock = f"{x:%I:%M} {'م' if x.hour >= 12 else 'ص'}" if pm else f"{x:%H:%M}"
        text = f"{prefix}{day}{x.day} {AR_FAMILIES[family][x.month - 1]} {x.year} - {clock}"
        return "ar", text.translate(EASTERN) if rng.random() < 0.3 else text, wall_answer(i)

    return {
        "iso_z": lambda i: ("iso", f"{i:%Y-%m-%dT%H:%M:%SZ}", w(i).isoformat()),
        "iso_ms": lambda i: ("iso", f"{i:%Y-%m-%dT%H:%M:%S}.000Z", w(i).isoformat()),
        "iso_offset": lambda i: ("iso", w(i).isoformat(), w(i).isoformat()),
        "iso_naive": lambda i: ("iso", f"{w(i):%Y-%m-%d %H:%M:%S}", wall_answer(i)),
        "iso_date": lambda i: ("iso", f"{w(i):%Y-%m-%d}", f"{w(i):%Y-%m-%d}"),
        "rfc822_gmt": lambda i: (
            "en",
            email.utils.format_datetime(i, usegmt=True),
            w(i).isoformat(),
        ),
        "rfc822_offset": lambda i: ("en", email.utils.format_datetime(w(i)), w(i).isoformat()),
        "fr_le": lambda i: ("fr", f"Le {w(i):%d/%m/%Y} à {w(i):%Hh%M}", wall_answer(i)),
        "fr_publie": lambda i: ("fr", f"Publié le {w(i):%d/%m/%Y} à {w(i):%Hh%M}", wall_answer(i)),
        "fr_maj": lambda i: ("fr", f"Mis à jour le {w(i):%d/%m/%Y} à {w(i):%Hh%M}", wall_answer(i)),
        "fr_byline": lambda i: (
            "fr",
            f"Par Rachid Lamrani | Le {w(i):%d/%m/%Y} à {w(i):%Hh%M}",
            wall_answer(i),
        ),
        "fr_numeric": lambda i: ("fr", f"{w(i):%d/%m/%Y %H:%M}", wall_answer(i)),
        "fr_weekday_date": lambda i: (
            "fr",
            (f"{FR_DAYS[w(i).weekday()]} {w(i).day} {FR_MONTHS[w(i).month - 1]} {w(i).year}"),
            f"{w(i):%Y-%m-%d}",
        ),
        "fr_short_month": lambda i: (
            "fr",
            (f"{w(i).day} {FR_SHORT[w(i).month - 1]} {w(i).year} à {w(i).hour}h{w(i):%M}"),
            wall_answer(i),
        ),
        "ar_text": lambda i: arabic(i),
        "ar_published": lambda i: arabic(i, "نشر في: "),
        "ar_updated": lambda i: arabic(i, "آخر تحديث: "),
        "ar_12h": lambda i: arabic(i, pm=True),
        "ar_compound": lambda i: (
            "ar",
            (
                f"{AR_DAYS[w(i).weekday()]} {w(i).day} "
                f"{AR_FAMILIES['levantine'][w(i).month - 1]} "
                f"({AR_FAMILIES['egyptian'][w(i).month - 1]}) {w(i).year}"
            ),
            f"{w(i):%Y-%m-%d}",
        ),
        "ar_numeric": lambda i: ("ar", f"{w(i):%d/%m/%Y - %H:%M}", wall_answer(i)),
    }


def relative_cases(rng: random.Random) -> list[Case]:
    """Relative forms against NOW (seconds zero, so no truncation question arises)."""
    local = NOW.astimezone(CASABLANCA)
    cases: list[Case] = []
    for _ in range(6):
        hours, minutes, days = rng.randint(1, 23), rng.randint(1, 59), rng.randint(2, 9)
        at = (NOW - timedelta(hours=hours)).astimezone(CASABLANCA).isoformat()
        cases += [
            ("rel_fr_hours", "fr", f"il y a {hours} heures", at),
            ("rel_ar_hours", "ar", f"منذ {hours} ساعات", at),
            (
                "rel_fr_minutes",
                "fr",
                f"il y a {minutes} minutes",
                (NOW - timedelta(minutes=minutes)).astimezone(CASABLANCA).isoformat(),
            ),
            (
                "rel_ar_minutes",
                "ar",
                f"منذ {minutes} دقائق",
                (NOW - timedelta(minutes=minutes)).astimezone(CASABLANCA).isoformat(),
            ),
            ("rel_fr_days", "fr", f"il y a {days} jours", str(local.date() - timedelta(days=days))),
            ("rel_ar_days", "ar", f"منذ {days} أيام", str(local.date() - timedelta(days=days))),
        ]
    yesterday = local.date() - timedelta(days=1)
    cases += [
        (
            "rel_ar_dual",
            "ar",
            "منذ ساعتين",
            (NOW - timedelta(hours=2)).astimezone(CASABLANCA).isoformat(),
        ),
        ("rel_ar_dual", "ar", "منذ يومين", str(local.date() - timedelta(days=2))),
        ("rel_ar_yesterday", "ar", "أمس", str(yesterday)),
        ("rel_fr_yesterday", "fr", "hier à 22h00", f"{yesterday}T22:00:00+00:00"),
        ("rel_fr_today", "fr", "aujourd'hui à 10h15", f"{local.date()}T10:15:00+00:00"),
    ]
    return cases


def corpus(size: int, seed: int = 2025) -> list[Case]:
    rng = random.Random(seed)
    forms = absolute_forms(rng)
    relative = relative_cases(rng)
    minutes = int((END - START) / timedelta(minutes=1))
    cases: list[Case] = []
    while len(cases) < size - len(relative):
        if rng.random() < 0.1:  # around a Ramadan transition
            instant = rng.choice(TRANSITIONS) + timedelta(minutes=rng.randint(-90, 90))
        else:
            instant = START + timedelta(minutes=rng.randrange(minutes))
        name = rng.choice(sorted(forms))
        cases.append((name, *forms[name](instant)))
    return cases + relative


def ours(text: str, language: str) -> str | None:
    try:
        return parse_date(text, now=NOW)
    except DateError:
        return None


def make_dateparser() -> Callable[[str, str], str | None] | None:
    try:
        import dateparser
    except ImportError:
        return None
    settings = {
        "TIMEZONE": "Africa/Casablanca",
        "TO_TIMEZONE": "Africa/Casablanca",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RELATIVE_BASE": NOW.astimezone(CASABLANCA).replace(tzinfo=None),
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
    }
    attempts = {
        "fr": [{"languages": ["fr"]}],
        "en": [{"languages": ["en"]}],
        "iso": [{"languages": ["en"]}],
        "ar": [{"locales": ["ar-MA"]}, {"locales": ["ar-LB"]}, {"locales": ["ar-DZ"]}],
    }

    def parse(text: str, language: str) -> str | None:
        for attempt in attempts[language]:
            found: datetime | None = dateparser.parse(text, settings=settings, **attempt)
            if found is not None:
                return found.astimezone(CASABLANCA).isoformat(timespec="seconds")
        return None

    return parse


def matches(result: str | None, expected: str) -> bool:
    """Date-only answers compare on the date (dateparser always adds 00:00)."""
    if result is None:
        return False
    return result[:10] == expected if len(expected) == 10 else result == expected


def measure(parse: Callable[[str, str], str | None], cases: list[Case], rounds: int) -> tuple[float, list[str | None]]:
    """Best parses/second over `rounds`, and the results."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        results = [parse(text, language) for _, language, text, _ in cases]
        best = min(best, time.perf_counter() - started)
    return len(cases) / best, results


def misses(cases: list[Case], results: list[str | None]) -> dict[str, list[tuple[str, str, str | None]]]:
    """Form -> [(text, expected, got)] for every wrong answer."""
    wrong: dict[str, list[tuple[str, str, str | None]]] = {}
    for (form, _, text, expected), result in zip(cases, results, strict=True):
        if not matches(result, expected):
            wrong.setdefault(form, []).append((text, expected, result))
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5, help="best of N for ours (dateparser: 1)")
    args = parser.parse_args()
    cases = corpus(args.size)
    print(f"corpus: {len(cases)} texts, {len(Counter(c[0] for c in cases))} forms")

    rate, results = measure(ours, cases, args.rounds)
    wrong = misses(cases, results)
    count = sum(map(len, wrong.values()))
    print(f"clippings.dates  {rate:>9,.0f} parses/s   mismatches {count:>4}/{len(cases)}")
    dp = make_dateparser()
    if dp is None:
        print("dateparser not installed (pip install dateparser): comparison skipped")
        return
    for _, language, text, _ in cases[:50]:  # load its language data before timing
        dp(text, language)
    dp_rate, dp_results = measure(dp, cases, 1)
    dp_wrong = misses(cases, dp_results)
    dp_count = sum(map(len, dp_wrong.values()))
    print(f"dateparser       {dp_rate:>9,.0f} parses/s   mismatches {dp_count:>4}/{len(cases)}")
    print(f"ours is {rate / dp_rate:,.0f}x faster")
    print("\nmismatches by form (ours / dateparser, of texts in that form):")
    for form, total in sorted(Counter(c[0] for c in cases).items()):
        if form in wrong or form in dp_wrong:
            mine, theirs = len(wrong.get(form, [])), len(dp_wrong.get(form, []))
            print(f"  {form:<18} {mine:>4} / {theirs:>4}  of {total}")
    for name, found in (("ours", wrong), ("dateparser", dp_wrong)):
        if found:
            print(f"\nfirst {name} miss per form (text -> expected, got):")
            for form, ((text, expected, got), *_) in sorted(found.items()):
                print(f"  {form:<18} {text!r} -> {expected}, got {got}")


if __name__ == "__main__":
    main()
