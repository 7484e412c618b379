"""Date vocabulary of the monitored sites, as data.

Everything `clippings.dates` knows about words lives here; the parser only walks these
tables. Spellings are written as the sites write them (accents, hamza, tā' marbūṭa);
`clippings.dates.spelling` folds table keys and input the same way (drops accents, harakat, hamza
seats, tatweel; lower-cases; converts Eastern digits), so a hamza or accent variant
need not be listed twice, but listing it is harmless.

Keys are numbered like the stdlib: months 1-12, weekdays 0=Monday .. 6=Sunday
(`date.weekday()`).
"""

from __future__ import annotations

# --- Months ---------------------------------------------------------------------------

# French (le360) and English (le360's English edition, almaghribtoday's, RFC 822 feeds).
# Abbreviations are listed without their dot; the parser accepts an optional dot after any
# month word. English writes the month first too ("September 9, 2025"): the parser reads
# both orders of a month word, never of numbers ("09/10/2025" is always day first).
LATIN_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("janvier", "janv", "jan", "january"),
    2: ("février", "févr", "fév", "fevrier", "fevr", "fev", "feb", "february"),
    3: ("mars", "mar", "march"),
    4: ("avril", "avr", "apr", "april"),
    5: ("mai", "may"),
    6: ("juin", "jun", "june"),
    7: ("juillet", "juil", "jul", "july"),
    8: ("août", "aout", "aoû", "aug", "august"),
    9: ("septembre", "sept", "sep", "september"),
    10: ("octobre", "oct", "october"),
    11: ("novembre", "nov", "november"),
    12: ("décembre", "déc", "decembre", "dec", "december"),
}

# Arabic month names come in families; Moroccan media use all of them.
ARABIC_MONTH_FAMILIES: dict[str, dict[int, tuple[str, ...]]] = {
    # Morocco (and Mauritania's variants), from the French names.
    "moroccan": {
        1: ("يناير",),
        2: ("فبراير",),
        3: ("مارس",),
        4: ("أبريل", "ابريل", "إبريل"),
        5: ("ماي",),
        6: ("يونيو",),
        7: ("يوليوز",),
        8: ("غشت", "أغشت"),
        9: ("شتنبر", "شتمبر"),
        10: ("أكتوبر", "اكتوبر"),
        11: ("نونبر",),
        12: ("دجنبر", "دجمبر"),
    },
    # Egypt and the Gulf, from the English names.
    "egyptian_gulf": {
        1: ("يناير",),
        2: ("فبراير",),
        3: ("مارس",),
        4: ("أبريل", "إبريل", "ابريل"),
        5: ("مايو",),
        6: ("يونيو", "يونيه", "يونية"),
        7: ("يوليو", "يوليه", "يولية"),
        8: ("أغسطس", "اغسطس", "أغسطوس"),
        9: ("سبتمبر",),
        10: ("أكتوبر", "اكتوبر"),
        11: ("نوفمبر",),
        12: ("ديسمبر",),
    },
    # Syria, Lebanon, Jordan, Iraq, Palestine (Syriac names).
    "levantine": {
        1: ("كانون الثاني", "كانون ثاني", "كانون الثانى"),
        2: ("شباط",),
        3: ("آذار", "أذار", "اذار"),
        4: ("نيسان",),
        5: ("أيار", "ايار"),
        6: ("حزيران",),
        7: ("تموز",),
        8: ("آب", "اب"),
        9: ("أيلول", "ايلول"),
        10: ("تشرين الأول", "تشرين الاول", "تشرين أول"),
        11: ("تشرين الثاني", "تشرين الثانى", "تشرين ثاني"),
        12: ("كانون الأول", "كانون الاول", "كانون أول"),
    },
    # Algeria and Tunisia (syndicated copy reaches Moroccan sites).
    "maghrebi": {
        1: ("جانفي",),
        2: ("فيفري",),
        3: ("مارس",),
        4: ("أفريل", "افريل"),
        5: ("ماي",),
        6: ("جوان",),
        7: ("جويلية", "جويلي"),
        8: ("أوت", "اوت"),
        9: ("سبتمبر",),
        10: ("أكتوبر",),
        11: ("نوفمبر",),
        12: ("ديسمبر",),
    },
}

# --- Weekdays (only used to cross-check a date they precede) ----------------------------

WEEKDAYS: dict[int, tuple[str, ...]] = {
    0: ("lundi", "lun", "monday", "mon", "الاثنين", "الإثنين", "الاتنين", "اثنين"),
    1: ("mardi", "mar", "tuesday", "tue", "tues", "الثلاثاء", "الثلاثا", "ثلاثاء"),
    2: ("mercredi", "mer", "wednesday", "wed", "الأربعاء", "الاربعاء", "أربعاء"),
    3: ("jeudi", "jeu", "thursday", "thu", "thur", "thurs", "الخميس", "خميس"),
    4: ("vendredi", "ven", "friday", "fri", "الجمعة", "الجمعه", "جمعة"),
    5: ("samedi", "sam", "saturday", "sat", "السبت", "سبت"),
    6: ("dimanche", "dim", "sunday", "sun", "الأحد", "الاحد", "أحد"),
}

# --- Small words around dates and times -----------------------------------------------

# Suffixes of an ordinal day: "1er mars" ("1ᵉʳ" folds to "1er"), "September 9th".
DAY_SUFFIXES: tuple[str, ...] = ("er", "st", "nd", "rd", "th")

