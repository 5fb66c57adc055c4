"""What a question asks for: the expected answer type, its content words, the people and pieces it names.

Pure functions over French text; the answer engine (generation/answer.py) uses them to find, in the dossier's
sentences, a span of the expected type about the right person, or to abstain.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.text import normalize_for_match, words_to_int
from core.tokens import tokens

# Expected answer types, with the French label shown to the magistrate.
KIND_LABELS = {
    "amount": "montant", "count": "nombre", "date": "date", "time": "heure", "duration": "durée",
    "itt": "durée d'ITT", "person": "personne", "place": "lieu", "plate": "immatriculation",
    "phone": "numéro de téléphone", "weight": "poids ou quantité", "breath": "taux d'alcool dans l'air expiré",
    "blood": "taux d'alcool dans le sang", "alcohol": "taux d'alcoolémie", "speed": "vitesse", "age": "âge",
    "penalty": "peine", "yesno": "oui ou non", "free": "réponse libre", "ident": "numéro de référence",
    "profession": "profession", "percent": "taux ou pourcentage", "seal": "scellé", "imei": "numéro IMEI",
}

_NUM_WORDS = (r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|"
              r"vingt|trente|quarante|cinquante|soixante|cent|cents|mille|plusieurs|quelques|aucun|aucune|une dizaine|"
              r"une vingtaine|une quinzaine|une trentaine|une centaine)")
# « 35 (trente-cinq) jours » and « douze (12) jours »: the number repeated in the other form is part of it
_NUM = (rf"(?:\d+(?:[ \u202f\xa0.]\d{{3}})*(?:[.,]\d+)?(?: \([a-z -]{{3,40}}\))?|"
        rf"{_NUM_WORDS}(?:[- ](?:et[- ])?{_NUM_WORDS})*(?: \(\d+\))?)")
_SUBSTANCES = (r"resine|cannabis|herbe|cocaine|heroine|crack|ecstasy|mdma|amphetamine|stupefiants?|drogue|"
               r"produits? stupefiants?|shit|marijuana|ketamine|methamphetamine")
_MONTHS = r"(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)"

# Span patterns run on normalize_for_match(text) (lower case, no accents, "06 h 15" -> "06h15", plates joined).
SPAN_PATTERNS: dict[str, str] = {
    "amount": rf"\b{_NUM}\s*(?:euros?|eur\b|€)",
    # « 2/26/0019 » in « JI/2/26/0019 » is a reference: a day up to 31, a month up to 12, nothing glued before
    "date": rf"\b(?:\d{{1,2}}(?:er)?\s+{_MONTHS}(?:\s+\d{{4}})?|(?<![/\w.-])(?:0?[1-9]|[12]\d|3[01])[/.]"
            rf"(?:0?[1-9]|1[0-2])[/.](?:\d{{4}}|\d{{2}})(?![/\d]))\b",
    "time": r"\b(?:[01]?\d|2[0-3])h(?:[0-5]\d)?\b|\b(?:[01]?\d|2[0-3]) heures(?: [0-5]\d)?\b|\b(?:[01]?\d|2[0-3]):[0-5]\d\b",
    "duration": rf"\b{_NUM}\s+(?:jours?|mois|ans|annees?|semaines?|heures?|minutes?)\b",
    "itt": rf"\b{_NUM}\s+jours?\b",
    "plate": r"\b[a-z]{2}\d{3}[a-z]{2}\b",
    "phone": r"(?:\+33\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b",
    "breath": rf"\b{_NUM}\s*(?:mg|milligrammes?)\s*(?:/|par)\s*(?:l\b|litre)",
    "blood": rf"\b{_NUM}\s*(?:g|grammes?)\s*(?:/|par)\s*(?:l\b|litre)",
    "speed": rf"\b{_NUM}\s*km/h",
    "percent": r"\b\d+(?:[.,]\d+)?\s*%",
    # « scellé n° 3 », « scellé CHAOUI n° 3 », « scellé BERTHOLLET-DEUX », « sous scellé n° UN »
    "seal": r"\bscelles? (?:[a-z]+ )?(?:n° ?|no |numero )?(?:\d+\b|(?:[a-z]+-)?(?:un|deux|trois|quatre|cinq|six|sept|"
            r"huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize)\b)",
    "imei": r"\bimei\s*:?\s*(?:n° ?)?\d[\d ]{12,20}\d",
    # a weight of a substance (« 1,2 kg de résine », « 1 148 grammes »), never a rate per litre
    "weight": rf"\b{_NUM}\s*(?:kg|kilos?|kilogrammes?|g|grammes?|mg|milligrammes?)\b(?!\s*(?:/|par)\s*(?:l\b|litre))",
    "age": rf"\b{_NUM}\s+ans\b",
    # « écrou n° 2026-01187 », « scellé n° 3 », « PV n° 2026/000417/10 »: what follows the number sign
    "ident": r"(?<=n° )[a-z]{0,4}\d[\w/.-]*\d\b|(?<=n° )\d\b|(?<=numero )[a-z]{0,4}\d[\w/.-]*",
    "penalty": rf"\b{_NUM}\s+(?:mois|ans)\s+d'emprisonnement|\bemprisonnement\b|\bamende\b|\bsursis\b|"
               r"\btravail d'interet general\b|\breclusion\b|\brelaxe\b|\bdispense de peine\b",
    "count": rf"\bnombre d(?:e |')[a-z'-]+(?: [a-z'-]+)?\s*:\s*\d+|"
             rf"\b{_NUM}\s+(?!euros?\b|peu\b|heures?\b|h\b|km\b|mg\b|ans\b|mois\b|jours?\b)[a-z][a-z'-]+|\bneant\b|\b0\b",
    "establishment": r"\b(?:maison d'arret|centre penitentiaire|centre de detention|etablissement penitentiaire|"
                     r"maison centrale|centre de semi-liberte)(?: (?:de la |de l'|de |du |d')[a-z'-]+(?:-[a-z'-]+)*)?",
    "address": r"\b\d+(?: bis| ter)?,? (?:rue|avenue|allee|route|boulevard|chemin|impasse|place|quai|residence|cite|"
               r"square|cours|passage|villa|hameau|lotissement|lieu-dit)(?: [a-z'-]+){1,5}",
    "place": r"\b\d+(?: bis| ter)?,? (?:rue|avenue|allee|route|boulevard|chemin|impasse|place|quai)(?: [a-z'-]+){1,5}|"
             r"\b(?:maison d'arret|centre penitentiaire|centre de detention|quartier|prison|domicile|parking|"
             r"commissariat|gendarmerie|hopital|rue|avenue|allee|route|boulevard|chemin|impasse|place|quai|"
             r"residence|appartement|magasin|bar|gare|station|ville)\b|\b(?:a|au|aux|dans|sur|chez|devant|pres de)"
             r" (?:l'|la |le |les )?[a-z][a-z'-]+(?:-[a-z]+)*",
}
# Person names: "Prénom NOM", "M./Mme/Maître NOM", "NOM Prénom", run on the original text.
_PERSON = re.compile(r"\b[A-ZÀ-Ý]{2}[A-ZÀ-Ý'\-]+\s+[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?"
                     r"(?=\s*[,|;\t]|\s+n[ée]e?\b| {2,}|\s*$)|"
                     r"\b(?:(?:M\.|Mme|Mlle|Me|Maître|Monsieur|Madame|Docteur|Dr)\s+)?"
                     r"(?:[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\s+)?[A-ZÀ-Ý]{2}[A-ZÀ-Ý'\-]+(?:\s+[A-ZÀ-Ý]{2}[A-ZÀ-Ý'\-]+)?"
                     r"|\b(?:M\.|Mme|Mlle|Me|Maître|Monsieur|Madame)\s+[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?")
_NOT_NAMES = {"PV", "ITT", "TGI", "TJ", "SPIP", "JLD", "CPP", "SIM", "ADN", "RSA", "FVA", "FNPC", "SRIJ", "OPJ", "APJ",
              "TIG", "GAV", "RG", "N°", "NEANT", "NÉANT", "CRPC", "COPJ", "UMJ", "BAC", "SDPJ", "IMEI", "FAED"}
_SHOUTED_HEAD = re.compile(r"^[^a-zà-ÿ]{12,}$")

# Role words a question may name as the owner of what it asks about; each maps to words that show it in a text.
ROLES: dict[str, tuple[str, ...]] = {
    "juge": ("juge", "magistrat instructeur"), "avocat": ("avocat", "maitre", "me "),
    "victime": ("victime", "plaignant", "plainte", "partie civile", "lese", "certificat medical", "medico", "umj",
                "urgences"),
    "temoin": ("temoin",), "expert": ("expert",), "enqueteur": ("enqueteur", "officier", "agent", "brigadier"),
    "greffier": ("greffier",), "procureur": ("procureur", "parquet", "substitut"),
    "complice": ("complice", "coauteur", "co-auteur"), "mere": ("mere",), "pere": ("pere",),
    "compagne": ("compagne", "concubine", "epouse"), "compagnon": ("compagnon", "concubin", "epoux", "mari"),
    "enfant": ("enfant", "mineur", "fils", "fille"),
    "conducteur": ("conducteur", "conductrice", "automobiliste"), "medecin": ("medecin", "docteur", "dr "),
}
_SUSPECT_ROLES = ("mis en cause", "mis en examen", "mise en examen", "mise en cause", "suspect", "prevenu",
                  "interesse", "garde a vue", "interpelle")
_QUESTION_WORDS = {"quel", "quell", "quelle", "quelles", "quels", "combien", "quand", "comment", "pourquoi", "qui",
                   "ou", "est", "ce", "que", "qu", "quoi", "lequel", "laquelle", "t", "il", "elle", "on", "ils", "a",
                   "dossier", "procedure", "fait", "effectu", "indiqu", "mentionn", "precis", "ete", "etait", "exist"}
_GENERIC_HEADS = {"objet", "chose", "element", "fait", "inform", "natur", "resultat", "suit", "decis", "ete", "etait",
                  "nombr", "nom", "numero", "dat", "heur", "jour", "montant", "somm", "valeur", "lieu", "adress",
                  "ident", "etabl", "taux", "durer", "peine", "age"}
# Words a sentence may use for a category the question names (« quelles blessures » -> « contusion »).
HYPONYMS: dict[str, tuple[str, ...]] = {
    "bless": ("contusion", "plaie", "fracture", "hematome", "ecchymose", "lesion", "entorse", "brulure", "trauma",
              "douleur", "itt"),
    "vet": ("veste", "blouson", "pantalon", "casquette", "capuche", "pull", "sweat", "manteau", "chaussure",
            "jogging", "survetement", "gant", "bonnet", "tee-shirt", "chemise", "vetement"),
    "vetement": ("veste", "blouson", "pantalon", "casquette", "capuche", "pull", "sweat", "manteau", "chaussure",
                 "jogging", "gant", "bonnet", "vetement"),
    "arme": ("couteau", "pistolet", "revolver", "fusil", "batte", "barre", "cutter", "arme", "matraque", "bombe"),
    "vehicul": ("voiture", "vehicule", "scooter", "moto", "camion", "renault", "peugeot", "citroen", "clio", "fourgon"),
    "stupefi": ("cannabis", "cocaine", "heroine", "resine", "herbe", "ecstasy", "mdma", "stupefiant", "drogue"),
    "drogu": ("cannabis", "cocaine", "heroine", "resine", "herbe", "stupefiant", "drogue"),
    "infract": ("vol", "recel", "violence", "escroquerie", "meurtre", "viol", "trafic", "chef", "delit", "infraction"),
    "chef": ("vol", "recel", "violence", "escroquerie", "chef", "delit", "infraction", "mis en examen"),
    "emploi": ("travaille", "emploi", "chomage", "salarie", "profession", "metier", "contrat", "sans activite"),
    "profess": ("travaille", "emploi", "profession", "metier", "comme", "salarie", "sans emploi"),
    "peine": ("emprisonnement", "amende", "sursis", "mois", "ans", "travail d'interet"),
    # « avec quelles personnes »: people are named (« Mme X, M. Y »)
    "person": ("mme", "monsieur", "madame", "m.", "mlle", "personne", "individu"),
}


# Verbs and nouns a question and a statement use for the same fact (« dérobées » / « on m'a pris »).
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("derob", "vol", "pris", "prend", "emport", "subtilis", "arrach", "soustrai", "cambriol"),
    ("frapp", "coup", "agress", "violenc", "bouscul", "tabass", "battu", "cogn"),
    ("vu", "voir", "aperc", "observ", "remarqu", "vus", "vue"),
    ("decouv", "trouv", "saisi", "retrouv", "decouvr"),
    ("interpel", "arrestation", "apprehend"),
    ("reconn", "avou", "admet", "admis"),
    ("ecrou", "incarcer", "detenu", "detention", "maison d'arret"),
    ("emploi", "travail", "profess", "metier", "chomag", "activite"),
    ("domicil", "demeur", "habit", "reside", "vit ", "heberg", "adress"),
    ("victim", "plaign", "partie civil", "lese"),
    ("revend", "vend", "cede", "ecoul"),
    ("agress", "frapp", "bouscul", "attaqu", "violent"),
    # the acronyms of a procedure and their words
    ("itt", "incapacite totale"), ("gav", "garde a vue"), ("jld", "juge des libertes"),
    ("controle judiciaire", "cj"), ("ipc", "premiere comparution"), ("faed", "empreint", "dactylo", "papillair"),
    ("casier", "bulletin n 1", "b1", "condamnation", "antecedent"), ("adn", "genetiq"), ("siv", "immatricul", "plaque"),
    ("telephon", "ligne", "portable", "joignable"), ("montant", "somme", "euros", "valeur"),
    ("naissanc", "ne le", "nee le", "ne en", "nee en", "ne a", "nee a"), ("decid", "ordonn", "rejet", "accord", "statu",
                                                                         "decision", "dison"),
    ("detenu", "ecrou", "incarcer", "maison d'arret", "centre penitentiaire", "detention"),
    ("penitentiair", "maison d'arret", "centre penitentiaire", "centre de detention", "prison"),
    ("saisi", "scelle", "decouv", "trouv"), ("audienc", "comparution", "jugement"),
    ("motif", "objectif", "raison", "fondement", "justifi"),
    ("appartien", "identifie", "correspond", "attribu", "au nom de", "titulaire"),
    ("utilis", "se sert", "sert de", "se servait", "servait", "usage"),
    ("espec", "liquide", "numeraire", "billets", "somme", "argent"),
    ("redev", "dette", "doit ", "devait", "du a "), ("ecout", "intercept", "communication", "transcri"),
    ("remuner", "pay", "salair", "touch", "gagn"),
    ("rentr", "arriv", "revenu", "retour"), ("pointer", "pointage", "present"), ("quitt", "parti", "repart", "depart", "sorti"),
)


_MONEY_NOUNS = {"especes", "argent", "liquide", "numeraire", "cash", "billets"}
_THING_SKIP = {"fait", "faits", "ce", "cette", "cet", "la", "le", "l", "son", "sa", "ses", "leur", "garde", "total",
               "telephone", "objet", "objets", "chose", "choses", "bien", "biens", "element", "elements"}
_MONTH_NUMBER = {m: i for i, m in enumerate(["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                                              "septembre", "octobre", "novembre", "decembre"], start=1)}


def dates_in(text: str) -> set[tuple[int, int, int | None]]:
    """Dates of a text as (day, month, year or None): « 15 novembre 2023 » and « 15/11/2023 » are the same."""
    # a scan reads « 1er » as « ler » or « Ier »: the first of the month all the same
    norm = re.sub(rf"\b(?:ler|ier|l|i)(?= {_MONTHS}\b)", "1er", _norm(text))
    out: set[tuple[int, int, int | None]] = set()
    for d, m, y in re.findall(rf"\b(\d{{1,2}})(?:er)? ({_MONTHS})(?: (\d{{4}}))?", norm):
        out.add((int(d), _MONTH_NUMBER[m], int(y) if y else None))
    for d, m, y in re.findall(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b", norm):
        year = int(y) + (2000 if len(y) == 2 else 0)
        if 1 <= int(m) <= 12:
            out.add((int(d), int(m), year))
    return out


def same_date(wanted: tuple[int, int, int | None], found: set[tuple[int, int, int | None]]) -> bool:
    return any(wanted[:2] == f[:2] and (wanted[2] is None or f[2] is None or wanted[2] == f[2]) for f in found)


@dataclass
class QuestionFrame:
    """The question as the answer engine needs it."""

    text: str
    kind: str
    content: list[str]           # stemmed content words, question words removed
    names: set[str] = field(default_factory=set)       # normalised proper names the question mentions
    cotes: set[str] = field(default_factory=set)       # pieces named in the question (« D19 », « B1 »)
    owner: str | None = None     # whose attribute is asked (« juge », « victime », a name)
    owner_terms: tuple[str, ...] = ()  # words one of which must appear where the answer is stated
    head: str | None = None      # the category asked about in a free question (« marque », « blessures »)
    count_noun: str | None = None  # « combien de MONTRES »
    date_and_time: bool = False  # « quand » accepts a date, a time or both
    role_words: set[str] = field(default_factory=set)  # « le mis en cause », « les faits »: weigh little
    things: list[str] = field(default_factory=list)  # « la date de L'AUDIENCE »: must be in the sentence
    event: list[str] = field(default_factory=list)  # « devant le TRIBUNAL »: in the sentence, not the page header
    roles: set[str] = field(default_factory=set)       # « selon la victime », « le voisin dit-il »
    quoted: set[str] = field(default_factory=set)      # « prénommé « Sami » »
    identifiers: set[str] = field(default_factory=set)  # phone numbers and plates the question names
    dates: set[tuple[int, int, int | None]] = field(default_factory=set)  # dates the question names
    focus: str | None = None     # the verb of « qu'a-t-on découvert » : what the answer must be about
    speaker: Speaker | None = None  # « selon son frère », « le témoin TIXIER a-t-il vu »: whose words answer
    stages: set[str] = field(default_factory=set)  # « en garde à vue », « devant la juge »: piece kinds asked
    asks_result: bool = False    # « quel est le résultat », « qu'a conclu l'expert »: the findings, not the mission
    act: set[str] = field(default_factory=set)  # « quand la perquisition a-t-elle eu lieu »: the act's piece kinds
    event_words: list[str] = field(default_factory=list)  # « prolongée », « levée »: the event a date belongs to
    pieces: set[str] = field(default_factory=set)  # « l'expertise psychiatrique de X », « son casier »: kinds named
    authority: str | None = None  # « qu'a décidé la chambre de l'instruction »: who must have issued the decision
    order: list[str] = field(default_factory=list)  # « l'ordonnance de RÈGLEMENT »: the order the answer must be


@dataclass
class Speaker:
    """Who must be saying the answer: surnames (with first names when given) and/or a role (« victime »)."""

    names: dict[str, str | None] = field(default_factory=dict)  # surname key -> first name key or None
    roles: set[str] = field(default_factory=set)
    first_names: set[str] = field(default_factory=set)  # « l'enfant Noah »: known by a first name only


def _norm(text: str) -> str:
    return normalize_for_match(text).replace("’", "'")


def expected_kind(question: str) -> str:
    """The type of answer a French question expects (see KIND_LABELS)."""
    q = _norm(question)
    lead = _leading_kind(q)
    if lead:
        return lead
    if _is_yes_no(question, q):  # « Lors de la confrontation, X maintient-il l'heure … ? » decides, it asks no time
        return "yesno"
    if re.search(r"\bquel(?:le)? (?:est|etait) (?:la |sa |son )?(?:profession|metier|activite professionnelle)|"
                 r"\bquel(?:le)? (?:profession|metier) (?:exerce|a)|\bque fait\b.*\bdans la vie\b", q):
        return "profession"
    if re.search(r"\b(?:quel|sous quel|dans quel|sous lequel|quel est le|le) (?:numero de )?scelles?\b|"
                 r"\bnumeros? (?:d'|de |du )scelle", q):
        return "seal"  # « sous quel scellé », « le numéro de scellé »: the seal that holds it
    if re.search(r"\bimei\b", q):
        return "imei"
    if re.search(r"\bvrai nom\b|\bveritable (?:nom|identite)\b|\bnom de famille\b|\bidentite civile\b|\bnom reel\b", q):
        return "person"  # « le vrai nom de « Doudou » »: a person the dossier would name
    if re.search(r"\bnumeros? (?:d'|de |du )(?:l'|la )?(?:ecrou|scelle|proces-verbal|pv|procedure|instruction|parquet|"
                 r"serie|imei|dossier|plainte|affaire|rapport|requisition|contrat|compte|siret|permis|passeport)", q):
        return "ident"  # « le numéro d'écrou », « le numéro de procédure »: a reference, not a phone number
    device = re.search(r"\b(?:quel|quels|le|les|un|des) (?:telephones?|portables?)\b(?! (?:de |d'|du |des |personnel|"
                       r"professionnel|fixe))", q) and "numero" not in q  # « quel téléphone a été saisi »: a device
    if re.search(r"telephone|numero de (?:la )?ligne|ligne telephonique|joignable|portable de", q) and not device:
        return "phone"
    if re.search(r"immatricul|\bplaques?\b(?! de (?:resine|cannabis|chocolat|shit))", q):
        return "plate"
    if re.search(r"\bquel(?:le)? (?:est le |a ete le )?total\b", q):  # « pour quel total »: a sum, or a count
        return "amount" if re.search(r"espece|argent|euro|liquide|numeraire|somme|versement|depot|virement|paye", q) \
            else "count"
    if re.search(r"\bitt\b|incapacite totale", q):
        return "itt"
    if re.search(r"\btaux (?:de |d')?(?:thc|purete|cocaine|principe)|\bteneur\b|\bpurete\b|\bpourcentage\b|"
                 r"\bconcentration\b(?! (?:d'alcool|alcool))", q):
        return "percent"  # « le taux de THC », « la teneur en cocaïne »: a percentage
    if re.search(r"alcool|ethylom|\btaux\b|imbib|impregnation", q):
        if re.search(r"\bsang\b|g/l|grammes?|prise de sang|sanguin", q):
            return "blood"
        if re.search(r"air expire|mg/l|milligramme|ethylom|souffl|expir", q):
            return "breath"
        return "alcohol"
    if re.search(r"vitesse|km/h", q):
        return "speed"
    if re.search(r"\bpoids\b|\bpes(?:e|ee|ees|es|age|ait)\b|\bmasses? (?:nette|brute)|"
                 r"combien de (?:grammes|kilos|kilogrammes|kg)\b|"
                 rf"quelle quantite (?:de |d')(?:(?:la |l')?(?:{_SUBSTANCES})|produit|drogue)", q):
        return "weight"
    if re.search(r"quel age|\bage\b|\bage de\b|\bages?\b", q) and not re.search(r"\bpage\b", q):
        return "age"
    if re.search(r"combien de temps|quelle duree|pendant combien|depuis combien|duree de", q):
        return "duration"
    if re.search(r"quel(?:le)? (?:est la |a ete la )?peine|quelles? peines?|condamne a quoi|a quoi .* condamne", q):
        return "penalty"
    m = re.search(r"combien (?:de |d')(\w+)", q) or re.search(
        r"^(?:quel (?:est|etait|a ete) le )?nombre (?:total )?(?:de |d')(\w+)", q)
    if m and m.group(1) in _MONEY_NOUNS:
        return "amount"  # « combien d'espèces », « combien d'argent liquide »: a sum
    if m and m.group(1) not in ("euros", "argent"):
        if m.group(1) in ("jours", "mois", "ans", "annees", "semaines", "heures", "minutes", "temps"):
            return "duration"
        return "count"
    if re.search(r"montant|quelle somme|\bsomme\b|valeur|prix|prejudice|\bcout|combien .*(?:euros?|argent)|"
                 r"\bremuner|\bsalaires?\b|\brevenus? (?:mensuels?|journaliers?|annuels?|declares?)|\bquels? revenus?\b|"
                 r"\bcombien (?:contenai|contien|conten|represent|s'elev)|"
                 r"combien (?:a-t-il|a-t-elle|avez-vous|ont-ils|a-t-on)? ?(?:\w+ ){0,4}(?:retir|gagn|touch|percev|"
                 r"percoi|pay|vers|rapport|tir|vol|derob|remis|prete|dep|rembours|recu|obten|vendu|revend|"
                 r"coute|vaut|estim|declar)", q):
        return "amount"
    if "combien" in q:
        return "amount" if re.search(r"euro|argent|pay|vers|gagn|percev|percoi|retir", q) else "count"
    if re.search(r"a quelle heure|quelle heure|\bheure\b", q):
        return "time"
    if re.search(r"\bquand\b|quel jour|quelle date|a quelle date|date de|\bla date d|depuis quand|\ben quelle annee", q):
        return "date"
    if re.search(r"\b(?:a|par|de|avec|pour|chez|contre|sur) qui\b|^qui\b|\bqui (?:est|a|sont|etait|avait)\b|"
                 r"quel est le nom|quelle personne|au nom de qui|l'identite|qui\b|"
                 r"\bquel(?:le)? (?:est|etait) (?:le |la |l')?(?:titulaire|utilisat\w+|abonnee?|proprietaire|auteur|"
                 r"locataire|conducteur|conductrice)s?\b", q):
        return "person"
    # « où » keeps its accent in the original: « condamné pour des violences sur conjoint ou concubin » asks no place
    where = bool(re.search(r"(?<!\w)o[ùÙ](?!\w)", question)) or not re.search(r"[à-ÿ]", question)
    if (where and re.search(r"\bou (?:habite|reside|vit)\b|\bou (?:a|est|se|sont|etait|ont|l'|le |la |les )|"
                            r"\bou\b.*\?", q)) or re.search(
                 r"^ou\b|\bd'ou\b|\badresse\b|\bdomicilie|\bdemeur|quel lieu|quelle adresse|"
                 r"quel etablissement|dans quel(?:le)? (?:etablissement|ville|lieu|prison|maison|commune|quartier)|"
                 r"quelle ville|a quel endroit|quel endroit|quelle commune|ecroue|incarcere", q):
        return "place"
    if _is_yes_no(question, q):
        return "yesno"
    return "free"


def _is_yes_no(question: str, q: str) -> bool:
    """A closed question: an inverted verb (« a-t-il », « maintient-elle », « est-ce que ») and no interrogative
    word; « ou » without its accent is the conjunction (« sur conjoint ou concubin »)."""
    where = bool(re.search(r"(?<!\w)o[ùÙ](?!\w)", question)) or not re.search(r"[à-ÿ]", question)
    bare = re.sub(r"^[^,?]{3,80}, (?=[^,?]*\b\w+-(?:t-)?(?:il|elle|ils|elles|on)\b)", "", q)  # « En garde à vue, … »
    m = re.search(r"^(?:est-ce que|est-ce qu'|y a-t-il|a-t-il|a-t-elle|existe-t-il)|"
                  r"^[^,?]*\b\w+-(?:t-)?(?:il|elle|ils|elles|on)\b", bare)
    if not m:
        return False
    # before the inverted verb any interrogative opens the question; after it, « que » / « qui » are conjunctions
    # and relatives (« maintient-il que ce n'est pas lui »), only « quel » / « combien » still ask for a value
    head, tail = q[:len(q) - len(bare) + m.end()], bare[m.end():]
    return not re.search(r"(?:^|\b)(?:quel|quelle|quels|quelles|que|qu'|comment|pourquoi|lequel|laquelle|qui|quoi|"
                         r"quand|combien)\b", head) and not re.search(r"\b(?:quels?|quelles?|combien)\b", tail) \
        and not (where and re.search(r"\bou\b", head))


def _leading_kind(q: str) -> str | None:
    """The interrogative the question opens with decides first (« À qui est attribuée la ligne… » asks a person),
    after a circumstance set before it (« Le 6 février, à quelles heures … », « En garde à vue, qui … »)."""
    q = re.sub(r"^(?:selon [^,]+, |d'apres [^,]+, |dans (?:la piece |le )?[a-d]\d+, )", "", q)
    q = re.sub(r"^[^,?]{3,80}, (?=(?:a|par|de|avec|pour|chez|vers|en)? ?(?:qui|ou|quand|quel|quelle|quels|quelles|"
               r"combien|depuis)\b)", "", q)
    q = re.sub(r"^(a |vers )?quelles heures\b", r"\1quelle heure", q)
    if re.match(r"(?:(?:a|par|de|avec|pour|chez|contre|sur|aupres de) )?qui\b", q) or q.startswith("au nom de qui"):
        return "person"
    if re.match(r"(?:ou|d'ou|par ou)\b", q):
        return "place"
    if re.match(r"(?:a quelle heure|vers quelle heure|quelle heure)\b", q):
        return "time"
    if re.match(r"(?:quand|depuis quand|a quelle date|quel jour|en quelle annee)\b", q):
        return "date"
    return None


def person_names(text: str) -> list[str]:
    """Person-like names in the original text (« Sofia BROUILLAC », « M. FAURE »), longest first, normalised."""
    out = []
    for m in _PERSON.finditer(text):
        raw = m.group(0).strip()
        caps = [w for w in re.findall(r"[A-ZÀ-Ý][A-ZÀ-Ý'\-]+", raw) if len(w) > 2]
        if caps and all(w in _NOT_NAMES for w in caps):
            continue
        if _SHOUTED_HEAD.match(text.strip()) and not re.search(r"\b(?:M\.|Mme|Maître)\s", raw):
            continue  # an all-capitals heading (« BULLETIN N° 1 DU CASIER ») is not a name
        if len(caps) >= 3 and not re.search(r"[a-zà-ÿ]", raw):
            continue  # three capitalised words in a row: a heading, not a person
        out.append(raw)
    return out


def name_keys(text: str) -> set[str]:
    """Normalised surname-like tokens of the names a text mentions (what an entity match compares)."""
    keys = set()
    for raw in person_names(text):
        for w in re.findall(r"[A-ZÀ-Ý][A-ZÀ-Ý'\-]{2,}|(?<=\bM\. )[A-ZÀ-Ý][a-zà-ÿ]+|(?<=\bMme )[A-ZÀ-Ý][a-zà-ÿ]+", raw):
            if w not in _NOT_NAMES:
                keys.add(_norm(w))
    return keys


def _owner(question: str, kind: str) -> tuple[str | None, tuple[str, ...]]:
    """Whose phone / age / ITT / rate / birth date the question asks for, and the words that would show it."""
    q = _norm(question)
    attribute = (r"(?:numero de telephone|telephone|numero|ligne|portable|age|date de naissance|adresse|taux|alcoolemie|"
                 r"itt|incapacite totale de travail|profession|emploi|domicile|nom|identite|vehicule|voiture)")
    m = re.search(attribute + r"\b(?: \w+){0,5}? (?:de la |de l'|du |des |de |d'|pour (?:l'|le |la |les )?)(.+?)(?:\s*\?|$)", q)
    if not m:
        return None, ()
    phrase = m.group(1)
    phrase = re.split(r"\s+(?:lors|au moment|pendant|dans|en|le jour|apres|avant|a la suite|selon|au cours)\b", phrase)[0]
    full = [re.sub(r"^(?:mme|mlle|m\.|monsieur|madame|me|maitre|docteur|dr)\s+", "", _norm(n))
            for n in person_names(question) if re.match(r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)? [A-ZÀ-Ý]{2}", n)]
    names = tuple(f for f in full if f in phrase) or tuple(n for n in name_keys(question) if n in phrase)
    for role, shows in ROLES.items():
        m_role = re.match(rf"(?:l'|le |la |les )?{role}s?\b(.*)", phrase)
        if m_role:  # « du témoin Lucien FAURE » names the witness; « de l'avocat de M. X » does not name the lawyer
            rest = m_role.group(1)
            apposed = () if re.match(r"\s*(?:de|du|des|d')\b", rest) else tuple(n for n in names if n in rest)
            return role, shows + apposed
    if re.match(r"(?:l'|le |la )?(?:" + "|".join(_SUSPECT_ROLES) + ")", phrase):
        return "suspect", ()
    if names:
        return names[0], names
    # « de Mehdi »: a person the dossier knows by a first name only
    first = re.search(r"\b(?:de|d'|du nomme|de la nommee)\s*([A-ZÀ-Ý][a-zà-ÿ]{2,})\b(?!\s+[A-ZÀ-Ý]{2})", question)
    if first and _norm(first.group(1)) in phrase and _norm(first.group(1)) not in ROLES:
        return _norm(first.group(1)), (_norm(first.group(1)),)
    return None, ()


# Verbs of saying or perceiving: the question asks what somebody stated (« a-t-il vu », « dit-elle », « a reconnu »).
_SPEECH = (r"(?:dit|dire|disent|declar\w*|racont\w*|expliqu\w*|affirm\w*|reconn\w*|ni(?:e|er|ent)|avou\w*|"
           r"contest\w*|admet\w*|admis|pretend\w*|soutien\w*|relat\w*|precis\w*|vus?|vue|voir|relev\w*|entend\w*|"
           r"apercu\w*|remarqu\w*|observ\w*|decri\w*|evoqu\w*|mentionn\w*|confirm\w*|maintien\w*|situ\w*|"
           r"indiqu\w*|assur\w*|accus\w*|design\w*|identifi\w*|reproch\w*|conclu\w*)")
SPEAKER_ROLES = ("victime", "temoin", "voisin", "voisine", "frere", "soeur", "mere", "pere", "enfant", "fils", "fille",
                 "compagne", "compagnon", "concubine", "concubin", "epouse", "mari", "expert", "psychiatre",
                 "psychologue", "medecin", "plaignant", "plaignante", "mis en examen", "mise en examen", "mis en cause",
                 "gardien", "employeur", "amie", "ami", "enqueteur", "policier", "gendarme")
# Stages of the procedure a question may name, as piece kinds (generation/pieces.py).
_STAGES = ((r"en garde a vue|lors de sa garde a vue|pendant sa garde a vue|garde a vue", {"garde_a_vue"}),
           (r"premiere comparution", {"interrogatoire_premiere"}),
           (r"interrogatoire au fond|interrogatoire sur le fond", {"interrogatoire"}),
           (r"devant (?:le |la )?(?:juge|magistrat)|en interrogatoire|lors de son interrogatoire|interrogatoire",
            {"interrogatoire", "interrogatoire_premiere"}),
           (r"confrontation", {"confrontation"}),
           (r"dans sa plainte|en portant plainte|lors de sa plainte|dans la plainte", {"plainte"}))


def _speaker_of(question: str) -> Speaker | None:
    """Whose statement answers: « selon X », « d'après X », « que dit X », « X dit-il / a-t-il vu … »; « ses propres
    déclarations » points to the person the question is about. None when nobody's words are asked for."""
    q = _norm(question)
    phrase = None
    m = re.search(r"\b(?:selon|d'apres|aux dires de)\s+(.+?)(?:,|\?|$)", q)
    if m:
        phrase = m.group(1)
        if re.match(r"(?:ses|leurs?|son|sa) propres? declarations?|(?:ses|leurs) dires|lui(?:-meme)?\b|elle(?:-meme)?",
                    phrase):
            phrase = q  # « selon ses propres déclarations »: the person the question is about
    if phrase is None:
        m = re.search(rf"\b(?:que|qu'|qu'est-ce que)\s*(?:a |ont |avait )?(?:-t-)?\s*{_SPEECH}\s+(.+?)"
                      r"(?:\s+(?:sur|de|du|a propos|au sujet|concernant|lors|en|devant|quant)\b|\?|$)", q)
        if m:
            phrase = m.group(1)
    if phrase is None:  # inversion: « le témoin TIXIER a-t-il relevé », « la victime dit-elle »
        m = re.search(r"(?:^|,\s*|\b(?:quel|quelle|quels|quelles|combien|comment|pourquoi|ou|quand|qui|que)\b[^,?]*?\s)"
                      r"((?:l'|le |la |les |son |sa |ses |m\. |mme |monsieur |madame )?[^,?]{2,60}?)\s+"
                      r"(?:(?:a|avait|aurait)-t-(?:il|elle)|(?:ont|avaient)-(?:ils|elles)|\w+-t-(?:il|elle)|"
                      r"\w+-(?:il|elle|ils|elles))\s+(?:(?:deja|bien|jamais|pas|formellement)\s+)?(\w+)", q)
        verb_inverted = m and re.fullmatch(r"(?:dit|dis|declare|raconte|explique|affirme|reconnait|nie|avoue|conteste|"
                                           r"admet|pretend|soutient|precise|indique|confirme|maintient|situe|decrit|"
                                           r"evoque|accuse|designe|identifie|voit|voient|voyait|voyaient|observent|"
                                           r"observe|constatent|constate|apercoivent|apercoit|relevent|releve|"
                                           r"reconnaissait|admettait|niait|contestait|maintenait|avouait|affirmait|"
                                           r"soutenait|declarait|disait|situait|expliquait)",
                                           q[m.end(1):].split("-")[0].strip())
        if m and (verb_inverted or re.fullmatch(_SPEECH, m.group(2))):
            phrase = m.group(1)
    if not phrase or re.match(r"(?:le |la |les |l')?(?:fichier|rapport|proces-verbal|pv|certificat|expertise|releve|"
                              r"bulletin|casier|ticket|service|operateur|logiciel|document|piece|ordonnance|"
                              r"decision|jugement|requisitoire|analyse|exploitation|enquete|dossier)\b", phrase):
        return None  # « selon le fichier SIV »: a source document, not somebody's words
    names: dict[str, str | None] = {}
    for raw in person_names(question):
        keys = [w for w in re.findall(r"[A-ZÀ-Ý][A-ZÀ-Ý'\-]{2,}", raw) if w not in _NOT_NAMES]
        first = re.search(r"\b([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\s+[A-ZÀ-Ý]{2}", raw)
        for k in keys[:1]:
            if _norm(k) in phrase:
                names[_norm(k)] = _norm(first.group(1)) if first and first.group(1) not in ("Monsieur", "Madame",
                                                                                             "Maître", "Mme", "Mlle",
                                                                                             "Me", "Docteur") else None
    roles = {r for r in SPEAKER_ROLES if re.search(rf"\b{r}s?\b", phrase)}
    # « l'enfant Noah », « son frère Anthony »: a first name alone after the role
    firsts = {_norm(m.group(1)) for m in re.finditer(r"\b(?:enfant|fils|fille|fr[èe]re|s(?:œ|oe)ur|m[èe]re|p[èe]re|"
                                                     r"compagne|compagnon|mineure?|voisine?|t[ée]moin)\s+"
                                                     r"([A-ZÀ-Ý][a-zà-ÿ]+)\b", question)}
    if not names and not roles:
        return None
    return Speaker(names, roles, {f for f in firsts if f in phrase or phrase == q})


