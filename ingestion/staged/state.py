"""The state of a staged job the stages share: its files, its ledger rows, what becomes ready after a task (the
one step recorded and sent), and the end of a file. `ingestion.staged` describes the stages."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol

from core.errors import AppError, NotFound
from core.models import DocumentStatus, SourceDocument
from core.protocols import BlobStore
from core.settings import Settings
from ingestion.catalog import Catalog
from ingestion.pipeline import Ingestor
from ingestion.reports import DocReport, early_cote
from ingestion.safety import is_disk_full
from storage.tasks import TaskLedger, task_key


class JobBook(Protocol):
    """What the stages need from the jobs' records (api.jobs.JobStore)."""

    def get(self, job_id: str) -> dict: ...
    def update(self, job_id: str, state: str | None = None, progress: dict | None = None,
               report: dict | None = None) -> None: ...
    def options(self, job_id: str) -> dict: ...
    def folder(self, job_id: str) -> Path: ...
    def set_options(self, job_id: str, options: dict) -> None: ...
    def unfinished(self) -> list[dict]: ...


class AuditSink(Protocol):
    def record(self, actor: str, action: str, dossier: str | None = None, **details: Any) -> str: ...


Send = Callable[[str, dict], None]  # (stage, payload) -> message on the right queue


def is_file_problem(exc: BaseException) -> bool:
    """Errors that retrying cannot cure: the file's own French error, at once (the job goes on)."""
    return isinstance(exc, (AppError, MemoryError, UnicodeError)) or is_disk_full(exc)


