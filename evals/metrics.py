"""Pure metric arithmetic (no model calls); a metric with nothing to score raises instead of returning NaN."""
from __future__ import annotations

import re


class NothingToScore(ValueError):
    """Raised when a metric has no item to score: an honest error, never NaN or 1.0."""


def ratio(numerator: float, denominator: float, name: str) -> float:
    if denominator == 0:
        raise NothingToScore(f"{name}: nothing to score")
    return numerator / denominator


def prf(tp: int, fp: int, fn: int, name: str) -> dict[str, float]:
    precision = ratio(tp, tp + fp, f"{name} precision") if tp + fp else None
    recall = ratio(tp, tp + fn, f"{name} recall") if tp + fn else None
    if precision is None and recall is None:
        raise NothingToScore(f"{name}: nothing to score")
    p = precision if precision is not None else 1.0
    r = recall if recall is not None else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn}


def recall_at_k(ranks: list[int | None], k: int) -> float:
    return ratio(sum(1 for r in ranks if r is not None and r <= k), len(ranks), f"recall@{k}")


def mrr(ranks: list[int | None]) -> float:
    return ratio(sum(1 / r for r in ranks if r), len(ranks), "mrr")


# question answering ----------------------------------------------------------------------------------------------
_QA_NUMBER = re.compile(r"\d+(?:[ \u202f\xa0.]\d{3})*(?:[.,]\d+)?")
_QA_NAME = re.compile(r"\b[A-ZÀ-Ý][A-ZÀ-Ý'\-]{2,}\b")
_QA_WORD_NUMBERS = {"zero": 0, "aucun": 0, "aucune": 0, "neant": 0, "un": 1, "une": 1, "deux": 2, "trois": 3,
                    "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11,
                    "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30}
_QA_NOT_NAMES = {"ITT", "PV", "SIM", "ADN", "TJ", "JLD", "CPP", "RSA", "OUI", "NON"}


def qa_numbers(text: str) -> set[str]:
    """Numbers of a text as canonical strings: « 1 200 » -> 1200, « 0,86 » -> 0.86, « trois » -> 3."""
    from core.text import normalize_for_match

    norm = normalize_for_match(text)
    out = set()
    for raw in _QA_NUMBER.findall(norm):
        cleaned = re.sub(r"[ \u202f\xa0]", "", raw).replace(",", ".")
        if re.fullmatch(r"[1-9]\d{0,2}(?:\.\d{3})+", cleaned):  # « 1.200 »: a thousands separator
            cleaned = cleaned.replace(".", "")
        try:
            value = float(cleaned)
        except ValueError:
            continue
        out.add(f"{value:g}")
    for word in re.findall(r"[a-z]+", norm):
        if word in _QA_WORD_NUMBERS:
            out.add(str(_QA_WORD_NUMBERS[word]))
    return out


_QA_FIRST_NAME = re.compile(r"\b([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\s+(?=[A-ZÀ-Ý]{2}[A-ZÀ-Ý'\-]+\b)")


def qa_names(text: str) -> set[str]:
    """Surnames in capitals and the first names written before them (« Nora BROUILLAC » is not « Sofia »)."""
    from core.text import normalize_for_match

    names = {n for n in _QA_NAME.findall(text) if n not in _QA_NOT_NAMES}
    names |= set(_QA_FIRST_NAME.findall(text))
    return {normalize_for_match(n) for n in names}


def answer_content_correct(answer: str, reference: str, min_words: float = 0.6) -> bool:
    """Right by content: every number and every name of the reference is in the answer, and most of its content
    words (stemmed) are too. Number words count as their digits (« trois » = « 3 »), « un/une » excepted."""
    from ingestion.sparse import tokens

    ref_numbers = qa_numbers(reference) - {"1"} if not re.search(r"\b1\b", reference) else qa_numbers(reference)
    if not ref_numbers <= qa_numbers(answer):
        return False
    if not qa_names(reference) <= qa_names(answer):
        return False
    ref_words = {t for t in tokens(reference) if not any(ch.isdigit() for ch in t) and t not in _QA_WORD_NUMBERS}
    if not ref_words:
        return True
    if ref_numbers or qa_names(reference):  # the decisive values are there: half of the words is enough
        min_words = min(min_words, 0.5)
    return len(ref_words & set(tokens(answer))) / len(ref_words) >= min_words


def reference_core(reference: str) -> str:
    """The decisive part of a hand-written reference: before its first parenthesis or semicolon (« 35 jours
    (rapport UMJ du 20 mars 2026) ; l'ITT provisoire était de 8 jours » -> « 35 jours »)."""
    core = re.split(r"\s*[(;]", reference, maxsplit=1)[0].strip(" .,:")
    return core or reference


def citation_hit(cited: list[tuple[str | None, int]], gold: list[tuple[str, int]]) -> bool:
    """The answer cites at least one of the pages that state the reference answer."""
    return bool(set(cited) & set(gold))


def abstention_prf(rows: list[tuple[bool, bool]]) -> dict[str, float]:
    """(abstained, unanswerable) pairs -> precision (abstentions that were right) and recall (unanswerable
    questions abstained)."""
    tp = sum(1 for a, u in rows if a and u)
    fp = sum(1 for a, u in rows if a and not u)
    fn = sum(1 for a, u in rows if not a and u)
    return prf(tp, fp, fn, "abstention")
