"""Stage 1 of a staged job up to the chunks: the files received into the blob store, listed (one `prepare` task
each), prepared (checks, PDF, pages counted), their pages read a few at a time, then cotes and chunks."""
from __future__ import annotations

import shutil
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from core.errors import AppError
from core.models import CaseFile, DocumentStatus, Page, SourceDocument
from ingestion.cotes import read_manifest
from ingestion.ocr import ocr_page
from ingestion.pdf import extract_page, open_pdf
from ingestion.reading import apply_ocr, check_page_count, check_pdf, huge_pages_warning, read_warnings, render_pixels
from ingestion.reports import Cancelled, DocReport, file_error
from ingestion.safety import Candidate, Deadline, Limits, collect
from ingestion.staged.state import JobState, is_file_problem
from storage.tasks import task_key


def job_files(folder: Path) -> list[Path]:
    """One file per numbered sub-folder (same-name files of one upload are all kept), then the plain files."""
    if not folder.is_dir():
        return []
    files = sorted(p for sub in sorted(folder.iterdir()) if sub.is_dir() for p in sub.iterdir() if p.is_file())
    return files + sorted(p for p in folder.iterdir() if p.is_file())


class PreparingTasks(JobState):
    """The tasks `job`, `prepare`, `pages` and `chunk`, run by any worker."""

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
        except Cancelled as cancelled:
            outcome = cancelled.report
        except Exception as exc:
            if not is_file_problem(exc):
                raise
            err = file_error(exc)
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
            doc.warnings += check_pdf(pdf_path, cfg)
            pdf = open_pdf(str(pdf_path))
            try:
                count = len(pdf)
            finally:
                pdf.close()
            check_page_count(count, cfg)
            doc.page_count = count
            self.catalog.save_document(doc, pdf_sha256=pdf_sha)
        except Exception as exc:
            if not is_file_problem(exc):
                raise
            return ing._fail(doc, file_error(exc))
        return doc, cote_origin

    def _pages(self, job: dict, payload: dict) -> dict | None:
        task = self.ledger.get(payload["key"])
        assert task is not None and task.document_id
        doc_id, first, count = task.document_id, task.part, task.size
        try:
            return self._read_pages(doc_id, str(self.ingestor.pdf_file(doc_id)), first, count)
        except Exception as exc:
            if not is_file_problem(exc):
                raise
            self._file_done(job["id"], doc_id, self.ingestor._fail(self._document(doc_id), file_error(exc)))
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
                limits = Limits(min(cfg.converter_timeout_s, deadline.remaining()), cfg.converter_memory_mb,
                                cfg.converter_cpu_s)
                res = ocr_page(pdf_path, r.number - 1, cfg.ocr_language, cfg.ocr_dpi, render_pixels(page, cfg), limits)
                ocr += apply_ocr(page, res)
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

        for text in [huge_pages_warning(pages, cfg), *read_warnings(pages)]:
            if text and text not in doc.warnings:  # a retried task never says it twice
                doc.warnings.append(text)
        try:
            doc.status = DocumentStatus.parsed
            self.catalog.save_document(doc)
            chunks = self.ingestor._chunk(doc, pages, cote_origin)
            earlier = self._earlier_cotes(job["id"], file_row.part)
            self.ingestor._check_conflict(doc, self._mode(job["id"]), earlier, early=False)  # type: ignore[arg-type]
        except Cancelled as cancelled:
            self.catalog.remove_document(doc.id)
            self._file_done(job["id"], doc_id, cancelled.report)
            return None
        except Exception as exc:
            if not is_file_problem(exc):
                raise
            self._file_done(job["id"], doc_id, self.ingestor._fail(doc, file_error(exc)))
            return None
        doc.status = DocumentStatus.chunked
        self.catalog.save_pages(pages)
        self.catalog.save_chunks(doc.id, chunks)
        self.catalog.save_document(doc)
        return None