def stages_of(question: str) -> set[str]:
    q = _norm(question)
    out: set[str] = set()
    for pattern, kinds in _STAGES:
        if re.search(pattern, q):
            out |= kinds
            break
    return out


def _head(question: str) -> str | None:
    q = _norm(question)
    m = re.search(r"\b(?:quel|quelle|quels|quelles)\s+(?:(?:est|sont|etait|etaient|a ete|ont ete)\s+)?"
                  r"(?:(?:le|la|les|l')\s*)?([a-z][a-z-]+)", q)
    if not m:
        return None
    stemmed = tokens(m.group(1))
    if not stemmed or stemmed[0] in _GENERIC_HEADS:
        return None
    return stemmed[0]


def frame(question: str) -> QuestionFrame:
    """Analyse a question once: type, content words, names, pieces, owner, head noun."""
    kind = expected_kind(question)
    q = _norm(question)
    content = [t for t in tokens(question) if t not in _QUESTION_WORDS and not re.fullmatch(r"[a-z]\d+", t)]
    cotes = {c.upper() for c in re.findall(r"\b([abcd]\d{1,4})\b", q)}
    owner, owner_terms = _owner(question, kind) if kind in ("phone", "age", "itt", "breath", "blood", "alcohol",
                                                           "person", "place", "date", "plate") else (None, ())
    count_noun = None
    m = re.search(r"(?:combien|\ble nombre|\bnombre total|^nombre) (?:de |d')(\w+)", q)
    if m and kind == "count":
        count_noun = (tokens(m.group(1)) or [None])[0]
    elif kind == "count" and re.search(r"\bcombien (?:etaient|etiez|etions|sont|etes|etait)(?:-ils|-elles|-vous|-on)?\b", q):
        count_noun = "person"  # « combien étaient-ils ? »: the people there
    role_words = {t for phrase in re.findall(r"(?:" + "|".join(_SUSPECT_ROLES) + r")", q) for t in tokens(phrase)}
    role_words |= {t for t in tokens(" ".join(re.findall(r"\bles? faits?\b", q)))}
    focus = None
    m_focus = re.match(r"(?:qu'|que |qu'est-ce qu')(?:a-t-on|ont|a|avez-vous|a-t-il|a-t-elle|ont-ils|est-ce qui a ete|"
                       r"est-ce que)?\s*(?:ete |les enqueteurs |on )?([a-z-]+)", q)
    if m_focus:
        focus = (tokens(m_focus.group(1)) or [None])[0]
    # « qu'a donné l'analyse ADN », « qu'a révélé l'exploitation »: its findings; the verb itself is no content
    found_by = bool(m_focus) and re.match(r"(?:donn|revel|montr|produi|appor)", m_focus.group(1) or "")
    if found_by:
        content = [w for w in content if w != focus]
        focus = None
    things: list[str] = []
    m_thing = re.search(r"\b(?:date|heure|montant|somme|numero|nombre|duree|lieu|adresse|valeur|resultat|motif|"
                        r"decision|objet|nature|nom|identite|immatriculation|plaque)s?(?: \w+)? "
                        r"(?:de la |de l'|du |des |de |d')(?:(?:derniere|dernier|premiere|premier|plus recente) )?"
                        r"([a-z][a-z-]+)(?: (?:de la |de l'|du |des |de |d')([a-z][a-z-]+))?", q)
    if m_thing and kind != "phone":  # « la date de l'audience de jugement »: both words must be in the sentence
        for word in filter(None, m_thing.groups()):
            capitalised = {_norm(w) for w in re.findall(r"\b[A-ZÀ-Ý][\wà-ÿ-]+", question)}
            if word in ROLES or word in capitalised or word in _THING_SKIP:
                break
            things += tokens(word)[:1]
    # « l'ordonnance de règlement », « l'ordonnance de non-lieu »: which order, not any order's date
    order = [t for m_order in re.finditer(r"\b(?:ordonnance|arret|jugement|avis) (?:de |d')(?!la |le |l'|placement|"
                                          r"mise|sa |son )([a-z][a-z-]{3,})", q) if kind != "phone"
             for t in tokens(m_order.group(1))[:1]]
    event: list[str] = []
    # « l'audience DEVANT LE TRIBUNAL correctionnel », « l'audience DE JUGEMENT »: the event the question names
    # must be the one of the sentence (the JLD's hearing is not the trial)
    m_event = re.search(r"\b(?:audience|debat|comparution|decision|ordonnance|jugement)s?(?: \w+){0,2} devant "
                        r"(?:le |la |les |l')?([a-z][a-z-]+)", q)
    if m_event and kind != "phone":
        event = tokens(m_event.group(1))[:1]
    roles = {r for r in ("victime", "temoin", "voisin", "enfant", "juge", "expert", "medecin", "avocat", "mere",
                         "pere", "compagne", "compagnon", "frere", "soeur", "operateur", "enqueteur")
             if re.search(rf"\b{r}s?\b", q) and r != owner}
    act, event_words = asked_act(question) if kind in ("date", "time") else (set(), [])
    if kind == "place":  # « où a-t-il été interpellé ? »: the sentence must tell that event, not any place
        event_words = asked_act(question)[1]
    # « quand X a-t-il été interpellé ? »: the event asked is the question's key word, not a role every piece says
    role_words -= {w for w in role_words if any(w.startswith(e.strip()[:5]) for e in event_words)}
    if kind in ("amount", "weight", "count") and re.search(r"\b(?:decouv|saisi|trouv|retrouv)", q):
        event_words = ["decouv"]  # a sum found or seized, never a cautionnement or a salary
    return QuestionFrame(text=question, kind=kind, content=list(dict.fromkeys(content)), names=name_keys(question),
                         act=act, event_words=event_words, pieces=named_pieces(question),
                         role_words=role_words, focus=focus, things=things, event=event, roles=roles,
                         quoted={w.strip() for w in re.findall(r"«\s*([^»]{2,40}?)\s*»", question)},
                         identifiers={re.sub(r"\D", "", m) if re.match(r"[\d+]", m) else m for m in
                                      re.findall(SPAN_PATTERNS["phone"], q) + re.findall(SPAN_PATTERNS["plate"], q)}
                         # a code the question names (a relay cell « SAF-0412 », a reference « PV-2211 »)
                         | {m.replace("-", "") for m in re.findall(r"\b[a-z]{2,5}-\d{3,6}\b", q)},
                         dates=dates_in(question),
                         cotes=cotes, owner=owner, owner_terms=owner_terms,
                         head=_head(question) if kind in ("free", "yesno", "person", "profession") else None,
                         count_noun=count_noun, date_and_time=bool(re.search(r"\bquand\b", q)),
                         speaker=_speaker_of(question), stages=stages_of(question),
                         asks_result=bool(found_by or re.search(r"\bresultats?\b|\bconclu|\bconclusions?\b|revele|"
                                                                r"etabli", q)),
                         authority=_authority(q), order=order)


