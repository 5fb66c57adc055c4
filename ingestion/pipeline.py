"""Ingest a case file: each document journaled received -> parsed -> chunked -> embedded -> stored."""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from core.citation import page_citation
from core.errors import AppError, NotFound, UnsupportedDocument
from core.ids import document_id
from core.models import CaseFile, DocumentStatus, Page, SourceDocument
from core.protocols import BlobStore, Embedder, SearchFilter, SparseEncoder, StoredPoint, VectorStore
from core.sentences import detect_running_lines
from core.settings import Settings
from ingestion import convert
from ingestion.catalog import Catalog
from ingestion.chunker import chunk_page
from ingestion.cotes import cote_from_filename, majority, read_manifest, stamp_from_scan, stamp_of_page
from ingestion.detect import IMAGES, OFFICE_TEXT, sniff
from ingestion.ocr import ocr_page
from ingestion.pdf import extract_page, open_pdf
from ingestion.safety import (
    Candidate,
    Deadline,
    DiskFull,
    FileChanged,
    LimitExceeded,
    Limits,
    check_pdf_streams,
    check_zip,
    collect,
    ensure_free_space,
    fingerprint,
    is_disk_full,
)
from storage.blobs import open_blob_store

TEXTUAL = {"txt", "html", "eml", "csv", "xlsx"}
ZIPPED = {"docx", "odt", "xlsx"}
OnConflict = Literal["ask", "replace", "version", "cancel"]


@dataclass
class DocReport:
    file: str
    cote: str | None = None
    pages: int = 0
    ocr_pages: int = 0
    chunks: int = 0
    status: str = "stored"  # stored | unchanged | failed | cancelled
    error: str | None = None
    error_code: str | None = None
    warnings: list[str] = field(default_factory=list)
    document_id: str | None = None
    seconds: float = 0.0
    version: int = 1


@dataclass
class IngestReport:
    dossier: str
    documents: list[DocReport] = field(default_factory=list)
    embedding_error: str | None = None  # stage 2 stopped: the files are in, searchable by BM25 only

    @property
    def failed(self) -> list[DocReport]:
        return [d for d in self.documents if d.status == "failed"]

    def totals(self) -> dict:
        docs = self.documents
        return {"files": len(docs), "stored": sum(d.status in ("stored", "unchanged") for d in docs),
                "unchanged": sum(d.status == "unchanged" for d in docs), "failed": len(self.failed),
                "cancelled": sum(d.status == "cancelled" for d in docs),
                "pages": sum(d.pages for d in docs), "ocr_pages": sum(d.ocr_pages for d in docs),
                "chunks": sum(d.chunks for d in docs)}

    def to_dict(self) -> dict:
        return {"dossier": self.dossier, "documents": [asdict(d) for d in self.documents], "totals": self.totals(),
                "embedding_error": self.embedding_error}


Progress = Callable[[str, dict], None]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files given directly, plus the regular files inside given folders (links and special files left out)."""
    return [c.path for c in collect(paths) if c.error is None]


WAITING = "Indexation sémantique en attente"


def _waiting_note(reason: str) -> str:
    return (f"{WAITING} : {reason} La pièce est déjà interrogeable en recherche plein texte ; relancez l'envoi "
            "ou « assistant-parquet doctor --repair » pour terminer.")


@dataclass
class Identified:
    """A file recognised and checked, nothing written yet: its document (cote from the manifest or the file name),
    where that cote came from, and the size and date its fingerprint was taken at."""

    doc: SourceDocument
    cote_origin: str | None
    size: int
    mtime: int


def early_cote(name: str, manifest_entry: tuple[str, str] | None, sources: Iterable[str]) -> tuple[str | None, str | None]:
    """The cote known before parsing (manifest, else the file name when allowed) and where it came from."""
    if manifest_entry and manifest_entry[0]:
        return manifest_entry[0], "manifest"
    if "filename" in sources:
        cote = cote_from_filename(name)
        return cote, ("filename" if cote else None)
    return None, None


class _Cancelled(Exception):
    def __init__(self, report: DocReport) -> None:
        self.report = report


def _unexpected(exc: BaseException) -> AppError:
    """Any per-file exception as that file's French error (the run goes on)."""
    if isinstance(exc, AppError):
        return exc
    if is_disk_full(exc):
        return DiskFull("Disque plein pendant l'écriture : ce fichier n'a pas été enregistré (rien de partiel "
                        "n'est conservé) ; libérez de la place puis relancez.")
    if isinstance(exc, MemoryError):
        return LimitExceeded("Mémoire insuffisante pour traiter ce fichier : refusé.", code="memoire_insuffisante")
    if isinstance(exc, UnicodeError):
        return UnsupportedDocument("Encodage de caractères illisible dans ce fichier.", code="encodage_illisible")
    return AppError(f"Erreur inattendue pendant le traitement de ce fichier ({type(exc).__name__}) : fichier "
                    "non enregistré, les autres fichiers sont traités.", code="erreur_fichier")


