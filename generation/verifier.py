"""Code check of one sentence against the evidence it cites: numbers, dates, names, content words."""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.text import normalize_for_match, normalize_for_verify
from core.tokens import tokens

_NUMBERISH = re.compile(r"\d+(?:[.,:h]\d+)*")
_NAME = re.compile(r"\b[A-ZÀ-Ý][A-ZÀ-Ý'\-]{2,}\b|\b[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)*\b")
_COMMON_CAPITALISED = {"le", "la", "les", "il", "elle", "ils", "un", "une", "en", "au", "lors", "selon", "par",
                       "dans", "des", "du", "de", "sur", "après", "avant", "puis", "ce", "cette", "son", "sa", "ses",
                       "mme", "m", "madame", "monsieur", "aucun", "aucune", "question", "réponse", "pv", "itt"}


@dataclass
class Verdict:
    status: str  # supported | unsupported
    reasons: list[str]
    overlap: float


def _norm_numbers(text: str) -> set[str]:
    """Numbers, dates and times written with digits, whatever the page wrote (« le douze janvier » = 12 janvier)."""
    return {n.replace(",", ".").rstrip(".") for n in _NUMBERISH.findall(normalize_for_verify(text))}


_PLATE = re.compile(r"\b[A-Z]{2}[-\s]?\d{3}[-\s]?[A-Z]{2}\b")


def plates_in(text: str) -> set[str]:
    return {normalize_for_match(p) for p in _PLATE.findall(text)}


def names_in(text: str) -> set[str]:
    out = set()
    text = _PLATE.sub(" ", text)
    for m in _NAME.finditer(text):
        word = m.group(0)
        at_start = m.start() == 0 or text[max(0, m.start() - 2):m.start()].strip() in (".", "!", "?", "«")
        if word.lower() in _COMMON_CAPITALISED or (at_start and not word.isupper()):
            continue
        out.add(normalize_for_match(word))
    return out


def verify(sentence: str, evidence: list[str], min_overlap: float = 0.5) -> Verdict:
    """Supported only if every number/date/time and every proper name of the sentence is in the evidence,
    and enough of its content words (stemmed) are too."""
    joined = " ".join(evidence)
    norm_evidence = normalize_for_verify(joined) + " " + normalize_for_match(joined.replace("\ufffe", "-"))
    reasons = []
    missing_numbers = sorted(n for n in _norm_numbers(sentence) - _norm_numbers(joined))
    if missing_numbers:
        reasons.append(f"nombres absents de la source : {', '.join(missing_numbers)}")
    missing_names = sorted(n for n in names_in(sentence) | plates_in(sentence) if n not in norm_evidence)
    if missing_names:
        reasons.append(f"noms absents de la source : {', '.join(missing_names)}")
    words = set(tokens(sentence))
    overlap = len(words & set(tokens(joined))) / len(words) if words else 0.0
    if overlap < min_overlap:
        reasons.append(f"recouvrement lexical insuffisant ({overlap:.2f} < {min_overlap:.2f})")
    return Verdict("unsupported" if reasons else "supported", reasons, round(overlap, 3))
