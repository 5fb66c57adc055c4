"""Reduce step of the réquisitoire définitif (art. 175 CPP): a draft that argues the case, not a second synthèse.

I. Exposé des faits: what the first pieces tell (constatations, plainte, witnesses), short.
II. Déroulement de l'information: every act in order with its date, title and person; decisions (réquisitoire
    introductif, mise en examen, détention, contrôle judiciaire, ordonnances) say what they decided.
III. Discussion: first the material facts established without naming anyone mis en examen (injuries, ITT, seizures,
    laboratory), then for each mis en examen his chefs, the charges (results and testimonies naming him, his
    admissions, the variations of his own statements) and, à décharge, only what is in his favour (his denials and
    alibi, results that weaken a charge) — never the victim's accusation.
IV. Personnalité et antécédents: the B1 as a count and a list of convictions (date, offence, penalty), the
    enquête de personnalité and expertises.
PAR CES MOTIFS: for each person and each chef, the choice left to the magistrate (renvoi, mise en accusation,
    non-lieu).
Every line is the cited pages' own words and is verified on them.
"""
from __future__ import annotations

import re

from core.models import Citation
from generation.compose import clause_items
from generation.contradiction_section import section_lines
from generation.contradictions import Contradiction, find_contradictions
from generation.evidence import Analysis, Item
from generation.pieces import PieceInfo
from generation.plans import (
    _MONTHS,
    VICTIM_KINDS,
    Line,
    PlannedSection,
    Selector,
    _about,
    _lines,
    accused_of,
)
from generation.salience import FACT, RESULT, fold
from generation.verifier import verify

WHOLE_UP_TO = 30
DECISION_KINDS = {"requisitoire_introductif", "interrogatoire_premiere", "ordonnance_detention", "ordonnance_cj",
                  "ordonnance"}
FIRST_ACCOUNT_KINDS = {"plainte", "constatations", "audition_victime", "audition_temoin", "notification_gav"}
# what weakens a charge: nothing found, a trace that cannot be used, a result that clears
_WEAKENS = re.compile(r"\b(aucun|aucune|negati|ne correspond pas|ne permet pas|inexploitable|non exploitable"
                      r"|pas ete (identifi|retrouv|decouv)|non identifi|sans (resultat|suite)|absence de|ne reconnai)")
# his own account in his favour: where he was, with whom, what he did not do
_ALIBI = re.compile(r"\b(j'etais (chez|a|au|avec|dans|en)|je suis reste|je ne suis pas (sorti|alle|venu)"
                    r"|je n'etais pas|je n'y etais pas|toute la soiree|a la maison|alibi)")
_CONFIRMS = re.compile(r"\b(confirm|etait (bien )?avec (moi|nous)|n'est pas sorti|etait a la maison|est reste)")
_CHEFS = re.compile(r"(?:des chefs? d[e'u]|du chef d[e'u]|chefs? de|pour (?:des faits de |les faits de )?)\s*(?P<o>.+)$")
_MIS_EN_EXAMEN = re.compile(r"mis(e)? en examen|mettons en examen|met en examen|informer contre|requiert qu'il plaise"
                            r"|requerons|ouverture d'une information")
_PAST = re.compile(r"condamn|antecedent|casier|\(b\d\)")
# pieces whose own text is a result (the request of a réquisition is not: its answer is)
RESULT_KINDS = {"constatations", "notification_gav", "expertise_medicale", "expertise_adn", "faed", "expertise",
                "exploitation_telephonie", "reponse_requisition", "video", "perquisition", "synthese", "autre"}
_DOCUMENT_TITLE = re.compile(r"^(proces-verbal|pv|rapport|ordonnance|requisitoire|requisition|reponse|certificat"
                             r"|bulletin|expertise|avis|interrogatoire|audition|plainte|examen|exploitation|releve"
                             r"|fiche|compte rendu|note|main courante|demande|declaration|enquete)")


def source_of(it: Item) -> str:
    """What the sentence comes from, as the magistrate names it: the act's title when it is one, else its type."""
    piece = it.piece
    if piece is None:
        return ""
    title = act_title(piece)
    return title if title else ""


