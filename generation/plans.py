"""Reduce step: from the dossier's analysis to the sections of each kind of draft, within a word budget.

Each kind chooses its own content: the synthèse tells the case (facts, investigation, declarations per person
and stage, contradictions, personality, procedure); the réquisitoire définitif argues it (exposé, acts in order,
charges and, for each mis en examen, only what is in his favour as à décharge); the réquisitions JLD back each
art. 144 ground with precise evidence or say « à compléter ». Nothing is said twice in one draft.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from core.models import Citation
from core.text import normalize_for_verify
from generation.compose import clause_items, compose_lines
from generation.contradiction_section import section_lines
from generation.contradictions import Contradiction
from generation.digest import per_piece
from generation.evidence import Analysis, Item
from generation.salience import content_tokens, fold, novel

ACCUSED_KINDS = {"garde_a_vue", "interrogatoire_premiere", "interrogatoire"}
VICTIM_KINDS = {"plainte", "audition_victime"}


@dataclass
class Line:
    """One sentence of a draft: its text (the page's own words, with at most a stage label) and its citations."""
    text: str
    citations: list[Citation]
    item: Item | None = None


@dataclass
class PlannedSection:
    title: str
    lines: list[Line] = field(default_factory=list)
    placeholder: str = ""  # said when the section has no line
    note: str = ""  # said after the lines: what is left to the magistrate (« Choix laissé au magistrat … »)


def _words(text: str) -> int:
    return len(text.split())


def _cost(it: Item) -> int:
    """Words the clause will take in its line: its own, a joiner, a share of a declaration's speaker label."""
    return _words(it.text) + 1 + (2 if it.category == "declaration" else 0)


_NUM = re.compile(r"\d+(?:[.,h]\d+)*")
_CAPS = re.compile(r"\b[A-ZÀ-Ý][A-ZÀ-Ý'\-]{2,}\b")


# A number that measures something (a time, an amount, days, a count of things) tells more than a reference number.
_MEASURED = re.compile(r"(\d+(?:[.,h]\d+)*)\s*(?:h\b|euros|jours?\b|ans\b|mois\b|semaines|contacts|sms|appels|points"
                       r"|mg|g/l|cm\b|m\b|%|individus|personnes|hommes|fois|condamnations|loci|km|billets|grammes"
                       r"|kg|minutes)")
_DATED = re.compile(r"\b(\d{1,2}) (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre"
                    r"|decembre)")


def _units(text: str) -> set[str]:
    """What a sentence tells: its content words (stems), its numbers (typed: measured « #=… », a day « #d… »,
    else a bare reference « #… »), its upper-case names."""
    norm = normalize_for_verify(text)
    measured = {n for n in _MEASURED.findall(norm)}
    days = {n for n in _DATED.findall(norm)}
    numbers = {f"#={n}" if n in measured else f"#d{n}" if n in days else f"#{n}" for n in _NUM.findall(norm)}
    return content_tokens(text) | numbers | {f"@{n}" for n in _CAPS.findall(text)}


def _unit_weight(u: str) -> float:
    if u.startswith("#="):
        return 2.5
    if u.startswith("#d"):
        return 1.2
    if u.startswith("#"):
        return 0.5
    return 2.0 if u.startswith("@") else 1.0


class Selector:
    """Budgeted coverage: each sentence is worth the new things it tells about its piece (rare words, numbers,
    names, weighted by how few pieces share them), per word spent; every piece is heard before any piece speaks
    twice; a sentence whose words the draft already said is skipped."""

    def __init__(self, budget: int, items: list[Item] | None = None) -> None:
        self.budget = budget
        self.used = 0
        self.planned = 0.0      # the sum of the shares of the sections taken so far, in words
        self.section_used = 0   # words spent by those sections
        self.kept: list[set[str]] = []
        self.ids: set[int] = set()
        self.covered: dict[str, set[str]] = {}
        self._cache: dict[str, set[str]] = {}
        self._alive: list[Item] = []  # what was kept stays referenced, so that its id in `ids` is never reused
        df: dict[str, int] = {}
        pieces = {it.citation.cote for it in items or []}
        for cote in pieces:
            seen: set[str] = set()
            for it in items or []:
                if it.citation.cote == cote:
                    seen |= self._units_of(it)
            for u in seen:
                df[u] = df.get(u, 0) + 1
        n = max(1, len(pieces))
        # what many pieces say (« procès-verbal », the dossier's own names) weighs little, what one piece says much
        self.weight = {u: math.log(n / d) + 0.15 for u, d in df.items()}

    def _units_of(self, it: Item) -> set[str]:
        # keyed by the text, never by id(): a clause made for one round and dropped frees its id, which the next
        # clause may get — its units would be another clause's, and the draft would change from run to run
        key = it.text
        if key not in self._cache:
            self._cache[key] = _units(it.text)
        return self._cache[key]

    def _gain(self, it: Item) -> float:
        new = self._units_of(it) - self.covered.get(it.citation.cote or "", set())
        value = math.fsum(self.weight.get(u, 1.0) * _unit_weight(u) for u in new)  # exact: same for any set order
        return (value ** 0.5) * max(0.1, it.score) / max(6, _words(it.text)) ** 0.4

    def _keep(self, it: Item) -> None:
        cost = _cost(it)
        self._alive.append(it)
        self.ids.add(id(it))
        self.kept.append(content_tokens(it.text))
        self.covered.setdefault(it.citation.cote or "", set()).update(self._units_of(it))
        self.used += cost

    def take(self, items: list[Item], share: float, limit: int = 40, ordered: bool = True,
             per_piece: int = 99) -> list[Item]:
        # what earlier sections left unspent of their share carries over to this one
        self.planned += self.budget * share
        allowance = max(60, int(self.planned - self.section_used))
        pool = [it for it in items if id(it) not in self.ids and it.score > 0.5]
        chosen: list[Item] = []
        spent = 0
        count: dict[str, int] = {}
        first_round = True
        while pool and len(chosen) < limit:
            candidates = [it for it in pool if count.get(it.citation.cote or "", 0) < per_piece and
                          (not first_round or (it.citation.cote or "") not in count)]
            if not candidates:
                if first_round:
                    first_round = False
                    continue
                break
            best = max(candidates, key=self._gain)
            pool.remove(best)
            cost = _cost(best)
            if (spent + cost > allowance or self.used + cost > self.budget or self._gain(best) <= 0.05
                    or not novel(best.text, self.kept)):
                if first_round and not any((it.citation.cote or "") == (best.citation.cote or "") for it in pool):
                    count.setdefault(best.citation.cote or "", 0)
                continue
            chosen.append(best)
            self._keep(best)
            spent += cost
            self.section_used += cost
            count[best.citation.cote or ""] = count.get(best.citation.cote or "", 0) + 1
        return sorted(chosen, key=lambda x: x.order) if ordered else chosen

    def force(self, text: str, remember: bool = True) -> None:
        self.used += _words(text)
        if remember:
            self.kept.append(content_tokens(text))


def accused_of(analysis: Analysis) -> list[tuple[str, str]]:
    """Persons heard in garde à vue or before the judge, or named as mis en examen: (key, display)."""
    out: dict[str, str] = {}
    for p in analysis.pieces:
        if p.kind in ACCUSED_KINDS | {"ordonnance_detention", "ordonnance_cj", "casier", "personnalite"} and p.heard:
            key, display = p.heard[0]
            if p.kind in ACCUSED_KINDS or key in out:
                out[key] = max(out.get(key, ""), display, key=len)
    for it in analysis.items:
        if it.category == "decision" and re.search(r"mis(e)? en examen", fold(it.text)):
            for p in [it.piece] if it.piece else []:
                for key, display in p.heard[:1]:
                    out.setdefault(key, display)
    return list(out.items())


def _about(it: Item, key: str) -> bool:
    """The sentence names the person (surname), is said by him, or belongs to his personality or decision piece."""
    name = key.split()[0]
    return (re.search(rf"\b{re.escape(name)}\b", fold(it.full or it.text).upper()) is not None or it.person_key == key or bool(
        it.piece and it.piece.heard and it.piece.heard[0][0].split()[0] == name
        and it.category in ("personnalite", "decision")))


def _lines(chosen: list[Item], pages: dict | None, named: set | None = None, prefix=None) -> list[Line]:
    """The chosen clauses as lines, one per piece (and speaker), each verified on the pages it cites."""
    return [Line(c.text, c.citations, c.item) for c in compose_lines(chosen, pages, named, prefix)]


_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
           "décembre"]


