"""Clause-level composition: from a long procedural sentence, the clause that carries the fact.

A police or court sentence wraps one fact in formulas (« Après exploitation des données transmises par l'opérateur
en réponse à notre réquisition du 3 mars 2026, nous dénombrons, sur la période …, 147 contacts … »). A draft within
its word budget keeps the clause with the result, the quantity with its subject, the answer, the decision; every
clause kept is a span of the page's own words (its first letter may be capitalised), so it is verified verbatim on
its page (modulo the date/number normaliser).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.text import normalize_for_verify, strip_accents

MIN_WORDS = 4


@dataclass(frozen=True)
class Clause:
    text: str        # the page's words, as written
    start: int       # span in the sentence
    end: int
    formula: bool    # a procedural frame (circumstance, visa, identity block): kept only when nothing else is left


def _fold(text: str) -> str:
    return strip_accents(text).lower().replace("’", "'")


# Where a sentence may be cut: a comma (not a decimal comma), a semicolon, a colon, a dash between spaces — outside
# parentheses and quotes.
def _cut_points(sentence: str) -> list[tuple[int, int]]:
    out = []
    depth = 0
    quote = 0
    i = 0
    while i < len(sentence):
        ch = sentence[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "«":
            quote += 1
        elif ch == "»":
            quote = max(0, quote - 1)
        elif depth == 0 and quote == 0:
            if ch == "," and not (i > 0 and sentence[i - 1].isdigit() and sentence[i + 1:i + 2].isdigit()):
                out.append((i, i + 1))
            elif ch == ";" or (ch == ":" and sentence[i + 1:i + 2] in (" ", "")):
                out.append((i, i + 1))
            elif ch in "—–" and sentence[i - 1:i] == " " and sentence[i + 1:i + 2] == " ":
                out.append((i, i + 1))
            elif ch in ".?!" and sentence[i + 1:i + 2] == " " and re.match(r"[A-ZÀ-Ý«]", sentence[i + 2:i + 3]) and not (
                    re.search(r"\b(?:M|Mme|Me|Dr|n°|art|av|bd|St|Ste)$", sentence[max(0, i - 4):i])):
                out.append((i, i + 1))  # the sentences of one answer, told together
        i += 1
    return out


# Frames around a fact: circumstances of the act, visas, the officer acting, identity and address blocks.
_FRAME = re.compile(
    r"^(?:et )?(?:apres|suite a|faisant suite|en reponse|en execution|conformement|agissant|dans le cadre|en vertu"
    r"|sur (?:instruction|requisition|commission|les instructions|ordre|autorisation|la base)|vu\b|au vu|attendu"
    r"|par (?:requisition|soit-transmis|commission)|en presence|assistee?s? (?:de|du|des|par)|en compagnie|accompagne"
    r"|affaire\s*:|objet\s*:|enquete de (?:flagrance|flagrant delit)|enquete preliminaire|commission rogatoire"
    r"|nous\s*$|entendons|avons entendu|poursuivant|operant|requerant"
    r"|nous,? (?:capitaine|lieutenant|brigadier|commandant|major|adjudant|gardien|officier|agent)"
    r"|(?:capitaine|lieutenant|brigadier|commandant|major|adjudant|gardien de la paix|greffiere?|docteur|dr|maitre"
    r"|me) [A-Za-z]|(?:officier|agent) de (?:police|gendarmerie)"
    r"|officier de police judiciaire|en residence|en fonction|en (?:notre|leur) qualite|l'an (?:deux )?mille"
    r"|le present|la presente|dont (?:acte|proces-verbal)|lecture faite|persiste et signe)")
# References, addresses, visas and signatures inside a sentence: no fact.
_REFERENCE = re.compile(r"\b\d{5}\s+[a-z]|^\d{1,4}(?: bis| ter)?,? (?:rue|avenue|boulevard|bd|allee|place|impasse|chemin"
                        r"|route|quai|residence)\b|^(?:\d+(?:, | et | a ))*\d+(?: et suivants)? du code|^articles? [\dlrd]"
                        r"|code de procedure penale$|\bimei\b|\bn° (?:d'instruction|de parquet|pv|proces)|\bji \d"
                        r"|^(?:en date du|recu au|reference|ref\.|n/ref|v/ref|pour le procureur|le greffier|la greffiere"
                        r"|la juge|le juge|me [a-z]|expert pres|docteur [a-z]+ [a-z-]+$)|\(cachet\)|expert pres la cour"
                        r"|^avise[e]? (?:des|de ses|qu'il|qu'elle)")
_IDENTITY = re.compile(r"\bn[ée]e? le \d|\bn[ée]e? le (?:premier|[a-z]+ [a-z]+ \d{4})|\bdemeurant\b|\bdomicili[ée]"
                       r"|\bt[ée]l[ée]phone\s*:?\s*0\d|\btel\.?\s*:?\s*0\d|\b0[1-9](?:[ .]?\d{2}){4}\b|titulaire de la"
                       r"|\bfils de\b|\bfille de\b|^profession\b|courriel|@")
# The lead of a clause that only frames what follows (« nous constatons que », « il est précisé qu' »): cut, the
# rest kept.
_LEAD = re.compile(
    r"^(?:(?:et|mais|or) )?(?:(?:nous|l'enqueteur|les enqueteurs|l'expert|le medecin) )?(?:avons )?"
    r"(?:constatons|constate|notons|relevons|observons|remarquons|precisons|mentionnons|indiquons|soulignons"
    r"|rappelons|concluons|retenons) (?:en outre |egalement |alors |ainsi )?(?:que |qu')"
    r"|^(?:(?:et|mais|or) )?il (?:est|a ete|etait) (?:precise|constate|releve|observe|note|etabli|indique|rappele"
    r"|mentionne|signale) (?:que |qu')"
    r"|^(?:(?:et|mais|or) )?il (?:ressort|resulte|apparait|s'avere|decoule) (?:[^,]{0,80}? )?(?:que |qu')")


# A clause opening on an infinitive is a mission or an instruction (« Rechercher sur le scellé … », « Dire si … »),
# one opening on « vous » / « votre » is the investigator's question: neither is a fact of the dossier.
_MISSION = re.compile(r"^(?!(?:entre|contre|notre|autre|premier|dernier|leur|quatre|outre|lettre|mere|frere|pere|pierre"
                      r"|centre|chambre|numero|heure|nombre|montre|titre|cadre|ordre|arbre|fenetre|mer|hier|fer|super"
                      r"|cher|chier|palier|quartier|dossier|courrier|fichier|casier|greffier|officier|policier|brigadier"
                      r"|premiere|derniere|entiere|matiere|lumiere|arriere|maniere|carriere|priere|frontiere|riviere"
                      r"|sir|desir|plaisir|loisir|avenir|soupir|souvenir|emir)\b)"
                      r"(?:[a-z]+(?:er|ir|re)|dire|faire) (?:si|sur|le|la|les|l'|au|aux|des|de|du|toute?s?|tous|que"
                      r"|s'il|en|a|un|une|son|sa|ses|leur)\b|^(?:vous|votre|vos)\b|\b(?:vous|votre) (?:avez|etes|a ete"
                      r"|ont|reconnaissez|contestez|niez|maintenez)\b")


def _frame(text: str) -> bool:
    folded = _fold(text).strip(" ,;:")
    if _MISSION.search(folded) and not folded.startswith(("il ", "elle ")):
        return True
    return bool(_FRAME.match(folded) or _IDENTITY.search(folded) or _REFERENCE.search(folded))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def split_clauses(sentence: str) -> list[Clause]:
    """The sentence cut into clauses of at least MIN_WORDS words (a short piece joins its neighbour), each tagged
    as a frame or not; a clause's lead formula (« constatons que ») is cut away."""
    cuts = _cut_points(sentence)
    spans: list[list[int]] = []
    start = 0
    for at, after in cuts:
        spans.append([start, at])
        start = after
    spans.append([start, len(sentence)])
    spans = [s for s in spans if sentence[s[0]:s[1]].strip()]
    # a piece too short to stand alone joins the next one (the last joins the one before); a frame never absorbs
    # a fact
    merged: list[list[int]] = []
    pending: list[int] | None = None
    for span in spans:
        if pending is not None:
            if _frame(sentence[pending[0]:pending[1]]) and not _frame(sentence[span[0]:span[1]]):
                merged.append(pending)
            else:
                span = [pending[0], span[1]]
            pending = None
        if len(sentence[span[0]:span[1]].split()) < MIN_WORDS:
            pending = list(span)
        else:
            merged.append(list(span))
    if pending is not None:
        if merged and not _frame(sentence[pending[0]:pending[1]]):
            merged[-1][1] = pending[1]
        else:
            merged.append(pending)
    out = []
    for s, e in merged:
        raw = sentence[s:e]
        lead = len(raw) - len(raw.lstrip(" ,;:—–"))
        s += lead
        text = sentence[s:e].rstrip(" ,;:—–.")
        m = _LEAD.match(_fold(text))
        if m and len(text[m.end():].split()) >= MIN_WORDS:
            s += m.end()
            text = text[m.end():]
        if text.strip():
            out.append(Clause(text.strip(), s, s + len(text.strip()), _frame(text)))
    return out


