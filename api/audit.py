"""Append-only, HMAC-chained audit log (Directive 2016/680, AI Act logging) through SQLAlchemy.

In the state database (storage/, its own Alembic branch): SQLite in the data dir by default, PostgreSQL by URL
(audit.url, else state.url); appends from several processes are serialised so the chain never forks. Each entry
carries the keyed hash (HMAC-SHA256, secret from settings) of the previous one, so nobody without the key can
alter, insert, erase and re-chain entries unnoticed.
Signed checkpoints of the head (count + hash) go to a separate append-only place, so that cutting the tail of the
log is detected too. No per-magistrate statistics are ever computed."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, insert, select, text

from core.errors import AppError
from core.ids import visible_dossier_id
from core.settings import PLACEHOLDER_SECRET
from storage.engine import SqlStore
from storage.tables import audit_log as entries

GENESIS = "0" * 64
_APPEND_LOCK = 727_170_018  # PostgreSQL advisory lock held while one entry is chained and appended
checkpoint_table = Table(
    "audit_checkpoints", MetaData(),
    Column("n", Integer, primary_key=True, autoincrement=True),
    Column("line", Text, nullable=False),
)


def _append_only_triggers(conn, table: str) -> None:
    for op in ("UPDATE", "DELETE"):
        conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                             f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;")


def _readonly_engine(url: str):
    """SQLite opened with mode=ro (verify never writes, not even a journal); other URLs as given."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.is_file():
            raise AppError(f"Journal d'audit introuvable : {path}.", code="journal_introuvable")
        return create_engine(f"sqlite:///file:{path.resolve()}?mode=ro&uri=true", future=True)
    return create_engine(url, future=True)


class Checkpoints:
    """Signed heads, appended to a file (JSON lines, fsync'd) or to a table of a second database."""

    def __init__(self, location: str, key: bytes, readonly: bool = False) -> None:
        self.key, self.readonly = key, readonly
        self.engine = None
        self.path: Path | None = None
        if "://" in location:
            self.engine = _readonly_engine(location) if readonly else create_engine(location, future=True)
            if not readonly:
                checkpoint_table.metadata.create_all(self.engine)
                if location.startswith("sqlite"):
                    with self.engine.begin() as conn:
                        _append_only_triggers(conn, "audit_checkpoints")
        else:
            self.path = Path(location)
            if not readonly:
                self.path.parent.mkdir(parents=True, exist_ok=True)

    def sign(self, count: int, head: str, at: str) -> str:
        return hmac.new(self.key, f"checkpoint|{count}|{head}|{at}".encode(), hashlib.sha256).hexdigest()

    def append(self, count: int, head: str) -> None:
        at = datetime.now(UTC).isoformat()
        line = json.dumps({"count": count, "hash": head, "at": at, "sig": self.sign(count, head, at)})
        if self.engine is not None:
            with self.engine.begin() as conn:
                conn.execute(insert(checkpoint_table).values(line=line))
            return
        assert self.path is not None
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self) -> list[dict]:
        """Every checkpoint; a line that does not parse counts as an invalid checkpoint."""
        if self.engine is not None:
            try:
                with self.engine.connect() as conn:
                    lines = [r.line for r in conn.execute(select(checkpoint_table).order_by(checkpoint_table.c.n))]
            except Exception:  # no table yet: no checkpoint was ever written
                lines = []
        else:
            assert self.path is not None
            lines = self.path.read_text(encoding="utf-8").splitlines() if self.path.is_file() else []
        out = []
        for line in lines:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                out.append({"invalid": line[:100]})
        return out


def bound(value: Any, max_chars: int) -> Any:
    """Cut long strings and long lists so that no entry can grow without limit."""
    if isinstance(value, str):
        return value if len(value) <= max_chars else value[:max_chars] + f"…[{len(value)} caractères]"
    if isinstance(value, dict):
        return {str(k)[:100]: bound(v, max_chars) for k, v in list(value.items())[:100]}
    if isinstance(value, (list, tuple, set)):
        items = list(value)
        kept = [bound(v, max_chars) for v in items[:200]]
        return kept + ([f"…[{len(items)} éléments]"] if len(items) > 200 else [])
    return value


