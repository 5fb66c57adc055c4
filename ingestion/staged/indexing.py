"""Stage 1's end and stage 2 of a staged job: the chunks in the store with their BM25 vector (`index`, by the
store's owner), their dense vectors batch by batch (`embed`, any worker; `dense`, the owner writes a worker's
batch), then the job's report and audit (`finish`)."""
from __future__ import annotations

import math
import shutil

from core.models import DocumentStatus
from core.protocols import StoredPoint
from ingestion.reports import DocReport, IngestReport, file_error
from ingestion.safety import ensure_free_space
from ingestion.staged.state import JobState, is_file_problem
from storage.tasks import task_key


class IndexingTasks(JobState):
    """The tasks `index`, `dense` and `finish` (queue `index`, the store's owner) and `embed` (any worker)."""

    def _index(self, job: dict, payload: dict) -> dict | None:
        """End of stage 1, by the store's owner: the chunks go in with their BM25 vector only, searchable at once
        (versions settled, document stored); their dense vectors follow batch by batch (stage 2)."""
        doc_id = payload["doc"]
        ing = self.ingestor
        doc = self._document(doc_id)
        chunks = self.catalog.chunks(doc_id)
        if doc.status != DocumentStatus.stored:
            ing.check_embedding_model()
            doc.status = DocumentStatus.embedded  # = points being written (a crash here is repaired by doctor)
            self.catalog.save_document(doc)
            mode = self._mode(job["id"])
            previous = [d for d in self.catalog.current_documents(doc.dossier_id)
                        if doc.cote and d.cote == doc.cote and d.id != doc.id] if mode in ("replace", "version") else []
            try:
                ensure_free_space(self.settings.paths.data_dir, len(chunks) * 8192, self.settings.ingestion.min_free_mb)
                ing.store.delete_document(doc.dossier_id, doc.id)
                ing.store.upsert(ing._sparse_points(chunks))
                ing._settle_versions(doc, previous, mode)  # type: ignore[arg-type]
            except Exception as exc:
                if not is_file_problem(exc):
                    raise
                self._file_done(job["id"], doc_id, ing._fail(doc, file_error(exc)))
                return None
            doc.status = DocumentStatus.stored
            self.catalog.save_document(doc)
        size = self.settings.queue.chunks_per_task
        batches = math.ceil(len(chunks) / size)
        self.ledger.add(job["id"], "embed", doc_id, [(i, min(size, len(chunks) - i * size)) for i in range(batches)])
        for t in self.ledger.tasks(job["id"], "embed", doc_id):  # sent by their creator, before it is done
            if t.state == "queued" and t.attempts == 0:
                self.send("embed", {"job": job["id"], "key": t.key, "doc": doc_id})
        return None

    def _batch(self, doc_id: str, part: int) -> list:
        size = self.settings.queue.chunks_per_task
        return self.catalog.chunks(doc_id)[part * size:(part + 1) * size]

    def _embed(self, job: dict, payload: dict) -> dict | None:
        """Dense vectors of one batch: written to the store at once by a process that may write it, otherwise
        kept in the shared state for the store's owner (`dense` task)."""
        task = self.ledger.get(payload["key"])
        assert task is not None and task.document_id
        chunks = self._batch(task.document_id, task.part)
        unique = list(dict.fromkeys(c.text for c in chunks))
        vectors = dict(zip(unique, self.ingestor.embedder.embed_passages(unique), strict=True)) if unique else {}
        if self.owns_store:
            self.ingestor.store.upsert([StoredPoint(c, vectors[c.text], self.ingestor.sparse.encode_document(c.text))
                                        for c in chunks])
            return None
        self.ledger.put_vectors(task.document_id, {c.id: vectors[c.text] for c in chunks})
        self.ledger.add(job["id"], "dense", task.document_id, [(task.part, task.size)])
        dense = self.ledger.get(task_key(job["id"], "dense", task.document_id, task.part))
        if dense and dense.state == "queued" and dense.attempts == 0:
            self.send("dense", {"job": job["id"], "key": dense.key, "doc": task.document_id})
        return None

    def _dense(self, job: dict, payload: dict) -> dict | None:
        """The store's owner writes a batch embedded by a worker."""
        task = self.ledger.get(payload["key"])
        assert task is not None and task.document_id
        chunks = self._batch(task.document_id, task.part)
        vectors = self.ledger.vectors(task.document_id, [c.id for c in chunks])
        missing = [c.id for c in chunks if c.id not in vectors]
        if missing:
            raise RuntimeError(f"{len(missing)} vecteurs manquants")
        self.ingestor.store.upsert([StoredPoint(c, vectors[c.id], self.ingestor.sparse.encode_document(c.text))
                                    for c in chunks])
        self.ledger.drop_vectors(task.document_id, [c.id for c in chunks])
        return None

    def _finish(self, job: dict, payload: dict) -> dict | None:
        job_id = job["id"]
        rows = self.ledger.tasks(job_id, "file")
        report = IngestReport(job["dossier"], [DocReport(**{k: v for k, v in (r.result or {}).items()
                                                            if k in DocReport.__dataclass_fields__}) for r in rows])
        for d in report.documents:
            if d.status == "unchanged" and d.document_id and not d.chunks:  # a twin of a file of this upload
                stored = self.catalog.document(d.document_id)
                d.cote, d.pages = (stored.cote, stored.page_count) if stored else (d.cote, d.pages)
                d.chunks = len(self.catalog.chunks(d.document_id))
        self.ledger.finish(payload["key"])
        self.jobs.update(job_id, "done" if not report.failed else "done_with_errors", self.ledger.progress(job_id),
                         report.to_dict())
        self.audit.record(job["actor"], "ingest", job["dossier"], job=job_id, juridiction=job["juridiction"],
                          documents=[{"file": d.file, "sha256_doc": d.document_id, "status": d.status}
                                     for d in report.documents])
        shutil.rmtree(self.jobs.folder(job_id), ignore_errors=True)
        self._drop_unused(job_id)

    def _drop_unused(self, job_id: str) -> None:
        """Received files no document keeps (refused: empty, unknown kind, cote in conflict...) leave the blob
        store with the job, unless another unfinished job received the same bytes."""
        mine = {f["sha256"] for f in self._files(job_id) if f.get("sha256")}
        if not mine:
            return
        keep = self.catalog.blobs_in_use()
        for other in self.jobs.unfinished():
            if other["id"] != job_id:
                keep |= {f.get("sha256") for f in self._files(other["id"])}
        for sha in mine - keep:
            self.blobs.delete(sha)
