"""Ingest a case file: each document journaled received -> parsed -> chunked -> embedded -> stored."""
from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.errors import AppError, UnsupportedDocument
from core.ids import document_id, sha256_file
from core.models import CaseFile, DocumentStatus, Page, SourceDocument
from core.protocols import Embedder, SearchFilter, SparseEncoder, StoredPoint, VectorStore
from core.settings import Settings
from ingestion import convert
from ingestion.catalog import Catalog
from ingestion.chunker import chunk_page, detect_running_lines
from ingestion.cotes import cote_from_filename, majority, read_manifest, stamp_from_scan, stamp_of_page
from ingestion.detect import IMAGES, OFFICE_TEXT, sniff
from ingestion.ocr import ocr_page
from ingestion.pdf import extract_page, open_pdf

TEXTUAL = {"txt", "html", "eml", "csv", "xlsx"}
IGNORED_NAMES = {"gold.json", "manifest.csv", "cotes.csv"}


@dataclass
class DocReport:
    file: str
    cote: str | None = None
    pages: int = 0
    ocr_pages: int = 0
    chunks: int = 0
    status: str = "stored"
    error: str | None = None
    error_code: str | None = None
    warnings: list[str] = field(default_factory=list)
    document_id: str | None = None
    seconds: float = 0.0


@dataclass
class IngestReport:
    dossier: str
    documents: list[DocReport] = field(default_factory=list)

    @property
    def failed(self) -> list[DocReport]:
        return [d for d in self.documents if d.status == "failed"]

    def totals(self) -> dict:
        docs = self.documents
        return {"files": len(docs), "stored": sum(d.status in ("stored", "unchanged") for d in docs),
                "unchanged": sum(d.status == "unchanged" for d in docs), "failed": len(self.failed),
                "pages": sum(d.pages for d in docs), "ocr_pages": sum(d.ocr_pages for d in docs),
                "chunks": sum(d.chunks for d in docs)}

    def to_dict(self) -> dict:
        return {"dossier": self.dossier, "documents": [asdict(d) for d in self.documents], "totals": self.totals()}


Progress = Callable[[str, dict], None]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files given directly, plus the files inside given folders (sorted, dot files and gold ignored)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")
                          and f.name not in IGNORED_NAMES)
        else:
            out.append(p)
    return out


