"""Reduce step of the réquisitions aux fins de placement en détention provisoire (art. 137, 143-1, 144, 145 CPP).

Who: each person mis en examen that the dossier puts before the JLD; a minor, or a person placed under contrôle
judiciaire, is not the subject of a detention request unless the file says so (an ordonnance de placement about
him). For each:
I. Les faits: his chefs as the mise en examen states them, then the facts as the first pieces tell them, briefly.
II. Indices graves ou concordants: what each piece brings against him — results, seizures, phone and bank
    answers, surveillances, witnesses and the victim naming him, his own admissions — every piece heard once before
    any speaks twice, each line naming its source.
III. Personnalité et garanties de représentation.
IV. Article 144 CPP, 1° to 7°: each ground backed only by evidence relevant to it (pressure → the fear or threats
    witnesses and victims tell; concertation → the co-mis en examen, relatives, accomplices not identified;
    renewal → his B1, recidivism, the expert's risk; flight → no home, no work, ties abroad; public order only for
    a crime), else « à compléter par le magistrat ».
V. Why contrôle judiciaire and ARSE would not do (art. 137-3), then PAR CES MOTIFS.
Every line is the cited pages' own words and is verified on them.
"""
from __future__ import annotations

import re
from dataclasses import replace

from core.models import Citation
from generation.charges import Accused, chefs_line, is_minor, mis_en_examen
from generation.compose import clause_items
from generation.contradictions import RESTATING
from generation.evidence import Analysis, Item
from generation.plans import VICTIM_KINDS, Line, PlannedSection, Selector, _about, _lines, accused_of
from generation.salience import category, fold
from generation.verifier import verify

WHOLE_UP_TO = 40  # words: the réquisitions quote a sentence whole, with its date, place and figures
RESULT_KINDS = {"constatations", "notification_gav", "expertise_medicale", "expertise_adn", "faed", "expertise",
                "exploitation_telephonie", "reponse_requisition", "requisition", "video", "perquisition", "synthese",
                "autre"}
FIRST_ACCOUNT = {"plainte", "constatations", "audition_victime", "audition_temoin", "notification_gav"}
WITNESS_KINDS = VICTIM_KINDS | {"audition_temoin", "confrontation", "garde_a_vue", "interrogatoire",
                                "interrogatoire_premiere"}

# what makes a sentence evidence: a figure with its unit, a finding, a seizure, a match, an attribution
_MEASURE = re.compile(r"\d+(?:[,.]\d+)?\s*(?:g\b|grammes?|kg|mg|euros|€|%|jours?|h\b|heures?|cm|contacts|appels|sms"
                      r"|pochons|plaquettes|sachets|points)")
_FINDING = re.compile(r"decouv|saisi|scelle|correspond|identifi|attribu|borne|bornage|cellule|positif|teneur|itt\b"
                      r"|incapacite|lesion|compatible|contacts?|reconnu|formellement|profil|empreinte|trace"
                      r"|interpell|immatricul|denombr|depot|virement|versement|pesee|poids|resine|cocaine|heroine"
                      r"|stupefiant|arme|couteau|bijou")
