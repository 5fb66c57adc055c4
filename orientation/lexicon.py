"""French vocabulary of road-traffic procedures: text folding, numbers written in words, label meanings and the
lexicon that maps form values (« VALIDE — droit à conduire en cours de validité », « Invalidé — solde nul (48SI) »)
to canonical fact values. Pure functions and data; no pattern here mirrors one sentence of any generator."""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from core.text import MONTHS_FR, strip_accents
from orientation.polarity import blank_negated_measures

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-", "‑": "-", "\u00a0": " ",
                         "\u202f": " ", "«": '"', "»": '"', "œ": "o", "Œ": "o"})


def fold(text: str) -> str:
    """Lower case, no accents, unified apostrophes and dashes — one output character per input character, so that
    offsets found in the folded text are offsets in the original text (quotes are cut from the original)."""
    out = []
    for c in text.translate(_QUOTES):
        base = unicodedata.normalize("NFD", c)[0] if ord(c) > 127 else c
        low = base.lower()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


# --- numbers written in words ---------------------------------------------------------------------------------
_UNIT_WORDS = {"zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
               "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
               "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
               "soixante": 60, "septante": 70, "huitante": 80, "octante": 80, "nonante": 90}
NUMBER_WORD = r"(?:zero|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|" \
              r"vingts?|trente|quarante|cinquante|soixante|septante|huitante|octante|nonante|cents?|mille|et)"
WORDS_NUMBER = rf"{NUMBER_WORD}(?:[\s-]+{NUMBER_WORD})*"


def words_value(text: str) -> int | None:
    """'quarante-trois' -> 43, 'deux mille vingt-cinq' -> 2025, 'quatre-vingt-dix-huit' -> 98; None otherwise."""
    tokens = [t for t in re.split(r"[\s-]+", fold(text).strip()) if t and t != "et"]
    if not tokens:
        return None
    total, current = 0, 0
    for i, tok in enumerate(tokens):
        if tok in ("cent", "cents"):
            current = (current or 1) * 100
        elif tok == "mille":
            total += (current or 1) * 1000
            current = 0
        elif tok in _UNIT_WORDS:
            value = _UNIT_WORDS[tok]
            if tok.startswith("vingt") and i > 0 and tokens[i - 1] == "quatre" and current % 100 >= 4:
                current += 80 - 4  # quatre-vingt(s)
            else:
                current += value
        else:
            return None
    return total + current


def words_decimal(integer: str, decimals: str) -> float | None:
    """'zéro', 'quarante-trois' -> 0.43 ; 'zéro', 'zéro cinq' -> 0.05 (leading zéros kept as decimal places)."""
    units = words_value(integer)
    toks = [t for t in re.split(r"[\s-]+", fold(decimals).strip()) if t]
    zeros = 0
    while toks and toks[0] == "zero":
        zeros += 1
        toks.pop(0)
    frac = words_value(" ".join(toks)) if toks else 0
    if units is None or frac is None:
        return None
    digits = len(str(frac)) if frac else 0
    return round(units + frac / 10 ** (digits + zeros), 4)


# --- dates ----------------------------------------------------------------------------------------------------
MONTHS = [strip_accents(m) for m in MONTHS_FR]
MONTH_ALIASES = {"fevr": 2, "fev": 2, "janv": 1, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
                 "aout": 8}
MONTH_RE = r"(?:janvier|janv\.?|fevrier|fevr\.?|fev\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?|aout|septembre|" \
           r"sept\.?|octobre|oct\.?|novembre|nov\.?|decembre|dec\.?)"


def month_number(name: str) -> int | None:
    key = fold(name).rstrip(".")
    if key in MONTHS:
        return MONTHS.index(key) + 1
    return MONTH_ALIASES.get(key)


