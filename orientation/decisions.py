"""The magistrate's decisions, append-only: accept, modify (reason required) or reject (reason required).

One decision is current per proposal; a new one names the decision it supersedes, so the history (who, when,
what, why) stays whole and no decision silently replaces another."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from sqlalchemy import Connection, delete, select

from core.errors import Conflict, InvalidInput, NotFound
from orientation.extract import FACT_KEYS
from storage.engine import SqlStore, upsert
from storage.tables import decisions as D
from storage.tables import proposals as P
from storage.tables import purging

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


class DecisionStore(SqlStore):
    """Proposals and decisions; the database itself refuses to update or delete a decision (triggers), except
    when a whole dossier is purged on purpose (`delete_dossier`)."""

    branch = "decisions"

    def save_proposal(self, proposal: dict) -> None:
        """Keep the proposal (the first one saved under an id is kept: ids derive from its content)."""
        with self.write() as conn:
            upsert(conn, P, {"id": proposal["id"], "dossier_id": proposal.get("dossier"),
                             "created": datetime.now(UTC).isoformat(),
                             "data": json.dumps(proposal, ensure_ascii=False, default=str)}, ("id",), ignore=True)

    def proposal(self, proposal_id: str) -> dict:
        with self.read() as conn:
            raw = conn.execute(select(P.c.data).where(P.c.id == proposal_id)).scalar()
        if raw is None:
            raise NotFound("Proposition introuvable.", param="proposal")
        return json.loads(raw)

    def decide(self, proposal_id: str, action: str, user: str, changes: dict[str, Any] | None = None,
               reason: str | None = None, supersedes: int | None = None) -> dict:
        """Record a decision; departing from the proposal (modify, reject) requires a reason; replacing the
        current decision requires naming it (`supersedes`). The check and the insert are one transaction holding
        the proposal, so two magistrates deciding at once never both become current."""
        if action not in ACTIONS:
            raise InvalidInput(f"Action inconnue « {action} » (accept, modify, reject).", param="action")
        if action in ("modify", "reject") and not (reason and reason.strip()):
            raise InvalidInput("Un motif est obligatoire pour modifier ou rejeter la proposition.", param="reason")
        if reason and len(reason) > MAX_REASON_CHARS:
            raise InvalidInput(f"Motif trop long (au plus {MAX_REASON_CHARS} caractères).", param="reason")
        changes = validate_changes(changes)
        if action == "modify" and not changes:
            raise InvalidInput("Indiquez au moins un champ modifié (CHAMP=VALEUR).", param="changes")
        with self.write() as conn:
            raw = conn.execute(select(P.c.data).where(P.c.id == proposal_id).with_for_update()).scalar()
            if raw is None:
                raise NotFound("Proposition introuvable.", param="proposal")
            proposal = json.loads(raw)
            history = _history(conn, proposal_id)
            current = history[-1] if history else None
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
            result = conn.execute(D.insert().values(
                proposal_id=proposal_id, dossier_id=record["dossier_id"], decided_by=user,
                decided_at=record["decided_at"], action=action, changes=json.dumps(changes, ensure_ascii=False),
                reason=reason, proposal=json.dumps(proposal, ensure_ascii=False), supersedes=supersedes))
            record["seq"] = result.inserted_primary_key[0]
        return record

    def decisions(self, proposal_id: str) -> list[dict]:
        """The history, oldest first; each entry says whether it is current and which one replaced it."""
        with self.read() as conn:
            return _history(conn, proposal_id)

    def current(self, proposal_id: str) -> dict | None:
        history = self.decisions(proposal_id)
        return history[-1] if history else None

    def delete_dossier(self, dossier_id: str) -> dict:
        """Delete a deleted dossier's proposals and decisions (the audit log keeps that they existed)."""
        with self.write() as conn:
            upsert(conn, purging, {"dossier_id": dossier_id}, ("dossier_id",), ignore=True)
            decisions = conn.execute(delete(D).where(D.c.dossier_id == dossier_id)).rowcount
            proposals = conn.execute(delete(P).where(P.c.dossier_id == dossier_id)).rowcount
            conn.execute(delete(purging).where(purging.c.dossier_id == dossier_id))
        return {"proposals": proposals, "decisions": decisions}


def _history(conn: Connection, proposal_id: str) -> list[dict]:
    rows = conn.execute(select(D.c.seq, D.c.decided_by, D.c.decided_at, D.c.action, D.c.changes, D.c.reason,
                               D.c.supersedes).where(D.c.proposal_id == proposal_id).order_by(D.c.seq))
    history = [{"seq": r.seq, "decided_by": r.decided_by, "decided_at": r.decided_at, "action": r.action,
                "changes": json.loads(r.changes), "reason": r.reason, "supersedes": r.supersedes,
                "superseded_by": None, "current": False} for r in rows]
    by_seq = {h["seq"]: h for h in history}
    for h in history:
        if h["supersedes"] in by_seq:
            by_seq[h["supersedes"]]["superseded_by"] = h["seq"]
    if history:
        history[-1]["current"] = True
    return history
