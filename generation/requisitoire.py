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
from generation.casier import casier_line
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


# the acts that hear a person or are about one (his search, his B1, his detention): named with him
_NAMING_KINDS = {"plainte", "audition_victime", "audition_temoin", "garde_a_vue", "interrogatoire_premiere",
                 "interrogatoire", "confrontation", "perquisition", "notification_gav", "ordonnance_detention",
                 "ordonnance_cj", "casier", "personnalite", "expertise_psy", "requisitoire_introductif"}


def act_line(piece: PieceInfo, page_text: str, citation: Citation) -> Line | None:
    """« 21 janvier 2026 : Procès-verbal d'audition de personne gardée à vue, M. Karim LOURMEL » — only what the
    cited page itself says (its date, its title, the person it hears)."""
    title = act_title(piece) or "Pièce"
    day = f"{piece.date.day} {_MONTHS[piece.date.month - 1]} {piece.date.year}" if piece.date else ""
    person = piece.heard[0][1] if piece.heard and piece.kind in _NAMING_KINDS else ""
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
                           r"|appels? telephoniques? malveillants?|mise en danger|delaissement|participation"
                           r"|proxenetisme|corruption|fraude|contrefacon|exhibition|travail dissimule|aide a l'entree"
                           r"|traite|chantage|subornation|evasion|prise illegale|favoritisme|detournement|concussion"
                           r"|entrave|delit de fuite|abandon|non-representation|violation|exercice illegal"
                           r"|apologie|diffamation|injure|captation|enregistrement|blessures?|meurtres?|empoisonnement"
                           r"|torture|actes de barbarie|evasion|fabrication|emploi|obtention|mariage|banqueroute)")
_CRIME = re.compile(r"\b(meurtre|assassinat|viol\b|vol (a main armee|avec arme|en bande organisee)|sequestration"
                    r"|enlevement|torture|actes de barbarie|empoisonnement|crime)")


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


def _assign(charges: list[Item], chefs: list[tuple[str, Citation]]) -> list[list[Item]]:
    """Each charge under the chef it bears on most (the chef's words and those of its kind of offence), else under
    the first chef: « 23 dépôts d'espèces » under the laundering, « 1 243,6 g de résine » under the drugs."""
    from generation.charges import chef_words
    from generation.salience import content_tokens

    vocab = [chef_words(c) for c, _ in chefs]
    groups: list[list[Item]] = [[] for _ in chefs]
    for it in charges:
        mine = content_tokens(it.text)
        # a word of several chefs (« stupéfiants ») weighs less than a word of one (« mineur », « dépôts »)
        shared = [sum(1.0 if sum(w in other for other in vocab) == 1 else 0.3 for w in mine & v) for v in vocab]
        groups[max(range(len(chefs)), key=lambda i: (shared[i], -i))].append(it)
    return groups


def _self_named(it: Item, key: str) -> bool:
    """A speaker does not name himself: « Yanis est arrivé après la fermeture » filed under Yanis is another's."""
    first = key.split()[1] if len(key.split()) > 1 else ""
    return bool(first) and re.search(rf"\b{re.escape(first)}\b", fold(it.text).upper()) is not None