# --- drugs ----------------------------------------------------------------------------------------------------
# canonical substance -> folded words that name it (laboratory, police or press wording)
SUBSTANCES: dict[str, list[str]] = {
    "cannabis": ["cannabis", "cannabique", "cannabinoide", "thc", "tetrahydrocannabinol", "thc-cooh",
                 "resine de cannabis", "herbe de cannabis", "haschich", "haschisch", "hashish", "shit", "marijuana",
                 "joint", "petard", "cannabinoides", "beuh", "weed", "spliff", "bedo"],
    "cocaine": ["cocaine", "benzoylecgonine", "crack", "coke"],
    "amphetamines": ["amphetamine", "amphetamines", "methamphetamine", "methamphetamines", "amphetaminique", "amphet"],
    "mdma": ["mdma", "ecstasy", "mda", "methylenedioxymethamphetamine", "methylenedioxyamphetamine"],
    "opiates": ["opiace", "opiaces", "opiates", "morphine", "heroine", "6-mam", "codeine", "opioide", "opioides",
                "methadone", "buprenorphine"],
    "other": ["ketamine", "ghb", "gbl", "lsd", "cathinone", "cathinones", "mephedrone", "3-mmc", "protoxyde d'azote",
              "champignons hallucinogenes", "psilocybine"],
}
SUBSTANCE_LABELS_FR = {"cannabis": "cannabis (THC)", "cocaine": "cocaïne", "amphetamines": "amphétamines",
                       "mdma": "MDMA (ecstasy)", "opiates": "opiacés", "other": "autre substance"}
SUBSTANCE_RE = re.compile(r"\b(" + "|".join(sorted({re.escape(w) for ws in SUBSTANCES.values() for w in ws},
                                                   key=len, reverse=True)) + r")s?\b")


def canonical_substance(word: str) -> str | None:
    """Any name of a substance ('THC', 'cannabis (THC)', 'Cocaïne', 'héroïne') -> its canonical name."""
    m = SUBSTANCE_RE.search(fold(word))
    if not m:
        return None
    for canon, words in SUBSTANCES.items():
        if m.group(1) in words:
            return canon
    return None


# --- labelled fields ------------------------------------------------------------------------------------------
# meaning of a form label -> folded label variants (SNPC/FNPC relevé, FVA, tickets, fiches, laboratory reports)
LABELS: dict[str, list[str]] = {
    "licence": ["permis de conduire", "permis", "situation du permis", "situation du titre", "titre", "etat du titre",
                "statut du titre", "validite du titre", "validite du droit a conduire", "statut du permis", "etat du permis",
                "validite du permis", "validite", "droit a conduire", "situation", "statut", "etat",
                "situation administrative", "situation du droit a conduire", "etat du droit a conduire", "snpc", "fnpc",
                "statut du droit a conduire", "situation actuelle", "etat actuel"],
    "licence_measure": ["mesure en cours", "mesures en cours", "mesure administrative", "mesures", "mesure", "motif",
                        "decision", "mesure judiciaire", "mesures administratives", "nature de la mesure"],
    "points": ["solde de points", "solde", "nombre de points", "points", "capital points", "solde actuel",
               "points restants"],
    "probation": ["permis probatoire", "periode probatoire", "probatoire", "jeune conducteur", "fin de periode probatoire",
                  "fin de la periode probatoire"],
    "insurance": ["assurance", "assure", "contrat d'assurance", "resultat fva", "fva", "vehicule assure",
                  "resultat de la consultation fva", "attestation d'assurance", "assureur", "resultat",
                  "assurance du vehicule", "situation assurance", "reponse", "reponse fva"],
    "facts_date": ["date des faits", "date de l'infraction", "date et heure des faits", "date du controle",
                   "date et heure du controle", "faits du", "date de constatation", "date et heure de l'infraction",
                   "date de l'accident", "faits commis le", "date et lieu des faits"],
    "birth": ["date de naissance", "ne le", "nee le", "ne(e) le", "date et lieu de naissance", "naissance"],
    "speed_measured": ["vitesse mesuree", "vitesse enregistree", "vitesse relevee", "vitesse constatee",
                       "vitesse brute", "vitesse"],
    "speed_retained": ["vitesse retenue", "vitesse retenue apres marge", "vitesse apres deduction de la marge",
                       "vitesse corrigee", "vitesse prise en compte"],
    "speed_limit": ["vitesse maximale autorisee", "vitesse autorisee", "vitesse limite autorisee", "limitation",
                    "vma", "vitesse limite", "limitation de vitesse", "vitesse maximale"],
    "itt": ["itt", "incapacite totale de travail", "duree de l'itt", "duree d'itt", "itt au sens penal"],
    "screening_alcohol": ["depistage", "depistage alcool", "depistage de l'alcoolemie", "ethylotest",
                          "resultat du depistage", "depistage alcoolemie", "alcootest", "dae"],
    "screening_drugs": ["depistage stupefiants", "test salivaire", "depistage salivaire", "resultat du test salivaire",
                        "kit salivaire", "depistage des stupefiants", "test de depistage salivaire"],
}