# Procedural acts whose date is the date of their own piece (« L'an deux mille vingt-six, le dix-sept mars, à six
# heures cinq, Nous, … »): the act named as the subject of a « quand » question, and the piece kinds that record it.
_ACTS: tuple[tuple[str, frozenset[str]], ...] = tuple((p, frozenset(k)) for p, k in (
    (r"perquisition|fouille du domicile", {"perquisition"}),
    (r"confrontation|confronte", {"confrontation"}),
    (r"premiere comparution|mise? en examen\b", {"interrogatoire_premiere"}),
    (r"interrogatoire|interroge", {"interrogatoire", "interrogatoire_premiere"}),
    (r"(?:depose|porte) plainte|la plainte", {"plainte"}),
    # « a-t-elle été entendue » is a hearing; « dit-il avoir entendu des cris » is what a witness perceived
    (r"audition|\b(?:ete|etre) (?:entendue?s?|auditionnee?s?)\b", {"audition_temoin", "audition_victime", "garde_a_vue",
                                                                    "plainte"}),
    (r"surveillance|filature", {"constatations"}),
    (r"reponse (?:de l'operateur|de la banque|a la requisition)", {"reponse_requisition"}),
    (r"requisition", {"requisition"}),
    (r"expertise|rapport (?:du |d')(?:laboratoire|expert)", {"expertise", "expertise_psy", "expertise_medicale",
                                                              "expertise_adn"}),
    (r"ordonnance de (?:placement en )?detention|placee? en detention|mandat de depot", {"ordonnance_detention"}),
    (r"ordonnance de (?:placement sous )?controle judiciaire|placee? sous controle judiciaire", {"ordonnance_cj"}),
    (r"requisitoire introductif|ouverture de l'information", {"requisitoire_introductif"}),
    (r"enquete de personnalite", {"personnalite"}),
))
# Events that happen after an act or within it, never at its opening: a question about them is not about the act's
# date, and the sentence that answers must name them (a placement is not a prolongation).
EVENT_WORDS = ("prolong", "renouvel", "levee", "leve", "liber", "revoqu", "revocation", "termin", "achev", "clotur",
               "fin ", "interpel", "notifi", "sorti", "evad", "annul", "condamn", "jugement")


