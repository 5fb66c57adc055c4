"""The magistrate's decisions, append-only: accept, modify (reason required) or reject (reason required)."""
from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.errors import InvalidInput, NotFound

SCHEMA = """
CREATE TABLE IF NOT EXISTS proposals (id TEXT PRIMARY KEY, dossier_id TEXT, created TEXT, data TEXT);
CREATE TABLE IF NOT EXISTS decisions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, proposal_id TEXT NOT NULL, dossier_id TEXT, decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL, action TEXT NOT NULL, changes TEXT, reason TEXT, proposal TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions
  BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER IF NOT EXISTS decisions_no_delete BEFORE DELETE ON decisions
  BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
"""
ACTIONS = {"accept", "modify", "reject"}


class DecisionStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.executescript(SCHEMA)
        self._lock = threading.Lock()

    def save_proposal(self, proposal: dict) -> None:
        with self._lock:
            self._conn.execute("INSERT OR IGNORE INTO proposals VALUES (?,?,?,?)",
                               (proposal["id"], proposal.get("dossier"), datetime.now(UTC).isoformat(),
                                json.dumps(proposal, ensure_ascii=False, default=str)))

    def proposal(self, proposal_id: str) -> dict:
        row = self._conn.execute("SELECT data FROM proposals WHERE id=?", (proposal_id,)).fetchone()
        if not row:
            raise NotFound(f"Proposition « {proposal_id} » introuvable.", param="proposal")
        return json.loads(row[0])

    def decide(self, proposal_id: str, action: str, user: str, changes: dict[str, Any] | None = None,
               reason: str | None = None) -> dict:
        """Record a decision; departing from the proposal (modify, reject) requires a reason."""
        if action not in ACTIONS:
            raise InvalidInput(f"Action inconnue « {action} » (accept, modify, reject).", param="action")
        if action in ("modify", "reject") and not (reason and reason.strip()):
            raise InvalidInput("Un motif est obligatoire pour modifier ou rejeter la proposition.", param="reason")
        if action == "modify" and not changes:
            raise InvalidInput("Indiquez au moins un champ modifié (CHAMP=VALEUR).", param="changes")
        proposal = self.proposal(proposal_id)
        record = {"proposal_id": proposal_id, "dossier_id": proposal.get("dossier"), "decided_by": user,
                  "decided_at": datetime.now(UTC).isoformat(), "action": action,
                  "changes": changes or {}, "reason": reason}
        with self._lock:
            cur = self._conn.execute(
                "INSERT INTO decisions (proposal_id, dossier_id, decided_by, decided_at, action, changes, reason, "
                "proposal) VALUES (?,?,?,?,?,?,?,?)",
                (proposal_id, record["dossier_id"], user, record["decided_at"], action,
                 json.dumps(record["changes"], ensure_ascii=False), reason, json.dumps(proposal, ensure_ascii=False)))
        record["seq"] = cur.lastrowid
        return record

    def decisions(self, proposal_id: str) -> list[dict]:
        rows = self._conn.execute("SELECT seq, decided_by, decided_at, action, changes, reason FROM decisions "
                                  "WHERE proposal_id=? ORDER BY seq", (proposal_id,)).fetchall()
        return [{"seq": r[0], "decided_by": r[1], "decided_at": r[2], "action": r[3], "changes": json.loads(r[4]),
                 "reason": r[5]} for r in rows]

    def close(self) -> None:
        self._conn.close()
