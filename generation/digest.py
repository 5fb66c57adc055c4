"""What each piece brings: the per-piece selection of a synthèse (and of the faits / indices of JLD réquisitions).

A magistrate's synthèse states, for each piece, what it brings — the result of an expertise or a requisition, the
substance of a declaration, the decision — rather than the dossier's most « informative » sentences overall. The
selection goes round the pieces: in each round every piece may add its next best clause (most salient, telling
something its piece has not said yet, never a repeat of the draft), the pieces that bring the most first; a round
starts only when the previous one is done, so that every piece is heard before any piece speaks twice and the budget,
of a section is spent where the dossier says something. The synthèse's « L'enquête » and each person's
declarations, and the JLD réquisitions' faits and indices, are chosen this way (`generation/plans.py`).

Salience here reads meaning, not strings: the piece's type (a request asks, its answer tells), quantities with their
units, dates, named persons, first-person declarations, decisions; the investigator's question (said to « vous »),
annex rows (times to the second, durations, IMEI) and reference lines (procedure numbers, recipients) weigh little.
"""
from __future__ import annotations

import re
from dataclasses import replace

from generation.clauses import split_clauses
from generation.compose import ClauseItem
from generation.evidence import Item
from generation.pieces import ACCUSED_HEARINGS
from generation.salience import DECISION, RESULT, fold, novel, score, stance

WORD_EXPONENT = 0.2  # a longer clause that tells more is worth its words: the key facts of a piece sit together

# How much a piece's type says about the case. A request (réquisition) or a notification of custody asks or frames;
# the answer, the expertise, the declaration, the decision tell.
PIECE_WEIGHT = {"requisition": 0.35, "notification_gav": 0.6, "synthese": 0.7, "autre": 0.8}
# the sentences a piece of each type exists for
_PIECE_CORE = {
    "expertise_medicale": re.compile(r"\bitt\b|incapacite totale|fracture|lesion|compatible|hematome|strangul"),
    "faed": re.compile(r"identifi|inexploitable|concordan|correspond|aucune trace"),
    "expertise_adn": re.compile(r"\badn\b|profil|correspond|fnaeg|identifi"),
    "casier": re.compile(r"nombre de condamnations|infraction|condamn|peine"),
    "ordonnance_detention": re.compile(r"detention provisoire|mandat de depot|maison d'arret|ordonnons|placons"),
    "ordonnance_cj": re.compile(r"controle judiciaire|obligation|interdiction|cautionnement|pointage|presenter"),
    "interrogatoire_premiere": re.compile(r"mis(e)? en examen|temoin assiste|chefs? d"),
    "requisitoire_introductif": re.compile(r"requiert|d'avoir|soustrait|articles? \d|chefs? d|informer"),
    "perquisition": re.compile(r"decouv|saisi|scelle|euros|billets"),
    "reponse_requisition": re.compile(r"identifi|titulaire|au nom de|contacts?|cellule|borne"),
    "exploitation_telephonie": re.compile(r"contacts?|cellule|borne|denombr|sms|appels"),
}
_SECOND_PERSON = re.compile(r"\b(vous|votre|vos)\b")
_ANNEX_ROW = re.compile(r"\d{1,2}:\d{2}:\d{2}|\bimei\b|\bdurée\b|\bduree\b|\bn° d'instruction\b")
_REFERENCE = re.compile(r"^(destinataire|objet|reference|ref|procedures? de reference|releve delivre|delivre le"
                        r"|identite|habilite|designation|pour extrait|pour le procureur|n°|affaire"
                        r"|l'an (?:deux )?mille)\b|expert pres")
_MEASURED = re.compile(r"\d+(?:[,.]\d+)?\s*(?:h\b|heures?|euros|€|jours?|ans\b|mois\b|mg|milligrammes?|g/l|cm\b|contacts|sms"
                       r"|appels|points|condamnations|individus|personnes|hommes|fois)")
_DAY = re.compile(r"\b\d{1,2}(?:er)? (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre"
                  r"|decembre)")
_NAME = re.compile(r"\b[A-ZÀ-Ý][A-ZÀ-Ý'\-]{2,}\b")
_FIRST_PERSON = re.compile(r"\b(je|j'|moi|on etait|nous etions|mon|ma|mes)\b")