# Pieces a question names as the source of its answer (« selon l'expertise psychiatrique », « au casier de X »).
_NAMED_PIECES: tuple[tuple[str, frozenset[str]], ...] = tuple((p, frozenset(k)) for p, k in (
    (r"expertise psychiatrique|examen psychiatrique|expert psychiatre|expertise psychologique|rapport psychiatrique",
     {"expertise_psy"}),
    (r"enquet(?:e|rice|eur) de personnalite|enquete sociale", {"personnalite"}),
    (r"bulletin n.? ?1\b|casier judiciaire|\bb1\b", {"casier"}),
    (r"confrontation", {"confrontation"}),
    (r"interrogatoire au fond|interrogatoire sur le fond", {"interrogatoire"}),
    (r"premiere comparution", {"interrogatoire_premiere"}),
    (r"expertise genetique|analyse genetique|\badn\b", {"expertise_adn"}),
    (r"autopsie|certificat medical|\bumj\b|medecin legiste", {"expertise_medicale"}),
    # « enregistrée chez l'opérateur »: the operator's answer to the requisition
    (r"(?:chez|aupres de|selon|d'apres) l'operateur", {"reponse_requisition"}),
    # « selon les écoutes », « d'après les interceptions »: the telephone pieces
    (r"\becoutes?\b|\binterceptions?\b|\bfadettes?\b|releves? telephoniques?|exploitation (?:de la )?telephoni",
     {"exploitation_telephonie"}),
    (r"\bfaed\b|traces? papillaires?|empreintes? digitales?", {"faed"}),
    (r"requisitoire introductif", {"requisitoire_introductif"}),
))


