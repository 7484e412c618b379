"""clippings' langdetect (``clippings.extract.langdetect_exact.Langdetect``) against langdetect's own
``Detector`` over its own profiles, seeded as clippings seeds it, one trial on the same sample:
the same language and the same probability for every language, to the last bit, on texts in
many scripts, with URLs, e-mail addresses, capitals, digits, Vietnamese marks, and the
windows, case changes and mixtures of them."""

from __future__ import annotations

import random
import re

import pytest
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from clippings.extract import langdetect_exact, langprofiles, language

TEXTS = [
    "Le roi Mohammed VI a présidé mardi à Rabat une séance de travail consacrée au programme "
    "national d’approvisionnement en eau potable et d’irrigation, a annoncé le cabinet royal.",
    "LE MAROC ET L’ESPAGNE signent un accord : la FIFA confirme la Coupe du monde 2030 à "
    "Casablanca, Madrid et Lisbonne. Réactions à chaud des supporters du WAC et du RCA.",
    "Read the full report at https://www.example.com/reports/2024/water?lang=en&page=2 or write "
    "to press.office@example.org before Friday; the ministry says reserves stand at 27.6%.",
    "Die Bundesregierung hat am Mittwoch neue Maßnahmen für die Wirtschaft beschlossen. "
    "Der Bundestag soll im Herbst darüber abstimmen, sagte ein Sprecher in Berlin.",
    "El Gobierno de España aprobó este martes un paquete de ayudas para los agricultores "
    "afectados por la sequía en Andalucía y Murcia, según fuentes oficiales.",
    "O governo português anunciou novas medidas para a habitação e o emprego jovem em Lisboa.",
    "Il presidente della Repubblica ha firmato il decreto sull'energia approvato dal Consiglio.",
    "De regering heeft dinsdag nieuwe maatregelen aangekondigd voor de woningmarkt in Nederland.",
    "Thủ tướng Chính phủ đã chủ trì cuộc họp về phát triển kinh tế tại Hà Nội hôm thứ Ba.",
    # Vietnamese written with combining marks, which langdetect joins to their letter.
    "Tie\u0302\u0301ng Vie\u0323\u0302t la\u0300 ngo\u0302n ngu\u031b\u0303 cu\u0309a ngu\u031bo\u031b\u0300i Vie\u0323\u0302t.",
    "Президент России провёл совещание с членами правительства в Кремле по вопросам экономики, "
    "сообщает ТАСС; в нём участвовали Mishustin, Siluanov и Nabiullina (Bank of Russia).",
    "国务院总理主持召开国务院常务会议，研究部署进一步稳定经济增长的政策措施。",
    "日本政府は火曜日、新たな経済対策を閣議決定した。カタカナのニュースもあります。",
    "정부는 화요일 서울에서 경제 관계 장관 회의를 열고 새로운 대책을 발표했다.",
    "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία και την απασχόληση των νέων.",
    "הממשלה אישרה ביום שלישי תוכנית חדשה לשיפור התחבורה הציבורית בירושלים.",
    "دولت ایران روز سه‌شنبه برنامه جدیدی برای پیشرفت اقتصاد کشور و گسترش گردشگری اعلام کرد.",
    "الرباط - أعلنت الحكومة المغربية عن إجراءات جديدة لدعم المقاولات الصغيرة والمتوسطة.",
    "भारत सरकार ने मंगलवार को नई आर्थिक नीति की घोषणा की, जिससे किसानों को लाभ होगा।",
    "รัฐบาลไทยประกาศมาตรการใหม่เพื่อกระตุ้นเศรษฐกิจและการท่องเที่ยวในกรุงเทพมหานคร",
    "Hükümet salı günü Ankara'da ekonomi ve istihdam için yeni önlemler açıkladı; İstanbul'da da.",
    "Guvernul României a aprobat marți noi măsuri pentru economie, în ședința de la București; "
    "și totuși, cetățenii așteaptă.",
    "Rząd ogłosił we wtorek nowe środki wsparcia dla przedsiębiorców z województwa śląskiego.",
    "2024 12 07 - 15:30 / 1.250.000 € +3,5 % ; 06 61 23 45 67 ; (1) [2] {3} <4> #5 @6",
    "…  ¿? ¡! «» “” ‘’ — – • · ° § ¶ © ® ™",
    "😀🎉 ✔︎ ★☆ ♥ 𝐁𝐨𝐥𝐝 𝑖𝑡𝑎𝑙𝑖𝑐",
    "OTAN UE ONU FMI OMS BCE G7 G20 COP28 CAN2025",
    "a\tb\nc  d   e\u00a0f\u2009g\u3000h",
    "x" * 300 + " https://example.com/" + "long-path/" * 30 + " fin du texte ici",
]


