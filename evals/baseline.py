"""The naive RAG a newcomer assembles with LangChain: RecursiveCharacterTextSplitter (1000/100) over page text,
dense-only search, a 'stuff' prompt asking for citations, no verification; same LLM, same data."""
from __future__ import annotations

import re

import numpy as np
from langchain_text_splitters import RecursiveCharacterTextSplitter

from core.citation import page_citation
from core.errors import AppError
from prompts import load_prompt

_CITE = re.compile(r"\(?\b([A-D]\d{1,4})\s*(?:p\.|/)\s*(\d{1,3})\)?")


class NaiveRag:
    def __init__(self, catalog, embedder, llm) -> None:
        self.catalog, self.embedder, self.llm = catalog, embedder, llm
        self.splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100)
        self.prompt = load_prompt("repondre_rag_naive")
        self._index: dict[str, tuple[list[dict], np.ndarray]] = {}

    def _build(self, dossier: str) -> tuple[list[dict], np.ndarray]:
        if dossier not in self._index:
            pieces = []
            for doc in self.catalog.documents(dossier):
                for page in self.catalog.pages(doc.id):
                    for text in self.splitter.split_text(page.text):
                        cote, number = page_citation(doc.cote, page)
                        pieces.append({"text": text, "cote": cote, "page": number})
            vectors = np.asarray(self.embedder.embed_passages([p["text"] for p in pieces]))
            self._index[dossier] = (pieces, vectors)
        return self._index[dossier]

    def retrieve(self, dossier: str, query: str, k: int = 4) -> list[dict]:
        pieces, vectors = self._build(dossier)
        scores = vectors @ np.asarray(self.embedder.embed_query(query))
        return [pieces[i] for i in np.argsort(-scores)[:k]]

    def answer(self, dossier: str, question: str, k: int = 4) -> tuple[str, list[dict]]:
        contexts = self.retrieve(dossier, question, k)
        stuffed = "\n\n".join(f"[{c['cote']} p.{c['page']}] {c['text']}" for c in contexts)
        if self.llm is None:
            return "", contexts
        try:
            text = self.llm.complete(*self.prompt.render(extraits=stuffed, question=question))
        except AppError:
            text = ""
        return text, contexts

    def synthese(self, dossier: str) -> tuple[str, list[dict]]:
        return self.answer(dossier, "Rédige une synthèse chronologique des faits du dossier.", k=6)


def cited_sentences(text: str) -> list[tuple[str, list[tuple[str, int]]]]:
    """Sentences of a free-form answer with the (cote, page) pairs written in them."""
    out = []
    for raw in re.split(r"(?<=[.!?])\s+|\n+", text):
        cites = [(m.group(1), int(m.group(2))) for m in _CITE.finditer(raw)]
        sentence = re.sub(r"\s+([.,;!?])", r"\1", _CITE.sub("", raw)).strip(" ()")
        if len(sentence) > 3:
            out.append((sentence, cites))
    return out
