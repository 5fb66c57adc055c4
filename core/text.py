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