def act_title(piece: PieceInfo) -> str:
    """The act's own title line when it names a document (never a letterhead), else its type; "" for a piece the
    code could not type."""
    heading = piece.heading.strip()
    if heading and _DOCUMENT_TITLE.match(fold(heading)) and " — " not in heading:
        return heading
    return piece.label if piece.kind != "autre" else heading if heading and " — " not in heading else ""


def act_line(piece: PieceInfo, page_text: str, citation: Citation) -> Line | None:
    """« 21 janvier 2026 : Procès-verbal d'audition de personne gardée à vue, M. Karim LOURMEL » — only what the
    cited page itself says (its date, its title, the person it hears)."""
    title = act_title(piece) or "Pièce"
    day = f"{piece.date.day} {_MONTHS[piece.date.month - 1]} {piece.date.year}" if piece.date else ""
    person = piece.heard[0][1] if piece.heard and piece.kind not in ("reponse_requisition", "requisition") else ""
    for candidate in (f"{day} : {title}, {person}" if day and person else "", f"{day} : {title}" if day else "",
                      f"{title}, {person}" if person else "", title):
        if candidate and verify(candidate, [page_text], 0.5).status == "supported":
            return Line(candidate.rstrip(" ,") + ".", [citation])
    return None


_RECAP = re.compile(r"\((?:[a-d]\s?\d{1,4}[^)]{0,30})\)|indices graves|il (?:en )?resulte|attendu|en debat contradictoire"
                    r"|au vu (?:des|de la)|considerant|alors que|rendant vraisemblable")


# what a decision decides: the mise en examen and its chefs, the detention and its place, the obligations of the
# contrôle judiciaire, a rejection, the réquisitions of the parquet
_DISPOSITIF = re.compile(r"\b(ordonnons|ordonne|decernons|decerne|mettons en examen|mis(e)? en examen|rejet|rejetons"
                         r"|disons|requiert|requerons|informer contre|place(e|r|ons)? (en|sous)|mandat de depot"
                         r"|maison d'arret|obligations?|interdiction|se presenter|cautionnement|statut de temoin"
                         r"|avis de fin|delai|chefs? d)")


def _recap(it: Item) -> bool:
    """A decision's reasons retell the evidence of other pieces (« la découverte à son domicile … (D14) »): the
    réquisitoire cites the evidence in its own piece, and says of the decision what it decided."""
    return bool(_RECAP.search(fold(it.full or it.text)))


def _telling(it: Item) -> bool:
    """A sentence that tells something (an act, a time, a place, a result), not the frame of a hearing."""
    t = fold(it.text)
    return bool(FACT.search(t) or RESULT.search(t) or re.search(r"\d", t)) and not re.search(
        r"(nous|qui nous|et) declare\s*\.?$|:\s*$", t)
_OFFENCE_HEAD = re.compile(r"^(?:de |d'|du |des )?(vol|recel|violence|menace|harcelement|conduite|meurtre|assassinat"
                           r"|viol\b|agression|escroquer|abus|association|blanchiment|non-justification|provocation"
                           r"|trafic|transport|detention|offre|cession|acquisition|importation|usage|extorsion"
                           r"|sequestration|degradation|destruction|port|homicide|tentative|complicite|enlevement"
                           r"|incendie|faux|usurpation|outrage|rebellion|refus|atteinte|infraction|soustraction"
                           r"|appels? telephoniques? malveillants?|mise en danger|delaissement|participation)")
_CRIME = re.compile(r"\b(meurtre|assassinat|viol\b|vol (a main armee|avec arme|en bande organisee)|sequestration"
                    r"|enlevement|torture|actes de barbarie|empoisonnement|crime)")


# -- IV. the B1 as a count and a list ---------------------------------------------------------------------------
_DAY = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{1,2}(?:er)? (?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t"
                  r"|septembre|octobre|novembre|d[ée]cembre) \d{4}\b", re.IGNORECASE)
