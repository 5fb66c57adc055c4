"""Catalog and ingestion journal: dossiers, documents with their state, pages, chunks (SQLAlchemy; SQLite file by
default, PostgreSQL by URL). Every state change is committed before the next step."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Integer, cast, delete, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import OperationalError, ProgrammingError

from core.errors import NotFound
from core.models import CaseFile, Chunk, DocumentStatus, Page, SourceDocument
from storage.engine import SqlStore, upsert
from storage.tables import chunks as T_chunks
from storage.tables import documents as T_docs
from storage.tables import dossiers as T_dossiers
from storage.tables import pages as T_pages

_DOC_COLS = [T_docs.c[n] for n in ("id", "dossier_id", "cote", "title", "kind", "sha256", "filename", "page_count",
                                    "status", "error_code", "error", "warnings", "version", "replaced_by")]


def _now() -> str:
    # Same text form as SQLite's CURRENT_TIMESTAMP (rows written by earlier versions), with microseconds.
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _doc(row) -> SourceDocument:
    return SourceDocument(id=row.id, dossier_id=row.dossier_id, cote=row.cote, title=row.title or "",
                          kind=row.kind or "", sha256=row.sha256, filename=row.filename, page_count=row.page_count or 0,
                          status=DocumentStatus(row.status), error_code=row.error_code, error=row.error,
                          warnings=json.loads(row.warnings or "[]"), version=row.version or 1,
                          replaced_by=row.replaced_by)


def _case(row) -> CaseFile:
    return CaseFile(id=row.id, juridiction=row.juridiction, title=row.title or "", created=row.created)


class Catalog(SqlStore):
    """Implements core.protocols.Catalog; `location` is a SQLite file or a SQLAlchemy URL."""

    branch = "catalog"
    sqlite_wal = True  # as before: pages and chunks written while the API reads

    def __init__(self, location: Path | str, read_only: bool = False, migrate: bool = True) -> None:
        super().__init__(location, read_only=read_only, migrate=migrate)

    # dossiers
    def upsert_dossier(self, dossier: CaseFile) -> CaseFile:
        """Create the dossier unless it exists; returns the stored one (the first writer wins)."""
        with self.write() as conn:
            upsert(conn, T_dossiers, {"id": dossier.id, "juridiction": dossier.juridiction, "title": dossier.title,
                                      "created": dossier.created.isoformat()}, ("id",), ignore=True)
        return self.dossier(dossier.id)

    def find_dossier(self, dossier_id: str) -> CaseFile | None:
        with self.read() as conn:
            row = conn.execute(select(T_dossiers).where(T_dossiers.c.id == dossier_id)).first()
        return _case(row) if row else None

    def dossier(self, dossier_id: str) -> CaseFile:
        found = self.find_dossier(dossier_id)
        if found is None:
            raise NotFound(f"Dossier « {dossier_id} » introuvable.", param="dossier")
        return found

    def dossiers(self, juridiction: str | None = None) -> list[CaseFile]:
        q = select(T_dossiers).order_by(T_dossiers.c.id)
        if juridiction:
            q = q.where(T_dossiers.c.juridiction == juridiction)
        with self.read() as conn:
            return [_case(r) for r in conn.execute(q)]

    def delete_dossier(self, dossier_id: str) -> None:
        docs = select(T_docs.c.id).where(T_docs.c.dossier_id == dossier_id).scalar_subquery()
        with self.write() as conn:
            conn.execute(delete(T_pages).where(T_pages.c.document_id.in_(docs)))
            conn.execute(delete(T_chunks).where(T_chunks.c.document_id.in_(docs)))
            conn.execute(delete(T_docs).where(T_docs.c.dossier_id == dossier_id))
            conn.execute(delete(T_dossiers).where(T_dossiers.c.id == dossier_id))

    # documents
    def save_document(self, doc: SourceDocument, pdf_path: str | None = None, pdf_sha256: str | None = None) -> None:
        """Insert or update the document's row (a known pdf_path or PDF blob is kept when none is given)."""
        values = {"id": doc.id, "dossier_id": doc.dossier_id, "cote": doc.cote, "title": doc.title, "kind": doc.kind,
                  "sha256": doc.sha256, "filename": doc.filename, "page_count": doc.page_count,
                  "status": doc.status.value, "error_code": doc.error_code, "error": doc.error,
                  "warnings": json.dumps(doc.warnings, ensure_ascii=False), "pdf_path": pdf_path,
                  "pdf_sha256": pdf_sha256, "version": doc.version, "replaced_by": doc.replaced_by, "updated": _now()}
        update = {c: (lambda ex, c=c: getattr(ex, c)) for c in values if c not in ("id", "dossier_id", "sha256")}
        update["pdf_path"] = lambda ex: func.coalesce(ex.pdf_path, T_docs.c.pdf_path)
        update["pdf_sha256"] = lambda ex: func.coalesce(ex.pdf_sha256, T_docs.c.pdf_sha256)
        with self.write() as conn:
            upsert(conn, T_docs, values, ("id",), update)

    def document(self, document_id: str) -> SourceDocument | None:
        with self.read() as conn:
            row = conn.execute(select(*_DOC_COLS).where(T_docs.c.id == document_id)).first()
        return _doc(row) if row else None

    def documents(self, dossier_id: str) -> list[SourceDocument]:
        q = select(*_DOC_COLS).where(T_docs.c.dossier_id == dossier_id).order_by(T_docs.c.filename, T_docs.c.id)
        with self.read() as conn:
            return [_doc(r) for r in conn.execute(q)]

    def current_documents(self, dossier_id: str) -> list[SourceDocument]:
        """The documents searched and cited: stored ones (never a failed row, never a replaced version)."""
        return [d for d in self.documents(dossier_id) if d.status == DocumentStatus.stored]

    def versions(self, dossier_id: str, cote: str) -> list[SourceDocument]:
        """Every retrievable version of a cote (stored and replaced), oldest first."""
        q = (select(*_DOC_COLS).where(T_docs.c.dossier_id == dossier_id, T_docs.c.cote == cote,
                                      T_docs.c.status.in_(("stored", "replaced")))
             .order_by(T_docs.c.version, T_docs.c.updated, T_docs.c.id))
        with self.read() as conn:
            return [_doc(r) for r in conn.execute(q)]

    def document_for_cote(self, dossier_id: str, cote: str, version: int | None = None) -> SourceDocument:
        """The current version of a cote (the newest stored one), or the given version; a failed upload of a
        new version is never returned."""
        versions = self.versions(dossier_id, cote)
        if version is not None:
            found = [d for d in versions if d.version == version]
            if not found:
                raise NotFound(f"Version {version} de la cote {cote} introuvable.", param="version")
            return found[-1]
        current = [d for d in versions if d.status == DocumentStatus.stored]
        if not current:
            raise NotFound(f"Cote {cote} introuvable dans le dossier {dossier_id}.", param="cote")
        return current[-1]

    def sha_in_use(self, sha256: str, except_id: str | None = None) -> bool:
        q = (select(T_docs.c.id).where(T_docs.c.sha256 == sha256, T_docs.c.id != (except_id or ""),
                                       T_docs.c.status != "replaced").limit(1))
        with self.read() as conn:
            return conn.execute(q).first() is not None

    def pdf_path(self, document_id: str) -> str | None:
        with self.read() as conn:
            return conn.execute(select(T_docs.c.pdf_path).where(T_docs.c.id == document_id)).scalar()

    def pdf_blob(self, document_id: str) -> str | None:
        """The blob (SHA-256) of the PDF whose pages are read and shown; None for rows written before the blob
        store (their pdf_path names the file)."""
        try:
            with self.read() as conn:
                return conn.execute(select(T_docs.c.pdf_sha256).where(T_docs.c.id == document_id)).scalar()
        except (OperationalError, ProgrammingError):
            if self.read_only:  # a file written before the blob store, read as it is
                return None
            raise

    def blobs_in_use(self) -> set[str]:
        """Every blob a document row points at (its original, its PDF): what a purge must keep."""
        with self.read() as conn:
            rows = conn.execute(select(T_docs.c.sha256, T_docs.c.pdf_sha256)).all()
        return {sha for row in rows for sha in row if sha}

    def remove_document(self, document_id: str) -> None:
        with self.write() as conn:
            conn.execute(delete(T_pages).where(T_pages.c.document_id == document_id))
            conn.execute(delete(T_chunks).where(T_chunks.c.document_id == document_id))
            conn.execute(delete(T_docs).where(T_docs.c.id == document_id))

    # pages and chunks
    def save_pages(self, pages: list[Page]) -> None:
        """Insert or replace pages (idempotent: the same page saved twice is one row)."""
        with self.write() as conn:
            for p in pages:
                upsert(conn, T_pages, {"document_id": p.document_id, "number": p.number, "data": p.model_dump_json()},
                       ("document_id", "number"))

    def pages(self, document_id: str) -> list[Page]:
        q = select(T_pages.c.data).where(T_pages.c.document_id == document_id).order_by(T_pages.c.number)
        with self.read() as conn:
            return [Page.model_validate_json(d) for d in conn.execute(q).scalars()]

    def page(self, document_id: str, number: int) -> Page:
        q = select(T_pages.c.data).where(T_pages.c.document_id == document_id, T_pages.c.number == number)
        with self.read() as conn:
            data = conn.execute(q).scalar()
        if data is None:
            raise NotFound(f"Page {number} introuvable.", param="page")
        return Page.model_validate_json(data)

    def save_chunks(self, document_id: str, chunks: list[Chunk]) -> None:
        """Replace the document's chunks by these (one transaction: readers see the old set or the new one)."""
        with self.write() as conn:
            conn.execute(delete(T_chunks).where(T_chunks.c.document_id == document_id))
            if chunks:
                conn.execute(T_chunks.insert(), [{"id": c.id, "document_id": document_id, "dossier_id": c.dossier_id,
                                                  "data": c.model_dump_json()} for c in chunks])

    def chunks(self, document_id: str) -> list[Chunk]:
        q = select(T_chunks.c.data).where(T_chunks.c.document_id == document_id).order_by(T_chunks.c.id)
        with self.read() as conn:
            return [Chunk.model_validate_json(d) for d in conn.execute(q).scalars()]

    def dossier_chunks(self, dossier_id: str) -> list[Chunk]:
        q = (select(T_chunks.c.data).join(T_docs, T_docs.c.id == T_chunks.c.document_id)
             .where(T_chunks.c.dossier_id == dossier_id, T_docs.c.status == "stored").order_by(T_chunks.c.id))
        with self.read() as conn:
            return [Chunk.model_validate_json(d) for d in conn.execute(q).scalars()]

    def chunk(self, chunk_id: str) -> Chunk | None:
        with self.read() as conn:
            data = conn.execute(select(T_chunks.c.data).where(T_chunks.c.id == chunk_id)).scalar()
        return Chunk.model_validate_json(data) if data is not None else None

    def ocr_page_counts(self, dossier_id: str) -> dict[str, int]:
        """Pages read by OCR, per document of the dossier (without loading the pages)."""
        if self.dialect == "postgresql":
            ocr = cast(cast(T_pages.c.data, JSONB)["ocr"].astext == "true", Integer)
        else:
            ocr = func.json_extract(T_pages.c.data, "$.ocr")
        q = (select(T_pages.c.document_id, func.sum(ocr)).join(T_docs, T_docs.c.id == T_pages.c.document_id)
             .where(T_docs.c.dossier_id == dossier_id).group_by(T_pages.c.document_id))
        with self.read() as conn:
            return {r[0]: int(r[1] or 0) for r in conn.execute(q)}