_BASE = {"resultat": 2.0, "declaration": 1.6, "decision": 1.8, "fait": 1.6, "personnalite": 1.4, "procedure": 0.4}
# what happened, said by anyone: acts, violence, objects, places, movements
_EVENT = re.compile(r"frapp|pouss|coup|gifl|menac|vol[ée]?s?\b|pris|derob|vendu|revend|donne|partag|couteau|arme|gant"
                    r"|sac|bijou|argent|voiture|vehicule|plaque|immatricul|porte|fenetre|monte|parti|arriv|rentr"
                    r"|sorti|couru|vu\b|entendu|reconnu|etai(en)?t|chez|domicile|seul|deux|trois|quatre")


# The officer's own steps (who was told, who arrived, what was notified) frame the investigation; what he found or
# measured is its result.
_OFFICER_STEP = re.compile(r"\b(avisons|avise(ns)?|faisons (?:diffuser|proceder|appel|conduire)|sommes avises|notifions"
                           r"|informons|requerons|contactons|prenons attache|rendons compte|se presentent|prennent en charge"
                           r"|(?:est|sont) (?:transporte|conduit|confie)e?s?|mettons fin|procedons a l'audition"
                           r"|donnons connaissance|remettons)\b")
_FINDING = re.compile(r"\b(decouvrons|constatons|relevons|observons|trouvons|retrouvons|saisissons|mesur\w*|taux retenu"
                      r"|resultat|soit \d)")
# The operative words of a decision (its dispositif), and the lines around it that decide nothing.
_OPERATIVE = re.compile(r"\b(ordonnons|rejetons|decernons|disons que|placons|prononcons|renvoyons|mettons en examen"
                        r"|rejette|ordonne|decerne)\b")
_AROUND_DECISION = re.compile(r"\(signe\)|recu notification|notifie[e]? (?:a|le)|\bla greffiere\b|\ble greffier\b"
                              r"|n° (?:parquet|instruction|jld)|\bl'avocat\b|peut (?:interjeter|faire) appel")
# The frame of an act (the doctor's certificate heading, the judge's notice of the charges, the hearing's opening):
# the act's result follows it.
_ACT_FRAME = re.compile(r"certifie avoir examine|je soussigne|lui avons fait connaitre|entendons la personne"
                        r"|se presente sur convocation|accepte de repondre|^qui declare\b|deja entendue?")
# An identifier the case turns on: a registration plate, a cell, a seal (« FK-317-QW », « VLB-07 »).
_IDENTIFIER = re.compile(r"\b[A-Z]{1,4}-?\d{1,4}(?:-[A-Z0-9]{1,4})+\b|\b[A-Z]{2,4}-\d{2,4}\b")
# The person questioned puts the act on someone else (« c'est Mickaël qui l'a poussée »).
_PUTS_ON = re.compile(r"\bc'est (?:lui|elle|eux|[a-z]+) qui\b")
# What a person heard says about his own life (family, work, money, home) tells less than what he says of the facts.
_OWN_LIFE = re.compile(r"\b(je vis|on vit|je gagne|je touche|loyer|salaire|je travaille|mon travail|mon emploi"
                       r"|je suis ne|mes parents|je m'appelle|depuis (?:19|20)\d\d)")


def salience(it: Item) -> float:
    """What one clause tells about the case, before anything is chosen (higher is better): the piece's type and
    what the clause carries — quantities with units, dates, named persons, events, results, decisions."""
    t = fold(it.text)
    kind = it.piece.kind if it.piece else "autre"
    s = _BASE.get(it.category, 1.0)
    s += 1.2 * min(3, len(_MEASURED.findall(t))) + 0.6 * min(2, len(_DAY.findall(t)))
    s += 0.6 * min(3, len(set(_NAME.findall(it.text))))
    s += 0.3 * min(4, len(_EVENT.findall(t)))
    if not _ANNEX_ROW.search(t):
        s += 0.8 * min(2, len(set(_IDENTIFIER.findall(it.text))))
    core = _PIECE_CORE.get(kind)
    central = core is not None and bool(core.search(t))
    if central:
        s += 2.0
    if _ACT_FRAME.search(t):
        s -= 2.0
    if it.category in ("resultat", "fait") and RESULT.search(t):
        s += 0.5 * min(3, len(RESULT.findall(t)))
    found = it.category in ("resultat", "fait") and bool(_FINDING.search(t))
    if found:
        s += 1.0
    if it.category in ("resultat", "fait", "procedure") and _OFFICER_STEP.search(t) and not found:
        s -= 1.5
    if it.category == "decision" and DECISION.search(t):
        s += 1.0
    if it.category == "decision" and _OPERATIVE.search(t):
        s += 2.0
    if _AROUND_DECISION.search(t):
        s -= 2.5
    if it.category == "declaration":
        if _FIRST_PERSON.search(t):
            s += 0.6
        told = kind in ACCUSED_HEARINGS and bool(stance(it.text))
        if told:
            s += 1.5  # what the person questioned admits or denies is what his hearing is for
        if kind in ACCUSED_HEARINGS and _PUTS_ON.search(t) and _EVENT.search(t):
            s += 1.0
        if not told and _OWN_LIFE.search(t) and not _EVENT.search(t):
            s -= 1.0
    if _SECOND_PERSON.search(t):
        s -= 3.0  # the investigator's or the judge's words to the person heard, not what the piece establishes
    if len(_ANNEX_ROW.findall(t)) >= 1 and not _MEASURED.search(re.sub(r"\d{1,2}:\d{2}:\d{2}", "", t)):
        s -= 2.0
    if _REFERENCE.search(t):
        s -= 2.5
    words = len(t.split())
    if words < 6 and not central:
        s -= 1.5  # a short line is a fragment, unless it is what the piece exists for (« Nombre de condamnations : 3 »)
    # a piece that frames (a request, a notification) weighs less, not what it records as found or measured
    return s * (1.0 if found else PIECE_WEIGHT.get(kind, 1.0))