# where a conviction starts: « Condamnation n° 2 », or an enumeration at a line's start (« 2) », « 2. », « 2° »)
_CONVICTION = re.compile(r"condamnation\s*n\s*[°o]\s*\d+|^\s*\d{1,2}\s*[).°]\s+(?=\D)", re.IGNORECASE | re.MULTILINE)
_COUNT = re.compile(r"nombre de condamnations\s*:?\s*\d+", re.IGNORECASE)
_NIL = re.compile(r"[^\n.]*\b(neant|aucune condamnation)\b[^\n]*", re.IGNORECASE)
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


# -- chefs ---------------------------------------------------------------------------------------------------
def offences(text: str) -> list[str]:
    """The chefs a decision sentence names (« des chefs de vol en réunion avec violences, vol par effraction et
    recel »), each as the page wrote it; a one-word piece joins the next (« transport, détention, offre »)."""
    m = _CHEFS.search(text)
    if not m:
        return []
    span = re.split(r"\s*(?:,\s*(?:faits|commis|prevus|et places?|et decernons)|\(art|\s[—–]\s|;\s*(?:disons|ordonnons"
                    r"|le place|decernons))", m.group("o"))[0].strip(" .,;:")
    raw = [p.strip(" ,;") for p in re.split(r",\s+|;\s+|\s+et\s+(?=[^,]*$)", span) if p.strip(" ,;")]
    out: list[str] = []
    pending = ""
    for part in raw:
        joined = f"{pending}, {part}" if pending else part
        if len(joined.split()) < 3 and part is not raw[-1] and len(raw) > 1:
            pending = joined
            continue
        pending = ""
        out.append(joined)
    out = [re.sub(r"^(?:de |d'|du |des (?=\w+ (?:de|d')))", "", o) for o in out if _OFFENCE_HEAD.search(fold(o))]
    return out


def _chefs_of(items: list[Item], key: str) -> list[tuple[str, Item]]:
    """The chefs of his mise en examen (else of the réquisitoire introductif naming him), each once."""
    found: list[tuple[str, Item]] = []
    rank = {"interrogatoire_premiere": 0, "requisitoire_introductif": 1}
    ranked = sorted((it for it in items if it.category == "decision" and it.piece and _about(it, key)
                     and _MIS_EN_EXAMEN.search(fold(it.full or it.text)) and not _PAST.search(fold(it.full or it.text))),
                    key=lambda it: (rank.get(it.piece.kind, 2), it.order))  # type: ignore[union-attr]
    source = None
    for it in ranked:
        if source is not None and it.citation.cote != source:
            break  # the chefs of one act (his mise en examen), not a list gathered from every ordonnance
        for o in offences(it.full or it.text):
            if all(fold(o) not in fold(f) and fold(f) not in fold(o) for f, _ in found):
                found.append((o, it))
                source = it.citation.cote
    return found


def _toward_the_chefs(items: list[Item]) -> list[Item]:
    """The discussion argues the chefs: a sentence telling an element of an offence the decisions name (the
    violences, the threat, the knife, the drugs, the money) weighs more than the background of a hearing."""
    from dataclasses import replace

    from generation.salience import content_tokens

    vocabulary: set[str] = set()
    for it in items:
        if it.category == "decision":
            for o in offences(it.full or it.text):
                vocabulary |= content_tokens(o)
    vocabulary -= content_tokens("avec ayant entraîné personne dans les des une sur par pour sans autorisation "
                                 "commis fait faits")
    if not vocabulary:
        return items
    out = []
    for it in items:
        shared = len(content_tokens(it.text) & vocabulary)
        out.append(replace(it, score=it.score * (1 + 0.35 * min(3, shared))) if shared and it.category not in (
            "decision", "procedure") else it)
    return out


def _own(it: Item, key: str) -> bool:
    return it.category == "declaration" and it.person_key == key


def _mentions_other(it: Item, key: str, accused: list[tuple[str, str]]) -> bool:
    return any(other != key and _about(it, other) for other, _ in accused)


def _own_contradictions(contradictions: list[Contradiction], key: str) -> list[Contradiction]:
    """The variations of his own statements: both versions are his, at different stages or pieces."""
    return [c for c in contradictions if all(m.item.person_key == key for m in c.side_a + c.side_b)
            and c.a.item.citation.cote != c.b.item.citation.cote]


