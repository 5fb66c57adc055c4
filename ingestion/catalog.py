"""SQLite catalog and ingestion journal: dossiers, documents with their state, pages, chunks."""
from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from core.errors import NotFound
from core.models import CaseFile, Chunk, DocumentStatus, Page, SourceDocument

SCHEMA = """
CREATE TABLE IF NOT EXISTS dossiers (id TEXT PRIMARY KEY, juridiction TEXT NOT NULL, title TEXT, created TEXT);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, dossier_id TEXT NOT NULL, cote TEXT, title TEXT, kind TEXT, sha256 TEXT, filename TEXT,
  page_count INTEGER, status TEXT, error_code TEXT, error TEXT, warnings TEXT, pdf_path TEXT,
  updated TEXT DEFAULT CURRENT_TIMESTAMP);
CREATE INDEX IF NOT EXISTS documents_dossier ON documents(dossier_id);
CREATE TABLE IF NOT EXISTS pages (document_id TEXT, number INTEGER, data TEXT, PRIMARY KEY (document_id, number));
CREATE TABLE IF NOT EXISTS chunks (id TEXT PRIMARY KEY, document_id TEXT, dossier_id TEXT, data TEXT);
CREATE INDEX IF NOT EXISTS chunks_document ON chunks(document_id);
"""


MIGRATIONS = (("version", "INTEGER DEFAULT 1"), ("replaced_by", "TEXT"))


