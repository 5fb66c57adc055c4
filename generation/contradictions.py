"""Contradictions found by code: the same quantity or detail stated differently by two pieces, or by the same
person at two stages (amount, time, number of persons, ITT days, rate, place); each side keeps its citation."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.text import normalize_for_verify
from core.tokens import tokens
from generation.evidence import Item

KIND_LABELS = {"montant": "Montant", "heure": "Heure", "personnes": "Nombre de personnes", "nombre": "Nombre",
               "itt": "Durée d'ITT",
               "taux": "Taux", "lieu": "Lieu"}
_AMOUNT = re.compile(r"(\d+(?:[.]\d+)?)\s*euros")
_TIME = re.compile(r"\b([01]?\d|2[0-3])h(\d{2})?\b")
_ITT = re.compile(r"(?:itt|incapacite totale de travail)\D{0,60}?(\d{1,3})\s*jours|(\d{1,3})\s*jours?\s*d'(?:itt|incapacite)")
_PERSONS = re.compile(r"\b(\d{1,2})\s+(?:hommes|individus|personnes|agresseurs|auteurs|jeunes|garcons|femmes|types)\b"
                      r"|\b(?:il|elle|j')\s*(?:etait|etais)\s+(seule?)\b|\b(seule?)\s+dans\b")
_RATE = re.compile(r"(\d+\.\d+)\s*(mg|g)\s*/\s*l")
_PLACE = re.compile(r"\bj'etais (chez|au|aux|a la|a l'|dans|en|a)\s+([^,.;]{3,40})")
_EVENTS = {
    "evenement": re.compile(r"arriv|rentr|attend|cri|agress|frapp|coup|dispute|bagarre|entendu|faits|altercation"
                            r"|sonn|serr|etrangl|vol|pris"),
    "depart": re.compile(r"\bparti|repart|quitt|sorti|fui|enfui|\bpars\b"),
    "appel": re.compile(r"appel|telephon|sms|message|contact|borne"),
}
_PROCEDURAL_TIME = re.compile(r"garde a vue|notifi|avis[eo]|perquisition|prend fin|debut|audition|examin|requisition"
                              r"|interpell")


_UNIT_WORDS = set(tokens("euros euro heures heure vers environ minutes jours jour fois"))


@dataclass
class Mention:
    kind: str
    value: str
    number: float
    item: Item
    topic: set[str]
    event: str = ""


@dataclass
class Contradiction:
    """Two versions of one detail; each side lists the mentions (pieces, persons) that state it."""
    kind: str
    a: Mention
    b: Mention
    strength: float
    more_a: list[Mention] = field(default_factory=list)
    more_b: list[Mention] = field(default_factory=list)

    @property
    def side_a(self) -> list[Mention]:
        return [self.a, *self.more_a]

    @property
    def side_b(self) -> list[Mention]:
        return [self.b, *self.more_b]

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _display(kind: str, number: float, raw: str) -> str:
    if kind == "montant":
        return f"{int(number):,}".replace(",", "\u202f") + " €" if number == int(number) else raw + " €"
    if kind == "heure":
        h, m = divmod(int(number), 60)
        return f"{h} h {m:02d}" if m else f"{h} h"
    if kind == "itt":
        return f"{int(number)} jours"
    if kind == "personnes":
        return "une personne seule" if number == 1 else f"{int(number)} personnes"
    if kind == "nombre":
        return raw
    return raw


_COUNTED = {
    "personnes": r"hommes|individus|personnes|agresseurs|auteurs|jeunes|garcons|types|gars",
    "appels": r"appels|coups de fil|sms|messages|contacts",
    "coups": r"coups?(?! de fil)|gifles?|claques?|coups de poing|coups de pied",
    "boissons": r"bieres?|verres?|canettes?|bouteilles?",
    "mains": r"mains?",
}
_COUNT = re.compile(r"(?<![\d:h.,])\b(\d{1,4})\s+(?:seule?s?\s+)?(" + "|".join(f"(?:{v})" for v in _COUNTED.values()) + r")\b")


def _window(t: str, start: int, end: int, width: int = 60) -> set[str]:
    """Content words around a value: what the value is about (« porte-monnaie », « revente », « rentré »)."""
    return set(tokens(t[max(0, start - width):end + width]))


def mentions_of(item: Item) -> list[Mention]:
    text = getattr(item, "full", "") or item.text
    t = normalize_for_verify(text)
    t = re.sub(r"\b(une|un) seule?\b", "1 seule", t)
    topic = set(tokens(text))
    out = []
    for m in _AMOUNT.finditer(t):
        n = float(m.group(1))
        if n >= 10 and not re.match(r"\s*(par mois|nets?|mensuels?|de salaire|d'amende)", t[m.end():m.end() + 14]):
            out.append(Mention("montant", m.group(1), n, item, _window(t, m.start(), m.end())))
    for m in _COUNT.finditer(t):
        noun = m.group(2)
        kind = next(k for k, v in _COUNTED.items() if re.fullmatch(v, noun))
        if item.category in ("declaration", "fait", "resultat"):
            # the counted thing itself (« bieres », « appels »): two bières and three verres are two things
            counted = kind if kind == "personnes" else re.sub(r"s$", "", noun.split()[-1])
            out.append(Mention("personnes" if kind == "personnes" else "nombre", m.group(0), float(m.group(1)),
                               item, _window(t, m.start(), m.end()), counted))
    if not _PROCEDURAL_TIME.search(t) and item.category in ("declaration", "fait"):
        for m in _TIME.finditer(t):
            minutes = int(m.group(1)) * 60 + int(m.group(2) or 0)
            near = t[max(0, m.start() - 70):m.end() + 70]
            for event in [name for name, rule in _EVENTS.items() if rule.search(near)] or [""]:
                out.append(Mention("heure", m.group(0), minutes, item, _window(t, m.start(), m.end()), event))
    for m in _ITT.finditer(t):
        out.append(Mention("itt", m.group(1) or m.group(2), float(m.group(1) or m.group(2)), item, topic))
    if item.category in ("declaration", "fait"):
        for m in _PERSONS.finditer(t):
            if m.group(2) or m.group(3):
                out.append(Mention("personnes", m.group(0), 1.0, item, topic, "personnes"))
    for m in _RATE.finditer(t):
        out.append(Mention("taux", m.group(0), float(m.group(1)), item, topic, m.group(2)))
    if item.category == "declaration":
        for m in _PLACE.finditer(t):
            out.append(Mention("lieu", m.group(2).strip(), 0.0, item, set(tokens(m.group(2))), m.group(1)))
    return out


def _same_side(a: Mention, b: Mention) -> bool:
    return a.item.citation.cote == b.item.citation.cote and a.item.person_key == b.item.person_key


def _comparable(a: Mention, b: Mention, common: set[str]) -> float:
    """0 when the two mentions do not speak of the same thing; otherwise how sure we are that they do."""
    same_person = bool(a.item.person_key) and a.item.person_key == b.item.person_key
    shared = {w for w in (a.topic & b.topic) - common if not w[:1].isdigit() and w not in _UNIT_WORDS}
    if a.kind in ("itt", "personnes"):
        return 2.5 + same_person
    if a.kind == "nombre":
        # a count is contradicted by what a person says, not by another count of a report (a total and its part)
        if a.event != b.event or "declaration" not in (a.item.category, b.item.category):
            return 0.0
        return 1.5 + same_person + 0.3 * min(3, len(shared))
    if a.kind == "taux":
        return 2.0 if a.event == b.event else 0.0
    if a.kind == "heure":
        if not a.event or a.event != b.event:
            return 0.0
        return 1.0 + same_person + 0.3 * min(3, len(shared))
    if a.kind == "lieu":
        if not same_person or a.topic & b.topic:
            return 0.0
        return 2.0
    # amounts: same person at two stages, or two pieces speaking of the same thing with shared words
    if len(shared) >= 2:
        return 1.5 + same_person + 0.3 * min(4, len(shared))
    return 0.0


def _differ(a: Mention, b: Mention) -> bool:
    if a.kind == "lieu":
        return a.value != b.value
    if a.kind == "heure":
        return 10 <= abs(a.number - b.number) <= 6 * 60
    if a.kind == "montant":
        low, high = sorted((a.number, b.number))
        return low != high and high <= 3 * low  # 50 € notes and a 3 000 € total are not two versions of a sum
    return a.number != b.number


def find_contradictions(items: list[Item], limit: int = 24) -> list[Contradiction]:
    """Pairs of mentions of the same kind and subject whose values differ, strongest first, one per value pair."""
    mentions = [m for it in items if it.category in ("declaration", "fait", "resultat") for m in mentions_of(it)]
    df: dict[str, int] = {}
    for it in items:
        for w in set(tokens(it.text)):
            df[w] = df.get(w, 0) + 1
    common = {w for w, n in df.items() if n > max(6, len(items) // 8)}
    found: dict[tuple, Contradiction] = {}
    for i, a in enumerate(mentions):
        for b in mentions[i + 1:]:
            if a.kind != b.kind or _same_side(a, b) or a.item is b.item or not _differ(a, b):
                continue
            strength = _comparable(a, b, common)
            if strength <= 0:
                continue
            first, second = sorted((a, b), key=lambda m: m.item.order)
            values = (first.number, second.number) if a.kind != "lieu" else (first.value, second.value)
            # two bières against four, and two coups against four, are two contradictions
            key = (a.kind, a.event if a.kind in ("nombre", "heure") else "", *sorted(values, key=str))
            current = found.get(key)
            if current is None:
                found[key] = Contradiction(a.kind, first, second, strength)
                continue
            current.strength = max(current.strength, strength)
            for m in (first, second):
                same_a = (m.number if m.kind != "lieu" else m.value) == (
                    current.a.number if m.kind != "lieu" else current.a.value)
                side, extra = (current.side_a, current.more_a) if same_a else (current.side_b, current.more_b)
                if len(side) < 3 and all(x.item is not m.item and x.item.citation.cote != m.item.citation.cote
                                         for x in side):
                    extra.append(m)
    ranked = sorted(found.values(), key=lambda c: -c.strength)
    out: list[Contradiction] = []
    used: dict[int, int] = {}
    for c in ranked:
        # the same sentence may side in two contradictions at most: otherwise one figure floods the section
        if used.get(id(c.a.item), 0) >= 2 or used.get(id(c.b.item), 0) >= 2:
            continue
        used[id(c.a.item)] = used.get(id(c.a.item), 0) + 1
        used[id(c.b.item)] = used.get(id(c.b.item), 0) + 1
        out.append(c)
        if len(out) >= limit:
            break
    return out


def value_text(m: Mention) -> str:
    return _display(m.kind, m.number, m.value)
