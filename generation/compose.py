"""Map step without the formulas, and the lines a draft is composed of.

Every sentence item of the analysis is said without its frames (`generation/clauses.py`: the circumstance of the
act, the officer acting, visas, identity and address blocks, a lead « nous constatons que »), the clauses left
joined as the page wrote them or by « […] »; each piece keeps a bounded number of candidates, so a 1,000-page dossier
costs the same to reduce. The reduce step (`generation/plans.py`) chooses by salience and novelty within each
section's share of the budget; this module writes the chosen texts of one piece as one line, each part verified
verbatim on the pages it cites.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.models import Citation
from generation.clauses import compose, on_page, split_clauses
from generation.declarations import stage_label
from generation.evidence import Item
from generation.salience import score
from generation.verifier import verify

WHOLE_UP_TO = 14  # words: a sentence this short is said whole


@dataclass(eq=False)
class ClauseItem(Item):
    """A sentence item said without its frames: its own text and salience, the sentence's piece, speaker, stage and
    pages."""

    source: Item | None = None

    @property
    def sentence(self) -> Item:
        return self.source or self


_UNITS = re.compile(r"\d+|\b[A-ZÀ-Ý][A-ZÀ-Ý'\-]{2,}\b")


def _standalone(it: Item) -> float:
    """What a candidate is worth before anything is chosen: salience × what it names and counts, per word."""
    words = max(4, len(it.text.split()))
    return max(0.1, it.score) * (1 + len(_UNITS.findall(it.text))) / words ** 0.5


def clause_items(items: list[Item], per_piece: int = 60, whole_up_to: int = WHOLE_UP_TO) -> list[Item]:
    """Every sentence without its frames (a short one whole); at most `per_piece` candidates per piece and category
    (the best standalone ones), in reading order."""
    from dataclasses import replace

    per: dict[tuple, list[ClauseItem]] = {}
    for it in items:
        full = it.full or it.text
        if full[:1].islower():
            continue  # a fragment cut at a page's top with nothing before it
        clauses = split_clauses(full)
        facts = [c for c in clauses if not c.formula]
        if len(full.split()) <= whole_up_to or len(clauses) == 1:
            # nothing to cut: said whole unless it is one formula among others
            text = full.rstrip(" .") if facts or len(clauses) == 1 else ""
        else:
            text = compose(full, facts) if facts else ""
        if not text:
            continue
        ci = ClauseItem(**{f: getattr(it, f) for f in _ITEM_FIELDS}, source=it)
        ci = replace(ci, text=text, score=score(text, it.category) if len(text) < len(full) - 2 else it.score)
        per.setdefault((it.citation.cote, it.category), []).append(ci)
    out: list[Item] = []
    for group in per.values():
        best = sorted(group, key=lambda x: -_standalone(x))[:per_piece]
        out += sorted(best, key=lambda x: x.order)
    return out


_ITEM_FIELDS = ("id", "text", "citation", "title", "score", "extra", "piece", "category", "person", "person_key",
                "stage", "stance", "position", "person_page", "full")

_PRONOUN = re.compile(r"^(Il|Elle)\s+(?=[a-zà-ÿ])")
_ABOUT_ONE = {"casier", "personnalite", "expertise_psy", "ordonnance_detention", "ordonnance_cj"}


def _quote(text: str) -> str:
    return text.strip().strip("«»\"").strip()


@dataclass
class Composed:
    text: str
    citations: list[Citation]
    item: Item


def _parts(group: list[Item]) -> list[tuple[str, Item]]:
    """The chosen texts of one piece with the sentence each comes from, in order."""
    return [(it.text, getattr(it, "sentence", it)) for it in group]


_COMMON_FIRST = {"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "il", "elle", "ils", "elles", "nous",
                 "on", "ce", "cette", "ces", "cet", "son", "sa", "ses", "leur", "leurs", "dans", "en", "au", "aux", "à",
                 "sur", "par", "pour", "puis", "lors", "après", "avant", "selon", "aucun", "aucune", "rien", "tout",
                 "toute", "tous", "toutes", "deux", "trois", "elle-même", "lui", "je", "j", "mon", "ma", "mes", "a"}


def _lower_first(text: str) -> str:
    """The next clause after « ; » starts in lower case when its first word is a common word, never a name."""
    first = re.split(r"[\s'’]", text, maxsplit=1)[0].lower()
    return text[:1].lower() + text[1:] if first in _COMMON_FIRST and text[1:2].islower() else text


def _cites(items: list[Item]) -> list[Citation]:
    out: list[Citation] = []
    for it in items:
        for c in it.citations:
            if all((c.cote, c.page) != (o.cote, o.page) for o in out):
                out.append(c)
    return out


def _naming(name: str, cote: str | None, cites: list[Citation], pages: dict) -> Citation | None:
    """A page of the piece that writes the person's name, when the cited pages do not."""
    surname = name.split()[-1]
    if any(surname in pages.get((c.cote, c.page), "") for c in cites):
        return None
    for (p_cote, page), text in sorted(pages.items(), key=lambda kv: kv[0][1]):
        if p_cote == cote and surname in text:
            return Citation(cote=cote, page=page)
    return None


def compose_lines(chosen: list[Item], pages: dict | None, named: set | None = None, prefix=None) -> list[Composed]:
    """One line per piece (and speaker) of a section: the piece's chosen clauses joined as the page wrote them or by
    « ; », a declaration as « Who, at which stage : « … » »; `prefix(item)` names the source (« Rapport … : »).
    A line is kept only when each part is the cited pages' own words and the verifier supports the whole."""
    groups: dict[tuple, list[Item]] = {}
    for it in chosen:
        key = (it.citation.cote, it.person_key if it.category == "declaration" else "", it.category == "declaration")
        groups.setdefault(key, []).append(it)
    out: list[Composed] = []
    for (cote, person_key, declared), group in groups.items():
        parts = _parts(group)
        sources = [s for _, s in parts]
        cites = _cites(sources)
        texts = originals = [t for t, _ in parts]
        first = sources[0]
        if not declared and first.piece and first.piece.kind in _ABOUT_ONE and first.piece.heard:
            # « Il travaille comme cuisinier » said of Mme BROUILLAC: the person's name from the file, never a pronoun
            display = first.piece.heard[0][1]
            texts = [_PRONOUN.sub(f"{display} ", t) if _PRONOUN.match(t) else t for t in texts]
            if any(display in t for t in texts):
                extra = _naming(display, cote, cites, pages or {})
                cites += [extra] if extra else []
        if declared:
            label = stage_label(first.piece) if first.piece else ""
            body = " […] ".join(_quote(t) for t in texts)
            key = (person_key, cote)
            if first.person and (named is None or key not in named):
                head = f"{first.person}, {label[:1].lower() + label[1:]}" if label else first.person
                if first.person_page:
                    cites = cites + [first.person_page]
            else:
                head = label
            if named is not None:
                named.add(key)
            text = f"{head} : « {body} »" if head else f"« {body} »"
        else:
            body = " ; ".join([texts[0], *(_lower_first(t) for t in texts[1:])])
            lead = prefix(first) if prefix else ""
            text = f"{lead} : « {_quote(body)} »" if lead else body.rstrip(" .") + "."
        if pages is not None and not _checked(text, originals, cites, pages):
            continue
        out.append(Composed(text, cites, first))
    return out


def _checked(text: str, parts: list[str], cites: list[Citation], pages: dict) -> bool:
    cited = [pages.get((c.cote, c.page), "") for c in cites]
    if not all(on_page(p, cited) for p in parts):
        return False
    return verify(text, cited, 0.5).status == "supported"