def compose(sentence: str, chosen: list[Clause]) -> str:
    """The chosen clauses of one sentence in their order (overlapping ones merged): adjacent ones as the page wrote
    them, a gap as « […] »."""
    spans: list[list[int]] = []
    for c in sorted(chosen, key=lambda c: c.start):
        if spans and c.start <= spans[-1][1] + 3 and re.fullmatch(r"[\s,;:—–]*", sentence[spans[-1][1]:c.start]
                                                                  if c.start > spans[-1][1] else ""):
            spans[-1][1] = max(spans[-1][1], c.end)
        else:
            spans.append([c.start, c.end])
    return _capitalise(" […] ".join(sentence[s:e].strip(" ,;:—–") for s, e in spans).strip())


def on_page(text: str, pages: list[str]) -> bool:
    """The clause is the pages' own words once both are normalised (« douze » = 12, spacing, hyphenation at a line
    end, accents, case): every run of four words of it is on its cited pages (a sentence cut by a page break or by
    a running header stays verifiable); « […] » marks a gap between two verbatim parts."""
    norm_page = " " + " ".join(_flat(p) for p in pages) + " "
    for part in re.split(r"\s*\[…\]\s*", text):
        words = _flat(part).split()
        if not words:
            continue
        n = min(4, len(words))
        if not all(f" {' '.join(words[i:i + n])} " in norm_page for i in range(len(words) - n + 1)):
            return False
    return True


def _flat(text: str) -> str:
    t = normalize_for_verify(text.replace("\ufffe", "-"))
    return re.sub(r"[^a-z0-9]+", " ", t).strip()
