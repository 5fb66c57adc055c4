"""Deterministic French extraction of road-traffic facts, each with its cote, page and quoted words."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.models import Page, SourceDocument
from core.text import MONTHS_FR, parse_decimal, strip_accents, words_to_int

EXTRACTOR_VERSION = "rules-fr-1.0"
FACT_KEYS = ["alcohol_air_mg_l_readings", "alcohol_blood_g_l", "drugs_positive", "drugs_substances", "licence_status",
             "probationary_licence", "no_insurance", "hit_and_run", "refusal_to_comply", "refusal_of_test",
             "speed_kmh", "speed_limit_kmh", "victim_itt_days", "accident_material_damage",
             "alcohol_screening_negative", "prior_convictions", "facts_date", "minor"]


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

    def to_dict(self) -> dict:
        return {"value": self.value, "sources": [s.to_dict() for s in self.sources]}


@dataclass
class PageView:
    """A page with its citation location and whitespace-folded text for matching."""

    doc: SourceDocument
    page: Page
    cote: str | None
    number: int
    flat: str


def page_views(docs: list[tuple[SourceDocument, list[Page]]]) -> list[PageView]:
    views = []
    for doc, pages in docs:
        for p in pages:
            cote = doc.cote or p.cote
            number = p.cote_page if (p.cote_page and p.cote == cote) else p.number
            views.append(PageView(doc, p, cote, number, " ".join(p.text.split())))
    return sorted(views, key=lambda v: (_cote_key(v.cote), v.number))


def _cote_key(cote: str | None) -> tuple[str, int]:
    return (cote[0], int(cote[1:])) if cote and cote[1:].isdigit() else ("Z", 0)


NUM = r"(\d+(?:[,.]\d+)?)"
MGL = r"(?:mg\s*/\s*[lI1]\b|milligrammes?\s+par\s+litre\s+d'air\s+expir[ée]e?)"
READING = re.compile(
    r"(?:mesure\s*n?°?\s*\d|\d\s*(?:ère|ere|re|ème|eme|e)\s+mesure|premi[èe]re\s+mesure|seconde\s+mesure|"
    r"deuxi[èe]me\s+mesure)\s*:\s*" + NUM + r"\s*" + MGL, re.IGNORECASE)
RETAINED = re.compile(r"taux\s+retenu\s*(?:est\s+de|:)\s*" + NUM + r"\s*" + MGL, re.IGNORECASE)
WORDS_MGL = re.compile(r"([a-zà-ÿ\- ]+?)\s+virgule\s+([a-zà-ÿ\- ]+?)\s+milligrammes?\s+par\s+litre", re.IGNORECASE)
BLOOD = re.compile(NUM + r"\s*g\s*/\s*[lL]\b(?:\s*de\s+sang)?")
ITT = re.compile(r"(?:ITT|incapacit[ée] totale de travail)[^:.]{0,40}:\s*(\d+)\s*jours?", re.IGNORECASE)
SPEED = re.compile(r"vitesse retenue de (\d+)\s*km/h pour une vitesse maximale autoris[ée]e de (\d+)\s*km/h",
                   re.IGNORECASE)
DATE = re.compile(r"(\d{1,2})(?:er)?\s*(?:([./])\s*(\d{1,2})\s*\2\s*(\d{4})|\s+([a-zéû]+)\s+(\d{4}))", re.IGNORECASE)
FACTS_AT = re.compile(r"\b[Ll]e\s+(\d{1,2}(?:er)?\s*(?:[./]\s*\d{1,2}\s*[./]\s*\d{4}|\s+[a-zéû]+\s+\d{4}))\s+à\s+\d{1,2}\s*h")
BIRTH = re.compile(r"n[ée]e?\s+le\s+(\d{1,2}(?:er)?\s*(?:[./]\s*\d{1,2}\s*[./]\s*\d{4}|\s+[a-zéû]+\s+\d{4}))",
                   re.IGNORECASE)


def parse_date(text: str) -> date | None:
    m = DATE.search(text)
    if not m:
        return None
    day = int(m.group(1))
    if m.group(2):
        month, year = int(m.group(3)), int(m.group(4))
    else:
        name = strip_accents(m.group(5).lower())
        months = [strip_accents(x) for x in MONTHS_FR]
        if name not in months:
            return None
        month, year = months.index(name) + 1, int(m.group(6))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _quote(flat: str, m: re.Match, pad: int = 0) -> str:
    return flat[max(0, m.start() - pad):m.end() + pad].strip()


def _src(v: PageView, quote: str) -> Source:
    return Source(v.cote, v.number, quote, v.doc.id, v.page.number)


def _first(views: list[PageView], pattern: re.Pattern, key=lambda m: True):
    for v in views:
        for m in pattern.finditer(v.flat):
            if key(m):
                return v, m
    return None, None


def _words_reading(text: str) -> float | None:
    m = WORDS_MGL.search(text)
    if not m:
        return None
    units = words_to_int(m.group(1).split()[-1]) if m.group(1).split() else None
    cents = words_to_int(m.group(2))
    if units is None or cents is None:
        return None
    return round(units + cents / (100 if cents < 100 else 1000), 3)


def extract(views: list[PageView]) -> dict[str, Fact | None]:
    """Every fact key -> Fact (value + sources) or None when the file does not state it."""
    facts: dict[str, Fact | None] = {k: None for k in FACT_KEYS}

    for v in views:  # breathalyser readings: the ticket's numbered measures, in order
        found = [(parse_decimal(m.group(1)), m) for m in READING.finditer(v.flat)]
        if found:
            facts["alcohol_air_mg_l_readings"] = Fact([x for x, _ in found if x is not None],
                                                      [_src(v, _quote(v.flat, m)) for _, m in found])
            break
    if facts["alcohol_air_mg_l_readings"] is None:
        v, m = _first(views, RETAINED)
        if v:
            facts["alcohol_air_mg_l_readings"] = Fact([parse_decimal(m.group(1))], [_src(v, _quote(v.flat, m))])
        else:
            for v in views:
                value = _words_reading(v.flat)
                if value is not None:
                    m = WORDS_MGL.search(v.flat)
                    facts["alcohol_air_mg_l_readings"] = Fact([value], [_src(v, _quote(v.flat, m))])
                    break

    for v in views:
        low = v.flat.lower()
        if "sang" in low and ("alcool" in low):
            m = BLOOD.search(v.flat)
            if m:
                facts["alcohol_blood_g_l"] = Fact(parse_decimal(m.group(1)), [_src(v, _quote(v.flat, m, 30))])
                break

    for v in views:
        low = v.flat.lower()
        if "salivaire" in low or "stupéfiant" in low:
            m = re.search(r"(résultat|analyse[^:]{0,40})\s*:?\s*(positi\w*|négati\w*)", v.flat, re.IGNORECASE)
            if m:
                positive = m.group(2).lower().startswith("positi")
                facts["drugs_positive"] = Fact(positive, [_src(v, _quote(v.flat, m))])
                sm = re.search(r"substances? suivantes?\s*:\s*([^.]+)\.", v.flat, re.IGNORECASE)
                if positive and sm:
                    subs = [s.strip() for s in re.split(r",| et ", sm.group(1)) if s.strip()]
                    facts["drugs_substances"] = Fact(subs, [_src(v, _quote(v.flat, sm))])
                break

    licence_patterns = [
        ("never_held", r"aucun permis de conduire d[ée]livr[ée]|n'est pas titulaire du permis"),
        ("annulled", r"permis de conduire\s*:\s*annul[ée]"), ("suspended", r"permis de conduire\s*:\s*suspendu"),
        ("valid", r"permis de conduire\s*:\s*valide"),
    ]
    for status, pattern in licence_patterns:
        v, m = _first(views, re.compile(pattern, re.IGNORECASE))
        if v:
            facts["licence_status"] = Fact(status, [_src(v, _quote(v.flat, m))])
            break
    v, m = _first(views, re.compile(r"permis probatoire\s*:\s*(oui|non)", re.IGNORECASE))
    if v:
        facts["probationary_licence"] = Fact(m.group(1).lower() == "oui", [_src(v, _quote(v.flat, m))])

    v, m = _first(views, re.compile(r"aucun contrat d'assurance|d[ée]faut d'assurance|non assur[ée]", re.IGNORECASE))
    if v:
        facts["no_insurance"] = Fact(True, [_src(v, _quote(v.flat, m))])
    else:
        v, m = _first(views, re.compile(r"v[ée]hicule assur[ée]", re.IGNORECASE))
        if v:
            facts["no_insurance"] = Fact(False, [_src(v, _quote(v.flat, m))])

    flags = {
        "hit_and_run": r"a pris la fuite|d[ée]lit de fuite",
        "refusal_to_comply": r"refuse d'obtemp[ée]rer|refus d'obtemp[ée]rer",
        "refusal_of_test": r"refuser? de se soumettre aux v[ée]rifications",
        "accident_material_damage": r"a heurt[ée]|a percut[ée]|accident mat[ée]riel",
        "alcohol_screening_negative": r"d[ée]pistage[^.]{0,80}n[ée]gatif",
    }
    for key, pattern in flags.items():
        v, m = _first(views, re.compile(pattern, re.IGNORECASE))
        if v:
            facts[key] = Fact(True, [_src(v, _quote(v.flat, m))])

    v, m = _first(views, SPEED)
    if v:
        facts["speed_kmh"] = Fact(int(m.group(1)), [_src(v, _quote(v.flat, m))])
        facts["speed_limit_kmh"] = Fact(int(m.group(2)), [_src(v, _quote(v.flat, m))])
    v, m = _first(views, ITT)
    if v:
        facts["victim_itt_days"] = Fact(int(m.group(1)), [_src(v, _quote(v.flat, m))])

    facts["prior_convictions"] = _priors(views)

    v, m = _first(views, FACTS_AT)
    if v:
        d = parse_date(m.group(1))
        if d:
            facts["facts_date"] = Fact(d.isoformat(), [_src(v, _quote(v.flat, m))])
    v, m = _first(views, BIRTH)
    if v and facts["facts_date"]:
        birth = parse_date(m.group(1))
        if birth:
            on = date.fromisoformat(facts["facts_date"].value)
            age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
            facts["minor"] = Fact(age < 18, [_src(v, _quote(v.flat, m))])
    return facts


OFFENCE_CODE = re.compile(r"art\.?\s*((?:L|R)\s?\d{3}-\d+(?:-\d+)?|\d{3}-\d+(?:-\d+)?)", re.IGNORECASE)


def _priors(views: list[PageView]) -> Fact | None:
    """B1 (bulletin n° 1 du casier judiciaire): 'NÉANT' -> [], else one entry per 'Condamnation n°'."""
    for v in views:
        if not re.search(r"bulletin n°\s*1", v.flat, re.IGNORECASE):
            continue
        if re.search(r"\bN[ÉE]ANT\b", v.flat):
            m = re.search(r"\bN[ÉE]ANT\b", v.flat)
            return Fact([], [_src(v, _quote(v.flat, m))])
        blocks = re.split(r"Condamnation n°\s*\d+", v.flat)[1:]
        if not blocks:
            continue
        priors, sources = [], []
        for block in blocks:
            date_m = re.search(r"Date\s*:\s*([^—]+?)\s*—", block)
            court_m = re.search(r"Juridiction\s*:\s*(.+?)\s*Nature", block)
            nature_m = re.search(r"Nature de l'infraction\s*:\s*(.+?)\s*Peine", block)
            penalty_m = re.search(r"Peine prononc[ée]e\s*:\s*(.+?)\s*Date à laquelle", block)
            final_m = re.search(r"devenue d[ée]finitive\s*:\s*(.+?)(?:\s*Date d'expiration|$)", block)
            code_m = OFFENCE_CODE.search(nature_m.group(1)) if nature_m else None
            judged = parse_date(date_m.group(1)) if date_m else None
            final = parse_date(final_m.group(1)) if final_m else None
            priors.append({
                "date": judged.isoformat() if judged else None,
                "court": court_m.group(1).strip() if court_m else None,
                "offence": code_m.group(1).replace(" ", "").upper() if code_m else (
                    nature_m.group(1).strip() if nature_m else None),
                "penalty": penalty_m.group(1).strip() if penalty_m else None,
                "final_date": final.isoformat() if final else None,
            })
            sources.append(_src(v, ("Condamnation : " + (nature_m.group(1) if nature_m else block[:80])).strip()))
        return Fact(priors, sources)
    return None
