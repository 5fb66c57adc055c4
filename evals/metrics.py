"""Pure metric arithmetic (no model calls); a metric with nothing to score raises instead of returning NaN, and a
part of a metric with nothing to measure (precision when nothing was predicted) is None, shown « rien à mesurer »."""
from __future__ import annotations

import re

from core.models import normalize_cote
from core.text import normalize_for_verify
from core.tokens import tokens


class NothingToScore(ValueError):
    """Raised when a metric has no item to score: an honest error, never NaN or 1.0."""


def ratio(numerator: float, denominator: float, name: str) -> float:
    if denominator == 0:
        raise NothingToScore(f"{name}: nothing to score")
    return numerator / denominator


NOTHING_TO_MEASURE = "rien à mesurer"


def prf(tp: int, fp: int, fn: int, name: str) -> dict[str, float | int | None]:
    """Precision, recall and F1. Precision is None when nothing was predicted and recall None when there was
    nothing to find (never 1.0 for nothing); F1 = 2tp / (2tp + fp + fn) is 0 as soon as nothing found is right."""
    if tp + fp + fn == 0:
        raise NothingToScore(f"{name}: nothing to score")
    precision = round(tp / (tp + fp), 4) if tp + fp else None
    recall = round(tp / (tp + fn), 4) if tp + fn else None
    f1 = round(2 * tp / (2 * tp + fp + fn), 4)
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def shown(value: float | int | None, fmt: str = ".3f") -> str:
    """A score as a report shows it: « rien à mesurer » for None."""
    return NOTHING_TO_MEASURE if value is None else format(value, fmt)


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


# the administrative order, « BERTHOLLET Yanis, né le … »: the first name after the surname
_QA_FIRST_NAME_AFTER = re.compile(r"\b[A-ZÀ-Ý]{2}[A-ZÀ-Ý'\-]+\s+([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\b(?![A-ZÀ-Ý])")
_QA_FIRST_NAME = re.compile(r"\b([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\s+(?=[A-ZÀ-Ý]{2}[A-ZÀ-Ý'\-]+\b)")


def qa_names(text: str) -> set[str]:
    """Surnames in capitals and the first names written before them (« Nora BROUILLAC » is not « Sofia »)."""
    from core.text import normalize_for_match

    names = {n for n in _QA_NAME.findall(text) if n not in _QA_NOT_NAMES}
    names |= set(_QA_FIRST_NAME.findall(text))
    names |= {m for m in _QA_FIRST_NAME_AFTER.findall(text) if m not in ("Mme", "Monsieur", "Madame")}
    return {normalize_for_match(n) for n in names}


def answer_content_correct(answer: str, reference: str, min_words: float = 0.6) -> bool:
    """Right by content: every number and every name of the reference is in the answer, and most of its content
    words (stemmed) are too. Number words count as their digits (« trois » = « 3 »), « un/une » excepted."""
    from core.tokens import tokens

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
# Drafting metrics, by content. A sentence is (text, [(cote, page), ...]).

_NUMBER = re.compile(r"\d+(?:[.,:h]\d+)*")
_NAME = re.compile(r"\b[A-ZÀ-Ý][A-ZÀ-Ý'\-]{2,}\b")
Sentence = tuple[str, list[tuple[str | None, int]]]


def _cited_text(sentences: list[Sentence], cote: str) -> str:
    cote = normalize_cote(cote) or cote
    return " ".join(text for text, cites in sentences if any(c == cote for c, _ in cites))


def _element_present(element: str, norm_text: str, text_tokens: set[str]) -> bool:
    """A content element (« 19 h 04 », « QUESNOY-UN », « trois », « porte-fenêtre ») in the cited text: numbers
    and names as normalised substrings, words by stem."""
    norm = normalize_for_verify(element)
    if not norm:
        return True
    if norm in norm_text:
        return True
    words = set(tokens(element))
    return bool(words) and words <= text_tokens


def key_fact_present(fact: dict, sentences: list[Sentence], min_words: float = 0.5) -> bool:
    """Fully present and cited: every required element (the annotation's `content`, else the fact's numbers and
    upper-case names) and at least `min_words` of its content words are in sentences citing the fact's cote."""
    cited = _cited_text(sentences, fact["cote"])
    if not cited:
        return False
    norm = normalize_for_verify(cited)
    cited_tokens = set(tokens(cited))
    required = fact.get("content") or (_NUMBER.findall(normalize_for_verify(fact["text"])) +
                                        _NAME.findall(fact["text"]))
    if not all(_element_present(e, norm, cited_tokens) for e in required):
        return False
    words = set(tokens(fact["text"]))
    return not words or len(words & cited_tokens) / len(words) >= min_words


def key_fact_recall_by_content(facts: list[dict], sentences: list[Sentence], name: str = "key_fact_recall") -> float:
    return ratio(sum(key_fact_present(f, sentences) for f in facts), len(facts), name)


