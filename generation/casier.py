"""The B1 (bulletin n° 1 du casier judiciaire) as the réquisitions and the réquisitoire say it: the number of
convictions and, for each, its date, offence and penalty, or the bulletin's « néant »; only the page's words,
verified on them. A scanned table loses its labels: the fields are then read from the lines carrying their words."""
from __future__ import annotations

import re

from core.models import Citation
from generation.pieces import PieceInfo
from generation.plans import Line
from generation.salience import fold
from generation.verifier import verify

_DAY = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{1,2}(?:er)? (?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t"
                  r"|septembre|octobre|novembre|d[ée]cembre) \d{4}\b", re.IGNORECASE)
# where a conviction starts: « Condamnation n° 2 », or an enumeration at a line's start (« 2) », « 2. », « 2° »)
_CONVICTION = re.compile(r"condamnation\s*n\s*[°o]\s*\d+|^\s*\d{1,2}\s*[).°]\s+(?=\D)", re.IGNORECASE | re.MULTILINE)
_COUNT = re.compile(r"nombre de condamnations\s*:?\s*\d+", re.IGNORECASE)
_NIL = re.compile(r"[^\n.]*\b(neant|aucune condamnation|0 condamnation)\b[^\n]*", re.IGNORECASE)
_OFFENCE_FIELD = re.compile(r"\binfraction\s*:\s*(?P<v>[^\n]+)", re.IGNORECASE)
_PENALTY_FIELD = re.compile(r"\bpeines?\s*:\s*(?P<v>[^\n]+)", re.IGNORECASE)
_PENALTY_WORDS = re.compile(r"emprisonnement|amende|jours-amende|sursis|travail d'interet|stage|suspension"
                            r"|dispense|avertissement", re.IGNORECASE)
_OFFENCE_WORDS = re.compile(r"\b(vol|recel|violences?|conduite|usage|stupefiant|detention|transport|menace|escroquer"
                            r"|outrage|rebellion|degradation|port|harcelement|agression|infraction|defaut|refus)",
                            re.IGNORECASE)


def _field(block: str, rule: re.Pattern, words: re.Pattern) -> str:
    """A field of one conviction: after its label (« Infraction : … »), else the first line carrying its words (a
    scanned table loses the labels; an enumerated line says « Tribunal …, 14 mai 2019 : violences …, 6 mois … »)."""
    m = rule.search(block)
    if m:
        value = m.group("v")
    else:
        lines = [ln.strip(" |{(‘'") for ln in block.splitlines() if words.search(fold(ln)) and len(ln.split()) >= 3]
        value = lines[0] if lines else ""
        day = _DAY.search(value)
        if day and value[day.end():].lstrip().startswith(":"):
            value = value[day.end():].lstrip()[1:]
    value = re.split(r"\s+[—–-]\s+(?:faits|art\.)|,\s*faits (?:commis|du)|\s*\(art\.|\s+[—–]\s+", value)[0].strip(" ,;.")
    return " ".join(value.split()[:18])


def casier_line(piece: PieceInfo, texts: list[tuple[Citation, str]], who: str = "") -> Line | None:
    """« Yanis BERTHOLLET — Nombre de condamnations : 3 ; 12/06/2019 : vol en réunion (4 mois d'emprisonnement avec
    sursis simple) ; … », or the B1's « néant »: only the page's words, verified on them."""
    whole = "\n".join(t for _, t in texts)
    who = who or (piece.heard[0][1] if piece.heard else "")
    cites = [c for c, _ in texts]
    blocks = [b for b in _CONVICTION.split(whole)[1:] if _OFFENCE_WORDS.search(fold(b)) or _DAY.search(b)]
    parts: list[str] = []
    if blocks:
        count = _COUNT.search(whole)
        parts.append(count.group(0) if count else f"{len(blocks)} condamnations")
        for block in blocks:
            day = _DAY.search(block)
            offence = _field(block, _OFFENCE_FIELD, _OFFENCE_WORDS)
            penalty = _field(block, _PENALTY_FIELD, _PENALTY_WORDS)
            entry = " : ".join(x for x in (day.group(0) if day else "", offence) if x)
            if penalty and fold(penalty) not in fold(offence):
                entry += f" ({penalty})"
            if entry:
                parts.append(entry)
    else:
        nil = _NIL.search(fold(whole))
        if not nil:
            return None
        start, end = nil.span()
        parts.append(" ".join(whole[start:end].split()).strip(" .—-"))
    text = (f"{who} — " if who else "") + " ; ".join(parts) + "."
    if verify(text, [t for _, t in texts], 0.5).status != "supported":
        return None
    return Line(text, cites)