@pytest.fixture(scope="module")
def own() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(langprofiles.SEED)
    return factory


def _langdetect_itself(factory: DetectorFactory, sample: str) -> tuple[str | None, list[float] | None]:
    detector = factory.create()
    detector.set_max_text_length(langdetect_exact.SAMPLE_CHARS)
    detector.n_trial = 1
    detector.append(sample)
    try:
        return detector.detect(), detector.langprob
    except LangDetectException:
        return None, None


def _variants() -> list[str]:
    rng = random.Random(11)
    texts = list(TEXTS)
    texts += [t.upper() for t in TEXTS] + [t.lower() for t in TEXTS] + [t.title() for t in TEXTS]
    texts += [t[k:] for t in TEXTS for k in (1, 7, 40)]
    texts += [rng.choice(TEXTS)[: rng.randint(5, 200)] + " " + rng.choice(TEXTS) for _ in range(120)]
    words = " ".join(TEXTS).split(" ")
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 70))) for _ in range(200)]
    return texts


@pytest.mark.parametrize("text", _variants())
def test_same_language_and_probabilities_as_langdetect(own, text):
    sample = text[: langdetect_exact.SAMPLE_CHARS * 2]
    ours = langdetect_exact.detector()
    assert ours.langlist == own.langlist
    assert (ours.detect(sample), ours.probabilities(sample)) == _langdetect_itself(own, sample)


def test_the_same_once_words_are_forgotten(own, monkeypatch):
    # A word's n-grams are kept for a bounded number of words; forgetting them all and making
    # them again changes nothing.
    monkeypatch.setattr(langdetect_exact, "_WORDS_KEPT", 5)
    ours = langdetect_exact.Langdetect(langprofiles.factory())
    for text in TEXTS * 2:
        sample = text[: langdetect_exact.SAMPLE_CHARS * 2]
        assert ours.probabilities(sample) == _langdetect_itself(own, sample)[1]
    assert len(ours._inner) <= 5


def test_detect_language_is_langdetect_after_the_arabic_letters(own):
    for text in TEXTS:
        sample = text[: langdetect_exact.SAMPLE_CHARS * 2]
        if language._script_says_arabic(sample):
            assert language.detect_language(text) == "ar"
            continue
        code = _langdetect_itself(own, sample)[0]
        assert language.detect_language(text) == (code and code.split("-")[0])
    assert language.detect_language("   \n ") is None
    assert language.detect_language("2024 - 12 / 07") is None


def _arabic_by_the_letter(sample: str) -> bool:
    """The Arabic rule counted a character at a time: at least 20 letters, four in five of
    them Arabic-script, none proper to Persian, Urdu and the others."""
    letters = sum(1 for ch in sample if re.fullmatch(r"[^\W\d_]", ch))
    arabic = sum(1 for ch in sample if language._ARABIC_SCRIPT.fullmatch(ch))
    return letters >= 20 and arabic >= 0.8 * letters and not language._NOT_ARABIC.search(sample)


def test_arabic_letters_counted_as_one_at_a_time():
    rng = random.Random(3)
    arabic = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإئؤةىڤڭ"
    persian = "پچژگکیٹڈڑںھہے"
    other = "abcXYZ 0123456789 ٠١٢٣ _-.,؛،؟ éà ﻻﷲ﴾ ًٌٍَُِّْ ۔ ﷼"
    said = set()
    for _ in range(3000):
        pools = [arabic] * rng.randint(0, 8) + [persian] * rng.randint(0, 1) + [other] * rng.randint(1, 3)
        sample = "".join(rng.choice(rng.choice(pools)) for _ in range(rng.choice([5, 19, 20, 21, 25, 60, 500])))
        expected = _arabic_by_the_letter(sample)
        assert language._script_says_arabic(sample) == expected, sample
        said.add(expected)
    assert said == {True, False}
