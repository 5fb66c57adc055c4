"""Procedural boilerplate of French case files: what a magistrate strikes from a synthesis.

Two tools: `is_boilerplate` says a whole sentence is a formula (opening, rights, closing, visas, letterhead,
address, footer, file name); `strip_formula` removes the formula around a fact and keeps the fact
(« Rappelons à M. X, placé en garde à vue ce jour à 6 h 05, qu'il bénéficie des droits … » keeps the time).
"""
from __future__ import annotations

import re

from core.text import strip_accents

_I = re.IGNORECASE

# Whole-sentence procedural formulas (accent-free, lower-case patterns are matched on a folded copy).
_FORMULAS = [
    r"^dont (acte|proces-verbal)",
    r"lecture faite",
    r"persiste et signe",
    r"^(apres|apres avoir) (lecture|relecture)",
    r"(fait|clos) et clos|^fait et (clos|cloture)",
    r"^(le present|ce) proces-verbal",
    r"proces-verbal (a ete )?(relu|lu|clos|cloture)",
    r"^(nous )?(signons|signe|signent|signe avec nous)\b",
    r"\bsignons (avec|le present|seul)",
    r"refuse de signer",
    r"^vu\b",
    r"\b(prend|prenons|a pris) fin\b|^(debut|fin) de (la |l')?(perquisition|mesure|audition|garde a vue)",
    r"^(mentionnons|disons|transmettons|annexons|joignons|constatons qu'il est)\b",
    r"^(nous )?(avons )?(avise|avisons|informons|informe|rendons compte|rendu compte)\b.*"
    r"\b(magistrat|procureur|juge|parquet|officier)",
    r"\b(donnons|avons donne|a ete donne) (connaissance|lecture)",
    r"^(la personne|l'interesse|l'interessee|le mis en cause|la personne entendue).{0,40}(a ete|est) (informee?|avisee?)",
    r"^(les pieces et scelles|les operations ont ete|les constatations et les declarations)",
    r"^(nous )?avons procede aux diligences",
    r"^fait (a|au|en|le)\b.{0,60}$",
    r"remis en main propre|^(certificat|rapport|piece) (remis|transmis|adresse)",
    r"droit de faire des declarations|de repondre aux questions ou de se taire",
    r"^(l'|le |la |les )?(officier|agent|greffier|greffiere|juge|procureur|substitut|expert|medecin|interprete"
    r"|temoin|plaignante?|victime|mis en examen|comparants?|personne entendue|enqueteur|capitaine|lieutenant"
    r"|brigadier|gardien de la paix|avocat|conseil)\b[^.\d]{0,70}$",
    r"^(agissant|operant|poursuivant) (en|conformement|sur|dans|en vertu)",
    r"^(officier|agent) de police judiciaire\b",
    r"^(l'officier|l'agent|le brigadier|le capitaine|le lieutenant|le commandant|le gardien de la paix|le greffier"
    r"|la greffiere|le juge d'instruction|la juge d'instruction|le procureur|le substitut|l'interprete|l'avocat"
    r"|le conseil|la personne entendue|le temoin|la victime|le plaignant|la plaignante|le mis en examen"
    r"|la mise en examen)\s*[.:,]?\s*$",
    r"^(signature|signe|\(signe\)|cachet|sceau)\b",
    r"^(tel|telephone|fax|telecopie|courriel|mel|e-mail|adresse)\s*[.:]",
    r"^(page|pages)\s*\d+",
    r"^cote\s*:?\s*[a-d]\s*\d",
    r"\.(pdf|docx?|odt|tiff?|jpe?g|png)\b",
    r"^piece[_-]\d+",
    r"^(proces-verbal|pv|procedure|affaire|objet|references?|ref|n/ref|v/ref|dossier|parquet|instruction) ?n[°o]",
    r"^(question|demande|q|d)\s*[:.-]",
    r"^(certifions|certifie) (sincere|exact|conforme)",
    r"^(le present|la presente) (acte|ordonnance|requisition) (sera|est) (notifie|transmis|adresse)",
    r"^(avertissons|rappelons|notifions|informons)\b.*\b(droit|droits|article|avocat|medecin|interprete|taire|silence)",
    r"\b(droit|droits) (de se taire|de garder le silence|d'etre assiste|d'etre examine|de faire prevenir"
    r"|de communiquer|de presenter des observations|mentionnes aux articles)",
    r"\barticles? 63-(1|2|3|4)\b",
    r"\bformulaire (de notification|des droits)",
    r"^(ne )?(souhaite|desire) (etre assiste|faire prevenir|etre examine|un avocat|s'entretenir)",
    r"^(declare|declarons) (ne pas )?(savoir|vouloir) (lire|signer)",
    r"^(sur interpellation|sur question)\s*[:,]?\s*$",
    r"^(reponse|r)\s*:?\s*$",
]
_FORMULA_RE = [re.compile(p, _I) for p in _FORMULAS]

# « L'an deux mille vingt-six, le douze janvier, à vingt heures trente, Nous, Jean MARTIN, Capitaine de police,
# officier de police judiciaire en résidence à …, agissant en vertu de …, » : the opening of a police record.
_OPENING = re.compile(
    r"^(l'an\s[^,]{3,60},\s*)?(le\s[^,]{3,60},\s*)?((a|vers)\s[^,]{3,40},\s*)?"
    r"nous\s*,?\s*[^;]{0,300}(officier|agent|juge|greffier|procureur|substitut|commissaire|capitaine|lieutenant"
    r"|brigadier|gardien|adjudant|gendarme|major)[^;,]{0,120},(?:\s*(?:assiste|en residence|en fonction|agissant"
    r"|conformement|en vertu|poursuivant)[^;,]{0,160},)*\s*(?=[a-z])"
    , _I)
