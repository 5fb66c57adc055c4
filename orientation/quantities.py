"""Typed quantities found anywhere in a text (breath mg/L, blood g/L, ng/mL, km/h, days, dates), in digits or in
words, with comma or dot decimals and common OCR confusions; then the role of each one from its surroundings:
a measured reading, the retained value, a legal threshold or range, a corrected value, a conversion, other."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from orientation.lexicon import MONTH_RE, WORDS_NUMBER, fold, month_number, words_decimal, words_value

AIR, BLOOD, NGML, KMH, DAYS = "air_mg_l", "blood_g_l", "ng_ml", "km_h", "days"


# key words of the results and statuses as the OCR misreads them: « NEGATlF » (l for i), « POSlTIF », « Perrnis »
# (rn for m), « VAL1DE » is handled with the digits below; each variant maps to the word, padded to its length
OCR_KEY_WORDS = ["negatif", "negative", "positif", "positive", "permis", "valide", "invalide", "suspendu", "annule",
                 "titulaire", "ethylotest", "ethylometre", "alcoolique", "assure", "refus", "refuse", "stupefiants",
                 "cannabis", "cocaine", "resultat", "mesure", "suspension", "annulation", "invalidation", "salivaire"]


def _ocr_variants(word: str) -> set[str]:
    out = set()
    for i, c in enumerate(word):
        for wrong in {"i": "l", "l": "i"}.get(c, ""):
            out.add(word[:i] + wrong + word[i + 1:])
        if c == "m":
            out.add(word[:i] + "rn" + word[i + 1:])
    out.discard(word)
    return out


_OCR_WORD_OF = {v: w for w in OCR_KEY_WORDS for v in _ocr_variants(w) if v not in OCR_KEY_WORDS}
OCR_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _OCR_WORD_OF), key=len, reverse=True)) + r")\b")


def ocr_fix(folded: str) -> str:
    """Length-preserving repair of OCR confusions: letters inside numbers ('o,43' -> '0,43', 'l4/O3/2O26' ->
    '14/03/2026', '9O km/h') and digits inside words ('SITUATI0N', 'léga1e', 'a1cool'); 'mg/1' stays a unit."""
    def fix(m: re.Match) -> str:
        token = m.group(0)
        if not re.search(r"\d", token) or len(token) < 2 or re.match(r"[li][.]\d", token):
            return token  # « l.234-1 » is an article of the code, not a number
        digits = token.replace("o", "0").replace("l", "1").replace("i", "1")
        roman = re.fullmatch(r"([0-9oli]{1,2}[./-])(i{1,3})([./-][0-9oli]{2,4})", token)
        if roman:  # « 17.III.2026 »: a Roman month stays letters
            return digits[:roman.end(1)] + roman.group(2) + digits[roman.start(3):]
        return digits
    folded = re.sub(r"(?<![a-z0-9])[0-9oli]+(?:[,./][0-9oli]+)*(?![a-z0-9])", fix, folded)
    folded = re.sub(r"(?<=[a-z])1(?=[a-z])|(?<=[a-z]{2})1\b", "l", folded)
    folded = re.sub(r"(?<=[a-z])0(?=[a-z])", "o", folded)
    # a single digit inside a word is a letter the OCR misread (« Coc4ine », « per5onne », « d3lit »)
    folded = re.sub(r"(?<=[a-z]{2})[435](?=[a-z]{2})", lambda m: {"4": "a", "3": "e", "5": "s"}[m.group(0)], folded)
    # « d6pistage », « n6gatif », « r6sultat »: an « é » read as a 6 after a word's first letter
    folded = re.sub(r"(?<=\b[dnrpl])6(?=[a-z]{3})", "e", folded)
    # « ler mars » is « 1er mars »; a lone « o » before a unit is a zero (« ITT à O jour », « O,5 g/l »)
    folded = re.sub(rf"\bler(?=\s+(?:{MONTH_RE}))", "1er", folded)
    folded = OCR_WORD.sub(lambda m: _OCR_WORD_OF[m.group(1)].ljust(len(m.group(1))), folded)
    return re.sub(r"(?<![a-z0-9,.])o(?=\s?(?:jours?\b|j\b|mg|km/|point))", "0", folded)


NUM = r"(?<![\d,.])(\d{1,4}(?:[,.]\d{1,4})?)(?![\d])"
WORDS_DEC = rf"\b({WORDS_NUMBER})\s+virgule\s+({WORDS_NUMBER})\b"
# OCR of « mg/l »: « mg/1 », « mg/I », « mg|l », « mgll » (the slash read as a letter), « mgl » (slash lost),
# « rng/l » (m read as rn)
AIR_UNIT = (r"(?:mg|rng|mgr|milligrammes?)(?:\s*d'alcool(?:\s+pur)?)?\s*(?:/|par|\.|\\)\s*(?:litres?\b|l\b|1\b|i\b|\||l-1\b)"
            r"(?:\s*(?:d'air(?:\s+expire)?|de l'air expire|a\.?\s?e\.?(?![a-z])|ae\b))?"
            r"|(?:mg|rng)\s?(?:[l1i|]\s?[l1i]|l)\b(?:\s*(?:d'air(?:\s+expire)?|de l'air expire|a\.?\s?e\.?(?![a-z])|ae\b))?"
            r"(?:\s*(?:d'air(?:\s+expire)?|de l'air expire|a\.?\s?e\.?(?![a-z])|ae\b))?"
            r"|(?:mg|milligrammes?)\s+d'alcool\b(?:\s+dans l'air expire|\s+par litre d'air expire)?")
BLOOD_UNIT = (r"(?:g|gr|grammes?)(?:\s*d'alcool(?:\s+pur)?)?\s*(?:/|par|\|)\s*(?:litres?\b|l\b|1\b|i\b)(?:\s*de sang)?"
              r"|(?:g|gr|grammes?)\s*(?:pour mille|pour 1000|‰)|‰|pour mille\b"
              r"|(?:grammes?|gr)\b(?!\s*(?:de|d')\s*(?:resine|herbe|"
              r"cannabis|cocaine|heroine|produit|stupefiant|poudre|substance))")
NGML_UNIT = r"(?:ng|nanogrammes?)\s*(?:/|par|\||l)\s*(?:ml|mi|rnl|m1|millilitres?)\b|" \
    r"(?:μg|µg|ug|microgrammes?)\s*(?:/|par)\s*(?:l|litres?)\b"
KMH_UNIT = r"(?:k(?:m|rn)\s*[/|]\s*[hb]\b|km\s*h\b|kmh\b|kmlh\b|km1h\b|" \
    r"km/heure|kilometres?[\s-]*(?:a l'heure|par heure|/\s*h\b|/\s*heure|heure))"
BARE_MG = r"(?:mg|milligrammes?)\b(?!\s*(?:/|par)\s*(?:ml|kg|dl|millilitre))"
DAYS_UNIT = r"(?:jo\s?urs?\b|j\b|jrs?\b)(?!-amende|\s*-\s*amende|\s+d'emprisonnement|\s+de prison|\s+francs|\s+d'amende)"
UNITS = [(AIR, re.compile(AIR_UNIT)), (BLOOD, re.compile(BLOOD_UNIT)), (NGML, re.compile(NGML_UNIT)),
         (KMH, re.compile(KMH_UNIT)), (DAYS, re.compile(DAYS_UNIT)), (AIR, re.compile(BARE_MG))]
WORDS_GRAMS = rf"\b({WORDS_NUMBER})\s+grammes?\s+({WORDS_NUMBER})\b(?=\s+(?:d'alcool|par litre|pour mille|de sang))"
SHARED = re.compile(r"(?<![\d,.])(\d{1,2}[,.]\d{1,4})\s*(?:,|et|puis|ou|/|-)\s*(?:de\s+)?$")
SHARED_WORDS = re.compile(rf"\b({WORDS_NUMBER})\s+virgule\s+({WORDS_NUMBER})\s+(?:,|et|puis|ou)\s+(?:de\s+)?$")
MG_PER_DL = re.compile(r"(?<![\d,.])(\d{1,3}(?:[,.]\d{1,2})?)\s*(?:mg|milligrammes?)\s*(?:/|par|pour)\s*"
                       r"(?:100\s*ml|100\s*millilitres|dl|decilitre)\b")
GR_SPLIT = re.compile(r"(?<![\d,.])(\d)\s*(?:g|gr|grammes?)\s*(\d{2})\b")  # « 1 gr 98 » = 1,98 g/L
MG_SPLIT = re.compile(r"(?<![\d,.])([0-2])\s*(?:mg|milligrammes?)\s*(\d{2,3})\b(?!\s*(?:mg|g\b|ng|km|%))")  # « 0 mg 71 » = 0,71


@dataclass
class Quantity:
    kind: str
    value: float
    start: int
    end: int
    in_words: bool = False
    bare: bool = False  # unit written as a bare « mg »: a breath reading only in an alcohol context


def _to_float(raw: str) -> float:
    return float(raw.replace(",", "."))


# « un gramme vingt centigrammes par litre » = 1,20 g/L: the grams before the centigrams belong to the same value
CENTI = re.compile(rf"(?:\b(?P<g>{WORDS_NUMBER}|\d)\s+(?:grammes?|gr?)\s+(?:et\s+)?)?"
                   rf"(?:(?<![\d,.])(\d{{1,3}})|\b({WORDS_NUMBER}))\s*(?:centigrammes?|cg)(?:\s*d'alcool)?\s*(?:/|par)\s*"
                   r"(?:litres?\b|l\b)(?:\s*de sang)?")


def _words_decimals(f: str) -> Iterator[tuple[str, str, int, int]]:
    """(integer words, decimal words, start, end) of each « zéro virgule quarante-neuf »; in « zéro virgule
    cinquante-deux et zéro virgule quarante-neuf » the « et zéro » starts the next number."""
    pos = 0
    while (m := re.compile(WORDS_DEC).search(f, pos)) is not None:
        frac, end = m.group(2), m.end()
        if " et " in frac and re.match(r"\s+virgule\b", f[end:]):
            cut = frac.rindex(" et ")
            frac, end = frac[:cut], m.start(2) + cut
        whole, start = m.group(1), m.start()
        lead = re.match(r"et[\s-]+", whole)
        if lead:  # the « et » that joined two numbers is not part of the second one
            whole, start = whole[lead.end():], start + lead.end()
        yield whole, frac, start, end
        pos = end


def find_quantities(f: str) -> list[Quantity]:
    """Every quantity with a unit in the folded, OCR-repaired text `f`, in reading order."""
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def add(q: Quantity) -> None:
        if not any(s < q.end and q.start < e for s, e in taken):
            out.append(q)
            taken.append((q.start, q.end))

    for m in MG_PER_DL.finditer(f):  # « 164 mg/100 ml » (a laboratory's unit) = 1,64 g/L
        add(Quantity(BLOOD, round(_to_float(m.group(1)) / 100, 4), m.start(), m.end()))
    for m in GR_SPLIT.finditer(f):
        add(Quantity(BLOOD, float(f"{m.group(1)}.{m.group(2)}"), m.start(), m.end()))
    for m in MG_SPLIT.finditer(f):
        add(Quantity(AIR, float(f"{m.group(1)}.{m.group(2)}"), m.start(), m.end()))
    for m in re.finditer(WORDS_GRAMS, f):
        value = words_decimal(m.group(1), m.group(2))
        if value is not None:
            add(Quantity(BLOOD, value, m.start(), m.end(), True))
    for m in re.finditer(CENTI, f):  # « quatre-vingt-sept centigrammes par litre de sang » = 0,87 g/L
        cg = _to_float(m.group(2)) if m.group(2) else words_value(m.group(3))
        grams = 0 if m.group("g") is None else (int(m.group("g")) if m.group("g").isdigit() else words_value(m.group("g")))
        if cg and grams is not None:
            add(Quantity(BLOOD, round(grams + cg / 100, 4), m.start(), m.end(), m.group(2) is None))
    for whole, frac, w_start, w_end in _words_decimals(f):
        value = words_decimal(whole, frac)
        rest = f[w_end:w_end + 60]
        for i, (kind, unit) in enumerate(UNITS):
            if kind not in (AIR, BLOOD, NGML):
                continue
            u = unit.match(rest.lstrip())
            if value is not None and u:
                add(Quantity(kind, value, w_start, w_end + (len(rest) - len(rest.lstrip())) + u.end(), True,
                             i == len(UNITS) - 1))
                break
    for m in re.finditer(NUM, f):
        rest = f[m.end():m.end() + 60]
        gap = len(rest) - len(rest.lstrip())
        spelled = re.match(rf"\s*\(\s*{WORDS_NUMBER}\s*\)\s*", rest)  # « 8 (huit) jours »: the number also in words
        if spelled and gap <= 3:
            gap = spelled.end()
        elif re.search(r"\(\s*$", f[max(0, m.start() - 3):m.start()]) and (closing := re.match(r"\s*\)\s*", rest)):
            spelled, gap = closing, closing.end()  # « qulnze (15) jours »: the figure in brackets after OCR'd words
        if gap > 3 and not spelled:
            continue
        for i, (kind, unit) in enumerate(UNITS):
            u = unit.match(rest[gap:])
            if u:
                add(Quantity(kind, _to_float(m.group(1)), m.start(), m.end() + gap + u.end(),
                             bare=i == len(UNITS) - 1))
                break
    for m in re.finditer(rf"\b({WORDS_NUMBER})\s+(?:\(\d+\)\s+)?(?:{DAYS_UNIT}|{KMH_UNIT})", f):
        value = words_value(m.group(1))
        kind = KMH if re.search(r"km|kilometre", m.group(0)) else DAYS
        if value:
            add(Quantity(kind, float(value), m.start(), m.end(), True))
    # « 0,44 puis 0,43 milligramme », « respectivement de 0.71 et 0.74 mg/L »: the unit written once serves both
    for q in list(out):
        if q.kind not in (AIR, BLOOD, NGML):
            continue
        head = f[max(0, q.start - 40):q.start] if not q.in_words else f[max(0, q.start - 120):q.start]
        m = SHARED.search(head) if not q.in_words else SHARED_WORDS.search(head)
        if m:
            start = q.start - len(head) + m.start()
            value = _to_float(m.group(1)) if not q.in_words else words_decimal(m.group(1), m.group(2))
            if value is not None:
                add(Quantity(q.kind, value, start, start + len(m.group(0).rstrip()), q.in_words, q.bare))
    return _drop_echoes(f, sorted(out, key=lambda q: q.start))


def _drop_echoes(f: str, qs: list[Quantity]) -> list[Quantity]:
    """« 0,52 mg/l (zéro virgule cinquante-deux milligramme par litre) », « un gramme vingt centigrammes par litre
    (1,20 g/L) »: one value written in figures and in words, side by side, is one quantity."""
    out: list[Quantity] = []
    for q in qs:
        last = out[-1] if out else None
        if last and last.kind == q.kind and abs(last.value - q.value) < 1e-9 and last.in_words != q.in_words and \
                re.fullmatch(r"\s*[(\[,–-]?\s*(?:soit\s*)?", f[last.end:q.start]):
            continue
        out.append(q)
    return out


# --- roles ----------------------------------------------------------------------------------------------------
THRESHOLD_BEFORE = re.compile(
    r"(?:au moins|au minimum|minimum de|(?:superieure?s?|inferieure?s?)(?: ou egale?s?)?|"
    r"egale?s? ou (?:superieure?s?|inferieure?s?)|excedant|depassant|depasse|"
    r"au-dela d[eu]|au dela d[eu]|en deca d[eu]|seuil(?: legal| reglementaire| de detection| de positivite)?|"
    r"limite(?: legale| autorisee)?|taux legal|a partir d[eu]|plus de|moins de|entre|compris entre|maximum|"
    r"n'excedant pas|ne depassant pas|>=|<=|>|<|≥|≤|cut-off|lod|loq|valeur de reference|seuils?)"
    r"(?:\s+(?:ou|a|au|aux|de|d'|du|la|le|l'|fixee?s?|legale?s?|"
    r"reglementaire|detection|quantification|positivite|concentration|taux|un|une))*\s*$")
THRESHOLD_FAR = re.compile(r"\b(?:seuils?|limite (?:legale|autorisee|reglementaire)|taux (?:legal|maximal|autorise)|"
                           r"maximum autorise)\b[^.;:]{0,75}\b(?:est|etait|fixee?|de|a)\s*(?:de\s*|a\s*)?$")
# a form or ticket label that names a threshold (« Seuil délictuel : 0,40 mg/l », « Limite légale = 0,25 »)
THRESHOLD_LABEL = re.compile(r"\b(?:seuils?|limite|taux (?:legal|limite|maximal)|valeur (?:limite|seuil))\b[^\n:=]{0,30}[:=]\s*$")
# « seuil délictuel 0,40 mg/l », « seuil contraventionnel de 0,25 »: the kind of threshold named right before it
THRESHOLD_WORDS = re.compile(r"\bseuils? (?:delictuel|contraventionnel|penal|legal|reglementaire)\w*(?: \w+){0,2}\s*$|"
                             r"^\W*seuil \S{3,9}\s*:?\s*$|\n\W*seuil \S{3,9}\s*:?\s*$")  # a ticket's « Seuil 1égal »
RANGE_AND = re.compile(r"\bet\s*$")
CORRECTED_BEFORE = re.compile(r"(?:corrige|marge|deduction|deduit|apres application|apres prise en compte)")
RETAINED_BEFORE = re.compile(r"(?:retenue?s?|(?<!ne )\bretien\w*|\bretenant|la plus (?:faible|basse)|le plus (?:faible|bas)|"
                             r"plus faible des)")
CONVERSION_BEFORE = re.compile(r"(?:\bsoit\b|\bequivalant\b|\bequivalente?\b|\bequivaut\b|\bequivalent\b|\bcorrespondant\b|"
                               r"\bcorrespond(?:ent|rait)?\b|\brepresent(?:e|ant|erait)\b|\bce qui fait\b)"
                               r"(?:\s+(?:a|au|pres de|environ|approximativement|un taux de|une alcoolemie de|"
                               r"l'equivalent de|plus de))*\s*$")
# a defence's or a court's computation from a reading (« le taux de 0,41 mg/l ramène à 0,377 mg/l »): the value it
# starts from is the reading, the one it arrives at is no measure
COMPUTED_FROM_AFTER = re.compile(r"[^.;\d]{0,30}?\b(?:ramen|redui|abaiss|aboutir|aboutit|descend)\w*\s+(?:a|au|de)\b")
COMPUTED_BEFORE = re.compile(r"\b(?:ramen\w*|redui\w*|abaiss\w*|aboutir|aboutit|aboutissant|on obtient|obtiendrait|"
                             r"donnerait|descendrai\w*)\s*(?:a|au|de)?\s*(?:un taux (?:de )?|une valeur (?:de )?)?$")
# a reading the court or the officers set aside (« la première mesure (0,46 mg/l) est écartée », « le tribunal écarte
# la mesure de 0,62 mg/l »): not a reading of the case
SET_ASIDE_AFTER = re.compile(r"\s*(?:d'air expire\s*)?\)?\s*,?\s*(?:(?:est|sont|doit etre|doivent etre|sera|a ete|fut|"
                             r"etant|doit donc etre)\s+)?(?:\w+\s+)?(?:ecarte|annule|rejete|invalide)e?s?\b")
SET_ASIDE_BEFORE = re.compile(r"(?<!\bn')(?<!\bne )\b(?:ecart\w*|rejet\w*|annul\w*|ne retient pas|ne retenant pas|"
                              r"sans retenir)\s+(?:la|les|cette|ces|le)\s+(?:\w+\s+){0,2}?(?:mesures?|resultats?|"
                              r"releves?|valeurs?|taux)\s*(?:de|d'|a|:)?\s*(?:\(\s*)?$")
# the law's thresholds told before the case (« L'article L. 234-1 réprime … égale ou supérieure à 0,40 mg/l …
# En l'espèce, … 0,58 mg/l »)
LAW_WORDS = re.compile(r"\barticles?\b|\bl\.?\s?\d{3}-\d|code de la route|reprim\w*|\best puni|\bsont punis|"
                       r"\bprevoi\w*|\bdispose\b|\bseuils?\b|\bdelit est constitue|contraventio\w*|delictuel\w*|"
                       r"\bla loi\b|legislat\w*|\btaux (?:legal|limite)")
CASE_EVIDENCE = re.compile(r"\b(?:a|ont|avait|avaient) (?:ete )?(?:mesure|releve|constate|enregistre)\w*|presentait|"
                           r"ethylometre (?:a|indique|affiche|donne)|(?:analyse|prelevement) (?:a )?(?:revele|fait)|"
                           r"\ben l'espece\b|\ben l'occurrence\b")
IN_THIS_CASE = re.compile(r"\ben l'espece\b|\ben l'occurrence\b|\bau cas d'espece\b|\bau cas present\b|"
                          r"\bdans le cas present\b|\ben la cause\b|\bs'agissant de (?:m\.|mme|l'interesse|la prevenue|"
                          r"le prevenu)")


def _law_sentence(f: str, q: Quantity) -> bool:
    """q is in a sentence that states the law, and the text then turns to the case (« En l'espèce, … »)."""
    ends = [m.end() for m in re.finditer(r"(?<!\bl)(?<!\bart)(?<!\bn°)[.!?](?=\s)|\n", f[:q.start])]
    start = ends[-1] if ends else 0
    m = re.compile(r"(?<!\bl)(?<!\bart)(?<!\bn°)[.!?](?=\s|$)|\n").search(f, q.end)
    end = m.end() if m else len(f)
    sentence = f[start:end]
    return bool(LAW_WORDS.search(sentence) and not CASE_EVIDENCE.search(sentence) and
                IN_THIS_CASE.search(f, end, end + 400))


HYPOTHETICAL = re.compile(r"\b(?:par exemple|tel que|par hypothese|si le taux|lorsque|des lors que|en cas de)\b")


def role(f: str, q: Quantity, previous: Quantity | None, quantities: list[Quantity]) -> str:
    """'reading', 'retained', 'threshold', 'corrected', 'conversion', 'set_aside' or 'other' for quantity q in folded
    text f."""
    lo = max(previous.end if previous else 0, q.start - 90)
    before = f[lo:q.start]
    near = before[-40:]
    # a range of a grid or a rule (« taux compris entre 0,40 et 0,59 mg/l », « de 0,40 à 0,79 mg/l — amende »)
    if re.search(r"\b(?:compris(?:e|es)? )?entre\s*$|\bcompris(?:e|es)? entre\s+\d[\d,.]*\s*(?:mg/l|g/l|mg|g)?\s+et\s*$|"
                 r"(?:\b(?:taux|tranche|seuil)s?|^|[:;-])\s*(?:de|d'au moins)\s+\d[\d,.]*\s*(?:mg/l|g/l)?\s+a\s*$",
                 f[max(0, q.start - 60):q.start]):
        return "threshold"
    if THRESHOLD_BEFORE.search(near) or THRESHOLD_LABEL.search(near) or \
            THRESHOLD_WORDS.search(near) and not re.search(r"retenu|mesur|releve|resultat", near):
        return "threshold"
    if previous and RANGE_AND.search(f[previous.start:q.start]) and previous.kind == q.kind and \
            THRESHOLD_BEFORE.search(f[max(0, previous.start - 40):previous.start]):
        return "threshold"
    if CONVERSION_BEFORE.search(near) and any(o.kind != q.kind and o.kind in (AIR, BLOOD) and o.end <= q.start
                                              for o in quantities):
        return "conversion"
    after = f[q.end:q.end + 45]
    if re.match(r"\s*(?:\(|,)?\s*(?:soit|valeur)\s+(?:le\s+)?seuil|\s*(?:dans le sang\s+|d'air expire\s+)?"
                r"(?:constitue|represente|est|correspond a)\s+(?:le|un)\s+seuil|\s*(?:ou plus|ou davantage|ou au-dela|et plus|"
                r"ou superieur|au moins)\b|\s*(?:d'air expire\s*)?(?:pour|applicable a)(?:ux| les| des)? (?:titulaires|"
                r"conducteurs|jeunes conducteurs|permis probatoires?)\b", after):
        return "threshold"
    if THRESHOLD_FAR.search(before[-75:]):
        return "threshold"
    if _law_sentence(f, q):
        return "threshold"
    if SET_ASIDE_AFTER.match(f, q.end) and not re.search(r"\b(?:ne|n')\s*$", f[q.end:q.end + 30].split("ecart")[0]) or \
            SET_ASIDE_BEFORE.search(before[-70:]):
        return "set_aside"
    if COMPUTED_FROM_AFTER.match(f, q.end):
        return "reading"
    if COMPUTED_BEFORE.search(before[-40:]):
        return "corrected"
    if CORRECTED_BEFORE.search(before[-60:]):
        return "corrected"
    if RETAINED_BEFORE.search(before[-45:]):
        return "retained"
    if OTHER_BEFORE.search(before[-70:]) or re.search(r"jusqu'a\s*$", near):
        return "other"
    return "reading"


# not this case's measure: a device's tolerance (« erreur maximale tolérée ± 0,032 mg/l jusqu'à 0,400 mg/l »), a
# previous procedure's value, a typical value quoted by a prevention text (« un verre … d'environ 0,20 g/l »)
OTHER_BEFORE = re.compile(r"erreur maximale|\bemt\b|±|\+/-|\btolerance|incertitude|"
                          r"(?:precedente?s?|anterieure?s?|ancienne?s?|autre) (?:procedure|affaire|controle|interpellation)|"
                          r"lors d'une? (?:precedent|ancien|autre) |faisait etat|"
                          r"\benviron\s*(?:de\s*)?$|en moyenne|approximativement|fait (?:monter|augmenter|grimper)|"
                          r"\bun verre\b")


# --- dates ----------------------------------------------------------------------------------------------------
DATE_NUM = re.compile(r"(?<!\d)(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?!\d)")
DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# « le 12.XI.2026 », « 3-IV-2026 », « 28 / IX / 2025 », « 7 VI 2026 » (folded: lower case); OCR reads I as l or 1
# (« 14.Xll.2025 »)
ROMAN_MONTHS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
DATE_ROMAN = re.compile(r"(?<![\d,.])(\d{1,2}|1er)\s*([./-]|\s)\s*((?:[ivx]|(?<=[ivx])[l1]|[l1](?=[ivx]))[ivxl1]{0,3})"
                        r"\s*(?:\2|(?<=\s))\s*(\d{4})(?!\d)")
DATE_TEXT = re.compile(rf"(?<![\d])(\d{{1,2}}|1er|{WORDS_NUMBER}|premier)\s*(?:er\s+)?({MONTH_RE})\s+"
                       rf"(\d{{4}}|deux mil(?:le)?(?:[\s-]+{WORDS_NUMBER})?|mil neuf cent(?:[\s-]+{WORDS_NUMBER})?)\b")
DATE_AN = re.compile(rf"l'an\s+(deux mil(?:le)?(?:[\s-]+{WORDS_NUMBER})?|\d{{4}})\s*,?\s*le\s+(\d{{1,2}}|1er|premier|"
                     rf"{WORDS_NUMBER})\s*(?:er\s+)?(?:(?:du|de) mois (?:de |d')?)?({MONTH_RE})")


@dataclass
class DateMention:
    value: date
    start: int
    end: int
    repaired: bool = False  # an impossible date whose OCR-confused zeros were undone: to be checked


def _unconfuse_date(day: str, month: str, year: str) -> date | None:
    """« 22/09/2828 », « 69/83/2623 »: a thresholded or faxed « 0 » is read 6, 8 or 9. Only the components that
    are impossible (day > 31, month > 12, year outside 1900–2100) get those digits read back as 0."""
    def one_zero(part: str, top: int) -> str:
        """The first single 6/8/9 -> 0 that makes the part possible (« 69 » -> 09, « 36 » -> 30)."""
        for i, c in enumerate(part):
            if c in "689" and 1 <= int(part[:i] + "0" + part[i + 1:]) <= top:
                return part[:i] + "0" + part[i + 1:]
        return part

    d = day if 1 <= int(day) <= 31 else one_zero(day, 31)
    mth = month if 1 <= int(month) <= 12 else one_zero(month, 12)
    y = year
    if len(year) == 4 and not 1900 <= int(year) <= 2100:
        y = year[0] + re.sub(r"[689]", "0", year[1:])  # « 2828 » -> 2020, « 2623 » -> 2023
    if (d, mth, y) == (day, month, year):
        return None
    return _mk(_year(y), int(mth), int(d))


def _year(raw: str) -> int | None:
    if raw.isdigit():
        y = int(raw)
        return y + 2000 if y < 100 and len(raw) == 2 else y
    if raw.startswith("deux mil") and not raw.startswith("deux mille"):
        raw = "deux mille" + raw[len("deux mil"):]
    if raw.startswith("mil neuf cent"):
        rest = raw[len("mil neuf cent"):].strip(" -")
        return 1900 + (words_value(rest) or 0) if rest else 1900
    return words_value(raw)


def _day(raw: str) -> int | None:
    if raw in ("1er", "premier"):
        return 1
    return int(raw) if raw.isdigit() else words_value(raw)


def _mk(y: int | None, m: int | None, d: int | None) -> date | None:
    try:
        return date(y, m, d) if y and m and d and 1900 <= y <= 2100 else None
    except ValueError:
        return None


def find_dates(f: str) -> list[DateMention]:
    out: list[DateMention] = []
    for m in DATE_AN.finditer(f):
        d = _mk(_year(m.group(1)), month_number(m.group(3)), _day(m.group(2)))
        if d:
            out.append(DateMention(d, m.start(), m.end()))
    for m in DATE_TEXT.finditer(f):
        d = _mk(_year(m.group(3)), month_number(m.group(2)), _day(m.group(1)))
        if d and not any(o.start <= m.start() < o.end for o in out):
            out.append(DateMention(d, m.start(), m.end()))
    for m in DATE_NUM.finditer(f):
        d = _mk(_year(m.group(4)), int(m.group(3)), int(m.group(1)))
        if d:
            out.append(DateMention(d, m.start(), m.end()))
        elif (fixed := _unconfuse_date(m.group(1), m.group(3), m.group(4))) is not None:
            out.append(DateMention(fixed, m.start(), m.end(), repaired=True))
    for m in DATE_ROMAN.finditer(f):
        roman = re.sub(r"[l1]", "i", m.group(3))
        if roman in ROMAN_MONTHS and not (m.group(2) == " " and roman == "i") and \
                not any(o.start <= m.start() < o.end for o in out):
            d = _mk(_year(m.group(4)), ROMAN_MONTHS.index(roman) + 1, _day(m.group(1)))
            if d:
                out.append(DateMention(d, m.start(), m.end()))
    for m in DATE_ISO.finditer(f):
        d = _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            out.append(DateMention(d, m.start(), m.end()))
    return sorted(out, key=lambda x: x.start)


# « 0, 43 mg/l », « 0 ,43 », « 0'43 »: OCR spaces or an apostrophe in a decimal written before a unit; rejoined by
# moving the spaces after the number (same length, same offsets)
SPLIT_DECIMAL = re.compile(r"(?<![\d,.'])(\d{1,2})( ?)([,.']|, | ,)( ?)(\d{1,3})(?=\s*(?:mg|rng|g\b|g/|gr\b|ng|‰|km))")


def _join_decimal(m: re.Match) -> str:
    if (m.group(2) or m.group(4) or " " in m.group(3)) and int(m.group(1)) > 3:
        return m.group(0)  # « art. 12, 5 mg »: only an alcohol-sized decimal is rejoined across a space
    sep = m.group(3).strip() or ","
    sep = "," if sep == "'" else sep
    joined = f"{m.group(1)}{sep}{m.group(5)}"
    return joined + " " * (len(m.group(0)) - len(joined))


# « le 22 janvier 202 6 »: a year the OCR cut by a space, rejoined in place (the space moves after it)
SPLIT_YEAR = re.compile(rf"(\b{MONTH_RE} )(19\d|20\d) (\d)\b")


# « douze (12) jours » read by OCR as « douze 2) jours »: the figure in brackets repeats the words; when it is only
# their last digits (a bracket and a digit lost or read as a letter: « douze a2) ») it is blanked, the words
# tell the value (same length: offsets kept)
WORDS_ECHO = re.compile(r"((?:\b[a-z]+[- ]){0,3}\b[a-z]{2,}) ?(\(?[a-z|]?)(\d{1,3})\)")  # « (1 » misread « a »


def _echo(m: re.Match) -> str:
    words = re.split(r"[- ]", m.group(1))
    for k in range(len(words)):
        value = words_value(" ".join(words[k:]))
        if value is not None:
            break
    else:
        return m.group(0)
    digits = m.group(3)
    if str(value) == digits or not str(value).endswith(digits):
        return m.group(0)
    return m.group(1) + " " * (len(m.group(0)) - len(m.group(1)))


# « 0,8 6 mg /l », « 0 ,5 2 mg/l », « 0, 4 9 mg/l »: the OCR cut an alcohol rate inside its decimals too; the digits
# are joined and the spaces moved after the number (same length)
SPACED_DECIMAL = re.compile(r"(?<![\d,.'])([0-3]) ?([,.]) ?(\d) (\d)(?: (\d))?(?=\s*(?:mg|rng|g\b|g/|gr\b|ng|‰))")


def _join_spaced(m: re.Match) -> str:
    joined = m.group(1) + m.group(2) + "".join(g for g in m.groups()[2:] if g)
    return " " * (len(m.group(0)) - len(joined)) + joined  # padded before: the unit stays next to the number


def fold_for_numbers(text: str) -> str:
    folded = SPLIT_DECIMAL.sub(_join_decimal, SPACED_DECIMAL.sub(_join_spaced, ocr_fix(fold(text))))
    folded = WORDS_ECHO.sub(_echo, folded)
    return SPLIT_YEAR.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)} ", folded)