# the frame of an act, a request, the lawyer's observations: no evidence of anything
_FRAME = re.compile(r"notifi|droits?\b|avisons|requerons|requis\b|avons procede|procedons a l'audition|lecture faite"
                    r"|signature|prions|veuillez|destinataire|objet\s*:|reference|vu l'article|vu les articles"
                    r"|entendons|qui nous declare|nous declare|agissant (?:en|sous|sur)|officier de police judiciaire"
                    r"|agent de police judiciaire|l'an (?:deux )?mille|soussigne|commission rogatoire|^\s*\d+°\s*\)"
                    r"|la liste (?:detaillee )?des|bien vouloir|nous (?:communiquer|faire parvenir)|requiert"
                    r"|observations? (?:de|du) (?:l'avocat|me |maitre|conseil)|le conseil (?:releve|fait valoir"
                    r"|sollicite|souligne|demande)|fait observer|assiste(?:e)? de me\b|procedons a la confrontation"
                    r"|\(signe\)|mon client|ma cliente|expert inscrit|expert pres|psychiatre des hopitaux|commise? par"
                    r"|^(?:docteur|dr|le docteur)\b"
                    r"|enregistrement audiovisuel|en cours de garde a vue|garde a vue en cours|adressee? par voie"
                    r"|est puni|refus de repondre|il est rappele|^mention\b|garde a vue .{0,40}(?:levee|prolongee)"
                    r"|^\W*\d+\s*,|correspondants les plus|fin de (?:la|l')(?:confrontation|audition|interrogatoire)"
                    r"|sera adressee|ref\. interne|avec pour mission|procedons a la retranscription|nous transportons"
                    r"|mettons en place|reception des scelles|vice-president|chargee? de l'instruction|:\s*$"
                    r"|^sources?\s*:|^entretiens?\s*:|^mandant\s*:|pieces jointes|recu au greffe|tampon du")
_ACTS_TOLD = re.compile(r"\b(?:j'ai|je l'ai|je les ai|on a|nous avons|je|j')\s*(?:\w+\s+){0,2}?(?:pris|vendu|vendais"
                        r"|revendu|frappe|pousse|gifle|serre|tenu|garde|gardais|stock|livre|livrais|donne|partage|vole"
                        r"|appele|bu|conduit|conduisais|prenais|touchais|gagnais|depose|remis|cache|menace)")
_ANNEX = re.compile(r"\d{1,2}:\d{2}:\d{2}|\bimei\b|duree \d|\d{2}:\d{2} (?:appel|sms)|\||\bentrants?\b")
_DENIES = re.compile(r"\b(je (?:ne |n')\w*(?:\s+\w+){0,3}\s+(?:pas|jamais|rien)|c'est pas (?:a )?(?:moi|mon|ma|mes)"
                     r"|je conteste|je nie|j'etais (?:chez|a la maison|au)|je n'y etais pas|je suis pas sorti"
                     r"|je (?:le |la |les )?connais pas|il se trompe|elle se trompe|elle ment|il ment|c'est faux"
                     r"|ce n'est pas (?:moi|mon|ma|a moi)|pas (?:mon|ma) (?:numero|ligne|telephone))")

GROUNDS = [
    ("1°", "Conserver les preuves ou les indices matériels",
     r"non identifi|pas (?:encore )?(?:ete )?(?:identifi|retrouv|localis|entendu|interpell)|introuvable"
     r"|(?:expertise|analyse|exploitation|investigations?|recherches?)[^.;]{0,30} (?:toujours )?en cours"
     r"|pas (?:encore )?(?:ete )?exploite"
     r"|reste(?:nt)? a (?:identifier|entendre|exploiter|retrouver|analyser)|toujours recherch|demeure inconnu"
     r"|n'a pu etre (?:identifi|retrouv|localis)|en fuite|j'ai (?:jete|efface|detruit|brule)"
     r"|je (?:l'|les )?ai (?:jete|efface|detruit|brule)"),
    ("2°", "Empêcher une pression sur les témoins ou les victimes",
     r"peur (?:de lui|qu'il|pour (?:mon|ma|mes|moi)|de represailles)|j'ai peur|crain(?:s|t) (?:qu'il|pour|des)"
     r"|menac\w*|represailles|intimid\w*|\bbalance\b|pressions?\b|harcel\w*|n'ose|s'en prendre|il va revenir"
     r"|quand il sortira|s'il sort|\d+\s*(?:appels|sms|messages)"),
    ("3°", "Empêcher une concertation frauduleuse avec les coauteurs ou complices", ""),
    ("4°", "Protéger la personne mise en examen",
     r"(?:menac|represailles|vengeance|agress)\w*.{0,40}(?:contre lui|a son encontre|envers lui)"
     r"|craint pour sa (?:vie|securite)|pour sa propre securite|menaces? de mort (?:contre lui|a son encontre)"),
    ("5°", "Garantir le maintien de la personne à la disposition de la justice",
     r"sans domicile|\bsdf\b|sans emploi|chomage|sans ressources?|aucune? (?:ressource|emploi|activite)"
     r"|a l'etranger|attaches? (?:a l'etranger|familiales (?:au|en|a l'))|nationalite (?!francaise)|en fuite"
     r"|s'est soustrait|defaut de comparution|mandat d'arret|adresse (?:inconnue|incertaine)|irreguli|precaire"
     r"|instable|pas de domicile"),
    ("6°", "Mettre fin à l'infraction ou prévenir son renouvellement",
     r"recidive|reiter|risque de (?:renouvellement|reiteration|passage)|dangerosit|deja (?:ete )?condamn"
     r"|\ba repris\b|\bde nouveau\b|toujours actif"),
    ("7°", "Mettre fin au trouble exceptionnel et persistant à l'ordre public (crimes)",
     r"gravite|trouble|emoi|retentissement|arme|bande organisee|deces|mort\b"),
]
_CONCERT = re.compile(r"\d+\s*(?:contacts|appels|sms|communications|echanges)|contacts? (?:avec|entre)|en contact"
                      r"|ensemble|complice|coauteur|associ|remis|remet\w*|donn(?:e|ait|ais|er)\b|depos\w*|confi\w*"
                      r"|fournisseur|commanditaire|ordres|recrut|payait|me payait|pour (?:lui|elle)")
