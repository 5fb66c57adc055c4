"""The « Points de contradiction » section: one line per point, every version of the detail on it, each with who
says it (the person and the stage, or the act that found it) and the page's own words around the value.

« Poids (résine) : 1 243,6 g (perquisition : « … 1 243,6 grammes de résine … ») contre 1 432 g (ordonnance de
détention : « … de 1 432 grammes de résine … »). » A magistrate reads a dozen such lines in a few seconds; the line
cites the pages it quotes and is verified on them.
"""
from __future__ import annotations

import re

from core.models import Citation
from core.text import normalize_for_verify
from generation.contradictions import (
    _WORD_KINDS,
    Contradiction,
    Mention,
    _declared,
    _key,
    _prepare,
    _speaker,
    _strip,
    source_text,
    value_text,
)
from generation.declarations import stage_label
from generation.evidence import Item
from generation.verifier import verify

SECTION_WORDS = 400  # the whole section: about twelve points of some thirty words
LINE_WORDS = 34
VARIANTS = ((True, 1.0), (True, 0.65), (False, 0.65))
MAX_VERSIONS = 4


def _fold(text: str) -> str:
    return _strip(text).lower().replace("’", "'")


def _clause(text: str, value: str, width: int = 16, near: float | None = None) -> str:
    """The words around the stated value; `near` (0–1) is where the value stands in the sentence when it is no
    number (a colour, a name, a room)."""
    words = text.split()
    if len(words) <= width:
        return text.rstrip()
    digits = re.sub(r"\D", "", normalize_for_verify(value))
    folded = [_fold(w) for w in words]
    # the word where the value is written (« 19 h 02 », not the « 19 h 04 » before it), nearest to where it was read
    spots = [i for i, w in enumerate(words) if digits and re.search(r"\d", normalize_for_verify(w) or "") and re.sub(
        r"\D", "", normalize_for_verify(" ".join(words[i:i + 4]))).startswith(digits)]
    target = (near or 0) * len(words)
    at = min(spots, key=lambda i: abs(i - target)) if spots else None
    if at is None and not digits:
        head = _fold(value).split()[0] if value.split() else ""
        at = next((i for i, w in enumerate(folded) if head and w.strip("«»\"'(),.;:").startswith(head)), None)
    if at is None:
        at = int((near or 0) * len(words))
    # a number sits in the middle of its words; a detail told in words (« j'étais au snack de 19 heures à … ») is
    # read from where it starts
    lead = width // 2 if digits else 2
    start = max(0, min(at - lead, len(words) - width))
    end = start + width
    # never cut inside a figure (« 19 h | 21 », « 1 | 870 »): the verifier would not find the half of it
    while end < len(words) and re.match(r"^(h|\d{1,3}[,.;)]?|heures?|euros?|€|%|jours|grammes|g)$", words[end],
                                        re.IGNORECASE) and re.search(r"\d|^h$", words[end - 1]):
        end += 1
    while start > 0 and re.match(r"^(h|\d{1,3}[,.;)]?)$", words[start]) and re.match(r"^(\d+|h)$", words[start - 1]):
        start -= 1
    # nor inside a figure written in words (« deux cent | quarante-huit grammes »)
    while start > 0 and _NUMBER_WORD.match(folded[start]) and _NUMBER_WORD.match(folded[start - 1]):
        start -= 1
    while end < len(words) and _NUMBER_WORD.match(folded[end - 1].rstrip(",.;)")) and (
            _NUMBER_WORD.match(folded[end]) or re.match(r"^(euros?|grammes?|g|kg|jours|heures?|bieres?|fois|appels)\b",
                                                         folded[end])):
        end += 1
    # the counted thing with its count (« une gifle », « quatre ou cinq bières »)
    nouns = [_fold(w)[:5] for w in value.split() if not any(ch.isdigit() for ch in w) and len(w) > 3]
    for noun in nouns:
        if not any(_fold(w).startswith(noun) for w in words[start:end]):
            ahead = next((i for i in range(end, min(len(words), end + 3)) if _fold(words[i]).startswith(noun)), None)
            if ahead is not None:
                end = ahead + 1
    clause = " ".join(words[start:end]).strip(" ,;:")
    if clause.count("(") > clause.count(")"):
        # « 6 800 euros (six mille huit… » would read as another figure: the parenthesis is left out whole
        clause, end = clause[:clause.rfind("(")].rstrip(" ,;:"), len(words) + 1
    if clause.count(")") > clause.count("("):
        clause, start = clause[clause.find(")") + 1:].lstrip(" ,;:"), max(start, 1)
    # the cut is marked on the word it touches (« …dans la cuisine… »): a line of a dozen points stays short
    return ("…" if start else "") + clause + ("…" if end != len(words) else "")