def _split_long(items: list[Item], longest: int) -> list[Item]:
    """A candidate longer than `longest` words becomes its clauses (each a span of the page's words), so that a long
    sentence can give its one telling clause instead of nothing."""
    out: list[Item] = []
    for it in items:
        if len(it.text.split()) <= longest:
            out.append(it)
            continue
        source = getattr(it, "sentence", it)
        for c in split_clauses(it.text):
            if c.formula or len(c.text.split()) < 5:
                continue
            text = c.text[:1].upper() + c.text[1:]
            if isinstance(it, ClauseItem):
                part = replace(it, text=text, score=score(text, it.category))
            else:
                part = ClauseItem(**{f: getattr(it, f) for f in _FIELDS}, source=source)
                part = replace(part, text=text, score=score(text, it.category))
            out.append(part)
    return out


_FIELDS = ("id", "text", "citation", "title", "score", "extra", "piece", "category", "person", "person_key",
           "stage", "stance", "position", "person_page", "full")


def per_piece(sel, items: list[Item], allowance: int, max_rounds: int = 4, max_words: int = 40,
              min_value: float = 2.5, keep=None) -> list[Item]:
    """Round after round, each piece adds its next best clause (by salience × what it tells its piece has not said,
    per word), the most telling pieces first, within `allowance` words; a clause the draft already said is skipped.
    `sel` is the draft's Selector (novelty, coverage, words used); `keep(item)` is the check a clause must pass to be
    said (its line verified on its pages). Returns the chosen items in the dossier's order."""
    pool: dict[str, list[Item]] = {}
    items = _split_long([it for it in items if id(it) not in sel.ids], max_words)
    value = {id(it): salience(it) for it in items}
    for it in items:
        if value[id(it)] < min_value or len(it.text.split()) > max(max_words, 50):
            continue
        pool.setdefault(it.citation.cote or "", []).append(it)
    chosen: list[Item] = []
    spent = 0

    def worth(it: Item) -> float:
        # salience per word, times the share of what the clause tells that its piece has not said yet
        units = sel._units_of(it)
        fresh = len(units - sel.covered.get(it.citation.cote or "", set())) / max(1, len(units))
        return value[id(it)] * fresh / max(8, len(it.text.split())) ** WORD_EXPONENT

    for _ in range(max_rounds):
        ranked: list[tuple[float, Item]] = []
        for group in pool.values():
            fresh = [it for it in group if id(it) not in sel.ids]
            if fresh:
                best = max(fresh, key=worth)
                ranked.append((worth(best), best))
        if not ranked:
            break
        added = False
        for gain, best in sorted(ranked, key=lambda x: -x[0]):
            pool[best.citation.cote or ""].remove(best)
            cost = len(best.text.split()) + 1 + (2 if best.category == "declaration" else 0)
            if gain <= 0.05 or spent + cost > allowance or not novel(best.text, sel.kept):
                continue
            if keep is not None and not keep(best):
                continue  # a clause that does not read verbatim on its cited pages is never said
            sel._keep(best)
            spent += cost
            chosen.append(best)
            added = True
        if not added:
            break
    return sorted(chosen, key=lambda x: x.order)
