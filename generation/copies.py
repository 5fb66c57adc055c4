"""A value copied wrongly: a decision or a report restating a figure of the procedure (« la découverte dans la
cave de 1 432 grammes de résine », « interpellé le 18 mars ») that the act which found it wrote otherwise
(« Pesée : 1 243,6 grammes de résine », a PV of interpellation drawn up on 17 March).

The réquisitoire introductif, the ordonnances and the reports of synthesis retell the PVs; when a figure they write
is stated by no other piece, the PV saying the same thing in the same words with another value is its source, and
the two are a contradiction the magistrate must see (the ordonnance will be read against the PV). The sentences are
read from the pages themselves, since the map step keeps a bounded number of sentences per piece.
"""
from __future__ import annotations

import math
import re

from core.models import Citation
from core.sentences import detect_running_lines, split_sentences
from core.text import normalize_for_verify
from core.tokens import tokens
from generation.contradictions import (
    RESTATING,
    Contradiction,
    Mention,
    _differ,
    _prepare,
    find_contradictions,
    mentions_of,
)
from generation.evidence import Analysis, Item, clean_page
from generation.pieces import DECLARATION_KINDS, PieceInfo
from generation.salience import category

_COPIED = {"montant", "poids", "personnes", "nombre", "itt", "taux", "longueur", "date"}
# the act whose own date is the date of the event a decision restates
_EVENT_ACTS = {"interpellation": (("notification_gav", "perquisition", "garde_a_vue", "constatations"), r"interpell"),
               "perquisition": (("perquisition",), r"perquisition"),
               "garde a vue": (("notification_gav", "garde_a_vue"), r"garde a vue"),
               "plainte": (("plainte",), r"plainte")}
_COTE_REF = re.compile(r"\(\s*(?:cote\s+)?([A-D]\s?\d{1,4})\s*\)", re.IGNORECASE)
MIN_SCORE = 4.0  # words in common around the two figures, each weighted by its rarity in the dossier
_UNIT_WORDS = set(tokens("euros euro grammes gramme kilos kilogrammes jours jour mois heures somme total"))
# what a decision orders (a bail, a sum to pay) is no figure restated from the procedure
_OBLIGATION = re.compile(r"cautionnement|\bfournir\b|\bverser\b|s'acquitter|\bobligations?\b|interdiction de"
                         r"|\bamende\b")
_PENALTY = re.compile(r"\bpuni|\bamende|\bpeines?\b|encour")  # the law's figures, quoted in a request
STRENGTH = 3.2  # above every pairing of two persons' versions: a copy error is checked first


def page_items(analysis: Analysis, pages: dict[tuple[str, int], str]) -> list[Item]:
    """Every sentence of the pieces that hear nobody (PVs, results, decisions), read from the pages, as items."""
    by_cote: dict[str, list[tuple[int, str]]] = {}
    for (cote, number), text in pages.items():
        by_cote.setdefault(cote, []).append((number, text))
    out: list[Item] = []
    for piece in analysis.pieces:
        if piece.kind in DECLARATION_KINDS:
            continue
        numbered = sorted(by_cote.get(piece.cote, []))
        running = detect_running_lines([t for _, t in numbered])
        position = 0
        for number, text in numbered:
            clean = clean_page(text, running)
            for start, end in split_sentences(clean):
                sentence = " ".join(clean[start:end].replace("\ufffe", "-").split())
                # a decision's « Attendu que … ; que … » is one sentence of many clauses, each stating one thing
                for clause in _clauses(sentence) if piece.kind in RESTATING else [sentence]:
                    out.append(_item(piece, number, clause, position))
                    position += 1
    return out


def _clauses(sentence: str) -> list[str]:
    return [c.strip() for c in re.split(r"\s*;\s*(?=(?:que|qu'|et|attendu|considérant|considerant)\b)", sentence,
                                         flags=re.IGNORECASE) if len(c.split()) >= 3]


def _item(piece: PieceInfo, page: int, sentence: str, position: int) -> Item:
    citation = Citation(cote=piece.cote, page=page, quote=sentence, document_id=piece.document_id)
    return Item("", sentence, citation, piece.label, piece=piece, position=10_000 + position,
                category=category(sentence, piece.kind, False), full=sentence)


def _context(m: Mention, before: str = "") -> dict[str, float]:
    """The content words around the value, weighted by nearness (its own clause counts most), and those of the
    sentences just before it, which often name what a short « Comptage : 6 800 euros » counts; no numbers."""
    t = _prepare(m.item.full or m.item.text)
    at = max(0, m.at)
    words: dict[str, float] = {}
    for text, weight in ((before, 0.75), (t[max(0, at - 150):at + 80], 0.5), (t[max(0, at - 60):at + 40], 1.0)):
        for w in tokens(text):
            if not w[:1].isdigit() and w not in _UNIT_WORDS:
                words[w] = max(words.get(w, 0.0), weight)
    return words