_NUMBER_WORD = re.compile(r"^\(?(un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze"
                          r"|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille|et)(-[a-z]+)*[,.;)]?$")
_STAGES = {"interrogatoire_premiere": "en première comparution", "interrogatoire": "devant le juge"}
_PIECES = {"expertise_medicale": "examen médico-légal", "exploitation_telephonie": "téléphonie",
           "reponse_requisition": "réponse à réquisition", "perquisition": "perquisition",
           "constatations": "procès-verbal de constatations", "ordonnance_detention": "ordonnance de détention",
           "ordonnance_cj": "ordonnance de contrôle judiciaire", "casier": "casier judiciaire",
           "personnalite": "enquête de personnalité", "notification_gav": "interpellation",
           "requisitoire_introductif": "réquisitoire introductif", "synthese": "rapport de synthèse"}


def _who(it: Item, person: bool = True) -> str:
    """« Yanis BERTHOLLET, en garde à vue », « perquisition »: the speaker (named only when the quoted page names
    him, so that every citation is a page the line quotes) and the stage, or the act."""
    if it.piece and _declared(it):
        where = _STAGES.get(it.piece.kind) or stage_label(it.piece)
    else:
        where = _PIECES.get(it.piece.kind, it.piece.label) if it.piece else ""
    where = where[:1].lower() + where[1:]
    name = _name(it) if person else ""
    return ", ".join(x for x in (name, where) if x)


def _names_self(it: Item) -> bool:
    parts = _speaker(it).split()
    return len(parts) > 1 and re.search(rf"\b{re.escape(parts[1])}\b", _strip(source_text(it)).upper()) is not None


def _name(it: Item) -> str:
    """The speaker as the quoted page names him, without his civility (« Yanis BERTHOLLET »), or ""."""
    name = it.person if it.person and _declared(it) and it.person_page is None else ""
    return re.sub(r"^(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle)\s+", "", name)


def _version(m: Mention, width: int, person: bool = True) -> tuple[str, list[Citation]]:
    """« 1 432 g (ordonnance de détention : « … de 1 432 grammes de résine … ») »; with no width, who says it
    only (« 2 gifles (Mickaël FERRANDOU, devant le juge) »)."""
    if not width:
        return f"{value_text(m)} ({_who(m.item, person)})", list(m.item.citations)
    source = source_text(m.item)
    near = m.at / max(1, len(_prepare(source))) if m.at >= 0 else None
    value = m.shown if m.kind == "immatriculation" else m.value if m.kind in ("couleur", "auteur", "piece", "heure") else (
        value_text(m) if m.kind not in _WORD_KINDS else "")
    quote = _clause(source, value, width=width, near=near)
    who = _who(m.item, person)
    said = f"{who} : « {quote} »" if who else f"« {quote} »"
    return f"{value_text(m)} ({said})", list(m.item.citations)


# who says it first: the act that found it (a PV, a result) before a decision restating it; a person's own words
# before a PV retelling them
_SOURCE_RANK = {"resultat": 1, "fait": 2, "personnalite": 2, "procedure": 3, "decision": 4}


def _ranked(side: list[Mention]) -> list[Mention]:
    return sorted(side, key=lambda m: (0 if _declared(m.item) else _SOURCE_RANK.get(m.item.category, 3),
                                       m.item.order))


def _width(m: Mention, n: int) -> int:
    if m.kind == "presence":
        return 12
    if m.kind in ("origine", "auteur", "ligne", "antecedents", "contact"):
        return 8
    return 4 if n < 2 else 0  # a third or fourth version: its value and who says it


