"""Evidence items: cited sentences selected from the dossier, per document and per section query."""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.models import Chunk, Citation, cote_sort_key
from ingestion.chunker import split_sentences


@dataclass
class Evidence:
    id: str
    text: str
    citation: Citation
    title: str
    score: float = 0.0

    @property
    def label(self) -> str:
        return f"{self.title}, {self.citation.label()}"


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