_CUSTODY = re.compile(r"garde a vue|interpell|defere|ecroue|mandat|controle judiciaire|detention")


def _custody(it: Item) -> bool:
    return it.category == "procedure" and bool(_CUSTODY.search(fold(it.text))) and bool(re.search(r"\d", it.text))


def _round_the_pieces(sel: Selector, pool: list[Item], share: float, pages: dict | None, rounds: int,
                      prefix=None) -> list[Item]:
    """A section chosen piece by piece (`generation/digest.per_piece`) within its share of the budget, what earlier
    sections left unspent carried over as `Selector.take` does; each clause kept only when its line is verified."""
    sel.planned += sel.budget * share
    allowance = max(0, min(int(sel.planned - sel.section_used), sel.budget - sel.used))
    chosen = per_piece(sel, pool, allowance, max_rounds=rounds,
                       keep=lambda it: bool(_lines([it], pages, None, prefix)))
    sel.section_used += sum(_cost(it) for it in chosen)
    return chosen


def plan_synthese(analysis: Analysis, budget: int, contradictions: list[Contradiction],
                  pages: dict[tuple[str, int], str] | None = None) -> list[PlannedSection]:
    items = clause_items(analysis.items)
    sel = Selector(budget, items)
    named: set = set()
    sections: list[PlannedSection] = []
    contra_lines = [Line(text, cites, item) for text, cites, item in
                   section_lines(contradictions, pages=pages)]
    contra = PlannedSection("Points de contradiction", contra_lines,
                            "Aucune contradiction chiffrée relevée par le code : à vérifier par le magistrat.")
    for ln in contra.lines:
        sel.force(ln.text, remember=False)  # the declarations still quote in full what a contradiction cuts
    facts = [it for it in items if it.category == "fait" or (it.category == "declaration" and it.piece
                                                              and it.piece.kind in VICTIM_KINDS)]
    sections.append(PlannedSection("Les faits", _lines(sel.take(facts, 0.16), pages, named)))
    results = [it for it in items if it.category == "resultat"]
    # what each expertise, requisition answer, search or report brings, a piece at a time
    sections.append(PlannedSection("L'enquête", _lines(_round_the_pieces(sel, results, 0.24, pages, rounds=2), pages)))
    declarations = [it for it in items if it.category == "declaration" and it.person_key]
    people: dict[str, list[Item]] = {}
    for it in sorted(declarations, key=lambda x: x.order):
        people.setdefault(it.person_key, []).append(it)
    accused = {k for k, _ in accused_of(analysis)}
    order = sorted(people, key=lambda k: (k not in accused, people[k][0].order))
    share = 0.22 / max(1, len(order))
    for key in order:
        # what the person said at each stage (garde à vue, interrogatoire, confrontation), a stage at a time
        chosen = _round_the_pieces(sel, people[key], min(0.1, share * (1.5 if key in accused else 0.8)), pages, rounds=3)
        if chosen:
            display = max((it.person for it in people[key]), key=len) or key.title()
            role = " (mis en cause)" if key in accused else ""
            sections.append(PlannedSection(f"Les déclarations — {display}{role}",
                                           _lines(chosen, pages, named)))
    sections.append(contra)
    personality = [it for it in items if it.category == "personnalite"]
    sections.append(PlannedSection("Personnalité et antécédents", _lines(sel.take(personality, 0.1), pages),
                                   "Aucun élément de personnalité au dossier : à compléter."))
    # the decisions, and the custody and arrest times a procedural sentence carries (« placé en garde à vue ce jour
    # à 6 h 05 »)
    decisions = [it for it in items if it.category == "decision" or _custody(it)]
    sections.append(PlannedSection("Situation procédurale", _lines(sel.take(decisions, 0.08, per_piece=3), pages),
                                   "Situation procédurale à compléter."))
    return sections