_ACCOMPLICE = re.compile(r"non identifi|pas (?:encore )?(?:ete )?(?:identifi|interpell)|en fuite|commanditaire"
                         r"|complices?|coauteurs?|un tiers|deuxieme homme|troisieme homme|second individu")
_CRIME = re.compile(r"\b(meurtre|assassinat|viol\b|vol (?:a main armee|avec arme|en bande organisee)|sequestration"
                    r"|enlevement|torture|actes de barbarie|empoisonnement|crime)")
_VIOLATION = re.compile(r"(?:violation|non[- ]respect|manquement)\w*.{0,40}controle judiciaire|controle judiciaire.{0,60}"
                        r"(?:violation|\bviole|pas (?:ete )?respect)|n'a pas respecte")


def subjects(analysis: Analysis, pages: dict[tuple[str, int], str]) -> tuple[list[Accused], str]:
    """Whom the réquisitions are about, and a note when the dossier names nobody for detention: the persons mis en
    examen who are neither minors nor under contrôle judiciaire (unless an ordonnance places them in detention)."""
    accused = [a for a in mis_en_examen(analysis, pages) if not a.minor]
    chosen = [a for a in accused if a.detained or not a.under_cj]
    if chosen:
        return chosen, ""
    if accused:
        return accused[:1], (f"{accused[0].display} est placé sous contrôle judiciaire : une détention provisoire "
                             "suppose un manquement (art. 141-2 CPP) ou un élément nouveau, à préciser par le magistrat.")
    others = [Accused(k, d) for k, d in accused_of(analysis) if not is_minor(k, analysis, pages)] or [Accused("", "")]
    return others[:1], "Aucune mise en examen au dossier : personne visée à préciser par le magistrat."


def _weight(it: Item) -> float:
    """What a sentence weighs as evidence: its salience, the figures with their units it states, what it finds."""
    t = fold(it.text)
    w = max(0.6, it.score) + 0.8 * min(3, len(_MEASURE.findall(t))) + 1.2 * min(2, len(_FINDING.findall(t)))
    if _FRAME.search(t):
        w -= 2.5
    if _ANNEX.search(t) or re.match(r"^\d{1,2}\s+[A-ZÀ-Ý]", it.text):
        w -= 2.0  # rows of an annex or an inventory: the act's own sentences say what they show
    if it.category == "declaration" and it.stance == "reconnaît":
        w += 2.0  # his admission is the first of the indices
    return w