def point_line(label: str, sides: list[list[Mention]], also: bool = False, scale: float = 1.0
               ) -> tuple[str, list[Citation], Item]:
    """One point: « Label : version (who : « … ») contre version (…) » ; with `also`, a second person or stage
    telling a version is named after it (« ; de même Noah TESSIER, en garde à vue »)."""
    parts: list[str] = []
    cites: list[Citation] = []
    first_item: Item | None = None
    heads = [_ranked(side)[0] for side in sides[:MAX_VERSIONS]]
    # one person at several stages: named once, after the detail (« Montant — Yanis BERTHOLLET : 1 500 € (en garde
    # à vue …) contre 800 € (devant le juge …) »)
    speakers = {_speaker(m.item) for m in heads}
    names = [_name(m.item) for m in heads if _name(m.item)]
    # (never when a version names the speaker in the third person: it is someone else's, filed under him)
    one = len(speakers) == 1 and "" not in speakers and all(_declared(m.item) for m in heads) and bool(names) and \
        not any(_names_self(m.item) for m in heads)
    if one:
        label = f"{label} — {names[0]}"
    for n, side in enumerate(sides[:MAX_VERSIONS]):
        ranked = _ranked(side)
        head = ranked[0]
        width = _width(head, n)
        width = max(3, round(width * scale)) if width else 0
        text, own = _version(head, width, person=not one)
        if also:
            other = next((m for m in ranked[1:] if (m.item.citation.cote, _speaker(m.item)) !=
                          (head.item.citation.cote, _speaker(head.item))), None)
            if other is not None:
                text += f" ; de même {_who(other.item)}"
                own = own + list(other.item.citations)
        parts.append(text)
        cites += [c for c in own if all((c.cote, c.page) != (o.cote, o.page) for o in cites)]
        first_item = first_item or head.item
    assert first_item is not None
    return f"{label} : " + " contre ".join(parts) + ".", cites, first_item


def _verified(line: tuple[str, list[Citation], Item], pages: dict | None) -> bool:
    return not pages or verify(line[0], [pages.get((c.cote, c.page), "") for c in line[1]], 0.5).status == "supported"


def section_lines(contradictions: list[Contradiction], words: int = SECTION_WORDS,
                  pages: dict[tuple[str, int], str] | None = None) -> list[tuple[str, list[Citation], Item]]:
    """The lines of « Points de contradiction » (text, citations, item), one per point, within `words`; the
    strongest points are kept first, then shown in the order of the dossier. Contradictions about one subject that
    share a sentence become one point listing every version (« 23 h » contre « 22 h » contre « 21 h 30 »); while
    words remain, a point names the other persons or stages telling a version. With `pages`, each line is verified
    on the pages it cites."""
    def line_of(point: dict, also: bool = False) -> tuple[str, list[Citation], Item]:
        # a long point is said with fewer words around each value, then without the other persons saying it
        sides = sorted(point["versions"].values(), key=lambda side: min(m.item.order for m in side))
        tried = []
        for also_, scale in VARIANTS:
            line = point_line(point["label"], sides, also_, scale)
            tried.append(line)
            if size(line) <= LINE_WORDS and _verified(line, pages):
                return line
        return min(tried, key=size)

    def size(line: tuple) -> int:
        return len(line[0].split())

    points: list[dict] = []
    for c in contradictions:  # strongest first
        subject = (c.kind, c.a.event if c.kind not in _WORD_KINDS else "")
        values = {_key(c.a): c.side_a, _key(c.b): c.side_b}
        mine = {id(m.item) for side in values.values() for m in side}
        # one point per subject: a contradiction joins a point when it shares one of its sentences (the same figure
        # of the same piece), never only an equal value said about something else
        home = next((p for p in points if p["subject"] == subject and mine & {
            id(m.item) for side in p["versions"].values() for m in side}), None)
        if home is not None and set(values) <= set(home["versions"]):
            continue
        candidate = home or {"subject": subject, "label": c.label, "versions": {}}
        present = {id(m.item) for side in candidate["versions"].values() for m in side}
        # a value whose every sentence is already a version (« vers 23 h 10, 23 h 15 ») is no other version
        sources = {(m.item.citation.cote, _speaker(m.item)) for side in candidate["versions"].values() for m in side}
        values = {v: side for v, side in values.items()
                  if v in candidate["versions"] or any(id(m.item) not in present for m in side)
                  and not all((m.item.citation.cote, _speaker(m.item)) in sources for m in side)}
        if len(values) < 2 and home is None:
            continue
        trial = {**candidate, "versions": {**candidate["versions"], **values}}
        if len(trial["versions"]) > MAX_VERSIONS:
            continue
        line = line_of(trial)
        others = sum(size(p["line"]) for p in points if p is not home)
        if others + size(line) > words or not _verified(line, pages):
            continue  # within the section's words; a composed line says only what its pages say
        trial["line"] = line
        if home is None:
            points.append(trial)
        else:
            home.update(trial)
    used = sum(size(p["line"]) for p in points)
    for p in sorted(points, key=lambda p: -len(p["versions"])):
        fuller = line_of(p, also=True)
        if fuller[0] != p["line"][0] and used - size(p["line"]) + size(fuller) <= words and _verified(fuller, pages):
            used += size(fuller) - size(p["line"])
            p["line"] = fuller
    # in the order of the dossier: the point whose first version is earliest comes first
    points.sort(key=lambda p: min(m.item.order for side in p["versions"].values() for m in side))
    return [p["line"] for p in points]
