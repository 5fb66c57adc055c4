"""Road-traffic facts found by what the text means, each with its cote, page and quoted words.

Every page is read the same way: typed quantities (orientation.quantities) whose role comes from their context,
labelled form fields matched by what their label means (orientation.lexicon), yes/no statements with their
polarity and scope (orientation.polarity). Each fact function returns candidates; `resolve` keeps the strongest
and reports, never hides, the candidates that disagree (`Fact.conflicts`) or that are uncertain (`Fact.uncertain`).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.citation import page_citation
from core.models import Page, SourceDocument
from orientation.acts import (
    CLAIM,
    COMPLIED,
    FORCED_STOP,
    HELD,
    NOT_ACCEPTED,
    ORDER,
    OTHER_ACTOR,
    REFUSE_COMPLY,
    REFUSE_TEST,
    STOP_ORDER,
    STOP_ORDER_THEN_GONE,
    STOPPED,
    TEST_ACCEPTED,
    TRAFFIC_STOP,
    consent_to_test,
    negated,
    negated_verb,
    refusal_told_back,
    stop_obeyed,
)
from orientation.forms import apply_ticks, both_options, tick_value
from orientation.lexicon import (
    LABELS,
    MONTH_RE,
    SUBSTANCE_RE,
    WORDS_NUMBER,
    canonical_substance,
    label_meaning,
    licence_value,
    measure_value,
    month_number,
    words_value,
    yes_no,
)
from orientation.polarity import blank_negated_measures, is_negated
from orientation.quantities import (
    AIR,
    BLOOD,
    DAYS,
    KMH,
    NGML,
    Quantity,
    find_dates,
    find_quantities,
    fold_for_numbers,
    repair,
    role,
)
from orientation.told import (
    drug_use_admitted,
    insurance_told,
    licence_told,
    probation_told,
    screening_in_questions,
    stop_refusal_asked,
    stop_refusal_told,
    test_refusal_told,
)

EXTRACTOR_VERSION = "meaning-fr-2.0"
FACT_KEYS = ["alcohol_air_mg_l_readings", "alcohol_blood_g_l", "drugs_positive", "drugs_substances", "licence_status",
             "probationary_licence", "no_insurance", "hit_and_run", "refusal_to_comply", "refusal_of_test",
             "speed_kmh", "speed_limit_kmh", "victim_itt_days", "accident_material_damage",
             "alcohol_screening_negative", "prior_convictions", "legal_recidivism", "facts_date", "minor"]
LICENCE_STATUSES = ["valid", "suspended", "annulled", "invalidated", "never_held"]


@dataclass
class Source:
    cote: str | None
    page: int
    quote: str
    document_id: str = ""
    pdf_page: int = 1

    def to_dict(self) -> dict:
        return {"cote": self.cote, "page": self.page, "quote": self.quote}


@dataclass
class Fact:
    value: Any
    sources: list[Source] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)  # [{"value", "sources"}] other values the file states
    uncertain: bool = False
    note: str | None = None

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"value": self.value, "sources": [s.to_dict() for s in self.sources]}
        if self.conflicts:
            out["conflicts"] = [{"value": c["value"], "sources": [s.to_dict() for s in c["sources"]]}
                                for c in self.conflicts]
        if self.uncertain:
            out["uncertain"] = True
            out["note"] = self.note
        return out


@dataclass(eq=False)
class PageView:
    """A page with its citation location, whitespace-folded text (`flat`) and the working texts: `text` keeps one
    line per line (text.replace('\\n', ' ') == flat), `f` is its folded, OCR-repaired twin (same offsets)."""

    doc: SourceDocument
    page: Page
    cote: str | None
    number: int
    flat: str
    text: str = ""
    f: str = ""
    quantities: list[Quantity] = field(default_factory=list)
    is_record: bool = False  # criminal record (B1): only prior convictions are read there
    sentences: list[tuple[int, int]] = field(default_factory=list)
    fields: list[tuple[str, str, int, int]] | None = None
    statements: list[tuple[int, int, str, bool]] | None = None  # see _statements

    def __post_init__(self) -> None:
        if not self.text:
            self.text = "\n".join(" ".join(line.split()) for line in repair(self.page.text).splitlines()
                                  if line.strip())
        self.f = apply_ticks(fold_for_numbers(self.text))
        self.quantities = find_quantities(self.f)
        self.sentences = _sentences(self.f, self.text)
        if self.is_record:
            return  # the record section of a page that holds other forms too (see page_views)
        head = self.f[:400]
        # a judgment's reasoning that cites the record (« Vu le bulletin n° 1 du casier judiciaire du prévenu qui porte
        # trace de … ; attendu que … ») tells the case; the record itself never opens so
        reasoning = re.match(r"\W*(?:vu|attendu|considerant|par ces motifs)\b", head) is not None
        self.is_record = not reasoning and bool(re.search(r"bulletin n\s*[°o]?\s*1\b|\bb1\b|(?:^|[—–:|(-]\s*)"
                                        r"(?:(?:extrait|releve) "
                                        r"(?:integral )?d[ue] )?casier judiciaire|releve du casier|"
                                        r"^\W{0,3}(?:releve|liste|etat) des condamnations\b|condamnations inscrites|"
                                        r"condamnation n\s*°|\bcond\.\s*\d|^n° \| date|^condamnation\s*:|"
                                        r"^(?:ordonnance penale|composition penale|jugement|arret)\b[^\n]{0,30}?"
                                        r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\s*(?:—|–|-|\||\()\s*(?:tribunal|\btc\b|\btj\b|cour|"
                                        r"procureur|delegue du procureur)",
                                        head)) or \
            bool(B1_PIPE_ROW.search(head)) or \
            len(re.findall(r"(?:definiti\w*|\bdef\.|caractere definitif)\s*(?:le\s*)?:?\s*(?:le\s*)?\d", self.f)) >= 1 and \
            bool(re.search(r"tribunal|\btc\b|\btj\b|cour d'appel|procureur|composition penale|ordonnance penale", self.f)) \
            and not re.search(r"proces-verbal|nous soussigne|rapportons|constatons|agissant en|procedons|ethylometre|"
                              r"recidive", self.f)


# the title of a criminal-record section (« CASIER JUDICIAIRE NATIONAL — Bulletin n° 1 », « B1 : néant ») at the start
# of a line; a narrative that speaks of the record (« le casier judiciaire du prévenu porte mention … ») is not one
RECORD_SECTION = re.compile(r"(?m)^\W{0,3}(?:(?:extrait|releve|bulletin n\s*[°o]?\s*1) (?:integral )?d[ue] )?"
                            r"casier judiciaire|^\W{0,3}bulletin n\s*[°o]?\s*1\b|^\W{0,3}b1\s*[:—–-]|"
                            r"^\W{0,3}(?:releve|liste|etat) des condamnations\b|^\W{0,3}condamnations inscrites\b|"
                            r"^\W{0,3}antecedents judiciaires\s*:?\s*$")
OTHER_FORM = re.compile(r"snpc|fnpc|permis|\bfva\b|assur|proces-verbal|ethylo|depistage|\bpv\b")


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


# the title of another form's section at the start of a line (« RELEVÉ INTÉGRAL SNPC », « FVA — … », « Fichier des
# véhicules assurés »): after a record section, the page goes back to the case
FORM_SECTION = re.compile(r"(?m)^\W{0,3}(?:(?:releve|interrogation|consultation)\w* (?:integral\w* )?(?:du |d'information )?)?"
                          r"(?:snpc|fnpc|fva\b|f\.v\.a|systeme national des permis|fichier (?:national )?des (?:permis|"
                          r"vehicules assures)|permis de conduire\s*:)")


# a record told inline among other checks of a dense note (« SNPC : titre valide ; FVA : assuré ; B1 : néant »)
INLINE_RECORD = re.compile(r"(?:^|[;/|—–]\s*|\s-\s)((?:b1|bulletin n\s*[°o]?\s*1|casier(?: judiciaire)?(?: national)?)"
                           r"\s*:\s*[^;/|—–\n]*)")


def _line_around(f: str, pos: int) -> str:
    return f[f.rfind("\n", 0, pos) + 1:(f.find("\n", pos) + 1 or len(f) + 1) - 1]


def _split_record(view: PageView) -> list[PageView]:
    """A page that holds other forms and a criminal-record section (a « SNPC — FVA — casier » sheet, in any order)
    is read as two views of the same page: the forms for the case facts, the record for the prior convictions (each
    view blanks the other part, so offsets and quotes stay those of the page)."""
    m = RECORD_SECTION.search(view.f, 1)
    inline = INLINE_RECORD.search(view.f)
    line = _line_around(view.f, inline.start(1)) if inline else ""
    if inline and OTHER_FORM.search(line.replace(inline.group(1), " ")) and \
            re.search(r"\w\s*:", line.replace(inline.group(1), " ")):
        at, end = inline.start(1), inline.end(1)  # the record shares its line with the other checks
    elif m is not None and OTHER_FORM.search(view.f[:m.start()]) and not RECORD_SECTION.search(view.f[:m.start()]):
        at = m.start()
        back = FORM_SECTION.search(view.f, m.end())  # a form section after the record
        end = back.start() if back else len(view.f)
    elif view.is_record and (back := FORM_SECTION.search(view.f, 1)) and RECORD_SECTION.search(view.f[:back.start()]):
        at, end = 0, back.start()  # the record first, then the forms (« B1 : néant », then « SNPC : … »)
    else:
        return [view]
    t = view.text
    case = PageView(view.doc, view.page, view.cote, view.number, view.flat, text=t[:at] + _blank(t[at:end]) + t[end:])
    record = PageView(view.doc, view.page, view.cote, view.number, view.flat,
                      text=_blank(t[:at]) + t[at:end] + _blank(t[end:]), is_record=True)
    return [case, record]


def page_views(docs: list[tuple[SourceDocument, list[Page]]]) -> list[PageView]:
    views = []
    for doc, pages in docs:
        stamp = None if (doc.cote or any(p.cote for p in pages)) else _bare_stamp(pages)
        for p in pages:
            cote, number = page_citation(doc.cote or stamp, p)
            views += _split_record(PageView(doc, p, cote, number, " ".join(p.text.split())))
    return sorted(views, key=lambda v: (_cote_key(v.cote), v.number))


def _bare_stamp(pages: list[Page]) -> str | None:
    """A cote stamped alone on a line (« D4 ») at the top or bottom of every page of a piece without other cote."""
    found = set()
    for p in pages:
        lines = [x.strip() for x in p.text.splitlines() if x.strip()]
        edge = lines[:2] + lines[-2:]
        hits = {x for x in edge if re.fullmatch(r"D\s?\d{1,3}", x)}
        if len(hits) != 1:
            return None
        found |= {h.replace(" ", "") for h in hits}
    return found.pop() if len(found) == 1 else None


# a B1 table flattened with pipes: « | 1 | 05/11/2020 | TC Créteil | Conduite sans permis | 3 mois … | 15/12/2020 | »
B1_PIPE_ROW = re.compile(r"(?m)^\s*\|?\s*(?:\d{1,2}|[lio])\s*\|\s*\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\s*\|\s*(?:tribunal|\btc\b|\btj\b|"
                         r"\btgi\b|\btp\b|cour|\bca\b|procureur|delegue|composition|ordonnance)")


def text_views(text: str, cote: str | None = None) -> list[PageView]:
    """One page of plain text (a passage) as a view, for evaluation without ingestion."""
    doc = SourceDocument(id="passage", dossier_id="passage", cote=cote, sha256="-", filename="passage.txt")
    return page_views([(doc, [Page(document_id="passage", number=1, text=text)])])


def _cote_key(cote: str | None) -> tuple[str, int]:
    return (cote[0], int(cote[1:])) if cote and cote[1:].isdigit() else ("Z", 0)


# --- candidates and their resolution -------------------------------------------------------------------------

@dataclass
class Candidate:
    value: Any
    score: int  # 3 labelled field / laboratory or ticket, 2 narrative statement, 1 weak or uncertain
    view: PageView
    start: int
    end: int
    uncertain: bool = False
    note: str | None = None

    def source(self) -> Source:
        """The quoted words: the sentence (or form line) around the candidate, at most 80 characters either side,
        cut from the page's own text (so the quote is found on the page as it is)."""
        v = self.view
        s, e = _sentence_at(v, self.start)
        lo, hi = max(s, self.start - 80), min(max(e, self.end), self.end + 80)
        quote = v.text[lo:min(hi, lo + 240)].replace("\n", " ").strip(" ;,.")
        return Source(v.cote, v.number, quote, v.doc.id, v.page.number)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list) and a and b and all(isinstance(x, dict) for x in a + b):
        # two readings of the same criminal record: the same entries by date and offence (wording aside)
        if len(a) != len(b):
            return False
        def key(x: dict) -> tuple[str, str]:
            return x.get("date") or "", x.get("offence") or ""
        return all(key(x) == key(y) and (not x.get("final_date") or not y.get("final_date") or
                                         x["final_date"] == y["final_date"])
                   for x, y in zip(sorted(a, key=key), sorted(b, key=key), strict=True))
    if isinstance(a, list) and isinstance(b, list) and all(isinstance(x, float | int) for x in a + b):
        return bool(b) and all(any(abs(x - y) < 1e-6 for y in a) for x in b)  # b's readings are among a's
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return abs(a - b) < 1e-6
    return a == b


def resolve(cands: list[Candidate]) -> Fact | None:
    """The strongest candidate (score, then file order) gives the value; agreeing candidates add sources; a
    disagreeing one is kept as a conflict (never resolved silently)."""
    if not cands:
        return None
    order = {v: i for i, v in enumerate(dict.fromkeys(c.view for c in cands))}
    ranked = sorted(cands, key=lambda c: (-c.score, c.uncertain, order[c.view], c.start))
    best = ranked[0]
    fact = Fact(best.value, [best.source()], uncertain=best.uncertain, note=best.note)
    seen_pages = {(best.view.cote, best.view.number)}
    for c in ranked[1:]:
        if _same(best.value, c.value):
            if (c.view.cote, c.view.number) not in seen_pages and len(fact.sources) < 6:
                fact.sources.append(c.source())
                seen_pages.add((c.view.cote, c.view.number))
        elif not c.uncertain and c.score >= 2:
            other = next((x for x in fact.conflicts if _same(x["value"], c.value)), None)
            if other is None:
                fact.conflicts.append({"value": c.value, "sources": [c.source()]})
            elif len(other["sources"]) < 3:
                other["sources"].append(c.source())
    return fact


# . ; ! ? end a sentence, except after an abbreviation (a letter alone but not a unit's « mg/l. », « Mme. », « art. »,
# « n°. », « cf. », « ex. », « réf. ») and a dot alone after a space (OCR)
SENTENCE_END = re.compile(r"(?<!(?<!/)\b[a-z])(?<!\bmme)(?<!\bart)(?<!\bn°)(?<!\bdr)(?<!\bcf)(?<!\bex)(?<!\bref)(?<!\benv)"
                          r"(?<!\.)(?:(?<!\s)\.|[;!?])(?!\.)(?=\s|$)|\n")  # « au .\nmoins »: a speck read as a dot


def _sentences(f: str, text: str = "") -> list[tuple[int, int]]:
    """Sentence spans of a folded page text: . ; ! ? end a sentence; a line break ends one after a short line
    (forms, tickets, tables) or after a line that already ends a sentence — unless the next line goes on in lower
    case (`text`, the page's own case): prose wrapped by a narrow column or by OCR (« relaxé du chef de refus\nde
    se soumettre », « résultat :\nnégatif »)."""
    spans, start = [], 0
    for m in SENTENCE_END.finditer(f):
        if m.group(0) == "\n":
            line_start = f.rfind("\n", 0, m.start()) + 1
            line = f[line_start:m.start()]
            if len(line) > 60 and not re.search(r":\s*\S{0,30}$", line):
                continue
            if text and re.match(r"[a-zà-ÿ]", text[m.end():m.end() + 1]) and re.search(r"[\w,']\s*$", line):
                continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(f):
        spans.append((start, len(f)))
    return [(s, e) for s, e in spans if f[s:e].strip()]


def _sentence_at(v: PageView, pos: int) -> tuple[int, int]:
    for s, e in _sentences_cached(v):
        if s <= pos < e:
            return s, e
    return 0, len(v.f)


def _sentences_cached(v: PageView) -> list[tuple[int, int]]:
    return v.sentences


LABEL_BEFORE_COLON = re.compile(r"\s(" + "|".join(sorted({re.escape(x) for xs in LABELS.values() for x in xs if len(x) >= 5},
                                                          key=len, reverse=True)) + r")\s*:")


def _fields(v: PageView) -> list[tuple[str, str, int, int]]:
    if v.fields is None:
        v.fields = _read_fields(v)
    return v.fields


# « Label : value », « Label = value », « Label ....... value » (OCR: « . . . . », « ____ », « …… »), « Label | value »
FIELD_LINE = re.compile(r"\s*([^:]{2,60}?)\s*(?::|=|(?:\s?[.…_·]){3,}|…|\|)\s*(.*)$")


def _bare_label(line: str) -> str | None:
    """The meaning of a line that is a label alone (« Situation du titre », « Période probatoire : »)."""
    m = FIELD_LINE.match(line)
    if m and m.group(2).strip(" .:=…|-_"):
        return None
    text = m.group(1) if m else line
    return label_meaning(text, min_ratio=2.0) if 3 <= len(text.strip()) <= 60 else None


def _column_pairs(lines: list[str]) -> dict[int, tuple[str, int]]:
    """A run of k ≥ 2 bare labels followed by k short value lines (no label among them): label i -> value i.
    This is how OCR gives a two-column form (the labels' block, then the values' block)."""
    pairs: dict[int, tuple[str, int]] = {}
    i = 0
    while i < len(lines):
        run = []
        while i + len(run) < len(lines) and (meaning := _bare_label(lines[i + len(run)])):
            run.append(meaning)
        k = len(run)
        values = lines[i + k:i + 2 * k]
        if k >= 2 and len(values) == k and all(0 < len(x.strip()) < 40 and _bare_label(x) is None and
                                               ":" not in x for x in values):
            for n, meaning in enumerate(run):
                pairs[i + n] = (meaning, i + k + n)
            i += 2 * k
        else:
            i += max(k, 1)
    return pairs


def _read_fields(v: PageView) -> list[tuple[str, str, int, int]]:
    """Labelled fields of a page: (meaning, folded value, start, end) from « Label : value » lines, « Label   value »
    table cells (a label variant at the start of a short line) and « Label » lines followed by their value."""
    out = []
    pos = 0
    raw_lines = v.f.split("\n")
    lines: list[str] = []
    starts: list[int] = []
    for line in raw_lines:  # « Permis : Valide - Probatoire : OUI », « Solde de points : 6 Probatoire : non »
        if line.count(":") >= 2 or (line.count(":") >= 1 and re.search(r"\s[|]\s|\s-\s.*:", line)):
            cuts = sorted({0} | {m.end() for m in re.finditer(r"\s+[-|;]\s+|\s{2,}", line)} |
                          {m.start(1) for m in LABEL_BEFORE_COLON.finditer(line) if m.start(1) > 0})
            for a, b in zip(cuts, cuts[1:] + [len(line)], strict=False):
                chunk = re.sub(r"(?:\s+[-|;]\s*|\s{2,})$", "", line[a:b])
                if chunk.strip():
                    lines.append(chunk)
                    starts.append(pos + a)
        else:
            lines.append(line)
            starts.append(pos)
        pos += len(line) + 1
    for i in range(1, len(lines)):  # « … — Situation\n: valide »: the label ends the line above its colon
        if re.match(r"\s*:", lines[i]) and len(lines[i]) <= 40 and "?" not in lines[i - 1] and \
                starts[i] == starts[i - 1] + len(lines[i - 1]) + 1:
            words = list(re.finditer(r"\S+", lines[i - 1]))
            for n in range(min(4, len(words)), 0, -1):
                tail = starts[i - 1] + words[-n].start()
                if label_meaning(v.f[tail:starts[i - 1] + len(lines[i - 1])], min_ratio=2.0):
                    lines[i] = v.f[tail:starts[i] + len(lines[i])].replace("\n", " ")
                    starts[i] = tail
                    break
    paired = _column_pairs(lines)
    for i, line in enumerate(lines):
        start = starts[i]
        if len(line) > 140:
            continue
        if i in paired:  # a column of labels, then the column of their values (two-column form read by OCR)
            meaning, j = paired[i]
            value = tick_value(lines[j].strip(" .:=…|-"))
            if value and not both_options(value):
                out.append((meaning, value, start, starts[j] + len(lines[j])))
            continue
        m = FIELD_LINE.match(line)
        label, value = (m.group(1), m.group(2)) if m else (None, None)
        meaning = label_meaning(label) if label else None
        if meaning is None and m is None and len(line) <= 60:
            words = line.split()
            for n in range(min(6, len(words) - 1), 0, -1):
                head = " ".join(words[:n])
                meaning = label_meaning(head, min_ratio=2.0)  # exact or contained variant only
                if meaning:
                    k = n
                    while k > 1 and label_meaning(" ".join(words[:k - 1]), min_ratio=2.0) == meaning:
                        k -= 1
                    if re.search(r"\d", " ".join(words[k:n])):
                        n = k  # « faits commis le 13/02/2025 à … »: the date is the value, not part of the label
                    value = " ".join(words[n:])
                    break
        if meaning is None:
            continue
        j = i + 1
        while not value and j < len(lines) - 1 and j <= i + 3 and not lines[j].strip() and \
                v.text[starts[j]:starts[j] + len(lines[j])].strip():
            j += 1  # « Situation du permis :\n□ Valide\n■ Suspendu »: the unticked options above the ticked one
        if not value and j < len(lines) and len(lines[j]) < 60:
            value = lines[j]
            pos_end = starts[j] + len(lines[j])
        else:
            pos_end = start + len(line)
        value = tick_value((value or "").strip(" .:=…|-"))
        if value and not both_options(value):
            out.append((meaning, value, start, pos_end))
    return out


# --- shared context tests ------------------------------------------------------------------------------------
PRIOR_CONTEXT = re.compile(r"deja (ete )?condamne|(?:a|avait|ayant) (?:deja |precedemment )?fait l'objet d'une? (?:composition|"
                           r"ordonnance penale|condamnation)|precedemment condamne|anterieurement condamne|"
                           r"condamnation anterieure|"
                           r"antecedents?|pour avoir ete condamne|avait ete condamne|casier judiciaire|"
                           r"deja (ete )?(controle|sanctionne|poursuivi)|en \d{4} et en \d{4}|"
                           r"composition penale executee|reabilitation|"
                           # « sa précédente condamnation pour conduite sans permis, prononcée en 2012 »
                           r"(?:precedente|derniere|ancienne|anterieure|premiere)s? condamnations?|"
                           r"condamnations? (?:precedente|anterieure)s?")
# (a court's « sera déclaré coupable », « sera condamné » is its decision, not a hypothesis)
HYPOTHESIS = re.compile(r"\b(?:en cas de|vous devez|si vous|lorsque le|tout conducteur|(?<!ne )peut etre|"
                        r"sera(?! (?:\w+ )?(?:declaree?s? coupables?|condamnee?s?|relaxee?s?|retenue?s?)\b)|serait|"
                        r"seront|automatiquement|de plein droit|encourt|(?<!avoir )(?<!a )encourue?s?|risque|en vue d|s'expose|"
                        r"expose a|assimilee?s?(?! (?:a|comme) un refus)|au regard de la recidive|est puni|sont punis|punit|"
                        r"est passible|"
                        r"prevu et reprime)\b")