def _weighed(items: list[Item]) -> list[Item]:
    return [replace(it, score=_weight(it)) for it in items]


def _names(it: Item, key: str) -> bool:
    """The sentence names him: his surname, or his first name (« Yanis est arrivé après la fermeture »)."""
    text = fold(it.full or it.text).upper()
    return any(re.search(rf"\b{re.escape(name)}\b", text) for name in key.split()[:2] if len(name) >= 3)


def _own(it: Item, key: str) -> bool:
    return bool(key) and it.category == "declaration" and bool(it.person_key) and it.person_key.split()[0] == \
        key.split()[0]


def _about_him(it: Item, person: Accused, others: list[Accused]) -> bool:
    """Evidence about him: it names him, or belongs to a piece about him (his search, his line), or — when he is
    the only one — tells the facts without naming another mis en examen."""
    if _names(it, person.key):
        return True
    if any(_names(it, o.key) for o in others):
        return False
    piece = it.piece
    if piece and piece.heard and any(piece.heard[0][0].split()[0] == o.surname for o in others):
        return False  # the other's search, his line, his DNA
    return True  # the facts themselves: the injuries, what was taken, the traces


def _source(it: Item) -> str:
    """« Perquisition, saisie et scellés », « Audition de témoin »: the act, as the line's lead."""
    return it.piece.label if it.piece and it.piece.kind != "autre" else (it.piece.heading if it.piece else "")


_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"]


def dated_lines(chosen: list[Item], pages: dict, named: set | None = None, prefix=None) -> list[Line]:
    """The chosen clauses as lines (`plans._lines`), each saying the date of its act (« Perquisition, saisie et
    scellés, 17 mars 2026 : « … » », « Yanis MERABTI, en garde à vue, 17 mars 2026 : « … » »), the page writing
    that date cited too when the quoted page does not; a line whose date cannot be verified stays undated."""
    out: list[Line] = []
    for ln in _lines(chosen, pages, named, prefix):
        piece = ln.item.piece if ln.item else None
        head, sep, body = ln.text.partition(" : « ")
        if not (piece and piece.date and sep) or re.search(r"\d{4}$", head):
            out.append(ln)
            continue
        day = f"{piece.date.day} {_MONTHS[piece.date.month - 1]} {piece.date.year}"
        cites = list(ln.citations)
        if not any(verify(day, [pages.get((c.cote, c.page), "")], 0.5).status == "supported" for c in cites):
            page = next((n for (c, n), t in sorted(pages.items()) if c == piece.cote
                         and verify(day, [t], 0.5).status == "supported"), None)
            if page is None:
                out.append(ln)
                continue
            cites.append(Citation(cote=piece.cote, page=page, document_id=piece.document_id))
        text = f"{head}, {day} : « {body}"
        if verify(text, [pages.get((c.cote, c.page), "") for c in cites], 0.5).status == "supported":
            out.append(Line(text, cites, ln.item))
        else:
            out.append(ln)
    return out


