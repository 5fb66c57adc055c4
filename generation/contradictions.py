"""Contradictions found by code: the same quantity or detail stated differently by two pieces, or by the same
person at two stages (amount, time, number of persons, ITT days, rate, place, colour of a vehicle, who struck,
contacts denied against contacts counted, a person elsewhere against his phone on the spot, the room where it
happened); each side keeps its citation, and a side is always a sentence of the dossier, never one we compose."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.models import Citation
from core.text import normalize_for_verify, strip_accents
from core.tokens import tokens
from generation.declarations import stage_label
from generation.evidence import Item
from generation.verifier import verify

KIND_LABELS = {"montant": "Montant", "heure": "Heure", "personnes": "Nombre de personnes", "nombre": "Nombre",
               "itt": "Durée d'ITT",
               "taux": "Taux", "lieu": "Lieu", "couleur": "Couleur du véhicule", "auteur": "Auteur des violences",
               "contact": "Contacts entre les personnes", "presence": "Présence sur les lieux",
               "piece": "Pièce où les faits se sont produits"}
# Details compared by their words rather than their number.
_WORD_KINDS = {"lieu", "couleur", "auteur", "piece", "contact", "presence"}
_COLOUR = re.compile(r"\b(noir|gris|blanc|rouge|bleu|vert|beige|jaune|marron|bordeaux|argent)(?:e|he|s|es)?\b")
_VEHICLE = re.compile(r"\b(voiture|vehicule|citadine|clio|peugeot|renault|citroen|scooter|moto|camionnette|berline"
                      r"|4x4|utilitaire|308|208)\b")
_WHO_DID = re.compile(r"\bc'est ([a-z][a-z\-]{2,}) qui (?:l'a |lui a |m'a |a )?(?:\w+ )?(pousse|frappe|tape|mis un coup"
                      r"|donne|serre|etrangle|tenu|gifle|menace|porte)")
_NOT_WHO = {"moi", "toi", "lui", "elle", "nous", "vous", "eux", "elles", "celui", "celle", "pas", "bien", "vrai", "la",
            "ca", "cela"}
_DENIED_CONTACT = re.compile(r"\b(?:plus|pas|jamais|aucun) (?:de |d')?(?:contacts?|nouvelles|relations?)\b"
                             r"|\bje ne (?:le|la|les) (?:connais|vois|frequente|appelle) (?:pas|plus)\b"
                             r"|\b(?:pas|plus) (?:vu|parle|appele)\b")
_COUNTED_CONTACTS = re.compile(r"\b(\d{1,5}) (?:contacts|appels|communications|sms|echanges)\b")
_ELSEWHERE = re.compile(r"\bj'etais (?:chez moi|a la maison|a mon domicile|chez (?:mon|ma|mes) \w+|au travail"
                        r"|au boulot|a l'entrepot|avec (?:ma|mon) \w+)|\bje n'y etais pas\b|\bje n'etais pas (?:la|sur place)"
                        r"|\bje ne suis pas (?:alle|sorti)|\bpas bouge de chez moi\b")
_ON_THE_SPOT = re.compile(r"\b(cellule|borne|bornage|declenche|active|relais|geolocalis)")
_ROOM = re.compile(r"\b(cuisine|salon|sejour|chambre|couloir|salle de bains|buanderie|bureau)\b")
_STRUCK = re.compile(r"frapp|serr|etrangl|attrap|gifl|pouss|coups?\b|poing|cou\b|plaque|tenu|tenait|bless|cri")
_AMOUNT = re.compile(r"(\d+(?:[.]\d+)?)\s*euros")
_TIME = re.compile(r"\b([01]?\d|2[0-3])h(\d{2})?\b")
_ITT = re.compile(r"(?:itt|incapacite totale de travail)\D{0,60}?(\d{1,3})\s*jours|(\d{1,3})\s*jours?\s*d'(?:itt|incapacite)")
_PERSONS = re.compile(r"\b(\d{1,2})\s+(?:hommes|individus|personnes|agresseurs|auteurs|jeunes|garcons|femmes|types)\b"
                      r"|\bil (?:etait|est venu|est arrive|a agi) (seul)\b|\b(?:il|elle) (?:est entre|est rentre) (seul)\b")
_RATE = re.compile(r"(\d+\.\d+)\s*(mg|g)\s*/\s*l")
_PLACE = re.compile(r"\bj'etais (chez|au|aux|a la|a l'|dans|en|a)\s+([^,.;]{3,40})")
_EVENTS = {
    "faits": re.compile(r"cri|agress|frapp|coup|dispute|bagarre|altercation|au secours|serr|etrangl|attrap|vol\b"
                        r"|gifl|pouss|menac"),
    "retour": re.compile(r"arriv|rentr|revenu|chez (moi|lui|nous)|a la maison|depuis"),
    "depart": re.compile(r"\bparti|repart|quitt|sorti|fui|enfui|\bpars\b"),
    "appel": re.compile(r"appel|telephon|sms|message|contact|borne|\b17\b"),
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
    at: int = -1  # where the value is in the sentence (folded text), for the words quoted around it


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
    t = re.sub(r"\b(\d+) \(\1\)", r"\1", t)  # « 8 (huit) jours » is 8 jours
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
        for m in re.finditer(r"\b(?:on|nous|ils|elles) (?:etait|etions|etaient) (\d{1,2})\b", t):
            out.append(Mention("personnes", m.group(0), float(m.group(1)), item, topic, "personnes"))
    out += _details(item, t)
    return out


def _details(item: Item, t: str) -> list[Mention]:
    """The details compared by their words: the colour of a vehicle, who struck, contacts, presence, the room."""
    out = []
    if item.category in ("declaration", "fait", "resultat") and _VEHICLE.search(t):
        # the colour said of the vehicle: within a few words after its name (« une Clio de couleur grise »)
        near = [c for v in _VEHICLE.finditer(t) for c in _COLOUR.finditer(t[v.end():v.end() + 45])]
        colours = {c.group(1) for c in near}
        if len(colours) == 1:  # one vehicle, one colour: otherwise we cannot tell which is which
            colour = colours.pop()
            out.append(Mention("couleur", colour, 0.0, item, {"vehicule"}, "vehicule"))
    if item.category == "declaration":
        for m in _WHO_DID.finditer(t):
            if m.group(1) not in _NOT_WHO:
                out.append(Mention("auteur", m.group(1), 0.0, item, {m.group(2)}, "violences", m.start()))
        m = _DENIED_CONTACT.search(t)
        if m:
            out.append(Mention("contact", "aucun contact", 0.0, item, set(), "contact", m.start()))
        m = _ELSEWHERE.search(t)
        if m:
            out.append(Mention("presence", "ailleurs", 0.0, item, set(), "presence", m.start()))
    if item.category == "resultat":
        m = _COUNTED_CONTACTS.search(t)
        if m and int(m.group(1)) > 0:
            out.append(Mention("contact", m.group(0), float(m.group(1)), item, set(), "contact", m.start()))
        m = _ON_THE_SPOT.search(t)
        if m and _TIME.search(t):
            out.append(Mention("presence", "sur les lieux", 1.0, item, set(), "presence", _TIME.search(t).start()))
    if item.category in ("declaration", "fait"):
        offset = 0
        for sentence in re.split(r"(?<=[.!?])\s+", t):  # the room of one sentence, not of a whole answer
            rooms = {m.group(1) for m in _ROOM.finditer(sentence)}
            found = _ROOM.search(sentence)
            if len(rooms) == 1 and found and _STRUCK.search(sentence):
                out.append(Mention("piece", rooms.pop(), 0.0, item, set(), "faits", offset + found.start()))
                break
            offset += len(sentence) + 1
    return out


def _names_speaker(result: Mention, declaration: Mention) -> bool:
    """The result is about the person who spoke (his surname or first name in it)."""
    key = declaration.item.person_key
    if not key:
        return False
    folded = normalize_for_verify(getattr(result.item, "full", "") or result.item.text).upper()
    return any(part and re.search(rf"\b{re.escape(part)}\b", folded) for part in key.split())


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
        # a time is contradicted by what a person says or by a result, not by the officers' own timetable
        if not a.event or a.event != b.event or "declaration" not in (a.item.category, b.item.category) or (
                "fait" in (a.item.category, b.item.category)):
            return 0.0
        return 1.0 + same_person + 0.3 * min(3, len(shared))
    if a.kind == "lieu":
        if not same_person or a.topic & b.topic or a.value in b.value or b.value in a.value:
            return 0.0
        return 2.0
    if a.kind == "couleur":
        return 2.0 if a.item.person_key != b.item.person_key or a.item.citation.cote != b.item.citation.cote else 0.0
    if a.kind == "auteur":
        return 2.5 if a.item.person_key != b.item.person_key or a.item.piece is not b.item.piece else 0.0
    if a.kind in ("contact", "presence"):
        said, found = sorted((a, b), key=lambda m: m.item.category != "declaration")
        if said.item.category != "declaration" or found.item.category != "resultat":
            return 0.0
        return 2.5 if _names_speaker(found, said) else 0.0
    if a.kind == "piece":
        return 1.5 + 0.5 * (a.item.person_key != b.item.person_key)
    # amounts: same person at two stages, or two pieces speaking of the same thing with shared words
    if len(shared) >= 2:
        return 1.5 + same_person + 0.3 * min(4, len(shared))
    return 0.0


def _differ(a: Mention, b: Mention) -> bool:
    if a.kind in ("lieu", "couleur", "auteur", "piece"):
        return a.value != b.value
    if a.kind in ("contact", "presence"):
        return (a.item.category == "declaration") != (b.item.category == "declaration")
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
            values = (first.number, second.number) if a.kind not in _WORD_KINDS else (first.value, second.value)
            # two bières against four, and two coups against four, are two contradictions
            key = (a.kind, a.event if a.kind in ("nombre", "heure") else "", *sorted(values, key=str))
            current = found.get(key)
            if current is None:
                found[key] = Contradiction(a.kind, first, second, strength)
                continue
            current.strength = max(current.strength, strength)
            for m in (first, second):
                same_a = (m.number if m.kind not in _WORD_KINDS else m.value) == (
                    current.a.number if m.kind not in _WORD_KINDS else current.a.value)
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
    if m.kind in ("couleur", "auteur", "piece"):
        # the word as the page writes it (« grise », « Yanis », « salle de bains »)
        source = getattr(m.item, "full", "") or m.item.text
        for word in re.findall(r"[\wÀ-ÿ'\-]+", source):
            if strip_accents(word).lower().startswith(m.value.split()[0]):
                return word.strip("'") if m.kind != "piece" else m.value.replace("sejour", "séjour")
    return _display(m.kind, m.number, m.value)


# -- the « Points de contradiction » section --------------------------------------------------------------------
def _fold(text: str) -> str:
    return strip_accents(text).lower().replace("’", "'")


def _clause(text: str, value: str, width: int = 16, near: float | None = None) -> str:
    """The words around the stated value, so that a contradiction reads in two short lines; `near` (0–1) is where
    the value stands in the sentence when it is no number (a colour, a name, a room)."""
    words = text.split()
    if len(words) <= width:
        return text.rstrip()
    digits = re.sub(r"\D", "", value)
    folded = [_fold(w) for w in words]
    at = next((i for i, w in enumerate(words) if digits and digits[:2] in re.sub(r"\D", "", w)), None)
    if at is None and not digits:
        head = _fold(value).split()[0] if value.split() else ""
        at = next((i for i, w in enumerate(folded) if head and w.strip("«»\"'(),.;:").startswith(head)), None)
    if at is None:
        at = int((near or 0) * len(words))
    start = max(0, min(at - width // 2, len(words) - width))
    clause = " ".join(words[start:start + width])
    return ("[…] " if start else "") + clause + (" […]" if start + width < len(words) else "")


def cluster(contradictions: list[Contradiction]) -> list[list]:
    """Contradictions of one kind that share a value become one point with every version (3 000 €, 2 000 €,
    2 400 €), each version with its mentions."""
    groups: list[dict] = []
    for c in contradictions:
        values = {_key(c.a): c.side_a, _key(c.b): c.side_b}
        home = next((g for g in groups if g["kind"] == c.kind and set(g["values"]) & set(values)), None)
        if home is None:
            groups.append({"kind": c.kind, "label": c.label, "values": dict(values)})
            continue
        for v, side in values.items():
            known = home["values"].setdefault(v, [])
            known += [m for m in side if all(m.item is not x.item for x in known)]
    return [[g["label"], *sorted(g["values"].values(), key=lambda side: min(m.item.order for m in side))]
            for g in groups]


def _key(m: Mention) -> str:
    return m.value if m.kind in _WORD_KINDS else str(m.number)


def _version(m: Mention, width: int) -> tuple[str, list[Citation]]:
    """« Yanis BERTHOLLET, en garde à vue : « … » »: who says it (stage or piece; the speaker named only when the
    quoted page names him, so that every citation is a page the line quotes) and the page's words around the value."""
    it = m.item
    where = stage_label(it.piece) if it.piece and it.category == "declaration" else (it.piece.label if it.piece else "")
    where = where[:1].lower() + where[1:]
    who = f"{it.person}, " if it.person and it.category == "declaration" and it.person_page is None else ""
    source = getattr(it, "full", "") or it.text
    near = m.at / max(1, len(normalize_for_verify(source))) if m.at >= 0 else None
    quote = _clause(source, m.value if m.kind in ("couleur", "auteur", "piece") or m.kind not in _WORD_KINDS else "",
                    width=width, near=near)
    return f"{who}{where} : « {quote} »", list(it.citations)


