"""Ingest a case file: each document journaled received -> parsed -> chunked -> embedded -> stored.

Stage 1, here, file by file: the file identified and checked, its original kept, its pages read
(`ingestion.reading`), its cotes and chunks, the chunks in the store with their BM25 vector (searchable at once).
Stage 2, the dense vectors, is `ingestion.dense`; conflicts of cotes `ingestion.versions`; repairs and re-index
`ingestion.doctor`; the reports `ingestion.reports`."""
from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from core.citation import page_citation
from core.errors import AppError, NotFound, UnsupportedDocument
from core.ids import document_id
from core.models import CaseFile, DocumentStatus, Page, SourceDocument
from core.protocols import BlobStore, Embedder, SparseEncoder, VectorStore
from core.sentences import detect_running_lines
from core.settings import Settings
from ingestion.catalog import Catalog
from ingestion.chunker import chunk_page
from ingestion.cotes import majority, read_manifest, stamp_from_scan, stamp_of_page
from ingestion.detect import sniff
from ingestion.doctor import Doctor
from ingestion.reading import read_pdf, to_pdf
from ingestion.reports import (
    Cancelled,
    DocReport,
    Identified,
    IngestReport,
    OnConflict,
    Progress,
    early_cote,
    file_error,
)
from ingestion.safety import Candidate, Deadline, FileChanged, collect, ensure_free_space, fingerprint, is_disk_full
from ingestion.versions import Versions
from storage.blobs import open_blob_store

__all__ = ["DocReport", "Identified", "IngestReport", "Ingestor", "OnConflict", "Progress", "early_cote"]


