"""Evidence items: cited sentences selected from the dossier.

The map step (`analyse_dossier`) reads every piece once: its type, date and the person it hears, then each
sentence with boilerplate out, the formula around a fact stripped, a sentence cut by a page break joined with its
continuation, declarations tagged by person, stage and stance, and a salience score. Drafting reduces it per section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from core.citation import page_citation
from core.models import Chunk, Citation, cote_sort_key
from core.sentences import detect_running_lines, line_shape, split_sentences
from generation.boilerplate import is_boilerplate, strip_formula
from generation.declarations import DeclarationReader
from generation.pieces import PieceInfo, analyse_piece, best_display
from generation.salience import category, score, stance


@dataclass
class Evidence:
    id: str
    text: str
    citation: Citation
    title: str
    score: float = 0.0
    extra: list[Citation] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.title}, {self.citation.label()}"

    @property
    def citations(self) -> list[Citation]:
        """The page the sentence starts on, then the page it continues on when a page break cut it."""
        return [self.citation, *self.extra]


_SIGNAL = re.compile(r"\d|[A-ZÀ-Ý]{3,}")


def sentences_of(chunks: list[Chunk]) -> list[Evidence]:
    out = []
    for c in chunks:
        for s, e in split_sentences(c.text):
            text = " ".join(c.text[s:e].split())
            out.append(Evidence("", text, Citation(cote=c.cote, page=c.page, chunk_id=c.id, quote=text,
                                                   document_id=c.document_id), c.title))
    return out


def informative(ev: Evidence, boilerplate: set[str]) -> float:
    """Prefer factual sentences: numbers, names, length; titles, questions and boilerplate score 0."""
    t = ev.text
    if t in boilerplate or len(t) < 25 or t.isupper() or t.startswith(("Question", "Lecture faite")):
        return 0.0
    return 1.0 + len(_SIGNAL.findall(t)) * 0.5 + min(len(t), 300) / 300


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def boilerplate_of(items: list[Evidence]) -> set[str]:
    """Sentences whose shape (digits masked) recurs in three or more documents: procedural boilerplate and
    templated annex lines (phone records), which a synthesis should not list one by one."""
    docs_per_shape: dict[str, set] = {}
    for e in items:
        docs_per_shape.setdefault(_shape(e.text), set()).add(e.citation.document_id)
    return {e.text for e in items if len(docs_per_shape[_shape(e.text)]) >= 3}


def per_document_notes(chunks: list[Chunk], cote_prefixes: tuple[str, ...], per_doc: int) -> list[Evidence]:
    """Map step: the `per_doc` most informative sentences of each cote, in cote then page order."""
    items = sentences_of(chunks)
    boiler = boilerplate_of(items)
    by_cote: dict[str | None, list[Evidence]] = {}
    for e in items:
        if (e.citation.cote or "?")[0] in cote_prefixes or (e.citation.cote is None and "?" in cote_prefixes):
            e.score = informative(e, boiler)
            if e.score > 0:
                by_cote.setdefault(e.citation.cote, []).append(e)
    notes: list[Evidence] = []
    for cote in sorted(by_cote, key=cote_sort_key):
        best = sorted(by_cote[cote], key=lambda e: -e.score)[:per_doc]
        notes += sorted(best, key=lambda e: (e.citation.page, e.citation.chunk_id or ""))
    return notes


def number(items: list[Evidence], start: int = 1) -> list[Evidence]:
    for i, e in enumerate(items, start=start):
        e.id = f"E{i}"
    return items


@dataclass
class Item(Evidence):
    """A sentence of the dossier after the map step: what it is, who says it, at which stage, how salient."""

    piece: PieceInfo | None = None
    category: str = ""
    person: str = ""
    person_key: str = ""
    stage: str = ""
    stance: str = ""
    position: int = 0
    person_page: Citation | None = None  # a page of the piece naming the speaker, when the quoted page does not
    full: str = ""  # the fact before shortening (clauses are cut from it)
    asked: str = ""  # the question this answer replies to (« D'où vient l'argent ? »): what the answer is about

    @property
    def day(self) -> date:
        return (self.piece.date if self.piece and self.piece.date else None) or date.max

    @property
    def order(self) -> tuple:
        """Chronological: date of the act, then cote, then position in the piece."""
        return (self.day, cote_sort_key(self.citation.cote), self.position)


@dataclass
class Analysis:
    pieces: list[PieceInfo]
    items: list[Item]
    warnings: list[str]
    boilerplate_dropped: int = 0
    sentences_read: int = 0


_END = re.compile(r"[.!?»:;)\]…]\s*$")
MAX_WORDS = 55


def _shorten(text: str, limit: int = MAX_WORDS) -> str:
    """A very long sentence cut at a clause boundary: every word kept is the page's own."""
    words = text.split()
    if len(words) <= limit:
        return text
    head = " ".join(words[:limit])
    cut = max(head.rfind(", "), head.rfind(" ; "), head.rfind(" : "))
    if cut > len(head) // 2:
        head = head[:cut]
    return head.rstrip(" ,;:") + " […]"


