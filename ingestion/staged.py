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
import math
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol

from core.errors import AppError, NotFound, UnsupportedDocument
from core.models import CaseFile, DocumentStatus, Page, SourceDocument
from core.protocols import BlobStore, StoredPoint
from core.settings import Settings
from ingestion.catalog import Catalog
from ingestion.cotes import read_manifest
from ingestion.ocr import ocr_page
from ingestion.pdf import extract_page, open_pdf
from ingestion.pipeline import DocReport, Ingestor, IngestReport, _Cancelled, _unexpected, early_cote
from ingestion.safety import (
    Candidate,
    Deadline,
    Limits,
    check_pdf_streams,
    collect,
    ensure_free_space,
    is_disk_full,
)
from storage.tasks import TaskLedger, task_key

log = logging.getLogger(__name__)
FINAL = ("done", "done_with_errors", "failed")
STAGE_FR = {"job": "réception de l'envoi", "prepare": "préparation des fichiers", "pages": "lecture des pages",
            "chunk": "découpage",
            "index": "indexation plein texte", "embed": "calcul des vecteurs", "dense": "indexation sémantique",
            "finish": "clôture"}


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


def _is_file_problem(exc: BaseException) -> bool:
    """Errors that retrying cannot cure: the file's own French error, at once (the job goes on)."""
    return isinstance(exc, (AppError, MemoryError, UnicodeError)) or is_disk_full(exc)


def job_files(folder: Path) -> list[Path]:
    """One file per numbered sub-folder (same-name files of one upload are all kept), then the plain files."""
    if not folder.is_dir():
        return []
    files = sorted(p for sub in sorted(folder.iterdir()) if sub.is_dir() for p in sub.iterdir() if p.is_file())
    return files + sorted(p for p in folder.iterdir() if p.is_file())