_OPENING_DATE = re.compile(r"^l'an\s[^,]{3,60},\s*le\s[^,]{3,60}", _I)
_LETTERHEAD_WORDS = re.compile(
    r"^(republique francaise|ministere|prefecture|police nationale|gendarmerie nationale|direction|sous-direction"
    r"|commissariat|brigade|service|sûrete|surete|division|groupe|unite|office|tribunal|cour d'appel|parquet"
    r"|cabinet|juridiction|hopital|hopitaux|centre hospitalier|unite medico|laboratoire|institut|casier judiciaire"
    r"|spip|service penitentiaire|association|liberte|egalite)\b", _I)
_ADDRESS = re.compile(r"^\s*\d{1,4}\s*(bis|ter)?,?\s*(rue|avenue|av\.|boulevard|bd|allee|place|impasse|chemin|route|quai"
                      r"|cours|square|passage|voie)\b|\b\d{5}\s+[A-Z][A-Za-z\- ]+(cedex)?\s*$", _I)
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")


def fold(text: str) -> str:
    return strip_accents(text).lower().replace("’", "'").strip()


def is_letterhead(text: str) -> bool:
    """A service line: upper-case words without a verb, a ministry/service name, or a text cut mid-line."""
    t = text.strip()
    letters = [c for c in t if c.isalpha()]
    if not letters:
        return True
    upper = sum(c.isupper() for c in letters) / len(letters)
    if upper > 0.8 and len(t) < 160:
        return True
    folded = fold(t)
    return bool(_LETTERHEAD_WORDS.match(folded)) and not re.search(r"[.!?]\s*$", t) and len(t) < 160


def is_boilerplate(text: str) -> bool:
    """True when the whole sentence is a procedural formula, a letterhead, an address, a footer or a file name."""
    t = text.strip()
    words = _WORD.findall(t)
    if len(words) < 3 or (len(words) <= 6 and not re.search(r"\d", t) and not re.search(r"[.!?»]\s*$", t)):
        return True
    folded = fold(t)
    if any(p.search(folded) for p in _FORMULA_RE):
        return True
    if is_letterhead(t) or _ADDRESS.search(folded) and len(t) < 120:
        return True
    return False


_RIGHTS_CLAUSE = re.compile(r",?\s*(qu'(il|elle)|que (la personne|l'interesse))\s+(beneficie|dispose|peut|a le droit"
                            r"|a la faculte).*$", _I)
_PERSON = re.compile(r"\b(M\.|Mme|Monsieur|Madame|Mlle)\s+(?:[A-ZÀ-Ý][a-zà-ÿ\-]+\s+)?[A-ZÀ-Ý][A-ZÀ-Ý'\-]{2,}")
_TIME_OR_DATE = re.compile(r"\d|\b(ce jour|hier|la veille)\b", _I)


_CAPS_PREFIX = re.compile(r"^([A-ZÀ-Ý0-9'’ ,°\-—–/().]{15,}?)\s+(?=[A-ZÀ-Ý][a-zà-ÿ'’])")
_LEADING_CLAUSES = re.compile(
    r"^(?:(?:vu\b[^,]*(?:,\s*\d+[^,]*)*|(?:le|la) (?:procureure?|substitute?|juge|vice-president)[^,]{0,90}"
    r"|(?:apres|après) avoir (?:recueilli|entendu)[^,]{0,120}),\s*)+", _I)
_ATTENDU = re.compile(r"^(?:et )?attendu (?:qu'|que )", _I)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def strip_formula(text: str) -> str:
    """The fact inside a formula, or the sentence unchanged; "" when nothing factual remains."""
    t = text.strip()
    m = _CAPS_PREFIX.match(t)
    if m and len(t) - m.end() > 30:
        t = t[m.end():]
    m = _OPENING.match(fold(t))
    if m and m.end() < len(t) - 15:
        rest = t[m.end():].strip()
        t = rest[:1].upper() + rest[1:]
    m = _LEADING_CLAUSES.match(fold(t))
    if m and len(t) - m.end() > 20:
        t = _capitalise(t[m.end():].strip())
    m = re.search(r"\b(et )?attendu (qu'|que )", t, _I)
    if m and m.start() > 0 and re.match(r"^(vu|et notamment|le procureur|la procureure|nous)\b", fold(t)):
        t = t[m.start():]
    m = _ATTENDU.match(t)
    if m:
        t = _capitalise(t[m.end():].strip())
    folded = fold(t)
    if re.match(r"^(rappelons|notifions|informons|avisons|avertissons)\b", folded):
        # Keep the participle clause carrying a time or date (« placé en garde à vue ce jour à 6 h 05 »).
        person = _PERSON.search(t)
        clauses = [c.strip() for c in re.split(r",", _RIGHTS_CLAUSE.sub("", t)) if _TIME_OR_DATE.search(c)]
        clauses = [c for c in clauses if re.search(r"\b(plac|interpell|entendu|present|conduit|arriv|retenu)", fold(c))]
        if clauses:
            head = person.group(0) if person else ""
            fact = ", ".join(clauses)
            return f"{head}, {fact}".strip(" ,") + "." if head and head not in fact else fact.rstrip(".") + "."
        return ""
    if is_boilerplate(t):
        return ""
    return t


def opening_date(text: str) -> str | None:
    """« L'an deux mille vingt-six, le douze janvier » of a record's opening, as written."""
    m = _OPENING_DATE.match(text.strip())
    return m.group(0) if m else None
