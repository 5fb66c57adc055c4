"""Contradictions found by code: the same quantity or detail stated differently by two pieces, or by the same
person at two stages; each side keeps its citation, and a side is always a sentence of the dossier, never one we
compose.

Every sentence of the map step is read once into typed statements (`Mention`): a quantity with its unit (euros,
grams of a substance, persons, things counted, days of ITT, a time, a date, a length, a rate), what it is about
(the counted thing, the substance, the period of a pay or a receipt, the event a time or a date belongs to, the
words around it), and details told in words (a vehicle's make, model and colour, who did something, a phone line
admitted or denied, where money comes from, being elsewhere against being seen or located, the room, a record
denied against the B1). Statements of one kind and one subject from two pieces, or from two persons, or from one
person at two stages, whose values differ beyond rounding are paired; a provisional then a final ITT is shown as an
evolution. The cost is one pass over the sentences, then comparisons inside each (kind, subject) bucket only."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from core.text import MONTHS_FR, normalize_for_verify, strip_accents
from core.tokens import STOPWORDS, _stem
from core.tokens import tokens as _tokens_list
from generation.evidence import Item
from generation.pieces import ACCUSED_HEARINGS, DECLARATION_KINDS

KIND_LABELS = {"montant": "Montant", "heure": "Heure", "personnes": "Nombre de personnes", "nombre": "Nombre",
               "itt": "Durée d'ITT", "poids": "Poids", "date": "Date", "longueur": "Longueur",
               "taux": "Taux", "lieu": "Lieu", "couleur": "Couleur du véhicule", "vehicule": "Véhicule",
               "auteur": "Qui a agi", "contact": "Contacts", "presence": "Présence sur les lieux",
               "piece": "Pièce des faits", "ligne": "Ligne téléphonique",
               "origine": "Origine de l'argent", "antecedents": "Antécédents judiciaires",
               "immatriculation": "Immatriculation du véhicule"}
# Details compared by their words rather than their number.
_WORD_KINDS = {"lieu", "couleur", "auteur", "piece", "contact", "presence", "vehicule", "ligne", "origine",
               "antecedents", "date", "immatriculation"}

def _declared(item: Item) -> bool:
    """Said by a person: an answer, or a sentence of a plainte or an audition without a « Réponse : » label (the map
    step files those as facts) told in the first person, or told of someone else (« Il est rentré vers 23 heures »)
    with nothing of the officers' own narrative."""
    if item.category == "declaration":
        return True
    if not (item.category == "fait" and item.piece and item.piece.kind in DECLARATION_KINDS and item.piece.heard):
        return False
    t = _strip(item.text).lower()
    if re.search(r"\b(je|j'|moi|mon|ma|mes|on|nous)\b", t):
        return True
    return item.piece.kind in _TOLD_KINDS and not _NARRATIVE.search(t)


_TOLD_KINDS = {"plainte", "audition_victime", "audition_temoin"}
# what the officers write around the account: their acts, the person in the third person by her role or civility
_NARRATIVE = re.compile(r"\b(constatons|procedons|avisons|notifions|recevons|entendons|requis|declare(?:nt)?"
                        r"|se presente|comparait|l'interesse|la plaignante|le plaignant|la victime|le temoin"
                        r"|mme|madame|monsieur|m\.|l'officier|fonctionnaire|service|sapeurs|pompiers|cic)\b")


def _speaker(item: Item) -> str:
    if item.person_key:
        return item.person_key
    if _declared(item) and item.piece and item.piece.heard:
        return item.piece.heard[0][0]
    return ""


def _asked(item: Item) -> str:
    """The question the answer replies to, folded: what a « Non » or a « dix, quinze fois » is about."""
    return _prepare(item.asked) if getattr(item, "asked", "") else ""


@lru_cache(maxsize=200_000)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_tokens_list(text))


def tokens(text: str) -> list[str]:
    """Search tokens, cached: the same sentence and window are read by several extractors."""
    return list(_tokens(text))


_strip = lru_cache(maxsize=100_000)(strip_accents)
_FOLDED_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


def _ftokens(folded: str) -> set[str]:
    """The search tokens of text already folded by `_prepare` (lower case, no accents): no second normalisation."""
    return {tok if any(ch.isdigit() for ch in tok) else _stem(tok) for tok in _FOLDED_TOKEN.findall(folded)
            if tok not in STOPWORDS and (len(tok) >= 2 or tok.isdigit())}
_NUM = r"(\d+(?:\.\d+)?)"
_RANGE = _NUM + r"(?:\s*(?:a|ou|-|/|,)\s*" + _NUM + r")?"
_APPROX_WORDS = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
                 "cinquantaine": 50, "soixantaine": 60, "centaine": 100}
_APPROX_BEFORE = re.compile(r"(environ|vers|a peu pres|approximativement|pres de|autour de|aux alentours de|grosso modo"
                            r"|plus ou moins|dans les|je dirais|je pense|peut-etre|~|a vue d'oeil|estime[es]* a)"
                            r"\s*(?:de |d')?$")
_MORE_BEFORE = re.compile(r"(plus de|au moins|au minimum|pas moins de|superieure? a|depasse|au-dela de)\s*$")
_LESS_BEFORE = re.compile(r"(moins de|au plus|au maximum|pas plus de|inferieure? a|jusqu'a)\s*$")
_APPROX_AFTER = re.compile(r"^\s*(?:,\s*)?(?:ou plus|environ|a peu pres|peut-etre (?:un peu )?(?:plus|moins|apres|avant)"
                           r"|je crois|je pense|grosso modo|approximativement)")


@dataclass
class Mention:
    """One typed statement of a sentence: kind, value, what it is about, and how precise it is."""
    kind: str
    value: str
    number: float
    item: Item
    topic: set[str]
    event: str = ""  # the subject bucket: counted thing, substance, period, event, act
    at: int = -1  # where the value is in the sentence (folded text), for the words quoted around it
    low: float = 0.0
    high: float = 0.0
    approx: bool = False
    status: str = ""  # ITT: « provisoire » | « définitive »; line: « nie » | « reconnaît »; origin: class
    who: str = ""  # the person the statement is about, when the sentence names him
    shown: str = ""  # the value as the draft writes it, when not computed from the number
    res: float = 0.0  # half a unit of the figure's last written digit (« 1,2 kg » is 1 200 g ± 50 g)


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
    def evolution(self) -> bool:
        """A provisional figure then a final one (ITT fixed after re-examination): an evolution, not an error."""
        return self.kind == "itt" and {self.a.status, self.b.status} == {"provisoire", "définitive"}

    @property
    def label(self) -> str:
        if self.evolution:
            return "ITT (évolution : provisoire puis définitive)"
        base = KIND_LABELS[self.kind]
        subject = _SUBJECT_LABELS.get((self.kind, self.a.event)) or _SUBJECT_LABELS.get((self.kind, self.b.event))
        if self.kind == "nombre" and not subject:
            # the thing counted as the page writes it (« bières », « appels »), else the act counted (« gifles »)
            noun = next((value_text(m).split()[-1] for m in (self.a, self.b)
                         if not value_text(m).split()[-1].isdigit() and value_text(m).split()[-1] != "fois"), "")
            subject = noun or _TIMES_LABELS.get(self.a.event, "")
        return f"{base} ({subject})" if subject else base


# pieces that retell the procedure (the réquisitoire introductif, the ordonnances, a report of synthesis)
RESTATING = {"requisitoire_introductif", "ordonnance_detention", "ordonnance_cj", "ordonnance", "synthese"}
_TIMES_LABELS = {"gifle": "gifles", "appel": "appels", "sm": "SMS", "coup": "coups"}
_SUBJECT_LABELS = {("montant", "jour"): "par jour", ("montant", "semaine"): "par semaine",
                   ("montant", "mois"): "par mois", ("personnes", "guetteur"): "guetteurs",
                   ("date", "interpellation"): "interpellation", ("date", "main courante"): "main courante",
                   ("date", "perquisition"): "perquisition", ("date", "plainte"): "plainte",
                   ("date", "soiree"): "soirée des faits"}


_LABEL = re.compile(r"^\s*(?:r[ée]ponses?|rep|r)\b[^:«]{0,60}:\s*", re.IGNORECASE)


def source_text(item: Item) -> str:
    """The whole sentence as the page writes it (the map step may have shortened `text`), its answer label out."""
    full = getattr(item, "full", "")
    if full:
        return full
    quote = item.citation.quote or ""
    raw = quote if len(quote) >= len(item.text.rstrip(" […]")) else item.text
    return _LABEL.sub("", raw, count=1).strip()


@lru_cache(maxsize=100_000)
def _prepare(text: str) -> str:
    """The sentence folded with numbers as digits; « 8 (huit) jours » is 8 jours, « une seule » is 1 seule."""
    t = normalize_for_verify(text)
    t = re.sub(r"\b(\d+(?:\.\d+)?) \(\1\)", r"\1", t)
    t = re.sub(r"\b(\d+(?:\.\d+)?) (\w+) \(\1 \2\)", r"\1 \2", t)
    t = re.sub(r"\b(une|un) seule?\b", "1 seule", t)
    t = re.sub(r"\b(?:une |d'une )?(" + "|".join(_APPROX_WORDS) + r")\b",
               lambda m: f"environ {_APPROX_WORDS[m.group(1)]}", t)
    return t


def _precision(t: str, start: int, end: int, low: float, high: float) -> tuple[float, float, bool]:
    before, after = t[max(0, start - 30):start], t[end:end + 40]
    if _MORE_BEFORE.search(before):
        return low, float("inf"), True
    if _LESS_BEFORE.search(before) and not re.search(r"pas plus", after[:12]):
        return 0.0, high, True
    return low, high, bool(_APPROX_BEFORE.search(before) or _APPROX_AFTER.search(after) or low != high)


def _window(t: str, start: int, end: int, width: int = 70) -> set[str]:
    """Content words around a value: what the value is about (« porte-monnaie », « revente », « rentré »)."""
    return _ftokens(t[max(0, start - width):end + width])


def _mention(kind: str, t: str, m: re.Match, item: Item, event: str = "", value: str = "",
             width: int = 70, group: int = 1) -> Mention:
    low = float(m.group(group))
    high = float(m.group(group + 1)) if m.lastindex and m.lastindex > group and m.group(group + 1) else low
    low, high = min(low, high), max(low, high)
    lo, hi, approx = _precision(t, m.start(), m.end(), low, high)
    decimals = len(m.group(group).partition(".")[2])
    return Mention(kind, value or m.group(group), low, item, _window(t, m.start(), m.end(), width), event,
                   m.start(), lo, hi, approx, res=0.5 * 10 ** -decimals if decimals else 0.0)


