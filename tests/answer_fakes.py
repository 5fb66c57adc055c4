"""A dossier of hand-written chunks for the answerer's unit tests: the catalog and a word-overlap search over them."""
from __future__ import annotations

from types import SimpleNamespace

from core.models import CaseFile, Chunk
from generation.answer import Answerer
from generation.verifier import verify
from retrieval.search import Passage


def chunk(i: int, cote: str, title: str, text: str, page: int = 1) -> Chunk:
    return Chunk(id=f"doc{cote}-{i}", dossier_id="d", document_id=f"doc{cote}", cote=cote, page=page, pdf_page=page,
                 text=text, char_start=i * 1000, char_end=i * 1000 + len(text), title=title)


class FakeDossier:
    """Catalog and search over `pieces`: passages ranked by the words they share with the question."""

    def __init__(self, pieces: list[Chunk]) -> None:
        self.pieces = pieces

    def dossier(self, dossier_id):
        return CaseFile(id=dossier_id)

    def documents(self, dossier_id):
        return [SimpleNamespace(id=c.document_id, status="stored") for c in self.pieces]

    def dossier_chunks(self, dossier_id):
        return self.pieces

    def search(self, query, flt, k=8, mode="hybrid", with_context=False, **_):
        words = set(query.lower().split())
        ranked = sorted(self.pieces, key=lambda c: -len(words & set(c.text.lower().split())))
        if flt.cotes:
            ranked = [c for c in ranked if c.cote in flt.cotes]
        return [Passage(c, 1.0 / (i + 1)) for i, c in enumerate(ranked[:k])]


def ask(pieces: list[Chunk], question: str) -> dict:
    fake = FakeDossier(pieces)
    return Answerer(fake, fake, None, lambda text, ev: verify(text, ev).reasons).ask("d", question)