def _ground_pool(items: list[Item], person: Accused, others: list[Accused], number: str,
                 pattern: str) -> list[Item]:
    """The sentences relevant to one ground of art. 144, and only those."""
    key = person.key
    rule = re.compile(pattern) if pattern else None
    pool: list[Item] = []
    for it in items:
        t = fold(it.text)  # what the line will say, not the sentence it was cut from
        kind = it.piece.kind if it.piece else ""
        if _FRAME.search(t) or _ANNEX.search(t) or re.search(r"\([a-d]\s?\d{1,4}\)", t):
            continue  # a frame, an annex row, or a sentence retelling another piece (« … 312 SMS (D16) »)
        if kind in RESTATING and number != "6°":
            continue  # a decision's reasons retell the evidence: the réquisitions cite the evidence itself
        if number == "1°":
            if (it.category in ("resultat", "fait", "procedure") and kind not in VICTIM_KINDS | {"audition_temoin",
                                                                                                "requisition"}
                    or _own(it, key)) and rule and rule.search(t):
                pool.append(it)
        elif number == "2°":
            # what the victims and witnesses fear, the threats they tell; his calls and messages to them
            told = it.category in ("declaration", "fait") and kind in VICTIM_KINDS | {"audition_temoin"} and not _own(
                it, key)
            # (calls counted toward the victim, not between him and a co-mis en examen: that is 3°)
            counted = it.category == "resultat" and re.search(r"\d+\s*(?:appels|sms|messages)", t) and not any(
                _names(it, o.key) for o in others)
            if (told or counted) and rule and rule.search(t):
                pool.append(it)
        elif number == "3°":
            # the co-mis en examen and what links them; a relative vouching for him; accomplices not identified
            # what links the two: a sentence naming both, the other speaking of him, his own words of the other
            by_other = any(it.person_key and it.person_key.split()[0] == o.surname for o in others)
            names_other = any(_names(it, o.key) for o in others)
            other = (names_other and (_names(it, key) or _own(it, key))) or (by_other and _names(it, key))
            relative = it.category == "declaration" and kind == "audition_temoin" and it.person_key and \
                it.person_key.split()[0] == person.surname and re.search(
                    r"\d{1,2}\s*h\b|\d{1,2} heures|chez moi|avec moi|il est (?:parti|arrive|reste|venu)", t)
            if (other and _CONCERT.search(t)) or relative or (_ACCOMPLICE.search(t) and it.category != "personnalite"):
                pool.append(it)
        elif number == "5°":
            # what his situation lacks (his own offers of work and lodging are guarantees, said in III)
            if it.category == "personnalite" and rule and rule.search(t) and _about(it, key) and not (
                    it.piece and it.piece.kind == "casier"):
                pool.append(it)
        elif number == "6°":
            if it.piece and it.piece.kind == "casier" or kind in RESTATING - {"requisitoire_introductif"}:
                continue  # the B1 is said as a count and a list; an ordonnance's reasons are not the evidence
            if rule and rule.search(t) and (_about(it, key) or not others) and not _DENIES.search(t):
                pool.append(it)
        elif rule and rule.search(t) and it.category in ("resultat", "fait", "procedure") and not _own(it, key):
            pool.append(it)
    return pool