def _is_question(v: PageView, s: int, e: int) -> bool:
    """A question put in an audition (or the answer that follows it) states no fact of the procedure."""
    s += len(v.f[s:e]) - len(v.f[s:e].lstrip())
    line_start = v.f.rfind("\n", 0, s) + 1
    line = v.f[line_start:v.f.find("\n", e) if v.f.find("\n", e) >= 0 else len(v.f)]
    # « : Vous avez refusé … » — a Q/R line whose label the OCR split off into its own column
    return "?" in v.f[s:e] or bool(re.match(r"\s*(?:(?:q|question|r|reponse)\s*[:.-]|:\s+(?:vous|votre|vos|je|j'|"
                                            r"oui|non|pourquoi|comment|combien|quand|quel\w*|est-ce|avez|etes|"
                                            r"reconnaissez|contestez|confirmez)\b)", line))


def _flat(sentence: str) -> str:
    """A sentence with its line breaks as spaces (same length): PDF and OCR lines cut sentences anywhere
    (« refus de se\nsoumettre »), and the rules read words, not lines."""
    return sentence.replace("\n", " ")


def _case_pages(views: list[PageView]) -> Iterator[PageView]:
    """The pages that tell the case (a criminal record page is read for prior convictions only)."""
    return (v for v in views if not v.is_record)


def _statements(v: PageView, factual: bool = False) -> Iterator[tuple[int, int, str]]:
    """The loop every yes/no fact shares: each sentence of a page (start, end, folded text), without the questions
    of an audition; `factual` also leaves out past-record context and the law's hypotheses (« en cas de … »).
    Computed once per page (every fact reads the same sentences)."""
    if v.statements is None:
        v.statements = []
        for s, e in v.sentences:
            if _is_question(v, s, e):
                continue
            sent = _flat(v.f[s:e])
            v.statements.append((s, e, sent, bool(PRIOR_CONTEXT.search(sent) or HYPOTHESIS.search(sent))))
    for s, e, sent, told_as_past_or_law in v.statements:
        if not (factual and told_as_past_or_law):
            yield s, e, sent


def _sentence_text(v: PageView, pos: int) -> str:
    s, e = _sentence_at(v, pos)
    return _flat(v.f[s:e])


# --- alcohol ------------------------------------------------------------------------------------------------
ALCOHOL_CONTEXT = re.compile(r"alcool|ethylometre|ethylotest|air expire|sang|sanguin|ethanol|ivresse|alcoolemie|"
                             r"souffl|taux|mesure")


def _roles(v: PageView) -> list[tuple[Quantity, str]]:
    out, prev = [], None
    for q in v.quantities:
        out.append((q, role(v.f, q, prev, v.quantities)))
        prev = q
    return out


def air_readings(views: list[PageView]) -> list[Candidate]:
    cands = []
    for v in _case_pages(views):
        readings, retained = [], []
        for q, r in _roles(v):
            if q.kind != AIR or q.value < 0:
                continue
            after = v.f[q.end:q.end + 40]
            if re.match(r"\s*(?:d'air|dans l'air)", after) is None and q.value > 5:
                continue
            sent = _sentence_text(v, q.start)
            if q.bare and not re.search(r"alcool|air expire|ethylometre|souffl|mesure|taux", sent + v.f[:300]):
                continue
            s0 = _sentence_at(v, q.start)[0]
            before_q = v.f[max(s0, q.start - 70):q.start]
            # « Dépistage alcool : NÉGATIF (0,00 mg/l) »: a value in brackets belongs to the words before them
            cut = r"[;]" if re.search(r"(?:negati\w*|positi\w*)\s*\(\s*$", before_q) else r"[;(]"
            clause = re.split(cut, before_q)[-1] + v.f[q.end:q.end + 60]
            if re.search(r"depistage|ethylotest|indicati|non probant|pretest", clause) and \
                    not re.search(r"ethylometre", clause):
                continue  # a screening device gives no reading
            if re.match(r"\W*(?:le|la|son|sa|leur) (?:passag\w*|pieton\w*|victime|temoin|autre conducteur)\b", sent) or \
                    re.search(r"\b(?:du|de la) (?:passag\w*|victime|pieton\w*)\s*(?:est|etait|:)?\s*(?:de\s*)?$",
                              before_q):
                continue  # the passenger's breath reading is not the driver's
            if _someone_elses(sent, q.start - s0) or _about_another(v, s0, sent) or \
                    re.search(rf"\b(?:sur|chez|de) (?:la |le |l'|sa |son )?{OTHER_HOLDER}\W{{0,3}}$", before_q):
                continue  # « Le conducteur du second véhicule, M. F., présente 0,12 mg/l ; le mis en cause, lui, … »
            if r == "reading":
                bracket = _bracketed_readings(v, q)
                if any(abs(b.value - q.value) < 1e-9 for b in bracket):  # « 0,44 mg/l (0,46 et 0,44 …) »
                    readings += bracket
                    continue
                readings.append(q)
                readings += _named_partner(v, q, readings)
            elif r == "retained":
                retained.append(q)
                readings += _bracketed_readings(v, q)
        readings.sort(key=lambda q: q.start)
        picked = _collapse(_ordered(v, _dedupe(v, readings))) or retained[:1] or _header_unit_table(v)
        if picked:
            form = all(_on_short_line(v, q.start) for q in picked)
            cands.append(Candidate([q.value for q in picked], 3 if form else 2, v, picked[0].start, picked[-1].end))
    if not cands:
        cands += _unitless_air(views)
    return cands


BRACKET_AFTER = re.compile(r"\s*(?:d'air expire|a\.?\s?e\.?)?\s*\(([^()\n]{3,80})\)")


def _bracketed_readings(v: PageView, q: Quantity) -> list[Quantity]:
    """« Taux retenu 0,31 mg/l (mesures 0,33 et 0,31) »: the retained value first, then the readings in brackets
    with the unit unsaid."""
    m = BRACKET_AFTER.match(v.f, q.end)
    if not m or re.search(r"\b(?:g|gr|grammes?|ng|km|euros?|%)\b|€|seuil|marge", m.group(1)):
        return []
    out = []
    for d in re.finditer(r"(?<![\d,.])([0-2][,.]\d{2,3})(?![\d,.]?\d)", m.group(1)):
        a = m.start(1) + d.start(1)
        if not any(o.start <= a < o.end for o in v.quantities):
            out.append(Quantity(AIR, float(d.group(1).replace(",", ".")), a, m.start(1) + d.end(1)))
    return out if len(out) >= 2 else []