class Ingestor:
    def __init__(self, settings: Settings, catalog: Catalog, store: VectorStore, embedder: Embedder,
                 sparse: SparseEncoder) -> None:
        self.settings, self.catalog, self.store = settings, catalog, store
        self.embedder, self.sparse = embedder, sparse
        self.originals = settings.paths.sub("originals")
        self.converted = settings.paths.sub("converted")

    def check_embedding_model(self) -> None:
        """Refuse to mix embedding models in one collection (an explicit re-index is required)."""
        info = self.store.info()
        if info and (info.embedding_model != self.embedder.name or info.dimension != self.embedder.dimension):
            raise AppError(f"La collection a été indexée avec {info.embedding_model} ; le modèle configuré est "
                           f"{self.embedder.name}. Lancez « assistant-parquet reindex ».", code="modele_different")
        self.store.ensure_collection(self.embedder.name, self.embedder.dimension)

    def ingest(self, paths: Iterable[Path], dossier_id: str, juridiction: str = "TJ Paris",
               title: str = "", progress: Progress | None = None) -> IngestReport:
        self.check_embedding_model()
        dossier = self.catalog.upsert_dossier(CaseFile(id=dossier_id, juridiction=juridiction, title=title))
        files = expand(paths)
        manifests = {folder: read_manifest(folder) for folder in {f.parent for f in files}}
        report = IngestReport(dossier_id)
        for f in files:
            started = time.perf_counter()
            entry = manifests.get(f.parent, {}).get(f.name)
            try:
                doc_report = self._ingest_file(f, dossier, entry, progress)
            except AppError as exc:
                doc_report = DocReport(file=f.name, status="failed", error=exc.message, error_code=exc.code)
            doc_report.seconds = round(time.perf_counter() - started, 3)
            report.documents.append(doc_report)
            if progress:
                progress("document", asdict(doc_report))
        return report

    def _fail(self, doc: SourceDocument, exc: AppError) -> DocReport:
        doc.status, doc.error, doc.error_code = DocumentStatus.failed, exc.message, exc.code
        self.catalog.save_document(doc)
        return DocReport(file=doc.filename, status="failed", error=exc.message, error_code=exc.code,
                         document_id=doc.id, cote=doc.cote)

    def _ingest_file(self, path: Path, dossier: CaseFile, manifest_entry: tuple[str, str] | None,
                     progress: Progress | None) -> DocReport:
        size_mb = path.stat().st_size / 1e6
        if size_mb > self.settings.ingestion.max_file_mb:
            raise UnsupportedDocument(f"Fichier trop volumineux ({size_mb:.0f} Mo > "
                                      f"{self.settings.ingestion.max_file_mb:.0f} Mo).", code="fichier_trop_gros")
        kind = sniff(path)
        if kind == "empty":
            raise UnsupportedDocument("Fichier vide (0 octet).", code="fichier_vide")
        if kind == "unknown":
            raise UnsupportedDocument("Type de fichier non pris en charge (contenu non reconnu).",
                                      code="type_non_pris_en_charge")
        sha = sha256_file(str(path))
        doc_id = document_id(dossier.id, sha)
        existing = self.catalog.document(doc_id)
        if existing and existing.status == DocumentStatus.stored:
            return DocReport(file=path.name, cote=existing.cote, pages=existing.page_count, status="unchanged",
                             document_id=doc_id, chunks=len(self.catalog.chunks(doc_id)))
        warnings: list[str] = []
        if kind != "pdf" and path.suffix.lower() == ".pdf":
            warnings.append(f"Extension .pdf mais contenu de type {kind} : traité comme {kind}.")
        cote, title = manifest_entry if manifest_entry else (None, "")
        cote_origin = "manifest" if cote else None
        if not cote and "filename" in self.settings.ingestion.cote_sources:
            cote = cote_from_filename(path.name)
            cote_origin = "filename" if cote else None
        doc = SourceDocument(id=doc_id, dossier_id=dossier.id, cote=cote, title=title or path.stem, kind=kind,
                             sha256=sha, filename=path.name, warnings=warnings)
        original = self.originals / sha
        if not original.exists():
            shutil.copyfile(path, original)
        try:
            pdf_path = self._as_pdf(original, kind, sha)
            self.catalog.save_document(doc, pdf_path=str(pdf_path))
            pages = self._parse(doc, pdf_path, progress)
        except AppError as exc:
            return self._fail(doc, exc)
        doc.status = DocumentStatus.parsed
        self.catalog.save_pages(pages)
        self.catalog.save_document(doc)
        chunks = self._chunk(doc, pages, cote_origin)
        doc.status = DocumentStatus.chunked
        self.catalog.save_pages(pages)
        self.catalog.save_chunks(doc.id, chunks)
        self.catalog.save_document(doc)
        points = self._embed(chunks)
        doc.status = DocumentStatus.embedded
        self.catalog.save_document(doc)
        self.store.delete_document(dossier.id, doc.id)
        self.store.upsert(points)
        self._replace_previous_versions(doc)
        doc.status = DocumentStatus.stored
        self.catalog.save_document(doc)
        return DocReport(file=path.name, cote=doc.cote, pages=len(pages), ocr_pages=sum(p.ocr for p in pages),
                         chunks=len(chunks), status="stored", warnings=doc.warnings, document_id=doc.id)

    def _as_pdf(self, original: Path, kind: str, sha: str) -> Path:
        if kind == "pdf":
            return original
        target = self.converted / f"{sha}.pdf"
        if target.exists():
            return target
        if kind in OFFICE_TEXT:
            produced = convert.office_to_pdf(original, self.converted, self.settings.ingestion.libreoffice, kind)
            return produced.replace(target)
        if kind in IMAGES:
            return convert.image_to_pdf(original, target)
        if kind in TEXTUAL:
            text = convert.text_of(original, kind)
            if not text.strip():
                raise UnsupportedDocument("Document texte vide.", code="fichier_vide")
            return convert.text_to_pdf(text, target)
        raise UnsupportedDocument("Type de fichier non pris en charge.", code="type_non_pris_en_charge")

    def _parse(self, doc: SourceDocument, pdf_path: Path, progress: Progress | None) -> list[Page]:
        cfg = self.settings.ingestion
        raw_bytes = pdf_path.read_bytes()
        if b"/JavaScript" in raw_bytes or b"/EmbeddedFile" in raw_bytes:
            doc.warnings.append("Le PDF contient du JavaScript ou des pièces jointes : ignorés, jamais exécutés.")
        pdf = open_pdf(str(pdf_path))
        try:
            count = len(pdf)
            if count > cfg.max_pages:
                raise UnsupportedDocument(f"Trop de pages ({count} > {cfg.max_pages}).", code="trop_de_pages")
            raws = [extract_page(pdf, i, cfg.min_text_chars) for i in range(count)]
        finally:
            pdf.close()
        doc.page_count = count
        pages = [Page(document_id=doc.id, number=r.number, text=r.text, lines=r.lines, width=r.width,
                      height=r.height) for r in raws]
        to_ocr = [r.number for r in raws if r.needs_ocr]
        if to_ocr:
            with ThreadPoolExecutor(max(1, cfg.ocr_jobs)) as pool:
                results = pool.map(lambda n: (n, ocr_page(str(pdf_path), n - 1, cfg.ocr_language, cfg.ocr_dpi)),
                                   to_ocr)
                for n, res in results:
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
            boxed = stamp_from_scan(str(self.catalog.pdf_path(doc.id)), 0, cfg.ocr_dpi, known)
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
            cote = (page.cote or doc.cote) if split else doc.cote
            cite_page = page.cote_page if (page.cote_page and page.cote == cote) else page.number
            chunks += chunk_page(page, dossier_id=doc.dossier_id, juridiction=juridiction,
                                 cote=cote, cite_page=cite_page, kind=doc.kind, title=doc.title,
                                 target=cfg.chunk_chars, overlap=cfg.chunk_overlap, running=running)
        return chunks

    def _embed(self, chunks: list) -> list[StoredPoint]:
        """Embed in batches; identical texts (procedural boilerplate) are embedded once."""
        size = self.settings.embedding.batch_size
        unique = list(dict.fromkeys(c.text for c in chunks))
        vectors: dict[str, list[float]] = {}
        for i in range(0, len(unique), size):
            batch = unique[i:i + size]
            vectors.update(zip(batch, self.embedder.embed_passages(batch), strict=True))
        return [StoredPoint(c, vectors[c.text], self.sparse.encode_document(c.text)) for c in chunks]

    def _replace_previous_versions(self, doc: SourceDocument) -> None:
        """A changed file with the same cote replaces the old version's chunks."""
        if not doc.cote:
            return
        for other in self.catalog.documents(doc.dossier_id):
            if other.id != doc.id and other.cote == doc.cote and other.status == DocumentStatus.stored:
                self.store.delete_document(doc.dossier_id, other.id)
                self.catalog.remove_document(other.id)
                doc.warnings.append(f"Remplace la version précédente de {doc.cote} ({other.sha256[:8]}).")

    def reindex(self, progress: Progress | None = None) -> dict:
        """Explicit re-index with the configured embedder: drop the collection, re-embed every stored chunk."""
        self.store.drop()
        self.store.ensure_collection(self.embedder.name, self.embedder.dimension)
        total = 0
        for dossier in self.catalog.dossiers():
            for doc in self.catalog.documents(dossier.id):
                if doc.status != DocumentStatus.stored:
                    continue
                points = self._embed(self.catalog.chunks(doc.id))
                self.store.upsert(points)
                total += len(points)
                if progress:
                    progress("document", {"file": doc.filename, "chunks": len(points)})
        return {"embedding_model": self.embedder.name, "chunks": total}

    def verify(self, dossier_id: str) -> dict:
        """Catalog and store agree: every stored document's chunks are in the store, nothing else is."""
        expected = {c.id for c in self.catalog.dossier_chunks(dossier_id)}
        actual = self.store.chunk_ids(SearchFilter(dossier_id=dossier_id))
        return {"expected": len(expected), "actual": len(actual), "missing": sorted(expected - actual)[:10],
                "extra": sorted(actual - expected)[:10]}