class Ingestor:
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

    def _limits(self) -> Limits:
        cfg = self.settings.ingestion
        return Limits(cfg.converter_timeout_s, cfg.converter_memory_mb, cfg.converter_cpu_s)

    def conflicts(self, paths: Iterable[Path], dossier_id: str) -> list[dict]:
        """Files whose cote (manifest or file name) is already a stored piece of the dossier with other bytes:
        what `on_conflict=ask` asks about. Cotes read from page stamps are only known after parsing."""
        if self.catalog.find_dossier(dossier_id) is None:
            return []
        current = {d.cote: d for d in self.catalog.current_documents(dossier_id) if d.cote}
        candidates = [c for c in collect(paths) if c.error is None]
        manifests = {folder: read_manifest(folder) for folder in {c.path.parent for c in candidates}}
        out = []
        for c in candidates:
            entry = manifests.get(c.path.parent, {}).get(c.path.name)
            cote = entry[0] if entry else cote_from_filename(c.name)
            old = current.get(cote) if cote else None
            if old is None:
                continue
            sha = fingerprint(c.path)[0]
            if old.sha256 != sha:
                out.append({"file": c.name, "cote": cote, "existing": {
                    "document_id": old.id, "filename": old.filename, "version": old.version}})
        return out

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
            except _Cancelled as cancelled:
                doc_report = cancelled.report
            except Exception as exc:  # noqa: BLE001 — one bad file never aborts the run
                err = _unexpected(exc)
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

    def finish_embedding(self, report: IngestReport, progress: Progress | None = None) -> None:
        """Stage 2 of a run ingested with `embed=False`. If the process stops before or during it, the chunks stay
        searchable by BM25 and marked not embedded: `doctor --repair` or the next ingestion of the dossier embeds
        them (nothing else is left half done)."""
        self._embed_stage(report.dossier, report, progress)

    # stage 2: dense vectors -------------------------------------------------------------------------------------
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
                    d.warnings.append(_waiting_note(f"temps de traitement dépassé ({budget:.0f} s par fichier, "
                                                    "réglage ingestion.file_time_budget_s)."))
            run = {d.document_id for d in stored}
            earlier = {c.rsplit("-p", 1)[0] for c in
                       self.store.chunk_ids(SearchFilter(dossier_id=dossier_id, embedded=False))} - run
            if earlier:  # left waiting by an earlier run (embedder down, process stopped)
                self.embed_pending(dossier_id, sorted(earlier), progress)
        except Exception as exc:  # noqa: BLE001 — the files are in; only their dense vectors wait
            err = _unexpected(exc)
            report.embedding_error = err.message
            try:
                waiting = {c.rsplit("-p", 1)[0] for c in
                           self.store.chunk_ids(SearchFilter(dossier_id=dossier_id, embedded=False))}
            except Exception:  # noqa: BLE001 — store unreachable too: every file of the run is concerned
                waiting = {d.document_id for d in stored}
            for d in stored:
                if d.document_id in waiting and not any(w.startswith(WAITING) for w in d.warnings):
                    d.warnings.append(_waiting_note(err.message))

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
            return self._as_pdf(original, doc.kind, doc.sha256, doc), doc.sha256
        known = self.catalog.pdf_blob(doc.id)
        if known and self.blobs.info(known) is not None:
            return self.blobs.local(known), known
        made = self._as_pdf(original, doc.kind, doc.sha256, doc)
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
            pages = self._parse(doc, pdf_path, progress, deadline)
            deadline.check("lecture des pages")
            doc.status = DocumentStatus.parsed
            self.catalog.save_pages(pages)
            self.catalog.save_document(doc)
            chunks = self._chunk(doc, pages, cote_origin)
            if not chunks and any(p.text.strip() for p in pages):
                raise UnsupportedDocument("Aucun extrait indexé alors que les pages contiennent du texte : document "
                                          "non enregistré (signalez-le).", code="aucun_extrait")
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
        except _Cancelled:
            self.catalog.remove_document(doc.id)
            raise
        except FileChanged:
            raise
        except Exception as exc:  # noqa: BLE001 — recorded as this file's failure, old version untouched
            return self._fail(doc, _unexpected(exc))
        return DocReport(file=name, cote=doc.cote, pages=len(pages), ocr_pages=sum(p.ocr for p in pages),
                         chunks=len(chunks), status="stored", warnings=doc.warnings, document_id=doc.id,
                         version=doc.version)

    def _check_conflict(self, doc: SourceDocument, mode: OnConflict, run_cotes: dict[str, str],
                        early: bool) -> list[SourceDocument]:
        """The stored pieces this new document would conflict with (same cote, other bytes), after applying the
        choice: `ask` refuses the file, `cancel` skips it, `replace`/`version` go on."""
        if not doc.cote:
            return []
        if doc.cote in run_cotes:
            raise UnsupportedDocument(f"La cote {doc.cote} est déjà portée par « {run_cotes[doc.cote]} » dans ce même "
                                      "envoi : fichier non enregistré (indiquez sa cote dans un manifeste ou "
                                      "renommez-le).", code="cote_en_double")
        previous = [d for d in self.catalog.current_documents(doc.dossier_id)
                    if d.cote == doc.cote and d.id != doc.id]
        if not previous:
            return []
        names = ", ".join(f"« {d.filename} » (version {d.version})" for d in previous)
        if mode == "ask":
            raise UnsupportedDocument(f"La cote {doc.cote} existe déjà dans ce dossier : {names}. Rien n'a été "
                                      "remplacé ; choisissez : remplacer, garder les deux versions ou annuler "
                                      "(--on-conflict replace|version|cancel).", code="cote_en_conflit")
        if mode == "cancel":
            raise _Cancelled(DocReport(file=doc.filename, cote=doc.cote, status="cancelled",
                                       warnings=[f"Envoi annulé pour ce fichier : la cote {doc.cote} existe déjà "
                                                 f"({names}), la version en place est conservée."]))
        doc.version = max(d.version for d in self.catalog.versions(doc.dossier_id, doc.cote)) + 1
        return previous

    def _settle_versions(self, doc: SourceDocument, previous: list[SourceDocument], mode: OnConflict) -> None:
        """After the new version is in the store: `replace` takes the old ones out of search (kept retrievable,
        originals kept or deleted per `ingestion.replaced_originals`); `version` keeps both searchable."""
        for other in previous:
            if mode == "version":
                doc.warnings.append(f"Nouvelle version {doc.version} de {doc.cote} ; la version {other.version} "
                                    f"(« {other.filename} ») reste consultable et interrogeable.")
                continue
            self.store.delete_document(doc.dossier_id, other.id)
            other.status, other.replaced_by = DocumentStatus.replaced, doc.id
            self.catalog.save_document(other)
            kept = "conservé"
            if self.settings.ingestion.replaced_originals == "delete" and not self.catalog.sha_in_use(other.sha256):
                self.blobs.delete(other.sha256)
                kept = "supprimé (réglage ingestion.replaced_originals)"
            doc.warnings.append(f"Remplace la version précédente de {doc.cote} ({other.sha256[:8]}, version "
                                f"{other.version}, original {kept}) : elle reste consultable, elle n'est plus "
                                "interrogée.")

    def _as_pdf(self, original: Path, kind: str, sha: str, doc: SourceDocument) -> Path:
        cfg = self.settings.ingestion
        if kind in ZIPPED:
            check_zip(original, cfg.max_unzipped_mb, cfg.max_zip_ratio)
        if kind == "pdf":
            return original
        target = self.converted / f"{sha}.pdf"
        if target.exists():
            return target
        ensure_free_space(self.converted, original.stat().st_size * 4, cfg.min_free_mb)
        if kind in OFFICE_TEXT:
            produced = convert.office_to_pdf(original, self.converted, cfg.libreoffice, kind, self._limits())
            return produced.replace(target)
        if kind in IMAGES:
            return convert.image_to_pdf(original, target, cfg.max_image_pixels, cfg.max_pages)
        if kind in TEXTUAL:
            text = convert.text_of(original, kind, cfg.max_text_chars)
            if not text.strip():
                raise UnsupportedDocument("Document texte vide.", code="fichier_vide")
            return convert.text_to_pdf(text, target)
        raise UnsupportedDocument("Type de fichier non pris en charge.", code="type_non_pris_en_charge")

    def _parse(self, doc: SourceDocument, pdf_path: Path, progress: Progress | None,
               deadline: Deadline | None = None) -> list[Page]:
        cfg = self.settings.ingestion
        deadline = deadline or Deadline(cfg.file_time_budget_s)
        check_pdf_streams(pdf_path, cfg.max_pdf_stream_mb, cfg.max_image_pixels)
        with open(pdf_path, "rb") as fh:
            raw_bytes = fh.read()
        if b"/JavaScript" in raw_bytes or b"/EmbeddedFile" in raw_bytes:
            doc.warnings.append("Le PDF contient du JavaScript ou des pièces jointes : ignorés, jamais exécutés.")
        del raw_bytes
        pdf = open_pdf(str(pdf_path))
        try:
            count = len(pdf)
            if count > cfg.max_pages:
                raise UnsupportedDocument(f"Trop de pages ({count} > {cfg.max_pages}).", code="trop_de_pages")
            raws = []
            for i in range(count):
                raws.append(extract_page(pdf, i, cfg.min_text_chars))
                if i % 50 == 49:
                    deadline.check(f"lecture de la page {i + 1}")
        finally:
            pdf.close()
        doc.page_count = count
        pages = [Page(document_id=doc.id, number=r.number, text=r.text, lines=r.lines, width=r.width,
                      height=r.height) for r in raws]
        huge = [r.number for r in raws if max(r.width, r.height) > cfg.max_page_points]
        if huge:
            doc.warnings.append(f"Pages de très grand format ({', '.join(map(str, huge[:10]))}) : lues à résolution "
                                f"réduite (au-delà de {cfg.max_page_points:.0f} points, réglage "
                                "ingestion.max_page_points).")
        to_ocr = [r.number for r in raws if r.needs_ocr]
        if to_ocr:
            limits = Limits(min(cfg.converter_timeout_s, deadline.remaining()), cfg.converter_memory_mb,
                            cfg.converter_cpu_s)

            def one(n: int):
                deadline.check(f"OCR de la page {n}")
                page = pages[n - 1]
                pixels = cfg.max_render_pixels
                if max(page.width, page.height) > cfg.max_page_points:
                    pixels = min(pixels, 10_000_000)
                return n, ocr_page(str(pdf_path), n - 1, cfg.ocr_language, cfg.ocr_dpi, pixels, limits)

            with ThreadPoolExecutor(max(1, cfg.ocr_jobs)) as pool:
                for n, res in pool.map(one, to_ocr):
                    page = pages[n - 1]
                    if res.text.strip():
                        page.text, page.lines, page.ocr, page.ocr_confidence = res.text, res.lines, True, res.confidence
                    if progress:
                        progress("ocr_page", {"file": doc.filename, "page": n})
        for page in pages:
            page.blank = not page.text.strip()
        blanks = [p.number for p in pages if p.blank]
        if blanks:
            doc.warnings.append(f"Pages blanches conservées : {', '.join(map(str, blanks))}.")
        low = [p.number for p in pages if p.ocr and (p.ocr_confidence or 0) < 0.6]
        if low:
            doc.warnings.append(f"OCR de faible confiance pages {', '.join(map(str, low))} : vérifier la lecture.")
        return pages

    def _chunk(self, doc: SourceDocument, pages: list[Page], cote_origin: str | None) -> list:
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
        return chunks

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

    def reindex(self, progress: Progress | None = None) -> dict:
        """Explicit re-index with the configured embedder: drop the collection, put every stored chunk back with
        its BM25 vector (every dossier searchable in full text within minutes), then embed them all; if that
        stops, `doctor --repair` or the next ingestion finishes it."""
        self.store.drop()
        self.store.ensure_collection(self.embedder.name, self.embedder.dimension)
        total = 0
        dossiers = self.catalog.dossiers()
        for dossier in dossiers:
            for doc in self.catalog.documents(dossier.id):
                if doc.status != DocumentStatus.stored:
                    continue
                points = self._sparse_points(self.catalog.chunks(doc.id))
                self.store.upsert(points)
                total += len(points)
                if progress:
                    progress("document", {"file": doc.filename, "chunks": len(points)})
        for dossier in dossiers:
            self.embed_pending(dossier.id, None, progress)
        return {"embedding_model": self.embedder.name, "chunks": total}

    def verify(self, dossier_id: str) -> dict:
        """Catalog and store agree: every stored document's chunks are in the store, nothing else is."""
        expected = {c.id for c in self.catalog.dossier_chunks(dossier_id)}
        actual = self.store.chunk_ids(SearchFilter(dossier_id=dossier_id))
        return {"expected": len(expected), "actual": len(actual), "missing": sorted(expected - actual)[:10],
                "extra": sorted(actual - expected)[:10]}

    def repair(self, fix: bool) -> list[dict]:
        """What `doctor` reports and `doctor --repair` fixes: interrupted documents, catalog/store disagreement,
        a replacement cut short by a crash, leftover temporary copies. Each finding is a French line."""
        findings: list[dict] = []

        def note(what: str, done: str) -> None:
            findings.append({"probleme": what, "correction": done if fix else "à corriger : doctor --repair"})

        for folder in (self.originals, self.converted):
            leftovers = [p for p in folder.glob(".*.tmp")]
            if leftovers:
                note(f"{len(leftovers)} copie(s) temporaire(s) abandonnée(s) dans {folder.name}/", "supprimées")
                if fix:
                    for p in leftovers:
                        p.unlink(missing_ok=True)
        interrupted = (DocumentStatus.received, DocumentStatus.parsed, DocumentStatus.chunked, DocumentStatus.embedded)
        for dossier in self.catalog.dossiers():
            docs = self.catalog.documents(dossier.id)
            replaced_by = {d.replaced_by for d in docs if d.replaced_by}
            for d in docs:
                if d.status not in interrupted:
                    continue
                if d.id in replaced_by and d.status == DocumentStatus.embedded:
                    note(f"{dossier.id} : remplacement de {d.cote} interrompu (« {d.filename} »)",
                         "nouvelle version rendue courante")
                    if fix:
                        self.store.upsert(self._embed(self.catalog.chunks(d.id)))
                        d.status = DocumentStatus.stored
                        self.catalog.save_document(d)
                    continue
                note(f"{dossier.id} : ingestion interrompue de « {d.filename} » (étape {d.status.value})",
                     "marqué en échec ; relancez l'envoi de ce fichier")
                if fix:
                    self.store.delete_document(dossier.id, d.id)
                    d.status, d.error_code = DocumentStatus.failed, "ingestion_interrompue"
                    d.error = "Ingestion interrompue (arrêt du programme) : relancez l'envoi de ce fichier."
                    self.catalog.save_document(d)
            waiting = self.store.count(SearchFilter(dossier_id=dossier.id, embedded=False))
            if waiting:
                note(f"{dossier.id} : {waiting} extrait(s) en attente d'indexation sémantique (recherche plein texte "
                     "seulement)", "indexation sémantique terminée")
                if fix:
                    self.embed_pending(dossier.id)
            check = self.verify(dossier.id)
            if check["missing"] or check["extra"]:
                expected = {c.id for c in self.catalog.dossier_chunks(dossier.id)}
                actual = self.store.chunk_ids(SearchFilter(dossier_id=dossier.id))
                missing, extra = expected - actual, actual - expected
                note(f"{dossier.id} : catalogue et base vectorielle en désaccord ({len(missing)} extrait(s) "
                     f"manquant(s), {len(extra)} en trop)", "extraits manquants réindexés, extraits en trop retirés")
                if fix:
                    for doc_id in sorted({c.rsplit("-p", 1)[0] for c in extra}):
                        if not any(c.startswith(doc_id + "-p") for c in expected):
                            self.store.delete_document(dossier.id, doc_id)
                    for doc_id in sorted({c.rsplit("-p", 1)[0] for c in missing}):
                        self.store.upsert(self._embed(self.catalog.chunks(doc_id)))
        return findings

