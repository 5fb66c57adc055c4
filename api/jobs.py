"""Ingestion jobs persisted in SQLite: state and progress survive a restart; interrupted jobs resume."""
from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from core.errors import AppError, NotFound


class JobStore:
    def __init__(self, path: Path, uploads: Path) -> None:
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, dossier TEXT, juridiction TEXT, "
                           "actor TEXT, state TEXT, progress TEXT, report TEXT, created TEXT, updated TEXT)")
        if "options" not in {r[1] for r in self._conn.execute("PRAGMA table_info(jobs)")}:
            self._conn.execute("ALTER TABLE jobs ADD COLUMN options TEXT")
        self.uploads = uploads
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="ingest")

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex[:16]

    def folder(self, job_id: str) -> Path:
        return self.uploads / job_id

    def create(self, dossier: str, juridiction: str, actor: str, job_id: str | None = None,
               options: dict | None = None) -> tuple[str, Path]:
        """Record a queued job; called once its files are all received (a refused upload leaves no job).
        `options` (e.g. on_conflict) are kept with the job, so a resumed job applies the same choice."""
        job_id = job_id or self.new_id()
        folder = self.folder(job_id)
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC).isoformat()
        with self._lock:
            self._conn.execute("INSERT INTO jobs (id, dossier, juridiction, actor, state, progress, report, created, "
                               "updated, options) VALUES (?,?,?,?,?,?,?,?,?,?)",
                               (job_id, dossier, juridiction, actor, "queued", json.dumps({}), None, now, now,
                                json.dumps(options or {})))
        return job_id, folder

    def active(self, dossier: str) -> bool:
        return self._conn.execute("SELECT 1 FROM jobs WHERE dossier=? AND state IN ('queued', 'running')",
                                  (dossier,)).fetchone() is not None

    def delete_dossier(self, dossier: str) -> int:
        """Forget a deleted dossier's jobs (their reports name its files) and their upload folders."""
        with self._lock:
            ids = [r[0] for r in self._conn.execute("SELECT id FROM jobs WHERE dossier=?", (dossier,))]
            self._conn.execute("DELETE FROM jobs WHERE dossier=?", (dossier,))
        for job_id in ids:
            shutil.rmtree(self.folder(job_id), ignore_errors=True)
        return len(ids)

    def options(self, job_id: str) -> dict:
        row = self._conn.execute("SELECT options FROM jobs WHERE id=?", (job_id,)).fetchone()
        return json.loads(row[0]) if row and row[0] else {}

    def update(self, job_id: str, state: str | None = None, progress: dict | None = None,
               report: dict | None = None) -> None:
        sets, args = ["updated=?"], [datetime.now(UTC).isoformat()]
        for col, val in (("state", state), ("progress", progress), ("report", report)):
            if val is not None:
                sets.append(f"{col}=?")
                args.append(val if isinstance(val, str) else json.dumps(val, ensure_ascii=False))
        with self._lock:
            self._conn.execute(f"UPDATE jobs SET {', '.join(sets)} WHERE id=?", (*args, job_id))

    def get(self, job_id: str) -> dict:
        row = self._conn.execute("SELECT id, dossier, juridiction, actor, state, progress, report, created, updated "
                                 "FROM jobs WHERE id=?", (job_id,)).fetchone()
        if not row:
            raise NotFound("Tâche introuvable.", param="job")
        return {"id": row[0], "dossier": row[1], "juridiction": row[2], "actor": row[3], "state": row[4],
                "progress": json.loads(row[5] or "{}"), "report": json.loads(row[6]) if row[6] else None,
                "created": row[7], "updated": row[8]}

    def for_dossier(self, dossier: str, limit: int = 10) -> list[dict]:
        """The dossier's latest jobs, newest first."""
        ids = [r[0] for r in self._conn.execute("SELECT id FROM jobs WHERE dossier=? ORDER BY created DESC LIMIT ?",
                                                (dossier, limit))]
        return [self.get(i) for i in ids]

    def unfinished(self) -> list[dict]:
        ids = [r[0] for r in self._conn.execute("SELECT id FROM jobs WHERE state IN ('queued', 'running')")]
        return [self.get(i) for i in ids]

    def submit(self, job_id: str, services, audit) -> None:
        self._pool.submit(self._run, job_id, services, audit)

    def _run(self, job_id: str, services, audit) -> None:
        job = self.get(job_id)
        folder = self.uploads / job_id
        # One file per numbered sub-folder: same-name files of one upload are all kept, under their own names.
        files = sorted(p for sub in sorted(folder.iterdir()) if sub.is_dir() for p in sub.iterdir() if p.is_file())
        files += sorted(p for p in folder.iterdir() if p.is_file())
        progress = {"files": len(files), "done": 0, "pages": 0, "ocr_pages": 0, "errors": []}
        self.update(job_id, "running", progress)

        def on_event(kind: str, data: dict) -> None:
            if kind == "ocr_page":
                progress["ocr_pages"] += 1
            if kind == "embedded":  # every file is read and searchable by BM25; dense vectors are being computed
                progress["phase"], progress["chunks_waiting"] = "embedding", data.get("waiting", 0)
            if kind == "document":
                progress["done"] += 1
                progress["pages"] += data.get("pages", 0)
                if data.get("status") == "failed":
                    progress["errors"].append({"file": data["file"], "error": data["error"],
                                               "code": data["error_code"]})
            self.update(job_id, progress=progress)

        try:
            report = services.ingestor.ingest(files, job["dossier"], job["juridiction"], progress=on_event,
                                              on_conflict=self.options(job_id).get("on_conflict"))
            self.update(job_id, "done" if not report.failed else "done_with_errors", progress, report.to_dict())
            audit.record(job["actor"], "ingest", job["dossier"], job=job_id, juridiction=job["juridiction"],
                         documents=[{"file": d.file, "sha256_doc": d.document_id, "status": d.status}
                                    for d in report.documents])
            shutil.rmtree(folder, ignore_errors=True)
        except Exception as exc:  # the job records any failure, with a French reason; the service keeps running
            reason = exc.message if isinstance(exc, AppError) else (
                f"L'ingestion a échoué : erreur interne ({type(exc).__name__}), voir le journal du serveur.")
            progress["error"] = reason
            self.update(job_id, "failed", progress, {"error": reason, "code": getattr(exc, "code", "erreur_interne")})
            audit.record(job["actor"], "ingest.failed", job["dossier"], job=job_id, reason=reason)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
        self._conn.close()