# -- amounts ----------------------------------------------------------------------------------------------------
_AMOUNT = re.compile(_RANGE + r"\s*(?:d')?(?:euros|eur|balles)\b")
_DENOMINATION = re.compile(r"(billets?|coupures?|pieces?|coupons?|recharges?|tickets?)\s+(de\s+)?(\d+\s+)?((et|ou)\s+(de\s+)?)?$")
_PERIOD = re.compile(r"^\s*(?:nets?\s+)?(?:par|la|le|chaque|/|a la|de la)\s*(jour|journee|semaine|mois|an|annee|nuit"
                     r"|heure|week-end|gramme|barrette|pochon|sachet|plaquette|kilo|boulette|dose|savonnette|pain)\b"
                     r"|^\s*(?:nets?\s+)?(quotidien|hebdomadaire|mensuel|annuel)")
_PERIOD_NEAR = re.compile(r"\b(?:par|chaque|la|le) (jour|journee|semaine|mois|nuit)\b|\b(quotidien|hebdomadaire"
                          r"|mensuel)")
_PERIODS = {"journee": "jour", "quotidien": "jour", "nuit": "jour", "hebdomadaire": "semaine", "mensuel": "mois",
            "annee": "an", "annuel": "an", "week-end": "semaine"}
# What a sum is about, by meaning (several may hold): cash found or seized, stolen, a sale, a share, a pay, takings.
_AMOUNT_SUBJECTS = {
    "saisie": r"decouv|saisi|scelle|trouv|liasse|numeraire|especes|coffre|cache|perquisition",
    "vol": r"\bvol|derob|arrach|porte-monnaie|portefeuille|sac a main|\bdans (mon|son|le) sac|sacoche|pochette|besace"
           r"|sac a dos|sac de (livraison|sport|voyage)|\bvalise|\bcabas",
    "vente": r"vend|revend|revente|recel|\bprix\b|achet|pour le tout|\bcede",
    "part": r"\bpart\b|partag|moitie|m'a donne|lui a donne|nous a donne",
    "paie": r"\bpay|gagn|touch|salaire|remuner|me donn",
    "recette": r"recette|chiffre d'affaire|rapport(ait|e)|encaiss|\bfaisait\b|benefice",
    "dette": r"\bdette|\bdoi[st]\b|\bdevai|prete|emprunt",
}
_AMOUNT_SUBJECT_RES = {k: re.compile(v) for k, v in _AMOUNT_SUBJECTS.items()}
_CONTAINER = re.compile(r"\b(sacoche|pochette|besace|sac a main|sac a dos|sac|portefeuille|porte-monnaie|valise|cabas"
                        r"|coffre|top-case|caisse|tiroir)\b")
_CONTENTS = re.compile(r"\bil y avait\b|\bcontenai(?:t|ent)\b|\bse trouvai(?:t|ent)\b|\bdedans\b|a l'interieur\b")
_NOT_AN_AMOUNT = re.compile(r"^\s*(?:d'amende|de caution|de dommages|de provision|d'indemnite)")


_NAME_WORDS: set[str] = set()  # the folded name words of the dossier's persons, set by find_contradictions


def _names_in(folded: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z\-]{2,}", folded) if w.upper() in _NAME_WORDS}


def _amounts(t: str, item: Item) -> list[Mention]:
    out = []
    for m in _AMOUNT.finditer(t):
        if _DENOMINATION.search(t[max(0, m.start() - 30):m.start()]) or _NOT_AN_AMOUNT.match(t[m.end():m.end() + 20]):
            continue
        if float(m.group(1)) < 5:
            continue
        p = _PERIOD.match(t[m.end():m.end() + 25])
        if p:
            period = p.group(1) or p.group(2)
        else:
            near = _PERIOD_NEAR.search(t[max(0, m.start() - 40):m.end() + 40])
            period = (near.group(1) or near.group(2)) if near else ""
        period = _PERIODS.get(period, period)
        mention = _mention("montant", t, m, item, period)
        if item.category == "decision" and float("inf") in (mention.high,) or (
                item.category == "decision" and mention.low == 0.0 and mention.high > 0):
            continue  # a threshold a decision sets (« dépôt supérieur à 500 euros »), not a sum of the case
        left = max([t.rfind(c, 0, m.start()) for c in ".;!?"] + [m.start() - 250])
        right = min([x for x in (t.find(c, m.end()) for c in ".;!?") if x >= 0] + [m.end() + 80])
        near_text = t[left + 1:right]
        classes = {k for k, rule in _AMOUNT_SUBJECT_RES.items() if rule.search(near_text + " " + _asked(item))}
        if (item.piece and item.piece.kind in ("plainte", "audition_victime") and _declared(item)
                and _CONTENTS.search(near_text)):
            classes.add("vol")  # the victim telling what the bag held (« il y avait environ 150 euros »): the theft
        if _declared(item) and "saisie" in classes and not re.search(r"coffre|cache|planqu|liasse"
                                                                                   r"|saisi|scelle", near_text):
            classes.discard("saisie")  # « j'ai retrouvé la facture » is no cash found by the police
        # what the sum is about: the words right around it (a list of stolen objects in the same sentence is not)
        close = t[max(left + 1, m.start() - 45):min(right, m.end() + 45)]
        mention.topic = _ftokens(close) | {f"@{k}" for k in classes}
        if "vol" in classes:  # the stolen container both sides speak of (« que contenait la sacoche ? »)
            mention.topic |= {f"@in:{c}" for c in _CONTAINER.findall(near_text + " " + _asked(item))}
        mention.who = ",".join(sorted(_names_in(near_text)))
        if "paie" in classes and _declared(item) and re.search(r"\b(je|j'|me|m'|moi)\b", near_text):
            mention.status = "own pay"  # « je touchais 100 euros par jour »: the speaker's own pay
        out.append(mention)
    return out


# -- weights of a substance -------------------------------------------------------------------------------------
_WEIGHT = re.compile(_RANGE + r"\s*(kg|kilos?|kilogrammes?|g|grammes?|gr)\b(?!\s*/)")
_SUBSTANCES = {"resine": r"resine|shit|haschi|hachi|haschich|pollen", "herbe": r"herbe|beuh|weed|feuilles? de cannabis",
               "cannabis": r"cannabis|stupefiant|produit stupefiant", "cocaine": r"cocaine|coke|crack",
               "heroine": r"heroine|brown", "mdma": r"mdma|ecstasy|extasy", "amphetamine": r"amphetamine|speed",
               "ketamine": r"ketamine", "or": r"\bor\b|bijou"}
_SUBSTANCE_RES = {k: re.compile(v) for k, v in _SUBSTANCES.items()}


def _weights(t: str, item: Item) -> list[Mention]:
    out = []
    for m in _WEIGHT.finditer(t):
        grams = float(m.group(1)) * (1000 if m.group(3).startswith("k") else 1)
        before, after = t[max(0, m.start() - 90):m.start()], t[m.end():m.end() + 40]
        clause_before = re.split(r"[;.]|, (?:ainsi qu'|et )|\bainsi qu", before)[-1]
        clause_after = re.split(r"[,;.]| et | ainsi ", after)[0]
        # the substance named in the figure's own clause (closest first), else before it
        found = [(len(clause_before) - x.end(), k) for k, rule in _SUBSTANCE_RES.items()
                 for x in rule.finditer(clause_before)]
        found += [(x.start(), k) for k, rule in _SUBSTANCE_RES.items() for x in rule.finditer(clause_after)]
        found = found or [(len(before) - x.end(), k) for k, rule in _SUBSTANCE_RES.items() for x in rule.finditer(before)]
        if not found and item.piece and item.piece.kind in ("perquisition", "expertise", "constatations",
                                                            "notification_gav", "autre"):
            # « Pesée : 48,7 g. » in a piece that seizes one substance only
            named = {k for k, rule in _SUBSTANCE_RES.items() if rule.search(_PIECE_TEXT.get(item.citation.cote or "", ""))}
            found = [(0, named.pop())] if len(named) == 1 else []
        if not found:
            continue
        precise = [f for f in found if f[1] != "cannabis"] or found  # « résine de cannabis » is résine
        substance = min(precise)[1]
        mention = _mention("poids", t, m, item, substance)
        if m.group(3).startswith("k"):
            mention.number, mention.low, mention.high = grams, mention.low * 1000, mention.high * 1000
            mention.res *= 1000
        # the figure as the page writes it (« 1 243,6 g », « 1,2 kg »), never rounded into another unit
        mention.shown = f"{_fmt(grams / 1000)} kg" if m.group(3).startswith("k") else f"{_fmt(mention.number)} g"
        mention.topic |= {f"@{substance}"}
        weighed = t[max(0, m.start() - 60):m.end() + 25]
        mention.status = ("brut" if re.search(r"\bbrut|(?:emballages?|sachets?|conditionnements?|pochons?|contenants?)"
                                              r" compris|avec (son |l')?emballage", weighed) else
                          "net" if re.search(r"\bnets?\b|\bnettes?\b|sans emballage", weighed) else "")
        out.append(mention)
    return out


def _fmt(n: float) -> str:
    if n == int(n):
        return f"{int(n):,}".replace(",", "\u202f")
    return f"{n:.2f}".rstrip("0").rstrip(".").replace(".", ",")


# -- persons and things counted ---------------------------------------------------------------------------------
_PERSON_NOUNS = (r"hommes|individus|personnes|agresseurs|auteurs|jeunes|garcons|types|gars|femmes|guetteurs"
                 r"|vendeurs|clients|acheteurs|mineurs|complices|occupants|passagers|silhouettes|inconnus|charbonneurs|choufs"
                 r"|chouffeurs|rabatteurs|nourrices|livreurs|gamins|adolescents")
_ROLES = {"guetteur": r"guet|chouf|surveill(ai|er) (l'entree|les alentours|le hall)|sifflai|crier? ['\"]?ara",
          "client": r"client|acheteur|consommateur|toxicomane", "vendeur": r"vendeur|charbonn|\bvendai",
          "passager": r"passager|occupant|a bord"}
_ROLE_RES = {k: re.compile(v) for k, v in _ROLES.items()}
_THINGS = (r"appels|coups de fil|sms|messages|contacts|communications|coups de poing|coups de pied|coups|gifles?"
           r"|claques?|bieres?|verres?|canettes?|bouteilles?|joints?|sachets?|barrettes?|pochons?|plaquettes?|pains?"
           r"|savonnettes?|ovules?|boulettes?|tirs?|balles?|douilles?|mains?|telephones?|cartes sim"
           r"|voyages?|livraisons?|cambriolages?|vols?|fois")
_COUNT = re.compile(r"(?<![\d:h.,/])\b" + _RANGE + r"\s+(?:seule?s?\s+)?(?:autres\s+)?(" + _PERSON_NOUNS + "|" + _THINGS
                    + r")\b")
_ALONE = re.compile(r"\bil (?:etait|est venu|est arrive|a agi|est entre|est rentre|etait tout) (seul)\b")
_WE_WERE = re.compile(r"\b(?:on|nous|ils|elles) (?:n')?(?:etait|etions|etaient|sont|est) (?:que |plus que |au moins )?"
                      + _RANGE + r"\b(?! (?:h|ans|euros))")


# « il m'a appelée plus de deux cents fois », « dix, quinze fois » (asked how many calls): the thing counted
_TIMES_OF = {"gifle": re.compile(r"gifl"), "appel": re.compile(r"appel|telephon|repondai|repondu|sonn"),
             "sm": re.compile(r"\bsms|messages?|texto"), "coup": re.compile(r"frapp|cogn|\btap[ée]|pouss")}