def plan_detention(analysis: Analysis, budget: int, pages: dict[tuple[str, int], str] | None = None
                   ) -> list[PlannedSection]:
    from generation.casier import casier_line

    pages = pages or {}
    items = _weighed(unframed(clause_items(with_page_sentences(analysis, pages), whole_up_to=WHOLE_UP_TO)))
    sel = Selector(budget, items)
    named: set = set()
    people, note = subjects(analysis, pages)
    sections: list[PlannedSection] = []

    # IV first: each ground keeps the few sentences that bear on it (what is still to be found, the witnesses'
    # fear), before the facts and the indices take the rest; shown after them
    everyone = mis_en_examen(analysis, pages)
    alone = len(people) == 1
    grounds = {p.key: _grounds(analysis, items, sel, p, [o for o in everyone if o.key != p.key],
                               f" — {p.display}" if not alone else "", pages, None, casier_line) for p in people}
    # I. the facts: his chefs, then the first pieces' account, briefly
    qualified: list[Line] = []
    for person in people:
        line = chefs_line(person, pages) if person.chefs else None
        qualified += [line] if line else []
    for ln in qualified:
        sel.force(ln.text)
    first = first_pieces(analysis)
    story = [it for it in items if it.piece and (it.piece.kind in FIRST_ACCOUNT or it.piece.cote in first) and (
        it.category in ("fait", "resultat") or (it.category == "declaration" and it.piece.kind in VICTIM_KINDS))
        and not _FRAME.search(fold(it.text))]
    told = sel.take(story, 0.12, limit=5, per_piece=1)
    sections.append(PlannedSection("I. Les faits et leur qualification", qualified + _lines(told, pages, named),
                                   "Faits et qualification à compléter."))

    share = 0.5 / max(1, len(people))
    for person in people:
        key = person.key
        others = [o for o in everyone if o.key != key]
        who = f" — {person.display}" if not alone else ""
        # II. what each piece brings against him
        results = [it for it in items if it.category in ("resultat", "fait") and it.piece
                   and it.piece.kind in RESULT_KINDS and it.piece.kind not in RESTATING and not (
                       it.piece.kind == "requisition" and not _MEASURE.search(fold(it.text)))
                   and _about_him(it, person, others) and not _ANNEX.search(fold(it.text))]
        said = [it for it in items if it.category == "declaration" and it.piece and it.piece.kind in WITNESS_KINDS
                and not _own(it, key) and not any(_own(it, o.key) and not _names(it, key) for o in others)
                and (_names(it, key) or (alone and it.piece.kind in VICTIM_KINDS | {"audition_temoin"}))
                and not _DENIES.search(fold(it.text))]
        # his admissions, and what he tells of the acts without denying them (« je prenais 150 euros par jour »)
        admitted = [it for it in items if _own(it, key) and (
            it.stance == "reconnaît" or (not it.stance and not _DENIES.search(fold(it.text))
                                         and _ACTS_TOLD.search(fold(it.text))))]
        chosen = sel.take(results + said + admitted, share, limit=40, per_piece=3)
        sections.append(PlannedSection(f"II. Indices graves ou concordants{who}",
                                       dated_lines(chosen, pages, named, _source),
                                       "Indices à compléter par le magistrat."))
        # III. personality and guarantees of appearance (the B1 serves 6° below)
        personality = [it for it in items if it.category == "personnalite" and _about(it, key)
                       and not (it.piece and it.piece.kind == "casier")]
        sections.append(PlannedSection(f"III. Personnalité et garanties de représentation{who}",
                                       _lines(sel.take(personality, 0.08, limit=4), pages),
                                       "Garanties de représentation à compléter."))
        sections += grounds[key]
    violations = [it for it in items if _VIOLATION.search(fold(it.text))]
    sections.append(PlannedSection("V. Insuffisance du contrôle judiciaire et de l'ARSE (art. 137-3 CPP)",
                                   _lines(sel.take(violations, 0.04, limit=2), pages),
                                   "À compléter par le magistrat : pourquoi le contrôle judiciaire et l'ARSE ne "
                                   "suffisent pas."))
    target = " et de ".join(p.display for p in people if p.display)
    ask = f"Requérir le placement en détention provisoire de {target} : décision laissée au magistrat." if target else (
        "Requérir le placement en détention provisoire : personne visée et décision laissées au magistrat.")
    sections.append(PlannedSection("PAR CES MOTIFS", [], f"{note} {ask}".strip()))
    return sections


_OPENING_KINDS = {"expertise", "autre", "constatations", "plainte", "audition_victime", "audition_temoin",
                  "notification_gav", "synthese"}


def first_pieces(analysis: Analysis, n: int = 3) -> set[str]:
    """The cotes of the acts that open the case (the first reports, findings, complaints, by date), whatever their
    type was read as; never a result obtained later (a phone answer, a search)."""
    opening = [p for p in analysis.pieces if p.cote.startswith("D") and p.date and p.kind in _OPENING_KINDS]
    return {p.cote for p in sorted(opening, key=lambda p: (p.date, p.cote))[:n]}