def _value_shown(side: dict, sentences: list[Sentence]) -> bool:
    cited = _cited_text(sentences, side["cote"])
    if not cited:
        return False
    norm, cited_tokens = normalize_for_verify(cited), set(tokens(cited))
    value = side.get("value") or side.get("needle", "")
    numbers = _NUMBER.findall(normalize_for_verify(value))
    if numbers:
        return all(n in norm for n in numbers[:2])
    words = set(tokens(value))
    # a word matches its inflections (« blanc » for « blanche », « gris foncé » for « grise »): a stem shorter than
    # five letters must be equal, a longer one shares its first five letters
    met = {w for w in words if w in cited_tokens or len(w) >= 5 and any(t[:5] == w[:5] for t in cited_tokens)}
    return bool(words) and len(met) / len(words) >= 0.5


def contradiction_shown(contradiction: dict, section: list[Sentence]) -> bool:
    """Both sides in the contradictions section: each cited to its cote with its value (numbers first, else words)."""
    return _value_shown(contradiction["a"], section) and _value_shown(contradiction["b"], section)


def contradictions_shown(contradictions: list[dict], section: list[Sentence]) -> float:
    return ratio(sum(contradiction_shown(c, section) for c in contradictions), len(contradictions),
                 "contradictions_shown")


def contradiction_points(section: list[Sentence]) -> list[list[Sentence]]:
    """The points of a contradictions section: a line naming the detail opens a point, the lines after it that give
    another version (« Contre … ») or the same version by another person or stage (« De même, … ») belong to it."""
    points: list[list[Sentence]] = []
    for sentence in section:
        if points and re.match(r"^\s*(contre|de même|de meme)\b", sentence[0], re.IGNORECASE):
            points[-1].append(sentence)
        else:
            points.append([sentence])
    return points


def contradictions_precision(contradictions: list[dict], section: list[Sentence]) -> float | None:
    """Share of the points shown that are an annotated contradiction, by content (both sides' values, each cited
    to its cote, inside that point); None when nothing is shown (nothing to measure). A point the annotators did not
    list counts as noise here even when it is a real discrepancy: a lower bound to read with the point's text."""
    points = contradiction_points(section)
    if not points:
        return None
    return sum(any(contradiction_shown(c, p) for c in contradictions) for p in points) / len(points)


# The evaluator's own list of what a magistrate strikes (independent of generation/boilerplate.py on purpose).
_STRIKE = [re.compile(p, re.IGNORECASE) for p in (
    r"^l'an (deux )?mille", r"\bnous\s*,[^.]{0,200}(officier|agent) de police judiciaire", r"dont proc[eè]s-verbal",
    r"lecture faite", r"persiste et signe", r"^vu (les|l'|la|le)\b", r"droit de (se taire|garder le silence)",
    r"(notifions|rappelons|informons)\b.{0,120}droits?", r"articles? 63-[1-4]", r"^(question|q|d)\s*:",
    r"\.pdf\b", r"\bpiece_\d+", r"^cote\s*[a-d]\s*\d", r"\bpage \d+\s*/\s*\d+", r"cote inconnue",
    r"^(fait|clos) (a|à|au|en|le)\b[^.]{0,60}\.?$", r"^(l'officier|l'agent|le greffier|la greffière|le juge)"
    r"[^.]{0,50}$", r"^\s*\d{1,4},? (rue|avenue|boulevard|allée|place|impasse|chemin)\b[^.]{0,60}$",
    r"^(signature|\(signé\))",
    # added 2 December after reading a draft of a dossier by a fifth author, which this list scored 0 %:
    r"pr[eê]t[eé] serment", r"rappel est fait d[ue]s? droits?", r"\brapportons\b", r"\bquestion\s*:",
    r"\bdevant nous\b.{0,160}\bcompara[iî]t", r"\b\d{1,2}:\d{2}(:\d{2})?\b.{0,60}\b(sms|appel)s? (sortant|entrant)")]


def is_struck(text: str) -> bool:
    """Boilerplate by the evaluator's rule: a formula, a letterhead (mostly capitals), an address, a footer, a file
    name, or a fragment (under five words without a final stop)."""
    t = re.sub(r"^[^:«]{0,80}:\s*«\s*", "", text.strip()).strip(" »")
    if any(p.search(t) for p in _STRIKE):
        return True
    letters = [c for c in t if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        return True
    return len(t.split()) < 5 and not t.rstrip().endswith((".", "!", "?", "»"))


def boilerplate_share(texts: list[str]) -> float:
    return ratio(sum(is_struck(t) for t in texts), len(texts), "boilerplate_share")


def kinds_overlap(drafts: dict[str, list[str]]) -> float:
    """The largest share of one draft's sentences found word for word in a draft of another kind."""
    norm = {k: {normalize_for_verify(t) for t in v} for k, v in drafts.items() if v}
    worst = 0.0
    for a in norm:
        for b in norm:
            if a < b:
                shared = len(norm[a] & norm[b]) / min(len(norm[a]), len(norm[b]))
                worst = max(worst, shared)
    return worst


def identical_sections(drafts: dict[str, list[list[str]]]) -> int:
    """Sections (two sentences or more) found word for word in a draft of another kind: copy-paste between kinds."""
    seen: dict[tuple[str, ...], str] = {}
    count = 0
    for kind, sections in drafts.items():
        for sentences in sections:
            key = tuple(normalize_for_verify(t) for t in sentences)
            if len(key) < 2:
                continue
            if key in seen and seen[key] != kind:
                count += 1
            seen.setdefault(key, kind)
    return count
