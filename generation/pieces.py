"""Piece typing from headers and content, the piece's date and the person it hears."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from core.text import MONTHS_FR, numbers_in_words_to_digits, strip_accents

# (code, French label, pattern on the folded heading lines); order breaks ties on the same line.
PIECE_RULES: list[tuple[str, str, str]] = [
    ("synthese", "Rapport de synthèse",
     r"rapport de (synthese|fin d'enquete)|proces[- ]verbal de synthese|\bpv de synthese|^synthese( de l'enquete)?$"),
    ("casier", "Bulletin n° 1 du casier judiciaire", r"bulletin n.? ?1\b|casier judiciaire|releve des condamnations"),
    ("personnalite", "Enquête de personnalité", r"enquete (de personnalite|sociale)|rapport d'enquete sociale"),
    ("expertise_psy", "Expertise psychiatrique ou psychologique",
     r"(expertise|examen|rapport) (medico-)?(psychiatrique|psychologique)"),
    ("requisitoire_introductif", "Réquisitoire introductif", r"requisitoire (introductif|suppletif)"),
    ("ordonnance_detention", "Ordonnance de placement en détention provisoire",
     r"ordonnance (de placement en |de prolongation de la |de )detention|mandat de depot"),
    ("ordonnance_cj", "Ordonnance de placement sous contrôle judiciaire",
     r"ordonnance (de placement sous |de mise sous |de )controle judiciaire|ordonnance\b.{0,60}\bsous controle judiciaire"),
    ("interrogatoire_premiere", "Interrogatoire de première comparution", r"premiere comparution"),
    ("confrontation", "Confrontation", r"confrontation"),
    ("interrogatoire", "Interrogatoire au fond", r"interrogatoire"),
    ("garde_a_vue", "Audition en garde à vue",
     r"audition.{0,40}(garde a vue|gardee? a vue)|audition (du |de la |d'un |d'une )?(suspect|mis en cause|personne "
     r"mise en cause)|garde a vue.{0,40}\baudition"),
    ("notification_gav", "Interpellation et placement en garde à vue",
     r"(notification|placement|prolongation) (de |en |de la )?(la )?garde a vue|interpellation|notification des droits"),
    ("plainte", "Plainte", r"\bplainte\b|depot de plainte"),
    ("audition_victime", "Audition de victime", r"audition.{0,30}(victime|partie civile|plaignant)"),
    ("audition_temoin", "Audition de témoin", r"audition.{0,30}temoin|\baudition\b"),
    ("faed", "Identification dactyloscopique (FAED)", r"\bfaed\b|dactylo|papillaire|empreintes? digitale"),
    ("expertise_adn", "Expertise génétique", r"genetique|\badn\b|fnaeg"),
    ("expertise_medicale", "Certificat ou expertise médico-légale",
     r"medico|certificat medical|\bumj\b|u\.m\.j|legiste|autopsie|examen medical"),
    ("exploitation_telephonie", "Exploitation de la téléphonie",
     r"exploitation.{0,40}(telephon|fadette|ligne|donnees de connexion)|analyse (de la |des )?(telephon|fadette)"
     r"|fadettes|interceptions?\b|correspondances (telephoniques )?interceptees|ecoutes telephoniques"),
    ("reponse_requisition", "Réponse à réquisition (téléphonie, banque)",
     r"(exploitation|reponse|retour|analyse).{0,40}(requisition|telephon|bancaire|operateur|fadette|releve|compte)"
     r"|fadettes|releves? bancaire"),
    ("requisition", "Réquisition", r"requisition"),
    ("video", "Exploitation de vidéoprotection", r"video"),
    ("perquisition", "Perquisition, saisie et scellés", r"perquisition|saisie|scelle"),
    ("constatations", "Procès-verbal de constatations", r"constatation|transport sur les lieux|intervention|surveillance"
     r"|filature"),
    ("ordonnance", "Ordonnance", r"^ordonnance"),
    ("expertise", "Expertise ou rapport", r"expertise|rapport"),
]
LABELS = {code: label for code, label, _ in PIECE_RULES} | {"autre": "Pièce non typée"}
_RULES = [(code, re.compile(p)) for code, _, p in PIECE_RULES]
DECLARATION_KINDS = {"plainte", "audition_victime", "audition_temoin", "garde_a_vue", "interrogatoire_premiere",
                     "interrogatoire", "confrontation"}
# the hearings of a person suspected (garde à vue, before the judge, confrontation): where he admits or denies
ACCUSED_HEARINGS = {"garde_a_vue", "interrogatoire_premiere", "interrogatoire", "confrontation"}
STAGES = {"plainte": "plainte", "audition_victime": "audition", "audition_temoin": "audition",
          "garde_a_vue": "garde à vue", "interrogatoire_premiere": "interrogatoire de première comparution",
          "interrogatoire": "interrogatoire", "confrontation": "confrontation"}


def fold(text: str) -> str:
    return strip_accents(text).lower().replace("’", "'")


# A title naming two acts (« PV d'interpellation et de perquisition », « notification de garde à vue et première
# audition ») is typed by the act that carries the substance, not by the formality that opens it.
_OUTRANKED_BY = {"notification_gav": ("garde_a_vue", "perquisition"), "requisition": ("reponse_requisition",),
                 "ordonnance": ("ordonnance_detention", "ordonnance_cj")}
# Letterhead lines name a service (« Cellule réquisitions », « Brigade des stupéfiants »), not the act.
_LETTERHEAD = re.compile(r"^(cellule|direction|sous-direction|service|brigade|prefecture|commissariat|police|"
                         r"gendarmerie|groupe|division|office|section|unite|departement|banque|societe|ref\b|"
                         r"reference|affaire|procedure|parquet|tribunal|cour d'appel|ministere|laboratoire|"
                         r"centre hospitalier|hopital|institut)")
_ANSWER_HEADING = re.compile(r"^(complement de )?reponse\b|^retour (de|a) (la )?requisition|^resultats? de la requisition")
_AUDITION_HEADING = re.compile(r"^((premiere|deuxieme|seconde|troisieme|\d+e) )?audition\b")


def _upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) > 0.7 * len(letters)


def title_blocks(first_page: str, limit: int = 15) -> list[str]:
    """The act's title as consecutive upper-case heading lines joined (a title wraps: « ORDONNANCE DE MISE EN
    LIBERTÉ ET DE PLACEMENT SOUS / CONTRÔLE JUDICIAIRE »), letterhead lines left out."""
    blocks: list[str] = []
    current: list[str] = []
    for line in [ln.strip() for ln in first_page.splitlines() if ln.strip()][:limit]:
        if _upper(line) and len(line) < 120 and not _LETTERHEAD.match(fold(line)) and not re.match(r"^cote\b",
                                                                                                      fold(line)):
            current.append(line)
            continue
        if current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def _match(folded: str) -> str | None:
    found = [code for code, rule in _RULES if rule.search(folded)]
    if not found:
        return None
    better = [c for c in _OUTRANKED_BY.get(found[0], ()) if c in found]
    return better[0] if better else found[0]


def _refine(kind: str, rest: str) -> str:
    """What the later pages show: a réquisition followed by the answer (« RÉPONSE DE LA BANQUE … ») is the
    answer; a notification of garde à vue followed by an audition in questions and answers is the audition."""
    if not rest:
        return kind
    raw = [ln.strip() for ln in rest.splitlines() if ln.strip()]
    lines = [fold(ln) for ln in raw]
    if kind == "requisition" and any(_upper(r) and _ANSWER_HEADING.search(ln) for r, ln in zip(raw, lines, strict=True)):
        return "reponse_requisition"
    if kind == "notification_gav":
        questions = sum(1 for ln in lines if re.match(r"^(q|question)\s*[:.\-—/]", ln))
        if questions >= 3 and any(_AUDITION_HEADING.search(ln) for ln in lines):
            return "garde_a_vue"
    return kind


def classify(first_page: str, title: str = "", rest: str = "") -> str:
    """The piece type: the act's title (upper-case heading lines, joined when they wrap), then the earliest heading
    line that names a type, then a meaningful title (manifest or file name), then the content of the first page;
    `rest` (the whole piece) lets the later pages correct a formality that opens the piece."""
    return _refine(_classify_first(first_page, title), rest or first_page)


def _classify_first(first_page: str, title: str) -> str:
    for block in title_blocks(first_page):
        code = _match(fold(block))
        if code:
            return code
    lines = [ln.strip() for ln in first_page.splitlines() if ln.strip()][:15]
    for line in lines:
        folded = fold(line)
        if len(folded) > 160 or _LETTERHEAD.match(folded):
            continue
        code = _match(folded)
        if code:
            return code
    if title and not re.match(r"^(piece|doc|scan|img|document)[\s_-]*\d*$", fold(title)):
        code = _match(fold(title.replace("_", " ")))
        if code:
            return code
    folded = fold(first_page[:1500])
    for code, rule in _RULES:
        if code not in ("ordonnance", "expertise") and rule.search(folded):
            return code
    return "autre"


_MONTHS = "|".join(strip_accents(m) for m in MONTHS_FR)
_DATE = re.compile(r"\b(\d{1,2})(?:er)?\s+(" + _MONTHS + r")\s+(\d{4})\b")
_DATE_NUM = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def dates_in(text: str) -> list[date]:
    """Every date of the text, written in words (« le douze janvier deux mille vingt-six ») or in digits."""
    t = fold(numbers_in_words_to_digits(text))
    t = re.sub(r"\b(\d{1,2}) (" + _MONTHS + r"),? (?:l'an )?(\d{4})", r"\1 \2 \3", t)
    out = []
    for m in _DATE.finditer(t):
        try:
            out.append(date(int(m.group(3)), [strip_accents(x) for x in MONTHS_FR].index(m.group(2)) + 1,
                            int(m.group(1))))
        except ValueError:
            continue
    for m in _DATE_NUM.finditer(t):
        try:
            out.append(date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
        except ValueError:
            continue
    return out


def piece_date(first_page: str) -> date | None:
    """The date the act was drawn up: « L'an deux mille vingt-six, le douze janvier », « Fait … le », else the
    first date of the heading; birth dates (« né le ») are skipped."""
    t = numbers_in_words_to_digits(first_page)
    m = re.search(r"l'an (\d{4}),? le (\d{1,2})(?:er)? (\w+)", fold(t))
    if m:
        found = dates_in(f"{m.group(2)} {m.group(3)} {m.group(1)}")
        if found:
            return found[0]
    cleaned = re.sub(r"\bn[ée]e? le [^,;.]{3,30}", " ", t, flags=re.IGNORECASE)
    for pattern in (r"\b(?:fait|clos)\b[^.]{0,60}?\ble ([^.,;]{6,40})", r"^(.{0,900})"):
        m = re.search(pattern, fold(cleaned), re.DOTALL)
        if m:
            found = dates_in(m.group(1))
            if found:
                return found[0]
    return None


_CIV = r"(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle|Me|Maître|Dr|Docteur)"
_UPPER = r"[A-ZÀ-Ý][A-ZÀ-Ý'\-]{2,}"
_FIRST = r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?"
PERSON = re.compile(rf"(?:(?P<civ>{_CIV})\s+)?(?:(?P<first>{_FIRST})\s+)?(?P<last>{_UPPER}(?:\s+{_UPPER})?)\b"
                    rf"(?:\s+(?P<after>{_FIRST})\b)?")
_NOT_NAMES = {"POLICE", "NATIONALE", "GENDARMERIE", "PROCES", "PROCÈS", "VERBAL", "AUDITION", "PLAINTE", "QUESTION",
              "REPONSE", "RÉPONSE", "TRIBUNAL", "JUDICIAIRE", "CASIER", "BULLETIN", "ORDONNANCE", "RÉPUBLIQUE",
              "REPUBLIQUE", "FRANÇAISE", "PARQUET", "SERVICE", "COTE", "PAGE", "RAPPORT", "EXPERTISE", "FAED", "FNAEG",
              "ADN", "ITT", "UMJ", "SMS", "GAV", "OPJ", "APJ", "CEDEX", "VUE", "GARDE", "INSTRUCTION", "CABINET",
              "PROCUREUR", "JUGE", "NATIONAL", "DÉTENTION", "DETENTION", "CONTRÔLE", "CONTROLE", "ENQUÊTE",
              "PERSONNALITÉ", "CERTIFICAT", "MÉDICAL", "INITIAL", "CONFRONTATION", "INTERROGATOIRE", "PREMIÈRE",
              "COMPARUTION", "RÉQUISITOIRE", "INTRODUCTIF", "PERQUISITION", "SAISIE", "TÉMOIN", "VICTIME", "SCELLÉ",
              "SCELLÉS", "CONSTATATIONS", "RÉQUISITION", "EXPLOITATION", "TÉLÉPHONIQUE", "DOSSIER", "AFFAIRE",
              "OBJET", "BRIGADE", "COMMISSARIAT", "DIRECTION", "SÛRETÉ", "UNITÉ", "LABORATOIRE", "INSTITUT", "MINISTÈRE",
              "PRÉFECTURE", "CENTRE", "HOSPITALIER", "SPIP", "DES", "LES", "DE", "DU", "ET", "PAR", "POUR", "SUR",
              "AUX", "NOTIFICATION", "PLACEMENT", "INTERPELLATION", "GÉNÉTIQUE", "TRANSPORT", "LIEUX", "MANDAT",
              "DÉPÔT", "SOUS", "EN", "LA", "LE", "AU", "UN", "UNE", "ENTRE", "MOTIFS", "CES", "ORANGE", "SFR", "FREE",
              "BOUYGUES", "SAMSUNG", "APPLE", "IPHONE", "BMW", "RENAULT", "PEUGEOT", "CITROEN", "CITROËN", "EUR", "TTC",
              "CPP", "CP", "DOUBLE", "ZONE", "NUMÉRO", "LIBERTÉ", "ÉGALITÉ", "FRATERNITÉ"}
_OFFICIAL_BEFORE = re.compile(r"\b(nous\s*,|ma[iî]tre|me|dr|docteur|greffier|greffière|juge|capitaine|lieutenant"
                              r"|brigadier|commandant|gardien de la paix|expert|substitut|procureur|assistée? de)"
                              r"[\s,]*$", re.IGNORECASE)


def name_key(last: str) -> str:
    return strip_accents(last.split()[0]).upper()


def _without_capital_lines(text: str) -> str:
    """Letterheads and titles are upper-case lines: their words are services, not people."""
    kept = []
    for line in text.splitlines():
        letters = [c for c in line if c.isalpha()]
        upper = sum(c.isupper() for c in letters) / max(1, len(letters))
        kept.append("" if upper > 0.8 and len(letters) > 6 else line)
    return "\n".join(kept)


_PLACE_PART = re.compile(r"-(?:SUR|SOUS|LES|LÈS|LEZ|EN|LA|LE|DE|DU|DES|AUX|ET)-|^(?:SAINTE?|ST|STE)-", re.IGNORECASE)
_BEFORE_PLACE = re.compile(r"\b(?:DE|D'|DU|À|A|AU|SUR|LES)\s*$")


def _place(word: str, before: str) -> bool:
    """A commune written in capitals: a compound with « -SUR- », « -LES- », « SAINT- »…, or a word after an
    upper-case preposition (« TRIBUNAL JUDICIAIRE DE MEAUX »)."""
    return bool(_PLACE_PART.search(word) or _BEFORE_PLACE.search(before))


def persons_in(text: str, skip_headings: bool = True) -> list[tuple[str, str]]:
    """(key, display) of every person named « M. Karim LOURMEL », « Nadia FERRAND », « LOURMEL Karim », « LOURMEL »:
    the key is the surname, with the first name when the text gives it (two FERRANDOU are two people)."""
    out = []
    for m in PERSON.finditer(_without_capital_lines(text) if skip_headings else text):
        last = m.group("last")
        words = [w for w in last.split() if w.strip("'-") not in _NOT_NAMES and len(re.sub(r"[^A-ZÀ-Ý]", "", w)) >= 3
                 and not w.endswith("-")]
        if not words:
            continue
        first = m.group("first") or m.group("after")
        if first and first.lower() in _NOT_FIRST:
            first = None
        if len(words[0]) <= 4 and not first and not m.group("civ"):
            continue  # DDSP, GPX, BAC: services and ranks, not people
        if not first and not m.group("civ") and _place(words[0], text[max(0, m.start() - 12):m.start()]):
            continue  # « TRIBUNAL JUDICIAIRE DE VALLON-SUR-MARNE »: a commune in a heading, not a person
        surname = " ".join(words)
        display = " ".join(x for x in (m.group("civ"), first, surname) if x)
        key = name_key(words[0]) + (f" {strip_accents(first).upper()}" if first else "")
        out.append((key, display))
    return out


_NOT_FIRST = {"le", "la", "les", "un", "une", "et", "de", "du", "des", "en", "au", "aux", "par", "pour", "sur", "dans",
              "avec", "qui", "que", "il", "elle", "question", "réponse", "reponse", "né", "née", "cote", "page",
              "lecture", "dont", "nous", "vu", "fait", "monsieur", "madame", "mme", "contre", "selon", "chez",
              "entendons", "interrogeons", "recevons", "constatons", "notifions", "rappelons", "requérons",
              "requerons", "domicile", "scellé", "scelle"}


def surname(key: str) -> str:
    return key.split()[0] if key else ""


def roles_in(text: str) -> dict[str, str]:
    """« FERRANDOU Mickaël, mis en examen », « LAMBOISE Sandrine, partie civile »: role -> person key."""
    out: dict[str, str] = {}
    for m in re.finditer(PERSON.pattern + r"[^.;\n]{0,60}?,\s*(?P<role>mis en examen|mise en examen|partie civile"
                         r"|t[ée]moin assist[ée]e?|victime|plaignante?)", text):
        found = persons_in(m.group(0).rsplit(",", 1)[0], skip_headings=False)
        if found:
            role = fold(m.group("role")).replace("mise", "mis").replace("plaignante", "plaignant")
            out.setdefault(role.replace("temoin assistee", "temoin assiste"), found[0][0])
    return out


def officials_of(text: str) -> set[str]:
    """Surnames of the officer, judge, clerk, lawyer or doctor acting in the piece (never the person heard)."""
    out = set()
    for m in PERSON.finditer(text):
        before = text[max(0, m.start() - 40):m.start()]
        if _OFFICIAL_BEFORE.search(before) or (m.group("civ") or "") in ("Me", "Maître", "Dr", "Docteur"):
            words = [w for w in m.group("last").split() if w not in _NOT_NAMES]
            if words:
                out.add(name_key(words[0]))
        after = text[m.end():m.end() + 60].lower()
        if re.match(r"\s*,\s*(capitaine|lieutenant|brigadier|commandant|gardien de la paix|greffi|juge|officier|agent|"
                    r"avocat|expert|médecin|medecin|procureur|substitut)", after):
            words = [w for w in m.group("last").split() if w not in _NOT_NAMES]
            if words:
                out.add(name_key(words[0]))
    return out


_HEARD_CUES = re.compile(r"(je m'appelle|je me nomme|je suis|entendons|avons entendu|entendu|recevons la plainte de|"
                         r"a comparu|comparait|comparaît|interrogeons|faisons compara[iî]tre|concernant\s*:|"
                         r"relevé des condamnations concernant|examiné|examinée|personne gardée à vue)", re.IGNORECASE)


@dataclass
class PieceInfo:
    document_id: str
    cote: str
    kind: str
    label: str
    heading: str
    date: date | None
    heard: list[tuple[str, str]] = field(default_factory=list)  # (person key, display)
    officials: set[str] = field(default_factory=set)
    roles: dict[str, str] = field(default_factory=dict)

    @property
    def stage(self) -> str:
        return STAGES.get(self.kind, "")


def heard_persons(text: str, kind: str) -> list[tuple[str, str]]:
    """Who the piece hears or is about: after a cue (« entendons », « a comparu », « je m'appelle »), else the most
    named non-official person. A confrontation hears everyone who answers."""
    officials = officials_of(text)
    found: list[tuple[str, str]] = []
    if kind != "confrontation":
        # the identity block of the person heard: « POUILLARD Gérard, né le … », « Je m'appelle Nadia FERRAND, née le »
        # « Né le 27 janvier 2002 » (capitalised on its own line), never « examiné le 16 février »
        for m in re.finditer(r"(?i)\bn[ée]e?\s*\(?e?\)? le \d|\bn[ée]e? le [a-z]", text[:4000]):
            candidates = [(k, d) for k, d in persons_in(text[max(0, m.start() - 120):m.start()])
                          if surname(k) not in officials]
            if candidates:
                return [candidates[-1]]
    if kind == "confrontation":
        for m in re.finditer(r"(?:r[ée]ponse|d[ée]claration|r)\s+(?:de|à)\s+(" + PERSON.pattern + ")", text,
                             re.IGNORECASE):
            for key, display in persons_in(m.group(1)):
                if surname(key) not in officials and key not in {k for k, _ in found}:
                    found.append((key, display))
        for key in roles_in(text).values():
            if key not in {k for k, _ in found}:
                found.append((key, best_display(key, text) or key.title()))
    for m in _HEARD_CUES.finditer(text[:2500]):
        for key, display in persons_in(text[m.end():m.end() + 90])[:2 if kind == "confrontation" else 1]:
            if surname(key) not in officials and key not in {k for k, _ in found}:
                found.append((key, display))
        if found and kind != "confrontation":
            break
    if not found:
        counts: dict[str, list[str]] = {}
        for key, display in persons_in(text):
            if surname(key) not in officials:
                counts.setdefault(key, []).append(display)
        if counts:
            key = max(counts, key=lambda k: len(counts[k]))
            found.append((key, max(counts[key], key=len)))
    return found


def best_display(key: str, text: str) -> str | None:
    """The fullest way the text writes this person (« M. Karim LOURMEL » over « LOURMEL »); a form naming another
    first name is another person."""
    forms = [d for k, d in persons_in(text) if k == key or (k == surname(key) and " " in key)]
    return max(forms, key=len) if forms else None


def heading_of(first_page: str) -> str:
    """The act's title line as written (« PROCÈS-VERBAL D'AUDITION DE TÉMOIN »), sentence case, or ""."""
    for line in [ln.strip() for ln in first_page.splitlines() if ln.strip()][:15]:
        folded = fold(line)
        if len(line) < 120 and any(rule.search(folded) for _, rule in _RULES) and sum(
                c.isupper() for c in line if c.isalpha()) > 0.7 * max(1, sum(c.isalpha() for c in line)):
            return line[:1] + line[1:].lower()
    return ""


def analyse_piece(document_id: str, cote: str, title: str, pages: list[str]) -> PieceInfo:
    first = pages[0] if pages else ""
    text = "\n".join(pages)
    kind = classify(first, title, text)
    return PieceInfo(document_id, cote, kind, LABELS[kind], heading_of(first), piece_date(first),
                     heard_persons(text, kind), officials_of(text), roles_in(text))