def _grounds(analysis: Analysis, items: list[Item], sel: Selector, person: Accused, others: list[Accused], who: str,
             pages: dict, named: set, casier_line) -> list[PlannedSection]:
    """The seven grounds of art. 144, each with the evidence relevant to it or « à compléter »."""
    out: list[PlannedSection] = []
    crime = any(_CRIME.search(fold(c)) for c, _ in person.chefs)
    for number, ground, pattern in GROUNDS:
        title = f"IV. Article 144 CPP — {number} {ground}{who}"
        if number == "7°" and not crime:
            out.append(PlannedSection(title, [], "Sans objet : les faits reprochés sont de nature délictuelle (le 7° "
                                      "de l'article 144 ne vise que la matière criminelle)."))
            continue
        lines: list[Line] = []
        if number == "6°":
            lines += _record(analysis, person, pages, casier_line)
            for ln in lines:
                sel.force(ln.text)
        pool = _ground_pool(items, person, others, number, pattern)
        lines += _lines(sel.take(pool, 0.035, limit=3, per_piece=1), pages, named, _source)
        out.append(PlannedSection(title, lines, "Aucun élément précis et circonstancié relevé au dossier : à "
                                  "compléter par le magistrat."))
    return out


_SUPPLEMENT_KINDS = {"perquisition", "expertise", "expertise_adn", "faed", "expertise_medicale", "reponse_requisition",
                     "exploitation_telephonie", "constatations"}


def with_page_sentences(analysis: Analysis, pages: dict[tuple[str, int], str], per_piece: int = 12) -> list[Item]:
    """The map step's items, and the sentences of the result pieces it left out (it keeps a bounded number per
    piece: a search listing ten seizures loses some), read from the pages, typed and scored the same way, the
    formulas out; at most `per_piece` more per piece, the most salient."""
    from generation.boilerplate import is_boilerplate, strip_formula
    from generation.copies import page_items
    from generation.salience import score

    known: dict[str, set[str]] = {}
    for it in analysis.items:
        known.setdefault(it.citation.cote or "", set()).add(" ".join(fold(it.full or it.text).split()))
    extra: dict[str, list[Item]] = {}
    for it in page_items(analysis, pages):
        if not it.piece or it.piece.kind not in _SUPPLEMENT_KINDS:
            continue
        fact = strip_formula(it.text)
        folded = " ".join(fold(fact).split())
        if not fact or is_boilerplate(fact) or _FRAME.search(folded) or len(fact.split()) < 6:
            continue
        if any(folded in k or k in folded for k in known.get(it.citation.cote or "", set())):
            continue
        cat = category(fact, it.piece.kind, False)
        extra.setdefault(it.citation.cote or "", []).append(replace(it, text=fact, full=fact, category=cat,
                                                                    score=score(fact, cat)))
    out = list(analysis.items)
    for group in extra.values():
        out += sorted(group, key=lambda it: -it.score)[:per_piece]
    return out


def unframed(items: list[Item]) -> list[Item]:
    """Items without the frame around them: an item that is a frame goes; one whose tail is (« … Observations de
    l'avocat : Me X fait observer … ») keeps its head."""
    out: list[Item] = []
    for it in items:
        sentences = re.split(r"(?<=[.!?»])\s+", it.text)
        kept: list[str] = []
        for sentence in sentences:
            if _FRAME.search(fold(sentence)):
                break
            kept.append(sentence)
        if not kept:
            continue
        text = " ".join(kept).rstrip(" .")
        out.append(it if len(kept) == len(sentences) else replace(it, text=text))
    return out


def _record(analysis: Analysis, person: Accused, pages: dict, casier_line) -> list[Line]:
    """His B1 as a count and a list of convictions (« Nombre de condamnations : 3 ; 04/04/2019 : … »)."""
    out: list[Line] = []
    for p in analysis.pieces:
        if p.kind == "casier" and p.heard and p.heard[0][0].split()[0] == person.surname:
            texts = [(Citation(cote=p.cote, page=n, document_id=p.document_id), t)
                     for (c, n), t in sorted(pages.items(), key=lambda kv: kv[0][1]) if c == p.cote]
            line = casier_line(p, texts or [(Citation(cote=p.cote, page=1, document_id=p.document_id), "")],
                               person.display)
            if line and not re.search(r"neant|aucune condamnation|\b0 condamnation", fold(line.text)):
                out.append(line)
    return out