_STAMP_TEXT = re.compile(r"\bcote\s*:?\s*[A-D]\s*\d{1,4}\b|\b(page|feuillet|folio)\s*\d+\s*/\s*\d+|^\W*[A-D]\s?\d{1,4}\W*$"
                         r"|^\s*(page\s*)?\d+\s*/\s*\d+\s*$", re.IGNORECASE)
_LEGAL_REFS = re.compile(r"^\s*(art\.|articles?)\s+[\dLRD]", re.IGNORECASE)


def clean_page(text: str, running: set[str]) -> str:
    """The page without what is not its content: running headers and footers, stamps and folio lines, title and
    letterhead lines (upper case), lines of legal references; table borders become spaces."""
    from generation.boilerplate import is_letterhead

    kept = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        letters = [c for c in stripped if c.isalpha()]
        upper = sum(c.isupper() for c in letters) / max(1, len(letters))
        if (line_shape(stripped) in running or _STAMP_TEXT.search(stripped) or _LEGAL_REFS.match(stripped)
                or (upper > 0.75 and len(letters) >= 4) or (i < 4 and is_letterhead(stripped))):
            kept.append("")
            continue
        if stripped.count("|") >= 2:
            line = line.replace("|", " ")
        kept.append(line)
    return "\n".join(kept)


def _page_sentences(text: str) -> list[str]:
    # U+FFFE is how the PDF text layer marks a word hyphenated at a line end
    return [" ".join(text[s:e].replace("\ufffe", "-").split()) for s, e in split_sentences(text)]


def _chunk_for(chunks: list[Chunk], page_number: int) -> Chunk | None:
    on_page = [c for c in chunks if c.pdf_page == page_number]
    return on_page[0] if on_page else None