def named_pieces(question: str) -> set[str]:
    q = _norm(question)
    return {k for pattern, kinds in _NAMED_PIECES if re.search(pattern, q) for k in kinds}


def asked_act(question: str) -> tuple[set[str], list[str]]:
    """The act whose date a « quand / à quelle date / à quelle heure » question asks (piece kinds), and the events
    it names that are not the act's opening (« prolongée », « interpellé »)."""
    q = _norm(question)
    events = [w.strip() for w in EVENT_WORDS if re.search(rf"\b{w}", q)]
    if "leve" in events and "levee" in events:
        events.remove("leve")
    if events:
        return set(), events
    for pattern, kinds in _ACTS:
        if re.search(pattern, q):
            return set(kinds), []
    return set(), []


_COMPILED = {k: re.compile(v) for k, v in SPAN_PATTERNS.items()}


_PLACE_NOUN = re.compile(r"^(?:l')?(?:maison|domicile|parking|commissariat|gendarmerie|hopital|rue|avenue|allee|route|"
                         r"boulevard|chemin|impasse|place|quai|residence|appartement|magasin|bar|gare|station|ville|"
                         r"cuisine|chambre|salon|jardin|cave|garage|voiture|vehicule|couloir|entree|escalier|hall|"
                         r"parc|square|immeuble|pavillon|baignoire|salle|bureau|cellule|prison|centre|quartier|"
                         r"commune|village|sortie|lit|placard|tiroir|coffre|boite|snack|restaurant|cafe|ecole|"
                         r"college|lycee|terrain|bois|foret|champ|plage|pont|passerelle|trottoir|carrefour)s?$")