class StagedIngestion:
    def __init__(self, settings: Settings, catalog: Catalog, ingestor: Ingestor, ledger: TaskLedger, jobs: JobBook,
                 audit: AuditSink, send: Send, owns_store: bool, blobs: BlobStore | None = None) -> None:
        self.settings, self.catalog, self.ingestor = settings, catalog, ingestor
        self.blobs = blobs if blobs is not None else ingestor.blobs  # where received files go (the ingestor's)
        self.ledger, self.jobs, self.audit, self.send = ledger, jobs, audit, send
        self.owns_store = owns_store  # False in a worker beside an embedded store: it never opens the store

    # entry points ------------------------------------------------------------------------------------------
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

    # receiving -----------------------------------------------------------------------------------------------
    def receive(self, job_id: str) -> list[dict]:
        """The files of a job, listed once in its options, each received file put in the blob store first (the
        server does it before queueing: a worker on another machine then needs the database only, never the
        server's upload folder). With the database blob store the upload folder is removed at once."""
        options = self.jobs.options(job_id)
        if "files" in options:
            return options["files"]
        folder = self.jobs.folder(job_id)
        candidates = collect(job_files(folder))
        manifests = {f: read_manifest(f) for f in {c.path.parent for c in candidates if c.error is None}}
        files = []
        for c in candidates:
            entry: dict[str, Any] = {"name": c.name, "sha256": None, "size": 0, "manifest": None, "error": None}
            try:
                if c.error is not None:
                    raise c.error
                info = self.blobs.put(c.path)
                entry |= {"sha256": info.sha256, "size": info.size,
                          "manifest": manifests.get(c.path.parent, {}).get(c.path.name)}
            except AppError as exc:
                entry["error"] = {"message": exc.message, "code": exc.code}
            files.append(entry)
        self.jobs.set_options(job_id, options | {"files": files})
        if self.settings.blobs.backend != "filesystem" and files:
            shutil.rmtree(folder, ignore_errors=True)  # every received byte is in the database
        return files

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

    # stages ------------------------------------------------------------------------------------------------
    def _job(self, job: dict, payload: dict) -> dict | None:
        """List the files (one `prepare` task each: a multi-file upload spreads across workers) and send (back)
        whatever is unfinished: the first time the files, after a crash or on resume whatever was lost."""
        job_id = job["id"]
        if "files" not in self.jobs.options(job_id):  # queued by an earlier version: its files are in a folder
            if not self.jobs.folder(job_id).is_dir():
                raise AppError("Les fichiers de cet envoi ne sont pas dans le magasin de fichiers et ce processus ne "
                               "voit pas le dossier où ils ont été reçus : relancez l'analyse depuis le serveur qui "
                               "les a reçus.", code="fichiers_non_recus")
            self.receive(job_id)
        files = self._files(job_id)
        self.ledger.add(job_id, "file", None, [(i, 0) for i in range(len(files))])
        self.ledger.add(job_id, "prepare", None, [(i, 0) for i in range(len(files))])
        self.jobs.update(job_id, "running", self.ledger.progress(job_id))
        if self.owns_store:
            self.ingestor.check_embedding_model()
        self.catalog.upsert_dossier(CaseFile(id=job["dossier"], juridiction=job["juridiction"]))
        # a duplicate of a task in flight is harmless (its row is done once)
        for t in self.ledger.tasks(job_id):
            if t.state == "done" or t.stage in ("job", "file"):
                continue
            if t.stage == "prepare" and not self._ready(job_id, files, t.part):
                continue  # sent when the files it waits for are prepared
            self.send(t.stage, {"job": job_id, "key": t.key, "doc": t.document_id})
        for row in self.ledger.tasks(job_id, "file"):
            if row.state != "done" and row.document_id:
                for stage in ("pages", "chunk", "embed"):
                    self._claims(job_id, stage, row.document_id)
        if not files:
            self._claim(job_id, "finish", None)
        return None

    def _prepare(self, job: dict, payload: dict) -> dict | None:
        """One file: its bytes from the blob store (a verified local copy), checks, PDF made and kept, pages
        counted, its page tasks sent."""
        job_id = job["id"]
        task = self.ledger.get(payload["key"])
        assert task is not None
        index, entry = task.part, self._files(job_id)[task.part]
        row = self.ledger.get(task_key(job_id, "file", None, index))
        assert row is not None
        if row.state == "done":
            return None
        if row.document_id:  # prepared by an attempt that stopped before its end: its own tasks carry it on
            self._requeue(job_id, row.document_id)
            return None
        started = time.time()
        try:
            if entry.get("error"):
                raise AppError(entry["error"]["message"], code=entry["error"]["code"])
            local = self.blobs.local(entry["sha256"])  # DamagedFile / NotFound: the file's French error
            dossier = self.catalog.dossier(job["dossier"])
            manifest = tuple(entry["manifest"]) if entry.get("manifest") else None
            run_cotes = {r.result["cote"]: r.result["file"] for r in self.ledger.tasks(job_id, "file")
                         if r.part < index and r.result and r.result.get("cote") and r.result.get("status") != "failed"}
            outcome = self._prepare_file(Candidate(local, entry["name"]), dossier, manifest,  # type: ignore[arg-type]
                                         self._mode(job_id), run_cotes, job_id, index)
        except _Cancelled as cancelled:
            outcome = cancelled.report
        except Exception as exc:
            if not _is_file_problem(exc):
                raise
            err = _unexpected(exc)
            outcome = DocReport(file=entry["name"], status="failed", error=err.message, error_code=err.code)
        if isinstance(outcome, DocReport):
            outcome.seconds = round(time.time() - started, 3)
            self.ledger.finish(row.key, asdict(outcome))
            return None
        doc, cote_origin = outcome
        size = self.settings.queue.pages_per_task
        parts = [(first, min(size, doc.page_count - first)) for first in range(0, doc.page_count, size)]
        self.ledger.add(job_id, "pages", doc.id, parts)  # before the file names its document: a retry finds them
        self._set_file(row.key, doc, cote_origin, started)
        self._requeue(job_id, doc.id)
        return None

    def _requeue(self, job_id: str, doc_id: str) -> None:
        for t in self.ledger.tasks(job_id, document_id=doc_id):
            if t.state != "done" and t.stage != "file":
                self.send(t.stage, {"job": job_id, "key": t.key, "doc": doc_id})
        for stage in ("pages", "chunk", "embed"):
            self._claims(job_id, stage, doc_id)

    def _prepare_file(self, c: Candidate, dossier: CaseFile, entry: tuple[str, str] | None, mode: str,
                      run_cotes: dict[str, str], job_id: str, index: int
                      ) -> DocReport | tuple[SourceDocument, str | None]:
        """The start of Ingestor._ingest_file: checks, original kept, PDF made, pages counted."""
        ing, cfg = self.ingestor, self.settings.ingestion
        found = ing.identify(c, dossier, entry)
        if isinstance(found, DocReport):
            return found
        doc, cote_origin = found.doc, found.cote_origin
        twin = next((r for r in self.ledger.tasks(job_id, "file") if r.document_id == doc.id and r.part != index),
                    None)
        if twin is not None:  # the same bytes twice in one upload: stored once (counts filled in at the end)
            return DocReport(file=c.name, cote=(twin.result or {}).get("cote"), status="unchanged", document_id=doc.id,
                             warnings=[f"Même contenu que « {(twin.result or {}).get('file')} » dans ce même envoi : "
                                       "enregistré une seule fois."])
        if doc.cote:
            ing._check_conflict(doc, mode, run_cotes, early=True)  # type: ignore[arg-type]
        original = ing._store_original(c.path, doc.sha256, found.size, found.mtime)
        try:
            pdf_path, pdf_sha = ing._pdf_of(original, doc)
            check_pdf_streams(pdf_path, cfg.max_pdf_stream_mb, cfg.max_image_pixels)
            raw = pdf_path.read_bytes()
            if b"/JavaScript" in raw or b"/EmbeddedFile" in raw:
                doc.warnings.append("Le PDF contient du JavaScript ou des pièces jointes : ignorés, jamais exécutés.")
            del raw
            pdf = open_pdf(str(pdf_path))
            try:
                count = len(pdf)
            finally:
                pdf.close()
            if count > cfg.max_pages:
                raise UnsupportedDocument(f"Trop de pages ({count} > {cfg.max_pages}).", code="trop_de_pages")
            doc.page_count = count
            self.catalog.save_document(doc, pdf_sha256=pdf_sha)
        except Exception as exc:
            if not _is_file_problem(exc):
                raise
            return ing._fail(doc, _unexpected(exc))
        return doc, cote_origin

    def _pages(self, job: dict, payload: dict) -> dict | None:
        task = self.ledger.get(payload["key"])
        assert task is not None and task.document_id
        doc_id, first, count = task.document_id, task.part, task.size
        try:
            return self._read_pages(doc_id, str(self.ingestor.pdf_file(doc_id)), first, count)
        except Exception as exc:
            if not _is_file_problem(exc):
                raise
            self._file_done(job["id"], doc_id, self.ingestor._fail(self._document(doc_id), _unexpected(exc)))
            return None

    def _read_pages(self, doc_id: str, pdf_path: str, first: int, count: int) -> dict:
        cfg = self.settings.ingestion
        deadline = Deadline(cfg.file_time_budget_s)
        pdf = open_pdf(pdf_path)
        try:
            raws = [extract_page(pdf, i, cfg.min_text_chars) for i in range(first, first + count)]
        finally:
            pdf.close()
        pages, ocr = [], 0
        for r in raws:
            page = Page(document_id=doc_id, number=r.number, text=r.text, lines=r.lines, width=r.width,
                        height=r.height)
            if r.needs_ocr:
                deadline.check(f"OCR de la page {r.number}")
                pixels = cfg.max_render_pixels
                if max(page.width, page.height) > cfg.max_page_points:
                    pixels = min(pixels, 10_000_000)
                limits = Limits(min(cfg.converter_timeout_s, deadline.remaining()), cfg.converter_memory_mb,
                                cfg.converter_cpu_s)
                res = ocr_page(pdf_path, r.number - 1, cfg.ocr_language, cfg.ocr_dpi, pixels, limits)
                if res.text.strip():
                    page.text, page.lines, page.ocr, page.ocr_confidence = res.text, res.lines, True, res.confidence
                    ocr += 1
            page.blank = not page.text.strip()
            pages.append(page)
        self.catalog.save_pages(pages)
        return {"ocr": ocr}

    def _chunk(self, job: dict, payload: dict) -> dict | None:
        doc_id = payload["doc"]
        doc = self._document(doc_id)
        pages = self.catalog.pages(doc_id)
        if len(pages) != doc.page_count:
            raise RuntimeError(f"{len(pages)} pages lues sur {doc.page_count}")
        cfg = self.settings.ingestion
        file_row = self._file_row(job["id"], doc_id)
        cote_origin = (file_row.result or {}).get("cote_origin")

        def warn(text: str) -> None:
            if text not in doc.warnings:  # a retried task never says it twice
                doc.warnings.append(text)

        huge = [p.number for p in pages if max(p.width, p.height) > cfg.max_page_points]
        if huge:
            warn(f"Pages de très grand format ({', '.join(map(str, huge[:10]))}) : lues à résolution réduite "
                 f"(au-delà de {cfg.max_page_points:.0f} points, réglage ingestion.max_page_points).")
        blanks = [p.number for p in pages if p.blank]
        if blanks:
            warn(f"Pages blanches conservées : {', '.join(map(str, blanks))}.")
        low = [p.number for p in pages if p.ocr and (p.ocr_confidence or 0) < 0.6]
        if low:
            warn(f"OCR de faible confiance pages {', '.join(map(str, low))} : vérifier la lecture.")
        try:
            doc.status = DocumentStatus.parsed
            self.catalog.save_document(doc)
            chunks = self.ingestor._chunk(doc, pages, cote_origin)
            if not chunks and any(p.text.strip() for p in pages):
                raise UnsupportedDocument("Aucun extrait indexé alors que les pages contiennent du texte : document "
                                          "non enregistré (signalez-le).", code="aucun_extrait")
            earlier = self._earlier_cotes(job["id"], file_row.part)
            self.ingestor._check_conflict(doc, self._mode(job["id"]), earlier, early=False)  # type: ignore[arg-type]
        except _Cancelled as cancelled:
            self.catalog.remove_document(doc.id)
            self._file_done(job["id"], doc_id, cancelled.report)
            return None
        except Exception as exc:
            if not _is_file_problem(exc):
                raise
            self._file_done(job["id"], doc_id, self.ingestor._fail(doc, _unexpected(exc)))
            return None
        doc.status = DocumentStatus.chunked
        self.catalog.save_pages(pages)
        self.catalog.save_chunks(doc.id, chunks)
        self.catalog.save_document(doc)
        return None

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
                if not _is_file_problem(exc):
                    raise
                self._file_done(job["id"], doc_id, ing._fail(doc, _unexpected(exc)))
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

    def _complete_file(self, job_id: str, doc_id: str) -> None:
        doc = self._document(doc_id)
        pages = self.catalog.pages(doc_id)
        self._file_done(job_id, doc_id, DocReport(
            file=doc.filename, cote=doc.cote, pages=len(pages), ocr_pages=sum(p.ocr for p in pages),
            chunks=len(self.catalog.chunks(doc_id)), status="stored", warnings=doc.warnings, document_id=doc.id,
            version=doc.version))

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

    # moving on ---------------------------------------------------------------------------------------------
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

    # helpers -----------------------------------------------------------------------------------------------
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
