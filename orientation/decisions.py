"""The magistrate's decisions, append-only: accept, modify (reason required) or reject (reason required).

One decision is current per proposal; a new one names the decision it supersedes, so the history (who, when,
what, why) stays whole and no decision silently replaces another."""
from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from core.errors import Conflict, InvalidInput, NotFound
from orientation.extract import FACT_KEYS

SCHEMA = """
CREATE TABLE IF NOT EXISTS proposals (id TEXT PRIMARY KEY, dossier_id TEXT, created TEXT, data TEXT);
CREATE TABLE IF NOT EXISTS decisions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, proposal_id TEXT NOT NULL, dossier_id TEXT, decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL, action TEXT NOT NULL, changes TEXT, reason TEXT, proposal TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS purging (dossier_id TEXT PRIMARY KEY);
CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions
  BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
DROP TRIGGER IF EXISTS decisions_no_delete;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
  WHEN NOT EXISTS (SELECT 1 FROM purging WHERE dossier_id = OLD.dossier_id)
  BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
"""
ACTIONS = {"accept", "modify", "reject"}
ACTION_FR = {"accept": "acceptée", "modify": "modifiée", "reject": "rejetée"}
MAX_REASON_CHARS = 2000

Text = Annotated[str, Field(max_length=200)]
_Scalar = Text | int | float | bool | None


def _few(item: Any) -> Any:
    return Annotated[list[item], Field(max_length=50)]


# Fields a magistrate may change, with their types (strings and lists bounded): facts, orientation, requisitions.
FACT_TYPES: dict[str, Any] = {
    "alcohol_air_mg_l_readings": _few(float) | float | None, "alcohol_blood_g_l": float | None,
    "drugs_positive": bool | None, "drugs_substances": _few(Text) | Text | None, "licence_status": Text | None,
    "probationary_licence": bool | None, "no_insurance": bool | None, "hit_and_run": bool | None,
    "refusal_to_comply": bool | None, "refusal_of_test": bool | None, "speed_kmh": float | None,
    "speed_limit_kmh": float | None, "victim_itt_days": int | None, "accident_material_damage": bool | None,
    "alcohol_screening_negative": bool | None, "prior_convictions": _few(dict[Text, _Scalar]) | int | None,
    "legal_recidivism": bool | None, "facts_date": Text | None, "minor": bool | None,
}
CHANGE_FIELDS: dict[str, Any] = {
    # A fact the extractor gains later is still changeable, as a plain value, until it gets its own type here.
    **{key: FACT_TYPES.get(key, _Scalar | _few(_Scalar)) for key in FACT_KEYS},
    "orientation.code": Text | None, "orientation.charges": _few(Text) | Text | None,
    "requisitions.fine_eur": int | None, "requisitions.suspension_months": int | None,
    "requisitions.prison_months": int | None, "requisitions.prison_suspended": bool | None,
    "requisitions.probation": bool | None, "requisitions.licence_annulment": bool | None,
    "requisitions.licence_surrender_months": int | None, "requisitions.vehicle_confiscation": bool | None,
    "requisitions.stage": bool | None,
}


def _changes_model() -> type[BaseModel]:
    fields: dict[str, Any] = {name.replace(".", "__"): (tp, Field(None, alias=name))
                              for name, tp in CHANGE_FIELDS.items()}
    return create_model("Changes", __config__=ConfigDict(extra="forbid", populate_by_name=False), **fields)


Changes = _changes_model()