_FAMILY = re.compile(r"celibataire|marie|mariee|pacse|divorce|veu[fv]|concubinage|enfants?\b|nationalite|\bde [a-z]+ "
                     r"[a-z-]+ et de\b|\bfils de|\bfille de|^de |^et de |\(\d+\)|\bne le\b|\bnee le\b")


def _professions(text: str) -> list[str]:
    """The occupation of an identity block (« DORANGE Mickaël, né le … à Saint-Aubin (93), célibataire, livreur
    auto-entrepreneur, demeurant … »): the last comma-separated part before « demeurant / domicilié »."""
    said = re.search(r"\b(?:travaille|travaillait|employée?|embauchée?|exerce|exerçait) (?:comme|en tant que|"
                     r"(?:la profession|le métier) d[e'])\s*([^,.;]{3,50})|\bprofession\s*:\s*([^,.;]{3,50})", text, re.I)
    if said:  # « Il travaille comme cuisinier en contrat précaire », « Profession : maçon »
        return [(said.group(1) or said.group(2)).strip()]
    m = re.search(r"\bn[ée]e? (?:le|en) .{4,300}?,\s*([^,;]{3,60}?),\s*(?:demeurant|domicilié|domiciliée|résidant|"
                  r"résidante|sans domicile|de nationalité)\b", text)
    if not m:
        return []
    job = m.group(1).strip()
    return [] if _FAMILY.search(_norm(job)) or re.match(r"[A-ZÀ-Ý]{3}", job) else [job]


