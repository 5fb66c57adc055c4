"""Append-only, hash-chained audit log (Directive 2016/680, AI Act logging) through SQLAlchemy.

SQLite in the data dir by default, PostgreSQL by URL. Each entry carries the hash of the previous one, so
`verify()` detects any altered, inserted or deleted entry. No per-magistrate statistics are ever computed."""
from __future__ import annotations

import hashlib
import json
import threading
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, insert, select

GENESIS = "0" * 64
metadata = MetaData()
entries = Table(
    "audit_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("dossier", String(200)),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)


def _digest(prev: str, at: str, actor: str, action: str, dossier: str | None, details: str) -> str:
    payload = json.dumps([prev, at, actor, action, dossier, details], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class AuditLog:
    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, future=True)
        metadata.create_all(self.engine)
        self._lock = threading.Lock()
        if url.startswith("sqlite"):
            with self.engine.begin() as conn:
                conn.exec_driver_sql("CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_log "
                                     "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;")
                conn.exec_driver_sql("CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_log "
                                     "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;")

    def record(self, actor: str, action: str, dossier: str | None = None, **details: Any) -> str:
        """Append one entry: who, what, which dossier, inputs/outputs/versions in `details`."""
        body = json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
        at = datetime.now(UTC).isoformat()
        with self._lock, self.engine.begin() as conn:
            last = conn.execute(select(entries.c.hash).order_by(entries.c.seq.desc()).limit(1)).scalar()
            prev = last or GENESIS
            digest = _digest(prev, at, actor, action, dossier, body)
            conn.execute(insert(entries).values(at=at, actor=actor, action=action, dossier=dossier, details=body,
                                                prev_hash=prev, hash=digest))
        return digest

    def verify(self) -> dict:
        """Recompute the chain; report the first broken entry (altered content, deletion or insertion)."""
        prev, count = GENESIS, 0
        with self.engine.connect() as conn:
            for row in conn.execute(select(entries).order_by(entries.c.seq)):
                count += 1
                expected = _digest(prev, row.at, row.actor, row.action, row.dossier, row.details)
                if row.prev_hash != prev or row.hash != expected:
                    return {"ok": False, "entries": count, "broken_at": row.seq}
                prev = row.hash
        return {"ok": True, "entries": count, "broken_at": None}

    def entries(self, dossier: str | None = None, limit: int = 100) -> list[dict]:
        q = select(entries).order_by(entries.c.seq.desc()).limit(limit)
        if dossier:
            q = q.where(entries.c.dossier == dossier)
        with self.engine.connect() as conn:
            return [dict(r._mapping) | {"details": json.loads(r.details)} for r in conn.execute(q)]
