"""Ingestion jobs persisted in the state database: state and progress survive a restart and are visible to every
process on the same database (SQLite file by default, PostgreSQL by URL); interrupted jobs resume. The work itself
runs as queued tasks (api.worker.IngestionRuntime), in this process or in worker processes."""
from __future__ import annotations

import json
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from core.errors import NotFound
from storage.engine import SqlStore
from storage.tables import jobs as T

UNFINISHED = ("queued", "running")


def _row(r) -> dict:
    return {"id": r.id, "dossier": r.dossier, "juridiction": r.juridiction, "actor": r.actor, "state": r.state,
            "progress": json.loads(r.progress or "{}"), "report": json.loads(r.report) if r.report else None,
            "created": r.created, "updated": r.updated}


class JobStore(SqlStore):
    """Jobs rows plus the in-process runner of the embedded default (`submit`). Workers of other processes use
    `claim` (one winner per job) and `add_progress` (counters summed atomically, per-page tasks at once)."""

    branch = "jobs"

    def __init__(self, location: Path | str, uploads: Path, migrate: bool = True) -> None:
        super().__init__(location, migrate=migrate)
        self.uploads = uploads
        self.runtime = None  # api.worker.IngestionRuntime, attached by the server or a worker

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
        with self.write() as conn:
            conn.execute(T.insert().values(id=job_id, dossier=dossier, juridiction=juridiction, actor=actor,
                                           state="queued", progress=json.dumps({}), report=None, created=now,
                                           updated=now, options=json.dumps(options or {})))
        return job_id, folder

    def active(self, dossier: str) -> bool:
        with self.read() as conn:
            return conn.execute(select(T.c.id).where(T.c.dossier == dossier, T.c.state.in_(UNFINISHED))
                                .limit(1)).first() is not None

    def delete_dossier(self, dossier: str) -> int:
        """Forget a deleted dossier's jobs (their reports name its files) and their upload folders."""
        with self.write() as conn:
            ids = list(conn.execute(select(T.c.id).where(T.c.dossier == dossier)).scalars())
            conn.execute(delete(T).where(T.c.dossier == dossier))
        for job_id in ids:
            shutil.rmtree(self.folder(job_id), ignore_errors=True)
            if self.runtime is not None:
                self.runtime.forget(job_id)
        return len(ids)

    def options(self, job_id: str) -> dict:
        with self.read() as conn:
            raw = conn.execute(select(T.c.options).where(T.c.id == job_id)).scalar()
        return json.loads(raw) if raw else {}

    def set_options(self, job_id: str, options: dict) -> None:
        """Replace the job's options (the received files are listed there once they are in the blob store)."""
        with self.write() as conn:
            conn.execute(update(T).where(T.c.id == job_id).values(options=json.dumps(options, ensure_ascii=False)))

    def update(self, job_id: str, state: str | None = None, progress: dict | None = None,
               report: dict | None = None) -> None:
        values: dict[str, Any] = {"updated": datetime.now(UTC).isoformat()}
        for col, val in (("state", state), ("progress", progress), ("report", report)):
            if val is not None:
                values[col] = val if isinstance(val, str) else json.dumps(val, ensure_ascii=False)
        with self.write() as conn:
            conn.execute(update(T).where(T.c.id == job_id).values(**values))

    def claim(self, job_id: str, states: tuple[str, ...] = ("queued",)) -> bool:
        """Move the job to `running` if it is in one of `states`; exactly one of several concurrent callers (threads,
        processes, machines) gets True."""
        with self.write() as conn:
            done = conn.execute(update(T).where(T.c.id == job_id, T.c.state.in_(states))
                                .values(state="running", updated=datetime.now(UTC).isoformat()))
        return done.rowcount == 1

    def add_progress(self, job_id: str, counts: dict[str, int] | None = None,
                     errors: list[dict] | None = None, **fields: Any) -> dict:
        """Add `counts` to the job's counters and append `errors`, in one transaction that holds the row (no
        update lost when many tasks of one job report at once); other `fields` are set as given. Returns the
        progress as stored."""
        with self.write() as conn:
            raw = conn.execute(select(T.c.progress).where(T.c.id == job_id).with_for_update()).scalar()
            if raw is None:
                raise NotFound("Tâche introuvable.", param="job")
            progress = json.loads(raw or "{}")
            for key, n in (counts or {}).items():
                progress[key] = progress.get(key, 0) + n
            if errors:
                progress["errors"] = [*progress.get("errors", []), *errors]
            progress.update(fields)
            conn.execute(update(T).where(T.c.id == job_id).values(
                progress=json.dumps(progress, ensure_ascii=False), updated=datetime.now(UTC).isoformat()))
        return progress

    def get(self, job_id: str) -> dict:
        with self.read() as conn:
            row = conn.execute(select(T).where(T.c.id == job_id)).first()
        if not row:
            raise NotFound("Tâche introuvable.", param="job")
        job = _row(row)
        if job["state"] == "running" and self.runtime is not None and self.runtime.role == "server":
            # what the API shows is live, aggregated from the tasks every process shares
            job["progress"] = self.runtime.progress(job_id) | {k: v for k, v in job["progress"].items()
                                                               if k == "error"}
        return job

    def for_dossier(self, dossier: str, limit: int = 10) -> list[dict]:
        """The dossier's latest jobs, newest first."""
        with self.read() as conn:
            rows = conn.execute(select(T).where(T.c.dossier == dossier)
                                .order_by(T.c.created.desc(), T.c.id.desc()).limit(limit))
            return [_row(r) for r in rows]

    def unfinished(self) -> list[dict]:
        """Queued or running jobs, oldest first."""
        with self.read() as conn:
            rows = conn.execute(select(T).where(T.c.state.in_(UNFINISHED)).order_by(T.c.created, T.c.id))
            return [_row(r) for r in rows]

    def submit(self, job_id: str, services=None, audit=None) -> None:
        """Queue a recorded job (the runtime's workers do the work, here or in other processes)."""
        if self.runtime is None:
            raise RuntimeError("no ingestion runtime attached")
        self.runtime.start(job_id)

    def resume(self, job_id: str) -> None:
        """Go on with an interrupted or failed job where it stopped, from any server replica."""
        if self.runtime is None:
            raise RuntimeError("no ingestion runtime attached")
        self.runtime.resume(job_id)

    def close(self) -> None:
        if self.runtime is not None:
            self.runtime.close()
        super().close()