def plan_requisitoire(analysis: Analysis, budget: int, pages: dict[tuple[str, int], str]) -> list[PlannedSection]:
    # a réquisitoire quotes a sentence of middling length whole (what it says with whom, when, how much)
    items = _toward_the_chefs(clause_items(analysis.items, whole_up_to=WHOLE_UP_TO))
    sel = Selector(budget, items)
    named: set = set()
    sections: list[PlannedSection] = []
    accused = accused_of(analysis)

    # I. the facts as the first pieces tell them: constatations, the complaint, what witnesses saw
    story = [it for it in items if it.piece and it.piece.kind in FIRST_ACCOUNT_KINDS and _telling(it) and (
        it.category in ("fait", "resultat") or (it.category == "declaration" and it.piece.kind == "plainte"))]
    sections.append(PlannedSection("I. Exposé des faits", _lines(sel.take(story, 0.14, limit=12, per_piece=2),
                                                                  pages, named)))

    # II. the acts in order; a decision says what it decided
    decisions = sel.take([it for it in items if it.category == "decision" and it.piece and not _recap(it)
                          and (it.piece.kind in DECISION_KINDS or it.piece.kind == "autre")
                          and _DISPOSITIF.search(fold(it.text))], 0.12, limit=30, per_piece=3)
    by_piece: dict[str, list[Item]] = {}
    for it in decisions:
        by_piece.setdefault(it.citation.cote or "", []).append(it)
    acts: list[Line] = []
    for p in sorted(analysis.pieces, key=lambda p: (p.date is None, p.date or 0, p.cote)):
        if not p.cote.startswith("D"):
            continue
        first = next((it for it in items if it.piece is p), None)
        citation = Citation(cote=p.cote, page=1, chunk_id=first.citation.chunk_id if first and
                            first.citation.page == 1 else None, document_id=p.document_id)
        line = act_line(p, pages.get((p.cote, 1), ""), citation)
        if line:
            acts.append(line)
            sel.force(line.text)
        acts += _lines(by_piece.pop(p.cote, []), pages)
    for rest in by_piece.values():
        acts += _lines(rest, pages)
    sections.append(PlannedSection("II. Déroulement de l'information", acts))

    # III. what the investigation established without naming a mis en examen: injuries, ITT, traces, seizures
    material = [it for it in items if it.category in ("resultat", "fait") and it.piece
                and it.piece.kind in RESULT_KINDS and _telling(it) and not any(_about(it, k) for k, _ in accused)]
    sections.append(PlannedSection("III. Discussion — Sur la matérialité des faits",
                                   _lines(sel.take(material, 0.14, limit=14, per_piece=2), pages, None, source_of)))

    contradictions = find_contradictions(analysis.items)
    people = accused or [("", "")]
    part = max(0.2, (1 - sel.used / max(1, budget)) / len(people))
    chefs_by_person: dict[str, list[tuple[str, Item]]] = {}
    for key, display in people:
        who = f" — {display}" if display else ""
        chefs = _chefs_of(items, key) if key else []
        chefs_by_person[key] = chefs
        chef_lines = _lines(list({id(it): it for _, it in chefs}.values()), pages)
        for ln in chef_lines:
            sel.force(ln.text)
        sections.append(PlannedSection(f"III. Discussion{who} : chefs de mise en examen", chef_lines,
                                       "Chefs de mise en examen à préciser par le magistrat."))
        alone = len(people) == 1
        charges = [it for it in items if it.category == "resultat" and it.piece and it.piece.kind in RESULT_KINDS
                   and (not key or _about(it, key))]
        # testimonies naming him (witnesses, co-mis en examen, the victim); the victim's account when he is the only one
        charges += [it for it in items if it.category == "declaration" and it.person_key != key and (
            not key or _about(it, key) or (alone and it.piece and it.piece.kind in VICTIM_KINDS))
            and not (it.piece and it.piece.kind == "audition_temoin" and _CONFIRMS.search(fold(it.text))
                     and not _mentions_other(it, key, people))]
        # his own account of the facts: what he admits, and what he tells without denying it (who, how much, where)
        charges += [it for it in items if key and _own(it, key) and (it.stance == "reconnaît" or (
            not it.stance and not _ALIBI.search(fold(it.text)) and (FACT.search(fold(it.text))
                                                                    or RESULT.search(fold(it.text)))))]
        charge_lines = _lines(sel.take(charges, 0.5 * part, limit=30), pages, named, source_of)
        own = _own_contradictions(contradictions, key) if key else []
        variation = [Line(t, c, i) for t, c, i in
                     section_lines(own, int(0.08 * part * budget), pages)] if own else []
        for ln in variation:
            sel.force(ln.text, remember=False)
        sections.append(PlannedSection(f"III. Discussion{who} : éléments à charge", charge_lines + variation))
        # à décharge: his denials and his alibi, a witness confirming it, results that weaken a charge
        favour = [it for it in items if key and _own(it, key) and it.stance != "reconnaît" and (
            it.stance == "conteste" or _ALIBI.search(fold(it.text)))]
        favour += [it for it in items if it.piece and it.piece.kind == "audition_temoin" and it.person_key != key
                   and _about(it, key) and _CONFIRMS.search(fold(it.text))]
        favour += [it for it in items if it.category == "resultat" and it.piece and it.piece.kind in RESULT_KINDS
                   and _WEAKENS.search(fold(it.text))
                   and not _mentions_other(it, key, people)]
        favour = [it for it in favour if not (it.piece and it.piece.kind in VICTIM_KINDS)]
        sections.append(PlannedSection(f"III. Discussion{who} : éléments à décharge",
                                       _lines(sel.take(favour, 0.18 * part, limit=10), pages, named),
                                       "Aucun élément à décharge relevé par le code : à compléter."))
        # IV. his B1 as a count and a list, then his personality
        record: list[Line] = []
        for p in analysis.pieces:
            if p.kind == "casier" and (not key or (p.heard and p.heard[0][0].split()[0] == key.split()[0])):
                texts = [(Citation(cote=p.cote, page=n, document_id=p.document_id), t)
                         for (c, n), t in sorted(pages.items(), key=lambda kv: kv[0][1]) if c == p.cote]
                texts = texts or [(Citation(cote=p.cote, page=1, document_id=p.document_id), "")]
                line = casier_line(p, texts, display)
                if line:
                    record.append(line)
                    sel.force(line.text)
        personality = [it for it in items if it.category == "personnalite" and (not key or _about(it, key))
                       and not (record and it.piece and it.piece.kind == "casier")]
        sections.append(PlannedSection(f"IV. Personnalité et antécédents{who}",
                                       record + _lines(sel.take(personality, 0.16 * part), pages, None, source_of),
                                       "Éléments de personnalité à compléter."))

    # PAR CES MOTIFS: each person and each chef, then the choice left to the magistrate
    lines: list[Line] = []
    chefs_all: list[str] = []
    for key, display in people:
        for offence, it in chefs_by_person.get(key, []):
            text = f"{display} : {offence}." if display else f"{offence[:1].upper()}{offence[1:]}."
            cited = [pages.get((c.cote or "", c.page), "") for c in it.citations]
            if verify(text, cited, 0.5).status == "supported":
                lines.append(Line(text, it.citations, it))
                chefs_all.append(offence)
    crime = any(_CRIME.search(fold(o)) for o in chefs_all)
    options = ("mise en accusation devant la cour d'assises ou la cour criminelle départementale (art. 181 CPP), "
               "renvoi devant le tribunal correctionnel (art. 179 CPP) ou non-lieu (art. 177 CPP)" if crime else
               "renvoi devant le tribunal correctionnel (art. 179 CPP), non-lieu (art. 177 CPP) ou, si les faits "
               "constituent un crime, mise en accusation (art. 181 CPP)")
    each = ("pour chaque personne et chacun de ces chefs" if len(people) > 1 else
            "pour chacun de ces chefs" if len(lines) > 1 else "pour ce chef" if lines else "pour les faits")
    choice = f"Choix laissé au magistrat, {each} : {options}."
    sections.append(PlannedSection("PAR CES MOTIFS", lines, choice, note=choice))
    return sections
