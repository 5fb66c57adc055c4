"""Shared state of queued ingestion: one row per task (content-addressed key, state, attempts, result) and the
vectors computed by workers until the store's owner indexes them. Every process (server replicas, workers) reads
and writes it through SQLAlchemy, so none keeps progress in its own memory."""
from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update

from storage.engine import SqlStore, upsert
from storage.tables import ingest_tasks as tasks
from storage.tables import ingest_vectors as vectors

PROCESS = f"{socket.gethostname()}:{os.getpid()}"


def task_key(job_id: str, stage: str, document_id: str | None, part: int) -> str:
    """The same task always has the same key: a duplicated or retried message finds its own row."""
    return hashlib.sha256(f"{job_id}:{stage}:{document_id or ''}:{part}".encode()).hexdigest()[:40]


@dataclass
class Task:
    key: str
    job_id: str
    stage: str
    document_id: str | None
    part: int
    size: int
    state: str
    attempts: int
    error: str | None
    result: dict | None
    owner: str | None = None


def _task(row) -> Task:
    return Task(row.key, row.job_id, row.stage, row.document_id, row.part, row.size, row.state, row.attempts,
                row.error, json.loads(row.result) if row.result else None, row.owner)


class TaskLedger(SqlStore):
    """On the jobs' branch of the state database (the same SQLite file or PostgreSQL database as the jobs)."""

    branch = "jobs"

    # tasks -------------------------------------------------------------------------------------------------
    def add(self, job_id: str, stage: str, document_id: str | None = None, parts: Iterable[tuple[int, int]] = ((0, 0),),
            result: dict | None = None) -> list[str]:
        """Record tasks (part, size) once; returns the keys that were new (only their creator sends them)."""
        rows = [{"key": task_key(job_id, stage, document_id, part), "job_id": job_id, "stage": stage,
                 "document_id": document_id, "part": part, "size": size, "state": "queued", "attempts": 0,
                 "result": json.dumps(result, ensure_ascii=False) if result is not None else None,
                 "updated": time.time()} for part, size in parts]
        with self.read() as conn:
            existing = {r[0] for r in conn.execute(select(tasks.c.key).where(tasks.c.key.in_([r["key"] for r in rows])))}
        created = []
        with self.write() as conn:
            for row in rows:
                if row["key"] not in existing:
                    upsert(conn, tasks, row, ("key",), ignore=True)  # another process may have written it meanwhile
                    created.append(row["key"])
        return created

    def get(self, key: str) -> Task | None:
        with self.read() as conn:
            row = conn.execute(select(tasks).where(tasks.c.key == key)).first()
        return _task(row) if row else None

    def begin(self, key: str) -> Task | None:
        """Count one more attempt and mark the task running; the task as it was before (None if unknown)."""
        with self.write() as conn:
            row = conn.execute(select(tasks).where(tasks.c.key == key)).first()
            if row is None:
                return None
            if row.state != "done":
                conn.execute(update(tasks).where(tasks.c.key == key).values(
                    state="running", attempts=tasks.c.attempts + 1, owner=PROCESS, updated=time.time()))
        return _task(row)

    def finish(self, key: str, result: dict | None = None) -> None:
        values: dict = {"state": "done", "updated": time.time(), "error": None}
        if result is not None:
            values["result"] = json.dumps(result, ensure_ascii=False)
        with self.write() as conn:
            conn.execute(update(tasks).where(tasks.c.key == key).values(**values))

    def set_result(self, key: str, result: dict) -> None:
        with self.write() as conn:
            conn.execute(update(tasks).where(tasks.c.key == key).values(
                result=json.dumps(result, ensure_ascii=False), updated=time.time()))

    def attach_document(self, key: str, document_id: str, result: dict) -> None:
        """A file row names its document once the document is known (its tasks then carry it on)."""
        with self.write() as conn:
            conn.execute(update(tasks).where(tasks.c.key == key).values(
                document_id=document_id, state="running", result=json.dumps(result, ensure_ascii=False),
                updated=time.time()))

    def fail(self, key: str, error: str) -> None:
        with self.write() as conn:
            conn.execute(update(tasks).where(tasks.c.key == key).values(state="failed", error=error[:2000],
                                                                         updated=time.time()))

    def reset_failed(self, job_id: str) -> int:
        """A resumed job gets its failed tasks back with a fresh count of attempts."""
        with self.write() as conn:
            return conn.execute(update(tasks).where(tasks.c.job_id == job_id, tasks.c.state.in_(["failed", "running"]))
                                .values(state="queued", attempts=0, updated=time.time())).rowcount

    def tasks(self, job_id: str, stage: str | None = None, document_id: str | None = None) -> list[Task]:
        query = select(tasks).where(tasks.c.job_id == job_id)
        if stage:
            query = query.where(tasks.c.stage == stage)
        if document_id:
            query = query.where(tasks.c.document_id == document_id)
        with self.read() as conn:
            return [_task(r) for r in conn.execute(query.order_by(tasks.c.stage, tasks.c.part))]

    def remaining(self, job_id: str, stage: str, document_id: str | None = None) -> int:
        query = select(func.count()).select_from(tasks).where(tasks.c.job_id == job_id, tasks.c.stage == stage,
                                                              tasks.c.state != "done")
        if document_id:
            query = query.where(tasks.c.document_id == document_id)
        with self.read() as conn:
            return int(conn.execute(query).scalar_one())

    def forget_job(self, job_id: str) -> None:
        with self.write() as conn:
            docs = [r[0] for r in conn.execute(select(tasks.c.document_id).where(
                tasks.c.job_id == job_id, tasks.c.document_id.is_not(None)).distinct())]
            conn.execute(delete(tasks).where(tasks.c.job_id == job_id))
            if docs:
                conn.execute(delete(vectors).where(vectors.c.document_id.in_(docs)))

    def progress(self, job_id: str) -> dict:
        """Progress of a job aggregated from its tasks (the same figures whichever process asks)."""
        rows = self.tasks(job_id)
        files = [t for t in rows if t.stage == "file"]
        pages = [t for t in rows if t.stage == "pages"]
        embeds = [t for t in rows if t.stage == "embed"]
        errors = [{"file": t.result["file"], "error": t.result["error"], "code": t.result["error_code"]}
                  for t in files if t.state == "done" and t.result and t.result.get("status") == "failed"]
        states: dict[str, int] = {}
        for t in rows:
            states[t.state] = states.get(t.state, 0) + 1
        indexed = {t.document_id for t in rows if t.stage == "index" and t.state == "done"}
        docs = {t.document_id for t in files if t.state != "done" and t.document_id}
        waiting = sum(t.size for t in embeds if t.state != "done")
        # every file read and searchable by BM25, dense vectors being computed (the wording of the direct pipeline)
        phase = "embedding" if files and docs and docs <= indexed and waiting else "reading"
        return {"phase": phase, "chunks_waiting": waiting,
                "files": len(files), "done": sum(t.state == "done" for t in files),
                "pages": sum(t.size for t in pages if t.state == "done"),
                "ocr_pages": sum((t.result or {}).get("ocr", 0) for t in pages if t.state == "done"),
                "pages_total": sum(t.size for t in pages),
                "chunks_total": sum(t.size for t in embeds),
                "chunks_embedded": sum(t.size for t in embeds if t.state == "done"),
                "tasks": states, "errors": errors}

    # vectors computed by workers, indexed by the store's owner ---------------------------------------------
    def put_vectors(self, document_id: str, by_chunk: dict[str, list[float]]) -> None:
        rows = [{"chunk_id": cid, "document_id": document_id, "vector": array("f", vec).tobytes()}
                for cid, vec in by_chunk.items()]
        with self.write() as conn:
            conn.execute(delete(vectors).where(vectors.c.chunk_id.in_(list(by_chunk))))
            if rows:
                conn.execute(insert(vectors), rows)

    def vectors(self, document_id: str, chunk_ids: list[str] | None = None) -> dict[str, list[float]]:
        query = select(vectors.c.chunk_id, vectors.c.vector).where(vectors.c.document_id == document_id)
        if chunk_ids is not None:
            query = query.where(vectors.c.chunk_id.in_(chunk_ids))
        with self.read() as conn:
            rows = conn.execute(query).all()
        return {r[0]: array("f", r[1]).tolist() for r in rows}

    def drop_vectors(self, document_id: str, chunk_ids: list[str] | None = None) -> None:
        query = delete(vectors).where(vectors.c.document_id == document_id)
        if chunk_ids is not None:
            query = query.where(vectors.c.chunk_id.in_(chunk_ids))
        with self.write() as conn:
            conn.execute(query)