def _lines_of(group: list) -> list[tuple[str, list[Citation], Item]]:
    """One line per version, each cited to the page it quotes only: the detail and the first version, then « contre »
    each other version, with who says it and the page's own words around the value; a second person or stage saying
    the same version gets its own line (« Montant : 450 € (dans sa plainte : « … ») », « Contre 320 € (en
    audition : « … ») »)."""
    label, *sides = group
    lines: list[tuple[str, list[Citation], Item]] = []
    for side_no, side in enumerate(sides[:3]):
        ranked = sorted(side, key=lambda m: (m.item.category != "declaration", m.item.order))
        for n, m in enumerate(ranked[:2]):
            if n and (m.item.person_key, m.item.piece and m.item.piece.kind) == (
                    ranked[0].item.person_key, ranked[0].item.piece and ranked[0].item.piece.kind):
                continue
            # a phone result is quoted at length: its cells and times are the point
            width = 22 if m.kind == "presence" and m.item.category == "resultat" else (9 if not n else 7)
            text, cites = _version(m, width)
            lead = (f"{label} : " if side_no == 0 else "Contre ") if not n else "De même, "
            lines.append((f"{lead}{value_text(m)} ({text})", cites, m.item))
    return lines


def section_lines(contradictions: list[Contradiction], budget: int,
                  pages: dict[tuple[str, int], str] | None = None) -> list[tuple[str, list[Citation], Item]]:
    """The lines of « Points de contradiction » (text, citations, item), strongest first, within a share of the
    draft's word budget; with `pages`, every line is verified on the pages it cites."""
    out: list[tuple[str, list[Citation], Item]] = []
    shown: set[tuple] = set()
    for c in contradictions:  # strongest first; a pair whose two sides are already shown adds nothing
        sides = {(id(c.a.item), c.a.value), (id(c.b.item), c.b.value)}
        if sides <= shown:
            continue
        lines = _lines_of([c.label, c.side_a, c.side_b])
        if sum(len(x[0].split()) for x in out + lines) > 0.35 * budget:
            continue
        if pages and not all(verify(text, [pages.get((ct.cote, ct.page), "") for ct in cites], 0.5).status
                             == "supported" for text, cites, _ in lines):
            continue  # a composed line says only what its pages say
        shown |= sides
        out += lines
    return out