def _stem_noun(noun: str) -> str:
    last = noun.split()[-1] if not noun.startswith("coups de") else noun.replace(" ", "_")
    return re.sub(r"s$", "", last)


_BLOWS = r"coups? de poing|coups? de pied|coups?|gifles?|claques?|coups? de couteau"


_COUNT_PERIOD = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:par|dans la|chaque|la|le) (jour|journee|nuit|semaine|mois)\b")


def _counts(t: str, item: Item) -> list[Mention]:
    out = []
    t = re.sub(r"\b(?:une|un)\s+(?=(?:" + _BLOWS + r")\b)", "1 ", t)
    for m in _COUNT.finditer(t):
        noun = m.group(3)
        if re.search(r"\b(?:pas|jamais|ni)\s*$", t[max(0, m.start() - 12):m.start()]):
            continue
        if _COUNT_PERIOD.match(t[m.end():m.end() + 30]) and not re.fullmatch(_PERSON_NOUNS, noun):
            continue  # « 4,5 appels par jour », « vingt fois dans la nuit »: a rate, not the count
        if re.fullmatch(_PERSON_NOUNS, noun):
            near = t[max(0, m.start() - 40):m.end() + 60]
            role = next((k for k, rule in _ROLE_RES.items() if rule.search(noun) or rule.search(near)), "")
            out.append(_mention("personnes", t, m, item, role or "personne"))
        elif noun == "fois":
            own = t[max(0, t.rfind(".", 0, m.start()) + 1):m.start()]
            context = t if re.search(r"\b(?:ai|a|as|avons|ont|m'a|l'a|l'ai|il|elle)\s+\w+", own) else (
                t + " " + _asked(item))
            verb = next((k for k, rule in _TIMES_OF.items() if rule.search(context)), "")
            if verb and _declared(item):
                out.append(_mention("nombre", t, m, item, verb, value=m.group(0)))
        elif item.category in ("declaration", "fait", "resultat", "decision"):
            out.append(_mention("nombre", t, m, item, _stem_noun(noun), value=m.group(0)))
    if item.category in ("declaration", "fait"):
        for m in _WE_WERE.finditer(t):
            near = t[m.start():m.end() + 40]
            role = next((k for k, rule in _ROLE_RES.items() if rule.search(near)), "")
            out.append(_mention("personnes", t, m, item, role or "personne"))
        for m in _ALONE.finditer(t):
            out.append(Mention("personnes", m.group(1), 1.0, item, _window(t, m.start(), m.end()), "personne",
                               m.start(), 1.0, 1.0))
    return out


# -- ITT, lengths, rates ----------------------------------------------------------------------------------------
_ITT = re.compile(r"(?:itt|incapacite totale de travail)\D{0,70}?" + _NUM + r"\s*jours|" + _NUM
                  + r"\s*jours?\s*(?:d'itt|d'incapacite)")
_PROVISIONAL = re.compile(r"provisoire|sous reserve|a reevaluer|initial|en l'etat|a revoir")
_FINAL = re.compile(r"definiti|consolid|reevaluation|fixee? (?:a titre )?definiti|au terme")
_LENGTH = re.compile(_RANGE + r"\s*(?:de\s+)?(cm|centimetres?|mm|millimetres?|metres|m)\b(?!\s*/)")
_APPROX_TOKENS = set(tokens("environ longueur largeur hauteur taille mesure mesurant fait faisait une trentaine cm mm "
                            "centimetres metres sur"))
_RATE = re.compile(r"(\d+\.\d+)\s*(mg|g)\s*/\s*l")


_THRESHOLD = re.compile(r"(excedant|excede|superieure?|inferieure?|plus de|moins de|pas plus|au moins)\s*(?:a\s*)?$")


def _itt(t: str, item: Item) -> list[Mention]:
    out: list[Mention] = []
    if item.category not in ("resultat", "fait", "declaration"):
        return out  # a qualification (« ITT n'excédant pas 8 jours ») or a past conviction, not a finding
    for m in _ITT.finditer(t):
        number_at = m.start(1) if m.group(1) else m.start(2)
        if _THRESHOLD.search(t[max(0, number_at - 30):number_at]):
            continue
        g = 1 if m.group(1) else 2
        mention = _mention("itt", t, m, item, "itt", group=g)
        mention.high = mention.low = mention.number
        mention.approx = False
        mention.status = ("provisoire" if "provisoire" in t else "définitive" if _FINAL.search(t)
                          else "provisoire" if _PROVISIONAL.search(t) else "")
        out.append(mention)
    return out


_WOUND = re.compile(r"griffure|ecchymose|hematome|plaie|dermabrasion|erosion|lesion|cicatrice|contusion|abrasion"
                    r"|excoriation|brulure|fracture|oedeme|trace|marque|rougeur|petechie|morsure|cm sur|x \d")


def _lengths(t: str, item: Item) -> list[Mention]:
    out: list[Mention] = []
    if item.piece and item.piece.kind in ("expertise_medicale",) or item.category == "personnalite":
        return out
    for m in _LENGTH.finditer(t):
        unit = m.group(3)
        factor = {"m": 100, "metres": 100, "mm": 0.1}.get(unit, 0.1 if unit.startswith("milli") else 1)
        if factor == 100:
            continue  # distances in metres are places, not objects
        if _WOUND.search(t[max(0, m.start() - 60):m.end() + 20]):
            continue  # the size of a wound is no version of an object
        mention = _mention("longueur", t, m, item, "", width=40)
        mention.number, mention.low, mention.high = (mention.number * factor, mention.low * factor,
                                                     mention.high * factor)
        words = [w for w in tokens(t[max(0, m.start() - 40):m.start()]) if w not in _APPROX_TOKENS and w.isalpha()]
        mention.topic = set(words)
        mention.event = "objet"
        if words:
            mention.shown = f"{_fmt(mention.number)} cm"
            out.append(mention)
    return out


# -- times and dates ----------------------------------------------------------------------------------------------
_TIME = re.compile(r"\b([01]?\d|2[0-3]) ?h ?(\d{2})?\b(?! ?/)")
_EVENTS: dict[str, re.Pattern] = {
    "faits": re.compile(r"\bcri|agress|frapp|\bcoups?\b|dispute|bagarre|altercation|au secours|serr|etrangl|attrap"
                        r"|gifl|pouss|menac|hurl|bruit"),
    "retour": re.compile(r"arriv|rentr|revenu|(?<!de )chez (?:lui|nous)|(?<!de )a la maison|(?:j'etais|je suis reste|"
                         r"je suis|on etait|nous etions) (?:\w+ )?chez moi"),
    "depart": re.compile(r"\bparti|repart|quitt|\bsorti|\bfui|enfui|\bpars\b"),
    "appel": re.compile(r"\b(?:au|le) 17\b(?! ?h)|\bcic\b|police[- ]secours|commissariat|appel(?:e|er|ons)? (?:la|les) "
                        r"(?:police|secours|pompiers)|(?:prevenu|alerte) (?:la police|les secours)|\bappel 17"),
    "message": re.compile(r"\bsms|message"),
}
_PROCEDURAL_TIME = re.compile(r"garde a vue|notifi|avis[eo]|perquisition|prend fin|debut de l'audition|audition"
                              r"|examin|requisition|interpell|fin de|cloture")
_OFFICERS_TIME = re.compile(r"(requis|avises?|arrivons|transportons|sommes|avons ete|procedons|presentons|debut|fin)"
                            r"\b[^,.;]{0,25}$")
_DAY = r"(\d{1,2})(?:er)?\s+(" + "|".join(_strip(m) for m in MONTHS_FR) + r")(?:\s+(\d{4}))?"
_DATE = re.compile(r"\b(?:le\s+|du\s+)?" + _DAY + r"\b|\b(\d{1,2})/(\d{1,2})/(\d{4})\b"
                   r"|\b(debut|fin|mi|courant|en|au mois de|mois de)[\s-]+(" +
                   "|".join(_strip(m) for m in MONTHS_FR) + r")\b(?:\s+(\d{4}))?")
_DATE_EVENTS = {"faits": r"\bfaits?\b|\bnuit\b|\bsoiree\b|\bcommis\b|condamn|en date|\bdate du|jugement|arret du"
                         r"|ordonnance du|requisitoire du|decision du|audience|debat|\bdu\s*$",
                "interpellation": r"interpell|arret[ée]s?\b|arrestation|apprehend|\binterpel",
                "main courante": r"main courante", "perquisition": r"perquisition",
                "plainte": r"(?:depose|deposer|porte|porter|deposee) plainte|\bplainte (?:du|deposee)",
                "mise en examen": r"mis[e]? en examen", "garde a vue": r"place[e]? en garde a vue"}
