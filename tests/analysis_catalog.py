"""A catalog of pieces written in a test (one chunk per page): just what the drafting analysis reads."""
from __future__ import annotations

from core.models import Chunk, Page, SourceDocument


class PiecesCatalog:
    """Just what the analysis reads: documents, their pages and chunks (one chunk per page)."""

    def __init__(self, pieces: dict[str, list[str]], cotes: dict[str, str | None] | None = None) -> None:
        self.docs, self._pages, self._chunks = [], {}, {}
        for i, (name, pages) in enumerate(pieces.items()):
            cote = (cotes or {}).get(name, name.split("_")[0])
            doc = SourceDocument(id=f"doc{i}", dossier_id="d", cote=cote, title=name, sha256="x", filename=f"{name}.pdf")
            self.docs.append(doc)
            self._pages[doc.id] = [Page(document_id=doc.id, number=n, text=t) for n, t in enumerate(pages, start=1)]
            self._chunks[doc.id] = [Chunk(id=f"{doc.id}-{n}", dossier_id="d", document_id=doc.id, cote=cote, page=n,
                                          pdf_page=n, text=t, char_start=0, char_end=len(t))
                                    for n, t in enumerate(pages, start=1)]

    def documents(self, dossier):
        return self.docs

    def pages(self, doc_id):
        return self._pages[doc_id]

    def chunks(self, doc_id):
        return self._chunks[doc_id]

    def dossier(self, dossier):
        return dossier
