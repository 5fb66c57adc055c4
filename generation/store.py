"""Drafts persisted in the state database (with their evidence), so that a draft, its stream and its DOCX survive a restart.

Each draft records its owner when it is made: the dossier key, the juridiction and the dossier's creation time, so
that a dossier deleted then re-created under the same id never hands out the old dossier's drafts."""
from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import delete, select

from core.errors import NotFound
from core.models import Citation
from generation.drafting import Draft, Section, Sentence
from storage.engine import SqlStore, upsert
from storage.tables import drafts as T


class DraftStore(SqlStore):
    """Drafts made before ownership was recorded have no owner (juridiction NULL): nobody reads them."""

    branch = "drafts"

    def save(self, draft: Draft, juridiction: str | None = None, dossier_created: str | None = None) -> None:
        """Store the draft with its owner (juridiction and incarnation of the dossier it was made from)."""
        data = draft.to_dict() | {"evidence": draft.evidence,
                                  "citations": [[[c.model_dump() for c in s.citations] for s in sec.sentences]
                                                for sec in draft.sections]}
        values = {"id": draft.id, "dossier": draft.dossier, "data": json.dumps(data, ensure_ascii=False),
                  "juridiction": juridiction, "dossier_created": dossier_created,
                  "created": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")}
        with self.write() as conn:
            upsert(conn, T, values, ("id",))

    def owner(self, draft_id: str) -> tuple[str, str | None, str | None]:
        """(dossier key, juridiction, dossier creation time) recorded when the draft was made."""
        with self.read() as conn:
            row = conn.execute(select(T.c.dossier, T.c.juridiction, T.c.dossier_created).where(T.c.id == draft_id)
                               ).first()
        if not row:
            raise NotFound("Projet introuvable.", param="draft")
        return row.dossier, row.juridiction, row.dossier_created

    def delete_dossier(self, dossier: str) -> list[str]:
        """Delete every draft of a dossier; returns their ids (to delete their exports too)."""
        with self.write() as conn:
            ids = list(conn.execute(select(T.c.id).where(T.c.dossier == dossier).order_by(T.c.id)).scalars())
            conn.execute(delete(T).where(T.c.dossier == dossier))
        return ids

    def get(self, draft_id: str) -> Draft:
        with self.read() as conn:
            raw = conn.execute(select(T.c.data).where(T.c.id == draft_id)).scalar()
        if raw is None:
            raise NotFound("Projet introuvable.", param="draft")
        d = json.loads(raw)
        sections = []
        for sec, cites in zip(d["sections"], d["citations"], strict=True):
            sentences = [Sentence(s["text"], [Citation(**c) for c in sc], s["status"])
                         for s, sc in zip(sec["sentences"], cites, strict=True)]
            sections.append(Section(sec["title"], sentences))
        draft = Draft(d["kind"], d["dossier"], sections, d["removed"], d["model"], d["prompt"], d["warnings"],
                      d["timings"], d["evidence"], pieces=d.get("pieces", []), blocking=d.get("blocking", []))
        draft.id = d["id"]
        return draft