# the act a decision names for a figure (« la perquisition du snack a permis la découverte de … »)
_ACT_NOUNS = [(re.compile(r"perquisition|fouille"), {"perquisition"}),
              (re.compile(r"releves? bancaires?|\bcomptes?\b|bancaire|banque"), {"reponse_requisition", "requisition"}),
              (re.compile(r"laboratoire|analyse|expertise|expert\b"), {"expertise", "expertise_adn", "faed"}),
              (re.compile(r"examen medical|certificat|\bumj\b|medico"), {"expertise_medicale"}),
              (re.compile(r"surveillance|filature"), {"constatations"}),
              (re.compile(r"interception|ecoute|telephoni"), {"exploitation_telephonie", "reponse_requisition", "autre"}),
              (re.compile(r"plainte"), {"plainte"})]


def _named_act(m: Mention) -> set[str]:
    """The kinds of the act named nearest before the value, in its clause."""
    t = _prepare(m.item.full or m.item.text)[max(0, m.at - 150):max(0, m.at)]
    found = [(x.end(), kinds) for rule, kinds in _ACT_NOUNS for x in rule.finditer(t)]
    return max(found, key=lambda f: f[0])[1] if found else set()


def _typo(a: Mention, b: Mention) -> float:
    """How much two figures look like one copied with a slip: the same digits in another order (6 800 / 8 600), one
    digit changed (17 / 18 March), or two."""
    da, db = (re.sub(r"\D", "", m.value if m.kind == "date" else _number_form(m.number)).lstrip("0") for m in (a, b))
    if a.kind == "date":
        da, db = da[:4], db[:4]
    if sorted(da) == sorted(db):
        return 3.0
    distance = _edits(da, db)
    return 2.0 if distance <= 1 else 1.0 if distance <= 2 else 0.0