def plan_requisitoire(analysis: Analysis, budget: int, pages: dict[tuple[str, int], str]) -> list[PlannedSection]:
    from generation.charges import Accused, chefs_line, is_minor, mis_en_examen, short_chef
    from generation.detention import (
        _ACTS_TOLD,
        _DENIES,
        _about_him,
        _weighed,
        dated_lines,
        first_pieces,
        unframed,
        with_page_sentences,
    )

    # a réquisitoire quotes a sentence of middling length whole (what it says with whom, when, how much)
    items = _toward_the_chefs(_weighed(unframed(clause_items(with_page_sentences(analysis, pages),
                                                             whole_up_to=WHOLE_UP_TO))))
    sel = Selector(budget, items)
    named: set = set()
    sections: list[PlannedSection] = []
    accused = mis_en_examen(analysis, pages) or [Accused(k, d) for k, d in accused_of(analysis)
                                                  if not is_minor(k, analysis, pages)]
    people = accused or [Accused("", "")]

    # I. the facts as the first pieces tell them: constatations, the complaint, what witnesses saw
    first = first_pieces(analysis)
    story = [it for it in items if it.piece and (it.piece.kind in FIRST_ACCOUNT_KINDS or it.piece.cote in first)
             and _telling(it) and (it.category in ("fait", "resultat") or (
                 it.category == "declaration" and it.piece.kind in VICTIM_KINDS))]
    sections.append(PlannedSection("I. Exposé des faits", _lines(sel.take(story, 0.12, limit=12, per_piece=2),
                                                                  pages, named)))

    # II. the acts in order; a mise en examen says its chefs, a decision what it decided
    decisions = sel.take([it for it in items if it.category == "decision" and it.piece and not _recap(it)
                          and (it.piece.kind in DECISION_KINDS or it.piece.kind == "autre")
                          and _DISPOSITIF.search(fold(it.text)) and not _NOTICE.search(fold(it.text))],
                         0.1, limit=30, per_piece=3)
    by_piece: dict[str, list[Item]] = {}
    for it in decisions:
        by_piece.setdefault(it.citation.cote or "", []).append(it)
    chefs_at = {a.chefs[0][1].cote: a for a in accused if a.chefs}
    acts: list[Line] = []
    for p in sorted(analysis.pieces, key=lambda p: (p.date is None, p.date or 0, p.cote)):
        if not p.cote.startswith("D"):
            continue
        first_item = next((it for it in items if it.piece is p), None)
        citation = Citation(cote=p.cote, page=1, chunk_id=first_item.citation.chunk_id if first_item and
                            first_item.citation.page == 1 else None, document_id=p.document_id)
        line = act_line(p, pages.get((p.cote, 1), ""), citation) if p.date or p.heading else None
        if line:
            acts.append(line)
            sel.force(line.text)
        person = chefs_at.get(p.cote)
        if person is not None:
            chef = chefs_line(person, pages)
            if chef:
                acts.append(chef)
                sel.force(chef.text)
                by_piece.pop(p.cote, None)  # the chefs say what the mise en examen decided
        acts += _lines(by_piece.pop(p.cote, []), pages)
    for rest in by_piece.values():
        acts += _lines(rest, pages)
    sections.append(PlannedSection("II. Déroulement de l'information", acts))

    # III. what the investigation established without naming a mis en examen: injuries, ITT, traces, seizures
    material = [it for it in items if it.category in ("resultat", "fait") and it.piece
                and it.piece.kind in RESULT_KINDS and _telling(it)
                and not any(a.key and _about(it, a.key) for a in people)]
    sections.append(PlannedSection("III. Discussion — Sur la matérialité des faits",
                                   dated_lines(sel.take(material, 0.1, limit=14, per_piece=2), pages, None,
                                               source_of)))

    contradictions = find_contradictions(analysis.items)
    part = max(0.2, (1 - sel.used / max(1, budget)) / len(people))
    alone = len(people) == 1
    for person in people:
        key, display = person.key, person.display
        others = [o for o in people if o.key != key]
        who = f" — {display}" if display else ""
        # the charges: results about him, testimonies naming him, his own account of the acts
        charges = [it for it in items if it.category in ("resultat", "fait") and it.piece
                   and it.piece.kind in RESULT_KINDS and (not key or _about_him(it, person, others))]
        charges += [it for it in items if it.category == "declaration" and it.person_key != key and (
            not key or _about(it, key) or (alone and it.piece and it.piece.kind in VICTIM_KINDS))
            and not (it.piece and it.piece.kind == "audition_temoin" and _CONFIRMS.search(fold(it.text))
                     and not _mentions_other(it, key, [(o.key, o.display) for o in people]))]
        charges += [it for it in items if key and _own(it, key) and not _self_named(it, key) and (
            it.stance == "reconnaît" or (not it.stance and not _ALIBI.search(fold(it.text))
                                         and not _DENIES.search(fold(it.text)) and (
                _ACTS_TOLD.search(fold(it.text)) or FACT.search(fold(it.text)) or RESULT.search(fold(it.text)))))]
        chefs = person.chefs or [("", Citation(cote=None, page=0))]  # chefs not read: one section
        groups = _assign(charges, chefs)
        for n, ((chef, _), group) in enumerate(zip(chefs, groups, strict=True), 1):
            heading = f"{who} — chef n° {n} : {short_chef(chef)}" if chef else who
            weight = max(0.2, len(group) / max(1, len(charges)))
            chosen = sel.take(group, 0.42 * part * weight, limit=24)
            sections.append(PlannedSection(f"III. Discussion{heading} : éléments à charge",
                                           dated_lines(chosen, pages, named, source_of),
                                           "Éléments à charge à compléter par le magistrat."))
        own = _own_contradictions(contradictions, key) if key else []
        if own:
            variation = [Line(t, c, i) for t, c, i in section_lines(own, int(0.08 * part * budget), pages)]
            for ln in variation:
                sel.force(ln.text, remember=False)
            sections.append(PlannedSection(f"III. Discussion{who} : variations de ses déclarations", variation))
        # à décharge: his denials and his alibi, a witness confirming it, results that weaken a charge
        favour = [it for it in items if key and _own(it, key) and not _self_named(it, key)
                  and it.stance != "reconnaît" and (it.stance == "conteste" or _ALIBI.search(fold(it.text)))]
        favour += [it for it in items if it.piece and it.piece.kind == "audition_temoin" and it.person_key != key
                   and _about(it, key) and _CONFIRMS.search(fold(it.text))]
        favour += [it for it in items if it.category == "resultat" and it.piece and it.piece.kind in RESULT_KINDS
                   and _WEAKENS.search(fold(it.text)) and _FORENSIC.search(fold(it.text))
                   and not _mentions_other(it, key, [(o.key, o.display) for o in people])]
        favour = [it for it in favour if not (it.piece and it.piece.kind in VICTIM_KINDS)]
        sections.append(PlannedSection(f"III. Discussion{who} : éléments à décharge",
                                       dated_lines(sel.take(favour, 0.15 * part, limit=10), pages, named),
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
                                       record + _lines(sel.take(personality, 0.12 * part), pages, None, source_of),
                                       "Éléments de personnalité à compléter."))

    # PAR CES MOTIFS: each person and each chef, then the choice left to the magistrate
    lines: list[Line] = []
    chefs_all: list[str] = []
    for person in people:
        for chef, cite in person.chefs:
            text = f"{person.display} : {chef}." if person.display else f"{chef[:1].upper()}{chef[1:]}."
            if verify(text, [pages.get((cite.cote or "", cite.page), "")], 0.5).status == "supported":
                lines.append(Line(text, [cite]))
                chefs_all.append(chef)
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


# what a decision line is not: the rights it notifies, the time-limit of the information, the acts it asks for
_NOTICE = re.compile(r"droit de|droits|delai previsible|tous actes utiles|requiert en outre|avons avise|avise(?:e)? de"
                     r"|informe(?:e)? de (?:son|ses)|l'avons informe|utiles\b|manifestation de la verite")
# a result that weakens a charge must be a finding (a trace, an analysis, an identification), not any « aucun »
_FORENSIC = re.compile(r"trace|empreinte|adn|profil|analyse|expertise|exploitation|identification|reconnaissance"
                       r"|video|camera|bornage|cellule|temoin")