def validate_changes(changes: dict[str, Any] | BaseModel | None) -> dict[str, Any]:
    """Only known fields with values of their type; an unknown field is an error naming it."""
    if isinstance(changes, BaseModel):
        return changes.model_dump(by_alias=True, exclude_unset=True)
    try:
        return Changes.model_validate(changes or {}).model_dump(by_alias=True, exclude_unset=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", []))
        raise InvalidInput(f"Champ modifié invalide « {field} » ({first.get('msg', '')}).",
                           param=f"changes.{field}") from exc


class DecisionStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.executescript(SCHEMA)
        if "supersedes" not in {r[1] for r in self._conn.execute("PRAGMA table_info(decisions)")}:
            self._conn.execute("ALTER TABLE decisions ADD COLUMN supersedes INTEGER")
        self._lock = threading.Lock()

    def save_proposal(self, proposal: dict) -> None:
        with self._lock:
            self._conn.execute("INSERT OR IGNORE INTO proposals VALUES (?,?,?,?)",
                               (proposal["id"], proposal.get("dossier"), datetime.now(UTC).isoformat(),
                                json.dumps(proposal, ensure_ascii=False, default=str)))

    def proposal(self, proposal_id: str) -> dict:
        row = self._conn.execute("SELECT data FROM proposals WHERE id=?", (proposal_id,)).fetchone()
        if not row:
            raise NotFound("Proposition introuvable.", param="proposal")
        return json.loads(row[0])

    def decide(self, proposal_id: str, action: str, user: str, changes: dict[str, Any] | None = None,
               reason: str | None = None, supersedes: int | None = None) -> dict:
        """Record a decision; departing from the proposal (modify, reject) requires a reason; replacing the
        current decision requires naming it (`supersedes`)."""
        if action not in ACTIONS:
            raise InvalidInput(f"Action inconnue « {action} » (accept, modify, reject).", param="action")
        if action in ("modify", "reject") and not (reason and reason.strip()):
            raise InvalidInput("Un motif est obligatoire pour modifier ou rejeter la proposition.", param="reason")
        if reason and len(reason) > MAX_REASON_CHARS:
            raise InvalidInput(f"Motif trop long (au plus {MAX_REASON_CHARS} caractères).", param="reason")
        changes = validate_changes(changes)
        if action == "modify" and not changes:
            raise InvalidInput("Indiquez au moins un champ modifié (CHAMP=VALEUR).", param="changes")
        proposal = self.proposal(proposal_id)
        with self._lock:
            current = self.current(proposal_id)
            if current and supersedes != current["seq"]:
                raise Conflict(f"Une décision est déjà en vigueur (n° {current['seq']}, "
                               f"{ACTION_FR[current['action']]} par {current['decided_by']}) : indiquez qu'elle est "
                               "remplacée.", param="supersedes", code="decision_en_vigueur")
            if not current and supersedes is not None:
                raise Conflict("Aucune décision en vigueur à remplacer.", param="supersedes",
                               code="decision_inexistante")
            record = {"proposal_id": proposal_id, "dossier_id": proposal.get("dossier"), "decided_by": user,
                      "decided_at": datetime.now(UTC).isoformat(), "action": action,
                      "changes": changes, "reason": reason, "supersedes": supersedes}
            cur = self._conn.execute(
                "INSERT INTO decisions (proposal_id, dossier_id, decided_by, decided_at, action, changes, reason, "
                "proposal, supersedes) VALUES (?,?,?,?,?,?,?,?,?)",
                (proposal_id, record["dossier_id"], user, record["decided_at"], action,
                 json.dumps(changes, ensure_ascii=False), reason, json.dumps(proposal, ensure_ascii=False),
                 supersedes))
        record["seq"] = cur.lastrowid
        return record

    def decisions(self, proposal_id: str) -> list[dict]:
        """The history, oldest first; each entry says whether it is current and which one replaced it."""
        rows = self._conn.execute("SELECT seq, decided_by, decided_at, action, changes, reason, supersedes "
                                  "FROM decisions WHERE proposal_id=? ORDER BY seq", (proposal_id,)).fetchall()
        history = [{"seq": r[0], "decided_by": r[1], "decided_at": r[2], "action": r[3],
                    "changes": json.loads(r[4]), "reason": r[5], "supersedes": r[6], "superseded_by": None,
                    "current": False} for r in rows]
        by_seq = {h["seq"]: h for h in history}
        for h in history:
            if h["supersedes"] in by_seq:
                by_seq[h["supersedes"]]["superseded_by"] = h["seq"]
        if history:
            history[-1]["current"] = True
        return history

    def current(self, proposal_id: str) -> dict | None:
        history = self.decisions(proposal_id)
        return history[-1] if history else None

    def delete_dossier(self, dossier_id: str) -> dict:
        """Delete a deleted dossier's proposals and decisions (the audit log keeps that they existed)."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                self._conn.execute("INSERT OR IGNORE INTO purging VALUES (?)", (dossier_id,))
                decisions = self._conn.execute("DELETE FROM decisions WHERE dossier_id=?", (dossier_id,)).rowcount
                proposals = self._conn.execute("DELETE FROM proposals WHERE dossier_id=?", (dossier_id,)).rowcount
                self._conn.execute("DELETE FROM purging WHERE dossier_id=?", (dossier_id,))
                self._conn.execute("COMMIT")
            except Exception:
                self._conn.execute("ROLLBACK")
                raise
        return {"proposals": proposals, "decisions": decisions}

    def close(self) -> None:
        self._conn.close()
