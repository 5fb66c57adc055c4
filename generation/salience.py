"""What a magistrate keeps: results, the content of declarations, decisions; and nothing said twice."""
from __future__ import annotations

import re

from core.text import strip_accents
from core.tokens import tokens

_I = re.IGNORECASE
RESULT = re.compile(
    r"correspond|concordan|identi(que|fi)|\bmatch|profil genetique|\badn\b|faed|fnaeg|empreinte|trace papillaire"
    r"|\d+[,.]\d+\s*(mg|g)\s*/\s*l|\bitt\b|incapacite totale|\d+\s*jours? d'itt|contacts?|appels?|sms|borne|bornage"
    r"|cellule|relais|geolocalis|video|camera|images|saisi|scelle|decouv|retrouv|somme de|\d[\d\s]*(€|euros)"
    r"|lesion|ecchymose|hematome|fracture|plaie|strangulation|contusion|petechie|traumatism|deces|autopsie"
    r"|alcool|stupefiant|positif|negatif|taux|analyse|expertise|conclu|compatible|vehicule|immatricul", _I)
DECISION = re.compile(r"mis en examen|mise en examen|mandat de depot|detention provisoire|controle judiciaire"
                      r"|ordonnons|placement sous|place sous|requiert|informer contre|chefs? de|qualifi"
                      r"|obligation|interdiction|assignation|arse|bracelet", _I)
FACT = re.compile(r"\b\d{1,2}\s*h\s*\d{0,2}|\bvers\b|heures?|\ble \d{1,2}\b|hall|domicile|rue|avenue|lieux"
                  r"|frapp|coup|violence|agress|vol[ée]?\b|derob|menac|couteau|arme|bless|serr|etrangl|pousse"
                  r"|cri|fui|parti|arriv|reconnu|vu\b|entendu|victime|auteur|individu", _I)
PERSONALITY = re.compile(r"\bage|ans\b|celibataire|marie|pacse|enfant|vit |domicil|heberg|loge|travaill|emploi"
                         r"|chomage|salaire|revenu|percevoir|euros par mois|contrat|diplome|scolar|alcool|stupefiant"
                         r"|soins|suivi|condamn|casier|mention|neant|sursis|emprisonnement|amende|tribunal"
                         r"|psychiatr|psycholog|discernement|dangerosit|personnalite", _I)
IDENTITY = re.compile(r"je m'appelle|je me nomme|\bne le \d|\bnee le \d|demeurant|domicilie[e]? au"
                      r"|profession\s*:", _I)
FIRST_PERSON = re.compile(r"\b(je|j'|moi|mon|ma|mes|me|m')\b", _I)
# « je ne l'ai pas frappée », « je ne lui ai jamais rien pris »: the words between may carry an elided pronoun
DENIAL = re.compile(r"\b(je (ne|n')\w*(\s+[\w']+){0,3}\s+(pas|jamais|rien|aucun|personne)|je conteste|je nie|ce n'est pas moi"
                    r"|je n'y suis pour rien|elle ment|il ment|c'est faux|je ne reconnais pas|non,)", _I)
ADMISSION = re.compile(r"\b(je reconnais|j'avoue|j'admets|c'est (bien )?moi qui|je regrette|oui,? (je|j'|c'est)"
                       r"|je l'ai (frapp|pouss|tenu|serr|pris|vol)|j'ai (frapp|pouss|pris|vol|serr|tenu|donne un coup))",
                       _I)


def fold(text: str) -> str:
    return strip_accents(text).lower().replace("’", "'")


def category(text: str, piece_kind: str, declared: bool) -> str:
    """fait | resultat | declaration | decision | personnalite | procedure, from the piece type and the words."""
    t = fold(text)
    if piece_kind in ("casier", "personnalite", "expertise_psy"):
        return "personnalite"
    if declared:
        return "declaration"
    if piece_kind in ("ordonnance_detention", "ordonnance_cj", "ordonnance", "requisitoire_introductif") or (
            DECISION.search(t) and piece_kind in ("interrogatoire_premiere", "interrogatoire")):
        return "decision"
    if piece_kind in ("expertise_medicale", "expertise_adn", "faed", "reponse_requisition", "exploitation_telephonie",
                      "requisition", "video",
                      "perquisition", "expertise") or RESULT.search(t) and piece_kind in ("constatations",
                                                                                          "notification_gav"):
        return "resultat"
    if piece_kind in ("plainte", "audition_victime", "audition_temoin", "constatations"):
        return "fait"
    return "procedure" if not RESULT.search(t) else "resultat"


def stance(text: str) -> str:
    """« reconnaît » or « conteste » for a declaration, "" when neither is said."""
    t = fold(text)
    if re.search(r"\b(je reconnais|j'avoue|j'admets)\b", t) and not re.search(r"je ne reconnais", t):
        return "reconnaît"
    if DENIAL.search(t):
        return "conteste"
    if ADMISSION.search(t):
        return "reconnaît"
    return ""


# What the act is for: its conclusion, its decisive result, its decision, an admission or a denial.
DECISIVE = re.compile(
    r"incapacite totale|\bitt\b|taux retenu|identifi|correspond|identique|concordan|conclu|compatible avec|decouv"
    r"|saisi(ssons|e|s)?\b|place(e|s)? sous scelle|borne|cellule|contacts?\b|appels?\b|mis en examen|ordonnons"
    r"|mandat de depot|decernons|rejet|requiert|chefs? de|recidive|condamn|je reconnais|j'avoue|je nie|je conteste"
    r"|n'ai (pas|jamais|rien)|immatricul|interpell|retrouv|fracture|strangul|etrangl|menac|couteau|arme", re.I)
NOISE = re.compile(r"reproduction|annex|ci-joint|ci-dessous|planche photographique|clich[ée]s? \d|^-{3,}|^—\s*$"
                   r"|photographi|recueilli[es]* dans une enveloppe", re.I)


def score(text: str, cat: str) -> float:
    """Higher for what carries the case: results with figures, first-person content, decisions, dated facts."""
    t = fold(text)
    s = {"resultat": 2.0, "declaration": 2.0, "decision": 1.6, "fait": 1.6, "personnalite": 1.4,
         "procedure": 0.4}[cat]
    s += 0.6 * min(3, len(RESULT.findall(t))) + 0.3 * min(3, len(FACT.findall(t)))
    s += 0.4 * min(3, len(re.findall(r"\d+", t)))
    if cat == "declaration":
        s += 0.8 * bool(FIRST_PERSON.search(t)) + 0.8 * bool(stance(text))
    if cat == "decision":
        s += 1.0 * bool(DECISION.search(t))
    if cat == "personnalite":
        s += 0.5 * min(3, len(PERSONALITY.findall(t)))
    s += 1.2 * min(2, len(DECISIVE.findall(t)))
    if NOISE.search(t):
        s -= 1.5
    if IDENTITY.search(t):
        s -= 2.0
    words = len(t.split())
    if words < 6:
        s -= 1.5
    elif words > 70:
        s -= 0.5
    return round(s, 3)


def content_tokens(text: str) -> set[str]:
    return set(tokens(text))


def novel(text: str, kept: list[set[str]], max_overlap: float = 0.6) -> bool:
    """False when most of the sentence's content words were already said by a kept sentence."""
    mine = content_tokens(text)
    if not mine:
        return False
    for other in kept:
        if len(mine & other) / len(mine) >= max_overlap:
            return False
    return True