def _place_phrases(text: str) -> list[str]:
    norm = _norm(text)
    return [_original(text, norm, m.start(), m.end()) for m in _COMPILED["place"].finditer(norm)]
_THRESHOLD_BEFORE = re.compile(r"(?:n'excedant pas|superieure? a|inferieure? a|plus de|moins de|au moins|au-dela de|"
                               r"jusqu'a|seuil de|maximum de|minimum de|egale? ou superieure? a)\s*$")


_GENERIC_PLACE = re.compile(r"(?:etablissement|centre) penitentiaire|maison d'arret|centre de detention")


def spans(kind: str, text: str, worded: bool = True) -> list[str]:
    """Spans of the expected type in a sentence, as written in the original text (empty: no answer here)."""
    if kind in ("yesno", "free"):
        return []
    if kind == "person":
        return person_names(text)
    if kind == "profession":
        return _professions(text)
    if kind == "alcohol":
        return spans("breath", text) + spans("blood", text)
    if kind == "place":  # an establishment or an address before any « à / dans X »
        first = [f for f in spans("establishment", text) if not _GENERIC_PLACE.fullmatch(_norm(f))]
        if first:
            return first
        first = spans("address", text)
        rest = [f for f in _place_phrases(text) if not any(_norm(f) in _norm(a) for a in first)]
        # « n'a pu » is the verb « a », never the preposition « à »; « à son interpellation », « à la fouille »
        # name no place: a phrase ends on a name (« à Ris-Orangis ») or on a word for a place
        return first + [f for f in rest if not re.match(r"a\b", f) and (
            re.search(r"(?:^|\s|')[A-ZÀ-Ý][\wà-ÿ-]+$", f) or _PLACE_NOUN.search(_norm(f).split()[-1]))]
    norm = _norm(text)
    found = []
    for m in _COMPILED[kind].finditer(norm):
        if kind in ("itt", "duration", "amount", "breath", "blood", "speed") and _THRESHOLD_BEFORE.search(
                norm[max(0, m.start() - 40):m.start()]):
            continue  # a legal threshold quoted in a qualification is not a measurement
        found.append(_original(text, norm, m.start(), m.end()))
    if kind in ("breath", "blood"):
        unit = "mg/L" if kind == "breath" else "g/L"
        word = "milligrammes?" if kind == "breath" else "grammes?"
        for m2 in re.finditer(rf"\b([a-z]+(?:-[a-z]+)*) virgule ((?:[a-z-]+ ){{0,3}}?[a-z-]+) {word} par litre", norm):
            whole, decimals = words_to_int(m2.group(1)), words_to_int(m2.group(2))
            if whole is not None and decimals is not None:  # « zéro virgule quatre-vingt-six » = 0,86
                found.insert(0, f"{whole},{decimals:02d} {unit} (« {_original(text, norm, m2.start(), m2.end())} »)")
                found = [f for f in found if not f.endswith("par litre") or "(" in f]
    if kind == "itt" and not found and "itt" in norm:
        found = spans("duration", text)
    if kind in ("date", "time") and worded and not found and re.search(_WORDED_DATE, norm):
        found = _worded(kind, text)
    return found


# « L'an deux mille vingt-six, le dix-sept mars, à quatorze heures trente » (the opening of an act): the date in words
_WORDED_DATE = re.compile(rf"\b(?:premier|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
                          rf"quatorze|quinze|seize|vingt|trente)(?:[- ][a-z]+)* {_MONTHS}\b|"
                          r"\b(?:une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|"
                          r"seize|dix-sept|dix-huit|dix-neuf|vingt|vingt-[a-z]+) heures?\b")


def _worded(kind: str, text: str) -> list[str]:
    """Date or time spans of a text that writes them in words, given in digits (« 17 mars 2026 », « 14 h 30 »);
    a day without its year takes the year the act opens with (« L'an 2026, le 17 mars »)."""
    from core.text import numbers_in_words_to_digits

    digits = numbers_in_words_to_digits(text).replace("1 er ", "1er ")
    digits = re.sub(r"\bpremier (?=" + _MONTHS.replace("aout", "ao[uû]t").replace("fevrier", "f[ée]vrier")
                    .replace("decembre", "d[ée]cembre") + r")", "1er ", digits, flags=re.I)
    found = spans(kind, digits, worded=False) if re.search(r"\d", digits) else []
    if kind == "date":
        year = re.search(r"\bl'an (\d{4})\b", _norm(digits))
        found = [f"{f} {year.group(1)}" if year and not re.search(r"\d{4}", f) else f for f in found]
    return found