class Catalog:
    """One SQLite file in the data dir; every state change is committed before the next step."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self._lock = threading.RLock()
        if read_only:
            self._conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, check_same_thread=False,
                                         isolation_level=None)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)
        columns = {r[1] for r in self._conn.execute("PRAGMA table_info(documents)")}
        for name, decl in MIGRATIONS:
            if name not in columns:
                self._conn.execute(f"ALTER TABLE documents ADD COLUMN {name} {decl}")

    def _exec(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._conn.execute(sql, args)

    # dossiers
    def upsert_dossier(self, dossier: CaseFile) -> CaseFile:
        existing = self.find_dossier(dossier.id)
        if existing:
            return existing
        self._exec("INSERT INTO dossiers VALUES (?,?,?,?)",
                   (dossier.id, dossier.juridiction, dossier.title, dossier.created.isoformat()))
        return dossier

    def find_dossier(self, dossier_id: str) -> CaseFile | None:
        row = self._exec("SELECT id, juridiction, title, created FROM dossiers WHERE id=?", (dossier_id,)).fetchone()
        return CaseFile(id=row[0], juridiction=row[1], title=row[2] or "", created=row[3]) if row else None

    def dossier(self, dossier_id: str) -> CaseFile:
        found = self.find_dossier(dossier_id)
        if found is None:
            raise NotFound(f"Dossier « {dossier_id} » introuvable.", param="dossier")
        return found

    def dossiers(self, juridiction: str | None = None) -> list[CaseFile]:
        sql, args = "SELECT id, juridiction, title, created FROM dossiers", ()
        if juridiction:
            sql, args = sql + " WHERE juridiction=?", (juridiction,)
        return [CaseFile(id=r[0], juridiction=r[1], title=r[2] or "", created=r[3])
                for r in self._exec(sql + " ORDER BY id", args).fetchall()]

    def delete_dossier(self, dossier_id: str) -> None:
        with self._lock:
            self._exec("BEGIN")
            for table, col in (("pages", "document_id"), ("chunks", "document_id")):
                self._exec(f"DELETE FROM {table} WHERE {col} IN (SELECT id FROM documents WHERE dossier_id=?)",
                           (dossier_id,))
            self._exec("DELETE FROM documents WHERE dossier_id=?", (dossier_id,))
            self._exec("DELETE FROM dossiers WHERE id=?", (dossier_id,))
            self._exec("COMMIT")

    # documents
    def save_document(self, doc: SourceDocument, pdf_path: str | None = None) -> None:
        self._exec(
            "INSERT INTO documents (id, dossier_id, cote, title, kind, sha256, filename, page_count, status, "
            "error_code, error, warnings, pdf_path, version, replaced_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET "
            "cote=excluded.cote, title=excluded.title, kind=excluded.kind, filename=excluded.filename, "
            "page_count=excluded.page_count, status=excluded.status, error_code=excluded.error_code, "
            "error=excluded.error, warnings=excluded.warnings, pdf_path=COALESCE(excluded.pdf_path, pdf_path), "
            "version=excluded.version, replaced_by=excluded.replaced_by, updated=CURRENT_TIMESTAMP",
            (doc.id, doc.dossier_id, doc.cote, doc.title, doc.kind, doc.sha256, doc.filename, doc.page_count,
             doc.status.value, doc.error_code, doc.error, json.dumps(doc.warnings, ensure_ascii=False), pdf_path,
             doc.version, doc.replaced_by))

    def _doc(self, row) -> SourceDocument:
        return SourceDocument(id=row[0], dossier_id=row[1], cote=row[2], title=row[3] or "", kind=row[4] or "",
                              sha256=row[5], filename=row[6], page_count=row[7] or 0,
                              status=DocumentStatus(row[8]), error_code=row[9], error=row[10],
                              warnings=json.loads(row[11] or "[]"), version=row[12] or 1, replaced_by=row[13])

    _DOC_COLS = ("id, dossier_id, cote, title, kind, sha256, filename, page_count, status, error_code, error, "
                 "warnings, version, replaced_by")

    def document(self, document_id: str) -> SourceDocument | None:
        row = self._exec(f"SELECT {self._DOC_COLS} FROM documents WHERE id=?", (document_id,)).fetchone()
        return self._doc(row) if row else None

    def documents(self, dossier_id: str) -> list[SourceDocument]:
        rows = self._exec(f"SELECT {self._DOC_COLS} FROM documents WHERE dossier_id=? ORDER BY filename",
                          (dossier_id,)).fetchall()
        return [self._doc(r) for r in rows]

    def current_documents(self, dossier_id: str) -> list[SourceDocument]:
        """The documents searched and cited: stored ones (never a failed row, never a replaced version)."""
        return [d for d in self.documents(dossier_id) if d.status == DocumentStatus.stored]

    def versions(self, dossier_id: str, cote: str) -> list[SourceDocument]:
        """Every retrievable version of a cote (stored and replaced), oldest first."""
        rows = self._exec(f"SELECT {self._DOC_COLS} FROM documents WHERE dossier_id=? AND cote=? AND status IN "
                          "('stored', 'replaced') ORDER BY version, updated", (dossier_id, cote)).fetchall()
        return [self._doc(r) for r in rows]

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
        row = self._exec("SELECT 1 FROM documents WHERE sha256=? AND id!=? AND status!='replaced' LIMIT 1",
                         (sha256, except_id or "")).fetchone()
        return row is not None

    def pdf_path(self, document_id: str) -> str | None:
        row = self._exec("SELECT pdf_path FROM documents WHERE id=?", (document_id,)).fetchone()
        return row[0] if row else None

    def remove_document(self, document_id: str) -> None:
        with self._lock:
            self._exec("BEGIN")
            self._exec("DELETE FROM pages WHERE document_id=?", (document_id,))
            self._exec("DELETE FROM chunks WHERE document_id=?", (document_id,))
            self._exec("DELETE FROM documents WHERE id=?", (document_id,))
            self._exec("COMMIT")

    # pages and chunks
    def save_pages(self, pages: list[Page]) -> None:
        with self._lock:
            self._exec("BEGIN")
            for p in pages:
                self._exec("INSERT OR REPLACE INTO pages VALUES (?,?,?)",
                           (p.document_id, p.number, p.model_dump_json()))
            self._exec("COMMIT")

    def pages(self, document_id: str) -> list[Page]:
        rows = self._exec("SELECT data FROM pages WHERE document_id=? ORDER BY number", (document_id,)).fetchall()
        return [Page.model_validate_json(r[0]) for r in rows]

    def page(self, document_id: str, number: int) -> Page:
        row = self._exec("SELECT data FROM pages WHERE document_id=? AND number=?", (document_id, number)).fetchone()
        if not row:
            raise NotFound(f"Page {number} introuvable.", param="page")
        return Page.model_validate_json(row[0])

    def save_chunks(self, document_id: str, chunks: list[Chunk]) -> None:
        with self._lock:
            self._exec("BEGIN")
            self._exec("DELETE FROM chunks WHERE document_id=?", (document_id,))
            for c in chunks:
                self._exec("INSERT INTO chunks VALUES (?,?,?,?)", (c.id, document_id, c.dossier_id, c.model_dump_json()))
            self._exec("COMMIT")

    def chunks(self, document_id: str) -> list[Chunk]:
        rows = self._exec("SELECT data FROM chunks WHERE document_id=? ORDER BY id", (document_id,)).fetchall()
        return [Chunk.model_validate_json(r[0]) for r in rows]

    def dossier_chunks(self, dossier_id: str) -> list[Chunk]:
        rows = self._exec("SELECT c.data FROM chunks c JOIN documents d ON d.id=c.document_id WHERE c.dossier_id=? "
                          "AND d.status='stored' ORDER BY c.id", (dossier_id,)).fetchall()
        return [Chunk.model_validate_json(r[0]) for r in rows]

    def chunk(self, chunk_id: str) -> Chunk | None:
        row = self._exec("SELECT data FROM chunks WHERE id=?", (chunk_id,)).fetchone()
        return Chunk.model_validate_json(row[0]) if row else None

    def ocr_page_counts(self, dossier_id: str) -> dict[str, int]:
        """Pages read by OCR, per document of the dossier (without loading the pages)."""
        rows = self._exec("SELECT p.document_id, SUM(json_extract(p.data, '$.ocr')) FROM pages p JOIN documents d "
                          "ON d.id=p.document_id WHERE d.dossier_id=? GROUP BY p.document_id", (dossier_id,)).fetchall()
        return {r[0]: int(r[1] or 0) for r in rows}

    def close(self) -> None:
        self._conn.close()
