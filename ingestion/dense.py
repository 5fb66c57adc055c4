"""Stage 2 of an ingestion: the dense vectors of chunks already searchable by BM25, batch by batch; whatever stops
it leaves the chunks searchable in full text, marked not embedded, and says so on each file."""
from __future__ import annotations

from core.protocols import Embedder, SearchFilter, SparseEncoder, StoredPoint, VectorStore
from core.settings import Settings
from ingestion.catalog import Catalog
from ingestion.reports import WAITING, IngestReport, Progress, file_error, waiting_note
from ingestion.safety import Deadline, LimitExceeded


class DenseStage:
    """The Ingestor's stage 2 (a mixin of `ingestion.pipeline.Ingestor`, which provides these attributes)."""

    settings: Settings
    catalog: Catalog
    store: VectorStore
    embedder: Embedder
    sparse: SparseEncoder

    def finish_embedding(self, report: IngestReport, progress: Progress | None = None) -> None:
        """Stage 2 of a run ingested with `embed=False`. If the process stops before or during it, the chunks stay
        searchable by BM25 and marked not embedded: `doctor --repair` or the next ingestion of the dossier embeds
        them (nothing else is left half done)."""
        self._embed_stage(report.dossier, report, progress)

    def _embed_stage(self, dossier_id: str, report: IngestReport, progress: Progress | None) -> None:
        """Embed what the run stored (each file within what is left of its time budget), then anything a previous
        run left waiting. Whatever stops it leaves the chunks searchable by BM25 and says so on each file."""
        budget = self.settings.ingestion.file_time_budget_s
        stored = [d for d in report.documents if d.status in ("stored", "unchanged") and d.document_id]
        try:
            for d in stored:
                try:
                    self.embed_pending(dossier_id, [d.document_id], progress,  # type: ignore[list-item]
                                       Deadline(max(budget - d.seconds, 1.0)))
                except LimitExceeded as exc:
                    if exc.code != "delai_depasse":
                        raise
                    d.warnings.append(waiting_note(f"temps de traitement dépassé ({budget:.0f} s par fichier, "
                                                   "réglage ingestion.file_time_budget_s)."))
            run = {d.document_id for d in stored}
            earlier = {c.rsplit("-p", 1)[0] for c in
                       self.store.chunk_ids(SearchFilter(dossier_id=dossier_id, embedded=False))} - run
            if earlier:  # left waiting by an earlier run (embedder down, process stopped)
                self.embed_pending(dossier_id, sorted(earlier), progress)
        except Exception as exc:  # noqa: BLE001 — the files are in; only their dense vectors wait
            err = file_error(exc)
            report.embedding_error = err.message
            try:
                waiting = {c.rsplit("-p", 1)[0] for c in
                           self.store.chunk_ids(SearchFilter(dossier_id=dossier_id, embedded=False))}
            except Exception:  # noqa: BLE001 — store unreachable too: every file of the run is concerned
                waiting = {d.document_id for d in stored}
            for d in stored:
                if d.document_id in waiting and not any(w.startswith(WAITING) for w in d.warnings):
                    d.warnings.append(waiting_note(err.message))

    def embed_pending(self, dossier_id: str, document_ids: list[str] | None = None,
                      progress: Progress | None = None, deadline: Deadline | None = None) -> int:
        """Stage 2: give their dense vector to the chunks of the dossier still searchable by BM25 only, batch by
        batch (each batch written at once, so an interruption keeps what was done); idempotent."""
        waiting = self.store.chunk_ids(SearchFilter(dossier_id=dossier_id, document_ids=document_ids,
                                                    embedded=False))
        by_doc: dict[str, set[str]] = {}
        for cid in waiting:
            by_doc.setdefault(cid.rsplit("-p", 1)[0], set()).add(cid)
        size, done = self.settings.embedding.batch_size, 0
        if waiting and progress:
            left = self.store.count(SearchFilter(dossier_id=dossier_id, embedded=False))
            progress("embedded", {"document_id": None, "chunks": 0, "waiting": left})
        for doc_id in sorted(by_doc):
            chunks = [c for c in self.catalog.chunks(doc_id) if c.id in by_doc[doc_id]]
            for i in range(0, len(chunks), size):
                self.store.upsert(self._embed(chunks[i:i + size], deadline))
                done += len(chunks[i:i + size])
                if progress:
                    left = self.store.count(SearchFilter(dossier_id=dossier_id, embedded=False))
                    progress("embedded", {"document_id": doc_id, "chunks": done, "waiting": left})
        return done

    def _embed(self, chunks: list, deadline: Deadline | None = None) -> list[StoredPoint]:
        """Embed in batches; identical texts (procedural boilerplate) are embedded once."""
        size = self.settings.embedding.batch_size
        unique = list(dict.fromkeys(c.text for c in chunks))
        vectors: dict[str, list[float]] = {}
        for i in range(0, len(unique), size):
            if deadline:
                deadline.check(f"calcul des vecteurs ({i} / {len(unique)} extraits)")
            batch = unique[i:i + size]
            vectors.update(zip(batch, self.embedder.embed_passages(batch), strict=True))
        return [StoredPoint(c, vectors[c.text], self.sparse.encode_document(c.text)) for c in chunks]

    def _sparse_points(self, chunks: list) -> list[StoredPoint]:
        return [StoredPoint(c, None, self.sparse.encode_document(c.text)) for c in chunks]