def plan_detention(analysis: Analysis, budget: int, pages: dict | None = None) -> list[PlannedSection]:
    """The réquisitions JLD (`generation/detention.py`)."""
    from generation.detention import plan_detention as detention

    return detention(analysis, budget, pages)


def plan_resume(analysis: Analysis, budget: int, cote: str, pages: dict | None = None) -> list[PlannedSection]:
    items = clause_items([it for it in analysis.items if it.citation.cote == cote])
    sel = Selector(budget, items)
    named: set = set()
    piece = next((p for p in analysis.pieces if p.cote == cote), None)
    title = f"Résumé de la pièce {cote}" + (f" — {piece.label}" if piece else "")
    return [PlannedSection(title, _lines(sel.take(items, 1.0, limit=24), pages, named),
                           "Pièce sans contenu exploitable.")]


def plan(kind: str, analysis: Analysis, budget: int, pages: dict[tuple[str, int], str],
         cote: str | None = None) -> list[PlannedSection]:
    if kind == "resume":
        return plan_resume(analysis, budget, cote or "", pages)
    if kind == "synthese":
        from generation.copies import all_contradictions

        return plan_synthese(analysis, budget, all_contradictions(analysis, pages), pages)
    if kind == "requisitoire":
        from generation.requisitoire import plan_requisitoire

        return plan_requisitoire(analysis, budget, pages)
    return plan_detention(analysis, budget, pages)
