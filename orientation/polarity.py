"""Polarity and scope of a yes/no statement in folded French text: « n'a pas pris la fuite », « aucun délit de
fuite », « relaxé du chef de délit de fuite », « ni sous l'emprise d'un état alcoolique ni … », « après avoir
écarté la circonstance de récidive », « l'infraction … n'est pas établie »."""
from __future__ import annotations

import re

# negation cues that precede the trigger inside the same clause
NEG_BEFORE = re.compile(
    r"(?:\baucune?\b|\bpas (?:de|d'|du)\b|\bni\b|\bjamais\b|"
    r"(?:\bn'|\bne\s)(?:[^,;.:()]*?)\b(?:pas|plus|jamais|rien|aucune?|nullement|point|guere)\b|"
    # « ne peut nous présenter », « ne saurait être retenu »: « ne » alone before pouvoir or savoir negates
    r"\bne\s+(?:(?:nous|vous|lui|leur|les|le|la|se|y|en)\s+)*(?:peut|peuvent|pouvait|pouvaient|pourra|put|saurait|"
    r"sauraient|sait|savait)\b)"
    r"(?:(?!\b(?:mais|puis|cependant|toutefois|pourtant|or|et a|et il|et elle)\b)[^,;.:()])*$")
# weak negators only reach the words right after them (« scooter non assuré et a refusé » negates « assuré » only)
NEG_NEAR = re.compile(r"(?:\bnon|\bsans|\babsence (?:de|d')|\bpas)\s+(?:[^\s,;:]+\s+)?$")
# a judgment or finding that sets the charge aside
SET_ASIDE_BEFORE = re.compile(
    r"(?:relax\w*|acquitt\w*|renvo\w* des fins de la poursuite|ecart\w*|abandon\w* (?:des|les) poursuites|"
    r"non-lieu|non lieu|"
    r"ne retient pas|n'a pas retenu|sans retenir)"
    # the clause runs to the charge, over the dots of initials (« relaxe M. F. du chef de délit de fuite »)
    r"(?:(?!\b(?:mais|puis|cependant|toutefois|or|condamne)\b)(?:[^;.]|(?<=\b[a-z])\.))*$")
# a denial denied is an admission: « ne conteste pas avoir refusé », « ne nie pas avoir pris la fuite »
ADMITTED_BEFORE = re.compile(r"\bne (?:conteste|contestait|nie|niait|dement|disconvient|discute|conteste plus)\w* "
                             r"(?:pas|plus|nullement|aucunement|point)\s+(?:avoir|etre|s'etre|qu'|que|l'|le|la|les)\b"
                             r"[^,;.:()]*$")
NEG_AFTER = re.compile(
    r"^(?:(?!\b(?:mais|puis|cependant|toutefois|or)\b)[^;.])*?(?:n'est pas (?:etabli|caracterise|constitue|"
    r"demontre|prouve|retenu)|n'est pas etablie|n'etait pas (?:etabli|caracterise)|non (?:etabli|caracterise)|"
    r"ne sont pas (?:etablis|caracterises)|n'a pas ete (?:etabli|retenu|constate|caracterise)|est ecarte|"
    r"doit etre ecarte|n'est pas constitue)")
# a form line that answers its own label (« Refus de se soumettre aux vérifications : NON », « Délit de fuite : néant »)
FORM_NO_AFTER = re.compile(r"^[^.;:\n]{0,60}:\s*(?:non|neant|aucune?|sans objet|0|[☐□❑❒◻▢]|\[\s{0,2}\]|\[_\])\s*[.;]?\s*(?:\n|$)")
CLAUSE_START = re.compile(r"[;.!?()]|\b(?:mais|puis|cependant|toutefois|or)\b")


def clause_before(f: str, start: int, width: int = 70) -> str:
    """The text of the clause that precedes position `start` (stopping at ; . ! ? mais puis …)."""
    lo = max(0, start - width)
    window = f[lo:start]
    cut = [m.end() for m in CLAUSE_START.finditer(window)]
    return window[cut[-1]:] if cut else window


def is_negated(f: str, start: int, end: int, width: int = 70) -> bool:
    """True when the statement at f[start:end] is negated or set aside by its clause or its sentence."""
    before = clause_before(f, start, width)
    admitted = ADMITTED_BEFORE.search(before) is not None
    if NEG_NEAR.search(before[-25:]) and not admitted:
        return True
    if NEG_BEFORE.search(before) and not admitted:
        # "ne ... que" restricts, it does not negate
        if not re.search(r"\bn(?:e|')[^,;.]*\b(?<!des )(?<!parce )(?<!alors )(?<!bien )que\b", before + f[end:end + 8]):
            return True
    sentence_before = f[max(0, start - 160):start]
    if SET_ASIDE_BEFORE.search(sentence_before):
        return True
    if FORM_NO_AFTER.search(f[end:end + 80]):
        return True
    return bool(NEG_AFTER.search(f[end:end + 140]))


# licence measures named under a negation (« aucune mesure de suspension, d'annulation ou d'invalidation »,
# « pas de suspension ni d'annulation en cours », « ni suspendu ni annulé », « non invalidé »): the negated words are
# not the status, the rest of the line tells it (« : titre valide »)
MEASURE_WORD = r"(?:suspen\w*|annul\w*|invalid\w*|retrait\w*|retenue\w*)"
NEGATED_MEASURES = re.compile(
    rf"\b(?:aucune?\s+|pas\s+(?:de\s+|d')?|sans\s+|ni\s+|non\s+|jamais\s+)(?:(?:mesure|decision|procedure)s?\s+(?:de |d')?|"
    rf"(?:fait l'objet d'une?\s+)?)?{MEASURE_WORD}"
    rf"(?:\s*(?:,|\bou\b|\bni\b|\bet\b)\s*(?:de |d'|d’)?(?:une?\s+)?{MEASURE_WORD})*")


def blank_negated_measures(text: str) -> str:
    """`text` (folded) with licence measures named under a negation blanked (same length)."""
    return NEGATED_MEASURES.sub(lambda m: " " * len(m.group(0)), text)