def repair(text: str) -> str:
    """Undo mojibake (« intÃ©ressÃ© »), soft hyphens and words cut at a line end (« invali-\\ndé »)."""
    if "Ã" in text or "Â" in text:
        def undo(m: re.Match) -> str:
            try:
                return m.group(0).encode("cp1252").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                return m.group(0)
        text = re.sub(r"[ÃÂ][\u0080-\u00bf\u0152-\u0178\u2013-\u203a\u20ac\u2122]", undo, text)
    text = text.replace("\xad\n", "").replace("\xad", "")
    return LINE_END_HYPHEN.sub(_dehyphenate, text)


# a word cut at a line end (« invali-\ndé », « invali- \n dé » in OCR output); compounds keep their hyphen
# (« vingt-\ntrois », « procès-\nverbal », « lui-\nmême », « c'est-à-\ndire »)
LINE_END_HYPHEN = re.compile(r"(\w+)-[ \t]*\n[ \t]*([a-zà-ÿ]+)")
KEEP_HYPHEN_AFTER = re.compile(r"(?i)^(?:vingt|trente|quarante|cinquante|soixante|dix|quatre|cent|mille|mil|deux|trois|"
                               r"cinq|six|sept|huit|neuf|sous|demi|mi|non|ex|vice|garde|porte|ci|la|a|auto|"
                               r"grand|arriere|avant|apres|contre|rond|ci-des|c'est)$")
KEEP_HYPHEN_BEFORE = re.compile(r"^(?:verbal|verbaux|meme|memes|ci|la|dessus|dessous|dire|et|un|une|deux|trois|quatre|"
                                r"cinq|six|sept|huit|neuf|dix|onze|vingt|il|elle|ils|elles|on|vous|nous|moi|toi|lui|"
                                r"t-il|t-elle|jacent)$")


def _dehyphenate(m: re.Match) -> str:
    head, tail = m.group(1), fold(m.group(2))
    if not re.search(r"[a-zà-ÿ]$", head):
        return m.group(0)  # « GB-417-\nTX », « D-\n… »: not a cut word
    if KEEP_HYPHEN_AFTER.match(fold(head).split("'")[-1]) or KEEP_HYPHEN_BEFORE.match(tail):
        return f"{head}-{m.group(2)}"  # joined like any cut word, its hyphen kept
    return head + m.group(2)