def _edits(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _person(piece: PieceInfo | None) -> str:
    return piece.heard[0][0].split()[0] if piece and piece.heard else ""


def _number_form(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _stated_elsewhere(m: Mention, texts: dict[str, str], sources: list[Mention]) -> bool:
    """The restated figure is written by another piece too (a question quoting it counts: it is the dossier's)."""
    own = m.item.citation.cote
    if m.kind == "date":  # a day is written for many events: the same event on the same day, said elsewhere
        return any(s.kind == "date" and s.event == m.event and s.value[:5] == m.value[:5]
                   and s.item.citation.cote != own for s in sources)
    forms = [_number_form(m.number)] + ([_number_form(m.number / 1000)] if m.number >= 1000 else [])
    rule = re.compile(r"(?<![\d.])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\d]|\.\d)")
    return any(cote != own and rule.search(text) for cote, text in texts.items())


_MONTHS = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
           "novembre", "decembre"]


def _same_subject(r: Mention, s: Mention) -> bool:
    if r.kind != s.kind:
        return False
    if r.kind == "poids":
        kinds = {r.event, s.event}
        return len(kinds) == 1 or "cannabis" in kinds and kinds <= {"cannabis", "resine", "herbe"}
    if r.kind in ("montant", "personnes", "nombre", "date"):
        return r.event == s.event
    return True


def _piece_date_mentions(r: Mention, pieces: list[PieceInfo], items: list[Item]) -> list[Mention]:
    """The date an act was drawn up, as the date of the event it records (« est aussitôt interpellé » in a PV of
    17 March): a Mention on the sentence of that act which writes the date."""
    acts, cue = _EVENT_ACTS.get(r.event, ((), ""))
    out = []
    person = r.item.piece.heard[0][0].split()[0] if r.item.piece and r.item.piece.heard else ""
    for piece in pieces:
        if piece.kind not in acts or piece.date is None or piece.kind in RESTATING:
            continue
        if person and piece.heard and piece.heard[0][0].split()[0] != person:
            continue  # another person's arrest
        own = [it for it in items if it.piece is piece]
        if not any(re.search(cue, _prepare(it.full or it.text)) for it in own):
            continue
        day = f"{piece.date.day} {_MONTHS[piece.date.month - 1]}"
        dated = next((it for it in own if day in _prepare(it.full or it.text)), None)
        if dated is None:
            continue
        value = f"{piece.date.day:02d}/{piece.date.month:02d}/{piece.date.year}"
        mention = Mention("date", value, float(piece.date.month * 31 + piece.date.day), dated, set(), r.event,
                          _prepare(dated.full or dated.text).find(day))
        mention.shown = f"{piece.date.day} {_MONTHS_FR[piece.date.month - 1]} {piece.date.year}"
        out.append(mention)
    return out


_MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre"]


def copy_errors(analysis: Analysis, pages: dict[tuple[str, int], str]) -> list[Contradiction]:
    """Each figure of a restating piece that no other piece writes, against the figure of its source act (the same
    kind and subject, the most words around it in common, the cited cote when the decision names it)."""
    items = page_items(analysis, pages)
    texts: dict[str, str] = {}
    for (cote, _), text in pages.items():
        texts[cote] = texts.get(cote, "") + " " + normalize_for_verify(text)
    previous: dict[int, str] = {}
    for n, it in enumerate(items):
        before = [x for x in items[max(0, n - 2):n] if x.piece is it.piece]
        # the two sentences before a short « Comptage : 6 800 euros » say what is counted, and the act's own
        # title what it is (« la perquisition du snack a permis la découverte … »)
        previous[id(it)] = " ".join(_prepare(x.full or x.text) for x in before) + " " + _prepare(it.title)
    mentions = [m for it in items for m in mentions_of(it) if m.kind in _COPIED]
    restated = [m for m in mentions if m.item.piece and m.item.piece.kind in RESTATING
                and not _OBLIGATION.search(_prepare(m.item.full or m.item.text))]
    sources = [m for m in mentions if m.item.piece and m.item.piece.kind not in RESTATING
               and not _PENALTY.search(_prepare(m.item.full or m.item.text))]
    df: dict[str, int] = {}
    for it in items:
        for w in set(tokens(it.full or it.text)):
            df[w] = df.get(w, 0) + 1
    idf = {w: math.log(len(items) / n) for w, n in df.items()}
    out: list[Contradiction] = []
    seen: set[tuple] = set()
    for r in restated:
        if r.high == float("inf") or (r.low != r.high and r.kind != "date") or _stated_elsewhere(r, texts, sources):
            continue  # a threshold (« supérieur à 500 euros ») or a range is no copied figure
        sentence = _prepare(r.item.full or r.item.text)
        cited = {c.replace(" ", "").upper() for c in _COTE_REF.findall(sentence[r.at:r.at + 160])}
        mine = _context(r)
        act = _named_act(r)
        person = _person(r.item.piece)
        candidates = [s for s in sources if _same_subject(r, s) and s.item.piece is not r.item.piece]
        if r.kind == "date":
            candidates += _piece_date_mentions(r, analysis.pieces, items)
        elif r.kind != "date":
            # a copy error changes a digit or two, not the order of magnitude
            candidates = [s for s in candidates if max(s.number, r.number) <= 3 * max(1e-9, min(s.number, r.number))]
        best, best_score = None, 0.0
        for s in candidates:
            theirs = _context(s, previous.get(id(s.item), ""))
            score = sum(idf.get(w, 1.0) * weight * theirs[w] for w, weight in mine.items() if w in theirs)
            score += 3.0 * ((s.item.citation.cote or "").upper() in cited)
            score += 3.0 * bool(s.item.piece and s.item.piece.kind in act)
            score += 3.0 * bool(person and person == _person(s.item.piece))
            score += _typo(s, r)
            if r.kind == "date":
                score += 3.0  # the act of that event, about that person
            if score > best_score:
                best, best_score = s, score
        if best is None or best_score < MIN_SCORE or not _differ(best, r):
            continue
        key = (r.kind, best.item.citation.cote, r.item.citation.cote, best.number, r.number)
        if key in seen:
            continue
        seen.add(key)
        out.append(Contradiction(r.kind, best, r, STRENGTH + 0.01 * min(30.0, best_score)))
    return out


def all_contradictions(analysis: Analysis, pages: dict[tuple[str, int], str] | None) -> list[Contradiction]:
    """The contradictions of the sentences the map step kept, and the values copied wrongly, strongest first; a
    copy error replaces the weaker pairing of the same two figures."""
    found = find_contradictions(analysis.items)
    if not pages:
        return found
    copies = copy_errors(analysis, pages)
    pairs = {(c.kind, frozenset((c.a.number, c.b.number))) for c in copies if c.kind != "date"}
    pairs |= {(c.kind, frozenset((c.a.value, c.b.value))) for c in copies if c.kind == "date"}
    kept = [c for c in found if (c.kind, frozenset((c.a.number, c.b.number))) not in pairs
            and (c.kind, frozenset((c.a.value, c.b.value))) not in pairs]
    return sorted(copies + kept, key=lambda c: -c.strength)