# Words allowed between a date and its time ("à 18h36", "- 10:15", "الساعة 10:15").
TIME_CONNECTORS: tuple[str, ...] = ("à", "a", "at", "vers", "الساعة", "على", "في", "على الساعة")

# Meridiem markers after a time; True means post meridiem.
MERIDIEM: dict[str, bool] = {
    "ص": False,
    "صباحا": False,
    "صباحاً": False,
    "صباح": False,
    "am": False,
    "a.m.": False,
    "م": True,
    "مساء": True,
    "مساءً": True,
    "مساءا": True,
    "ظهرا": True,
    "pm": True,
    "p.m.": True,
}

# Zone designators after a time: minutes east of UTC, or None for Moroccan local time.
ZONE_NAMES: dict[str, int | None] = {
    "z": 0,
    "ut": 0,
    "utc": 0,
    "gmt": 0,
    "بتوقيت غرينتش": 0,
    "بتوقيت جرينتش": 0,
    "بتوقيت غرينيتش": 0,
    "بتوقيت المغرب": None,
    "بتوقيت الرباط": None,
    "heure marocaine": None,
    "heure de casablanca": None,
}

# --- Relative dates ("il y a 3 heures", "منذ ساعتين", "3 hours ago", "hier") -------------

# Words before the count ("il y a 3 heures", "منذ 3 ساعات") or after the unit ("3 hours ago").
RELATIVE_PREFIXES: tuple[str, ...] = ("il y a", "منذ", "قبل")
RELATIVE_SUFFIXES: tuple[str, ...] = ("ago",)

# Unit word -> (unit, count implied when no number is written). Arabic singular means one
# and the dual means two ("منذ ساعتين"); a plural needs a number, else None.
RELATIVE_UNITS: dict[str, tuple[str, int | None]] = {
    # French
    "seconde": ("seconds", 1),
    "secondes": ("seconds", None),
    "sec": ("seconds", None),
    "s": ("seconds", None),
    "minute": ("minutes", 1),
    "minutes": ("minutes", None),
    "min": ("minutes", None),
    "mn": ("minutes", None),
    "heure": ("hours", 1),
    "heures": ("hours", None),
    "h": ("hours", None),
    "jour": ("days", 1),
    "jours": ("days", None),
    "j": ("days", None),
    "semaine": ("weeks", 1),
    "semaines": ("weeks", None),
    # English ("an hour ago"; "hours ago" alone needs a number)
    "second": ("seconds", 1),
    "seconds": ("seconds", None),
    "secs": ("seconds", None),
    "mins": ("minutes", None),
    "hour": ("hours", 1),
    "hours": ("hours", None),
    "hr": ("hours", None),
    "hrs": ("hours", None),
    "day": ("days", 1),
    "days": ("days", None),
    "week": ("weeks", 1),
    "weeks": ("weeks", None),
    # Arabic
    "ثانية": ("seconds", 1),
    "ثانيتين": ("seconds", 2),
    "ثانيتان": ("seconds", 2),
    "ثوان": ("seconds", None),
    "ثواني": ("seconds", None),
    "دقيقة": ("minutes", 1),
    "دقيقتين": ("minutes", 2),
    "دقيقتان": ("minutes", 2),
    "دقائق": ("minutes", None),
    "دقايق": ("minutes", None),
    "ساعة": ("hours", 1),
    "ساعتين": ("hours", 2),
    "ساعتان": ("hours", 2),
    "ساعات": ("hours", None),
    "يوم": ("days", 1),
    "يومين": ("days", 2),
    "يومان": ("days", 2),
    "أيام": ("days", None),
    "أسبوع": ("weeks", 1),
    "أسبوعين": ("weeks", 2),
    "أسبوعان": ("weeks", 2),
    "أسابيع": ("weeks", None),
}

# Units at or above this granularity give a date without a time.
DAY_GRANULARITY_UNITS: frozenset[str] = frozenset({"days", "weeks"})

NUMBER_WORDS: dict[str, int] = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "واحد": 1,
    "واحدة": 1,
    "ثلاث": 3,
    "ثلاثة": 3,
    "أربع": 4,
    "أربعة": 4,
    "خمس": 5,
    "خمسة": 5,
    "ست": 6,
    "ستة": 6,
    "سبع": 7,
    "سبعة": 7,
    "ثمان": 8,
    "ثماني": 8,
    "ثمانية": 8,
    "تسع": 9,
    "تسعة": 9,
    "عشر": 10,
    "عشرة": 10,
}

# Day words -> days added to the fetch date.
DAY_WORDS: dict[str, int] = {
    "aujourd'hui": 0,
    "aujourdhui": 0,
    "hier": -1,
    "avant-hier": -2,
    "avant hier": -2,
    "today": 0,
    "yesterday": -1,
    "the day before yesterday": -2,
    "اليوم": 0,
    "أمس": -1,
    "الأمس": -1,
    "بالأمس": -1,
    "البارحة": -1,
    "أول أمس": -2,
    "أول من أمس": -2,
}

# Names that contain a day word but are not dates; blanked before parsing.
NOISE_PHRASES: tuple[str, ...] = (
    "المغرب اليوم",
    "اليوم السابع",
    "aujourd'hui le maroc",
    "le360",
)