def _original(text: str, norm: str, start: int, end: int) -> str:
    """The original characters behind a span of the normalised text (same length unless a plate was joined)."""
    if len(norm) == len(text):
        return text[start:end].strip()
    snippet = norm[start:end]
    # normalisation removed characters (plates, times): find the span again, loosely, in the original text
    pattern = r"[\s\-]?".join(re.escape(ch) for ch in snippet.replace(" ", ""))
    from core.text import strip_accents

    m = re.search(pattern, strip_accents(text).lower())
    return text[m.start():m.end()].strip() if m else snippet


# Interrogative phrases a compound question joins with « et » (« Quand et où … », « Qui … et pour quel montant »).
_ASKS = (r"(?:quand|o[ùu]|qui|comment|pourquoi|combien(?: (?:de|d')\s?[\wà-ÿ-]+)?|depuis quand|jusqu'à quand|"
         r"en quelle année|(?:à|a|pour|par|avec|de|dans|sur|sous|chez|vers|contre|auprès de|à partir de|jusqu'à)\s+"
         r"(?:qui|quel(?:le)?s?(?: [\wà-ÿ'-]+)?)|quel(?:le)?s?(?: [\wà-ÿ'-]+)?|lequel|laquelle)")
_JOINED = re.compile(rf"^(?P<pre>(?:[^,?]{{3,80}},\s*)?)(?P<a>{_ASKS})\s+et\s+(?P<b>{_ASKS})\s+(?P<rest>[^?]+?)\s*\??\s*$",
                     re.I)
_CLAUSE = re.compile(rf"^(?P<pre>(?:[^,?]{{3,80}},\s*)?)(?P<first>(?P<a>{_ASKS})\b[^?]*?)\s*,?\s+et\s+"
                     rf"(?P<second>(?P<b>{_ASKS})\b[^?]*?)\s*\??\s*$", re.I)
# « Qui a placé X en détention, quand et dans quel établissement ? »: three asks on one fact
_TRIPLE = re.compile(rf"^(?P<first>(?P<a>{_ASKS})\s+[^,?]+?),\s*(?P<b>{_ASKS})\s+et\s+(?P<c>{_ASKS})\s*\??\s*$", re.I)
_INVERTED = re.compile(r"\s(\w+-(?:t-)?(?:il|elle|ils|elles|on))\b", re.I)


def split_compound(question: str) -> list[str]:
    """The parts of a compound question, each a question of its own; [] when the question asks one thing.
    « Quand et où X a-t-il été interpellé ? » -> « Quand X a-t-il été interpellé ? », « Où X a-t-il été
    interpellé ? »; « Qui a frappé selon X, et combien étaient-ils selon lui ? » -> « Qui a frappé selon X ? »,
    « Combien étaient-ils selon X ? » (the second part takes the first's subject or person when it only has a
    pronoun)."""
    text = " ".join(question.split())
    m = _TRIPLE.match(text)
    if m:
        body = m.group("first")[len(m.group("a")):].strip()
        return [f"{m.group('first')} ?"] + [f"{_cap(m.group(k), True)} {body} ?" for k in ("b", "c")]
    m = _JOINED.match(text)
    if m and not re.match(r"(?:qui|que|quoi)$", m.group("b"), re.I):
        pre, rest = m.group("pre"), m.group("rest")
        return [f"{pre}{_cap(m.group(k), not pre)} {rest} ?" for k in ("a", "b")]
    m = _CLAUSE.match(text)
    if not m:
        return []
    pre, first, second = m.group("pre"), m.group("first").strip(" ,"), m.group("second").strip(" ,")
    if len(first.split()) < 3 and len(second.split()) < 3:
        return []
    ask_a, ask_b = m.group("a"), m.group("b")
    rest_a = first[len(ask_a):].strip()
    if not rest_a or re.fullmatch(r"[\wà-ÿ'-]+", rest_a):
        return []
    body_b = second[len(ask_b):].strip()
    if not body_b:  # « Qui a acheté les bijoux et pour quel montant ? »: the second asks about the first's fact
        counted = re.match(r"combien (?:de |d')\s?([\wà-ÿ-]+)", ask_a, re.I)
        body_b = f"les {counted.group(1)} {rest_a}" if counted else rest_a  # « … et sous quel scellé ? »: the espèces
    else:
        inv_a, inv_b = _INVERTED.search(f" {rest_a}"), _INVERTED.search(f" {body_b}")
        if inv_b and not body_b[:inv_b.start()].strip() and inv_a:
            subject = rest_a[:max(0, inv_a.start() - 1)].strip()  # « le placement … » of « … a-t-il été notifié »
            if subject and len(subject.split()) <= 12:
                body_b = f"{subject} {body_b}"
        person = re.search(r"\b(?:selon|d'après)\s+((?:M\.|Mme|Maître)?\s*(?:[A-ZÀ-Ý][a-zà-ÿ-]+\s+)?"
                           r"[A-ZÀ-Ý]{2}[A-ZÀ-Ý'-]+)", first)
        if person:
            body_b = re.sub(r"\b(selon|d'après)\s+(?:lui|elle|eux|elles)\b", rf"\1 {person.group(1)}", body_b)
    return [f"{pre}{_cap(first, not pre)} ?", f"{pre}{_cap(ask_b, not pre)} {body_b} ?"]


def _cap(text: str, first: bool) -> str:
    return text[:1].upper() + text[1:] if first else text[:1].lower() + text[1:]


def inherit(part: QuestionFrame, whole: QuestionFrame) -> QuestionFrame:
    """A part of a compound question keeps what the whole names: the persons, the stage, whose words answer; the
    whole's other words weigh little (they are the other part's)."""
    if not part.names:
        part.names = set(whole.names)
    if not part.stages:
        part.stages = set(whole.stages)
    if part.speaker is None and whole.speaker is not None:
        part.speaker = whole.speaker
    extra = [w for w in whole.content if w not in part.content]
    part.content = part.content + extra
    part.role_words = set(part.role_words) | set(extra)
    return part


def part_label(part: str) -> str:
    """The interrogative a part of a compound question opens with (« Quand », « Par quelle juridiction »)."""
    text = re.sub(r"^[^,?]{3,80},\s*(?=" + _ASKS + ")", "", part.strip(), flags=re.I)
    m = re.match(_ASKS, text, re.I)
    label = m.group(0) if m else text.split()[0]
    if re.fullmatch(r"(?i)quel(?:le)?s? (?:est|sont|etait|était|étaient|etaient)", label.strip()):
        # « Quelle est l'immatriculation … » is labelled by what it asks (« L'immatriculation »), not « Quelle est »
        rest = re.match(r"\s*((?:l'|le |la |les |son |sa |ses |leurs? )?[\wà-ÿ'-]+)", text[m.end():]) if m else None
        if rest:
            label = rest.group(1)
    return label[:1].upper() + label[1:]


# Who decides: a question about what a court or judge decided is answered only by a decision that court or judge
# issued (the JLD's refusal is not the appeal court's ruling). Patterns run on the top of the deciding piece.
_AUTHORITIES = (
    (r"chambre de l'instruction|cour d'appel", r"chambre de l'instruction|cour d'appel|\barret\b"),
    (r"juge des libertes|\bjld\b", r"juge des libertes|\bjld\b"),
)


def _authority(q: str) -> str | None:
    if not re.search(r"\bdecid|\bdecision|\bstatu|\bordonn|\brendu|\bprononc|\brejet|\baccord", q):
        return None
    for asked, issued in _AUTHORITIES:
        if re.search(asked, q):
            return issued
    return None


def issued_by(top: str) -> str | None:
    """The authority a piece's heading names (its first lines), as one of the _AUTHORITIES' patterns."""
    head = top[:300]
    found = [(m.start(), issued) for _, issued in _AUTHORITIES for m in [re.search(issued, head)] if m]
    return min(found)[1] if found else None