class AuditLog(SqlStore):
    branch = "audit"

    def __init__(self, url: str | Path, key: str | bytes = PLACEHOLDER_SECRET, checkpoints: str | None = None,
                 checkpoint_every: int = 1, max_value_chars: int = 1000, max_entry_chars: int = 8000,
                 readonly: bool = False, migrate: bool = True) -> None:
        self.key = key.encode() if isinstance(key, str) else key
        self.every, self.max_value, self.max_entry = checkpoint_every, max_value_chars, max_entry_chars
        self.readonly = readonly
        self._lock = threading.Lock()
        self._since_checkpoint = 0
        if readonly:
            path = Path(str(url).removeprefix("sqlite:///")) if str(url).startswith("sqlite:///") else (
                url if isinstance(url, Path) else None)
            if path is not None and not path.is_file():
                raise AppError(f"Journal d'audit introuvable : {path}.", code="journal_introuvable")
            url = path if path is not None else url
        super().__init__(url, read_only=readonly, migrate=migrate)
        self.checkpoints = Checkpoints(checkpoints, self.key, readonly) if checkpoints else None

    @classmethod
    def from_settings(cls, settings, readonly: bool = False) -> AuditLog:
        """The log and checkpoint place the settings name (the same for the API and the CLI)."""
        from storage.locations import location

        cfg = settings.audit
        checkpoints = cfg.checkpoints or str((settings.paths.data_dir / "audit" / "checkpoints.jsonl").resolve())
        return cls(location(settings, "audit"), cfg.hmac_key.get_secret_value(), checkpoints, cfg.checkpoint_every,
                   cfg.max_value_chars, cfg.max_entry_chars, readonly=readonly, migrate=settings.state.migrate)

    def _digest(self, prev: str, at: str, actor: str, action: str, dossier: str | None, details: str) -> str:
        payload = json.dumps([prev, at, actor, action, dossier, details], ensure_ascii=False)
        return hmac.new(self.key, payload.encode(), hashlib.sha256).hexdigest()

    def _body(self, details: dict) -> str:
        body = json.dumps(bound(details, self.max_value), ensure_ascii=False, sort_keys=True, default=str)
        if len(body) > self.max_entry:
            keys = sorted(details)
            body = json.dumps({"tronque": True, "taille": len(body), "cles": keys[:50]}, ensure_ascii=False)
        return body

    def record(self, actor: str, action: str, dossier: str | None = None, **details: Any) -> str:
        """Append one entry: who, what, which dossier (the id its users typed; the juridiction and internal key
        are in `details`), inputs/outputs/versions in `details` (bounded)."""
        if self.readonly:
            raise RuntimeError("audit log opened read-only")
        if dossier and "~" in dossier:  # an internal key: the reader sees the typed id, the key stays in details
            details = details | {"dossier_key": dossier}
            dossier = visible_dossier_id(dossier)
        body = self._body(details)
        at = datetime.now(UTC).isoformat()
        actor, action = actor[:200], action[:100]
        dossier = dossier[:200] if dossier else dossier
        with self._lock:
            with self.write() as conn:
                if conn.dialect.name == "postgresql":  # other processes append too: one at a time
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _APPEND_LOCK})
                last = conn.execute(select(entries.c.seq, entries.c.hash).order_by(entries.c.seq.desc())
                                    .limit(1)).first()
                prev = last.hash if last else GENESIS
                digest = self._digest(prev, at, actor, action, dossier, body)
                seq = conn.execute(insert(entries).values(at=at, actor=actor, action=action, dossier=dossier,
                                                          details=body, prev_hash=prev, hash=digest)
                                   ).inserted_primary_key[0]
            self._since_checkpoint += 1
            if self.checkpoints and self._since_checkpoint >= self.every:
                self.checkpoints.append(seq, digest)
                self._since_checkpoint = 0
        return digest

    def checkpoint(self) -> None:
        """Sign the current head now (at shutdown, so that no entry is left unguarded)."""
        if self.readonly or not self.checkpoints or not self._since_checkpoint:
            return
        with self._lock, self.engine.connect() as conn:
            last = conn.execute(select(entries.c.seq, entries.c.hash).order_by(entries.c.seq.desc()).limit(1)).first()
            if last:
                self.checkpoints.append(last.seq, last.hash)
                self._since_checkpoint = 0

    def verify(self) -> dict:
        """Recompute the keyed chain, then check every signed checkpoint against it.

        Detects an altered, inserted or erased entry (even re-chained without the key), a cut tail (a checkpoint
        names an entry that is gone), and a forged or edited checkpoint."""
        prev, count, heads = GENESIS, 0, {}
        result: dict[str, Any] = {"ok": True, "entries": 0, "broken_at": None, "checkpoints": 0, "reason": None}
        with self.engine.connect() as conn:
            for row in conn.execute(select(entries).order_by(entries.c.seq)):
                count += 1
                expected = self._digest(prev, row.at, row.actor, row.action, row.dossier, row.details)
                if row.prev_hash != prev or row.hash != expected:
                    return result | {"ok": False, "entries": count, "broken_at": row.seq,
                                     "reason": "Entrée modifiée, insérée ou supprimée (chaîne rompue)."}
                prev = row.hash
                heads[row.seq] = row.hash
        result["entries"] = count
        if self.checkpoints is None:
            return result
        points = self.checkpoints.read()
        result["checkpoints"] = len(points)
        for cp in points:
            signed = {"count", "hash", "at", "sig"} <= set(cp) and hmac.compare_digest(
                str(cp["sig"]), self.checkpoints.sign(cp["count"], cp["hash"], cp["at"]))
            if not signed:
                return result | {"ok": False, "reason": "Point de contrôle invalide ou modifié."}
            if heads.get(cp["count"]) != cp["hash"]:
                return result | {"ok": False, "broken_at": cp["count"],
                                 "reason": f"Le point de contrôle signé n° {cp['count']} ne correspond plus au "
                                           "journal (entrées supprimées ou réécrites)."}
        if count >= self.every and not points:
            return result | {"ok": False, "reason": "Aucun point de contrôle signé alors que le journal a des "
                                                    "entrées (points de contrôle supprimés ?)."}
        return result

    def entries(self, dossier: str | None = None, limit: int | None = None) -> list[dict]:
        """Entries, newest first (all of them unless `limit`)."""
        q = select(entries).order_by(entries.c.seq.desc()).limit(limit)
        if dossier:
            q = q.where(entries.c.dossier == dossier)
        with self.engine.connect() as conn:
            return [dict(r._mapping) | {"details": json.loads(r.details)} for r in conn.execute(q)]

    def close(self) -> None:
        if not getattr(self, "_closed", False):
            self.checkpoint()
        super().close()