def _collapse(qs: list[Quantity]) -> list[Quantity]:
    """[0,55, 0,53, 0,55, 0,53] -> [0,55, 0,53]: a page that quotes the ticket after its own text repeats the
    series; the readings are the series once."""
    values = [q.value for q in qs]
    for n in range(2, len(values) // 2 + 1):
        if len(values) % n == 0 and values == values[:n] * (len(values) // n):
            return qs[:n]
    return qs


def _dedupe(v: PageView, qs: list[Quantity]) -> list[Quantity]:
    """Readings in page order; a value repeated in a later sentence (a summary quoting the measure) counts once,
    two equal readings of one sentence or of numbered measure lines both count."""
    out: list[Quantity] = []
    for q in qs:
        same = [o for o in out if abs(o.value - q.value) < 1e-9]
        if same and _sentence_at(v, same[-1].start) != _sentence_at(v, q.start) and \
                not re.search(r"mesure|essai|resultat|test|souffle", v.f[max(0, q.start - 40):q.start]):
            continue
        # a ticket's « Résultat : 0,49 » after its two measures repeats the last one: not a third reading
        # (or the lower one: « Test 1 : 0,83 — Test 2 : 0,86 — Résultat : 0,83 »)
        if len(out) >= 2 and any(abs(o.value - q.value) < 1e-9 for o in out) and \
                re.search(r"\bresultat(?: final| retenu| definitif)?[\s.:…_=-]*$", v.f[max(0, q.start - 30):q.start]) and \
                not re.search(r"(?:3|troisieme)", v.f[max(0, q.start - 40):q.start]):
            continue
        out.append(q)
    return out


ORDINALS = [(1, r"premi[e]re?|1\s*(?:ere|re|er)\b|mesure\s*(?:n\s*°\s*)?1\b|1st"),
            (2, r"seconde?|deuxieme|2\s*(?:eme|e|nde)\b|mesure\s*(?:n\s*°\s*)?2\b")]


def _ordered(v: PageView, qs: list[Quantity]) -> list[Quantity]:
    """Readings in measurement order when each names its rank (« la seconde (0,42) … la première (0,45) »)."""
    if len(qs) != 2:
        return qs
    times = [_time_of(v, q) for q in qs]
    if None not in times and times[0] != times[1]:
        t = [x + 1440 if x is not None and abs(times[0] - times[1]) > 720 and x < 720 else x for x in times]
        return [q for _, q in sorted(zip(t, qs, strict=True), key=lambda x: x[0])]
    ranks = []
    for q in qs:
        before = v.f[max(0, q.start - 30):q.start]
        found = [n for n, pattern in ORDINALS if re.search(pattern, before)]
        ranks.append(found[-1] if found else None)
    if None not in ranks and len(set(ranks)) == 2:
        return [q for _, q in sorted(zip(ranks, qs, strict=True), key=lambda x: x[0])]
    return qs


TIME = re.compile(r"(?<![\d,.])([01]?\d|2[0-3])\s*(?:h|:)\s*([0-5]\d)(?!\d|[,.]\d)")


def _time_of(v: PageView, q: Quantity) -> int | None:
    """The time a reading was taken (« à 23 h 31, 0,81 », « (0,79 à 23 h 25) »), in minutes, from its own clause."""
    s, e = _sentence_at(v, q.start)
    before = v.f[max(s, q.start - 40):q.start]
    before = re.split(r"[;()]|\bet\b|\bpuis\b", before)[-1]
    after = re.split(r"[;()]|,\s", v.f[q.end:min(e, q.end + 25)])[0]
    back, ahead = list(TIME.finditer(before)), list(TIME.finditer(after))
    m = back[-1] if back else (ahead[0] if ahead else None)
    return int(m.group(1)) * 60 + int(m.group(2)) if m else None


def _named_partner(v: PageView, q: Quantity, known: list[Quantity]) -> list[Quantity]:
    """« 0,81 mg/l, supérieur à la première (0,79 à 23 h 25) »: the other reading named by its rank, unit unsaid."""
    s, e = _sentence_at(v, q.start)
    out = []
    for m in re.finditer(r"(?:premi\w*|seconde?|deuxieme)(?: mesure)?\s*\(?\s*(?:de\s*)?(?<![\d,.])([0-2][,.]\d{2,3})"
                         r"(?![\d,.]|\s*(?:g\b|gr|gramme|ng|%|km|euro|€))", v.f[s:e]):
        a = s + m.start(1)
        if not any(o.start <= a < o.end for o in known + v.quantities):
            out.append(Quantity(AIR, float(m.group(1).replace(",", ".")), a, s + m.end(1)))
    return out


def _header_unit_table(v: PageView) -> list[Quantity]:
    """A ticket table whose header alone names the unit (« Heure   Mesure (mg/l air expiré) », rows « 00:41 0,392 »)."""
    head = re.search(r"(?m)^[^\n\d]*(?:mesure|resultat|taux|valeur)[^\n\d]*\bmg\s*/\s*l\b[^\n\d]*$", v.f)
    if not head:
        return []
    out = []
    for m in re.finditer(r"(?m)^\s*(?:[12]\s*[.):|-]?\s*)?(?:[012]?\d\s*[:h]\s*[0-5]\d)\s*[|:]?\s*(0[,.]\d{2,3}|[1-3][,.]\d{2,3})"
                         r"\s*\|?\s*$", v.f[head.end():]):
        a = head.end() + m.start(1)
        out.append(Quantity(AIR, float(m.group(1).replace(",", ".")), a, head.end() + m.end(1)))
    return out[:4]


def _on_short_line(v: PageView, pos: int) -> bool:
    lo = v.f.rfind("\n", 0, pos) + 1
    hi = v.f.find("\n", pos)
    return (hi if hi >= 0 else len(v.f)) - lo <= 70


def _unitless_air(views: list[PageView]) -> list[Candidate]:
    """A decimal without unit in a breath-test sentence: an uncertain candidate, shown « à vérifier »."""
    out = []
    for v in _case_pages(views):
        for m in re.finditer(r"(?:taux|resultat|mesure|indique|affiche|revele)[^.\n]{0,30}?(?<![\d,.])"
                             r"(0[,.]\d{2,3}|[12][,.]\d{2,3})(?![\d,.]|\s*(?:g|gr|gramme|mg|ng|%|km|euro|€))", v.f):
            sent = _sentence_text(v, m.start())
            if re.search(r"ethylometre|air expire|souffl", sent) and not re.search(r"sang|sanguin", sent):
                out.append(Candidate([float(m.group(1).replace(",", "."))], 1, v, m.start(1), m.end(1), True,
                                     "valeur sans unité lue près de la mention de l'éthylomètre"))
                break
    return out


def blood_alcohol(views: list[PageView]) -> list[Candidate]:
    cands = []
    for v in _case_pages(views):
        found = []
        for q, r in _roles(v):
            if q.kind != BLOOD or r not in ("reading", "retained") or not 0 <= q.value < 10:
                continue
            if q.value == 0 and not re.search(r"resultat|ethanol|alcoolemie|taux|:\s*$", v.f[max(0, q.start - 40):q.start]):
                continue  # a zero is a result only where it is given as one (« Éthanol sanguin : 0,00 g/L »)
            unit = v.f[q.start:q.end]
            sent = _sentence_text(v, q.start)
            if not re.search(r"/|par|‰|mille", unit) and not re.search(r"alcool|sang|sanguin|ethanol", sent):
                continue
            if re.search(r"(?:correspond\w*|equivau\w*|equivalent\w*|soit l'equivalent|converti\w*|represent\w*)\s+(?:a\s+)?"
                         r"(?:une? |la )?(?:concentration |alcoolemie |taux )?(?:\w+ ){0,3}?(?:de l'ordre )?(?:de |d')?\s*$",
                         v.f[max(0, q.start - 70):q.start]) and any(o.kind == AIR for o in v.quantities if o.end <= q.start):
                continue  # a breath reading converted to blood (« 1,10 mg/l, correspond à … 2,20 g/l de sang »)
            if re.match(r"[^.;]{0,35}\b(?:constitue|est|represente|marque|fixe) (?:le |la |un )?(?:seuil|limite|taux legal)",
                        v.f[q.end:q.end + 80]):
                continue  # « un taux de 0,8 g/l dans le sang constitue le seuil délictuel » is the law, not a result
            if re.match(r"\s*d'air", v.f[q.end:q.end + 10]) or re.search(r"incertitude|±|\+/-", v.f[q.start - 25:q.start]):
                continue
            if _someone_elses(sent, q.start - _sentence_at(v, q.start)[0]):
                continue  # « La victime, transportée au CHU, présentait une alcoolémie de 0,9 g/l »
            found.append(q)
        # a laboratory's own result (« Résultat rendu (moyenne) : 1,34 g/l ») outranks its single determinations
        result = [q for q in found if re.search(r"resultat|moyenne|conclusion|retenu|alcoolemie de|taux",
                                                v.f[max(0, q.start - 45):q.start])]
        if found:
            q = (result or found)[0]
            if len(found) >= 2 and re.search(r"\b(?:le|la) plus (?:favorable|faible|basse?)\b|\bplus favorable au\b", v.f):
                q = min(found, key=lambda x: x.value)  # a counter-analysis: « le résultat le plus favorable est retenu »
            score = 3 if _on_short_line(v, q.start) else 2
            if re.search(r"\bconclusions?\b|en conclusion|conclu\w* (?:a|que)", v.f[max(0, q.start - 300):q.start]):
                score = 4  # the laboratory's conclusion is its answer: cited first, before its results table
            cands.append(Candidate(q.value, score, v, q.start, q.end))
    return cands


SCREEN_ALCOHOL = re.compile(r"ethylotest|alcootest|chronotest|depistages? (?:de l'|d')?(?:impregnation )?alcool\w*|"
                            r"impregnation alcoolique|test d'alcoolemie|depistage de l'alcoolemie|"
                            r"depistage (?:de l'etat )?alcoolique|depistage alcool|dae\b|depist\.? (?:\w+\.? ){0,2}"
                            r"(?:ethylotest|alcool)\w*|souffl\w* dans (?:l'|un |le )?(?:ethylotest|alcootest|ballon)")
SCREEN_ANY = re.compile(r"\bdepistages?\b")


SCREENING_PIECE = re.compile(r"(?m)^[^\n]{0,40}\b(?:proces-?\s?verbal|pv|fiche|compte rendu) (?:de |des )?(?:\w+ ){0,2}?"
                             r"depistages?\b")


def _screening_score(v: PageView) -> int:
    """The piece whose title is the screening (« PROCÈS-VERBAL DE DÉPISTAGE ») establishes its result: it outranks
    the summary another procès-verbal gives of it, which stays a source when it agrees."""
    return 3 if SCREENING_PIECE.search(v.f[:300]) else 2


def screening_negative(views: list[PageView]) -> list[Candidate]:
    cands = []
    for v in _case_pages(views):
        prev = ""
        for s, _e, sent in _statements(v):
            before, prev = prev, sent
            if STATISTIC.search(sent):
                continue  # « neuf dépistages se sont révélés positifs »: a checkpoint's count, not this driver's test
            m = SCREEN_ALCOHOL.search(sent)
            if m is None:
                m = SCREEN_ANY.search(sent)
                drug_words = r"salivaire|stupefiant|urinaire|drogue|cannab|thc"
                if m is None and SCREEN_ALCOHOL.search(before) and not re.search(drug_words + r"|ethylometre|mesure", sent):
                    # « Invité au dépistage, il s'y prête. Le résultat est positif. »: the result of the test told before
                    # (or the form goes on after a cut: « … n° ARLB-1187. — heure : 16 h 31 — résultat : NÉGATIF »)
                    told = re.match(r"\W*(?:le |son |ce )?(?:resultat|test|depistage|souffle)\b[^.;]{0,30}?\b(?:est|"
                                    r"s'avere|se revele|"
                                    r"s'est revele|apparait|s'affiche)\w*\s+(negati\w*|positi\w*)", sent) or \
                        re.match(r"[^.;]{0,40}?\bresultat\s*:\s*(negati\w*|positi\w*)", sent)
                    if told:
                        cands.append(Candidate(told.group(1).startswith("negati"), _screening_score(v), v,
                                               s + told.start(1), s + told.end(1)))
                    continue
                if m is None or re.search(drug_words, sent[max(0, m.start() - 12):m.end() + 25]):
                    continue
            tail = sent[m.end():m.end() + 120]
            # « Dépistage alcool : résultat 0,00 mg/l »: a zero on a screening device is a negative screening
            zero_unit = "" if not re.search(r"ethylometre", sent) else r"(?!\s*(?:mg|g\b))"
            mpol = re.search(r"\b(negati\w*|positi\w*)|\b(?:resultat|taux|affiche\w*|indique\w*)\s*:?\s*"
                             rf"(?:de\s*|un taux de\s*)?(0[,.]0+)\b{zero_unit}", tail)
            if not mpol or HYPOTHESIS.search(sent[max(0, m.start() - 60):m.start()]):
                continue
            negative = bool(mpol.group(2)) or mpol.group(1).startswith("negati")
            if re.search(r"\b(?:non|pas)\s+$", tail[:mpol.start()]):
                negative = not negative
            if OTHER_PERSON.search(sent[max(0, m.start() - 80):m.start()]):
                continue  # someone else's test (« son époux, lui-même non alcoolisé (dépistage négatif) »)
            # a positive screening states that the screening was not negative (it leads to the measure)
            cands.append(Candidate(negative, _screening_score(v), v, s + m.start(), s + m.end() + mpol.end()))
        # « contrôlé négatif à l'alcool mais positif au cannabis »: the result told before the test's object
        for m in re.finditer(r"\b(?:controlee?s?|testee?s?|depistee?s?)\s+(negati\w*|positi\w*)\s+(?:a l'alcool\b|"
                             r"a l'ethylotest|a l'alcootest|au depistage (?:de l'alcool|alcool\w*|de l'impregnation))",
                             v.f):
            if not HYPOTHESIS.search(_sentence_text(v, m.start())) and \
                    not OTHER_PERSON.search(v.f[max(0, m.start() - 60):m.start()]):
                cands.append(Candidate(m.group(1).startswith("negati"), 2, v, m.start(), m.end()))
        for m in re.finditer(r"(?m)^[^\n:]{0,60}?(?:depist|ethylotest|alcootest)[^\n:]{0,40}:\s*(negati\w*|positi\w*)", v.f):
            tail = re.match(r"[^\n.;]{0,30}", v.f[m.end():])
            if re.search(r"salivaire|stupefiant|urinaire|drogue|cannab|thc|cocai|opiac|amphet",
                         v.f[m.start():m.end() + (tail.end() if tail else 0)]):
                continue  # « Dépistage salivaire : positif cannabis » is a drug screening
            if not any(c.view is v and c.start <= m.start(1) <= c.end for c in cands):  # a form line, abbreviated
                cands.append(Candidate(m.group(1).startswith("negati"), 3, v, m.start(), m.end()))
        # « Q : L'éthylotest est pourtant positif, qu'en dites-vous ? »: the officer's question puts the result
        cands += [Candidate(negative, 1, v, a, b) for negative, a, b in screening_in_questions(v.f)]
    return cands


# --- drugs ----------------------------------------------------------------------------------------------------
DRUG_CONTEXT = re.compile(r"stupefiant|salivaire|cannab|thc|cocai|amphet|mdma|ecstasy|opiac|morphin|heroin|"
                          r"drogue|toxicolog|produits? illicites?")
CONFIRMATION = re.compile(r"\bsang\b|sanguin|analyse|laboratoire|toxicolog|confirmation|chromatograph|biolog|"
                          r"expertise|prelevement salivaire|seconde salive|ng/ml|nanogramme|lc-ms|gc-ms")
SCREENING = re.compile(r"depistage|test salivaire|kit|pretest|drugwipe|dipstick|test urinaire|bandelette|"
                       r"vire au rouge|test\b")
POS = re.compile(r"positi\w*|presence|detecte\w*|revele\w*|reagi\w*|(?<!non )(?<!pas )(?<!pas ete )"
                 r"confirm(?:e|ent|ee|es|ees)\b|usage|consomm\w*|fume\w*|sous l'emprise|sous l'influence|"
                 r"vire au rouge|identifie\w*|mis en evidence|retrouve\w*|\d ?(?:ng|nanogramme)")
NEG = re.compile(r"negati\w*|absence|non detecte\w*|pas detecte|inferieur au seuil|en dessous du seuil|"
                 r"sous le seuil|aucune? trace|\bnd\b|non retrouve|n'a pas (?:fait usage|consomme)|ni sous|"
                 r"n'etait (?:ni|pas|plus) sous|non mis en evidence|infirm\w*|non confirm\w*|"
                 r"(?:n'est|n'a) pas (?:ete )?confirm\w*|ne (?:le |la |l')?(?:confirme|confirment) pas|"
                 r"hors de cause|absence d'usage|ne (?:met|mettent) en evidence aucun\w*|aucun\w* (?:usage|consommation)|"
                 r"consommation ancienne|non contemporaine de la conduite|"
                 # « l'analyse … ne détecte aucune substance », « n'a mis en évidence aucun produit »
                 r"ne (?:detecte|revele|retrouve|montre)\w* (?:la presence d')?aucun\w*|aucune substance|"
                 r"n'(?:a|ont) (?:pas )?(?:detecte|revele|retrouve|mis en evidence) (?:aucun\w*|de |d')|"
                 r"\bn'est (?:pas )?(?:etabli|demontre|prouve)e? (?:ni )?qu")


# a positive test told without its substance (« le test a viré au rouge ») that the person's admission names
POSITIVE_TEST_TOLD = re.compile(r"(?:test|depistage|kit|salivaire|analyse)\w*[^.;!?]{0,40}?(?:positi\w*|vire au rouge|"
                                r"reagi\w*)")
# a sentence that tells a test or its result is the test's, even with the person's words in it
DRUG_TEST_TOLD = re.compile(r"depistage|test\b|tests\b|analyse|salivaire|prelevement|laboratoire|positi|negati|ng/ml|"
                            r"resultat|kit\b")
DRUG_EVIDENCE = re.compile(r"test|depistage|analyse|expertise|mis en evidence|aucune substance|salivaire|prelevement|"
                           r"resultat|positi|negati|detect|presence|"
                           r"(?:fait|apres|ayant fait) usage|sous l'emprise|sous l'influence|conduite apres|laboratoire|"
                           r"ng/ml|nanogramme|µg/l|μg/l|usage recent|vire au rouge|kit|revel|reagi|confirm|consomm|fume|"
                           r"\bsous celle|\s[:=]\s*(?:\d|<)")


# the name of a test is no finding (« dépistage de l'usage de stupéfiants » says nothing of a use)
TEST_NAME = re.compile(r"(?:depistages?|tests?|recherches?|verifications?|analyses?|epreuves?|kit) (?:\w+ )?(?:de l'|d')"
                       r"(?:usage|emprise|influence)")


def _unsaid(m: re.Match) -> str:
    return re.sub(r"usage|emprise|influence", lambda w: "x" * len(w.group(0)), m.group(0))


def _clauses(f: str, s: int, e: int) -> list[tuple[int, int]]:
    """A sentence cut at « , mais », « ; », « , alors que »: each part can have its own test stage and polarity."""
    cuts = [s] + [s + m.start() for m in re.finditer(r"[,;]\s*(?:mais|alors que|tandis que|puis|cependant|toutefois|"
                                                     r"celui|celle|quant)\b",
                                                     f[s:e])] + [e]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


INFIRMED = re.compile(r"infirm\w*|(?:n'est|n'a) pas (?:ete )?confirm\w*|non confirm\w*|"
                      r"ne (?:le |la |l')?(?:confirme|confirment) pas")


CONFIRM_TOLD = re.compile(r"analyses? (?:de confirmation|sanguine|de sang|toxicolog\w*|du laboratoire)|"
                          r"expertise toxicolog|laboratoire|confirmation|prelevement sanguin")
ALCOHOL_WORDS = re.compile(r"alcool|ethyl|g/l|gramme|mg/l|air expire")


SOMEONE_ELSES_TEST = re.compile(r"(?:\b(?:du|de la|de l'|au|a la|des|sur (?:le|la|l'))|^\W*(?:le|la|l'|les)) ?"
                                r"(?:passag\w*|pieton\w*|victimes?|autre conducteur|"
                                r"conducteur adverse|tiers|co-?equipier)\b")


def _drug_page(v: PageView) -> bool:
    return bool(DRUG_CONTEXT.search(_flat(v.f)))


# « le dépistage salivaire s'étant révélé positif, un prélèvement sanguin est réalisé »: the sample is taken, the
# result told is the screening's
SAMPLE_TAKEN = re.compile(r"prelevements? (?:sanguins?|de sang|salivaires?)\b[^.]{0,60}?\b(?:est |a ete |sont )?"
                          r"(?:realise|effectue|pratique|opere)|(?:realise|effectue|pratique|procede a) (?:a )?(?:un|une|le|la) "
                          r"(?:prelevement|prise de sang)")
CONFIRM_RESULT = re.compile(r"analyse|laboratoire|toxicolog|chromatograph|ng/ml|nanogramme|confirm|expertise")


def _drug_stage(sent: str, v: PageView) -> int:
    if CONFIRMATION.search(sent):
        if SCREENING.search(sent) and SAMPLE_TAKEN.search(sent) and not CONFIRM_RESULT.search(sent):
            return 1
        return 3
    title = v.f[:200]
    if SCREENING.search(sent):
        return 1
    if CONFIRMATION.search(title) and not SCREENING.search(title):
        return 3
    return 2  # a finding or a charge stated in a narrative (court decision, PV summary)


# The offence needs the active substance (delta-9-THC in blood, arrêté du 13 décembre 2016); a metabolite alone
# (THC-COOH, 11-OH-THC) tells a past use, « non contemporaine de la conduite ».
METABOLITE = re.compile(r"cooh|\b11\s?-?\s?oh\s?-?\s?thc|carboxy")
BELOW_AFTER = re.compile(r"\W{0,4}(?:\(?\s*(?:inferieur\w*|en dessous|sous le seuil|negati\w*|<))")
CONCENTRATION_AFTER = re.compile(r"[\s:=]{0,4}(\d+(?:[,.]\d+)?)\s*(?:ng|µg|μg|nanogramme|microgramme)")


def _polarity_near(sent: str, pos: int, end: int) -> bool | None:
    if re.search(r"(?:\bmais |\bet )?\b(?:pas|ni|non|aucune?|sans)\s+(?:de |d'|les? |la |l'|des |du )?$",
                 sent[max(0, pos - 22):pos]):
        return False  # « confirme la cocaïne mais pas les opiacés », « ne met en évidence aucun cannabinoïde »
    if re.search(r"\b(?:absence|aucune?|pas) d(?:e |'|u |es )(?:[\w'-]+ ){0,3}(?:de |d'|du |des )?$",
                 sent[max(0, pos - 60):pos]):
        return False  # « absence d'usage récent de cannabis », « aucune trace de cocaïne »
    told_before = re.search(r"\b(positi\w*|negati\w*)\s*(?:(?:au|aux|a la|a l'|pour (?:le|la|les|l'))\s*)?:?\s*$",
                            sent[max(0, pos - 25):pos])
    if told_before:  # « positif cannabis, négatif cocaïne »: the word right before the substance is its result
        return told_before.group(1).startswith("positi")
    # a table's dotted leader (« Cocaïne ........ < LQ (0,5 ng/ml) ») stands between the substance and its result
    after = re.sub(r"\s*[.…_·]{3,}\s*", " : ", sent[end:end + 120])[:45]
    if re.match(r"\s*(?:\(\w+\)\s*)?[:=]?\s*0(?:[,.]0+)?(?![\d,.])(?!\s*(?:h\b|heures?\b))", after):
        return False  # « morphine : 0 ; codéine : 0 »: a laboratory table's zero
    sign = re.match(r"\s*(?:\(\w+\)\s*)?:?\s*([+]|[-−](?![\w-]))", after)  # « cannabis + / cocaïne - »
    if sign:
        return sign.group(1) == "+"
    if re.search(r"(?:^|[\s:/(;,])[+]\s*$", sent[max(0, pos - 3):pos]):  # « + THC / - cocaïne »: the sign before
        return True
    if re.search(r"(?:^|[\s:/(;,])[-−]\s*$", sent[max(0, pos - 3):pos]) and \
            re.search(rf"(?:^|[\s:/(;,])[+]\s*{SUBSTANCE_RE.pattern}", sent):
        return False  # a minus before a substance is a sign (not a list dash) only where the line signs the others
    if re.match(r"\s*(?:n'(?:etant|est|etait|ayant|a) (?:pas|jamais)|ne (?:sont|sont|furent) pas|non)\s*(?:(?:ete|ete)\s+)?"
                r"(?:retrouve|detecte|mis en evidence|confirme|identifie|present|decele|objective)\w*", after):
        return False  # « le THC n'étant pas retrouvé »
    if re.match(r"\w*\s*(?:\w+\s+){0,3}?(?:n'a|n'ont|ne)\s+(?:pas\s+)?(?:\w+\s+){0,2}?(?:mis en evidence|detecte|revele|"
                r"retrouve|decele|montre)\w*\s+(?:la presence d')?aucun", after):
        return False  # « l'expertise toxicologique n'a mis en évidence aucune substance »
    m_after = re.match(r"[^.;\n]{0,25}?(?::|=|\)|-)?\s*(negati\w*|positi\w*|non detecte\w*|detecte\w*|absence|inferieur\w*|"
                       r"presence|\d+[,.]?\d*\s*(?:ng|nanogramme|μg|µg)|<|nd\b)", after)
    if m_after:
        word = m_after.group(1)
        if word[0].isdigit():
            return None  # a concentration: positive unless under its threshold (_quantified)
        return not (word.startswith(("negati", "non", "absence", "<", "nd", "inferieur")))
    before = sent[max(0, pos - 120):pos]
    hits = [(m.end(), True) for m in POS.finditer(before)] + [(m.end(), False) for m in NEG.finditer(before)]
    if hits:  # the last word wins; « absence d'usage » ends with « usage »: the negation is the longer reading
        return max(hits, key=lambda h: (h[0], not h[1]))[1]
    return None


DRIVING_AFTER_USE = re.compile(r"\b(?:conduit\w*|conduite|conduisant)\b[^.;]{0,80}?\b(?:en ayant fait|apres avoir fait|"
                               r"en faisant|ayant fait) usage de (?:substances|plantes|produits|stupefiants)")


def drugs(views: list[PageView]) -> tuple[list[Candidate], list[Candidate], list[str]]:
    """(drugs_positive candidates, drugs_substances candidates, warnings). Per substance, the strongest stage
    wins: laboratory confirmation over narrative over screening; thresholds are not results."""
    per_stage: dict[int, list[tuple[str | None, bool, PageView, int, int, bool]]] = {}
    for v in _case_pages(views):
        # a prior conviction told in the narrative (« a été condamné le … pour conduite après usage de stupéfiants ;
        # cette décision est devenue définitive … ») names the past offence, not a finding of this case
        record_spans = [(c.start, _sentence_at(v, c.end - 1)[1]) for c in stated_priors([v])]
        # an admitted use (« R : Oui, un joint vers 21 h », « il reconnaît avoir fumé du cannabis ») is the weakest
        # stage, below any test; it names no substance for the file
        admitted = [(a, b) for a, b in drug_use_admitted(v.f)
                    if not DRUG_TEST_TOLD.search(_sentence_text(v, a)) and not PRIOR_CONTEXT.search(_sentence_text(v, a))]
        if admitted:
            per_stage.setdefault(0, []).extend((canonical_substance(v.f[a:b]), True, v, a, b, False)
                                               for a, b in admitted)
        prev_drug = False
        for s0, e0 in _sentences_cached(v):
          whole = _flat(v.f[s0:e0])
          # « … du passager est positif au cannabis ; celui du conducteur est négatif »: the test of the sentence before
          said_before, prev_drug = prev_drug, bool(DRUG_CONTEXT.search(whole))
          told_back = said_before and re.match(r"\W*(?:celui|celle|ceux)\b", whole) is not None
          told_back = told_back or bool(INFIRMED.search(whole) and CONFIRMATION.search(whole))  # « … a été infirmé »
          # « L'analyse de confirmation est négative. » on a page about drugs: the confirmation, its substances unsaid
          told_back = told_back or bool(CONFIRM_TOLD.search(whole) and re.search(r"negati|positi|hors de cause|"
                                                                                r"absence d'usage", whole)
                                        and not ALCOHOL_WORDS.search(whole) and _drug_page(v))
          if not (DRUG_CONTEXT.search(whole) or SUBSTANCE_RE.search(whole) or told_back) or PRIOR_CONTEXT.search(whole):
              continue
          if any(a <= s0 + 1 and e0 - 1 <= b or s0 <= a < e0 for a, b in record_spans):
              continue
          for s, e in _clauses(v.f, s0, e0):
            if any(s <= a < e for a, _b in admitted):
                continue  # read as an admission above
            answer = bool(re.match(r"\W*(?:r|rep|reponse)\s*[:.-]\s*oui\b", v.f[s:e]))
            if _is_question(v, s, e) and not (answer and "?" not in v.f[s:e]):
                continue  # an admission in an audition (« R : Oui, un joint la veille ») is a statement of use
            sent = TEST_NAME.sub(_unsaid, _flat(v.f[s:e]))
            if HYPOTHESIS.search(sent):
                continue
            if not (DRUG_EVIDENCE.search(sent) or answer) or re.search(r"non recherche|non realise|n'a (?:pas )?ete (?:realise|"
                                                           r"effectue|pratique)|non effectue|pas ete effectue|"
                                                           r"n'est (?:pas )?(?:realise|effectue|pratique)", sent):
                continue
            stage = _drug_stage(sent, v)
            found = False
            for m in SUBSTANCE_RE.finditer(sent):
                canon = canonical_substance(m.group(1))
                if METABOLITE.search(sent[max(0, m.start() - 8):m.end() + 6]):
                    continue  # THC-COOH, 11-OH-THC: an inactive metabolite tells an old use, not driving after use
                if canon is None or SOMEONE_ELSES_TEST.search(sent[:m.start()]):
                    continue  # « le test salivaire du passager est positif au cannabis »
                pol = _polarity_near(sent, m.start(), m.end())
                if pol is None:
                    pol = _quantified(v, s, sent, m.end())
                conc = CONCENTRATION_AFTER.match(sent, m.end())
                if pol is None and conc:  # « Amphétamine 58 µg/l ; MDMA 190 µg/l »: a measured concentration
                    pol = float(conc.group(1).replace(",", ".")) > 0 and not BELOW_AFTER.match(sent, conc.end())
                if pol is None:
                    pol = True if answer or re.search(r"usage|sous l'emprise|sous l'influence|conduite apres", sent) \
                        else None
                if pol is None:
                    continue
                measured = _quantified(v, s, sent, m.end()) is not None or bool(conc)
                if is_negated(sent, m.start(), m.end()) and not measured:
                    pol = False
                infirmed = INFIRMED.search(sent, m.end())
                if infirmed and re.match(rf"\s*(?:les? |la |l'|des |du |a la |aux? )?{SUBSTANCE_RE.pattern}",
                                         sent[infirmed.end():]):
                    infirmed = None  # « confirme les opiacés et infirme la cocaïne »: the verb is the cocaine's
                if infirmed:  # « positif au cannabis, résultat infirmé par l'analyse de confirmation »
                    per_stage.setdefault(1, []).append((canon, pol, v, s + m.start(), s + m.end(), measured))
                    per_stage.setdefault(3, []).append((canon, False, v, s + infirmed.start(), s + infirmed.end(),
                                                        False))
                    found = True
                    continue
                per_stage.setdefault(stage, []).append((canon, pol, v, s + m.start(), s + m.end(), measured))
                found = True
            if found:
                continue
            gm = re.search(r"stupefiant|salivaire|produits? illicites?|drogue|toxicolog|confirmation|analyse sanguine|"
                           r"analyses? de sang|laboratoire|expertise|^\W*(?:celui|celle)\b", sent)
            if gm and SOMEONE_ELSES_TEST.search(sent):
                gm = None
            if gm and not DRUG_EVIDENCE.search(sent[max(0, gm.start() - 50):gm.end() + 50]):
                gm = None
            if gm:
                pol = _polarity_near(sent, gm.start(), gm.end())
                if pol is None:
                    pol = _polarity_near(sent, len(sent), len(sent))
                if is_negated(sent, gm.start(), gm.end()):
                    pol = False
                if pol is not None:
                    per_stage.setdefault(stage, []).append((None, pol, v, s + gm.start(), s + gm.end(), False))
    # the offence itself as a charge or a conviction states the use (« coupable de conduite d'un véhicule en ayant
    # fait usage de substances classées comme stupéfiants », « pour avoir … conduit en faisant usage de stupéfiants
    # (cannabis) »): a narrative stage, below any test result of the file
    for v in _case_pages(views):
        for m in DRIVING_AFTER_USE.finditer(v.f):
            sent = _sentence_text(v, m.start())
            if PRIOR_CONTEXT.search(sent) or HYPOTHESIS.search(sent) or is_negated(v.f, m.start(), m.end()) or \
                    re.search(r"bareme|retrait de points|relaxe|\bpoints? ?:|\d+ points", sent):
                continue
            named = SUBSTANCE_RE.search(v.f, m.end(), m.end() + 40)
            canon = canonical_substance(named.group(0)) if named else None
            per_stage.setdefault(2, []).append((canon, True, v, m.start(), m.end(), False))
    if not per_stage:
        return [], [], []
    top = max(per_stage)
    mentions = per_stage[top]
    warnings: list[str] = []
    if top == 1 and any(p for _, p, *_ in mentions):
        first = next(m for m in mentions if m[1])
        where = f"{first[2].cote or 'pièce sans cote'} p.{first[2].number}"
        warnings.append(f"Dépistage de stupéfiants positif ({where}) sans analyse de confirmation au dossier : "
                        "résultat à confirmer — à vérifier.")
    positive = any(p for _, p, *_ in mentions)
    lower_pos = [m for st, ms in per_stage.items() if st < top for m in ms if m[1]]
    if not positive and lower_pos:
        warnings.append("Dépistage de stupéfiants positif mais analyse de confirmation négative : la confirmation "
                        "prévaut (à vérifier).")
    first = next((m for m in mentions if m[1] == positive), mentions[0])
    pending = top == 1 and positive
    pos_cands = [Candidate(positive, {3: 4, 0: 1}.get(top, 3), first[2], first[3], first[4], uncertain=pending,
                           note=warnings[0] if pending else None)]
    # every other page that states the same answer is a source too, the strongest stage first (the laboratory's
    # report, then the procès-verbal of the screening, then what the suspect admits)
    pos_cands += [Candidate(positive, min(st, 2), v, a, b) for st in sorted(per_stage, reverse=True)
                  for _c, pol, v, a, b, _m in per_stage[st] if pol == positive and v is not first[2]]
    subs: list[str] = []
    subs_src = None
    best: dict[str, tuple[int, int, bool]] = {}  # substance -> (stage, measured, polarity) of its strongest mention
    for st in sorted(per_stage):
        for canon, pol, _v, _a, _b, measured in per_stage[st]:
            if canon and (canon not in best or (st, int(measured)) > best[canon][:2]):
                best[canon] = (st, int(measured), pol)
    for st in sorted(per_stage, reverse=True):
        if subs and st < top:
            break  # the confirmation names the substances: one screened but not confirmed is not kept
        if st == 0 and top == 0 and not any(POSITIVE_TEST_TOLD.search(v.f) for _c, _p, v, *_ in per_stage[0]):
            break  # an admission alone is no finding of a substance (a positive test it names is)
        for canon, pol, v, a, b, _m in per_stage[st]:
            if canon and pol and best[canon][2] and canon not in subs:
                subs.append(canon)
                subs_src = subs_src or (v, a, b)
    sub_cands = [Candidate(subs, 4 if top == 3 else 3, subs_src[0], subs_src[1], subs_src[2])] \
        if positive and subs and subs_src else []
    if sub_cands:
        sub_cands += [Candidate(subs, min(st, 2), v, a, b) for st in sorted(per_stage, reverse=True)
                      for canon, pol, v, a, b, _m in per_stage[st] if canon in subs and pol and v is not subs_src[0]]
    return pos_cands, sub_cands, warnings


def _quantified(v: PageView, s: int, sent: str, end: int) -> bool | None:
    """A measured concentration right after a substance name is a positive result (a threshold is not)."""
    roles = _roles(v)
    for q, r in roles:
        if q.kind == NGML and s + end <= q.start <= s + end + 130 and r in ("reading", "retained"):
            # below the positivity threshold the report gives just before it (« Seuil … : 1 ng/ml. Résultat : 0,6 »)
            cut = [t for t, rt in roles if t.kind == NGML and rt == "threshold" and 0 < q.start - t.end <= 200]
            # « THC : 0,4 ng/ml (inférieur au seuil de 1 ng/ml) »: the threshold told after the result
            below = BELOW_AFTER.match(v.f, q.end) is not None
            return q.value > 0 and not (cut and q.value < cut[-1].value) and not below
    return None


# --- licence --------------------------------------------------------------------------------------------------
STATUS_CUES: list[tuple[str, re.Pattern]] = [
    ("invalidated", re.compile(r"invalidation|permis (?:de conduire )?(?:\w+ ){0,3}invalide|"
                               r"solde (?:de points )?(?:nul|a zero|de zero)|"
                               r"48 ?si\b|perte (?:totale|de la totalite|de l'integralite) (?:des|de ses) points|"
                               r"(?:n'a|ne dispose|ne possede) plus (?:aucun|de) points?|retrait de la totalite des points|"
                               r"capital (?:de )?points? (?:nul|epuise)|reference 48|lettre 48|zero point|"
                               r"solde de points (?:est |etait )?(?:de )?0\b|(?<![\d,.])0 point|titre (?:\w+ ){0,3}invalide|"
                               r"perte de (?:la totalite|l'integralite|tous) (?:de )?(?:ses |des )?points")),
    ("annulled", re.compile(r"annulation (?:judiciaire |administrative )?(?:de son |du |de )?permis|"
                            r"(?<=— )annulation judiciaire\b|^\W*(?:permis\b[^.;:]{0,40}[—:-]\s*)?annulation judiciaire\b|"
                            r"(?:permis|titre) (?:de conduire )?(?:[\w.']+ ){0,5}annule|annule (?:son |le )permis|"
                            r"malgre (?:l')?annulation|(?:celui-ci|celui ci|ce dernier|ce titre|lequel|il) (?:lui )?"
                            r"(?:avait|a|ayant) (?:deja )?ete annule|"
                            r"sous le coup d'une (?:mesure d')?annulation")),
    ("suspended", re.compile(r"suspension (?:administrative |judiciaire |prefectorale )?(?:de son |du |de )?permis|"
                             r"(?:permis|titre) (?:de conduire )?(?:[\w']+ ){0,4}suspendu|suspendu (?:son |le )permis|"
                             r"(?:suspendu|retire)e?s? (?:\w+ ){0,2}par (?:un |l')?arrete (?:du |de la )?(?:prefe\w*|"
                             r"sous-prefe\w*)|"
                             r"(?:arrete|mesure|decision) (?:prefectoral\w* )?de suspension|"
                             r"(?:permis|titre)[^.;]{0,50}\bretir\w* (?:\w+ ){0,2}par (?:le |la |un |l')?(?:prefet|prefecture|"
                             r"sous-prefet|arrete prefectoral|decision prefectorale|mesure (?:administrative|prefectorale))|"
                             r"(?:arrete|decision|mesure)[^.;]{0,30}\bportant (?:\w+ ){0,3}?suspension|"
                             r"suspension (?:administrative |prefectorale |judiciaire )?(?:de son |du |de )(?:titre|"
                             r"droit) de conduire|retrait (?:administratif|prefectoral) (?:de son |du )?permis|"
                             r"malgre (?:une |la |sa )?suspension|\bd'une suspension (?:administrative|"
                             r"prefectorale)\b|sous le coup d'une (?:mesure de )?suspension|"
                             r"(?:faisant|faisait|fait|fasse) l'objet d'une (?:mesure de )?suspension|"
                             r"suspension (?:administrative|judiciaire) "
                             r"(?:en cours|notifiee)")),
    ("never_held", re.compile(r"(?:n'est|n'etait|n'a jamais ete|n'etant) (?:pas |plus |jamais )?titulaire "
                              r"(?:du|d'un|d'aucun) permis|"
                              # « n'en a jamais été titulaire », « ne pas posséder le permis », « ne détient aucun permis »
                              r"\bn'en (?:est|etait|a jamais ete|avait jamais ete|etant) (?:pas |jamais )?titulaire\b|"
                              r"\b(?:ne (?:pas |jamais )?(?:posseder|detenir|avoir)|ne (?:possede|detient|possedait|"
                              r"detenait|dispose|disposait) (?:pas|aucun|jamais)|n'(?:a|avait) (?:pas|jamais)(?: eu)?) "
                              r"(?:le |de |d'un |du |d'aucun |aucun )permis\b(?! (?:sur (?:lui|elle)|avec (?:lui|elle)))|"
                              r"sans (?:etre titulaire du|avoir obtenu (?:le|son)|avoir (?:jamais )?passe (?:le|son)) permis|"
                              r"non titulaire (?:du|d'un) permis|\bsans permis\b|defaut de permis|"
                              r"(?:demuni|depourvu)e? (?:de|d'un) permis|titulaire d'aucun (?:titre|permis)|"
                              r"aucun titre de conduite|aucun dossier (?:permis|au nom|ne correspond)|"
                              r"jamais (?:passe|obtenu|eu) (?:le|son|de|un) permis|aucun permis|"
                              r"n'a jamais (?:obtenu|passe|eu) (?:le|son|de|un) permis|pas de permis|"
                              r"jamais (?:\w+ ){0,2}?(?:passe|obtenu|reussi|presente|eu)\w* (?:a )?(?:l'examen|"
                              r"les epreuves|le code|"
                              r"l'epreuve)[^.;]{0,20}permis|"
                              r"inconnu (?:au|du) (?:fichier|snpc|fnpc)|aucun droit a conduire|"
                              r"(?:aucune personne|personne inconnue|"
                              r"inconnue?)[^.;]{0,60}(?:fichier (?:national )?des permis|snpc|fnpc)|"
                              r"ne figure (?:pas|aucun\w*) (?:\w+ )?au fichier (?:national )?des permis|"
                              r"n'est pas (?:connu|repertorie) (?:au|du) (?:fichier|snpc|fnpc)|"
                              # a negated holding, whatever its verb: « ne pas être titulaire du permis », « n'avoir
                              # jamais obtenu le moindre permis », « n'a jamais eu de permis de conduire »
                              r"\b(?:ne|n')\s*(?:[\w']+\s+){0,2}?(?:pas|jamais)\s+(?:[\w']+\s+){0,1}?(?:etre |ete |avoir |"
                              r"eu )?(?:titulaire|obtenu|passe|eu|detenu|possede)\s+(?:[\w']+\s+){0,2}?"
                              r"(?:permis|titre de conduite)\b(?! (?:sur (?:lui|elle)|avec (?:lui|elle)))|"
                              # « Permis de conduire : jamais délivré », « aucun permis n'a été délivré »
                              r"(?:permis|titre de conduite)[^.;]{0,30}\bjamais (?:ete )?(?:delivre|obtenu)")),
    # « titulaire du permis de conduire » told as today's holding is valid (the real annotators' reading); with its
    # history (« depuis 1987 », « délivré le », « obtenu en », probatoire) it dates the licence, not its status today
    ("valid", re.compile(r"(?:fichier|releve|snpc|fnpc|consultation|interrogation)[^;]{0,80}?\best titulaire d'un permis"
                         r"(?: de conduire)?(?: (?:de )?(?:categorie |cat\. ?)?(?:a1|a2|am|be|b1|[abcd])\b)?|"
                         r"titulaire du permis(?: de conduire)?(?! (?:probatoire|am\b|de categorie|a\b))"
                         r"(?![^.;]{0,40}\b(?:depuis|delivre|obtenu|probatoire)\b)|"
                         r"titulaire d'un permis (?:de conduire )?(?:valide|valable|en cours de validite)|"
                         r"(?:permis|titre)(?: de (?:conduire|conduite))?[, ]+(?:[\w.]+ ){0,4}?"
                         r"(?:valide|valable|en cours de validite)\b|"
                         # « Permis de conduire n° … délivré le … par la préfecture de …, en cours de validité »,
                         # never the validity of another document told after it (« … ainsi que l'attestation
                         # d'assurance en cours de validité »)
                         r"(?:permis|titre)(?: de conduire)?\b[^.;]{0,90}\b(?:delivre|obtenu)\b"
                         r"(?:(?!assurance|attestation|carte|certificat|controle)[^.;]){0,90}\ben cours de validite\b|"
                         r"droit a conduire (?:valide|en cours)|solde (?:de points )?(?:de )?(?:[1-9]|1[0-2]) points?"
                         r"[^.;]{0,40}\baucune? (?:restriction|mesure|suspension|invalidation)|"
                         # the holding with its points today (« titulaire du permis B délivré le …, solde de 8
                         # points », « … (permis probatoire, 8 points) »): a licence in force, whatever its age
                         r"\b(?:est |etant )?(?:titulaire|detenteur|detentrice)\b[^.;]{0,100}?(?:\bsolde (?:de points |actuel )?"
                         r"(?:de |: ?)?|[(,] ?(?:permis probatoire, ?)?)(?:[1-9]|1[0-2]) (?:points?|pts)\b")),
]
PENALTY_CONTEXT = re.compile(r"condamn|a constate l'annulation|\bpeine\b|requi|requer|jours?-amende|"
                             r"il y a lieu de prononcer|\bencour\w*|"
                             r"(?:tribunal|cour|juridiction|juge)[^.;]{0,30}\b(?<!\ba )(?<!avait )(?:prononce|ordonne)\w*|"
                             r"(?<!\ba )(?<!avait )(?<!ayant )prononce\w* (?:a son encontre |a l'encontre \w+ )?(?:une |"
                             r"la |l')(?:mesure de )?(?:suspension|annulation)|"
                             r"emprisonnement|\bmois de suspension|\bamende\b|a titre de peine|a titre complementaire")


# A measure being imposed, not one in force: a penalty heading just before the sentence on the page (« Peine : amende
# de 750 euros ; suspension du permis de 2 mois », « Il est requis contre M. X : - la suspension … »), or the measure
# named as a noun with its length (« la suspension du permis pour une durée de 5 mois ») and nothing telling that it
# already runs (an arrêté, a notification, « en cours », « faisant l'objet », « depuis »).
PENALTY_HEADING = re.compile(r"\bpeines?\b|\brequi|\brequer|condamn|prononce|\bpropos\w*|ordonnance penale|par ces motifs|"
                             r"il y a lieu|a titre (?:de peine|complementaire)|jours?-amende")
MEASURE_LENGTH = re.compile(r"(?:suspension|annulation)[^.;]{0,50}?\b(?:pour une (?:duree|periode) de|pendant|d'une duree de|"
                            r"de)\s+(?:\d+|un|deux|trois|quatre|cinq|six|huit|dix|douze|dix-huit)\s*mois|"
                            r"fixe a \S+ (?:mois|ans?) le delai")
MEASURE_RUNNING = re.compile(r"malgre|sous le coup|(?:fait|faisant|faisait) l'objet|notifi\w*|arrete|prefect\w*|en cours|"
                             r"depuis|a compter du|administrative|\b3f\b|48 ?[sn]|restituer|releve|snpc|fnpc|"
                             r"(?:est|etait|a ete|avait ete) (?:suspendu|annule)|(?:\ba|avait|ayant) (?:\w+ )?prononce|"
                             r"par (?:jugement|arret|ordonnance|decision) (?:\w+ )?du \d")


def _imposed_measure(v: PageView, s: int, sent: str) -> bool:
    if MEASURE_RUNNING.search(sent):
        return False
    before = v.f[max(0, s - 160):s]
    block = before[before.rfind("\n\n") + 1:] if "\n\n" in before else before
    return bool(MEASURE_LENGTH.search(sent) or PENALTY_HEADING.search(block))


def licence_status(views: list[PageView]) -> list[Candidate]:
    cands = []
    for v in views:
        if v.is_record:  # a B1 page: only a labelled licence line of its own (« Permis de conduire : valide »)
            for meaning, value, a, b in _fields(v):
                status = licence_value(value) if meaning == "licence" else None
                if status and not re.search(r"condamn|tribunal|\btj\b|\btc\b|definiti|amende", v.f[a:b]):
                    cands.append(Candidate(status, 3, v, a, b))
            continue
        licence_page = bool(re.search(r"snpc|fnpc|permis de conduire|droit a conduire", v.f[:300])) and \
            not re.search(r"\bfva\b|vehicules assures", v.f[:300])
        for meaning, value, a, b in _fields(v):
            if meaning == "insurance" and licence_page and re.match(r"\s*(?:resultat|reponse)", v.f[a:b]):
                meaning = "licence"
            if meaning == "licence":
                status = licence_value(value)
                if status:
                    cands.append(Candidate(status, 3, v, a, b))
                elif re.match(r"\W*(?:non|pas) valide\b", value) and \
                        (running := re.search(r"(?m)\b(suspension|annulation)\b[^\n]{0,80}\ben cours\b", v.f)):
                    # « Validité du permis … : NON VALIDE » with the measure the relevé lists as « en cours »
                    cands.append(Candidate("suspended" if running.group(1) == "suspension" else "annulled", 3, v, a, b))
                elif (held := _holding_answer(v.f[a:b], value)) is not None:
                    cands.append(Candidate(held, 3, v, a, b))
                elif (near := _ocr_status(value) or _ocr_status(" ".join(v.f[a:b].split()[-2:]))) is not None:
                    cands.append(Candidate(near, 3, v, a, b, True, f"valeur lue par OCR : « {v.text[a:b].strip()} »"))
            elif meaning == "licence_measure":
                status = measure_value(value) or \
                    ("never_held" if re.match(r"\W*(?:jamais (?:obtenu|passe|eu|ete titulaire)|non titulaire|aucun permis)",
                                              value) else None)
                if status:
                    cands.append(Candidate(status, 3, v, a, b))
            elif meaning == "points":
                m = re.match(r"\s*(\d+)\b", value)
                if (m and int(m.group(1)) == 0) or re.search(r"nul|zero|48 ?si", value):
                    cands.append(Candidate("invalidated", 3, v, a, b))
        if re.search(r"permis de conduire|snpc|fnpc|releve (?:d'information )?integral|droit a conduire", v.f[:300]) and \
                not any(c.view is v for c in cands):
            for m in re.finditer(r"(?m)^.{0,60}\b(valide|suspendu|annule|invalide)\b.{0,30}$", v.f):
                if v.text[m.start(1):m.end(1)].isupper():  # a status column of the relevé (« B 14.05.1992 - VALIDE »)
                    cands.append(Candidate({"valide": "valid", "suspendu": "suspended", "annule": "annulled",
                                            "invalide": "invalidated"}[m.group(1)], 3, v, m.start(1), m.end(1)))
                    break
        cands += [Candidate(status, 1, v, a, b) for status, a, b in licence_told(v.f)]
        # a learner (apprentissage anticipé, conduite accompagnée) driving alone holds no licence; the two halves
        # are often told in two clauses (« … suit un apprentissage anticipé ; il conduisait seul »)
        for m in LEARNER_ALONE.finditer(v.f):
            if not is_negated(v.f, m.start(), m.end()):
                cands.append(Candidate("never_held", 2, v, m.start(), m.end()))
        for s, _e, sent in _statements(v):
            if "permis" not in sent and not re.search(r"48 ?si|points|apprentissage anticipe|conduite accompagnee|"
                                                      r"droit a conduire|invalidation|\btitre\b|snpc|fnpc|"
                                                      r"\bn'en (?:\w+ ){1,3}titulaire\b|"
                                                      r"(?:suspension|annulation) (?:administrative|judiciaire|"
                                                      r"prefectorale)", sent):
                continue
            prior = PRIOR_CONTEXT.search(sent)
            if prior:
                # « … sans être titulaire du permis, en état de récidive légale pour avoir été condamné le … »: the
                # charge before the record clause still tells today's status; the record clause does not
                cut = re.search(r",?\s*(?:en etat de recidive|avec cette circonstance|alors qu'il avait ete|"
                                r"pour avoir ete (?:definitivement )?condamne)", sent)
                if not cut or cut.start() > prior.start() or cut.start() < 20:
                    continue
                sent = sent[:cut.start()] + " " * (len(sent) - cut.start())
            if HYPOTHESIS.search(sent):
                continue
            # a national file's consultation lists the measure a court pronounced: that measure is the status
            consulted = re.search(r"fichier national des permis|\bsnpc\b|\bfnpc\b|releve (?:d'information )?integral|"
                                  r"systeme national des permis|situation au \d", v.f[max(0, s - 300):s + len(sent)])
            # « aucune mesure de suspension, d'annulation … : titre valide »: the negated measures are no status
            unsaid = blank_negated_measures(sent)
            listed = re.search(r"\b(?:annulation|suspension) (?:judiciaire|administrative|prefectorale)\b", unsaid)
            if consulted and listed and not _someone_elses(sent, listed.start()):
                # « permis catégorie B - annulation judiciaire prononcée par la cour d'appel … »: the file's entry
                cands.append(Candidate("annulled" if listed.group(0).startswith("annul") else "suspended", 2, v,
                                       s + listed.start(), s + listed.end()))
                continue
            for status, pattern in STATUS_CUES:
                m = pattern.search(sent if status == "valid" else unsaid)
                if not m:
                    continue
                if _someone_elses(sent, m.start()) or _about_another(v, s, sent):
                    break  # « sa compagne indique que son propre permis est suspendu »: not the driver's status
                if status in ("annulled", "suspended") and PENALTY_CONTEXT.search(sent) and not consulted and \
                        not re.search(r"malgre|sous le coup|faisant l'objet|restituer le permis suspendu|"
                                      r"(?:a|avait) (?:annule|suspendu) le permis|dont \w+ (?:\w+ )?etait titulaire",
                                      sent):
                    break
                if status in ("annulled", "suspended") and not consulted and m.group(0).startswith(
                        ("suspension", "annulation")) and _imposed_measure(v, s, sent):
                    break  # « Peine : … ; suspension du permis de conduire de 2 mois »: what is imposed
                if status == "never_held" and find_dates(sent) and COURT.search(sent) and \
                        re.search(r"condamn|definiti|ordonnance penale|composition penale|amende", sent):
                    break  # a past conviction « pour conduite sans permis » is not today's status
                if status == "valid" and (is_negated(sent, m.start(), m.end()) or
                                          re.search(r"non valable|sans etre titulaire", sent)):
                    break
                cands.append(Candidate(status, 2, v, s + m.start(), s + m.end()))
                break
    return cands


# another person the sentence is about, as its subject (« Sa compagne indique … », « le passager »), in apposition
# (« de M. PETIT, propriétaire du véhicule, ») or as the licence's holder (« le permis de son frère »)
OTHER_HOLDER = r"(?:passag\w*|compagne|compagnon|epouse|epoux|mari|femme|concubin\w*|frere|soeur|pere|mere|fils|fille|" \
               r"amie?s?|proprietaire|temoin|victime|pieton\w*|autre conducteur|conducteur adverse|cousin\w*|voisin\w*|" \
               r"(?:conducteur|conductrice|chauffeur|pilote) (?:du second|du deuxieme|de l'autre|d'un autre|du premier) " \
               r"(?:vehicule|voiture|vl|moto|scooter|camion)|(?:conducteur|conductrice) (?:du |de la )?(?:vehicule |voiture )?" \
               r"(?:adverse|tiers|b)\b)"
OTHER_HOLDER_AT = re.compile(rf"(?:^|[,;:]|\bque|\bqu')\s*(?:le |la |l'|sa |son |leur |sa propre |son propre )?{OTHER_HOLDER}\b|"
                             rf"\bpermis (?:de conduire )?(?:de|du|d') (?:son |sa |la |le |l')?{OTHER_HOLDER}\b")
DRIVER_WORD = re.compile(r"\b(?:conducteur|conductrice|mis en cause|prevenue?|interessee?|gardee? a vue|lui(?=\s*,)|"
                         r"l'automobiliste)\b(?! adverse)")


def _someone_elses(sent: str, pos: int) -> bool:
    """The licence status (or reading) at `pos` is another person's: the last person the sentence names before it is another
    one than the driver (« Sa compagne indique que son propre permis est suspendu ; le mis en cause, lui, … »)."""
    before = sent[:pos]
    others = list(OTHER_HOLDER_AT.finditer(before))
    if not others:
        return False
    return not any(m.start() > others[-1].end() - 1 and not re.match(r"\s*autre", before[m.end():])
                   for m in DRIVER_WORD.finditer(before) if not re.search(r"autre $", before[:m.start()]))


LEARNER_ALONE = re.compile(r"(?:apprentissage anticipe|conduite accompagnee|conduite supervisee|eleve conducteur)"
                           r"[^.]{0,100}?\b(?:conduisait |circulait |roulait |etait )?(?:seule?\b|sans (?:son |aucun |"
                           r"la presence d'un |la presence de son )?accompagnat\w+)")


ANAPHORA = re.compile(r"^\W*(?:son|sa|ses|il|elle|celui-ci|celle-ci|ce dernier|cette derniere|lequel|laquelle)\b|"
                      r"\bchez (?:lui|elle)\b|\b(?:son|sa) (?:propre|taux|permis|vehicule)\b")


def _about_another(v: PageView, s: int, sent: str) -> bool:
    """The sentence at `s` speaks of another person named in a sentence before (« Le conducteur du second
    véhicule, Mme H., a été soumise au dépistage ; celui-ci s'est révélé négatif. Son permis … est valide »,
    « Le passager … ; l'éthylomètre a relevé chez lui 0,61 mg/l »): it opens with a pronoun or a possessive (or
    says « chez lui ») and the last sentence before it that names a person names another one than the driver."""
    if not ANAPHORA.search(sent) or DRIVER_WORD.search(re.sub(r"\bchez (?:lui|elle)\b", " ", sent)):
        return False
    spans = [x for x in v.sentences if x[1] <= s]
    for a, b in reversed(spans[-4:]):
        prev = _flat(v.f[a:b])
        if OTHER_HOLDER_AT.search(prev):
            return _someone_elses(prev, len(prev))
        if DRIVER_WORD.search(prev) or not ANAPHORA.search(prev):
            return False
    return False


def _holding_answer(field: str, value: str) -> str | None:
    """« Titulaire du permis : NON », « Détenteur d'un permis : oui (B) »: a yes/no to holding a licence (not to
    showing it: « Permis présenté : non » says nothing of the status)."""
    label = field[:len(field) - len(value)] if field.endswith(value) else field.split(":")[0]
    # « Permis : OUI » of a fiche de renseignements (the licence label alone) asks the same
    bare = re.fullmatch(r"\W*permis(?: de conduire)?\W*", label) is not None
    if not (bare or re.search(r"titulaire|detenteur|detentrice|possede|detient|\bpossession\b", label)) or \
            re.search(r"present|exhib|produit|sur (?:lui|elle)", label):
        return None
    answer = yes_no(value)
    return None if answer is None else ("valid" if answer else "never_held")


OCR_STATUS_WORDS = {"valide": "valid", "suspendu": "suspended", "annule": "annulled", "invalide": "invalidated"}


def _ocr_status(value: str) -> str | None:
    """A status word of the relevé mangled by OCR (« VAI IDE », « SUSPFNDU »): the closest status word when it is
    close enough (≥ 0.8) and no other is — an uncertain candidate, shown « à vérifier » with what was read."""
    import difflib

    word = re.sub(r"[^a-z]", "", value.split("(")[0])[:12]
    if len(word) < 5:
        return None
    scores = sorted(((difflib.SequenceMatcher(None, word, w).ratio(), s) for w, s in OCR_STATUS_WORDS.items()),
                    reverse=True)
    return scores[0][1] if scores[0][0] >= 0.8 and scores[0][0] - scores[1][0] >= 0.1 else None


def probationary(views: list[PageView], facts_day: date | None) -> list[Candidate]:
    cands = licence_age(views, facts_day)
    for v in _case_pages(views):
        for meaning, value, a, b in _fields(v):
            if meaning == "licence" and re.search(r"\bprobatoire\b", value) and \
                    not re.search(r"\bnon\b|termin|achev|expir|hors", value):
                cands.append(Candidate(True, 3, v, a, b))
            if meaning != "probation":
                continue
            got = _probation_value(value, facts_day)
            label = v.f[a:b].split(":")[0]
            if got is None and re.search(r"\b(?:titulaire d'un|en|sous) (?:permis|periode) probatoire\b", label) and \
                    not re.search(r"\b(?:les|des|aux|tout|chaque|titulaires)\b|\bnon\b|\bpas\b", label):
                got = True  # « Conducteur titulaire d'un permis probatoire : taux de … »: the label states it
            if got is not None:
                cands.append(Candidate(got, 3, v, a, b))
        cands.extend(_probation_over(v, facts_day))
        # « R : Je suis encore en A », « Plus maintenant, ça fait six ans »: what the holder says (a claim, weakest)
        cands += [Candidate(value, 1, v, a, b) for value, a, b in probation_told(v.f)]
        for s, _e, sent in _statements(v):
            m = PROBATION_OVER.search(sent)
            if m and not HYPOTHESIS.search(sent[:m.start()]) and "?" not in sent:
                cands.append(Candidate(False, 2, v, s + m.start(), s + m.end()))
                continue
            m = re.search(r"permis probatoire|periode probatoire|periode de probation du permis|jeune conducteur|"
                          r"permis (?:probatoire )?(?:a|de) (?:six|6) points", sent)
            if not m and "permis" in sent:
                m = re.search(r"(?<!sursis )(?<!sursis avec mise a l'epreuve )\bprobatoire\b", sent)  # not a penalty
            if not m or re.match(r"\s*(?:[:=…]|\.{2,})", sent[m.end():]) or ":" in sent[max(0, m.start() - 3):m.start()]:
                continue
            if re.match(r"s\b", sent[m.end():]) or \
                    re.search(r"\b(?:les|des|aux|titulaires d'un|tout|chaque)\s+(?:\w+\s+)?$",
                              sent[max(0, m.start() - 30):m.start()]):
                continue  # a rule for every holder (« seuil de 0,2 g/l pour les permis probatoires ») is no fact
            if re.search(r"(?:hors|apres la|fin de la|sortie de la) periode probatoire|\b(?:hors|non|pas) probatoire|"
                         r"periode probatoire "
                         r"(?:\w+ ){0,2}(?:terminee|expiree|achevee|echue|ecoulee|prise fin|a pris fin)|"
                         r"n'(?:est|etait) plus (?:en|soumis a la) periode probatoire|"
                         r"n'(?:est|etait) (?:pas|plus) (?:en )?(?:permis )?probatoire", sent):
                cands.append(Candidate(False, 2, v, s + m.start(), s + m.end()))
            elif not is_negated(sent, m.start(), m.end()):
                cands.append(Candidate(True, 2, v, s + m.start(), s + m.end()))
            else:
                cands.append(Candidate(False, 2, v, s + m.start(), s + m.end()))
    return cands


PROBATION_OVER = re.compile(r"(?:periode|permis) probatoire (?:\w+ ){0,2}(?:terminee?|expiree?|achevee?|echue?|ecoulee?|"
                            r"a pris fin|a expire)\b|\bprobatoire (?:\w+ ){0,1}(?:termine|expire|acheve|echu)e?\b|"
                            r"fin (?:de la )?(?:periode )?probatoire\s*(?:le|au|:)?\s*\d")
FULL_CAPITAL = re.compile(r"(?:capital|solde)(?: de points| actuel| de)?\s*(?:de|:|=)?\s*12\s*(?:points|pts|/\s*12)?\b")
OBTAINED = re.compile(r"(?:obtenue?|date d'obtention|obtention)\s*(?:le|du|:|en)?\s*")


def _probation_over(v: PageView, facts_day: date | None) -> list[Candidate]:
    """A relevé that shows a full capital of 12 points, or a licence obtained more than three years before the
    facts with no probation line: the licence is no longer probationary (weak: any explicit line outranks it)."""
    if not re.search(r"releve|permis de conduire|\bsnpc\b|\bfnpc\b|solde de points|capital", v.f):
        return []
    out = []
    m = FULL_CAPITAL.search(v.f)
    if m and not is_negated(v.f, m.start(), m.end()):
        out.append(Candidate(False, 2, v, m.start(), m.end()))
    # an invalidated, annulled or suspended licence: its first obtention no longer dates a probation
    if facts_day and "probatoire" not in v.f and not re.search(r"solde (?:de points )?nul|invalid|annul|48si|suspen", v.f):
        for m in OBTAINED.finditer(v.f):
            got = find_dates(v.f[m.end():m.end() + 30])
            if got and got[0].value < facts_day.replace(year=facts_day.year - 3, day=min(facts_day.day, 28)):
                out.append(Candidate(False, 1, v, m.start(), m.end() + 12))
                break
    return out


LICENCE_WORD = re.compile(r"\bpermis(?: de conduire)?(?: (?:de )?(?:categorie |cat\. ?)?(?:a1|a2|am|be|b1|[abcd])\b)?"
                          r"(?: \([^)]{0,40}\))?")
DURATION = re.compile(rf"(?:(plus|moins|pres) (?:de |d')|environ |a peine |seulement )?(?:(une (?:dizaine|quinzaine|vingtaine|"
                      rf"trentaine|quarantaine)) d'annees|(\d{{1,2}}|{WORDS_NUMBER}) (ans?|annees?|mois|semaines?)\b)")
LICENCE_SINCE = re.compile(r"\s*,?\s*(?:qu'(?:il|elle) (?:a |avait )?(?:obtenu|passe)\w* |(?:a ete |lui a ete |avait ete )?"
                           r"(?:obtenu|delivre|passe|decroche)\w*\s+|(?:detenu|possede)\w*\s+)?"
                           r"(?:(depuis)\s+(?:le |l'annee |l'an )?|(le|en|au mois d[e']|courant|il y a|au cours de l'annee)\s*)")
APPRENTICESHIP = re.compile(r"apprentissage anticipe|conduite accompagnee|\baac\b")
HOLDING_CONTEXT = re.compile(r"titulaire|detient|detenteur|detentrice|possede|(?:a|avoir|ayant) (?:son|le) permis|"
                             r"obtenu|obtention|"
                             r"delivre|passe|decroche|jeune conduct\w*")
LICENCE_LOST = re.compile(r"suspen\w*|annul\w*|retir\w*|invalid\w*|restitu\w*|retenu\w*|\bsans\b|pas de permis|plus de permis|"
                          r"aucun permis|jamais")


def _years(text: str) -> float | None:
    m = DURATION.match(text)
    if not m:
        return None
    if m.group(2):
        n = {"dizaine": 10, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40}[m.group(2).split()[1]]
        unit = "ans"
    else:
        n = int(m.group(3)) if m.group(3).isdigit() else (words_value(m.group(3)) or 0)
        unit = m.group(4)
    return n / 12 if unit == "mois" else n / 52 if unit.startswith("semaine") else float(n)


def _reference_day(views: list[PageView]) -> date:
    """The day a licence's age is counted to when the facts date is not known: the latest date the pages state
    (not the licence's own date), else today."""
    days = [d.value for v in views for d in find_dates(v.f) if d.value <= date.today() and
            not re.search(r"obten\w*|obtention|delivr\w*|depuis|permis", v.f[max(0, d.start - 40):d.start])]
    return max(days) if days else date.today()


def _age_range(anchor: str, relative: bool, ref: date) -> tuple[float, float, int] | None:
    """(lowest, highest age in years, length read) of a licence from the words after « depuis », « obtenu en »,
    « il y a »: a duration (relative), a date, a month and year, or a year alone."""
    dm = DURATION.match(anchor)
    if relative and dm and (dur := _years(anchor)) is not None:
        bound = dm.group(1)
        low, high = (dur, 99.0) if bound == "plus" else (0.0, dur) if bound == "moins" else (dur, dur)
        return low, high, dm.end()
    if not relative and anchor.startswith(("il y a", "un ", "une ")):
        return None
    ds = find_dates(anchor[:30])
    if ds and ds[0].start <= 2:
        age = (ref - ds[0].value).days / 365.25
        return age, age, ds[0].end
    mm = re.match(rf"(?:le mois d[e']\s*|mois d[e']\s*)?({MONTH_RE}) ((?:19|20)\d{{2}})\b", anchor)
    if mm and (mo := month_number(mm.group(1))):
        y = int(mm.group(2))
        first, last = date(y, mo, 1), date(y + (mo == 12), mo % 12 + 1, 1)
        return (ref - last).days / 365.25, (ref - first).days / 365.25, mm.end()
    ym = re.match(r"((?:19|20)\d{2})\b", anchor)
    if ym:
        y = int(ym.group(1))
        return (ref - date(y, 12, 31)).days / 365.25, (ref - date(y, 1, 1)).days / 365.25, ym.end()
    return None


DRIVING_SINCE = re.compile(r"\b(?:conduit|conduisait|conduire|roule|roulait) (?:seulement |uniquement )?(depuis) ")
DELIVERY = re.compile(r"(?:date (?:de |d')(?:delivrance|obtention)|delivre\w* le|obtenu\w* le)"
                      r"(?:\s+(?:du|de son) (?:permis|"
                      r"titre)(?: de conduire)?(?: (?:de )?(?:categorie )?[a-z]{1,2}\d?\b)?)?\s*:?\s*")


def licence_age(views: list[PageView], facts_day: date | None) -> list[Candidate]:
    """A licence whose age at the facts is stated (« titulaire du permis B depuis 2009 », « obtenu il y a dix mois »,
    « délivré le 12/06/2024 », « date de délivrance : … », « conduit depuis quatre mois »): probationary while
    younger than three years (two after an apprentissage anticipé), not probationary from three years on; a year
    alone decides only when its whole range is on one side."""
    cands = []
    ref = facts_day or _reference_day(views)
    undated = ref == date.today()  # nothing dates the facts: only a licence far older than today can be told

    def add(v: PageView, sent: str, s: int, a: int, got: tuple[float, float, int] | None, at: int) -> bool:
        if got is None or got[1] < 0:
            return False
        low, high, length = got
        limit = 2.0 if APPRENTICESHIP.search(sent) else 3.0
        if undated and length and not DURATION.match(sent[at:at + 40]):
            if low >= limit + 5:
                cands.append(Candidate(False, 2, v, s + a, s + at + length))
                return True
            return False
        if high < limit or low >= limit:
            cands.append(Candidate(high < limit, 2, v, s + a, s + at + length))
            return True
        return False

    for v in _case_pages(views):
        if re.search(r"solde (?:de points )?nul|invalid|annul|48 ?si\b", v.f):
            continue  # an invalidated or annulled licence: its first obtention no longer dates a probation
        licence_page = bool(re.search(r"permis|snpc|fnpc|releve (?:d'information )?integral|droit a conduire", v.f[:300]))
        for s, _e, sent in _statements(v):
            if "?" in sent or PRIOR_CONTEXT.search(sent) or HYPOTHESIS.search(sent) or _about_another(v, s, sent):
                continue
            if "permis" not in sent:
                if licence_page and (m := re.search(r"\bcategorie \w{1,2}\b[^.;\n]{0,12}?\b(?:obtenue?|delivree?)\s*(?:le|:)\s*",
                                                    sent)):
                    add(v, sent, s, m.start(), _age_range(sent[m.end():m.end() + 40], False, ref), m.end())
                continue
            found = False
            for m in LICENCE_WORD.finditer(sent):
                before = sent[max(0, m.start() - 45):m.start()]
                since = LICENCE_SINCE.match(sent, m.end())
                if not since:
                    continue
                head = sent[m.end():since.end()]
                if LICENCE_LOST.search(before[-20:] + " " + head) or is_negated(sent, m.start(), m.end()):
                    continue
                if not (HOLDING_CONTEXT.search(before + " " + head) or since.group(1)):
                    continue
                relative = bool(since.group(1)) or since.group(2) == "il y a"
                if add(v, sent, s, m.start(), _age_range(sent[since.end():since.end() + 40], relative, ref), since.end()):
                    found = True
                    break
            if found:
                continue
            for m in list(DRIVING_SINCE.finditer(sent)) + list(DELIVERY.finditer(sent)):
                if LICENCE_LOST.search(sent[max(0, m.start() - 30):m.start()]) or is_negated(sent, m.start(), m.end()):
                    continue
                if m.re is DELIVERY and "permis" not in sent[max(0, m.start() - 100):m.end()]:
                    continue
                if add(v, sent, s, m.start(), _age_range(sent[m.end():m.end() + 40], m.re is DRIVING_SINCE, ref),
                       m.end()):
                    break
    return cands


def _probation_value(value: str, facts_day: date | None) -> bool | None:
    v = value.strip(" .:-")
    dates = find_dates(v)
    if dates and facts_day:
        if re.search(r"jusqu|fin|expir|au\b|le\b", v) or len(v) < 14:
            return dates[0].value >= facts_day
    if re.match(r"(?:oui|en cours|actif|active|vrai|x)\b", v) or v == "o":  # « O / N » columns of a form
        return True
    # (OCR: « termin6e », « achev3e »)
    if re.match(r"(?:non|neant|termin\w*|expir\w*|echu\w*|achev\w*|sans objet|faux)\b", v) or v == "n":
        return False
    return None


# --- insurance ------------------------------------------------------------------------------------------------
NO_INSURANCE = re.compile(r"defaut d'assurance|\bsans assurance|\bsans etre assure|\bsans (?:\w+ ){1,3}ni (?:d')?assurance|"
                          r"(?:demuni|depourvu)e? (?:de|d')(?:[^.;]{0,40}(?:et|ni) )?(?:d')?assurance|"
                          r"n'(?:est|etait) plus assure|non assure|aucun (?:contrat|contrat d'assurance|assureur)"
                          r"|aucune (?:assurance|attestation d'assurance valable)|n'(?:est|etait|etant) pas assure|"
                          r"pas assure|(?:ne (?:pas|plus|jamais)|n'avoir (?:pas|jamais)) (?:etre|avoir ete) assure|"
                          r"absence (?:de contrat )?d'assurance|(?:contrat|assurance) (?:\w+ ){0,2}"
                          r"(?:resilie|expire|suspendu|echu)e?|non couvert|sans contrat|defaut de garantie|"
                          r"aucune garantie|"
                          # « n'est couvert par aucune police d'assurance », « ne fait l'objet d'aucune couverture »
                          r"\bn'(?:est|etait|etant) (?:plus |pas |jamais )?(?:couvert|garanti)e?s?\b|"
                          r"\baucune? (?:police|couverture|garantie)(?: d'assurance)?\b|"
                          r"ne (?:dispose|possede|justifie) (?:pas|d'aucune?) (?:d'|de )?(?:contrat d')?assurance|"
                          r"(?:assurance|contrat|attestation)\b[^.;]{0,40}?\bn'(?:est|etait|etant) (?:plus|pas) "
                          r"(?:valide|valable|en cours|en vigueur)")
INSURED = re.compile(r"vehicule (?:est |etait |bien |dument |regulierement )*assure|assure aupres|"
                     r"contrat (?:d'assurance )?(?:en cours de validite|valide|actif|en vigueur)|dument assure|"
                     r"regulierement assure|attestation d'assurance (?:valide|en cours)|"
                     r"assurance (?:(?!non |pas |plus )\w+ ){0,2}?(?:valide|en cours|valable)|"
                     # « l'attestation présentée est en cours de validité », « carte verte valable jusqu'au … »
                     r"attestation (?:d'assurance )?(?:presentee|produite|fournie|remise)\s*(?:est |etait )?"
                     r"(?:en cours de validite|valide|valable)|"
                     r"carte verte (?:(?!non |pas |plus )\w+ ){0,2}?(?:valable|valide|en cours)|"
                     r"est bien assure|est assure|etait assure|couvert par (?:un contrat|une assurance)|"
                     r"attestation d'assurance (?:valable|en cours de validite)|assurance valable|"
                     r"\bcontrat\b[^.;]{0,70}\bvalide a la date|couvert par un contrat|"
                     r"(?:couvert|garanti)e?s? (?:\w+ ){0,2}?(?:par|aupres d[e'u]|chez) (?:la |le |l'|un |une |les )?"
                     r"(?:compagnie|assureur|mutuelle|societe|contrat|assurance|groupe|(?!aucun|nul)[a-z]{3,})|"
                     r"contrat (?:d'assurance )?(?:n\s*°\s*[\w/-]+ )?(?:\w+ ){0,3}?(?:souscrit|en cours|en vigueur|"
                     r"actif|valable)|"
                     r"justifi\w* (?:de |d')(?:l'|son |une |sa )?(?:assurance|attestation d'assurance|contrat d'assurance)|"
                     r"attestation d'assurance[^.;]{0,40}\ben regle|"
                     r"(?:attestation|certificat|carte) d'assurance[^.;]{0,40}\b(?:en cours de validite|valide|valable|"
                     r"en vigueur)|"
                     r"assurance[^.;]{0,30}\ben regle|"
                     r"(?:presente|produit|remet|exhibe)\w* (?:son |une |l'|sa )?(?:(?:attestation|certificat|carte) "
                     r"d'assurance|carte verte)"
                     r"(?![^.;]{0,40}(?:expire|perime|falsifi|faux|fausse|contrefai|resilie|non valable|ancienne))")


FVA_PAGE = re.compile(r"\bf\.?\s?v\.?\s?a\b|fichier (?:national )?des vehicules assures|assureur")
FVA_STATUS = re.compile(r"(?m)(?:^|\s)(vehicule non assure|non assure|vehicule assure|assure|aucun contrat"
                        r"|contrat en cours de validite)\s*[.!]?\s*$")


def _fva_status(v: PageView) -> list[Candidate]:
    """The status word an insurance consultation (FVA) answers with, at the end of a line (« … (FVA) : ASSURÉ »,
    a column « Statut » whose value is « ASSURÉ », a label and its value on separate lines)."""
    if not FVA_PAGE.search(v.f):
        return []
    f = re.sub(r"fichier (?:national )?des vehicules assures", lambda m: " " * len(m.group(0)), v.f)
    out = []
    for m in FVA_STATUS.finditer(f):
        line = f[f.rfind("\n", 0, m.start()) + 1:m.end()]
        if "?" in line or re.search(r"est-(?:il|elle)|\bsi\b", line) or is_negated(f, m.start(1), m.end(1)):
            continue
        word = m.group(1)
        out.append(Candidate(word in ("vehicule non assure", "non assure", "aucun contrat"), 3, v, m.start(1), m.end(1)))
    return out


AUDITION = re.compile(r"(?m)audition|^\s*(?:question|q|demande)\s*[:.-]|^\s*(?:reponse|r)\s*[:.-]")


def insurance(views: list[PageView]) -> list[Candidate]:
    """Insured or not; what the suspect answers in an audition (« Réponse : Oui ») is a claim, weaker than the
    FVA consultation and the officers' findings: it adds a source when they agree and never outranks them."""
    cands: list[Candidate] = []
    for v in _case_pages(views):
        before = len(cands)
        _insurance_on_page(v, cands)
        if AUDITION.search(v.f):
            for c in cands[before:]:
                c.score = min(c.score, 1)
        # what the person heard says of the insurance (« R : Oui, chez MAAF »): a claim, the weakest source
        cands += [Candidate(value, 1, v, a, b) for value, a, b in insurance_told(v.f)]
    return cands


# the answer about one vehicle, named by its registration (« EVA — GB-062-XS : assuré — Orvanne Mutuelle », the OCR
# of « FVA » lost): a plate, then the insurance status
PLATE_STATUS = re.compile(r"(?m)^[^\n:]{0,40}\b[a-z]{2}\s?-?\s?\d{3}\s?-?\s?[a-z]{2}\b[^\n:]{0,25}:\s*"
                          r"(vehicule non assure|non assure|aucun contrat|vehicule assure|assure|sans assurance)\b")


# an insurance value that is not known yet (the document not shown, the file still to be queried)
NOT_YET_CHECKED = re.compile(r"\bnon (?:justifi|present|produit|fourni|communiqu)\w*|"
                             r"\ba (?:verifier|effectuer|faire|consulter)\b|en attente|en cours de verification|\bfva en cours\b")
# a dense note's insurance item (« — assuré (FVA) — », « / non assuré selon FVA »)
NOTE_INSURANCE = re.compile(r"(?:^|[—–;/|:,]\s*|\s-\s*)(?:vehicule )?(non[- ])?assure\w*\s*"
                            r"(?:\(\s*f\.?v\.?a\.?\s*\)|au f\.?v\.?a\b|selon (?:le )?f\.?v\.?a\b)")


def _insurance_on_page(v: PageView, cands: list[Candidate]) -> None:
    for m in NOTE_INSURANCE.finditer(v.f):
        cands.append(Candidate(m.group(1) is not None, 3, v, m.start(), m.end()))
    page_insurance = "assur" in v.f or "fva" in v.f
    for m in PLATE_STATUS.finditer(v.f):
        cands.append(Candidate(m.group(1) in ("vehicule non assure", "non assure", "aucun contrat", "sans assurance"),
                               3, v, m.start(1), m.end(1)))
    for m in re.finditer(r"(?m)^[^\n:]{0,50}?(?:reponse|resultat|vehicule [a-z0-9-]+)\s*[.:,]+\s*"
                         r"(vehicule assure|assure|non assure|aucun contrat|vehicule non assure|inconnu)\b", v.f):
        if page_insurance:
            cands.append(Candidate(m.group(1) in ("non assure", "aucun contrat", "vehicule non assure", "inconnu"),
                                   3, v, m.start(), m.end()))
    cands.extend(_fva_status(v))
    for meaning, value, a, b in _fields(v):
        if meaning != "insurance" or (not page_insurance):
            continue
        if NOT_YET_CHECKED.search(value):
            continue  # « non justifiée sur place, consultation à effectuer »: not known yet
        if re.search(r"aucun|neant|\bnon\b|defaut|absence|pas de|sans|expire|resilie|inconnu|negati|introuvable",
                     value):
            cands.append(Candidate(True, 3, v, a, b))
        elif re.search(r"\boui\b|\bok\b|assure|en cours|valide|contrat|\b[a-z]{3,} assurances?\b|\bmaif|\baxa|allianz|"
                       r"macif|matmut|groupama|\bgmf|generali|maaf|mma\b", value):
            cands.append(Candidate(False, 3, v, a, b))
    for s, _e, sent in _statements(v):
        if not re.search(r"assur|fva|contrat|couvert|garanti|attestation|carte verte", sent) or PRIOR_CONTEXT.search(sent):
            continue  # « il a déjà fait l'objet d'une composition pénale pour défaut d'assurance » is a past fact
        if _about_another(v, s, sent):
            continue  # « Son permis est valide et son véhicule régulièrement assuré » of the other driver
        sent_clean = re.sub(r"fichier (?:national )?des vehicules assures", " " * 36, sent)
        m = NO_INSURANCE.search(sent_clean)
        if m and HYPOTHESIS.search(sent_clean[:m.start()]):
            continue
        if m:
            # « ne peut justifier d'aucune assurance »: « ne … aucune » is one negation, the cue's own
            value = not is_negated(sent_clean, m.start(), m.end()) or \
                m.group(0).startswith(("n'", "ne ", "pas", "non", "aucun"))
            cands.append(Candidate(bool(value), 2, v, s + m.start(), s + m.end()))
            continue
        m = INSURED.search(sent_clean)
        if m and re.search(r"\bn'|\bne\b|\bpas\b|\bplus\b|\bnon\b|perime|expir|falsifi|\bfau(?:x|sse)\b", m.group(0)):
            m = None  # « attestation d'assurance présentée, qui n'est plus valable »: the negation inside the span
        if m and not is_negated(sent_clean, m.start(), m.end()) and not HYPOTHESIS.search(sent_clean[:m.start()]):
            cands.append(Candidate(False, 2, v, s + m.start(), s + m.end()))


# --- yes/no offences --------------------------------------------------------------------------------------------
FLIGHT = re.compile(r"(?:pris|prend|prendre|prenant|prennent) la fu[i1l]te|"
                    # the charge's words (art. L231-1): « omis de s'arrêter », « tenté d'échapper à la responsabilité »
                    r"\bomis de s'arreter|\b(?:tente|tenter|afin) (?:ainsi )?d'echapper a (?:la|sa) responsabilite|"
                    r"(?:est |s'est )?(?:reparti|redemarre|repart)\w* (?:aussitot |ensuite |immediatement )?sans "
                    r"(?:descendre|s'arreter|se (?:manifester|faire connaitre|soucier)|laisser|porter secours|"
                    r"(?:sortir|descendre) de (?:son|sa|du) )|delit de fuite|quitt\w* les lieux (?:de l'accident |"
                    r"du choc |de la collision )?sans|sans (?:s'arreter|s'etre arrete|laisser (?:ses|de) coordonnees|"
                    r"decliner son identite|se faire connaitre)|s'est enfui|s'enfui\w*|fuite apres (?:l')?accident|"
                    r"poursui\w* sa route sans|continu\w* sa route sans|(?:ne s'est pas |ne s'etait pas |"
                    r"sans s')arretee? apres|quitt\w* les lieux|"
                    r"vehicule en fuite|(?:ne marque|sans marquer|n'a marque) (?:aucun|pas d'|l')\s*(?:temps d')?arret|"
                    r"ne s'(?:arrete|est arrete|arretant|arretait|arreta)\w* pas(?! malgre)|"
                    # « l'automobiliste ne s'est pas arrêté et a été identifié … » (not « au stop », « au feu »)
                    r"ne s'(?:est|etait) pas arretee?\b(?! (?:au|a l'|aux|a la) (?:stop|feu|signal|panneau|"
                    r"injonction|controle|sommation|intersection|carrefour)\w*)|"
                    r"(?:repart\w*|reparti\w*|redemarr\w*|s'eloign\w*|s'en va|s'en est alle|poursui\w* (?:sa|"
                    r"son) (?:route|chemin)|"
                    r"continu\w* (?:sa|son) (?:route|chemin))[^.;]{0,40}?\bsans que (?:\w+ ){0,3}?(?:ne )?(?:descende|s'arrete|"
                    r"se manifeste|s'arrêt\w*|porte secours|laisse\w* (?:ses|son|de))|"
                    r"\b(?:disparai\w*|a disparu|s'evanoui\w*|s'eclips\w*|prend la direction de|file en direction|"
                    r"s'eloign\w* (?:a vive allure|rapidement|en direction))|"
                    r"se (?:sont|est) soustrait\w* a "
                    r"(?:sa|leur) responsabilite")
ACCIDENT = re.compile(r"heurt|percut|accident|collision|choc|accroch|endommag|renvers|victime|degat|dommage|pieton|fauch|"
                      r"constat amiable|"
                      r"(?:dans|au fond du) (?:le |un )?fosse|sortie de (?:route|chaussee)|"
                      r"embout|"
                      r"au sol|secours|"
                      r"retroviseur|carrosserie|blesse|recul\w* (?:dans|contre|sur)|rentr\w* dans")
STAYED = re.compile(r"(?:est|etait) reste\w* (?:sur (?:les lieux|place)|aupres (?:de la|des) victimes?)|"
                    r"(?:demeur|rest)\w* (?:\w+ )?(?:sur (?:les lieux|place)|aupres (?:de la|des) victimes?)|"
                    r"s'(?:est|etait) (?:\w+ )?arrete\w*(?! (?:plus loin|quelques|\d))|s'arret(?:e|ait) (?:aussitot|"
                    r"immediatement|"
                    r"sur les lieux|apres)|a attendu (?:l'arrivee|les secours|les forces)|"
                    r"(?:a |ont )?(?:rempli|redige|etabli|signe)\w* (?:un |le )?constat amiable|"
                    r"attend\w* (?:notre|l'|les|leur) ?(?:arrivee|secours|forces|police|policiers|gendarmes)|"
                    r"previen\w* (?:les?|la) (?:proprietaires?|secours|police|gendarmerie)|"
                    r"(?:a |a lui-meme )?(?:alerte|appele|prevenu) (?:lui-meme )?(?:les secours|les pompiers|le samu|la police|"
                    r"les gendarmes|le 17|le 18|le 112)|(?:a |ont )?laiss\w* ses coordonnees")


# an accident with nobody else in it: leaving is no délit de fuite (L231-1 needs a damage or an injury to another)
NO_THIRD_PARTY = re.compile(r"aucun (?:tiers|autre vehicule|autre usager)(?: n'(?:est|etait|a ete))? (?:implique|en cause|"
                            r"concerne|blesse)|\bsans (?:tiers|autre vehicule) (?:implique|en cause|identifie)|"
                            r"\bseule? (?:en cause|implique\w*)\b|\bseul vehicule (?:implique|en cause)|"
                            r"\baccident (?:materiel )?sans tiers|"
                            r"\bpas de tiers\b|\bni tiers\b")


def hit_and_run(views: list[PageView]) -> list[Candidate]:
    cands = []
    for v in _case_pages(views):
        for s, e, sent in _statements(v, factual=True):
            m = FLIGHT.search(sent)
            if m:
                explicit = "delit de fuite" in m.group(0) or "accident" in m.group(0)
                around = _flat(v.f[max(0, s - 160):e + 80])
                if not explicit and not ACCIDENT.search(around) and not DAMAGE_NOUN.search(around):
                    # the collision told just before or after
                    # (or the damage it left: « a reculé dans sa vitrine … ; la vitrine est brisée »)
                    continue
                if not explicit and NO_THIRD_PARTY.search(around):
                    cands.append(Candidate(False, 2, v, s + m.start(), s + m.end()))  # nobody else's damage to flee
                    continue
                cands.append(Candidate(not is_negated(sent, m.start(), m.end()), 2, v, s + m.start(), s + m.end()))
                continue
            before = _flat(v.f[_sentence_at(v, max(0, s - 1))[0]:s]) if s else ""
            for m in STAYED.finditer(sent):
                generic = m.group(0).startswith("s'")  # « s'arrête » tells a stay only next to the collision
                if not ACCIDENT.search(sent if generic else before + " " + sent):
                    continue
                if negated(sent, m.start(), m.end()) or \
                        re.search(r"\bsans\s+$|\bs'(?:il|elle)\b", sent[max(0, m.start() - 12):m.start()]):
                    continue
                cands.append(Candidate(False, 2, v, s + m.start(), s + m.end()))
                break
    return cands


def refusal_to_comply(views: list[PageView]) -> list[Candidate]:
    cands = []
    for v in _case_pages(views):
        m = STOP_ORDER_THEN_GONE.search(v.f)  # the order and the getaway are often told in two sentences
        if m and not is_negated(v.f, m.start(), m.end()):
            cands.append(Candidate(True, 2, v, m.start(), m.end()))
        prev = ""
        for s, _e, sent in _statements(v, factual=True):
            before, prev = prev, sent
            m = REFUSE_COMPLY.search(sent)
            if m and CLAIM.search(sent[:m.start()]):
                # « il conteste avoir refusé de s'arrêter »: his claim, not a finding — unless the court then holds it
                held = HELD.search(v.f, _e, _e + 200)
                if held:
                    cands.append(Candidate(not held.group(0).startswith("relax"), 2, v, s + m.start(), s + m.end()))
                continue
            if m:
                cands.append(Candidate(not negated_verb(sent, m.start(), m.end()), 2, v, s + m.start(), s + m.end()))
                continue
            m = COMPLIED.search(sent) or (STOP_ORDER.search(sent) and STOPPED.search(sent))
            if m and TRAFFIC_STOP.match(sent, m.end()) and not ORDER.search(before + " " + sent):
                m = None  # « s'arrête au feu rouge »: the traffic lights, not an order
            if m and not is_negated(sent, m.start(), m.end()) and not re.search(r"refus|omis|malgre|\?", sent) and \
                    not HYPOTHESIS.search(sent[:m.start()]) and not re.search(r"\bs'(?:il|elle)\b", sent[:m.start()]):
                cands.append(Candidate(False, 2, v, s + m.start(), s + m.end()))
            elif not m and (span := stop_obeyed(sent, before)) and not HYPOTHESIS.search(sent[:span[0]]) and \
                    not FORCED_STOP.search(before + " " + sent):
                cands.append(Candidate(False, 2, v, s + span[0], s + span[1]))
        # « R : Parce que j'ai refusé de m'arrêter »: the person heard says it (weaker than the officers' account)
        cands += [Candidate(True, 1, v, a, b) for a, b in stop_refusal_told(v.f)]
        cands += [Candidate(True, 1, v, a, b) for a, b in stop_refusal_asked(v.f)]
    # a page that tells a refusal and, later, the car coming to a halt tells one refusal, not an obeyed stop
    refused = {id(c.view) for c in cands if c.value is True}
    return [c for c in cands if c.value is True or id(c.view) not in refused]


def refusal_of_test(views: list[PageView]) -> list[Candidate]:
    cands = []
    for v in _case_pages(views):
        prev = ""
        for s, _e, sent in _statements(v, factual=True):
            before, prev = prev, sent
            m = REFUSE_TEST.search(sent)
            if m and CLAIM.search(sent[:m.start()]):
                continue
            if m and "obtemper" not in sent[m.start():m.end() + 10]:
                scope = sent[m.end():m.end() + 90]
                if re.search(r"^\W*(?:\w+\W+){0,4}(?:concernant (?:un|le) vehicule|vehicule ou son conducteur|"
                             r"(?:de |d')(?:son |l')?identite|relev\w* d'identite|documents|papiers|"
                             r"signaletique|empreintes)", scope):
                    continue
                cands.append(Candidate(not negated_verb(sent, m.start(), m.end()), 2, v, s + m.start(), s + m.end()))
                continue
            m = TEST_ACCEPTED.search(sent) or re.search(r"n'a pas (?:non plus )?refuse (?:les|le|la|l') ?"
                                                        r"(?:verifications|depistage|test|ethylometre)", sent)
            if m and OTHER_ACTOR.search(sent[max(0, m.start() - 25):m.start()]):
                m = None  # someone else's consent (« le passager accepte de souffler »)
            if m and (not is_negated(sent, m.start(), m.end()) or m.group(0).startswith("n'a pas")) and \
                    not re.search(r"refus\w* (?:ensuite|de nous suivre|de se rendre)|qu'il refuse", sent):
                cands.append(Candidate(False, 2, v, s + m.start(), s + m.end()))
            elif (span := consent_to_test(sent, before)) and not re.search(r"refus", sent) and \
                    not HYPOTHESIS.search(sent[:span[0]]):
                cands.append(Candidate(False, 2, v, s + span[0], s + span[1]))
            elif (span := refusal_told_back(sent, before)) and not HYPOTHESIS.search(sent[:span[0]]):
                cands.append(Candidate(True, 2, v, s + span[0], s + span[1]))
            elif (m := NOT_ACCEPTED.search(sent)) and "?" not in sent and not HYPOTHESIS.search(sent[:m.start()]) \
                    and not re.search(r"\bs'(?:il|elle)\b", sent[:m.start()]):
                # « n'a pas accepté de se soumettre au dépistage » is a refusal
                cands.append(Candidate(True, 2, v, s + m.start(), s + m.end()))
        # « R : Non, j'ai pas voulu souffler, ni la prise de sang »: the person heard says it (a claim, weakest)
        cands += [Candidate(value, 1, v, a, b) for value, a, b in test_refusal_told(v.f)]
    return cands


DAMAGE_NOUN = re.compile(r"accident materiel|degats? materiels?|dommages? materiels?|endommag\w*|degradation\w*|"
                         r"(?:vehicule|voiture) accidente|constat amiable|accrochage|"
                         r"(?:carenage|pare-brise|carrosserie|retroviseur|pare-choc|portiere|phare|hayon|capot|aile|"
                         r"vitre|vitrine|calandre|jante|optique|portail|facade|devanture|cloture|muret|barriere)s? "
                         r"(?:[\w-]+ ){0,3}?(?:est |sont |etait |etaient |ont ete |a ete )?"
                         r"(?:brise|casse|enfonce|raye|arrache|deforme|froisse|fissure|detruit|defonce|eventre)e?s?\b|"
                         r"carambolage|sortie de (?:route|chaussee)|a termine sa course|degats?\b|dommages?\b|"
                         # an expert's words for a wreck (« déclaré économiquement irréparable », VEI, « épave »)
                         r"\birreparable\b|\bv\.?e\.?i\.?\b|vehicule hors d'usage|\bepave\b|"
                         r"(?:dans|au fond du) (?:le |un )?fosse|"
                         # a damage told by its noun in a PV de constatations (« un enfoncement de la portière »)
                         r"(?:enfoncement|eraflure|rayures?|bris|deformation|arrachement|impact|traces? de (?:choc|frottement|"
                         r"peinture|collision))s? (?:\w+ ){0,2}?(?:de la |du |des |de l'|sur (?:la |le |l'|les )?|"
                         r"au niveau d[eu] )"
                         r"(?:\w+ ){0,2}?(?:carrosserie|portiere|pare-choc|aile|capot|phare|optique|retroviseur|hayon|calandre|"
                         r"pare-brise|vitre|jante|bas de caisse|coffre|flanc|avant|arriere|vehicule|facade|vitrine|barriere|"
                         r"muret|poteau|glissiere|cloture)")
DAMAGE_VERB = re.compile(r"(?:heurt|percut|accroch|embout|emboutiss|defonc|arrach)\w*|collision|"
                         r"choc (?:avec|contre)|s'encastr\w*|(?:est venu |est alle )?(?:s')?ecras\w* contre|"
                         r"(?:renvers|fauch)\w*")
OBJECT = re.compile(r"vehicule|voiture|automobile|poteau|mur\b|muret|barriere|glissiere|panneau|feu tricolore|arbre|"
                    r"vitrine|portail|candelabre|abribus|terre-plein|trottoir|camion|bus\b|fourgon|camionnette|"
                    r"retroviseur|portiere|pare-choc|borne|plot|cloture|facade|grillage|lampadaire|rambarde|"
                    r"mobilier urbain|parapet|\bbarrage|stationnement|en stationnement|berline|\bclio\b|scooter|moto\b|"
                    r"twingo|golf|poubelle|container|conteneur|mat\b|palissade")
PERSON = re.compile(r"pieton\w*|cycliste|passant\w*|enfant|femme|homme|motard|victime|\bmme\b|\bm\. |madame|monsieur|"
                    r"personne|jeune fille|jeune homme|adolescent|cyclomotoriste")


NO_ACCIDENT = re.compile(r"\b(?:aucun|sans|pas d'|ni)\s*accident\b(?! corporel)|"
                         r"\baccident\s*(?:materiel\s*)?:\s*(?:neant|non|aucun|sans objet)\b")


def material_damage(views: list[PageView]) -> list[Candidate]:
    cands = []
    for v in _case_pages(views):
        for s, _e, sent in _statements(v, factual=True):
            m = NO_ACCIDENT.search(sent)
            if m and not re.search(r"\?", sent) and not HYPOTHESIS.search(sent[:m.start()]):
                cands.append(Candidate(False, 2, v, s + m.start(), s + m.end()))
                continue
            m = DAMAGE_NOUN.search(sent)
            if m and not re.search(r"dommages?[- ]interets|dommages? corporels?|prejudice", sent[m.start():m.end() + 12]):
                cands.append(Candidate(not is_negated(sent, m.start(), m.end()), 2, v, s + m.start(), s + m.end()))
                continue
            for m in DAMAGE_VERB.finditer(sent):
                after = sent[m.end():m.end() + 60]
                after_obj = re.sub(r"\bpar (?:le|un|son|la) (?:vehicule|voiture|automobile)\b.*", "", after)
                if OBJECT.search(after_obj) and not PERSON.search(after_obj[:OBJECT.search(after_obj).start()]):
                    pass
                elif PERSON.search(sent) or not re.search(r"heurt|percut|accroch|collision|choc", m.group(0)):
                    continue
                cands.append(Candidate(not is_negated(sent, m.start(), m.end()), 2, v, s + m.start(), s + m.end()))
                break
    return cands


# --- speed and injuries --------------------------------------------------------------------------------------
SPEED_LIMIT_BEFORE = re.compile(r"(?:limitee?s?|limitation(?: de vitesse)?|autorisee?s?|maximale|limite|vma|\bau lieu de|"
                                r"zone|agglomeration|reglementee?s?|prescrite|vitesse maximum)"
                                r"(?:\s+(?:a|de|est de|etait de|etant de|etant fixee a|s'elevant a|fixee a|:|=|du lieu|"
                                r"(?:est |etait |y est )?(?:ramenee?|abaissee?|reduite?|portee?|fixee?)s? a|"
                                r"sur (?:cette|la) (?:portion|voie|route)|"
                                r"(?:sur|en) (?:ce|cet) (?:lieu|endroit|troncon)))*\s*:?\s*$")
SPEED_RETAINED = re.compile(r"retenue?(?:\s+(?:de|a|:|est de|apres (?:deduction|application) de la marge(?: technique)?"
                            r"(?: d'erreur)?))*\s*:?\s*$|(?:ramenee?|corrigee?|abaissee?) a\s*$|"
                            r"(?:apres (?:deduction|application) de la marge(?: technique)?"
                            r"(?: d'erreur)?|deduction faite de la marge)(?:\s*(?:,|:|soit|de))*\s*$|vitesse corrigee\s*:?\s*$")
SPEED_OTHER = re.compile(r"(?:exces(?: de vitesse)?|depassement(?: de la vitesse)?|depasse\w* de|au-dessus de|"
                         r"en exces de|de plus de|superieure? ou egale? a|"
                         r"egale? ou superieure? a|superieure? a|au-dela de|au dela de|plus de|d'au moins|excedant|"
                         r"au moins|homologue\w*|jusqu'a|capable|inferieure? a|moins de|entre|marge(?: technique)?"
                         r"(?: d'erreur)?(?: de)?|[<>≤≥]=?)(?:\s+(?:de|a|egale? a|a la vitesse autorisee de))*\s*$")
# a past offence listed by the licence record (« Historique des retraits de points : … excès de vitesse < 20 km/h »)
POINTS_HISTORY = re.compile(r"retraits? de points|points? (?:retire|reattribue|restitue)|historique|"
                            r"\b\d \s*points? (?:retire|reattribue)")
# a reminder of the rule, not the limit where the driver drove (« il est rappelé qu'en agglomération la vitesse est
# limitée à 50 km/h », « pour mémoire, hors agglomération, la vitesse maximale est fixée à 80 km/h sur les routes … »)
SPEED_REMINDER = re.compile(r"pour memoire|\bil (?:est|lui est|a ete) rappele|\brappel(?:ons|ant|e)? (?:que|"
                            r"au conducteur|a l'interesse)|"
                            r"\brappel\s*:|la reglementation (?:prevoit|fixe|impose)|le code de la route (?:prevoit|"
                            r"dispose|fixe)|"
                            r"\bsur (?:les )?(?:autoroutes|routes (?:a double sens|bidirectionnelles|nationales|"
                            r"departementales))\b|"
                            r"(?:en|hors) agglomeration,? la vitesse (?:maximale )?(?:autorisee )?(?:est|"
                            r"reste) (?:limitee|fixee)|"
                            r"(?:est|sont) (?:limitee?s?|fixee?s?) (?:de maniere generale|en principe|par principe)")
SPEED_MARGIN = re.compile(r"marge(?: technique| d'erreur| de tolerance)*(?: de| d'erreur de| legale de| reglementaire de)?\s*$|"
                          r"tolerance (?:de )?\s*$")
SPEED_LIMIT_AFTER = re.compile(r"\s*(?:autorise\w*|maxima\w*|maximum|reglementaire\w*|prescrits?|limite)\b")
SPEED_CONTEXT = re.compile(r"vitesse|circul|roul|flash|radar|cinemometre|controle|mesure|enregistr|relev|constat|"
                           r"chronometr|jumelles|allure|kilometres|km/h")


def speeds(views: list[PageView]) -> tuple[list[Candidate], list[Candidate]]:
    speed_c: list[Candidate] = []
    limit_c: list[Candidate] = []
    for v in _case_pages(views):
        measured, retained, limits = [], [], []
        prev = None
        for q in v.quantities:
            if q.kind != KMH:
                prev = q
                continue
            lo = max(prev.end if prev else 0, q.start - 80)
            before = re.sub(r"\s+(?:\.\s+)?", " ", v.f[lo:q.start])  # « d'au .\nmoins » (OCR) reads « d'au moins »
            sent = _sentence_text(v, q.start)
            prev = q
            if HYPOTHESIS.search(sent) or PRIOR_CONTEXT.search(sent) or SPEED_REMINDER.search(sent) or \
                    POINTS_HISTORY.search(sent) or not 5 <= q.value <= 400:
                continue
            if re.search(r"\b(?:de|entre) \d{1,3}(?: km/h)? (?:a|et)\s*$|[≥>≤<]=?\s*$|\bsuperieur\w* (?:ou egale?s? )?a\s*$",
                         before[-25:]) or (re.search(r"\bbareme\b|\bretraits?\s*:", v.f) and
                                           re.search(r"\d+ (?:points?|pts)\b", sent)):
                continue  # a category of a grid (« excès de vitesse de 20 à 29 km/h : 3 points »), not a speed
            if SPEED_MARGIN.search(before[-40:]) or re.match(r"\s*(?:au-dessus|au dessus|de plus que|en trop|de trop|d'exces|"
                                                            r"au-dela|au dela|de depassement)", v.f[q.end:q.end + 20]):
                continue  # the device's margin (« après déduction de la marge technique de 5 km/h ») is no speed
            if SPEED_LIMIT_BEFORE.search(before[-45:]) or SPEED_LIMIT_AFTER.match(v.f, q.end) or \
                    measured and re.search(r"\b(?:pour|au lieu de|sur)\s*(?:une? )?$", before[-12:]) and \
                    q.start - measured[-1].end < 30:
                limits.append(q)
            elif SPEED_RETAINED.search(before[-70:]):
                retained.append(q)
            elif SPEED_OTHER.search(before[-40:]):
                continue
            elif SPEED_CONTEXT.search(sent):
                measured.append(q)
                m = re.match(r"\s*(?:,\s*)?(?:au lieu de|pour une vitesse (?:maximale )?(?:autorisee|limite) de|"
                             r"pour une limitation (?:de vitesse )?(?:a|de)|pour|"
                             r"alors que la vitesse (?:etait |est )?limitee a|sur une (?:route|voie|portion|section) "
                             r"limitee a|en lieu et place de)\s*(\d{2,3})\b(?!\s*(?:km|kilometre|%|euro|€))",
                             v.f[q.end:q.end + 70])
                if m:
                    limits.append(Quantity(KMH, float(m.group(1)), q.end + m.start(1), q.end + m.end(1)))
        if not limits and (measured or retained or re.search(r"vitesse|km/h|vma", v.f)):
            m = next((x for x in re.finditer(rf"(?:limitee?s? a|vma\s*:?|vitesse (?:maximale )?autorisee\s*:?|au lieu de|"
                          rf"limitation (?:de vitesse )?(?:a|de)|\ben zone(?= (?:20|30)\b))\s*"
                          rf"(\d{{2,3}}|{WORDS_NUMBER})"
                          r"(?!\d|[,.]\d|\s*(?:km|kilometre|%|euro|€|mois|jours|ans|points|m\b))", v.f)
                      if not SPEED_REMINDER.search(_sentence_text(v, x.start()))), None)
            if m:
                value = int(m.group(1)) if m.group(1).isdigit() else words_value(m.group(1))
                if value and 10 <= value <= 130:
                    limits.append(Quantity(KMH, float(value), m.start(1), m.end(1)))
        if measured and not retained:  # « … cent douze kilomètres-heure, vitesse retenue cent six »: the unit told once
            m = re.compile(rf"vitesse retenue\s*(?:de|:|a|est de|=)?\s*(\d{{2,3}}|{WORDS_NUMBER})"
                           r"(?!\d|[,.]\d|\s*(?:km|kilometre|%|euro|€|mois|jours|ans|points|m\b))").search(v.f)
            if m and not SPEED_REMINDER.search(_sentence_text(v, m.start())):
                value = int(m.group(1)) if m.group(1).isdigit() else words_value(m.group(1))
                if value and 5 <= value <= measured[0].value:
                    retained.append(Quantity(KMH, float(value), m.start(1), m.end(1)))
        for meaning, value, a, b in _fields(v):  # « Vitesse autorisée . . . . 80 km/h », « VMA : 90 »
            m = re.match(r"\s*(\d{2,3})\b(?!\s*(?:%|euro|€|mois|jours|ans|points|m\b))", value)
            if not m or meaning not in ("speed_limit", "speed_retained", "speed_measured"):
                continue
            at = v.f.find(m.group(1), a, b)
            q = Quantity(KMH, float(m.group(1)), at, at + len(m.group(1)))
            if meaning == "speed_limit" and 10 <= q.value <= 130 and not any(o.start == q.start for o in limits):
                limits.insert(0, q)
            elif meaning == "speed_retained" and 5 <= q.value <= 400 and not any(o.start == q.start for o in retained):
                retained.insert(0, q)
        measured = [q for q in measured if not any(o.start == q.start for o in limits)]
        chosen = retained[0] if retained else (measured[0] if measured else None)
        if chosen:
            score = 3 if _on_short_line(v, chosen.start) else 2
            speed_c.append(Candidate(int(chosen.value), score, v, chosen.start, chosen.end))
        if limits:
            score = 3 if _on_short_line(v, limits[0].start) else 2
            limit_c.append(Candidate(int(limits[0].value), score, v, limits[0].start, limits[0].end))
    return speed_c, limit_c


ITT_CUE = re.compile(r"\bi\.?\s?t\.?\s?t\.?(?![a-z])|incapacite totale (?:de travail|temporaire)|incapacite temporaire totale|"
                     r"incapacite totale personnelle")
ITT_THRESHOLD = re.compile(r"(?:n'excedant pas|excedant|superieure? a|inferieure? (?:ou egale )?a|plus de|moins de|"
                           r"au moins|jusqu'a|au-dela de|pendant plus de|egale? ou inferieure? a|depassant|"
                           r"n'ayant pas excede|d'une duree (?:superieure|inferieure) a)\s*$")


ITT_DRIVER = re.compile(r"\b(?:conducteur|conductrice|automobiliste|mis en cause|prevenue?|l'interessee?|lui-meme|"
                        r"elle-meme|auteur)\b")
ITT_VICTIM = re.compile(r"\b(?:pieton\w*|victimes?|cycliste|passag\w*|passant\w*|motard|enfant|blesse\w*|percute\w*|"
                        r"renverse\w*|tiers)\b")


# the driver is the one examined (« le mis en cause se voit délivrer une ITT de 4 jours », « l'ITT du conducteur »)
DRIVER_OWN_ITT = re.compile(r"\b(?:conducteur|conductrice|mis en cause|prevenue?|automobiliste|auteur)\b[^.;]{0,50}\b"
                            r"(?:se voit|s'est vu|s'etant vu|presente|beneficie|souffr\w*|blesse\w*|lui (?:est|a ete)|"
                            r"examine\w*)|\b(?:itt|incapacite)[^.;]{0,30}\b(?:du|de la|de l') ?(?:conducteur|conductrice|"
                            r"mis en cause|prevenue?|automobiliste)\b")


def _itt_holder(sent: str, rel: int) -> str | None:
    """Whose ITT the days at sent[rel] are: the nearest person named before them in their clause."""
    head = sent[max(0, rel - 60):rel].split(";")[-1]
    hits = [(m.end(), "driver") for m in ITT_DRIVER.finditer(head)] + \
        [(m.end(), "victim") for m in ITT_VICTIM.finditer(head)]
    return max(hits)[1] if hits else None


def victim_itt(views: list[PageView]) -> list[Candidate]:
    cands = []
    for v in _case_pages(views):
        spans: list[tuple[int, int]] = []
        for s, e in _sentences_cached(v):  # « … 4 jours d'ITT ; la piétonne, 9 jours »: one statement of two people
            if spans and v.f[spans[-1][0]:spans[-1][1]].rstrip().endswith(";"):
                spans[-1] = (spans[-1][0], e)
            else:
                spans.append((s, e))
        for s, e in spans:
            sent = _flat(v.f[s:e])
            cues = list(ITT_CUE.finditer(sent))
            if not cues or PRIOR_CONTEXT.search(sent):
                continue
            found = None
            for q in v.quantities:
                if q.kind != DAYS or not s <= q.start < e:
                    continue
                rel = q.start - s
                if not any(-90 <= rel - c.end() <= 70 or -60 <= c.start() - (q.end - s) <= 40 for c in cues):
                    continue
                before = sent[max(0, rel - 40):rel]
                if ITT_THRESHOLD.search(before):
                    continue
                if found is None:
                    found = q
                elif _itt_holder(sent, found.start - s) == "driver" and _itt_holder(sent, rel) == "victim":
                    found = q  # « le conducteur s'est vu délivrer 4 jours d'ITT ; la piétonne, 9 jours »
                    break
            # « Le conducteur mis en cause, blessé au poignet, s'est vu reconnaître une ITT »: « blessé » said of
            # the driver names no victim
            said_of_driver = re.sub(r"((?:conducteur|conductrice|mis en cause|mise en cause|prevenue?|automobiliste)"
                                    r"[^.;]{0,30}?,\s*)(blesse\w*)", lambda x: x.group(1) + " " * len(x.group(2)), sent)
            if found is not None and _itt_holder(said_of_driver, found.start - s) != "victim" and \
                    not ITT_VICTIM.search(said_of_driver) and DRIVER_OWN_ITT.search(sent):
                continue  # the driver's own ITT (« le mis en cause se voit délivrer une ITT de 4 jours »)
            if found is None:
                for m in re.finditer(r"(\d{1,3}|[a-z-]+)\s+mois\b", sent):
                    months = int(m.group(1)) if m.group(1).isdigit() else words_value(m.group(1))
                    if months and any(abs(m.start() - c.end()) < 40 for c in cues) and \
                            not ITT_THRESHOLD.search(sent[max(0, m.start() - 40):m.start()]):
                        cands.append(Candidate(months * 30, 2, v, s + m.start(), s + m.end()))
                        break
                for c in cues:
                    if re.match(r"[^.;\n]{0,25}?(?::|de)?\s*(?:neant|nulle?|aucune|0\b|zero)", sent[c.end():c.end() + 35]) or \
                            re.search(r"(?:sans|pas d'|aucune|absence d')\s*$", sent[max(0, c.start() - 12):c.start()]):
                        cands.append(Candidate(0, 2, v, s + c.start(), s + c.end()))
                        break
                continue
            cands.append(Candidate(int(found.value), 3 if _on_short_line(v, found.start) else 2, v, found.start,
                                   found.end))
    return cands


# --- dates ----------------------------------------------------------------------------------------------------
EVENT = re.compile(r"controle|circul|conduis|conduite|\bconduit\b|volant|interpell|accident|\bfaits\b|infraction|constat|"
                   r"intercept|commis|prevenu d'avoir|constatons|circulant|surveillance|en service|"
                   r"flash|depistage|patrouille|ethylo|heurt|percut|collision|interven|appele|signal|roul|"
                   r"etablissant un taux|\btaux (?:de |d'alcool\w* de )?\d")
PROCEDURAL = re.compile(r"entend\w*|audition|declare|notifi\w*|garde a vue|convoqu\w*|transmis|examen|certifi\w*|"
                        r"redig\w*|cloture|delivr\w*|edite|imprim\w*|etabli le|\bsigne\b|verification periodique|"
                        r"verifie le|etalonn\w*|homolog\w*|audience|jugement|arret|decision|ordonnance|definiti\w*|"
                        r"(?<!air )expir\w*|valable|depuis le|jusqu'au|a compter du|obtenu|condamn\w*|requisition|prononc\w*|"
                        r"consultation|releve|interrog\w*|fin de|reception|recu|\bclos\b")
DEVICE_DATE_BEFORE = re.compile(r"\bperiod(?:ique|iq|\.)?\.?\s*:?\s*(?:du|le)?\s*$|"
                                r"(?:controle|verification|visite) periodique\s*:?\s*(?:du|le)?\s*$|"
                                r"derniere (?:verification|verif\.?|visite|revision|maintenance)\s*:?\s*(?:du|le)?\s*$|"
                                r"(?:etalonnage|prochaine? (?:verification|visite|controle))\s*:?\s*(?:du|le)?\s*$")
DATE_EXCLUDED_BEFORE = re.compile(r"\b(?:ne|nee|ne\(e\)|naissance|en date du|arret du|jugement du|du jugement|audience du|"
                                  r"depuis le|jusqu'au|a compter du|notifie\w* le|delivre\w* le|verifi\w* le|"
                                  r"verification\s*(?:periodique)?\s*:?|edite le|imprime le|obtenu le|valable|"
                                  r"(?<!air )expir\w*|definiti\w*|condamn\w* le|par \w+ du|decision du|ordonnance du|"
                                  r"convoqu\w* (?:pour )?le|audition|le present|metrolog\w*(?: du)?|"
                                  r"verification periodique|verif\w*\.?(?: periodique)?\s*:?|etalonn\w*(?: du| le)?|"
                                  r"derniere infraction|derniere|"
                                  r"precedente)[^\d]{0,12}$")
CASE_LAW_BEFORE = re.compile(r"\b(?:cass|crim|civ|ch\.?\s?crim|cour de cassation|chambre criminelle|c\.?\s?cass|"
                             r"cons\.?\s?const|cedh)\b\.?\s*,?\s*(?:crim\.?\s*,?\s*)?(?:\d+e?\s*)?$|"
                             r"\b(?:ce|ca\s+[a-z-]+)\s*,\s*(?:sect\.?\s*,?\s*)?$")
CASE_LAW_AFTER = re.compile(r"\s*,?\s*(?:pourvoi|n\s*°|no\.?\s*\d|bull\.?|publie|inedit|\d{2}-\d{2}\.\d{3})")
TICKET = re.compile(r"ethylometre|alcotest|drager|draeger|dr[aä]ger|intoxilyzer|seres|lion alcolmeter")
FACTS_CUE = re.compile(r"\bfaits (?:(?:ayant ete|ont ete|avaient ete|etant|ayant|se sont|s'etant|sont) )?(?:commis |survenus |"
                       r"constates |reproches |deroules |releves )?(?:le|du|en date du)\s*$|"
                       r"\b(?:infraction|delit|conduite)\b[^.;]{0,80}\bcommise?s? (?:le|du)\s*$|"
                       r"\b(?:pour avoir|prevenue? d'avoir|d'avoir)\s*,?\s*(?:le|du)?\s*$")
# a count over a whole checkpoint or operation (« sur les 312 conducteurs contrôlés », « bilan de l'opération du … : 540
# automobilistes contrôlés »): a statistic, not one driver's facts
STATISTIC = re.compile(r"\b(?:\d{2,}|[a-z]+-?(?:cents?|mille))\s+(?:conducteurs|automobilistes|vehicules|usagers|"
                       r"personnes|depistages|controles|delits|infractions)\b|\bsur les \d{2,}\b|"
                       r"\bbilan (?:de l'operation|de la (?:soiree|journee|nuit|semaine|campagne|matinee)|des controles)\b|"
                       r"(?<!les )(?<!ses )(?<!leurs )\b(?:\d{2,}|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt)\s+"
                       r"(?:depistages|tests|conducteurs|automobilistes)\b[^.;]{0,40}\b(?:positifs|negatifs|controles|"
                       r"verbalises)")
# the day of a later step of the procedure, told with it: a blood sample, a hospital examination, an FVA query
LATER_STEP = re.compile(r"prise de sang|prelevement\w*|prelev\w*|\banalyse\w*|hospitali\w*|\bfva\b|"
                        r"fichier (?:national )?des vehicules|consult\w*|interrog\w*")
# an earlier procedure of the same person (« déjà connu pour des faits du … », « lors du précédent contrôle du … »)
EARLIER_CASE = re.compile(r"\bdeja\b|precedent\w*|anterieur\w*|auparavant")
TIME_AFTER = re.compile(r"^\s*,?\s*(?:a|vers|aux environs de|peu avant|peu apres|environ)?\s*(?:\d{1,2}\s*(?:h|heures?|:)"
                        r"|[a-z-]+\s+heures?)")


LICENCE_RECORD_PAGE = re.compile(r"releve (?:d'information )?integral|fichier national des permis|situation du permis|"
                                 r"\bsnpc\b|\bfnpc\b|historique des points")


def facts_date(views: list[PageView]) -> list[Candidate]:
    cands = []
    for v in _case_pages(views):
        for meaning, value, a, b in _fields(v):
            if meaning == "facts_date":
                ds = find_dates(value)
                label = v.f[a:b].split(":")[0] if ":" in v.f[a:b] else ""
                # the words just before the date in the value count too (« Faits du … Relevé : permis délivré le … »)
                if ds and not re.search(r"naissance|verif|impression|edition|delivr|metrolog|periodique|etalonn|"
                                        r"homologation|validite|prochain|derniere|revision|maintenance|obten",
                                        label + " " + value[max(0, ds[0].start - 30):ds[0].start]):
                    cands.append(Candidate(ds[0].value.isoformat(), 3 if "date" != label.strip() else 2, v, a, b))
        if TICKET.search(v.f[:300]) and any(q.kind == AIR for q in v.quantities):
            # an éthylomètre ticket's own « DATE 03.02.2026 » line is the day of the measure
            m = re.search(r"(?m)^\s*date(?: du test| de la mesure| de mesure)?\s*[:.]?\s*(?=\d)", v.f)
            got = find_dates(v.f[m.end():m.end() + 12]) if m else []
            if m and got and got[0].start == 0:
                cands.append(Candidate(got[0].value.isoformat(), 1, v, m.start(), m.end() + got[0].end))
        page_dates = find_dates(v.f)
        for d in page_dates:  # « à la date du 25/04/2026 (date des faits) »: the date named as the facts' own
            if re.match(r"\s*\(\s*(?:date des faits|jour des faits|faits)\s*\)", v.f[d.end:d.end + 25]):
                cands.append(Candidate(d.value.isoformat(), 3, v, d.start, d.end + 18))
        for d in page_dates:
            before = v.f[max(0, d.start - 30):d.start]
            if CASE_LAW_BEFORE.search(before) or CASE_LAW_AFTER.match(v.f, d.end):
                continue  # a decision quoted as case law (« Cass. crim., 3 mars 2020, n° 19-84.213 »)
            if DATE_EXCLUDED_BEFORE.search(before) or DEVICE_DATE_BEFORE.search(before) or \
                    re.search(r"(?:obtention|delivrance|delivre\w*|obtenu\w*|validite|expiration|"
                              r"naissance)[^\d.;]{0,30}$", before):
                continue  # a licence's or a document's own date (« Date d'obtention du permis B : 14/05/2010 »)
            if re.search(r"(?:resili\w*|a pris fin|prend fin|termine\w*|echu\w*|echeance)\s*(?:le|au|a compter du|depuis le|"
                         r"en date du|:)?\s*$", v.f[max(0, d.start - 40):d.start]):
                continue  # a contract's end (« le contrat d'assurance a été résilié le 14/01/2026 ») is not the facts'
            s, e = _sentence_at(v, d.start)
            sent = _flat(v.f[s:e])
            window = v.f[max(0, d.start - 110):d.end + 160]
            # the words after the previous date belong to this one (« depuis le 4 juillet 2022, est contrôlé le … »)
            after_prev = max([o.end for o in page_dates if o.end <= d.start] or [0])
            clause = re.split(r"[;(]|\bque\b|\bqu'", v.f[max(s, d.start - 45, after_prev):d.start])[-1]
            score = 0
            if TIME_AFTER.search(v.f[d.end:d.end + 30]):
                score += 1
            if v.f.startswith("l'an", d.start):  # the opening formula of a procès-verbal dates its findings
                score += 1
            if FACTS_CUE.search(v.f[max(0, d.start - 40):d.start]):
                score += 2  # « faits commis le … », « pour avoir, le …, conduit », « prévenu d'avoir le … »
            elif re.search(r"(?:mg/l|g/l|km/h|air expire)\s*,?\s*le\s*$", before) and EVENT.search(window):
                score += 2  # « … établissant un taux de 0,66 mg/l le 29 juin 2026 »: the day of the measure
            if EVENT.search(window):
                score += 1
            if PROCEDURAL.search(clause):
                score -= 2
            if PROCEDURAL.search(re.split(r"[;.]", v.f[d.end:d.end + 40])[0]):
                score -= 1
            if PRIOR_CONTEXT.search(sent) or HYPOTHESIS.search(sent):
                score -= 2
            if LICENCE_RECORD_PAGE.search(v.f[:300]) and not FACTS_CUE.search(v.f[max(0, d.start - 40):d.start]):
                score -= 2  # a licence record's history (« retrait 6 pts, infraction du 28/11/2020 »)
            if STATISTIC.search(sent):
                score -= 3
            if LATER_STEP.search(clause) and not FACTS_CUE.search(v.f[max(0, d.start - 40):d.start]):
                score -= 2
            if EARLIER_CASE.search(clause):
                score -= 2
            elif re.search(r"\bnouveaux faits\b|\bnouvelle infraction\b", clause):
                score += 1  # the case's facts told against an earlier procedure
            if score >= 1:
                cands.append(Candidate(d.value.isoformat(), score, v, d.start, d.end, d.repaired,
                                       "date lue par OCR et corrigée (un 0 lu 6, 8 ou 9)" if d.repaired else None))
    if not cands:
        return []
    top = max(c.score for c in cands)
    strong = [c for c in cands if c.score == top]
    earliest = min(c.value for c in strong)
    # pieces written later (auditions, notifications) repeat the facts date: the earliest strong one is the event
    return [c for c in cands if c.score < top or c.value == earliest]


BIRTH_BEFORE = re.compile(r"(?:\bne|\bnee|ne\(e\)|date de naissance|naissance|\bdob|\bne\s*/\s*e)\s*(?:le)?\s*:?\s*$")


def minor(views: list[PageView], facts_day: date | None) -> list[Candidate]:
    cands = []
    for v in views:
        for d in find_dates(v.f):
            if BIRTH_BEFORE.search(v.f[max(0, d.start - 25):d.start]) and facts_day and \
                    not OTHER_PERSON.search(v.f[max(0, d.start - 50):d.start]):
                if d.value >= facts_day:
                    continue
                age = facts_day.year - d.value.year - ((facts_day.month, facts_day.day) < (d.value.month, d.value.day))
                cands.append(Candidate(age < 18, 2, v, max(0, d.start - 8), d.end))
                break
    for v in _case_pages(views):
        for m in AGE.finditer(v.f):
            raw = next(g for g in m.groups() if g)
            age = int(raw) if raw.isdigit() else words_value(raw)
            if not age or age > 110 or OTHER_PERSON.search(v.f[max(0, m.start() - 40):m.start()]):
                continue
            cands.append(Candidate(age < 18, 3 if m.group(0).startswith("j'ai") else 2, v, m.start(), m.end()))
            break
        for m in re.finditer(r"\b(mineur|majeur)e?s?\b", v.f):
            before = v.f[max(0, m.start() - 40):m.start()]
            if OTHER_PERSON.search(before) or re.search(r"(?:des|aux|pour)\s+$", before) or \
                    re.match(r"\s*(?:non accompagne|de moins de)", v.f[m.end():m.end() + 20]):
                continue
            cands.append(Candidate(m.group(1) == "mineur", 3, v, m.start(), m.end()))
            break
    return cands


AGE = re.compile(rf"\bagee?s? (?:aujourd'hui )?de (\d{{1,2}}|{WORDS_NUMBER}) ans|\((\d{{1,2}}) ans\)|"
                 rf"\b(?:conducteur|conductrice|automobiliste|prevenue?|mis en cause|homme|femme|jeune homme|"
                 rf"jeune femme|motard|chauffeur|individu|interessee?|l'homme|pilote|motocycliste)\s*,?\s*(?:de|age de)\s+"
                 rf"(\d{{1,2}}|{WORDS_NUMBER}) ans|\bj'ai (\d{{1,2}}|{WORDS_NUMBER}) ans|"
                 rf"\b(?:il|elle) a (\d{{1,2}}|{WORDS_NUMBER}) ans|"
                 rf"(?:^|\n|\s[-|;]\s*)\W*age\s*:\s*(\d{{1,2}}) ans|"  # a fiche's « Âge : 24 ans »
                 rf"\b(?:m\.|mme|mlle|monsieur|madame) [a-z'-]{{2,}}(?: [a-z'-]{{2,}}){{0,2}}\s*,\s*(\d{{1,2}}) ans\b")
OTHER_PERSON = re.compile(r"passag\w*|victime|enfant|pieton\w*|temoin|\bfils\b|\bfille\b|frere|soeur|"
                          r"compagne|compagnon|cycliste|\bmere\b|\bpere\b|brigade|parquet|protection|juge|"
                          r"\bepoux\b|lui-meme|elle-meme")


# --- prior convictions and recidivism ------------------------------------------------------------------------
OFFENCE_CODE = re.compile(r"(?:art(?:icle)?s?\.?\s*)?\b((?:l|r)\s?\.?\s?\d{3,4}-\d+(?:-\d+)?|\d{3}-\d+(?:-\d+)?)",
                          re.IGNORECASE)
OFFENCE_WORDS: list[tuple[str, re.Pattern]] = [
    ("L223-5", re.compile(r"invalidation|solde (?:de points )?nul|48 ?si")),
    ("L224-16", re.compile(r"malgre (?:la |une )?(?:suspension|annulation|retention|interdiction)")),
    ("L3421-1 CSP", re.compile(r"^(?!.*(?:condui|volant)).*usage (?:illicite )?de (?:stupefiants|cannabis)")),
    ("L235-1", re.compile(r"stupefiant|cannab|cocai|usage de (?:substances|produits)")),
    ("L234-8", re.compile(r"refus de se soumettre|refus de (?:verification|souffler)")),
    ("L234-1", re.compile(r"etat alcoolique|ivresse|alcool|\bcea\b|\bceea\b")),
    ("L233-1", re.compile(r"obtemper")),
    ("L221-2", re.compile(r"sans permis|defaut de permis|non titulaire|sans etre titulaire")),
    ("221-6-1 CP", re.compile(r"homicide involontaire")),
    ("222-19-1 CP", re.compile(r"blessures involontaires[^|\n]{0,60}(?:superieure? a|plus de) (?:trois|3) mois")),
    ("222-20-1 CP", re.compile(r"blessures involontaires")),
    ("L413-1", re.compile(r"exces de vitesse")),
    ("434-10 CP", re.compile(r"delit de fuite")),
    ("L324-2", re.compile(r"defaut d'assurance|sans assurance")),
    ("311-3", re.compile(r"\bvol\b")),
    ("222-13", re.compile(r"violences?")),
]

def offence_code(folded: str) -> str | None:
    """The article code of an offence told in words (folded text: lower case, no accents), or None."""
    return next((code for code, pattern in OFFENCE_WORDS if pattern.search(folded)), None)


EMPTY_RECORD = re.compile(r"\bneant\b|aucune (?:condamnation|inscription|mention)(?! (?:anterieure )?(?:pour des faits|"
                          r"de nature|susceptible|"
                          r"de meme|similaire|"
                          r"identique|pour une infraction))|antecedents? judiciaires?\s*:\s*(?:aucun|neant|neant)\b|"
                          r"ne porte (?:la )?mention d'aucune|n'(?:a|ayant|avait) jamais ete condamne|"
                          r"\bjamais condamne|vierge de toute|"
                          r"\bn'(?:a|avait|ayant) (?:pas|aucun) (?:d')?antecedents?(?: judiciaires?)?\b(?! medica)|"
                          r"casier[^.;]{0,40}\b(?:est|etait|demeure|reste) (?:vierge|"
                          r"neant)\b|(?:absence|sans|aucun) (?:de tout |d')?antecedents? judiciaires?|"
                          r"(?:casier|b1|bulletin)\s*(?:judiciaire\s*)?(?:n\s*°\s*1\s*)?(?:est |:)?\s*(?:vierge|neant)|"
                          r"inconnu (?:au|du) (?:casier|stic|fichier)|ne porte (?:aucune|trace d'aucune)|"
                          r"pas de condamnation|jamais condamne|ne comporte aucune|aucune mention n'(?:y )?est portee|"
                          r"casier (?:judiciaire )?vierge|sans antecedent judiciaire")
ENTRY_SPLIT = re.compile(r"(?:condamnation|decision|mention|inscription)\s*n\s*[°o]?\s*\d+|\bcond\.?\s*\d+\b|"
                         r"(?:^|\n)\s*[-•*]\s+(?=le \d|\d)|(?:^|\n)\s*(?:condamne\w*|composition penale|ordonnance penale|"
                         r"crpc)\b[^\n]{0,40}?\d|"
                         r"(?:^|\n)\s*\d{1,2}\s+(?=\d{1,2}[/.]\d{1,2}[/.]\d{2,4})|"
                         r"(?:^|\n)\s*(?:n\s*°\s*)?\d{1,2}\s*[).\-–:/|]\s+"
                         r"(?=\D)|(?:^|\n)\s*#\s*\d+")
COURT = re.compile(r"((?:tribunal (?:correctionnel|judiciaire|de police|pour enfants|de grande instance)|"
                   r"cour d'appel|\btgi\b|\btc\b|\btj\b|juge des enfants|procureur de la republique|"
                   r"president du tribunal (?:judiciaire|correctionnel))(?:\s+(?:de|d'|du))?\s*[a-z' -]{2,40}?)"
                   r"(?=\s+-\s|\s*[,;:\n()|—–]|\s*\d|\s+(?:nature|peine|pour|infraction|date|le|du|en date|a|l'a|l'avait|qui|"
                   r"statuant|avait|ayant|l'ayant|le condamnant|l'a condamne|sous|dans|selon|en|conduite|defaut|refus|"
                   r"blessures|homicide|exces|delit|usage|vol|violences?|outrage|rebellion)\b|\s*\.?\s*$)")
RECORD_HEADER = re.compile(r"requerant|demandeur|demande n|delivre|emanant|edite|imprime|destinataire|parquet d")
FINAL_CUE = re.compile(r"definiti\w*|\bdef\.(?=\s*(?:le\s*)?:?\s*(?:\d|$))|caractere definitif|devenue? executoire|executoire")


def _block_entry(v: PageView, a: int, b: int) -> tuple[dict, int, int] | None:
    """A B1 entry read by OCR as a block of labels then a block of values (« Date / Juridiction / Infraction /
    Définitive » then « 12/03/2021 / TC de Lyon / … / 20/04/2021 »): each value goes with the label of its rank."""
    lines = [x.strip() for x in v.f[a:b].split("\n")]
    raw = [x.strip() for x in v.text[a:b].split("\n")]
    for i in range(len(lines)):
        k = 0
        while i + k < len(lines) and re.fullmatch(r"(?:date(?: de la decision)?|juridiction|infraction|nature[^\d]{0,25}|"
                                                  r"peines?|definitive|caractere definitif|date definitive)", lines[i + k]):
            k += 1
        values = lines[i + k:i + 2 * k]
        if k >= 3 and len(values) == k and any(FINAL_CUE.search(x) for x in lines[i:i + k]):
            got: dict[str, str] = {}
            for n, label in enumerate(lines[i:i + k]):
                got["final" if FINAL_CUE.search(label) else label.split()[0]] = raw[i + k + n]
            day = find_dates(fold_for_numbers(got.get("date", "")))
            final = find_dates(fold_for_numbers(got.get("final", "")))
            offence = got.get("infraction") or got.get("nature")
            code = offence_code(fold_for_numbers(offence)) if offence else None
            return {"date": day[0].value.isoformat() if day else None, "court": got.get("juridiction"),
                    "offence": code or offence, "penalty": got.get("peine") or got.get("peines"),
                    "final_date": final[0].value.isoformat() if final else None}, a, b
    return None


def _prior_entry(v: PageView, a: int, b: int) -> tuple[dict, int, int] | None:
    text = v.f[a:b]
    dates = find_dates(text)
    if not dates:
        return None
    block = _block_entry(v, a, b)
    if block:
        return block
    # « définitivement condamné le … » dates the judgment; « devenu définitif le … » dates its finality
    final = next((d for d in dates if FINAL_CUE.search(re.sub(r"definitivement condamne\w*|condamne\w* definitivement", "",
                                                              text[max(0, d.start - 70):d.start]))), None)
    if final is None and FINAL_CUE.search(v.f[:a]):  # a table whose header names the « Définitive » column
        later = [d for d in dates[1:] if not re.search(r"faits du|expir|fin de peine",
                                                        text[max(0, d.start - 25):d.start])]
        final = later[0] if later else None
    if final is None and text.count("|") >= 4 and len(dates) >= 2 and \
            not re.search(r"[^|]*[a-z]{3}[^|]*\|?\s*$", text[dates[-1].end:].strip()):
        final = dates[-1]  # a B1 row flattened with pipes, header lost: the last cell's date is the definitive one
    judged = next((d for d in dates if d is not final and not re.search(r"expir|fin de peine|\bnee? le|faits du",
                                                                         text[max(0, d.start - 40):d.start])), None)
    court = COURT.search(text)
    # the articles of the penal code on recidivism (132-8 to 132-16-7) name no offence (« délit assimilé au sens de
    # l'article 132-16-2 »)
    code_m = next((c for c in OFFENCE_CODE.finditer(text) if not re.match(r"132-", c.group(1))), None)
    code = None
    if code_m:
        raw = re.sub(r"[\s.]", "", code_m.group(1)).upper()
        code = raw if raw[0] in "LR" else raw
    else:
        code = offence_code(_flat(text))
    if code is None:
        cells = [c.strip() for c in re.split(r"\||\s-\s", v.text[a:b]) if c.strip()]
        words = [c for c in cells if re.search(r"[a-zA-Zà-ÿ]{4}", c) and not find_dates(fold_for_numbers(c)) and
                 not COURT.search(fold_for_numbers(c)) and not re.search(r"euros?|€|mois|amende|emprisonnement", c)]
        code = words[0] if words else None
    pen = re.search(r"(?:peine(?: prononcee)?|condamne a|sanction)\s*:?\s*([^\n;]{3,120})", text)
    penalty = _title(v.text[a + pen.start(1):a + pen.end(1)]).strip(" .") if pen else _penalty_words(v, a, b)
    entry = {"date": judged.value.isoformat() if judged else None,
             "court": _title(v.text[a + court.start(1):a + court.end(1)]) if court else None,
             "offence": code, "penalty": penalty,
             "final_date": final.value.isoformat() if final else None}
    words = _offence_words(v, a, b)
    clean = re.sub(r"\s*\((?:art\.?\s*)?[LlRr]?\.?\s?\d[^)]{0,20}\)", "", words or "")
    if words and words.lower() != str(code or "").lower() and len(clean) <= 110 and \
            not re.search(r"\d|\b(?:mois|ans|euros?|amende|emprisonnement|sursis)\b|€", fold_for_numbers(clean)):
        entry["offence_text"] = words
    kind = re.search(r"composition penale|ordonnance penale|\bcrpc\b|reconnaissance prealable", text)
    if kind:
        entry["decision"] = {"crpc": "CRPC", "reconnaissance prealable": "CRPC"}.get(kind.group(0), v.text[a + kind.start():
                                                                                                        a + kind.end()].lower())
    return entry, a, b


def _title(s: str) -> str:
    """A court or a penalty as the page writes it, on one line, first letter in capital (« Tribunal correctionnel
    de Mâcon »)."""
    s = " ".join(s.split())
    return s[:1].upper() + s[1:]


def _words(s: str) -> str:
    return " ".join(s.split())


OFFENCE_INTRO = re.compile(r"(?:\bpour(?: des faits de)?|du chef d[e']|\bchefs? de|\binfractions?\s*:|"
                           r"\bnature(?: de l'infraction)?\s*:|"
                           r"\bqualification\s*:)\s*")
OFFENCE_END = re.compile(r"\s*(?:[,;|(\n—–]|\s-\s|\.(?:\s|$)|\s(?:jugement|devenu|definiti\w*|a (?:une|un|la peine|\d)|"
                         r"a [a-z-]+ (?:mois|ans?|jours|euros)|le \d|faits du|commis|par (?:le|la|jugement|arret)|"
                         r"en (?:date|etat)|devant)\b|$)")


def _offence_words(v: PageView, a: int, b: int) -> str | None:
    """The offence as the entry words it (« conduite d'un véhicule sous l'empire d'un état alcoolique »), kept with
    its code: after « pour », « du chef de », « Infraction : », or the table cell whose words name an offence."""
    text = v.f[a:b]
    for m in OFFENCE_INTRO.finditer(text):
        end = OFFENCE_END.search(text, m.end() + 4)
        stop = end.start() if end else len(text)
        words = text[m.end():stop].strip(" .:")
        if 5 <= len(words) <= 140 and offence_code(words):
            return _words(v.text[a + m.end():a + m.end() + len(text[m.end():stop].rstrip(" .:"))]).rstrip(" .:")
    for cell in re.finditer(r"[^|\n—–]+", text):
        words = cell.group(0)
        for part in re.split(r"\s-\s", words):
            if offence_code(part) and not COURT.search(part) and not re.search(r"euros?|€|\bmois\b|amende|emprisonnement",
                                                                              part):
                at = a + cell.start() + words.find(part)
                return _words(re.sub(r"\s*\((?:art\.?\s*)?[lr]?\.?\s?\d[\d\s.-]*(?:c\.?r\.?|c\.?p\.?)?\)\s*$", "",
                                     v.text[at:at + len(part)], flags=re.IGNORECASE)).strip(" .:")
    return None


PENALTY_START = re.compile(rf"(?:\b(?:\d[\d ]*|{WORDS_NUMBER})\s+(?:mois|ans?|jours?-amendes?|jours)\b|"
                           rf"\b(?:\d[\d .]*|{WORDS_NUMBER})\s*(?:euros?|€)|\bstage de sensibilisation|"
                           r"travail d'interet general|\bamende de\b|\bemprisonnement\b|\bsuspension du permis|"
                           r"\bannulation du permis|\bdispense de peine)")
PENALTY_END = re.compile(r"\s*(?:[;|\n—–]|\s-\s|\.(?:\s|$)|,?\s(?:pour|jugement|devenu|definiti\w*|par (?:le|la)|"
                         r"le \d|du chef)\b|$)")


def _penalty_words(v: PageView, a: int, b: int) -> str | None:
    """The penalty as the entry words it (« quatre mois d'emprisonnement avec sursis », « 300 € d'amende »)."""
    text = v.f[a:b]
    m = PENALTY_START.search(text)
    if not m:
        return None
    end = PENALTY_END.search(text, m.end())
    stop = end.start() if end else len(text)
    words = v.text[a + m.start():a + stop].strip(" .,")
    return _words(words) if 4 <= len(words) <= 160 else None


def prior_convictions(views: list[PageView]) -> list[Candidate]:
    cands = []
    for v in views:
        if not v.is_record:
            continue
        body = v.f
        marks = [m.start() for m in ENTRY_SPLIT.finditer(body)]
        if not marks:
            m = EMPTY_RECORD.search(body)
            if m:
                cands.append(Candidate([], 3, v, m.start(), m.end()))
                continue
            # free layout: one entry per line (or block) that names a court and a date
            marks = [m.start() for m in re.finditer(r"(?:^|\n)[^\n]*(?:tribunal|cour d'appel|\btgi\b|\btc\b|\btj\b|"
                                                    r"procureur|composition penale)", body)
                     if find_dates(body[m.start():m.start() + 160]) and not RECORD_HEADER.search(
                         body[m.start():body.find("\n", m.start() + 1) if body.find("\n", m.start() + 1) > 0 else None])]
        if not marks and COURT.search(body) and find_dates(body):
            marks = [0]  # one entry told as a form (« DATE DE LA DÉCISION : … JURIDICTION : … »)
        if not marks:
            continue
        entries = []
        bounds = marks + [len(body)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            got = _prior_entry(v, a, b)
            if got:
                entries.append(got)
        if entries:
            cand = Candidate([e for e, _, _ in entries], 3, v, entries[0][1], entries[0][2])
            if any(d.repaired for _, a, b in entries for d in find_dates(v.f[a:b])):
                cand.uncertain = True
                cand.note = "dates du B1 lues par OCR et corrigées (un 0 lu 6, 8 ou 9)"
            cands.append(cand)
        elif EMPTY_RECORD.search(body):
            m = EMPTY_RECORD.search(body)
            cands.append(Candidate([], 3, v, m.start(), m.end()))
    if not cands:
        for v in views:  # a narrative that states an empty record (« aucune mention n'est portée à son casier »)
            for s, e in _sentences_cached(v):
                sent = _flat(v.f[s:e])
                m = EMPTY_RECORD.search(sent)
                if m and re.search(r"casier|b1|bulletin|antecedent|condamn", sent):
                    cands.append(Candidate([], 2, v, s + m.start(), s + m.end()))
                    break
    return cands


RECIDIVISM = re.compile(r"(?:en )?etat de recidive(?: legale)?|recidive legale|\ben recidive\b|circonstance (?:aggravante )?de "
                        r"(?:la )?recidive|premier terme (?:de |a |d'une )(?:la )?recidive|132-10 du code penal|132-16-2|"
                        r"(?:dispositions|regles) (?:relatives a|de) la recidive|\b(?:multi)?recidivistes?\b")
# any mention of recidivism, which a ruling-out may bear on (« la récidive ne sera pas retenue »)
RECIDIVISM_ANY = re.compile(r"\brecidiv\w*|premier terme")
# the court or the prosecution rules recidivism out, in the words of a reasoning (the negation and its predicate)
RECIDIVISM_RULED_OUT = re.compile(
    r"\b(?:ne|n')\s*(?:\w+\s+){0,3}?(?:pas|plus|jamais|aucunement|nullement)\b[^.;,]{0,60}?"
    r"(?:retenu\w*|retenir|appliqu\w*|caracteris\w*|constitu\w*|servir|oppos\w*|regarde\w*|considere\w*|"
    r"encouru\w*|fonde\w*|etabli\w*|en etat de recidive|recidivistes?|assimile\w*|vise\w*|releve\w*)|"
    r"\b(?:ne|n')\s*(?:retien\w*|retin\w*|appliqu\w*|vise\w*|releve\w*|caracteris\w*)\s+(?:pas|plus|point)\b|"
    r"\b(?:ne|n')\s*(?:peut|peuvent|saurait|sauraient|pourra|pourrait|pourront|doit|doivent)\s*,?\s*"
    r"(?:(?:plus|pas|donc|des lors|en consequence|davantage|dans ces conditions|en l'espece|en tout etat de cause)"
    r"\s*,?\s*)*(?:lui |leur |y )?(?:etre |pas )?(?:reproche\w*|impute\w*|"
    r"retenu\w*|servir|constituer|fonder|caracteris\w*|appliqu\w*|oppose\w*|regarde\w*|considere\w*|invoque\w*)|"
    r"n'y (?:avoir|a|aura) (?:pas )?lieu (?:a|de) (?:retenir|appliquer|relever|viser)|"
    r"\baucune? (?:condamnation|decision|mention|antecedent)[^.;,]{0,50}\b(?:premier terme|recidive)|"
    r"\binapplicab\w*|\becart\w*|\babandonn\w*|\bexclu\w*|\bhors (?:etat de |la )?recidive|"
    r"\bsans (?:la |cette |aucune )?circonstance (?:aggravante )?de (?:la )?recidive|aucune circonstance de recidive|"
    r"\bfaute (?:de|d'une|d'un) (?:condamnation|premier terme|decision)|non avenue?s?|\bpas (?:assimile|identique)|"
    r"(?:delai|periode) (?:legal |de cinq ans |de 5 ans )?[^.;]{0,50}?\b(?:expire|ecoule|depasse)\w*|"
    r"(?:executee?|purgee?|prescrite?) depuis plus de (?:cinq|5) ans|plus de (?:cinq|5) ans apres|"
    r"n'est pas definiti\w*|non definiti\w*|n'etait pas definiti\w*|n'(?:a|ayant) jamais ete signifie\w*")
# the set-aside told after the words (« l'état de récidive légale ne peut être retenu »)
RECIDIVISM_SET_ASIDE_AFTER = re.compile(r"^[^.;]{0,25}?\b(?:ne (?:peut|saurait|pourra|sera)|n'est pas|n'a pas ete|n'etait pas|"
                                        r"ne (?:se trouve|s'applique) pas|non) (?:pas )?(?:etre )?(?:retenue?|caracterisee?|"
                                        r"constituee?|applicable|etablie?|applique|encourue?|visee?|relevee?|"
                                        r"invoquee?|mentionnee?|requise?)|^[^.;]{0,25}?\b(?:est |sont )?"
                                        r"(?:inapplicables?|ecartee?s?|exclue?s?)")
# a possibility, not a qualification (« pourrait se trouver en état de récidive, ce qu'il conviendra de vérifier »)
RECIDIVISM_MODAL = re.compile(r"\b(?:pourrai\w*|pourraient|susceptibles? d|eventuel\w*|possible\w*|hypothese|"
                              r"(?:a|de) verifier|le cas echeant|semble\w*|probable\w*|serai\w*)\b")
RECIDIVISM_SET_ASIDE = re.compile(r"ecart\w*|hors|sans|n'est pas|n'etait pas|pas en|non caracteris|ne peut|ne saurait|"
                                  r"n'a pas ete retenu|abandonn\w*|ne retient pas|exclu\w*")


# a sentence after the one that names recidivism sets its first term aside (« toutefois, cette décision, frappée
# d'appel, n'était pas définitive … », « la circonstance aggravante sera écartée »)
RECIDIVISM_BACK_OUT = re.compile(r"n'(?:est|etait|etant) pas (?:encore )?(?:devenue? )?definiti\w*|non (?:encore )?definiti\w*|"
                                 r"frappee? d'appel|circonstance aggravante (?:\w+ ){0,2}?(?:sera|est|doit etre) ecartee|"
                                 r"(?:cette|la) circonstance (?:\w+ )?(?:sera|est|doit etre) (?:donc )?ecartee")


def stated_recidivism(views: list[PageView]) -> list[Candidate]:
    cands = []
    for v in _case_pages(views):
        named = False  # the previous sentences named recidivism
        for s, _e, sent in _statements(v):
            if named and not RECIDIVISM_ANY.search(sent) and (back := RECIDIVISM_BACK_OUT.search(sent)):
                cands.append(Candidate(False, 3, v, s + back.start(), s + back.end()))  # told after: it decides
                continue
            named = named or bool(RECIDIVISM_ANY.search(sent))
            m = RECIDIVISM.search(sent)
            out = RECIDIVISM_RULED_OUT.search(sent)
            any_m = RECIDIVISM_ANY.search(sent)
            first_offender = re.search(r"delinquant primaire|primo-?delinquant", sent)
            if first_offender and not any_m and not is_negated(sent, first_offender.start(), first_offender.end()):
                cands.append(Candidate(False, 2, v, s + first_offender.start(), s + first_offender.end()))
                continue
            if out and any_m and "?" not in sent and abs(out.start() - any_m.start()) < 220:
                # a ruling-out anywhere in the sentence that speaks of recidivism: the circumstance is not retained
                a, b = min(out.start(), any_m.start()), max(out.end(), any_m.end())
                cands.append(Candidate(False, 2, v, s + a, s + b))
                continue
            if not m:
                continue
            set_aside_after = bool(RECIDIVISM_SET_ASIDE_AFTER.search(sent[m.end():]))
            before = sent[max(0, m.start() - 60):m.start()]
            ruled_out = bool(re.search(r"\bne (?:peut|saurait|pourra|permet pas de) (?:\w+ ){0,2}?"
                                       r"(?:fonder|caracteriser|constituer|retenir|etablir)\b", before))
            law = re.match(r"\W*(?:article|art\.)\s*\d", sent) or re.search(r"\blorsqu'une? (?:personne|conducteur|prevenu)",
                                                                          sent)  # the code's own text
            if (law or HYPOTHESIS.search(sent[:m.start()][-60:]) or RECIDIVISM_MODAL.search(sent)) and \
                    not (set_aside_after or ruled_out):
                continue  # the law's words, or a possibility to check: not a qualification, unless ruled out
            negative = ruled_out or bool(RECIDIVISM_SET_ASIDE.search(before)) or is_negated(sent, m.start(), m.end()) or \
                set_aside_after or \
                bool(re.search(r"inapplicab\w*|ne (?:s'applique|s'appliquent) pas|pas applicables?", before))
            cands.append(Candidate(not negative, 2, v, s + m.start(), s + m.end()))
    return cands


def stated_priors(views: list[PageView]) -> list[Candidate]:
    """« pour avoir été condamné le … par le tribunal correctionnel de …, jugement devenu définitif le … »."""
    cands = []
    for v in _case_pages(views):
        for m in re.finditer(r"(?:pour avoir ete|ayant ete|avait ete|a (?:deja )?ete|\bdeja|precedemment|anterieurement)"
                             r" (?:deja |definitivement |ete )*condamne\w*|"
                             r"(?:a|avait|ayant) (?:deja |precedemment )?fait l'objet d'une? (?:composition penale|"
                             r"ordonnance penale|condamnation|crpc|comparution sur reconnaissance)|"
                             r"(?P<court_first>l'(?:a|avait|ayant) (?:deja|precedemment|anterieurement) condamne\w*)|"
                             # the record told in a narrative: « son casier judiciaire porte mention d'une condamnation
                             # prononcée le … par le tribunal correctionnel de … »
                             r"(?:porte|fait apparaitre|revele|mentionne) (?:la )?mention d'une (?:seule )?condamnation|"
                             r"casier[^.;]{0,40}\bune (?:seule )?condamnation (?:prononcee|rendue)|"
                             # « Son casier judiciaire mentionne une condamnation du 02/12/2019 du tribunal … », « porte
                             # trace de trois condamnations, dont la dernière prononcée le … par le tribunal … »
                             r"casier[^.;]{0,40}\b(?:mentionne|porte|fait apparaitre|revele) une (?:seule )?condamnation\b|"
                             r"\bdont la (?:derniere|plus recente)(?= prononcee? le)|"
                             r"(?:precedente|derniere|ancienne|anterieure) condamnation\b(?=[^.;]{0,80}\bprononcee? le)|"
                             # a record line of a note or report: « Antécédents : condamné le … par le TC de … »
                             r"(?:antecedents?(?: judiciaires?)?|casier(?: judiciaire)?|\bb\.?\s?1|bulletin n\s*°?\s*1)"
                             r"\s*[:—-]\s*(?:\w+ ){0,3}?condamne\w*", v.f):
            s, e = _sentence_at(v, m.start())
            if e < len(v.f) and re.match(r"\W*(?:cette (?:decision|condamnation)|ce jugement|cet arret|laquelle|lequel|"
                                         r"decision devenue|devenue?) (?:\w+ ){0,3}?definiti", v.f[e:e + 60]):
                e = _sentence_at(v, e + 1)[1]  # « … ; cette décision est devenue définitive le … »
            # « le tribunal correctionnel de Mâcon l'a déjà condamné le … »: the court is told before the verb
            got = _prior_entry(v, s if m.group("court_first") else m.start(), e)
            sent = _flat(v.f[s:e])
            after = _flat(v.f[e:_sentence_at(v, e)[1]]) if e < len(v.f) else ""  # « … ; que ces faits le placent en récidive »
            prior_cue = RECIDIVISM.search(sent) or re.search(r"deja|precedemment|anterieurement|auparavant|casier|antecedent|"
                                                             r"\bb1\b|bulletin|definitivement", sent) or \
                got and got[0]["final_date"] or RECIDIVISM.search(after)
            if got and got[0]["date"] and (got[0]["court"] or got[0]["final_date"]) and prior_cue:
                if not got[0]["offence"] and re.search(r"(?:faits|infractions?|delits?) (?:identiques|de meme nature)|"
                                                       r"memes faits|meme (?:delit|infraction)", v.f[m.start():e]):
                    # « … pour des faits identiques »: the offence of the charge told before the record clause
                    got[0]["offence"] = offence_code(_flat(v.f[s:m.start()]))
                cands.append(Candidate([got[0]], 2, v, m.start(), e))
    return cands


# --- the whole file ------------------------------------------------------------------------------------------

class _Reading:
    """One reading of a file: the pages, the facts found so far and the shared passes (drugs and speeds give two
    facts each), so that each fact is one small function below."""

    def __init__(self, views: list[PageView]) -> None:
        self.views = views
        self.facts: dict[str, Fact | None] = {k: None for k in FACT_KEYS}
        self._drugs: tuple[list[Candidate], list[Candidate], list[str]] | None = None
        self._speeds: tuple[list[Candidate], list[Candidate]] | None = None

    def drugs(self) -> tuple[list[Candidate], list[Candidate], list[str]]:
        if self._drugs is None:
            self._drugs = drugs(self.views)
        return self._drugs

    def speeds(self) -> tuple[list[Candidate], list[Candidate]]:
        if self._speeds is None:
            self._speeds = speeds(self.views)
        return self._speeds

    def facts_day(self) -> date | None:
        found = self.facts["facts_date"]
        return date.fromisoformat(found.value) if found else None


def _fact_drugs_positive(r: _Reading) -> Fact | None:
    pos, _subs, warnings = r.drugs()
    fact = resolve(pos)
    if warnings and fact:
        fact.note = warnings[0]
    return fact


def _fact_prior_convictions(r: _Reading) -> Fact | None:
    fact = resolve(prior_convictions(r.views))
    stated = stated_priors(r.views)
    if fact is None:
        return resolve(stated)
    # a judgment or a PV that quotes an entry of the B1 (same date) states the same record: cited after the B1
    days = {p.get("date") for p in fact.value}
    cited = {(s.cote, s.page) for s in fact.sources}
    for c in stated:
        if c.value and all(p.get("date") in days for p in c.value) and (c.view.cote, c.view.number) not in cited \
                and len(fact.sources) < 6:
            fact.sources.append(c.source())
            cited.add((c.view.cote, c.view.number))
    return fact


def _fact_legal_recidivism(r: _Reading) -> Fact | None:
    stated = resolve(stated_recidivism(r.views))
    priors = r.facts["prior_convictions"]
    if stated is None and priors is not None and priors.value == []:
        # an empty record rules recidivism out: stated as « non » with the record's words as source
        return Fact(False, list(priors.sources))
    return stated


# In this order: the facts date dates the licence's probation and the person's age; the record comes before the
# recidivism it may rule out.
FACT_RULES: list[tuple[str, Callable[[_Reading], Fact | None]]] = [
    ("alcohol_air_mg_l_readings", lambda r: resolve(air_readings(r.views))),
    ("alcohol_blood_g_l", lambda r: resolve(blood_alcohol(r.views))),
    ("alcohol_screening_negative", lambda r: resolve(screening_negative(r.views))),
    ("drugs_positive", _fact_drugs_positive),
    ("drugs_substances", lambda r: resolve(r.drugs()[1])),
    ("licence_status", lambda r: resolve(licence_status(r.views))),
    ("no_insurance", lambda r: resolve(insurance(r.views))),
    ("hit_and_run", lambda r: resolve(hit_and_run(r.views))),
    ("refusal_to_comply", lambda r: resolve(refusal_to_comply(r.views))),
    ("refusal_of_test", lambda r: resolve(refusal_of_test(r.views))),
    ("accident_material_damage", lambda r: resolve(material_damage(r.views))),
    ("speed_kmh", lambda r: resolve(r.speeds()[0])),
    ("speed_limit_kmh", lambda r: resolve(r.speeds()[1])),
    ("victim_itt_days", lambda r: resolve(victim_itt(r.views))),
    ("facts_date", lambda r: resolve(facts_date(r.views))),
    ("probationary_licence", lambda r: resolve(probationary(r.views, r.facts_day()))),
    ("minor", lambda r: resolve(minor(r.views, r.facts_day()))),
    ("prior_convictions", _fact_prior_convictions),
    ("legal_recidivism", _fact_legal_recidivism),
]


def extract(views: list[PageView]) -> dict[str, Fact | None]:
    """Every fact key -> Fact (value, sources, conflicts) or None when the file does not state it."""
    reading = _Reading(views)
    for key, rule in FACT_RULES:
        reading.facts[key] = rule(reading)
    return reading.facts