class JobState:
    """What every stage of a job reads and moves on (the stages are its subclasses, `StagedIngestion` joins them)."""

    def __init__(self, settings: Settings, catalog: Catalog, ingestor: Ingestor, ledger: TaskLedger, jobs: JobBook,
                 audit: AuditSink, send: Send, owns_store: bool, blobs: BlobStore | None = None) -> None:
        self.settings, self.catalog, self.ingestor = settings, catalog, ingestor
        self.blobs = blobs if blobs is not None else ingestor.blobs  # where received files go (the ingestor's)
        self.ledger, self.jobs, self.audit, self.send = ledger, jobs, audit, send
        self.owns_store = owns_store  # False in a worker beside an embedded store: it never opens the store

    def _files(self, job_id: str) -> list[dict]:
        return self.jobs.options(job_id).get("files") or []

    def _shares(self, files: list[dict], index: int) -> list[int]:
        """Earlier files of the upload with the same early cote or the same bytes: this one is prepared after
        them, so that « the second file with a cote fails » and twin files are stored once, whatever the order
        in which workers take the tasks."""
        def keys(entry: dict) -> set:
            manifest = tuple(entry["manifest"]) if entry.get("manifest") else None
            cote = early_cote(entry["name"], manifest, self.settings.ingestion.cote_sources)[0]  # type: ignore[arg-type]
            return {k for k in (("cote", cote), ("sha", entry.get("sha256"))) if k[1]}

        mine = keys(files[index])
        return [j for j in range(index) if mine & keys(files[j])] if mine else []

    def _ready(self, job_id: str, files: list[dict], index: int) -> bool:
        return all(self._done_part(job_id, "prepare", j) for j in self._shares(files, index))

    def _done_part(self, job_id: str, stage: str, part: int) -> bool:
        task = self.ledger.get(task_key(job_id, stage, None, part))
        return task is not None and task.state == "done"

    def _requeue(self, job_id: str, doc_id: str) -> None:
        for t in self.ledger.tasks(job_id, document_id=doc_id):
            if t.state != "done" and t.stage != "file":
                self.send(t.stage, {"job": job_id, "key": t.key, "doc": doc_id})
        for stage in ("pages", "chunk", "embed"):
            self._claims(job_id, stage, doc_id)

    def _claims(self, job_id: str, stage: str, doc_id: str | None, part: int | None = None) -> None:
        """After a task, or a duplicate of a done one: the one step that became ready (a file prepared -> the
        files that waited for it; every page read -> chunk; chunked -> index; every batch embedded and written ->
        the file is done; every file over -> finish) is recorded once and sent."""
        if stage == "prepare" and part is not None:
            files = self._files(job_id)
            for later in range(part + 1, len(files)):
                if part in self._shares(files, later) and self._ready(job_id, files, later):
                    task = self.ledger.get(task_key(job_id, "prepare", None, later))
                    if task and task.state == "queued" and task.attempts == 0:
                        self.send("prepare", {"job": job_id, "key": task.key, "doc": None})
        if doc_id and self._file_row(job_id, doc_id).state != "done":
            left = self.ledger.remaining
            if stage == "pages" and not left(job_id, "pages", doc_id):
                self._claim(job_id, "chunk", doc_id)
            elif stage == "chunk" and self._done(job_id, "chunk", doc_id):
                self._claim(job_id, "index", doc_id)
            elif stage in ("index", "embed", "dense") and self._done(job_id, "index", doc_id) and \
                    not left(job_id, "embed", doc_id) and not left(job_id, "dense", doc_id):
                self._complete_file(job_id, doc_id)
        files = self.ledger.tasks(job_id, "file")
        if files and all(f.state == "done" for f in files):
            self._claim(job_id, "finish", None)

    def _done(self, job_id: str, stage: str, doc_id: str) -> bool:
        task = self.ledger.get(task_key(job_id, stage, doc_id, 0))
        return task is not None and task.state == "done"

    def _claim(self, job_id: str, stage: str, doc_id: str | None) -> None:
        self.ledger.add(job_id, stage, doc_id)
        task = self.ledger.get(task_key(job_id, stage, doc_id, 0))
        if task and task.state == "queued" and task.attempts == 0:
            self.send(stage, {"job": job_id, "key": task.key, "doc": doc_id})

    def _complete_file(self, job_id: str, doc_id: str) -> None:
        doc = self._document(doc_id)
        pages = self.catalog.pages(doc_id)
        self._file_done(job_id, doc_id, DocReport(
            file=doc.filename, cote=doc.cote, pages=len(pages), ocr_pages=sum(p.ocr for p in pages),
            chunks=len(self.catalog.chunks(doc_id)), status="stored", warnings=doc.warnings, document_id=doc.id,
            version=doc.version))

    def _mode(self, job_id: str) -> str:
        return self.jobs.options(job_id).get("on_conflict") or self.settings.ingestion.on_conflict

    def _document(self, doc_id: str) -> SourceDocument:
        doc = self.catalog.document(doc_id)
        if doc is None:
            raise NotFound("Document introuvable.")
        return doc

    def _file_row(self, job_id: str, doc_id: str):
        rows = [t for t in self.ledger.tasks(job_id, "file") if t.document_id == doc_id]
        if not rows:
            raise NotFound("Fichier de la tâche introuvable.")
        return rows[0]

    def _set_file(self, key: str, doc: SourceDocument, cote_origin: str | None, started: float) -> None:
        self.ledger.attach_document(key, doc.id, {"file": doc.filename, "cote": doc.cote, "cote_origin": cote_origin,
                                                  "status": "running", "started": started})

    def _file_done(self, job_id: str, doc_id: str, report: DocReport) -> None:
        row = self._file_row(job_id, doc_id)
        started = (row.result or {}).get("started")
        if started is not None:
            report.seconds = round(time.time() - started, 3)
        self.ledger.finish(row.key, asdict(report))

    def _earlier_cotes(self, job_id: str, index: int) -> dict[str, str]:
        """Cotes of the files before this one in the same upload (a second file with the same cote fails)."""
        out: dict[str, str] = {}
        for row in self.ledger.tasks(job_id, "file"):
            if row.part >= index or not row.document_id:
                continue
            other = self.catalog.document(row.document_id)
            if other and other.cote and other.status != DocumentStatus.failed:
                out.setdefault(other.cote, other.filename)
        return out
