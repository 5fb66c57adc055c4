"""Ingestion of one job as small idempotent tasks run by any number of workers.

The server puts every received file in the blob store before queueing (`receive`), so a worker needs no folder
shared with it. Stages: `job` (one `prepare` task per file) -> `prepare` (one file: its bytes from the blob store,
checks, conversion to PDF kept in the blob store, pages counted) -> `pages` (text layer or
OCR of a few pages) -> `chunk` (cotes, running headers, chunks: needs every page of the document) -> `index` (the
chunks in the store with their BM25 vector: searchable at once) -> `embed` (dense vectors of a batch) -> `dense`
(a worker's batch written to the store, when the store is embedded: only its owner writes it) -> `finish` (report,
audit). The store's owner runs `index`, `dense` and `finish` (queue `index`); any worker runs the rest.

Every task has a content-addressed key in the ledger: a duplicated or retried message finds its row done and only
moves the job on; chunk ids derive from the document's bytes and position, so nothing is ever
stored twice. A task that fails unexpectedly is retried with backoff by the queue; after the last retry the job is
marked failed with a French reason and every received file is kept."""
from __future__ import annotations

import logging

from core.errors import AppError, NotFound
from ingestion.staged.indexing import IndexingTasks
from ingestion.staged.preparing import PreparingTasks, job_files
from ingestion.staged.state import AuditSink, JobBook, JobState, Send
from storage.tasks import task_key

__all__ = ["AuditSink", "JobBook", "JobState", "Send", "StagedIngestion", "job_files"]

log = logging.getLogger(__name__)
FINAL = ("done", "done_with_errors", "failed")
STAGE_FR = {"job": "réception de l'envoi", "prepare": "préparation des fichiers", "pages": "lecture des pages",
            "chunk": "découpage",
            "index": "indexation plein texte", "embed": "calcul des vecteurs", "dense": "indexation sémantique",
            "finish": "clôture"}


class StagedIngestion(PreparingTasks, IndexingTasks):
    """A job's tasks, run one at a time by whichever process takes them (`run`), queued by `start` and `resume`."""

    def start(self, job_id: str, round_: int = 0) -> None:
        """Queue (or re-queue after a restart, on any replica) a job, its received files first put in the blob
        store; its done tasks are not redone."""
        self.receive(job_id)
        key = task_key(job_id, "job", None, round_)
        self.ledger.add(job_id, "job", None, [(round_, 0)])
        self.send("job", {"job": job_id, "key": key, "round": round_})

    def resume(self, job_id: str) -> None:
        """A failed or interrupted job goes on where it stopped (failed tasks get fresh attempts)."""
        self.ledger.reset_failed(job_id)
        rounds = [t.part for t in self.ledger.tasks(job_id, "job")]
        self.jobs.update(job_id, "queued")
        self.start(job_id, max(rounds, default=-1) + 1)

    def run(self, stage: str, payload: dict) -> None:
        """Run one task: skipped if its job is gone or over; done once (a duplicate only moves the job on);
        retried by the queue (exception raised) while attempts remain, then the job fails with a French reason."""
        job_id, key = payload["job"], payload["key"]
        try:
            job = self.jobs.get(job_id)
        except NotFound:
            return  # dossier deleted meanwhile
        if job["state"] in FINAL:
            return
        before = self.ledger.begin(key)
        if before is None:
            return
        try:
            doc_id = payload.get("doc")
            if before.state != "done":
                over = stage != "finish" and doc_id and self._file_row(job_id, doc_id).state == "done"
                result = None if over else getattr(self, f"_{stage}")(job, payload)  # a failed file stops there
                self.ledger.finish(key, result)
            self._claims(job_id, stage, doc_id, before.part if stage == "prepare" else None)
        except Exception as exc:
            attempts = before.attempts + 1
            if attempts > self.settings.queue.max_retries:
                self._fail_job(job, stage, payload, exc, attempts)
                return
            log.warning("task %s of job %s failed (attempt %d), retried: %r", stage, job_id, attempts, exc)
            raise

    def _fail_job(self, job: dict, stage: str, payload: dict, exc: BaseException, attempts: int) -> None:
        self.ledger.fail(payload["key"], f"{type(exc).__name__}: {exc}")
        what = STAGE_FR.get(stage, stage)
        doc = self.catalog.document(payload.get("doc") or "") if payload.get("doc") else None
        name = doc.filename if doc else None
        if stage == "prepare":
            task = self.ledger.get(payload["key"])
            files = self._files(job["id"])
            name = files[task.part]["name"] if task and task.part < len(files) else None
        where = f" de « {name} »" if name else ""
        detail = exc.message if isinstance(exc, AppError) else f"erreur interne {type(exc).__name__}"
        reason = (f"L'ingestion a échoué : l'étape « {what} »{where} a échoué {attempts} fois ({detail}). Les fichiers "
                  "reçus sont conservés ; relancez l'analyse quand l'incident est réglé.")
        progress = self.ledger.progress(job["id"]) | {"error": reason}
        self.jobs.update(job["id"], "failed", progress, {"error": reason, "code": "tache_en_echec"})
        self.audit.record(job["actor"], "ingest.failed", job["dossier"], job=job["id"], reason=reason)
        log.error("job %s failed at %s after %d attempts: %r", job["id"], stage, attempts, exc)