def _label_key(text: str) -> str:
    t = fold(text)
    t = re.sub(r"[^a-z0-9' ]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


@functools.lru_cache(maxsize=4096)
def label_meaning(label: str, min_ratio: float = 0.88) -> str | None:
    """The meaning of a form label, by exact variant, then by the longest variant it contains, then by fuzzy ratio
    (OCR: « Permls de condu1re » still means the licence)."""
    key = _label_key(label)
    if not key or len(key) > 70 or re.search(r"\b(?:derniere|precedente|ancienne|anterieure)\b", key):
        return None
    for meaning, variants in LABELS.items():
        if key in variants:
            return meaning
    best, best_len = None, 0
    padded = f" {key} "  # the key is single-spaced [a-z0-9' ]: a variant as whole words is « f' {v} ' in padded »
    for meaning, variants in LABELS.items():
        for v in variants:
            if len(v) >= 6 and f" {v} " in padded and len(v) > best_len:
                best, best_len = meaning, len(v)
    if best:
        return best
    if min_ratio > 1:
        return None
    best_ratio, best = 0.0, None
    for meaning, variants in LABELS.items():
        for v in variants:
            if len(v) < 5 or abs(len(v) - len(key)) > 0.35 * len(v):
                continue
            sm = difflib.SequenceMatcher(None, key, v)
            if sm.real_quick_ratio() >= min_ratio and sm.quick_ratio() >= min_ratio and sm.ratio() > best_ratio:
                best_ratio, best = sm.ratio(), meaning
    return best if best_ratio >= min_ratio else None


# licence value lexicon (folded form value -> status), most specific first
LICENCE_VALUES: list[tuple[str, str]] = [
    ("invalidated", r"invalid|solde (de points )?(nul|a zero|= ?0)|48 ?s[il1]\b|perte totale (des|de ses) points|"
                    r"points? : ?0\b|0 point|zero point|capital (de )?points? (nul|epuise)|plus aucun point"),
    ("annulled", r"annul"),
    ("suspended", r"suspen"),
    ("never_held", r"aucun permis|aucun dossier|aucun titre|titulaire d'aucun|neant|non titulaire|"
                   r"jamais (ete )?(titulaire|obtenu|passe)|inconnu (au|du) fichier|"
                   r"pas de permis|sans permis|n'est pas titulaire|defaut de permis|non detenteur"),
    ("valid", r"valide|validite|en cours de validite|droit a conduire|actif|en regle|titulaire"),
]


MEASURE_VALUES = [("invalidated", r"invalid|solde (de points )?nul|48 ?s[il1]\b|perte totale"), ("annulled", r"annul"),
                  ("suspended", r"suspen|susp\b")]


def measure_value(value: str) -> str | None:
    """A licence measure (« Mesure : SUSP. ADMIN. 6 MOIS », « Motif : suspension judiciaire »); « Néant » says nothing
    about the licence itself."""
    v = fold(value)
    for status, pattern in MEASURE_VALUES:
        if re.search(pattern, v):
            return status
    return None


def licence_value(value: str) -> str | None:
    v = blank_negated_measures(fold(value))  # « valide (pas de suspension ni d'annulation en cours) » is valid
    if re.search(r"\bnon valide\b|\binvalide\b|\bpas valide\b", v):
        return "invalidated" if re.search(r"invalid|solde|48", v) else None
    for status, pattern in LICENCE_VALUES:
        if re.search(pattern, v):
            return status
    return None


YES = r"^(oui|yes|o|x|ok|positif|positive|en cours|vrai)\b"
NO = r"^(non|no|n|neant|negatif|negative|aucun|aucune|sans objet|faux|termine|terminee|expire|expiree|echu|echue)\b"


def yes_no(value: str) -> bool | None:
    v = fold(value).strip(" .:-")
    if re.search(YES, v):
        return True
    if re.search(NO, v):
        return False
    return None