def analyse_dossier(catalog, dossier: str, per_piece: int = 14) -> Analysis:
    """Map step: every piece typed and read sentence by sentence; at most `per_piece` candidates kept per
    category and piece (the budget is applied later per section, so a 1,000-page file costs the same)."""
    pieces: list[PieceInfo] = []
    items: list[Item] = []
    warnings: list[str] = []
    dropped = read = 0
    raw_by_doc: dict[str, list[tuple[str, list[Citation], str]]] = {}
    for doc in catalog.documents(dossier):
        pages = catalog.pages(doc.id)
        chunks = catalog.chunks(doc.id)
        if not pages:
            continue
        cote_of_page = {}
        for p in pages:
            c = _chunk_for(chunks, p.number)
            cote_of_page[p.number] = (c.cote, c.page, c.id) if c else (*page_citation(doc.cote, p), None)
        if not any(cote for cote, _, _ in cote_of_page.values()):
            warnings.append(f"Pièce sans cote : « {doc.filename} » — à renseigner (manifeste, tampon) ; "
                            f"elle n'est pas citée dans le projet.")
            continue
        cote = doc.cote or next(c for c, _, _ in cote_of_page.values() if c)
        info = analyse_piece(doc.id, cote, doc.title, [p.text for p in pages])
        pieces.append(info)
        # Sentences in reading order, a sentence cut by a page break joined with its continuation.
        running = detect_running_lines([p.text for p in pages])
        joined: list[tuple[str, list[Citation]]] = []
        for p in pages:
            page_cote, cite_page, chunk_id = cote_of_page[p.number]
            if not page_cote:
                continue
            citation = Citation(cote=page_cote, page=cite_page, chunk_id=chunk_id, document_id=doc.id)
            sentences = _page_sentences(clean_page(p.text, running))
            if not sentences:
                continue
            if joined and not _END.search(joined[-1][0]) and (sentences[0][:1].islower() or
                                                             sentences[0][:1].isdigit()):
                text, cites = joined[-1]
                joined[-1] = (f"{text} {sentences[0]}", cites + [citation])
                sentences = sentences[1:]
            joined += [(t, [citation]) for t in sentences]
        raw_by_doc[doc.id] = [(t, c, doc.id) for t, c in joined]
        reader = DeclarationReader(info)
        page_text = {p.number: p.text for p in pages}
        units: list[tuple[str, list[Citation], str, object]] = []  # (fact, citations, quote, said)
        asked, asked_of, questioning = "", [], False  # the question each unit answers
        for text, cites in joined:
            read += 1
            said = reader.read(text)
            if said.question:
                asked = f"{asked} {said.text}" if questioning else said.text  # a question told in several sentences
                questioning = True
                dropped += 1
                continue
            questioning = questioning and not said.declared
            fact = strip_formula(said.text)
            if not fact or is_boilerplate(fact):
                dropped += 1
                continue
            previous = units[-1] if units else None
            # The sentences of one answer stay together (« On était deux, seulement Mickaël et moi. Il n'y avait
            # personne d'autre. »), up to a readable length.
            if (previous and said.declared and previous[3].declared and previous[3].turn == said.turn
                    and previous[3].speaker == said.speaker and len(previous[0].split()) + len(fact.split()) <= 50):
                merged = previous[1] + [c for c in cites if c not in previous[1]]
                units[-1] = (f"{previous[0]} {fact}", merged, f"{previous[2]} {text}", said)
                continue
            units.append((fact, list(cites), text, said))
            asked_of.append(asked if said.declared else "")
        per_cat: dict[str, list[Item]] = {}
        for position, (fact, cites, quote, said) in enumerate(units):
            cat = category(fact, info.kind, said.declared)
            key = said.speaker if said.declared else ""
            display = ""
            item = Item("", _shorten(fact), cites[0].model_copy(update={"quote": quote}), info.label,
                        extra=cites[1:], piece=info, category=cat, person=display, person_key=key,
                        stage=info.stage if said.declared else "", stance=stance(fact) if said.declared else "",
                        position=position, full=fact, asked=asked_of[position])
            if key:
                item.person_page = _page_naming(key, pages, page_text, cote_of_page, doc.id, cites)
                naming = [page_text[p.number] for p in pages if cote_of_page[p.number][1] in
                          ({c.page for c in cites} if item.person_page is None else {item.person_page.page})]
                item.person = best_display(key, "\n".join(naming)) or ""
            item.score = score(fact, cat)
            per_cat.setdefault(cat, []).append(item)
        for cat, group in per_cat.items():
            limit = per_piece * (2 if cat == "declaration" else 1)
            best = sorted(group, key=lambda it: -it.score)[:limit]
            items += sorted(best, key=lambda it: it.position)
    _resolve_speakers(items, pieces)
    recurring = _recurring([x for v in raw_by_doc.values() for x in v])
    kept = [it for it in items if _shape(it.citation.quote or it.text) not in recurring]
    dropped += len(items) - len(kept)
    return Analysis(sorted(pieces, key=lambda p: cote_sort_key(p.cote)), kept, warnings, dropped, read)


def _resolve_speakers(items: list[Item], pieces: list[PieceInfo]) -> None:
    """A speaker known by surname only (« M. BERTHOLLET » in a confrontation) is the one person of the dossier heard
    under that surname with a first name, when there is exactly one."""
    full: dict[str, set[str]] = {}
    for p in pieces:
        for key, _ in p.heard:
            if " " in key:
                full.setdefault(key.split()[0], set()).add(key)
    for it in items:
        if it.person_key and " " not in it.person_key and len(full.get(it.person_key, ())) == 1:
            it.person_key = next(iter(full[it.person_key]))


def _page_naming(key: str, pages, page_text: dict, cote_of_page: dict, doc_id: str,
                 cites: list[Citation]) -> Citation | None:
    """None when a quoted page already names the speaker; else the first page of the piece that does."""
    from core.text import strip_accents

    def names(n: int) -> bool:
        return key.split()[0] in strip_accents(page_text.get(n, "")).upper()

    quoted = {c.page for c in cites}
    if any(names(p.number) for p in pages if cote_of_page[p.number][1] in quoted):
        return None
    for p in pages:
        cote, cite_page, chunk_id = cote_of_page[p.number]
        if cote and names(p.number):
            return Citation(cote=cote, page=cite_page, chunk_id=chunk_id, document_id=doc_id)
    return None


def _recurring(rows: list[tuple[str, list[Citation], str]]) -> set[str]:
    """Sentence shapes (digits masked) found in three or more pieces: templates, not facts."""
    docs: dict[str, set[str]] = {}
    for text, _, doc_id in rows:
        docs.setdefault(_shape(text), set()).add(doc_id)
    return {shape for shape, d in docs.items() if len(d) >= 3}