_DATE_EVENT_RES = {k: re.compile(v) for k, v in _DATE_EVENTS.items()}
_MONTHS_FOLDED = [_strip(m) for m in MONTHS_FR]
_WEEKDAY_BEFORE = re.compile(r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s*(?:le\s*)?$")


_FIRST_PERSON = re.compile(r"\b(je|j'|j |moi|nous|on)\b")


def _whose(near: str, rule: re.Pattern) -> str:
    """« je suis rentré », « j'étais chez moi »: the speaker's own; « il est rentré »: someone else's."""
    found = rule.search(near)
    if not found:
        return "other"
    before = near[max(0, found.start() - 40):found.start()]
    subjects = re.findall(r"\b(je|j'|on|nous|il|elle|ils|elles)\b", before + " " + found.group(0))
    return "self" if subjects and subjects[-1] in ("je", "j'", "on", "nous") else "other"


def _times(t: str, item: Item) -> list[Mention]:
    out: list[Mention] = []
    if item.category not in ("declaration", "fait", "resultat"):
        return out
    for m in _TIME.finditer(t):
        if re.match(r"\s*(?:a|et)\s+\d{1,2} ?h\b", t[m.end():m.end() + 10]) or re.search(
                r"entre\s*$", t[max(0, m.start() - 8):m.start()]):
            continue  # « entre 18 h et 20 h »: a span asked about, not a time stated
        if re.search(r"(entre|de) \d{1,2} ?h ?\d{0,2} (et|a) $", t[max(0, m.start() - 20):m.start()]):
            continue
        if _OFFICERS_TIME.search(t[max(0, m.start() - 40):m.start()]):
            continue
        minutes = int(m.group(1)) * 60 + int(m.group(2) or 0)
        left = max(t.rfind(".", 0, m.start()), t.rfind(";", 0, m.start()), m.start() - 150)
        right = [x for x in (t.find(".", m.end()), t.find(";", m.end())) if x >= 0]
        near = t[left + 1:min(right + [m.end() + 50])]
        if _PROCEDURAL_TIME.search(near):
            continue
        events = [name for name, rule in _EVENTS.items() if rule.search(near)]
        if not events and re.search(r"\b(il|c)'?\s?(etait|est) (environ |vers |a peu pres )?$",
                                    t[max(0, m.start() - 30):m.start()]):
            following = t[min(right + [len(t)]) + 1:min(right + [len(t)]) + 160]  # « Il était 19 h 30. J'ai entendu crier. »
            events = [name for name, rule in _EVENTS.items() if name == "faits" and rule.search(following)]
        if events and _declared(item) and item.piece and item.piece.kind in (
                "plainte", "audition_victime") and "faits" not in events and _whose(near, _EVENTS[events[0]]) == "self":
            events.append("faits")  # the times a victim gives are those of what happened to her
        seen = not _declared(item) and bool(_SEEN.search(near) or re.search(r"\b(arriv|repart|quitt|sort)\w*", near)
                                            and _SEEN.search(t))
        if not _declared(item):  # the officers' own timetable is no version of the facts; the call they got is, and
            # a person seen coming or going by a surveillance
            events = [e for e in events if e == "appel" and re.search(r"\bappel", near)
                      or seen and e in ("retour", "depart")]
        for event in events:
            mention = _mention("heure", t, m, item, event)
            mention.number = mention.low = mention.high = float(minutes)
            mention.value = m.group(0)
            # whose return or departure: the speaker's own (« je suis rentré ») or someone else's (« il est rentré »)
            mention.who = _whose(near, _EVENTS[event]) if _declared(item) else "seen" if seen else "other"
            if mention.who == "seen":
                mention.status = near  # who was seen: the names of this clause, not of the whole report
            out.append(mention)
    return out


def _dates(t: str, item: Item) -> list[Mention]:
    out = []
    dates = list(_DATE.finditer(t))
    for i, m in enumerate(dates):
        # the event the date belongs to: named just before it, or just after it, with no other date in between
        start = max(dates[i - 1].end() if i else 0, m.start() - 45)
        end = min(dates[i + 1].start() if i + 1 < len(dates) else len(t), m.end() + 70)
        before, after = t[start:m.start()], t[m.end():end]
        hits = [(len(before) - x.end(), k) for k, rule in _DATE_EVENT_RES.items() for x in rule.finditer(before)]
        hits += [(x.start() + 5, k) for k, rule in _DATE_EVENT_RES.items() for x in rule.finditer(after)]
        if re.search(r"\bnee? (?:le\s*)?$", t[max(0, m.start() - 10):m.start()]):
            continue  # a birth date is no event of the case
        # the evening a person tells by its weekday and day (« hier soir, samedi 14 mars », « c'était le vendredi
        # 13 mars ») against another's: two persons placing the same night on two days
        evening = (_declared(item) and _WEEKDAY_BEFORE.search(t[max(0, m.start() - 14):m.start()])
                   and (re.search(r"\b(soir|soiree|nuit|ce jour-la|cette nuit-la)\b", t[max(0, m.start() - 70):end]
                                  + " " + _asked(item)) or re.search(r"\b(date|jour|soir|soiree)\b", _asked(item)))
                   and not _DATE_EVENT_RES["interpellation"].search(t[max(0, m.start() - 70):end]))
        if not hits and not evening:
            continue
        event = "soiree" if evening else min(hits)[1]
        if event == "faits":
            continue
        if m.group(1):
            day, month, year = int(m.group(1)), _MONTHS_FOLDED.index(m.group(2)) + 1, m.group(3)
        elif m.group(4):
            day, month, year = int(m.group(4)), int(m.group(5)), m.group(6)
        else:
            day, month, year = 0, _MONTHS_FOLDED.index(m.group(8)) + 1, m.group(9)
        if not 1 <= month <= 12:
            continue
        value = f"{day:02d}/{month:02d}/{year or ''}"
        # whose event: the persons named before the date since the previous one, else after it until the next
        names = _names_in(t[dates[i - 1].end() if i else max(0, m.start() - 120):m.start()]) or _names_in(
            t[m.end():dates[i + 1].start() if i + 1 < len(dates) else m.end() + 120])
        mention = Mention("date", value, float(month * 31 + day), item, _window(t, m.start(), m.end()), event,
                          m.start(), who=",".join(sorted(names)))
        mention.shown = (f"{day} {MONTHS_FR[month - 1]}" if day else f"{m.group(7)} {MONTHS_FR[month - 1]}") + (
            f" {year}" if year else "")
        out.append(mention)
    return out


# -- vehicles -----------------------------------------------------------------------------------------------------
_BRANDS = ("renault|peugeot|citroen|volkswagen|vw|toyota|ford|opel|fiat|bmw|mercedes|audi|seat|skoda|dacia|nissan"
           "|kia|hyundai|tesla|mini|smart|suzuki|honda|yamaha|volvo|jeep|mazda|alfa romeo|land rover|range rover"
           "|lancia|mitsubishi|porsche|piaggio|kymco|cupra|lexus")
_MODELS = ("clio|twingo|megane|captur|kadjar|scenic|laguna|kangoo|espace|zoe|austral|arkana|trafic|master|modus"
           "|[1-5]0{1,2}8|[1-5]008|partner|expert|rifter|c[1-6]|c[1-5] aircross|picasso|berlingo|jumpy|saxo|xsara|ds[3-7]"
           "|golf|polo|passat|tiguan|touran|t-roc|up|transporter|yaris|corolla|aygo|rav4|c-hr|fiesta|focus|kuga|puma"
           "|transit|corsa|astra|insignia|mokka|zafira|punto|panda|500|tipo|doblo|sandero|duster|logan|jogger|spring"
           "|qashqai|juke|micra|leon|ibiza|arona|ateca|octavia|fabia|superb|classe [a-z]|serie [1-7]|x[1-6]|a[1-8]|q[2-8]"
           "|tmax|t-max|vespa|sportage|ceed|picanto|i10|i20|i30|tucson|model [3sxy]|cooper|swift|civic|jazz|xc[4-9]0")
# models that are also common words: a model only after its make (« Renault Trafic », never « le trafic »)
_WORD_MODELS = {"trafic", "master", "expert", "partner", "espace", "up", "jazz", "puma", "spring", "swift", "focus",
                "superb", "jogger", "panda", "cooper", "tipo", "civic", "juke", "kuga", "transit", "modus", "austral"}
_VEHICLE = re.compile(r"\b(?:(" + _BRANDS + r")(?:\s+(" + _MODELS + r"))?|(" + _MODELS + r"))\b")
_GENERIC_VEHICLE = re.compile(r"\b(voiture|vehicule|citadine|berline|scooter|moto|camionnette|utilitaire|4x4|suv"
                              r"|fourgon|break|monospace|coupe)\b")
_COLOUR = re.compile(r"\b(noir|gris|blanc|rouge|bleu|vert|beige|jaune|marron|bordeaux|argent|orange|violet|dore)"
                     r"(?:e|he|s|es|hes)?\b")
_OWN_VEHICLE = re.compile(r"\b(ma|mon|notre|nos|mes) (?:\w+ )?$")
_PLATE = re.compile(r"\b[a-z]{2}-?\d{3}-?[a-z]{2}\b")
# « de l'argent », « mon argent », « l'argent liquide »: money; « couleur argent », « une Clio argent »: a colour
_MONEY_ARGENT = re.compile(r"(?:\bl'|\bd'|\bde l'|\b(?:mon|son|ton|leur|notre|votre|cet|sans|d'|du|en) )\s*$")
_BRAND_OF = {"clio": "renault", "twingo": "renault", "megane": "renault", "captur": "renault", "kadjar": "renault",
             "golf": "volkswagen", "polo": "volkswagen", "vw": "volkswagen", "c3": "citroen", "c4": "citroen",
             "yaris": "toyota", "corsa": "opel", "sandero": "dacia", "duster": "dacia", "qashqai": "nissan"}


def _vehicles(t: str, item: Item) -> list[Mention]:
    if item.category not in ("declaration", "fait", "resultat", "decision"):
        return []
    out = []
    plates = set(_PLATE.findall(t))
    models = []
    for m in _VEHICLE.finditer(t):
        if _OWN_VEHICLE.search(t[max(0, m.start() - 20):m.start()]):
            continue
        brand, model = m.group(1), m.group(2) or m.group(3)
        if m.group(3) and m.group(3) in _WORD_MODELS:
            continue
        if m.group(3) and not (_GENERIC_VEHICLE.search(t[max(0, m.start() - 60):m.end() + 40])
                               or re.search(r"\b(une?|la|le|sa|cette|d'une?)\s*$", t[max(0, m.start() - 10):m.start()])):
            continue  # a bare « 500 » or « up » is no car without a vehicle word or an article
        brand = _BRAND_OF.get(brand or "", brand) or _BRAND_OF.get(model or "", "")
        models.append((m.start(), brand or "", model or ""))
    # « de marque Volkswagen, modèle Polo » is one vehicle: a make alone gives way to its model
    models = [x for x in models if x[2] or not any(y[2] and y[1] == x[1] for y in models)]
    if len({(b, mo) for _, b, mo in models}) == 1:
        at, brand, model = models[0]
        value = " ".join(x for x in (brand, model) if x)
        mention = Mention("vehicule", value, 0.0, item, {"vehicule"} | plates, "vehicule", at)
        mention.status = brand
        mention.who = model
        original = [w for w in re.findall(r"[\wÀ-ÿ\-]+", source_text(item)) if _strip(w).lower() in value.split()]
        mention.shown = " ".join(dict.fromkeys(original)) or value
        out.append(mention)
    # each plate the sentence writes: two plates one or two characters apart are one vehicle written twice
    # (« FR-318-PL » against « FR-381-PL »), one of them wrong
    for pm in _PLATE.finditer(t):
        plate = pm.group(0).replace("-", "").upper()
        mention = Mention("immatriculation", plate, 0.0, item, {"vehicule"}, "vehicule", pm.start())
        raw = re.search(r"\b" + r"-?".join(re.escape(ch) for ch in plate) + r"\b", source_text(item), re.IGNORECASE)
        mention.shown = raw.group(0) if raw else f"{plate[:2]}-{plate[2:5]}-{plate[5:]}"
        out.append(mention)
    # the colour said of the vehicle: within a few words after its name (« une Clio de couleur grise »)
    anchors = [v.end() for v in _GENERIC_VEHICLE.finditer(t)] + [v.end() for v in _VEHICLE.finditer(t)]
    near = [c for a in anchors for c in _COLOUR.finditer(t[a:a + 45])
            if not _OWN_VEHICLE.search(t[max(0, a - 30):a - 5])
            and not (c.group(1) == "argent" and _MONEY_ARGENT.search(t[max(0, a + c.start() - 12):a + c.start()]))]
    colours = {c.group(1) for c in near}
    if len(colours) == 1 and not re.search(r"\b(sweat|veste|blouson|capuche|casquette|pull|pantalon|doudoune)\b",
                                           t[min(anchors):min(anchors) + 45] if anchors else ""):
        colour = colours.pop()
        out.append(Mention("couleur", colour, 0.0, item, {"vehicule"} | plates, "vehicule",
                           min(anchors) if anchors else -1))
    return out


# -- who did it, the phone line, where the money comes from -----------------------------------------------------
_WHO_DID = re.compile(r"\bc'(?:est|etait) ([a-z][a-z\-]{2,})(?: et [a-z][a-z\-]{2,})? qui ([^.;!?]{3,70})")
_NOT_WHO = {"moi", "toi", "lui", "elle", "nous", "vous", "eux", "elles", "celui", "celle", "pas", "bien", "vrai", "la",
            "ca", "cela", "tout", "comme", "donc", "quelqu'un", "personne", "mon", "ma", "son", "sa", "le", "les",
            "ce", "lа", "rien", "faux", "juste", "surtout", "toujours"}
_ACTS = {"tenir": r"gard|stock|cach|deten|planqu|entrepos|conserv|\bstock|nourrice|tenait le (stock|point)",
         "frapper": r"frapp|pouss|tap[ée]|\bcoup|gifl|serr|etrangl|cogn|tabass|bless|agress|tenu",
         "conduire": r"condui|au volant|pilot",
         "vendre": r"vend|deal|revend|negoci|livr|servait les clients",
         "recruter": r"recrut|embauch|m'a propose|m'a fait entrer",
         "diriger": r"\bchef\b|dirig|command|organis|gerait|patron|donnait les ordres",
         "compter": r"compt|ramass|recuper(ait|e) l'argent|argent",
         "reperer": r"repere|repér|indiqu|tuyau"}
_ACT_RES = {k: re.compile(v) for k, v in _ACTS.items()}
_LINE = re.compile(r"\b(ligne|numero|portable|telephone|puce|carte sim|sim|06|07)\b")
_LINE_DENIED = re.compile(r"(?:n'est|c'est) pas (?:ma|mon|a moi|la mienne|le mien)|pas (?:ma ligne|mon numero|mon telephone)"
                          r"|ne (?:le |la )?connais pas (?:ce|cette|ce numero|cette ligne)|ne connais pas ce numero"
                          r"|jamais (?:eu|utilise|possede) (?:ce|cette)|n'est pas a moi|ne m'appartient pas"
                          r"|je n'utilise pas (?:ce|cette)|je ne sais pas a qui|ne l'ai jamais (?:utilise|eu|possede)"
                          r"|ne l'utilise pas|ne m'en (?:suis jamais )?sers? pas")
_LINE_ADMITTED = re.compile(r"(?:c'est|est) (?:bien )?(?:ma ligne|mon numero|mon telephone|la mienne|le mien|a moi)"
                            r"|(?:j'utilisais|j'utilise|je l'utilisais|je l'utilise) (?:cette|ce|la|le)?"
                            r"|(?:cette|la) ligne (?:est|etait) (?:bien )?(?:a moi|la mienne)|je reconnais (?:que )?"
                            r"(?:cette|la) ligne|(?:oui|effectivement),? (?:c'est|la ligne)|(?:je suis|etre) (?:bien )?"
                            r"l'utilisateur|c'est (?:bien )?moi qui (?:l'utilise|utilise)|c'est mon (?:deuxieme |second "
                            r"|autre )?(?:telephone|portable|numero)")
# « le 06 39 … c'est le téléphone de Yanis », « cette ligne, c'était celle de Mehdi »
_LINE_OF = re.compile(r"(?:c'est|c'etait|est|etait) (?:bien |aussi |surtout )?(?:le telephone|la ligne|le numero|le portable"
                      r"|celui|celle|le tel)(?: de travail| pro)? (?:de|d') ?([a-z][a-z\-]{2,})")
_MONEY = re.compile(r"\b(argent|somme|sommes|billets|especes|liasse|fric|oseille|numeraire)\b")
_ORIGIN_CUE = re.compile(r"vien[ts]? d|venait d|provien|provenance|origine|ce sont (?:mes|ses|des|les)|c'est (?:mon|ma"
                         r"|mes|le|la|l'argent|de l'argent|du|de la)|c'etait (?:mon|ma|mes|du|de la|l'argent)|de mes"
                         r"|economis|mis de cote|gagne (?:avec|grace|en)")
_LICIT = re.compile(r"econom|salaire|\bpaie\b|travail|interim|mission|chantier|heritage|\bpret|prete|famille|\bmere\b"
                    r"|oncle|tante|frere|soeur|cousin|grand-mere|grand-pere|parents|confie|donne a garder"
                    r"|snack|commerce|brasserie|restaurant|boutique|magasin|entreprise|societe"
                    r"|\bpere\b|allocation|\bcaf\b|rsa|chomage|jeux?\b|pmu|loto|casino|vente de (?:ma|mon) "
                    r"|cadeau|bourse|mariage")
_ILLICIT = re.compile(r"(?:argent|recette|caisse) du (?:terrain|point|four|charbon|reseau|deal)|trafic"
                      r"|vente de (?:la |de la )?(?:resine|cannabis|drogue|shit|herbe|cocaine|stup|produit)"
                      r"|\bdeal|\bpoint\b|\bstup|recette|\bvol(?:s|e)?\b|cambriol|\bbijoux|illegal|illicite|du reseau")


def _as_written(text: str, folded_words: str) -> str:
    """The page's own words for a folded match (« vente de resine » -> « vente de résine »), whole words."""
    folded = _strip(text).lower().replace("’", "'")
    at = folded.find(folded_words) if len(folded) == len(text) else -1
    if at < 0:
        return folded_words
    end = at + len(folded_words)
    while end < len(text) and (text[end].isalnum() or text[end] in "-'"):
        end += 1
    return text[at:end]


_NAME_ACTS = re.compile(r"\b([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?) (?:qui )?(gardait|stockait|cachait|détenait"
                        r"|detenait|tenait|planquait|conservait|conduisait|dirigeait|commandait|frappait|vendait)\b"
                        r"([^.;!?]{0,50})")


_ROLE_NOUNS = {"tenir": r"la nourrice|le stock|la planque", "diriger": r"le chef|le gerant|le patron|le responsable",
               "vendre": r"le vendeur|le charbonneur", "conduire": r"le chauffeur|le conducteur"}
_BY_ROLE = re.compile(r"\b(?:(" + "|".join(_ROLE_NOUNS.values()) + r"),? c'(?:est|etait) ([a-z][a-z\-]{2,})"
                      r"|c'(?:est|etait) ([a-z][a-z\-]{2,}),? (" + "|".join(_ROLE_NOUNS.values()) + r"))\b")


_SELF_DID = re.compile(r"\bc'(?:est|etait) (moi|lui|elle)(?: meme)? qui ([^.;!?]{3,70})")
_CAPITALISED = re.compile(r"\b([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?|[A-ZÀ-Ý]{3,})\b")


def _self_or_named(m: re.Match, t: str, text: str, item: Item) -> tuple[str, str] | None:
    """(value, shown) of « moi » (the speaker, when the answer is his) or « lui / elle » (the one person named in
    the words before, in the same answer)."""
    if m.group(1) == "moi":
        if not (_declared(item) and item.person_key and " " in item.person_key):
            return None
        surname, first = item.person_key.split()[:2]
        return first.lower(), item.person or f"{first.title()} {surname}"
    before = source_text(item)[:max(0, int(len(text) * m.start() / max(1, len(t))))]
    # a name, not the capital of a sentence's first word: a person of the dossier, or a word inside a sentence
    named = [x.group(1) for x in _CAPITALISED.finditer(before) if _strip(x.group(1)).lower() not in _NOT_WHO and (
        _strip(x.group(1)).upper() in _NAME_WORDS or not re.search(r"(^|[.!?»:]\s*)$", before[:x.start()]))]
    names = list(dict.fromkeys(named))
    if len(names) > 1:  # « à Jordan, un gars de Millau »: the one the speaker presents as a person
        names = [n for n in names if re.search(rf"\b{re.escape(n)}\b,? (?:un|une|le|la|mon|ma) (?:gars|type|mec|ami|amie"
                                               r"|copain|copine|cousin|cousine|pote|homme|femme|fille|voisin|voisine|frere"
                                               r"|collegue|connaissance)\b", _strip(before))]
    if len(names) != 1:
        return None
    return _strip(names[0]).lower(), names[0]


def _who_did(t: str, item: Item) -> list[Mention]:
    out = []
    text = source_text(item)
    for m in _BY_ROLE.finditer(t):
        role, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        at = re.search(rf"\b({re.escape(name)})\b", _strip(text), re.IGNORECASE)
        if name in _NOT_WHO or not at or not text[at.start()].isupper():
            continue
        act = next(k for k, v in _ROLE_NOUNS.items() if re.fullmatch(v, role))
        out.append(Mention("auteur", name, 0.0, item, {f"@{act}", *tokens(role)}, act, m.start(),
                           shown=text[at.start():at.end()]))
    for m in _NAME_ACTS.finditer(text):
        name = _strip(m.group(1)).lower()
        if name in _NOT_WHO or m.start() == 0 and name in ("il", "elle", "on"):
            continue
        clause = _prepare(m.group(2) + m.group(3))
        acts = {k for k, rule in _ACT_RES.items() if rule.search(clause)}
        out.append(Mention("auteur", name, 0.0, item, set(tokens(clause)) | {f"@{a}" for a in acts},
                           ",".join(sorted(acts)), _prepare(text).find(name), shown=m.group(1)))
    for m in _SELF_DID.finditer(t):
        # « c'est moi qui gardais la marchandise »: the speaker himself; « C'est à Bilal. C'est lui qui garde … »:
        # the person named just before
        who = _self_or_named(m, t, text, item)
        if not who:
            continue
        name, shown = who
        clause = m.group(2)
        acts = {k for k, rule in _ACT_RES.items() if rule.search(clause)}
        out.append(Mention("auteur", name, 0.0, item, set(tokens(clause)) | {f"@{a}" for a in acts},
                           ",".join(sorted(acts)), m.start(), shown=shown))
    for m in _WHO_DID.finditer(t):
        name = m.group(1)
        if name in _NOT_WHO or not re.search(rf"\b{re.escape(name)}", _strip(source_text(item)), re.IGNORECASE):
            continue
        original = re.search(rf"\b({re.escape(name)})", _strip(source_text(item)), re.IGNORECASE)
        if not original or not source_text(item)[original.start():original.start() + 1].isupper():
            continue  # a first name or a surname, written with a capital
        clause = m.group(2)
        acts = {k for k, rule in _ACT_RES.items() if rule.search(clause)}
        topic = set(tokens(clause)) | {f"@{a}" for a in acts}
        mention = Mention("auteur", name, 0.0, item, topic, ",".join(sorted(acts)), m.start())
        mention.shown = source_text(item)[original.start():original.end()]
        out.append(mention)
    return out


def _line_and_origin(t: str, item: Item) -> list[Mention]:
    out = []
    if not _declared(item):
        return out
    asked = _asked(item)
    for n, clause in enumerate(re.split(r"(?<=[.;!?])\s+", t)):
        about_line = n == 0 and _LINE.search(asked) and re.search(r"\b(votre|vous|a vous)\b", asked)
        if about_line and not _LINE.search(clause):
            at = t.find(clause)
            if re.match(r"\s*(non|jamais|ce n'est pas|je ne (?:la |le )?connais pas)\b", clause):
                out.append(Mention("ligne", "nie", 0.0, item, {"ligne"}, "ligne", at, status="nie",
                                   shown="ligne contestée"))
            elif re.match(r"\s*(oui|c'est (?:bien )?(?:la mienne|le mien|ma ligne|mon numero)|effectivement)\b", clause):
                out.append(Mention("ligne", "reconnait", 1.0, item, {"ligne"}, "ligne", at, status="reconnaît",
                                   shown="ligne reconnue"))
        if _LINE.search(clause):
            at = t.find(clause)
            if _LINE_DENIED.search(clause):
                out.append(Mention("ligne", "nie", 0.0, item, {"ligne"}, "ligne", at, status="nie",
                                   shown="ligne contestée"))
            elif _LINE_ADMITTED.search(clause):
                out.append(Mention("ligne", "reconnait", 1.0, item, {"ligne"}, "ligne", at, status="reconnaît",
                                   shown="ligne reconnue"))
        if _LINE.search(clause):
            owner = _LINE_OF.search(clause)
            if owner and owner.group(1) not in _NOT_WHO and not _LINE_DENIED.search(clause):
                out.append(Mention("ligne", "attribuee", 1.0, item, {"ligne"}, "ligne", t.find(clause) + owner.start(),
                                   status="attribuée", who=owner.group(1), shown=f"ligne attribuée à {owner.group(1).title()}"))
        # « Les 14 370 euros découverts dans votre armoire ? »: a question naming a sum asks where it comes from
        about_money = n == 0 and (_MONEY.search(asked) or re.search(r"\d+ euros", asked)) and (
            re.search(r"provien|provenance|origine|vient|d'ou", asked) or re.search(r"\d+ euros[^?]{0,80}\?\s*$", asked))
        if (_MONEY.search(clause) and _ORIGIN_CUE.search(clause)) or about_money:
            licit, illicit = _LICIT.search(clause), _ILLICIT.search(clause)
            if bool(licit) != bool(illicit):
                found = licit or illicit
                assert found is not None
                kind = "licite" if licit else "illicite"
                out.append(Mention("origine", kind, 0.0, item, {"argent"}, "argent", t.find(clause) + found.start(),
                                   status=kind, shown=_as_written(source_text(item), found.group(0))))
    return out


# -- contacts, presence, the room, the record ---------------------------------------------------------------------
_DENIED_CONTACT = re.compile(r"\b(?:plus|pas|jamais|aucun) (?:de |d')?(?:contacts?|nouvelles|relations?)\b"
                             r"|\bje ne (?:le|la|les) (?:connais|vois|frequente|appelle) (?:pas|plus)\b"
                             r"|\b(?:pas|plus) (?:vu|parle|appele)\b")
_COUNTED_CONTACTS = re.compile(r"\b(\d{1,5}) (?:contacts|appels|communications|sms|echanges)\b")
_ELSEWHERE = re.compile(r"\bj'etais (?:chez moi|a la maison|a mon domicile|chez (?:mon|ma|mes) \w+|au travail"
                        r"|au boulot|a l'entrepot|avec (?:ma|mon) \w+|a (?:mon|l') ?\w+"
                        r"|au (?:snack|bar|cafe|restaurant|cinema|stade|foot|sport|marche|garage|bureau|chantier|taf"
                        r"|lycee|college|kebab|magasin|club)\b)|\bje n'y etais pas\b"
                        r"|\bje n'etais pas (?:la|sur place|a la cite|dans le quartier|au)|je (?:ne )?suis pas (?:alle|sorti)"
                        r"|pas bouge de chez moi|pas mis les pieds|je n'ai pas quitte|je suis reste (?:chez|a la maison"
                        r"|toute)")
_THEIR_ALIBI = re.compile(r"\b(?:il|elle) (?:etait|est reste|est restee|a passe la soiree|a dormi) (?:avec moi|chez moi"
                          r"|a la maison|chez nous|toute la (?:soiree|nuit))|\b(?:il|elle) n'est pas sorti")
_REQUESTING = re.compile(r"\b(requerons|requiert|nous communiquer|de bien vouloir|veuillez)\b")
_NO_CELL_THERE = re.compile(r"\baucun (?:relais|releve|bornage|declenchement|evenement)\b[^.;]{0,60}\b(?:sur|a|dans"
                            r"|de) (?:la commune d[e'] ?|la ville d[e'] ?)?[a-z][a-z\-']+")
_ON_THE_SPOT = re.compile(r"\b(cellule|borne|bornage|declenche|active|relais|geolocalis)")
_SEEN = re.compile(r"\b(observons|apercevons|apercoit|apercoivent|observe|observent|est vu|est apercu|voyons"
                   r"|identifie|repere|constatons la presence|identifions formellement|reconnaissons"
                   r"|distinguons|on distingue|apparait|est filme|filmee?s?|sort du hall|sortir du hall|sortie du hall"
                   r"|remettre|remet|formellement reconnue?)\b")
_ROOM = re.compile(r"\b(cuisine|salon|sejour|chambre|couloir|salle de bains|buanderie|bureau|cave|garage|entree"
                   r"|baignoire)\b")
_STRUCK = re.compile(r"frapp|serr|etrangl|attrap|gifl|pouss|coups?\b|poing|cou\b|plaque|tenu|tenait|bless|cri")
_AT_WORK = re.compile(r"\bje (?:travaillais|bossais|etais (?:au travail|au boulot|de service|en mission|a l'entrepot"
                      r"|au chantier))|\bj'etais au (?:travail|boulot|chantier)")
_NO_WORK = re.compile(r"(absence|pas|aucune?) (?:de |d')?(mission|travail|vacation|service|pointage|poste)\b"
                      r"|n'a pas travaille|n'etait pas (?:de service|planifie|present)|absent de son poste")
_OFFENCES = r"violences?|vols?|stupefiants?|alcool|conduite|escroquerie|menaces?|armes?|recel|trafic"
# « Le bulletin n° 1 ne comporte aucune condamnation », « Néant »: a record that holds none is no conviction
_EMPTY_RECORD = re.compile(r"\b(?:aucune|ne comporte (?:la mention d')?aucune|pas de|sans) (?:mention de )?condamnation"
                           r"|\bneant\b|\bvierge\b|ne comporte aucune (?:mention|inscription)")
_NEVER_CONVICTED = re.compile(r"jamais (?:ete )?condamne|pas de casier|casier (?:judiciaire )?(?:est )?vierge"
                              r"|jamais eu affaire a la justice|aucune condamnation")


def _details(item: Item, t: str) -> list[Mention]:
    """The details compared by their words: who did what, contacts, presence, the room, the record."""
    out: list[Mention] = []
    if _declared(item):
        out += _who_did(t, item)
        m = _DENIED_CONTACT.search(t)
        if m:
            out.append(Mention("contact", "aucun contact", 0.0, item, set(), "contact", m.start()))
        m = _ELSEWHERE.search(t) if item.piece and item.piece.kind in ACCUSED_HEARINGS else None
        if m:
            out.append(Mention("presence", "ailleurs", 0.0, item, set(), "presence", m.start()))
        m = _THEIR_ALIBI.search(t) if item.piece and item.piece.kind in ("audition_temoin",) else None
        if m:
            # a witness giving someone an alibi (« il était chez moi toute la soirée »): about the other persons the
            # piece names, never the witness himself
            own = set(_speaker(item).lower().split())
            others = sorted(_names_in(_PIECE_TEXT.get(item.citation.cote or "", "")) - own)
            if others:
                out.append(Mention("presence", "ailleurs", 0.0, item, set(), "presence", m.start(),
                                   who=" ".join(w.upper() for w in others)))
        m = _AT_WORK.search(t)
        if m:
            out.append(Mention("presence", "au travail", 0.0, item, set(), "travail", m.start(), who="self"))
        m = _NEVER_CONVICTED.search(t)
        if not m and re.search(r"condamn|casier|antecedent", _asked(item)):
            m = re.search(r"\b(jamais|non|aucune?)\b", t)
        if m:
            offence = set(re.findall(_OFFENCES, t[m.start():m.start() + 80]))
            out.append(Mention("antecedents", "jamais condamné", 0.0, item, offence, "antecedents", m.start(),
                               shown="jamais condamné" + (f" ({', '.join(sorted(offence))})" if offence else "")))
    if item.category in ("resultat", "fait"):
        m = _COUNTED_CONTACTS.search(t)
        if m and int(m.group(1)) > 0 and item.category == "resultat":
            out.append(Mention("contact", m.group(0), float(m.group(1)), item, set(), "contact", m.start()))
        spot, seen, times = _ON_THE_SPOT.search(t), _SEEN.search(t), list(_TIME.finditer(t))
        asking = _REQUESTING.search(t)  # a requisition asks for the cells; only its answer locates anyone
        none_there = _NO_CELL_THERE.search(t) if item.category == "resultat" and not asking else None
        if none_there:
            out.append(Mention("presence", "pas à l'endroit dit", 1.0, item, set(), "presence", none_there.start(),
                               shown="non localisé à l'endroit dit"))
        elif times and not asking and (spot and item.category == "resultat" or seen):
            # the quote is centred on the middle of the times the result lists (« 18 h 02, … 19 h 09, … 19 h 21 »)
            middle = times[len(times) // 2].start() if len(times) > 2 else times[0].start()
            out.append(Mention("presence", "sur les lieux", 1.0, item, set(), "presence", middle))
    if not _declared(item):
        m = _NO_WORK.search(t)
        if m and re.search(r"\b(le|du) \d{1,2} \w+|ce jour|ce jour-la", t):
            out.append(Mention("presence", "pas au travail", 1.0, item, set(), "travail", m.start()))
    if item.category == "personnalite" and item.piece and item.piece.kind == "casier" and re.search(
            r"condamn|emprisonnement|sursis|amende|peine", t) and not _EMPTY_RECORD.search(t):
        out.append(Mention("antecedents", "condamnation", 1.0, item, set(re.findall(_OFFENCES, t)), "antecedents",
                           0, shown="condamnation"))
    if _declared(item):
        offset = 0
        for sentence in re.split(r"(?<=[.!?])\s+", t):  # the room of one sentence, not of a whole answer
            own = item.piece is not None and item.piece.kind == "audition_temoin"
            found_rooms = [m for m in _ROOM.finditer(sentence)
                           if not re.search(r"porte (?:d'|de l'|de la |du )$|\b(?:mon|ma|notre)\s$" if own else
                                            r"porte (?:d'|de l'|de la |du )$", sentence[max(0, m.start() - 12):m.start()])]
            rooms = {m.group(1) for m in found_rooms}
            found = found_rooms[0] if found_rooms else None
            if len(rooms) == 1 and found and _STRUCK.search(sentence):
                out.append(Mention("piece", rooms.pop(), 0.0, item, set(), "faits", offset + found.start()))
                break
            offset += len(sentence) + 1
    return out


_TOPONYM = re.compile(r"\b(?:à|a|au|aux|en|vers|près de|pres de|de|du|des)\s+(?:la |le |les |l')?(?:[a-zà-ÿ]{3,} "
                      r"(?:de |du |des |d')?)?([A-ZÀ-Ý][a-zà-ÿ]+(?:(?:-(?:de|du|des|la|le|les|sur|sous|en|aux?)-|[- ])"
                      r"[A-ZÀ-Ý][a-zà-ÿ]+)*)")
_NOT_PLACES = {"M", "MME", "MLLE", "MONSIEUR", "MADAME", "ME", "MAITRE", "DR", "DOCTEUR", "JE", "IL", "ELLE", "ON",
               "NOUS", "OUI", "NON", "LUNDI", "MARDI", "MERCREDI", "JEUDI", "VENDREDI", "SAMEDI", "DIMANCHE",
               *(_strip(m).upper() for m in MONTHS_FR)}
_WE = re.compile(r"\b(je|j'|on|nous)\b")


def _places(item: Item, names: set[str]) -> list[Mention]:
    """Where a person says an act took place (« vendus à un receleur à Montreuil »): the towns and places named
    with a preposition in a sentence that tells an act; persons' names are not places."""
    if not _declared(item):
        return []
    out = []
    text = source_text(item)
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        folded = _prepare(sentence)
        acts = {k for k, rule in _ACT_RES.items() if rule.search(folded)}
        if not acts or not _WE.search(folded):
            continue  # the place of an act the speaker tells (« on les a vendus à Montreuil »)
        places = [m.group(1) for m in _TOPONYM.finditer(sentence)
                  if not {_strip(w).upper() for w in re.split(r"[- ]", m.group(1))} & (names | _NOT_PLACES)]
        if not places:
            continue
        value = ", ".join(dict.fromkeys(places))
        at = _prepare(text).find(_strip(places[0]).lower())
        out.append(Mention("lieu", value, 0.0, item, {_strip(p).lower() for p in places},
                           ",".join(sorted(acts)), at, shown=value))
    return out


def mentions_of(item: Item) -> list[Mention]:
    text = source_text(item)
    t = _prepare(text)
    out = _amounts(t, item) + _weights(t, item) + _counts(t, item) + _itt(t, item) + _lengths(t, item)
    out += _times(t, item) + _dates(t, item) + _vehicles(t, item) + _line_and_origin(t, item)
    for m in _RATE.finditer(t) if item.category not in ("personnalite", "decision") else []:
        out.append(Mention("taux", m.group(0), float(m.group(1)), item, set(tokens(text)), m.group(2), m.start(),
                           float(m.group(1)), float(m.group(1))))
    out += _details(item, t)
    seen: set[tuple] = set()
    unique: list[Mention] = []
    for m in out:  # « 1 870 euros (mille huit cent soixante-dix euros) » is one statement
        key = (m.kind, m.value, m.number, m.event)
        if key not in seen:
            seen.add(key)
            unique.append(m)
    # « 98 grammes et 5 décigrammes, soit 98,5 g »: the figure written with its decimals
    return [m for m in unique if not (m.kind in ("poids", "montant", "longueur") and any(
        o is not m and o.kind == m.kind and o.event == m.event and o.res > m.res and o.number != m.number
        and abs(o.number - m.number) <= 0.01 * max(o.number, m.number) for o in unique))]


# -- pairing ------------------------------------------------------------------------------------------------------
def _names_speaker(result: Mention, declaration: Mention) -> bool:
    """The result is about the person who spoke (his surname or first name in it), or about the person a witness
    gives an alibi."""
    key = declaration.who if declaration.who and declaration.who != "self" else _speaker(declaration.item)
    if not key:
        return False
    folded = _prepare(source_text(result.item)).upper()
    return any(part and re.search(rf"\b{re.escape(part)}\b", folded) for part in key.split())


_PIECE_TEXT: dict[str, str] = {}  # cote -> folded text of its sentences, set by find_contradictions


def _named_in_piece(own: Mention, other: Mention) -> bool:
    """The person telling his own return (or the one a witness gives an alibi) is named in the piece where another
    tells « il est rentré » (or where the cells of his line are listed)."""
    key = own.who if own.who and own.who not in ("self", "seen") else _speaker(own.item)
    text = _PIECE_TEXT.get(other.item.citation.cote or "", "")
    return bool(key) and any(part and re.search(rf"\b{re.escape(part.lower())}\b", text) for part in key.split())


def _casier_of(record: Mention, declaration: Mention) -> bool:
    piece = record.item.piece
    key = _speaker(declaration.item)
    return bool(piece and key and piece.heard and piece.heard[0][0].split()[0] == key.split()[0])


def _same_side(a: Mention, b: Mention) -> bool:
    if a.item.citation.cote != b.item.citation.cote or _speaker(a.item) != _speaker(b.item):
        return False
    # the initial certificate and the re-examination filed under one cote are two acts: a provisional then a final
    # ITT on two pages of the piece is an evolution to show
    return not (a.kind == "itt" and a.item.citation.page != b.item.citation.page and a.status != b.status)


_UNIT_WORDS = set(tokens("euros euro heures heure vers environ minutes jours jour fois grammes gramme"))


def _shared(a: Mention, b: Mention, common: set[str]) -> set[str]:
    return {w for w in (a.topic & b.topic) - common if not w[:1].isdigit() and w not in _UNIT_WORDS
            and not w.startswith("@")}


def _comparable(a: Mention, b: Mention, common: set[str], rare: frozenset[str] | set[str] = frozenset()) -> float:
    """0 when the two mentions do not speak of the same thing; otherwise how sure we are that they do."""
    same_person = bool(_speaker(a.item)) and _speaker(a.item) == _speaker(b.item)
    shared = _shared(a, b, common)
    classes = {w for w in a.topic & b.topic if w.startswith("@")} - {"@vol"}  # several thefts in one dossier
    cats = (a.item.category, b.item.category)
    if a.kind == "itt":
        return 3.0
    if a.kind == "personnes":
        if a.event != b.event:
            return 0.0
        return 2.5 + same_person + (a.event != "personne")
    if a.kind == "poids":
        kinds = {a.event, b.event}
        # « résine » and « herbe » are both cannabis; « produit stupéfiant » may be any of them
        return 3.0 if len(kinds) == 1 or "cannabis" in kinds and kinds <= {"cannabis", "resine", "herbe"} else 0.0
    if a.kind == "nombre":
        # a count is contradicted by what a person says, not by another count of a report (a total and its part)
        if a.event != b.event or "declaration" not in cats:
            return 0.0
        return 1.5 + same_person + 0.3 * min(3, len(shared))
    if a.kind == "taux":
        return 2.0 if a.event == b.event else 0.0
    if a.kind == "longueur":
        return 2.0 + 0.5 * min(2, len(shared)) if shared else 0.0  # the blade, the bar: the object named on both sides
    if a.kind == "heure":
        # a time is contradicted by what a person says, not by the officers' own timetable
        if a.event != b.event or "declaration" not in cats:
            return 0.0
        watched = a if a.who == "seen" else b if b.who == "seen" else None
        if watched is not None:
            told = b if watched is a else a
            key = _speaker(told.item)
            named = bool(key) and any(re.search(rf"\b{re.escape(part.lower())}\b", watched.status)
                                      for part in key.split())
            return 2.5 if _declared(told.item) and told.who == "self" and named else 0.0
        if a.event in ("retour", "depart") and not same_person:
            if a.who == b.who == "self":
                return 0.0  # two persons, each telling his own comings and goings
            own = a if a.who == "self" else b if b.who == "self" else None
            other = b if own is a else a
            if own is not None and not _named_in_piece(own, other):
                return 0.0  # « il est rentré vers 21 heures » is about someone else than the speaker
        return 1.0 + same_person + 0.3 * min(3, len(shared))
    if a.kind == "date":
        if a.event != b.event:
            return 0.0
        if a.who and b.who and not set(a.who.split(",")) & set(b.who.split(",")):
            return 0.0  # two persons, each arrested on his own day
        if not (a.value.endswith("/") or b.value.endswith("/")) and a.value[6:] != b.value[6:]:
            return 2.5
        return 2.5
    if a.kind == "lieu":
        if not same_person or a.topic & b.topic or not set(a.event.split(",")) & set(b.event.split(",")):
            return 0.0
        return 2.0
    if a.kind in ("couleur", "vehicule"):
        plates_a, plates_b = {w for w in a.topic if _PLATE.fullmatch(w)}, {w for w in b.topic if _PLATE.fullmatch(w)}
        if plates_a and plates_b and not plates_a & plates_b:
            return 0.0  # two vehicles
        if _speaker(a.item) == _speaker(b.item) and a.item.citation.cote == b.item.citation.cote:
            return 0.0
        return 3.0 if plates_a & plates_b else 2.0  # the same plate described otherwise: one of them is wrong
    if a.kind == "immatriculation":
        return 3.0 if _near_plates(a.value, b.value) else 0.0
    if a.kind == "auteur":
        if not (classes or len(shared) >= 2):
            return 0.0
        return 2.5 + 0.5 * bool(classes)
    if a.kind == "presence" and a.event == "travail":
        said, found = sorted((a, b), key=lambda m: not _declared(m.item))
        if not _declared(said.item) or _declared(found.item):
            return 0.0
        return 2.5 if _names_speaker(found, said) or _casier_of(found, said) else 0.0
    if a.kind in ("contact", "presence"):
        said, found = sorted((a, b), key=lambda m: not _declared(m.item))
        if not _declared(said.item) or _declared(found.item) or found.item.category not in ("resultat", "fait") or (
                found.item.category == "fait" and a.kind == "contact"):
            return 0.0
        if found.value == "pas à l'endroit dit":
            # « aucun relais de Choisy-le-Roi n'a été activé » by the line the piece attributes to the person
            return 2.5 if _named_in_piece(said, found) else 0.0
        return 2.5 if _names_speaker(found, said) else 0.0
    if a.kind == "antecedents":
        said, record = sorted((a, b), key=lambda m: not _declared(m.item))
        if not _declared(said.item) or record.item.category != "personnalite":
            return 0.0
        if said.topic and not said.topic & record.topic:
            return 0.0  # « jamais pour des violences » is not contradicted by a drink-driving conviction
        dated = bool(re.search(r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2} (?:" + "|".join(_MONTHS_FOLDED) + ")",
                               _prepare(source_text(record.item))))
        return (2.5 + 0.5 * bool(said.topic) + 0.3 * dated) if _casier_of(record, said) else 0.0
    if a.kind == "ligne" and "attribuee" in (a.value, b.value):
        # he denies the line, another says it is his: the attribution names the one who denies
        denied, given = (a, b) if b.value == "attribuee" else (b, a)
        if denied.value != "nie" or given.value == "nie":
            return 0.0
        key = _speaker(denied.item)
        return 3.0 if key and given.who.upper() in key.split() and not _same_side(a, b) else 0.0
    if a.kind in ("ligne", "origine"):
        return 3.0 if same_person else 0.0
    if a.kind == "piece":
        return 1.5 + 0.5 * (_speaker(a.item) != _speaker(b.item))
    # amounts: of one period; the same person at two stages or two pieces, about the same thing
    if a.event != b.event:
        return 0.0
    if a.who and b.who and not set(a.who.split(",")) & set(b.who.split(",")):
        return 0.0  # « Mickaël m'a donné 200 euros » and « Yanis m'a donné 250 euros » are two sums
    if a.status == b.status == "own pay" and not same_person:
        return 0.0  # the lookout's pay and the seller's pay, each his own
    held = {w for w in classes if w.startswith("@in:")}
    if held and "@vol" in a.topic & b.topic:
        return 2.0 + same_person  # what the stolen bag held, told by the victim and by another: one sum
    if not same_person and not shared:
        return 0.0  # two sums « found » or « paid » in two pieces, nothing else in common: two different sums
    if classes or len(shared) >= 2 or (a.event and len(shared) >= 1) or shared & rare:
        return 1.5 + same_person + 0.5 * bool(classes) + 0.3 * min(4, len(shared))
    return 0.0


def _overlap(a: Mention, b: Mention, tolerance: float) -> bool:
    """The two values (ranges when approximate, widened by `tolerance`) can be the same figure."""
    widen_a = tolerance * (a.low if a.high == float("inf") else max(abs(a.high), abs(a.low))) if a.approx else 0.0
    widen_b = tolerance * (b.low if b.high == float("inf") else max(abs(b.high), abs(b.low))) if b.approx else 0.0
    return a.low - widen_a <= b.high + widen_b and b.low - widen_b <= a.high + widen_a


def _near_plates(a: str, b: str) -> bool:
    """Two plates of one vehicle written twice: the same characters but two swapped (« 318 » / « 381 »), or one or
    two characters misread, the rest in place."""
    if a == b or len(a) != len(b):
        return False
    if sorted(a) == sorted(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 2:
        return True
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _differ(a: Mention, b: Mention) -> bool:
    if a.kind in ("lieu", "couleur", "auteur", "piece", "origine", "ligne", "immatriculation"):
        return a.value != b.value
    if a.kind == "vehicule":
        if a.status and b.status and a.status != b.status:
            return True  # two makes
        return bool(a.who and b.who and a.who != b.who)
    if a.kind == "date":
        da, db = a.value.split("/"), b.value.split("/")
        if da[2] and db[2] and da[2] != db[2]:
            return True
        if da[0] == "00" or db[0] == "00":
            return da[1] != db[1]
        return da[:2] != db[:2]
    if a.kind in ("contact", "presence", "antecedents"):
        return (_declared(a.item)) != (_declared(b.item))
    if a.kind == "heure":
        return 10 < abs(a.number - b.number) <= 6 * 60
    if a.kind == "montant":
        if max(a.high, b.high) > 3 * min(a.low, b.low) and float("inf") not in (a.high, b.high):
            return False  # 50 € notes and a 3 000 € total are not two versions of a sum
        return not _overlap(a, b, 0.1) and abs(a.number - b.number) > 0.005 * max(a.number, b.number)
    if a.kind == "poids" and max(a.number, b.number) > 3 * min(a.number, b.number):
        return False  # a stock and a dose
    if a.kind == "poids" and {a.status, b.status} == {"brut", "net"}:
        gross, net = (a, b) if a.status == "brut" else (b, a)
        return not net.number <= gross.number <= 1.12 * net.number  # the packaging weighs a few per cent
    if a.kind in ("poids", "longueur"):
        return not _overlap(a, b, 0.1) and abs(a.number - b.number) > max(0.005 * max(a.number, b.number), a.res, b.res)
    if a.kind in ("personnes", "nombre"):
        return not _overlap(a, b, 0.15)
    return a.number != b.number


def _bucket(m: Mention) -> tuple:
    if m.kind in ("personnes", "nombre", "heure", "date", "montant", "taux", "presence"):
        return (m.kind, m.event)
    return (m.kind,)


def find_contradictions(items: list[Item], limit: int = 40) -> list[Contradiction]:
    """Pairs of mentions of the same kind and subject whose values differ, strongest first, one per value pair."""
    names = _person_names(items)
    _NAME_WORDS.clear()
    _NAME_WORDS.update(n for n in names if len(n) >= 3)
    _PIECE_TEXT.clear()
    for it in items:
        cote = it.citation.cote or ""
        _PIECE_TEXT[cote] = _PIECE_TEXT.get(cote, "") + " " + _strip(it.text).lower()
    # a decision or a synthesis retelling the PVs is no version of its own: its figures are checked against their
    # source by `generation/copies.py`
    mentions = [m for it in items if not (it.piece and it.piece.kind in RESTATING)
                for m in mentions_of(it) + _places(it, set(names))]
    for m in mentions:
        if m.kind == "auteur":  # « Mickaël » is Mickaël DORANGE when the dossier hears one Mickaël
            full = names.get(_strip(m.shown).upper())
            if full and full != m.shown:
                m.shown = full
    df: dict[str, int] = {}
    for it in items:
        for w in set(tokens(it.text)):
            df[w] = df.get(w, 0) + 1
    common = {w for w, n in df.items() if n > max(6, len(items) // 8)}
    rare = {w for w, n in df.items() if n <= 3}
    buckets: dict[tuple, list[Mention]] = {}
    for m in mentions:
        buckets.setdefault(_bucket(m), []).append(m)
    found: dict[tuple, Contradiction] = {}
    for group in buckets.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if _same_side(a, b) or a.item is b.item or not _differ(a, b):
                    continue
                strength = _comparable(a, b, common, rare)
                if strength <= 0:
                    continue
                first, second = sorted((a, b), key=lambda m: m.item.order)
                values = (first.number, second.number) if a.kind not in _WORD_KINDS else (first.value, second.value)
                # two bières against four, and two coups against four, are two contradictions
                key = (a.kind, a.event if a.kind in ("nombre", "heure", "date", "montant") else "",
                       *sorted(values, key=str))
                current = found.get(key)
                if current is None:
                    found[key] = Contradiction(a.kind, first, second, strength)
                    continue
                if strength > current.strength:  # the stronger pair of the same two values is the one quoted
                    old_a, old_b = current.a, current.b
                    current.a, current.b = (first, second) if _key(first) == _key(old_a) else (second, first)
                    current.more_a = [x for x in [old_a, *current.more_a] if x.item is not current.a.item][:5]
                    current.more_b = [x for x in [old_b, *current.more_b] if x.item is not current.b.item][:5]
                current.strength = max(current.strength, strength)
                for m in (first, second):
                    same_a = _key(m) == _key(current.a)
                    side, extra = (current.side_a, current.more_a) if same_a else (current.side_b, current.more_b)
                    if len(side) < 6 and all(x.item is not m.item and x.item.citation.cote != m.item.citation.cote
                                             for x in side):
                        extra.append(m)
    _join_colours(found)
    ranked = sorted(found.values(), key=lambda c: -c.strength)
    out: list[Contradiction] = []
    used: dict[tuple, int] = {}
    for c in ranked:
        # the same figure of a sentence may side in two contradictions at most: otherwise it floods the section
        keys = [(id(c.a.item), c.kind, _key(c.a)), (id(c.b.item), c.kind, _key(c.b))]
        if any(used.get(k, 0) >= 2 for k in keys) or any(used.get((k[0],), 0) >= 4 for k in keys):
            continue
        for k in keys:
            used[k] = used.get(k, 0) + 1
            used[(k[0],)] = used.get((k[0],), 0) + 1
        out.append(c)
        if len(out) >= limit:
            break
    return out


def _join_colours(found: dict[tuple, Contradiction]) -> None:
    """A model and a colour told otherwise by the same two sentences are one point: « Peugeot 308 grise » against
    « Peugeot 3008 blanche »."""
    models = [c for c in found.values() if c.kind == "vehicule"]
    for key, c in list(found.items()):
        if c.kind != "couleur":
            continue
        items = {id(c.a.item), id(c.b.item)}
        home = next((v for v in models if {id(v.a.item), id(v.b.item)} == items), None)
        if home is None:
            continue
        for model in (home.a, home.b):
            colour = c.a if c.a.item is model.item else c.b
            word = value_text(colour)
            if word.lower() not in model.shown.lower():
                model.shown = f"{model.shown or value_text(model)} {word}"
        home.strength = max(home.strength, c.strength)
        del found[key]


def _person_names(items: list[Item]) -> dict[str, str]:
    """Every name word of the persons the dossier hears (folded, upper case) -> « First SURNAME » when that first
    name designates one person only."""
    firsts: dict[str, set[str]] = {}
    words: dict[str, str] = {}
    pieces = {id(it.piece): it.piece for it in items if it.piece}
    for piece in pieces.values():
        for key, display in piece.heard + [(k, "") for k in piece.roles.values()]:
            parts = key.split()
            for w in parts:
                words.setdefault(w, "")
            if len(parts) == 2:
                first = re.search(r"\b([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\b", display or "")
                surname = re.search(r"\b([A-ZÀ-Ý][A-ZÀ-Ý'\-]{2,})\b", display or "")
                if first and surname and _strip(first.group(1)).upper() == parts[1]:
                    firsts.setdefault(parts[1], set()).add(f"{first.group(1)} {surname.group(1)}")
    out = dict(words)
    for first, full in firsts.items():
        if len(full) == 1:
            out[first] = next(iter(full))
    return out


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
    return raw


def value_text(m: Mention) -> str:
    if m.shown:
        return m.shown
    if m.kind == "nombre":
        # the count with its noun as the page writes it (« 4 ou 5 bières », « une seule main »)
        words = m.value.split()
        source = {_strip(w).lower(): w for w in re.findall(r"[\wÀ-ÿ'\-]+", source_text(m.item))}
        shown = " ".join(source.get(w, w) if not w[:1].isdigit() else w for w in words)
        shown = re.sub(r"^1 seule?\b", lambda x: "une seule" if x.group(0).endswith("e") else "un seul", shown)
        if shown.startswith("1 "):  # « une gifle » as the page writes it, never a « 1 » it does not write
            noun = shown[2:].split()[0] if shown[2:].split() else ""
            article = re.search(rf"\b(une?)\s+{re.escape(_strip(noun).lower())}", _strip(source_text(m.item)).lower())
            shown = f"{article.group(1)} {shown[2:]}" if article else shown
        return shown
    if m.kind in ("couleur", "auteur", "piece"):
        # the word as the page writes it (« grise », « Yanis », « salle de bains »)
        source = source_text(m.item)
        for word in re.findall(r"[\wÀ-ÿ'\-]+", source):
            if _strip(word).lower().startswith(m.value.split()[0]):
                return word.strip("'") if m.kind != "piece" else m.value.replace("sejour", "séjour")
    if m.kind in ("montant", "personnes", "nombre") and m.high != m.low and m.high != float("inf"):
        unit = {"montant": " €", "personnes": " personnes"}.get(m.kind, "")
        return f"{_fmt(m.low)} à {_fmt(m.high)}{unit}" if m.kind != "nombre" else m.value
    if m.kind == "montant" and m.event:
        return _display(m.kind, m.number, m.value) + {"jour": " par jour", "semaine": " par semaine",
                                                      "mois": " par mois"}.get(m.event, "")
    return _display(m.kind, m.number, m.value)


def _key(m: Mention) -> str:
    return m.value if m.kind in _WORD_KINDS else str(m.number)
