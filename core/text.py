"""French text helpers shared by extraction, retrieval and verification (pure functions)."""
from __future__ import annotations

import re
import unicodedata

_UNITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
          "douze", "treize", "quatorze", "quinze", "seize"]
_TENS = {20: "vingt", 30: "trente", 40: "quarante", 50: "cinquante", 60: "soixante", 80: "quatre-vingt"}


def int_to_words(n: int) -> str:
    """French words for 0..999 (enough for readings, days, km/h)."""
    if n < 0 or n > 999:
        raise ValueError(n)
    if n < 17:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    if n < 100:
        if 70 <= n < 80:
            return "soixante-" + ("et-onze" if n == 71 else int_to_words(n - 60))
        if n >= 90:
            return "quatre-vingt-" + int_to_words(n - 80)
        tens, unit = (n // 10) * 10, n % 10
        word = _TENS[tens]
        if unit == 0:
            return word + ("s" if tens == 80 else "")
        return word + ("-et-un" if unit == 1 and tens != 80 else "-" + _UNITS[unit])
    hundreds, rest = divmod(n, 100)
    head = "cent" if hundreds == 1 else _UNITS[hundreds] + "-cent"
    return head if rest == 0 else head + "-" + int_to_words(rest)


_WORDS_TO_INT = {int_to_words(i): i for i in range(1000)}


def words_to_int(text: str) -> int | None:
    """Inverse of int_to_words, tolerant of spaces instead of hyphens and of 'et'."""
    key = re.sub(r"\s+", "-", strip_accents(text.strip().lower()))
    for words, value in _WORDS_TO_INT.items():
        if strip_accents(words) == key:
            return value
    return None


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def parse_decimal(raw: str) -> float | None:
    """'0,62' / '0.62' / '1 250,5' -> float; anything else -> None."""
    cleaned = raw.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]

def normalize_for_match(text: str) -> str:
    """Lower-case, accent-free, apostrophes and dashes unified, decimal comma as point, plates joined."""
    t = strip_accents(text).lower()
    t = t.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    t = re.sub(r"(\d),(\d)", r"\1.\2", t)
    t = re.sub(r"\b([a-z]{2})[\s-]?(\d{3})[\s-]?([a-z]{2})\b", r"\1\2\3", t)
    t = re.sub(r"(\d)\s*h\s*(\d{2})", r"\1h\2", t)
    return re.sub(r"\s+", " ", t).strip()


_NUM_WORDS = {w: i for i, w in enumerate(_UNITS)} | {"dix-sept": 17, "dix-huit": 18, "dix-neuf": 19} | {
    "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_NUM_WORD_RE = re.compile(
    r"\b(?:(?:z[ée]ro|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize"
    r"|vingts?|trente|quarante|cinquante|soixante|cents?|mille|et)(?:[\s-]+|\b)){1,12}", re.IGNORECASE)
_ORDINAL_DAY = re.compile(r"\b(?:le\s+)?premier\s+(?=(?:" + "|".join(MONTHS_FR) + r")\b)", re.IGNORECASE)


def _words_value(words: list[str]) -> int | None:
    """Additive French number reading with cent/mille multipliers and quatre-vingt (dates, times, amounts)."""
    total = current = 0
    previous = ""
    seen = False
    for i, w in enumerate(words):
        if w == "et":
            if words[i + 1:i + 2] not in (["un"], ["une"], ["onze"]):
                return None
            continue
        if w in ("cent", "cents"):
            current = max(current, 1) * 100
        elif w == "mille":
            total += max(current, 1) * 1000
            current = 0
        elif w in ("vingt", "vingts") and previous == "quatre":
            current += 76  # quatre (4) already added: 4 -> 80
        elif w in _NUM_WORDS or w == "une":
            current += _NUM_WORDS.get(w, 1)
        else:
            return None
        previous, seen = w, True
    return total + current if seen else None


def numbers_in_words_to_digits(text: str) -> str:
    """« le douze janvier deux mille vingt-six à vingt heures trente » -> « le 12 janvier 2026 à 20 h 30 ».
    A lone « un »/« une » (an article) and « et » are left as words; so is a lone « neuf » (new) after a noun."""

    def repl(m: re.Match) -> str:
        raw = m.group(0)
        trail = raw[len(raw.rstrip(" -\n\t")):]
        words = [w for w in re.split(r"[\s-]+", raw.strip(" -\n\t").lower()) if w]
        while words and words[-1] == "et":
            words.pop()
            trail = " et" + trail
        head = ""
        while words and words[0] == "et":
            words.pop(0)
            head += "et "
        if not words or words in (["un"], ["une"]):
            return raw
        value = _words_value(words)
        if value is None:
            return raw
        lead = "" if not raw[:1].isspace() else " "
        return f"{lead}{head}{value}{trail}"

    text = _ORDINAL_DAY.sub(lambda m: m.group(0).lower().replace("premier", "1"), text)
    text = _NUM_WORD_RE.sub(repl, text)
    text = re.sub(r"(\d)\s*heures?\s*(\d{1,2})\b", r"\1 h \2", text)
    text = re.sub(r"(\d)\s*heures?\b", r"\1 h", text)
    text = re.sub(r"(\d)\s*h\s*00\b", r"\1 h", text)
    return re.sub(r"(\d)\s*h\s*(\d)\b", r"\1 h 0\2", text)


def normalize_for_verify(text: str) -> str:
    """normalize_for_match after writing numbers, dates and times as digits (« douze janvier » = « 12 janvier »,
    « 6 h 05 » = « 6h05 » = « six heures cinq », « 3 000 € » = « 3000 euros »)."""
    t = numbers_in_words_to_digits(text.replace("\ufffe", "-").replace("\u00ad", "-"))
    t = re.sub(r"(?<=\d)[\s\u202f\xa0.](?=\d{3}\b)", "", t)
    t = re.sub(r"(\d)\s*(?:€|euros?)", r"\1 euros", t)
    return normalize_for_match(t)
