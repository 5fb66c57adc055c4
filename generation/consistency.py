"""Consistency checks a magistrate must see before signing: a qualification that does not fit the dossier's facts.

The qualification « violences ayant entraîné une ITT n'excédant pas 8 jours » (or « … supérieure à 8 jours ») is
compared with the ITT in force (the latest a medical piece fixes); each side is named with its page. A warning, never
a correction: the magistrate decides (the qualification may be the one to change).
"""
from __future__ import annotations

import re

from core.text import normalize_for_verify
from generation.evidence import Item

_AT_MOST = re.compile(r"(?:itt|incapacite totale de travail)[^.;]{0,40}?(?:n'excedant pas|inferieure? ou egale? a"
                      r"|d'au plus|au plus egale? a)\s*(\d{1,2})\s*jours")
_MORE_THAN = re.compile(r"(?:itt|incapacite totale de travail)[^.;]{0,40}?(?:superieure? a|excedant|pendant plus de"
                        r"|de plus de)\s*(\d{1,2})\s*jours")
_ITT = re.compile(r"(?:itt|incapacite totale de travail)\D{0,80}?(\d{1,3})\s*(?:\(\s*\d{1,3}\s*\)\s*)?jours"
                  r"|(\d{1,3})\s*jours?\s*d'(?:itt|incapacite)")
_QUALIFYING = {"requisitoire_introductif", "interrogatoire_premiere", "ordonnance_detention", "ordonnance_cj",
               "ordonnance", "interrogatoire"}
_MEDICAL = {"expertise_medicale", "expertise"}


def _where(it: Item) -> str:
    label = it.piece.label[:1].lower() + it.piece.label[1:] if it.piece else "pièce"
    return f"{label}, {it.citation.label()}"


def itt_warnings(items: list[Item]) -> list[str]:
    """« Cohérence à vérifier : … » when the ITT a medical piece fixes is outside the bound the qualification
    states (n'excédant pas 8 jours against 15 days; plus de 8 jours against 5)."""
    bounds: list[tuple[str, int, Item]] = []
    itts: list[tuple[int, Item]] = []
    for it in items:
        text = normalize_for_verify(it.full or it.text)
        kind = it.piece.kind if it.piece else ""
        if kind in _QUALIFYING or it.category == "decision":
            bounds += [("au plus", int(m.group(1)), it) for m in _AT_MOST.finditer(text)]
            bounds += [("plus de", int(m.group(1)), it) for m in _MORE_THAN.finditer(text)]
        elif kind in _MEDICAL or it.category == "resultat":
            itts += [(int(m.group(1) or m.group(2)), it) for m in _ITT.finditer(text)
                     if not _AT_MOST.search(text) and not _MORE_THAN.search(text)]
    # the ITT in force is the latest one fixed (a final report after a provisional certificate), not every one
    if itts:
        latest = max(itts, key=lambda x: (x[1].day, "definiti" in normalize_for_verify(x[1].full or x[1].text),
                                          x[1].order))
        itts = [x for x in itts if x[1].citation.cote == latest[1].citation.cote]
    out: list[str] = []
    seen: set[tuple] = set()
    for sense, bound, q in bounds:
        for days, med in itts:
            wrong = days > bound if sense == "au plus" else days <= bound
            if not wrong or (sense, bound, days) in seen:
                continue
            seen.add((sense, bound, days))
            stated = "n'excédant pas" if sense == "au plus" else "supérieure à"
            out.append(f"Cohérence à vérifier : la qualification ({_where(q)}) retient une ITT {stated} {bound} jours, "
                       f"alors que {_where(med)} fixe une ITT de {days} jours.")
    return out