class Ingestor(Versions, Doctor):
    def __init__(self, settings: Settings, catalog: Catalog, store: VectorStore, embedder: Embedder,
                 sparse: SparseEncoder, blobs: BlobStore | None = None) -> None:
        self.settings, self.catalog, self.store = settings, catalog, store
        self.embedder, self.sparse = embedder, sparse
        self.blobs = blobs if blobs is not None else open_blob_store(settings)
        self.originals = settings.paths.sub("originals")
        self.converted = settings.paths.sub("converted")

    def check_embedding_model(self) -> None:
        """Refuse to mix embedding models in one collection (an explicit re-index is required)."""
        info = self.store.info()
        if info and (info.embedding_model != self.embedder.name or info.dimension != self.embedder.dimension):
            raise AppError(f"La collection a été indexée avec {info.embedding_model} (vecteurs de dimension "
                           f"{info.dimension}) ; le modèle configuré est {self.embedder.name} (dimension "
                           f"{self.embedder.dimension}) : les deux ne se mélangent pas dans une collection. Lancez "
                           "« assistant-parquet reindex ».", code="modele_different")
        self.store.ensure_collection(self.embedder.name, self.embedder.dimension)

    def ingest(self, paths: Iterable[Path], dossier_id: str, juridiction: str = "TJ Paris",
               title: str = "", progress: Progress | None = None,
               on_conflict: OnConflict | None = None, embed: bool = True) -> IngestReport:
        """Ingest every file; a file that fails for any reason becomes that file's French error, the run goes
        on. A cote already in the dossier is handled by `on_conflict` (default: the setting). With `embed=False`
        the run stops after stage 1 (pages stored, chunks searchable by BM25): the caller uses the pages at once
        and calls `finish_embedding` afterwards."""
        mode = on_conflict or self.settings.ingestion.on_conflict
        self.check_embedding_model()
        dossier = self.catalog.upsert_dossier(CaseFile(id=dossier_id, juridiction=juridiction, title=title))
        candidates = collect(paths)
        manifests = {folder: read_manifest(folder) for folder in {c.path.parent for c in candidates
                                                                  if c.error is None}}
        report = IngestReport(dossier_id)
        run_cotes: dict[str, str] = {}
        for c in candidates:
            started = time.perf_counter()
            try:
                if c.error is not None:
                    raise c.error
                entry = manifests.get(c.path.parent, {}).get(c.path.name)
                doc_report = self._ingest_with_retry(c, dossier, entry, progress, mode, run_cotes)
            except Cancelled as cancelled:
                doc_report = cancelled.report
            except Exception as exc:  # noqa: BLE001 — one bad file never aborts the run
                err = file_error(exc)
                doc_report = DocReport(file=c.name, status="failed", error=err.message, error_code=err.code)
            doc_report.seconds = round(time.perf_counter() - started, 3)
            if doc_report.status == "stored" and doc_report.cote:
                run_cotes.setdefault(doc_report.cote, doc_report.file)
            report.documents.append(doc_report)
            if progress:
                progress("document", asdict(doc_report))
        if embed:
            self._embed_stage(dossier.id, report, progress)
        return report

    def _ingest_with_retry(self, c: Candidate, dossier: CaseFile, entry: tuple[str, str] | None,
                           progress: Progress | None, mode: OnConflict, run_cotes: dict[str, str]) -> DocReport:
        """A file that changes while it is read is read again once; if it changes again it fails."""
        try:
            return self._ingest_file(c, dossier, entry, progress, mode, run_cotes)
        except FileChanged:
            time.sleep(0.2)
            try:
                return self._ingest_file(c, dossier, entry, progress, mode, run_cotes)
            except FileChanged as exc:
                raise FileChanged("Le fichier a changé pendant sa lecture (deux fois de suite) : non enregistré ; "
                                  "relancez quand il n'est plus en cours d'écriture.") from exc

    def _fail(self, doc: SourceDocument, exc: AppError) -> DocReport:
        doc.status, doc.error, doc.error_code = DocumentStatus.failed, exc.message, exc.code
        previous = [d for d in self.catalog.current_documents(doc.dossier_id) if doc.cote and d.cote == doc.cote
                    and d.id != doc.id]
        if previous:
            doc.warnings.append(f"La version précédente de {doc.cote} (« {previous[-1].filename} ») reste en "
                                "vigueur.")
        try:
            self.catalog.save_document(doc)
        except Exception as save_exc:  # noqa: BLE001 — e.g. disk full: the report still says why
            if not is_disk_full(save_exc):
                raise
        return DocReport(file=doc.filename, status="failed", error=exc.message, error_code=exc.code,
                         document_id=doc.id, cote=doc.cote, warnings=doc.warnings)

    def _store_original(self, path: Path, sha: str, size: int, mtime: int) -> Path:
        """The content-addressed copy in the blob store (streamed, hash verified; a blob already there is kept);
        a file modified meanwhile is refused. Returns a local file with the verified bytes."""
        known = self.blobs.info(sha)
        if known is None or known.size != size:
            ensure_free_space(self.settings.paths.data_dir, size * 2, self.settings.ingestion.min_free_mb)
            self.blobs.put(path, sha)
            st = os.stat(path, follow_symlinks=False)
            if (st.st_size, st.st_mtime_ns) != (size, mtime):
                self.blobs.delete(sha)
                raise FileChanged("Le fichier a été modifié pendant sa lecture.")
        return self.blobs.local(sha)

    def _pdf_of(self, original: Path, doc: SourceDocument) -> tuple[Path, str]:
        """The local PDF to read and its blob: the original itself, or its conversion, kept in the blob store (so
        that any machine reads and shows the same pages); a conversion already stored is not redone."""
        if doc.kind == "pdf":
            return to_pdf(original, doc.kind, doc.sha256, self.converted, self.settings.ingestion), doc.sha256
        known = self.catalog.pdf_blob(doc.id)
        if known and self.blobs.info(known) is not None:
            return self.blobs.local(known), known
        made = to_pdf(original, doc.kind, doc.sha256, self.converted, self.settings.ingestion)
        kept = self.blobs.adopt(made)
        return self.blobs.local(kept.sha256), kept.sha256

    def pdf_file(self, document_id: str) -> Path:
        """The local PDF whose pages are read and shown, from the blob store whichever machine stored it (rows
        written before the blob store name their file)."""
        sha = self.catalog.pdf_blob(document_id)
        if sha:
            return self.blobs.local(sha)
        path = self.catalog.pdf_path(document_id)
        if path:
            return Path(path)
        raise NotFound("PDF du document introuvable.", param="document")

    def identify(self, c: Candidate, dossier: CaseFile, manifest_entry: tuple[str, str] | None) -> DocReport | Identified:
        """The checks every ingestion path makes before writing anything: size limit, fingerprint, content kind,
        already stored in the dossier (an `unchanged` report), cote from the manifest or the file name."""
        cfg = self.settings.ingestion
        path, name = c.path, c.name
        size_mb = os.stat(path, follow_symlinks=False).st_size / 1e6
        if size_mb > cfg.max_file_mb:
            raise UnsupportedDocument(f"Fichier trop volumineux ({size_mb:.0f} Mo > "
                                      f"{cfg.max_file_mb:.0f} Mo).", code="fichier_trop_gros")
        sha, size, mtime = fingerprint(path)
        kind = sniff(path)
        if kind == "empty":
            raise UnsupportedDocument("Fichier vide (0 octet).", code="fichier_vide")
        if kind == "unknown":
            raise UnsupportedDocument("Type de fichier non pris en charge (contenu non reconnu).",
                                      code="type_non_pris_en_charge")
        doc_id = document_id(dossier.id, sha)
        existing = self.catalog.document(doc_id)
        if existing and existing.status in (DocumentStatus.stored, DocumentStatus.replaced):
            return DocReport(file=name, cote=existing.cote, pages=existing.page_count, status="unchanged",
                             document_id=doc_id, chunks=len(self.catalog.chunks(doc_id)), version=existing.version,
                             warnings=["Version remplacée : déjà présente dans le dossier, non réindexée."]
                             if existing.status == DocumentStatus.replaced else [])
        warnings: list[str] = []
        if kind != "pdf" and Path(name).suffix.lower() == ".pdf":
            warnings.append(f"Extension .pdf mais contenu de type {kind} : traité comme {kind}.")
        cote, cote_origin = early_cote(name, manifest_entry, cfg.cote_sources)
        title = manifest_entry[1] if manifest_entry else ""
        doc = SourceDocument(id=doc_id, dossier_id=dossier.id, cote=cote, title=title or Path(name).stem, kind=kind,
                             sha256=sha, filename=name, warnings=warnings)
        return Identified(doc, cote_origin, size, mtime)

    def _ingest_file(self, c: Candidate, dossier: CaseFile, manifest_entry: tuple[str, str] | None,
                     progress: Progress | None, mode: OnConflict, run_cotes: dict[str, str]) -> DocReport:
        cfg = self.settings.ingestion
        deadline = Deadline(cfg.file_time_budget_s)
        found = self.identify(c, dossier, manifest_entry)
        if isinstance(found, DocReport):
            return found
        doc, cote_origin, sha, name = found.doc, found.cote_origin, found.doc.sha256, c.name
        if doc.cote:  # cote known before parsing: decide now, nothing is written for a refused file
            self._check_conflict(doc, mode, run_cotes, early=True)
        original = self._store_original(c.path, sha, found.size, found.mtime)
        try:
            pdf_path, pdf_sha = self._pdf_of(original, doc)
            self.catalog.save_document(doc, pdf_sha256=pdf_sha)
            pages = read_pdf(doc, pdf_path, cfg, progress, deadline)
            deadline.check("lecture des pages")
            doc.status = DocumentStatus.parsed
            self.catalog.save_pages(pages)
            self.catalog.save_document(doc)
            chunks = self._chunk(doc, pages, cote_origin)
            replacing = self._check_conflict(doc, mode, run_cotes, early=False)
            doc.status = DocumentStatus.chunked
            self.catalog.save_pages(pages)
            self.catalog.save_chunks(doc.id, chunks)
            self.catalog.save_document(doc)
            # End of stage 1: the chunks go to the store with their BM25 vector only, searchable at once; their
            # dense vectors come in stage 2 (embed_pending), once every file of the run is searchable.
            points = self._sparse_points(chunks)
            doc.status = DocumentStatus.embedded  # = points being written (a crash here is repaired by doctor)
            self.catalog.save_document(doc)
            ensure_free_space(self.settings.paths.data_dir, len(points) * 8192, cfg.min_free_mb)
            self.store.delete_document(dossier.id, doc.id)
            self.store.upsert(points)
            self._settle_versions(doc, replacing, mode)
            doc.status = DocumentStatus.stored
            self.catalog.save_document(doc)
        except Cancelled:
            self.catalog.remove_document(doc.id)
            raise
        except FileChanged:
            raise
        except Exception as exc:  # noqa: BLE001 — recorded as this file's failure, old version untouched
            return self._fail(doc, file_error(exc))
        return DocReport(file=name, cote=doc.cote, pages=len(pages), ocr_pages=sum(p.ocr for p in pages),
                         chunks=len(chunks), status="stored", warnings=doc.warnings, document_id=doc.id,
                         version=doc.version)

    def _chunk(self, doc: SourceDocument, pages: list[Page], cote_origin: str | None) -> list:
        """The cotes of the pages (manifest, file name, stamps) and their chunks; pages with text and no chunk are
        an error, never an empty success."""
        cfg = self.settings.ingestion
        known = {d.cote for d in self.catalog.documents(doc.dossier_id) if d.cote and d.id != doc.id}
        stamps = [stamp_of_page(p.text, known) if "stamp" in cfg.cote_sources else (None, None) for p in pages]
        if "stamp" in cfg.cote_sources and not doc.cote and not any(c for c, _ in stamps) and pages[0].ocr:
            # a boxed stamp (« D1 » in a frame) is lost by page OCR: read the page's top and bottom bands alone
            boxed = stamp_from_scan(str(self.pdf_file(doc.id)), 0, cfg.ocr_dpi, known)
            stamps = [(boxed, None)] * len(pages) if boxed else stamps
        for page, (cote, within) in zip(pages, stamps, strict=True):
            page.cote, page.cote_page = cote, within
        stamped = majority([s[0] for s in stamps])
        if cote_origin == "filename" and stamped and stamped != doc.cote:
            # The greffier's stamp outranks a file name ("b1.pdf" may mean bulletin n° 1, not cote B1).
            doc.warnings.append(f"Le nom de fichier suggère la cote {doc.cote} mais les tampons indiquent {stamped} : "
                                f"{stamped} retenue.")
            doc.cote = stamped
        if not doc.cote:
            doc.cote = stamped
        distinct = {s[0] for s in stamps if s[0]}
        split = not doc.cote and len(distinct) > 1
        if split:
            doc.warnings.append(f"Document regroupant plusieurs cotes ({', '.join(sorted(distinct))}) : "
                                "découpé page par page selon les tampons.")
        elif not doc.cote:
            doc.warnings.append("Aucune cote détectée : à renseigner (manifeste ou nom de fichier).")
        running = detect_running_lines([p.text for p in pages])
        juridiction = self.catalog.dossier(doc.dossier_id).juridiction
        chunks = []
        for page in pages:
            cote, cite_page = page_citation(doc.cote, page)
            chunks += chunk_page(page, dossier_id=doc.dossier_id, juridiction=juridiction,
                                 cote=cote, cite_page=cite_page, kind=doc.kind, title=doc.title,
                                 target=cfg.chunk_chars, overlap=cfg.chunk_overlap, running=running)
        if not chunks and any(p.text.strip() for p in pages):
            raise UnsupportedDocument("Aucun extrait indexé alors que les pages contiennent du texte : document non "
                                      "enregistré (signalez-le).", code="aucun_extrait")
        return chunks
